//! `[[rail_paths]]`: rail volumes as they went. Each path covers the flows of one cargo class
//! at some ports whose hinterland leg offers rail and another mode, and is solved here into the
//! shift of their rail constant that gives the record's volume in each year it states.

use super::checker::{Checker, num, span, suggest};
use crate::model::{CargoClass, Model, RailPath, rail_shift_for};
use crate::scenario::raw::{RawRailPath, RawScenario};

/// Reads and solves every rail path (after the flows, their growth and demand paths).
pub(super) fn rail_paths(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    let mut covered: Vec<Option<usize>> = vec![None; model.flows.len()];
    for (pi, rp) in raw.rail_paths.iter().enumerate() {
        let pp = format!("rail_paths[{pi}]");
        if let Some(name) = &rp.name
            && let Some(first) = raw.rail_paths[..pi]
                .iter()
                .position(|q| q.name.as_ref().map(|n| n.get_ref()) == Some(name.get_ref()))
        {
            c.err(
                span(name),
                format!("{pp}.name"),
                format!(
                    "a rail path named `{}` comes before (rail_paths[{first}])",
                    name.get_ref()
                ),
            );
        }
        let Some((flows, rail_only, label)) = followers(c, rp, &pp, model) else {
            continue;
        };
        for &fi in &flows {
            if let Some(other) = covered[fi] {
                c.err(
                    span(&rp.ports),
                    format!("{pp}.ports"),
                    format!(
                        "flow `{}` is already covered by rail_paths[{other}]; a flow follows one rail path",
                        model.flows[fi].name
                    ),
                );
            }
            covered[fi] = Some(pi);
        }
        let Some(values) = years(c, rp, &pp, model, (&flows, &rail_only)) else {
            continue;
        };
        // The record counts every box (or tonne) by rail; rail-only legs carry theirs whatever
        // the shift.
        let shifts = values
            .iter()
            .map(|&(year, whole)| {
                let fixed = volume(model, &rail_only, year);
                (
                    year,
                    rail_shift_for(&legs(model, &flows, year), whole - fixed),
                )
            })
            .collect();
        model.rail_paths.push(RailPath {
            label,
            flows: flows
                .iter()
                .map(|&fi| model.flows[fi].name.clone())
                .collect(),
            values,
            shifts,
            source: rp.source.get_ref().clone(),
        });
    }
}

/// Each covered flow's volume in `year` (at its mean demand) and its leg's base rail share.
fn legs(model: &Model, flows: &[usize], year: u16) -> Vec<(f64, f64)> {
    flows
        .iter()
        .map(|&fi| {
            let f = &model.flows[fi];
            let rail = f.hinterland.as_ref().map_or(0.0, |h| h.modes.rail);
            (f.volume_per_yr * model.growth_factor(f, year), rail)
        })
        .collect()
}

/// The covered flows' whole volume in `year`.
fn volume(model: &Model, flows: &[usize], year: u16) -> f64 {
    legs(model, flows, year).iter().map(|l| l.0).sum()
}

/// The flows a path covers — of its cargo class at its ports, with a leg that offers rail and
/// another mode —, those of them whose leg goes by rail alone (they count in the record but
/// have nothing to shift), and what it covers, for messages.
fn followers(
    c: &mut Checker,
    rp: &RawRailPath,
    pp: &str,
    model: &Model,
) -> Option<(Vec<usize>, Vec<usize>, String)> {
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
            return None;
        }
    }
    let name = rp.cargo.get_ref();
    let Some(cargo) = CargoClass::from_name(name) else {
        let hint = suggest(name, CargoClass::ALL.map(|c| c.name()));
        c.err(
            span(&rp.cargo),
            format!("{pp}.cargo"),
            format!("unknown cargo class `{name}`{hint}"),
        );
        return None;
    };
    let rail_of = |fi: usize| {
        let f = &model.flows[fi];
        (f.cargo == cargo && ports.contains(&f.port.index()))
            .then(|| f.hinterland.as_ref().map(|h| h.modes.rail))
            .flatten()
    };
    let flows: Vec<usize> = (0..model.flows.len())
        .filter(|&fi| rail_of(fi).is_some_and(|r| r > 0.0 && r < 1.0))
        .collect();
    let rail_only: Vec<usize> = (0..model.flows.len())
        .filter(|&fi| rail_of(fi) == Some(1.0))
        .collect();
    let names: Vec<&str> = rp
        .ports
        .get_ref()
        .iter()
        .map(|p| p.get_ref().as_str())
        .collect();
    let label = format!("{} {name}", names.join("+"));
    if flows.is_empty() {
        c.err(
            span(&rp.ports),
            format!("{pp}.ports"),
            format!(
                "no {name} flow at {} has a hinterland leg that offers rail and another mode",
                names.join(", ")
            ),
        );
        return None;
    }
    Some((flows, rail_only, label))
}

/// The path's (year, rail volume) pairs, ascending; each year after the base year and each
/// volume above what the rail-only legs carry that year and below that plus the covered
/// flows' whole volume.
fn years(
    c: &mut Checker,
    rp: &RawRailPath,
    pp: &str,
    model: &Model,
    (flows, rail_only): (&[usize], &[usize]),
) -> Option<Vec<(u16, f64)>> {
    let n0 = c.diags.len();
    let base_year = model.settings.base_year;
    let unit = if model.flows[flows[0]].cargo.is_container() {
        "TEU"
    } else {
        "t"
    };
    let mut out = Vec::new();
    for (key, v) in rp.values.get_ref() {
        let path = format!("{pp}.values.{key}");
        let year = match key.parse::<u16>() {
            Ok(y) if y > base_year && y <= 2200 => y,
            Ok(y) => {
                c.err(
                    span(&rp.values),
                    &path,
                    format!("a rail path gives years after the base year {base_year} (up to 2200), found {y}"),
                );
                continue;
            }
            Err(_) => {
                c.err(
                    span(&rp.values),
                    &path,
                    format!("expected a year as the key, found `{key}`"),
                );
                continue;
            }
        };
        let x = *v.get_ref();
        let fixed = volume(model, rail_only, year);
        let whole = fixed + volume(model, flows, year);
        if !(x > fixed && x < whole) {
            let floor = if rail_only.is_empty() {
                "0".to_string()
            } else {
                format!(
                    "what the {} rail-only flows carry ({} {unit})",
                    rail_only.len(),
                    num(fixed.round())
                )
            };
            c.err(
                span(v),
                &path,
                format!(
                    "expected a rail volume a year above {floor} and below the flows' whole volume in {year} ({} {unit}), found {}",
                    num(whole.round()),
                    num(x)
                ),
            );
            continue;
        }
        out.push((year, x));
    }
    if out.is_empty() && c.diags.len() == n0 {
        c.err(
            span(&rp.values),
            format!("{pp}.values"),
            "expected at least one year's rail volume",
        );
    }
    (c.diags.len() == n0).then_some(out)
}
