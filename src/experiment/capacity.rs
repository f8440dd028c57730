//! Practical capacity: the largest demand multiple at which a planning criterion still holds.
//!
//! Demand is scaled by a multiple `m` (every flow's volume × `m`) and the scenario is run with
//! the same seeds at every `m` (common random numbers), so the KPIs change smoothly with `m`.
//! For each scope (a terminal, or the cluster) a bracketing search and bisection find:
//!
//! - the **capacity**: the largest `m` at which the criterion holds for the replications' mean;
//! - its **interval**: from the largest `m` at which it holds even for the unfavourable end of
//!   the 95 % interval, to the largest `m` at which it holds for the favourable end. Noise in the
//!   simulation is what makes this interval; more replications narrow it.
//!
//! Multiples are dyadic (1, 2, 1.5, 1.25…), so scopes share the runs they need. The search
//! stops at 8× and 1/8× today's demand. Liner calls keep their schedule when demand grows: a
//! larger multiple means larger calls, not more of them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::{RunOptions, run_scenario};
use crate::error::{Error, Result};
use crate::model::{CargoClass, Model};
use crate::results::{CapacityResult, SummaryRow, summarise};

/// Which side of its limit a metric must stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Bound {
    /// `metric <= limit`.
    AtMost,
    /// `metric >= limit`.
    AtLeast,
}

/// A planning criterion on one KPI: `wait_ratio<=0.3`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criterion {
    /// The KPI.
    pub metric: String,
    /// Its side.
    pub bound: Bound,
    /// Its limit.
    pub limit: f64,
}

impl Criterion {
    /// Parses `metric<=value` or `metric>=value`.
    ///
    /// ```
    /// use portsim::experiment::Criterion;
    /// let c = Criterion::parse("wait_ratio<=0.3").unwrap();
    /// assert_eq!((c.metric.as_str(), c.limit), ("wait_ratio", 0.3));
    /// assert!(Criterion::parse("wait_ratio<0.3").is_err());
    /// let typo = Criterion::parse("wait_ratoi<=0.3").unwrap_err().to_string();
    /// assert!(typo.contains("no KPI named `wait_ratoi`; did you mean `wait_ratio`?"));
    /// let never = Criterion::parse("wait_h_mean<=-1").unwrap_err().to_string();
    /// assert!(never.contains("`wait_h_mean` is never below 0, so no demand could meet this"));
    /// assert!(Criterion::parse("berth_occupancy>=1.2").is_err());
    /// assert!(Criterion::parse("yard_occupancy_mean<=1.2").is_ok());
    /// ```
    ///
    /// # Errors
    /// [`Error::Usage`] when it is not of that form, names no KPI, or asks for a value the KPI
    /// never takes ([`crate::metrics::range`]).
    pub fn parse(s: &str) -> Result<Criterion> {
        let bad = || {
            Error::Usage(format!(
                "--criterion {s}: expected METRIC<=VALUE or METRIC>=VALUE, e.g. wait_ratio<=0.3"
            ))
        };
        let (metric, bound, value) = if let Some((m, v)) = s.split_once("<=") {
            (m, Bound::AtMost, v)
        } else if let Some((m, v)) = s.split_once(">=") {
            (m, Bound::AtLeast, v)
        } else {
            return Err(bad());
        };
        let metric = metric.trim();
        let limit: f64 = value.trim().parse().map_err(|_| bad())?;
        if metric.is_empty()
            || !limit.is_finite()
            || !metric
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(bad());
        }
        // A misspelt KPI is refused now, not after the runs.
        if !crate::metrics::is_metric(metric) {
            return Err(Error::Usage(format!(
                "--criterion {s}: no KPI named `{metric}`{}",
                crate::scenario::nearest_key(metric, crate::metrics::METRICS)
            )));
        }
        // A limit the metric can never meet would report "< 0.125" after every run.
        let (from, to) = match bound {
            Bound::AtMost => (f64::NEG_INFINITY, limit),
            Bound::AtLeast => (limit, f64::INFINITY),
        };
        if let Some(never) = crate::metrics::never_within(metric, from, to) {
            return Err(Error::Usage(format!(
                "--criterion {s}: `{metric}` is {never}, so no demand could meet this"
            )));
        }
        Ok(Criterion {
            metric: metric.to_string(),
            bound,
            limit,
        })
    }

    fn holds(&self, value: f64) -> bool {
        // Undefined (e.g. a wait ratio with no call completed in the year) fails: a terminal
        // with demand and no completed call has broken down.
        match self.bound {
            Bound::AtMost => value <= self.limit,
            Bound::AtLeast => value >= self.limit,
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = if self.bound == Bound::AtMost {
            "<="
        } else {
            ">="
        };
        write!(f, "{}{op}{}", self.metric, self.limit)
    }
}

