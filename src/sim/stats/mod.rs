//! Per-run accumulators; `rows` turns them into KPI rows.
//!
//! Everything is accumulated in integer ticks and integer cargo units where it can be, so
//! that sums do not depend on order and conservation can be checked exactly.

use crate::engine::{SimTime, TICKS_PER_HOUR};
use crate::model::{CargoClass, Model};
use crate::stats::LogHistogram;

mod recovery;
mod row_shapes;
mod rows;
mod series;

pub use crate::metrics::METRICS;
pub use crate::results::Kpi;
pub use recovery::{NORMAL_LOOKBACK_H, PortQueue, Recovery};
pub(crate) use row_shapes::{RowMiss, row_names, row_shape, terminal_row};
pub use rows::kpi_rows;
pub use series::day_series;

/// Why a ship is waiting (the KPI columns `wait_<cause>_h_mean`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// For a compatible berth.
    Berth = 0,
    /// For enough water (tidal window).
    Tide = 1,
    /// For a one-way channel to clear.
    Channel = 2,
    /// For a weather or ice closure to end.
    Closure = 3,
}

/// Accumulators for one (port, cargo) pair.
#[derive(Clone, Debug, Default)]
pub struct SlotStats {
    /// Calls completed in the measured period.
    pub calls: u64,
    /// Sum of waiting ticks of those calls, by cause.
    pub wait_by_cause: [i64; 4],
    /// Cargo held up by that waiting: Σ wait × cargo aboard, unit-ticks.
    pub delayed: i128,
    /// Sum of ticks at berth.
    pub service: i64,
    /// Sum of ticks from arrival to departure.
    pub turnaround: i64,
    /// Waiting times (hours) of completed calls.
    pub waits: LogHistogram,
    /// Cargo handled (t, or TEU for containers).
    pub handled: u64,
    /// Cargo arriving (by sea or by land) in the measured period.
    pub arrived: u64,
    /// Cargo leaving (by sea or by land) in the measured period.
    pub departed: u64,
    /// Cargo in port now: aboard ships, in the yard, at the gate, on trains loading (running).
    pub in_port: u64,
    /// `in_port` when the measured period began.
    pub in_port_start: u64,
    /// Cargo of the ships in port now, not yet handled (running): a call's cargo through the
    /// yard leaves it step by step as it is discharged or loaded; a call worked without a yard
    /// (one step for its whole cargo) when it unmoors.
    pub in_system: u64,
    /// Sum of ticks that completed calls were blocked (full yard, exports not delivered).
    pub blocked: i64,
    /// Cargo that left or reached the yard by rail / road / pipeline in the measured period.
    pub by_mode: [u64; 3],
    /// Cargo diverted from rail to road after waiting too long for a train.
    pub diverted: u64,
    /// Emissions at berth of completed calls, g: CO₂, NOₓ, SOₓ, PM.
    pub emitted_g: [f64; 4],
    /// Shore power delivered to completed calls, kWh.
    pub shore_kwh: f64,
    /// What completed calls' waiting and blocked hours cost at their class's `cost_per_h`, CNY.
    pub wait_cost: f64,
    /// The hinterland's generalised cost of the cargo whose leg has a mode choice, CNY: the
    /// chosen modes' static costs, hours waited for trains beyond the normal at the value of
    /// time, the road's cost and the queue's hours for cargo diverted from rail — each booked
    /// as the cargo it belongs to is counted (leaves or reaches the port, its train departs or
    /// is unloaded).
    pub land_cost: f64,
    /// Ships waiting now, and the tick of the last change, and the integral (ship-ticks).
    pub waiting_now: u64,
    /// Tick of the last change in `waiting_now`.
    pub waiting_since: i64,
    /// Integral of `waiting_now` over the measured period, ship-ticks.
    pub waiting_area: i128,
    /// Ships that arrived in the measured period.
    pub arrivals: u64,
    /// Ship-ticks of waiting per day of the measured period (empty unless daily series are
    /// recorded).
    pub waiting_daily: Vec<i128>,
}

/// One tank's KPIs over the measured period.
#[derive(Clone, Debug, Default)]
pub struct TankStats {
    /// The flow's port.
    pub port: usize,
    /// The tank's terminal (its flow's yard terminal; a tank holds one flow).
    pub terminal: usize,
    /// Its cargo class.
    pub cargo: Option<CargoClass>,
    /// Hours with the tank empty while send-out was due (parts of hours by the share missed).
    pub stockout_h: f64,
    /// Send-out due but not made, tonnes (empty tank, or above the pipeline's rate).
    pub short_t: f64,
    /// Send-out due, tonnes.
    pub due_t: f64,
}

