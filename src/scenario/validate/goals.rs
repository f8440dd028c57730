//! What a scenario is judged by: `[emissions]` factors, `[planning]` limits and `[[targets]]`.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::metrics::METRICS;
use crate::model::{Bound, CargoClass, Model, Target};
use crate::scenario::raw::{RawScenario, RawTarget};

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
pub(super) fn targets(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
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
        let port = rt.port.get_ref();
        let row = target_row(model, port);
        if row.is_none() {
            let names: Vec<&str> = model
                .ports
                .iter()
                .map(|p| p.name.as_str())
                .chain(["ALL"])
                .collect();
            let hint = suggest(port, names);
            c.err(
                span(&rt.port),
                format!("{tp}.port"),
                format!(
                    "unknown port `{port}` (a target names a port, `Port/Terminal`, `Port/rail:corridor`, `Port/region:region` or `ALL`){hint}"
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
        if crate::metrics::is_metric(metric) {
            row_has_metric(c, row, rt, &tp);
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
            port: port.clone(),
            cargo: cargo.clone(),
            metric: metric.clone(),
            bound,
            value: *rt.value.get_ref(),
            source: rt.source.get_ref().clone(),
        });
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

/// A goal on a rail corridor's or a region's rows names a cargo and a metric those rows have
/// (a goal on a row that never comes out would be reported as not known, not as missed): a
/// corridor's rows are for all its cargo (`ALL`) and carry its train, slot, load, wait and
/// share metrics (any corridor's: projects may change its cargo or add a hub by the goal's
/// year); a region's are per cargo class and carry the mode shares.
fn row_has_metric(c: &mut Checker, row: Option<RowKind>, rt: &RawTarget, tp: &str) {
    let (cargo, metric) = (rt.cargo.get_ref(), rt.metric.get_ref());
    if row == Some(RowKind::Corridor) {
        if cargo != "ALL" {
            c.err(
                span(&rt.cargo),
                format!("{tp}.cargo"),
                format!("a rail corridor's rows are for all its cargo: use `ALL`, not `{cargo}`"),
            );
        }
        // Any corridor's metrics, in TEU or tonnes, hub or not: a project may add a hub or
        // change what the corridor carries by the goal's year.
        let mut metrics = crate::sim::corridor_metrics(true, true);
        for m in crate::sim::corridor_metrics(false, true) {
            if !metrics.contains(&m) {
                metrics.push(m);
            }
        }
        if !metrics.contains(&metric.as_str()) {
            c.err(
                span(&rt.metric),
                format!("{tp}.metric"),
                format!(
                    "`{metric}` is not on a rail corridor's rows; they have {} (in TEU or t by the corridor's cargo; hub_* where it serves a hub)",
                    metrics.join(", ")
                ),
            );
        }
        return;
    }
    if row == Some(RowKind::Region) {
        if cargo == "ALL" {
            c.err(
                span(&rt.cargo),
                format!("{tp}.cargo"),
                "a region's rows are per cargo class: name one, not `ALL`",
            );
        }
        let metrics = crate::sim::REGION_METRICS;
        if !metrics.contains(&metric.as_str()) {
            c.err(
                span(&rt.metric),
                format!("{tp}.metric"),
                format!(
                    "`{metric}` is not on a region's rows; they have {}",
                    metrics.join(", ")
                ),
            );
        }
    }
}

/// The kind of row a target's `port` names, if it names one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    /// The cluster (`ALL`), a port or a terminal (`Port/Terminal`).
    Place,
    /// A rail corridor's rows (`Port/rail:NAME`).
    Corridor,
    /// A region's rows (`Port/region:NAME`).
    Region,
}

/// Which rows a target's `port` names: the cluster, a port, a terminal, a rail corridor or a
/// region (`None`: none of them).
fn target_row(model: &Model, port: &str) -> Option<RowKind> {
    let place = port == "ALL"
        || model.ports.iter().any(|p| p.name == port)
        || model
            .terminals
            .iter()
            .any(|t| format!("{}/{}", model.ports[t.port.index()].name, t.name) == port);
    if place {
        return Some(RowKind::Place);
    }
    let corridor = model
        .corridors
        .iter()
        .filter_map(|k| Some((model.ports.get(k.port.index())?, k)))
        .any(|(p, k)| format!("{}/rail:{}", p.name, k.name) == port);
    if corridor {
        return Some(RowKind::Corridor);
    }
    let region = model.ports.iter().any(|p| {
        model
            .regions
            .iter()
            .any(|r| format!("{}/region:{}", p.name, r.name) == port)
    });
    region.then_some(RowKind::Region)
}