/// Where capacity is sought.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// Every terminal, each on its own.
    EachTerminal,
    /// One terminal, as `Port/Terminal`.
    Terminal(String),
    /// The whole cluster.
    Cluster,
}

/// How to search.
#[derive(Clone, Debug)]
pub struct CapacityOptions {
    /// Replications at every multiple.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Design year.
    pub year: u16,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Where.
    pub scope: Scope,
    /// The criterion; `None`: the scenario's planning limits — the wait ratio per cargo class,
    /// and a tank's hours empty and send-out missed where calls are ordered against its stock.
    pub criterion: Option<Criterion>,
    /// Bisection steps per boundary (precision: the bracket width / 2^steps).
    pub steps: u32,
    /// The most events one run may take (see [`RunOptions::max_events`]).
    pub max_events: u64,
}

struct Condition {
    port: String,
    cargo: String,
    criterion: Criterion,
    /// Holds when its value is undefined: one class of a shared terminal's calls, which may
    /// have none at a multiple (nothing of it waits). Otherwise undefined fails; a missing row
    /// is an error either way.
    vacuous_if_undefined: bool,
}

impl Condition {
    /// `criterion` on the rows of `port` × `cargo`; undefined fails.
    fn on(port: &str, cargo: &str, criterion: Criterion) -> Condition {
        Condition {
            port: port.to_string(),
            cargo: cargo.to_string(),
            criterion,
            vacuous_if_undefined: false,
        }
    }
}

/// The scopes and the conditions each must meet.
///
/// With no `--criterion`, a scope meets the scenario's planning limits: the waiting ratio of
/// its cargo (for a terminal of classes with different limits, each class's calls there
/// against their own; per class for the cluster) and, where its cargo is
/// called against a tank's stock, the tanks' limits — hours empty (`stockout_h`) and the share
/// of the send-out missed (`send_out_short_share`). A tank's ships are ordered as its stock
/// runs down, so they hardly wait whatever the demand: what runs out first is the send-out
/// (the pipeline, or ships that cannot bring enough), and a waiting limit alone would call
/// such a terminal unlimited. Each tank terminal is held to its own tank's KPIs (its
/// `Port/Terminal` rows), in the cluster as on its own.
///
/// `model` is the scenario as it stands in the design year, its projects in service.
fn conditions(model: &Model, options: &CapacityOptions) -> Result<Vec<(String, Vec<Condition>)>> {
    let limit_for = |cargo: CargoClass| model.planning.wait_ratio_max[cargo.index()];
    let terminal_conditions = |label: &str, t: usize| -> Option<Vec<Condition>> {
        if let Some(c) = &options.criterion {
            return Some(vec![Condition::on(label, "ALL", c.clone())]);
        }
        let mut conds = Vec::new();
        let wait_ratio = |limit| Criterion {
            metric: "wait_ratio".into(),
            bound: Bound::AtMost,
            limit,
        };
        let limits: Vec<(CargoClass, f64)> = model.terminals[t]
            .cargo
            .iter()
            .filter_map(|c| Some((c, limit_for(c)?)))
            .collect();
        if limits.windows(2).all(|w| w[0].1 == w[1].1) {
            // One limit for all its calls: the terminal's waiting ratio as a whole.
            if let Some(&(_, limit)) = limits.first() {
                conds.push(Condition::on(label, "ALL", wait_ratio(limit)));
            }
        } else {
            // Classes with different limits (steel with some ro-ro calls; dry bulk at 0.4
            // beside coal and grain at 0.3): each class's calls against their own limit, the
            // steel ships not held to the ro-ro limit nor the reverse. The terminal as a whole
            // against the loosest of them adds nothing while every class is defined (its
            // ratio is a mean of theirs) but fails when no call completes at all — a
            // breakdown, which undefined classes alone would pass.
            let loosest = limits.iter().map(|l| l.1).fold(0.0, f64::max);
            conds.push(Condition::on(label, "ALL", wait_ratio(loosest)));
            for (cargo, limit) in limits {
                conds.push(Condition {
                    vacuous_if_undefined: true,
                    ..Condition::on(label, cargo.name(), wait_ratio(limit))
                });
            }
        }
        conds.extend(tank_conditions(model, Some(t)));
        (!conds.is_empty()).then_some(conds)
    };
    let label = |t: usize| {
        format!(
            "{}/{}",
            model.ports[model.terminals[t].port.index()].name,
            model.terminals[t].name
        )
    };
    let mut out = Vec::new();
    match &options.scope {
        Scope::EachTerminal => {
            for t in 0..model.terminals.len() {
                if let Some(c) = terminal_conditions(&label(t), t) {
                    out.push((label(t), c));
                }
            }
        }
        Scope::Terminal(name) => {
            let t = (0..model.terminals.len())
                .find(|&t| label(t) == *name)
                .ok_or_else(|| {
                    let all: Vec<String> = (0..model.terminals.len()).map(label).collect();
                    let names: Vec<&str> = all.iter().map(String::as_str).collect();
                    Error::Usage(format!(
                        "no terminal `{name}` in {}{}; terminals are named Port/Terminal: {}",
                        model.name,
                        crate::scenario::nearest_key(name, &names),
                        all.join(", ")
                    ))
                })?;
            let c = terminal_conditions(name, t).ok_or_else(|| no_limits(model))?;
            out.push((name.clone(), c));
        }
        Scope::Cluster => {
            let c = match &options.criterion {
                Some(c) => vec![Condition::on("ALL", "ALL", c.clone())],
                None => {
                    let mut v = Vec::new();
                    for cargo in CargoClass::ALL {
                        if let (Some(limit), true) = (
                            limit_for(cargo),
                            model.flows.iter().any(|f| f.cargo == cargo),
                        ) {
                            v.push(Condition::on(
                                "ALL",
                                cargo.name(),
                                Criterion {
                                    metric: "wait_ratio".into(),
                                    bound: Bound::AtMost,
                                    limit,
                                },
                            ));
                        }
                    }
                    v.extend(tank_conditions(model, None));
                    v
                }
            };
            if c.is_empty() {
                return Err(no_limits(model));
            }
            out.push(("ALL".into(), c));
        }
    }
    if out.is_empty() {
        return Err(no_limits(model));
    }
    Ok(out)
}

