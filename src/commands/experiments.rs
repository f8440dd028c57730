//! The batch commands: sweeps and capacity searches.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{Progress, charts_and_report, out_dir, results_dir, say};
use crate::error::{Error, Result};
use crate::experiment::{
    CapacityOptions, Criterion, RunOptions, Scope, Shard, check_options, load_sweep, run_sweep,
};
use crate::report::format::Format;
use crate::report::output::{ScenarioManifest, render_capacity_csv, write_results};
use crate::report::table;
use crate::scenario;
use crate::sim::DEFAULT_MAX_EVENTS;

/// What `portsim sweep` is asked.
#[derive(Clone, Debug, Default)]
pub struct SweepRequest {
    /// The sweep file.
    pub file: String,
    /// Run only shard I of N, as `I/N`.
    pub shard: Option<String>,
    /// Output directory (default: `out/<sweep name>`).
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// No progress output.
    pub quiet: bool,
    /// Skip the charts and report.html.
    pub no_charts: bool,
    /// The most events one run may take (default [`DEFAULT_MAX_EVENTS`]).
    pub max_events: Option<u64>,
    /// The form of the point files and the assembled `kpis` (default Parquet).
    pub format: Option<Format>,
}

/// `portsim sweep`: runs (or resumes) a sweep's points; returns the output directory.
///
/// # Errors
/// [`Error::Scenario`] or [`Error::Usage`] for a bad sweep, shard or point (nothing is run).
pub fn sweep(req: &SweepRequest, out: &mut dyn Write) -> Result<PathBuf> {
    // Parse everything — the shard, the sweep file, every point's scenario — before running.
    let shard = req.shard.as_deref().map(Shard::parse).transpose()?;
    if req.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()));
    }
    let mut sweep = load_sweep(&req.file)?;
    sweep.max_events = req.max_events.unwrap_or(DEFAULT_MAX_EVENTS);
    if let Some(f) = req.format {
        sweep.format = f;
    }
    let out_dir = out_dir(req.out.clone(), PathBuf::from("out").join(&sweep.name))?;
    let label = match shard {
        Some(s) => format!("{} (shard {}/{})", sweep.name, s.index, s.count),
        None => sweep.name.clone(),
    };
    // Progress counts replications (so the rate reads as replications per second) and shows
    // the points done beside it.
    let per_point = sweep.replications as usize * sweep.years.len();
    let progress = std::sync::OnceLock::<Progress>::new();
    let status = run_sweep(&sweep, &out_dir, shard, req.threads, &|done, total| {
        let p = progress.get_or_init(|| Progress::new(total * per_point, &label, req.quiet));
        p.note(format!("{label}: {done}/{total} points"));
        p.set(done * per_point)
    })?;
    if let Some(p) = progress.get() {
        p.finish();
    }
    say(
        out,
        format_args!(
            "{label}: {} points in the design; ran {}, kept {} already done\n",
            status.points, status.ran, status.resumed
        ),
    )?;
    if status.complete {
        say(
            out,
            format_args!(
                "wrote {} ({})\n",
                out_dir.display(),
                assembled_files(&out_dir)
            ),
        )?;
        sensitivity_notes(&sweep.manifest(), out)?;
        charts_and_report(&out_dir, req.no_charts, out)?;
    } else if status.ran + status.resumed == 0 {
        // More shards than points: this one has none (merge takes its directory as it is).
        say(
            out,
            format_args!(
                "this shard holds none of the {} points (more shards than points): nothing to run; {} is marked as the shard, and `portsim merge` accepts it\n",
                status.points,
                out_dir.display()
            ),
        )?;
    } else {
        say(
            out,
            format_args!(
                "wrote {}/points; once every shard has run, join them with `portsim merge DIR... --out DIR`\n",
                out_dir.display()
            ),
        )?;
    }
    Ok(out_dir)
}

/// What a finished sweep says of its sensitivity indices: why it has none, or that a Saltelli
/// design's are rough.
pub(super) fn sensitivity_notes(
    manifest: &crate::experiment::SweepManifest,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    if let Some(why) = crate::experiment::sensitivity_skipped(manifest) {
        say(out, format_args!("no sensitivity.csv: {why}\n"))?;
    } else if manifest.design() == crate::experiment::SweepDesign::Saltelli {
        let base = manifest.points.len() / (manifest.parameters.len() + 2);
        if base < ROUGH_SOBOL_BELOW {
            say(
                out,
                format_args!(
                    "note: Sobol indices from {base} base samples are rough; read them with their intervals (an index above 1 or below 0 is the estimator's noise)\n"
                ),
            )?;
        }
    }
    Ok(())
}

/// Below this many base samples, a Saltelli sweep notes that its Sobol indices are rough.
const ROUGH_SOBOL_BELOW: usize = 64;

