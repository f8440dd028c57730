//! `[[flows]]` and `[growth]`: what each flow carries, how much, how its calls arrive, and
//! where its cargo goes on land. Routes between ports (hubs, feeder legs, alternatives) are
//! read by `routes`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::super::location::Diagnostic;
use super::checker::{Checker, span, suggest};
use super::growth;
use super::hinterland::{LegKeys, LegPlace, hinterland_leg};
use super::names::Names;
use super::{fleet, limits, routes, stock};
use crate::model::{
    Arrivals, CargoClass, Direction, Flow, FlowId, Hinterland, Model, Policy, PortId, ServiceId,
    TerminalId,
};
use crate::scenario::raw::{RawFlow, RawScenario};

/// What is known of a flow once its own keys are read; routes and legs are checked against it.
pub(super) struct Basics {
    pub index: usize,
    pub path: String,
    pub cargo: Option<CargoClass>,
    pub direction: Direction,
    pub port: Option<PortId>,
    pub terminal: Option<TerminalId>,
}

/// Every flow (and the feeder legs they imply), added to `model`.
pub(super) fn flows(c: &mut Checker, raw: &RawScenario, names: &Names, model: &mut Model) {
    let class_growth = growth::class_growth(c, raw);
    growth::check_flow_growth_names(c, raw);
    growth::hub_growth(c, raw, model, &class_growth);
    // Hub routes are checked under every policy (a sweep may switch it); under hub-feeder each
    // flow with one is validated as the transshipment at the hub it becomes.
    let routed: Vec<Cow<'_, RawFlow>> = raw
        .flows
        .iter()
        .enumerate()
        .map(|(fi, rf)| {
            let route = rf
                .hub
                .as_ref()
                .and_then(|h| routes::check_hub_route(c, model, names, fi, rf, h));
            match route {
                Some(t) if model.settings.policy == Policy::HubFeeder => Cow::Owned(t),
                _ => Cow::Borrowed(rf),
            }
        })
        .collect();
    let mut seen = BTreeMap::new();
    let mut feeder_legs: Vec<(ServiceId, Flow)> = Vec::new();
    for (fi, rf) in routed.iter().enumerate() {
        let path = format!("flows[{fi}]");
        c.unique(&mut seen, &rf.name, &path, "flow");
        let flow = flow(
            c,
            raw,
            rf,
            fi,
            path,
            names,
            model,
            &class_growth,
            &mut feeder_legs,
        );
        model.flows.push(flow);
    }
    for (sid, flow) in feeder_legs {
        let id = FlowId(model.flows.len() as u32);
        model.services[sid.index()].flows.push(id);
        model.flows.push(flow);
    }
    growth::demand_paths(c, raw, model);
    stock::check_tanks(c, raw, model);
    check_services_carry_flows(c, raw, model);
    if !raw.ports.is_empty() && raw.flows.is_empty() {
        c.diags.push(Diagnostic {
            span: Some(0..0),
            path: "flows".into(),
            message: "the scenario defines no demand; expected at least one `[[flows]]` table"
                .into(),
        });
    }
}

