//! A sweep's files: each point's results as it finishes, and the assembled outputs once every
//! point is there — written a point at a time, so that memory does not grow with the points.
//!
//! A CSV sweep keeps `point-NNNNNN.summary.csv` and `point-NNNNNN.kpis.csv` per point and
//! assembles `kpis.csv` and `summary.csv`. Either format keeps `point-NNNNNN.targets.csv` (the
//! scenario's goals at the point) and assembles `targets.csv`. A Parquet sweep keeps `point-NNNNNN.kpis.parquet`
//! and assembles `kpis.parquet`, whole points in row groups of ≥ 2¹⁷ rows; it writes no per-point summary, which
//! is a function of the replications' values (`summary` of a 10,000-point study would be 36 M
//! rows): the report and `sensitivity.csv` compute the points' means from the replications
//! exactly as `summary.csv` would hold them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::sensitivity::{RowKey, Sensitivity};
use super::{Point, SweepManifest, value_text};
use crate::error::{Error, Result};
use crate::report::format::{Format, KPIS_COLUMNS, kpis_table, render_csv};
use crate::report::output::{Staged, render_summary_rows, write_atomically, write_atomically_with};
use crate::report::parquet::{Column, ParquetWriter, Table, for_each_row_group};

use crate::report::targets::{TARGETS_COLUMNS, TargetRow, render_target_rows};
use crate::results::{ScenarioRuns, SummaryRow, summarise};
use crate::stats::Estimate;

/// The file of point `index` of this `kind` (`kpis`, `summary` or `targets`) in a sweep
/// directory. Targets are CSV in either format (a few rows a point).
pub(super) fn point_file(dir: &Path, index: usize, kind: &str, format: Format) -> PathBuf {
    let ext = if kind == "targets" {
        "csv"
    } else {
        format.ext()
    };
    dir.join("points")
        .join(format!("point-{index:06}.{kind}.{ext}"))
}

/// The kinds of point file a sweep in `format` keeps, the one marking the point done last.
pub(super) fn point_kinds(format: Format) -> &'static [&'static str] {
    match format {
        Format::Csv => &["targets", "summary", "kpis"],
        Format::Parquet => &["targets", "kpis"],
    }
}

/// Whether point `index` is done in `dir`.
pub(super) fn point_done(dir: &Path, index: usize, format: Format) -> bool {
    point_kinds(format)
        .iter()
        .all(|k| point_file(dir, index, k, format).exists())
}

/// The leading columns of a point's rows: its index and parameter values, as text.
fn prefix(p: &Point) -> Vec<String> {
    let mut v = vec![p.index.to_string()];
    v.extend(p.values.iter().map(value_text));
    v
}

