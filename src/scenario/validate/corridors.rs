//! `[[corridors]]`: rail corridors — their trains each way, slots, tracks and hub cargo.

use std::collections::BTreeMap;

use super::checker::{Checker, num, span, suggest};
use super::limits;
use super::names::Names;
use crate::model::{
    CargoClass, CargoSet, Departure, HubCargo, Model, PortId, RailCorridor, RegionId,
};
use crate::scenario::raw::{RawCorridor, RawScenario, SNum};

/// Every rail corridor, added to `model`.
pub(super) fn corridors(c: &mut Checker, raw: &RawScenario, names: &Names, model: &mut Model) {
    let mut seen = BTreeMap::new();
    for (ci, rc) in raw.corridors.iter().enumerate() {
        let cpath = format!("corridors[{ci}]");
        c.unique(&mut seen, &rc.name, &cpath, "corridor");
        let corridor = corridor(c, rc, &cpath, names, model);
        model.corridors.push(corridor);
    }
}

fn corridor(
    c: &mut Checker,
    rc: &RawCorridor,
    cpath: &str,
    names: &Names,
    model: &Model,
) -> RailCorridor {
    let port = names.port(c, &rc.port, &format!("{cpath}.port"));
    let region = names.region(c, &rc.region, &format!("{cpath}.region"));
    let mut cargo = CargoSet::empty();
    for (k, cg) in rc.cargo.get_ref().iter().enumerate() {
        if let Some(cc) = c.cargo(cg, &format!("{cpath}.cargo[{k}]")) {
            cargo.insert(cc);
        }
    }
    if cargo.is_empty() {
        c.err(
            span(&rc.cargo),
            format!("{cpath}.cargo"),
            "expected at least one cargo class",
        );
    }
    let containers = cargo.contains(CargoClass::Container);
    if containers && cargo.iter().count() > 1 {
        c.err(
            span(&rc.cargo),
            format!("{cpath}.cargo"),
            "a corridor carries either containers (TEU) or other cargo (t), not both; split it in two",
        );
    }
    let train_capacity = match (containers, &rc.train_capacity_teu, &rc.train_capacity_t) {
        (true, Some(v), None) => c.number(
            v,
            &format!("{cpath}.train_capacity_teu"),
            "a train load in TEU",
            limits::TRAIN_TEU,
        ),
        (false, None, Some(v)) => c.number(
            v,
            &format!("{cpath}.train_capacity_t"),
            "a train load in tonnes",
            limits::TRAIN_T,
        ),
        _ => {
            let want = if containers {
                "train_capacity_teu"
            } else {
                "train_capacity_t"
            };
            c.err(
                span(&rc.name),
                cpath,
                format!("this corridor needs `{want}` (and not the other capacity key)"),
            );
            1.0
        }
    };
    let departure = departure(c, rc, cpath);
    let inbound = inbound(c, rc, cpath, &departure);
    let loading_h = c.opt_number(
        &rc.loading_h,
        &format!("{cpath}.loading_h"),
        "a loading time in hours",
        limits::DURATION_H,
        0.0,
    );
    let unloading_h = c.opt_number(
        &rc.unloading_h,
        &format!("{cpath}.unloading_h"),
        "an unloading time in hours",
        limits::DURATION_H,
        loading_h,
    );
    let hub = hub(c, rc, cpath, containers, train_capacity);
    let train_sets = rc.train_sets.as_ref().map(|n| {
        c.integer(
            n,
            &format!("{cpath}.train_sets"),
            (1, 10_000),
            "1 to 10000 train sets",
            1,
        ) as u32
    });
    if let Some(p) = port {
        if model.ports[p.index()].rail_loading_tracks == 0 {
            c.err(
                span(&rc.port),
                format!("{cpath}.port"),
                format!(
                    "port `{}` has no rail loading tracks; set its `rail_loading_tracks`",
                    rc.port.get_ref()
                ),
            );
        }
    }
    RailCorridor {
        name: rc.name.get_ref().clone(),
        port: port.unwrap_or(PortId(0)),
        region: region.unwrap_or(RegionId(0)),
        cargo,
        train_capacity,
        departure,
        loading_h,
        transit_h: c.number(
            &rc.transit_h,
            &format!("{cpath}.transit_h"),
            "a transit time in hours",
            limits::POSITIVE_DURATION_H,
        ),
        train_sets,
        divert_to_road_after_h: rc.divert_to_road_after_h.as_ref().map(|v| {
            c.number(
                v,
                &format!("{cpath}.divert_to_road_after_h"),
                "a wait in hours",
                limits::POSITIVE_DURATION_H,
            )
        }),
        distance_km: rc.distance_km.as_ref().map(|v| {
            c.number(
                v,
                &format!("{cpath}.distance_km"),
                "a rail distance in km",
                limits::DISTANCE_KM,
            )
        }),
        access: (
            c.opt_number(
                &rc.access_cny,
                &format!("{cpath}.access_cny"),
                "a cost per unit in CNY",
                limits::MONEY,
                0.0,
            ),
            c.opt_number(
                &rc.access_h,
                &format!("{cpath}.access_h"),
                "a time in hours",
                limits::DURATION_H,
                0.0,
            ),
        ),
        inbound,
        unloading_h,
        hub,
    }
}

