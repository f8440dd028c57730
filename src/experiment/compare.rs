//! Paired comparison of scenarios under common random numbers.
//!
//! Every scenario runs with the same master seed, design years and replication numbers, and
//! random streams are keyed by what they drive, so replication `r` of scenario B sees the same
//! ships as replication `r` of scenario A wherever the two share flows. The difference of a KPI
//! is then taken replication by replication, and its interval is that of the paired
//! differences — much tighter than comparing two independent means.

use std::collections::BTreeMap;

use crate::results::{CompareRow, ScenarioRuns};
use crate::stats::Estimate;

type Key = (u16, String, String, &'static str);

/// Values per replication, by KPI key, in the order the first replication emits them.
fn by_key(runs: &ScenarioRuns) -> (Vec<Key>, BTreeMap<Key, BTreeMap<u32, f64>>) {
    let mut order = Vec::new();
    let mut values: BTreeMap<Key, BTreeMap<u32, f64>> = BTreeMap::new();
    for r in &runs.runs {
        for k in &r.kpis {
            let key = (r.year, k.port.clone(), k.cargo.clone(), k.metric);
            let slot = values.entry(key.clone()).or_default();
            if slot.is_empty() {
                order.push(key);
            }
            slot.insert(r.replication, k.value);
        }
    }
    (order, values)
}

/// Compares every scenario with the first, KPI by KPI, over the KPIs the baseline reports.
///
/// Rows come scenario by scenario (the baseline first, with differences of exactly zero), each
/// in the baseline's KPI order. A KPI that a scenario does not report is left out for it.
pub fn compare(all: &[ScenarioRuns]) -> Vec<CompareRow> {
    let Some(base) = all.first() else {
        return Vec::new();
    };
    let (order, base_values) = by_key(base);
    let mut out = Vec::new();
    for s in all {
        let (_, values) = by_key(s);
        for key in &order {
            let (Some(b), Some(v)) = (base_values.get(key), values.get(key)) else {
                continue;
            };
            let mine: Vec<f64> = v.values().copied().collect();
            let diffs: Vec<f64> = v
                .iter()
                .filter_map(|(rep, x)| b.get(rep).map(|y| x - y))
                .filter(|d| d.is_finite())
                .collect();
            let e = Estimate::from_values(&mine);
            let d = Estimate::from_values(&diffs);
            out.push(CompareRow {
                scenario: s.scenario.clone(),
                baseline: base.scenario.clone(),
                year: key.0,
                port: key.1.clone(),
                cargo: key.2.clone(),
                metric: key.3.to_string(),
                mean: e.mean,
                diff_mean: d.mean,
                diff_ci95_low: d.ci95_low,
                diff_ci95_high: d.ci95_high,
                n: d.n,
            });
        }
    }
    out
}
