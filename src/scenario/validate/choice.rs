//! `[mode_choice]`, and each hinterland leg's choice: the modes it offers, their generalised
//! costs from its port, and the constants that make its base-year shares come out.
//!
//! Generalised cost per unit of cargo (a TEU for containers, a tonne otherwise):
//!
//! ```text
//! rail      tariff fixed + per km × corridor distance + the last kilometre's cost
//!           + VOT × (the last kilometre + loading + transit + half the interval between trains)
//! road      tariff fixed + per km × road distance     + VOT × road hours (given, or the
//!           distance at the road speed)
//! pipeline  tariff fixed + per km × pipeline distance
//! ```
//!
//! The constants are solved so that, with no backlog on the rail corridor, the logit gives the
//! shares the scenario states (`modes`): those become the base year's targets, and costs,
//! projects and congestion move the shares from there.

use super::checker::{Checker, span};
use super::hinterland::{LegKeys, LegPlace};
use super::limits;
use crate::model::{
    Choice, Direction, ModeChoice, ModeSplit, Model, RailCorridor, RailDirection, RegionId, Tariff,
};
use crate::scenario::raw::{RawPerUnit, RawScenario, RawTariff};

/// The mode-choice settings, if the scenario has them.
pub(super) fn mode_choice(c: &mut Checker, raw: &RawScenario) -> Option<ModeChoice> {
    let m = raw.mode_choice.as_ref()?.get_ref();
    let per_unit = |c: &mut Checker, v: &RawPerUnit, key: &str, what: &str, b| {
        [("teu", &v.teu), ("t", &v.t)].map(|(unit, x)| {
            x.as_ref().map_or(f64::NAN, |x| {
                c.number(x, &format!("mode_choice.{key}.{unit}"), what, b)
            })
        })
    };
    let theta = per_unit(
        c,
        m.theta_per_cny.get_ref(),
        "theta_per_cny",
        "a logit scale per CNY",
        limits::THETA,
    );
    let value_of_time = per_unit(
        c,
        m.value_of_time.get_ref(),
        "value_of_time",
        "a value of time in CNY per unit-hour",
        limits::MONEY,
    );
    let tariff = |c: &mut Checker, t: &Option<toml::Spanned<RawTariff>>, mode: &str| {
        let Some(t) = t else {
            return Tariff::default();
        };
        let t = t.get_ref();
        let mut num = |v: &Option<_>, key: &str, what: &str| {
            v.as_ref()
                .map(|v| c.number(v, &format!("mode_choice.{mode}.{key}"), what, limits::MONEY))
        };
        Tariff {
            fixed: [
                num(&t.teu_fixed, "teu_fixed", "a charge per TEU"),
                num(&t.t_fixed, "t_fixed", "a charge per tonne"),
            ],
            per_km: [
                num(&t.teu_per_km, "teu_per_km", "a charge per TEU-km"),
                num(&t.t_per_km, "t_per_km", "a charge per tonne-km"),
            ],
        }
    };
    Some(ModeChoice {
        theta,
        value_of_time,
        road_speed_kmh: c.opt_number(
            &m.road_speed_kmh,
            "mode_choice.road_speed_kmh",
            "a road speed in km/h",
            limits::SPEED_KMH,
            DEFAULT_ROAD_SPEED_KMH,
        ),
        tariffs: [
            tariff(c, &m.rail, "rail"),
            tariff(c, &m.road, "road"),
            tariff(c, &m.pipeline, "pipeline"),
        ],
    })
}

/// Road speed when `[mode_choice]` gives none: a truck's average over a haul in Northeast
/// China, stops included (assumption; the expressway limit is 100 km/h for trucks).
const DEFAULT_ROAD_SPEED_KMH: f64 = 50.0;

