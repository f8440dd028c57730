//! `[[ports]]`: tides, closures, port areas and their channels, berth pools; the terminals
//! and berths inside them are read by `terminals`.

use std::collections::BTreeMap;

use super::super::location::Diagnostic;
use super::checker::{Checker, span};
use super::limits;
use super::names::Names;
use super::terminals;
use crate::model::{
    AreaId, Berth, Channel, ClosureRegime, ClosureStops, Dist, Port, PortArea, PortId, Terminal,
    Tide,
};
use crate::scenario::raw::{RawArea, RawClosure, RawPort, SStr};

/// The ports and everything inside them, in declaration order.
#[derive(Debug, Default)]
pub(super) struct Infrastructure {
    pub ports: Vec<Port>,
    pub areas: Vec<PortArea>,
    pub terminals: Vec<Terminal>,
    pub berths: Vec<Berth>,
}

/// Every port, registered (with its terminals) in `names`.
pub(super) fn ports(
    c: &mut Checker,
    raw: &[RawPort],
    teu_per_move: f64,
    names: &mut Names,
) -> Infrastructure {
    if raw.is_empty() {
        c.diags.push(Diagnostic {
            span: Some(0..0),
            path: "ports".into(),
            message: "the scenario defines no ports; expected at least one `[[ports]]` table with areas, terminals and berths".into(),
        });
    }
    let mut infra = Infrastructure::default();
    let mut seen_ports = BTreeMap::new();
    for (pi, rp) in raw.iter().enumerate() {
        let ppath = format!("ports[{pi}]");
        c.unique(&mut seen_ports, &rp.name, &ppath, "port");
        let pid = PortId(pi as u32);
        names.ports.insert(rp.name.get_ref().clone(), pid);
        names.port_list.push(rp.name.get_ref().clone());
        let tide = tide(c, rp, &ppath);
        let closures = rp
            .closures
            .iter()
            .enumerate()
            .map(|(ci, rc)| closure(c, rc, &format!("{ppath}.closures[{ci}]")))
            .collect();
        let mut area_ids = Vec::new();
        let mut seen_areas = BTreeMap::new();
        let mut seen_terms = BTreeMap::new();
        if rp.areas.is_empty() {
            c.err(
                span(&rp.name),
                ppath.clone(),
                format!(
                    "port `{}` has no areas; expected at least one `[[ports.areas]]` with terminals",
                    rp.name.get_ref()
                ),
            );
        }
        for (ai, ra) in rp.areas.iter().enumerate() {
            let apath = format!("{ppath}.areas[{ai}]");
            c.unique(&mut seen_areas, &ra.name, &apath, "port area");
            let aid = AreaId(infra.areas.len() as u32);
            area_ids.push(aid);
            let channel = channel(c, ra, &apath);
            if ra.terminals.is_empty() {
                c.err(
                    span(&ra.name),
                    apath.clone(),
                    format!("port area `{}` has no terminals", ra.name.get_ref()),
                );
            }
            let mut term_ids = Vec::new();
            for (ti, rt) in ra.terminals.iter().enumerate() {
                let tpath = format!("{apath}.terminals[{ti}]");
                c.unique(
                    &mut seen_terms,
                    &rt.name,
                    &tpath,
                    "terminal (within its port)",
                );
                // `Port/rail:…` and `Port/region:…` name a corridor's and a region's rows.
                let tname = rt.name.get_ref();
                if let Some(prefix) = ["rail:", "region:"].iter().find(|p| tname.starts_with(**p)) {
                    c.err(
                        span(&rt.name),
                        format!("{tpath}.name"),
                        format!(
                            "a terminal's name may not start with `{prefix}`: `Port/{prefix}…` names a rail corridor's or a region's rows in the results"
                        ),
                    );
                }
                let at = terminals::Place {
                    port: pid,
                    area: aid,
                    port_name: rp.name.get_ref(),
                    teu_per_move,
                };
                let tid = terminals::terminal(c, rt, &tpath, &at, &mut infra);
                names.terminals.insert((pi, rt.name.get_ref().clone()), tid);
                term_ids.push(tid);
            }
            infra.areas.push(PortArea {
                name: ra.name.get_ref().clone(),
                port: pid,
                channel,
                terminals: term_ids,
            });
        }
        let rail_loading_tracks = match &rp.rail_loading_tracks {
            Some(n) => c.integer(
                n,
                &format!("{ppath}.rail_loading_tracks"),
                (0, 1000),
                "0 to 1000 loading tracks",
                0,
            ) as u32,
            None => 0,
        };
        check_pools(c, rp, &ppath);
        infra.ports.push(Port {
            name: rp.name.get_ref().clone(),
            areas: area_ids,
            tide,
            closures,
            disruptions: Vec::new(),
            rail_loading_tracks,
        });
    }
    infra
}

