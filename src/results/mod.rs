//! Results: what runs produce and reports read — the KPIs of one run, all runs of a
//! scenario, their summaries over replications, paired comparisons and capacities.
//!
//! Plain data, with the summaries computed from it. The simulation and the experiments
//! produce these; `report` writes and draws them and never runs anything, so a results
//! directory can be redrawn without the engine.

mod series;
mod summary;

pub use series::{BUSIEST, SeriesRow, summarise_series};
pub use summary::{SummaryRow, find, summarise};

use serde::Serialize;

use crate::model::{BerthId, CargoClass, FlowId};

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

/// One completed call, for tests and traces.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    /// The first flow aboard.
    pub flow: FlowId,
    /// The berth used.
    pub berth: BerthId,
    /// Arrival at the anchorage, hours since the start of the run.
    pub arrival_h: f64,
    /// Start of service (mooring), hours.
    pub berthed_h: f64,
    /// Unmooring (berth freed), hours.
    pub unmoored_h: f64,
    /// Waiting hours by cause: berth, tide, channel, closure.
    pub waits_h: [f64; 4],
    /// Cargo moved, in the cargo's unit.
    pub amount: u64,
    /// The ship's class.
    pub class: crate::model::ShipClassId,
    /// Departure from the port (unmooring plus the channel out), hours.
    pub departure_h: f64,
    /// Whether the call was completed in the measured period (it then counts in the KPIs).
    pub measured: bool,
}

/// Conservation of one (port, cargo) pair over the measured period, in the cargo's unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// Port index.
    pub port: usize,
    /// Cargo class.
    pub cargo: CargoClass,
    /// In port when the measured period began: aboard ships, in the yard, at the gate, on
    /// trains being loaded.
    pub in_port_start: u64,
    /// Arrived during the measured period: by sea (imports, and exports with no hinterland
    /// leg) or by land (exports with one).
    pub arrived: u64,
    /// Left during the measured period: by land (imports with a hinterland leg, when they
    /// leave the yard) or by sea (everything else, when its ship leaves the berth).
    pub departed: u64,
    /// Still in port at the end.
    pub in_port_end: u64,
    /// What was physically in port when the measured period began, counted where it was —
    /// aboard ships at the port, in yards, at gates, on trains loading — independently of the
    /// ledger's arithmetic.
    pub counted_start: u64,
    /// The same count at the end.
    pub counted_end: u64,
}

impl LedgerRow {
    /// Whether in port at the start + arrived = departed + in port at the end.
    pub fn balances(&self) -> bool {
        self.in_port_start + self.arrived == self.departed + self.in_port_end
    }

    /// Whether the ledger's stock in port, at the start and at the end, is what the count of
    /// the cargo physically in the model found.
    pub fn matches_count(&self) -> bool {
        self.in_port_start == self.counted_start && self.in_port_end == self.counted_end
    }
}

/// The result of one run (one design year of one replication).
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Design year.
    pub year: u16,
    /// Replication number (0-based).
    pub replication: u32,
    /// KPI rows in a fixed order.
    pub kpis: Vec<Kpi>,
    /// Completed calls, if asked for.
    pub calls: Vec<CallRecord>,
    /// Cargo each flow sent by rail, road and pipeline in the measured period, as chosen.
    pub flow_modes: Vec<[u64; 3]>,
    /// Conservation per (port, cargo) with demand.
    pub ledger: Vec<LedgerRow>,
    /// Ships that arrived over the whole run, warm-up included.
    pub ships: u64,
    /// Events processed.
    pub events: u64,
    /// Most ships in port at once (the ship table's size): memory is bounded by this, not by
    /// the number of ships simulated.
    pub peak_ships_in_port: usize,
    /// Daily series, if asked for.
    pub series: Vec<DaySeries>,
}

/// One daily series of a run: a value for each day of the measured period.
#[derive(Clone, Debug, PartialEq)]
pub struct DaySeries {
    /// Port (`Port`), terminal (`Port/Terminal`) or corridor (`Port/rail:NAME`).
    pub port: String,
    /// Cargo class, or `ALL`.
    pub cargo: String,
    /// `ships_waiting` (the day's mean), `yard_occupancy` (the day's mean share of the yard's
    /// capacity) or `trains` (trains that day, both ways).
    pub series: &'static str,
    /// Day by day.
    pub values: Vec<f64>,
}

/// All runs of one scenario, in (year, replication) order.
#[derive(Clone, Debug)]
pub struct ScenarioRuns {
    /// Scenario name.
    pub scenario: String,
    /// Design years, in the order they were run.
    pub years: Vec<u16>,
    /// Replications per design year.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// One result per (year, replication), years in the order given, replications ascending.
    pub runs: Vec<RunResult>,
}

/// One KPI of one scenario against the baseline (the first scenario).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CompareRow {
    /// Scenario name.
    pub scenario: String,
    /// Baseline scenario name.
    pub baseline: String,
    /// Design year.
    pub year: u16,
    /// Port, `Port/Terminal`, `Port/rail:…` or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric name.
    pub metric: String,
    /// The scenario's mean over replications.
    pub mean: f64,
    /// Mean of the paired differences (scenario − baseline).
    pub diff_mean: f64,
    /// Lower end of the 95 % Student-t interval of the paired difference.
    pub diff_ci95_low: f64,
    /// Upper end of that interval.
    pub diff_ci95_high: f64,
    /// Replications in which both values were defined.
    pub n: usize,
}

/// The practical capacity of one scope.
#[derive(Clone, Debug, Serialize)]
pub struct CapacityResult {
    /// `Port/Terminal` or `ALL`.
    pub scope: String,
    /// The criteria that must all hold, as text.
    pub criterion: String,
    /// The criteria missed first as demand grows — at the least multiple tried past the
    /// capacity on the mean — as text; empty when all hold at the search's largest multiple.
    pub binding: String,
    /// Largest demand multiple meeting the criteria on the mean (infinite: met at the search's
    /// largest multiple, 8; 0: missed at its least, 1/8 — `inf` and `0` in capacity.csv, `null`
    /// and `0` in capacity.json).
    pub multiple: f64,
    /// Lower end of its interval (criteria met even at the unfavourable end of the 95 % CI).
    pub multiple_low: f64,
    /// Upper end (criteria met at the favourable end).
    pub multiple_high: f64,
    /// Throughput at today's demand (multiple 1), t/yr.
    pub base_t_per_yr: f64,
    /// Throughput at today's demand, TEU/yr (NaN without containers).
    pub base_teu_per_yr: f64,
    /// Capacity, t/yr: `multiple × base_t_per_yr`.
    pub capacity_t_per_yr: f64,
    /// Capacity, TEU/yr.
    pub capacity_teu_per_yr: f64,
    /// Where the search's premise fails — the scope's limit is clearly worse at a multiple
    /// below 1 than at 1, so it does not tighten as demand grows — what shows it; else empty.
    pub note: String,
}