/// The planning limits on the tank of terminal `t` (on every tank terminal's for `None`): its
/// hours empty and the share of its send-out missed, on its own `Port/Terminal` rows.
fn tank_conditions(model: &Model, t: Option<usize>) -> Vec<Condition> {
    let limits = &model.planning.limits;
    let mut tanks: Vec<usize> = model
        .flows
        .iter()
        .filter(|f| f.is_stock_driven())
        .filter_map(|f| f.yard_terminal().map(|t| t.index()))
        .filter(|&k| t.is_none_or(|t| k == t))
        .collect();
    tanks.sort_unstable();
    tanks.dedup();
    let mut conds = Vec::new();
    for k in tanks {
        let term = &model.terminals[k];
        let label = crate::sim::terminal_row(model, term);
        for (metric, limit) in [
            ("stockout_h", limits.stockout_h),
            ("send_out_short_share", limits.send_out_short_share),
        ] {
            conds.push(Condition::on(
                &label,
                "ALL",
                Criterion {
                    metric: metric.into(),
                    bound: Bound::AtMost,
                    limit,
                },
            ));
        }
    }
    conds
}

fn no_limits(model: &Model) -> Error {
    Error::Usage(format!(
        "{} sets no planning limits for this scope's cargo; give --criterion (e.g. wait_ratio<=0.3) or add `[planning] wait_ratio_max` to the scenario",
        model.name
    ))
}

/// Which end of the interval a check uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Mean,
    Unfavourable,
    Favourable,
}

/// Runs the scenario at demand multiples, caching by multiple: the summary rows, and each
/// replication's value of the KPIs the conditions read (`watched`), for paired comparisons
/// between multiples (every multiple runs on the same seeds).
struct Evaluator<'a> {
    model: &'a Model,
    options: &'a CapacityOptions,
    cache: BTreeMap<u64, Vec<SummaryRow>>,
    /// (port, cargo, metric) → multiple's bits → one value a replication.
    watched: BTreeMap<(String, String, String), BTreeMap<u64, Vec<f64>>>,
    progress: &'a (dyn Fn(usize) + Sync),
}

