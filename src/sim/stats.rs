//! Per-run accumulators and the KPI rows they become.
//!
//! Everything is accumulated in integer ticks and integer cargo units where it can be, so
//! that sums do not depend on order and conservation can be checked exactly.

use crate::engine::{SimTime, TICKS_PER_HOUR};
use crate::model::{CargoClass, Model};
use crate::stats::LogHistogram;

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
    /// Cargo arriving in the measured period.
    pub arrived: u64,
    /// Cargo aboard ships in port at the start of the measured period.
    pub backlog_start: u64,
    /// Cargo aboard ships in port now (running).
    pub in_system: u64,
    /// Ships waiting now, and the tick of the last change, and the integral (ship-ticks).
    pub waiting_now: u64,
    /// Tick of the last change in `waiting_now`.
    pub waiting_since: i64,
    /// Integral of `waiting_now` over the measured period, ship-ticks.
    pub waiting_area: i128,
    /// Ships that arrived in the measured period.
    pub arrivals: u64,
}

/// Accumulators for one terminal.
#[derive(Clone, Debug, Default)]
pub struct TerminalStats {
    /// Calls completed.
    pub calls: u64,
    /// Sum of waiting ticks.
    pub wait: i64,
    /// Sum of ticks at berth.
    pub service: i64,
    /// Tonnes handled (containers converted).
    pub handled_t: f64,
}

/// One KPI value of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    /// Port name, `Port/Terminal` for terminal rows, or `ALL`.
    pub port: String,
    /// Cargo class name or `ALL`.
    pub cargo: String,
    /// Metric name, as in the output contract.
    pub metric: &'static str,
    /// Value (NaN where undefined, e.g. a mean over no calls).
    pub value: f64,
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
    /// Indexed by terminal.
    pub terminals: Vec<TerminalStats>,
    /// Busy (moored) ticks per berth inside the window.
    pub berth_busy: Vec<i64>,
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
            terminals: vec![TerminalStats::default(); model.terminals.len()],
            berth_busy: vec![0; model.berths.len()],
            window,
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

    /// Closes the time integrals at the end of the run.
    pub fn finish(&mut self) {
        let end = self.window.end;
        for slot in 0..self.slots.len() {
            self.waiting_change(slot, end, 0);
        }
    }
}

/// Sums of several slots, for port, cargo and cluster totals.
#[derive(Default)]
struct Totals {
    calls: u64,
    wait_by_cause: [i64; 4],
    service: i64,
    turnaround: i64,
    waits: Option<LogHistogram>,
    handled_t: f64,
    handled_teu: u64,
    arrived_t: f64,
    arrived_teu: u64,
    backlog_t: f64,
    backlog_teu: u64,
    unserved_t: f64,
    unserved_teu: u64,
    waiting_area: i128,
    has_container: bool,
}

impl Totals {
    fn add(&mut self, s: &SlotStats, cargo: CargoClass, t_per_teu: f64) {
        self.calls += s.calls;
        for i in 0..4 {
            self.wait_by_cause[i] += s.wait_by_cause[i];
        }
        self.service += s.service;
        self.turnaround += s.turnaround;
        match &mut self.waits {
            Some(h) => h.merge(&s.waits),
            None => self.waits = Some(s.waits.clone()),
        }
        let f = if cargo.is_container() { t_per_teu } else { 1.0 };
        self.handled_t += s.handled as f64 * f;
        self.arrived_t += s.arrived as f64 * f;
        self.backlog_t += s.backlog_start as f64 * f;
        self.unserved_t += s.in_system as f64 * f;
        if cargo.is_container() {
            self.has_container = true;
            self.handled_teu += s.handled;
            self.arrived_teu += s.arrived;
            self.backlog_teu += s.backlog_start;
            self.unserved_teu += s.in_system;
        }
        self.waiting_area += s.waiting_area;
    }

    fn emit(&self, out: &mut Vec<Kpi>, port: &str, cargo: &str, window: &Window) {
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
        push("throughput_t", self.handled_t);
        if self.has_container {
            push("throughput_teu", self.handled_teu as f64);
        }
        push("ship_calls", calls);
        push("wait_h_mean", mean(wait));
        push(
            "wait_h_p95",
            self.waits.as_ref().map_or(f64::NAN, |w| w.quantile(0.95)),
        );
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
        push(
            "blocked_h_mean",
            if self.calls == 0 { f64::NAN } else { 0.0 },
        );
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
        push("arrived_t", self.arrived_t);
        push("backlog_start_t", self.backlog_t);
        push("unserved_t", self.unserved_t);
        if self.has_container {
            push("arrived_teu", self.arrived_teu as f64);
            push("backlog_start_teu", self.backlog_teu as f64);
            push("unserved_teu", self.unserved_teu as f64);
        }
    }
}

