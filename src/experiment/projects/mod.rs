//! `portsim projects`: when each of a scenario's projects becomes necessary.
//!
//! For every project the scenario includes, the scenario is run with all its projects and
//! without that one (ablation: leaving one out of the full set, so a project that others build
//! on is judged with them in place), over the design years, with the same seed — common random
//! numbers across years and across with/without. For this judgement every project is in
//! service from the first design year (whatever its planned year), so that a project can be
//! found needed before it is planned; the "with all" runs are shared by every project. A project's **needed year** is the first
//! design year in which the scenario without it breaks a planning limit that the scenario with
//! it meets:
//!
//! - the waiting ratio (mean wait / mean service) above the scenario's `[planning]
//!   wait_ratio_max`: of a port's cargo class; at a terminal whose cargoes have different
//!   limits, of each class's calls there against the class's own (as `portsim capacity` judges
//!   the terminal where every class has a limit); and of a terminal as a whole, against the
//!   loosest limit of its cargoes (none if one of them has none);
//! - a terminal's berth occupancy above PIANC's allowable occupancy for its number of berths
//!   at that limit (E2/E2/n, [`crate::theory::allowable_occupancy`]; each variant by
//!   its own berths), or above a flat ceiling the scenario gives;
//! - a terminal's yard full for more hours a year than the limit;
//! - more of a port's rail cargo of a class diverted to road (after waiting too long for a
//!   train) than the limit's share;
//! - a tank's stock-outs above the limit's hours a year, or its send-out short of demand by
//!   more than the limit's share of the year's.
//!
//! The limits besides the waiting ratio are the scenario's `[planning] limits`, with defaults
//! in [`crate::model::PlanningLimits`].
//!
//! It is judged on the means (`needed_year`) and at each end of the 95 % intervals: the
//! earliest year in which it could be needed (`needed_year_low`: the upper end without it
//! above the limit, the lower end with it within) and the latest (`needed_year_high`: the lower
//! end without it above, the upper end with it within) — each also asking that the project
//! lower the metric, replication by replication (the 95 % interval of the paired difference
//! above zero) and by at least [`MATERIAL_SHARE`] of the limit on average, so that a row near
//! its limit that moves by chance, or by a hair, does not make a project needed. Each condition implies the one before, so `needed_year_low ≤ needed_year ≤
//! needed_year_high`. No such year: not needed by the
//! horizon (the last design year).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

mod judge;
mod value;

pub use judge::{Limit, MATERIAL_SHARE};
pub use value::{
    Benefit, benefit_in, best_opening_year, capital_recovery_factor, first_year_return, value,
};

use super::{RunOptions, run_scenario};
use crate::error::Result;
use crate::model::{Model, Projects};
use crate::results::summarise;
use judge::{JUDGED, judge, limits};
use value::{BENEFIT_METRICS, appraise, benefits};

/// How to run `projects`.
#[derive(Clone, Debug)]
pub struct ProjectsOptions {
    /// Design years, ascending.
    pub years: Vec<u16>,
    /// Replications per design year.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// The most events one run may take (see [`RunOptions::max_events`]).
    pub max_events: u64,
    /// Judge only this shard's projects (the `k`-th included project, from 0, belongs to shard
    /// `k mod count + 1`); every shard runs the shared "with all" variant itself, so shards
    /// merge to the same bytes as one run.
    pub shard: Option<super::Shard>,
}

impl ProjectsOptions {
    /// Whether the `k`-th included project (from 0) is judged by this run.
    pub fn judges(&self, k: usize) -> bool {
        self.shard.is_none_or(|s| k % s.count + 1 == s.index)
    }
}

/// A project's answer with only its years set (a test's: what the tables show of it).
#[cfg(test)]
pub(crate) fn need_for_test(project: &str, years: [Option<u16>; 3]) -> ProjectNeed {
    serde_json::from_value(serde_json::json!({
        "project": project, "in_service_year": 2025,
        "needed_year": years[0], "needed_year_low": years[1], "needed_year_high": years[2],
        "binding": null, "note": null, "capex_cny": null, "npv_cny": null, "bcr": null,
        "npv_from_needed_cny": null, "benefits": [], "benefit_parts": [],
        "pv_benefit_parts": null, "pv_cost_cny": null, "npv_ci95_cny": null
    }))
    .expect("a project's answer")
}

