//! What a scenario is judged by: `[emissions]` factors, `[planning]` limits and `[[targets]]`.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::metrics::METRICS;
use crate::model::{Bound, CargoClass, Model, Target};
use crate::scenario::location::Diagnostic;
use crate::scenario::location::nearest;
use crate::scenario::raw::{RawScenario, RawTarget};
use crate::sim::{RowMiss, row_names};

/// Emission factors at berth, for the ship's generators, its boilers (each factor the
/// generators' unless given) and the grid behind shore power.
pub(super) fn emissions(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    for (factors, key) in [
        (&raw.emissions.ship, "ship"),
        (&raw.emissions.grid, "grid"),
        (&raw.emissions.boiler, "boiler"),
    ] {
        let Some(f) = factors else { continue };
        let vals = [
            (&f.co2_g_per_kwh, "co2_g_per_kwh"),
            (&f.nox_g_per_kwh, "nox_g_per_kwh"),
            (&f.sox_g_per_kwh, "sox_g_per_kwh"),
            (&f.pm_g_per_kwh, "pm_g_per_kwh"),
        ];
        for (i, (v, name)) in vals.into_iter().enumerate() {
            // A boiler factor not given is the generators' (read first), as a whole table is.
            let default = match key {
                "boiler" => model.emissions.ship_g_per_kwh[i],
                _ => 0.0,
            };
            let x = c.opt_number(
                v,
                &format!("emissions.{key}.{name}"),
                "an emission factor in g/kWh",
                limits::G_PER_KWH,
                default,
            );
            let e = &mut model.emissions;
            match key {
                "ship" => e.ship_g_per_kwh[i] = x,
                "grid" => e.grid_g_per_kwh[i] = x,
                _ => e.boiler_g_per_kwh[i] = x,
            }
        }
    }
    if raw.emissions.boiler.is_none() {
        model.emissions.boiler_g_per_kwh = model.emissions.ship_g_per_kwh;
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
        if !rows_from_projects && let Some(problem) = row_problem(model, rt) {
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
    /// The goal's field at fault.
    field: Field,
    /// Why (for `port`: nothing more than that it names no row).
    why: String,
}

/// A goal's field that names its row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Port,
    Cargo,
    Metric,
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
                field: Field::Port,
                why: String::new(),
            });
        }
        Err(RowMiss::Cargo(why)) => {
            return Some(RowProblem {
                field: Field::Cargo,
                why,
            });
        }
    };
    if !known_cargo || !crate::metrics::is_metric(metric) {
        return None;
    }
    shape.lacks(metric).map(|why| RowProblem {
        field: Field::Metric,
        why,
    })
}

impl RowProblem {
    /// Reports the problem at its field; `later` says why a project's row does not count (it
    /// comes after the goal's year), or is empty. `model` gives the names to suggest.
    fn report(&self, c: &mut Checker, model: &Model, rt: &RawTarget, tp: &str, later: &str) {
        let names = if self.field == Field::Port && later.is_empty() {
            row_names(model)
        } else {
            Vec::new()
        };
        self.report_with(c, &names, rt, tp, later);
    }

    /// [`report`](Self::report), suggesting from `names`.
    fn report_with(
        &self,
        c: &mut Checker,
        names: &[String],
        rt: &RawTarget,
        tp: &str,
        later: &str,
    ) {
        let (span, name) = match self.field {
            Field::Port => (span(&rt.port), "port"),
            Field::Cargo => (span(&rt.cargo), "cargo"),
            Field::Metric => (span(&rt.metric), "metric"),
        };
        let port = rt.port.get_ref();
        let message = match (self.field, later.is_empty()) {
            (Field::Port, true) => {
                // A terminal's, corridor's or region's name is suggested before its port's.
                let places = names
                    .iter()
                    .filter(|n| n.contains('/') == port.contains('/'));
                let hint = match nearest(port, places.map(String::as_str)) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => suggest(port, names.iter().map(String::as_str)),
                };
                format!(
                    "unknown port `{port}` (a target names a port, `Port/Terminal`, `Port/rail:corridor`, `Port/region:region` or `ALL`){hint}"
                )
            }
            (Field::Port, false) => format!("`{port}` has no rows{later}"),
            _ => format!("{}{later}", self.why),
        };
        c.err(span, format!("{tp}.{name}"), message);
    }
}

