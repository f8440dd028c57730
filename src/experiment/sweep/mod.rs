//! Parameter sweeps: a base scenario, a grid of parameter values, every point run as its own
//! set of replications — resumable, shardable and mergeable.
//!
//! # Sweep files
//!
//! ```toml
//! name = "slots-x-demand"
//! scenario = "liaoning-2020"          # a built-in name, or a path relative to this file
//! replications = 10
//! seed = 20200101
//! years = [2020]                      # optional: the scenario's design years
//!
//! [[parameters]]
//! path = "demand_multiplier"          # every flow's volume × this
//! values = [1.0, 1.2, 1.4]
//!
//! [[parameters]]
//! path = "corridors[name=dalian-box-north].slots_per_day"
//! values = [4, 8, 12]
//! ```
//!
//! A path addresses any value of the scenario file: dotted keys, `[i]` for the i-th element of
//! an array, `[name=X]` for the element whose `name` is `X`. The grid is the product of the
//! parameters' values, the first parameter varying slowest; point `i` is its `i`-th element.
//!
//! # Output directory
//!
//! - `sweep.json`: what the sweep is (its text, the base scenario, the points); a directory
//!   holds one sweep, and starting another there is refused;
//! - `points/point-NNNNNN.kpis.parquet` (or `.summary.csv` and `.kpis.csv` with `--format
//!   csv`): each point's rows, written atomically when all its runs are done. A restarted sweep
//!   skips the points already there, so a killed sweep loses only the points under way;
//! - `kpis.parquet` (or `kpis.csv` and `summary.csv`), `summary.json` and, where the parameters
//!   are numeric, `sensitivity.csv`: assembled from the point files once every point is there,
//!   so an interrupted-and-resumed sweep, a single run and a merge of shards write the same
//!   bytes; the point files are then removed (their rows are all in the assembled files) and a
//!   rerun finds the sweep finished. Columns: `point`, one per parameter (named by its path),
//!   then those of `portsim run`'s files. `merge` reads the shards' points where they are and
//!   writes the assembled files alone.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{RunOptions, refuse_merging_into_a_source, run_scenario};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::report::format::Format;
use crate::report::output::{ScenarioManifest, other_results_in, sha256_hex, write_atomically};
use crate::scenario::ScenarioSource;

mod files;
mod load;
mod sampled;
mod sensitivity;
mod sobol;

pub use files::parquet_sweep_summary;
use files::{assemble, is_assembled, point_done, save_point};

pub use load::load_sweep;
pub use sampled::{Sampled, normal_cdf, normal_quantile};
pub use sensitivity::{
    SENSITIVITY_COLUMNS, sensitivity_skipped, standardized_regression, standardized_regression_se,
};
pub use sobol::{SobolIndex, sobol_indices};

/// The parameter that scales every flow's annual volume.
pub const DEMAND_MULTIPLIER: &str = "demand_multiplier";

/// One swept parameter.
#[derive(Clone, Debug, Serialize)]
pub struct Parameter {
    /// Its path in the scenario file (or `demand_multiplier`).
    pub path: String,
    /// Its values, in order.
    pub values: Vec<toml::Value>,
    /// A grid's names for its values, in the same order (empty where the sweep file gives
    /// none: a value is then named by its text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Where each value comes from in the sweep file (a grid's entry, or a design's range or
    /// distribution), for placing a point's problem at the value that caused it.
    #[serde(skip)]
    pub(crate) spans: Vec<std::ops::Range<usize>>,
    /// The key those places are under: `parameters[i].values`, `.range` or `.distribution`.
    #[serde(skip)]
    pub(crate) field: String,
}

/// How a sweep's points were chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepDesign {
    /// Every combination of the parameters' values.
    #[default]
    Grid,
    /// A Latin hypercube over the parameters' ranges or distributions.
    Lhs,
    /// Saltelli's design for Sobol indices: blocks of k + 2 points (A, B, then A with each
    /// parameter in turn from B).
    Saltelli,
}

