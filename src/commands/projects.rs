//! `portsim projects`: when each of a scenario's projects is needed (see
//! [`crate::experiment::project_needs`]); writes `projects.csv` and `projects.json`.

use std::io::Write;
use std::path::PathBuf;

use super::{Progress, out_dir, say};
use crate::error::{Error, Result};
use crate::experiment::{ProjectNeed, ProjectsOptions, project_needs};
use crate::report::output::ScenarioManifest;
use crate::report::write_atomically;
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
}

/// The columns of `projects.csv`, in order.
pub const PROJECTS_COLUMNS: [&str; 16] = [
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
];

/// Design years from `2021-2035` (a range) or `2021,2025` (a list), each from 2000 to 2100.
///
/// # Errors
/// [`Error::Usage`] naming what was expected.
pub fn parse_years(text: &str) -> Result<Vec<u16>> {
    let bad = || {
        Error::Usage(format!(
            "--years {text}: expected a range like 2021-2035 or a list like 2021,2025, years from 2000 to 2100"
        ))
    };
    let year = |s: &str| -> Result<u16> {
        let y: u16 = s.trim().parse().map_err(|_| bad())?;
        if (2000..=2100).contains(&y) {
            Ok(y)
        } else {
            Err(bad())
        }
    };
    let mut years: Vec<u16> = match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            if a > b {
                return Err(bad());
            }
            (a..=b).collect()
        }
        None => text.split(',').map(year).collect::<Result<_>>()?,
    };
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

/// `portsim projects`: runs the scenario with all its projects and without each, writes
/// projects.csv and projects.json, and returns the output directory.
///
/// # Errors
/// Invalid input ([`Error::Usage`], a scenario error); a run that breaks an invariant.
pub fn projects(req: &ProjectsRequest, out: &mut dyn Write) -> Result<PathBuf> {
    let (model, source) = scenario::load(&req.scenario)?;
    let years = match &req.years {
        Some(y) => parse_years(y)?,
        None => model.settings.years.clone(),
    };
    if let Some(&y) = years.iter().find(|&&y| y < model.settings.base_year) {
        return Err(Error::Usage(format!(
            "--years: {y} is before the scenario's base year {}",
            model.settings.base_year
        )));
    }
    let options = ProjectsOptions {
        years: years.clone(),
        replications: req.reps,
        seed: req.seed.unwrap_or(model.settings.seed),
        threads: req.threads,
        max_events: req.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
    };
    let out_dir = out_dir(
        req.out.clone(),
        PathBuf::from("out").join(format!("{}-projects", model.name)),
    )?;
    let variants = model.projects.as_ref().map_or(0, |p| p.included.len()) + 1;
    let total = variants * years.len() * req.reps as usize;
    let progress = Progress::new(total, &format!("{} projects", model.name), req.quiet);
    let needs = project_needs(&model, &options, &|done, _| progress.set(done))?;
    progress.finish();
    let horizon = *years.last().expect("years are never empty");
    let csv_bytes = render_projects_csv(&model.name, horizon, &needs)?;
    let manifest = serde_json::json!({
        "manifest": {
            "portsim_version": env!("CARGO_PKG_VERSION"),
            "command": "projects",
            "scenario": ScenarioManifest::new(&model, &source),
            "seed": options.seed,
            "replications": req.reps,
            "years": years,
        },
        "projects": needs,
    });
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::Other(format!("cannot render projects.json: {e}")))?;
    json.push(b'\n');
    let chart = crate::report::charts::projects::needed_years(&needs, years[0], horizon)?;
    write_atomically(
        &out_dir,
        &[("projects.csv", csv_bytes), ("projects.json", json)],
    )?;
    write_atomically(
        &out_dir.join("charts"),
        &[
            ("projects-needed.svg", chart.svg.into_bytes()),
            ("projects-needed.png", chart.png),
        ],
    )?;
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
    say(
        out,
        format_args!(
            "wrote {} (projects.csv, projects.json, charts/projects-needed.svg and .png)\n",
            out_dir.display()
        ),
    )?;
    Ok(out_dir)
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
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render projects.csv: {e}")))
}

/// The console table: each project's planned and needed years.
fn render_table(needs: &[ProjectNeed], horizon: u16) -> String {
    let mut s = String::from(
        "project                                   planned  needed  (95 % range)   binding\n",
    );
    for n in needs {
        let needed = match (n.needed_year, &n.note) {
            (_, Some(note)) => format!("— {note}"),
            (None, None) => format!("not by {horizon}"),
            (Some(y), None) => {
                let lo = year_cell(n.needed_year_low);
                let hi = n
                    .needed_year_high
                    .map_or(format!(">{horizon}"), |h| h.to_string());
                let b = n.binding.as_ref().map_or(String::new(), |b| {
                    format!(
                        "{} {} {} > {}",
                        b.port,
                        b.cargo,
                        b.metric,
                        crate::report::output::fmt_num(b.max)
                    )
                });
                format!("{y}    ({lo}–{hi})    {b}")
            }
        };
        s.push_str(&format!(
            "{:<42}{:>7}  {}\n",
            n.project, n.in_service_year, needed
        ));
    }
    s
}