/// One project's answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProjectNeed {
    /// The project.
    pub project: String,
    /// Its planned first year in service.
    pub in_service_year: u16,
    /// First design year the scenario without it breaks a limit that with it is met (means).
    pub needed_year: Option<u16>,
    /// The same, at the intervals' ends that make it earliest.
    pub needed_year_low: Option<u16>,
    /// The same, at the intervals' ends that make it latest.
    pub needed_year_high: Option<u16>,
    /// The limit behind `needed_year`.
    pub binding: Option<Limit>,
    /// Why it could not be judged (the scenario without it is invalid), if so.
    pub note: Option<String>,
    /// Its costs, where the scenario gives them.
    pub capex_cny: Option<f64>,
    /// Net present value over its life from its planned year, CNY (with costs and
    /// `[economics]`), at the first design year.
    pub npv_cny: Option<f64>,
    /// Benefit–cost ratio over the same life.
    pub bcr: Option<f64>,
    /// Net present value were it in service from its needed year instead (also at the first
    /// design year: the two compare).
    pub npv_from_needed_cny: Option<f64>,
    /// The benefit of each design year: the cluster's costs without it less with it, CNY
    /// (empty without `[economics]`).
    pub benefits: Vec<(u16, f64)>,
    /// The same by what it saves (ship time, cargo time, land transport, send-out, CO₂).
    pub benefit_parts: Vec<Benefit>,
    /// The present value of each part over its life from its planned year (`year`: that
    /// year), at the first design year, where it has costs.
    pub pv_benefit_parts: Option<Benefit>,
    /// The present value of its costs over the same life (capital and operating).
    pub pv_cost_cny: Option<f64>,
    /// The 95 % interval of `npv_cny` (Student-t, of the mean over replications: each
    /// replication's paired benefit stream valued on its own).
    pub npv_ci95_cny: Option<(f64, f64)>,
    /// The year every present value is at (the first design year run), where it has a value.
    #[serde(default)]
    pub pv_year: Option<u16>,
    /// `npv_cny` over the years simulated only (its planned year to the last design year)
    /// against its whole capital cost: what the value is without the last design year's
    /// benefit held to the end of its life.
    #[serde(default)]
    pub npv_within_horizon_cny: Option<f64>,
    /// Its first-year rate of return at its planned year: that year's benefit less its
    /// running cost, over its capital cost (see [`first_year_return`]).
    #[serde(default)]
    pub first_year_return: Option<f64>,
    /// The year from which it is worth having, among the design years' span (benefits
    /// interpolated between them), where one is (see [`best_opening_year`]): when it is worth
    /// building, as `needed_year` is when it is needed.
    #[serde(default)]
    pub best_year: Option<u16>,
    /// `best_year` at the high end of each year's 95 % interval of the benefit (the earliest
    /// the replications allow).
    #[serde(default)]
    pub best_year_low: Option<u16>,
    /// `best_year` at the low end (the latest; `None`: not within the span at that end).
    #[serde(default)]
    pub best_year_high: Option<u16>,
    /// The NPV opened in `best_year`, at `pv_year`.
    #[serde(default)]
    pub npv_best_cny: Option<f64>,
}

impl ProjectNeed {
    /// A project not (yet) judged: no needed year, no binding limit, no value.
    fn unjudged(project: &str, in_service_year: u16) -> ProjectNeed {
        ProjectNeed {
            project: project.to_string(),
            in_service_year,
            needed_year: None,
            needed_year_low: None,
            needed_year_high: None,
            binding: None,
            note: None,
            capex_cny: None,
            npv_cny: None,
            bcr: None,
            npv_from_needed_cny: None,
            benefits: Vec::new(),
            benefit_parts: Vec::new(),
            pv_benefit_parts: None,
            pv_cost_cny: None,
            npv_ci95_cny: None,
            pv_year: None,
            npv_within_horizon_cny: None,
            first_year_return: None,
            best_year: None,
            best_year_low: None,
            best_year_high: None,
            npv_best_cny: None,
        }
    }
}

/// (year, port, cargo, metric) → (mean, low, high).
type Means = BTreeMap<(u16, String, String, String), (f64, f64, f64)>;

/// (year, port, cargo, metric) → each replication's value, for the judged metrics: the
/// differences with and without a project are paired replication by replication.
type PerRep = BTreeMap<(u16, String, String, String), Vec<f64>>;

/// A variant's figures: means with intervals, and the judged metrics by replication.
struct Figures {
    means: Means,
    reps: PerRep,
}

/// Whether a metric is kept from the runs: the judged limits (see [`JUDGED`]), the berth
/// counts behind the occupancy limits, and the benefits' parts.
fn kept(metric: &str) -> bool {
    JUDGED.contains(&metric)
        || BENEFIT_METRICS.contains(&metric)
        || metric == "berths"
        || metric == "send_out_short_t"
}