/// Inbound trains (region → port) run by the outbound rule, with their own slots and wait
/// where the corridor gives them (when-full corridors only).
fn inbound(c: &mut Checker, rc: &RawCorridor, cpath: &str, out: &Departure) -> Departure {
    match out {
        Departure::WhenFull {
            slots_per_day,
            max_wait_h,
        } => Departure::WhenFull {
            slots_per_day: rc
                .inbound_slots_per_day
                .as_ref()
                .map_or(*slots_per_day, |n| {
                    c.integer(
                        n,
                        &format!("{cpath}.inbound_slots_per_day"),
                        (1, 1000),
                        "1 to 1000 inbound train slots per day",
                        1,
                    ) as u32
                }),
            max_wait_h: c.opt_number(
                &rc.inbound_max_wait_h,
                &format!("{cpath}.inbound_max_wait_h"),
                "a maximum wait in hours",
                limits::POSITIVE_DURATION_H,
                *max_wait_h,
            ),
        },
        Departure::Timetable { .. } => {
            for (given, key) in [
                (rc.inbound_slots_per_day.is_some(), "inbound_slots_per_day"),
                (rc.inbound_max_wait_h.is_some(), "inbound_max_wait_h"),
            ] {
                if given {
                    c.err(
                        span(&rc.departure),
                        format!("{cpath}.departure"),
                        format!(
                            "`{key}` belongs to a when_full corridor; a timetable corridor's inbound trains keep its timetable"
                        ),
                    );
                }
            }
            out.clone()
        }
    }
}

/// Cargo through the port's rail station without a ship (`hub_out_per_yr`, `hub_in_per_yr`).
/// Its growth is resolved with the flows' (`growth::hub_growth`).
fn hub(
    c: &mut Checker,
    rc: &RawCorridor,
    cpath: &str,
    containers: bool,
    train_capacity: f64,
) -> Option<HubCargo> {
    if rc.hub_out_per_yr.is_none() && rc.hub_in_per_yr.is_none() {
        for (given, key) in [
            (rc.hub_growth_per_yr.is_some(), "hub_growth_per_yr"),
            (rc.hub_lot.is_some(), "hub_lot"),
        ] {
            if given {
                c.err(
                    span(&rc.name),
                    cpath,
                    format!("`{key}` needs `hub_out_per_yr` or `hub_in_per_yr`"),
                );
            }
        }
        return None;
    }
    let (volume, what) = if containers {
        (limits::VOLUME_TEU, "TEU a year")
    } else {
        (limits::VOLUME_T, "tonnes a year")
    };
    let mut per_yr =
        |v: &Option<SNum>, key: &str| c.opt_number(v, &format!("{cpath}.{key}"), what, volume, 0.0);
    let out_per_yr = per_yr(&rc.hub_out_per_yr, "hub_out_per_yr");
    let in_per_yr = per_yr(&rc.hub_in_per_yr, "hub_in_per_yr");
    let lot_bounds = if containers {
        limits::TRAIN_TEU
    } else {
        limits::TRAIN_T
    };
    let lot = c.opt_number(
        &rc.hub_lot,
        &format!("{cpath}.hub_lot"),
        "units per consignment",
        lot_bounds,
        (train_capacity / 10.0).max(1.0),
    );
    if lot > train_capacity {
        if let Some(v) = &rc.hub_lot {
            c.err(
                span(v),
                format!("{cpath}.hub_lot"),
                format!(
                    "expected a consignment no larger than a train load ({}), found {}",
                    num(train_capacity),
                    num(lot)
                ),
            );
        }
    }
    Some(HubCargo {
        out_per_yr,
        in_per_yr,
        growth_per_yr: 0.0,
        lot,
    })
}

