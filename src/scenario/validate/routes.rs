//! Routes between ports: a flow's hub route (hub-feeder policy), a transshipment's onward
//! service and feeder legs, and the alternative ports of the integrated policy.

use toml::Spanned;

use super::checker::{Checker, span, suggest};
use super::flows::Basics;
use super::hinterland::{LegKeys, LegPlace, hinterland_leg, terminals_handling};
use super::names::Names;
use super::{fits, limits};
use crate::model::{
    Alternative, Arrivals, Direction, Flow, FlowId, Hinterland, Model, ServiceId, TerminalId,
    Transship,
};
use crate::scenario::raw::{RawFlow, RawHub, RawLeg};

/// Checks a flow's `hub` route and returns the transshipment flow it becomes under the
/// hub-feeder policy: in on the hub's mainline (imports) or feeder (exports), through the hub's
/// yard, out on the other, with a feeder leg to the flow's own port carrying its hinterland.
pub(super) fn check_hub_route(
    c: &mut Checker,
    model: &Model,
    names: &Names,
    fi: usize,
    rf: &RawFlow,
    hub: &Spanned<RawHub>,
) -> Option<RawFlow> {
    let hpath = format!("flows[{fi}].hub");
    let h = hub.get_ref();
    let before = c.count();
    let direction = rf.direction.get_ref().as_str();
    if direction != "import" && direction != "export" {
        c.err(
            span(hub),
            hpath.clone(),
            "a hub route applies to import and export flows; a transshipment flow already names its services",
        );
    }
    let Some(own_service) = &rf.service else {
        c.err(
            span(hub),
            hpath,
            "a hub route applies to flows carried by a liner `service`",
        );
        return None;
    };
    let (Some(region), Some(modes), Some(dwell)) = (&rf.region, &rf.modes, &rf.dwell_h) else {
        c.err(
            span(hub),
            hpath,
            "a hub route needs the flow's hinterland leg (`region`, `modes` and `dwell_h`), which moves to the feeder leg",
        );
        return None;
    };
    let hub_port = names.ports.get(h.port.get_ref()).copied();
    match hub_port {
        None => {
            let hint = suggest(h.port.get_ref(), names.ports.keys().map(String::as_str));
            c.err(
                span(&h.port),
                format!("{hpath}.port"),
                format!("unknown port `{}`{hint}", h.port.get_ref()),
            );
        }
        Some(p) if Some(&p) == names.ports.get(rf.port.get_ref()) => {
            c.err(
                span(&h.port),
                format!("{hpath}.port"),
                "the hub is another port than the flow's own",
            );
        }
        Some(_) => {}
    }
    let own_port = names.ports.get(rf.port.get_ref()).copied();
    let local = h.local_service.as_ref().unwrap_or(own_service);
    for (svc, key, at) in [
        (&h.mainline, "mainline", hub_port),
        (&h.feeder, "feeder", hub_port),
        (local, "local_service", own_port),
    ] {
        match names.services.get(svc.get_ref()) {
            None => {
                let hint = suggest(svc.get_ref(), names.services.keys().map(String::as_str));
                c.err(
                    span(svc),
                    format!("{hpath}.{key}"),
                    format!("unknown service `{}`{hint}", svc.get_ref()),
                );
            }
            Some(&sid) => {
                let Some(sp) = names.service_port(sid) else {
                    continue;
                };
                if let Some(at) = at.filter(|&p| p != sp) {
                    c.err(
                        span(svc),
                        format!("{hpath}.{key}"),
                        format!(
                            "service `{}` calls at {}, not at {}",
                            svc.get_ref(),
                            model.ports[sp.index()].name,
                            model.ports[at.index()].name
                        ),
                    );
                }
            }
        }
    }
    if c.count() > before {
        return None;
    }
    let leg = Spanned::new(
        span(hub),
        RawLeg {
            port: rf.port.clone(),
            service: local.clone(),
            region: region.clone(),
            modes: modes.clone(),
            dwell_h: dwell.clone(),
            yard_terminal: rf.yard_terminal.clone(),
        },
    );
    let import = direction == "import";
    let (arrive_on, leave_on) = if import {
        (&h.mainline, &h.feeder)
    } else {
        (&h.feeder, &h.mainline)
    };
    Some(RawFlow {
        direction: Spanned::new(span(&rf.direction), "transshipment".to_string()),
        port: h.port.clone(),
        terminal: None,
        service: Some(arrive_on.clone()),
        onward_service: Some(leave_on.clone()),
        region: None,
        modes: None,
        dwell_h: None,
        yard_terminal: h.yard_terminal.clone(),
        origin: (!import).then(|| leg.clone()),
        destination: import.then_some(leg),
        hub: None,
        ..rf.clone()
    })
}