/// Runs the scenario with all its projects and without each, and finds each project's needed
/// year. `progress(done, total)` is called after every run.
///
/// # Errors
/// [`crate::Error::Usage`] if the scenario includes no projects, the options are invalid or
/// ask for fewer than 2 replications;
/// a simulation error if a run breaks an invariant.
pub fn project_needs(
    model: &Model,
    options: &ProjectsOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<ProjectNeed>> {
    if options.replications < 2 {
        // One replication has no interval of the paired difference, so every project would
        // read "not needed" (see `judge::lowers`).
        return Err(crate::Error::Usage(
            "projects needs at least 2 replications (--reps 2 or more): a project is needed only where it lowers a metric with the 95 % interval of the paired difference above zero, which one replication cannot give".into(),
        ));
    }
    let Some(projects) = model.projects.clone() else {
        return Err(crate::Error::Usage(format!(
            "scenario `{}` includes no projects (`projects = [...]`): nothing to judge",
            model.name
        )));
    };
    let n = (0..projects.included.len())
        .filter(|&k| options.judges(k))
        .count();
    let per_variant = options.years.len() * options.replications as usize;
    let total = (n + 1) * per_variant;
    let done = AtomicUsize::new(0);
    let run = |m: &Model| -> Result<Figures> {
        let opts = RunOptions {
            replications: options.replications,
            seed: options.seed,
            years: options.years.clone(),
            threads: options.threads,
            sim: Default::default(),
            max_events: options.max_events,
        };
        let base = done.load(Ordering::Relaxed);
        let runs = run_scenario(m, &opts, &|k, _| progress(base + k, total))?;
        done.fetch_add(per_variant, Ordering::Relaxed);
        Ok(Figures {
            means: means(&runs),
            reps: per_rep(&runs),
        })
    };
    // Every project in service from the first design year: a project can be needed before its
    // planned year only if it could be there.
    let first = options
        .years
        .first()
        .copied()
        .unwrap_or(model.settings.base_year);
    let early = projects.in_service_by(first);
    let mut with_model = model.clone();
    with_model.projects = Some(Arc::new(early));
    let with = run(&with_model)?;
    let limits = limits(model, &with.means);
    let early = with_model.projects.clone().expect("set above");
    let mut out = Vec::with_capacity(n);
    for (k, (name, year)) in projects.included.iter().enumerate() {
        if !options.judges(k) {
            continue;
        }
        let mut without_model = model.clone();
        without_model.projects = Some(Arc::new(early.without(k)));
        let need = match run(&without_model) {
            Ok(without) => {
                let mut need = judge(name, *year, &options.years, &limits, &with, &without);
                if let Some(e) = &model.economics {
                    let by_rep = benefits(
                        e,
                        &options.years,
                        (&with.reps, &without.reps),
                        model.settings.measured_days,
                    );
                    appraise(
                        &mut need,
                        &by_rep,
                        projects.costs[k],
                        e.discount_rate,
                        first,
                    );
                }
                need
            }
            Err(crate::Error::Scenario(e)) => {
                done.fetch_add(per_variant, Ordering::Relaxed);
                ProjectNeed {
                    note: Some(format!("cannot be left out of the others: {}", e.brief())),
                    ..ProjectNeed::unjudged(name, *year)
                }
            }
            Err(e) => return Err(e),
        };
        out.push(need);
    }
    Ok(out)
}

impl Projects {
    /// The same projects, each in service by `first` at the latest: a later one from `first`,
    /// an earlier one from its own year (moved to `first`, a value ramping up since would
    /// start its ramp again).
    pub fn in_service_by(&self, first: u16) -> Projects {
        let mut p = self.clone();
        for (_, year) in &mut p.included {
            *year = (*year).min(first);
        }
        p
    }

    /// The same projects without the `k`-th included one.
    fn without(&self, k: usize) -> Projects {
        let mut p = self.clone();
        p.included.remove(k);
        p.costs.remove(k);
        p
    }
}

/// The judged metrics' values by replication, and the benefits' (the cluster's rows; the
/// tanks' send-out missed by port and cargo).
fn per_rep(runs: &crate::results::ScenarioRuns) -> PerRep {
    let n = runs.replications as usize;
    let mut out = PerRep::new();
    for r in &runs.runs {
        let kept = |k: &&crate::results::Kpi| {
            JUDGED.contains(&k.metric)
                || (BENEFIT_METRICS.contains(&k.metric) && k.port == "ALL" && k.cargo == "ALL")
                || (k.metric == "send_out_short_t" && !k.port.contains('/'))
        };
        for k in r.kpis.iter().filter(kept) {
            let key = (
                r.year,
                k.port.clone(),
                k.cargo.clone(),
                k.metric.to_string(),
            );
            out.entry(key).or_insert_with(|| vec![f64::NAN; n])[r.replication as usize] = k.value;
        }
    }
    out
}

/// The judged metrics' means and intervals.
fn means(runs: &crate::results::ScenarioRuns) -> Means {
    summarise(runs)
        .into_iter()
        .filter(|r| kept(&r.metric))
        .map(|r| {
            (
                (r.year, r.port, r.cargo, r.metric),
                (r.mean, r.ci95_low, r.ci95_high),
            )
        })
        .collect()
}