/// Accumulators for one rail corridor. Per-direction arrays are indexed by `RailDirection`
/// (out of the port, into it).
#[derive(Clone, Debug, Default)]
pub struct CorridorStats {
    /// Trains that left the port (outbound) or were unloaded at it (inbound) in the measured
    /// period.
    pub trains: [u64; 2],
    /// Cargo they carried, in the corridor's unit (hub cargo included).
    pub carried: [u64; 2],
    /// Of which hub cargo (no ship).
    pub hub: [u64; 2],
    /// Departure slots offered in the measured period, each way.
    pub slots: [u64; 2],
    /// The unit-ticks the cargo of those trains (`carried`, both ways) had waited in the
    /// corridor's queue, from ready to loaded: booked with the train as it is counted.
    pub waited: i128,
    /// Port cargo of the flows whose hinterland leg uses the corridor, by the mode it moved
    /// (rail, road, pipeline), counted as it left or reached the port.
    pub by_mode: [u64; 3],
    /// Trains each day of the measured period, both ways (empty unless daily series are
    /// recorded).
    pub trains_daily: Vec<u32>,
}

/// Accumulators for one terminal.
///
/// Laid out by hand (`repr(C)`, a cache line apart): every change of a yard's stock brings
/// its integrals up to date, so what that touches — the whole-window integral, the blocked
/// time and the daily series' list — shares the first cache line, and the monthly
/// integrals, one line a month, come last.
#[derive(Clone, Debug, Default)]
#[repr(C, align(64))]
pub struct TerminalStats {
    /// Integral of the yard stock over the window (unit-ticks), TEU pool then tonne pool.
    pub yard_area: [i128; 2],
    /// Ticks in the window during which a ship's discharge was blocked by this yard.
    pub yard_full: i64,
    /// Integral of the yard stock per day of the measured period (unit-ticks), TEU pool then
    /// tonne pool (empty unless daily series are recorded).
    pub yard_area_daily: Vec<[i128; 2]>,
    /// Calls completed.
    pub calls: u64,
    /// Sum of waiting ticks.
    pub wait: i64,
    /// Sum of ticks at berth.
    pub service: i64,
    /// Tonnes handled (containers converted).
    pub handled_t: f64,
    /// TEU handled.
    pub handled_teu: u64,
    /// Calls completed that discharged into overflow space (their yard was full for longer
    /// than the terminal's `yard_overflow_after_h`).
    pub overflow_calls: u64,
    /// Cargo that left the yard in the window (by land or onto a ship), TEU then tonnes.
    pub yard_out: [u64; 2],
    /// Integral of the yard stock by calendar month (unit-ticks), TEU pool then tonne pool.
    pub yard_area_month: [[i128; 2]; 12],
    /// Per cargo class of the calls (by `CargoClass::index`): calls completed, waiting ticks
    /// and ticks at berth — a shared terminal's classes each against their own limit.
    pub by_cargo: [CargoCalls; CargoClass::COUNT],
}

/// Calls of one cargo class at a terminal.
#[derive(Clone, Copy, Debug, Default)]
pub struct CargoCalls {
    /// Calls completed.
    pub calls: u64,
    /// Sum of waiting ticks.
    pub wait: i64,
    /// Sum of ticks at berth.
    pub service: i64,
}

/// Ticks in a day.
const DAY_TICKS: i64 = 24 * TICKS_PER_HOUR;

/// The measured window.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// First tick measured.
    pub start: i64,
    /// First tick after the measured period.
    pub end: i64,
}

const DAY: i64 = 24 * TICKS_PER_HOUR;
const YEAR: i64 = 365 * DAY;
/// Tick offsets of the ends of the months within a year.
const MONTH_ENDS: [i64; 12] = {
    let mut e = [0i64; 12];
    let mut acc = 0i64;
    let mut m = 0;
    while m < 12 {
        acc += crate::sim::MONTH_DAYS[m] as i64 * DAY;
        e[m] = acc;
        m += 1;
    }
    e
};

impl Window {
    /// Splits the part of `[a, b)` inside the window by calendar month (the window starts on
    /// 1 January; a window longer than a year wraps into the next year's months) and calls
    /// `f(month, ticks)` for each piece.
    pub fn by_month(&self, a: i64, b: i64, mut f: impl FnMut(usize, i64)) {
        let (mut t, end) = (a.max(self.start), b.min(self.end));
        while t < end {
            let into = (t - self.start).rem_euclid(YEAR);
            let m = MONTH_ENDS.iter().position(|&e| into < e).unwrap_or(11);
            let piece = (MONTH_ENDS[m] - into).min(end - t);
            f(m, piece);
            t += piece;
        }
    }

