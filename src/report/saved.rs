//! Results read back from an output directory: what `portsim report DIR` (and every command
//! that writes charts) draws from. Only the saved files are used, never a live run, so charts
//! rebuilt later are the charts written at the time.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// One row of `summary.csv` (with a sweep's point and parameter columns, if any).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedRow {
    /// A sweep's leading columns (`point` and one per parameter), as (header, value).
    pub labels: Vec<(String, String)>,
    /// Scenario name.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port, `Port/Terminal`, `Port/rail:…` or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric name.
    pub metric: String,
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of its 95 % interval.
    pub lo: f64,
    /// Upper end of its 95 % interval.
    pub hi: f64,
}

/// One row of `targets.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedTarget {
    /// Scenario name.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric name.
    pub metric: String,
    /// How the goal bounds its metric.
    pub bound: crate::model::Bound,
    /// The bound.
    pub target: f64,
    /// Simulated mean.
    pub mean: f64,
    /// Its 95 % interval's low end (NaN where there is none: one replication).
    pub lo: f64,
    /// Its 95 % interval's high end (NaN where there is none).
    pub hi: f64,
    /// `yes`, `no` or `n/a`.
    pub met: String,
    /// Where the goal comes from.
    pub source: String,
    /// Share of replications meeting it (NaN where unknown, or in files written before it).
    pub p_met: f64,
    /// `met`, `missed` or `unclear` by the mean's interval (empty in files written before it).
    pub verdict: String,
}

/// One row of `compare.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedDiff {
    /// Scenario name.
    pub scenario: String,
    /// Baseline scenario.
    pub baseline: String,
    /// Design year.
    pub year: u16,
    /// Port or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric.
    pub metric: String,
    /// The scenario's own mean.
    pub mean: f64,
    /// Mean paired difference.
    pub diff: f64,
    /// Lower end of its 95 % interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Replications (pairs) behind it.
    pub n: u32,
}

/// A row of `sensitivity.csv`.
#[derive(Clone, Debug)]
pub struct SavedSensitivity {
    /// Design year.
    pub year: u16,
    /// Port, `ALL`, …
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// The metric.
    pub metric: String,
    /// The parameter's path.
    pub parameter: String,
    /// Standardised regression coefficient.
    pub src: f64,
    /// The regression's R².
    pub r2: f64,
    /// Sobol first-order index (Saltelli's design; NaN otherwise).
    pub s1: f64,
    /// Sobol total index (Saltelli's design; NaN otherwise).
    pub st: f64,
    /// The total index's 95 % interval.
    pub st_ci95: (f64, f64),
}

/// One day of one daily series (`series.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedDay {
    /// Scenario name.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port, terminal or corridor.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// `ships_waiting`, `yard_occupancy` or `trains`.
    pub series: String,
    /// Day of the measured period, from 1.
    pub day: u32,
    /// Mean over the replications.
    pub mean: f64,
    /// Lower end of its 95 % interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// One row of `capacity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedCapacity {
    /// Terminal, `ALL`, …
    pub scope: String,
    /// Practical capacity as a demand multiple.
    pub multiple: f64,
    /// Lower end of its interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// The criterion.
    pub criterion: String,
    /// The criteria missed first as demand grows (empty: none within the search); `None` for
    /// a file written before the column was added.
    pub binding: Option<String>,
    /// Where the search's premise fails, what shows it (empty, or `None` before the column).
    pub note: Option<String>,
}

/// Everything an output directory holds that charts and the report use.
#[derive(Debug, Default)]
pub struct Saved {
    /// The command that wrote it (`run`, `compare`, `sweep`, `capacity`).
    pub command: String,
    /// The manifest from `summary.json` or `capacity.json`, as JSON.
    pub manifest: serde_json::Value,
    /// `summary.csv`.
    pub rows: Vec<SavedRow>,
    /// `targets.csv`, if written by a run, comparison or projects run.
    pub targets: Vec<SavedTarget>,
    /// A sweep's `targets.csv`: the goals at every point, each with its point's index.
    pub point_targets: Vec<(usize, SavedTarget)>,
    /// `compare.csv`, if written.
    pub diffs: Vec<SavedDiff>,
    /// `capacity.csv`, if written.
    pub capacity: Vec<SavedCapacity>,
    /// `projects.json`'s projects, if written (`portsim projects`).
    pub projects: Vec<crate::experiment::ProjectNeed>,
    /// `sensitivity.csv`, if written (a complete sweep with numeric parameters).
    pub sensitivity: Vec<SavedSensitivity>,
    /// `series.csv`, if written (`run` and `compare`).
    pub series: Vec<SavedDay>,
    index: BTreeMap<(String, u16, String, String, String), usize>,
}