/// The port's tide (none: a range of 0).
fn tide(c: &mut Checker, rp: &RawPort, ppath: &str) -> Tide {
    let Some(t) = &rp.tide else {
        return Tide {
            range_m: 0.0,
            high_water_h: 0.0,
        };
    };
    let range_m = c.number(
        &t.get_ref().range_m,
        &format!("{ppath}.tide.range_m"),
        "a tidal range in metres",
        limits::TIDE_RANGE_M,
    );
    let high_water_h = t.get_ref().high_water_h.as_ref().map_or(0.0, |h| {
        c.signed(
            h,
            &format!("{ppath}.tide.high_water_h"),
            "an hour of high water",
            limits::TIDE_PHASE_H,
        )
    });
    Tide {
        range_m,
        high_water_h,
    }
}

/// One weather or ice closure regime.
fn closure(c: &mut Checker, rc: &RawClosure, cpath: &str) -> ClosureRegime {
    let mut months = Vec::new();
    for &m in rc.months.get_ref() {
        if (1..=12).contains(&m) {
            months.push(m as u8);
        } else {
            c.err(
                span(&rc.months),
                format!("{cpath}.months"),
                format!("expected months from 1 to 12, found {m}"),
            );
        }
    }
    let episodes = c.number(
        &rc.episodes_per_month,
        &format!("{cpath}.episodes_per_month"),
        "episodes per month",
        limits::EPISODES_PER_MONTH,
    );
    let duration = c.dist(
        &rc.duration_h,
        &format!("{cpath}.duration_h"),
        limits::DURATION_H,
    );
    let mut stops = ClosureStops {
        channel: false,
        handling: false,
    };
    for s in rc.stops.get_ref() {
        match s.as_str() {
            "channel" => stops.channel = true,
            "handling" => stops.handling = true,
            other => c.err(
                span(&rc.stops),
                format!("{cpath}.stops"),
                format!("unknown closure effect `{other}`; expected `channel` or `handling`"),
            ),
        }
    }
    if !stops.channel && !stops.handling {
        c.err(
            span(&rc.stops),
            format!("{cpath}.stops"),
            "a closure must stop `channel`, `handling` or both",
        );
    }
    ClosureRegime {
        name: rc.name.get_ref().clone(),
        months,
        episodes_per_month: episodes,
        duration_h: duration.unwrap_or(Dist::Fixed(0.0)),
        stops,
    }
}

/// A port area's approach channel, if it has one.
fn channel(c: &mut Checker, ra: &RawArea, apath: &str) -> Option<Channel> {
    let ch = ra.channel.as_ref()?;
    let chp = format!("{apath}.channel");
    let ch = ch.get_ref();
    let one_way = ch.one_way_min_dwt_t.as_ref().map(|v| {
        c.number(
            v,
            &format!("{chp}.one_way_min_dwt_t"),
            "a deadweight",
            limits::DWT_T,
        )
    });
    Some(Channel {
        depth_m: c.number(
            &ch.depth_m,
            &format!("{chp}.depth_m"),
            "a depth in metres",
            limits::DEPTH_M,
        ),
        ukc_m: c.opt_number(
            &ch.ukc_m,
            &format!("{chp}.ukc_m"),
            "an under-keel clearance in metres",
            limits::UKC_M,
            0.0,
        ),
        transit_h: c.opt_number(
            &ch.transit_h,
            &format!("{chp}.transit_h"),
            "a transit time in hours",
            limits::DURATION_H,
            0.0,
        ),
        one_way_min_dwt_t: one_way,
    })
}

/// A pool shares berths between terminals: one that names a single terminal is a typo.
fn check_pools(c: &mut Checker, rp: &RawPort, ppath: &str) {
    let pools: Vec<&SStr> = rp
        .areas
        .iter()
        .flat_map(|a| a.terminals.iter().filter_map(|t| t.pool.as_ref()))
        .collect();
    for p in &pools {
        if pools.iter().filter(|q| q.get_ref() == p.get_ref()).count() == 1 {
            c.err(
                span(*p),
                format!("{ppath}.pool"),
                format!(
                    "berth pool `{}` has only this terminal at {}; a pool shares berths between two or more terminals of the port",
                    p.get_ref(),
                    rp.name.get_ref()
                ),
            );
        }
    }
}
