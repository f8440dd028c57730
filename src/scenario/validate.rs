//! From the raw file to a [`Model`]: resolve names, check every number, collect every problem.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::location::{Diagnostic, nearest};
use super::raw::*;
use crate::model::*;

/// Default ballast draft as a fraction of the laden draft when a class does not state one
/// (typical of bulk carriers and tankers in ballast, 40–50 %).
const BALLAST_DRAFT_FRACTION: f64 = 0.45;

/// Hours a full yard may hold up a call's discharge before the terminal opens overflow space
/// for it, when a terminal does not say (assumption: operators move boxes or bulk to buffer or
/// off-dock areas within a day rather than keep a berth idle; it also guarantees that a yard
/// full of other ships' exports cannot lock a terminal up).
pub const DEFAULT_YARD_OVERFLOW_AFTER_H: f64 = 24.0;

struct Checker {
    diags: Vec<Diagnostic>,
}

fn span<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

impl Checker {
    fn err(&mut self, span: Range<usize>, path: impl Into<String>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::at(span, path, msg));
    }

    /// A number that must be > 0 (or ≥ 0 when `allow_zero`).
    fn positive(&mut self, v: &SNum, path: &str, what: &str, allow_zero: bool) -> f64 {
        let x = *v.get_ref();
        let ok = x.is_finite() && (x > 0.0 || (allow_zero && x == 0.0));
        if !ok {
            let bound = if allow_zero { ">= 0" } else { "> 0" };
            self.err(span(v), path, format!("expected {what} {bound}, found {x}"));
            return if allow_zero { 0.0 } else { 1.0 };
        }
        x
    }

    fn opt_positive(
        &mut self,
        v: &Option<SNum>,
        path: &str,
        what: &str,
        allow_zero: bool,
        default: f64,
    ) -> f64 {
        match v {
            Some(v) => self.positive(v, path, what, allow_zero),
            None => default,
        }
    }

    fn cargo(&mut self, s: &SStr, path: &str) -> Option<CargoClass> {
        let c = CargoClass::from_name(s.get_ref());
        if c.is_none() {
            let names = CargoClass::ALL.map(|c| c.name());
            let hint = match nearest(s.get_ref(), names) {
                Some(n) => format!("; did you mean `{n}`?"),
                None => format!("; expected one of {}", names.join(", ")),
            };
            self.err(
                span(s),
                path,
                format!("unknown cargo class `{}`{hint}", s.get_ref()),
            );
        }
        c
    }

    fn dist(&mut self, d: &Spanned<RawDist>, path: &str) -> Option<Dist> {
        let sp = span(d);
        let d = d.get_ref();
        let family = d.dist.get_ref().as_str();
        let allowed: &[&str] = match family {
            "fixed" => &["value"],
            "exponential" => &["mean"],
            "erlang" => &["k", "mean"],
            "gamma" | "lognormal" => &["mean", "cv"],
            "normal" => &["mean", "sd"],
            "uniform" => &["min", "max"],
            "triangular" => &["min", "mode", "max"],
            "empirical" => &["values", "weights"],
            other => {
                let families = [
                    "fixed",
                    "exponential",
                    "erlang",
                    "gamma",
                    "lognormal",
                    "normal",
                    "uniform",
                    "triangular",
                    "empirical",
                ];
                let hint = nearest(other, families)
                    .map_or(format!("expected one of {}", families.join(", ")), |n| {
                        format!("did you mean `{n}`?")
                    });
                self.err(
                    span(&d.dist),
                    format!("{path}.dist"),
                    format!("unknown distribution `{other}`; {hint}"),
                );
                return None;
            }
        };
        let present = [
            ("mean", d.mean.is_some()),
            ("value", d.value.is_some()),
            ("k", d.k.is_some()),
            ("cv", d.cv.is_some()),
            ("sd", d.sd.is_some()),
            ("min", d.min.is_some()),
            ("mode", d.mode.is_some()),
            ("max", d.max.is_some()),
            ("values", d.values.is_some()),
            ("weights", d.weights.is_some()),
        ];
        let mut ok = true;
        for (key, is) in present {
            if is && !allowed.contains(&key) {
                self.err(
                    sp.clone(),
                    path,
                    format!("`{family}` takes {}; `{key}` does not apply", list(allowed)),
                );
                ok = false;
            }
            if !is && allowed.contains(&key) {
                self.err(sp.clone(), path, format!("`{family}` needs `{key}`"));
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let p = |k: &str| format!("{path}.{k}");
        let n0 = self.diags.len();
        let dist = match family {
            "fixed" => Dist::Fixed(self.positive(d.value.as_ref()?, &p("value"), "a value", true)),
            "exponential" => Dist::Exponential {
                mean: self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false),
            },
            "erlang" => {
                let k = d.k.as_ref()?;
                if *k.get_ref() < 1 || *k.get_ref() > 100 {
                    self.err(
                        span(k),
                        p("k"),
                        format!(
                            "expected a number of phases from 1 to 100, found {}",
                            k.get_ref()
                        ),
                    );
                }
                Dist::Erlang {
                    k: (*k.get_ref()).clamp(1, 100) as u32,
                    mean: self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false),
                }
            }
            "gamma" | "lognormal" => {
                let mean = self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false);
                let cv = self.positive(
                    d.cv.as_ref()?,
                    &p("cv"),
                    "a coefficient of variation",
                    false,
                );
                let built = if family == "gamma" {
                    Dist::gamma(mean, cv)
                } else {
                    Dist::lognormal(mean, cv)
                };
                match built {
                    Ok(d) => d,
                    Err(e) => {
                        self.err(sp.clone(), path, e);
                        return None;
                    }
                }
            }
            "normal" => Dist::Normal {
                mean: self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false),
                sd: self.positive(d.sd.as_ref()?, &p("sd"), "a standard deviation", true),
            },
            "uniform" => {
                let min = self.positive(d.min.as_ref()?, &p("min"), "a minimum", true);
                let max = self.positive(d.max.as_ref()?, &p("max"), "a maximum", false);
                if min > max {
                    self.err(
                        sp.clone(),
                        path,
                        format!("expected min <= max, found min {min} > max {max}"),
                    );
                }
                Dist::Uniform { min, max }
            }
            "triangular" => {
                let min = self.positive(d.min.as_ref()?, &p("min"), "a minimum", true);
                let mode = self.positive(d.mode.as_ref()?, &p("mode"), "a mode", true);
                let max = self.positive(d.max.as_ref()?, &p("max"), "a maximum", false);
                if !(min <= mode && mode <= max && min < max) {
                    self.err(
                        sp.clone(),
                        path,
                        format!(
                            "expected min <= mode <= max with min < max, found {min}, {mode}, {max}"
                        ),
                    );
                }
                Dist::Triangular { min, mode, max }
            }
            "empirical" => {
                let values = d.values.as_ref()?;
                let weights = d.weights.as_ref()?;
                if values.is_empty() || values.len() != weights.len() {
                    self.err(sp.clone(), path, format!(
                        "expected as many weights as values (at least one), found {} values and {} weights",
                        values.len(),
                        weights.len()
                    ));
                    return None;
                }
                let vals: Vec<f64> = values
                    .iter()
                    .map(|v| self.positive(v, &p("values"), "a value", true))
                    .collect();
                let ws: Vec<f64> = weights
                    .iter()
                    .map(|w| self.positive(w, &p("weights"), "a weight", true))
                    .collect();
                let total: f64 = ws.iter().sum();
                if total <= 0.0 {
                    self.err(sp.clone(), path, "expected weights with a positive sum");
                    return None;
                }
                let mut acc = 0.0;
                let mut cumulative: Vec<f64> = ws
                    .iter()
                    .map(|w| {
                        acc += w / total;
                        acc
                    })
                    .collect();
                *cumulative.last_mut().expect("non-empty") = 1.0;
                Dist::Empirical {
                    values: vals,
                    cumulative,
                }
            }
            _ => unreachable!("families are matched above"),
        };
        (self.diags.len() == n0).then_some(dist)
    }

    fn unique(
        &mut self,
        seen: &mut BTreeMap<String, Range<usize>>,
        name: &SStr,
        path: &str,
        what: &str,
    ) {
        if let Some(prev) = seen.get(name.get_ref()) {
            let prev = prev.clone();
            self.diags.push(Diagnostic {
                span: Some(span(name)),
                path: format!("{path}.name"),
                message: format!(
                    "duplicate {what} name `{}` (first defined at byte {})",
                    name.get_ref(),
                    prev.start
                ),
            });
        } else {
            seen.insert(name.get_ref().clone(), span(name));
        }
    }
}

/// A sum of shares as a reader would write it (0.9, not 0.8999999999999999).
fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Lookup tables a hinterland leg is resolved against.
struct Names<'a> {
    regions: &'a BTreeMap<String, RegionId>,
    terminals: &'a BTreeMap<(usize, String), TerminalId>,
}

