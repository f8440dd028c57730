//! The land side of the terminals: yards, road gates, pipelines and rail corridors.
//!
//! Import cargo enters its terminal's yard as it is discharged (a full yard stops discharge),
//! dwells, then leaves by its mode: through the road gate or the pipeline (each a FIFO fluid
//! server at its rate), or on a train. Rail cargo queues per corridor; trains load on the
//! port's loading tracks by timetable or when full, within their daily slots, and cargo that
//! waits too long may divert to road. Export cargo reaches the port by its mode ahead of its
//! ship (through the gate or pipeline server, or by rail) and waits in the yard to be loaded.
//!
//!
//! Rail runs both ways. Export cargo going by rail sets out from the region early enough to
//! make its ship (the longest wait for a train, loading, transit and unloading ahead of its
//! lead time), queues at the inland end, rides an inbound train within the corridor's inbound
//! slots, and needs one of the port's tracks to be unloaded; an inbound train waiting for a
//! track is served before outbound trains waiting to load. A corridor may also carry hub
//! cargo that never meets a ship (a China–Europe hub's boxes to and from the hinterland),
//! consolidated onto the same trains.
//!
//! Modelling choices, stated where a reader will look for them:
//! - a train, either way, holds one of the corridor's train sets from its start until it is
//!   back where it started (outbound: 2 × transit after leaving the port; inbound: transit
//!   after unloading); a loaded return is not paired with the next departure, which
//!   overstates the sets a balanced corridor needs;
//! - the inland end has no track limit: the port's tracks are what the plan builds;
//! - after a train has loaded, what is left in its queue is re-checked at once (another
//!   train may start on another free track, within the day's slots) or when its oldest
//!   cargo's wait runs out;
//! - export cargo enters the yard even when it is full (a yard over capacity then blocks
//!   discharge until it drains);
//! - a timetabled train with no free loading track at its slot does not run (the slot is lost).

mod cargo;
mod rail;
mod tank;
mod yard;

use std::collections::VecDeque;

use super::{Direction, Event, P_LAND, STEP_H, Sim, SimError};
use crate::engine::{SimDuration, SimTime, StreamRng, TICKS_PER_HOUR, stream};
use crate::model::{CargoClass, CorridorId, Departure, FlowId, ModeSplit, Model, RailDirection};
use crate::sim::stats::slot_of;

/// Landside events.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LandEvent {
    /// An import lot's dwell is over: it may leave by its mode.
    LotReady(u32),
    /// An import lot has passed the gate or pipeline and leaves the port.
    LotLeaves(u32),
    /// An export lot reaches the port.
    ExportArrives(u32),
    /// An export lot enters the yard.
    ExportInYard(u32),
    /// A timetabled train may start loading (at the port, or at the inland end).
    TrainSlot(u32, RailDirection),
    /// Re-check a when-full corridor (oldest cargo's wait, a new day's slots).
    TrainCheck(u32, RailDirection),
    /// A train leaves the port.
    TrainDeparts(u32),
    /// A train set is back at the port.
    SetReturns(u32),
    /// Divert rail cargo that has waited too long.
    DivertCheck(u32),
    /// An export lot going by rail reaches the inland end of its corridor.
    RailOrigin(u32),
    /// Hub cargo (no ship) joins a corridor's queue, outbound or inbound.
    HubArrives(u32, RailDirection),
    /// An inbound train reaches the port.
    TrainArrives(u32),
    /// An inbound train is unloaded.
    TrainUnloaded(u32),
    /// An hour of a tank's send-out is over.
    SendOut(u32),
}

/// The statistics slot of hub cargo, which belongs to no port's throughput.
const NO_SLOT: usize = usize::MAX;

/// A hinterland mode, indexing `SlotStats::by_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Rail = 0,
    Road = 1,
    Pipeline = 2,
}

/// "None" for a lot's 32-bit indices (`Lot::terminal`, `slot`, `corridor`, `priced_by`).
const NONE32: u32 = u32::MAX;

