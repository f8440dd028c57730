//! One design year of one replication: the port processes driven by the event loop.
//!
//! A call's life:
//!
//! ```text
//! arrive at anchorage ─► wait for a compatible berth (FCFS, liners first, smallest berth first)
//!   ─► berth reserved ─► wait for closure / tide / one-way channel ─► inbound transit
//!   ─► moored: service = mooring + parcel / rate (paused by handling closures)
//!   ─► wait at berth for closure / tide / channel ─► unmoor (berth freed) ─► outbound transit
//! ```
//!
//! Waiting (arrival to the start of the inbound transit) is booked to exactly one cause at
//! every instant, so the causes add up to the total.

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::calendar::{MONTH_DAYS, month_of, month_start_h};
use super::stats::{Cause, RunStats, Window, kpi_rows, slot_of};
use crate::engine::{
    Scheduler, SimDuration, SimTime, StreamRng, TICKS_PER_HOUR, replication_seed, stream,
};
use crate::model::{
    Arrivals, BerthId, CargoClass, Direction, Dist, FlowId, Model, ServiceId, ShipClassId,
};
use crate::results::{CallRecord, LedgerRow, RunResult};

/// What to record besides the KPIs.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimOptions {
    /// Keep one [`CallRecord`] per completed call (memory grows with calls; for tests).
    pub record_calls: bool,
}

/// A run that broke one of the engine's invariants (a bug, not bad input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError(pub String);

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internal error in the simulation: {}", self.0)
    }
}

impl std::error::Error for SimError {}

#[derive(Clone, Copy, Debug)]
enum Event {
    /// A call source announces its next call (ahead of arrival when exports must reach the
    /// yard before their ship).
    Announce(u32),
    Arrive(u32),
    TideReady(u32),
    TransitInDone(u32),
    StepDone(u32, u32),
    TransitOutDone(u32),
    ClosureStart(u32, bool, bool),
    ClosureEnd(u32, bool, bool),
    /// Landside events (see `landside`).
    Land(landside::LandEvent),
    /// A ship's block on a full yard (its `block_seq`-th) has lasted the terminal's overflow
    /// limit. (Kept to two `u32`s: the event's size is the scheduler's hot path.)
    YardOverflow(u32, u32),
}

// Same-time order: closures first (they change what others may do), then cargo work, channel
// movements, arrivals.
const P_CLOSURE: u16 = 0;
const P_SERVICE: u16 = 1;
const P_TRANSIT: u16 = 2;
const P_TIDE: u16 = 3;
const P_ARRIVAL: u16 = 4;
const P_LAND: u16 = 2;

/// Cargo work at a berth proceeds in steps when it involves the yard, so that a full yard can
/// stop discharge part-way: steps of this many hours of work, or of this share of the yard's
/// capacity if that is more (large stockyards need no finer grain).
const STEP_H: f64 = 2.0;
const STEP_YARD_SHARE: f64 = 0.02;

mod landside;

enum GenKind {
    Tramp {
        flow: FlowId,
        class: ShipClassId,
        mean_gap_h: f64,
        season: [f64; 12],
        season_max: f64,
        arrivals: StreamRng,
        parcels: StreamRng,
        /// The next call's arrival, hours since the run start.
        next_arrival_h: f64,
    },
    Liner {
        service: ServiceId,
        /// The next scheduled call, ticks.
        next_slot: i64,
        headway: SimDuration,
        rng: StreamRng,
        sizes: StreamRng,
        means: Vec<(FlowId, f64)>,
        /// Onward transshipment flows and the most one call takes of each.
        onward: Vec<(FlowId, u64)>,
    },
}

struct Generator {
    kind: GenKind,
    /// Whether any of its flows has a hinterland leg (its calls then work through the yard).
    uses_yard: bool,
    /// Whether its calls carry several flows (their lots are then put in working order).
    several_flows: bool,
    /// Whether any of its flows is an export that reaches the port by land.
    land_exports: bool,
    /// How far ahead of arrival calls are announced, ticks (the longest export lead time).
    horizon: i64,
    class: ShipClassId,
    cargo: CargoClass,
    service_h: Option<(Dist, StreamRng)>,
    /// The ports its calls may go to: the flow's own first, then its alternatives (used under
    /// the integrated policy).
    candidates: Vec<Candidate>,
}

/// A port a call may go to.
struct Candidate {
    /// Which port: 0 the flow's own, k its alternative k − 1.
    port_choice: usize,
    /// The berth queue (compatible berths) at that port.
    group: usize,
    /// The (port, cargo) statistics slot.
    slot: usize,
    /// Hinterland haul from that port, per cargo unit.
    haul_cost: f64,
    /// Expected hours at berth there (mooring + mean parcel / rate of its first berth).
    mean_service_h: f64,
}

struct Group {
    queue: VecDeque<u32>,
    berths: Vec<BerthId>,
    priority: u8,
}

const NO_BERTH: u32 = u32::MAX;

/// What `try_transit` did with a ship.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transit {
    /// It started its transit (or, with no channel, moved at once).
    Started,
    /// It joined the back of the one-way channel's queue.
    QueuedForChannel,
    /// It waits for a closure to end or for the tide.
    Waiting,
}

/// What a ship's current step of work at the berth does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Step {
    /// Nothing under way.
    #[default]
    Idle,
    /// Mooring, or the whole call's work when no yard is involved.
    Plain,
    /// Discharging into the yard of a terminal: `amount` of lot `lot`.
    Discharge { lot: usize, amount: u64 },
    /// Loading from the yard: `amount` of lot `lot`.
    Load { lot: usize, amount: u64 },
}

/// One flow's cargo on a call.
#[derive(Clone, Copy, Debug)]
struct CallLot {
    flow: FlowId,
    /// Cargo units (for an onward transshipment lot: 0 until drawn from the yard).
    amount: u64,
    /// Loaded onto the ship here (an export, or a transshipment's onward leg); otherwise
    /// discharged.
    loads: bool,
    /// An onward transshipment lot: its amount is what the yard holds when loading starts,
    /// up to this cap.
    draw_cap: Option<u64>,
}