/// A leg's choice: none without `[mode_choice]` or with a single mode on offer; otherwise its
/// costs from the leg's port, with constants calibrated to its stated shares.
pub(super) fn leg_choice(
    c: &mut Checker,
    model: &Model,
    at: &LegPlace<'_>,
    keys: &LegKeys<'_>,
    region: RegionId,
    modes: ModeSplit,
    corridor: Option<&RailCorridor>,
) -> Option<Choice> {
    let mc = model.mode_choice.as_ref()?;
    let target = [modes.rail, modes.road, modes.pipeline];
    let offered = target.map(|s| s > 0.0);
    if offered.iter().filter(|&&o| o).count() < 2 {
        return None;
    }
    let (port, cargo) = (at.port?, at.cargo?);
    // A rail share with no corridor is refused with the leg; there is nothing to price.
    if offered[0] && corridor.is_none() {
        return None;
    }
    let u = usize::from(!cargo.is_container());
    let unit = ["teu", "t"][u];
    let before = c.count();
    let need = |c: &mut Checker, ok: bool, msg: String| {
        if !ok {
            c.err(span(keys.modes), format!("{}.modes", at.path), msg);
        }
    };
    let theta = mc.theta[u];
    need(
        c,
        theta.is_finite(),
        format!("mode choice for {cargo} needs `theta_per_cny.{unit}` in `[mode_choice]`"),
    );
    let vot = mc.value_of_time[u];
    need(
        c,
        vot.is_finite(),
        format!("mode choice for {cargo} needs `value_of_time.{unit}` in `[mode_choice]`"),
    );
    let region_name = &model.regions[region.index()].name;
    let port_name = &model.ports[port.index()].name;
    let mut cost = [0.0; 3];
    let mut leg_hours = [0.0; 3];
    let mut money = [0.0; 3];
    for m in (0..3).filter(|&m| offered[m]) {
        let mode = crate::model::MODES[m];
        let tariff = &mc.tariffs[m];
        let (fixed, per_km) = (tariff.fixed[u], tariff.per_km[u]);
        let mut extra = 0.0;
        need(
            c,
            fixed.is_some() && per_km.is_some(),
            format!(
                "mode choice has no {mode} tariff for {cargo}: give `{mode} = {{ {unit}_fixed = …, {unit}_per_km = … }}` in `[mode_choice]`"
            ),
        );
        let (km, hours) = match m {
            0 => {
                let k = corridor.expect("checked above");
                need(
                    c,
                    k.distance_km.is_some(),
                    format!(
                        "mode choice needs the rail distance of corridor `{}`: give its `distance_km`",
                        k.name
                    ),
                );
                // Half the interval between the trains the cargo takes: exports come down to
                // the port on inbound trains, imports leave on outbound ones.
                let dir = match at.direction {
                    Direction::Export => RailDirection::In,
                    _ => RailDirection::Out,
                };
                let normal_wait = 12.0 / k.departure_of(dir).trains_per_day().max(1e-9);
                let (access_cny, access_h) = k.access;
                extra = access_cny;
                (
                    k.distance_km.unwrap_or(0.0),
                    access_h + k.loading_h + k.transit_h + normal_wait,
                )
            }
            _ => {
                let r = &model.regions[region.index()];
                let road = r.road_km[port.index()];
                let km = if m == 1 {
                    road
                } else {
                    r.pipeline_km[port.index()].or(road)
                };
                need(
                    c,
                    km.is_some(),
                    format!(
                        "mode choice needs the {mode} distance from {port_name} to `{region_name}`: give `road_km = {{ {port_name} = … }}` in that region"
                    ),
                );
                let km = km.unwrap_or(0.0);
                let hours = match m {
                    1 => r.road_h[port.index()].unwrap_or(km / mc.road_speed_kmh),
                    _ => 0.0,
                };
                (km, hours)
            }
        };
        // The money part and the hours apart, so that a variant can price the hours at its own
        // value of time by the same expression (`Choice::calibrate_on`).
        money[m] = fixed.unwrap_or(0.0) + per_km.unwrap_or(0.0) * km + extra;
        leg_hours[m] = hours;
        cost[m] = money[m] + vot * hours;
    }
    if c.count() > before {
        return None;
    }
    let mut choice = Choice {
        offered,
        asc: [0.0; 3],
        cost,
        money,
        hours: leg_hours,
        theta,
        value_of_time: vot,
    };
    choice.calibrate(modes);
    Some(choice)
}
