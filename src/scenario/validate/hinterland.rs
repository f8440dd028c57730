//! The land side: `[[regions]]` and a flow's hinterland leg (its region, mode split, dwell,
//! yard and corridor); the corridors themselves are in `corridors`.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::checker::{Checker, num, round9, span, suggest};
use super::limits;
use super::names::Names;
use crate::model::{
    CargoClass, CorridorId, Direction, Hinterland, ModeSplit, Model, PortId, Region, RegionId,
    TerminalId,
};
use crate::scenario::raw::{RawDist, RawModes, RawScenario, SNum, SStr};

/// Every region, registered in `names`.
pub(super) fn regions(c: &mut Checker, raw: &RawScenario, names: &mut Names) -> Vec<Region> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for (ri, rr) in raw.regions.iter().enumerate() {
        c.unique(&mut seen, &rr.name, &format!("regions[{ri}]"), "region");
        names
            .regions
            .insert(rr.name.get_ref().clone(), RegionId(ri as u32));
        names.region_list.push(rr.name.get_ref().clone());
        let road_km = distances(c, &rr.road_km, &format!("regions[{ri}].road_km"), names);
        let pipeline_km = distances(
            c,
            &rr.pipeline_km,
            &format!("regions[{ri}].pipeline_km"),
            names,
        );
        let road_h = by_port(
            c,
            &rr.road_h,
            &format!("regions[{ri}].road_h"),
            names,
            ("a road time in hours", limits::DURATION_H),
        );
        out.push(Region {
            name: rr.name.get_ref().clone(),
            road_km,
            pipeline_km,
            road_h,
        });
    }
    out
}

/// Distances from ports by port name, as a list by port index (`None` where not given).
fn distances(
    c: &mut Checker,
    given: &Option<Spanned<BTreeMap<String, SNum>>>,
    path: &str,
    names: &Names,
) -> Vec<Option<f64>> {
    by_port(
        c,
        given,
        path,
        names,
        ("a distance in km", limits::DISTANCE_KM),
    )
}

/// Values by port name, as a list by port index (`None` where not given).
fn by_port(
    c: &mut Checker,
    given: &Option<Spanned<BTreeMap<String, SNum>>>,
    path: &str,
    names: &Names,
    (what, bounds): (&str, limits::Bounds),
) -> Vec<Option<f64>> {
    let mut out = vec![None; names.port_list.len()];
    let Some(given) = given else {
        return out;
    };
    for (port, v) in given.get_ref() {
        let p = format!("{path}.{port}");
        match names.ports.get(port) {
            Some(id) => out[id.index()] = Some(c.number(v, &p, what, bounds)),
            None => {
                let hint = suggest(port, names.port_list.iter().map(String::as_str));
                c.err(span(given), p, format!("unknown port `{port}`{hint}"));
            }
        }
    }
    out
}

/// A hinterland leg as written: the keys a flow (or a feeder leg) gives.
pub(super) struct LegKeys<'a> {
    pub region: &'a SStr,
    pub modes: &'a Spanned<RawModes>,
    pub dwell: Option<&'a Spanned<RawDist>>,
    pub yard_terminal: Option<&'a SStr>,
    /// A stock-driven flow's tank: cargo leaves by the send-out, so there is no dwell.
    pub tank: bool,
}

/// Where the leg is: its port and cargo, the flow's own terminal, the span errors point at.
pub(super) struct LegPlace<'a> {
    pub path: &'a str,
    /// Which way the leg's cargo moves: exports come down to the port on inbound trains.
    pub direction: Direction,
    pub port: Option<PortId>,
    pub cargo: Option<CargoClass>,
    pub flow_terminal: Option<TerminalId>,
    pub name_span: Range<usize>,
}

/// Resolves a flow's hinterland leg at its port: its region, mode split, dwell, yard terminal
/// and rail corridor.
pub(super) fn hinterland_leg(
    c: &mut Checker,
    model: &Model,
    names: &Names,
    at: &LegPlace<'_>,
    keys: &LegKeys<'_>,
) -> Option<Hinterland> {
    let fpath = at.path;
    let r = keys.region;
    let m = keys.modes;
    let region = names.regions.get(r.get_ref()).copied();
    if region.is_none() {
        // (Suggestions in name order here, as this leg has always given them.)
        let hint = suggest(r.get_ref(), names.regions.keys().map(String::as_str));
        c.err(
            span(r),
            format!("{fpath}.region"),
            format!(
                "unknown region `{}`{hint}; regions are declared in `[[regions]]`",
                r.get_ref()
            ),
        );
    }
    let modes = mode_split(c, m, &format!("{fpath}.modes"));
    let dwell_h = match keys.dwell {
        Some(d) if keys.tank => {
            c.err(
                span(d),
                format!("{fpath}.dwell_h"),
                "a stock-driven flow's cargo leaves its tank by the send-out, not after a dwell: leave out `dwell_h`",
            );
            None
        }
        None if keys.tank => Some(crate::model::Dist::Fixed(0.0)),
        Some(d) => c.dist(d, &format!("{fpath}.dwell_h"), limits::DURATION_H),
        None => {
            c.err(
                span(m),
                fpath,
                "a flow with a hinterland needs `dwell_h` (yard dwell for imports, lead time before the ship for exports)",
            );
            None
        }
    };
    let yard = leg_yard(c, model, names, at, keys.yard_terminal);
    let corridor = leg_corridor(c, model, at, region, modes, keys);
    if modes.pipeline > 0.0 {
        if let Some(t) = yard {
            if model.terminals[t.index()].pipeline_t_per_h.is_none() {
                c.err(
                    span(m),
                    format!("{fpath}.modes.pipeline"),
                    format!(
                        "terminal `{}` has no pipeline; set its `pipeline_t_per_h`",
                        model.terminals[t.index()].name
                    ),
                );
            }
        }
    }
    let (Some(region), Some(dwell_h), Some(terminal)) = (region, dwell_h, yard) else {
        return None;
    };
    let k = corridor.map(|k| &model.corridors[k.index()]);
    let choice = super::choice::leg_choice(c, model, at, keys, region, modes, k);
    Some(Hinterland {
        region,
        modes,
        dwell_h,
        terminal,
        corridor,
        choice,
    })
}