impl Evaluator<'_> {
    fn rows(&mut self, m: f64) -> Result<&Vec<SummaryRow>> {
        let key = m.to_bits();
        if !self.cache.contains_key(&key) {
            let mut model = self.model.clone();
            model.settings.demand_multiplier *= m;
            let opts = RunOptions {
                replications: self.options.replications,
                seed: self.options.seed,
                years: vec![self.options.year],
                threads: self.options.threads,
                sim: Default::default(),
                max_events: self.options.max_events,
            };
            let runs = run_scenario(&model, &opts, &|_, _| {}).map_err(|e| match e {
                // The scenario as written may be fine: say which multiple of it was too large.
                Error::Usage(m) => Error::Usage(format!(
                    "the capacity search at demand multiple {m_}: {m}",
                    m_ = model.settings.demand_multiplier
                )),
                other => other,
            })?;
            for ((port, cargo, metric), by_multiple) in &mut self.watched {
                let values = runs
                    .runs
                    .iter()
                    .map(|r| {
                        r.kpis
                            .iter()
                            .find(|k| k.port == *port && k.cargo == *cargo && k.metric == metric)
                            .map_or(f64::NAN, |k| k.value)
                    })
                    .collect();
                by_multiple.insert(key, values);
            }
            self.cache.insert(key, summarise(&runs));
            (self.progress)(self.cache.len());
        }
        Ok(&self.cache[&key])
    }

    /// The conditions (by index) that do not hold at multiple `m`, at `end`.
    fn failing(&mut self, m: f64, conds: &[Condition], end: End) -> Result<Vec<usize>> {
        let rows = self.rows(m)?;
        let mut out = Vec::new();
        for (i, c) in conds.iter().enumerate() {
            let Some(r) = rows
                .iter()
                .find(|r| r.port == c.port && r.cargo == c.cargo && r.metric == c.criterion.metric)
            else {
                return Err(Error::Usage(format!(
                    "the runs report no `{}` for {} / {}; criteria apply to KPIs such as wait_ratio, wait_h_mean, berth_occupancy",
                    c.criterion.metric, c.port, c.cargo
                )));
            };
            let favourable_low = c.criterion.bound == Bound::AtMost;
            let v = match end {
                End::Mean => r.mean,
                End::Unfavourable => {
                    if favourable_low {
                        r.ci95_high
                    } else {
                        r.ci95_low
                    }
                }
                End::Favourable => {
                    if favourable_low {
                        r.ci95_low
                    } else {
                        r.ci95_high
                    }
                }
            };
            if !(c.criterion.holds(v) || c.vacuous_if_undefined && v.is_nan()) {
                out.push(i);
            }
        }
        Ok(out)
    }

    fn holds(&mut self, m: f64, conds: &[Condition], end: End) -> Result<bool> {
        Ok(self.failing(m, conds, end)?.is_empty())
    }

    /// The largest multiple at which the conditions hold at `end`: bracket by doubling or
    /// halving from 1, then bisect. Also the least multiple tried at which they fail (none
    /// if they hold at the search's largest).
    fn boundary(&mut self, conds: &[Condition], end: End) -> Result<(f64, Option<f64>)> {
        let (mut lo, mut hi);
        if self.holds(1.0, conds, end)? {
            lo = 1.0;
            hi = 2.0;
            while self.holds(hi, conds, end)? {
                lo = hi;
                hi *= 2.0;
                if hi > SEARCH_LIMIT {
                    return Ok((f64::INFINITY, None));
                }
            }
        } else {
            hi = 1.0;
            lo = 0.5;
            while !self.holds(lo, conds, end)? {
                hi = lo;
                lo /= 2.0;
                if lo < 1.0 / SEARCH_LIMIT {
                    return Ok((0.0, Some(hi)));
                }
            }
        }
        for _ in 0..self.options.steps {
            let mid = 0.5 * (lo + hi);
            if self.holds(mid, conds, end)? {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok((0.5 * (lo + hi), Some(hi)))
    }

    /// The search's premise is a limit that tightens as demand grows. Where a condition's KPI
    /// is worse at the least multiple run than at today's demand — replication by replication
    /// (the same seeds at every multiple), the paired difference's interval clear of zero at a
    /// family-wise 5 % over the `family` conditions judged in the search — the premise fails
    /// for the scope (liner calls that keep their schedule while their service shrinks with
    /// the cargo, waiting from closures that does not scale with it), and a multiple below 1
    /// found for it is not a capacity. Says so, or nothing.
    fn premise_note(&self, conds: &[Condition], family: usize) -> String {
        // Positive floats order as their bits do.
        let least = self.cache.keys().next().map_or(1.0, |&k| f64::from_bits(k));
        if least >= 1.0 {
            return String::new();
        }
        let alpha = 0.05 / family.max(1) as f64;
        let mut worse = Vec::new();
        for c in conds {
            let key = (c.port.clone(), c.cargo.clone(), c.criterion.metric.clone());
            let Some(by) = self.watched.get(&key) else {
                continue;
            };
            let (Some(low), Some(base)) = (by.get(&least.to_bits()), by.get(&1f64.to_bits()))
            else {
                continue;
            };
            let diffs: Vec<f64> = low
                .iter()
                .zip(base)
                .map(|(l, b)| l - b)
                .filter(|d| d.is_finite())
                .collect();
            if diffs.len() < 2 {
                continue;
            }
            let n = diffs.len() as f64;
            let mean = diffs.iter().sum::<f64>() / n;
            let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
            let half = crate::stats::t_quantile(1.0 - alpha / 2.0, n - 1.0) * (var / n).sqrt();
            let clearly_worse = match c.criterion.bound {
                Bound::AtMost => mean - half > 0.0,
                Bound::AtLeast => mean + half < 0.0,
            };
            if clearly_worse {
                let at = |v: &[f64]| {
                    let v: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
                    v.iter().sum::<f64>() / v.len().max(1) as f64
                };
                worse.push(format!(
                    "{} is {:.3} at {least}× against {:.3} at 1×",
                    c.criterion.metric,
                    at(low),
                    at(base)
                ));
            }
        }
        if worse.is_empty() {
            String::new()
        } else {
            format!(
                "{}: the limit does not tighten as demand grows, so no multiple below 1 is a capacity",
                worse.join("; ")
            )
        }
    }
}

impl Evaluator<'_> {
    /// Why the interval's low end is below the search's least multiple while its mean meets
    /// the limit higher up: at the unfavourable end of its 95 % interval a condition misses
    /// even at the least multiple — a wide interval (few replications, a rare class's few
    /// calls), or a premise that fails without the paired test showing it — not a capacity
    /// that low. Names the conditions, or nothing.
    fn floor_note(&mut self, conds: &[Condition], scope: &str) -> Result<String> {
        let least = 1.0 / SEARCH_LIMIT;
        let classes = conds.iter().any(|c| c.port == scope && c.cargo != "ALL");
        let missed: Vec<String> = self
            .failing(least, conds, End::Unfavourable)?
            .into_iter()
            .map(|i| describe(&conds[i], scope, classes))
            .collect();
        if missed.is_empty() {
            return Ok(String::new());
        }
        Ok(format!(
            "{} misses at the unfavourable end of its 95 % interval even at {least}× today's demand: the low end is not a capacity — the interval is wide there, or the limit does not tighten as demand falls (not shown at the search's family-wise 5 %); more replications, or the scope searched alone, tell which",
            missed.join(" and ")
        ))
    }
}

