//! `portsim projects`: when each of a scenario's projects is needed (see
//! [`crate::experiment::project_needs`]); writes `projects.csv` and `projects.json`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Progress, out_dir, results_dir, say};
use crate::error::{Error, Result};
use crate::experiment::{ProjectNeed, ProjectsOptions, Shard, project_needs};
use crate::report::output::{ScenarioManifest, write_results};
use crate::scenario;
use crate::sim::DEFAULT_MAX_EVENTS;

/// What `portsim projects` was asked.
#[derive(Clone, Debug)]
pub struct ProjectsRequest {
    /// A scenario file or built-in name (it must include projects).
    pub scenario: String,
    /// Design years: `2021-2035` or `2021,2025,2030` (default: the scenario's).
    pub years: Option<String>,
    /// Replications per design year.
    pub reps: u32,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Output directory (default: `out/<scenario>-projects`).
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// No progress output.
    pub quiet: bool,
    /// The most events one run may take (default [`DEFAULT_MAX_EVENTS`]).
    pub max_events: Option<u64>,
    /// A demand future for every uncertain draw: `low`, `central` or `high` (their 10th, 50th
    /// or 90th percentiles; default: drawn per replication).
    pub demand: Option<String>,
    /// Judge only shard `I/N` of the projects (merged by `portsim merge`).
    pub shard: Option<String>,
}

/// The quantile every uncertain demand draw is fixed at for `--demand low|central|high`.
///
/// # Errors
/// [`Error::Usage`] naming what was expected.
pub fn demand_quantile(name: &str) -> Result<f64> {
    match name {
        "low" => Ok(0.1),
        "central" => Ok(0.5),
        "high" => Ok(0.9),
        _ => Err(Error::Usage(format!(
            "--demand {name}: expected low, central or high (every uncertain demand draw at its 10th, 50th or 90th percentile)"
        ))),
    }
}

/// The columns of `projects.csv`, in order.
pub const PROJECTS_COLUMNS: [&str; 25] = [
    "scenario",
    "project",
    "in_service_year",
    "needed_year",
    "needed_year_low",
    "needed_year_high",
    "binding_port",
    "binding_metric",
    "capex_cny",
    "npv_cny",
    "bcr",
    "binding_cargo",
    "binding_limit",
    "horizon",
    "note",
    "npv_from_needed_cny",
    "npv_ci95_low_cny",
    "npv_ci95_high_cny",
    "pv_year",
    "npv_within_horizon_cny",
    "first_year_return",
    "best_year",
    "npv_best_cny",
    "best_year_low",
    "best_year_high",
];

/// Design years as given on the command line: a list like `2021,2025`, a range like
/// `2021-2035`, or both (`2020,2025-2030`), spaces allowed; in the order given. Whether each
/// year suits the scenario is checked with the run's options
/// ([`crate::experiment::check_options`]).
///
/// # Errors
/// [`Error::Usage`] saying what was expected, or which year is given twice.
pub fn parse_years(text: &str) -> Result<Vec<u16>> {
    years_in(text).map_err(|m| Error::Usage(format!("--years {text}: {m}")))
}

/// [`parse_years`]' reading, its error without the option's name.
///
/// # Errors
/// What was expected, or which year is given twice.
pub fn years_in(text: &str) -> std::result::Result<Vec<u16>, String> {
    let year = |s: &str, item: &str| -> std::result::Result<u16, String> {
        let s = s.trim();
        s.parse().map_err(|_| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                // A number, too large for a year.
                format!("design year {s}: expected design years up to 2200")
            } else {
                format!(
                    "expected a list like 2020,2025 or a range like 2021-2035, found `{}`",
                    item.trim()
                )
            }
        })
    };
    let mut years: Vec<u16> = Vec::new();
    for item in text.split(',') {
        let span = match item.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (year(a, item)?, year(b, item)?);
                if a > b {
                    return Err(format!(
                        "a range runs from an earlier year to a later one, found `{}`",
                        item.trim()
                    ));
                }
                if b - a > 1000 {
                    return Err(format!(
                        "expected a range of at most 1000 years, found `{}`",
                        item.trim()
                    ));
                }
                a..=b
            }
            None => {
                let y = year(item, item)?;
                y..=y
            }
        };
        for y in span {
            if years.contains(&y) {
                return Err(format!("design year {y} is given twice"));
            }
            years.push(y);
        }
    }
    Ok(years)
}

