//! How big a run will be, estimated from its demand before it starts, so that a run too large
//! to finish is refused up front rather than left to run for days.
//!
//! The estimate counts what drives the event loop: calls (each is announced, arrives, moves
//! through the channel, is worked in one or more steps and leaves), the steps of calls whose
//! cargo passes through a yard (averaged over the berth's rate noise; each step's cargo then
//! dwells and leaves by land as a lot per mode), trains and their checks, and closures. It is
//! made from demand, so it errs high: 1.5× the events actually run on the built-ins (a test
//! keeps them within 2×) and 1.9× the mean on a small terminal with three land modes and a
//! berth rate as noisy as it gets (cv 2: its replications run 160 to 8,545 events; a test
//! keeps ten replications' mean within 1–3×), and more for a terminal that falls behind for
//! good, whose demand implies work the run never reaches.
//! The budget it is checked against is a round number far above any real study's design year.

use crate::model::{Arrivals, Departure, Direction, Flow, Model, PortId, ShipClass};

/// Events a run (one design year of one replication) may take unless told otherwise:
/// ≈ 130 design years of the Liaoning baseline (0.75 M events each), ≈ 15 s on one core.
pub const DEFAULT_MAX_EVENTS: u64 = 100_000_000;

/// Events a call takes besides its yard steps: announced (it arrives at once or by an
/// event), its work done, with room for a re-check.
const EVENTS_PER_CALL: f64 = 3.0;
/// Events a call takes in and out of a channel: transit in, tide, transit out.
const EVENTS_PER_CHANNEL: f64 = 3.0;
/// Events a train takes: its slot or check, loading on a track, departure, return.
const EVENTS_PER_TRAIN: f64 = 4.0;
/// Draws of a berth's rate noise the step estimate averages over (a fixed stream: the
/// estimate, like everything else, is the same on every run).
const NOISE_DRAWS: usize = 256;

/// The estimated size of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSize {
    /// Calls over the whole run (warm-up included).
    pub calls: f64,
    /// Events over the whole run.
    pub events: f64,
}