/// A consignment between yard and hinterland. Kept to one 64-byte cache line, and aligned to
/// one (indices as `u32`, its price looked up from its leg): a lot is created as its call is
/// announced or its cargo lands and touched again hours or days later, by when it has left the
/// nearer caches — at 112 bytes each touch read two or three lines from the last-level cache.
#[derive(Clone, Debug)]
#[repr(align(64))]
struct Lot {
    amount: u64,
    queued_at: i64,
    divert_at: i64,
    /// Charged on the lot so far and booked with its mode's static cost as its cargo is
    /// counted, CNY: an inbound rail lot's wait beyond the normal, or a diverted lot's hours
    /// in the rail queue.
    pending_cny: f64,
    /// See `Lot::terminal` (`NONE32` for hub cargo).
    terminal_: u32,
    /// See `Lot::slot`.
    slot_: u32,
    /// The export lot's ship.
    ship: u32,
    /// See `Lot::corridor`.
    corridor_: u32,
    /// The leg (in `Sim::legs`) whose `prices[price_mode]` prices the lot, where its leg has a
    /// mode choice (`NONE32`: not priced; `Sim::price_of`).
    priced_by: u32,
    cargo: CargoClass,
    mode: Mode,
    /// The mode the lot was priced by (a diverted lot keeps its rail price's road cost).
    price_mode: u8,
    diverted: bool,
    /// An export lot that has reached the port (and is not yet in the yard).
    at_port: bool,
}

// One cache line (see `Lot`).
const _: () = assert!(std::mem::size_of::<Lot>() == 64);

impl Lot {
    /// A lot of `amount` by `mode`, priced by leg `priced_by` where `Some` (its mode's price).
    #[allow(clippy::too_many_arguments)] // a lot is these; the three call sites name each
    fn new(
        terminal: Option<usize>,
        cargo: CargoClass,
        slot: usize,
        amount: u64,
        mode: Mode,
        ship: u32,
        corridor: Option<usize>,
        priced_by: Option<usize>,
    ) -> Lot {
        let index = |i: Option<usize>| {
            i.map_or(NONE32, |i| {
                u32::try_from(i)
                    .ok()
                    .filter(|&i| i != NONE32)
                    .expect("an index below 2^32 − 1")
            })
        };
        Lot {
            amount,
            queued_at: 0,
            divert_at: i64::MAX,
            pending_cny: 0.0,
            terminal_: index(terminal),
            slot_: index((slot != NO_SLOT).then_some(slot)),
            ship,
            corridor_: index(corridor),
            priced_by: index(priced_by),
            cargo,
            mode,
            price_mode: mode as u8,
            diverted: false,
            at_port: false,
        }
    }

    /// The terminal whose yard the lot passes (`NONE32` as a `usize` for hub cargo, which has
    /// none: read only where the lot has a statistics slot).
    #[inline]
    fn terminal(&self) -> usize {
        self.terminal_ as usize
    }

    /// The statistics slot (`NO_SLOT` for hub cargo).
    #[inline]
    fn slot(&self) -> usize {
        if self.slot_ == NONE32 {
            NO_SLOT
        } else {
            self.slot_ as usize
        }
    }

    /// The rail corridor of a rail lot.
    #[inline]
    fn corridor(&self) -> Option<usize> {
        (self.corridor_ != NONE32).then_some(self.corridor_ as usize)
    }
}

/// How a lot whose leg has a mode choice is priced for `land_cost_cny`: its mode's static
/// generalised cost, and what its waits for a train add (`Lot::pending_cny`), are booked as its
/// cargo is counted — as it leaves the port, reaches it, or its train departs — so that a lot
/// astride the measured period's edge is booked with its boxes or not at all.
#[derive(Clone, Copy, Debug)]
pub(super) struct LandPrice {
    /// Value of time, CNY per unit-hour.
    vot: f64,
    /// The wait for a train already in the rail's static cost (half the headway), hours: as a
    /// lot loads, its wait less this is charged, and booked with the lot's cargo (negative for
    /// a lot that catches an early train: the static cost holds the expected wait).
    normal_wait_h: f64,
    /// The static generalised cost of the lot's mode, CNY per unit (tariffs, last kilometre,
    /// transit hours at the value of time; rail's normal wait included).
    unit_cost: f64,
    /// The road's, for a lot diverted from rail (the rail's where the leg offers no road).
    road_cost: f64,
}