/// Saves a finished point (atomically; the kpis file last, its presence marking the point done):
/// its runs and its scenario's goals against them.
pub(super) fn save_point(
    out: &Path,
    manifest: &SweepManifest,
    numeric: &[bool],
    p: &Point,
    runs: &ScenarioRuns,
    targets: &[TargetRow],
) -> Result<()> {
    let dir = out.join("points");
    let name = |kind: &str| {
        let f = point_file(out, p.index, kind, manifest.format);
        f.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let pre = prefix(p);
    let goals = render_target_rows(&pre, targets)?;
    match manifest.format {
        Format::Csv => {
            let summary = render_summary_rows(&pre, &summarise(runs))?;
            let table = point_table(manifest, numeric, p.index, &kpis_table(&[runs]));
            let kpis = render_csv(&table, false)?;
            write_atomically(
                &dir,
                &[
                    (&name("targets"), goals),
                    (&name("summary"), summary),
                    (&name("kpis"), kpis),
                ],
            )
        }
        Format::Parquet => {
            let table = point_table(manifest, numeric, p.index, &kpis_table(&[runs]));
            let bytes = Format::Parquet.render(&table, &name("kpis"))?;
            write_atomically(&dir, &[(&name("targets"), goals), (&name("kpis"), bytes)])
        }
    }
}

/// Whether each parameter's values are all numbers (a real column in Parquet) or not (text).
pub(super) fn numeric_parameters(manifest: &SweepManifest) -> Vec<bool> {
    (0..manifest.parameters.len())
        .map(|k| {
            manifest
                .points
                .iter()
                .all(|pt| pt[k].parse::<f64>().is_ok())
        })
        .collect()
}

/// `kpis` led by the point's columns: `point`, then one per parameter.
fn point_table(manifest: &SweepManifest, numeric: &[bool], index: usize, kpis: &Table) -> Table {
    let rows = kpis.rows();
    let mut t = Table::new(vec![(
        "point".into(),
        Column::Int(vec![index as i64; rows]),
    )]);
    for ((name, numeric), value) in manifest
        .parameters
        .iter()
        .zip(numeric.iter().copied())
        .zip(&manifest.points[index])
    {
        let column = match value.parse::<f64>() {
            Ok(x) if numeric => Column::Real(vec![Some(x); rows]),
            _ => Column::Text(vec![value.clone(); rows]),
        };
        t.names.push(name.clone());
        t.columns.push(column);
    }
    t.names.extend(kpis.names.iter().cloned());
    t.columns.extend(kpis.columns.iter().cloned());
    t
}

/// The summary of one point's `kpis` table (led by the point's columns): per row key, in the
/// order of the runs, the estimate over replications — the same sums in the same order as
/// `summarise`, so the same means to the bit.
fn point_summary(t: &Table, params: usize) -> Result<Vec<SummaryRow>> {
    let bad = |what: &str| Error::Other(format!("a sweep's kpis file {what}"));
    let rows = t.rows();
    if t.columns.iter().any(|c| c.len() != rows) {
        return Err(bad("has columns of different lengths"));
    }
    if t.names.len() != 1 + params + KPIS_COLUMNS.len()
        || t.names[1 + params..] != KPIS_COLUMNS.map(String::from)
    {
        return Err(bad(&format!(
            "has other columns than point, the parameters and {}",
            KPIS_COLUMNS.join(",")
        )));
    }
    let col = |k: usize| &t.columns[1 + params + k];
    let (Column::Text(scenario), Column::Int(year), Column::Text(port)) = (col(0), col(2), col(3))
    else {
        return Err(bad("has columns of unexpected types"));
    };
    let (Column::Text(cargo), Column::Text(metric), Column::Real(value)) = (col(4), col(5), col(6))
    else {
        return Err(bad("has columns of unexpected types"));
    };
    let mut order: Vec<RowKey> = Vec::new();
    let mut values: HashMap<RowKey, Vec<f64>> = HashMap::new();
    for i in 0..t.rows() {
        let year = u16::try_from(year[i]).map_err(|_| bad(&format!("has a year {}", year[i])))?;
        let key = (
            scenario[i].clone(),
            year,
            port[i].clone(),
            cargo[i].clone(),
            metric[i].clone(),
        );
        let v = value[i].unwrap_or(f64::NAN);
        match values.get_mut(&key) {
            Some(list) => list.push(v),
            None => {
                order.push(key.clone());
                values.insert(key, vec![v]);
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|key| {
            let e = Estimate::from_values(&values[&key]).nonnegative();
            let (scenario, year, port, cargo, metric) = key;
            SummaryRow {
                scenario,
                year,
                port,
                cargo,
                metric,
                mean: e.mean,
                ci95_low: e.ci95_low,
                ci95_high: e.ci95_high,
                n: e.n,
            }
        })
        .collect())
}

/// The rows of a row group of an assembled `kpis.parquet`: whole points, at least this many
/// (about 18 points of the baseline, a few MB in memory while assembling).
const ROW_GROUP_ROWS: usize = 1 << 17;

/// Whether `dir` holds a finished sweep: its assembled files, and no point files left (an
/// assembly interrupted before it removed them is done again).
pub(super) fn is_assembled(dir: &Path, format: Format) -> bool {
    let points_left = std::fs::read_dir(dir.join("points"))
        .map(|mut rd| {
            rd.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("point-")))
        })
        .unwrap_or(false);
    dir.join(format!("kpis.{}", format.ext())).is_file()
        && dir.join("summary.json").is_file()
        && !points_left
}

