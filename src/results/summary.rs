//! Summaries over replications: one row per (year, port, cargo, metric).

use serde::Serialize;

use super::ScenarioRuns;
use crate::stats::Estimate;

/// A metric's mean and 95 % interval over the replications of one design year.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SummaryRow {
    /// Scenario name.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port, `Port/Terminal`, or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric name.
    pub metric: String,
    /// Mean over replications (NaN → null in JSON when undefined in every replication).
    pub mean: f64,
    /// Lower end of the 95 % Student-t interval, cut at zero (no KPI is negative).
    pub ci95_low: f64,
    /// Upper end of the interval.
    pub ci95_high: f64,
    /// Replications in which the metric was defined.
    pub n: usize,
}

/// Summarises the runs: for each design year, each KPI row position across replications.
///
/// Rows keep the order in which the simulation emits them (ports in file order, then the
/// cluster), and values are summed in replication order, so the result is deterministic.
pub fn summarise(runs: &ScenarioRuns) -> Vec<SummaryRow> {
    let mut out = Vec::new();
    for &year in &runs.years {
        let reps: Vec<_> = runs.runs.iter().filter(|r| r.year == year).collect();
        let Some(first) = reps.first() else { continue };
        for (i, k) in first.kpis.iter().enumerate() {
            let values: Vec<f64> = reps
                .iter()
                .map(|r| {
                    let row = &r.kpis[i];
                    debug_assert!(row.metric == k.metric && row.port == k.port);
                    row.value
                })
                .collect();
            let e = Estimate::from_values(&values).nonnegative();
            out.push(SummaryRow {
                scenario: runs.scenario.clone(),
                year,
                port: k.port.clone(),
                cargo: k.cargo.clone(),
                metric: k.metric.to_string(),
                mean: e.mean,
                ci95_low: e.ci95_low,
                ci95_high: e.ci95_high,
                n: e.n,
            });
        }
    }
    out
}

/// Finds a summary row.
pub fn find<'a>(
    rows: &'a [SummaryRow],
    year: u16,
    port: &str,
    cargo: &str,
    metric: &str,
) -> Option<&'a SummaryRow> {
    rows.iter()
        .find(|r| r.year == year && r.port == port && r.cargo == cargo && r.metric == metric)
}