impl LandPrice {
    /// The price of a leg's lots moving by `mode` (0 rail, 1 road, 2 pipeline), where the leg
    /// has a mode choice.
    pub(super) fn of(
        h: &crate::model::Hinterland,
        model: &Model,
        mode: usize,
    ) -> Option<LandPrice> {
        let c = h.choice.as_ref()?;
        let trains = h
            .corridor
            .map_or(0.0, |k| model.corridors[k.index()].trains_per_day());
        Some(LandPrice {
            vot: c.value_of_time,
            normal_wait_h: if trains > 0.0 { 12.0 / trains } else { 0.0 },
            unit_cost: c.cost[mode],
            road_cost: if c.offered[1] { c.cost[1] } else { c.cost[0] },
        })
    }
}

#[derive(Default)]
struct YardState {
    stock: [u64; 2],
    /// The same stock by cargo class: what is physically in the yard, for the end-of-run
    /// count that checks the ledger.
    by_cargo: [u64; CargoClass::COUNT],
    reserved: [u64; 2],
    waiters: VecDeque<u32>,
    /// Export lots at the gate waiting for yard space (their ships are not yet at berth).
    export_queue: VecDeque<u32>,
    last: i64,
    /// The calendar month last booked to by `yard_touch` and its span `[from, to)` in ticks
    /// (`Window::month_span`): a touch inside it is one piece of the monthly integral.
    month: (usize, i64, i64),
    gate_free_at: i64,
    pipe_free_at: i64,
}

/// A corridor's fixed durations in ticks, converted from hours once for the run.
struct CorridorTicks {
    /// A when-full queue's part-load limit, out and in (0 for a timetable).
    max_wait: [i64; 2],
    /// Rail cargo's wait before it diverts to road.
    divert_after: Option<i64>,
    loading: i64,
    /// Loading and transit (an inbound train from its start to the port).
    loading_transit: i64,
    unloading: i64,
    /// How long before it must be at the port an export consignment sets out by rail.
    inbound_lead: i64,
}

impl CorridorTicks {
    fn of(k: &crate::model::RailCorridor) -> Self {
        let ticks = |h: f64| SimDuration::from_hours(h).0;
        let max_wait = |dir: RailDirection| match *k.departure_of(dir) {
            Departure::WhenFull { max_wait_h, .. } => ticks(max_wait_h),
            Departure::Timetable { .. } => 0,
        };
        CorridorTicks {
            max_wait: [max_wait(RailDirection::Out), max_wait(RailDirection::In)],
            divert_after: k.divert_to_road_after_h.map(ticks),
            loading: ticks(k.loading_h),
            loading_transit: ticks(k.loading_h + k.transit_h),
            unloading: ticks(k.unloading_h),
            inbound_lead: ticks(k.inbound_lead_h()),
        }
    }
}

/// Cargo waiting for trains one way along a corridor, and the day's departures.
#[derive(Default)]
struct RailQueue {
    queue: VecDeque<u32>,
    queued: u64,
    day: i64,
    trains_today: u32,
    /// The booked re-check (later checks left in the event queue are stale and ignored).
    check_at: Option<i64>,
}

impl RailQueue {
    /// Starts day `day`'s count of departures if the queue's count is of an earlier day.
    #[inline]
    fn roll_to(&mut self, day: i64) {
        if self.day != day {
            self.day = day;
            self.trains_today = 0;
        }
    }
}

#[derive(Default)]
struct CorridorState {
    /// Out of the port, into it (indexed by `RailDirection`).
    dirs: [RailQueue; 2],
    sets_out: u32,
    waiting_track: bool,
    /// When the pending divert check fires, if one is pending (one a corridor at a time).
    divert_at: Option<i64>,
    /// Outages under way (no train starts either way while above 0).
    down: u32,
}

struct Train {
    corridor: usize,
    /// Outbound: what it carries, by statistics slot (hub cargo under `NO_SLOT`).
    loads: Vec<(usize, u64)>,
    /// Outbound: the land cost of its priced cargo (static, and waits beyond the normal), by
    /// statistics slot, booked as it departs.
    costs: Vec<(usize, f64)>,
    /// Inbound: the lots it carries, each whole.
    lots: Vec<u32>,
    /// The unit-ticks its cargo waited in the queue before it loaded, booked to the corridor's
    /// `rail_wait_h_mean` with the cargo as it departs (outbound) or is unloaded (inbound).
    waited: i128,
    /// When it took a port track (−1: not on one).
    since: i64,
}

