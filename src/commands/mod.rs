//! The commands of the `portsim` program, one call each, so that the binary only parses its
//! arguments, calls one of these and maps the error to an exit code — and every command can
//! be tested without it.
//!
//! Each command writes what it reports to `out` (the program's stdout) and shows progress on
//! stderr unless `quiet`. Results go to files under the output directory, written atomically.

mod experiments;
mod progress;
mod projects;
mod simple;

pub use experiments::{CapacityRequest, SweepRequest, capacity, sweep};
pub use progress::Progress;
pub use projects::{
    PROJECTS_COLUMNS, ProjectsRequest, parse_years, projects, render_projects_csv, years_in,
};
pub use simple::{check, merge, report, scenarios, show};

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::experiment::{RunOptions, check_options, run_scenario};
use crate::model::Model;
use crate::report::format::{Format, calls_table, kpis_table};
use crate::report::output::{
    Manifest, ScenarioManifest, render_kpis, render_series_csv, render_summary_csv,
    render_summary_json, write_results,
};
use crate::report::table;
use crate::report::targets::{self, TargetRow};
use crate::results::{ScenarioRuns, summarise, summarise_series};
use crate::scenario::{self, ScenarioSource};
use crate::sim::DEFAULT_MAX_EVENTS;

/// What `run` and `compare` share: how many runs, which seed and years, where to write.
#[derive(Clone, Debug, Default)]
pub struct RunSettings {
    /// Replications per design year (default: the (first) scenario's).
    pub reps: Option<u32>,
    /// Master seed (default: the (first) scenario's).
    pub seed: Option<u64>,
    /// Design years (default: the (first) scenario's).
    pub years: Option<Vec<u16>>,
    /// Output directory (default: `out/<scenario>`, or `out/compare-<A>-<B>…`).
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// No progress output.
    pub quiet: bool,
    /// Skip the charts and report.html.
    pub no_charts: bool,
    /// The most events one run may take (default [`DEFAULT_MAX_EVENTS`]).
    pub max_events: Option<u64>,
    /// Also write `calls.csv` (or `.parquet`), one row per call completed in the measured
    /// period.
    pub trace: bool,
    /// The form of `kpis` and `calls` (summary, targets and compare are always CSV).
    pub format: Format,
}

impl RunSettings {
    /// Run options: the model's defaults, overridden by what was given.
    pub fn options(&self, model: &Model) -> RunOptions {
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
        o.max_events = self.max_events.unwrap_or(DEFAULT_MAX_EVENTS);
        o.sim.record_calls = self.trace;
        o.sim.daily_series = true;
        o
    }

    /// The output directory, refused if it is a file or holds a sweep's or projects' results.
    fn out_dir(&self, default: PathBuf, command: &str) -> Result<PathBuf> {
        results_dir(self.out.clone(), default, command)
    }
}

/// [`out_dir`] for a command whose results replace what the folder held
/// ([`crate::report::output::write_results`]): refused, before anything runs, if the folder
/// holds a sweep's results, or — for any other command than `projects` — a `projects` run's,
/// which take long to make and are not this command's to remove.
fn results_dir(given: Option<PathBuf>, default: PathBuf, command: &str) -> Result<PathBuf> {
    let named = if given.is_some() {
        "--out"
    } else {
        "the output folder"
    };
    let d = out_dir(given, default)?;
    let other = if d.join("sweep.json").exists() {
        Some("a sweep's results (sweep.json)")
    } else if command != "projects" && d.join("projects.json").exists() {
        Some("the results of `portsim projects` (projects.json)")
    } else {
        None
    };
    match other {
        Some(what) => Err(Error::Usage(format!(
            "{named} {} holds {what}, which `{command}` would replace: choose another folder (--out), or remove it first",
            d.display()
        ))),
        None => Ok(d),
    }
}

