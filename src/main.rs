//! The `portsim` command line: parse arguments, call the library, pick the exit code.
//!
//! Exit codes: 0 success; 2 invalid input (a scenario error with file:line:column, or a bad
//! argument); 1 anything else.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use portsim::experiment::{RunOptions, check_options, run_scenario};
use portsim::report::output::{
    Manifest, ScenarioManifest, render_kpis, render_summary_csv, render_summary_json,
};
use portsim::report::{table, write_atomically};
use portsim::results::summarise;
use portsim::scenario::{self, builtin};
use portsim::{Error, Result};

/// A discrete-event simulator of port-cluster throughput (the six Liaoning coastal ports).
#[derive(Parser, Debug)]
#[command(name = "portsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `run` and `compare` share: how many runs, which seed and years, where to write.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Replications per design year (default: the (first) scenario's).
    #[arg(long)]
    reps: Option<u32>,
    /// Master seed (default: the (first) scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Design years, comma-separated, e.g. 2020,2025 (default: the (first) scenario's).
    #[arg(long, value_delimiter = ',')]
    years: Option<Vec<u16>>,
    /// Output directory (default: out/<scenario>, or out/compare-<A>-<B>…).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress output.
    #[arg(long)]
    quiet: bool,
    /// Skip the charts and report.html.
    #[arg(long)]
    no_charts: bool,
}

impl RunArgs {
    /// Run options: the model's defaults, overridden by what was given.
    fn options(&self, model: &portsim::model::Model) -> RunOptions {
        let mut o = RunOptions::defaults_for(model);
        if let Some(r) = self.reps {
            o.replications = r;
        }
        if let Some(s) = self.seed {
            o.seed = s;
        }
        if let Some(y) = &self.years {
            o.years = y.clone();
        }
        o.threads = self.threads;
        o
    }

    /// The output directory, refused if it is a file.
    fn out_dir(&self, default: PathBuf) -> Result<PathBuf> {
        let d = self.out.clone().unwrap_or(default);
        if d.exists() && !d.is_dir() {
            return Err(Error::Usage(format!(
                "--out {} exists and is not a directory",
                d.display()
            )));
        }
        Ok(d)
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario's design years as replications and write kpis.csv, summary.csv, summary.json.
    Run {
        /// A scenario file or built-in name (default: liaoning-2020).
        scenario: Option<String>,
        #[command(flatten)]
        args: RunArgs,
    },
    /// Run scenarios with common random numbers and write paired differences from the first.
    Compare {
        /// Scenario files or built-in names; the first is the baseline.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<String>,
        #[command(flatten)]
        args: RunArgs,
    },
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
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
        /// Skip the charts and report.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Find the practical capacity: the largest demand multiple that still meets a criterion.
    Capacity {
        /// A scenario file or built-in name.
        scenario: String,
        /// One terminal (`Port/Terminal`), or `ALL` for the cluster (default: every terminal).
        #[arg(long)]
        terminal: Option<String>,
        /// The criterion, e.g. `wait_ratio<=0.3` (default: the scenario's planning limits on the
        /// wait ratio per cargo class).
        #[arg(long)]
        criterion: Option<String>,
        /// Replications at every demand multiple.
        #[arg(long, default_value_t = 10)]
        reps: u32,
        /// Master seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Design year (default: the scenario's first).
        #[arg(long)]
        year: Option<u16>,
        /// Bisection steps per boundary (precision: bracket / 2^steps).
        #[arg(long, default_value_t = 6)]
        steps: u32,
        /// Output directory (default: out/<scenario>-capacity).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
        /// Skip the charts and report.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Join the output directories of a sweep's shards into one.
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
    /// Validate scenario files (or built-in names) without running them.
    Check {
        /// Scenario files or built-in names.
        #[arg(required = true)]
        scenarios: Vec<String>,
    },
    /// (Re)build the charts and report.html of an output directory from its saved CSV and JSON.
    Report {
        /// An output directory of `run`, `compare`, `sweep` or `capacity`.
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
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run { scenario, args } => {
            cmd_run(scenario.as_deref().unwrap_or("liaoning-2020"), &args)
        }
        Command::Check { scenarios } => cmd_check(&scenarios),
        Command::Sweep {
            file,
            shard,
            out,
            threads,
            quiet,
            no_charts,
        } => cmd_sweep(&file, shard.as_deref(), out, threads, quiet, no_charts),
        Command::Capacity {
            scenario,
            terminal,
            criterion,
            reps,
            seed,
            year,
            steps,
            out,
            threads,
            quiet,
            no_charts,
        } => cmd_capacity(
            &scenario, terminal, criterion, reps, seed, year, steps, out, threads, quiet, no_charts,
        ),
        Command::Merge {
            dirs,
            out,
            no_charts,
        } => {
            let n = portsim::experiment::merge(&dirs, &out)?;
            println!(
                "merged {} directories: {n} points; wrote {} (kpis.csv, summary.csv, summary.json)",
                dirs.len(),
                out.display()
            );
            charts_and_report(&out, no_charts)
        }
        Command::Compare { scenarios, args } => cmd_compare(&scenarios, &args),
        Command::Report { dir } => {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{} is not a directory",
                    dir.display()
                )));
            }
            let charts = portsim::report::html::write_report(&dir)?;
            println!(
                "wrote {} (report.html, {} charts in charts/)",
                dir.display(),
                charts.len()
            );
            Ok(())
        }
        Command::Scenarios => {
            let width = builtin::ALL.iter().map(|b| b.name.len()).max().unwrap_or(0);
            for b in builtin::ALL {
                println!("{:width$}  {}", b.name, b.summary);
            }
            Ok(())
        }
        Command::Show { name } => match builtin::get(&name) {
            Some(b) => {
                print!("{}", b.toml);
                Ok(())
            }
            None => Err(Error::Usage(format!(
                "no built-in scenario `{name}`; built-ins: {}",
                builtin::names().join(", ")
            ))),
        },
    }
}