/// One flow.
#[allow(clippy::too_many_arguments)]
fn flow(
    c: &mut Checker,
    raw: &RawScenario,
    rf: &RawFlow,
    fi: usize,
    path: String,
    names: &Names,
    model: &mut Model,
    class_growth: &[growth::Growth],
    feeder_legs: &mut Vec<(ServiceId, Flow)>,
) -> Flow {
    let fpath = path.as_str();
    let cargo = c.cargo(&rf.cargo, &format!("{fpath}.cargo"));
    let direction = direction(c, rf, fpath);
    let port = names.port(c, &rf.port, &format!("{fpath}.port"));
    let terminal = match (&rf.terminal, port) {
        (Some(t), Some(p)) => names.terminal(c, p, t, &format!("{fpath}.terminal")),
        _ => None,
    };
    let basics = Basics {
        index: fi,
        path: path.clone(),
        cargo,
        direction,
        port,
        terminal,
    };
    let growth = growth::growth(c, raw, rf, fpath, cargo, class_growth);
    let service_h = rf.service_h.as_ref().and_then(|d| {
        c.dist(
            d,
            &format!("{fpath}.service_h"),
            limits::POSITIVE_DURATION_H,
        )
    });
    let given = volume(c, rf, &basics);
    let arrivals = arrivals(c, rf, &basics, names, model);
    let volume = given.unwrap_or_else(|| volume_of_calls(c, rf, &basics, &arrivals, model));
    let hinterland = hinterland(c, rf, &basics, names, model);
    if let (Some(d), Some(_)) = (&rf.service_h, &hinterland) {
        c.err(
            span(d),
            format!("{fpath}.service_h"),
            "`service_h` gives a call's whole time at berth, so its cargo cannot pass through a yard in steps; leave out `service_h` (the berth's rate then sets the time) or the hinterland leg (`region`, `modes`, `dwell_h`)",
        );
    }
    let transship = routes::transship(c, rf, &basics, &arrivals, names, model);
    if transship.is_some() {
        for (sid, leg) in routes::feeder_legs(c, rf, &basics, volume, &growth, names, model) {
            feeder_legs.push((sid, leg));
        }
    } else {
        routes::refuse_stray_legs(c, rf, fpath);
    }
    let (alternatives, haul_home) = routes::alternatives(
        c,
        rf,
        &basics,
        &arrivals,
        (hinterland.as_ref(), transship.is_some()),
        names,
        model,
    );
    Flow {
        hinterland,
        transship,
        alternatives,
        haul_cost_per_t: haul_home,
        name: rf.name.get_ref().clone(),
        cargo: cargo.unwrap_or(CargoClass::OtherDryBulk),
        direction,
        port: port.unwrap_or(PortId(0)),
        terminal,
        volume_per_yr: volume,
        growth_per_yr: growth.0,
        growth_draw: growth.1,
        path: None,
        arrivals,
        service_h,
    }
}

fn direction(c: &mut Checker, rf: &RawFlow, fpath: &str) -> Direction {
    match rf.direction.get_ref().as_str() {
        "import" => Direction::Import,
        "export" => Direction::Export,
        "transshipment" => Direction::Transshipment,
        other => {
            let hint = suggest(other, ["import", "export", "transshipment"]);
            c.err(
                span(&rf.direction),
                format!("{fpath}.direction"),
                format!("unknown direction `{other}`{hint}"),
            );
            Direction::Import
        }
    }
}

/// The flow's base-year volume in its cargo's unit, or `None` when it gives calls instead.
fn volume(c: &mut Checker, rf: &RawFlow, b: &Basics) -> Option<f64> {
    let fpath = b.path.as_str();
    if rf.calls_per_h.is_some() || rf.calls_per_yr.is_some() {
        return None;
    }
    Some(
        match (b.cargo, &rf.volume_t_per_yr, &rf.volume_teu_per_yr) {
            (Some(cg), None, Some(v)) if cg.is_container() => c.number(
                v,
                &format!("{fpath}.volume_teu_per_yr"),
                "a volume in TEU per year",
                limits::VOLUME_TEU,
            ),
            (Some(cg), Some(v), None) if !cg.is_container() => c.number(
                v,
                &format!("{fpath}.volume_t_per_yr"),
                "a volume in tonnes per year",
                limits::VOLUME_T,
            ),
            (Some(cg), _, _) => {
                let want = if cg.is_container() {
                    "volume_teu_per_yr"
                } else {
                    "volume_t_per_yr"
                };
                c.err(
                    span(&rf.name),
                    fpath,
                    format!("a {cg} flow needs `{want}` (and not the other volume key)"),
                );
                0.0
            }
            (None, _, _) => 0.0,
        },
    )
}

