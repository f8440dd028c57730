//! The output files of a run, rendered to bytes and written atomically.
//!
//! # Format
//!
//! - `kpis.csv`: `scenario,replication,year,port,cargo,metric,value` — one row per KPI of each
//!   run. `port` is a port name, `Port/Terminal` for terminal rows, or `ALL`; `cargo` a cargo
//!   class name or `ALL`. Undefined values (a mean over no calls) are empty cells.
//! - `summary.csv`: `scenario,year,port,cargo,metric,mean,ci95_low,ci95_high,n` — mean and
//!   two-sided 95 % Student-t interval over the replications.
//! - `summary.json`: `{ "manifest": {…}, "summary": [rows as in summary.csv] }`; the manifest
//!   holds portsim's version, the scenario's text and SHA-256, the seed and run settings —
//!   enough to rerun exactly. It records nothing that varies between identical runs (no
//!   timestamps, no thread count).
//!
//! Rendering is pure (bytes in memory); [`write_atomically`] writes every file to a temporary
//! name in the output directory and renames them only when all are written.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::results::SummaryRow;
use crate::results::{CapacityResult, CompareRow, ScenarioRuns};
use crate::scenario::ScenarioSource;

/// Renders `kpis.csv` for one or more scenarios: [`kpis_table`](super::format::kpis_table) as
/// CSV, so that `kpis.csv` and `kpis.parquet` hold the same rows by construction.
pub fn render_kpis(all: &[&ScenarioRuns]) -> Result<Vec<u8>> {
    super::format::render_csv(&super::format::kpis_table(all), true)
}

