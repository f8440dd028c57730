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
//! - the waiting ratio (mean wait / mean service) of a port's cargo class, and of a terminal
//!   (against the strictest limit of the cargoes it handles), above the scenario's
//!   `[planning] wait_ratio_max`;
//! - a tank's stock-outs above [`STOCKOUT_LIMIT_H`] hours a year, or its send-out short of
//!   demand by more than [`SEND_OUT_SHORT_LIMIT`] of the year's.
//!
//! It is judged on the means (`needed_year`) and at each end of the 95 % intervals: the
//! earliest year in which it could be needed (`needed_year_low`: the upper end without it
//! above the limit, the lower end with it within) and the latest (`needed_year_high`: the lower
//! end without it above, the upper end with it within) — each also asking that the project
//! lower the metric, replication by replication (the 95 % interval of the paired difference
//! above zero), so that a row near its limit that moves by chance does not make a project
//! needed. Each condition implies the one before, so `needed_year_low ≤ needed_year ≤
//! needed_year_high`. No such year: not needed by the
//! horizon (the last design year).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::{RunOptions, run_scenario};
use crate::error::Result;
use crate::model::{CargoClass, Economics, Model, ProjectCost, Projects};
use crate::results::summarise;

/// Stock-out hours a year above which a tank's supply is judged short (assumption: one day of
/// a year's send-out missed is what an operator plans not to exceed).
pub const STOCKOUT_LIMIT_H: f64 = 24.0;

/// The share of a year's send-out a tank may miss (assumption: a terminal is planned to meet
/// 99 % of the year's demand; the rest is left to other supply).
pub const SEND_OUT_SHORT_LIMIT: f64 = 0.01;

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
}

/// A planning limit broken or met: where, which metric, and the limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limit {
    /// `Port`, or `Port/Terminal`.
    pub port: String,
    /// Cargo class, or `ALL`.
    pub cargo: String,
    /// The metric.
    pub metric: String,
    /// Its largest acceptable value.
    pub max: f64,
}

/// One project's answer.
#[derive(Clone, Debug, Serialize)]
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
    /// `[economics]`).
    pub npv_cny: Option<f64>,
    /// Benefit–cost ratio over the same life.
    pub bcr: Option<f64>,
    /// Net present value were it in service from its needed year instead.
    pub npv_from_needed_cny: Option<f64>,
    /// The benefit of each design year: the cluster's costs without it less with it, CNY
    /// (ship time, cargo time, CO₂; empty without `[economics]`).
    pub benefits: Vec<(u16, f64)>,
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

/// The metrics kept from the runs: the judged limits and the benefits.
const KEPT: [&str; 6] = [
    "wait_ratio",
    "stockout_h",
    "send_out_short_share",
    "wait_cost_cny",
    "delay_cargo_t_h",
    "co2_t",
];

/// Runs the scenario with all its projects and without each, and finds each project's needed
/// year. `progress(done, total)` is called after every run.
///
/// # Errors
/// [`crate::Error::Usage`] if the scenario includes no projects or the options are invalid;
/// a simulation error if a run breaks an invariant.
pub fn project_needs(
    model: &Model,
    options: &ProjectsOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<ProjectNeed>> {
    let Some(projects) = model.projects.clone() else {
        return Err(crate::Error::Usage(format!(
            "scenario `{}` includes no projects (`projects = [...]`): nothing to judge",
            model.name
        )));
    };
    let n = projects.included.len();
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
    let early = Projects {
        file: projects.file.clone(),
        default_name: projects.default_name.clone(),
        text: projects.text.clone(),
        included: projects
            .included
            .iter()
            .map(|(name, _)| (name.clone(), first))
            .collect(),
        costs: projects.costs.clone(),
    };
    let mut with_model = model.clone();
    with_model.projects = Some(Arc::new(early));
    let with = run(&with_model)?;
    let limits = limits(model, &with.means);
    let early = with_model.projects.clone().expect("set above");
    let mut out = Vec::with_capacity(n);
    for (k, (name, year)) in projects.included.iter().enumerate() {
        let mut without_model = model.clone();
        without_model.projects = Some(Arc::new(early.without(k)));
        let need = match run(&without_model) {
            Ok(without) => {
                let mut need = judge(name, *year, &options.years, &limits, &with, &without);
                if let Some(e) = &model.economics {
                    need.benefits = benefits(e, &options.years, &with.means, &without.means);
                    if let Some(cost) = projects.costs[k] {
                        let by_year = |y: u16| benefit_in(&need.benefits, y);
                        need.capex_cny = Some(cost.capex);
                        let (npv, bcr) = value(&by_year, *year, &cost, e.discount_rate);
                        need.npv_cny = Some(npv);
                        need.bcr = Some(bcr);
                        need.npv_from_needed_cny = need
                            .needed_year
                            .map(|y| value(&by_year, y, &cost, e.discount_rate).0);
                    }
                }
                need
            }
            Err(crate::Error::Scenario(e)) => {
                done.fetch_add(per_variant, Ordering::Relaxed);
                ProjectNeed {
                    project: name.clone(),
                    in_service_year: *year,
                    needed_year: None,
                    needed_year_low: None,
                    needed_year_high: None,
                    binding: None,
                    note: Some(format!("cannot be left out of the others: {}", e.brief())),
                    capex_cny: None,
                    npv_cny: None,
                    bcr: None,
                    npv_from_needed_cny: None,
                    benefits: Vec::new(),
                }
            }
            Err(e) => return Err(e),
        };
        out.push(need);
    }
    Ok(out)
}

impl Projects {
    /// The same projects without the `k`-th included one.
    fn without(&self, k: usize) -> Projects {
        Projects {
            file: self.file.clone(),
            default_name: self.default_name.clone(),
            text: self.text.clone(),
            included: self
                .included
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, p)| p.clone())
                .collect(),
            costs: self
                .costs
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, c)| *c)
                .collect(),
        }
    }
}