/// When trains leave: on a timetable (times of day, or every so many hours) or when full.
fn departure(c: &mut Checker, rc: &RawCorridor, cpath: &str) -> Departure {
    match rc.departure.get_ref().as_str() {
        "timetable" => timetable(c, rc, cpath),
        "when_full" => {
            for (given, key) in [
                (rc.timetable_h.is_some(), "timetable_h"),
                (rc.every_h.is_some(), "every_h"),
            ] {
                if given {
                    c.err(
                        span(&rc.departure),
                        format!("{cpath}.departure"),
                        format!("`{key}` belongs to a timetable corridor"),
                    );
                }
            }
            let slots = match &rc.slots_per_day {
                Some(n) => c.integer(
                    n,
                    &format!("{cpath}.slots_per_day"),
                    (1, 1000),
                    "1 to 1000 train slots per day",
                    1,
                ) as u32,
                None => {
                    c.err(
                        span(&rc.departure),
                        format!("{cpath}.departure"),
                        "a when_full corridor needs `slots_per_day`",
                    );
                    1
                }
            };
            let max_wait_h = match &rc.max_wait_h {
                Some(v) => c.number(
                    v,
                    &format!("{cpath}.max_wait_h"),
                    "a maximum wait in hours",
                    limits::POSITIVE_DURATION_H,
                ),
                None => {
                    c.err(
                        span(&rc.departure),
                        format!("{cpath}.departure"),
                        "a when_full corridor needs `max_wait_h`",
                    );
                    24.0
                }
            };
            Departure::WhenFull {
                slots_per_day: slots,
                max_wait_h,
            }
        }
        other => {
            let hint = suggest(other, ["timetable", "when_full"]);
            c.err(
                span(&rc.departure),
                format!("{cpath}.departure"),
                format!("unknown departure rule `{other}`{hint}"),
            );
            Departure::Timetable { times_h: vec![0.0] }
        }
    }
}

/// A timetable: `timetable_h` (hours after midnight) or `every_h` (a train every so many
/// hours from midnight, which must divide the day).
fn timetable(c: &mut Checker, rc: &RawCorridor, cpath: &str) -> Departure {
    if rc.slots_per_day.is_some() || rc.max_wait_h.is_some() {
        c.err(
            span(&rc.departure),
            format!("{cpath}.departure"),
            "a timetable corridor takes `timetable_h`; `slots_per_day` and `max_wait_h` belong to `when_full`",
        );
    }
    let mut times = Vec::new();
    match (&rc.timetable_h, &rc.every_h) {
        (Some(_), Some(e)) => c.err(
            span(e),
            format!("{cpath}.every_h"),
            "give either `timetable_h` or `every_h`, not both",
        ),
        (None, Some(e)) => {
            let x = *e.get_ref();
            let per_day = 24.0 / x;
            if !(x > 0.0 && x <= 24.0 && (per_day - per_day.round()).abs() < 1e-9) {
                c.err(
                    span(e),
                    format!("{cpath}.every_h"),
                    format!(
                        "expected hours that divide the day (24, 12, 8, 6, 4, 3, 2, 1, 0.5 …) with at most 1000 trains a day, found {}",
                        num(x)
                    ),
                );
            } else if per_day.round() > 1000.0 {
                c.err(
                    span(e),
                    format!("{cpath}.every_h"),
                    format!("expected at most 1000 trains a day, found {}", per_day.round()),
                );
            } else {
                times = (0..per_day.round() as u32)
                    .map(|k| f64::from(k) * x)
                    .collect();
            }
        }
        (Some(t), None) if !t.get_ref().is_empty() => {
            for v in t.get_ref() {
                let x = *v.get_ref();
                if (0.0..24.0).contains(&x) {
                    times.push(x);
                } else {
                    c.err(
                        span(v),
                        format!("{cpath}.timetable_h"),
                        format!("expected hours after midnight in [0, 24), found {}", num(x)),
                    );
                }
            }
            times.sort_by(f64::total_cmp);
        }
        (Some(t), None) => c.err(
            span(t),
            format!("{cpath}.timetable_h"),
            "expected at least one departure time",
        ),
        (None, None) => c.err(
            span(&rc.departure),
            format!("{cpath}.departure"),
            "a timetable corridor needs `timetable_h` (loading start times, hours after midnight) or `every_h`",
        ),
    }
    Departure::Timetable { times_h: times }
}