/// Renders the rows of `summary.csv` without a header, each led by `prefix`.
pub fn render_summary_rows(prefix: &[String], rows: &[SummaryRow]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render the summary: {e}"));
    for r in rows {
        let mut rec: Vec<String> = prefix.to_vec();
        rec.extend([
            r.scenario.clone(),
            r.year.to_string(),
            r.port.clone(),
            r.cargo.clone(),
            r.metric.clone(),
            fmt_num(r.mean),
            fmt_num(r.ci95_low),
            fmt_num(r.ci95_high),
            r.n.to_string(),
        ]);
        w.write_record(&rec).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render the summary: {e}")))
}

/// Renders `summary.csv`.
pub fn render_summary_csv(rows: &[SummaryRow]) -> Result<Vec<u8>> {
    let mut out = b"scenario,year,port,cargo,metric,mean,ci95_low,ci95_high,n\n".to_vec();
    out.extend(render_summary_rows(&[], rows)?);
    Ok(out)
}

/// Renders `compare.csv`: `scenario,baseline,year,port,cargo,metric,mean,diff_mean,
/// diff_ci95_low,diff_ci95_high,n`.
pub fn render_compare_csv(rows: &[CompareRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render compare.csv: {e}"));
    w.write_record([
        "scenario",
        "baseline",
        "year",
        "port",
        "cargo",
        "metric",
        "mean",
        "diff_mean",
        "diff_ci95_low",
        "diff_ci95_high",
        "n",
    ])
    .map_err(err)?;
    for r in rows {
        w.write_record([
            r.scenario.as_str(),
            &r.baseline,
            &r.year.to_string(),
            &r.port,
            &r.cargo,
            &r.metric,
            &fmt_num(r.mean),
            &fmt_num(r.diff_mean),
            &fmt_num(r.diff_ci95_low),
            &fmt_num(r.diff_ci95_high),
            &r.n.to_string(),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render compare.csv: {e}")))
}

/// The columns of `series.csv`.
pub const SERIES_COLUMNS: [&str; 10] = [
    "scenario",
    "year",
    "port",
    "cargo",
    "series",
    "day",
    "mean",
    "ci95_low",
    "ci95_high",
    "n",
];

/// Renders `series.csv`: the busiest places' daily series, each day's mean over the
/// replications ([`SERIES_COLUMNS`]).
pub fn render_series_csv(rows: &[crate::results::SeriesRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render series.csv: {e}"));
    w.write_record(SERIES_COLUMNS).map_err(err)?;
    for r in rows {
        w.write_record([
            r.scenario.as_str(),
            &r.year.to_string(),
            &r.port,
            &r.cargo,
            r.series,
            &r.day.to_string(),
            &fmt_num(r.estimate.mean),
            &fmt_num(r.estimate.ci95_low),
            &fmt_num(r.estimate.ci95_high),
            &r.estimate.n.to_string(),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render series.csv: {e}")))
}

/// Renders `capacity.csv`: `scenario,year,scope,criterion,binding,multiple,multiple_low,
/// multiple_high,base_t_per_yr,base_teu_per_yr,capacity_t_per_yr,capacity_teu_per_yr,note`.
pub fn render_capacity_csv(
    scenario: &str,
    year: u16,
    results: &[CapacityResult],
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render capacity.csv: {e}"));
    w.write_record([
        "scenario",
        "year",
        "scope",
        "criterion",
        "binding",
        "multiple",
        "multiple_low",
        "multiple_high",
        "base_t_per_yr",
        "base_teu_per_yr",
        "capacity_t_per_yr",
        "capacity_teu_per_yr",
        "note",
    ])
    .map_err(err)?;
    for r in results {
        w.write_record([
            scenario.to_string(),
            year.to_string(),
            r.scope.clone(),
            r.criterion.clone(),
            r.binding.clone(),
            fmt_num(r.multiple),
            fmt_num(r.multiple_low),
            fmt_num(r.multiple_high),
            fmt_num(r.base_t_per_yr),
            fmt_num(r.base_teu_per_yr),
            fmt_num(r.capacity_t_per_yr),
            fmt_num(r.capacity_teu_per_yr),
            r.note.clone(),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render capacity.csv: {e}")))
}

/// Renames each temporary file over its target, keeping the old targets aside until all are
/// in place; if any rename fails, the old files are put back and the new ones removed, so the
/// set is replaced whole or not at all.
fn replace_all(temps: &[(PathBuf, PathBuf)]) -> std::result::Result<(), (PathBuf, std::io::Error)> {
    let backup = |target: &Path| {
        let name = target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        target.with_file_name(format!(".{name}.old-{}", std::process::id()))
    };
    // (target, its backup if it had an old version)
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let undo = |done: &[(&Path, Option<PathBuf>)]| {
        for (target, old) in done.iter().rev() {
            match old {
                Some(b) => {
                    let _ = std::fs::rename(b, target);
                }
                None => {
                    let _ = std::fs::remove_file(target);
                }
            }
        }
    };
    for (temp, target) in temps {
        let old = if target.exists() {
            let b = backup(target);
            if let Err(e) = std::fs::rename(target, &b) {
                undo(&done);
                return Err((target.clone(), e));
            }
            Some(b)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(temp, target) {
            if let Some(b) = &old {
                let _ = std::fs::rename(b, target);
            }
            undo(&done);
            return Err((target.clone(), e));
        }
        done.push((target, old));
    }
    for (_, old) in done {
        if let Some(b) = old {
            let _ = std::fs::remove_file(b);
        }
    }
    Ok(())
}

/// Numbers as Rust prints them: the shortest text that reads back to the same `f64`. An
/// undefined value (a mean over no calls, an interval of one replication) is an empty cell,
/// which pandas, Polars, R and DuckDB all read as missing.
pub(crate) fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        x.to_string()
    }
}

/// What a run needs to be repeated exactly.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// portsim's version.
    pub portsim_version: &'static str,
    /// The command that produced the outputs (`run`).
    pub command: String,
    /// Each scenario as resolved.
    pub scenarios: Vec<ScenarioManifest>,
    /// Master seed.
    pub seed: u64,
    /// Replications per design year.
    pub replications: u32,
    /// Design years.
    pub years: Vec<u16>,
}

/// One scenario in a manifest.
#[derive(Debug, Serialize)]
pub struct ScenarioManifest {
    /// Scenario name.
    pub name: String,
    /// The file as named, or `builtin:NAME`.
    pub file: String,
    /// SHA-256 of the TOML text, hex.
    pub sha256: String,
    /// The TOML text itself.
    pub toml: String,
    /// Warm-up, days.
    pub warmup_days: f64,
    /// Measured period, days.
    pub measured_days: f64,
}

impl ScenarioManifest {
    /// Describes a scenario source and its model's run settings.
    pub fn new(model: &crate::model::Model, source: &ScenarioSource) -> Self {
        ScenarioManifest {
            name: model.name.clone(),
            file: source.file.clone(),
            sha256: sha256_hex(source.text.as_bytes()),
            toml: source.text.clone(),
            warmup_days: model.settings.warmup_days,
            measured_days: model.settings.measured_days,
        }
    }
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    manifest: &'a Manifest,
    summary: &'a [SummaryRow],
}

/// Renders `summary.json`.
pub fn render_summary_json(manifest: &Manifest, rows: &[SummaryRow]) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(&SummaryJson {
        manifest,
        summary: rows,
    })
    .map_err(|e| Error::Other(format!("cannot render summary.json: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// Writes files into `dir` so that each either appears whole or not at all.
///
/// Every file is first written and synced under a hidden temporary name in `dir`; only when all
/// are written are they renamed into place. On failure the temporary files are removed.
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written.
pub fn write_atomically(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    write_atomically_with(dir, files, Vec::new())
}

/// The files a command may write at the top of its output folder (`charts/` aside). A
/// folder holds one command's results: writing a set removes the others an earlier command
/// left there, so that `report` never mixes them (a `compare.csv` beside a later `run`'s
/// summary, a trace not asked for again).
pub const RESULT_FILES: &[&str] = &[
    "kpis.csv",
    "kpis.parquet",
    "calls.csv",
    "calls.parquet",
    "summary.csv",
    "summary.json",
    "targets.csv",
    "compare.csv",
    "series.csv",
    "capacity.csv",
    "capacity.json",
    "projects.csv",
    "projects.json",
    "report.html",
];

/// The manifests of a command's results: a folder holding one holds portsim's results.
const MANIFESTS: &[&str] = &["summary.json", "capacity.json", "projects.json"];

/// The manifest of the results of a command other than a sweep that `dir` holds, if any
/// (`summary.json` counts only without a sweep's `sweep.json` beside it).
pub(crate) fn other_results_in(dir: &Path) -> Option<&'static str> {
    if dir.join("sweep.json").exists() {
        return None;
    }
    MANIFESTS.iter().copied().find(|m| dir.join(m).is_file())
}

/// The list, in `charts/`, of the charts portsim drew there: only those are ever removed.
pub(crate) const CHARTS_DRAWN: &str = ".portsim-charts";

/// Writes a command's result files with [`write_atomically`]. If the folder held an earlier
/// command's results (a manifest of them), the result files of that command that the set does
/// not replace are then removed, and in any case the charts portsim drew there (the report,
/// drawn after, draws its own). Nothing else is touched: a folder of the user's own keeps
/// every file that portsim did not write.
///
/// # Errors
/// As [`write_atomically`]; or a stale file that cannot be removed.
pub fn write_results(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    let held = MANIFESTS.iter().any(|m| dir.join(m).is_file());
    write_atomically(dir, files)?;
    remove_stale_temporaries(dir);
    if held {
        for name in RESULT_FILES {
            let path = dir.join(name);
            if !files.iter().any(|(n, _)| n == name) && path.is_file() {
                std::fs::remove_file(&path).map_err(|e| {
                    Error::io(format!("cannot remove the stale {}", path.display()), e)
                })?;
            }
        }
    }
    remove_charts_except(&dir.join("charts"), &[])
}

/// Removes what an earlier command killed while it wrote its results left in `dir`: the
/// hidden temporaries of portsim's own result files (`.NAME.tmp-PID`, `.NAME.old-PID`) of any
/// other process — so two commands must not write into one folder at once (which mixes their
/// results anyway). Best effort: one that cannot be removed is left.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id().to_string();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = RESULT_FILES.iter().any(|r| {
            [".tmp-", ".old-"].iter().any(|kind| {
                name.strip_prefix('.')
                    .and_then(|n| n.strip_prefix(*r))
                    .and_then(|n| n.strip_prefix(kind))
                    .is_some_and(|pid| {
                        pid != own && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
                    })
            })
        });
        if stale && e.path().is_file() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Removes the charts portsim drew in `charts` (as its list [`CHARTS_DRAWN`] says) whose
/// names are not in `kept`, and lists `kept` as drawn instead (or removes the list).
///
/// # Errors
/// A chart, or the list, that cannot be removed or written.
pub(crate) fn remove_charts_except(charts: &Path, kept: &[&str]) -> Result<()> {
    let list = charts.join(CHARTS_DRAWN);
    let drawn = std::fs::read_to_string(&list).unwrap_or_default();
    for name in drawn.lines() {
        // Only plain names: the list is portsim's, but a name must not reach out of the folder.
        let plain = !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
        let path = charts.join(name);
        if plain && !kept.contains(&name) && path.is_file() {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(format!("cannot remove the stale {}", path.display()), e))?;
        }
    }
    if kept.is_empty() {
        if list.is_file() {
            std::fs::remove_file(&list)
                .map_err(|e| Error::io(format!("cannot remove {}", list.display()), e))?;
        }
        return Ok(());
    }
    let mut text = kept.join("\n");
    text.push('\n');
    write_atomically(charts, &[(CHARTS_DRAWN, text.into_bytes())])
}

/// A file written piece by piece under a temporary name (so that a file larger than memory,
/// such as a sweep's assembled `kpis`, never sits whole in it), put in place with the others
/// by [`write_atomically_with`]. Dropped unfinished, it leaves only a hidden temporary file,
/// which the next sweep, or command writing its results there, removes.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    name: String,
    /// `None` once handed to [`write_atomically_with`].
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl Drop for Staged {
    /// An unfinished file (an error or a panic before it was put in place) is removed.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl Staged {
    /// Starts `dir/name` under a temporary name.
    ///
    /// # Errors
    /// If the directory or the file cannot be created.
    pub fn new(dir: &Path, name: &str) -> Result<Staged> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = std::fs::File::create(&temp)
            .map_err(|e| Error::io(format!("cannot write {}", dir.join(name).display()), e))?;
        Ok(Staged {
            temp,
            name: name.to_string(),
            file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
        })
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("the file was already put in place")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// [`write_atomically`] with files already written piece by piece: all of `files` and
/// `staged` are put in place together, or none is. They are renamed in order, `staged` first:
/// give last the file whose presence says the set is complete.
///
/// # Errors
/// As [`write_atomically`].
pub fn write_atomically_with(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    staged: Vec<Staged>,
) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    let mut failed = None;
    for mut s in staged {
        let target = dir.join(&s.name);
        let res = match s.file.take() {
            Some(f) => f
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)
                .and_then(|f| f.sync_all()),
            None => Err(std::io::Error::other("the file was already put in place")),
        };
        temps.push((s.temp.clone(), target.clone()));
        if let Err(e) = res {
            failed.get_or_insert((target, e));
        }
    }
    if let Some((target, e)) = failed {
        cleanup(&temps);
        return Err(Error::io(format!("cannot write {}", target.display()), e));
    }
    for (name, bytes) in files {
        let target = dir.join(name);
        let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let res = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&temp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        temps.push((temp, target.clone()));
        if let Err(e) = res {
            cleanup(&temps);
            return Err(Error::io(format!("cannot write {}", target.display()), e));
        }
    }
    // All or nothing: a target that is not a file cannot be replaced, so none is.
    for (_, target) in &temps {
        if target.exists() && !target.is_file() {
            cleanup(&temps);
            return Err(Error::Other(format!(
                "cannot write {}: it exists and is not a file",
                target.display()
            )));
        }
    }
    if let Err((target, e)) = replace_all(&temps) {
        cleanup(&temps);
        return Err(Error::io(format!("cannot write {}", target.display()), e));
    }
    Ok(())
}