#[derive(Default)]
struct Ship {
    source: u32,
    /// The candidate port chosen at arrival (0: the flow's own).
    candidate: u8,
    /// The berth queue it joined (its port's, for the class).
    group: u32,
    /// Its (port, cargo) statistics slot.
    slot: u32,
    seq: u64,
    /// Cargo per flow: discharged lots first, then loaded lots.
    lots: Vec<CallLot>,
    total: u64,
    arrival: i64,
    /// Net handling rate for this call, cargo units per hour.
    rate: f64,
    /// Whether any lot goes through the yard (then work runs in steps).
    uses_yard: bool,
    /// Work position: the lot being worked and how much of it is left.
    cursor: usize,
    lot_left: u64,
    /// Discharge lots interrupted by a full yard and moved later in the call (dual cycling):
    /// (their new position, what is left of them).
    deferred: Vec<(usize, u64)>,
    moored_done: bool,
    step: Step,
    step_end: i64,
    /// Ticks blocked so far (full yard, export cargo not yet delivered).
    blocked: i64,
    /// When the current block began (-1: not blocked).
    blocked_since: i64,
    /// The call may discharge into overflow space (it waited the terminal's limit for yard
    /// space).
    overflow: bool,
    /// Blocks on a full yard so far (kept across reuse of the ship's slot, so that a stale
    /// overflow timer never matches a later block).
    block_seq: u32,
    /// Export deliveries not yet in the yard.
    exports_pending: u32,
    waiting_exports: bool,
    cause: Option<Cause>,
    cause_since: i64,
    waits: [i64; 4],
    berth: u32,
    berthed_at: i64,
    work_left: i64,
    version: u32,
    paused: bool,
    outbound: bool,
    one_way: bool,
    arrival_draft_m: f64,
    departure_draft_m: f64,
}

#[derive(Default)]
struct PortState {
    channel_closed: u32,
    handling_closed: u32,
    closure_waiters: Vec<u32>,
}

#[derive(Default)]
struct ChannelState {
    in_transit: u32,
    exclusive: bool,
    waiters: VecDeque<u32>,
}

struct Sim<'m> {
    model: &'m Model,
    sched: Scheduler<Event>,
    gens: Vec<Generator>,
    groups: Vec<Group>,
    berth_groups: Vec<Vec<u32>>,
    berth_occupant: Vec<u32>,
    berth_rng: Vec<Option<(StreamRng, Dist)>>,
    ships: Vec<Ship>,
    free_ships: Vec<u32>,
    next_seq: u64,
    ports: Vec<PortState>,
    channels: Vec<ChannelState>,
    stats: RunStats,
    warmup_h: f64,
    calls: Option<Vec<CallRecord>>,
    error: Option<SimError>,
    land: landside::Landside,
}

/// Simulates one design year of one replication.
///
/// The random streams come from `(master_seed, year, replication)` and the names of what they
/// drive, never from the scenario's name, so scenarios that differ only in infrastructure or
/// policy see the same ships.
///
/// # Errors
/// [`SimError`] if an internal invariant breaks (conservation, event order): a bug to report.
pub fn simulate(
    model: &Model,
    year: u16,
    replication: u32,
    master_seed: u64,
    options: &SimOptions,
) -> Result<RunResult, SimError> {
    let seed = replication_seed(master_seed, year, replication);
    let warmup_h = model.settings.warmup_days * 24.0;
    let start = SimTime::from_hours(warmup_h).0;
    let end = SimTime::from_hours(warmup_h + model.settings.measured_days * 24.0).0;
    let window = Window { start, end };
    let mut sim = Sim::new(model, year, seed, window, warmup_h, options);
    sim.run_until(SimTime(start));
    // Cargo in port when measurement begins.
    for s in &mut sim.stats.slots {
        s.in_port_start = s.in_port;
    }
    sim.run_until(SimTime(end));
    if let Some(e) = sim.error.take() {
        return Err(e);
    }
    // Ships still at berth keep their berths busy to the end of the window.
    for (b, &occ) in sim.berth_occupant.iter().enumerate() {
        if occ != NO_BERTH {
            let ship = &sim.ships[occ as usize];
            if is_moored(ship, b as u32) {
                sim.stats.berth_busy[b] += window.overlap(ship.berthed_at, end);
            }
        }
    }
    sim.finish_landside();
    sim.stats.finish();
    let mut ledger = Vec::new();
    let mut seen = vec![false; sim.stats.slots.len()];
    let served = model.flows.iter().flat_map(|f| {
        std::iter::once(f.port)
            .chain(f.alternatives.iter().map(|a| a.port))
            .map(move |p| (p, f.cargo))
    });
    for (port, cargo) in served {
        let slot = slot_of(port.index(), cargo);
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        let s = &sim.stats.slots[slot];
        let row = LedgerRow {
            port: port.index(),
            cargo,
            in_port_start: s.in_port_start,
            arrived: s.arrived,
            departed: s.departed,
            in_port_end: s.in_port,
        };
        if !row.balances() {
            return Err(SimError(format!(
                "cargo not conserved at {} for {}: {row:?}",
                model.ports[row.port].name, row.cargo
            )));
        }
        ledger.push(row);
    }
    let kpis = kpi_rows(model, &sim.stats);
    Ok(RunResult {
        year,
        replication,
        kpis,
        calls: sim.calls.take().unwrap_or_default(),
        ledger,
        ships: sim.next_seq,
        events: sim.sched.processed(),
        peak_ships_in_port: sim.ships.len(),
    })
}

/// A ship occupies its berth physically from mooring (`berthed_at` set) until it unmoors.
fn is_moored(ship: &Ship, berth: u32) -> bool {
    ship.berth == berth && ship.berthed_at >= 0
}

fn ticks(h: f64) -> i64 {
    SimDuration::from_hours(h).0
}

