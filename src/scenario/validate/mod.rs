//! From the raw file to a [`Model`]: resolve names, check every number against its physical
//! range, collect every problem.
//!
//! One file per section of a scenario file, in the order the model is built (each section may
//! refer only to what came before it):
//!
//! | file | reads |
//! |---|---|
//! | `run` | `[run]`, `[units]`, `name`, `policy` |
//! | `ships` | `[[ship_classes]]` |
//! | `ports`, `terminals` | `[[ports]]` → areas, channels → terminals → berths, yards, gates |
//! | `goals` | `[emissions]`, `[planning]`, `[[targets]]` |
//! | `hinterland`, `corridors` | `[[regions]]`, a flow's hinterland leg; `[[corridors]]` |
//! | `services` | `[[services]]` |
//! | `flows`, `growth`, `routes` | `[[flows]]`, `[growth]`; hubs, feeder legs, alternative ports |
//!
//! `checker` is the one place diagnostics are collected and numbers and distributions are
//! checked; `limits` holds every number's physical range; `names` resolves names with hints.
//! Projects are checked in `scenario::projects`, against models built here.

mod checker;
mod choice;
mod corridors;
mod disruptions;
mod economics;
mod fleet;
mod flows;
mod goals;
mod growth;
mod hinterland;
mod limits;
mod names;
mod ports;
mod rail_paths;
mod routes;
mod run;
mod services;
mod ships;
mod stock;
mod terminals;

use super::location::Diagnostic;
use super::raw::RawScenario;
use crate::model::{CargoClass, Emissions, Model, Planning, PortId, ShipClassId, TerminalId};
use checker::Checker;
use names::Names;

pub(crate) use goals::{Variant, rows_added_by_projects};

/// Validates a parsed scenario and builds its model, or returns every problem found.
///
/// With `rows_from_projects` (a scenario that includes projects, or one with projects applied),
/// a goal on a row the scenario lacks is left for [`rows_added_by_projects`]: a project may add
/// it by the goal's year.
pub fn validate(
    raw: &RawScenario,
    default_name: &str,
    rows_from_projects: bool,
) -> Result<Model, Vec<Diagnostic>> {
    let mut c = Checker::default();
    let mut names = Names::default();
    let (settings, teu_per_move) = run::settings(&mut c, raw);
    let ship_classes = ships::ship_classes(&mut c, &raw.ship_classes, &mut names);
    let infra = ports::ports(&mut c, &raw.ports, teu_per_move, &mut names);
    let mut model = Model {
        name: run::name(&mut c, raw, default_name),
        description: raw.description.clone(),
        settings,
        ports: infra.ports,
        areas: infra.areas,
        terminals: infra.terminals,
        berths: infra.berths,
        ship_classes,
        flows: Vec::new(),
        services: Vec::new(),
        regions: Vec::new(),
        corridors: Vec::new(),
        mode_choice: choice::mode_choice(&mut c, raw),
        planning: Planning::default(),
        emissions: Emissions::default(),
        targets: Vec::new(),
        demand_paths: Vec::new(),
        rail_paths: Vec::new(),
        projects: None,
        berth_outages: Vec::new(),
        rail_outages: Vec::new(),
        economics: None,
    };
    economics::economics(&mut c, raw, &mut model);
    goals::emissions(&mut c, raw, &mut model);
    goals::planning(&mut c, raw, &mut model);
    model.regions = hinterland::regions(&mut c, raw, &mut names);
    corridors::corridors(&mut c, raw, &names, &mut model);
    services::services(&mut c, raw, &mut names, &mut model);
    flows::flows(&mut c, raw, &names, &mut model);
    rail_paths::rail_paths(&mut c, raw, &mut model);
    goals::targets(&mut c, raw, &mut model, rows_from_projects);
    disruptions::disruptions(&mut c, raw, &mut model);
    if c.diags.is_empty() {
        Ok(model)
    } else {
        let mut d = c.diags;
        d.sort_by_key(|x| x.span.as_ref().map_or(usize::MAX, |s| s.start));
        Err(d)
    }
}

/// Why a ship class fits no berth of a port (or of one terminal) for a cargo, or `None` if it
/// fits one.
fn fits(
    model: &Model,
    port: PortId,
    class: ShipClassId,
    cargo: CargoClass,
    terminal: Option<TerminalId>,
) -> Option<String> {
    let sc = &model.ship_classes[class.index()];
    if !model
        .compatible_berths(port, terminal, sc, cargo)
        .is_empty()
    {
        return None;
    }
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
}
