//! Projects: named overlays on a scenario, in service from a design year.
//!
//! A project sets values and adds elements by path (as sweeps address values):
//!
//! ```toml
//! projects = ["jinzhou-300k-channel"]      # the ones this scenario includes
//!
//! [[project]]
//! name = "jinzhou-300k-channel"
//! in_service_year = 2024
//! description = "300,000-t channel rebuild"
//!   [[project.set]]
//!   path = "ports[name=Jinzhou].areas[name=Bijiashan].channel.depth_m"
//!   value = 21.5
//!   [[project.add]]
//!   path = "ports[name=Jinzhou].areas[name=Bijiashan].terminals[name=Jinzhou oil].berths"
//!   value = { name = "oil-300k", max_dwt_t = 300000, length_m = 380, depth_m = 24.0, rate_t_per_h = 7000 }
//! ```
//!
//! A design year's model is the scenario with the included projects in service by then
//! applied in file order, then validated like any scenario. Loading checks every edit against
//! the scenario and validates the projects added one by one, so a project that breaks the
//! scenario is reported at its own name. A `set` edit with `ramp_years = N` reaches its value
//! over N years in service (checked at its full value, and its first year's tried on the
//! scenario as written).

use std::sync::Arc;

use super::location::Diagnostic;
use super::paths::{Edit, edit_applies, edit_path, get_path, type_name};
use super::raw::{RawEdit, RawProject, RawScenario};
use super::validate::{Variant, rows_added_by_projects};
use super::{ScenarioError, ScenarioSource, parse_toml};
use crate::model::{Model, Projects};

/// Applies `projects` (in order, each with its first year in service) to the scenario text,
/// without its project tables: as they stand in `year`, or at their full values (`None`).
fn apply(text: &str, projects: &[(&RawProject, u16)], year: Option<u16>) -> Result<String, String> {
    let mut table: toml::Table = text
        .parse()
        .map_err(|e| format!("cannot re-read the scenario: {e}"))?;
    table.remove("projects");
    table.remove("project");
    for &(p, service) in projects {
        let who = format!("project `{}`", p.name.get_ref());
        for e in &p.set {
            // The year in service, from 1 (a project applies only from its first year).
            let k = year.map(|y| y.saturating_sub(service) + 1);
            let value = ramped(&table, e, k).map_err(|m| format!("{who}: {m}"))?;
            edit_path(&mut table, e.path.get_ref(), &value, Edit::Set, &who)?;
        }
        for e in &p.add {
            edit_path(
                &mut table,
                e.path.get_ref(),
                e.value.get_ref(),
                Edit::Append,
                &who,
            )?;
        }
    }
    toml::to_string(&table).map_err(|e| format!("cannot write the scenario back: {e}"))
}

/// The value a `set` edit gives in its `k`-th year in service (`None`: at its full value).
/// Ramped over N years, it is the value it replaces moved k/N of the way to its own — a whole
/// number stays whole, rounded — until the N-th year, when it is its own.
fn ramped(table: &toml::Table, e: &RawEdit, k: Option<u16>) -> Result<toml::Value, String> {
    let n = e.ramp_years.as_ref().map_or(1, |r| *r.get_ref());
    let full = e.value.get_ref();
    let Some(k) = k.filter(|&k| i64::from(k) < n) else {
        return Ok(full.clone());
    };
    let path = e.path.get_ref();
    let from = get_path(table, path);
    let (Some(a), Some(b)) = (from.and_then(number), number(full)) else {
        return Err(format!(
            "`{path}` ramps over {n} years from the value it replaces, but {}",
            match from {
                None => "there is none".to_string(),
                Some(v) if number(v).is_none() => format!("that is {}", type_name(v)),
                Some(_) => format!("the value it gives is {}", type_name(full)),
            }
        ));
    };
    let x = a + (b - a) * f64::from(k) / n as f64;
    Ok(match (from, full) {
        (Some(toml::Value::Integer(_)), toml::Value::Integer(_)) => {
            toml::Value::Integer(x.round() as i64)
        }
        _ => toml::Value::Float(x),
    })
}