/// Estimates the size of one run of `model` (the model of its design year) in `year`, at the
/// highest demand a replication can draw.
pub fn estimate(model: &Model, year: u16) -> RunSize {
    let years = (model.settings.warmup_days + model.settings.measured_days) / 365.0;
    let mut calls = 0.0;
    let mut events = 0.0;
    for flow in &model.flows {
        let volume = flow.volume_per_yr * model.growth_factor_high(flow, year);
        if let Arrivals::Tramp { ships, .. } = &flow.arrivals {
            for &(class, share) in ships {
                let parcel = model.ship_classes[class.index()].parcel.mean();
                let n = volume * share / parcel;
                calls += n;
                let class = &model.ship_classes[class.index()];
                events +=
                    n * (per_call(model, flow.port) + yard_events(model, flow, class, parcel));
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
            let per_call = flow.volume_per_yr * model.growth_factor_high(flow, year) / n;
            let class = &model.ship_classes[svc.ship_class.index()];
            events += n * yard_events(model, flow, class, per_call);
        }
    }
    // Rail cargo a year per corridor and direction: imports out of the port, exports into it
    // (by the rail share), and hub cargo each way (a lot an event on top of its trains').
    let mut rail = vec![[0.0; 2]; model.corridors.len()];
    for flow in &model.flows {
        if let Some(h) = &flow.hinterland {
            if let Some(c) = h.corridor {
                let dir = usize::from(flow.direction == Direction::Export);
                rail[c.index()][dir] +=
                    flow.volume_per_yr * model.growth_factor_high(flow, year) * h.modes.rail;
            }
        }
    }
    for (k, rail) in model.corridors.iter().zip(rail.iter_mut()) {
        if let Some(hub) = &k.hub {
            let f = model.hub_factor(hub, year);
            let lot = hub.lot.round().max(1.0);
            rail[0] += hub.out_per_yr * f;
            rail[1] += hub.in_per_yr * f;
            events += (hub.out_per_yr + hub.in_per_yr) * f / lot;
        }
        events += train_events(&k.departure, k.train_capacity, rail[0]);
        events += train_events(&k.inbound, k.train_capacity, rail[1]);
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

/// Events of a rail corridor in a year: a timetable's slots fire whether or not a train runs;
/// a when-full corridor re-checks at its maximum wait; trains run as the cargo fills them, at
/// most one a slot.
fn train_events(departure: &Departure, capacity: f64, rail_per_yr: f64) -> f64 {
    if rail_per_yr <= 0.0 && matches!(departure, Departure::WhenFull { .. }) {
        return 0.0;
    }
    let (slots_per_day, checks_per_day) = match departure {
        Departure::Timetable { times_h } => (times_h.len() as f64, times_h.len() as f64),
        Departure::WhenFull {
            slots_per_day,
            max_wait_h,
        } => (f64::from(*slots_per_day), 1.0 + 24.0 / max_wait_h),
    };
    // Full trains, and at most about one partly loaded train a day more (a timetable's empty
    // slot runs none; a when-full corridor sends what waited its limit); re-checks happen only
    // while cargo waits.
    let trains = (rail_per_yr / capacity + 365.0).min(slots_per_day * 365.0);
    let checks = (checks_per_day * 365.0).min(trains + 365.0);
    checks + trains * EVENTS_PER_TRAIN
}

/// Events a call at `port` takes besides its yard steps.
fn per_call(model: &Model, port: PortId) -> f64 {
    let channel = model.ports[port.index()]
        .areas
        .iter()
        .any(|a| model.areas[a.index()].channel.is_some());
    EVENTS_PER_CALL + if channel { EVENTS_PER_CHANNEL } else { 0.0 }
}

/// Events of the yard steps of `amount` of a flow's cargo at one call: none if it does not
/// pass through a yard. Each step is an event, and its cargo a lot per mode in use, which
/// becomes ready and then leaves (two events each), with a diversion check where rail cargo
/// may divert; transshipment cargo waits in the yard for its onward call's step instead.
fn yard_events(model: &Model, flow: &Flow, class: &ShipClass, amount: f64) -> f64 {
    let per_step = match &flow.hinterland {
        Some(h) => {
            let modes = [h.modes.rail, h.modes.road, h.modes.pipeline]
                .iter()
                .filter(|&&s| s > 0.0)
                .count() as f64;
            let divert = h
                .corridor
                .is_some_and(|c| model.corridors[c.index()].divert_to_road_after_h.is_some());
            1.0 + 2.0 * modes + f64::from(u8::from(divert))
        }
        None => 2.0,
    };
    per_step * steps(model, flow, class, amount)
}

/// Yard steps for `amount` of a flow's cargo at one call of a ship of `class`: none if it does
/// not pass through a yard; otherwise the amount over the step (2 h of the slowest berth's work
/// on such a ship at its noisy rate, or 2 % of the yard, whichever is more), at least one,
/// averaged over the rate noise.
fn steps(model: &Model, flow: &Flow, class: &ShipClass, amount: f64) -> f64 {
    let Some(t) = flow.yard_terminal() else {
        return 0.0;
    };
    let terminal = &model.terminals[t.index()];
    let slowest = model
        .berths
        .iter()
        .filter(|b| b.port == terminal.port && b.cargo.contains(flow.cargo))
        .filter(|b| b.rate_for(class, flow.cargo) > 0.0)
        .min_by(|a, b| {
            a.rate_for(class, flow.cargo)
                .total_cmp(&b.rate_for(class, flow.cargo))
        });
    let cap = terminal.yard.capacity(flow.cargo);
    let by_yard = if cap.is_finite() {
        cap * super::run::STEP_YARD_SHARE
    } else {
        f64::INFINITY
    };
    let count = |step: f64| {
        if step > 0.0 {
            (amount / step).ceil().max(1.0)
        } else {
            1.0
        }
    };
    let Some(b) = slowest else {
        return count(by_yard);
    };
    let work = b.rate_for(class, flow.cargo) * super::run::STEP_H;
    // As the run draws it: a gamma factor of mean 1, never below 5 % (`work.rs`).
    let noise = (b.rate_cv > 0.0)
        .then(|| crate::model::Dist::gamma(1.0, b.rate_cv).ok())
        .flatten();
    match noise {
        None => count((work).max(by_yard)),
        Some(d) => {
            let mut rng = crate::engine::stream(0, "budget/rate-noise");
            (0..NOISE_DRAWS)
                .map(|_| count((work * d.sample(&mut rng).max(0.05)).max(by_yard)))
                .sum::<f64>()
                / NOISE_DRAWS as f64
        }
    }
}
