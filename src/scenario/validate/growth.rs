//! `[growth]`: growth rates by cargo class, by flow and by hub corridor.

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::model::{CargoClass, DemandPath, GrowthDraw, Model};
use crate::scenario::raw::{RawDemandPath, RawDist, RawFlow, RawScenario, SNum};

/// A flow's growth: its mean rate and, where it is uncertain, its stream key and draw.
pub(super) type Growth = (f64, Option<(String, GrowthDraw)>);

/// Growth rates by cargo class (`[growth] rates_per_yr`, or `uncertain_per_yr` for a draw; a
/// flow may override its own).
pub(super) fn class_growth(c: &mut Checker, raw: &RawScenario) -> Vec<Growth> {
    let mut class_growth: Vec<Growth> = vec![(0.0, None); CargoClass::COUNT];
    if let Some(rates) = &raw.growth.rates_per_yr {
        for (cargo, v) in rates.get_ref() {
            let path = format!("growth.rates_per_yr.{cargo}");
            match CargoClass::from_name(cargo) {
                Some(cc) => {
                    if let Some(x) = growth_rate(c, v, &path) {
                        class_growth[cc.index()] = (x, None);
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
    }
    if let Some(draws) = &raw.growth.uncertain_per_yr {
        for (key, d) in draws.get_ref() {
            let Some(cc) = CargoClass::from_name(key) else {
                continue; // a flow's name: `growth` resolves it
            };
            let path = format!("growth.uncertain_per_yr.{key}");
            if raw
                .growth
                .rates_per_yr
                .as_ref()
                .is_some_and(|r| r.get_ref().contains_key(key))
            {
                c.err(
                    span(draws),
                    &path,
                    format!("give `rates_per_yr.{key}` or `uncertain_per_yr.{key}`, not both"),
                );
            }
            if let Some(g) = growth_draw(c, d, &path) {
                class_growth[cc.index()] = (g.mean(), Some((format!("growth/{key}"), g)));
            }
        }
    }
    class_growth
}

/// An uncertain growth rate: uniform or triangular, every draw above −100 % and at most the
/// bound in `limits`.
fn growth_draw(c: &mut Checker, d: &RawDist, path: &str) -> Option<GrowthDraw> {
    let val = |v: &Option<SNum>| v.as_ref().map(|x| *x.get_ref());
    let family = d.dist.get_ref().as_str();
    let g = match (family, val(&d.min), val(&d.mode), val(&d.max)) {
        ("uniform", Some(min), None, Some(max)) => GrowthDraw::Uniform { min, max },
        ("triangular", Some(min), Some(mode), Some(max)) => {
            GrowthDraw::Triangular { min, mode, max }
        }
        ("uniform" | "triangular", ..) => {
            c.err(
                span(&d.dist),
                path,
                format!(
                    "a {family} growth rate needs `min`{} and `max`",
                    if family == "triangular" {
                        ", `mode`"
                    } else {
                        ""
                    }
                ),
            );
            return None;
        }
        (other, ..) => {
            c.err(
                span(&d.dist),
                path,
                format!(
                    "a `{other}` growth rate is unbounded and can draw below -1 (-100 %, demand below zero); give a bounded one: `uniform` (min, max) or `triangular` (min, mode, max)"
                ),
            );
            return None;
        }
    };
    let (lo, hi, ordered) = match g {
        GrowthDraw::Uniform { min, max } => (min, max, min < max),
        GrowthDraw::Triangular { min, mode, max } => {
            (min, max, min <= mode && mode <= max && min < max)
        }
    };
    if !(lo > -1.0 && hi <= limits::GROWTH_MAX && lo.is_finite() && hi.is_finite()) {
        c.err(
            span(&d.dist),
            path,
            format!(
                "every draw must lie above -1 (-100 %) and at most {} (+{} % a year); this one spans {} to {}",
                limits::GROWTH_MAX,
                limits::GROWTH_MAX * 100.0,
                num(lo),
                num(hi)
            ),
        );
        return None;
    }
    if !ordered {
        c.err(
            span(&d.dist),
            path,
            "expected min < max (and min ≤ mode ≤ max)",
        );
        return None;
    }
    Some(g)
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
    if let Some(draws) = &raw.growth.uncertain_per_yr {
        for name in draws.get_ref().keys() {
            let known = CargoClass::from_name(name).is_some()
                || raw.flows.iter().any(|f| f.name.get_ref() == name);
            if !known {
                let hint = suggest(
                    name,
                    CargoClass::ALL
                        .map(|c| c.name())
                        .into_iter()
                        .chain(raw.flows.iter().map(|f| f.name.get_ref().as_str())),
                );
                c.err(
                    span(draws),
                    format!("growth.uncertain_per_yr.{name}"),
                    format!("`{name}` is neither a cargo class nor a flow{hint}"),
                );
            }
        }
    }
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
    class_growth: &[Growth],
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
            (None, None) => k.cargo.iter().next().map(|cg| class_growth[cg.index()].0),
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
    class_growth: &[Growth],
) -> Growth {
    let name = rf.name.get_ref();
    let scenario_rate = raw
        .growth
        .flows_per_yr
        .as_ref()
        .and_then(|m| m.get_ref().get(name.as_str()));
    let drawn = raw
        .growth
        .uncertain_per_yr
        .as_ref()
        .and_then(|m| m.get_ref().get(name.as_str()).map(|d| (m, d)));
    if let Some((m, d)) = drawn {
        let path = format!("growth.uncertain_per_yr.{name}");
        if scenario_rate.is_some() {
            c.err(
                span(m),
                &path,
                format!("give `flows_per_yr.{name}` or `uncertain_per_yr.{name}`, not both"),
            );
        }
        return growth_draw(c, d, &path).map_or((0.0, None), |g| {
            (g.mean(), Some((format!("growth/flow/{name}"), g)))
        });
    }
    match scenario_rate.or(rf.growth_per_yr.as_ref()) {
        Some(g) => {
            let path = match scenario_rate {
                Some(_) => format!("growth.flows_per_yr.{name}"),
                None => format!("{fpath}.growth_per_yr"),
            };
            (growth_rate(c, g, &path).unwrap_or(0.0), None)
        }
        None => cargo.map_or((0.0, None), |cg| class_growth[cg.index()].clone()),
    }
}

/// `[[demand_paths]]`: each becomes multipliers of the base year's volumes for the years it
/// gives (consecutive from the base year + 1), and the flows of its ports and cargo follow it.
pub(super) fn demand_paths(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    let base_year = model.settings.base_year;
    for (pi, rp) in raw.demand_paths.iter().enumerate() {
        let pp = format!("demand_paths[{pi}]");
        let mut ports: Vec<usize> = Vec::new();
        for p in rp.ports.get_ref() {
            if p.get_ref() == "ALL" {
                ports.extend(0..model.ports.len());
            } else if let Some(i) = model.ports.iter().position(|x| &x.name == p.get_ref()) {
                ports.push(i);
            } else {
                let hint = suggest(p.get_ref(), model.ports.iter().map(|x| x.name.as_str()));
                c.err(
                    span(p),
                    format!("{pp}.ports"),
                    format!("unknown port `{}`{hint}; or `ALL`", p.get_ref()),
                );
            }
        }
        // None: every class; Some(None): all but containers; Some(Some(c)): one class.
        let cargo = match rp.cargo.get_ref().as_str() {
            "ALL" => None,
            "non_container" => Some(None),
            name => {
                let cc = CargoClass::from_name(name);
                if cc.is_none() {
                    let hint = suggest(name, CargoClass::ALL.map(|c| c.name()));
                    c.err(
                        span(&rp.cargo),
                        format!("{pp}.cargo"),
                        format!("unknown cargo class `{name}`{hint}; or `ALL`, `non_container`"),
                    );
                    continue;
                }
                Some(cc)
            }
        };
        let base = *rp.base.get_ref();
        if !(base > 0.0 && base.is_finite()) {
            c.err(
                span(&rp.base),
                format!("{pp}.base"),
                format!(
                    "expected the base year's figure, above 0, found {}",
                    num(base)
                ),
            );
            continue;
        }
        let Some(multipliers) = path_years(c, rp, &pp, base_year, base) else {
            continue;
        };
        let index = model.demand_paths.len();
        let mut matched = 0;
        for (fi, f) in model.flows.iter_mut().enumerate() {
            let follows = match cargo {
                None => true,
                Some(None) => !f.cargo.is_container(),
                Some(Some(cg)) => cg == f.cargo,
            };
            if !ports.contains(&f.port.index()) || !follows {
                continue;
            }
            matched += 1;
            if let Some(other) = f.path {
                c.err(
                    span(&rp.ports),
                    &pp,
                    format!(
                        "flow `{}` (flows[{fi}]) already follows demand_paths[{other}]; a flow follows one path",
                        f.name
                    ),
                );
            }
            f.path = Some(index);
        }
        if matched == 0 {
            c.err(
                span(&rp.ports),
                &pp,
                "no flow of these ports and cargo to follow the path",
            );
        }
        let names: Vec<&str> = rp
            .ports
            .get_ref()
            .iter()
            .map(|p| p.get_ref().as_str())
            .collect();
        model.demand_paths.push(DemandPath {
            label: format!("{} {}", names.join("+"), rp.cargo.get_ref()),
            multipliers,
            source: rp.source.get_ref().clone(),
        });
    }
}

/// A path's years as multipliers of `base`: every year from the base year + 1 to its last,
/// none missing, none at or before the base year, figures not negative.
fn path_years(
    c: &mut Checker,
    rp: &RawDemandPath,
    pp: &str,
    base_year: u16,
    base: f64,
) -> Option<Vec<(u16, f64)>> {
    let mut years: Vec<(u16, f64)> = Vec::new();
    let n0 = c.diags.len();
    for (key, v) in rp.values.get_ref() {
        let path = format!("{pp}.values.{key}");
        let Ok(year) = key.parse::<u16>() else {
            c.err(
                span(&rp.values),
                &path,
                format!("expected a year as the key, found `{key}`"),
            );
            continue;
        };
        if year <= base_year {
            c.err(
                span(&rp.values),
                &path,
                format!("a path gives years after the base year {base_year}, found {year}"),
            );
            continue;
        }
        let x = *v.get_ref();
        if !(x >= 0.0 && x.is_finite()) {
            c.err(
                span(v),
                &path,
                format!("expected a figure of at least 0, found {}", num(x)),
            );
            continue;
        }
        years.push((year, x / base));
    }
    years.sort_by_key(|y| y.0);
    if years.is_empty() && c.diags.len() == n0 {
        c.err(
            span(&rp.values),
            format!("{pp}.values"),
            "expected at least one year's figure",
        );
    }
    let mut want = base_year + 1;
    for &(y, _) in &years {
        if y != want {
            c.err(
                span(&rp.values),
                format!("{pp}.values"),
                format!(
                    "no figure for {want}: a path gives every year from {} to its last ({})",
                    base_year + 1,
                    years.last().map_or(y, |l| l.0)
                ),
            );
            return None;
        }
        want = y + 1;
    }
    (c.diags.len() == n0 && !years.is_empty()).then_some(years)
}
