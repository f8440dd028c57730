//! What a scenario is judged by: `[emissions]` factors, `[planning]` limits and `[[targets]]`.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::metrics::METRICS;
use crate::model::{Bound, CargoClass, Model, Target};
use crate::scenario::location::Diagnostic;
use crate::scenario::raw::{RawScenario, RawTarget};
use crate::sim::RowMiss;

/// Emission factors at berth, for the ship's generators and for the grid behind shore power.
pub(super) fn emissions(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    for (factors, into_grid, key) in [
        (&raw.emissions.ship, false, "ship"),
        (&raw.emissions.grid, true, "grid"),
    ] {
        let Some(f) = factors else { continue };
        let vals = [
            (&f.co2_g_per_kwh, "co2_g_per_kwh"),
            (&f.nox_g_per_kwh, "nox_g_per_kwh"),
            (&f.sox_g_per_kwh, "sox_g_per_kwh"),
            (&f.pm_g_per_kwh, "pm_g_per_kwh"),
        ];
        for (i, (v, name)) in vals.into_iter().enumerate() {
            let x = c.opt_number(
                v,
                &format!("emissions.{key}.{name}"),
                "an emission factor in g/kWh",
                limits::G_PER_KWH,
                0.0,
            );
            if into_grid {
                model.emissions.grid_g_per_kwh[i] = x;
            } else {
                model.emissions.ship_g_per_kwh[i] = x;
            }
        }
    }
}

/// Planning limits: on waiting / service by cargo class, and the others `projects` judges by.
pub(super) fn planning(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    if let Some(given) = &raw.planning.limits {
        let l = &mut model.planning.limits;
        for (metric, v) in given.get_ref() {
            let path = format!("planning.limits.{metric}");
            match metric.as_str() {
                "berth_occupancy" => {
                    l.berth_occupancy = Some(c.number(v, &path, "an occupancy", limits::SHARE));
                }
                "yard_full_h" => {
                    l.yard_full_h = c.number(v, &path, "hours a year", limits::HOURS_A_YEAR);
                }
                "diverted_share" => l.diverted_share = c.number(v, &path, "a share", limits::SHARE),
                "stockout_h" => {
                    l.stockout_h = c.number(v, &path, "hours a year", limits::HOURS_A_YEAR);
                }
                "send_out_short_share" => {
                    l.send_out_short_share = c.number(v, &path, "a share", limits::SHARE);
                }
                _ => {
                    let names = crate::model::PlanningLimits::METRICS;
                    let hint = suggest(metric, names);
                    c.err(
                        span(v),
                        path,
                        format!(
                            "unknown limit metric `{metric}`{hint} (the waiting ratio's limits are `wait_ratio_max`)"
                        ),
                    );
                }
            }
        }
    }
    let Some(limits) = &raw.planning.wait_ratio_max else {
        return;
    };
    for (cargo, v) in limits.get_ref() {
        let path = format!("planning.wait_ratio_max.{cargo}");
        match CargoClass::from_name(cargo) {
            Some(cc) => {
                let x = c.number(v, &path, "a waiting/service ratio", limits::WAIT_RATIO);
                model.planning.wait_ratio_max[cc.index()] = Some(x);
            }
            None => {
                let names = CargoClass::ALL.map(|c| c.name());
                let hint = suggest(cargo, names);
                c.err(
                    span(limits),
                    path,
                    format!("unknown cargo class `{cargo}`{hint}"),
                );
            }
        }
    }
}