/// A tramp flow's demand given as calls per hour or per year (queueing models state λ
/// directly): the volume those calls carry on average.
fn volume_of_calls(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    arrivals: &Arrivals,
    model: &Model,
) -> f64 {
    let fpath = b.path.as_str();
    let (v, key, per_yr) = match (&rf.calls_per_h, &rf.calls_per_yr) {
        (Some(v), None) => (v, "calls_per_h", 8760.0),
        (None, Some(v)) => (v, "calls_per_yr", 1.0),
        (Some(_), Some(v)) => {
            c.err(
                span(v),
                format!("{fpath}.calls_per_yr"),
                "give either `calls_per_h` or `calls_per_yr`, not both",
            );
            return 0.0;
        }
        (None, None) => unreachable!("`volume` reads flows that give no calls"),
    };
    let vpath = format!("{fpath}.{key}");
    if rf.volume_t_per_yr.is_some() || rf.volume_teu_per_yr.is_some() {
        c.err(
            span(v),
            vpath,
            "give the flow's demand once: a volume, or calls (`calls_per_h`, `calls_per_yr`)",
        );
        return 0.0;
    }
    let Arrivals::Tramp { ships, .. } = arrivals else {
        c.err(
            span(v),
            vpath,
            "calls are given for tramp flows (`ships`); a liner flow's calls are its service's",
        );
        return 0.0;
    };
    let rate = c.number(v, &vpath, "a call rate", limits::calls(per_yr)) * per_yr;
    // Shares are of the volume: class k makes share_k × V / parcel_k calls a year.
    let calls_per_unit: f64 = ships
        .iter()
        .map(|&(cl, share)| share / model.ship_classes[cl.index()].parcel.mean())
        .sum();
    if calls_per_unit > 0.0 {
        rate / calls_per_unit
    } else {
        0.0
    }
}

/// How the flow's calls arrive: tramp ship classes, or a liner service.
fn arrivals(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    names: &Names,
    model: &mut Model,
) -> Arrivals {
    let fpath = b.path.as_str();
    match (&rf.ships, &rf.service) {
        (Some(ships), None) => {
            let mix = fleet::ship_mix(c, ships, b, names, model);
            Arrivals::Tramp {
                ships: mix,
                fleet: fleet::fleet(c, rf, b, names, model),
                seasonality: seasonality(c, rf, fpath),
                timing: stock::timing(c, rf, fpath),
            }
        }
        (None, Some(svc)) => {
            if let Some(s) = &rf.seasonality {
                c.err(
                    span(s),
                    format!("{fpath}.seasonality"),
                    "a liner flow follows its service's schedule; seasonality applies to tramp flows (`ships`)",
                );
            }
            if let Some(d) = &rf.service_h {
                c.err(
                    span(d),
                    format!("{fpath}.service_h"),
                    "`service_h` applies to tramp flows (`ships`) only",
                );
            }
            if let Some(f) = &rf.fleet {
                c.err(
                    span(f),
                    format!("{fpath}.fleet"),
                    "a liner flow's ships are its service's; `fleet` applies to tramp flows (`ships`)",
                );
            }
            for (key, at) in [
                ("stock", rf.stock.as_ref().map(span)),
                ("jitter_h", rf.jitter_h.as_ref().map(span)),
            ] {
                if let Some(at) = at {
                    c.err(
                        at,
                        format!("{fpath}.{key}"),
                        format!("a liner flow follows its service's schedule; `{key}` applies to tramp flows (`ships`)"),
                    );
                }
            }
            if let Some(a) = &rf.arrivals {
                c.err(
                    span(a),
                    format!("{fpath}.arrivals"),
                    "a liner flow follows its service's schedule; `arrivals` applies to tramp flows (`ships`)",
                );
            }
            let Some(sid) = names.service(c, svc, &format!("{fpath}.service")) else {
                return Arrivals::Liner(ServiceId(0));
            };
            let sc_cargo = names
                .service_class(sid)
                .map(|cl| model.ship_classes[cl.index()].cargo);
            if let (Some(cg), Some(sc_cargo)) = (b.cargo, sc_cargo) {
                if sc_cargo != cg {
                    c.err(
                        span(svc),
                        format!("{fpath}.service"),
                        format!(
                            "service `{}` carries {sc_cargo}, but the flow is {cg}",
                            svc.get_ref()
                        ),
                    );
                }
            }
            if let (Some(p), Some(sp)) = (b.port, names.service_port(sid)) {
                if p != sp {
                    c.err(
                        span(svc),
                        format!("{fpath}.service"),
                        format!(
                            "service `{}` calls at {}, not at {}",
                            svc.get_ref(),
                            model.ports[sp.index()].name,
                            rf.port.get_ref()
                        ),
                    );
                }
            }
            model.services[sid.index()]
                .flows
                .push(FlowId(b.index as u32));
            Arrivals::Liner(sid)
        }
        (Some(ships), Some(_)) => {
            c.err(
                span(ships),
                fpath,
                "give either `ships` (tramp calls) or `service` (liner calls), not both",
            );
            Arrivals::Liner(ServiceId(0))
        }
        (None, None) => {
            c.err(
                span(&rf.name),
                fpath,
                "a flow needs `ships` (tramp calls) or `service` (a liner service)",
            );
            Arrivals::Liner(ServiceId(0))
        }
    }
}