/// `portsim projects`: runs the scenario with all its projects and without each, writes
/// projects.csv and projects.json, and returns the output directory.
///
/// # Errors
/// Invalid input ([`Error::Usage`], a scenario error); a run that breaks an invariant.
pub fn projects(req: &ProjectsRequest, out: &mut dyn Write) -> Result<PathBuf> {
    let (mut model, source) = scenario::load(&req.scenario)?;
    let years = match &req.years {
        Some(y) => {
            let mut years = parse_years(y)?;
            years.sort_unstable();
            years
        }
        None => model.settings.years.clone(),
    };
    if let Some(&y) = years.iter().find(|&&y| y < model.settings.base_year) {
        return Err(Error::Usage(format!(
            "--years: {y} is before the scenario's base year {}",
            model.settings.base_year
        )));
    }
    if let Some(d) = &req.demand {
        model.settings.demand_quantile = Some(demand_quantile(d)?);
    }
    let shard = req.shard.as_deref().map(Shard::parse).transpose()?;
    let options = ProjectsOptions {
        years: years.clone(),
        replications: req.reps,
        seed: req.seed.unwrap_or(model.settings.seed),
        threads: req.threads,
        max_events: req.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
        shard,
    };
    let mut suffix = req
        .demand
        .as_ref()
        .map_or(String::new(), |d| format!("-{d}"));
    if let Some(s) = shard {
        suffix.push_str(&format!("-shard-{}-of-{}", s.index, s.count));
    }
    let out_dir = results_dir(
        req.out.clone(),
        PathBuf::from("out").join(format!("{}-projects{suffix}", model.name)),
        "projects",
    )?;
    let included = model.projects.as_ref().map_or(0, |p| p.included.len());
    let judged: Vec<usize> = (0..included).filter(|&k| options.judges(k)).collect();
    let total = (judged.len() + 1) * years.len() * req.reps as usize;
    let progress = Progress::new(total, &format!("{} projects", model.name), req.quiet);
    let needs = project_needs(&model, &options, &|done, _| progress.set(done))?;
    progress.finish();
    let mut manifest = serde_json::json!({
        "portsim_version": env!("CARGO_PKG_VERSION"),
        "command": "projects",
        "scenario": ScenarioManifest::new(&model, &source),
        "seed": options.seed,
        "replications": req.reps,
        "years": years,
        "demand": req.demand.as_deref().unwrap_or("drawn"),
        "projects_included": included,
    });
    if let Some(s) = shard {
        manifest["shard"] =
            serde_json::json!({ "index": s.index, "count": s.count, "judged": judged });
    }
    write_projects(&out_dir, &manifest, &needs)?;
    let horizon = *years.last().expect("years are never empty");
    say(out, render_table(&needs, horizon))?;
    let unvalued: Vec<&str> = needs
        .iter()
        .filter(|n| n.npv_cny.is_none() && n.note.is_none())
        .map(|n| n.project.as_str())
        .collect();
    if model.economics.is_none() {
        say(
            out,
            "warning: the scenario has no [economics]: the value columns (capex_cny, npv_cny, bcr) are empty\n",
        )?;
    } else if !unvalued.is_empty() {
        say(
            out,
            format_args!(
                "warning: no costs (capex_cny, opex_cny_per_yr, life_yr) for {}: their value columns are empty\n",
                unvalued.join(", ")
            ),
        )?;
    }
    // As every command says it: the files, then the report (a whole run's, not a shard's).
    let what = if shard.is_some() {
        "projects.csv, projects.json; `portsim merge` joins the shards"
    } else {
        "projects.csv, projects.json"
    };
    say(out, format_args!("wrote {} ({what})\n", out_dir.display()))?;
    super::charts_and_report(&out_dir, shard.is_some(), out)?;
    Ok(out_dir)
}

/// Writes projects.csv and projects.json.
fn write_projects(
    out_dir: &Path,
    manifest: &serde_json::Value,
    needs: &[ProjectNeed],
) -> Result<()> {
    let years: Vec<u16> = serde_json::from_value(manifest["years"].clone())
        .map_err(|e| Error::Other(format!("projects manifest: {e}")))?;
    let Some(&horizon) = years.last() else {
        return Err(Error::Other("projects manifest: no design years".into()));
    };
    let name = manifest["scenario"]["name"].as_str().unwrap_or_default();
    let csv_bytes = render_projects_csv(name, horizon, needs)?;
    let document = serde_json::json!({ "manifest": manifest, "projects": needs });
    let mut json = serde_json::to_vec_pretty(&document)
        .map_err(|e| Error::Other(format!("cannot render projects.json: {e}")))?;
    json.push(b'\n');
    write_results(
        out_dir,
        &[("projects.csv", csv_bytes), ("projects.json", json)],
    )
}

