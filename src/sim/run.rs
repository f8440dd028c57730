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

/// What to record besides the KPIs, and when to give up.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimOptions {
    /// Keep one [`CallRecord`] per completed call (memory grows with calls; for tests).
    pub record_calls: bool,
    /// Stop the run with [`SimError::EventBudget`] after this many events (`None`: never).
    /// Experiments set it to twice the budget a run's estimate was checked against, so a run
    /// whose estimate was badly off still ends.
    pub max_events: Option<u64>,
    /// Record daily series (ships waiting, yard occupancy, trains) into
    /// [`RunResult::series`].
    pub daily_series: bool,
}

/// Why a run stopped without a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// An internal invariant broke (conservation, event order): a bug, not bad input.
    Invariant(String),
    /// The run processed more events than it was allowed.
    EventBudget {
        /// Design year.
        year: u16,
        /// Replication.
        replication: u32,
        /// The events allowed.
        max_events: u64,
    },
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Invariant(m) => write!(f, "internal error in the simulation: {m}"),
            SimError::EventBudget {
                year,
                replication,
                max_events,
            } => write!(
                f,
                "design year {year}, replication {replication}: the run reached {max_events} events, twice its budget, and was stopped; its demand estimate was too low — raise the budget with --max-events if the run is meant to be this large"
            ),
        }
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
    /// Berth outage `k` starts (true) or ends.
    BerthOutage(u32, bool),
    /// Rail outage `k` starts (true) or ends.
    RailOutage(u32, bool),
    /// Recovery `k` reaches a phase: its look-back starts (0), its event starts (1), ends (2).
    Recovery(u32, u8),
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
pub(super) const STEP_H: f64 = 2.0;
pub(super) const STEP_YARD_SHARE: f64 = 0.02;

mod arrivals;
mod count;
mod landside;
mod quay;
mod setup;
mod work;

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
        /// When its calls come.
        timing: GenTiming,
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

/// A tramp generator's timing, with its running state.
enum GenTiming {
    /// Poisson calls.
    Poisson,
    /// A delivery programme: each call's lateness, and the next slot (hours since the run
    /// start; negative before the first is drawn).
    Programme { jitter: Dist, slot: f64 },
    /// Calls ordered by a tank (`landside::tank`): the generator makes them up, the tank
    /// decides when.
    Stock,
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
    /// Some of its berths are at a terminal that spreads its calls (`BerthAllocation::Spread`).
    spread: bool,
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
    /// Of a lot through the yard: how much has been discharged into it, or taken from it
    /// onto the ship, so far.
    done: u64,
}

#[derive(Default)]
struct Ship {
    source: u32,
    /// The candidate port chosen at arrival (0: the flow's own).
    candidate: u8,
    /// That candidate's port choice (0: the flow's own port, k: its alternative k − 1).
    port_choice: u8,
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
    /// The call may discharge into overflow space (it waited the terminal's limit for yard
    /// space).
    overflow: bool,
    /// Blocks on a full yard so far (kept across reuse of the ship's slot, so that a stale
    /// overflow timer never matches a later block).
    block_seq: u32,
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
    /// Arrived and not yet unmoored: its cargo is in port (the ledger's view, counted
    /// independently at the end).
    at_port: bool,
    /// Cargo handled so far through the yard (discharged into it, or taken from it aboard):
    /// no longer unserved.
    handled: u64,
    departure_draft_m: f64,
}

/// A ship's work held at berth: by export cargo still on its way, or by a full yard.
#[derive(Clone, Copy, Debug)]
struct WorkHold {
    /// When its work last stopped — on a full yard, or to wait for its exports (-1: working).
    blocked_since: i64,
    /// Export deliveries not yet in the yard.
    exports_pending: u32,
    /// Its work waits for the last of them.
    waiting_exports: bool,
}

impl WorkHold {
    /// Nothing pending, not blocked.
    const FREE: WorkHold = WorkHold {
        blocked_since: -1,
        exports_pending: 0,
        waiting_exports: false,
    };
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
    /// An empty queue with room, swapped in while the waiters try again (so that the one who
    /// queues again, with those behind, does not allocate a new queue each time).
    spare: VecDeque<u32>,
}