/// The assembled files of a finished sweep, as a list for the console.
pub(super) fn assembled_files(dir: &std::path::Path) -> String {
    let names: Vec<&str> = [
        "kpis.csv",
        "kpis.parquet",
        "summary.csv",
        "targets.csv",
        "summary.json",
        "sensitivity.csv",
    ]
    .into_iter()
    .filter(|n| dir.join(n).is_file())
    .collect();
    names.join(", ")
}

/// What `portsim capacity` is asked.
#[derive(Clone, Debug)]
pub struct CapacityRequest {
    /// A scenario file or built-in name.
    pub scenario: String,
    /// One terminal (`Port/Terminal`), `ALL` for the cluster, or every terminal (`None`).
    pub terminal: Option<String>,
    /// The criterion, e.g. `wait_ratio<=0.3` (default: the scenario's planning limits).
    pub criterion: Option<String>,
    /// Replications at every demand multiple.
    pub reps: u32,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Design year (default: the scenario's first).
    pub year: Option<u16>,
    /// Bisection steps per boundary.
    pub steps: u32,
    /// Output directory (default: `out/<scenario>-capacity`).
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// No progress output.
    pub quiet: bool,
    /// Skip the charts and report.html.
    pub no_charts: bool,
    /// The most events one run may take (default [`DEFAULT_MAX_EVENTS`]).
    pub max_events: Option<u64>,
}

/// `portsim capacity`: the largest demand multiple that still meets a criterion, per scope;
/// writes capacity.csv and capacity.json and returns the output directory.
///
/// # Errors
/// [`Error::Scenario`] or [`Error::Usage`] for bad input; others if a run or a write fails.
pub fn capacity(req: &CapacityRequest, out: &mut dyn Write) -> Result<PathBuf> {
    let (model, source) = scenario::load(&req.scenario)?;
    let criterion = req.criterion.as_deref().map(Criterion::parse).transpose()?;
    let year = req.year.unwrap_or(model.settings.years[0]);
    let mut check = RunOptions::defaults_for(&model);
    check.replications = req.reps;
    check.years = vec![year];
    check.threads = req.threads;
    check_options(&model, &check)?;
    crate::experiment::check_size(
        &crate::scenario::model_for_year(&model, year)?,
        year,
        req.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
    )?;
    let options = CapacityOptions {
        replications: req.reps,
        seed: req.seed.unwrap_or(model.settings.seed),
        year,
        threads: req.threads,
        scope: match req.terminal.as_deref() {
            None => Scope::EachTerminal,
            Some("ALL") => Scope::Cluster,
            Some(t) => Scope::Terminal(t.to_string()),
        },
        criterion,
        steps: req.steps,
        max_events: req.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
    };
    let out_dir = results_dir(
        req.out.clone(),
        PathBuf::from("out").join(format!("{}-capacity", model.name)),
        "capacity",
    )?;
    let live = !req.quiet && std::io::stderr().is_terminal();
    let plain = !req.quiet && !live;
    // The search does not know how many multiples it will need: a running count on a
    // terminal, a line per ten multiples otherwise (a log must show it is alive).
    // Progress is a courtesy: a closed stderr (`2>&1 | head`) must not stop the search.
    let results = crate::experiment::capacity(&model, &options, &|n| {
        if live {
            let _ = write!(std::io::stderr(), "\rcapacity: {n} demand multiples run");
        } else if plain && n % 10 == 0 {
            let _ = writeln!(std::io::stderr(), "capacity: {n} demand multiples run");
        }
    })?;
    if live {
        let _ = writeln!(std::io::stderr());
    }
    let csv_bytes = render_capacity_csv(&model.name, year, &results)?;
    let manifest = serde_json::json!({
        "manifest": {
            "portsim_version": env!("CARGO_PKG_VERSION"),
            "command": "capacity",
            "scenario": ScenarioManifest::new(&model, &source),
            "seed": options.seed,
            "replications": req.reps,
            "year": year,
            "steps": req.steps,
        },
        "capacity": results,
    });
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::Other(format!("cannot render capacity.json: {e}")))?;
    json.push(b'\n');
    write_results(
        &out_dir,
        &[("capacity.csv", csv_bytes), ("capacity.json", json)],
    )?;
    say(
        out,
        table::render_capacity(&model.name, year, req.reps, &results),
    )?;
    // The multiples are of the year's demand: say when that is the base year's.
    say(out, super::same_demand_note(&model, &[year]))?;
    say(
        out,
        format_args!(
            "wrote {} (capacity.csv, capacity.json)\n",
            out_dir.display()
        ),
    )?;
    charts_and_report(&out_dir, req.no_charts, out)?;
    Ok(out_dir)
}