/// The landside state of a run.
pub(crate) struct Landside {
    lots: Vec<Lot>,
    free_lots: Vec<u32>,
    yards: Vec<YardState>,
    corridors: Vec<CorridorState>,
    /// Each corridor's durations in ticks.
    ticks: Vec<CorridorTicks>,
    trains: Vec<Train>,
    /// Train slots free for the next trains (each keeps its emptied lists, so that a run does
    /// not allocate a train's lists each time one loads).
    free_trains: Vec<u32>,
    /// The yards a loading train takes cargo from (freed once it has loaded): a list kept for
    /// reuse.
    freed_yards: Vec<usize>,
    tracks_busy: Vec<u32>,
    track_waiters: Vec<VecDeque<usize>>,
    /// Inbound trains at each port waiting for a track to unload.
    unload_waiters: Vec<VecDeque<u32>>,
    dwell_rng: Vec<StreamRng>,
    /// Per corridor with hub cargo: its arrival streams and mean hours between consignments,
    /// outbound and inbound.
    hub: Vec<Option<[(StreamRng, f64); 2]>>,
    /// Transshipment cargo in the yard per flow, not yet claimed by an onward call.
    held: Vec<u64>,
    /// The tanks of stock-driven flows, and each flow's tank.
    tanks: Vec<tank::Tank>,
    tank_of: Vec<Option<u32>>,
    /// Whether a terminal's yard is a stock-driven flow's tank (which never overflows).
    tank_terminal: Vec<bool>,
    /// Each flow's shift of its rail constant in the design year (`Model::rail_shifts`).
    rail_shift: Vec<f64>,
}

fn unit(c: CargoClass) -> usize {
    if c.is_container() { 0 } else { 1 }
}

/// How far ahead of its arrival a call must be announced so that its exports can reach the
/// yard first: the longest export lead time among `flows` (with the inbound rail leg where
/// the flow has a corridor), in ticks (0 without exports).
/// Unbounded lead-time distributions are cut at three times their mean.
pub(crate) fn export_horizon(model: &Model, flows: &[FlowId]) -> i64 {
    flows
        .iter()
        .filter_map(|f| {
            let flow = &model.flows[f.index()];
            let h = flow.hinterland.as_ref()?;
            (flow.direction == Direction::Export).then(|| {
                let m = h.dwell_h.max();
                let lead = if m.is_finite() {
                    m
                } else {
                    3.0 * h.dwell_h.mean()
                };
                // Rail cargo sets out earlier still, to ride an inbound train.
                let rail = h
                    .corridor
                    .map_or(0.0, |c| model.corridors[c.index()].inbound_lead_h());
                SimDuration::from_hours(lead + rail).0
            })
        })
        .max()
        .unwrap_or(0)
}

/// The floor of a part of a lot. `as` truncates, which is the floor for a part (never
/// negative, far below 2^53); `f64::floor` would be a call into a software routine, as the
/// baseline x86-64 target has no SSE4.1 rounding instruction, and `split` runs for every lot.
/// Through `i64` and a maximum with 0: a conversion of a few instructions, where one to `u64`
/// takes a few more — the same value for any `r` below 2^63 (0 for a negative `r` or NaN).
#[inline]
fn floor_of_part(r: f64) -> u64 {
    (r as i64).max(0) as u64
}

