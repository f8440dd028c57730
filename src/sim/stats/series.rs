//! Daily series of a run (when asked for): ships waiting per port and cargo class, yard
//! occupancy per terminal, trains per rail corridor — each day of the measured period.

use super::RunStats;
use crate::model::{CargoClass, Model};
use crate::results::DaySeries;

/// The series names, in `series.csv`.
pub const SERIES: [&str; 3] = ["ships_waiting", "yard_occupancy", "trains"];

/// Every daily series the run recorded, in a fixed order: (port, cargo) pairs ships may call at,
/// terminals with a finite yard, corridors (empty if none were recorded).
pub fn day_series(model: &Model, stats: &RunStats) -> Vec<DaySeries> {
    let w = stats.window;
    let days = w.days();
    let mut out = Vec::new();
    for (p, port) in model.ports.iter().enumerate() {
        for cargo in CargoClass::ALL {
            let s = &stats.slots[super::slot_of(p, cargo)];
            // Every pair a flow's ships may call at (its port or, under integrated operation,
            // an alternative), whether or not one came this time, so that every replication
            // has the same series.
            let has_flow = model.flows.iter().any(|f| {
                f.cargo == cargo
                    && (f.port.index() == p || f.alternatives.iter().any(|a| a.port.index() == p))
            });
            if s.waiting_daily.is_empty() || !has_flow {
                continue;
            }
            out.push(DaySeries {
                port: port.name.clone(),
                cargo: cargo.name().to_string(),
                series: SERIES[0],
                // The day's mean number of ships waiting: its ship-ticks over its ticks.
                values: (0..days)
                    .map(|d| s.waiting_daily[d] as f64 / w.day_ticks(d) as f64)
                    .collect(),
            });
        }
    }
    for (t, term) in model.terminals.iter().enumerate() {
        let ts = &stats.terminals[t];
        let y = &term.yard;
        let t_per_teu = model.settings.t_per_teu;
        // Capacity-weighted over the finite pools, in tonnes, as `yard_occupancy_mean`.
        let pools: Vec<(usize, f64, f64)> = [
            (0, y.capacity_teu * t_per_teu, t_per_teu),
            (1, y.capacity_t, 1.0),
        ]
        .into_iter()
        .filter(|p| p.1.is_finite())
        .collect();
        if ts.yard_area_daily.is_empty() || pools.is_empty() {
            continue;
        }
        let cap: f64 = pools.iter().map(|p| p.1).sum();
        out.push(DaySeries {
            port: super::row_shapes::terminal_row(model, term),
            cargo: "ALL".into(),
            series: SERIES[1],
            values: (0..days)
                .map(|d| {
                    let ticks = w.day_ticks(d) as f64;
                    let stock: f64 = pools
                        .iter()
                        .map(|&(u, _, f)| ts.yard_area_daily[d][u] as f64 * f / ticks)
                        .sum();
                    stock / cap
                })
                .collect(),
        });
    }
    for (c, k) in model.corridors.iter().enumerate() {
        let cs = &stats.corridors[c];
        if cs.trains_daily.is_empty() {
            continue;
        }
        out.push(DaySeries {
            port: super::row_shapes::corridor_row(model, k),
            cargo: "ALL".into(),
            series: SERIES[2],
            values: cs.trains_daily.iter().map(|&n| f64::from(n)).collect(),
        });
    }
    out
}