/// A tramp flow's monthly arrival factors (January first; none: flat).
fn seasonality(c: &mut Checker, rf: &RawFlow, fpath: &str) -> [f64; 12] {
    let mut seasonality = [1.0; 12];
    let Some(s) = &rf.seasonality else {
        return seasonality;
    };
    if s.get_ref().len() != 12 {
        c.err(
            span(s),
            format!("{fpath}.seasonality"),
            format!(
                "expected 12 monthly factors (January first), found {}",
                s.get_ref().len()
            ),
        );
        return seasonality;
    }
    for (m, v) in s.get_ref().iter().enumerate() {
        seasonality[m] = c.number(
            v,
            &format!("{fpath}.seasonality[{m}]"),
            "a monthly factor",
            limits::SEASON_FACTOR,
        );
    }
    if seasonality.iter().all(|&v| v == 0.0) {
        c.err(
            span(s),
            format!("{fpath}.seasonality"),
            "expected at least one month with a factor > 0",
        );
        seasonality = [1.0; 12];
    }
    seasonality
}

/// The flow's own hinterland leg (`region`, `modes`, `dwell_h`), if it has one.
fn hinterland(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    names: &Names,
    model: &Model,
) -> Option<Hinterland> {
    let fpath = b.path.as_str();
    match (&rf.region, &rf.modes) {
        (None, None) => {
            if let Some(d) = &rf.dwell_h {
                c.err(
                    span(d),
                    format!("{fpath}.dwell_h"),
                    "`dwell_h` needs a hinterland: give the flow a `region` and `modes`",
                );
            }
            if let (Some(t), None) = (&rf.yard_terminal, &rf.onward_service) {
                c.err(
                    span(t),
                    format!("{fpath}.yard_terminal"),
                    "`yard_terminal` needs a hinterland (`region` and `modes`) or an `onward_service`",
                );
            }
            None
        }
        (Some(r), None) => {
            c.err(
                span(r),
                fpath,
                "a flow with a `region` needs `modes` (its hinterland mode split)",
            );
            None
        }
        (None, Some(m)) => {
            c.err(span(m), fpath, "a flow with `modes` needs a `region`");
            None
        }
        (Some(r), Some(m)) => {
            if b.direction == Direction::Transshipment {
                c.err(
                    span(m),
                    format!("{fpath}.modes"),
                    "a transshipment flow stays in the port's yard between ships; it has no hinterland modes",
                );
            }
            hinterland_leg(
                c,
                model,
                names,
                &LegPlace {
                    path: fpath,
                    direction: b.direction,
                    port: b.port,
                    cargo: b.cargo,
                    flow_terminal: b.terminal,
                    name_span: span(&rf.name),
                },
                &LegKeys {
                    region: r,
                    modes: m,
                    dwell: rf.dwell_h.as_ref(),
                    yard_terminal: rf.yard_terminal.as_ref(),
                    tank: rf.stock.is_some()
                        && rf.arrivals.as_ref().is_some_and(|a| a.get_ref() == "stock")
                        && rf.ships.is_some(),
                },
            )
        }
    }
}

/// A service whose flows all go through the hub under hub-feeder simply does not sail; any
/// other service must carry a flow.
fn check_services_carry_flows(c: &mut Checker, raw: &RawScenario, model: &Model) {
    for (si, s) in model.services.iter().enumerate() {
        let named = raw.flows.iter().any(|f| {
            let hub = f.hub.as_ref().map(|h| h.get_ref());
            [
                f.service.as_ref(),
                f.onward_service.as_ref(),
                hub.map(|h| &h.mainline),
                hub.map(|h| &h.feeder),
                hub.and_then(|h| h.local_service.as_ref()),
            ]
            .into_iter()
            .flatten()
            .any(|x| x.get_ref() == &s.name)
        });
        if s.flows.is_empty() && s.onward_flows.is_empty() && !named {
            c.err(
                span(&raw.services[si].name),
                format!("services[{si}]"),
                format!(
                    "service `{}` carries no flow; name it in a flow's `service`",
                    s.name
                ),
            );
        }
    }
}
