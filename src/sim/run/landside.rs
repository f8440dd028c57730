//! The land side of the terminals: yards, road gates, pipelines and rail corridors.
//!
//! Import cargo enters its terminal's yard as it is discharged (a full yard stops discharge),
//! dwells, then leaves by its mode: through the road gate or the pipeline (each a FIFO fluid
//! server at its rate), or on a train. Rail cargo queues per corridor; trains load on the
//! port's loading tracks by timetable or when full, within their daily slots, and cargo that
//! waits too long may divert to road. Export cargo reaches the port by its mode ahead of its
//! ship (through the gate or pipeline server, or by rail) and waits in the yard to be loaded.
//!
//! Modelling choices, stated where a reader will look for them:
//! - export cargo arriving by rail is not held by slots or tracks: the binding rail constraint
//!   modelled is the outbound (port → hinterland) train, which is where Liaoning's sea–rail
//!   volume is limited;
//! - export cargo enters the yard even when it is full (a yard over capacity then blocks
//!   discharge until it drains);
//! - a timetabled train with no free loading track at its slot does not run (the slot is lost).

use std::collections::VecDeque;

use super::{Direction, Event, P_LAND, STEP_H, STEP_YARD_SHARE, Sim, SimError};
use crate::engine::{SimDuration, SimTime, StreamRng, TICKS_PER_HOUR, stream};
use crate::model::{CargoClass, CorridorId, Departure, FlowId, Model};
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
    /// A timetabled train may start loading.
    TrainSlot(u32),
    /// Re-check a when-full corridor (oldest cargo's wait, a new day's slots).
    TrainCheck(u32),
    /// A train leaves the port.
    TrainDeparts(u32),
    /// A train set is back at the port.
    SetReturns(u32),
    /// Divert rail cargo that has waited too long.
    DivertCheck(u32),
}

/// A hinterland mode, indexing `SlotStats::by_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Rail = 0,
    Road = 1,
    Pipeline = 2,
}

#[derive(Clone, Debug)]
struct Lot {
    terminal: usize,
    cargo: CargoClass,
    slot: usize,
    amount: u64,
    mode: Mode,
    /// The export lot's ship.
    ship: u32,
    queued_at: i64,
    divert_at: i64,
    diverted: bool,
    /// The rail corridor of a rail lot.
    corridor: Option<usize>,
}

#[derive(Default)]
struct YardState {
    stock: [u64; 2],
    reserved: [u64; 2],
    waiters: VecDeque<u32>,
    /// Export lots at the gate waiting for yard space (their ships are not yet at berth).
    export_queue: VecDeque<u32>,
    last: i64,
    gate_free_at: i64,
    pipe_free_at: i64,
}

#[derive(Default)]
struct CorridorState {
    queue: VecDeque<u32>,
    queued: u64,
    day: i64,
    trains_today: u32,
    sets_out: u32,
    check_at: Option<i64>,
    waiting_track: bool,
}

struct Train {
    corridor: usize,
    loads: Vec<(usize, u64)>,
    since: i64,
}

/// The landside state of a run.
pub(crate) struct Landside {
    lots: Vec<Lot>,
    free_lots: Vec<u32>,
    yards: Vec<YardState>,
    corridors: Vec<CorridorState>,
    trains: Vec<Train>,
    free_trains: Vec<u32>,
    tracks_busy: Vec<u32>,
    track_waiters: Vec<VecDeque<usize>>,
    dwell_rng: Vec<StreamRng>,
    /// Transshipment cargo in the yard per flow, not yet claimed by an onward call.
    held: Vec<u64>,
}

fn unit(c: CargoClass) -> usize {
    if c.is_container() { 0 } else { 1 }
}

/// How far ahead of its arrival a call must be announced so that its exports can reach the
/// yard first: the longest export lead time among `flows`, in ticks (0 without exports).
/// Unbounded lead-time distributions are cut at three times their mean.
pub(crate) fn export_horizon(model: &Model, flows: &[FlowId]) -> i64 {
    flows
        .iter()
        .filter_map(|f| {
            let flow = &model.flows[f.index()];
            let h = flow.hinterland.as_ref()?;
            (flow.direction == Direction::Export).then(|| {
                let m = h.dwell_h.max();
                SimDuration::from_hours(if m.is_finite() {
                    m
                } else {
                    3.0 * h.dwell_h.mean()
                })
                .0
            })
        })
        .max()
        .unwrap_or(0)
}