    /// The calendar month of tick `t` (inside the window) and its span `[from, to)` in ticks:
    /// an interval inside the window and inside that span is one piece of `by_month`.
    #[inline]
    pub fn month_span(&self, t: i64) -> (usize, i64, i64) {
        let into = (t - self.start).rem_euclid(YEAR);
        let m = MONTH_ENDS.iter().position(|&e| into < e).unwrap_or(11);
        let begin = if m == 0 { 0 } else { MONTH_ENDS[m - 1] };
        (m, t - (into - begin), t + (MONTH_ENDS[m] - into))
    }

    /// Splits the part of `[a, b)` inside the window by day of the window (day 0 starts at
    /// its start) and calls `f(day, ticks)` for each piece.
    #[inline]
    pub fn by_day(&self, a: i64, b: i64, mut f: impl FnMut(usize, i64)) {
        let (mut t, end) = (a.max(self.start), b.min(self.end));
        while t < end {
            let day = (t - self.start) / DAY_TICKS;
            let until = end.min(self.start + (day + 1) * DAY_TICKS);
            f(day as usize, until - t);
            t = until;
        }
    }

    /// Days the window covers (a last part-day counts as one).
    pub fn days(&self) -> usize {
        ((self.end - self.start + DAY_TICKS - 1) / DAY_TICKS).max(0) as usize
    }

    /// Ticks of day `d` of the window inside it (a whole day but for a last part-day).
    pub fn day_ticks(&self, d: usize) -> i64 {
        self.overlap(
            self.start + d as i64 * DAY_TICKS,
            self.start + (d as i64 + 1) * DAY_TICKS,
        )
    }

    /// Ticks of `[a, b)` inside the window.
    #[inline]
    pub fn overlap(&self, a: i64, b: i64) -> i64 {
        (b.min(self.end) - a.max(self.start)).max(0)
    }

    /// Whether tick `t` is in the window.
    #[inline]
    pub fn contains(&self, t: SimTime) -> bool {
        t.0 >= self.start && t.0 < self.end
    }

    /// Length in hours.
    pub fn hours(&self) -> f64 {
        (self.end - self.start) as f64 / TICKS_PER_HOUR as f64
    }
}

/// All accumulators of a run.
#[derive(Clone, Debug)]
pub struct RunStats {
    /// Indexed by `port * CargoClass::COUNT + cargo`.
    pub slots: Vec<SlotStats>,
    /// Indexed by corridor.
    pub corridors: Vec<CorridorStats>,
    /// Busy loading-track ticks per port in the window.
    pub track_busy: Vec<i64>,
    /// Indexed by terminal.
    pub terminals: Vec<TerminalStats>,
    /// Busy (moored) ticks per berth inside the window.
    pub berth_busy: Vec<i64>,
    /// Cargo sent by each mode (rail, road, pipeline) in the window, as chosen when it left
    /// the quay (imports) or set off for it (exports), per flow.
    pub flow_modes: Vec<[u64; 3]>,
    /// The same per (port, region, cargo): index `(port × regions + region) × cargo classes +
    /// cargo`.
    pub region_modes: Vec<[u64; 3]>,
    /// Ships waiting now, since when, and the most at once for a positive time inside the
    /// window, per port and (last) for the cluster.
    pub waiting_peak: Vec<(u64, i64, u64)>,
    /// Per tank of a stock-driven flow (in the order the run builds them).
    pub tanks: Vec<TankStats>,
    /// Ships waiting per port over the whole run (for recoveries).
    pub port_queues: Vec<PortQueue>,
    /// The dated disruptions' recoveries.
    pub recoveries: Vec<Recovery>,
    /// The measured window.
    pub window: Window,
}

/// The slot index of a (port, cargo) pair.
#[inline]
pub fn slot_of(port: usize, cargo: CargoClass) -> usize {
    port * CargoClass::COUNT + cargo.index()
}

impl RunStats {
    /// Empty accumulators for a model.
    pub fn new(model: &Model, window: Window) -> Self {
        RunStats {
            slots: vec![SlotStats::default(); model.ports.len() * CargoClass::COUNT],
            corridors: vec![CorridorStats::default(); model.corridors.len()],
            track_busy: vec![0; model.ports.len()],
            terminals: vec![TerminalStats::default(); model.terminals.len()],
            berth_busy: vec![0; model.berths.len()],
            flow_modes: vec![[0; 3]; model.flows.len()],
            region_modes: vec![[0; 3]; model.ports.len() * model.regions.len() * CargoClass::COUNT],
            waiting_peak: vec![(0, 0, 0); model.ports.len() + 1],
            tanks: Vec::new(),
            port_queues: vec![PortQueue::default(); model.ports.len()],
            recoveries: Vec::new(),
            window,
        }
    }