fn cmd_check(args: &[String]) -> Result<()> {
    let mut failed = Vec::new();
    for a in args {
        match scenario::load(a) {
            Ok((model, _)) => println!(
                "{a}: ok ({} ports, {} berths, {} flows)",
                model.ports.len(),
                model.berths.len(),
                model.flows.len()
            ),
            Err(e) => {
                eprintln!("error: {e}");
                failed.push(a.clone());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} of {} scenarios are invalid",
            failed.len(),
            args.len()
        )))
    }
}

/// Progress on stderr: a bar when stderr is a terminal, a plain line per 10 % otherwise,
/// nothing with `--quiet`.
struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    total: usize,
    label: String,
    last_decile: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(total: usize, label: &str, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} runs, {per_sec}, eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.set_message(label.to_string());
            b
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            label: label.to_string(),
            last_decile: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// `done` runs (or points) of `total` are finished; called from worker threads.
    fn set(&self, done: usize) {
        if let Some(b) = &self.bar {
            b.set_position(done as u64);
        } else if self.plain && self.total > 0 {
            let decile = done * 10 / self.total;
            let prev = self
                .last_decile
                .fetch_max(decile, std::sync::atomic::Ordering::Relaxed);
            if decile > prev {
                eprintln!("{}: {}% ({done}/{})", self.label, decile * 10, self.total);
            }
        }
    }

    /// Replaces the bar's label (terminal only).
    fn note(&self, message: String) {
        if let Some(b) = &self.bar {
            b.set_message(message);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Loads every scenario before anything runs, so a bad file fails fast.
fn load_all(args: &[String]) -> Result<Vec<(portsim::model::Model, scenario::ScenarioSource)>> {
    args.iter()
        .map(|a| scenario::load(a).map_err(Error::from))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn cmd_capacity(
    arg: &str,
    terminal: Option<String>,
    criterion: Option<String>,
    reps: u32,
    seed: Option<u64>,
    year: Option<u16>,
    steps: u32,
    out: Option<PathBuf>,
    threads: Option<usize>,
    quiet: bool,
    no_charts: bool,
) -> Result<()> {
    use portsim::experiment::{CapacityOptions, Criterion, Scope};
    let (model, source) = scenario::load(arg)?;
    let criterion = criterion.as_deref().map(Criterion::parse).transpose()?;
    let year = year.unwrap_or(model.settings.years[0]);
    let mut check = RunOptions::defaults_for(&model);
    check.replications = reps;
    check.years = vec![year];
    check.threads = threads;
    check_options(&model, &check)?;
    let options = CapacityOptions {
        replications: reps,
        seed: seed.unwrap_or(model.settings.seed),
        year,
        threads,
        scope: match terminal.as_deref() {
            None => Scope::EachTerminal,
            Some("ALL") => Scope::Cluster,
            Some(t) => Scope::Terminal(t.to_string()),
        },
        criterion,
        steps,
    };
    let out_dir =
        out.unwrap_or_else(|| PathBuf::from("out").join(format!("{}-capacity", model.name)));
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} exists and is not a directory",
            out_dir.display()
        )));
    }
    let live = !quiet && std::io::stderr().is_terminal();
    let results = portsim::experiment::capacity(&model, &options, &|n| {
        if live {
            eprint!("\rcapacity: {n} demand multiples run");
        }
    })?;
    if live {
        eprintln!();
    }
    let csv_bytes = portsim::report::output::render_capacity_csv(&model.name, year, &results)?;
    let manifest = serde_json::json!({
        "manifest": {
            "portsim_version": env!("CARGO_PKG_VERSION"),
            "command": "capacity",
            "scenario": ScenarioManifest::new(&model, &source),
            "seed": options.seed,
            "replications": reps,
            "year": year,
            "steps": steps,
        },
        "capacity": results,
    });
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::Other(format!("cannot render capacity.json: {e}")))?;
    json.push(b'\n');
    write_atomically(
        &out_dir,
        &[("capacity.csv", csv_bytes), ("capacity.json", json)],
    )?;
    println!(
        "{} — practical capacity, design year {year} ({reps} replications a multiple)",
        model.name
    );
    let width = results
        .iter()
        .map(|r| r.scope.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    println!(
        "{:width$}  {:>22}  {:>12}  {:>12}  criterion",
        "scope", "demand multiple (95%)", "Mt/yr", "M TEU/yr"
    );
    for r in &results {
        let teu = if r.capacity_teu_per_yr.is_finite() {
            format!("{:.2}", r.capacity_teu_per_yr / 1e6)
        } else {
            "–".into()
        };
        println!(
            "{:width$}  {:>22}  {:>12.1}  {:>12}  {}",
            r.scope,
            format!(
                "{:.2} [{:.2}, {:.2}]",
                r.multiple, r.multiple_low, r.multiple_high
            ),
            r.capacity_t_per_yr / 1e6,
            teu,
            r.criterion
        );
    }
    println!("wrote {} (capacity.csv, capacity.json)", out_dir.display());
    charts_and_report(&out_dir, no_charts)
}

