//! `[[ports.areas.terminals]]` and their berths, yards, gates and pipelines.

use std::collections::BTreeMap;

use super::checker::{Checker, span};
use super::limits;
use super::ports::Infrastructure;
use crate::model::{
    AreaId, Berth, BerthAllocation, BerthId, CargoClass, CargoSet, Gate, Model, PortId, Terminal,
    TerminalId, Yard,
};
use crate::scenario::raw::{RawBerth, RawTerminal};

/// Hours a full yard may hold up a call's discharge before the terminal opens overflow space
/// for it, when a terminal does not say (assumption: operators move boxes or bulk to buffer or
/// off-dock areas within a day rather than keep a berth idle; it also guarantees that a yard
/// full of other ships' exports cannot lock a terminal up).
const DEFAULT_YARD_OVERFLOW_AFTER_H: f64 = 24.0;

/// Where a terminal is.
pub(super) struct Place<'a> {
    pub port: PortId,
    pub area: AreaId,
    pub port_name: &'a str,
    pub teu_per_move: f64,
}

/// One terminal and its berths, added to `infra`; returns its id.
pub(super) fn terminal(
    c: &mut Checker,
    rt: &RawTerminal,
    tpath: &str,
    at: &Place<'_>,
    infra: &mut Infrastructure,
) -> TerminalId {
    let tid = TerminalId(infra.terminals.len() as u32);
    let mut tcargo = CargoSet::empty();
    for (k, cg) in rt.cargo.get_ref().iter().enumerate() {
        if let Some(cc) = c.cargo(cg, &format!("{tpath}.cargo[{k}]")) {
            tcargo.insert(cc);
        }
    }
    if rt.cargo.get_ref().is_empty() {
        c.err(
            span(&rt.cargo),
            format!("{tpath}.cargo"),
            "expected at least one cargo class",
        );
    }
    let mut bids = Vec::new();
    let mut seen_berths = BTreeMap::new();
    if rt.berths.is_empty() {
        c.err(
            span(&rt.name),
            tpath,
            format!("terminal `{}` has no berths", rt.name.get_ref()),
        );
    }
    for (bi, rb) in rt.berths.iter().enumerate() {
        let bpath = format!("{tpath}.berths[{bi}]");
        c.unique(
            &mut seen_berths,
            &rb.name,
            &bpath,
            "berth (within its terminal)",
        );
        let template = Berth {
            section: infra.berths.last().map_or(0, |b| b.section + 1),
            ..berth(c, rb, &bpath, rt, tcargo, at.teu_per_move)
        };
        let count = match &rb.count {
            Some(n) => c.integer(
                n,
                &format!("{bpath}.count"),
                (1, 1000),
                "a berth count from 1 to 1000",
                1,
            ) as usize,
            None => 1,
        };
        for k in 0..count {
            let name = if count == 1 {
                rb.name.get_ref().clone()
            } else {
                format!("{}-{}", rb.name.get_ref(), k + 1)
            };
            bids.push(BerthId(infra.berths.len() as u32));
            infra.berths.push(Berth {
                name: format!("{}/{}/{}", at.port_name, rt.name.get_ref(), name),
                terminal: tid,
                area: at.area,
                port: at.port,
                ..template.clone()
            });
        }
    }
    infra.terminals.push(Terminal {
        name: rt.name.get_ref().clone(),
        port: at.port,
        area: at.area,
        cargo: tcargo,
        berths: bids,
        yard: yard(c, rt, tpath),
        gate: gate(c, rt, tpath),
        pipeline_t_per_h: rt.pipeline_t_per_h.as_ref().map(|v| {
            c.number(
                v,
                &format!("{tpath}.pipeline_t_per_h"),
                "a pipeline rate in t/h",
                limits::PIPELINE_T_PER_H,
            )
        }),
        pool: rt.pool.as_ref().map(|p| p.get_ref().clone()),
        berth_allocation: berth_allocation(c, rt, tpath),
        yard_overflow_after_h: c.opt_number(
            &rt.yard_overflow_after_h,
            &format!("{tpath}.yard_overflow_after_h"),
            "hours of blocked discharge before overflow",
            limits::POSITIVE_DURATION_H,
            DEFAULT_YARD_OVERFLOW_AFTER_H,
        ),
    });
    tid
}