/// A transshipment flow's hub end: its onward service and the yard between the two calls.
pub(super) fn transship(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    arrivals: &Arrivals,
    names: &Names,
    model: &mut Model,
) -> Option<Transship> {
    let fpath = b.path.as_str();
    let (Some(os), Some(p), Some(cg)) = (&rf.onward_service, b.port, b.cargo) else {
        return None;
    };
    if b.direction != Direction::Transshipment {
        c.err(
            span(os),
            format!("{fpath}.onward_service"),
            "`onward_service` applies to transshipment flows (`direction = \"transshipment\"`)",
        );
    }
    if !matches!(arrivals, Arrivals::Liner(_)) {
        c.err(
            span(os),
            format!("{fpath}.onward_service"),
            "a transshipment flow with an onward leg arrives on a liner `service`",
        );
    }
    let onward = names.service(c, os, &format!("{fpath}.onward_service"));
    if let Some(sp) = onward.and_then(|sid| names.service_port(sid)) {
        if sp != p {
            c.err(
                span(os),
                format!("{fpath}.onward_service"),
                format!(
                    "service `{}` calls at {}, not at {}",
                    os.get_ref(),
                    model.ports[sp.index()].name,
                    rf.port.get_ref()
                ),
            );
        }
    }
    if let Some(cl) = onward.and_then(|sid| names.service_class(sid)) {
        let sc = model.ship_classes[cl.index()].cargo;
        if sc != cg {
            c.err(
                span(os),
                format!("{fpath}.onward_service"),
                format!(
                    "service `{}` carries {sc}, but the flow is {cg}",
                    os.get_ref()
                ),
            );
        }
    }
    let named = rf
        .yard_terminal
        .as_ref()
        .and_then(|t| names.terminal(c, p, t, &format!("{fpath}.yard_terminal")));
    let cands: Vec<TerminalId> = terminals_handling(model, p, cg);
    let yard = named.or(b.terminal).or(if cands.len() == 1 {
        Some(cands[0])
    } else {
        None
    });
    if yard.is_none() && rf.yard_terminal.is_none() {
        c.err(
            span(&rf.name),
            fpath,
            format!(
                "{} terminals at {} handle {cg}; name the one whose yard holds the transshipment cargo in `yard_terminal`",
                cands.len(),
                rf.port.get_ref()
            ),
        );
    }
    let (sid, t) = (onward?, yard?);
    model.services[sid.index()]
        .onward_flows
        .push(FlowId(b.index as u32));
    Some(Transship {
        onward: sid,
        terminal: t,
    })
}

/// `origin` and `destination` describe feeder legs of a transshipment with an onward
/// service; anywhere else they are a mistake.
pub(super) fn refuse_stray_legs(c: &mut Checker, rf: &RawFlow, fpath: &str) {
    if rf.onward_service.is_some() {
        return; // the onward service itself is refused (or its port or cargo unknown)
    }
    for (leg, key) in [(&rf.origin, "origin"), (&rf.destination, "destination")] {
        if let Some(l) = leg {
            c.err(
                span(l),
                format!("{fpath}.{key}"),
                format!(
                    "`{key}` describes a feeder leg of a transshipment flow; it needs an `onward_service`"
                ),
            );
        }
    }
}

/// Feeder legs: the same volume starts at (origin) or ends at (destination) another port,
/// carried by that port's service and passing through its yard and hinterland.
pub(super) fn feeder_legs(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    volume: f64,
    growth: &super::growth::Growth,
    names: &Names,
    model: &Model,
) -> Vec<(ServiceId, Flow)> {
    let mut out = Vec::new();
    for (leg, key, leg_direction) in [
        (&rf.origin, "origin", Direction::Export),
        (&rf.destination, "destination", Direction::Import),
    ] {
        let Some(l) = leg else { continue };
        let lpath = format!("{}.{key}", b.path);
        let lr = l.get_ref();
        let lport = names.port(c, &lr.port, &format!("{lpath}.port"));
        if lport.is_some() && lport == b.port {
            c.err(
                span(&lr.port),
                format!("{lpath}.port"),
                "a feeder leg runs to another port than the hub",
            );
        }
        let lsvc = names.services.get(lr.service.get_ref()).copied();
        match (lsvc, lport) {
            (None, _) => {
                names.service(c, &lr.service, &format!("{lpath}.service"));
            }
            (Some(sid), Some(lp)) => {
                if let Some(sp) = names.service_port(sid).filter(|&sp| sp != lp) {
                    c.err(
                        span(&lr.service),
                        format!("{lpath}.service"),
                        format!(
                            "service `{}` calls at {}, not at {}",
                            lr.service.get_ref(),
                            model.ports[sp.index()].name,
                            lr.port.get_ref()
                        ),
                    );
                }
            }
            _ => {}
        }
        let h = hinterland_leg(
            c,
            model,
            names,
            &LegPlace {
                path: &lpath,
                direction: leg_direction,
                port: lport,
                cargo: b.cargo,
                flow_terminal: None,
                name_span: span(l),
            },
            &LegKeys {
                region: &lr.region,
                modes: &lr.modes,
                dwell: Some(&lr.dwell_h),
                yard_terminal: lr.yard_terminal.as_ref(),
                tank: false,
            },
        );
        if let (Some(lp), Some(sid), Some(h), Some(cg)) = (lport, lsvc, h, b.cargo) {
            out.push((
                sid,
                Flow {
                    name: format!("{}@{}", rf.name.get_ref(), lr.port.get_ref()),
                    cargo: cg,
                    direction: leg_direction,
                    port: lp,
                    terminal: None,
                    volume_per_yr: volume,
                    growth_per_yr: growth.0,
                    growth_draw: growth.1.clone(),
                    path: None,
                    arrivals: Arrivals::Liner(sid),
                    service_h: None,
                    hinterland: Some(h),
                    transship: None,
                    alternatives: Vec::new(),
                    haul_cost_per_t: 0.0,
                },
            ));
        }
    }
    out
}