/// Splits `amount` by shares (which sum to 1), exactly: the parts add up to `amount` whatever
/// rounding does (largest remainder; ties to the earlier mode).
fn split(amount: u64, shares: [f64; 3]) -> [u64; 3] {
    let raw = shares.map(|s| s * amount as f64);
    let mut out = raw.map(floor_of_part);
    let frac = |i: usize| raw[i] - floor_of_part(raw[i]) as f64;
    // Rounding can only leave a few units over or under: take them off the largest part, or
    // hand them out by remainder to the modes that have a share.
    let sum: u64 = out.iter().sum();
    if sum > amount {
        let big = (0..3).max_by_key(|&i| out[i]).expect("three parts");
        out[big] -= sum - amount;
    }
    let mut left = amount.saturating_sub(sum);
    if left == 0 {
        return out; // nothing to hand out (most lots go by one mode)
    }
    // The modes by remainder, largest first (ties to the earlier mode): a strict total order,
    // so three compare-and-swaps give the one order a sort would (each remainder computed once).
    let fr = [frac(0), frac(1), frac(2)];
    let first = |a: usize, b: usize| fr[a].total_cmp(&fr[b]).then(b.cmp(&a)).is_gt();
    let mut order = [0usize, 1, 2];
    if first(order[1], order[0]) {
        order.swap(0, 1);
    }
    if first(order[2], order[1]) {
        order.swap(1, 2);
    }
    if first(order[1], order[0]) {
        order.swap(0, 1);
    }
    // The modes with a share, in `order` (an array and a count: this runs for every lot).
    let mut takers = [0usize; 3];
    let mut n = 0;
    for i in order {
        if shares[i] > 0.0 {
            takers[n] = i;
            n += 1;
        }
    }
    if n == 0 {
        out[0] += left;
        return out;
    }
    let each = left / n as u64;
    left -= each * n as u64;
    for &i in &takers[..n] {
        out[i] += each + u64::from(left > 0);
        left = left.saturating_sub(1);
    }
    out
}

impl Landside {
    pub(crate) fn new(model: &Model, year: u16, seed: u64) -> Self {
        Landside {
            rail_shift: model.rail_shifts(year),
            lots: Vec::new(),
            free_lots: Vec::new(),
            yards: (0..model.terminals.len())
                .map(|_| YardState::default())
                .collect(),
            corridors: (0..model.corridors.len())
                .map(|_| CorridorState::default())
                .collect(),
            ticks: model.corridors.iter().map(CorridorTicks::of).collect(),
            trains: Vec::new(),
            free_trains: Vec::new(),
            freed_yards: Vec::new(),
            tracks_busy: vec![0; model.ports.len()],
            track_waiters: vec![VecDeque::new(); model.ports.len()],
            unload_waiters: vec![VecDeque::new(); model.ports.len()],
            hub: model
                .corridors
                .iter()
                .map(|k| {
                    let hub = k.hub.as_ref()?;
                    let factor = model.hub_factor(hub, year);
                    let gap_h = |per_yr: f64| {
                        let lots = per_yr * factor / hub.lot.round().max(1.0);
                        if lots > 0.0 {
                            8760.0 / lots
                        } else {
                            f64::INFINITY
                        }
                    };
                    Some([
                        (
                            stream(seed, &format!("hub/{}/out", k.name)),
                            gap_h(hub.out_per_yr),
                        ),
                        (
                            stream(seed, &format!("hub/{}/in", k.name)),
                            gap_h(hub.in_per_yr),
                        ),
                    ])
                })
                .collect(),
            dwell_rng: model
                .flows
                .iter()
                .map(|f| stream(seed, &format!("dwell/{}", f.name)))
                .collect(),
            held: vec![0; model.flows.len()],
            tanks: Vec::new(),
            tank_of: vec![None; model.flows.len()],
            tank_terminal: vec![false; model.terminals.len()],
        }
    }

    /// Transshipment cargo of `flow` now ashore waits for its onward call.
    pub(crate) fn hold_transshipment(&mut self, flow: FlowId, amount: u64) {
        self.held[flow.index()] += amount;
    }

    /// Transshipment cargo of `flow` in the yard and not yet claimed by a call.
    pub(crate) fn transshipment_held(&self, flow: FlowId) -> u64 {
        self.held[flow.index()]
    }

    /// An onward call claims `amount` of it (it stays in the yard until loaded).
    pub(crate) fn reserve_transshipment(&mut self, flow: FlowId, amount: u64) {
        self.held[flow.index()] -= amount;
    }

    /// Adds the cargo in the yards, at the gates (exports not yet in the yard) and on trains
    /// loading to `found`, per statistics slot.
    pub(crate) fn count_in_port(&self, model: &Model, found: &mut [u64]) {
        for (t, y) in self.yards.iter().enumerate() {
            let port = model.terminals[t].port.index();
            for cargo in CargoClass::ALL {
                found[slot_of(port, cargo)] += y.by_cargo[cargo.index()];
            }
        }
        // (A lot is freed only once it is no longer at the port, so freed lots never count.)
        for lot in self.lots.iter().filter(|l| l.at_port) {
            found[lot.slot()] += lot.amount;
        }
        // Outbound trains loading (inbound cargo counts once unloaded).
        for train in self.trains.iter().filter(|t| t.since >= 0) {
            for &(slot, amount) in train.loads.iter().filter(|l| l.0 != NO_SLOT) {
                found[slot] += amount;
            }
        }
    }