/// Checks a flow's `hub` route and returns the transshipment flow it becomes under the
/// hub-feeder policy: in on the hub's mainline (imports) or feeder (exports), through the hub's
/// yard, out on the other, with a feeder leg to the flow's own port carrying its hinterland.
fn check_hub_route(
    c: &mut Checker,
    model: &Model,
    service_ids: &BTreeMap<String, ServiceId>,
    port_ids: &BTreeMap<String, PortId>,
    fi: usize,
    rf: &RawFlow,
    hub: &Spanned<RawHub>,
) -> Option<RawFlow> {
    let hpath = format!("flows[{fi}].hub");
    let h = hub.get_ref();
    let before = c.diags.len();
    let direction = rf.direction.get_ref().as_str();
    if direction != "import" && direction != "export" {
        c.err(span(hub), hpath.clone(), "a hub route applies to import and export flows; a transshipment flow already names its services");
    }
    let Some(own_service) = &rf.service else {
        c.err(
            span(hub),
            hpath.clone(),
            "a hub route applies to flows carried by a liner `service`",
        );
        return None;
    };
    let (Some(region), Some(modes), Some(dwell)) = (&rf.region, &rf.modes, &rf.dwell_h) else {
        c.err(span(hub), hpath.clone(), "a hub route needs the flow's hinterland leg (`region`, `modes` and `dwell_h`), which moves to the feeder leg");
        return None;
    };
    let hub_port = port_ids.get(h.port.get_ref()).copied();
    match hub_port {
        None => {
            let hint = suggest(h.port.get_ref(), port_ids.keys().map(String::as_str));
            c.err(
                span(&h.port),
                format!("{hpath}.port"),
                format!("unknown port `{}`{hint}", h.port.get_ref()),
            );
        }
        Some(p) if Some(&p) == port_ids.get(rf.port.get_ref()) => {
            c.err(
                span(&h.port),
                format!("{hpath}.port"),
                "the hub is another port than the flow's own",
            );
        }
        Some(_) => {}
    }
    let own_port = port_ids.get(rf.port.get_ref()).copied();
    let local = h.local_service.as_ref().unwrap_or(own_service);
    for (svc, key, at) in [
        (&h.mainline, "mainline", hub_port),
        (&h.feeder, "feeder", hub_port),
        (local, "local_service", own_port),
    ] {
        match service_ids.get(svc.get_ref()) {
            None => {
                let hint = suggest(svc.get_ref(), service_ids.keys().map(String::as_str));
                c.err(
                    span(svc),
                    format!("{hpath}.{key}"),
                    format!("unknown service `{}`{hint}", svc.get_ref()),
                );
            }
            Some(sid) => {
                let sp = model.services[sid.index()].port;
                if at.is_some_and(|p| p != sp) {
                    c.err(
                        span(svc),
                        format!("{hpath}.{key}"),
                        format!(
                            "service `{}` calls at {}, not at {}",
                            svc.get_ref(),
                            model.ports[sp.index()].name,
                            model.ports[at.expect("checked").index()].name
                        ),
                    );
                }
            }
        }
    }
    if c.diags.len() > before {
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

/// Resolves a flow's hinterland leg at `port`: its region, mode split, dwell, yard terminal
/// and rail corridor.
#[allow(clippy::too_many_arguments)]
fn hinterland_leg(
    c: &mut Checker,
    model: &Model,
    names: &Names<'_>,
    fpath: &str,
    port: Option<PortId>,
    cargo: Option<CargoClass>,
    flow_terminal: Option<TerminalId>,
    name_span: Range<usize>,
    r: &SStr,
    m: &Spanned<RawModes>,
    dwell: Option<&Spanned<RawDist>>,
    yard_terminal: Option<&SStr>,
) -> Option<Hinterland> {
    let region = names.regions.get(r.get_ref()).copied();
    if region.is_none() {
        let all: Vec<&str> = names.regions.keys().map(String::as_str).collect();
        let hint = suggest(r.get_ref(), all);
        c.err(
            span(r),
            format!("{fpath}.region"),
            format!(
                "unknown region `{}`{hint}; regions are declared in `[[regions]]`",
                r.get_ref()
            ),
        );
    }
    let mp = format!("{fpath}.modes");
    let share = |c: &mut Checker, v: &Option<SNum>, k: &str| match v {
        Some(v) => {
            let x = *v.get_ref();
            if !(0.0..=1.0).contains(&x) {
                c.err(
                    span(v),
                    format!("{mp}.{k}"),
                    format!("expected a share from 0 to 1, found {x}"),
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
            mp.clone(),
            format!(
                "expected mode shares that sum to 1, found {}",
                round9(total)
            ),
        );
    }
    let dwell_h = match dwell {
        Some(d) => c.dist(d, &format!("{fpath}.dwell_h")),
        None => {
            c.err(span(m), fpath, "a flow with a hinterland needs `dwell_h` (yard dwell for imports, lead time before the ship for exports)");
            None
        }
    };
    let port_name = port.map_or("", |p| model.ports[p.index()].name.as_str());
    // The yard: as named, the flow's terminal, or the port's only terminal for this cargo.
    let named = match (yard_terminal, port) {
        (Some(t), Some(p)) => {
            let id = names
                .terminals
                .get(&(p.index(), t.get_ref().clone()))
                .copied();
            match id {
                None => {
                    let all: Vec<&str> = names
                        .terminals
                        .keys()
                        .filter(|(q, _)| *q == p.index())
                        .map(|(_, n)| n.as_str())
                        .collect();
                    let hint = suggest(t.get_ref(), all);
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
                    if let Some(cg) = cargo {
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
    let yard = match (named.or(flow_terminal), port, cargo) {
        (Some(t), _, _) => Some(t),
        (None, Some(p), Some(cg)) => {
            let cands: Vec<TerminalId> = model
                .terminals
                .iter()
                .enumerate()
                .filter(|(_, t)| t.port == p && t.cargo.contains(cg))
                .map(|(i, _)| TerminalId(i as u32))
                .collect();
            if cands.len() == 1 {
                Some(cands[0])
            } else {
                let list: Vec<&str> = cands
                    .iter()
                    .map(|t| model.terminals[t.index()].name.as_str())
                    .collect();
                c.err(name_span, fpath, format!(
                    "{} terminals at {port_name} handle {cg} ({}); name the one whose yard holds the flow's cargo in `yard_terminal`",
                    cands.len(), list.join(", ")
                ));
                None
            }
        }
        _ => None,
    };
    let corridor = match (modes.rail > 0.0, port, region, cargo) {
        (true, Some(p), Some(rg), Some(cg)) => {
            let found = model
                .corridors
                .iter()
                .position(|k| k.port == p && k.region == rg && k.cargo.contains(cg));
            if found.is_none() {
                c.err(span(m), format!("{mp}.rail"), format!(
                    "no rail corridor from {port_name} to {} carries {cg}; add a `[[corridors]]` entry or set the rail share to 0",
                    r.get_ref()
                ));
            }
            found.map(|i| CorridorId(i as u32))
        }
        _ => None,
    };
    if modes.pipeline > 0.0 {
        if let Some(t) = yard {
            if model.terminals[t.index()].pipeline_t_per_h.is_none() {
                c.err(
                    span(m),
                    format!("{mp}.pipeline"),
                    format!(
                        "terminal `{}` has no pipeline; set its `pipeline_t_per_h`",
                        model.terminals[t.index()].name
                    ),
                );
            }
        }
    }
    match (region, dwell_h, yard) {
        (Some(region), Some(dwell_h), Some(terminal)) => Some(Hinterland {
            region,
            modes,
            dwell_h,
            terminal,
            corridor,
        }),
        _ => None,
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match nearest(name, candidates.clone()) {
        Some(n) => format!("; did you mean `{n}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                String::new()
            } else if all.len() <= 8 {
                format!("; expected one of {}", list(&all))
            } else {
                format!("; expected one of {} …", list(&all[..8]))
            }
        }
    }
}

/// Validates a parsed scenario and builds its model, or returns every problem found.
pub fn validate(raw: &RawScenario, default_name: &str) -> Result<Model, Vec<Diagnostic>> {
    let mut c = Checker { diags: Vec::new() };

    // [run] and [units]
    let r = &raw.run;
    let base_year = match &r.base_year {
        Some(y) if (1900..=2200).contains(y.get_ref()) => *y.get_ref() as u16,
        Some(y) => {
            c.err(
                span(y),
                "run.base_year",
                format!("expected a year from 1900 to 2200, found {}", y.get_ref()),
            );
            2020
        }
        None => 2020,
    };
    let years = match &r.years {
        Some(ys) => {
            let mut out = Vec::new();
            if ys.get_ref().is_empty() {
                c.err(span(ys), "run.years", "expected at least one design year");
            }
            for &y in ys.get_ref() {
                if y < i64::from(base_year) || y > 2200 {
                    c.err(span(ys), "run.years", format!("expected design years from the base year {base_year} to 2200, found {y}"));
                } else {
                    out.push(y as u16);
                }
            }
            out
        }
        None => vec![base_year],
    };
    let warmup_days = c.opt_positive(
        &r.warmup_days,
        "run.warmup_days",
        "a warm-up in days",
        true,
        30.0,
    );
    let measured_days = c.opt_positive(
        &r.measured_days,
        "run.measured_days",
        "a measured period in days",
        false,
        365.0,
    );
    let replications = match &r.replications {
        Some(n) if (1..=100_000).contains(n.get_ref()) => *n.get_ref() as u32,
        Some(n) => {
            c.err(
                span(n),
                "run.replications",
                format!("expected 1 to 100000 replications, found {}", n.get_ref()),
            );
            1
        }
        None => 10,
    };
    let seed = match &r.seed {
        Some(s) if *s.get_ref() >= 0 => *s.get_ref() as u64,
        Some(s) => {
            c.err(
                span(s),
                "run.seed",
                format!("expected a seed >= 0, found {}", s.get_ref()),
            );
            0
        }
        None => 20_200_101,
    };
    let t_per_teu = c.opt_positive(
        &raw.units.t_per_teu,
        "units.t_per_teu",
        "tonnes per TEU",
        false,
        10.0,
    );
    let teu_per_move = c.opt_positive(
        &raw.units.teu_per_move,
        "units.teu_per_move",
        "TEU per crane move",
        false,
        1.5,
    );

    // Ship classes
    let mut ship_classes = Vec::new();
    let mut class_ids: BTreeMap<String, ShipClassId> = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for (i, sc) in raw.ship_classes.iter().enumerate() {
        let path = format!("ship_classes[{i}]");
        c.unique(&mut seen, &sc.name, &path, "ship class");
        let cargo = c
            .cargo(&sc.cargo, &format!("{path}.cargo"))
            .unwrap_or(CargoClass::OtherDryBulk);
        let dwt_t = c.positive(
            &sc.dwt_t,
            &format!("{path}.dwt_t"),
            "a deadweight in tonnes",
            false,
        );
        let length_m = c.positive(
            &sc.length_m,
            &format!("{path}.length_m"),
            "a length in metres",
            false,
        );
        let draft_m = c.positive(
            &sc.draft_m,
            &format!("{path}.draft_m"),
            "a draft in metres",
            false,
        );
        let ballast_draft_m = match &sc.ballast_draft_m {
            Some(b) => {
                let v = c.positive(
                    b,
                    &format!("{path}.ballast_draft_m"),
                    "a ballast draft in metres",
                    false,
                );
                if v > draft_m {
                    c.err(
                        span(b),
                        format!("{path}.ballast_draft_m"),
                        format!(
                            "expected a ballast draft <= the laden draft {draft_m} m, found {v}"
                        ),
                    );
                }
                v
            }
            None => BALLAST_DRAFT_FRACTION * draft_m,
        };
        let power = c.opt_positive(
            &sc.power_at_berth_kw,
            &format!("{path}.power_at_berth_kw"),
            "a power in kW",
            true,
            0.0,
        );
        let (capacity, parcel) = if cargo.is_container() {
            let cap = match &sc.teu {
                Some(t) => c.positive(t, &format!("{path}.teu"), "a capacity in TEU", false),
                None => {
                    c.err(
                        span(&sc.name),
                        path.clone(),
                        "a container ship class needs `teu` (its capacity)",
                    );
                    1.0
                }
            };
            if let Some(p) = &sc.parcel_t {
                c.err(
                    span(p),
                    format!("{path}.parcel_t"),
                    "a container ship's parcel is in TEU: use `parcel_teu`",
                );
            }
            let parcel = match &sc.parcel_teu {
                Some(p) => c.dist(p, &format!("{path}.parcel_teu")),
                None => {
                    c.err(
                        span(&sc.name),
                        path.clone(),
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
                Some(p) => c.dist(p, &format!("{path}.parcel_t")),
                None => {
                    c.err(
                        span(&sc.name),
                        path.clone(),
                        "a ship class needs `parcel_t` (tonnes moved per call)",
                    );
                    None
                }
            };
            (dwt_t, parcel)
        };
        if let Some(p) = &parcel {
            let field = if cargo.is_container() {
                &sc.parcel_teu
            } else {
                &sc.parcel_t
            };
            let sp = field.as_ref().map(span).unwrap_or(span(&sc.name));
            if p.max() > capacity && p.max().is_finite() {
                c.err(
                    sp.clone(),
                    format!(
                        "{path}.{}",
                        if cargo.is_container() {
                            "parcel_teu"
                        } else {
                            "parcel_t"
                        }
                    ),
                    format!(
                        "a parcel can reach {} but the ship carries at most {capacity} {}",
                        p.max(),
                        cargo.unit()
                    ),
                );
            }
            if p.mean() <= 0.0 {
                c.err(sp, path.clone(), "expected a parcel with a positive mean");
            }
        }
        class_ids.insert(sc.name.get_ref().clone(), ShipClassId(i as u32));
        ship_classes.push(ShipClass {
            name: sc.name.get_ref().clone(),
            cargo,
            dwt_t,
            length_m,
            draft_m,
            ballast_draft_m,
            capacity,
            parcel: parcel.unwrap_or(Dist::Fixed(1.0)),
            power_at_berth_kw: power,
            shore_power_share: match &sc.shore_power_share {
                Some(v) if (0.0..=1.0).contains(v.get_ref()) => *v.get_ref(),
                Some(v) => {
                    c.err(
                        span(v),
                        format!("{path}.shore_power_share"),
                        format!("expected a share from 0 to 1, found {}", v.get_ref()),
                    );
                    0.0
                }
                None => 0.0,
            },
            cost_per_h: c.opt_positive(
                &sc.cost_per_h,
                &format!("{path}.cost_per_h"),
                "a cost of ship time per hour",
                true,
                0.0,
            ),
        });
    }

    // Ports, areas, terminals, berths
    if raw.ports.is_empty() {
        c.diags.push(Diagnostic {
            span: Some(0..0),
            path: "ports".into(),
            message: "the scenario defines no ports; expected at least one `[[ports]]` table with areas, terminals and berths".into(),
        });
    }
    let mut ports = Vec::new();
    let mut areas = Vec::new();
    let mut terminals = Vec::new();
    let mut berths = Vec::new();
    let mut port_ids: BTreeMap<String, PortId> = BTreeMap::new();
    let mut terminal_ids: BTreeMap<(usize, String), TerminalId> = BTreeMap::new();
    let mut seen_ports = BTreeMap::new();
    for (pi, rp) in raw.ports.iter().enumerate() {
        let ppath = format!("ports[{pi}]");
        c.unique(&mut seen_ports, &rp.name, &ppath, "port");
        let pid = PortId(pi as u32);
        port_ids.insert(rp.name.get_ref().clone(), pid);
        let tide = match &rp.tide {
            Some(t) => {
                let range_m = c.positive(
                    &t.get_ref().range_m,
                    &format!("{ppath}.tide.range_m"),
                    "a tidal range in metres",
                    true,
                );
                let high_water_h = match &t.get_ref().high_water_h {
                    Some(h) => *h.get_ref(),
                    None => 0.0,
                };
                Tide {
                    range_m,
                    high_water_h,
                }
            }
            None => Tide {
                range_m: 0.0,
                high_water_h: 0.0,
            },
        };
        let mut closures = Vec::new();
        for (ci, rc) in rp.closures.iter().enumerate() {
            let cpath = format!("{ppath}.closures[{ci}]");
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
            let episodes = c.positive(
                &rc.episodes_per_month,
                &format!("{cpath}.episodes_per_month"),
                "episodes per month",
                false,
            );
            let duration = c.dist(&rc.duration_h, &format!("{cpath}.duration_h"));
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
                        format!(
                            "unknown closure effect `{other}`; expected `channel` or `handling`"
                        ),
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
            closures.push(ClosureRegime {
                name: rc.name.get_ref().clone(),
                months,
                episodes_per_month: episodes,
                duration_h: duration.unwrap_or(Dist::Fixed(0.0)),
                stops,
            });
        }
        let mut area_ids = Vec::new();
        let mut seen_areas = BTreeMap::new();
        let mut seen_terms = BTreeMap::new();
        if rp.areas.is_empty() {
            c.err(span(&rp.name), ppath.clone(), format!("port `{}` has no areas; expected at least one `[[ports.areas]]` with terminals", rp.name.get_ref()));
        }
        for (ai, ra) in rp.areas.iter().enumerate() {
            let apath = format!("{ppath}.areas[{ai}]");
            c.unique(&mut seen_areas, &ra.name, &apath, "port area");
            let aid = AreaId(areas.len() as u32);
            area_ids.push(aid);
            let channel = ra.channel.as_ref().map(|ch| {
                let chp = format!("{apath}.channel");
                let ch = ch.get_ref();
                let one_way = ch.one_way_min_dwt_t.as_ref().map(|v| {
                    c.positive(
                        v,
                        &format!("{chp}.one_way_min_dwt_t"),
                        "a deadweight",
                        false,
                    )
                });
                Channel {
                    depth_m: c.positive(
                        &ch.depth_m,
                        &format!("{chp}.depth_m"),
                        "a depth in metres",
                        false,
                    ),
                    ukc_m: c.opt_positive(
                        &ch.ukc_m,
                        &format!("{chp}.ukc_m"),
                        "an under-keel clearance in metres",
                        true,
                        0.0,
                    ),
                    transit_h: c.opt_positive(
                        &ch.transit_h,
                        &format!("{chp}.transit_h"),
                        "a transit time in hours",
                        true,
                        0.0,
                    ),
                    one_way_min_dwt_t: one_way,
                }
            });
            let mut term_ids = Vec::new();
            if ra.terminals.is_empty() {
                c.err(
                    span(&ra.name),
                    apath.clone(),
                    format!("port area `{}` has no terminals", ra.name.get_ref()),
                );
            }
            for (ti, rt) in ra.terminals.iter().enumerate() {
                let tpath = format!("{apath}.terminals[{ti}]");
                c.unique(
                    &mut seen_terms,
                    &rt.name,
                    &tpath,
                    "terminal (within its port)",
                );
                let tid = TerminalId(terminals.len() as u32);
                term_ids.push(tid);
                terminal_ids.insert((pi, rt.name.get_ref().clone()), tid);
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
                        tpath.clone(),
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
                    let count = match &rb.count {
                        Some(n) if (1..=1000).contains(n.get_ref()) => *n.get_ref() as usize,
                        Some(n) => {
                            c.err(
                                span(n),
                                format!("{bpath}.count"),
                                format!(
                                    "expected a berth count from 1 to 1000, found {}",
                                    n.get_ref()
                                ),
                            );
                            1
                        }
                        None => 1,
                    };
                    let bcargo = match &rb.cargo {
                        Some(list) => {
                            let mut s = CargoSet::empty();
                            for (k, cg) in list.get_ref().iter().enumerate() {
                                if let Some(cc) = c.cargo(cg, &format!("{bpath}.cargo[{k}]")) {
                                    if !tcargo.contains(cc) {
                                        c.err(span(cg), format!("{bpath}.cargo[{k}]"), format!("terminal `{}` does not handle {cc}; add it to the terminal's cargo first", rt.name.get_ref()));
                                    }
                                    s.insert(cc);
                                }
                            }
                            s
                        }
                        None => tcargo,
                    };
                    let max_dwt_t = c.positive(
                        &rb.max_dwt_t,
                        &format!("{bpath}.max_dwt_t"),
                        "a deadweight in tonnes",
                        false,
                    );
                    let length_m = c.positive(
                        &rb.length_m,
                        &format!("{bpath}.length_m"),
                        "a length in metres",
                        false,
                    );
                    let depth_m = c.positive(
                        &rb.depth_m,
                        &format!("{bpath}.depth_m"),
                        "a depth in metres",
                        false,
                    );
                    let has_bulk = bcargo.iter().any(|cc| !cc.is_container());
                    let has_box = bcargo.contains(CargoClass::Container);
                    let rate_t = match (&rb.rate_t_per_h, has_bulk) {
                        (Some(r), true) => c.positive(
                            r,
                            &format!("{bpath}.rate_t_per_h"),
                            "a handling rate in t/h",
                            false,
                        ),
                        (Some(r), false) => {
                            c.err(span(r), format!("{bpath}.rate_t_per_h"), "this berth handles only containers: give `rate_teu_per_h` or `cranes` and `moves_per_crane_h`");
                            0.0
                        }
                        (None, true) => {
                            c.err(
                                span(&rb.name),
                                bpath.clone(),
                                "a berth handling non-container cargo needs `rate_t_per_h`",
                            );
                            0.0
                        }
                        (None, false) => 0.0,
                    };
                    let rate_teu = match (&rb.rate_teu_per_h, &rb.cranes, &rb.moves_per_crane_h) {
                        (Some(r), None, None) => c.positive(
                            r,
                            &format!("{bpath}.rate_teu_per_h"),
                            "a handling rate in TEU/h",
                            false,
                        ),
                        (None, Some(cr), Some(mv)) => {
                            let cranes = c.positive(
                                cr,
                                &format!("{bpath}.cranes"),
                                "a number of cranes",
                                false,
                            );
                            let moves = c.positive(
                                mv,
                                &format!("{bpath}.moves_per_crane_h"),
                                "moves per crane-hour",
                                false,
                            );
                            cranes * moves * teu_per_move
                        }
                        (None, None, None) => {
                            if has_box {
                                c.err(span(&rb.name), bpath.clone(), "a container berth needs `rate_teu_per_h`, or `cranes` and `moves_per_crane_h`");
                            }
                            0.0
                        }
                        _ => {
                            c.err(span(&rb.name), bpath.clone(), "give either `rate_teu_per_h`, or both `cranes` and `moves_per_crane_h`");
                            0.0
                        }
                    };
                    if rate_teu > 0.0 && !has_box {
                        c.err(
                            span(&rb.name),
                            bpath.clone(),
                            "a container rate is given but the berth handles no containers",
                        );
                    }
                    let rate_cv = c.opt_positive(
                        &rb.rate_cv,
                        &format!("{bpath}.rate_cv"),
                        "a coefficient of variation",
                        true,
                        0.0,
                    );
                    let mooring_h = c.opt_positive(
                        &rb.mooring_h,
                        &format!("{bpath}.mooring_h"),
                        "a mooring time in hours",
                        true,
                        0.0,
                    );
                    for k in 0..count {
                        let name = if count == 1 {
                            rb.name.get_ref().clone()
                        } else {
                            format!("{}-{}", rb.name.get_ref(), k + 1)
                        };
                        let bid = BerthId(berths.len() as u32);
                        bids.push(bid);
                        berths.push(Berth {
                            name: format!("{}/{}/{}", rp.name.get_ref(), rt.name.get_ref(), name),
                            terminal: tid,
                            area: aid,
                            port: pid,
                            cargo: bcargo,
                            max_dwt_t,
                            length_m,
                            depth_m,
                            rate_t_per_h: rate_t,
                            rate_teu_per_h: rate_teu,
                            rate_cv,
                            mooring_h,
                            shore_power: rb.shore_power,
                        });
                    }
                }
                let yard = Yard {
                    capacity_teu: rt.yard_capacity_teu.as_ref().map_or(f64::INFINITY, |v| {
                        c.positive(
                            v,
                            &format!("{tpath}.yard_capacity_teu"),
                            "a yard capacity in TEU",
                            false,
                        )
                    }),
                    capacity_t: rt.yard_capacity_t.as_ref().map_or(f64::INFINITY, |v| {
                        c.positive(
                            v,
                            &format!("{tpath}.yard_capacity_t"),
                            "a yard capacity in tonnes",
                            false,
                        )
                    }),
                };
                let gate = rt.gate.as_ref().map(|g| {
                    let gp = format!("{tpath}.gate");
                    let g = g.get_ref();
                    Gate {
                        trucks_per_h: c.positive(
                            &g.trucks_per_h,
                            &format!("{gp}.trucks_per_h"),
                            "trucks per hour",
                            false,
                        ),
                        teu_per_truck: c.opt_positive(
                            &g.teu_per_truck,
                            &format!("{gp}.teu_per_truck"),
                            "TEU per truck",
                            false,
                            1.6,
                        ),
                        t_per_truck: c.opt_positive(
                            &g.t_per_truck,
                            &format!("{gp}.t_per_truck"),
                            "tonnes per truck",
                            false,
                            30.0,
                        ),
                    }
                });
                let pipeline_t_per_h = rt.pipeline_t_per_h.as_ref().map(|v| {
                    c.positive(
                        v,
                        &format!("{tpath}.pipeline_t_per_h"),
                        "a pipeline rate in t/h",
                        false,
                    )
                });
                terminals.push(Terminal {
                    name: rt.name.get_ref().clone(),
                    port: pid,
                    area: aid,
                    cargo: tcargo,
                    berths: bids,
                    yard,
                    gate,
                    pipeline_t_per_h,
                    pool: rt.pool.as_ref().map(|p| p.get_ref().clone()),
                    yard_overflow_after_h: c.opt_positive(
                        &rt.yard_overflow_after_h,
                        &format!("{tpath}.yard_overflow_after_h"),
                        "hours of blocked discharge before overflow",
                        false,
                        DEFAULT_YARD_OVERFLOW_AFTER_H,
                    ),
                });
            }
            areas.push(PortArea {
                name: ra.name.get_ref().clone(),
                port: pid,
                channel,
                terminals: term_ids,
            });
        }
        let rail_loading_tracks = match &rp.rail_loading_tracks {
            Some(n) if (0..=1000).contains(n.get_ref()) => *n.get_ref() as u32,
            Some(n) => {
                c.err(
                    span(n),
                    format!("{ppath}.rail_loading_tracks"),
                    format!("expected 0 to 1000 loading tracks, found {}", n.get_ref()),
                );
                0
            }
            None => 0,
        };
        // A pool shares berths between terminals: one that names a single terminal is a typo.
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
        ports.push(Port {
            name: rp.name.get_ref().clone(),
            areas: area_ids,
            tide,
            closures,
            rail_loading_tracks,
        });
    }

    let port_names: Vec<String> = raw.ports.iter().map(|p| p.name.get_ref().clone()).collect();
    let resolve_port = |c: &mut Checker, s: &SStr, path: &str| -> Option<PortId> {
        let id = port_ids.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), port_names.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!("unknown port `{}`{hint}", s.get_ref()),
            );
        }
        id
    };
    let resolve_terminal =
        |c: &mut Checker, port: PortId, s: &SStr, path: &str| -> Option<TerminalId> {
            let id = terminal_ids
                .get(&(port.index(), s.get_ref().clone()))
                .copied();
            if id.is_none() {
                let names: Vec<&str> = terminal_ids
                    .keys()
                    .filter(|(p, _)| *p == port.index())
                    .map(|(_, n)| n.as_str())
                    .collect();
                let hint = suggest(s.get_ref(), names);
                c.err(
                    span(s),
                    path,
                    format!(
                        "unknown terminal `{}` at port `{}`{hint}",
                        s.get_ref(),
                        port_names[port.index()]
                    ),
                );
            }
            id
        };
    let class_names: Vec<String> = raw
        .ship_classes
        .iter()
        .map(|s| s.name.get_ref().clone())
        .collect();
    let resolve_class = |c: &mut Checker, s: &SStr, path: &str| -> Option<ShipClassId> {
        let id = class_ids.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), class_names.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!("unknown ship class `{}`{hint}", s.get_ref()),
            );
        }
        id
    };

    // The model so far, to check which berths a ship fits.
    let mut model = Model {
        name: raw
            .name
            .as_ref()
            .map_or(default_name.to_string(), |n| n.get_ref().clone()),
        description: raw.description.clone(),
        settings: Settings {
            base_year,
            years,
            warmup_days,
            measured_days,
            replications,
            seed,
            t_per_teu,
            demand_multiplier: 1.0,
            policy: match &raw.policy {
                None => Policy::Independent,
                Some(p) => match Policy::ALL.into_iter().find(|x| x.name() == p.get_ref()) {
                    Some(policy) => policy,
                    None => {
                        let other = p.get_ref();
                        let hint = suggest(other, Policy::ALL.map(Policy::name));
                        c.err(span(p), "policy", format!("unknown policy `{other}`{hint}"));
                        Policy::Independent
                    }
                },
            },
        },
        ports,
        areas,
        terminals,
        berths,
        ship_classes,
        flows: Vec::new(),
        services: Vec::new(),
        regions: Vec::new(),
        corridors: Vec::new(),
        planning: Planning::default(),
        emissions: Emissions::default(),
        targets: Vec::new(),
        projects: None,
    };
    for (factors, into, key) in [
        (&raw.emissions.ship, 0, "ship"),
        (&raw.emissions.grid, 1, "grid"),
    ] {
        if let Some(f) = factors {
            let vals = [
                (&f.co2_g_per_kwh, "co2_g_per_kwh"),
                (&f.nox_g_per_kwh, "nox_g_per_kwh"),
                (&f.sox_g_per_kwh, "sox_g_per_kwh"),
                (&f.pm_g_per_kwh, "pm_g_per_kwh"),
            ];
            for (i, (v, name)) in vals.into_iter().enumerate() {
                let x = c.opt_positive(
                    v,
                    &format!("emissions.{key}.{name}"),
                    "an emission factor in g/kWh",
                    true,
                    0.0,
                );
                if into == 0 {
                    model.emissions.ship_g_per_kwh[i] = x;
                } else {
                    model.emissions.grid_g_per_kwh[i] = x;
                }
            }
        }
    }
    if let Some(limits) = &raw.planning.wait_ratio_max {
        for (cargo, v) in limits.get_ref() {
            let path = format!("planning.wait_ratio_max.{cargo}");
            match CargoClass::from_name(cargo) {
                Some(cc) => {
                    let x = c.positive(v, &path, "a waiting/service ratio", false);
                    model.planning.wait_ratio_max[cc.index()] = Some(x);
                }
                None => {
                    let names = CargoClass::ALL.map(|c| c.name());
                    let hint = suggest(cargo, names);
                    c.err(
                        span(limits),
                        path,
                        format!("unknown cargo class `{cargo}`{hint}"),
                    );
                }
            }
        }
    }
    if let Some(n) = &raw.name {
        let ok = !n.get_ref().is_empty()
            && n.get_ref()
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
        if !ok {
            c.err(
                span(n),
                "name",
                format!(
                    "expected a scenario name of letters, digits, `-`, `_` or `.`, found `{}`",
                    n.get_ref()
                ),
            );
        }
    }

    let fits_msg = |model: &Model,
                    port: PortId,
                    class: ShipClassId,
                    cargo: CargoClass,
                    terminal: Option<TerminalId>|
     -> Option<String> {
        let sc = &model.ship_classes[class.index()];
        if model
            .compatible_berths(port, terminal, sc, cargo)
            .is_empty()
        {
            let where_ = match terminal {
                Some(t) => format!(
                    "terminal `{}` of {}",
                    model.terminals[t.index()].name,
                    model.ports[port.index()].name
                ),
                None => model.ports[port.index()].name.clone(),
            };
            Some(format!(
                "ship class `{}` ({} t DWT, {} m long, {} m draft) fits no berth at {where_} that handles {cargo} and whose channel it can pass at high water",
                sc.name, sc.dwt_t, sc.length_m, sc.draft_m
            ))
        } else {
            None
        }
    };

    // Regions and rail corridors
    let mut region_ids: BTreeMap<String, RegionId> = BTreeMap::new();
    let mut seen_regions = BTreeMap::new();
    for (ri, rr) in raw.regions.iter().enumerate() {
        c.unique(
            &mut seen_regions,
            &rr.name,
            &format!("regions[{ri}]"),
            "region",
        );
        region_ids.insert(rr.name.get_ref().clone(), RegionId(ri as u32));
        model.regions.push(Region {
            name: rr.name.get_ref().clone(),
        });
    }
    let region_names: Vec<String> = raw
        .regions
        .iter()
        .map(|r| r.name.get_ref().clone())
        .collect();
    let resolve_region = |c: &mut Checker, s: &SStr, path: &str| -> Option<RegionId> {
        let id = region_ids.get(s.get_ref()).copied();
        if id.is_none() {
            let hint = suggest(s.get_ref(), region_names.iter().map(String::as_str));
            c.err(
                span(s),
                path,
                format!(
                    "unknown region `{}`{hint}; regions are declared in `[[regions]]`",
                    s.get_ref()
                ),
            );
        }
        id
    };
    let mut seen_corridors = BTreeMap::new();
    for (ci, rc) in raw.corridors.iter().enumerate() {
        let cpath = format!("corridors[{ci}]");
        c.unique(&mut seen_corridors, &rc.name, &cpath, "corridor");
        let port = resolve_port(&mut c, &rc.port, &format!("{cpath}.port"));
        let region = resolve_region(&mut c, &rc.region, &format!("{cpath}.region"));
        let mut cargo = CargoSet::empty();
        for (k, cg) in rc.cargo.get_ref().iter().enumerate() {
            if let Some(cc) = c.cargo(cg, &format!("{cpath}.cargo[{k}]")) {
                cargo.insert(cc);
            }
        }
        if cargo.is_empty() {
            c.err(
                span(&rc.cargo),
                format!("{cpath}.cargo"),
                "expected at least one cargo class",
            );
        }
        let containers = cargo.contains(CargoClass::Container);
        if containers && cargo.iter().count() > 1 {
            c.err(span(&rc.cargo), format!("{cpath}.cargo"), "a corridor carries either containers (TEU) or other cargo (t), not both; split it in two");
        }
        let train_capacity = match (containers, &rc.train_capacity_teu, &rc.train_capacity_t) {
            (true, Some(v), None) => c.positive(
                v,
                &format!("{cpath}.train_capacity_teu"),
                "a train load in TEU",
                false,
            ),
            (false, None, Some(v)) => c.positive(
                v,
                &format!("{cpath}.train_capacity_t"),
                "a train load in tonnes",
                false,
            ),
            _ => {
                let want = if containers {
                    "train_capacity_teu"
                } else {
                    "train_capacity_t"
                };
                c.err(
                    span(&rc.name),
                    cpath.clone(),
                    format!("this corridor needs `{want}` (and not the other capacity key)"),
                );
                1.0
            }
        };
        let departure = match rc.departure.get_ref().as_str() {
            "timetable" => {
                if rc.slots_per_day.is_some() || rc.max_wait_h.is_some() {
                    c.err(span(&rc.departure), format!("{cpath}.departure"), "a timetable corridor takes `timetable_h`; `slots_per_day` and `max_wait_h` belong to `when_full`");
                }
                let mut times = Vec::new();
                match &rc.timetable_h {
                    Some(t) if !t.get_ref().is_empty() => {
                        for v in t.get_ref() {
                            let x = *v.get_ref();
                            if (0.0..24.0).contains(&x) {
                                times.push(x);
                            } else {
                                c.err(span(v), format!("{cpath}.timetable_h"), format!("expected hours after midnight in [0, 24), found {x}"));
                            }
                        }
                        times.sort_by(f64::total_cmp);
                    }
                    Some(t) => c.err(span(t), format!("{cpath}.timetable_h"), "expected at least one departure time"),
                    None => c.err(span(&rc.departure), format!("{cpath}.departure"), "a timetable corridor needs `timetable_h` (loading start times, hours after midnight)"),
                }
                Departure::Timetable { times_h: times }
            }
            "when_full" => {
                if rc.timetable_h.is_some() {
                    c.err(
                        span(&rc.departure),
                        format!("{cpath}.departure"),
                        "`timetable_h` belongs to a timetable corridor",
                    );
                }
                let slots = match &rc.slots_per_day {
                    Some(n) if (1..=1000).contains(n.get_ref()) => *n.get_ref() as u32,
                    Some(n) => {
                        c.err(
                            span(n),
                            format!("{cpath}.slots_per_day"),
                            format!(
                                "expected 1 to 1000 train slots per day, found {}",
                                n.get_ref()
                            ),
                        );
                        1
                    }
                    None => {
                        c.err(
                            span(&rc.departure),
                            format!("{cpath}.departure"),
                            "a when_full corridor needs `slots_per_day`",
                        );
                        1
                    }
                };
                let max_wait_h = match &rc.max_wait_h {
                    Some(v) => c.positive(
                        v,
                        &format!("{cpath}.max_wait_h"),
                        "a maximum wait in hours",
                        false,
                    ),
                    None => {
                        c.err(
                            span(&rc.departure),
                            format!("{cpath}.departure"),
                            "a when_full corridor needs `max_wait_h`",
                        );
                        24.0
                    }
                };
                Departure::WhenFull {
                    slots_per_day: slots,
                    max_wait_h,
                }
            }
            other => {
                let hint = suggest(other, ["timetable", "when_full"]);
                c.err(
                    span(&rc.departure),
                    format!("{cpath}.departure"),
                    format!("unknown departure rule `{other}`{hint}"),
                );
                Departure::Timetable { times_h: vec![0.0] }
            }
        };
        let train_sets = rc.train_sets.as_ref().map(|n| {
            if !(1..=10_000).contains(n.get_ref()) {
                c.err(
                    span(n),
                    format!("{cpath}.train_sets"),
                    format!("expected 1 to 10000 train sets, found {}", n.get_ref()),
                );
            }
            (*n.get_ref()).clamp(1, 10_000) as u32
        });
        if let Some(p) = port {
            let tracks = model.ports[p.index()].rail_loading_tracks;
            if tracks == 0 {
                c.err(
                    span(&rc.port),
                    format!("{cpath}.port"),
                    format!(
                        "port `{}` has no rail loading tracks; set its `rail_loading_tracks`",
                        rc.port.get_ref()
                    ),
                );
            }
        }
        model.corridors.push(RailCorridor {
            name: rc.name.get_ref().clone(),
            port: port.unwrap_or(PortId(0)),
            region: region.unwrap_or(RegionId(0)),
            cargo,
            train_capacity,
            departure,
            loading_h: c.opt_positive(
                &rc.loading_h,
                &format!("{cpath}.loading_h"),
                "a loading time in hours",
                true,
                0.0,
            ),
            transit_h: c.positive(
                &rc.transit_h,
                &format!("{cpath}.transit_h"),
                "a transit time in hours",
                false,
            ),
            train_sets,
            divert_to_road_after_h: rc.divert_to_road_after_h.as_ref().map(|v| {
                c.positive(
                    v,
                    &format!("{cpath}.divert_to_road_after_h"),
                    "a wait in hours",
                    false,
                )
            }),
        });
    }

    // Services
    let mut service_ids: BTreeMap<String, ServiceId> = BTreeMap::new();
    let mut seen_services = BTreeMap::new();
    for (si, rs) in raw.services.iter().enumerate() {
        let spath = format!("services[{si}]");
        c.unique(&mut seen_services, &rs.name, &spath, "service");
        let port = resolve_port(&mut c, &rs.port, &format!("{spath}.port"));
        let terminal = match (&rs.terminal, port) {
            (Some(t), Some(p)) => resolve_terminal(&mut c, p, t, &format!("{spath}.terminal")),
            _ => None,
        };
        let class = resolve_class(&mut c, &rs.ship_class, &format!("{spath}.ship_class"));
        let calls_per_week = c.positive(
            &rs.calls_per_week,
            &format!("{spath}.calls_per_week"),
            "calls per week",
            false,
        );
        let delay_h = match &rs.delay_h {
            Some(d) => c
                .dist(d, &format!("{spath}.delay_h"))
                .unwrap_or(Dist::Fixed(0.0)),
            None => Dist::Fixed(0.0),
        };
        let cv = c.opt_positive(
            &rs.call_size_cv,
            &format!("{spath}.call_size_cv"),
            "a coefficient of variation",
            true,
            0.0,
        );
        if let (Some(p), Some(cl)) = (port, class) {
            let cargo = model.ship_classes[cl.index()].cargo;
            if let Some(m) = fits_msg(&model, p, cl, cargo, terminal) {
                c.err(span(&rs.ship_class), format!("{spath}.ship_class"), m);
            }
        }
        service_ids.insert(rs.name.get_ref().clone(), ServiceId(si as u32));
        model.services.push(LinerService {
            name: rs.name.get_ref().clone(),
            port: port.unwrap_or(PortId(0)),
            terminal,
            ship_class: class.unwrap_or(ShipClassId(0)),
            calls_per_week,
            first_call_h: rs.first_call_h.as_ref().map(|v| {
                c.positive(
                    v,
                    &format!("{spath}.first_call_h"),
                    "a first call time in hours",
                    true,
                )
            }),
            delay_h,
            call_size_cv: cv,
            flows: Vec::new(),
            onward_flows: Vec::new(),
        });
    }

    // Growth rates by cargo class (a flow may override its own).
    let mut class_growth = [0.0f64; CargoClass::COUNT];
    if let Some(rates) = &raw.growth.rates_per_yr {
        for (cargo, v) in rates.get_ref() {
            let path = format!("growth.rates_per_yr.{cargo}");
            match CargoClass::from_name(cargo) {
                Some(cc) => {
                    let x = *v.get_ref();
                    if x > -1.0 && x.is_finite() {
                        class_growth[cc.index()] = x;
                    } else {
                        c.err(
                            span(v),
                            path,
                            format!("expected a growth rate above -1 (-100 %), found {x}"),
                        );
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

    // Per-flow growth overrides must name flows.
    if let Some(rates) = &raw.growth.flows_per_yr {
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

    // Flows
    let mut seen_flows = BTreeMap::new();
    let names = Names {
        regions: &region_ids,
        terminals: &terminal_ids,
    };
    let mut feeder_legs: Vec<(ServiceId, Flow)> = Vec::new();
    let service_names: Vec<String> = raw
        .services
        .iter()
        .map(|s| s.name.get_ref().clone())
        .collect();
    // Hub routes are checked under every policy (a sweep may switch it); under hub-feeder each
    // flow with one is validated as the transshipment at the hub it becomes.
    let routed: Vec<std::borrow::Cow<'_, RawFlow>> = raw
        .flows
        .iter()
        .enumerate()
        .map(|(fi, rf)| {
            let route = rf
                .hub
                .as_ref()
                .and_then(|h| check_hub_route(&mut c, &model, &service_ids, &port_ids, fi, rf, h));
            match route {
                Some(t) if model.settings.policy == Policy::HubFeeder => std::borrow::Cow::Owned(t),
                _ => std::borrow::Cow::Borrowed(rf),
            }
        })
        .collect();
    for (fi, rf) in routed.iter().enumerate() {
        let rf: &RawFlow = rf;
        let fpath = format!("flows[{fi}]");
        c.unique(&mut seen_flows, &rf.name, &fpath, "flow");
        let cargo = c.cargo(&rf.cargo, &format!("{fpath}.cargo"));
        let direction = match rf.direction.get_ref().as_str() {
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
        };
        let port = resolve_port(&mut c, &rf.port, &format!("{fpath}.port"));
        let terminal = match (&rf.terminal, port) {
            (Some(t), Some(p)) => resolve_terminal(&mut c, p, t, &format!("{fpath}.terminal")),
            _ => None,
        };
        let volume = match (cargo, &rf.volume_t_per_yr, &rf.volume_teu_per_yr) {
            (Some(cg), None, Some(v)) if cg.is_container() => c.positive(
                v,
                &format!("{fpath}.volume_teu_per_yr"),
                "a volume in TEU per year",
                true,
            ),
            (Some(cg), Some(v), None) if !cg.is_container() => c.positive(
                v,
                &format!("{fpath}.volume_t_per_yr"),
                "a volume in tonnes per year",
                true,
            ),
            (Some(cg), _, _) => {
                let want = if cg.is_container() {
                    "volume_teu_per_yr"
                } else {
                    "volume_t_per_yr"
                };
                c.err(
                    span(&rf.name),
                    fpath.clone(),
                    format!("a {cg} flow needs `{want}` (and not the other volume key)"),
                );
                0.0
            }
            (None, _, _) => 0.0,
        };
        let scenario_rate = raw
            .growth
            .flows_per_yr
            .as_ref()
            .and_then(|m| m.get_ref().get(rf.name.get_ref().as_str()));
        let growth = match scenario_rate.or(rf.growth_per_yr.as_ref()) {
            Some(g) if *g.get_ref() > -1.0 && g.get_ref().is_finite() => *g.get_ref(),
            Some(g) => {
                c.err(
                    span(g),
                    match scenario_rate {
                        Some(_) => format!("growth.flows_per_yr.{}", rf.name.get_ref()),
                        None => format!("{fpath}.growth_per_yr"),
                    },
                    format!(
                        "expected a growth rate above -1 (-100 %), found {}",
                        g.get_ref()
                    ),
                );
                0.0
            }
            None => cargo.map_or(0.0, |cg| class_growth[cg.index()]),
        };
        let service_h = rf
            .service_h
            .as_ref()
            .and_then(|d| c.dist(d, &format!("{fpath}.service_h")));
        let arrivals = match (&rf.ships, &rf.service) {
            (Some(ships), None) => {
                let mut mix = Vec::new();
                let n = ships.get_ref().len();
                if n == 0 {
                    c.err(
                        span(ships),
                        format!("{fpath}.ships"),
                        "expected at least one ship class",
                    );
                }
                let mut total = 0.0;
                for (k, sh) in ships.get_ref().iter().enumerate() {
                    let shpath = format!("{fpath}.ships[{k}]");
                    let share = match &sh.share {
                        Some(s) => {
                            let v = *s.get_ref();
                            if !(v > 0.0 && v <= 1.0) {
                                c.err(
                                    span(s),
                                    format!("{shpath}.share"),
                                    format!("expected a share in (0, 1], found {v}"),
                                );
                            }
                            v
                        }
                        None if n == 1 => 1.0,
                        None => {
                            c.err(
                                span(&sh.class),
                                shpath.clone(),
                                "with several ship classes, each needs a `share` of the volume",
                            );
                            0.0
                        }
                    };
                    total += share;
                    if let Some(cl) = resolve_class(&mut c, &sh.class, &format!("{shpath}.class")) {
                        let sc_cargo = model.ship_classes[cl.index()].cargo;
                        if let (Some(cg), Some(p)) = (cargo, port) {
                            if sc_cargo != cg {
                                c.err(
                                    span(&sh.class),
                                    format!("{shpath}.class"),
                                    format!(
                                        "ship class `{}` carries {sc_cargo}, but the flow is {cg}",
                                        sh.class.get_ref()
                                    ),
                                );
                            } else if let Some(m) = fits_msg(&model, p, cl, cg, terminal) {
                                c.err(span(&sh.class), format!("{shpath}.class"), m);
                            }
                        }
                        mix.push((cl, share));
                    }
                }
                if n > 0 && (total - 1.0).abs() > 1e-6 {
                    c.err(
                        span(ships),
                        format!("{fpath}.ships"),
                        format!(
                            "expected ship shares that sum to 1, found {}",
                            round9(total)
                        ),
                    );
                }
                let mut seasonality = [1.0; 12];
                if let Some(s) = &rf.seasonality {
                    if s.get_ref().len() != 12 {
                        c.err(
                            span(s),
                            format!("{fpath}.seasonality"),
                            format!(
                                "expected 12 monthly factors (January first), found {}",
                                s.get_ref().len()
                            ),
                        );
                    } else {
                        for (m, v) in s.get_ref().iter().enumerate() {
                            seasonality[m] = c.positive(
                                v,
                                &format!("{fpath}.seasonality[{m}]"),
                                "a monthly factor",
                                true,
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
                    }
                }
                Arrivals::Tramp {
                    ships: mix,
                    seasonality,
                }
            }
            (None, Some(svc)) => {
                if let Some(s) = &rf.seasonality {
                    c.err(span(s), format!("{fpath}.seasonality"), "a liner flow follows its service's schedule; seasonality applies to tramp flows (`ships`)");
                }
                if let Some(d) = &rf.service_h {
                    c.err(
                        span(d),
                        format!("{fpath}.service_h"),
                        "`service_h` applies to tramp flows (`ships`) only",
                    );
                }
                match service_ids.get(svc.get_ref()) {
                    Some(&sid) => {
                        let s = &model.services[sid.index()];
                        let sc_cargo = model.ship_classes[s.ship_class.index()].cargo;
                        if let Some(cg) = cargo {
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
                        if port.is_some_and(|p| p != s.port) {
                            c.err(
                                span(svc),
                                format!("{fpath}.service"),
                                format!(
                                    "service `{}` calls at {}, not at {}",
                                    svc.get_ref(),
                                    model.ports[s.port.index()].name,
                                    rf.port.get_ref()
                                ),
                            );
                        }
                        model.services[sid.index()].flows.push(FlowId(fi as u32));
                        Arrivals::Liner(sid)
                    }
                    None => {
                        let hint = suggest(svc.get_ref(), service_names.iter().map(String::as_str));
                        c.err(
                            span(svc),
                            format!("{fpath}.service"),
                            format!("unknown service `{}`{hint}", svc.get_ref()),
                        );
                        Arrivals::Liner(ServiceId(0))
                    }
                }
            }
            (Some(ships), Some(_)) => {
                c.err(
                    span(ships),
                    fpath.clone(),
                    "give either `ships` (tramp calls) or `service` (liner calls), not both",
                );
                Arrivals::Liner(ServiceId(0))
            }
            (None, None) => {
                c.err(
                    span(&rf.name),
                    fpath.clone(),
                    "a flow needs `ships` (tramp calls) or `service` (a liner service)",
                );
                Arrivals::Liner(ServiceId(0))
            }
        };
        let hinterland = match (&rf.region, &rf.modes) {
            (None, None) => {
                if let Some(d) = &rf.dwell_h {
                    c.err(
                        span(d),
                        format!("{fpath}.dwell_h"),
                        "`dwell_h` needs a hinterland: give the flow a `region` and `modes`",
                    );
                }
                if let (Some(t), None) = (&rf.yard_terminal, &rf.onward_service) {
                    c.err(span(t), format!("{fpath}.yard_terminal"), "`yard_terminal` needs a hinterland (`region` and `modes`) or an `onward_service`");
                }
                None
            }
            (Some(r), None) => {
                c.err(
                    span(r),
                    fpath.clone(),
                    "a flow with a `region` needs `modes` (its hinterland mode split)",
                );
                None
            }
            (None, Some(m)) => {
                c.err(
                    span(m),
                    fpath.clone(),
                    "a flow with `modes` needs a `region`",
                );
                None
            }
            (Some(r), Some(m)) => {
                if direction == Direction::Transshipment {
                    c.err(span(m), format!("{fpath}.modes"), "a transshipment flow stays in the port's yard between ships; it has no hinterland modes");
                }
                hinterland_leg(
                    &mut c,
                    &model,
                    &names,
                    &fpath,
                    port,
                    cargo,
                    terminal,
                    span(&rf.name),
                    r,
                    m,
                    rf.dwell_h.as_ref(),
                    rf.yard_terminal.as_ref(),
                )
            }
        };
        let transship = match (&rf.onward_service, port, cargo) {
            (Some(os), Some(p), Some(cg)) => {
                if direction != Direction::Transshipment {
                    c.err(span(os), format!("{fpath}.onward_service"), "`onward_service` applies to transshipment flows (`direction = \"transshipment\"`)");
                }
                if !matches!(arrivals, Arrivals::Liner(_)) {
                    c.err(
                        span(os),
                        format!("{fpath}.onward_service"),
                        "a transshipment flow with an onward leg arrives on a liner `service`",
                    );
                }
                let onward = service_ids.get(os.get_ref()).copied();
                match onward {
                    None => {
                        let hint = suggest(os.get_ref(), service_names.iter().map(String::as_str));
                        c.err(
                            span(os),
                            format!("{fpath}.onward_service"),
                            format!("unknown service `{}`{hint}", os.get_ref()),
                        );
                    }
                    Some(sid) => {
                        let svc = &model.services[sid.index()];
                        if svc.port != p {
                            c.err(
                                span(os),
                                format!("{fpath}.onward_service"),
                                format!(
                                    "service `{}` calls at {}, not at {}",
                                    os.get_ref(),
                                    model.ports[svc.port.index()].name,
                                    rf.port.get_ref()
                                ),
                            );
                        }
                        let sc = model.ship_classes[svc.ship_class.index()].cargo;
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
                }
                let named = rf.yard_terminal.as_ref().and_then(|t| {
                    resolve_terminal(&mut c, p, t, &format!("{fpath}.yard_terminal"))
                });
                let cands: Vec<TerminalId> = (0..model.terminals.len())
                    .filter(|&t| {
                        model.terminals[t].port == p && model.terminals[t].cargo.contains(cg)
                    })
                    .map(|t| TerminalId(t as u32))
                    .collect();
                let yard = named.or(terminal).or(if cands.len() == 1 {
                    Some(cands[0])
                } else {
                    None
                });
                if yard.is_none() && rf.yard_terminal.is_none() {
                    c.err(span(&rf.name), fpath.clone(), format!("{} terminals at {} handle {cg}; name the one whose yard holds the transshipment cargo in `yard_terminal`", cands.len(), rf.port.get_ref()));
                }
                match (onward, yard) {
                    (Some(sid), Some(t)) => {
                        model.services[sid.index()]
                            .onward_flows
                            .push(FlowId(fi as u32));
                        Some(Transship {
                            onward: sid,
                            terminal: t,
                        })
                    }
                    _ => None,
                }
            }
            (None, _, _) => {
                for (leg, key) in [(&rf.origin, "origin"), (&rf.destination, "destination")] {
                    if let Some(l) = leg {
                        c.err(span(l), format!("{fpath}.{key}"), format!("`{key}` describes a feeder leg of a transshipment flow; it needs an `onward_service`"));
                    }
                }
                None
            }
            _ => None,
        };
        // Feeder legs: the same volume starts at (origin) or ends at (destination) another
        // port, carried by that port's service and passing through its yard and hinterland.
        for (leg, key, leg_direction) in [
            (&rf.origin, "origin", Direction::Export),
            (&rf.destination, "destination", Direction::Import),
        ] {
            let (Some(l), Some(_)) = (leg, &transship) else {
                continue;
            };
            let lpath = format!("{fpath}.{key}");
            let lr = l.get_ref();
            let lport = resolve_port(&mut c, &lr.port, &format!("{lpath}.port"));
            if lport.is_some() && lport == port {
                c.err(
                    span(&lr.port),
                    format!("{lpath}.port"),
                    "a feeder leg runs to another port than the hub",
                );
            }
            let lsvc = service_ids.get(lr.service.get_ref()).copied();
            match (lsvc, lport) {
                (None, _) => {
                    let hint = suggest(
                        lr.service.get_ref(),
                        service_names.iter().map(String::as_str),
                    );
                    c.err(
                        span(&lr.service),
                        format!("{lpath}.service"),
                        format!("unknown service `{}`{hint}", lr.service.get_ref()),
                    );
                }
                (Some(sid), Some(lp)) if model.services[sid.index()].port != lp => {
                    c.err(
                        span(&lr.service),
                        format!("{lpath}.service"),
                        format!(
                            "service `{}` calls at {}, not at {}",
                            lr.service.get_ref(),
                            model.ports[model.services[sid.index()].port.index()].name,
                            lr.port.get_ref()
                        ),
                    );
                }
                _ => {}
            }
            let h = hinterland_leg(
                &mut c,
                &model,
                &names,
                &lpath,
                lport,
                cargo,
                None,
                span(l),
                &lr.region,
                &lr.modes,
                Some(&lr.dwell_h),
                lr.yard_terminal.as_ref(),
            );
            if let (Some(lp), Some(sid), Some(h), Some(cg)) = (lport, lsvc, h, cargo) {
                feeder_legs.push((
                    sid,
                    Flow {
                        name: format!("{}@{}", rf.name.get_ref(), lr.port.get_ref()),
                        cargo: cg,
                        direction: leg_direction,
                        port: lp,
                        terminal: None,
                        volume_per_yr: volume,
                        growth_per_yr: growth,
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
        // Alternative ports for the integrated policy, with the haul from each candidate.
        let mut alternatives = Vec::new();
        let mut haul_home = 0.0;
        if let Some(alts) = &rf.alternative_ports {
            if !matches!(arrivals, Arrivals::Tramp { .. }) {
                c.err(span(alts), format!("{fpath}.alternative_ports"), "alternative ports apply to tramp flows (`ships`); a liner service keeps its port");
            }
            if transship.is_some() || (hinterland.is_some() && direction != Direction::Import) {
                c.err(span(alts), format!("{fpath}.alternative_ports"), "alternative ports take import flows (with or without a hinterland leg) and export flows without one; exports with a hinterland leg reach their port before their ship and cannot switch");
            }
            let hauls = rf.haul_cost_per_t.as_ref();
            let haul_of = |c: &mut Checker, name: &str| -> f64 {
                match hauls.and_then(|h| h.get_ref().get(name)) {
                    Some(v) => c.positive(
                        v,
                        &format!("{fpath}.haul_cost_per_t.{name}"),
                        "a haul cost per tonne",
                        true,
                    ),
                    None => {
                        c.err(span(alts), format!("{fpath}.haul_cost_per_t"), format!("give a haul cost per tonne for every candidate port; `{name}` has none"));
                        0.0
                    }
                }
            };
            haul_home = haul_of(&mut c, rf.port.get_ref());
            for (k, a) in alts.get_ref().iter().enumerate() {
                let Some(ap) = resolve_port(&mut c, a, &format!("{fpath}.alternative_ports[{k}]"))
                else {
                    continue;
                };
                if Some(ap) == port || alternatives.iter().any(|x: &Alternative| x.port == ap) {
                    c.err(
                        span(a),
                        format!("{fpath}.alternative_ports[{k}]"),
                        format!("port `{}` is already a candidate", a.get_ref()),
                    );
                    continue;
                }
                // Ship classes that fit no berth there keep to the flow's own port; at least one
                // class must fit for the alternative to mean anything.
                if let (Arrivals::Tramp { ships, .. }, Some(cg)) = (&arrivals, cargo) {
                    if !ships.is_empty()
                        && ships
                            .iter()
                            .all(|&(cl, _)| fits_msg(&model, ap, cl, cg, None).is_some())
                    {
                        c.err(
                            span(a),
                            format!("{fpath}.alternative_ports[{k}]"),
                            format!(
                                "no ship class of the flow fits a berth at {} that handles {cg}",
                                a.get_ref()
                            ),
                        );
                    }
                }
                // The same hinterland leg from the alternative port: its own yard and corridor.
                let alt_hinterland = match (&hinterland, &rf.region, &rf.modes) {
                    (Some(_), Some(r), Some(m)) => hinterland_leg(
                        &mut c,
                        &model,
                        &names,
                        &format!("{fpath}.alternative_ports[{k}]"),
                        Some(ap),
                        cargo,
                        None,
                        span(a),
                        r,
                        m,
                        rf.dwell_h.as_ref(),
                        None,
                    ),
                    _ => None,
                };
                alternatives.push(Alternative {
                    port: ap,
                    haul_cost_per_t: haul_of(&mut c, a.get_ref()),
                    hinterland: alt_hinterland,
                });
            }
        } else if let Some(h) = &rf.haul_cost_per_t {
            c.err(
                span(h),
                format!("{fpath}.haul_cost_per_t"),
                "haul costs go with `alternative_ports`",
            );
        }
        model.flows.push(Flow {
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
            growth_per_yr: growth,
            arrivals,
            service_h,
        });
    }
    for (sid, flow) in feeder_legs {
        let id = FlowId(model.flows.len() as u32);
        model.services[sid.index()].flows.push(id);
        model.flows.push(flow);
    }
    for (si, s) in model.services.iter().enumerate() {
        // A service whose flows all go through the hub under hub-feeder simply does not sail.
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
    if !raw.ports.is_empty() && raw.flows.is_empty() {
        c.diags.push(Diagnostic {
            span: Some(0..0),
            path: "flows".into(),
            message: "the scenario defines no demand; expected at least one `[[flows]]` table"
                .into(),
        });
    }

    // Targets
    for (ti, rt) in raw.targets.iter().enumerate() {
        let tp = format!("targets[{ti}]");
        let year = *rt.year.get_ref();
        if year < i64::from(base_year) || year > 2200 {
            c.err(
                span(&rt.year),
                format!("{tp}.year"),
                format!(
                    "expected a design year from the base year {base_year} to 2200, found {year}"
                ),
            );
        }
        let port = rt.port.get_ref();
        let known_port = port == "ALL"
            || model.ports.iter().any(|p| p.name == *port)
            || model
                .terminals
                .iter()
                .any(|t| format!("{}/{}", model.ports[t.port.index()].name, t.name) == *port)
            || model
                .corridors
                .iter()
                .any(|k| format!("{}/rail:{}", model.ports[k.port.index()].name, k.name) == *port);
        if !known_port {
            let names: Vec<&str> = model
                .ports
                .iter()
                .map(|p| p.name.as_str())
                .chain(["ALL"])
                .collect();
            let hint = suggest(port, names);
            c.err(span(&rt.port), format!("{tp}.port"), format!(
                "unknown port `{port}` (a target names a port, `Port/Terminal`, `Port/rail:corridor` or `ALL`){hint}"
            ));
        }
        let cargo = rt.cargo.get_ref();
        if cargo != "ALL" && CargoClass::from_name(cargo).is_none() {
            let hint = suggest(cargo, CargoClass::ALL.map(|c| c.name()));
            c.err(
                span(&rt.cargo),
                format!("{tp}.cargo"),
                format!("unknown cargo class `{cargo}`{hint}; or `ALL`"),
            );
        }
        let metric = rt.metric.get_ref();
        if !crate::sim::METRICS.contains(&metric.as_str()) {
            let hint = suggest(metric, crate::sim::METRICS.iter().copied());
            c.err(
                span(&rt.metric),
                format!("{tp}.metric"),
                format!("unknown metric `{metric}`{hint}"),
            );
        }
        let at_least = match rt.bound.get_ref().as_str() {
            "at_least" => true,
            "at_most" => false,
            other => {
                let hint = suggest(other, ["at_least", "at_most"]);
                c.err(
                    span(&rt.bound),
                    format!("{tp}.bound"),
                    format!("unknown bound `{other}`{hint}"),
                );
                true
            }
        };
        if !rt.value.get_ref().is_finite() {
            c.err(
                span(&rt.value),
                format!("{tp}.value"),
                "expected a finite number",
            );
        }
        model.targets.push(Target {
            year: year.clamp(0, 65535) as u16,
            port: port.clone(),
            cargo: cargo.clone(),
            metric: metric.clone(),
            at_least,
            value: *rt.value.get_ref(),
            source: rt.source.get_ref().clone(),
        });
    }

    if c.diags.is_empty() {
        Ok(model)
    } else {
        let mut d = c.diags;
        d.sort_by_key(|x| x.span.as_ref().map_or(usize::MAX, |s| s.start));
        Err(d)
    }
}
