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
use portsim::report::{summarise, table, write_atomically};
use portsim::scenario::{self, builtin};
use portsim::{Error, Result};

/// A discrete-event simulator of port-cluster throughput (the six Liaoning coastal ports).
#[derive(Parser, Debug)]
#[command(name = "portsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario's design years as replications and write kpis.csv, summary.csv, summary.json.
    Run {
        /// A scenario file or built-in name (default: liaoning-2020).
        scenario: Option<String>,
        /// Replications per design year (default: the scenario's).
        #[arg(long)]
        reps: Option<u32>,
        /// Master seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Design years, comma-separated, e.g. 2020,2025 (default: the scenario's).
        #[arg(long, value_delimiter = ',')]
        years: Option<Vec<u16>>,
        /// Output directory (default: out/<scenario>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Validate scenario files (or built-in names) without running them.
    Check {
        /// Scenario files or built-in names.
        #[arg(required = true)]
        scenarios: Vec<String>,
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
        Command::Run {
            scenario,
            reps,
            seed,
            years,
            out,
            threads,
            quiet,
        } => cmd_run(
            scenario.as_deref().unwrap_or("liaoning-2020"),
            reps,
            seed,
            years,
            out,
            threads,
            quiet,
        ),
        Command::Check { scenarios } => cmd_check(&scenarios),
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

fn cmd_run(
    arg: &str,
    reps: Option<u32>,
    seed: Option<u64>,
    years: Option<Vec<u16>>,
    out: Option<PathBuf>,
    threads: Option<usize>,
    quiet: bool,
) -> Result<()> {
    // Everything that can be wrong with the input is checked before the first replication.
    let (model, source) = scenario::load(arg)?;
    let mut options = RunOptions::defaults_for(&model);
    if let Some(r) = reps {
        options.replications = r;
    }
    if let Some(s) = seed {
        options.seed = s;
    }
    if let Some(y) = years {
        options.years = y;
    }
    options.threads = threads;
    check_options(&model, &options)?;
    let out_dir = out.unwrap_or_else(|| PathBuf::from("out").join(&model.name));
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} exists and is not a directory",
            out_dir.display()
        )));
    }

    let total = options.years.len() * options.replications as usize;
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(total as u64);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} runs, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(model.name.clone());
        b
    });
    let progress = |done: usize, _total: usize| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    };
    let runs = run_scenario(&model, &options, &progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }

    let rows = summarise(&runs);
    let manifest = Manifest {
        portsim_version: env!("CARGO_PKG_VERSION"),
        command: "run".into(),
        scenarios: vec![ScenarioManifest::new(&model, &source)],
        seed: options.seed,
        replications: options.replications,
        years: options.years.clone(),
    };
    let files = [
        ("kpis.csv", render_kpis(&[&runs])?),
        ("summary.csv", render_summary_csv(&rows)?),
        ("summary.json", render_summary_json(&manifest, &rows)?),
    ];
    write_atomically(&out_dir, &files)?;
    print!("{}", table::render(&model, &rows, &options.years));
    println!(
        "wrote {} (kpis.csv, summary.csv, summary.json)",
        out_dir.display()
    );
    Ok(())
}