struct Sim<'m> {
    model: &'m Model,
    sched: Scheduler<Event>,
    gens: Vec<Generator>,
    groups: Vec<Group>,
    berth_groups: Vec<Vec<u32>>,
    berth_occupant: Vec<u32>,
    /// Outages under way at each berth (it takes no ship and works none while above 0).
    berth_down: Vec<u32>,
    berth_rng: Vec<Option<(StreamRng, Dist)>>,
    ships: Vec<Ship>,
    /// What each ship's work waits for, by ship: beside `ships`, not in them, because every
    /// export lot entering a yard asks (days after its ship was announced, when the ship's
    /// record has left the nearer caches and this small dense table has not).
    work_holds: Vec<WorkHold>,
    free_ships: Vec<u32>,
    next_seq: u64,
    ports: Vec<PortState>,
    channels: Vec<ChannelState>,
    stats: RunStats,
    warmup_h: f64,
    /// `warmup_h` in ticks: the start of the design year's first day.
    warmup_ticks: i64,
    calls: Option<Vec<CallRecord>>,
    error: Option<SimError>,
    land: landside::Landside,
    /// The run stops once it has processed more events than this.
    max_events: u64,
    /// What the quay's handlers look up about each berth, in one small dense table (the
    /// model's berths are large records; these few fields are read on every call).
    berth_refs: Vec<BerthRef>,
    /// Each quay section's berths and the calls given them (see `BerthAllocation::Spread`).
    sections: Vec<Section>,
    /// Each flow's legs, by port choice (see [`Leg`]): flow `f`'s leg through port choice `k`
    /// is `legs[leg_base[f] + k]`.
    legs: Vec<Leg<'m>>,
    leg_base: Vec<u32>,
    /// Each flow's `Flow::through_yard`, in a dense table: asked of every lot as its ship
    /// arrives and leaves, where the flows' large records would be read a line or two each.
    through_yard: Vec<bool>,
}

/// What the handlers look up about a flow's cargo on a call through one of its ports (its own:
/// port choice 0; alternative `k`: choice `k`), worked out once for the run.
struct Leg<'m> {
    /// The hinterland leg from that port.
    hinterland: Option<&'m crate::model::Hinterland>,
    /// The terminal whose yard holds the cargo (a transshipment's, or the hinterland leg's).
    yard: Option<crate::model::TerminalId>,
    /// A step's size by the yard: `STEP_YARD_SHARE` of its capacity for the flow's cargo
    /// (infinite for an unlimited yard, 0 with no yard).
    step_by_yard: f64,
    /// The mode shares last worked out for the leg, with the rail wait and shift they were
    /// for (as bits): the shares are a pure function of the two, and most lots ask again for
    /// the same pair.
    shares_memo: Option<(u64, u64, crate::model::ModeSplit)>,
    /// How the leg's lots are priced by mode (rail, road, pipeline): `LandPrice::of`.
    prices: [Option<landside::LandPrice>; 3],
}

impl<'m> Leg<'m> {
    /// Every flow's legs, and where each flow's begin.
    fn all(model: &'m Model) -> (Vec<Leg<'m>>, Vec<u32>) {
        let mut legs = Vec::new();
        let mut base = Vec::with_capacity(model.flows.len());
        for f in &model.flows {
            base.push(legs.len() as u32);
            let hinterlands = std::iter::once(f.hinterland.as_ref())
                .chain(f.alternatives.iter().map(|a| a.hinterland.as_ref()));
            for hinterland in hinterlands {
                let yard = match &f.transship {
                    Some(t) => Some(t.terminal),
                    None => hinterland.map(|h| h.terminal),
                };
                let step_by_yard = yard.map_or(0.0, |t| {
                    let cap = model.terminals[t.index()].yard.capacity(f.cargo);
                    if cap.is_finite() {
                        cap * STEP_YARD_SHARE
                    } else {
                        f64::INFINITY
                    }
                });
                let prices = std::array::from_fn(|mode| {
                    hinterland.and_then(|h| landside::LandPrice::of(h, model, mode))
                });
                legs.push(Leg {
                    hinterland,
                    yard,
                    step_by_yard,
                    shares_memo: None,
                    prices,
                });
            }
        }
        (legs, base)
    }
}

