//! `series.csv`: the daily series of the busiest places, each day's mean over the
//! replications with its 95 % interval.

use std::collections::BTreeMap;

use super::{DaySeries, ScenarioRuns};
use crate::stats::Estimate;

/// How many series of each kind `series.csv` keeps per scenario and design year: the ports'
/// cargo queues with the most ships waiting, the fullest yards, the corridors with the most
/// trains.
pub const BUSIEST: usize = 4;

/// One day of one series, over the replications.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    /// Scenario.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port, terminal or corridor (as in the KPI rows).
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// `ships_waiting`, `yard_occupancy` or `trains`.
    pub series: &'static str,
    /// Day of the measured period, from 1.
    pub day: usize,
    /// The day's value over the replications.
    pub estimate: Estimate,
}

/// The busiest [`BUSIEST`] series of each kind per design year (by their mean over the days
/// and replications), day by day.
pub fn summarise_series(runs: &ScenarioRuns) -> Vec<SeriesRow> {
    let mut out = Vec::new();
    for &year in &runs.years {
        let of_year: Vec<&Vec<DaySeries>> = runs
            .runs
            .iter()
            .filter(|r| r.year == year)
            .map(|r| &r.series)
            .collect();
        let Some(first) = of_year.first() else {
            continue;
        };
        // Every replication of a year has the same series in the same order.
        let mut ranked: BTreeMap<&str, Vec<(f64, usize)>> = BTreeMap::new();
        for (i, s) in first.iter().enumerate() {
            let total: f64 = of_year
                .iter()
                .map(|r| r[i].values.iter().sum::<f64>())
                .sum();
            ranked.entry(s.series).or_default().push((total, i));
        }
        let mut keep: Vec<usize> = Vec::new();
        for list in ranked.values_mut() {
            // Largest first; equal totals in the model's order.
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            keep.extend(list.iter().filter(|x| x.0 > 0.0).take(BUSIEST).map(|x| x.1));
        }
        keep.sort_unstable();
        for i in keep {
            let s = &first[i];
            for d in 0..s.values.len() {
                let values: Vec<f64> = of_year.iter().map(|r| r[i].values[d]).collect();
                out.push(SeriesRow {
                    scenario: runs.scenario.clone(),
                    year,
                    port: s.port.clone(),
                    cargo: s.cargo.clone(),
                    series: s.series,
                    day: d + 1,
                    estimate: Estimate::from_values(&values).nonnegative(),
                });
            }
        }
    }
    out
}