    fn new_lot(&mut self, lot: Lot) -> u32 {
        match self.free_lots.pop() {
            Some(i) => {
                self.lots[i as usize] = lot;
                i
            }
            None => {
                self.lots.push(lot);
                (self.lots.len() - 1) as u32
            }
        }
    }
}

impl Sim<'_> {
    /// How `lot` is priced (`None`: its leg has no mode choice): its leg's price for the mode
    /// it was priced by, the road's cost as its own once it is diverted.
    #[inline]
    fn price_of(&self, lot: &Lot) -> Option<LandPrice> {
        if lot.priced_by == NONE32 {
            return None;
        }
        let mut p = self.legs[lot.priced_by as usize].prices[lot.price_mode as usize]?;
        if lot.diverted {
            p.unit_cost = p.road_cost;
        }
        Some(p)
    }

    /// The mode shares of leg `leg` (an index in `legs`, of a leg with a hinterland) for a rail
    /// wait and shift: `Hinterland::shares_shifted`, remembered for the pair last asked.
    fn leg_shares(&mut self, leg: usize, rail_wait_h: f64, rail_shift: f64) -> ModeSplit {
        let key = (rail_wait_h.to_bits(), rail_shift.to_bits());
        let l = &mut self.legs[leg];
        if let Some((w, s, shares)) = l.shares_memo
            && (w, s) == key
        {
            return shares;
        }
        let h = l.hinterland.expect("a leg with a hinterland");
        let shares = h.shares_shifted(rail_wait_h, rail_shift);
        l.shares_memo = Some((key.0, key.1, shares));
        shares
    }

    fn land_at(&mut self, at: i64, e: LandEvent) {
        let now = self.now();
        self.sched
            .schedule_in(SimDuration((at - now).max(0)), P_LAND, Event::Land(e));
    }

    /// Starts the timetables.
    pub(super) fn start_landside(&mut self) {
        for c in 0..self.model.corridors.len() {
            for dir in [RailDirection::Out, RailDirection::In] {
                if let Some(t) = self.next_timetable_slot(c, dir, 0) {
                    self.land_at(t, LandEvent::TrainSlot(c as u32, dir));
                }
                self.next_hub_lot(c, dir);
            }
        }
    }

    /// Closes the landside integrals at the end of the measured period.
    pub(super) fn finish_landside(&mut self) {
        let end = self.stats.window.end;
        for t in 0..self.land.yards.len() {
            self.yard_touch(t, end);
            // The period's integral: its months' (each touch booked its ticks by month).
            let ts = &mut self.stats.terminals[t];
            ts.yard_area = [0, 1].map(|u| ts.yard_area_month.iter().map(|m| m[u]).sum());
        }
        for tr in &self.land.trains {
            if tr.since >= 0 {
                let port = self.model.corridors[tr.corridor].port.index();
                self.stats.track_busy[port] += self.stats.window.overlap(tr.since, end);
            }
        }
        let days = (self.stats.window.end - self.stats.window.start) as f64
            / (24.0 * TICKS_PER_HOUR as f64);
        for (c, k) in self.model.corridors.iter().enumerate() {
            self.stats.corridors[c].slots =
                [&k.departure, &k.inbound].map(|d| (d.trains_per_day() * days).round() as u64);
        }
    }

    pub(super) fn on_land_event(&mut self, e: LandEvent) {
        match e {
            LandEvent::LotReady(l) => self.lot_ready(l),
            LandEvent::LotLeaves(l) => self.lot_leaves(l),
            LandEvent::ExportArrives(l) => self.export_arrives(l),
            LandEvent::ExportInYard(l) => self.export_in_yard(l),
            LandEvent::TrainSlot(c, dir) => self.timetable_slot(c as usize, dir),
            LandEvent::TrainCheck(c, dir) => {
                // Only the booked check acts; an earlier booking superseded this one.
                let now = self.now();
                let q = &mut self.land.corridors[c as usize].dirs[dir as usize];
                if q.check_at == Some(now) {
                    q.check_at = None;
                    self.try_train(c as usize, dir);
                }
            }
            LandEvent::TrainDeparts(t) => self.train_departs(t),
            LandEvent::SetReturns(c) => {
                self.land.corridors[c as usize].sets_out -= 1;
                self.try_train(c as usize, RailDirection::Out);
                self.try_train(c as usize, RailDirection::In);
            }
            LandEvent::DivertCheck(c) => {
                self.land.corridors[c as usize].divert_at = None;
                self.divert(c as usize);
            }
            LandEvent::RailOrigin(l) => self.rail_origin(l),
            LandEvent::HubArrives(c, dir) => self.hub_arrives(c as usize, dir),
            LandEvent::TrainArrives(t) => self.train_arrives(t),
            LandEvent::TrainUnloaded(t) => self.train_unloaded(t),
            LandEvent::SendOut(k) => self.send_out(k as usize),
        }
    }

    // ---- the yard ---------------------------------------------------------------------
}