impl Saved {
    /// Reads an output directory.
    ///
    /// # Errors
    /// [`Error::Usage`] if the directory holds no portsim results, or naming the file (and the
    /// line) of what cannot be read in it.
    pub fn load(dir: &Path) -> Result<Saved> {
        let mut s = Saved::default();
        let summary_json = dir.join("summary.json");
        let capacity_json = dir.join("capacity.json");
        let projects_json = dir.join("projects.json");
        let manifest_file = if summary_json.is_file() {
            summary_json
        } else if capacity_json.is_file() {
            capacity_json
        } else if projects_json.is_file() {
            projects_json
        } else if dir.join("sweep.json").is_file() {
            // A sweep's folder before its end: one shard of it, or a run still going.
            return Err(Error::Usage(format!(
                "{} holds a sweep not yet finished (or one shard of one): run the sweep to its end, or join its shards with `portsim merge DIR... --out DIR` and report that",
                dir.display()
            )));
        } else {
            return Err(Error::Usage(format!(
                "{} holds no portsim results (no summary.json, capacity.json or projects.json)",
                dir.display()
            )));
        };
        let text = read_text(&manifest_file)?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| damaged(format!("{}: {e}", manifest_file.display())))?;
        s.manifest = json
            .get("manifest")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        if let Some(p) = json.get("projects") {
            s.projects = serde_json::from_value(p.clone())
                .map_err(|e| damaged(format!("{}: {e}", manifest_file.display())))?;
        }
        // A sweep's summary.json is the sweep's own description, with no `manifest` inside.
        if s.manifest.is_null() {
            s.manifest = json.clone();
        }
        s.command = s
            .manifest
            .get("command")
            .and_then(|c| c.as_str())
            .unwrap_or("run")
            .to_string();
        if let Some(t) = read_csv(&dir.join("summary.csv"))? {
            s.rows = parse_summary(&t)?;
        } else if dir.join("kpis.parquet").is_file() && s.command == "sweep" {
            s.rows = parquet_sweep_rows(dir, &s.manifest)?;
        } else if matches!(s.command.as_str(), "run" | "compare") {
            // Written together, atomically: one without the other is not portsim's doing.
            return Err(Error::Usage(format!(
                "{} holds summary.json but not summary.csv: the results are incomplete; run the {} again",
                dir.display(),
                s.command
            )));
        }
        // A sweep's targets.csv holds the goals at every point, led by the point's columns.
        if let Some(t) = read_csv(&dir.join("targets.csv"))? {
            if s.command == "sweep" {
                let points = parse_rows(&t, |r| Ok(r.num("point")? as usize))?;
                s.point_targets = points.into_iter().zip(parse_targets(&t)?).collect();
            } else {
                s.targets = parse_targets(&t)?;
            }
        }
        if let Some(t) = read_csv(&dir.join("compare.csv"))? {
            s.diffs = parse_rows(&t, |r| {
                Ok(SavedDiff {
                    scenario: r.get("scenario")?,
                    baseline: r.get("baseline")?,
                    year: r.num("year")? as u16,
                    port: r.get("port")?,
                    cargo: r.get("cargo")?,
                    metric: r.get("metric")?,
                    mean: r.num("mean")?,
                    diff: r.num("diff_mean")?,
                    lo: r.num("diff_ci95_low")?,
                    hi: r.num("diff_ci95_high")?,
                    n: r.num("n")? as u32,
                })
            })?;
        }
        if let Some(t) = read_csv(&dir.join("sensitivity.csv"))? {
            s.sensitivity = parse_rows(&t, |r| {
                Ok(SavedSensitivity {
                    year: r.num("year")? as u16,
                    port: r.get("port")?,
                    cargo: r.get("cargo")?,
                    metric: r.get("metric")?,
                    parameter: r.get("parameter")?,
                    src: r.num("src").unwrap_or(f64::NAN),
                    r2: r.num("r2").unwrap_or(f64::NAN),
                    s1: r.num("s1").unwrap_or(f64::NAN),
                    st: r.num("st").unwrap_or(f64::NAN),
                    st_ci95: (
                        r.num("st_ci95_low").unwrap_or(f64::NAN),
                        r.num("st_ci95_high").unwrap_or(f64::NAN),
                    ),
                })
            })?;
        }
        if let Some(t) = read_csv(&dir.join("series.csv"))? {
            s.series = parse_rows(&t, |r| {
                Ok(SavedDay {
                    scenario: r.get("scenario")?,
                    year: r.num("year")? as u16,
                    port: r.get("port")?,
                    cargo: r.get("cargo")?,
                    series: r.get("series")?,
                    day: r.num("day")? as u32,
                    mean: r.num("mean")?,
                    lo: r.num("ci95_low")?,
                    hi: r.num("ci95_high")?,
                })
            })?;
        }
        if let Some(t) = read_csv(&dir.join("capacity.csv"))? {
            s.capacity = parse_rows(&t, |r| {
                Ok(SavedCapacity {
                    scope: r.get("scope")?,
                    multiple: r.num("multiple")?,
                    lo: r.num("multiple_low")?,
                    hi: r.num("multiple_high")?,
                    criterion: r.get("criterion")?,
                    binding: r.get("binding").ok(),
                    note: r.get("note").ok(),
                })
            })?;
        }
        s.reindex();
        Ok(s)
    }

    /// Indexes the summary rows for [`Saved::get`] (after `rows` is filled or changed).
    pub(crate) fn reindex(&mut self) {
        self.index.clear();
        for (i, r) in self.rows.iter().enumerate() {
            if r.labels.is_empty() {
                self.index.entry(key(r)).or_insert(i);
            }
        }
    }

    /// A summary row of a run or comparison (not of a sweep's points).
    pub fn get(
        &self,
        scenario: &str,
        year: u16,
        port: &str,
        cargo: &str,
        metric: &str,
    ) -> Option<&SavedRow> {
        self.index
            .get(&(
                scenario.to_string(),
                year,
                port.to_string(),
                cargo.to_string(),
                metric.to_string(),
            ))
            .map(|&i| &self.rows[i])
    }

    /// The first scenario's TOML (as resolved and saved in the manifest), parsed; `None` if the
    /// manifest has none or it does not parse.
    pub fn scenario_table(&self) -> Option<toml::Table> {
        let m = &self.manifest;
        m.get("scenarios")
            .and_then(|s| s.get(0))
            .or_else(|| m.get("scenario"))
            .and_then(|s| s.get("toml"))
            .and_then(|t| t.as_str())?
            .parse()
            .ok()
    }

    /// A named scenario's own TOML (as saved in the manifest), parsed; `None` if the manifest
    /// has no such scenario or its text does not parse.
    pub fn scenario_table_named(&self, name: &str) -> Option<toml::Table> {
        let m = &self.manifest;
        let one = m.get("scenario").into_iter();
        let many = m
            .get("scenarios")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten();
        many.chain(one)
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some(name))?
            .get("toml")?
            .as_str()?
            .parse()
            .ok()
    }

    /// A sweep's parameter paths, in column order (none for other commands).
    pub fn parameters(&self) -> Vec<String> {
        self.manifest
            .get("parameters")
            .and_then(|p| serde_json::from_value(p.clone()).ok())
            .unwrap_or_default()
    }

    /// Scenario names in the order they first appear.
    pub fn scenarios(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &self.rows {
            if !v.contains(&r.scenario) {
                v.push(r.scenario.clone());
            }
        }
        v
    }

    /// Design years, ascending.
    pub fn years(&self) -> Vec<u16> {
        let mut v: Vec<u16> = self.rows.iter().map(|r| r.year).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Port names (not terminals, corridors or `ALL`) in the order they first appear.
    pub fn ports(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &self.rows {
            if r.port != "ALL" && !r.port.contains('/') && !v.contains(&r.port) {
                v.push(r.port.clone());
            }
        }
        v
    }
}