/// The judged metrics' values by replication.
fn per_rep(runs: &crate::results::ScenarioRuns) -> PerRep {
    let n = runs.replications as usize;
    let mut out = PerRep::new();
    for r in &runs.runs {
        for k in r.kpis.iter().filter(|k| JUDGED.contains(&k.metric)) {
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

/// The metrics judged against planning limits.
const JUDGED: [&str; 3] = ["wait_ratio", "stockout_h", "send_out_short_share"];

/// The judged metrics' means and intervals.
fn means(runs: &crate::results::ScenarioRuns) -> Means {
    summarise(runs)
        .into_iter()
        .filter(|r| KEPT.contains(&r.metric.as_str()))
        .map(|r| {
            (
                (r.year, r.port, r.cargo, r.metric),
                (r.mean, r.ci95_low, r.ci95_high),
            )
        })
        .collect()
}

/// The planning limits that apply to the rows the scenario reports.
fn limits(model: &Model, with: &Means) -> Vec<Limit> {
    let mut out: Vec<Limit> = Vec::new();
    for (_, port, cargo, metric) in with.keys() {
        let max = match metric.as_str() {
            "stockout_h" => Some(STOCKOUT_LIMIT_H),
            "send_out_short_share" => Some(SEND_OUT_SHORT_LIMIT),
            "wait_ratio" => None,
            _ => continue,
        }
        .or_else(|| match metric.as_str() {
            _ if port == "ALL" => None,
            _ if cargo != "ALL" => {
                CargoClass::from_name(cargo).and_then(|c| model.planning.wait_ratio_max[c.index()])
            }
            _ => port.split_once('/').and_then(|(p, t)| {
                let term = model
                    .terminals
                    .iter()
                    .find(|x| x.name == t && model.ports[x.port.index()].name == p)?;
                term.cargo
                    .iter()
                    .filter_map(|c| model.planning.wait_ratio_max[c.index()])
                    .reduce(f64::min)
            }),
        });
        let Some(max) = max else { continue };
        let limit = Limit {
            port: port.clone(),
            cargo: cargo.clone(),
            metric: metric.clone(),
            max,
        };
        if !out.contains(&limit) {
            out.push(limit);
        }
    }
    out
}

/// A project's needed years from the runs with and without it.
fn judge(
    name: &str,
    in_service_year: u16,
    years: &[u16],
    limits: &[Limit],
    with: &Figures,
    without: &Figures,
) -> ProjectNeed {
    // (first year, binding limit, how far over) for the mean, low and high conditions.
    let mut first: [Option<(u16, usize, f64)>; 3] = [None, None, None];
    for &y in years {
        for (li, l) in limits.iter().enumerate() {
            let key = (y, l.port.clone(), l.cargo.clone(), l.metric.clone());
            let Some(&(wo, wo_lo, wo_hi)) = without.means.get(&key) else {
                continue;
            };
            // A row the scenario with the project no longer has (the cargo went elsewhere)
            // meets its limit.
            let (w, w_lo, w_hi) = with.means.get(&key).copied().unwrap_or((0.0, 0.0, 0.0));
            // The project must lower the metric there, replication by replication (the same
            // ships with and without: the 95 % interval of the paired difference above zero)
            // — a row near its limit that moves by chance does not make a project needed.
            if !lowers(with.reps.get(&key), without.reps.get(&key)) {
                continue;
            }
            let conds = [
                (wo, w),       // the means
                (wo_hi, w_lo), // earliest: could be over without, could be within with
                (wo_lo, w_hi), // latest: surely over without, surely within with
            ];
            for (k, &(over, within)) in conds.iter().enumerate() {
                let met = |v: f64| !v.is_nan() && v <= l.max;
                if over <= l.max || !met(within) {
                    continue;
                }
                let by = over / l.max;
                match first[k] {
                    Some((fy, _, _)) if fy < y => {}
                    Some((fy, _, fb)) if fy == y && fb >= by => {}
                    _ => first[k] = Some((y, li, by)),
                }
            }
        }
    }
    ProjectNeed {
        project: name.to_string(),
        in_service_year,
        needed_year: first[0].map(|f| f.0),
        needed_year_low: first[1].map(|f| f.0),
        needed_year_high: first[2].map(|f| f.0),
        binding: first[0].map(|f| limits[f.1].clone()),
        note: None,
        capex_cny: None,
        npv_cny: None,
        bcr: None,
        npv_from_needed_cny: None,
        benefits: Vec::new(),
    }
}

/// Whether the paired differences without − with (replication by replication) have a 95 %
/// interval above zero; a replication missing the row with the project counts as 0 there.
fn lowers(with: Option<&Vec<f64>>, without: Option<&Vec<f64>>) -> bool {
    let Some(without) = without else {
        return false;
    };
    let d: Vec<f64> = without
        .iter()
        .enumerate()
        .map(|(i, wo)| wo - with.and_then(|w| w.get(i).copied()).unwrap_or(0.0))
        .collect();
    let e = crate::stats::Estimate::from_values(&d);
    e.n >= 2 && e.ci95_low > 0.0
}

/// Each design year's benefit of a project: the cluster's costs without it less with it —
/// ship time (waiting and blocked, `wait_cost_cny`), cargo time aboard waiting ships
/// (`delay_cargo_t_h` × its value) and CO₂ at berth (`co2_t` × its price).
fn benefits(e: &Economics, years: &[u16], with: &Means, without: &Means) -> Vec<(u16, f64)> {
    let at = |m: &Means, y: u16, metric: &str| {
        m.get(&(y, "ALL".into(), "ALL".into(), metric.into()))
            .map_or(0.0, |v| if v.0.is_nan() { 0.0 } else { v.0 })
    };
    years
        .iter()
        .map(|&y| {
            let d = |metric: &str| at(without, y, metric) - at(with, y, metric);
            let b = d("wait_cost_cny")
                + e.cargo_value_per_t_h * d("delay_cargo_t_h")
                + e.co2_per_t * d("co2_t");
            (y, b)
        })
        .collect()
}

/// The benefit in year `y` from the design years' figures: linear between them, the first's
/// before the first, the last's after the last (a stated assumption: no growth beyond the
/// horizon).
pub fn benefit_in(by_year: &[(u16, f64)], y: u16) -> f64 {
    let (Some(first), Some(last)) = (by_year.first(), by_year.last()) else {
        return 0.0;
    };
    if y <= first.0 {
        return first.1;
    }
    if y >= last.0 {
        return last.1;
    }
    for w in by_year.windows(2) {
        let ((y0, b0), (y1, b1)) = (w[0], w[1]);
        if (y0..=y1).contains(&y) {
            return b0 + (b1 - b0) * f64::from(y - y0) / f64::from(y1 - y0);
        }
    }
    last.1
}

/// Net present value and benefit–cost ratio of a project in service from `from`: the capital
/// cost at the start of that year, then each year `t` of its life (0 … life − 1) its benefit
/// less its operating cost, discounted by (1 + r)^t.
///
/// ```
/// use portsim::experiment::value;
/// use portsim::model::ProjectCost;
/// // 100 a year for 2 years, nothing to run, 150 to build, at 10 %: 100 + 100/1.1 − 150.
/// let cost = ProjectCost { capex: 150.0, opex_per_yr: 0.0, life_yr: 2 };
/// let (npv, bcr) = value(&|_| 100.0, 2025, &cost, 0.10);
/// assert!((npv - (100.0 + 100.0 / 1.1 - 150.0)).abs() < 1e-9);
/// assert!((bcr - (100.0 + 100.0 / 1.1) / 150.0).abs() < 1e-12);
/// ```
pub fn value(benefit: &dyn Fn(u16) -> f64, from: u16, cost: &ProjectCost, rate: f64) -> (f64, f64) {
    let (mut pv_benefit, mut pv_opex) = (0.0, 0.0);
    for t in 0..cost.life_yr {
        let f = (1.0 + rate).powi(t as i32);
        let y = from.saturating_add(t as u16);
        pv_benefit += benefit(y) / f;
        pv_opex += cost.opex_per_yr / f;
    }
    let cost_pv = cost.capex + pv_opex;
    let bcr = if cost_pv > 0.0 {
        pv_benefit / cost_pv
    } else {
        f64::NAN
    };
    (pv_benefit - cost_pv, bcr)
}