/// Shares by mode, which sum to 1.
fn mode_split(c: &mut Checker, m: &Spanned<RawModes>, mp: &str) -> ModeSplit {
    let share = |c: &mut Checker, v: &Option<SNum>, k: &str| match v {
        Some(v) => {
            let x = *v.get_ref();
            if !(0.0..=1.0).contains(&x) {
                c.err(
                    span(v),
                    format!("{mp}.{k}"),
                    format!("expected a share from 0 to 1, found {}", num(x)),
                );
            }
            x
        }
        None => 0.0,
    };
    let modes = ModeSplit {
        rail: share(c, &m.get_ref().rail, "rail"),
        road: share(c, &m.get_ref().road, "road"),
        pipeline: share(c, &m.get_ref().pipeline, "pipeline"),
    };
    let total = modes.rail + modes.road + modes.pipeline;
    if (total - 1.0).abs() > 1e-6 {
        c.err(
            span(m),
            mp,
            format!(
                "expected mode shares that sum to 1, found {}",
                round9(total)
            ),
        );
        return modes;
    }
    // Within the tolerance, exactly 1: cargo is split by these shares to the unit.
    ModeSplit {
        rail: modes.rail / total,
        road: modes.road / total,
        pipeline: modes.pipeline / total,
    }
}

/// The leg's yard: as named, the flow's terminal, or the port's only terminal for the cargo.
fn leg_yard(
    c: &mut Checker,
    model: &Model,
    names: &Names,
    at: &LegPlace<'_>,
    yard_terminal: Option<&SStr>,
) -> Option<TerminalId> {
    let fpath = at.path;
    let port_name = at.port.map_or("", |p| model.ports[p.index()].name.as_str());
    let named = match (yard_terminal, at.port) {
        (Some(t), Some(p)) => {
            let id = names
                .terminals
                .get(&(p.index(), t.get_ref().clone()))
                .copied();
            match id {
                None => {
                    let hint = suggest(t.get_ref(), names.terminals_of(p.index()));
                    c.err(
                        span(t),
                        format!("{fpath}.yard_terminal"),
                        format!(
                            "unknown terminal `{}` at port `{port_name}`{hint}",
                            t.get_ref()
                        ),
                    );
                }
                Some(id) => {
                    if let Some(cg) = at.cargo {
                        if !model.terminals[id.index()].cargo.contains(cg) {
                            c.err(
                                span(t),
                                format!("{fpath}.yard_terminal"),
                                format!("terminal `{}` does not handle {cg}", t.get_ref()),
                            );
                        }
                    }
                }
            }
            id
        }
        _ => None,
    };
    match (named.or(at.flow_terminal), at.port, at.cargo) {
        (Some(t), _, _) => Some(t),
        (None, Some(p), Some(cg)) => {
            let cands = terminals_handling(model, p, cg);
            if cands.len() == 1 {
                Some(cands[0])
            } else {
                let list: Vec<&str> = cands
                    .iter()
                    .map(|t| model.terminals[t.index()].name.as_str())
                    .collect();
                c.err(
                    at.name_span.clone(),
                    fpath,
                    format!(
                        "{} terminals at {port_name} handle {cg} ({}); name the one whose yard holds the flow's cargo in `yard_terminal`",
                        cands.len(),
                        list.join(", ")
                    ),
                );
                None
            }
        }
        _ => None,
    }
}

/// The terminals of a port that handle a cargo.
pub(super) fn terminals_handling(
    model: &Model,
    port: PortId,
    cargo: CargoClass,
) -> Vec<TerminalId> {
    model
        .terminals
        .iter()
        .enumerate()
        .filter(|(_, t)| t.port == port && t.cargo.contains(cargo))
        .map(|(i, _)| TerminalId(i as u32))
        .collect()
}

/// The rail corridor that carries the leg's rail share.
fn leg_corridor(
    c: &mut Checker,
    model: &Model,
    at: &LegPlace<'_>,
    region: Option<RegionId>,
    modes: ModeSplit,
    keys: &LegKeys<'_>,
) -> Option<CorridorId> {
    let (true, Some(p), Some(rg), Some(cg)) = (modes.rail > 0.0, at.port, region, at.cargo) else {
        return None;
    };
    let found = model
        .corridors
        .iter()
        .position(|k| k.port == p && k.region == rg && k.cargo.contains(cg));
    if found.is_none() {
        let port_name = &model.ports[p.index()].name;
        c.err(
            span(keys.modes),
            format!("{}.modes.rail", at.path),
            format!(
                "no rail corridor from {port_name} to {} carries {cg}; add a `[[corridors]]` entry or set the rail share to 0",
                keys.region.get_ref()
            ),
        );
    }
    found.map(|i| CorridorId(i as u32))
}