impl<'m> Sim<'m> {
    fn new(
        model: &'m Model,
        year: u16,
        seed: u64,
        window: Window,
        warmup_h: f64,
        options: &SimOptions,
    ) -> Self {
        let mut gens = Vec::new();
        let mut groups = Vec::new();
        let mut berth_groups = vec![Vec::new(); model.berths.len()];
        let hours_per_year = 365.0 * 24.0;
        for (fi, flow) in model.flows.iter().enumerate() {
            let Arrivals::Tramp { ships, seasonality } = &flow.arrivals else {
                continue;
            };
            let growth = model.growth_factor(flow, year);
            // Normalise the monthly factors to a day-weighted mean of 1, so the annual volume
            // is what the flow states whatever the pattern.
            let weighted: f64 = seasonality
                .iter()
                .zip(MONTH_DAYS)
                .map(|(s, d)| s * f64::from(d))
                .sum::<f64>()
                / 365.0;
            let season = seasonality.map(|s| s / weighted);
            let season_max = season.iter().copied().fold(0.0, f64::max);
            for &(class_id, share) in ships {
                let class = &model.ship_classes[class_id.index()];
                let calls_per_yr = flow.volume_per_yr * growth * share / class.parcel.mean();
                if calls_per_yr <= 0.0 {
                    continue;
                }
                let key = format!("{}/{}", flow.name, class.name);
                gens.push(Generator {
                    uses_yard: flow.through_yard(),
                    several_flows: false,
                    land_exports: flow.hinterland.is_some() && flow.direction == Direction::Export,
                    horizon: landside::export_horizon(
                        model,
                        std::slice::from_ref(&FlowId(fi as u32)),
                    ),
                    kind: GenKind::Tramp {
                        flow: FlowId(fi as u32),
                        class: class_id,
                        mean_gap_h: hours_per_year / calls_per_yr,
                        season,
                        season_max,
                        arrivals: stream(seed, &format!("arrivals/{key}")),
                        parcels: stream(seed, &format!("parcel/{key}")),
                        next_arrival_h: 0.0,
                    },
                    class: class_id,
                    candidates: Vec::new(),
                    cargo: flow.cargo,
                    service_h: flow
                        .service_h
                        .clone()
                        .map(|d| (d, stream(seed, &format!("service/{key}")))),
                });
                // A berth queue at the flow's port, and at each alternative port.
                let ports = std::iter::once((flow.port, flow.terminal, flow.haul_cost_per_t))
                    .chain(
                        flow.alternatives
                            .iter()
                            .map(|a| (a.port, None, a.haul_cost_per_t)),
                    );
                for (k, (port, terminal, haul)) in ports.enumerate() {
                    let berths = model.compatible_berths(port, terminal, class, flow.cargo);
                    if k > 0 && berths.is_empty() {
                        continue; // this class does not fit there: it keeps to its own port
                    }
                    let mean_service_h = match &flow.service_h {
                        Some(d) => d.mean(),
                        None => berths.first().map_or(f64::INFINITY, |b| {
                            let b = &model.berths[b.index()];
                            b.mooring_h + class.parcel.mean() / b.rate_per_h(flow.cargo)
                        }),
                    };
                    let g = gens.len() - 1;
                    gens[g].candidates.push(Candidate {
                        port_choice: k,
                        group: groups.len(),
                        slot: slot_of(port.index(), flow.cargo),
                        haul_cost: haul,
                        mean_service_h,
                    });
                    groups.push(Group {
                        queue: VecDeque::new(),
                        berths,
                        priority: 1,
                    });
                }
            }
        }
        for (si, svc) in model.services.iter().enumerate() {
            if svc.flows.is_empty() && svc.onward_flows.is_empty() {
                continue; // all its cargo goes through the hub (hub-feeder policy): no calls
            }
            let calls_per_yr = svc.calls_per_week * 365.0 / 7.0;
            let means: Vec<(FlowId, f64)> = svc
                .flows
                .iter()
                .map(|&f| {
                    let flow = &model.flows[f.index()];
                    (
                        f,
                        flow.volume_per_yr * model.growth_factor(flow, year) / calls_per_yr,
                    )
                })
                .collect();
            // An onward call takes what waits in the yard, up to twice its mean share.
            let onward: Vec<(FlowId, u64)> = svc
                .onward_flows
                .iter()
                .map(|&f| {
                    let flow = &model.flows[f.index()];
                    let mean = flow.volume_per_yr * model.growth_factor(flow, year) / calls_per_yr;
                    (f, (2.0 * mean).ceil() as u64)
                })
                .collect();
            let class = &model.ship_classes[svc.ship_class.index()];
            let cargo = model.ship_classes[svc.ship_class.index()].cargo;
            gens.push(Generator {
                uses_yard: !onward.is_empty()
                    || svc
                        .flows
                        .iter()
                        .any(|f| model.flows[f.index()].through_yard()),
                several_flows: svc.flows.len() + onward.len() > 1,
                land_exports: svc.flows.iter().any(|f| {
                    let flow = &model.flows[f.index()];
                    flow.hinterland.is_some() && flow.direction == Direction::Export
                }),
                horizon: landside::export_horizon(model, &svc.flows),
                kind: GenKind::Liner {
                    service: ServiceId(si as u32),
                    next_slot: 0,
                    headway: SimDuration::from_hours(168.0 / svc.calls_per_week),
                    rng: stream(seed, &format!("liner/{}", svc.name)),
                    sizes: stream(seed, &format!("call-size/{}", svc.name)),
                    means,
                    onward,
                },
                class: svc.ship_class,
                cargo,
                service_h: None,
                candidates: vec![Candidate {
                    port_choice: 0,
                    group: groups.len(),
                    slot: slot_of(svc.port.index(), cargo),
                    haul_cost: 0.0,
                    mean_service_h: 0.0,
                }],
            });
            groups.push(Group {
                queue: VecDeque::new(),
                berths: model.compatible_berths(svc.port, svc.terminal, class, cargo),
                priority: 0,
            });
        }
        for (g, group) in groups.iter().enumerate() {
            for b in &group.berths {
                berth_groups[b.index()].push(g as u32);
            }
        }
        let berth_rng = model
            .berths
            .iter()
            .map(|b| {
                (b.rate_cv > 0.0).then(|| {
                    (
                        stream(seed, &format!("berth-rate/{}", b.name)),
                        Dist::gamma(1.0, b.rate_cv).expect("validated rate_cv > 0"),
                    )
                })
            })
            .collect();
        let mut sim = Sim {
            model,
            sched: Scheduler::new(),
            gens,
            groups,
            berth_groups,
            berth_occupant: vec![NO_BERTH; model.berths.len()],
            berth_rng,
            ships: Vec::new(),
            free_ships: Vec::new(),
            next_seq: 0,
            ports: (0..model.ports.len())
                .map(|_| PortState::default())
                .collect(),
            channels: (0..model.areas.len())
                .map(|_| ChannelState::default())
                .collect(),
            stats: RunStats::new(model, window),
            warmup_h,
            calls: options.record_calls.then(Vec::new),
            error: None,
            land: landside::Landside::new(model, seed),
        };
        sim.start_generators();
        sim.start_landside();
        sim.schedule_closures(seed, window.end);
        sim
    }

    fn start_generators(&mut self) {
        for g in 0..self.gens.len() {
            let horizon = self.gens[g].horizon;
            let first_call = match self.gens[g].kind {
                GenKind::Liner { service, .. } => self.model.services[service.index()]
                    .first_call_h
                    .map(|h| SimTime::from_hours(h).0),
                GenKind::Tramp { .. } => None,
            };
            let first = match &mut self.gens[g].kind {
                GenKind::Tramp { .. } => {
                    let t = self.next_tramp_time(g, 0.0);
                    if let GenKind::Tramp { next_arrival_h, .. } = &mut self.gens[g].kind {
                        *next_arrival_h = t;
                    }
                    SimTime::from_hours(t).0
                }
                GenKind::Liner {
                    headway,
                    rng,
                    next_slot,
                    ..
                } => {
                    // The service's weekly slot: as given, or a random phase in the first headway.
                    let phase = match first_call {
                        Some(t) => t,
                        None => (rng.random::<f64>() * headway.0 as f64) as i64,
                    };
                    *next_slot = phase;
                    phase
                }
            };
            let at = (first - horizon).max(0);
            self.sched
                .schedule_in(SimDuration(at), P_ARRIVAL, Event::Announce(g as u32));
        }
    }

    /// The next tramp arrival time (hours since the run start) after `now_h`, by thinning a
    /// Poisson process at the peak monthly rate.
    fn next_tramp_time(&mut self, g: usize, now_h: f64) -> f64 {
        let warmup_h = self.warmup_h;
        let GenKind::Tramp {
            mean_gap_h,
            season,
            season_max,
            arrivals,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("tramp generator expected");
        };
        let mut t = now_h;
        if *season_max == 1.0 {
            let e: f64 = Exp1.sample(arrivals);
            return t + e * *mean_gap_h;
        }
        loop {
            let e: f64 = Exp1.sample(arrivals);
            t += e * *mean_gap_h / *season_max;
            let m = month_of(t - warmup_h);
            if arrivals.random::<f64>() * *season_max <= season[m] {
                return t;
            }
        }
    }