/// One point of the grid (its scenario is built by [`Sweep::model`]).
#[derive(Clone, Debug)]
pub struct Point {
    /// Index in the grid.
    pub index: usize,
    /// One value per parameter.
    pub values: Vec<toml::Value>,
}

/// A loaded, fully validated sweep: every point's scenario has been built.
#[derive(Debug)]
pub struct Sweep {
    /// Sweep name.
    pub name: String,
    /// The sweep file as named.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The base scenario.
    pub base: ScenarioSource,
    /// The base scenario's text as a table, on which each point's values are set.
    pub base_table: toml::Table,
    /// The base scenario, validated.
    pub base_model: Model,
    /// Swept parameters.
    pub parameters: Vec<Parameter>,
    /// Replications per point and design year.
    pub replications: u32,
    /// Master seed (the same for every point: points are compared under common random numbers).
    pub seed: u64,
    /// Design years.
    pub years: Vec<u16>,
    /// The grid.
    pub points: Vec<Point>,
    /// The most events one run may take (see [`RunOptions::max_events`]).
    pub max_events: u64,
    /// The form of the point files and the assembled `kpis`.
    pub format: Format,
    /// How the points were chosen.
    pub design: SweepDesign,
}

impl Sweep {
    /// Checks that each design year of each of `points` fits the sweep's event budget, as a
    /// run would (in parallel on `threads`: each point's design-year models are built to size
    /// them; the first failure in point order is the one reported), and gives each point's
    /// estimated events over its design years, in the order of `points`.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the first point whose run would exceed the budget; a point's
    /// scenario errors as [`Sweep::model`] gives them.
    pub fn check_sizes(&self, points: &[&Point], threads: Option<usize>) -> Result<Vec<f64>> {
        let jobs: Vec<(&Point, u16)> = points
            .iter()
            .flat_map(|&p| self.years.iter().map(move |&y| (p, y)))
            .collect();
        let checked: Vec<Result<f64>> = super::in_pool(threads, || {
            Ok(jobs
                .par_iter()
                .map(|&(p, y)| {
                    let model = crate::scenario::model_for_year(&self.model(p)?, y)?;
                    super::check_size(&model, y, self.max_events)
                        .map_err(|e| Error::Usage(format!("sweep point {}: {e}", p.index)))?;
                    Ok(crate::sim::estimate(&model, y).events)
                })
                .collect())
        })?;
        let sizes = checked.into_iter().collect::<Result<Vec<f64>>>()?;
        Ok(sizes
            .chunks(self.years.len().max(1))
            .map(|years| years.iter().sum())
            .collect())
    }
}

/// A shard of a sweep: the points whose index is `index − 1` modulo `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: usize,
    /// Of how many.
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    ///
    /// ```
    /// use portsim::experiment::Shard;
    /// assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
    /// assert!(Shard::parse("3/2").is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::Usage`] for anything else.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Usage(format!(
                "--shard {s}: expected I/N with 1 <= I <= N, e.g. 2/4"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether point `p` belongs to this shard.
    pub fn has(&self, p: usize) -> bool {
        p % self.count == self.index - 1
    }
}

/// Text of a parameter value as it appears in the output columns.
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// What a sweep directory holds: written first, checked on every restart and merge.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct SweepManifest {
    /// portsim's version.
    pub portsim_version: String,
    /// Always `sweep`.
    pub command: String,
    /// Sweep name.
    pub name: String,
    /// The sweep file's text and its SHA-256.
    pub sweep_toml: String,
    /// SHA-256 of the sweep file's text.
    pub sweep_sha256: String,
    /// The base scenario as resolved.
    pub scenario: serde_json::Value,
    /// Parameter paths, in column order.
    pub parameters: Vec<String>,
    /// Each point's parameter values, as written in the columns.
    pub points: Vec<Vec<String>>,
    /// Each point's parameter values by the names the sweep file gives them (`labels`; a
    /// value without one by its text): written only when some parameter is labelled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub point_labels: Vec<Vec<String>>,
    /// Master seed.
    pub seed: u64,
    /// Replications per point and year.
    pub replications: u32,
    /// Design years.
    pub years: Vec<u16>,
    /// The form of the point files and the assembled `kpis` (CSV sweeps also assemble
    /// `summary.csv`).
    #[serde(default)]
    pub format: Format,
}

