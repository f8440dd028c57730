//! `[[ship_classes]]`: dimensions, what a call moves, power at berth and cost of time.

use std::collections::BTreeMap;

use super::checker::{Checker, num, span};
use super::limits;
use super::names::Names;
use crate::model::{CargoClass, Dist, ShipClass, ShipClassId};
use crate::scenario::raw::RawShipClass;

/// Default ballast draft as a fraction of the laden draft when a class does not state one
/// (typical of bulk carriers and tankers in ballast, 40–50 %).
const BALLAST_DRAFT_FRACTION: f64 = 0.45;

/// Every ship class, registered in `names`.
pub(super) fn ship_classes(
    c: &mut Checker,
    raw: &[RawShipClass],
    names: &mut Names,
) -> Vec<ShipClass> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for (i, sc) in raw.iter().enumerate() {
        let path = format!("ship_classes[{i}]");
        c.unique(&mut seen, &sc.name, &path, "ship class");
        names
            .classes
            .insert(sc.name.get_ref().clone(), ShipClassId(i as u32));
        names.class_list.push(sc.name.get_ref().clone());
        out.push(ship_class(c, sc, &path));
    }
    out
}

/// One ship class. Its dimensions (`dwt_t`, `length_m`, `draft_m`) are given together, or
/// left out together (abstract models): such a class fits every berth and passes every
/// channel, and carries at most the largest parcel there is.
fn ship_class(c: &mut Checker, sc: &RawShipClass, path: &str) -> ShipClass {
    let cargo = c
        .cargo(&sc.cargo, &format!("{path}.cargo"))
        .unwrap_or(CargoClass::OtherDryBulk);
    c.all_or_none(
        &sc.name,
        path,
        &[
            ("dwt_t", sc.dwt_t.is_some()),
            ("length_m", sc.length_m.is_some()),
            ("draft_m", sc.draft_m.is_some()),
        ],
        "a class that fits every berth and channel",
    );
    let dim = |c: &mut Checker, v: &Option<_>, key: &str, what: &str, b| {
        c.opt_number(v, &format!("{path}.{key}"), what, b, 0.0)
    };
    let dwt_t = dim(
        c,
        &sc.dwt_t,
        "dwt_t",
        "a deadweight in tonnes",
        limits::DWT_T,
    );
    let length_m = dim(
        c,
        &sc.length_m,
        "length_m",
        "a length in metres",
        limits::LENGTH_M,
    );
    let draft_m = dim(
        c,
        &sc.draft_m,
        "draft_m",
        "a draft in metres",
        limits::DRAFT_M,
    );
    let ballast_draft_m = match &sc.ballast_draft_m {
        Some(b) => {
            let v = c.number(
                b,
                &format!("{path}.ballast_draft_m"),
                "a ballast draft in metres",
                limits::DRAFT_M,
            );
            if v > draft_m {
                c.err(
                    span(b),
                    format!("{path}.ballast_draft_m"),
                    format!("expected a ballast draft <= the laden draft {draft_m} m, found {v}"),
                );
            }
            v
        }
        None => BALLAST_DRAFT_FRACTION * draft_m,
    };
    let (capacity, parcel) = capacity_and_parcel(c, sc, path, cargo, dwt_t);
    if let Some(m) = &sc.max_cranes
        && !cargo.is_container()
    {
        c.err(
            span(m),
            format!("{path}.max_cranes"),
            "`max_cranes` limits the quay cranes on a container ship; this class carries no containers",
        );
    }
    ShipClass {
        name: sc.name.get_ref().clone(),
        cargo,
        dwt_t,
        length_m,
        draft_m,
        ballast_draft_m,
        capacity,
        parcel: parcel.unwrap_or(Dist::Fixed(1.0)),
        power_at_berth_kw: c.opt_number(
            &sc.power_at_berth_kw,
            &format!("{path}.power_at_berth_kw"),
            "a power in kW",
            limits::POWER_KW,
            0.0,
        ),
        boiler_at_berth_kw: boiler_at_berth(c, sc, path),
        shore_power_share: match &sc.shore_power_share {
            Some(v) if (0.0..=1.0).contains(v.get_ref()) => *v.get_ref(),
            Some(v) => {
                c.err(
                    span(v),
                    format!("{path}.shore_power_share"),
                    format!("expected a share from 0 to 1, found {}", num(*v.get_ref())),
                );
                0.0
            }
            None => 0.0,
        },
        max_cranes: c.opt_number(
            &sc.max_cranes,
            &format!("{path}.max_cranes"),
            "a number of cranes",
            limits::CRANES,
            f64::INFINITY,
        ),
        cost_per_h: c.opt_number(
            &sc.cost_per_h,
            &format!("{path}.cost_per_h"),
            "a cost of ship time per hour",
            limits::MONEY,
            0.0,
        ),
        time_cost_per_h: 0.0,
    }
}