fn cmd_sweep(
    file: &str,
    shard: Option<&str>,
    out: Option<PathBuf>,
    threads: Option<usize>,
    quiet: bool,
    no_charts: bool,
) -> Result<()> {
    // Parse everything — the shard, the sweep file, every point's scenario — before running.
    let shard = shard.map(portsim::experiment::Shard::parse).transpose()?;
    if threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()));
    }
    let sweep = portsim::experiment::load_sweep(file)?;
    let out_dir = out.unwrap_or_else(|| PathBuf::from("out").join(&sweep.name));
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} exists and is not a directory",
            out_dir.display()
        )));
    }
    let label = match shard {
        Some(s) => format!("{} (shard {}/{})", sweep.name, s.index, s.count),
        None => sweep.name.clone(),
    };
    // Progress counts replications (so the rate reads as replications per second) and shows
    // the points done beside it.
    let per_point = sweep.replications as usize * sweep.years.len();
    let progress = std::sync::OnceLock::<Progress>::new();
    let status =
        portsim::experiment::run_sweep(&sweep, &out_dir, shard, threads, &|done, total| {
            let p = progress.get_or_init(|| Progress::new(total * per_point, &label, quiet));
            p.note(format!("{label}: {done}/{total} points"));
            p.set(done * per_point)
        })?;
    if let Some(p) = progress.get() {
        p.finish();
    }
    println!(
        "{label}: {} points in the grid; ran {}, kept {} already done",
        status.points, status.ran, status.resumed
    );
    if status.complete {
        println!(
            "wrote {} (kpis.csv, summary.csv, summary.json)",
            out_dir.display()
        );
        charts_and_report(&out_dir, no_charts)?;
    } else {
        println!(
            "wrote {}/points; once every shard has run, join them with `portsim merge DIR... --out DIR`",
            out_dir.display()
        );
    }
    Ok(())
}

