//! Per-run accumulators and the KPI rows they become.
//!
//! Everything is accumulated in integer ticks and integer cargo units where it can be, so
//! that sums do not depend on order and conservation can be checked exactly.

use crate::engine::{SimTime, TICKS_PER_HOUR};
use crate::model::{CargoClass, Model};
use crate::stats::LogHistogram;

pub use crate::metrics::METRICS;
pub use crate::results::Kpi;

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
    /// Ships waiting now, and the tick of the last change, and the integral (ship-ticks).
    pub waiting_now: u64,
    /// Tick of the last change in `waiting_now`.
    pub waiting_since: i64,
    /// Integral of `waiting_now` over the measured period, ship-ticks.
    pub waiting_area: i128,
    /// Ships that arrived in the measured period.
    pub arrivals: u64,
}

/// Accumulators for one rail corridor.
#[derive(Clone, Debug, Default)]
pub struct CorridorStats {
    /// Trains that left in the measured period.
    pub trains: u64,
    /// Cargo they carried, in the corridor's unit.
    pub carried: u64,
    /// Departure slots offered in the measured period.
    pub slots: u64,
    /// Cargo loaded onto trains in the measured period, and the unit-ticks it had waited in
    /// the corridor's queue (from ready to loaded).
    pub loaded: u64,
    /// See `loaded`.
    pub waited: i128,
}

/// Accumulators for one terminal.
#[derive(Clone, Debug, Default)]
pub struct TerminalStats {
    /// Integral of the yard stock over the window (unit-ticks), TEU pool then tonne pool.
    pub yard_area: [i128; 2],
    /// Ticks in the window during which a ship's discharge was blocked by this yard.
    pub yard_full: i64,
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
    /// Integral of the yard stock by calendar month (unit-ticks), TEU pool then tonne pool.
    pub yard_area_month: [[i128; 2]; 12],
    /// Calls completed that discharged into overflow space (their yard was full for longer
    /// than the terminal's `yard_overflow_after_h`).
    pub overflow_calls: u64,
    /// Cargo that left the yard in the window (by land or onto a ship), TEU then tonnes.
    pub yard_out: [u64; 2],
}

/// The measured window.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// First tick measured.
    pub start: i64,
    /// First tick after the measured period.
    pub end: i64,
}