/// What the class carries at most (TEU for boxships, its deadweight otherwise; unlimited when
/// the deadweight is left out) and what one call moves.
fn capacity_and_parcel(
    c: &mut Checker,
    sc: &RawShipClass,
    path: &str,
    cargo: CargoClass,
    dwt_t: f64,
) -> (f64, Option<Dist>) {
    // A capacity refused is not compared with the parcel: its stand-in would contradict the
    // value the user wrote ("teu = 0", then "carries at most 1 teu").
    let refused_before = c.count();
    let (capacity, parcel) = if cargo.is_container() {
        let cap = match &sc.teu {
            Some(t) => c.number(
                t,
                &format!("{path}.teu"),
                "a capacity in TEU",
                limits::SHIP_TEU,
            ),
            None => {
                c.err(
                    span(&sc.name),
                    path,
                    "a container ship class needs `teu` (its capacity)",
                );
                1.0
            }
        };
        let cap = if c.count() > refused_before {
            f64::INFINITY
        } else {
            cap
        };
        if let Some(p) = &sc.parcel_t {
            c.err(
                span(p),
                format!("{path}.parcel_t"),
                "a container ship's parcel is in TEU: use `parcel_teu`",
            );
        }
        let parcel = match &sc.parcel_teu {
            Some(p) => c.dist(
                p,
                &format!("{path}.parcel_teu"),
                limits::PARCEL_TEU.or_zero(),
            ),
            None => {
                c.err(
                    span(&sc.name),
                    path,
                    "a container ship class needs `parcel_teu` (TEU moved per call)",
                );
                None
            }
        };
        (cap, parcel)
    } else {
        if let Some(t) = &sc.teu {
            c.err(
                span(t),
                format!("{path}.teu"),
                format!("`teu` applies to container ships only; this class carries {cargo}"),
            );
        }
        if let Some(p) = &sc.parcel_teu {
            c.err(
                span(p),
                format!("{path}.parcel_teu"),
                format!("a {cargo} parcel is in tonnes: use `parcel_t`"),
            );
        }
        let parcel = match &sc.parcel_t {
            Some(p) => c.dist(p, &format!("{path}.parcel_t"), limits::PARCEL_T.or_zero()),
            None => {
                c.err(
                    span(&sc.name),
                    path,
                    "a ship class needs `parcel_t` (tonnes moved per call)",
                );
                None
            }
        };
        let cap = if sc.dwt_t.is_some() {
            dwt_t
        } else {
            limits::PARCEL_T.hi
        };
        (cap, parcel)
    };
    if let Some(p) = &parcel {
        let key = if cargo.is_container() {
            "parcel_teu"
        } else {
            "parcel_t"
        };
        let field = if cargo.is_container() {
            &sc.parcel_teu
        } else {
            &sc.parcel_t
        };
        let sp = field.as_ref().map(span).unwrap_or(span(&sc.name));
        // (`dist` has checked the mean against the parcel's range, letting 0 through to the
        // message below, which it has always had.)
        if p.max() > capacity && p.max().is_finite() {
            c.err(
                sp.clone(),
                format!("{path}.{key}"),
                format!(
                    "a parcel can reach {} but the ship carries at most {capacity} {}",
                    p.max(),
                    cargo.unit()
                ),
            );
        }
        if p.mean() <= 0.0 {
            c.err(sp, path, "expected a parcel with a positive mean");
        }
    }
    (capacity, parcel)
}

/// The boilers' part of a class's power at berth: a power no larger than the whole.
fn boiler_at_berth(c: &mut Checker, sc: &RawShipClass, path: &str) -> f64 {
    let Some(v) = &sc.boiler_at_berth_kw else {
        return 0.0;
    };
    let at = format!("{path}.boiler_at_berth_kw");
    let kw = c.number(v, &at, "a power in kW", limits::POWER_KW);
    let whole = sc.power_at_berth_kw.as_ref().map_or(0.0, |p| *p.get_ref());
    if kw > whole {
        c.err(
            span(v),
            at,
            format!(
                "expected at most `power_at_berth_kw` ({}), of which the boilers are a part, found {}",
                num(whole),
                num(kw)
            ),
        );
        return 0.0;
    }
    kw
}
