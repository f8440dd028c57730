//! The `portsim` command line: parse the arguments, call the library's command
//! ([`portsim::commands`]), pick the exit code.
//!
//! Exit codes: 0 success; 2 invalid input (a scenario error with file:line:column, or a bad
//! argument); 1 anything else.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use portsim::Result;
use portsim::commands::{self, CapacityRequest, ProjectsRequest, RunSettings, SweepRequest};

/// A discrete-event simulator of port-cluster throughput (the six Liaoning coastal ports).
#[derive(Parser, Debug)]
#[command(name = "portsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `run` and `compare` share: how many runs, which seed and years, where to write (the
/// defaults as `run` says them; `compare` says its own).
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Replications per design year (default: the scenario's).
    #[arg(long, value_parser = replications)]
    reps: Option<u32>,
    /// Master seed (default: the scenario's).
    #[arg(long, value_parser = seed_value)]
    seed: Option<u64>,
    /// Design years: a list like 2020,2025 or a range like 2021-2030 (default: the scenario's).
    #[arg(long, value_parser = design_years)]
    years: Option<Years>,
    /// Output directory (default: out/<scenario>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads (default: one per core; an empty value, as from an unset
    /// `$SLURM_CPUS_PER_TASK`, also means the default). Results do not depend on it.
    #[arg(long, value_parser = thread_count)]
    threads: Option<Threads>,
    /// No progress output.
    #[arg(long)]
    quiet: bool,
    /// Skip the charts and report.html.
    #[arg(long)]
    no_charts: bool,
    /// The most events one run (a design year of a replication) may take, checked against an
    /// estimate from the demand before anything runs (default 100000000).
    #[arg(long, value_parser = event_budget)]
    max_events: Option<u64>,
    /// Also write calls.csv (calls.parquet with --format parquet): one row per call completed
    /// in the measured period.
    #[arg(long)]
    trace: bool,
    /// The form of kpis and calls; summary, targets and compare are always CSV.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
}

impl RunArgs {
    fn settings(self) -> RunSettings {
        RunSettings {
            reps: self.reps,
            seed: self.seed,
            years: self.years.map(|y| y.0),
            out: self.out,
            threads: self.threads.and_then(|t| t.0),
            quiet: self.quiet,
            no_charts: self.no_charts,
            max_events: self.max_events,
            trace: self.trace,
            format: self.format.into(),
        }
    }
}

/// `--format`: the form of the long result files.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    /// Comma-separated text.
    Csv,
    /// Apache Parquet (typed, compressed; pandas, Polars, DuckDB, R arrow).
    Parquet,
}

impl From<FormatArg> for portsim::report::format::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Csv => Self::Csv,
            FormatArg::Parquet => Self::Parquet,
        }
    }
}

/// `--years`: design years, as [`commands::parse_years`] reads them.
#[derive(Clone, Debug)]
struct Years(Vec<u16>);

fn design_years(s: &str) -> Result<Years, String> {
    // (Clap names the option and quotes the value: the message says only what is wrong.)
    commands::years_in(s).map(Years)
}

/// `capacity --year`: one design year, read as `--years` reads each of its own (a number too
/// large for a year is named as such, not by the integer type's range).
fn design_year(s: &str) -> Result<u16, String> {
    match commands::years_in(s)?[..] {
        [y] => Ok(y),
        _ => Err(format!("expected one design year, found `{s}`")),
    }
}

/// `--reps`: a count the experiments accept (a negative or non-numeric one is refused with
/// the same words as 0 or too many, not with the integer type's range).
fn replications(s: &str) -> Result<u32, String> {
    use portsim::experiment::MAX_REPLICATIONS;
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_REPLICATIONS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected 1 to {MAX_REPLICATIONS} replications, found `{s}`"
        )),
    }
}

/// `--seed`: a master seed, any whole number a `u64` holds.
fn seed_value(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| {
        format!(
            "expected a whole number from 0 to {} as the master seed, found `{s}`",
            u64::MAX
        )
    })
}

/// `capacity --steps`: 1 to 20 bisection steps (2^-20 of the bracket is far finer than the
/// replications' noise; more would only run longer).
fn bisection_steps(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=20).contains(&n) => Ok(n),
        _ => Err(format!("expected 1 to 20 bisection steps, found `{s}`")),
    }
}

/// `--max-events`: a budget of at least one event a run.
fn event_budget(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a budget of at least 1 event a run (the default is 100000000), found `{s}`"
        )),
    }
}

/// `--threads`: a count of at least 1, or empty for the default (one per core).
#[derive(Clone, Copy, Debug)]
struct Threads(Option<usize>);