/// Whether `dir` holds a `portsim projects` run (or shard) rather than a sweep's.
pub fn is_projects_dir(dir: &Path) -> bool {
    dir.join("projects.json").is_file() && !dir.join("sweep.json").exists()
}

/// `portsim merge` of `portsim projects --shard` directories: checks that they are shards of
/// one run, all present once, and writes what the run unsharded would have written.
///
/// # Errors
/// [`Error::Usage`] naming the directory that differs, or the shards missing.
pub fn merge_projects(
    dirs: &[PathBuf],
    to: &Path,
    no_charts: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut common: Option<serde_json::Value> = None;
    let mut by_index: BTreeMap<usize, ProjectNeed> = BTreeMap::new();
    let mut count = None;
    let mut seen = Vec::new();
    let mut first_file: Option<serde_json::Value> = None;
    for d in dirs {
        let path = d.join("projects.json");
        let bad = |e: String| Error::Usage(format!("{}: {e}", path.display()));
        let text = std::fs::read(&path).map_err(|e| bad(format!("cannot read: {e}")))?;
        let doc: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| bad(format!("not portsim's: {e}")))?;
        let mut manifest = doc["manifest"].clone();
        // Shards of one run may have been started with the scenario under different paths: the
        // scenario is the same if its name and text are.
        let file = manifest["scenario"]
            .as_object_mut()
            .and_then(|m| m.remove("file"));
        let Some(shard) = manifest.as_object_mut().and_then(|m| m.remove("shard")) else {
            return Err(bad("not a shard (run with --shard I/N)".into()));
        };
        let needs: Vec<ProjectNeed> = serde_json::from_value(doc["projects"].clone())
            .map_err(|e| bad(format!("not portsim's: {e}")))?;
        let judged: Vec<usize> = serde_json::from_value(shard["judged"].clone())
            .map_err(|e| bad(format!("not portsim's: {e}")))?;
        let (index, n) = (shard["index"].as_u64(), shard["count"].as_u64());
        let mut with_file = manifest.clone();
        if let Some(f) = file {
            with_file["scenario"]["file"] = f;
        }
        match &common {
            None => common = Some(manifest),
            Some(c) if *c != manifest => {
                let differs: Vec<&str> = [
                    "scenario",
                    "seed",
                    "replications",
                    "years",
                    "demand",
                    "portsim_version",
                ]
                .into_iter()
                .filter(|k| c[*k] != manifest[*k])
                .collect();
                return Err(bad(format!(
                    "a different run from {} (differs in: {})",
                    dirs[0].display(),
                    differs.join(", ")
                )));
            }
            Some(_) => {}
        }
        if count.is_some_and(|c| Some(c) != n) {
            return Err(bad("shards of a different count".into()));
        }
        count = n;
        if seen.contains(&index) {
            return Err(bad(format!("shard {} given twice", index.unwrap_or(0))));
        }
        seen.push(index);
        if judged.len() != needs.len() {
            return Err(bad("its shard list does not match its projects".into()));
        }
        let (Some(index), Some(n)) = (index, n) else {
            return Err(bad("its shard has no index or count".into()));
        };
        let included = with_file["projects_included"].as_u64().unwrap_or(0) as usize;
        if judged
            .iter()
            .any(|&k| k >= included || k % n as usize + 1 != index as usize)
        {
            return Err(bad(format!(
                "its projects are not those of shard {index}/{n}"
            )));
        }
        by_index.extend(judged.into_iter().zip(needs));
        if first_file.is_none() {
            first_file = Some(with_file);
        }
    }
    if common.is_none() {
        return Err(Error::Usage("merge needs at least one directory".into()));
    }
    let Some(manifest) = first_file else {
        return Err(Error::Usage("merge needs at least one directory".into()));
    };
    let included = manifest["projects_included"].as_u64().unwrap_or(0) as usize;
    let count = count.unwrap_or(1) as usize;
    let missing: Vec<String> = (1..=count)
        .filter(|i| !seen.contains(&Some(*i as u64)))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() || by_index.len() != included {
        return Err(Error::Usage(format!(
            "the shards do not cover every project: rerun --shard {}",
            missing.join(", --shard ")
        )));
    }
    let needs: Vec<ProjectNeed> = by_index.into_values().collect();
    let to = out_dir(Some(to.to_path_buf()), PathBuf::new())?;
    write_projects(&to, &manifest, &needs)?;
    say(
        out,
        format_args!(
            "merged {} shards: {} projects; wrote {} (projects.csv, projects.json)\n",
            dirs.len(),
            needs.len(),
            to.display()
        ),
    )?;
    super::charts_and_report(&to, no_charts, out)
}