impl Window {
    /// Splits the part of `[a, b)` inside the window by calendar month (the window starts on
    /// 1 January; a window longer than a year wraps into the next year's months) and calls
    /// `f(month, ticks)` for each piece.
    pub fn by_month(&self, a: i64, b: i64, mut f: impl FnMut(usize, i64)) {
        const DAY: i64 = 24 * TICKS_PER_HOUR;
        const YEAR: i64 = 365 * DAY;
        // Tick offsets of the ends of the months within a year.
        const ENDS: [i64; 12] = {
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
        let (mut t, end) = (a.max(self.start), b.min(self.end));
        while t < end {
            let into = (t - self.start).rem_euclid(YEAR);
            let m = ENDS.iter().position(|&e| into < e).unwrap_or(11);
            let piece = (ENDS[m] - into).min(end - t);
            f(m, piece);
            t += piece;
        }
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

    /// Changes the number of ships waiting in a slot at tick `now`.
    #[inline]
    pub fn waiting_change(&mut self, slot: usize, now: i64, delta: i64) {
        let w = self.window;
        let s = &mut self.slots[slot];
        s.waiting_area += i128::from(s.waiting_now) * i128::from(w.overlap(s.waiting_since, now));
        s.waiting_since = now;
        s.waiting_now = (s.waiting_now as i64 + delta) as u64;
    }

    /// Cargo reaches the port (by sea or land) at tick `now`.
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

    /// Closes the time integrals at the end of the run.
    pub fn finish(&mut self) {
        let end = self.window.end;
        for slot in 0..self.slots.len() {
            self.waiting_change(slot, end, 0);
        }
    }
}

/// Sums of several slots, for port, cargo and cluster totals. Tonnes include containers
/// converted at the scenario's `t_per_teu`; TEU sums cover containers only.
#[derive(Default)]
struct Totals {
    calls: u64,
    wait_by_cause: [i64; 4],
    service: i64,
    blocked: i64,
    turnaround: i64,
    waits: Option<LogHistogram>,
    /// Tonnes and TEU of: handled, arrived, departed, in port at start, in port at end,
    /// unserved (at the quay at the end), rail, road, pipeline, diverted.
    t: [f64; 10],
    teu: [u64; 10],
    waiting_area: i128,
    has_container: bool,
    emitted_g: [f64; 4],
    shore_kwh: f64,
}

const HANDLED: usize = 0;
const ARRIVED: usize = 1;
const DEPARTED: usize = 2;
const IN_PORT_START: usize = 3;
const IN_PORT_END: usize = 4;
const UNSERVED: usize = 5;
const RAIL: usize = 6;
const ROAD: usize = 7;
const PIPELINE: usize = 8;
const DIVERTED: usize = 9;

impl Totals {
    fn add(&mut self, s: &SlotStats, cargo: CargoClass, t_per_teu: f64) {
        self.calls += s.calls;
        for i in 0..4 {
            self.wait_by_cause[i] += s.wait_by_cause[i];
        }
        self.service += s.service;
        self.blocked += s.blocked;
        self.turnaround += s.turnaround;
        match &mut self.waits {
            Some(h) => h.merge(&s.waits),
            None => self.waits = Some(s.waits.clone()),
        }
        let amounts = [
            s.handled,
            s.arrived,
            s.departed,
            s.in_port_start,
            s.in_port,
            s.in_system,
            s.by_mode[0],
            s.by_mode[1],
            s.by_mode[2],
            s.diverted,
        ];
        let f = if cargo.is_container() { t_per_teu } else { 1.0 };
        for (i, a) in amounts.iter().enumerate() {
            self.t[i] += *a as f64 * f;
            if cargo.is_container() {
                self.teu[i] += a;
            }
        }
        self.has_container |= cargo.is_container();
        self.waiting_area += s.waiting_area;
        for i in 0..4 {
            self.emitted_g[i] += s.emitted_g[i];
        }
        self.shore_kwh += s.shore_kwh;
    }

    /// Emits the row's KPIs. `teu_row`: the row is containers only, so shares are in TEU.
    fn emit(&self, out: &mut Vec<Kpi>, port: &str, cargo: &str, window: &Window, teu_row: bool) {
        let h = TICKS_PER_HOUR as f64;
        let calls = self.calls as f64;
        let mean = |ticks: i64| {
            if self.calls == 0 {
                f64::NAN
            } else {
                ticks as f64 / h / calls
            }
        };
        let wait: i64 = self.wait_by_cause.iter().sum();
        let mut push = |metric: &'static str, value: f64| {
            out.push(Kpi {
                port: port.to_string(),
                cargo: cargo.to_string(),
                metric,
                value,
            })
        };
        push("throughput_t", self.t[HANDLED]);
        if self.has_container {
            push("throughput_teu", self.teu[HANDLED] as f64);
        }
        push("ship_calls", calls);
        push("wait_h_mean", mean(wait));
        let quantile = |q: f64| self.waits.as_ref().map_or(f64::NAN, |w| w.quantile(q));
        push(
            "wait_prob",
            self.waits
                .as_ref()
                .map_or(f64::NAN, LogHistogram::share_positive),
        );
        push("wait_h_p50", quantile(0.5));
        push("wait_h_p90", quantile(0.9));
        push("wait_h_p95", quantile(0.95));
        push(
            "wait_tide_h_mean",
            mean(self.wait_by_cause[Cause::Tide as usize]),
        );
        push(
            "wait_channel_h_mean",
            mean(self.wait_by_cause[Cause::Channel as usize]),
        );
        push(
            "wait_closure_h_mean",
            mean(self.wait_by_cause[Cause::Closure as usize]),
        );
        push(
            "wait_berth_h_mean",
            mean(self.wait_by_cause[Cause::Berth as usize]),
        );
        push("service_h_mean", mean(self.service));
        push("blocked_h_mean", mean(self.blocked));
        push(
            "wait_ratio",
            if self.service > 0 {
                wait as f64 / self.service as f64
            } else {
                f64::NAN
            },
        );
        push("turnaround_h_mean", mean(self.turnaround));
        push(
            "ships_waiting_mean",
            self.waiting_area as f64 / h / window.hours(),
        );
        let pairs: [(&'static str, &'static str, usize); 9] = [
            ("arrived_t", "arrived_teu", ARRIVED),
            ("departed_t", "departed_teu", DEPARTED),
            ("in_port_start_t", "in_port_start_teu", IN_PORT_START),
            ("in_port_end_t", "in_port_end_teu", IN_PORT_END),
            ("unserved_t", "unserved_teu", UNSERVED),
            ("rail_t", "rail_teu", RAIL),
            ("road_t", "road_teu", ROAD),
            ("pipeline_t", "pipeline_teu", PIPELINE),
            ("diverted_t", "diverted_teu", DIVERTED),
        ];
        for (mt, mteu, i) in pairs {
            push(mt, self.t[i]);
            if self.has_container && i != PIPELINE {
                push(mteu, self.teu[i] as f64);
            }
        }
        let (rail, land) = if teu_row {
            let v = &self.teu;
            (v[RAIL] as f64, (v[RAIL] + v[ROAD] + v[PIPELINE]) as f64)
        } else {
            (self.t[RAIL], self.t[RAIL] + self.t[ROAD] + self.t[PIPELINE])
        };
        push(
            "rail_share",
            if land > 0.0 { rail / land } else { f64::NAN },
        );
        for (i, metric) in ["co2_t", "nox_t", "sox_t", "pm_t"].into_iter().enumerate() {
            push(metric, self.emitted_g[i] / 1e6);
        }
        push("shore_power_mwh", self.shore_kwh / 1e3);
    }
}

/// Yard occupancy and full hours of a set of terminals.
/// `yard_occupancy_m01` … `m12`.
const MONTHLY_YARD: [&str; 12] = [
    "yard_occupancy_m01",
    "yard_occupancy_m02",
    "yard_occupancy_m03",
    "yard_occupancy_m04",
    "yard_occupancy_m05",
    "yard_occupancy_m06",
    "yard_occupancy_m07",
    "yard_occupancy_m08",
    "yard_occupancy_m09",
    "yard_occupancy_m10",
    "yard_occupancy_m11",
    "yard_occupancy_m12",
];

/// A terminal's mean yard occupancy in each calendar month the window covers (capacity-
/// weighted over its finite pools, as `yard_occupancy_mean`); `None` for months outside the
/// window or a yard without a finite capacity.
fn monthly_yard(model: &Model, stats: &RunStats, t: usize) -> [Option<f64>; 12] {
    let y = &model.terminals[t].yard;
    let caps = [y.capacity_teu * model.settings.t_per_teu, y.capacity_t];
    if !caps.iter().any(|c| c.is_finite()) {
        return [None; 12];
    }
    let mut month_ticks = [0i64; 12];
    stats
        .window
        .by_month(stats.window.start, stats.window.end, |m, dt| {
            month_ticks[m] += dt
        });
    let ts = &stats.terminals[t];
    std::array::from_fn(|m| {
        if month_ticks[m] == 0 {
            return None;
        }
        let (mut stock, mut cap) = (0.0, 0.0);
        for (u, c) in caps.iter().enumerate() {
            if c.is_finite() {
                let f = if u == 0 {
                    model.settings.t_per_teu
                } else {
                    1.0
                };
                stock += ts.yard_area_month[m][u] as f64 * f / month_ticks[m] as f64;
                cap += c;
            }
        }
        Some(stock / cap)
    })
}

fn yard_rows(model: &Model, stats: &RunStats, terminals: &[usize]) -> (f64, f64) {
    // Capacity-weighted over the finite pools, in tonnes (TEU converted).
    let w = stats.window.hours() * TICKS_PER_HOUR as f64;
    let (mut stock, mut cap, mut full) = (0.0, 0.0, 0i64);
    for &t in terminals {
        let y = &model.terminals[t].yard;
        let ts = &stats.terminals[t];
        for (u, c) in [
            (0, y.capacity_teu * model.settings.t_per_teu),
            (1, y.capacity_t),
        ] {
            if c.is_finite() {
                let f = if u == 0 {
                    model.settings.t_per_teu
                } else {
                    1.0
                };
                stock += ts.yard_area[u] as f64 * f / w;
                cap += c;
            }
        }
        full += ts.yard_full;
    }
    let occ = if cap > 0.0 { stock / cap } else { f64::NAN };
    (occ, full as f64 / TICKS_PER_HOUR as f64)
}

/// Busy berth-hours over available berth-hours for a set of berths (NaN for none).
fn occupancy(stats: &RunStats, berths: impl Iterator<Item = usize>) -> f64 {
    let (mut busy, mut n) = (0i64, 0usize);
    for b in berths {
        busy += stats.berth_busy[b];
        n += 1;
    }
    if n == 0 {
        f64::NAN
    } else {
        busy as f64 / TICKS_PER_HOUR as f64 / (stats.window.hours() * n as f64)
    }
}

/// A row for `port` (a port, terminal or corridor label) over all cargo.
fn kpi(port: &str, metric: &'static str, value: f64) -> Kpi {
    Kpi {
        port: port.to_string(),
        cargo: "ALL".into(),
        metric,
        value,
    }
}

/// `x / y`, or NaN when `y` is 0.
fn ratio(x: f64, y: f64) -> f64 {
    if y > 0.0 { x / y } else { f64::NAN }
}

/// Turns a run's accumulators into KPI rows, in a fixed order: each port's cargo classes, the
/// port's total, its terminals and its rail corridors; then each cargo class over the cluster;
/// then the cluster.
pub fn kpi_rows(model: &Model, stats: &RunStats) -> Vec<Kpi> {
    let t_per_teu = model.settings.t_per_teu;
    let window = &stats.window;
    let mut demand = vec![[false; CargoClass::COUNT]; model.ports.len()];
    for f in &model.flows {
        demand[f.port.index()][f.cargo.index()] = true;
        for alt in &f.alternatives {
            demand[alt.port.index()][f.cargo.index()] = true;
        }
    }
    let mut out = Vec::new();
    let mut cluster = Totals::default();
    let mut by_cargo: Vec<Totals> = (0..CargoClass::COUNT).map(|_| Totals::default()).collect();
    let mut cluster_trains = 0u64;
    for (p, port) in model.ports.iter().enumerate() {
        let mut port_total = Totals::default();
        for cargo in CargoClass::ALL {
            if !demand[p][cargo.index()] {
                continue;
            }
            let s = &stats.slots[slot_of(p, cargo)];
            let mut t = Totals::default();
            t.add(s, cargo, t_per_teu);
            t.emit(
                &mut out,
                &port.name,
                cargo.name(),
                window,
                cargo.is_container(),
            );
            port_total.add(s, cargo, t_per_teu);
            by_cargo[cargo.index()].add(s, cargo, t_per_teu);
            cluster.add(s, cargo, t_per_teu);
        }
        port_total.emit(&mut out, &port.name, "ALL", window, false);
        cluster_trains += port_rows(model, stats, p, &mut out);
        for ti in (0..model.terminals.len()).filter(|&t| model.terminals[t].port.index() == p) {
            terminal_rows(model, stats, ti, &mut out);
        }
        for (c, _) in model
            .corridors
            .iter()
            .enumerate()
            .filter(|(_, k)| k.port.index() == p)
        {
            corridor_rows(model, stats, c, &mut out);
        }
        region_rows(model, stats, p, &mut out);
    }
    for cargo in CargoClass::ALL {
        if demand.iter().any(|d| d[cargo.index()]) {
            by_cargo[cargo.index()].emit(
                &mut out,
                "ALL",
                cargo.name(),
                window,
                cargo.is_container(),
            );
        }
    }
    cluster.emit(&mut out, "ALL", "ALL", window, false);
    out.push(kpi(
        "ALL",
        "berth_occupancy",
        occupancy(stats, 0..model.berths.len()),
    ));
    let all_terms: Vec<usize> = (0..model.terminals.len()).collect();
    let (occ, full) = yard_rows(model, stats, &all_terms);
    out.push(kpi("ALL", "yard_occupancy_mean", occ));
    out.push(kpi("ALL", "yard_full_h", full));
    out.push(kpi("ALL", "trains", cluster_trains as f64));
    out
}

/// A port's own rows beyond its cargo totals: berths, yards, trains and loading tracks.
/// Returns its trains.
fn port_rows(model: &Model, stats: &RunStats, p: usize, out: &mut Vec<Kpi>) -> u64 {
    let name = &model.ports[p].name;
    let port_berths = (0..model.berths.len()).filter(|&b| model.berths[b].port.index() == p);
    out.push(kpi(name, "berth_occupancy", occupancy(stats, port_berths)));
    let port_terms: Vec<usize> = (0..model.terminals.len())
        .filter(|&t| model.terminals[t].port.index() == p)
        .collect();
    let (occ, full) = yard_rows(model, stats, &port_terms);
    out.push(kpi(name, "yard_occupancy_mean", occ));
    out.push(kpi(name, "yard_full_h", full));
    let trains: u64 = model
        .corridors
        .iter()
        .enumerate()
        .filter(|(_, k)| k.port.index() == p)
        .map(|(c, _)| stats.corridors[c].trains)
        .sum();
    out.push(kpi(name, "trains", trains as f64));
    let track_hours = stats.window.hours() * f64::from(model.ports[p].rail_loading_tracks);
    out.push(kpi(
        name,
        "rail_track_utilisation",
        ratio(
            stats.track_busy[p] as f64 / TICKS_PER_HOUR as f64,
            track_hours,
        ),
    ));
    trains
}

/// A terminal's rows (`Port/Terminal`).
fn terminal_rows(model: &Model, stats: &RunStats, ti: usize, out: &mut Vec<Kpi>) {
    let term = &model.terminals[ti];
    let ts = &stats.terminals[ti];
    let name = format!("{}/{}", model.ports[term.port.index()].name, term.name);
    let h = TICKS_PER_HOUR as f64;
    let calls = ts.calls as f64;
    let (yocc, yfull) = yard_rows(model, stats, &[ti]);
    // Mean time in the yard by Little's law: the stock's time integral over the cargo that
    // left (exact when the window holds every unit's whole stay; a yard of boxes and bulk
    // weighs a TEU as `t_per_teu` tonnes).
    let tpt = model.settings.t_per_teu;
    let unit_hours = (ts.yard_area[0] as f64 * tpt + ts.yard_area[1] as f64) / h;
    let left = ts.yard_out[0] as f64 * tpt + ts.yard_out[1] as f64;
    let rows: [(&'static str, f64); 11] = [
        ("throughput_t", ts.handled_t),
        ("ship_calls", calls),
        ("wait_h_mean", ratio(ts.wait as f64 / h, calls)),
        ("service_h_mean", ratio(ts.service as f64 / h, calls)),
        ("wait_ratio", ratio(ts.wait as f64, ts.service as f64)),
        (
            "berth_occupancy",
            occupancy(stats, term.berths.iter().map(|b| b.index())),
        ),
        ("berths", term.berths.len() as f64),
        ("yard_occupancy_mean", yocc),
        ("yard_full_h", yfull),
        ("yard_overflow_calls", ts.overflow_calls as f64),
        ("yard_dwell_h_mean", ratio(unit_hours, left)),
    ];
    for (metric, value) in rows {
        out.push(kpi(&name, metric, value));
    }
    // The yard through the year: mean occupancy per calendar month.
    for (m, value) in monthly_yard(model, stats, ti).into_iter().enumerate() {
        if let Some(v) = value {
            out.push(kpi(&name, MONTHLY_YARD[m], v));
        }
    }
    if term.cargo.contains(CargoClass::Container) {
        out.push(kpi(&name, "throughput_teu", ts.handled_teu as f64));
    }
}

/// The mode shares of the cargo between a port and each region (`Port/region:NAME`), per
/// cargo class: what was sent by rail, road and pipeline, as chosen.
fn region_rows(model: &Model, stats: &RunStats, p: usize, out: &mut Vec<Kpi>) {
    let regions = model.regions.len();
    for (r, region) in model.regions.iter().enumerate() {
        let name = format!("{}/region:{}", model.ports[p].name, region.name);
        for cargo in CargoClass::ALL {
            let m = stats.region_modes[(p * regions + r) * CargoClass::COUNT + cargo.index()];
            let total: u64 = m.iter().sum();
            if total == 0 {
                continue;
            }
            for (metric, amount) in ["mode_share_rail", "mode_share_road", "mode_share_pipeline"]
                .into_iter()
                .zip(m)
            {
                out.push(Kpi {
                    port: name.clone(),
                    cargo: cargo.name().into(),
                    metric,
                    value: amount as f64 / total as f64,
                });
            }
        }
    }
}

/// A rail corridor's rows (`Port/rail:NAME`).
fn corridor_rows(model: &Model, stats: &RunStats, c: usize, out: &mut Vec<Kpi>) {
    let k = &model.corridors[c];
    let cs = &stats.corridors[c];
    let name = format!("{}/rail:{}", model.ports[k.port.index()].name, k.name);
    let containers = k.cargo.contains(CargoClass::Container);
    out.push(kpi(&name, "trains", cs.trains as f64));
    out.push(kpi(
        &name,
        if containers { "rail_teu" } else { "rail_t" },
        cs.carried as f64,
    ));
    out.push(kpi(
        &name,
        "slot_utilisation",
        ratio(cs.trains as f64, cs.slots as f64),
    ));
    out.push(kpi(
        &name,
        "train_load_factor",
        ratio(cs.carried as f64, cs.trains as f64 * k.train_capacity),
    ));
    out.push(kpi(
        &name,
        "rail_wait_h_mean",
        ratio(cs.waited as f64 / TICKS_PER_HOUR as f64, cs.loaded as f64),
    ));
}