    /// Records cargo of `flow` (at `port`, for `region`) split by mode at tick `now`.
    pub fn modes_chosen(
        &mut self,
        flow: usize,
        (port, region, regions): (usize, usize, usize),
        cargo: CargoClass,
        parts: [u64; 3],
        now: i64,
    ) {
        if !self.window.contains(SimTime(now)) {
            return;
        }
        let r = (port * regions + region) * CargoClass::COUNT + cargo.index();
        for (m, part) in parts.into_iter().enumerate() {
            self.flow_modes[flow][m] += part;
            self.region_modes[r][m] += part;
        }
    }

    /// Books `cny` of hinterland cost to `slot` at tick `now` (if inside the measured period;
    /// hub cargo, with no slot, is not booked).
    pub fn land_cost(&mut self, slot: usize, cny: f64, now: i64) {
        if self.window.contains(SimTime(now)) && slot < self.slots.len() {
            self.slots[slot].land_cost += cny;
        }
    }

    /// Changes the number of ships waiting in a slot at tick `now`.
    #[inline]
    pub fn waiting_change(&mut self, slot: usize, now: i64, delta: i64) {
        let w = self.window;
        let s = &mut self.slots[slot];
        s.waiting_area += i128::from(s.waiting_now) * i128::from(w.overlap(s.waiting_since, now));
        if !s.waiting_daily.is_empty() && s.waiting_now > 0 {
            let (level, daily) = (i128::from(s.waiting_now), &mut s.waiting_daily);
            w.by_day(s.waiting_since, now, |d, dt| {
                daily[d] += level * i128::from(dt)
            });
        }
        s.waiting_since = now;
        s.waiting_now = (s.waiting_now as i64 + delta) as u64;
        // The peak: a level counts once it has held for some time inside the window (a ship
        // that berths on arrival never waited).
        let cluster = self.waiting_peak.len() - 1;
        for i in [slot / CargoClass::COUNT, cluster] {
            let (level, since, peak) = &mut self.waiting_peak[i];
            if w.overlap(*since, now) > 0 {
                *peak = (*peak).max(*level);
            }
            *level = (*level as i64 + delta) as u64;
            *since = now;
        }
        self.port_queue_change(Self::port_of_slot(slot), now, delta);
    }

    /// Cargo reaches the port (by sea or land) at tick `now`.
    #[inline]
    pub fn stock_at_start(&mut self, slot: usize, amount: u64) {
        self.slots[slot].in_port += amount;
    }

    /// Cargo arrives at the port (by sea or land) at tick `now`.
    #[inline]
    pub fn cargo_arrives(&mut self, slot: usize, amount: u64, now: i64) {
        let w = self.window;
        let s = &mut self.slots[slot];
        s.in_port += amount;
        if now >= w.start && now < w.end {
            s.arrived += amount;
        }
    }

    /// Cargo leaves the port (by sea or land) at tick `now`.
    #[inline]
    pub fn cargo_departs(&mut self, slot: usize, amount: u64, now: i64) {
        let w = self.window;
        let s = &mut self.slots[slot];
        s.in_port -= amount;
        if now >= w.start && now < w.end {
            s.departed += amount;
        }
    }

    /// Keeps daily series (ships waiting per port and cargo, yard stock per terminal, trains
    /// per corridor) from now on.
    pub fn record_daily(&mut self) {
        let days = self.window.days();
        for s in &mut self.slots {
            s.waiting_daily = vec![0; days];
        }
        for t in &mut self.terminals {
            t.yard_area_daily = vec![[0; 2]; days];
        }
        for c in &mut self.corridors {
            c.trains_daily = vec![0; days];
        }
    }

    /// A train counted on corridor `c` (as it departs or is unloaded, inside the measured
    /// period) brings the `waited` unit-ticks its cargo spent in the queue before it loaded.
    pub fn rail_waits(&mut self, c: usize, waited: i128) {
        self.corridors[c].waited += waited;
    }

    /// A train left (outbound) or was unloaded at the port (inbound) on corridor `c` at `now`
    /// (inside the measured period).
    pub fn train_counted(&mut self, c: usize, direction: usize, now: i64) {
        let w = self.window;
        let cs = &mut self.corridors[c];
        cs.trains[direction] += 1;
        if !cs.trains_daily.is_empty() {
            cs.trains_daily[((now - w.start) / DAY_TICKS) as usize] += 1;
        }
    }

    /// Closes the time integrals at the end of the run.
    pub fn finish(&mut self) {
        let end = self.window.end;
        for slot in 0..self.slots.len() {
            self.waiting_change(slot, end, 0);
        }
    }
}