/// Turns a run's accumulators into KPI rows, in a fixed order: each port's cargo classes, the
/// port's total and its terminals; then each cargo class over the cluster; then the cluster.
pub fn kpi_rows(model: &Model, stats: &RunStats) -> Vec<Kpi> {
    let t_per_teu = model.settings.t_per_teu;
    let window = &stats.window;
    let mut demand = vec![[false; CargoClass::COUNT]; model.ports.len()];
    for f in &model.flows {
        demand[f.port.index()][f.cargo.index()] = true;
    }
    let berth_hours = window.hours();
    let occupancy = |berths: &mut dyn Iterator<Item = usize>| {
        let (mut busy, mut n) = (0i64, 0usize);
        for b in berths {
            busy += stats.berth_busy[b];
            n += 1;
        }
        if n == 0 {
            f64::NAN
        } else {
            busy as f64 / TICKS_PER_HOUR as f64 / (berth_hours * n as f64)
        }
    };

    let mut out = Vec::new();
    let mut cluster = Totals::default();
    let mut by_cargo: Vec<Totals> = (0..CargoClass::COUNT).map(|_| Totals::default()).collect();
    for (p, port) in model.ports.iter().enumerate() {
        let mut port_total = Totals::default();
        for cargo in CargoClass::ALL {
            if !demand[p][cargo.index()] {
                continue;
            }
            let s = &stats.slots[slot_of(p, cargo)];
            let mut t = Totals::default();
            t.add(s, cargo, t_per_teu);
            t.emit(&mut out, &port.name, cargo.name(), window);
            port_total.add(s, cargo, t_per_teu);
            by_cargo[cargo.index()].add(s, cargo, t_per_teu);
            cluster.add(s, cargo, t_per_teu);
        }
        port_total.emit(&mut out, &port.name, "ALL", window);
        let port_berths = model
            .berths
            .iter()
            .enumerate()
            .filter(|(_, b)| b.port.index() == p)
            .map(|(i, _)| i);
        out.push(Kpi {
            port: port.name.clone(),
            cargo: "ALL".into(),
            metric: "berth_occupancy",
            value: occupancy(&mut port_berths.into_iter()),
        });
        for (ti, term) in model.terminals.iter().enumerate() {
            if term.port.index() != p {
                continue;
            }
            let ts = &stats.terminals[ti];
            let name = format!("{}/{}", port.name, term.name);
            let h = TICKS_PER_HOUR as f64;
            let calls = ts.calls as f64;
            let mean = |x: i64| {
                if ts.calls == 0 {
                    f64::NAN
                } else {
                    x as f64 / h / calls
                }
            };
            let rows: [(&'static str, f64); 7] = [
                ("throughput_t", ts.handled_t),
                ("ship_calls", calls),
                ("wait_h_mean", mean(ts.wait)),
                ("service_h_mean", mean(ts.service)),
                (
                    "wait_ratio",
                    if ts.service > 0 {
                        ts.wait as f64 / ts.service as f64
                    } else {
                        f64::NAN
                    },
                ),
                (
                    "berth_occupancy",
                    occupancy(&mut term.berths.iter().map(|b| b.index())),
                ),
                ("berths", term.berths.len() as f64),
            ];
            for (metric, value) in rows {
                out.push(Kpi {
                    port: name.clone(),
                    cargo: "ALL".into(),
                    metric,
                    value,
                });
            }
        }
    }
    for cargo in CargoClass::ALL {
        if demand.iter().any(|d| d[cargo.index()]) {
            by_cargo[cargo.index()].emit(&mut out, "ALL", cargo.name(), window);
        }
    }
    cluster.emit(&mut out, "ALL", "ALL", window);
    out.push(Kpi {
        port: "ALL".into(),
        cargo: "ALL".into(),
        metric: "berth_occupancy",
        value: occupancy(&mut (0..model.berths.len())),
    });
    out
}
