//! The names of the metrics portsim reports: part of the output contract (`kpis.csv`'s
//! `metric` column), read by the simulation that produces them and by the scenario reader
//! that checks targets against them — neither knows the other.

/// Every metric name the runs report (the output contract's `metric` column).
pub const METRICS: &[&str] = &[
    "throughput_t",
    "throughput_teu",
    "ship_calls",
    "wait_h_mean",
    "wait_prob",
    "wait_h_p50",
    "wait_h_p90",
    "wait_h_p95",
    "wait_tide_h_mean",
    "wait_channel_h_mean",
    "wait_closure_h_mean",
    "wait_berth_h_mean",
    "service_h_mean",
    "blocked_h_mean",
    "wait_ratio",
    "turnaround_h_mean",
    "ships_waiting_mean",
    "ships_waiting_peak",
    "delay_cargo_t_h",
    "wait_cost_cny",
    "land_cost_cny",
    "stockout_h",
    "send_out_short_t",
    "send_out_short_share",
    "recovery_days",
    "arrived_t",
    "arrived_teu",
    "departed_t",
    "departed_teu",
    "in_port_start_t",
    "in_port_start_teu",
    "in_port_end_t",
    "in_port_end_teu",
    "unserved_t",
    "unserved_teu",
    "rail_t",
    "rail_teu",
    "road_t",
    "road_teu",
    "pipeline_t",
    "diverted_t",
    "diverted_teu",
    "rail_share",
    "rail_share_of_throughput",
    "diverted_share",
    "co2_t",
    "nox_t",
    "sox_t",
    "pm_t",
    "shore_power_mwh",
    "berth_occupancy",
    "yard_occupancy_mean",
    "yard_full_h",
    "yard_overflow_calls",
    "yard_dwell_h_mean",
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
    "trains",
    "rail_track_utilisation",
    "berths",
    "slot_utilisation",
    "train_load_factor",
    "rail_wait_h_mean",
    "slot_utilisation_in",
    "trains_out",
    "trains_in",
    "rail_out_t",
    "rail_out_teu",
    "rail_in_t",
    "rail_in_teu",
    "hub_out_t",
    "hub_out_teu",
    "hub_in_t",
    "hub_in_teu",
    "mode_share_rail",
    "mode_share_road",
    "mode_share_pipeline",
];

/// The prefix of the daily series of ships waiting around dated disruptions:
/// `ships_waiting_day_001` … `ships_waiting_day_365` (the mean number waiting at the port that
/// day of the design year).
pub const DAY_SERIES_PREFIX: &str = "ships_waiting_day_";

static DAY_METRICS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    (1..=365)
        .map(|d| format!("{DAY_SERIES_PREFIX}{d:03}"))
        .collect()
});

/// The metric name of day `day` (0 = 1 January) of the daily series.
///
/// ```
/// assert_eq!(portsim::metrics::day_metric(237), "ships_waiting_day_238");
/// ```
pub fn day_metric(day: usize) -> &'static str {
    DAY_METRICS[day.min(364)].as_str()
}

/// The day (1–365) of a daily-series metric name, if it is one.
///
/// ```
/// assert_eq!(portsim::metrics::series_day("ships_waiting_day_238"), Some(238));
/// assert_eq!(portsim::metrics::series_day("wait_h_mean"), None);
/// ```
pub fn series_day(name: &str) -> Option<u16> {
    let d: u16 = name.strip_prefix(DAY_SERIES_PREFIX)?.parse().ok()?;
    (name.len() == DAY_SERIES_PREFIX.len() + 3 && (1..=365).contains(&d)).then_some(d)
}

/// Metrics that are shares of a whole, so never above 1: a criterion or goal beyond 1 can
/// never be met. (Not every ratio: a yard in overflow is above 1 full, trains beyond the
/// timetable put slot use above 1, and rail over throughput counts cargo not yet shipped.)
const SHARES: &[&str] = &[
    "wait_prob",
    "berth_occupancy",
    "rail_share",
    "diverted_share",
    "send_out_short_share",
    "train_load_factor",
    "mode_share_rail",
    "mode_share_road",
    "mode_share_pipeline",
];

/// The values a metric can take: every metric is a count, an amount, a duration, a cost or a
/// ratio of these, so never below 0 (`land_cost_cny` books a rail lot's hours beyond the normal
/// wait, below 0 for a lot that waited less, but its totals are the chosen modes' costs and
/// stay above 0); shares of a whole are at most 1.
///
/// ```
/// use portsim::metrics::range;
/// assert_eq!(range("wait_prob"), (0.0, 1.0));
/// assert_eq!(range("wait_h_mean"), (0.0, f64::INFINITY));
/// assert_eq!(range("yard_occupancy_mean"), (0.0, f64::INFINITY));
/// ```
pub fn range(name: &str) -> (f64, f64) {
    if SHARES.contains(&name) {
        (0.0, 1.0)
    } else {
        (0.0, f64::INFINITY)
    }
}

/// Why no value of `name` could lie in `[from, to]`, if none could: its values
/// ([`range`]) lie wholly on one side — "never below 0", "never above 1".
///
/// ```
/// use portsim::metrics::never_within;
/// assert_eq!(never_within("wait_h_mean", f64::NEG_INFINITY, -1.0).as_deref(), Some("never below 0"));
/// assert_eq!(never_within("wait_prob", 1.2, f64::INFINITY).as_deref(), Some("never above 1"));
/// assert_eq!(never_within("wait_prob", 0.9, 1.2), None);
/// ```
pub fn never_within(name: &str, from: f64, to: f64) -> Option<String> {
    let (low, high) = range(name);
    if to < low {
        Some(format!("never below {low}"))
    } else if from > high {
        Some(format!("never above {high}"))
    } else {
        None
    }
}

/// The unit a metric is counted in, for a reader ("TEU", "t", "h", "CNY", "calls",
/// "trains"…), from its name; empty for a ratio or share (a number of its own) and for
/// `berths`.
///
/// ```
/// use portsim::metrics::unit;
/// assert_eq!(unit("rail_teu"), "TEU");
/// assert_eq!(unit("throughput_t"), "t");
/// assert_eq!(unit("delay_cargo_t_h"), "t·h");
/// assert_eq!(unit("wait_h_p95"), "h");
/// assert_eq!(unit("land_cost_cny"), "CNY");
/// assert_eq!(unit("recovery_days"), "days");
/// assert_eq!(unit("trains_out"), "trains");
/// assert_eq!(unit("wait_ratio"), "");
/// assert_eq!(unit("ships_waiting_day_012"), "ships");
/// ```
pub fn unit(name: &str) -> &'static str {
    if name.ends_with("_t_h") {
        "t·h"
    } else if name.ends_with("_teu") {
        "TEU"
    } else if name.ends_with("_t") {
        "t"
    } else if name.ends_with("_h") || name.contains("_h_") {
        "h"
    } else if name.ends_with("_cny") {
        "CNY"
    } else if name.ends_with("_mwh") {
        "MWh"
    } else if name.ends_with("_days") {
        "days"
    } else if name.starts_with("trains") {
        "trains"
    } else if name.starts_with("ships_waiting") {
        "ships"
    } else if name.ends_with("_calls") {
        "calls"
    } else {
        ""
    }
}

/// Whether `name` is a metric the runs report (one of [`METRICS`] or a daily-series day).
pub fn is_metric(name: &str) -> bool {
    METRICS.contains(&name) || series_day(name).is_some()
}
