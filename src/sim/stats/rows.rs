//! The KPI rows of a run: per port, terminal, rail corridor and region, per cargo class and
//! for the cluster, from the run's accumulators.

use super::{Cause, Kpi, RunStats, SlotStats, Window, slot_of};
use crate::engine::TICKS_PER_HOUR;
use crate::model::{CargoClass, Model};
use crate::stats::LogHistogram;

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
    /// Tonne-hours of cargo aboard waiting ships (containers at `t_per_teu`).
    delayed_t_h: f64,
    /// What the ships' waiting and blocked hours cost, CNY.
    wait_cost: f64,
    /// The hinterland's generalised cost of cargo with a mode choice, CNY.
    land_cost: f64,
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
        self.delayed_t_h += s.delayed as f64 / TICKS_PER_HOUR as f64 * f;
        self.waiting_area += s.waiting_area;
        for i in 0..4 {
            self.emitted_g[i] += s.emitted_g[i];
        }
        self.shore_kwh += s.shore_kwh;
        self.wait_cost += s.wait_cost;
        self.land_cost += s.land_cost;
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
        push("delay_cargo_t_h", self.delayed_t_h);
        push("wait_cost_cny", self.wait_cost);
        push("land_cost_cny", self.land_cost);
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
        // Amounts in the row's unit (TEU on container rows, tonnes otherwise), and shares of them.
        let amount = |i: usize| {
            if teu_row {
                self.teu[i] as f64
            } else {
                self.t[i]
            }
        };
        let share = |part: f64, whole: f64| {
            if whole > 0.0 { part / whole } else { f64::NAN }
        };
        let rail = amount(RAIL);
        push(
            "rail_share",
            share(rail, rail + amount(ROAD) + amount(PIPELINE)),
        );
        // Of everything handled at the quay (transshipment and quay-to-quay cargo included), as
        // port statistics count throughput: the measure of goals set "of port throughput".
        push("rail_share_of_throughput", share(rail, amount(HANDLED)));
        // Of the cargo that chose rail, the share that waited too long and went by road.
        let diverted = amount(DIVERTED);
        push("diverted_share", share(diverted, rail + diverted));
        for (i, metric) in ["co2_t", "nox_t", "sox_t", "pm_t"].into_iter().enumerate() {
            push(metric, self.emitted_g[i] / 1e6);
        }
        push("shore_power_mwh", self.shore_kwh / 1e3);
    }
}

/// The rows of empty totals, with or without containers (their metrics, for a test).
#[cfg(test)]
pub(super) fn totals_for_test(containers: bool) -> Vec<Kpi> {
    let t = Totals {
        has_container: containers,
        ..Totals::default()
    };
    let mut out = Vec::new();
    t.emit(&mut out, "P", "ALL", &Window { start: 0, end: 1 }, false);
    out
}