/// A quay section: the identical berths of one `[[…berths]]` entry, numbered consecutively.
#[derive(Clone, Copy)]
struct Section {
    /// Its first berth.
    first: u32,
    /// Its number of berths.
    berths: u32,
    /// Its terminal.
    terminal: u32,
    /// Calls given one of its berths so far (spread allocation's tie-break).
    calls: u64,
}

impl Section {
    /// The model's sections, from its berths (a section's berths are consecutive).
    fn all(model: &Model) -> Vec<Section> {
        let mut v: Vec<Section> = Vec::new();
        for (i, b) in model.berths.iter().enumerate() {
            match v.get_mut(b.section as usize) {
                Some(s) => s.berths += 1,
                None => v.push(Section {
                    first: i as u32,
                    berths: 1,
                    terminal: b.terminal.0,
                    calls: 0,
                }),
            }
        }
        v
    }
}

/// A berth's port, area and terminal, and whether its area's channel takes time to pass.
#[derive(Clone, Copy)]
struct BerthRef {
    port: u32,
    area: u32,
    terminal: u32,
    /// Its quay section (see `BerthAllocation::Spread`).
    section: u32,
    /// Its area has a channel whose transit takes time (ships in it are counted).
    timed_channel: bool,
}

impl BerthRef {
    fn of(model: &Model, b: &crate::model::Berth) -> Self {
        BerthRef {
            port: b.port.0,
            area: b.area.0,
            terminal: b.terminal.0,
            section: b.section,
            timed_channel: model.areas[b.area.index()]
                .channel
                .as_ref()
                .is_some_and(|c| c.transit_h > 0.0),
        }
    }
}

/// Simulates one design year of one replication.
///
/// The random streams come from `(master_seed, replication)` and the names of what they
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
    let seed = replication_seed(master_seed, replication);
    let warmup_h = model.settings.warmup_days * 24.0;
    let start = SimTime::from_hours(warmup_h).0;
    let end = SimTime::from_hours(warmup_h + model.settings.measured_days * 24.0).0;
    let window = Window { start, end };
    let mut sim = Sim::new(model, year, seed, window, warmup_h, options);
    sim.max_events = options.max_events.unwrap_or(u64::MAX);
    sim.run_until(SimTime(start));
    // Cargo in port when measurement begins.
    for s in &mut sim.stats.slots {
        s.in_port_start = s.in_port;
    }
    let counted_start = sim.count_in_port();
    sim.run_until(SimTime(end));
    if let Some(e) = sim.error.take() {
        return Err(e);
    }
    if sim.sched.processed() > sim.max_events {
        return Err(SimError::EventBudget {
            year,
            replication,
            max_events: sim.max_events,
        });
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
    let counted_end = sim.count_in_port();
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
            counted_start: counted_start[slot],
            counted_end: counted_end[slot],
        };
        if !row.balances() || !row.matches_count() {
            return Err(SimError::Invariant(format!(
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
        flow_modes: std::mem::take(&mut sim.stats.flow_modes),
        ledger,
        ships: sim.next_seq,
        events: sim.sched.processed(),
        peak_ships_in_port: sim.ships.len(),
        series: super::stats::day_series(model, &sim.stats),
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
                Event::BerthOutage(k, starts) => self.on_berth_outage(k as usize, starts),
                Event::RailOutage(k, starts) => self.on_rail_outage(k as usize, starts),
                Event::Recovery(k, phase) => {
                    let now = self.now();
                    self.stats.recovery_phase(k as usize, phase, now);
                }
                Event::Land(e) => self.on_land_event(e),
                Event::YardOverflow(s, seq) => self.on_yard_overflow(s, seq),
            }
            if self.error.is_some() || self.sched.processed() > self.max_events {
                return;
            }
        }
        self.sched.advance_to(end);
    }

    fn now(&self) -> i64 {
        self.sched.now().0
    }
}
