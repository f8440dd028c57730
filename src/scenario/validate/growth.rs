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

/// A bounded draw as written: `uniform` with `min` and `max`, or `triangular` with `min`,
/// `mode` and `max` (`None` for anything else).
fn bounded(d: &RawDist) -> Option<GrowthDraw> {
    let val = |v: &Option<SNum>| v.as_ref().map(|x| *x.get_ref());
    match (
        d.dist.get_ref().as_str(),
        val(&d.min),
        val(&d.mode),
        val(&d.max),
    ) {
        ("uniform", Some(min), None, Some(max)) => Some(GrowthDraw::Uniform { min, max }),
        ("triangular", Some(min), Some(mode), Some(max)) => {
            Some(GrowthDraw::Triangular { min, mode, max })
        }
        _ => None,
    }
}

/// A draw's lowest and highest values, and whether its bounds are in order.
fn spread(g: GrowthDraw) -> (f64, f64, bool) {
    match g {
        GrowthDraw::Uniform { min, max } => (min, max, min < max),
        GrowthDraw::Triangular { min, mode, max } => {
            (min, max, min <= mode && mode <= max && min < max)
        }
    }
}

/// An uncertain growth rate: uniform or triangular, every draw above −100 % and at most the
/// bound in `limits`.
fn growth_draw(c: &mut Checker, d: &RawDist, path: &str) -> Option<GrowthDraw> {
    let family = d.dist.get_ref().as_str();
    let Some(g) = bounded(d) else {
        let msg = if matches!(family, "uniform" | "triangular") {
            format!(
                "a {family} growth rate needs `min`{} and `max`",
                if family == "triangular" {
                    ", `mode`"
                } else {
                    ""
                }
            )
        } else {
            format!(
                "a `{family}` growth rate is unbounded and can draw below -1 (-100 %, demand below zero); give a bounded one: `uniform` (min, max) or `triangular` (min, mode, max)"
            )
        };
        c.err(span(&d.dist), path, msg);
        return None;
    };
    let (lo, hi, ordered) = spread(g);
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
/// gives (consecutive from the base year + 1, the record's then the uncertain ones), and the
/// flows it names — or of its ports and cargo — follow it.
pub(super) fn demand_paths(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    let base_year = model.settings.base_year;
    for (pi, rp) in raw.demand_paths.iter().enumerate() {
        let pp = format!("demand_paths[{pi}]");
        if let Some(name) = &rp.name
            && let Some(first) = raw.demand_paths[..pi]
                .iter()
                .position(|q| q.name.as_ref().map(|n| n.get_ref()) == Some(name.get_ref()))
        {
            c.err(
                span(name),
                format!("{pp}.name"),
                format!(
                    "a demand path named `{}` comes before (demand_paths[{first}]); a name selects one path",
                    name.get_ref()
                ),
            );
        }
        let Some((followers, what, at)) = path_followers(c, raw, rp, &pp, model) else {
            continue;
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
        let Some((multipliers, drawn)) = path_years(c, rp, &pp, base_year, base) else {
            continue;
        };
        let index = model.demand_paths.len();
        for &fi in &followers {
            let f = &mut model.flows[fi];
            if let Some(other) = f.path {
                c.err(
                    at.clone(),
                    &pp,
                    format!(
                        "flow `{}` (flows[{fi}]) already follows demand_paths[{other}]; a flow follows one path",
                        f.name
                    ),
                );
            }
            f.path = Some(index);
        }
        if followers.is_empty() {
            c.err(at, &pp, "no flow to follow the path");
        }
        model.demand_paths.push(DemandPath {
            label: what,
            multipliers,
            drawn,
            key: format!("path/{pi}"),
            source: rp.source.get_ref().clone(),
        });
    }
}

/// The flows a path applies to (by `flows`, or by `ports` and `cargo`), what it covers, and the
/// span to point at.
fn path_followers(
    c: &mut Checker,
    raw: &RawScenario,
    rp: &RawDemandPath,
    pp: &str,
    model: &Model,
) -> Option<(Vec<usize>, String, std::ops::Range<usize>)> {
    if let Some(names) = &rp.flows {
        if let Some(p) = rp.ports.as_ref().map(span).or(rp.cargo.as_ref().map(span)) {
            c.err(
                p,
                pp,
                "a path follows `flows` or `ports` and `cargo`, not both",
            );
            return None;
        }
        let mut out = Vec::new();
        for n in names.get_ref() {
            match model.flows.iter().position(|f| &f.name == n.get_ref()) {
                Some(fi) => out.push(fi),
                None => {
                    let hint = suggest(n.get_ref(), model.flows.iter().map(|f| f.name.as_str()));
                    c.err(
                        span(n),
                        format!("{pp}.flows"),
                        format!("unknown flow `{}`{hint}", n.get_ref()),
                    );
                }
            }
        }
        let label: Vec<&str> = names
            .get_ref()
            .iter()
            .map(|n| n.get_ref().as_str())
            .collect();
        return Some((out, label.join("+"), span(names)));
    }
    let (Some(ports_raw), Some(cargo_raw)) = (&rp.ports, &rp.cargo) else {
        c.err(
            span(&rp.base),
            pp,
            "a path needs `ports` and `cargo`, or `flows`",
        );
        return None;
    };
    let mut ports: Vec<usize> = Vec::new();
    for p in ports_raw.get_ref() {
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
    let cargo = match cargo_raw.get_ref().as_str() {
        "ALL" => None,
        "non_container" => Some(None),
        name => {
            let Some(cc) = CargoClass::from_name(name) else {
                let hint = suggest(name, CargoClass::ALL.map(|c| c.name()));
                c.err(
                    span(cargo_raw),
                    format!("{pp}.cargo"),
                    format!("unknown cargo class `{name}`{hint}; or `ALL`, `non_container`"),
                );
                return None;
            };
            Some(Some(cc))
        }
    };
    // A flow with a growth rate of its own (by name in `[growth]`, or its `growth_per_yr`) is a
    // market of its own: a ports-and-cargo path moves the others.
    let own_rate = |name: &str| {
        let base = name.split('@').next().unwrap_or(name);
        let g = &raw.growth;
        g.flows_per_yr
            .as_ref()
            .is_some_and(|m| m.get_ref().contains_key(base))
            || g.uncertain_per_yr
                .as_ref()
                .is_some_and(|m| m.get_ref().contains_key(base))
            || raw
                .flows
                .iter()
                .any(|f| f.name.get_ref() == base && f.growth_per_yr.is_some())
    };
    // A flow that a path names by `flows` follows that path: it is taken out of any ports-and-
    // cargo path that would cover it (the record of one terminal within a port's total).
    let named = |name: &str| {
        raw.demand_paths.iter().any(|q| {
            q.flows
                .as_ref()
                .is_some_and(|ns| ns.get_ref().iter().any(|n| n.get_ref() == name))
        })
    };
    let out = model
        .flows
        .iter()
        .enumerate()
        .filter(|(_, f)| !own_rate(&f.name) && !named(&f.name))
        .filter(|(_, f)| {
            let follows = match cargo {
                None => true,
                Some(None) => !f.cargo.is_container(),
                Some(Some(cg)) => cg == f.cargo,
            };
            ports.contains(&f.port.index()) && follows
        })
        .map(|(fi, _)| fi)
        .collect();
    let names: Vec<&str> = ports_raw
        .get_ref()
        .iter()
        .map(|p| p.get_ref().as_str())
        .collect();
    Some((
        out,
        format!("{} {}", names.join("+"), cargo_raw.get_ref()),
        span(ports_raw),
    ))
}

/// A path's years as multipliers of `base`: the record's (`values`), then the uncertain ones
/// (`uncertain_values`), every year from the base year + 1 to the last, none missing, none at
/// or before the base year, figures not negative.
#[allow(clippy::type_complexity)]
fn path_years(
    c: &mut Checker,
    rp: &RawDemandPath,
    pp: &str,
    base_year: u16,
    base: f64,
) -> Option<(Vec<(u16, f64)>, Vec<(u16, GrowthDraw)>)> {
    let n0 = c.diags.len();
    let year_of = |c: &mut Checker, key: &str, path: &str, at: std::ops::Range<usize>| match key
        .parse::<u16>()
    {
        Ok(y) if y > base_year => Some(y),
        Ok(y) => {
            c.err(
                at,
                path,
                format!("a path gives years after the base year {base_year}, found {y}"),
            );
            None
        }
        Err(_) => {
            c.err(
                at,
                path,
                format!("expected a year as the key, found `{key}`"),
            );
            None
        }
    };
    let mut known: Vec<(u16, f64)> = Vec::new();
    if let Some(values) = &rp.values {
        for (key, v) in values.get_ref() {
            let path = format!("{pp}.values.{key}");
            let Some(year) = year_of(c, key, &path, span(values)) else {
                continue;
            };
            let x = *v.get_ref();
            if !(x >= 0.0 && x.is_finite()) {
                c.err(
                    span(v),
                    &path,
                    format!("expected a figure of at least 0, found {}", num(x)),
                );
                continue;
            }
            known.push((year, x / base));
        }
    }
    let mut drawn: Vec<(u16, GrowthDraw)> = Vec::new();
    if let Some(values) = &rp.uncertain_values {
        for (key, d) in values.get_ref() {
            let path = format!("{pp}.uncertain_values.{key}");
            let Some(year) = year_of(c, key, &path, span(values)) else {
                continue;
            };
            if let Some(g) = figure_draw(c, d, &path) {
                drawn.push((year, scale(g, 1.0 / base)));
            }
        }
    }
    known.sort_by_key(|y| y.0);
    drawn.sort_by_key(|y| y.0);
    let at = rp.values.as_ref().map_or_else(|| span(&rp.base), span);
    if known.is_empty() && drawn.is_empty() && c.diags.len() == n0 {
        c.err(
            at.clone(),
            format!("{pp}.values"),
            "expected at least one year's figure",
        );
    }
    let years: Vec<u16> = known
        .iter()
        .map(|k| k.0)
        .chain(drawn.iter().map(|d| d.0))
        .collect();
    let mut want = base_year + 1;
    for &y in &years {
        if y != want {
            c.err(
                at,
                format!("{pp}.values"),
                format!(
                    "no figure for {want}: a path gives every year from {} to its last ({}), the record's (`values`) before the uncertain ones (`uncertain_values`)",
                    base_year + 1,
                    years.iter().max().copied().unwrap_or(y)
                ),
            );
            return None;
        }
        want = y + 1;
    }
    (c.diags.len() == n0 && !years.is_empty()).then_some((known, drawn))
}

/// An uncertain figure of a path: uniform or triangular, not below 0.
fn figure_draw(c: &mut Checker, d: &RawDist, path: &str) -> Option<GrowthDraw> {
    let Some(g) = bounded(d) else {
        c.err(
            span(&d.dist),
            path,
            format!(
                "an uncertain figure is `uniform` (min, max) or `triangular` (min, mode, max), bounded and not below 0; found `{}` or missing bounds",
                d.dist.get_ref()
            ),
        );
        return None;
    };
    let (lo, hi, ordered) = spread(g);
    if !(lo >= 0.0 && hi.is_finite() && ordered) {
        c.err(
            span(&d.dist),
            path,
            format!(
                "expected 0 ≤ min < max (and min ≤ mode ≤ max), found {} to {}",
                num(lo),
                num(hi)
            ),
        );
        return None;
    }
    Some(g)
}

/// A draw's bounds × `k`.
fn scale(g: GrowthDraw, k: f64) -> GrowthDraw {
    match g {
        GrowthDraw::Uniform { min, max } => GrowthDraw::Uniform {
            min: min * k,
            max: max * k,
        },
        GrowthDraw::Triangular { min, mode, max } => GrowthDraw::Triangular {
            min: min * k,
            mode: mode * k,
            max: max * k,
        },
    }
}