/// `yard_occupancy_m01` … `m12`.
pub(crate) const MONTHLY_YARD: [&str; 12] = [
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

/// Yard occupancy and full hours of a set of terminals.
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

/// A port's tanks (stock-driven flows), per cargo class: `stockout_h` and
/// `send_out_short_t`, summed over the port's tanks of that cargo, and
/// `send_out_short_share` (what was short of what was due).
fn tank_rows(stats: &RunStats, p: usize, name: &str, out: &mut Vec<Kpi>) {
    for cargo in CargoClass::ALL {
        let tanks = stats
            .tanks
            .iter()
            .filter(|t| t.port == p && t.cargo == Some(cargo));
        let (mut hours, mut short, mut due, mut any) = (0.0, 0.0, 0.0, false);
        for t in tanks {
            hours += t.stockout_h;
            short += t.short_t;
            due += t.due_t;
            any = true;
        }
        if any {
            let share = if due > 0.0 { short / due } else { f64::NAN };
            for (metric, value) in [
                ("stockout_h", hours),
                ("send_out_short_t", short),
                ("send_out_short_share", share),
            ] {
                out.push(Kpi {
                    port: name.to_string(),
                    cargo: cargo.name().into(),
                    metric,
                    value,
                });
            }
        }
    }
}

/// The daily series of ships waiting at a port with dated disruptions, over the days around
/// them (`ships_waiting_day_DDD`: the day's mean).
fn daily_rows(stats: &RunStats, p: usize, name: &str, out: &mut Vec<Kpi>) {
    let daily = &stats.port_queues[p].daily;
    if daily.is_empty() {
        return;
    }
    let mut days = [false; 365];
    for r in stats.recoveries.iter().filter(|r| r.port == p) {
        for d in r.series_days(stats.window.start) {
            days[d] = true;
        }
    }
    let ticks_per_day = (24 * TICKS_PER_HOUR) as f64;
    for (d, &area) in daily.iter().enumerate().filter(|(d, _)| days[*d]) {
        out.push(kpi(
            name,
            crate::metrics::day_metric(d),
            area as f64 / ticks_per_day,
        ));
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
    let demand = super::row_shapes::cargo_rows(model);
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
        tank_rows(stats, p, &port.name, &mut out);
        if let Some(days) = stats
            .recoveries
            .iter()
            .filter(|r| r.port == p && (window.start..=window.end).contains(&r.end))
            .map(|r| r.days(window.end))
            .reduce(f64::max)
        {
            out.push(kpi(&port.name, "recovery_days", days));
        }
        daily_rows(stats, p, &port.name, &mut out);
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
    let cluster = stats.waiting_peak.len() - 1;
    out.push(kpi(
        "ALL",
        "ships_waiting_peak",
        stats.waiting_peak[cluster].2 as f64,
    ));
    out
}

/// A port's own rows beyond its cargo totals: berths, yards, trains and loading tracks.
/// Returns its trains.
fn port_rows(model: &Model, stats: &RunStats, p: usize, out: &mut Vec<Kpi>) -> u64 {
    let name = &model.ports[p].name;
    let port_berths = (0..model.berths.len()).filter(|&b| model.berths[b].port.index() == p);
    out.push(kpi(name, "berth_occupancy", occupancy(stats, port_berths)));
    out.push(kpi(
        name,
        "ships_waiting_peak",
        stats.waiting_peak[p].2 as f64,
    ));
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
        .map(|(c, _)| stats.corridors[c].trains.iter().sum::<u64>())
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
    let name = super::row_shapes::terminal_row(model, term);
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
    // A terminal of several cargo classes: each class's calls, waits and waiting ratio (the
    // classes share its berths; their planning limits differ).
    if term.cargo.iter().nth(1).is_some() {
        for cargo in term.cargo.iter() {
            let c = &ts.by_cargo[cargo.index()];
            let calls = c.calls as f64;
            for (metric, value) in [
                ("ship_calls", calls),
                ("wait_h_mean", ratio(c.wait as f64 / h, calls)),
                ("wait_ratio", ratio(c.wait as f64, c.service as f64)),
            ] {
                out.push(Kpi {
                    port: name.clone(),
                    cargo: cargo.name().into(),
                    metric,
                    value,
                });
            }
        }
    }
    // A tank terminal's own tank (a tank holds one flow): what `portsim capacity` holds it to.
    for t in stats.tanks.iter().filter(|t| t.terminal == ti) {
        let share = if t.due_t > 0.0 {
            t.short_t / t.due_t
        } else {
            f64::NAN
        };
        out.push(kpi(&name, "stockout_h", t.stockout_h));
        out.push(kpi(&name, "send_out_short_t", t.short_t));
        out.push(kpi(&name, "send_out_short_share", share));
    }
}

/// The mode shares of the cargo between a port and each region (`Port/region:NAME`), per
/// cargo class: what was sent by rail, road and pipeline, as chosen.
fn region_rows(model: &Model, stats: &RunStats, p: usize, out: &mut Vec<Kpi>) {
    let regions = model.regions.len();
    for (r, region) in model.regions.iter().enumerate() {
        let name = super::row_shapes::region_row(&model.ports[p].name, &region.name);
        for cargo in CargoClass::ALL {
            let m = stats.region_modes[(p * regions + r) * CargoClass::COUNT + cargo.index()];
            let total: u64 = m.iter().sum();
            if total == 0 {
                continue;
            }
            for (metric, amount) in REGION_METRICS.into_iter().zip(m) {
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

/// The metrics of a rail corridor's rows (`Port/rail:NAME`, cargo `ALL`), in their order: its
/// cargo in TEU or tonnes, the hub's only where it has one. A goal may name only these there.
pub(crate) fn corridor_metrics(containers: bool, hub: bool) -> Vec<&'static str> {
    let carried: [&'static str; 5] = if containers {
        [
            "rail_teu",
            "rail_out_teu",
            "rail_in_teu",
            "hub_out_teu",
            "hub_in_teu",
        ]
    } else {
        ["rail_t", "rail_out_t", "rail_in_t", "hub_out_t", "hub_in_t"]
    };
    let hub_rows = if hub { 5 } else { 3 };
    ["trains", "trains_out", "trains_in"]
        .into_iter()
        .chain(carried[..hub_rows].iter().copied())
        .chain([
            "slot_utilisation",
            "slot_utilisation_in",
            "train_load_factor",
            "rail_wait_h_mean",
            "rail_share",
            "mode_share_rail",
            "mode_share_road",
            "mode_share_pipeline",
        ])
        .collect()
}

/// The metrics of a region's rows (`Port/region:NAME`, one per cargo class sent there).
pub(crate) const REGION_METRICS: [&str; 3] =
    ["mode_share_rail", "mode_share_road", "mode_share_pipeline"];

/// A rail corridor's rows (`Port/rail:NAME`): trains and cargo both ways and each way, how
/// full its slots and trains are, the wait for a train, and the rail share of the flows that
/// use it — the metrics [`corridor_metrics`] names, so that goals can be checked against them.
fn corridor_rows(model: &Model, stats: &RunStats, c: usize, out: &mut Vec<Kpi>) {
    let k = &model.corridors[c];
    let cs = &stats.corridors[c];
    let name = super::row_shapes::corridor_row(model, k);
    let containers = k.cargo.contains(CargoClass::Container);
    let trains: u64 = cs.trains.iter().sum();
    let carried: u64 = cs.carried.iter().sum();
    let moved = cs.by_mode.iter().sum::<u64>() as f64;
    for metric in corridor_metrics(containers, k.hub.is_some()) {
        let value = match metric {
            "trains" => trains as f64,
            "trains_out" => cs.trains[0] as f64,
            "trains_in" => cs.trains[1] as f64,
            "rail_teu" | "rail_t" => carried as f64,
            "rail_out_teu" | "rail_out_t" => cs.carried[0] as f64,
            "rail_in_teu" | "rail_in_t" => cs.carried[1] as f64,
            "hub_out_teu" | "hub_out_t" => cs.hub[0] as f64,
            "hub_in_teu" | "hub_in_t" => cs.hub[1] as f64,
            "slot_utilisation" => ratio(cs.trains[0] as f64, cs.slots[0] as f64),
            "slot_utilisation_in" => ratio(cs.trains[1] as f64, cs.slots[1] as f64),
            "train_load_factor" => ratio(carried as f64, trains as f64 * k.train_capacity),
            "rail_wait_h_mean" => ratio(cs.waited as f64 / TICKS_PER_HOUR as f64, carried as f64),
            "rail_share" | "mode_share_rail" => ratio(cs.by_mode[0] as f64, moved),
            "mode_share_road" => ratio(cs.by_mode[1] as f64, moved),
            "mode_share_pipeline" => ratio(cs.by_mode[2] as f64, moved),
            other => unreachable!("corridor_metrics names `{other}`, which has no value here"),
        };
        out.push(kpi(&name, metric, value));
    }
}