fn key(r: &SavedRow) -> (String, u16, String, String, String) {
    (
        r.scenario.clone(),
        r.year,
        r.port.clone(),
        r.cargo.clone(),
        r.metric.clone(),
    )
}

/// A results file that cannot be read as portsim wrote it: bad input to `report` (exit code
/// 2), with what to do about it.
fn damaged(what: String) -> Error {
    Error::Usage(format!(
        "{what} (the results are damaged; run the command that wrote them again)"
    ))
}

/// A CSV file's text, or `None` if the file is not there.
fn read_csv(path: &Path) -> Result<Option<(String, String)>> {
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some((path.display().to_string(), read_text(path)?)))
}

/// A results file's text: one that is not UTF-8 is damaged, like one that does not parse.
fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidData {
            damaged(format!("{}: not UTF-8 text", path.display()))
        } else {
            Error::io(format!("cannot read {}", path.display()), e)
        }
    })
}

/// One CSV record with its header, for reading fields by name.
struct Rec<'a> {
    file: &'a str,
    line: u64,
    header: &'a csv::StringRecord,
    rec: csv::StringRecord,
}

impl Rec<'_> {
    fn get(&self, name: &str) -> Result<String> {
        let i =
            self.header.iter().position(|h| h == name).ok_or_else(|| {
                damaged(format!("{}: no column `{name}` in the header", self.file))
            })?;
        Ok(self.rec.get(i).unwrap_or("").to_string())
    }

    fn num(&self, name: &str) -> Result<f64> {
        let v = self.get(name)?;
        if v.is_empty() || v == "NaN" {
            return Ok(f64::NAN);
        }
        v.parse().map_err(|_| {
            damaged(format!(
                "{}:{}: column `{name}`: expected a number, found `{v}`",
                self.file, self.line
            ))
        })
    }
}

