//! How big a run will be, estimated from its demand before it starts, so that a run too large
//! to finish is refused up front rather than left to run for days.
//!
//! The estimate counts what drives the event loop: calls (each is announced, arrives, moves
//! through the channel, is worked in one or more steps and leaves), the steps of calls whose
//! cargo passes through a yard (each step's cargo then dwells and leaves by land as a lot),
//! trains and closures. Measured against the built-in scenarios it is within a factor of two
//! of the events actually processed (a test keeps it so); the budget it is checked against is
//! a round number far above any real study's design year.

use crate::model::{Arrivals, Departure, Flow, Model, PortId};

/// Events a run (one design year of one replication) may take unless told otherwise:
/// ≈ 130 design years of the Liaoning baseline (0.75 M events each), ≈ 15 s on one core.
pub const DEFAULT_MAX_EVENTS: u64 = 100_000_000;

/// Events a call takes besides its yard steps: announced (it arrives at once or by an
/// event), its work done, with room for a re-check.
const EVENTS_PER_CALL: f64 = 3.0;
/// Events a call takes in and out of a channel: transit in, tide, transit out.
const EVENTS_PER_CHANNEL: f64 = 3.0;
/// Events a yard step takes: the step itself, and its lot's dwell and departure by land.
const EVENTS_PER_STEP: f64 = 3.0;
/// Events a train takes: its slot or check, loading on a track, departure, return.
const EVENTS_PER_TRAIN: f64 = 4.0;

/// The estimated size of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSize {
    /// Calls over the whole run (warm-up included).
    pub calls: f64,
    /// Events over the whole run.
    pub events: f64,
}

/// Estimates the size of one run of `model` (the model of its design year) in `year`.
pub fn estimate(model: &Model, year: u16) -> RunSize {
    let years = (model.settings.warmup_days + model.settings.measured_days) / 365.0;
    let mut calls = 0.0;
    let mut events = 0.0;
    for flow in &model.flows {
        let volume = flow.volume_per_yr * model.growth_factor(flow, year);
        if let Arrivals::Tramp { ships, .. } = &flow.arrivals {
            for &(class, share) in ships {
                let parcel = model.ship_classes[class.index()].parcel.mean();
                let n = volume * share / parcel;
                calls += n;
                events +=
                    n * (per_call(model, flow.port) + EVENTS_PER_STEP * steps(model, flow, parcel));
            }
        }
    }
    for svc in &model.services {
        if svc.flows.is_empty() && svc.onward_flows.is_empty() {
            continue;
        }
        let n = svc.calls_per_week * 365.0 / 7.0;
        calls += n;
        events += n * per_call(model, svc.port);
        for f in svc.flows.iter().chain(&svc.onward_flows) {
            let flow = &model.flows[f.index()];
            let per_call = flow.volume_per_yr * model.growth_factor(flow, year) / n;
            events += n * EVENTS_PER_STEP * steps(model, flow, per_call);
        }
    }
    for k in &model.corridors {
        let per_day = match &k.departure {
            Departure::Timetable { times_h } => times_h.len() as f64,
            Departure::WhenFull { slots_per_day, .. } => f64::from(*slots_per_day),
        };
        events += per_day * 365.0 * EVENTS_PER_TRAIN;
    }
    for port in &model.ports {
        for c in &port.closures {
            events += 2.0 * c.episodes_per_month * c.months.len() as f64;
        }
    }
    RunSize {
        calls: calls * years,
        events: events * years,
    }
}

/// Events a call at `port` takes besides its yard steps.
fn per_call(model: &Model, port: PortId) -> f64 {
    let channel = model.ports[port.index()]
        .areas
        .iter()
        .any(|a| model.areas[a.index()].channel.is_some());
    EVENTS_PER_CALL + if channel { EVENTS_PER_CHANNEL } else { 0.0 }
}

/// Yard steps for `amount` of a flow's cargo at one call: none if it does not pass through a
/// yard; otherwise the amount over the step (2 h of the slowest berth's work, or 2 % of the
/// yard, whichever is more), at least one.
fn steps(model: &Model, flow: &Flow, amount: f64) -> f64 {
    let Some(t) = flow.yard_terminal() else {
        return 0.0;
    };
    let terminal = &model.terminals[t.index()];
    let slowest = model
        .berths
        .iter()
        .filter(|b| b.port == terminal.port && b.cargo.contains(flow.cargo))
        .map(|b| b.rate_per_h(flow.cargo))
        .filter(|&r| r > 0.0)
        .fold(f64::INFINITY, f64::min);
    let by_time = if slowest.is_finite() {
        slowest * super::run::STEP_H
    } else {
        0.0
    };
    let cap = terminal.yard.capacity(flow.cargo);
    let by_yard = if cap.is_finite() {
        cap * super::run::STEP_YARD_SHARE
    } else {
        0.0
    };
    let step = by_time.max(by_yard);
    if step > 0.0 {
        (amount / step).ceil().max(1.0)
    } else {
        1.0
    }
}
