//! Goals met or missed: a scenario's targets against the simulated means and intervals.
//!
//! # Format
//!
//! `targets.csv`: `scenario,year,port,cargo,metric,bound,target,mean,ci95_low,ci95_high,met,source`
//! — `bound` is `at_least` or `at_most`; `met` is `yes` when the mean meets the target, `no`
//! when it does not, `n/a` when the runs report no such value (e.g. a design year not run is
//! left out altogether). The interval columns show how sure that verdict is.

use super::output::fmt_num;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::results::{SummaryRow, find};

/// One target against the runs.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    /// Scenario name.
    pub scenario: String,
    /// Design year.
    pub year: u16,
    /// Port, `Port/Terminal` or `ALL`.
    pub port: String,
    /// Cargo class or `ALL`.
    pub cargo: String,
    /// Metric.
    pub metric: String,
    /// `at_least` or `at_most`.
    pub bound: &'static str,
    /// The target value.
    pub target: f64,
    /// Simulated mean.
    pub mean: f64,
    /// Lower end of its 95 % interval.
    pub ci95_low: f64,
    /// Upper end.
    pub ci95_high: f64,
    /// `yes`, `no` or `n/a`.
    pub met: &'static str,
    /// Where the target comes from.
    pub source: String,
}

/// Evaluates the model's targets for the design years in `rows`.
pub fn evaluate(model: &Model, rows: &[SummaryRow]) -> Vec<TargetRow> {
    // Only this scenario's rows: a comparison holds several scenarios' rows side by side.
    let own: Vec<SummaryRow> = rows
        .iter()
        .filter(|r| r.scenario == model.name)
        .cloned()
        .collect();
    let mut out = Vec::new();
    for t in &model.targets {
        if !own.iter().any(|r| r.year == t.year) {
            continue;
        }
        let r = find(&own, t.year, &t.port, &t.cargo, &t.metric);
        let (mean, lo, hi) = r.map_or((f64::NAN, f64::NAN, f64::NAN), |r| {
            (r.mean, r.ci95_low, r.ci95_high)
        });
        let met = if mean.is_nan() {
            "n/a"
        } else if (t.at_least && mean >= t.value) || (!t.at_least && mean <= t.value) {
            "yes"
        } else {
            "no"
        };
        out.push(TargetRow {
            scenario: model.name.clone(),
            year: t.year,
            port: t.port.clone(),
            cargo: t.cargo.clone(),
            metric: t.metric.clone(),
            bound: if t.at_least { "at_least" } else { "at_most" },
            target: t.value,
            mean,
            ci95_low: lo,
            ci95_high: hi,
            met,
            source: t.source.clone(),
        });
    }
    out
}

/// Renders `targets.csv`.
pub fn render_csv(rows: &[TargetRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render targets.csv: {e}"));
    w.write_record([
        "scenario",
        "year",
        "port",
        "cargo",
        "metric",
        "bound",
        "target",
        "mean",
        "ci95_low",
        "ci95_high",
        "met",
        "source",
    ])
    .map_err(err)?;
    for r in rows {
        w.write_record([
            r.scenario.clone(),
            r.year.to_string(),
            r.port.clone(),
            r.cargo.clone(),
            r.metric.clone(),
            r.bound.to_string(),
            fmt_num(r.target),
            fmt_num(r.mean),
            fmt_num(r.ci95_low),
            fmt_num(r.ci95_high),
            r.met.to_string(),
            r.source.clone(),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render targets.csv: {e}")))
}