fn thread_count(s: &str) -> Result<Threads, String> {
    if s.trim().is_empty() {
        return Ok(Threads(None));
    }
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(Threads(Some(n))),
        _ => Err(format!(
            "expected a number of threads of at least 1 (or nothing, for one per core), found `{s}`"
        )),
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    // A negative number after an option is its (refused) value, not an unknown flag.
    #[command(allow_negative_numbers = true)]
    /// Run a scenario's design years as replications and write kpis.csv, summary.csv, summary.json.
    Run {
        /// A scenario file or built-in name (default: liaoning-2020).
        scenario: Option<String>,
        #[command(flatten)]
        args: RunArgs,
    },
    // A negative number after an option is its (refused) value, not an unknown flag.
    #[command(allow_negative_numbers = true)]
    #[command(mut_arg("reps", |a| a.help("Replications per design year (default: the first scenario's)")))]
    #[command(mut_arg("seed", |a| a.help("Master seed (default: the first scenario's)")))]
    #[command(mut_arg("years", |a| a.help("Design years: a list like 2020,2025 or a range like 2021-2030 (default: the first scenario's)")))]
    #[command(mut_arg("out", |a| a.help("Output directory (default: out/compare-<A>-<B>…)")))]
    /// Run scenarios with common random numbers and write paired differences from the first.
    Compare {
        /// Scenario files or built-in names; the first is the baseline.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<String>,
        #[command(flatten)]
        args: RunArgs,
    },
    // A negative number after an option is its (refused) value, not an unknown flag.
    #[command(allow_negative_numbers = true)]
    /// Run a parameter sweep (resumes by default: finished points are kept).
    Sweep {
        /// The sweep file (TOML).
        file: String,
        /// Run only shard I of N (e.g. 2/4); join the shards with `portsim merge`.
        #[arg(long)]
        shard: Option<String>,
        /// Output directory (default: out/<sweep name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core; an empty value, as from an unset
        /// `$SLURM_CPUS_PER_TASK`, also means the default). Results do not depend on it.
        #[arg(long, value_parser = thread_count)]
        threads: Option<Threads>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
        /// Skip the charts and report.html.
        #[arg(long)]
        no_charts: bool,
        /// The most events one run may take (default 100000000).
        #[arg(long, value_parser = event_budget)]
        max_events: Option<u64>,
        /// The form of the point files and the assembled kpis: parquet (row groups of whole
        /// points; the report and sensitivity.csv compute the points' means from it) or csv
        /// (kpis.csv and summary.csv).
        #[arg(long, value_enum, default_value = "parquet")]
        format: FormatArg,
    },
    // A negative number after an option is its (refused) value, not an unknown flag.
    #[command(allow_negative_numbers = true)]
    /// Find the practical capacity: the largest demand multiple that still meets a criterion.
    Capacity {
        /// A scenario file or built-in name.
        scenario: String,
        /// One terminal (`Port/Terminal`), or `ALL` for the cluster (default: every terminal).
        #[arg(long)]
        terminal: Option<String>,
        /// The criterion, e.g. 'wait_ratio<=0.3', quoted for the shell (default: the scenario's
        /// planning limits: the wait ratio per cargo class and, for a tank, its hours empty and
        /// send-out missed).
        #[arg(long)]
        criterion: Option<String>,
        /// Replications at every demand multiple.
        #[arg(long, default_value_t = 10, value_parser = replications)]
        reps: u32,
        /// Master seed (default: the scenario's).
        #[arg(long, value_parser = seed_value)]
        seed: Option<u64>,
        /// Design year (default: the scenario's first).
        #[arg(long, value_parser = design_year)]
        year: Option<u16>,
        /// Bisection steps per boundary (precision: bracket / 2^steps).
        #[arg(long, default_value_t = 6, value_parser = bisection_steps)]
        steps: u32,
        /// Output directory (default: out/<scenario>-capacity).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core; an empty value, as from an unset
        /// `$SLURM_CPUS_PER_TASK`, also means the default). Results do not depend on it.
        #[arg(long, value_parser = thread_count)]
        threads: Option<Threads>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
        /// Skip the charts and report.html.
        #[arg(long)]
        no_charts: bool,
        /// The most events one run may take (default 100000000).
        #[arg(long, value_parser = event_budget)]
        max_events: Option<u64>,
    },
    // A negative number after an option is its (refused) value, not an unknown flag.
    #[command(allow_negative_numbers = true)]
    /// When each of a scenario's projects is needed: the scenario with all its projects and
    /// without each, over the design years (writes projects.csv and projects.json).
    Projects {
        /// A scenario file or built-in name that includes projects.
        scenario: String,
        /// Design years: a range like 2021-2035 or a list like 2021,2025 (default: the
        /// scenario's).
        #[arg(long)]
        years: Option<String>,
        /// Replications per design year (at least 2: a needed year rests on 95 % intervals).
        #[arg(long, default_value_t = 10, value_parser = replications)]
        reps: u32,
        /// Master seed (default: the scenario's).
        #[arg(long, value_parser = seed_value)]
        seed: Option<u64>,
        /// Output directory (default: out/<scenario>-projects).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core; an empty value, as from an unset
        /// `$SLURM_CPUS_PER_TASK`, also means the default). Results do not depend on it.
        #[arg(long, value_parser = thread_count)]
        threads: Option<Threads>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
        /// The most events one run may take (default 100000000).
        #[arg(long, value_parser = event_budget)]
        max_events: Option<u64>,
        /// Every uncertain demand draw at its 10th, 50th or 90th percentile: low, central or
        /// high (default: drawn per replication).
        #[arg(long)]
        demand: Option<String>,
        /// Judge only shard I of N of the projects (e.g. 2/4); `portsim merge` joins them.
        #[arg(long)]
        shard: Option<String>,
    },
    /// Join the output directories of a sweep's shards (or of `projects --shard`) into one.
    Merge {
        /// Shard output directories.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the joined results.
        #[arg(long)]
        out: PathBuf,
        /// Skip the charts and report.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Validate scenario files (or built-in names) and sweep files without running them.
    Check {
        /// Scenario files, built-in names or sweep files.
        #[arg(required = true)]
        scenarios: Vec<String>,
    },
    /// (Re)build the charts and report.html of an output directory from its saved CSV and JSON.
    Report {
        /// An output directory of `run`, `compare`, `sweep`, `merge`, `capacity` or `projects`.
        dir: PathBuf,
    },
    /// List the built-in scenarios.
    Scenarios,
    /// Print a built-in scenario's TOML, to copy and edit.
    Show {
        /// Built-in scenario name.
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // With stderr closed too there is no one to tell; the exit code still says it.
            let _ = writeln!(io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Standard output that a closed pipe does not stop: `portsim run … | head -3` still finishes
/// the job — its files are what it is for — and exits as it would have; what the console would
/// have shown after the reader went away is dropped.
struct Console<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Console<W> {
    fn new(inner: W) -> Self {
        Console {
            inner,
            closed: false,
        }
    }

    /// `result`, with a broken pipe taken as the reader gone (and `ok` returned from then on).
    fn unless_closed<T>(&mut self, result: io::Result<T>, ok: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(ok)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Console<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let written = self.inner.write(buf);
        self.unless_closed(written, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.unless_closed(flushed, ())
    }
}

fn run(cli: Cli) -> Result<()> {
    let out = &mut Console::new(io::stdout().lock());
    match cli.command {
        Command::Run { scenario, args } => {
            let scenario = scenario.as_deref().unwrap_or("liaoning-2020");
            commands::run(scenario, &args.settings(), out).map(drop)
        }
        Command::Compare { scenarios, args } => {
            commands::compare(&scenarios, &args.settings(), out).map(drop)
        }
        Command::Sweep {
            file,
            shard,
            out: out_dir,
            threads,
            quiet,
            no_charts,
            max_events,
            format,
        } => {
            let request = SweepRequest {
                file,
                shard,
                out: out_dir,
                threads: threads.and_then(|t| t.0),
                quiet,
                no_charts,
                max_events,
                format: Some(format.into()),
            };
            commands::sweep(&request, out).map(drop)
        }
        Command::Capacity {
            scenario,
            terminal,
            criterion,
            reps,
            seed,
            year,
            steps,
            out: out_dir,
            threads,
            quiet,
            no_charts,
            max_events,
        } => {
            let request = CapacityRequest {
                scenario,
                terminal,
                criterion,
                reps,
                seed,
                year,
                steps,
                out: out_dir,
                threads: threads.and_then(|t| t.0),
                quiet,
                no_charts,
                max_events,
            };
            commands::capacity(&request, out).map(drop)
        }
        Command::Projects {
            scenario,
            years,
            reps,
            seed,
            out: out_dir,
            threads,
            quiet,
            max_events,
            demand,
            shard,
        } => {
            let request = ProjectsRequest {
                scenario,
                years,
                reps,
                seed,
                out: out_dir,
                threads: threads.and_then(|t| t.0),
                quiet,
                max_events,
                demand,
                shard,
            };
            commands::projects(&request, out).map(drop)
        }
        Command::Merge {
            dirs,
            out: to,
            no_charts,
        } => commands::merge(&dirs, &to, no_charts, out),
        Command::Check { scenarios } => {
            commands::check(&scenarios, out, &mut std::io::stderr().lock())
        }
        Command::Report { dir } => commands::report(&dir, out),
        Command::Scenarios => commands::scenarios(out),
        Command::Show { name } => commands::show(&name, out),
    }
}