/// A condition as the results write it: the criterion, and where it is judged when that is
/// not the scope itself (a class of the cluster or of the terminal, or a tank terminal within
/// the cluster). Beside its classes' conditions (`classes`: the scope has some), the
/// terminal's own is its "all calls".
fn describe(c: &Condition, scope: &str, classes: bool) -> String {
    match (c.port == scope, c.cargo == "ALL") {
        (true, true) if classes => format!("{} (all calls)", c.criterion),
        (true, true) => c.criterion.to_string(),
        (true, false) => format!("{} ({})", c.criterion, c.cargo),
        (false, true) => format!("{} ({})", c.criterion, c.port),
        (false, false) => format!("{} ({} {})", c.criterion, c.port, c.cargo),
    }
}

/// The search's widest reach: it tries demand multiples from 1 / `SEARCH_LIMIT` to
/// `SEARCH_LIMIT` (beyond 8× today's demand a "capacity" means nothing to a plan). A scope
/// that meets its criterion at the largest is reported as infinite; one that misses it at the
/// least, as 0.
pub const SEARCH_LIMIT: f64 = 8.0;

/// Finds the practical capacity of every scope. `progress(n)`: `n` multiples run so far.
///
/// # Errors
/// [`Error::Usage`] for an unknown terminal, a criterion on a KPI the runs do not report, or no
/// criterion and no planning limits; simulation errors otherwise.
pub fn capacity(
    model: &Model,
    options: &CapacityOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<CapacityResult>> {
    if options.replications < 2 {
        return Err(Error::Usage(
            "capacity needs at least 2 replications for its intervals".into(),
        ));
    }
    let year_model = crate::scenario::model_for_year(model, options.year)?;
    let scopes = conditions(&year_model, options)?;
    let watched = scopes
        .iter()
        .flat_map(|(_, conds)| conds)
        .map(|c| {
            let key = (c.port.clone(), c.cargo.clone(), c.criterion.metric.clone());
            (key, BTreeMap::new())
        })
        .collect();
    let family = scopes.iter().map(|(_, conds)| conds.len()).sum();
    let mut ev = Evaluator {
        model,
        options,
        cache: BTreeMap::new(),
        watched,
        progress,
    };
    let mut out = Vec::new();
    for (scope, conds) in &scopes {
        let classes = conds.iter().any(|c| c.port == *scope && c.cargo != "ALL");
        let (multiple, first_miss) = ev.boundary(conds, End::Mean)?;
        let (low, _) = ev.boundary(conds, End::Unfavourable)?;
        let (high, _) = ev.boundary(conds, End::Favourable)?;
        // What runs out first: the limits missed at the least multiple found past capacity.
        let binding = match first_miss {
            Some(m) => ev
                .failing(m, conds, End::Mean)?
                .into_iter()
                .map(|i| describe(&conds[i], scope, classes))
                .collect::<Vec<_>>()
                .join(" and "),
            None => String::new(),
        };
        let base = ev.rows(1.0)?;
        let find = |metric: &str| {
            base.iter()
                .find(|r| r.port == *scope && r.cargo == "ALL" && r.metric == metric)
                .map_or(f64::NAN, |r| r.mean)
        };
        let (base_t, base_teu) = (find("throughput_t"), find("throughput_teu"));
        out.push(CapacityResult {
            scope: scope.clone(),
            criterion: conds
                .iter()
                .map(|c| describe(c, scope, classes))
                .collect::<Vec<_>>()
                .join(" and "),
            binding,
            multiple,
            multiple_low: low.min(multiple),
            multiple_high: high.max(multiple),
            base_t_per_yr: base_t,
            base_teu_per_yr: base_teu,
            capacity_t_per_yr: multiple * base_t,
            capacity_teu_per_yr: multiple * base_teu,
            note: String::new(),
        });
    }
    // Judged once every scope's search has run, on the least multiple any of them needed, so
    // that a scope's note does not depend on which scopes were searched before it.
    for (r, (scope, conds)) in out.iter_mut().zip(&scopes) {
        r.note = ev.premise_note(conds, family);
        if r.note.is_empty() && r.multiple_low == 0.0 && r.multiple > 0.0 {
            r.note = ev.floor_note(conds, scope)?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache holding one row at the search's least multiple: a waiting ratio whose mean
    /// meets `wait_ratio<=0.3` but whose interval's unfavourable end does not.
    fn evaluator_at_least<'a>(
        model: &'a Model,
        options: &'a CapacityOptions,
        high: f64,
    ) -> Evaluator<'a> {
        let row = SummaryRow {
            scenario: "s".into(),
            year: 2020,
            port: "P".into(),
            cargo: "ro_ro".into(),
            metric: "wait_ratio".into(),
            mean: 0.05,
            ci95_low: 0.0,
            ci95_high: high,
            n: 2,
        };
        Evaluator {
            model,
            options,
            cache: BTreeMap::from([((1.0 / SEARCH_LIMIT).to_bits(), vec![row])]),
            watched: BTreeMap::new(),
            progress: &|_| {},
        }
    }

    #[test]
    fn a_low_end_below_the_search_names_the_condition_its_interval_misses() {
        let (model, _) = crate::scenario::load("mm1-rho50").expect("built-in");
        let options = CapacityOptions {
            replications: 2,
            seed: 1,
            year: 2020,
            threads: None,
            scope: Scope::Cluster,
            criterion: None,
            steps: 1,
            max_events: 1,
        };
        let conds = [Condition::on(
            "P",
            "ro_ro",
            Criterion::parse("wait_ratio<=0.3").expect("criterion"),
        )];
        let mut wide = evaluator_at_least(&model, &options, 0.45);
        assert_eq!(
            wide.floor_note(&conds, "ALL").expect("note"),
            "wait_ratio<=0.3 (P ro_ro) misses at the unfavourable end of its 95 % interval even at 0.125× today's demand: the low end is not a capacity — the interval is wide there, or the limit does not tighten as demand falls (not shown at the search's family-wise 5 %); more replications, or the scope searched alone, tell which"
        );
        // An interval within the limit there: nothing to explain.
        let mut narrow = evaluator_at_least(&model, &options, 0.25);
        assert_eq!(narrow.floor_note(&conds, "ALL").expect("note"), "");
    }
}