fn cmd_compare(files: &[String], args: &RunArgs) -> Result<()> {
    let mut loaded = load_all(files)?;
    // The same scenario twice (e.g. two copies of one file) is allowed: later ones are told
    // apart in the outputs as `name#2`, `name#3`…
    for i in 1..loaded.len() {
        let name = loaded[i].0.name.clone();
        let same = loaded[..i]
            .iter()
            .filter(|(m, _)| m.name == name || m.name.starts_with(&format!("{name}#")))
            .count();
        if same > 0 {
            loaded[i].0.name = format!("{name}#{}", same + 1);
        }
    }
    let names: Vec<String> = loaded
        .iter()
        .map(|(m, _)| m.name.replace('#', "_"))
        .collect();
    let options = args.options(&loaded[0].0);
    for (m, _) in &loaded {
        check_options(m, &options)?;
    }
    let out_dir =
        args.out_dir(PathBuf::from("out").join(format!("compare-{}", names.join("-"))))?;
    let per = options.years.len() * options.replications as usize;
    let progress = Progress::new(per * loaded.len(), "compare", args.quiet);
    let mut all = Vec::new();
    for (i, (m, _)) in loaded.iter().enumerate() {
        all.push(run_scenario(m, &options, &|done, _| {
            progress.set(i * per + done)
        })?);
    }
    progress.finish();
    let rows: Vec<_> = all.iter().flat_map(summarise).collect();
    let diffs = portsim::experiment::compare(&all);
    let targets: Vec<_> = loaded
        .iter()
        .flat_map(|(m, _)| portsim::report::targets::evaluate(m, &rows))
        .collect();
    let manifest = Manifest {
        portsim_version: env!("CARGO_PKG_VERSION"),
        command: "compare".into(),
        scenarios: loaded
            .iter()
            .map(|(m, s)| ScenarioManifest::new(m, s))
            .collect(),
        seed: options.seed,
        replications: options.replications,
        years: options.years.clone(),
    };
    let refs: Vec<&_> = all.iter().collect();
    let files = [
        ("kpis.csv", render_kpis(&refs)?),
        ("summary.csv", render_summary_csv(&rows)?),
        ("summary.json", render_summary_json(&manifest, &rows)?),
        (
            "compare.csv",
            portsim::report::output::render_compare_csv(&diffs)?,
        ),
        (
            "targets.csv",
            portsim::report::targets::render_csv(&targets)?,
        ),
    ];
    write_atomically(&out_dir, &files)?;
    print!("{}", table::render_compare(&diffs, &options.years));
    println!(
        "wrote {} (kpis.csv, summary.csv, summary.json, compare.csv, targets.csv)",
        out_dir.display()
    );
    charts_and_report(&out_dir, args.no_charts)
}

fn cmd_run(arg: &str, args: &RunArgs) -> Result<()> {
    // Everything that can be wrong with the input is checked before the first replication.
    let (model, source) = scenario::load(arg)?;
    let options = args.options(&model);
    check_options(&model, &options)?;
    let out_dir = args.out_dir(PathBuf::from("out").join(&model.name))?;

    let total = options.years.len() * options.replications as usize;
    let progress = Progress::new(total, &model.name, args.quiet);
    let runs = run_scenario(&model, &options, &|done, _| progress.set(done))?;
    progress.finish();

    let rows = summarise(&runs);
    let manifest = Manifest {
        portsim_version: env!("CARGO_PKG_VERSION"),
        command: "run".into(),
        scenarios: vec![ScenarioManifest::new(&model, &source)],
        seed: options.seed,
        replications: options.replications,
        years: options.years.clone(),
    };
    let targets = portsim::report::targets::evaluate(&model, &rows);
    let files = [
        ("kpis.csv", render_kpis(&[&runs])?),
        ("summary.csv", render_summary_csv(&rows)?),
        ("summary.json", render_summary_json(&manifest, &rows)?),
        (
            "targets.csv",
            portsim::report::targets::render_csv(&targets)?,
        ),
    ];
    write_atomically(&out_dir, &files)?;
    print!("{}", table::render(&model, &rows, &options.years));
    print_targets(&targets);
    println!(
        "wrote {} (kpis.csv, summary.csv, summary.json, targets.csv)",
        out_dir.display()
    );
    charts_and_report(&out_dir, args.no_charts)
}

/// Draws the charts and report.html from the files just written (unless `--no-charts`), so
/// what the report shows is exactly what `portsim report DIR` would rebuild.
fn charts_and_report(dir: &std::path::Path, skip: bool) -> Result<()> {
    if skip {
        return Ok(());
    }
    let charts = portsim::report::html::write_report(dir)?;
    println!(
        "wrote {} (report.html, {} charts in charts/)",
        dir.display(),
        charts.len()
    );
    Ok(())
}

/// How many targets are met, and which are missed.
fn print_targets(targets: &[portsim::report::targets::TargetRow]) {
    if targets.is_empty() {
        return;
    }
    let met = targets.iter().filter(|t| t.met == "yes").count();
    println!("targets: {met} of {} met", targets.len());
    for t in targets.iter().filter(|t| t.met == "no") {
        println!(
            "  missed: {} {} {} {} {} {} {} (simulated {:.4})",
            t.scenario, t.year, t.port, t.cargo, t.metric, t.bound, t.target, t.mean
        );
    }
}