/// How the terminal gives arriving ships their berths (the smallest sufficient by default).
fn berth_allocation(c: &mut Checker, rt: &RawTerminal, tpath: &str) -> BerthAllocation {
    let Some(v) = &rt.berth_allocation else {
        return BerthAllocation::default();
    };
    match v.get_ref().as_str() {
        "smallest_sufficient" => BerthAllocation::SmallestSufficient,
        "spread" => BerthAllocation::Spread,
        other => {
            c.err(
                span(v),
                format!("{tpath}.berth_allocation"),
                format!("expected `smallest_sufficient` or `spread`, found `{other}`"),
            );
            BerthAllocation::default()
        }
    }
}

/// A berth as its row describes it (name, ids and place are set by the caller). Its
/// dimensions are given together, or left out together: a berth without them takes any ship.
fn berth(
    c: &mut Checker,
    rb: &RawBerth,
    bpath: &str,
    rt: &RawTerminal,
    tcargo: CargoSet,
    teu_per_move: f64,
) -> Berth {
    let bcargo = match &rb.cargo {
        Some(list) => {
            let mut s = CargoSet::empty();
            for (k, cg) in list.get_ref().iter().enumerate() {
                if let Some(cc) = c.cargo(cg, &format!("{bpath}.cargo[{k}]")) {
                    if !tcargo.contains(cc) {
                        c.err(
                            span(cg),
                            format!("{bpath}.cargo[{k}]"),
                            format!(
                                "terminal `{}` does not handle {cc}; add it to the terminal's cargo first",
                                rt.name.get_ref()
                            ),
                        );
                    }
                    s.insert(cc);
                }
            }
            s
        }
        None => tcargo,
    };
    c.all_or_none(
        &rb.name,
        bpath,
        &[
            ("max_dwt_t", rb.max_dwt_t.is_some()),
            ("length_m", rb.length_m.is_some()),
            ("depth_m", rb.depth_m.is_some()),
        ],
        "a berth that takes any ship",
    );
    let limit = |c: &mut Checker, v: &Option<_>, key: &str, what: &str, b| {
        c.opt_number(v, &format!("{bpath}.{key}"), what, b, f64::INFINITY)
    };
    let (rate_t_per_h, rate_teu_per_h, cranes) = rates(c, rb, bpath, bcargo, teu_per_move);
    Berth {
        name: String::new(),
        terminal: TerminalId(0),
        area: AreaId(0),
        port: PortId(0),
        cargo: bcargo,
        max_dwt_t: limit(
            c,
            &rb.max_dwt_t,
            "max_dwt_t",
            "a deadweight in tonnes",
            limits::DWT_T,
        ),
        length_m: limit(
            c,
            &rb.length_m,
            "length_m",
            "a length in metres",
            limits::BERTH_LENGTH_M,
        ),
        depth_m: limit(
            c,
            &rb.depth_m,
            "depth_m",
            "a depth in metres",
            limits::DEPTH_M,
        ),
        rate_t_per_h,
        rate_teu_per_h,
        cranes,
        rate_cv: c.opt_number(
            &rb.rate_cv,
            &format!("{bpath}.rate_cv"),
            "a coefficient of variation",
            limits::NOISE_CV,
            0.0,
        ),
        mooring_h: c.opt_number(
            &rb.mooring_h,
            &format!("{bpath}.mooring_h"),
            "a mooring time in hours",
            limits::DURATION_H,
            0.0,
        ),
        shore_power: rb.shore_power,
        section: 0,
    }
}