/// Goals: a year, a port (or terminal, corridor, the cluster), a cargo, a metric and a bound.
///
/// With `rows_from_projects`, a goal on a row the scenario as written lacks (a terminal, a
/// corridor or a region a project adds) is left for [`rows_added_by_projects`] to check.
pub(super) fn targets(
    c: &mut Checker,
    raw: &RawScenario,
    model: &mut Model,
    rows_from_projects: bool,
) {
    let base_year = model.settings.base_year;
    for (ti, rt) in raw.targets.iter().enumerate() {
        let tp = format!("targets[{ti}]");
        let year = *rt.year.get_ref();
        if year < i64::from(base_year) || year > 2200 {
            c.err(
                span(&rt.year),
                format!("{tp}.year"),
                format!(
                    "expected a design year from the base year {base_year} to 2200, found {year}"
                ),
            );
        }
        let cargo = rt.cargo.get_ref();
        if cargo != "ALL" && CargoClass::from_name(cargo).is_none() {
            let hint = suggest(cargo, CargoClass::ALL.map(|c| c.name()));
            c.err(
                span(&rt.cargo),
                format!("{tp}.cargo"),
                format!("unknown cargo class `{cargo}`{hint}; or `ALL`"),
            );
        }
        let metric = rt.metric.get_ref();
        if !crate::metrics::is_metric(metric) {
            let hint = suggest(metric, METRICS.iter().copied());
            c.err(
                span(&rt.metric),
                format!("{tp}.metric"),
                format!("unknown metric `{metric}`{hint}"),
            );
        }
        // The goal's row, with its metric: one the scenario as written lacks may come with a
        // project by the goal's year, and is checked in that year's model once the projects
        // are (`rows_added_by_projects`).
        if let Some(problem) = row_problem(model, rt)
            && !rows_from_projects
        {
            problem.report(c, model, rt, &tp, "");
        }
        let bound = bound(c, rt, &tp);
        let value = *rt.value.get_ref();
        if !value.is_finite() {
            c.err(
                span(&rt.value),
                format!("{tp}.value"),
                "expected a finite number",
            );
        } else if crate::metrics::is_metric(metric)
            && let Some(never) = unreachable_goal(metric, bound, value)
        {
            c.err(
                span(&rt.value),
                format!("{tp}.value"),
                format!("`{metric}` is {never}, so this goal could never be met"),
            );
        }
        model.targets.push(Target {
            year: year.clamp(0, 65535) as u16,
            port: rt.port.get_ref().clone(),
            cargo: cargo.clone(),
            metric: metric.clone(),
            bound,
            value: *rt.value.get_ref(),
            source: rt.source.get_ref().clone(),
        });
    }
}

/// What is wrong with a goal's row in a model's results: the field to place it at and why.
struct RowProblem {
    /// `port`, `cargo` or `metric`.
    field: &'static str,
    /// Why (for `port`: nothing more than that it names no row).
    why: String,
}

/// Why `model`'s results would have no value for the goal `rt`: its `port` names no row, the
/// place has no row for its cargo, or the row has no such metric (`None`: they would). A
/// cargo class or metric the reader does not know is reported on its own, not here.
fn row_problem(model: &Model, rt: &RawTarget) -> Option<RowProblem> {
    let (port, cargo, metric) = (rt.port.get_ref(), rt.cargo.get_ref(), rt.metric.get_ref());
    let known_cargo = cargo == "ALL" || CargoClass::from_name(cargo).is_some();
    let shape = match crate::sim::row_shape(model, port, if known_cargo { cargo } else { "ALL" }) {
        Ok(shape) => shape,
        Err(RowMiss::Port) => {
            return Some(RowProblem {
                field: "port",
                why: String::new(),
            });
        }
        Err(RowMiss::Cargo(why)) => {
            return Some(RowProblem {
                field: "cargo",
                why,
            });
        }
    };
    if !known_cargo || !crate::metrics::is_metric(metric) {
        return None;
    }
    shape.lacks(metric).map(|why| RowProblem {
        field: "metric",
        why,
    })
}

impl RowProblem {
    /// Reports the problem at its field; `later` says why a project's row does not count (it
    /// comes after the goal's year), or is empty.
    fn report(&self, c: &mut Checker, model: &Model, rt: &RawTarget, tp: &str, later: &str) {
        let place = |field: &'static str| match field {
            "port" => span(&rt.port),
            "cargo" => span(&rt.cargo),
            _ => span(&rt.metric),
        };
        if self.field != "port" {
            c.err(
                place(self.field),
                format!("{tp}.{}", self.field),
                format!("{}{later}", self.why),
            );
            return;
        }
        let port = rt.port.get_ref();
        if !later.is_empty() {
            c.err(
                place("port"),
                format!("{tp}.port"),
                format!("`{port}` has no rows{later}"),
            );
            return;
        }
        let names: Vec<&str> = model
            .ports
            .iter()
            .map(|p| p.name.as_str())
            .chain(["ALL"])
            .collect();
        let hint = suggest(port, names);
        c.err(
            place("port"),
            format!("{tp}.port"),
            format!(
                "unknown port `{port}` (a target names a port, `Port/Terminal`, `Port/rail:corridor`, `Port/region:region` or `ALL`){hint}"
            ),
        );
    }
}