#[cfg(test)]
mod tests {
    use super::split;

    /// `split` as it was written first, handing out the units left by a sort of the modes.
    fn split_by_sort(amount: u64, shares: [f64; 3]) -> [u64; 3] {
        let raw = shares.map(|s| s * amount as f64);
        let mut out = raw.map(|r| r as u64);
        let frac = |i: usize| raw[i] - (raw[i] as u64) as f64;
        let sum: u64 = out.iter().sum();
        if sum > amount {
            let big = (0..3).max_by_key(|&i| out[i]).expect("three parts");
            out[big] -= sum - amount;
        }
        let mut left = amount.saturating_sub(sum);
        if left == 0 {
            return out;
        }
        let mut order = [0usize, 1, 2];
        order.sort_by(|&a, &b| frac(b).total_cmp(&frac(a)).then(a.cmp(&b)));
        let takers: Vec<usize> = order.into_iter().filter(|&i| shares[i] > 0.0).collect();
        if takers.is_empty() {
            out[0] += left;
            return out;
        }
        let n = takers.len() as u64;
        let each = left / n;
        left -= each * n;
        for i in takers {
            out[i] += each + u64::from(left > 0);
            left = left.saturating_sub(1);
        }
        out
    }

    #[test]
    fn split_hands_out_what_is_left_as_a_sort_of_the_remainders_would() {
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 11
        };
        for _ in 0..20_000 {
            let amount = next() % 100_000;
            // Shares with ties (equal remainders), zeros and odd thirds.
            let pick = |v: u64| [0.0f64, 0.25, 0.5, 1.0 / 3.0, 0.1, 0.7, 0.2][(v % 7) as usize];
            let (a, b) = (pick(next()), pick(next()));
            let c = (1.0 - a - b).max(0.0);
            // (The last may be negative: out of `split`'s domain, but floored alike.)
            for shares in [[a, b, c], [c, a, b], [b, c, a], [a, a, 1.0 - 2.0 * a]] {
                assert_eq!(
                    split(amount, shares),
                    split_by_sort(amount, shares),
                    "{amount} {shares:?}"
                );
            }
        }
    }

    #[test]
    fn split_is_exact_and_proportional() {
        assert_eq!(split(10, [0.3, 0.7, 0.0]), [3, 7, 0]);
        assert_eq!(split(1, [0.5, 0.5, 0.0]), [1, 0, 0]);
        assert_eq!(
            split(7, [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0])
                .iter()
                .sum::<u64>(),
            7
        );
        assert_eq!(split(5, [0.0, 1.0, 0.0]), [0, 5, 0]);
        // Shares a hair off 1 still split to the unit, on any amount.
        for amount in [1, 7, 1_234_567, 987_654_321_012] {
            for shares in [
                [0.0, 0.5, 0.5000009],
                [0.2999999, 0.7, 0.0],
                [0.1, 0.2, 0.3],
            ] {
                assert_eq!(
                    split(amount, shares).iter().sum::<u64>(),
                    amount,
                    "{shares:?}"
                );
            }
        }
    }
}