/// The berth's net rates: t/h for non-container cargo, TEU/h (or cranes × moves) for boxes;
/// and its cranes per ship where the rate is given by crane (0 otherwise).
fn rates(
    c: &mut Checker,
    rb: &RawBerth,
    bpath: &str,
    bcargo: CargoSet,
    teu_per_move: f64,
) -> (f64, f64, f64) {
    let has_bulk = bcargo.iter().any(|cc| !cc.is_container());
    let has_box = bcargo.contains(CargoClass::Container);
    let rate_t = match (&rb.rate_t_per_h, has_bulk) {
        (Some(r), true) => c.number(
            r,
            &format!("{bpath}.rate_t_per_h"),
            "a handling rate in t/h",
            limits::RATE_T_PER_H,
        ),
        (Some(r), false) => {
            c.err(
                span(r),
                format!("{bpath}.rate_t_per_h"),
                "this berth handles only containers: give `rate_teu_per_h` or `cranes` and `moves_per_crane_h`",
            );
            0.0
        }
        (None, true) => {
            c.err(
                span(&rb.name),
                bpath,
                "a berth handling non-container cargo needs `rate_t_per_h`",
            );
            0.0
        }
        (None, false) => 0.0,
    };
    let mut by_crane = 0.0;
    let rate_teu = match (&rb.rate_teu_per_h, &rb.cranes, &rb.moves_per_crane_h) {
        (Some(r), None, None) => c.number(
            r,
            &format!("{bpath}.rate_teu_per_h"),
            "a handling rate in TEU/h",
            limits::RATE_TEU_PER_H,
        ),
        (None, Some(cr), Some(mv)) => {
            let cranes = c.number(
                cr,
                &format!("{bpath}.cranes"),
                "a number of cranes",
                limits::CRANES,
            );
            let moves = c.number(
                mv,
                &format!("{bpath}.moves_per_crane_h"),
                "moves per crane-hour",
                limits::MOVES_PER_CRANE_H,
            );
            by_crane = cranes;
            cranes * moves * teu_per_move
        }
        (None, None, None) => {
            if has_box {
                c.err(
                    span(&rb.name),
                    bpath,
                    "a container berth needs `rate_teu_per_h`, or `cranes` and `moves_per_crane_h`",
                );
            }
            0.0
        }
        _ => {
            c.err(
                span(&rb.name),
                bpath,
                "give either `rate_teu_per_h`, or both `cranes` and `moves_per_crane_h`",
            );
            0.0
        }
    };
    if rate_teu > 0.0 && !has_box {
        c.err(
            span(&rb.name),
            bpath,
            "a container rate is given but the berth handles no containers",
        );
    }
    (rate_t, rate_teu, by_crane)
}

/// The terminal's yard (unlimited where no capacity is given).
fn yard(c: &mut Checker, rt: &RawTerminal, tpath: &str) -> Yard {
    Yard {
        capacity_teu: rt.yard_capacity_teu.as_ref().map_or(f64::INFINITY, |v| {
            c.number(
                v,
                &format!("{tpath}.yard_capacity_teu"),
                "a yard capacity in TEU",
                limits::YARD_TEU,
            )
        }),
        capacity_t: rt.yard_capacity_t.as_ref().map_or(f64::INFINITY, |v| {
            c.number(
                v,
                &format!("{tpath}.yard_capacity_t"),
                "a yard capacity in tonnes",
                limits::YARD_T,
            )
        }),
    }
}

/// The terminal's road gate, if it has one.
fn gate(c: &mut Checker, rt: &RawTerminal, tpath: &str) -> Option<Gate> {
    let g = rt.gate.as_ref()?;
    let gp = format!("{tpath}.gate");
    let g = g.get_ref();
    Some(Gate {
        trucks_per_h: c.number(
            &g.trucks_per_h,
            &format!("{gp}.trucks_per_h"),
            "trucks per hour",
            limits::TRUCKS_PER_H,
        ),
        teu_per_truck: c.opt_number(
            &g.teu_per_truck,
            &format!("{gp}.teu_per_truck"),
            "TEU per truck",
            limits::TEU_PER_TRUCK,
            1.6,
        ),
        t_per_truck: c.opt_number(
            &g.t_per_truck,
            &format!("{gp}.t_per_truck"),
            "tonnes per truck",
            limits::T_PER_TRUCK,
            30.0,
        ),
    })
}

/// The berths of terminal `t` declared under `name` (one berth, or a `count` of them named
/// `name-1`, `name-2`…): the model names berths port/terminal/berth.
pub(super) fn berths_named(model: &Model, t: TerminalId, name: &str) -> Vec<BerthId> {
    (0..model.berths.len())
        .filter(|&b| model.berths[b].terminal == t)
        .filter(|&b| {
            let bn = short_name(&model.berths[b].name);
            bn == name
                || bn
                    .strip_prefix(name)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|k| k.parse::<u32>().is_ok())
        })
        .map(|b| BerthId(b as u32))
        .collect()
}

/// The names of terminal `t`'s berths as the model has them (`DICT-3`), for suggestions.
pub(super) fn berth_names(model: &Model, t: TerminalId) -> Vec<String> {
    model
        .berths
        .iter()
        .filter(|b| b.terminal == t)
        .map(|b| short_name(&b.name).to_string())
        .collect()
}

/// The names of terminal `t`'s berths entries as written (`DICT`: a counted berth's name
/// without its `-k`), each once, for suggestions.
pub(super) fn entry_names(model: &Model, t: TerminalId) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for n in berth_names(model, t) {
        let entry = match n.rsplit_once('-') {
            Some((e, k)) if k.parse::<u32>().is_ok() => e.to_string(),
            _ => n,
        };
        if !names.contains(&entry) {
            names.push(entry);
        }
    }
    names
}

fn short_name(full: &str) -> &str {
    full.rsplit('/').next().unwrap_or(full)
}