/// Splits `amount` by shares, exactly (largest remainder; ties to the earlier mode).
fn split(amount: u64, shares: [f64; 3]) -> [u64; 3] {
    let raw = shares.map(|s| s * amount as f64);
    let mut out = raw.map(|r| r.floor() as u64);
    let mut left = amount - out.iter().sum::<u64>();
    let mut order = [0usize, 1, 2];
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        if shares[i] > 0.0 {
            out[i] += 1;
            left -= 1;
        }
    }
    out
}

impl Landside {
    pub(crate) fn new(model: &Model, seed: u64) -> Self {
        Landside {
            lots: Vec::new(),
            free_lots: Vec::new(),
            yards: (0..model.terminals.len())
                .map(|_| YardState::default())
                .collect(),
            corridors: (0..model.corridors.len())
                .map(|_| CorridorState::default())
                .collect(),
            trains: Vec::new(),
            free_trains: Vec::new(),
            tracks_busy: vec![0; model.ports.len()],
            track_waiters: vec![VecDeque::new(); model.ports.len()],
            dwell_rng: model
                .flows
                .iter()
                .map(|f| stream(seed, &format!("dwell/{}", f.name)))
                .collect(),
            held: vec![0; model.flows.len()],
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
    fn land_at(&mut self, at: i64, e: LandEvent) {
        let now = self.now();
        self.sched
            .schedule_in(SimDuration((at - now).max(0)), P_LAND, Event::Land(e));
    }

    /// Starts the timetables.
    pub(super) fn start_landside(&mut self) {
        for c in 0..self.model.corridors.len() {
            if let Some(t) = self.next_timetable_slot(c, 0) {
                self.land_at(t, LandEvent::TrainSlot(c as u32));
            }
        }
    }

    /// Closes the landside integrals at the end of the measured period.
    pub(super) fn finish_landside(&mut self) {
        let end = self.stats.window.end;
        for t in 0..self.land.yards.len() {
            self.yard_touch(t, end);
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
            let per_day = match &k.departure {
                Departure::Timetable { times_h } => times_h.len() as f64,
                Departure::WhenFull { slots_per_day, .. } => f64::from(*slots_per_day),
            };
            self.stats.corridors[c].slots = (per_day * days).round() as u64;
        }
    }

    pub(super) fn on_land_event(&mut self, e: LandEvent) {
        match e {
            LandEvent::LotReady(l) => self.lot_ready(l),
            LandEvent::LotLeaves(l) => self.lot_leaves(l),
            LandEvent::ExportArrives(l) => self.export_arrives(l),
            LandEvent::ExportInYard(l) => self.export_in_yard(l),
            LandEvent::TrainSlot(c) => self.timetable_slot(c as usize),
            LandEvent::TrainCheck(c) => {
                self.land.corridors[c as usize].check_at = None;
                self.try_train(c as usize);
            }
            LandEvent::TrainDeparts(t) => self.train_departs(t),
            LandEvent::SetReturns(c) => {
                self.land.corridors[c as usize].sets_out -= 1;
                self.try_train(c as usize);
            }
            LandEvent::DivertCheck(c) => self.divert(c as usize),
        }
    }

    // ---- the yard ---------------------------------------------------------------------

    /// Brings a yard's time integrals up to `now`.
    fn yard_touch(&mut self, t: usize, now: i64) {
        let w = self.stats.window;
        let y = &mut self.land.yards[t];
        let dt = w.overlap(y.last, now);
        let ts = &mut self.stats.terminals[t];
        for u in 0..2 {
            ts.yard_area[u] += i128::from(y.stock[u]) * i128::from(dt);
        }
        let stock = y.stock;
        w.by_month(y.last, now, |m, d| {
            for (area, &units) in ts.yard_area_month[m].iter_mut().zip(&stock) {
                *area += i128::from(units) * i128::from(d);
            }
        });
        if !y.waiters.is_empty() {
            ts.yard_full += dt;
        }
        y.last = y.last.max(now);
    }

    fn fits(&self, t: usize, cargo: CargoClass, amount: u64) -> bool {
        let y = &self.land.yards[t];
        let u = unit(cargo);
        let used = y.stock[u] + y.reserved[u];
        // A step larger than the whole yard may still go into an empty one (no deadlock).
        used == 0 || (used + amount) as f64 <= self.model.terminals[t].yard.capacity(cargo)
    }

    /// The size of the ship's next step on its current lot: `STEP_H` hours of work or
    /// `STEP_YARD_SHARE` of the yard, whichever is more, and never more than is left.
    pub(super) fn step_amount(&self, ship: u32) -> u64 {
        let s = &self.ships[ship as usize];
        let flow = s.lots[s.cursor].flow;
        let f = &self.model.flows[flow.index()];
        let by_time = s.rate * STEP_H;
        let by_yard = self.yard_of(ship, flow).map_or(0.0, |t| {
            let cap = self.model.terminals[t.index()].yard.capacity(f.cargo);
            if cap.is_finite() {
                cap * STEP_YARD_SHARE
            } else {
                f64::INFINITY
            }
        });
        let step = by_time.max(by_yard);
        if step >= s.lot_left as f64 {
            s.lot_left
        } else {
            ((step + 0.5) as u64).max(1)
        }
    }

    /// Reserves yard space for a discharge step; false if it does not fit.
    pub(super) fn reserve_yard(&mut self, t: usize, cargo: CargoClass, amount: u64) -> bool {
        if !self.fits(t, cargo, amount) {
            return false;
        }
        self.land.yards[t].reserved[unit(cargo)] += amount;
        true
    }

    /// A discharge step's cargo is in the yard.
    pub(super) fn land_in_yard(&mut self, terminal: usize, cargo: CargoClass, amount: u64) {
        let now = self.now();
        self.yard_touch(terminal, now);
        let y = &mut self.land.yards[terminal];
        y.reserved[unit(cargo)] -= amount;
        y.stock[unit(cargo)] += amount;
    }

    /// Export cargo leaves the yard onto a ship.
    pub(super) fn take_from_yard(&mut self, t: usize, cargo: CargoClass, amount: u64) {
        let now = self.now();
        self.yard_touch(t, now);
        let y = &mut self.land.yards[t];
        match y.stock[unit(cargo)].checked_sub(amount) {
            Some(left) => y.stock[unit(cargo)] = left,
            None => {
                self.error = Some(SimError(format!(
                    "yard of {} holds less {cargo} than a ship loads",
                    self.model.terminals[t].name
                )))
            }
        }
        self.yard_freed(t);
    }

    /// A ship's discharge waits for space in yard `t`.
    pub(super) fn block_on_yard(&mut self, ship: u32, t: usize) {
        let now = self.now();
        self.yard_touch(t, now);
        let s = &mut self.ships[ship as usize];
        s.blocked_since = now;
        s.block_seq = s.block_seq.wrapping_add(1);
        let seq = s.block_seq;
        self.land.yards[t].waiters.push_back(ship);
        let limit = self.model.terminals[t].yard_overflow_after_h;
        self.sched.schedule_in(
            SimDuration::from_hours(limit),
            P_LAND,
            Event::YardOverflow(ship, seq),
        );
    }

    /// A ship blocked on a full yard (block number `seq`) has waited the terminal's limit: the
    /// terminal gives it overflow space and its discharge resumes (unless space came first).
    pub(super) fn on_yard_overflow(&mut self, ship: u32, seq: u32) {
        let s = &self.ships[ship as usize];
        if s.block_seq != seq || s.blocked_since < 0 {
            return; // resumed (and perhaps blocked again) since: a stale timer
        }
        if self.leave_yard_queue(ship) {
            self.ships[ship as usize].overflow = true;
            self.resume_work(ship);
        }
    }

    /// Takes a ship blocked on its current lot's yard out of that yard's queue (closing the
    /// yard's full-time integral first); false if it is not queued there.
    fn leave_yard_queue(&mut self, ship: u32) -> bool {
        let s = &self.ships[ship as usize];
        let Some(t) = self.yard_of(ship, s.lots[s.cursor].flow) else {
            return false;
        };
        let now = self.now();
        self.yard_touch(t.index(), now);
        let waiters = &mut self.land.yards[t.index()].waiters;
        match waiters.iter().position(|&w| w == ship) {
            Some(pos) => {
                waiters.remove(pos);
                true
            }
            None => false,
        }
    }

    /// Reserves yard space for a discharge step beyond the yard's capacity (overflow).
    pub(super) fn force_reserve_yard(&mut self, t: usize, cargo: CargoClass, amount: u64) {
        self.land.yards[t].reserved[unit(cargo)] += amount;
    }

    /// Space was freed in yard `t`: resume blocked ships, first come first served, then admit
    /// exports waiting at the gate.
    fn yard_freed(&mut self, t: usize) {
        let now = self.now();
        while let Some(&ship) = self.land.yards[t].waiters.front() {
            let s = &self.ships[ship as usize];
            let cargo = self.model.flows[s.lots[s.cursor].flow.index()].cargo;
            let amount = self.step_amount(ship);
            if !self.fits(t, cargo, amount) {
                return;
            }
            self.yard_touch(t, now);
            self.land.yards[t].waiters.pop_front();
            self.resume_work(ship);
        }
        // Then exports waiting at the gate, first come first served, while they fit.
        while let Some(&l) = self.land.yards[t].export_queue.front() {
            let lot = &self.land.lots[l as usize];
            if !self.fits(t, lot.cargo, lot.amount) {
                return;
            }
            self.land.yards[t].export_queue.pop_front();
            self.admit_export(l);
        }
    }

    /// Import cargo is ashore: split it by mode and start its dwell, by the hinterland leg of
    /// the port the ship went to.
    pub(super) fn start_dwell(&mut self, ship: u32, flow: FlowId, amount: u64) {
        let now = self.now();
        let f = &self.model.flows[flow.index()];
        let h = self
            .hinterland_of(ship, flow)
            .expect("only hinterland flows dwell");
        let parts = split(amount, [h.modes.rail, h.modes.road, h.modes.pipeline]);
        let (terminal, cargo, slot) = (
            h.terminal.index(),
            f.cargo,
            self.ships[ship as usize].slot as usize,
        );
        let corridor = h.corridor.map(CorridorId::index);
        for (i, &part) in parts.iter().enumerate() {
            if part == 0 {
                continue;
            }
            let mode = [Mode::Rail, Mode::Road, Mode::Pipeline][i];
            let dwell =
                SimDuration::from_hours(h.dwell_h.sample(&mut self.land.dwell_rng[flow.index()]));
            let lot = self.land.new_lot(Lot {
                terminal,
                cargo,
                slot,
                amount: part,
                mode,
                ship: u32::MAX,
                queued_at: 0,
                divert_at: i64::MAX,
                diverted: false,
                corridor,
            });
            self.land_at(now + dwell.0, LandEvent::LotReady(lot));
        }
    }

    /// A FIFO fluid server (gate or pipeline) at terminal `t`: when `amount` starting no
    /// earlier than now will have passed. `None` rate: no limit.
    fn serve(&mut self, t: usize, mode: Mode, cargo: CargoClass, amount: u64) -> i64 {
        let now = self.now();
        let term = &self.model.terminals[t];
        let rate = match mode {
            Mode::Road => term.gate.map(|g| g.rate_per_h(cargo)),
            Mode::Pipeline => term.pipeline_t_per_h,
            Mode::Rail => None,
        };
        let Some(rate) = rate else { return now };
        let y = &mut self.land.yards[t];
        let free_at = if mode == Mode::Road {
            &mut y.gate_free_at
        } else {
            &mut y.pipe_free_at
        };
        let finish = (*free_at).max(now) + SimDuration::from_hours(amount as f64 / rate).0;
        *free_at = finish;
        finish
    }

    fn lot_ready(&mut self, l: u32) {
        let lot = self.land.lots[l as usize].clone();
        match lot.mode {
            Mode::Road | Mode::Pipeline => {
                let at = self.serve(lot.terminal, lot.mode, lot.cargo, lot.amount);
                self.land_at(at, LandEvent::LotLeaves(l));
            }
            Mode::Rail => {
                let c = lot
                    .corridor
                    .expect("validation gives every rail share a corridor");
                let now = self.now();
                let limit = self.model.corridors[c].divert_to_road_after_h;
                let lt = &mut self.land.lots[l as usize];
                lt.queued_at = now;
                if let Some(limit) = limit {
                    lt.divert_at = now + SimDuration::from_hours(limit).0;
                    let at = lt.divert_at;
                    self.land_at(at, LandEvent::DivertCheck(c as u32));
                }
                let cs = &mut self.land.corridors[c];
                cs.queue.push_back(l);
                cs.queued += lot.amount;
                self.try_train(c);
            }
        }
    }

    fn lot_leaves(&mut self, l: u32) {
        let now = self.now();
        let lot = self.land.lots[l as usize].clone();
        self.yard_touch(lot.terminal, now);
        let y = &mut self.land.yards[lot.terminal];
        y.stock[unit(lot.cargo)] -= lot.amount;
        self.stats.cargo_departs(lot.slot, lot.amount, now);
        if self.stats.window.contains(SimTime(now)) {
            let s = &mut self.stats.slots[lot.slot];
            s.by_mode[lot.mode as usize] += lot.amount;
            if lot.diverted {
                s.diverted += lot.amount;
            }
        }
        self.land.free_lots.push(l);
        self.yard_freed(lot.terminal);
    }

    // ---- exports ----------------------------------------------------------------------

    /// Sends a new call's export cargo towards the yard, to arrive ahead of the ship.
    pub(super) fn dispatch_exports(&mut self, ship: u32) {
        let now = self.now();
        let model = self.model;
        let horizon = self.gens[self.ships[ship as usize].source as usize].horizon;
        let arrival = self.ships[ship as usize].arrival;
        for i in 0..self.ships[ship as usize].lots.len() {
            let l = self.ships[ship as usize].lots[i];
            let (flow, amount) = (l.flow, l.amount);
            let f = &model.flows[flow.index()];
            let Some(h) = f
                .hinterland
                .as_ref()
                .filter(|_| f.direction == Direction::Export)
            else {
                continue;
            };
            if amount == 0 {
                continue;
            }
            let lead =
                SimDuration::from_hours(h.dwell_h.sample(&mut self.land.dwell_rng[flow.index()]))
                    .0
                    .min(horizon);
            let at = (arrival - lead).max(now);
            let parts = split(amount, [h.modes.rail, h.modes.road, h.modes.pipeline]);
            for (k, &part) in parts.iter().enumerate() {
                if part == 0 {
                    continue;
                }
                let lot = self.land.new_lot(Lot {
                    terminal: h.terminal.index(),
                    cargo: f.cargo,
                    slot: slot_of(f.port.index(), f.cargo),
                    amount: part,
                    mode: [Mode::Rail, Mode::Road, Mode::Pipeline][k],
                    ship,
                    queued_at: 0,
                    divert_at: i64::MAX,
                    diverted: false,
                    corridor: None,
                });
                self.ships[ship as usize].exports_pending += 1;
                self.land_at(at, LandEvent::ExportArrives(lot));
            }
        }
    }

    fn export_arrives(&mut self, l: u32) {
        let now = self.now();
        let lot = self.land.lots[l as usize].clone();
        self.stats.cargo_arrives(lot.slot, lot.amount, now);
        if self.stats.window.contains(SimTime(now)) {
            self.stats.slots[lot.slot].by_mode[lot.mode as usize] += lot.amount;
        }
        let at = self.serve(lot.terminal, lot.mode, lot.cargo, lot.amount);
        self.land_at(at, LandEvent::ExportInYard(l));
    }

    /// An export lot reaches the terminal: into the yard if there is room or its ship is
    /// already at berth; otherwise it waits at the gate for space (the terminal stops
    /// receiving exports for later ships when its yard is full).
    fn export_in_yard(&mut self, l: u32) {
        let lot = &self.land.lots[l as usize];
        let (t, cargo, amount, ship) = (lot.terminal, lot.cargo, lot.amount, lot.ship);
        if self.ships[ship as usize].berthed_at >= 0 || self.fits(t, cargo, amount) {
            self.admit_export(l);
        } else {
            self.land.yards[t].export_queue.push_back(l);
        }
    }

    /// Export lot `l` enters its yard.
    fn admit_export(&mut self, l: u32) {
        let now = self.now();
        let lot = self.land.lots[l as usize].clone();
        self.yard_touch(lot.terminal, now);
        self.land.yards[lot.terminal].stock[unit(lot.cargo)] += lot.amount;
        self.land.free_lots.push(l);
        let s = &mut self.ships[lot.ship as usize];
        s.exports_pending -= 1;
        if s.exports_pending == 0 && s.waiting_exports {
            self.resume_work(lot.ship);
        } else if s.exports_pending == 0 && s.blocked_since >= 0 {
            // Its discharge is blocked on a full yard, and now its exports are all in: take it
            // out of the yard's queue so it loads them first (dual cycling). Otherwise it would
            // wait for space that only its own loading — or no one's — can free.
            if self.leave_yard_queue(lot.ship) {
                self.resume_work(lot.ship);
            }
        }
    }

    /// A ship at berth needs its exports: admit those waiting at any gate, space or not.
    pub(super) fn admit_exports_of(&mut self, ship: u32) {
        for t in 0..self.land.yards.len() {
            if self.land.yards[t].export_queue.is_empty() {
                continue;
            }
            let mine: Vec<u32> = self.land.yards[t]
                .export_queue
                .iter()
                .copied()
                .filter(|&l| self.land.lots[l as usize].ship == ship)
                .collect();
            if mine.is_empty() {
                continue;
            }
            self.land.yards[t]
                .export_queue
                .retain(|l| !mine.contains(l));
            for l in mine {
                self.admit_export(l);
            }
        }
    }

    // ---- rail -------------------------------------------------------------------------

    /// Calendar day of tick `t` (day 0 is 1 January of the design year).
    fn day_of(&self, t: i64) -> i64 {
        (t - SimTime::from_hours(self.warmup_h).0).div_euclid(24 * TICKS_PER_HOUR)
    }

    fn day_start(&self, day: i64) -> i64 {
        SimTime::from_hours(self.warmup_h).0 + day * 24 * TICKS_PER_HOUR
    }

    /// The first timetable slot at or after `t`, if the corridor runs to a timetable.
    fn next_timetable_slot(&self, c: usize, t: i64) -> Option<i64> {
        let Departure::Timetable { times_h } = &self.model.corridors[c].departure else {
            return None;
        };
        let day = self.day_of(t);
        for d in [day, day + 1] {
            for &h in times_h {
                let at = self.day_start(d) + SimDuration::from_hours(h).0;
                if at >= t {
                    return Some(at);
                }
            }
        }
        None
    }

    fn roll_day(&mut self, c: usize) {
        let day = self.day_of(self.now());
        let cs = &mut self.land.corridors[c];
        if cs.day != day {
            cs.day = day;
            cs.trains_today = 0;
        }
    }

    fn can_load(&self, c: usize) -> bool {
        let k = &self.model.corridors[c];
        let port = k.port.index();
        self.land.tracks_busy[port] < self.model.ports[port].rail_loading_tracks
            && k.train_sets
                .is_none_or(|n| self.land.corridors[c].sets_out < n)
    }

    fn timetable_slot(&mut self, c: usize) {
        let now = self.now();
        if !self.land.corridors[c].queue.is_empty() && self.can_load(c) {
            self.load_train(c);
        }
        if let Some(next) = self.next_timetable_slot(c, now + 1) {
            self.land_at(next, LandEvent::TrainSlot(c as u32));
        }
    }

    /// A when-full corridor: start a train if a full load waits (or the oldest cargo has
    /// waited its limit), a slot is left today, a track is free and a set is at hand.
    fn try_train(&mut self, c: usize) {
        let Departure::WhenFull {
            slots_per_day,
            max_wait_h,
        } = self.model.corridors[c].departure
        else {
            return;
        };
        let now = self.now();
        self.roll_day(c);
        let cs = &self.land.corridors[c];
        let Some(&front) = cs.queue.front() else {
            return;
        };
        if cs.trains_today >= slots_per_day {
            let at = self.day_start(self.day_of(now) + 1);
            self.schedule_check(c, at);
            return;
        }
        let full = cs.queued as f64 >= self.model.corridors[c].train_capacity;
        let due = self.land.lots[front as usize].queued_at + SimDuration::from_hours(max_wait_h).0;
        if !full && now < due {
            self.schedule_check(c, due);
            return;
        }
        let port = self.model.corridors[c].port.index();
        if self.land.tracks_busy[port] >= self.model.ports[port].rail_loading_tracks {
            if !self.land.corridors[c].waiting_track {
                self.land.corridors[c].waiting_track = true;
                self.land.track_waiters[port].push_back(c);
            }
            return;
        }
        if !self.can_load(c) {
            return; // no train set at hand: `SetReturns` tries again
        }
        self.load_train(c);
    }

    fn schedule_check(&mut self, c: usize, at: i64) {
        let cs = &mut self.land.corridors[c];
        if cs.check_at.is_some_and(|t| t <= at) {
            return;
        }
        cs.check_at = Some(at);
        self.land_at(at, LandEvent::TrainCheck(c as u32));
    }

    /// Loads a train from the head of the corridor's queue onto a free track.
    fn load_train(&mut self, c: usize) {
        let now = self.now();
        self.roll_day(c);
        let k = &self.model.corridors[c];
        let mut room = k.train_capacity.floor() as u64;
        let mut loads: Vec<(usize, u64)> = Vec::new();
        let mut freed: Vec<usize> = Vec::new();
        while room > 0 {
            let Some(&l) = self.land.corridors[c].queue.front() else {
                break;
            };
            let take = self.land.lots[l as usize].amount.min(room);
            let (t, cargo, slot) = {
                let lot = &self.land.lots[l as usize];
                (lot.terminal, lot.cargo, lot.slot)
            };
            self.yard_touch(t, now);
            self.land.yards[t].stock[unit(cargo)] -= take;
            match loads.iter_mut().find(|(s, _)| *s == slot) {
                Some(x) => x.1 += take,
                None => loads.push((slot, take)),
            }
            if !freed.contains(&t) {
                freed.push(t);
            }
            room -= take;
            let cs = &mut self.land.corridors[c];
            cs.queued -= take;
            let lot = &mut self.land.lots[l as usize];
            lot.amount -= take;
            if lot.amount == 0 {
                cs.queue.pop_front();
                self.land.free_lots.push(l);
            }
        }
        if loads.is_empty() {
            return;
        }
        let port = k.port.index();
        self.land.tracks_busy[port] += 1;
        let cs = &mut self.land.corridors[c];
        cs.trains_today += 1;
        cs.sets_out += 1;
        let train = Train {
            corridor: c,
            loads,
            since: now,
        };
        let id = match self.land.free_trains.pop() {
            Some(i) => {
                self.land.trains[i as usize] = train;
                i
            }
            None => {
                self.land.trains.push(train);
                (self.land.trains.len() - 1) as u32
            }
        };
        let at = now + SimDuration::from_hours(k.loading_h).0;
        self.land_at(at, LandEvent::TrainDeparts(id));
        for t in freed {
            self.yard_freed(t);
        }
    }

    fn train_departs(&mut self, id: u32) {
        let now = self.now();
        let (c, since) = {
            let t = &self.land.trains[id as usize];
            (t.corridor, t.since)
        };
        let loads = std::mem::take(&mut self.land.trains[id as usize].loads);
        self.land.trains[id as usize].since = -1;
        self.land.free_trains.push(id);
        let k = &self.model.corridors[c];
        let port = k.port.index();
        self.land.tracks_busy[port] -= 1;
        self.stats.track_busy[port] += self.stats.window.overlap(since, now);
        let in_window = self.stats.window.contains(SimTime(now));
        let mut carried = 0;
        for &(slot, amount) in &loads {
            self.stats.cargo_departs(slot, amount, now);
            if in_window {
                self.stats.slots[slot].by_mode[Mode::Rail as usize] += amount;
            }
            carried += amount;
        }
        if in_window {
            let cs = &mut self.stats.corridors[c];
            cs.trains += 1;
            cs.carried += carried;
        }
        match k.train_sets {
            Some(_) => {
                let back = now + SimDuration::from_hours(2.0 * k.transit_h).0;
                self.land_at(back, LandEvent::SetReturns(c as u32));
            }
            None => self.land.corridors[c].sets_out -= 1,
        }
        // A track is free: corridors waiting for one try again, in order.
        let waiting: Vec<usize> = self.land.track_waiters[port].drain(..).collect();
        for w in waiting {
            self.land.corridors[w].waiting_track = false;
            self.try_train(w);
        }
        self.try_train(c);
    }

    /// Sends rail cargo that has waited past the corridor's limit to the road gate.
    fn divert(&mut self, c: usize) {
        let now = self.now();
        loop {
            let Some(&l) = self.land.corridors[c].queue.front() else {
                return;
            };
            if self.land.lots[l as usize].divert_at > now {
                return;
            }
            let cs = &mut self.land.corridors[c];
            cs.queue.pop_front();
            let lot = &mut self.land.lots[l as usize];
            cs.queued -= lot.amount;
            lot.mode = Mode::Road;
            lot.diverted = true;
            let (t, cargo, amount) = (lot.terminal, lot.cargo, lot.amount);
            let at = self.serve(t, Mode::Road, cargo, amount);
            self.land_at(at, LandEvent::LotLeaves(l));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

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
    }
}