/// A TOML number as a float (integers too); `None` for any other value.
fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// Checks the project definitions and includes of a parsed scenario, and returns what the
/// model needs to apply them, or every problem found. With `model` (the scenario as written,
/// before any project), goals on rows the scenario lacks are checked in their years' models.
pub(crate) fn check(
    raw: &RawScenario,
    src: &ScenarioSource,
    model: Option<&Model>,
) -> Result<Option<Arc<Projects>>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    // The scenario as a table, for trying each edit on: read only if a project edits it (a
    // scenario without projects — every point of a sweep of the baseline — skips a second
    // parse of its text).
    let edits = raw
        .project
        .iter()
        .any(|p| !p.set.is_empty() || !p.add.is_empty());
    let base: Option<toml::Table> = if edits { src.text.parse().ok() } else { None };
    for (i, p) in raw.project.iter().enumerate() {
        let pp = format!("project[{i}]");
        if let Some(j) = raw.project[..i]
            .iter()
            .position(|q| q.name.get_ref() == p.name.get_ref())
        {
            // (In a file that extends another, the first may be its base's.)
            diags.push(Diagnostic::at(
                p.name.span(),
                format!("{pp}.name"),
                format!(
                    "duplicate project name `{}`: `project[{j}]` has it already",
                    p.name.get_ref()
                ),
            ));
        }
        let y = *p.in_service_year.get_ref();
        if !(1900..=2200).contains(&y) {
            diags.push(Diagnostic::at(
                p.in_service_year.span(),
                format!("{pp}.in_service_year"),
                format!("expected a year from 1900 to 2200, found {y}"),
            ));
        }
        check_costs(p, &pp, &mut diags);
        check_ramps(p, &pp, base.as_ref(), &mut diags);
        // Each edit must apply to the scenario as written (paths, types).
        if let Some(base) = &base {
            check_edits(p, &pp, base, &mut diags);
        }
    }
    let mut included: Vec<&RawProject> = Vec::new();
    for (i, n) in raw.projects.iter().enumerate() {
        match raw.project.iter().find(|p| p.name.get_ref() == n.get_ref()) {
            Some(p) if included.iter().any(|q| q.name.get_ref() == n.get_ref()) => {
                let _ = p;
                diags.push(Diagnostic::at(
                    n.span(),
                    format!("projects[{i}]"),
                    format!("project `{}` is included twice", n.get_ref()),
                ));
            }
            Some(p) => included.push(p),
            None => {
                let names: Vec<&str> = raw
                    .project
                    .iter()
                    .map(|p| p.name.get_ref().as_str())
                    .collect();
                let hint = super::nearest_key(n.get_ref(), &names);
                let hint = if hint.is_empty() {
                    "; projects are defined in `[[project]]` tables".to_string()
                } else {
                    hint
                };
                diags.push(Diagnostic::at(
                    n.span(),
                    format!("projects[{i}]"),
                    format!("unknown project `{}`{hint}", n.get_ref()),
                ));
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if included.is_empty() {
        if let Some(model) = model {
            goal_rows(raw, src, model, &[])?;
        }
        return Ok(None);
    }
    let in_service: Vec<(&RawProject, u16)> = included
        .iter()
        .map(|p| (*p, *p.in_service_year.get_ref() as u16))
        .collect();
    // Add the projects one by one and validate: the first that breaks the scenario is named.
    for k in 1..=included.len() {
        let p = included[k - 1];
        // Its place among the definitions, for the path (which places it in a file that
        // extends another).
        let at = raw
            .project
            .iter()
            .position(|q| q.name.get_ref() == p.name.get_ref())
            .unwrap_or(0);
        let fail = |m: String| {
            vec![Diagnostic::at(
                p.name.span(),
                format!("project[{at}].name"),
                format!(
                    "project `{}` makes the scenario invalid: {m}",
                    p.name.get_ref()
                ),
            )]
        };
        let text = apply(&src.text, &in_service[..k], None).map_err(fail)?;
        with_projects(src, text)
            .load_plain()
            .map_err(|e| fail(e.brief()))?;
    }
    check_ramp_years(raw, src, &in_service)?;
    if let Some(model) = model {
        goal_rows(raw, src, model, &in_service)?;
    }
    Ok(Some(Arc::new(projects_of(src, &included))))
}

/// Goals on a terminal, corridor or region a project adds: each checked in its year's model,
/// with the projects `in_service` by then (see `validate::rows_added_by_projects`).
fn goal_rows(
    raw: &RawScenario,
    src: &ScenarioSource,
    model: &Model,
    in_service: &[(&RawProject, u16)],
) -> Result<(), Vec<Diagnostic>> {
    let names: Vec<(&str, u16)> = in_service
        .iter()
        .map(|&(p, y)| (p.name.get_ref().as_str(), y))
        .collect();
    let unused: Vec<&str> = raw
        .project
        .iter()
        .map(|p| p.name.get_ref().as_str())
        .filter(|n| !names.iter().any(|(m, _)| m == n))
        .collect();
    let goals = rows_added_by_projects(raw, model, &names, &unused, |year, variant| {
        let mut active: Vec<(&RawProject, u16)> = in_service
            .iter()
            .filter(|(p, y)| *y <= year && variant != Variant::Without(p.name.get_ref()))
            .copied()
            .collect();
        if let Variant::With(n) = variant {
            let p = raw.project.iter().find(|p| p.name.get_ref() == n)?;
            active.push((p, *p.in_service_year.get_ref() as u16));
        }
        let text = apply(&src.text, &active, Some(year)).ok()?;
        with_projects(src, text).load_plain().ok()
    });
    if goals.is_empty() { Ok(()) } else { Err(goals) }
}

/// What the model keeps of the included projects, to apply them year by year.
fn projects_of(src: &ScenarioSource, included: &[&RawProject]) -> Projects {
    Projects {
        file: src.file.clone(),
        default_name: src.default_name.clone(),
        text: src.text.clone(),
        included: included
            .iter()
            .map(|p| {
                (
                    p.name.get_ref().clone(),
                    *p.in_service_year.get_ref() as u16,
                )
            })
            .collect(),
        costs: included.iter().map(|p| project_cost(p)).collect(),
    }
}

/// The scenario `src` with projects applied (`text`), to validate: its problems are given by
/// path (the applied text is not the user's file).
fn with_projects(src: &ScenarioSource, text: String) -> ScenarioSource {
    ScenarioSource {
        file: src.file.clone(),
        default_name: src.default_name.clone(),
        text,
        extends: src.extends.clone(),
        own: None,
    }
}

/// Validates the scenario in each year a ramp is under way (its full value is validated with
/// the rest): the projects then in service as [`model_for_year`] builds them. A value that
/// breaks it mid-way is placed at the `ramp_years` of the first project ramping that year.
fn check_ramp_years(
    raw: &RawScenario,
    src: &ScenarioSource,
    in_service: &[(&RawProject, u16)],
) -> Result<(), Vec<Diagnostic>> {
    // A project's ramping edits: (its `set` index, N) for N > 1.
    let ramps = |p: &RawProject| -> Vec<(usize, u16)> {
        p.set
            .iter()
            .enumerate()
            .filter_map(|(k, e)| {
                let n = *e.ramp_years.as_ref()?.get_ref();
                (n > 1).then_some((k, n as u16))
            })
            .collect()
    };
    let mut years: Vec<u16> = in_service
        .iter()
        .flat_map(|&(p, y)| {
            let longest = ramps(p).iter().map(|r| r.1).max().unwrap_or(1);
            y..y.saturating_add(longest - 1)
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    for year in years {
        let active: Vec<(&RawProject, u16)> = in_service
            .iter()
            .filter(|(_, y)| *y <= year)
            .copied()
            .collect();
        let Err(m) = apply(&src.text, &active, Some(year)).and_then(|text| {
            with_projects(src, text)
                .load_plain()
                .map(drop)
                .map_err(|e| e.brief())
        }) else {
            continue;
        };
        // The first project mid-ramp in `year`, at its first edit still ramping.
        let blamed = active.iter().find_map(|&(p, y)| {
            let k = year - y + 1;
            let (i, n) = ramps(p).into_iter().find(|&(_, n)| k < n)?;
            Some((p, i, k, n))
        });
        let Some((p, i, k, n)) = blamed else { continue };
        let at = raw
            .project
            .iter()
            .position(|q| q.name.get_ref() == p.name.get_ref())
            .unwrap_or(0);
        let span = p.set[i].ramp_years.as_ref().map_or(0..0, |r| r.span());
        return Err(vec![Diagnostic::at(
            span,
            format!("project[{at}].set[{i}].ramp_years"),
            format!(
                "project `{}` makes the scenario invalid in {year}, year {k} of its {n}-year ramp: {m}",
                p.name.get_ref()
            ),
        )]);
    }
    Ok(())
}

/// A project's costs: all three or none, each in range.
fn check_costs(p: &RawProject, pp: &str, diags: &mut Vec<Diagnostic>) {
    let costs = [
        (&p.capex_cny, "capex_cny", 0.0, 1e13),
        (&p.opex_cny_per_yr, "opex_cny_per_yr", 0.0, 1e12),
        (&p.life_yr, "life_yr", 1.0, 200.0),
    ];
    let given = costs.iter().filter(|c| c.0.is_some()).count();
    for (v, key, lo, hi) in costs {
        if let Some(v) = v {
            let x = *v.get_ref();
            if !(lo..=hi).contains(&x) || (key == "life_yr" && x.fract() != 0.0) {
                diags.push(Diagnostic::at(
                    v.span(),
                    format!("{pp}.{key}"),
                    format!(
                        "expected {key} from {lo} to {hi}{}, found {x}",
                        if key == "life_yr" { " whole years" } else { "" }
                    ),
                ));
            }
        }
    }
    if given > 0 && given < 3 {
        diags.push(Diagnostic::at(
            p.name.span(),
            pp.to_string(),
            "a project's costs come as `capex_cny`, `opex_cny_per_yr` and `life_yr` together"
                .to_string(),
        ));
    }
}

/// A project's ramps: on `set` edits only, a whole number of years from 1 to 50 and, over
/// more than one, a number replacing a number (tried on the scenario as written).
fn check_ramps(p: &RawProject, pp: &str, base: Option<&toml::Table>, diags: &mut Vec<Diagnostic>) {
    for (k, e) in p.add.iter().enumerate() {
        if let Some(r) = &e.ramp_years {
            diags.push(Diagnostic::at(
                r.span(),
                format!("{pp}.add[{k}].ramp_years"),
                "`ramp_years` applies to `set` edits: what a project adds is there from its \
                 first year in service"
                    .to_string(),
            ));
        }
    }
    for (k, e) in p.set.iter().enumerate() {
        let Some(r) = &e.ramp_years else { continue };
        let n = *r.get_ref();
        let at = format!("{pp}.set[{k}].ramp_years");
        if !(1..=50).contains(&n) {
            diags.push(Diagnostic::at(
                r.span(),
                at,
                format!("expected ramp_years, whole years from 1 to 50, found {n}"),
            ));
        } else if let Some(Err(m)) = base.map(|b| ramped(b, e, Some(1))) {
            diags.push(Diagnostic::at(r.span(), at, m));
        }
    }
}

/// Checks that each of project `p`'s edits applies to the scenario as written (`base`): its
/// path, its value's type — and that none edits a rail path (the record, kept from the
/// scenario as written in every design year).
fn check_edits(p: &RawProject, pp: &str, base: &toml::Table, diags: &mut Vec<Diagnostic>) {
    let who = format!("project `{}`", p.name.get_ref());
    for (edits, mode, key) in [(&p.set, Edit::Set, "set"), (&p.add, Edit::Append, "add")] {
        for (k, e) in edits.iter().enumerate() {
            // A rail path is the record, solved once on the scenario as written and kept
            // by every design year: an edit would be silently ignored.
            if e.path.get_ref().starts_with("rail_paths") {
                diags.push(Diagnostic::at(
                    e.path.span(),
                    format!("{pp}.{key}[{k}]"),
                    "a project cannot edit `rail_paths`: they are the record, solved on the scenario as written; a project moves rail through costs, slots or demand",
                ));
                continue;
            }
            if edit_applies(base, e.path.get_ref(), e.value.get_ref(), mode) {
                continue;
            }
            // It does not apply: tried on a copy, for the edit's own message.
            let mut probe = base.clone();
            if let Err(m) = edit_path(&mut probe, e.path.get_ref(), e.value.get_ref(), mode, &who) {
                let at_value = m.contains(" gives ");
                let span = if at_value {
                    e.value.span()
                } else {
                    e.path.span()
                };
                diags.push(Diagnostic::at(span, format!("{pp}.{key}[{k}]"), m));
            }
        }
    }
}

/// A project's costs, where it gives all three (checked in [`check`]).
fn project_cost(p: &RawProject) -> Option<crate::model::ProjectCost> {
    Some(crate::model::ProjectCost {
        capex: *p.capex_cny.as_ref()?.get_ref(),
        opex_per_yr: *p.opex_cny_per_yr.as_ref()?.get_ref(),
        life_yr: *p.life_yr.as_ref()?.get_ref() as u32,
    })
}

/// The scenario as it stands in `year`: with the included projects in service by then.
///
/// Settings varied after loading (the name, `demand_multiplier`, `demand_quantile`) carry
/// over.
///
/// # Errors
/// A [`ScenarioError`] if that year's combination of projects makes the scenario invalid.
pub fn model_for_year(model: &Model, year: u16) -> Result<Model, ScenarioError> {
    let Some(projects) = &model.projects else {
        return Ok(model.clone());
    };
    let raw: RawScenario = parse_toml(&projects.text)
        .map_err(|d| ScenarioError::new(&projects.file, &projects.text, vec![d]))?;
    let active: Vec<(&RawProject, u16)> = projects
        .included
        .iter()
        .filter(|(_, y)| *y <= year)
        .filter_map(|(n, y)| {
            let p = raw.project.iter().find(|p| p.name.get_ref() == n)?;
            Some((p, *y))
        })
        .collect();
    if active.is_empty() {
        let mut m = model.clone();
        m.projects = model.projects.clone();
        return Ok(m);
    }
    let text = apply(&projects.text, &active, Some(year))
        .map_err(|m| ScenarioError::whole_file(&projects.file, m))?;
    let applied = ScenarioSource {
        file: format!("{} ({year})", projects.file),
        default_name: projects.default_name.clone(),
        text,
        extends: None,
        own: None,
    };
    let mut m = applied.load_plain()?;
    m.name = model.name.clone();
    m.settings.demand_multiplier = model.settings.demand_multiplier;
    m.settings.demand_quantile = model.settings.demand_quantile;
    m.projects = model.projects.clone();
    keep_calibration(model, &mut m);
    Ok(m)
}

/// Mode choice is calibrated on the scenario as written (its base year, before any project):
/// a design year's model keeps those constants, so that a project moves shares through the
/// costs and capacities it changes rather than being calibrated away. Legs are matched by
/// flow name (and alternative port); a leg whose modes on offer changed keeps its own.
fn keep_calibration(base: &Model, year: &mut Model) {
    for_matching_choices(base, year, |c, bc, _| c.asc = bc.asc);
    // The rail paths' shifts too, solved on the scenario as written (`RailPath`).
    year.rail_paths = base.rail_paths.clone();
}

/// Calibrates a variant of a scenario — a sweep point — on the scenario it varies: each leg's
/// constants are solved on the base's costs, with the variant's θ, value of time and shares
/// (see [`Choice::calibrate_on`](crate::model::Choice::calibrate_on)). A variant that changes a
/// tariff, a distance, hours or train slots then moves the shares, as a project would; one
/// that changes θ, the value of time or the shares reproduces its shares at the base's costs.
/// Legs are matched as in a design year's model; an unmatched leg keeps its own calibration.
pub fn calibrate_on_base(base: &Model, variant: &mut Model) {
    for_matching_choices(base, variant, |c, bc, target| c.calibrate_on(bc, target));
}

/// Calls `f` with each mode choice of `model`'s hinterland legs, the matching leg's choice in
/// `base` (same flow name and alternative port, same modes on offer) and the leg's shares.
fn for_matching_choices(
    base: &Model,
    model: &mut Model,
    mut f: impl FnMut(&mut crate::model::Choice, &crate::model::Choice, crate::model::ModeSplit),
) {
    for fl in &mut model.flows {
        let Some(b) = base.flows.iter().find(|b| b.name == fl.name) else {
            continue;
        };
        let legs = std::iter::once((fl.hinterland.as_mut(), b.hinterland.as_ref())).chain(
            fl.alternatives.iter_mut().map(|a| {
                let from = b.alternatives.iter().find(|x| x.port == a.port);
                (
                    a.hinterland.as_mut(),
                    from.and_then(|x| x.hinterland.as_ref()),
                )
            }),
        );
        for (leg, base_leg) in legs {
            let (Some(leg), Some(base_leg)) = (leg, base_leg) else {
                continue;
            };
            let target = leg.modes;
            if let (Some(c), Some(bc)) = (leg.choice.as_mut(), base_leg.choice.as_ref()) {
                if c.offered == bc.offered {
                    f(c, bc, target);
                }
            }
        }
    }
}