fn parse_rows<T>(
    (file, text): &(String, String),
    mut f: impl FnMut(&Rec) -> Result<T>,
) -> Result<Vec<T>> {
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header = rd
        .headers()
        .map_err(|e| damaged(format!("{file}: {e}")))?
        .clone();
    let mut out = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| damaged(format!("{file}: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line());
        out.push(f(&Rec {
            file,
            line,
            header: &header,
            rec,
        })?);
    }
    Ok(out)
}

/// A Parquet sweep's points' summary rows that the sweep's charts draw — the cluster's waiting
/// ratio per cargo and cargo handled — computed from `kpis.parquet` a point at a time (the
/// rest is in the file, for the reader's own tools).
fn parquet_sweep_rows(dir: &Path, manifest: &serde_json::Value) -> Result<Vec<SavedRow>> {
    let parameters: Vec<String> = manifest
        .get("parameters")
        .and_then(|p| serde_json::from_value(p.clone()).ok())
        .unwrap_or_default();
    let points: Vec<Vec<String>> = manifest
        .get("points")
        .and_then(|p| serde_json::from_value(p.clone()).ok())
        .unwrap_or_default();
    // Past the points drawn one by one, only the capacity curve (over the demand multiple)
    // reads the points' results.
    if points.len() > super::charts::MAX_POINTS_SHOWN
        && !parameters
            .iter()
            .any(|p| p == crate::experiment::DEMAND_MULTIPLIER)
    {
        return Ok(Vec::new());
    }
    let rows = crate::experiment::parquet_sweep_summary(dir, parameters.len(), &|port, metric| {
        port == "ALL" && (metric == "wait_ratio" || metric == "throughput_t")
    })?;
    Ok(rows
        .into_iter()
        .map(|(point, r)| {
            let mut labels = vec![("point".to_string(), point.to_string())];
            if let Some(values) = points.get(point) {
                labels.extend(parameters.iter().cloned().zip(values.iter().cloned()));
            }
            SavedRow {
                labels,
                scenario: r.scenario,
                year: r.year,
                port: r.port,
                cargo: r.cargo,
                metric: r.metric,
                mean: r.mean,
                lo: r.ci95_low,
                hi: r.ci95_high,
            }
        })
        .collect())
}

/// The rows of a scenario's `targets.csv`.
fn parse_targets(t: &(String, String)) -> Result<Vec<SavedTarget>> {
    parse_rows(t, |r| {
        Ok(SavedTarget {
            scenario: r.get("scenario")?,
            year: r.num("year")? as u16,
            port: r.get("port")?,
            cargo: r.get("cargo")?,
            metric: r.get("metric")?,
            bound: {
                let b = r.get("bound")?;
                crate::model::Bound::parse(&b).ok_or_else(|| {
                    damaged(format!(
                        "{}:{}: column `bound`: unknown bound `{b}`",
                        r.file, r.line
                    ))
                })?
            },
            target: r.num("target")?,
            mean: r.num("mean")?,
            lo: r.num("ci95_low").unwrap_or(f64::NAN),
            hi: r.num("ci95_high").unwrap_or(f64::NAN),
            met: r.get("met")?,
            source: r.get("source")?,
            p_met: r.num("p_met").unwrap_or(f64::NAN),
            verdict: r.get("verdict").unwrap_or_default(),
        })
    })
}

fn parse_summary(t: &(String, String)) -> Result<Vec<SavedRow>> {
    parse_rows(t, |r| {
        let first = r.header.iter().position(|h| h == "scenario").unwrap_or(0);
        let labels = (0..first)
            .map(|i| {
                (
                    r.header.get(i).unwrap_or("").to_string(),
                    r.rec.get(i).unwrap_or("").to_string(),
                )
            })
            .collect();
        Ok(SavedRow {
            labels,
            scenario: r.get("scenario")?,
            year: r.num("year")? as u16,
            port: r.get("port")?,
            cargo: r.get("cargo")?,
            metric: r.get("metric")?,
            mean: r.num("mean")?,
            lo: r.num("ci95_low")?,
            hi: r.num("ci95_high")?,
        })
    })
}
