//! `[growth]`: growth rates by cargo class, by flow and by hub corridor.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::model::{CargoClass, Model};
use crate::scenario::raw::{RawFlow, RawScenario, SNum};

/// Growth rates by cargo class (`[growth] rates_per_yr`; a flow may override its own).
pub(super) fn class_growth(c: &mut Checker, raw: &RawScenario) -> [f64; CargoClass::COUNT] {
    let mut class_growth = [0.0f64; CargoClass::COUNT];
    let Some(rates) = &raw.growth.rates_per_yr else {
        return class_growth;
    };
    for (cargo, v) in rates.get_ref() {
        let path = format!("growth.rates_per_yr.{cargo}");
        match CargoClass::from_name(cargo) {
            Some(cc) => {
                if let Some(x) = growth_rate(c, v, &path) {
                    class_growth[cc.index()] = x;
                }
            }
            None => {
                let hint = suggest(cargo, CargoClass::ALL.map(|c| c.name()));
                c.err(
                    span(rates),
                    path,
                    format!("unknown cargo class `{cargo}`{hint}"),
                );
            }
        }
    }
    class_growth
}

/// A growth rate a year: above −100 %, at most the bound in `limits`.
pub(super) fn growth_rate(c: &mut Checker, v: &SNum, path: &str) -> Option<f64> {
    let x = *v.get_ref();
    if !(x > -1.0 && x.is_finite()) {
        c.err(
            span(v),
            path,
            format!("expected a growth rate above -1 (-100 %), found {}", num(x)),
        );
        return None;
    }
    if x > limits::GROWTH_MAX {
        c.err(
            span(v),
            path,
            format!(
                "expected a growth rate of at most {} (+{} % a year), found {}",
                limits::GROWTH_MAX,
                limits::GROWTH_MAX * 100.0,
                num(x)
            ),
        );
        return None;
    }
    Some(x)
}

/// Per-flow growth overrides (`[growth] flows_per_yr`) must name flows.
pub(super) fn check_flow_growth_names(c: &mut Checker, raw: &RawScenario) {
    let Some(rates) = &raw.growth.flows_per_yr else {
        return;
    };
    for name in rates.get_ref().keys() {
        if !raw.flows.iter().any(|f| f.name.get_ref() == name) {
            let hint = suggest(name, raw.flows.iter().map(|f| f.name.get_ref().as_str()));
            c.err(
                span(rates),
                format!("growth.flows_per_yr.{name}"),
                format!("unknown flow `{name}`{hint}"),
            );
        }
    }
}

/// A corridor's hub cargo grows at the scenario's rate for it (`[growth] hubs_per_yr`), its
/// own `hub_growth_per_yr`, or its cargo's class rate.
pub(super) fn hub_growth(
    c: &mut Checker,
    raw: &RawScenario,
    model: &mut Model,
    class_growth: &[f64; CargoClass::COUNT],
) {
    if let Some(rates) = &raw.growth.hubs_per_yr {
        for name in rates.get_ref().keys() {
            let is_hub = raw.corridors.iter().any(|k| {
                k.name.get_ref() == name && k.hub_out_per_yr.is_some() | k.hub_in_per_yr.is_some()
            });
            if !is_hub {
                let hint = suggest(
                    name,
                    raw.corridors.iter().map(|k| k.name.get_ref().as_str()),
                );
                c.err(
                    span(rates),
                    format!("growth.hubs_per_yr.{name}"),
                    format!("no corridor `{name}` with hub cargo (`hub_out_per_yr` or `hub_in_per_yr`){hint}"),
                );
            }
        }
    }
    for (ci, (k, rk)) in model.corridors.iter_mut().zip(&raw.corridors).enumerate() {
        let Some(hub) = &mut k.hub else { continue };
        let name = rk.name.get_ref();
        let scenario_rate = raw
            .growth
            .hubs_per_yr
            .as_ref()
            .and_then(|m| m.get_ref().get(name.as_str()));
        hub.growth_per_yr = match (scenario_rate, &rk.hub_growth_per_yr) {
            (Some(g), _) => growth_rate(c, g, &format!("growth.hubs_per_yr.{name}")),
            (None, Some(g)) => growth_rate(c, g, &format!("corridors[{ci}].hub_growth_per_yr")),
            (None, None) => k.cargo.iter().next().map(|cg| class_growth[cg.index()]),
        }
        .unwrap_or(0.0);
    }
}

/// The flow's growth: the scenario's rate for it by name, its own, or its cargo class's.
pub(super) fn growth(
    c: &mut Checker,
    raw: &RawScenario,
    rf: &RawFlow,
    fpath: &str,
    cargo: Option<CargoClass>,
    class_growth: &[f64; CargoClass::COUNT],
) -> f64 {
    let scenario_rate = raw
        .growth
        .flows_per_yr
        .as_ref()
        .and_then(|m| m.get_ref().get(rf.name.get_ref().as_str()));
    match scenario_rate.or(rf.growth_per_yr.as_ref()) {
        Some(g) => {
            let path = match scenario_rate {
                Some(_) => format!("growth.flows_per_yr.{}", rf.name.get_ref()),
                None => format!("{fpath}.growth_per_yr"),
            };
            growth_rate(c, g, &path).unwrap_or(0.0)
        }
        None => cargo.map_or(0.0, |cg| class_growth[cg.index()]),
    }
}