    fn schedule_closures(&mut self, seed: u64, end: i64) {
        let model = self.model;
        let end_h = end as f64 / TICKS_PER_HOUR as f64;
        for (p, port) in model.ports.iter().enumerate() {
            for regime in &port.closures {
                let mut rng = stream(seed, &format!("closure/{}/{}", port.name, regime.name));
                // Walk month by month over the run (warm-up months belong to the previous year).
                let first_year_offset = -((self.warmup_h / (365.0 * 24.0)).ceil());
                let mut year_off = first_year_offset;
                'years: loop {
                    for (m, &days) in MONTH_DAYS.iter().enumerate() {
                        let m_start = year_off * 365.0 * 24.0 + month_start_h(m) + self.warmup_h;
                        let m_len = f64::from(days) * 24.0;
                        if m_start >= end_h {
                            break 'years;
                        }
                        if m_start + m_len <= 0.0 || !regime.months.contains(&(m as u8 + 1)) {
                            continue;
                        }
                        let mut t = m_start;
                        loop {
                            let e: f64 = Exp1.sample(&mut rng);
                            t += e * m_len / regime.episodes_per_month;
                            if t >= m_start + m_len {
                                break;
                            }
                            let d = regime.duration_h.sample(&mut rng);
                            if t < 0.0 || t >= end_h || d <= 0.0 {
                                continue;
                            }
                            let (c, h) = (regime.stops.channel, regime.stops.handling);
                            let start = SimTime::from_hours(t);
                            let stop = start + SimDuration::from_hours(d);
                            self.sched.schedule_in(
                                start - SimTime::ZERO,
                                P_CLOSURE,
                                Event::ClosureStart(p as u32, c, h),
                            );
                            self.sched.schedule_in(
                                stop - SimTime::ZERO,
                                P_CLOSURE,
                                Event::ClosureEnd(p as u32, c, h),
                            );
                        }
                    }
                    year_off += 1.0;
                }
            }
        }
    }

    fn run_until(&mut self, end: SimTime) {
        while let Some(ev) = self.sched.next_before(end) {
            match ev {
                Event::Announce(g) => self.on_announce(g as usize),
                Event::Arrive(s) => self.arrive(s),
                Event::TideReady(s) => {
                    self.try_transit(s, false);
                }
                Event::TransitInDone(s) => self.on_moored(s),
                Event::StepDone(s, v) => {
                    if self.ships[s as usize].version == v {
                        self.on_step_done(s);
                    }
                }
                Event::TransitOutDone(s) => self.on_departed(s),
                Event::ClosureStart(p, c, h) => self.on_closure(p as usize, c, h, true),
                Event::ClosureEnd(p, c, h) => self.on_closure(p as usize, c, h, false),
                Event::Land(e) => self.on_land_event(e),
                Event::YardOverflow(s, seq) => self.on_yard_overflow(s, seq),
            }
            if self.error.is_some() {
                return;
            }
        }
        self.sched.advance_to(end);
    }

    fn now(&self) -> i64 {
        self.sched.now().0
    }

    fn new_ship(&mut self, g: usize, arrival: i64) -> u32 {
        let idx = match self.free_ships.pop() {
            Some(i) => i,
            None => {
                self.ships.push(Ship::default());
                (self.ships.len() - 1) as u32
            }
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        let s = &mut self.ships[idx as usize];
        let lots = std::mem::take(&mut s.lots);
        *s = Ship {
            source: g as u32,
            seq,
            lots,
            arrival,
            berth: NO_BERTH,
            berthed_at: -1,
            blocked_since: -1,
            version: s.version.wrapping_add(1),
            block_seq: s.block_seq,
            ..Ship::default()
        };
        s.lots.clear();
        idx
    }

    fn on_announce(&mut self, g: usize) {
        match self.gens[g].kind {
            GenKind::Tramp { .. } => self.announce_tramp(g),
            GenKind::Liner { .. } => self.announce_liner(g),
        }
    }

    /// Creates the tramp call arriving at the generator's next arrival time, schedules its
    /// arrival (and its exports' deliveries), then draws the next arrival.
    fn announce_tramp(&mut self, g: usize) {
        let now = self.now();
        let model = self.model;
        let horizon = self.gens[g].horizon;
        let GenKind::Tramp {
            flow,
            class,
            parcels,
            next_arrival_h,
            ..
        } = &mut self.gens[g].kind
        else {
            unreachable!("tramp generator expected");
        };
        let arrival_h = *next_arrival_h;
        let class_def = &model.ship_classes[class.index()];
        // Round half up (parcels are positive); `as` saturates, clamp bounds the result.
        let amount = (class_def.parcel.sample(parcels) + 0.5).clamp(1.0, class_def.capacity) as u64;
        let flow = *flow;
        let arrival = SimTime::from_hours(arrival_h).0.max(now);
        let ship = self.new_ship(g, arrival);
        let s = &mut self.ships[ship as usize];
        let loads = model.flows[flow.index()].direction == Direction::Export;
        s.lots.push(CallLot {
            flow,
            amount,
            loads,
            draw_cap: None,
        });
        s.total = amount;
        self.prepare_call(ship);
        let next = self.next_tramp_time(g, arrival_h);
        if let GenKind::Tramp { next_arrival_h, .. } = &mut self.gens[g].kind {
            *next_arrival_h = next;
        }
        let announce = (SimTime::from_hours(next).0 - horizon).max(now);
        self.sched.schedule_in(
            SimDuration(announce - now),
            P_ARRIVAL,
            Event::Announce(g as u32),
        );
        if arrival == now {
            self.arrive(ship);
        } else {
            self.sched
                .schedule_in(SimDuration(arrival - now), P_ARRIVAL, Event::Arrive(ship));
        }
    }

    /// Creates the liner call of the generator's next slot (arriving after a random delay),
    /// then moves on to the following slot.
    fn announce_liner(&mut self, g: usize) {
        let now = self.now();
        let model = self.model;
        let horizon = self.gens[g].horizon;
        let GenKind::Liner {
            service,
            next_slot,
            headway,
            rng,
            sizes,
            means,
            onward,
        } = &mut self.gens[g].kind
        else {
            unreachable!("liner generator expected");
        };
        let svc = &model.services[service.index()];
        let slot = *next_slot;
        let delay = SimDuration::from_hours(svc.delay_h.sample(rng));
        *next_slot = slot + headway.0;
        let following = *next_slot;
        let cv = svc.call_size_cv;
        let mut lots = Vec::with_capacity(means.len());
        for &(f, mean) in means.iter() {
            let factor = if cv > 0.0 {
                // Gamma with mean 1: call sizes vary, the annual volume does not drift.
                let shape = 1.0 / (cv * cv);
                rand_distr::Gamma::new(shape, 1.0 / shape)
                    .map(|d| d.sample(sizes))
                    .unwrap_or(1.0)
            } else {
                1.0
            };
            let loads = model.flows[f.index()].direction == Direction::Export;
            lots.push(CallLot {
                flow: f,
                amount: (mean * factor + 0.5).max(0.0) as u64,
                loads,
                draw_cap: None,
            });
        }
        for &(f, cap) in onward.iter() {
            lots.push(CallLot {
                flow: f,
                amount: 0,
                loads: true,
                draw_cap: Some(cap),
            });
        }
        let arrival = (slot + delay.0).max(now);
        let ship = self.new_ship(g, arrival);
        let s = &mut self.ships[ship as usize];
        s.total = lots.iter().map(|l| l.amount).sum();
        s.lots.extend(lots);
        self.prepare_call(ship);
        self.sched
            .schedule_in(SimDuration(arrival - now), P_ARRIVAL, Event::Arrive(ship));
        let announce = (following - horizon).max(now);
        self.sched.schedule_in(
            SimDuration(announce - now),
            P_ARRIVAL,
            Event::Announce(g as u32),
        );
    }

    /// Orders the call's lots (imports first), sets its drafts and sends its exports on their
    /// way to the yard.
    fn prepare_call(&mut self, ship: u32) {
        let s = &mut self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        let (uses_yard, several, exports) =
            (source.uses_yard, source.several_flows, source.land_exports);
        if several {
            // Stable: imports and transshipment keep their order, then exports.
            s.lots.sort_by_key(|l| l.loads);
        }
        s.uses_yard = uses_yard;
        self.set_drafts(ship);
        if exports {
            self.dispatch_exports(ship);
        }
    }

    fn set_drafts(&mut self, ship: u32) {
        let model = self.model;
        let s = &mut self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        let class = &model.ship_classes[source.class.index()];
        let (mut inbound, mut outbound) = (0u64, 0u64);
        for l in &s.lots {
            let flow = &model.flows[l.flow.index()];
            if flow.direction == Direction::Transshipment && flow.transship.is_none() {
                // Discharged and loaded on the same call.
                inbound += l.amount;
                outbound += l.amount;
            } else if l.loads {
                outbound += l.amount;
            } else {
                inbound += l.amount;
            }
        }
        if source.cargo.is_container() {
            // Container ships carry cargo for other ports too: take the laden draft both ways.
            s.arrival_draft_m = class.draft_m;
            s.departure_draft_m = class.draft_m;
        } else {
            s.arrival_draft_m = class.draft_with_load_m(inbound as f64);
            s.departure_draft_m = class.draft_with_load_m(outbound as f64);
        }
    }

    fn set_cause(&mut self, ship: u32, cause: Option<Cause>) {
        let now = self.now();
        let s = &mut self.ships[ship as usize];
        if let Some(c) = s.cause {
            s.waits[c as usize] += now - s.cause_since;
        }
        s.cause = cause;
        s.cause_since = now;
    }

    fn arrive(&mut self, ship: u32) {
        let now = self.now();
        let (g, total) = {
            let s = &self.ships[ship as usize];
            (s.source as usize, s.total)
        };
        let candidate = self.choose_port(ship);
        let (group, slot) = {
            let c = &self.gens[g].candidates[candidate];
            (c.group, c.slot)
        };
        let s = &mut self.ships[ship as usize];
        s.group = group as u32;
        s.slot = slot as u32;
        s.candidate = candidate as u8;
        let in_window = self.stats.window.contains(SimTime(now));
        let st = &mut self.stats.slots[slot];
        st.in_system += total;
        if in_window {
            st.arrivals += 1;
        }
        // Cargo arriving by sea: all but what the ship will load from the yard (exports that
        // come by land, onward transshipment already in port).
        for i in 0..self.ships[ship as usize].lots.len() {
            let l = self.ships[ship as usize].lots[i];
            if !(l.loads && self.model.flows[l.flow.index()].through_yard()) {
                self.stats.cargo_arrives(slot, l.amount, now);
            }
        }
        self.stats.waiting_change(slot, now, 1);
        self.set_cause(ship, Some(Cause::Berth));
        let free = self.groups[group]
            .berths
            .iter()
            .copied()
            .find(|b| self.berth_occupant[b.index()] == NO_BERTH);
        match free {
            Some(b) => self.assign_berth(ship, b),
            None => self.groups[group].queue.push_back(ship),
        }
    }

    /// The candidate port for a call: its own, or — under the integrated policy — the one of
    /// least expected cost: expected wait × the ship's cost per hour + haul × cargo. The
    /// expected wait is a live estimate: nothing if a compatible berth is free, otherwise
    /// (ships queued + ½) × mean service / compatible berths. Ties go to the own port.
    fn choose_port(&self, ship: u32) -> usize {
        let s = &self.ships[ship as usize];
        let source = &self.gens[s.source as usize];
        if !self.model.settings.policy.integrates() || source.candidates.len() < 2 {
            return 0;
        }
        let cost_per_h = self.model.ship_classes[source.class.index()].cost_per_h;
        let mut best = (0usize, f64::INFINITY);
        for (k, c) in source.candidates.iter().enumerate() {
            let group = &self.groups[c.group];
            let busy = group
                .berths
                .iter()
                .all(|b| self.berth_occupant[b.index()] != NO_BERTH);
            let wait_h = if !busy {
                0.0
            } else {
                (group.queue.len() as f64 + 0.5) * c.mean_service_h
                    / group.berths.len().max(1) as f64
            };
            let cost = wait_h * cost_per_h + c.haul_cost * s.total as f64;
            if cost < best.1 {
                best = (k, cost);
            }
        }
        best.0
    }

    fn assign_berth(&mut self, ship: u32, berth: BerthId) {
        self.berth_occupant[berth.index()] = ship;
        self.ships[ship as usize].berth = berth.0;
        self.try_transit(ship, false);
    }

    /// Offers a freed berth to the waiting ship that may use it with the highest priority
    /// (liners first, then earliest arrival).
    fn offer_berth(&mut self, berth: BerthId) {
        let mut best: Option<(u8, i64, u64, u32)> = None;
        for &g in &self.berth_groups[berth.index()] {
            let group = &self.groups[g as usize];
            if let Some(&ship) = group.queue.front() {
                let s = &self.ships[ship as usize];
                let key = (group.priority, s.arrival, s.seq, g);
                if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                    best = Some(key);
                }
            }
        }
        if let Some((_, _, _, g)) = best {
            let ship = self.groups[g as usize]
                .queue
                .pop_front()
                .expect("the group's head was just seen");
            self.assign_berth(ship, berth);
        }
    }

    /// Moves a ship through its area's channel (inbound or outbound) as soon as closures, the
    /// tide and one-way traffic allow. `from_queue`: the ship comes from the head of the
    /// channel's queue, so it need not queue behind others.
    fn try_transit(&mut self, ship: u32, from_queue: bool) -> Transit {
        let model = self.model;
        let now = self.now();
        let s = &self.ships[ship as usize];
        let berth = &model.berths[s.berth as usize];
        let port = berth.port.index();
        let area = berth.area.index();
        let outbound = s.outbound;
        if self.ports[port].channel_closed > 0 {
            self.wait_for(ship, Cause::Closure);
            self.ports[port].closure_waiters.push(ship);
            return Transit::Waiting;
        }
        let Some(ch) = &model.areas[area].channel else {
            self.start_transit(ship, area, 0, false);
            return Transit::Started;
        };
        let draft = if outbound {
            s.departure_draft_m
        } else {
            s.arrival_draft_m
        };
        let class = &model.ship_classes[self.gens[s.source as usize].class.index()];
        let one_way = ch.one_way_min_dwt_t.is_some_and(|m| class.dwt_t >= m);
        let cs = &self.channels[area];
        let blocked = cs.exclusive || (one_way && cs.in_transit > 0);
        if blocked || (!cs.waiters.is_empty() && !from_queue) {
            self.wait_for(ship, Cause::Channel);
            self.channels[area].waiters.push_back(ship);
            return Transit::QueuedForChannel;
        }
        let tide = &model.ports[port].tide;
        let now_h = now as f64 / TICKS_PER_HOUR as f64 - self.warmup_h;
        let need = ch.tide_need_m(draft);
        match tide.next_window_h(now_h, need, ch.transit_h) {
            Some(start_h) => {
                let start = SimTime::from_hours(start_h + self.warmup_h).0;
                if start > now {
                    self.wait_for(ship, Cause::Tide);
                    self.sched.schedule_in(
                        SimDuration(start - now),
                        P_TIDE,
                        Event::TideReady(ship),
                    );
                    return Transit::Waiting;
                }
            }
            None => {
                // Validation keeps laden drafts passable; a partial load never draws more.
                self.error = Some(SimError(format!(
                    "a ship of class {} (draft {draft:.2} m) can never pass the channel of {}",
                    class.name, model.areas[area].name
                )));
                return Transit::Waiting;
            }
        }
        self.start_transit(ship, area, ticks(ch.transit_h), one_way);
        Transit::Started
    }

    fn wait_for(&mut self, ship: u32, cause: Cause) {
        // Outbound ships wait at berth: that time is service, not waiting.
        if !self.ships[ship as usize].outbound {
            self.set_cause(ship, Some(cause));
        }
    }

    fn start_transit(&mut self, ship: u32, area: usize, transit: i64, one_way: bool) {
        let now = self.now();
        if transit > 0 {
            let cs = &mut self.channels[area];
            cs.in_transit += 1;
            cs.exclusive |= one_way;
        }
        let s = &mut self.ships[ship as usize];
        s.one_way = one_way;
        if s.outbound {
            self.unmoor(ship, transit);
            if transit > 0 {
                self.sched.schedule_in(
                    SimDuration(transit),
                    P_TRANSIT,
                    Event::TransitOutDone(ship),
                );
            } else {
                self.on_departed(ship);
            }
        } else {
            self.set_cause(ship, None);
            let slot = self.ships[ship as usize].slot as usize;
            self.stats.waiting_change(slot, now, -1);
            if transit > 0 {
                self.sched
                    .schedule_in(SimDuration(transit), P_TRANSIT, Event::TransitInDone(ship));
            } else {
                self.on_moored(ship);
            }
        }
    }

    fn transit_finished(&mut self, ship: u32) {
        let model = self.model;
        let s = &self.ships[ship as usize];
        let area = model.berths[s.berth as usize].area.index();
        let has_channel = model.areas[area]
            .channel
            .as_ref()
            .is_some_and(|c| c.transit_h > 0.0);
        if !has_channel {
            return;
        }
        let one_way = s.one_way;
        let cs = &mut self.channels[area];
        cs.in_transit -= 1;
        if one_way {
            cs.exclusive = false;
        }
        // Let waiting ships try again in their order. The first one still blocked by traffic
        // goes back to the queue with everyone behind it, in order; ships that now wait for a
        // closure or the tide leave the queue.
        let waiting: Vec<u32> = cs.waiters.drain(..).collect();
        for (i, &w) in waiting.iter().enumerate() {
            if self.try_transit(w, true) == Transit::QueuedForChannel {
                let cs = &mut self.channels[area];
                // try_transit pushed `w` last; put it back with the rest behind it.
                let pushed = cs.waiters.pop_back();
                debug_assert_eq!(pushed, Some(w));
                cs.waiters.extend(&waiting[i..]);
                return;
            }
        }
    }

    fn on_moored(&mut self, ship: u32) {
        let model = self.model;
        let now = self.now();
        let s = &self.ships[ship as usize];
        let transit_in = model.areas[model.berths[s.berth as usize].area.index()]
            .channel
            .as_ref()
            .is_some_and(|c| c.transit_h > 0.0);
        if transit_in {
            self.transit_finished(ship);
        }
        let g = self.ships[ship as usize].source as usize;
        let berth = self.ships[ship as usize].berth as usize;
        self.ships[ship as usize].berthed_at = now;
        if let Some((d, rng)) = &mut self.gens[g].service_h {
            // Validation models: the service time is given, not derived from the cargo.
            let work = ticks(d.sample(rng));
            let s = &mut self.ships[ship as usize];
            s.moored_done = true;
            s.cursor = s.lots.len();
            self.begin_step(ship, Step::Plain, work);
            return;
        }
        let b = &model.berths[berth];
        let noise = match &mut self.berth_rng[berth] {
            Some((rng, d)) => d.sample(rng).max(0.05),
            None => 1.0,
        };
        let rate = b.rate_per_h(self.gens[g].cargo) * noise;
        let s = &mut self.ships[ship as usize];
        s.rate = rate;
        if s.uses_yard {
            // Mooring first; cargo work follows in steps that use the yard.
            s.cursor = 0;
            self.enter_lot(ship);
            self.begin_step(ship, Step::Plain, ticks(b.mooring_h));
        } else {
            // No yard involved: the whole call is one step.
            s.moored_done = true;
            s.cursor = s.lots.len();
            let work = ticks(b.mooring_h + s.total as f64 / rate);
            self.begin_step(ship, Step::Plain, work);
        }
    }

    /// Starts a step of work at the berth, or holds it while a closure stops handling.
    fn begin_step(&mut self, ship: u32, step: Step, duration: i64) {
        let berth = self.ships[ship as usize].berth as usize;
        let port = self.model.berths[berth].port.index();
        let closed = self.ports[port].handling_closed > 0;
        let now = self.now();
        let s = &mut self.ships[ship as usize];
        s.step = step;
        if closed {
            s.paused = true;
            s.work_left = duration;
        } else {
            s.paused = false;
            s.step_end = now + duration;
            let v = s.version;
            self.sched
                .schedule_in(SimDuration(duration), P_SERVICE, Event::StepDone(ship, v));
        }
    }

    /// A step of work is done: apply it and start the next, or head out when all is done.
    fn on_step_done(&mut self, ship: u32) {
        let step = self.ships[ship as usize].step;
        self.ships[ship as usize].step = Step::Idle;
        match step {
            Step::Idle => return,
            Step::Plain => self.ships[ship as usize].moored_done = true,
            Step::Discharge { lot, amount } => self.discharged(ship, lot, amount),
            Step::Load { lot, amount } => self.loaded(ship, lot, amount),
        }
        self.next_step(ship);
    }

    /// Picks the ship's next step: the next piece of its current lot, or the next lot.
    pub(super) fn next_step(&mut self, ship: u32) {
        let model = self.model;
        loop {
            let s = &self.ships[ship as usize];
            if s.cursor >= s.lots.len() {
                self.ships[ship as usize].outbound = true;
                self.try_transit(ship, false);
                return;
            }
            if s.lot_left == 0 {
                self.ships[ship as usize].cursor += 1;
                self.enter_lot(ship);
                continue;
            }
            let call_lot = s.lots[s.cursor];
            let flow = &model.flows[call_lot.flow.index()];
            let rate = s.rate;
            let left = s.lot_left;
            let lot = s.cursor;
            match (self.yard_of(ship, call_lot.flow), call_lot.loads) {
                (None, _) => {
                    // No yard: the whole lot in one step.
                    let d = ticks(left as f64 / rate);
                    self.ships[ship as usize].lot_left = 0;
                    self.begin_step(ship, Step::Plain, d);
                }
                (Some(t), true) => {
                    if self.ships[ship as usize].exports_pending > 0 {
                        // Any of its cargo waiting at a gate for space comes in now.
                        self.admit_exports_of(ship);
                    }
                    let s = &self.ships[ship as usize];
                    if s.exports_pending > 0 {
                        // Its cargo has not all reached the yard: wait for the last delivery.
                        let now = self.now();
                        let s = &mut self.ships[ship as usize];
                        s.waiting_exports = true;
                        s.blocked_since = now;
                        return;
                    }
                    let amount = self.step_amount(ship);
                    self.take_from_yard(t.index(), flow.cargo, amount);
                    let d = ticks(amount as f64 / rate);
                    self.begin_step(ship, Step::Load { lot, amount }, d);
                }
                (Some(t), false) => {
                    let amount = self.step_amount(ship);
                    if !self.reserve_yard(t.index(), flow.cargo, amount) {
                        if self.load_first(ship, t) {
                            continue;
                        }
                        if self.ships[ship as usize].overflow {
                            // Overflow space: discharge regardless of the yard's capacity.
                            self.force_reserve_yard(t.index(), flow.cargo, amount);
                            let d = ticks(amount as f64 / rate);
                            self.begin_step(ship, Step::Discharge { lot, amount }, d);
                            return;
                        }
                        // The yard is full: discharge stops until cargo leaves it.
                        self.block_on_yard(ship, t.index());
                        return;
                    }
                    let d = ticks(amount as f64 / rate);
                    self.begin_step(ship, Step::Discharge { lot, amount }, d);
                }
            }
            return;
        }
    }

    /// A discharge step is done: its cargo is in the yard and starts its dwell (per step, so
    /// that a lot larger than the yard can still drain while the rest is discharged).
    fn discharged(&mut self, ship: u32, lot: usize, amount: u64) {
        let flow = self.ships[ship as usize].lots[lot].flow;
        let yard = self
            .yard_of(ship, flow)
            .expect("only lots through a yard discharge into one");
        self.land_in_yard(yard.index(), self.model.flows[flow.index()].cargo, amount);
        self.ships[ship as usize].lot_left -= amount;
        if self.model.flows[flow.index()].transship.is_some() {
            // Transshipment waits in the yard for its onward call.
            self.land.hold_transshipment(flow, amount);
        } else {
            self.start_dwell(ship, flow, amount);
        }
    }

    /// The hinterland leg of a flow's cargo on this call: the chosen port's.
    fn hinterland_of(&self, ship: u32, flow: FlowId) -> Option<&'m crate::model::Hinterland> {
        let s = &self.ships[ship as usize];
        let model = self.model;
        let f = &model.flows[flow.index()];
        let choice = self.gens[s.source as usize].candidates[s.candidate as usize].port_choice;
        match choice {
            0 => f.hinterland.as_ref(),
            k => f
                .alternatives
                .get(k - 1)
                .and_then(|a| a.hinterland.as_ref()),
        }
    }

    /// The terminal whose yard holds a flow's cargo on this call.
    fn yard_of(&self, ship: u32, flow: FlowId) -> Option<crate::model::TerminalId> {
        let f = &self.model.flows[flow.index()];
        match &f.transship {
            Some(t) => Some(t.terminal),
            None => self.hinterland_of(ship, flow).map(|h| h.terminal),
        }
    }

    /// Moves the work cursor's lot into place: an onward transshipment lot takes what the
    /// yard holds for it (up to its cap) now that loading reaches it.
    fn enter_lot(&mut self, ship: u32) {
        let s = &self.ships[ship as usize];
        let Some(&l) = s.lots.get(s.cursor) else {
            self.ships[ship as usize].lot_left = 0;
            return;
        };
        if let Some(cap) = l.draw_cap {
            let amount = self.land.transshipment_held(l.flow).min(cap);
            let slot = s.slot as usize;
            self.land.reserve_transshipment(l.flow, amount);
            let s = &mut self.ships[ship as usize];
            s.lots[s.cursor].amount = amount;
            s.lots[s.cursor].draw_cap = Some(cap);
            s.total += amount;
            self.stats.slots[slot].in_system += amount;
        }
        let s = &mut self.ships[ship as usize];
        let cursor = s.cursor;
        s.lot_left = match s.deferred.iter().position(|&(k, _)| k == cursor) {
            Some(i) => s.deferred.swap_remove(i).1,
            None => s.lots[cursor].amount,
        };
    }

    /// Dual cycling: the yard `t` is too full to discharge into, so if this call has export
    /// cargo ready in that yard, load it first — it frees the space the discharge needs. The
    /// interrupted discharge lot swaps places with the load lot and resumes where it stopped.
    /// Without this, ships holding berths while blocked on a yard full of exports for ships
    /// that cannot berth lock the terminal up.
    fn load_first(&mut self, ship: u32, t: crate::model::TerminalId) -> bool {
        if self.ships[ship as usize].exports_pending > 0 {
            self.admit_exports_of(ship);
        }
        let s = &self.ships[ship as usize];
        if s.exports_pending > 0 {
            return false;
        }
        let cur = s.cursor;
        let Some(k) = (cur + 1..s.lots.len()).find(|&k| {
            let l = s.lots[k];
            l.loads && l.draw_cap.is_none() && l.amount > 0 && self.yard_of(ship, l.flow) == Some(t)
        }) else {
            return false;
        };
        let s = &mut self.ships[ship as usize];
        let left = s.lot_left;
        s.lots.swap(cur, k);
        s.deferred.push((k, left));
        s.lot_left = s.lots[cur].amount;
        true
    }

    fn loaded(&mut self, ship: u32, _lot: usize, amount: u64) {
        self.ships[ship as usize].lot_left -= amount;
    }

    /// Resumes a ship whose work was held (by the yard or by export cargo still on its way).
    pub(super) fn resume_work(&mut self, ship: u32) {
        let now = self.now();
        let s = &mut self.ships[ship as usize];
        if s.blocked_since >= 0 {
            s.blocked += now - s.blocked_since;
            s.blocked_since = -1;
        }
        s.waiting_exports = false;
        self.next_step(ship);
    }

    /// The ship leaves its berth: record the call and offer the berth to the next ship.
    fn unmoor(&mut self, ship: u32, transit_out: i64) {
        let model = self.model;
        let now = self.now();
        let s = &self.ships[ship as usize];
        let berth = s.berth as usize;
        let g = s.source as usize;
        let slot = s.slot as usize;
        let window = self.stats.window;
        self.stats.berth_busy[berth] += window.overlap(s.berthed_at, now);
        // Cargo leaving by sea: all but what the ship discharged into the yard (imports that
        // leave by land, transshipment that leaves on another call).
        for l in &s.lots {
            if l.loads || !model.flows[l.flow.index()].through_yard() {
                self.stats.cargo_departs(slot, l.amount, now);
            }
        }
        let st = &mut self.stats.slots[slot];
        st.in_system -= s.total;
        if window.contains(SimTime(now)) {
            let wait: i64 = s.waits.iter().sum();
            st.calls += 1;
            st.blocked += s.blocked;
            for i in 0..4 {
                st.wait_by_cause[i] += s.waits[i];
            }
            st.service += now - s.berthed_at;
            st.turnaround += now + transit_out - s.arrival;
            st.waits.record(wait as f64 / TICKS_PER_HOUR as f64);
            st.handled += s.total;
            // Hotelling at berth: shore power where the berth has it and the ship can take it
            // (the class's capable share of the energy), the ship's own generators otherwise.
            let class = &model.ship_classes[self.gens[g].class.index()];
            if class.power_at_berth_kw > 0.0 {
                let kwh =
                    class.power_at_berth_kw * (now - s.berthed_at) as f64 / TICKS_PER_HOUR as f64;
                let shore = if model.berths[berth].shore_power {
                    kwh * class.shore_power_share
                } else {
                    0.0
                };
                let e = &model.emissions;
                for i in 0..4 {
                    st.emitted_g[i] +=
                        (kwh - shore) * e.ship_g_per_kwh[i] + shore * e.grid_g_per_kwh[i];
                }
                st.shore_kwh += shore;
            }
            let term = model.berths[berth].terminal.index();
            let overflowed = self.ships[ship as usize].overflow;
            let ts = &mut self.stats.terminals[term];
            ts.calls += 1;
            ts.overflow_calls += u64::from(overflowed);
            ts.wait += wait;
            ts.service += now - s.berthed_at;
            let f = if self.gens[g].cargo.is_container() {
                model.settings.t_per_teu
            } else {
                1.0
            };
            ts.handled_t += s.total as f64 * f;
            if self.gens[g].cargo.is_container() {
                ts.handled_teu += s.total;
            }
        }
        if let Some(calls) = &mut self.calls {
            let h = TICKS_PER_HOUR as f64;
            calls.push(CallRecord {
                flow: s.lots.first().map_or(FlowId(0), |l| l.flow),
                berth: BerthId(s.berth),
                arrival_h: s.arrival as f64 / h,
                berthed_h: s.berthed_at as f64 / h,
                unmoored_h: now as f64 / h,
                waits_h: s.waits.map(|w| w as f64 / h),
                amount: s.total,
            });
        }
        self.berth_occupant[berth] = NO_BERTH;
        self.offer_berth(BerthId(berth as u32));
    }

    fn on_departed(&mut self, ship: u32) {
        let model = self.model;
        let s = &self.ships[ship as usize];
        let area = model.berths[s.berth as usize].area.index();
        if model.areas[area]
            .channel
            .as_ref()
            .is_some_and(|c| c.transit_h > 0.0)
        {
            self.transit_finished(ship);
        }
        self.free_ships.push(ship);
    }

    /// Ships queued for a one-way channel while their port's channel is closed are waiting for
    /// the closure, not for traffic: switch their cause when a closure starts and ends.
    fn rebook_channel_queues(&mut self, port: usize, cause: Cause) {
        for &area in &self.model.ports[port].areas {
            for i in 0..self.channels[area.index()].waiters.len() {
                let ship = self.channels[area.index()].waiters[i];
                self.wait_for(ship, cause);
            }
        }
    }

    fn on_closure(&mut self, port: usize, channel: bool, handling: bool, starts: bool) {
        let now = self.now();
        let model = self.model;
        if channel {
            let ps = &mut self.ports[port];
            if starts {
                ps.channel_closed += 1;
                if ps.channel_closed == 1 {
                    self.rebook_channel_queues(port, Cause::Closure);
                }
            } else {
                ps.channel_closed -= 1;
                if ps.channel_closed == 0 {
                    self.rebook_channel_queues(port, Cause::Channel);
                    let waiting = std::mem::take(&mut self.ports[port].closure_waiters);
                    for w in waiting {
                        self.try_transit(w, false);
                    }
                }
            }
        }
        if handling {
            let ps = &mut self.ports[port];
            let before = ps.handling_closed;
            if starts {
                ps.handling_closed += 1;
            } else {
                ps.handling_closed -= 1;
            }
            let after = self.ports[port].handling_closed;
            if before == 0 && after > 0 || before > 0 && after == 0 {
                for (b, berth) in model.berths.iter().enumerate() {
                    if berth.port.index() != port || self.berth_occupant[b] == NO_BERTH {
                        continue;
                    }
                    let ship = self.berth_occupant[b];
                    let s = &mut self.ships[ship as usize];
                    // Only a step under way stops; a ship blocked by the yard has none.
                    if s.berthed_at < 0 || s.outbound || s.step == Step::Idle {
                        continue;
                    }
                    if after > 0 && !s.paused {
                        s.paused = true;
                        s.work_left = (s.step_end - now).max(0);
                        s.version = s.version.wrapping_add(1);
                    } else if after == 0 && s.paused {
                        s.paused = false;
                        s.step_end = now + s.work_left;
                        let v = s.version;
                        let left = s.work_left;
                        self.sched.schedule_in(
                            SimDuration(left),
                            P_SERVICE,
                            Event::StepDone(ship, v),
                        );
                    }
                }
            }
        }
    }
}