/// Writes the assembled outputs into `out` from the point files, point `i` read from the
/// directory `from(i)`, if every point is there; returns whether it did. Memory holds one point
/// at a time (and the sensitivity's running moments). Once the outputs are in place, the point
/// files in `out` are removed: every row of theirs is in the assembled files.
pub(super) fn assemble(
    out: &Path,
    manifest: &SweepManifest,
    from: &dyn Fn(usize) -> PathBuf,
) -> Result<bool> {
    let n = manifest.points.len();
    let format = manifest.format;
    if (0..n).any(|i| !point_done(&from(i), i, format)) {
        return Ok(false);
    }
    let mut sensitivity = Sensitivity::new(manifest);
    let mut add = |point: usize, rows: &[SummaryRow]| {
        if let Some(s) = sensitivity.as_mut() {
            for r in rows {
                let key = (
                    r.scenario.clone(),
                    r.year,
                    r.port.clone(),
                    r.cargo.clone(),
                    r.metric.clone(),
                );
                s.add(point, key, r.mean);
            }
        }
    };
    let mut staged = Vec::new();
    // The goals at every point, in either format.
    let mut targets = Staged::new(out, "targets.csv")?;
    write_all(&mut targets, &header(manifest, &TARGETS_COLUMNS)?, out)?;
    for i in 0..n {
        let f = point_file(&from(i), i, "targets", format);
        let rows =
            std::fs::read(&f).map_err(|e| Error::io(format!("cannot read {}", f.display()), e))?;
        write_all(&mut targets, &rows, out)?;
    }
    staged.push(targets);
    match format {
        Format::Csv => {
            let mut kpis = Staged::new(out, "kpis.csv")?;
            let mut summary = Staged::new(out, "summary.csv")?;
            let summary_columns = [
                "scenario",
                "year",
                "port",
                "cargo",
                "metric",
                "mean",
                "ci95_low",
                "ci95_high",
                "n",
            ];
            write_all(&mut kpis, &header(manifest, &KPIS_COLUMNS)?, out)?;
            write_all(&mut summary, &header(manifest, &summary_columns)?, out)?;
            for i in 0..n {
                let read = |kind: &str| {
                    let f = point_file(&from(i), i, kind, format);
                    std::fs::read(&f)
                        .map_err(|e| Error::io(format!("cannot read {}", f.display()), e))
                };
                let rows = read("summary")?;
                add(i, &parse_point_summary(&rows, manifest.parameters.len())?);
                write_all(&mut summary, &rows, out)?;
                write_all(&mut kpis, &read("kpis")?, out)?;
            }
            staged.extend([kpis, summary]);
        }
        Format::Parquet => {
            let mut writer = ParquetWriter::new(Staged::new(out, "kpis.parquet")?, "kpis.parquet");
            // Points are gathered into row groups of about ROW_GROUP_ROWS rows: a row group
            // per point would make the file's footer, which the writer holds until the end,
            // grow with the points (10,000 row groups × 16 columns of statistics).
            let mut group = Table::default();
            let mut last = Table::default();
            for i in 0..n {
                let f = point_file(&from(i), i, "kpis", format);
                let file = std::fs::File::open(&f)
                    .map_err(|e| Error::io(format!("cannot read {}", f.display()), e))?;
                for_each_row_group(file, &f.display().to_string(), |t| {
                    add(i, &point_summary(&t, manifest.parameters.len())?);
                    group.append(&t)?;
                    Ok(())
                })?;
                if group.rows() >= ROW_GROUP_ROWS {
                    writer.write(&group)?;
                    last = std::mem::take(&mut group);
                }
            }
            if group.rows() > 0 || last.columns.is_empty() {
                writer.write(&group)?;
                last = group;
            }
            staged.push(writer.finish(&last)?);
        }
    }
    // summary.json last: with the kpis file, its presence marks the sweep finished.
    let mut files = Vec::new();
    if let Some(s) = &sensitivity {
        files.push(("sensitivity.csv", s.render()?));
    }
    files.push(("summary.json", super::manifest_bytes(manifest)?));
    write_atomically_with(out, &files, staged)?;
    // The renames on disk before the only other copy of the rows goes.
    if let Ok(d) = std::fs::File::open(out) {
        let _ = d.sync_all();
    }
    remove_points(out, n, format);
    Ok(true)
}