/// `--out` or the default, refused (before anything runs) if it, or a folder it would be
/// made in, exists and is not a directory, or if nothing can be written where it would be.
fn out_dir(given: Option<PathBuf>, default: PathBuf) -> Result<PathBuf> {
    let d = given.unwrap_or(default);
    // (A dangling link is neither a folder nor nothing: it cannot be made a folder either.)
    let taken = |a: &Path| (a.exists() && !a.is_dir()) || (!a.exists() && a.is_symlink());
    if let Some(file) = d.ancestors().find(|a| taken(a)) {
        return Err(Error::Usage(if file == d {
            format!("--out {} exists and is not a directory", d.display())
        } else {
            format!(
                "--out {} cannot be made: {} is not a directory",
                d.display(),
                file.display()
            )
        }));
    }
    // The folder itself, or the nearest one it would be made in: a file written there and
    // removed at once tells now, not after every run, that the results could not be saved.
    let Some(existing) = d
        .ancestors()
        .find(|a| a.as_os_str().is_empty() || a.is_dir())
    else {
        return Ok(d);
    };
    let here = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    // Named by process and time, and another name tried if one is taken (a leftover, or a
    // process of the same id in another container sharing the folder).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    let mut last_error = None;
    for attempt in 0..8u32 {
        let probe = here.join(format!(
            ".portsim-write-test-{}-{nanos}-{attempt}",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
        {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                return Ok(d);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => {
                last_error = Some(e);
                break;
            }
        }
    }
    let e = last_error.map_or_else(String::new, |e| format!(" ({e})"));
    Err(Error::Usage(format!(
        "--out {} cannot be written: nothing can be created in {}{e}",
        d.display(),
        here.display()
    )))
}

/// Writes a line of the command's report.
fn say(out: &mut dyn Write, text: impl std::fmt::Display) -> Result<()> {
    write!(out, "{text}").map_err(|e| Error::io("cannot write to standard output", e))
}

/// `kpis.csv` or `kpis.parquet`.
fn kpis_file(format: Format, runs: &[&ScenarioRuns]) -> Result<(&'static str, Vec<u8>)> {
    Ok(match format {
        Format::Csv => ("kpis.csv", render_kpis(runs)?),
        Format::Parquet => (
            "kpis.parquet",
            format.render(&kpis_table(runs), "kpis.parquet")?,
        ),
    })
}

/// `calls.csv` or `calls.parquet`.
///
/// A call names its berth, terminal and port as the model of its own design year does
/// (projects add berths).
fn calls_file(format: Format, runs: &[(&Model, &ScenarioRuns)]) -> Result<(&'static str, Vec<u8>)> {
    let name = match format {
        Format::Csv => "calls.csv",
        Format::Parquet => "calls.parquet",
    };
    let mut year_models = Vec::with_capacity(runs.len());
    for (model, r) in runs {
        let models = r
            .years
            .iter()
            .map(|&y| scenario::model_for_year(model, y))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        year_models.push(models);
    }
    let all: Vec<(&[Model], &ScenarioRuns)> = year_models
        .iter()
        .zip(runs)
        .map(|(models, (_, r))| (models.as_slice(), *r))
        .collect();
    Ok((name, format.render(&calls_table(&all), name)?))
}

/// A note when design years after the base year see the base year's demand (no flow grows or
/// follows a demand path, no hub's cargo grows): a later year asked of such a scenario is not a
/// forecast.
fn same_demand_note(model: &crate::model::Model, years: &[u16]) -> String {
    let base = model.settings.base_year;
    let fixed = model
        .flows
        .iter()
        .all(|f| f.growth_per_yr == 0.0 && f.growth_draw.is_none() && f.path.is_none())
        && model
            .corridors
            .iter()
            .filter_map(|c| c.hub.as_ref())
            .all(|h| h.growth_per_yr == 0.0);
    let later: Vec<String> = years
        .iter()
        .filter(|&&y| y != base)
        .map(u16::to_string)
        .collect();
    if later.is_empty() || !fixed {
        return String::new();
    }
    let (plural, verb) = if later.len() == 1 {
        ("", "s")
    } else {
        ("s", "")
    };
    format!(
        "note: {} sets no growth and no demand path, so design year{plural} {} see{verb} {base}'s demand\n",
        model.name,
        later.join(", ")
    )
}

/// A note when some of the scenario's goals are for design years this run leaves out: they
/// are not judged (nor counted in "targets: met of"), which a reader would otherwise not know.
fn goals_not_run_note(model: &Model, years: &[u16]) -> String {
    let left: Vec<u16> = model
        .targets
        .iter()
        .map(|t| t.year)
        .filter(|y| !years.contains(y))
        .collect();
    if left.is_empty() {
        return String::new();
    }
    let mut distinct = left.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let list: Vec<String> = distinct.iter().map(u16::to_string).collect();
    // The years to ask for to judge every goal: those run and those left out.
    let mut all: Vec<u16> = years
        .iter()
        .copied()
        .chain(distinct.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    let all: Vec<String> = all.iter().map(u16::to_string).collect();
    let goals = match left.len() {
        1 => "1 goal is".to_string(),
        n => format!("{n} goals are"),
    };
    let (years_word, them) = match (distinct.len(), left.len()) {
        (1, 1) => ("a design year", "it"),
        (1, _) => ("a design year", "them"),
        _ => ("design years", "them"),
    };
    format!(
        "note: {goals} for {years_word} not run ({}); --years {} judges {them} too\n",
        list.join(", "),
        all.join(",")
    )
}

/// `portsim run`: a scenario's design years as replications; writes kpis.csv, summary.csv,
/// summary.json, targets.csv, series.csv (and the charts and report.html); returns the output
/// directory.
///
/// # Errors
/// [`Error::Scenario`] or [`Error::Usage`] for bad input (nothing is written); others if a run
/// or a write fails.
pub fn run(scenario_arg: &str, settings: &RunSettings, out: &mut dyn Write) -> Result<PathBuf> {
    // Everything that can be wrong with the input is checked before the first replication.
    let (model, source) = scenario::load(scenario_arg)?;
    let options = settings.options(&model);
    check_options(&model, &options)?;
    let out_dir = settings.out_dir(PathBuf::from("out").join(&model.name), "run")?;

    let total = options.years.len() * options.replications as usize;
    let progress = Progress::new(total, &model.name, settings.quiet);
    let runs = run_scenario(&model, &options, &|done, _| progress.set(done))?;
    progress.finish();

    let rows = summarise(&runs);
    let manifest = manifest(
        "run",
        vec![ScenarioManifest::new(&model, &source)],
        &options,
    );
    let targets = targets::evaluate(&model, &rows, &[&runs]);
    let mut files = vec![
        kpis_file(settings.format, &[&runs])?,
        ("summary.csv", render_summary_csv(&rows)?),
        ("summary.json", render_summary_json(&manifest, &rows)?),
        ("targets.csv", targets::render_csv(&targets)?),
        ("series.csv", render_series_csv(&summarise_series(&runs))?),
    ];
    if settings.trace {
        files.push(calls_file(settings.format, &[(&model, &runs)])?);
    }
    write_results(&out_dir, &files)?;
    say(out, table::render(&model, &rows, &options.years))?;
    say(out, same_demand_note(&model, &options.years))?;
    say(out, targets_text(&targets, &rows))?;
    say(out, goals_not_run_note(&model, &options.years))?;
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    say(
        out,
        format_args!("wrote {} ({})\n", out_dir.display(), names.join(", ")),
    )?;
    charts_and_report(&out_dir, settings.no_charts, out)?;
    Ok(out_dir)
}

/// `portsim compare`: scenarios under common random numbers, with paired differences from
/// the first; returns the output directory.
///
/// # Errors
/// As [`run`].
pub fn compare(files: &[String], settings: &RunSettings, out: &mut dyn Write) -> Result<PathBuf> {
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
    let options = settings.options(&loaded[0].0);
    for (m, _) in &loaded {
        check_options(m, &options)?;
    }
    let out_dir = settings.out_dir(
        PathBuf::from("out").join(format!("compare-{}", names.join("-"))),
        "compare",
    )?;
    let per = options.years.len() * options.replications as usize;
    let progress = Progress::new(per * loaded.len(), "compare", settings.quiet);
    let mut all = Vec::new();
    for (i, (m, _)) in loaded.iter().enumerate() {
        all.push(run_scenario(m, &options, &|done, _| {
            progress.set(i * per + done)
        })?);
    }
    progress.finish();
    let rows: Vec<_> = all.iter().flat_map(summarise).collect();
    let diffs = crate::experiment::compare(&all);
    let every: Vec<&_> = all.iter().collect();
    let targets: Vec<_> = loaded
        .iter()
        .flat_map(|(m, _)| targets::evaluate(m, &rows, &every))
        .collect();
    let scenarios = loaded
        .iter()
        .map(|(m, s)| ScenarioManifest::new(m, s))
        .collect();
    let manifest = manifest("compare", scenarios, &options);
    let refs: Vec<&_> = all.iter().collect();
    let mut files = vec![
        kpis_file(settings.format, &refs)?,
        ("summary.csv", render_summary_csv(&rows)?),
        ("summary.json", render_summary_json(&manifest, &rows)?),
        (
            "compare.csv",
            crate::report::output::render_compare_csv(&diffs)?,
        ),
        ("targets.csv", targets::render_csv(&targets)?),
        (
            "series.csv",
            render_series_csv(&all.iter().flat_map(summarise_series).collect::<Vec<_>>())?,
        ),
    ];
    if settings.trace {
        let traced: Vec<(&Model, &_)> = loaded.iter().map(|(m, _)| m).zip(&all).collect();
        files.push(calls_file(settings.format, &traced)?);
    }
    write_results(&out_dir, &files)?;
    say(out, table::render_compare(&diffs, &options.years))?;
    for (m, _) in &loaded {
        say(out, same_demand_note(m, &options.years))?;
    }
    let written: Vec<&str> = files.iter().map(|f| f.0).collect();
    say(
        out,
        format_args!("wrote {} ({})\n", out_dir.display(), written.join(", ")),
    )?;
    charts_and_report(&out_dir, settings.no_charts, out)?;
    Ok(out_dir)
}

/// The manifest of a run or comparison: what it takes to rerun it exactly.
fn manifest(command: &str, scenarios: Vec<ScenarioManifest>, options: &RunOptions) -> Manifest {
    Manifest {
        portsim_version: env!("CARGO_PKG_VERSION"),
        command: command.into(),
        scenarios,
        seed: options.seed,
        replications: options.replications,
        years: options.years.clone(),
    }
}

/// Loads every scenario before anything runs, so a bad file fails fast.
fn load_all(args: &[String]) -> Result<Vec<(Model, ScenarioSource)>> {
    args.iter()
        .map(|a| scenario::load(a).map_err(Error::from))
        .collect()
}

/// Draws the charts and report.html from the files just written (unless `skip`), so what the
/// report shows is exactly what `portsim report DIR` would rebuild.
fn charts_and_report(dir: &Path, skip: bool, out: &mut dyn Write) -> Result<()> {
    if skip {
        return Ok(());
    }
    let charts = crate::report::html::write_report(dir)?;
    say(
        out,
        format_args!(
            "wrote {} (report.html, {} in charts/)\n",
            dir.display(),
            counted(charts.len(), "chart")
        ),
    )
}

/// `n` and a noun whose plural takes an `s`: "1 chart", "14 charts".
pub(crate) fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A value to four significant figures, whole numbers without decimals: 13368623, 0.09530.
fn four_figures(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

/// How many targets are met, which are missed, and which have no value (with where the
/// results do report the metric, if anywhere: the row the goal meant to name).
fn targets_text(targets: &[TargetRow], rows: &[crate::results::SummaryRow]) -> String {
    if targets.is_empty() {
        return String::new();
    }
    let met = targets.iter().filter(|t| t.met == "yes").count();
    let mut s = format!("targets: {met} of {} met\n", targets.len());
    for t in targets.iter().filter(|t| t.met == "no") {
        s += &format!(
            "  missed: {} {} {} {} {} {} {} (simulated {})\n",
            t.scenario,
            t.year,
            t.port,
            t.cargo,
            t.metric,
            t.bound.label(),
            t.target,
            four_figures(t.mean)
        );
    }
    // A goal with no value is neither met nor missed: its row is not in the results (a metric
    // that port, terminal or cargo does not report, such as a tank's stock-outs at a port with
    // no tanks), or no replication had anything to measure (a wait with no calls).
    for t in targets.iter().filter(|t| t.met == "n/a") {
        let why = if t.p_met.is_nan() {
            let found: Vec<String> = rows
                .iter()
                .filter(|r| r.scenario == t.scenario && r.year == t.year && r.metric == t.metric)
                .map(|r| format!("{} {}", r.port, r.cargo))
                .collect();
            match found.len() {
                0 => format!("no row of the results has `{}`", t.metric),
                n => format!(
                    "the results have no such row; `{}` is on {}{}",
                    t.metric,
                    found[..n.min(3)].join(", "),
                    if n > 3 {
                        format!(" and {} more", n - 3)
                    } else {
                        String::new()
                    }
                ),
            }
        } else {
            "undefined in every replication (nothing to measure)".to_string()
        };
        s += &format!(
            "  not known: {} {} {} {} {} — {why}\n",
            t.scenario, t.year, t.port, t.cargo, t.metric
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::targets_text;
    use crate::model::Bound;
    use crate::report::targets::TargetRow;
    use crate::results::SummaryRow;

    fn goal(metric: &str, p_met: f64) -> TargetRow {
        TargetRow {
            scenario: "s".into(),
            year: 2020,
            port: "P".into(),
            cargo: "coal".into(),
            metric: metric.into(),
            bound: Bound::AtMost,
            target: 1.0,
            mean: f64::NAN,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            met: "n/a",
            source: String::new(),
            p_met,
            verdict: "n/a",
            p_met_ci95: (f64::NAN, f64::NAN),
        }
    }

    fn row(port: &str, metric: &str) -> SummaryRow {
        SummaryRow {
            scenario: "s".into(),
            year: 2020,
            port: port.into(),
            cargo: "ALL".into(),
            metric: metric.into(),
            mean: 0.5,
            ci95_low: 0.4,
            ci95_high: 0.6,
            n: 2,
        }
    }

    #[test]
    fn a_goal_with_no_value_says_why() {
        // Reported by replications but undefined in all of them (p_met 0, not NaN).
        let text = targets_text(&[goal("wait_h_mean", 0.0)], &[]);
        assert!(
            text.ends_with("— undefined in every replication (nothing to measure)\n"),
            "{text}"
        );
        // No such row; the metric on five others: three named, then how many more.
        let rows: Vec<SummaryRow> = ["A", "B", "C", "D", "E"]
            .into_iter()
            .map(|p| row(p, "berth_occupancy"))
            .collect();
        let text = targets_text(&[goal("berth_occupancy", f64::NAN)], &rows);
        assert!(
            text.ends_with("`berth_occupancy` is on A ALL, B ALL, C ALL and 2 more\n"),
            "{text}"
        );
        let text = targets_text(&[goal("stockout_h", f64::NAN)], &rows);
        assert!(
            text.ends_with("no row of the results has `stockout_h`\n"),
            "{text}"
        );
    }
}