/// Checks the goals on rows the scenario as written lacks against the model of each goal's
/// year, with the projects in service by then: the row must be there, with the goal's cargo
/// and metric. A row a project adds only after the goal's year is refused with the year and
/// the project that brings it. `in_service` gives each project's name and year; `model_in(y,
/// skip)` the model of year `y` with the projects in service by then but `skip`. A year whose
/// model cannot be built is left to the projects' own checks, which report it.
pub(crate) fn rows_added_by_projects(
    raw: &RawScenario,
    base: &Model,
    in_service: &[(&str, u16)],
    mut model_in: impl FnMut(u16, Option<&str>) -> Option<Model>,
) -> Vec<Diagnostic> {
    let mut c = Checker::default();
    let mut models: std::collections::BTreeMap<u16, Option<Model>> = Default::default();
    // The goal's problem in year `y`'s model but `skip` (`None`: no model to judge by).
    let mut problem_in =
        |y: u16, skip: Option<&str>, rt: &RawTarget| -> Option<Option<RowProblem>> {
            match skip {
                None => models
                    .entry(y)
                    .or_insert_with(|| model_in(y, None))
                    .as_ref()
                    .map(|m| row_problem(m, rt)),
                Some(_) => model_in(y, skip).map(|m| row_problem(&m, rt)),
            }
        };
    let mut years: Vec<u16> = in_service.iter().map(|&(_, y)| y).collect();
    years.sort_unstable();
    years.dedup();
    for (ti, rt) in raw.targets.iter().enumerate() {
        if row_problem(base, rt).is_none() {
            continue;
        }
        let year = u16::try_from(*rt.year.get_ref()).unwrap_or(u16::MAX);
        let Some(Some(problem)) = problem_in(year, None, rt) else {
            continue;
        };
        // Does a project bring the row after the goal's year? The first year one does, and
        // the project of that year without which it is not there.
        let later = years
            .iter()
            .copied()
            .filter(|&y| y > year)
            .find(|&y| matches!(problem_in(y, None, rt), Some(None)));
        let later = match later {
            Some(y) => {
                let bringing: Vec<&str> = in_service
                    .iter()
                    .filter(|&&(_, py)| py == y)
                    .map(|&(n, _)| n)
                    .filter(|&n| matches!(problem_in(y, Some(n), rt), Some(Some(_))))
                    .collect();
                let who = match bringing.as_slice() {
                    [] => String::new(),
                    names => format!(", with {}", super::checker::list(names)),
                };
                format!(" in {year} (from {y}{who})")
            }
            None => String::new(),
        };
        problem.report(&mut c, base, rt, &format!("targets[{ti}]"), &later);
    }
    c.diags
}

/// A goal's bound; `within` needs a `tolerance` (a fraction of the figure, above 0 and at
/// most 1), the others take none.
fn bound(c: &mut Checker, rt: &RawTarget, tp: &str) -> Bound {
    let tolerance = rt.tolerance.as_ref();
    match (rt.bound.get_ref().as_str(), tolerance) {
        ("within", Some(t)) => {
            let x = *t.get_ref();
            if !(x > 0.0 && x <= 1.0) {
                c.err(
                    span(t),
                    format!("{tp}.tolerance"),
                    format!(
                        "expected a tolerance above 0 and at most 1 (a fraction of the goal: 0.05 is ±5 %), found {}",
                        num(x)
                    ),
                );
            }
            Bound::Within { tolerance: x }
        }
        ("within", None) => {
            c.err(
                span(&rt.bound),
                format!("{tp}.bound"),
                "a `within` goal needs a `tolerance` (a fraction of the goal: 0.05 is ±5 %)",
            );
            Bound::Within { tolerance: 0.0 }
        }
        (b @ ("at_least" | "at_most"), t) => {
            if let Some(t) = t {
                c.err(
                    span(t),
                    format!("{tp}.tolerance"),
                    format!("`tolerance` belongs to a `within` goal, not `{b}`"),
                );
            }
            if b == "at_least" {
                Bound::AtLeast
            } else {
                Bound::AtMost
            }
        }
        (other, _) => {
            let hint = suggest(other, ["at_least", "at_most", "within"]);
            c.err(
                span(&rt.bound),
                format!("{tp}.bound"),
                format!("unknown bound `{other}`{hint}"),
            );
            Bound::AtLeast
        }
    }
}

/// Why a goal of `value` on `metric` could never be met, if it could not: the metric's values
/// ([`crate::metrics::range`]) lie wholly on the wrong side of it.
fn unreachable_goal(metric: &str, bound: Bound, value: f64) -> Option<String> {
    let (from, to) = match bound {
        Bound::AtLeast => (value, f64::INFINITY),
        Bound::AtMost => (f64::NEG_INFINITY, value),
        Bound::Within { tolerance } => (
            value - tolerance * value.abs(),
            value + tolerance * value.abs(),
        ),
    };
    crate::metrics::never_within(metric, from, to)
}