impl SweepManifest {
    /// How the points were chosen, as the sweep file says (`design`; a grid if it says
    /// nothing).
    pub fn design(&self) -> SweepDesign {
        let table: Option<toml::Table> = self.sweep_toml.parse().ok();
        match table
            .as_ref()
            .and_then(|t| t.get("design"))
            .and_then(|d| d.as_str())
        {
            Some("lhs") => SweepDesign::Lhs,
            Some("saltelli") => SweepDesign::Saltelli,
            _ => SweepDesign::Grid,
        }
    }
}

impl Sweep {
    /// Each point's values by their labels (a value without one by its text); empty when no
    /// parameter is labelled.
    pub fn point_labels(&self) -> Vec<Vec<String>> {
        if self.parameters.iter().all(|p| p.labels.is_empty()) {
            return Vec::new();
        }
        let name = |p: &Parameter, v: &toml::Value| {
            p.values
                .iter()
                .position(|x| x == v)
                .and_then(|k| p.labels.get(k))
                .cloned()
                .unwrap_or_else(|| value_text(v))
        };
        self.points
            .iter()
            .map(|pt| {
                self.parameters
                    .iter()
                    .zip(&pt.values)
                    .map(|(p, v)| name(p, v))
                    .collect()
            })
            .collect()
    }

    /// The manifest of this sweep.
    pub fn manifest(&self) -> SweepManifest {
        SweepManifest {
            portsim_version: env!("CARGO_PKG_VERSION").into(),
            command: "sweep".into(),
            name: self.name.clone(),
            sweep_toml: self.text.clone(),
            sweep_sha256: sha256_hex(self.text.as_bytes()),
            scenario: serde_json::to_value(ScenarioManifest::new(&self.base_model, &self.base))
                .unwrap_or_default(),
            parameters: self.parameters.iter().map(|p| p.path.clone()).collect(),
            points: self
                .points
                .iter()
                .map(|p| p.values.iter().map(value_text).collect())
                .collect(),
            point_labels: self.point_labels(),
            seed: self.seed,
            replications: self.replications,
            years: self.years.clone(),
            format: self.format,
        }
    }
}