/// Alternative ports for the integrated policy, with the haul from each candidate; also
/// returns the haul from the flow's own port.
pub(super) fn alternatives(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    arrivals: &Arrivals,
    (own, transships): (Option<&Hinterland>, bool),
    names: &Names,
    model: &Model,
) -> (Vec<Alternative>, f64) {
    let fpath = b.path.as_str();
    let has_hinterland = own.is_some();
    let Some(alts) = &rf.alternative_ports else {
        if let Some(h) = &rf.haul_cost_per_t {
            c.err(
                span(h),
                format!("{fpath}.haul_cost_per_t"),
                "haul costs go with `alternative_ports`",
            );
        }
        return (Vec::new(), 0.0);
    };
    if !matches!(arrivals, Arrivals::Tramp { .. }) {
        c.err(
            span(alts),
            format!("{fpath}.alternative_ports"),
            "alternative ports apply to tramp flows (`ships`); a liner service keeps its port",
        );
    }
    if transships || (has_hinterland && b.direction != Direction::Import) {
        c.err(
            span(alts),
            format!("{fpath}.alternative_ports"),
            "alternative ports take import flows (with or without a hinterland leg) and export flows without one; exports with a hinterland leg reach their port before their ship and cannot switch",
        );
    }
    let hauls = rf.haul_cost_per_t.as_ref();
    let haul_of = |c: &mut Checker, name: &str| -> f64 {
        match hauls.and_then(|h| h.get_ref().get(name)) {
            Some(v) => c.number(
                v,
                &format!("{fpath}.haul_cost_per_t.{name}"),
                "a haul cost per tonne",
                limits::MONEY,
            ),
            None => {
                c.err(
                    span(alts),
                    format!("{fpath}.haul_cost_per_t"),
                    format!(
                        "give a haul cost per tonne for every candidate port; `{name}` has none"
                    ),
                );
                0.0
            }
        }
    };
    let haul_home = haul_of(c, rf.port.get_ref());
    let mut alternatives: Vec<Alternative> = Vec::new();
    for (k, a) in alts.get_ref().iter().enumerate() {
        let apath = format!("{fpath}.alternative_ports[{k}]");
        let Some(ap) = names.port(c, a, &apath) else {
            continue;
        };
        if Some(ap) == b.port || alternatives.iter().any(|x| x.port == ap) {
            c.err(
                span(a),
                apath,
                format!("port `{}` is already a candidate", a.get_ref()),
            );
            continue;
        }
        // Ship classes that fit no berth there keep to the flow's own port; at least one
        // class must fit for the alternative to mean anything.
        if let (Arrivals::Tramp { ships, .. }, Some(cg)) = (arrivals, b.cargo) {
            if !ships.is_empty()
                && ships
                    .iter()
                    .all(|&(cl, _)| fits(model, ap, cl, cg, None).is_some())
            {
                c.err(
                    span(a),
                    apath.clone(),
                    format!(
                        "no ship class of the flow fits a berth at {} that handles {cg}",
                        a.get_ref()
                    ),
                );
            }
        }
        // The same hinterland leg from the alternative port: its own yard and corridor.
        let alt_hinterland = match (has_hinterland, &rf.region, &rf.modes) {
            (true, Some(r), Some(m)) => hinterland_leg(
                c,
                model,
                names,
                &LegPlace {
                    path: &apath,
                    direction: b.direction,
                    port: Some(ap),
                    cargo: b.cargo,
                    flow_terminal: None,
                    name_span: span(a),
                },
                &LegKeys {
                    region: r,
                    modes: m,
                    dwell: rf.dwell_h.as_ref(),
                    yard_terminal: None,
                    tank: false,
                },
            ),
            _ => None,
        };
        // The region's preferences are the flow's own: the constants calibrated at its port,
        // with the costs from this one.
        let alt_hinterland = alt_hinterland.map(|mut h| {
            if let (Some(mine), Some(theirs)) =
                (own.and_then(|o| o.choice.as_ref()), h.choice.as_mut())
            {
                theirs.asc = mine.asc;
            }
            h
        });
        alternatives.push(Alternative {
            port: ap,
            haul_cost_per_t: haul_of(c, a.get_ref()),
            hinterland: alt_hinterland,
        });
    }
    (alternatives, haul_home)
}