/// Checks the goals on rows the scenario as written lacks against the model of each goal's
/// year, with the projects in service by then: the row must be there, with the goal's cargo
/// and metric. A row a project adds only after the goal's year is refused with the year and
/// the project that brings it; one a project the file defines but does not include (`unused`)
/// would bring, with that project's name. `in_service` gives each included project's name and
/// year; `model_in(y, variant)` the model of year `y`. A year whose model cannot be built is
/// left to the projects' own checks, which report it.
pub(crate) fn rows_added_by_projects<'a>(
    raw: &RawScenario,
    base: &Model,
    in_service: &[(&'a str, u16)],
    unused: &[&'a str],
    model_in: impl FnMut(u16, Variant<'a>) -> Option<Model>,
) -> Vec<Diagnostic> {
    let mut c = Checker::default();
    let mut models = YearModels {
        built: Default::default(),
        build: model_in,
    };
    let mut years: Vec<u16> = in_service.iter().map(|&(_, y)| y).collect();
    years.sort_unstable();
    years.dedup();
    for (ti, rt) in raw.targets.iter().enumerate() {
        if row_problem(base, rt).is_none() {
            continue;
        }
        let year = u16::try_from(*rt.year.get_ref()).unwrap_or(u16::MAX);
        let Some(Some(problem)) = models.problem(year, Variant::AsPlanned, rt) else {
            continue;
        };
        // Does a project bring the row after the goal's year? The first year one does (or,
        // for a goal whose place is not there yet, brings the place), and the project of that
        // year without which it is not there.
        let brought = |p: &Option<Option<RowProblem>>| match p {
            Some(None) => true,
            Some(Some(q)) => problem.field == Field::Port && q.field != Field::Port,
            None => false,
        };
        let later = years.iter().copied().filter(|&y| y > year).find_map(|y| {
            let p = models.problem(y, Variant::AsPlanned, rt);
            brought(&p).then_some((y, p.flatten()))
        });
        let later = match later {
            Some((y, still)) => {
                let bringing: Vec<&str> = in_service
                    .iter()
                    .filter(|&&(_, py)| py == y)
                    .map(|&(n, _)| n)
                    .filter(|&n| !brought(&models.problem(y, Variant::Without(n), rt)))
                    .collect();
                let who = match bringing.as_slice() {
                    [] => String::new(),
                    names => format!(", with {}", super::checker::list(names)),
                };
                // The place comes later, but even then the goal names no row of it.
                let then = still.map_or(String::new(), |q| format!("; and then {}", q.why));
                format!(" in {year} (from {y}{who}){then}")
            }
            // A project the file defines but does not include that would bring it.
            None => {
                let would: Vec<&str> = unused
                    .iter()
                    .copied()
                    .filter(|&n| brought(&models.problem(year, Variant::With(n), rt)))
                    .collect();
                match would.as_slice() {
                    [] => String::new(),
                    names => format!(
                        " ({} would bring it, but `projects` does not include it)",
                        super::checker::list(names)
                    ),
                }
            }
        };
        let tp = format!("targets[{ti}]");
        if problem.field == Field::Port && later.is_empty() {
            // Suggest from every name the projects bring too.
            let last = years.last().copied().unwrap_or(year);
            let names = row_names(models.get(last, Variant::AsPlanned).unwrap_or(base));
            problem.report_with(&mut c, &names, rt, &tp, "");
        } else {
            problem.report(&mut c, base, rt, &tp, &later);
        }
    }
    c.diags
}

/// A design year's model as the scenario plans it, or with one project less or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Variant<'a> {
    /// The projects the scenario includes, those in service by the year.
    AsPlanned,
    /// Those but this one.
    Without(&'a str),
    /// Those and this one, which the scenario defines but does not include.
    With(&'a str),
}

/// The models of design years ([`Variant`]s), each built once, for
/// [`rows_added_by_projects`].
struct YearModels<'a, F> {
    built: std::collections::BTreeMap<(u16, Variant<'a>), Option<Model>>,
    build: F,
}

impl<'a, F: FnMut(u16, Variant<'a>) -> Option<Model>> YearModels<'a, F> {
    /// Year `y`'s model (`None`: it cannot be built).
    fn get(&mut self, y: u16, variant: Variant<'a>) -> Option<&Model> {
        let build = &mut self.build;
        self.built
            .entry((y, variant))
            .or_insert_with(|| build(y, variant))
            .as_ref()
    }

    /// The goal's problem in year `y`'s model (`None`: no model to judge by).
    fn problem(
        &mut self,
        y: u16,
        variant: Variant<'a>,
        rt: &RawTarget,
    ) -> Option<Option<RowProblem>> {
        self.get(y, variant).map(|m| row_problem(m, rt))
    }
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