/// Removes the point files of a finished sweep (and `points/` if that leaves it empty). A file
/// that cannot be removed is left: it only takes space.
fn remove_points(out: &Path, n: usize, format: Format) {
    for i in 0..n {
        for kind in point_kinds(format) {
            let _ = std::fs::remove_file(point_file(out, i, kind, format));
        }
    }
    let _ = std::fs::remove_dir(out.join("points"));
}

fn write_all(staged: &mut Staged, bytes: &[u8], out: &Path) -> Result<()> {
    use std::io::Write;
    staged
        .write_all(bytes)
        .map_err(|e| Error::io(format!("cannot write in {}", out.display()), e))
}

/// The header of an assembled file: `point`, the parameters, then `columns`.
fn header(manifest: &SweepManifest, columns: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut h = vec!["point".to_string()];
    h.extend(manifest.parameters.iter().cloned());
    h.extend(columns.iter().map(|c| c.to_string()));
    w.write_record(&h)
        .map_err(|e| Error::Other(format!("cannot render a header: {e}")))?;
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render a header: {e}")))
}

/// The rows of a CSV point summary file (no header: point, parameters, then the summary's).
fn parse_point_summary(bytes: &[u8], params: usize) -> Result<Vec<SummaryRow>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::Other(format!("cannot read a point's summary: {e}")))?;
        let get = |k: usize| rec.get(1 + params + k).unwrap_or_default();
        let num = |k: usize| get(k).parse::<f64>().unwrap_or(f64::NAN);
        let Ok(year) = get(1).parse::<u16>() else {
            continue;
        };
        rows.push(SummaryRow {
            scenario: get(0).into(),
            year,
            port: get(2).into(),
            cargo: get(3).into(),
            metric: get(4).into(),
            mean: num(5),
            ci95_low: num(6),
            ci95_high: num(7),
            n: get(8).parse().unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// The summary rows of a finished Parquet sweep's `kpis.parquet` for which `keep(port,
/// metric)` holds, each with its point index — read a point at a time.
///
/// # Errors
/// If the file cannot be read.
pub fn parquet_sweep_summary(
    dir: &Path,
    parameters: usize,
    keep: &dyn Fn(&str, &str) -> bool,
) -> Result<Vec<(usize, SummaryRow)>> {
    let path = dir.join("kpis.parquet");
    let file = std::fs::File::open(&path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let mut out = Vec::new();
    for_each_row_group(file, &path.display().to_string(), |t| {
        let Some(Column::Int(points)) = t.columns.first() else {
            return Err(Error::Other(format!("{}: no point column", path.display())));
        };
        if points.len() != t.rows() {
            return Err(Error::Other(format!(
                "{}: a short point column",
                path.display()
            )));
        }
        // A row group holds whole points, one after another.
        let mut start = 0;
        while start < points.len() {
            let point = points[start];
            let end = start + points[start..].iter().take_while(|&&p| p == point).count();
            for r in point_summary(&t.slice(start..end), parameters)? {
                if keep(&r.port, &r.metric) {
                    out.push((point as usize, r));
                }
            }
            start = end;
        }
        Ok(())
    })?;
    Ok(out)
}