fn num_cell(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map_or(String::new(), crate::report::output::fmt_num)
}

fn year_cell(y: Option<u16>) -> String {
    y.map_or(String::new(), |y| y.to_string())
}

/// `projects.csv`: one row per project, the columns of [`PROJECTS_COLUMNS`].
///
/// # Errors
/// [`Error::Io`]-like failures of the CSV writer.
pub fn render_projects_csv(scenario: &str, horizon: u16, needs: &[ProjectNeed]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Other(format!("cannot render projects.csv: {e}"));
    w.write_record(PROJECTS_COLUMNS).map_err(fail)?;
    for n in needs {
        let b = n.binding.as_ref();
        w.write_record([
            scenario.to_string(),
            n.project.clone(),
            n.in_service_year.to_string(),
            year_cell(n.needed_year),
            year_cell(n.needed_year_low),
            year_cell(n.needed_year_high),
            b.map_or(String::new(), |b| b.port.clone()),
            b.map_or(String::new(), |b| b.metric.clone()),
            num_cell(n.capex_cny),
            num_cell(n.npv_cny),
            num_cell(n.bcr),
            b.map_or(String::new(), |b| b.cargo.clone()),
            b.map_or(String::new(), |b| crate::report::output::fmt_num(b.max)),
            horizon.to_string(),
            n.note.clone().unwrap_or_default(),
            num_cell(n.npv_from_needed_cny),
            num_cell(n.npv_ci95_cny.map(|c| c.0)),
            num_cell(n.npv_ci95_cny.map(|c| c.1)),
            year_cell(n.pv_year),
            num_cell(n.npv_within_horizon_cny),
            num_cell(n.first_year_return),
            year_cell(n.best_year),
            num_cell(n.npv_best_cny),
            year_cell(n.best_year_low),
            year_cell(n.best_year_high),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render projects.csv: {e}")))
}

/// The console table: each project's planned and needed years, in columns.
fn render_table(needs: &[ProjectNeed], horizon: u16) -> String {
    let row = |project: &str, planned: &str, needed: &str, range: &str, binding: &str| {
        let line = format!("{project:<42}{planned:>7}  {needed:<11}  {range:<20}  {binding}");
        format!("{}\n", line.trim_end())
    };
    let mut s = row("project", "planned", "needed", "(95 % range)", "binding");
    for n in needs {
        let planned = n.in_service_year.to_string();
        let line = match (n.needed_year, &n.note) {
            // A note (no answer) takes the rest of the line.
            (_, Some(note)) => row(&n.project, &planned, &format!("— {note}"), "", ""),
            // Not needed on the means, but could be at the intervals' earliest ends.
            (None, None) => {
                let range = n
                    .needed_year_low
                    .map_or(String::new(), |lo| format!("(could be from {lo})"));
                row(
                    &n.project,
                    &planned,
                    &format!("not by {horizon}"),
                    &range,
                    "",
                )
            }
            (Some(y), None) => {
                let lo = year_cell(n.needed_year_low);
                let hi = n
                    .needed_year_high
                    .map_or(format!("after {horizon}"), |h| h.to_string());
                let b = n.binding.as_ref().map_or(String::new(), |b| {
                    format!(
                        "{} {} {} > {}",
                        b.port,
                        b.cargo,
                        b.metric,
                        crate::report::output::fmt_num(b.max)
                    )
                });
                row(
                    &n.project,
                    &planned,
                    &y.to_string(),
                    &format!("({lo}–{hi})"),
                    &b,
                )
            }
        };
        s.push_str(&line);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::render_table;
    use crate::experiment::need_for_test as need;

    #[test]
    fn the_table_gives_every_range_the_csv_has() {
        let table = render_table(
            &[
                need("a", [Some(2025), Some(2025), None]),
                need("b", [None, Some(2030), None]),
                need("c", [None, None, None]),
            ],
            2030,
        );
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[1].contains("2025         (2025–after 2030)"),
            "{table}"
        );
        assert!(
            lines[2].ends_with("not by 2030  (could be from 2030)"),
            "{table}"
        );
        assert!(lines[3].ends_with("not by 2030"), "{table}");
        // Each range starts under its header's column (counted in characters: "–" is one).
        let column = |line: &str, what: &str| line[..line.find(what).expect(what)].chars().count();
        let range = column(lines[0], "(95 % range)");
        assert_eq!(column(lines[1], "(2025"), range, "{table}");
        assert_eq!(column(lines[2], "(could"), range, "{table}");
        let needed: String = lines[1].chars().skip(column(lines[0], "needed")).collect();
        assert!(needed.starts_with("2025 "), "{table}");
    }
}