pub(super) fn manifest_bytes(m: &SweepManifest) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(m)
        .map_err(|e| Error::Other(format!("cannot render sweep.json: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// Claims `dir` for this sweep: writes `sweep.json`, or checks that the one there is this
/// sweep's, and removes temporary files a killed run left behind.
fn claim(dir: &Path, manifest: &SweepManifest) -> Result<()> {
    let path = dir.join("sweep.json");
    let bytes = manifest_bytes(manifest)?;
    if path.exists() {
        let old = std::fs::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if old != bytes {
            let what = serde_json::from_slice::<SweepManifest>(&old).map_or_else(
                |_| "its sweep.json is not portsim's".into(),
                |m| format!("they differ in {}", differences(&m, manifest)),
            );
            return Err(Error::Usage(format!(
                "{} holds the results of a different sweep ({what}); choose another --out or remove it",
                dir.display()
            )));
        }
    } else if let Some(m) = other_results_in(dir) {
        // Its files would sit beside the sweep's, and `report` would read them as the sweep's.
        return Err(Error::Usage(format!(
            "{} holds the results of another command ({m}); choose another --out or remove it",
            dir.display()
        )));
    } else {
        write_atomically(dir, &[("sweep.json", bytes)])?;
    }
    // What a killed run left: temporary files (`.NAME.tmp-PID`, `.NAME.old-PID`).
    for d in [dir.to_path_buf(), dir.join("points")] {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-")) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    Ok(())
}

/// How far a sweep got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepStatus {
    /// Points in the grid.
    pub points: usize,
    /// Points run now.
    pub ran: usize,
    /// Points skipped because their results were already there.
    pub resumed: usize,
    /// Whether every point is done and the final outputs were written.
    pub complete: bool,
}

/// Runs the sweep's missing points (of `shard`, if given) in parallel, saving each as it
/// finishes; writes the final outputs when every point is there.
///
/// `progress(done, total)` counts points of this run.
///
/// # Errors
/// [`Error::Usage`] if `out` holds another sweep; I/O and simulation errors otherwise.
pub fn run_sweep(
    sweep: &Sweep,
    out: &Path,
    shard: Option<Shard>,
    threads: Option<usize>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<SweepStatus> {
    let manifest = sweep.manifest();
    // A finished sweep's points are in its assembled files (its point files are gone). Only
    // a directory of this sweep counts: `claim` below refuses another's.
    let same_sweep = std::fs::read(out.join("sweep.json")).ok() == Some(manifest_bytes(&manifest)?);
    let finished = same_sweep && is_assembled(out, manifest.format);
    let todo: Vec<&Point> = sweep
        .points
        .iter()
        .filter(|p| shard.is_none_or(|s| s.has(p.index)))
        .filter(|p| !(finished || same_sweep && point_done(out, p.index, manifest.format)))
        .collect();
    // Every point still to run must fit the budget before anything is written.
    let sizes = sweep.check_sizes(&todo, threads)?;
    // The largest first, each handed to the next free worker: the last to finish is a small
    // one (a demand sweep's runs differ in size by their multiple). Each point writes its own
    // file, so the order changes no output.
    let mut order: Vec<usize> = (0..todo.len()).collect();
    let size = |i: usize| sizes.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| size(b).total_cmp(&size(a)).then(a.cmp(&b)));
    let todo: Vec<&Point> = order.into_iter().map(|i| todo[i]).collect();
    claim(out, &manifest)?;
    match shard {
        // A finished sweep holds every point: no shard of it is left to run.
        Some(_) if finished => {}
        Some(s) => mark_shard(out, s)?,
        // The whole sweep into a shard's folder: it is that shard's no more.
        None => remove_shard_mark(out)?,
    }
    let numeric = files::numeric_parameters(&manifest);
    let mine = sweep
        .points
        .iter()
        .filter(|p| shard.is_none_or(|s| s.has(p.index)))
        .count();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = todo.len();
    progress(0, total);
    let work = || -> Result<Vec<(usize, Error)>> {
        Ok(super::failures_in_order(
            &todo,
            |p| p.index,
            |&p| {
                let options = RunOptions {
                    replications: sweep.replications,
                    seed: sweep.seed,
                    years: sweep.years.clone(),
                    threads: None,
                    sim: Default::default(),
                    max_events: sweep.max_events,
                };
                let model = sweep.model(p)?;
                let runs = run_scenario(&model, &options, &|_, _| {})?;
                let goals = crate::report::targets::evaluate(
                    &model,
                    &crate::results::summarise(&runs),
                    &[&runs],
                );
                save_point(out, &manifest, &numeric, p, &runs, &goals)?;
                progress(
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                    total,
                );
                Ok(())
            },
        ))
    };
    let mut failed = super::in_pool(threads, work)?.into_iter();
    if let Some((index, first)) = failed.next() {
        let others: Vec<usize> = failed.map(|(i, _)| i).collect();
        return Err(point_failed(first, index, &others));
    }
    let complete = finished || assemble(out, &manifest, &|_| out.to_path_buf())?;
    if complete && shard.is_some() {
        // A shard that completed the sweep (`--shard 1/1`, or a shard run into a folder that
        // held the other points) leaves a finished sweep like any other, not a shard to merge.
        remove_shard_mark(out)?;
    }
    Ok(SweepStatus {
        points: sweep.points.len(),
        ran: total,
        resumed: mine - total,
        complete,
    })
}

/// A point's failure, named by the point and followed by the other points that failed; the
/// points that finished are saved, so the same command runs only the rest. The kind of error
/// (and so the exit code) is the point's own.
fn point_failed(e: Error, index: usize, others: &[usize]) -> Error {
    let more = match others {
        [] => String::new(),
        [one] => format!(" (point {one} failed too)"),
        many => {
            let shown: Vec<String> = many.iter().take(10).map(|i| i.to_string()).collect();
            let etc = if many.len() > 10 { ", …" } else { "" };
            format!(
                " ({} more points failed: {}{etc})",
                many.len(),
                shown.join(", ")
            )
        }
    };
    let then = "; the points that finished are saved, and the same command runs only the rest";
    let say = |m: &dyn std::fmt::Display| format!("point {index}: {m}{more}{then}");
    match e {
        Error::Usage(m) => Error::Usage(say(&m)),
        Error::Other(m) => Error::Other(say(&m)),
        // The cause before the advice (an I/O error prints its source after its context).
        Error::Io { context, source } => Error::Other(say(&format!("{context}: {source}"))),
        Error::Sim(s @ crate::sim::SimError::EventBudget { .. }) => Error::Usage(say(&s)),
        Error::Sim(s) => Error::Other(say(&s)),
        // A scenario error names its own file, line and column.
        e @ Error::Scenario(_) => e,
    }
}

/// The shard a directory was run as (`shard.json`), so that `merge` can name the shards to
/// rerun. A directory run as another shard before is refused (its points would be mixed).
fn mark_shard(dir: &Path, shard: Shard) -> Result<()> {
    let path = dir.join("shard.json");
    let bytes = format!(
        "{{\"index\": {}, \"count\": {}}}\n",
        shard.index, shard.count
    )
    .into_bytes();
    match std::fs::read(&path) {
        Ok(old) if old != bytes => Err(Error::Usage(format!(
            "{} holds shard {} of a sweep; run shard {}/{} into its own --out",
            dir.display(),
            shard_of(dir).map_or_else(
                || String::from_utf8_lossy(&old).trim().to_string(),
                |s| format!("{}/{}", s.index, s.count)
            ),
            shard.index,
            shard.count
        ))),
        Ok(_) => Ok(()),
        Err(_) => write_atomically(dir, &[("shard.json", bytes)]),
    }
}

/// Forgets the shard a directory was run as (the whole sweep now runs there).
fn remove_shard_mark(dir: &Path) -> Result<()> {
    match std::fs::remove_file(dir.join("shard.json")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(
            format!("cannot remove {}", dir.join("shard.json").display()),
            e,
        )),
        _ => Ok(()),
    }
}

/// The shard a directory says it was run as, if it was.
fn shard_of(dir: &Path) -> Option<Shard> {
    let text = std::fs::read_to_string(dir.join("shard.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(Shard {
        index: v.get("index")?.as_u64()? as usize,
        count: v.get("count")?.as_u64()? as usize,
    })
}

/// What differs between two sweeps' manifests, in words.
fn differences(a: &SweepManifest, b: &SweepManifest) -> String {
    let mut d: Vec<&str> = Vec::new();
    if a.parameters != b.parameters || a.points != b.points {
        d.push("the grid (parameters or values)");
    }
    if a.point_labels != b.point_labels {
        d.push("the labels (names in the report only, but the folder is another sweep's)");
    }
    if a.seed != b.seed {
        d.push("the seed");
    }
    if a.replications != b.replications {
        d.push("the replications");
    }
    if a.years != b.years {
        d.push("the design years");
    }
    if a.scenario.get("sha256") != b.scenario.get("sha256") {
        d.push("the base scenario's text");
    }
    if a.portsim_version != b.portsim_version {
        d.push("the portsim version");
    }
    if a.name != b.name {
        d.push("the sweep's name");
    }
    if a.format != b.format {
        d.push("the format (csv or parquet)");
    }
    if d.is_empty() {
        // Same grid, seed, scenario: the sweep files differ in text alone.
        "the sweep file's text only (a comment or layout: merge compares the files byte for byte, so run every shard from one file)".into()
    } else {
        d.join(", ")
    }
}

/// Joins shard directories of one sweep into `out`: the same bytes one machine would write.
/// Every point must be in one of them; otherwise nothing is written and the error names the
/// missing points and, where the directories say which shards they were, the shards to rerun.
///
/// # Errors
/// [`Error::Usage`] if the directories hold different sweeps or points are missing.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize> {
    let mut manifest: Option<(Vec<u8>, SweepManifest)> = None;
    for d in dirs {
        let path = d.join("sweep.json");
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::Usage(format!(
                "{}: not a sweep directory (cannot read sweep.json: {e})",
                d.display()
            ))
        })?;
        let m: SweepManifest = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Usage(format!(
                "{}: sweep.json is not portsim's: {e}",
                path.display()
            ))
        })?;
        match &manifest {
            Some((b, first)) if *b != bytes => {
                return Err(Error::Usage(format!(
                    "{} holds a different sweep from {}: they differ in {}",
                    d.display(),
                    dirs[0].display(),
                    differences(first, &m)
                )));
            }
            Some(_) => {}
            None => manifest = Some((bytes, m)),
        }
    }
    let (_, m) =
        manifest.ok_or_else(|| Error::Usage("merge needs at least one directory".into()))?;
    refuse_merging_into_a_source(dirs, out)?;
    if let Some(held) = other_results_in(out) {
        return Err(Error::Usage(format!(
            "--out {} holds the results of another command ({held}); merge into a new directory",
            out.display()
        )));
    }
    if let Some(d) = dirs.iter().find(|d| files::is_assembled(d, m.format)) {
        return Err(Error::Usage(format!(
            "{} holds a finished sweep (its points are in its assembled files, not in points/): nothing to merge",
            d.display()
        )));
    }
    let n = m.points.len();
    // Where each point is, before anything is written.
    let sources: Vec<Option<&PathBuf>> = (0..n)
        .map(|i| dirs.iter().find(|d| point_done(d, i, m.format)))
        .collect();
    let missing: Vec<usize> = (0..n).filter(|&i| sources[i].is_none()).collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(|i| i.to_string()).collect();
        let counts: Vec<usize> = dirs
            .iter()
            .filter_map(|d| shard_of(d))
            .map(|s| s.count)
            .collect();
        let rerun = match counts.first() {
            Some(&count) if counts.iter().all(|&c| c == count) => {
                let mut shards: Vec<usize> = missing.iter().map(|i| i % count + 1).collect();
                shards.sort_unstable();
                shards.dedup();
                let list: Vec<String> = shards.iter().map(|s| format!("{s}/{count}")).collect();
                format!("; rerun shard {}", list.join(", "))
            }
            _ => "; run the missing shards first".into(),
        };
        return Err(Error::Usage(format!(
            "{} of {n} points are in none of the directories (points {}{}){rerun}; nothing was written",
            missing.len(),
            shown.join(", "),
            if missing.len() > 10 { ", …" } else { "" }
        )));
    }
    claim(out, &m)?;
    // The points are read where they are: `out` gets the assembled files only.
    let from = |i: usize| sources[i].map_or_else(|| out.to_path_buf(), |d| d.clone());
    assemble(out, &m, &from)?;
    let _ = std::fs::remove_dir(out.join("points"));
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_point_is_named_with_the_others_and_keeps_its_exit_code() {
        let budget = Error::Sim(crate::sim::SimError::EventBudget {
            year: 2020,
            replication: 1,
            max_events: 10,
        });
        let e = point_failed(budget, 3, &[8]);
        assert_eq!(e.exit_code(), 2);
        let m = e.to_string();
        assert!(
            m.starts_with("point 3: design year 2020, replication 1"),
            "{m}"
        );
        assert!(m.contains("(point 8 failed too)"), "{m}");
        assert!(m.ends_with("the same command runs only the rest"), "{m}");
        let bug = Error::Sim(crate::sim::SimError::Invariant("lost a lot".into()));
        let many: Vec<usize> = (10..22).collect();
        let e = point_failed(bug, 4, &many);
        assert_eq!(e.exit_code(), 1);
        let m = e.to_string();
        assert!(
            m.contains("point 4: internal error in the simulation: lost a lot"),
            "{m}"
        );
        assert!(
            m.contains("(12 more points failed: 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, …)"),
            "{m}"
        );
    }
}
