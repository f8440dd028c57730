//! The commands that run no simulation: check, merge, report, scenarios, show.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{charts_and_report, say};
use crate::error::{Error, Result};
use crate::scenario::{self, builtin};

/// `portsim check`: validates each scenario, and the size of a run of each of its design years
/// against the default event budget (what `run` would refuse, `check` refuses); a sweep file as
/// `sweep` would before running it. Reports `ok` on `out` or every problem on `err`.
///
/// # Errors
/// With one file, that file's own error; with several, [`Error::Usage`] naming how many
/// scenarios (or sweeps) are invalid, each one's error written to `err` first.
pub fn check(files: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let (mut failed, mut sweeps) = (0, 0);
    for a in files {
        if is_sweep_file(a) {
            sweeps += 1;
            // What `sweep` checks before it runs: every point's scenario, then every run's
            // size against the budget.
            let checked = crate::experiment::load_sweep(a).and_then(|sweep| {
                let points: Vec<_> = sweep.points.iter().collect();
                sweep.check_sizes(&points, None)?;
                Ok(sweep)
            });
            match checked {
                Ok(sweep) => say(out, format_args!("{a}: ok ({})\n", sweep_size(&sweep)))?,
                // One file: its own error is the message (no summary line after it).
                Err(e) if files.len() == 1 => return Err(e),
                Err(e) => {
                    failed += 1;
                    writeln!(err, "error: {e}")
                        .map_err(|e| Error::io("cannot write to standard error", e))?;
                }
            }
            continue;
        }
        match scenario::load(a).map_err(Error::from).and_then(|(m, _)| {
            let events = largest_run(&m)?;
            Ok((m, events))
        }) {
            Ok((model, events)) => say(
                out,
                format_args!(
                    "{a}: ok ({}, {}, {}{}), a run ≈ {events:.1e} events\n",
                    super::counted(model.ports.len(), "port"),
                    super::counted(model.berths.len(), "berth"),
                    super::counted(model.flows.len(), "flow"),
                    with_projects(&model)?
                ),
            )?,
            Err(e) if files.len() == 1 => return Err(e),
            Err(e) => {
                failed += 1;
                writeln!(err, "error: {e}")
                    .map_err(|e| Error::io("cannot write to standard error", e))?;
            }
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        let what = match sweeps {
            0 => "scenario",
            n if n == files.len() => "sweep",
            _ => "input",
        };
        let verb = if failed == 1 { "is" } else { "are" };
        Err(Error::Usage(format!(
            "{failed} of {} {what}s {verb} invalid",
            files.len()
        )))
    }
}

/// "; P projects: N berths in Y" for a scenario that includes projects (the counts before it
/// are the base year's), Y the last year a project enters service (a `ramp_years` edit may
/// still be adding berths then), or nothing.
fn with_projects(model: &crate::model::Model) -> Result<String> {
    let Some(projects) = model.projects.as_ref().filter(|p| !p.included.is_empty()) else {
        return Ok(String::new());
    };
    let last = projects.included.iter().map(|(_, y)| *y).max().unwrap_or(0);
    let built = crate::scenario::model_for_year(model, last)?;
    Ok(format!(
        "; {}: {} in {last}",
        super::counted(projects.included.len(), "project"),
        super::counted(built.berths.len(), "berth")
    ))
}

/// Whether `arg` is a sweep file: a file whose top level names a base `scenario` (a key no
/// scenario has). One that does not parse as TOML is a sweep file if a line sets `scenario`
/// before any table header; the sweep's reading then reports the syntax error.
fn is_sweep_file(arg: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(arg) else {
        return false;
    };
    match text.parse::<toml::Table>() {
        Ok(t) => t.contains_key("scenario"),
        Err(_) => text
            .lines()
            .map(str::trim_start)
            .take_while(|l| !l.starts_with('['))
            .any(|l| {
                l.strip_prefix("scenario")
                    .is_some_and(|r| r.trim_start().starts_with('='))
            }),
    }
}

/// What a valid sweep would run: "a sweep of 12 points × 2 replications of 1 design year on
/// liaoning-2020, 24 runs".
fn sweep_size(sweep: &crate::experiment::Sweep) -> String {
    let (points, reps, years) = (
        sweep.points.len(),
        sweep.replications as usize,
        sweep.years.len(),
    );
    format!(
        "a sweep of {} × {} of {} on {}, {}",
        super::counted(points, "point"),
        super::counted(reps, "replication"),
        super::counted(years, "design year"),
        sweep.base_model.name,
        super::counted(points * reps * years, "run")
    )
}

/// The estimated events of the largest run of the scenario's design years, each checked
/// against the default budget.
fn largest_run(model: &crate::model::Model) -> Result<f64> {
    let mut largest: f64 = 0.0;
    for &y in &model.settings.years {
        let m = scenario::model_for_year(model, y)?;
        crate::experiment::check_size(&m, y, crate::sim::DEFAULT_MAX_EVENTS)?;
        largest = largest.max(crate::sim::estimate(&m, y).events);
    }
    Ok(largest)
}

/// `portsim merge`: joins the output directories of a sweep's shards.
///
/// # Errors
/// [`Error::Usage`] for directories of different sweeps or missing points.
pub fn merge(dirs: &[PathBuf], to: &Path, no_charts: bool, out: &mut dyn Write) -> Result<()> {
    // A folder that cannot be written, or one of the shards, is refused before the shards are
    // read (minutes, for a large sweep).
    crate::experiment::refuse_merging_into_a_source(dirs, to)?;
    // The same shard named twice (as itself, or by another path to it) would read as a
    // missing shard; say what it is.
    // (A directory that does not exist is left to the merge to name.)
    let real: Vec<Option<PathBuf>> = dirs.iter().map(|d| std::fs::canonicalize(d).ok()).collect();
    for (i, a) in real.iter().enumerate() {
        let Some(a) = a else { continue };
        if let Some(j) = real[..i].iter().position(|b| b.as_ref() == Some(a)) {
            return Err(Error::Usage(format!(
                "{} is given twice (as {} and {}): give each shard's directory once",
                a.display(),
                dirs[j].display(),
                dirs[i].display()
            )));
        }
    }
    super::out_dir(Some(to.to_path_buf()), PathBuf::new())?;
    if dirs
        .first()
        .is_some_and(|d| super::projects::is_projects_dir(d))
    {
        return super::projects::merge_projects(dirs, to, no_charts, out);
    }
    let n = crate::experiment::merge(dirs, to)?;
    say(
        out,
        format_args!(
            "merged {} directories: {n} points; wrote {} ({})\n",
            dirs.len(),
            to.display(),
            super::experiments::assembled_files(to)
        ),
    )?;
    // The merged sweep's manifest, for what it says of its indices.
    if let Some(manifest) = std::fs::read(to.join("summary.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<crate::experiment::SweepManifest>(&b).ok())
    {
        super::experiments::sensitivity_notes(&manifest, out)?;
    }
    charts_and_report(to, no_charts, out)
}

/// `portsim report`: rebuilds the charts and report.html of a results directory.
///
/// # Errors
/// [`Error::Usage`] if `dir` is not a directory; others if it holds no results.
pub fn report(dir: &Path, out: &mut dyn Write) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    charts_and_report(dir, false, out)
}

/// `portsim scenarios`: the built-in scenarios, a line each.
///
/// # Errors
/// Only if `out` cannot be written.
pub fn scenarios(out: &mut dyn Write) -> Result<()> {
    let width = builtin::ALL.iter().map(|b| b.name.len()).max().unwrap_or(0);
    for b in builtin::ALL {
        say(out, format_args!("{:width$}  {}\n", b.name, b.summary))?;
    }
    Ok(())
}

/// `portsim show`: a built-in scenario's TOML (by its name, or as `builtin:NAME`, the form
/// that reads the built-in where a file of its name exists).
///
/// # Errors
/// [`Error::Usage`] for an unknown name.
pub fn show(name: &str, out: &mut dyn Write) -> Result<()> {
    let plain = name.strip_prefix("builtin:").unwrap_or(name);
    match builtin::get(plain) {
        Some(b) => say(out, b.toml),
        None => Err(Error::Usage(format!(
            "no built-in scenario `{plain}`{} (built-ins: {}; see `portsim scenarios`)",
            crate::scenario::nearest_key(plain, &builtin::names()),
            builtin::names().join(", ")
        ))),
    }
}
