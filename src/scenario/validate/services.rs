//! `[[services]]`: liner services and their schedules.

use std::collections::BTreeMap;

use super::checker::{Checker, span, suggest};
use super::names::Names;
use super::terminals;
use super::{fits, limits};
use crate::model::{Dist, LinerService, Model, PortId, ServiceId, ShipClassId, TerminalId};
use crate::scenario::raw::{RawScenario, RawService};

/// Every liner service, added to `model` and registered in `names`.
pub(super) fn services(c: &mut Checker, raw: &RawScenario, names: &mut Names, model: &mut Model) {
    let mut seen = BTreeMap::new();
    for (si, rs) in raw.services.iter().enumerate() {
        let spath = format!("services[{si}]");
        c.unique(&mut seen, &rs.name, &spath, "service");
        let (service, at) = service(c, rs, &spath, names, model);
        names.service_at.push(at);
        names
            .services
            .insert(rs.name.get_ref().clone(), ServiceId(si as u32));
        names.service_list.push(rs.name.get_ref().clone());
        model.services.push(service);
    }
}

/// The quay section a service's calls keep to: a berths entry of its terminal, which its ship
/// class must fit.
fn section(
    c: &mut Checker,
    rs: &RawService,
    spath: &str,
    model: &Model,
    terminal: Option<TerminalId>,
    class: Option<ShipClassId>,
) -> Option<u32> {
    let name = rs.section.as_ref()?;
    let path = format!("{spath}.section");
    let Some(t) = terminal else {
        if rs.terminal.is_none() {
            c.err(
                span(name),
                path,
                "a `section` is a berths entry of the service's `terminal`, which it does not name",
            );
        }
        return None;
    };
    let found = terminals::berths_named(model, t, name.get_ref());
    let Some(first) = found.first() else {
        let names = terminals::entry_names(model, t);
        let hint = suggest(name.get_ref(), names.iter().map(String::as_str));
        c.err(
            span(name),
            path,
            format!(
                "unknown berths `{}` at terminal `{}`{hint}",
                name.get_ref(),
                model.terminals[t.index()].name
            ),
        );
        return None;
    };
    let k = model.berths[first.index()].section;
    if let Some(cl) = class {
        let sc = &model.ship_classes[cl.index()];
        let fits = model
            .berths
            .iter()
            .any(|b| b.section == k && model.berth_fits(b, sc, sc.cargo));
        if !fits {
            c.err(
                span(name),
                path,
                format!(
                    "ship class `{}` fits no berth of `{}`",
                    sc.name,
                    name.get_ref()
                ),
            );
        }
    }
    Some(k)
}

fn service(
    c: &mut Checker,
    rs: &RawService,
    spath: &str,
    names: &Names,
    model: &Model,
) -> (LinerService, (Option<PortId>, Option<ShipClassId>)) {
    let port = names.port(c, &rs.port, &format!("{spath}.port"));
    let terminal = match (&rs.terminal, port) {
        (Some(t), Some(p)) => names.terminal(c, p, t, &format!("{spath}.terminal")),
        _ => None,
    };
    let class = names.class(c, &rs.ship_class, &format!("{spath}.ship_class"));
    let calls_per_week = c.number(
        &rs.calls_per_week,
        &format!("{spath}.calls_per_week"),
        "calls per week",
        limits::CALLS_PER_WEEK,
    );
    let delay_h = match &rs.delay_h {
        Some(d) => c
            .dist(d, &format!("{spath}.delay_h"), limits::DURATION_H)
            .unwrap_or(Dist::Fixed(0.0)),
        None => Dist::Fixed(0.0),
    };
    let call_size_cv = c.opt_number(
        &rs.call_size_cv,
        &format!("{spath}.call_size_cv"),
        "a coefficient of variation",
        limits::NOISE_CV,
        0.0,
    );
    if let (Some(p), Some(cl)) = (port, class) {
        let cargo = model.ship_classes[cl.index()].cargo;
        if let Some(m) = fits(model, p, cl, cargo, terminal) {
            c.err(span(&rs.ship_class), format!("{spath}.ship_class"), m);
        }
    }
    let section = section(c, rs, spath, model, terminal, class);
    let service = LinerService {
        name: rs.name.get_ref().clone(),
        port: port.unwrap_or(PortId(0)),
        terminal,
        section,
        ship_class: class.unwrap_or(ShipClassId(0)),
        calls_per_week,
        first_call_h: rs.first_call_h.as_ref().map(|v| {
            c.number(
                v,
                &format!("{spath}.first_call_h"),
                "a first call time in hours",
                limits::PHASE_H,
            )
        }),
        delay_h,
        call_size_cv,
        flows: Vec::new(),
        onward_flows: Vec::new(),
    };
    (service, (port, class))
}
