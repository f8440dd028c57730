//! A tramp flow's ship mix (`ships`), its fallbacks where the port cannot take a class yet, and
//! its mixes of later years (`fleet`).
//!
//! A class's `fallback` carries its share where the port has no berth for it or no channel it
//! can pass at high water: the mix as written is what the trade would send, the mix resolved
//! is what the port can take. Projects are applied by re-reading the scenario, so a channel or
//! berth project that admits the class gives it its share back from its in-service year:
//! fewer, larger calls for the same tonnes.

use super::checker::{Checker, num, round9, span};
use super::flows::Basics;
use super::names::Names;
use super::{fits, limits};
use crate::model::{Model, ShipClassId};
use crate::scenario::raw::{RawFlow, RawShipShare};

/// A tramp flow's ship classes and the share of the volume each carries, fallbacks resolved.
pub(super) fn ship_mix(
    c: &mut Checker,
    ships: &toml::Spanned<Vec<RawShipShare>>,
    b: &Basics,
    names: &Names,
    model: &Model,
) -> Vec<(ShipClassId, f64)> {
    mix_at(c, ships, b, names, model, &format!("{}.ships", b.path))
}

fn mix_at(
    c: &mut Checker,
    ships: &toml::Spanned<Vec<RawShipShare>>,
    b: &Basics,
    names: &Names,
    model: &Model,
    mpath: &str,
) -> Vec<(ShipClassId, f64)> {
    let mut mix: Vec<(ShipClassId, f64)> = Vec::new();
    let n = ships.get_ref().len();
    if n == 0 {
        c.err(span(ships), mpath, "expected at least one ship class");
    }
    let mut total = 0.0;
    for (k, sh) in ships.get_ref().iter().enumerate() {
        let shpath = format!("{mpath}[{k}]");
        let share = share(c, sh, n, &shpath);
        total += share;
        let Some(cl) = names.class(c, &sh.class, &format!("{shpath}.class")) else {
            continue;
        };
        let (Some(cg), Some(p)) = (b.cargo, b.port) else {
            continue;
        };
        let sc_cargo = model.ship_classes[cl.index()].cargo;
        if sc_cargo != cg {
            c.err(
                span(&sh.class),
                format!("{shpath}.class"),
                format!(
                    "ship class `{}` carries {sc_cargo}, but the flow is {cg}",
                    sh.class.get_ref()
                ),
            );
            continue;
        }
        let carrier = match (fits(model, p, cl, cg, b.terminal), &sh.fallback) {
            (None, _) => cl,
            (Some(m), None) => {
                c.err(span(&sh.class), format!("{shpath}.class"), m);
                continue;
            }
            // The port cannot take it (yet): its share rides the fallback class.
            (Some(_), Some(fb)) => {
                let Some(f) = names.class(c, fb, &format!("{shpath}.fallback")) else {
                    continue;
                };
                if model.ship_classes[f.index()].cargo != cg {
                    c.err(
                        span(fb),
                        format!("{shpath}.fallback"),
                        format!("ship class `{}` does not carry {cg}", fb.get_ref()),
                    );
                    continue;
                }
                if let Some(m) = fits(model, p, f, cg, b.terminal) {
                    c.err(
                        span(fb),
                        format!("{shpath}.fallback"),
                        format!("the fallback must fit the port: {m}"),
                    );
                    continue;
                }
                f
            }
        };
        match mix.iter_mut().find(|m| m.0 == carrier) {
            Some(m) => m.1 += share,
            None => mix.push((carrier, share)),
        }
    }
    if n > 0 && (total - 1.0).abs() > 1e-6 {
        c.err(
            span(ships),
            mpath,
            format!(
                "expected ship shares that sum to 1, found {}",
                round9(total)
            ),
        );
    }
    mix
}

fn share(c: &mut Checker, sh: &RawShipShare, n: usize, shpath: &str) -> f64 {
    match &sh.share {
        Some(s) => {
            let v = *s.get_ref();
            if !(v > 0.0 && v <= 1.0) {
                c.err(
                    span(s),
                    format!("{shpath}.share"),
                    format!("expected a share in (0, 1], found {}", num(v)),
                );
            }
            v
        }
        None if n == 1 => 1.0,
        None => {
            c.err(
                span(&sh.class),
                shpath,
                "with several ship classes, each needs a `share` of the volume",
            );
            0.0
        }
    }
}

/// A tramp flow's mixes of later years (`fleet`), ascending, each after the base year.
pub(super) fn fleet(
    c: &mut Checker,
    rf: &RawFlow,
    b: &Basics,
    names: &Names,
    model: &Model,
) -> Vec<(u16, Vec<(ShipClassId, f64)>)> {
    let Some(list) = &rf.fleet else {
        return Vec::new();
    };
    let base = model.settings.base_year;
    let mut out: Vec<(u16, Vec<(ShipClassId, f64)>)> = Vec::new();
    for (k, fy) in list.get_ref().iter().enumerate() {
        let ypath = format!("{}.fleet[{k}]", b.path);
        let y = *fy.year.get_ref();
        let last = out.last().map_or(base, |f| f.0);
        if y <= i64::from(last) || y > i64::from(limits::LAST_YEAR) {
            c.err(
                span(&fy.year),
                format!("{ypath}.year"),
                format!(
                    "expected a year after {last} (the base year or the mix before) and by {}, found {y}",
                    limits::LAST_YEAR
                ),
            );
            continue;
        }
        let mix = mix_at(c, &fy.ships, b, names, model, &format!("{ypath}.ships"));
        out.push((y as u16, mix));
    }
    out
}
