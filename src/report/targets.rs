//! Goals met or missed: a scenario's targets against the simulated means and intervals.
//!
//! # Format
//!
//! `targets.csv`:
//! `scenario,year,port,cargo,metric,bound,target,mean,ci95_low,ci95_high,met,source,p_met,
//! verdict,p_met_ci95_low,p_met_ci95_high`
//! — `bound` is `at_least`, `at_most` or `within_<tolerance>` (`within_0.05`: within ±5 % of
//! the target); `met` is `yes` when the mean meets the target, `no` when it does not, `n/a`
//! when the runs report no such value (e.g. a design year not run is left out altogether).
//! `verdict` says how sure that is: `met` or `missed` where the mean's 95 % interval lies
//! wholly on one side, `unclear` where it straddles the goal (more replications would tell).
//! `p_met` is the share of replications whose own value meets it — with demand drawn per
//! replication, the probability of meeting the goal under the scenario's stated uncertainty —
//! and `p_met_ci95_*` its 95 % Wilson score interval over those replications.

use super::output::fmt_num;
use crate::error::{Error, Result};
use crate::model::{Bound, Model};
use crate::results::{ScenarioRuns, SummaryRow, find};

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
    /// How the goal bounds the metric.
    pub bound: Bound,
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
    /// Share of the replications whose value meets the target (NaN where none reports it).
    pub p_met: f64,
    /// `met`, `missed` or `unclear` by the mean's 95 % interval (`n/a` with no value).
    pub verdict: &'static str,
    /// The 95 % Wilson score interval of `p_met` (NaN where no replication reports it).
    pub p_met_ci95: (f64, f64),
}

/// The 95 % Wilson score interval of a proportion of `k` successes in `n` trials; (NaN, NaN)
/// for none. Unlike the normal approximation it stays within [0, 1] and is not empty at 0 or n.
///
/// ```
/// use portsim::report::targets::wilson95;
/// let (lo, hi) = wilson95(6, 10);
/// assert!((lo - 0.3127).abs() < 1e-4 && (hi - 0.8318).abs() < 1e-4);
/// assert!(wilson95(0, 10).0 == 0.0 && wilson95(0, 10).1 > 0.25);
/// ```
pub fn wilson95(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let (z, n) = (1.959_963_984_540_054_f64, n as f64);
    let p = k as f64 / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Evaluates the model's targets for the design years in `rows`, and per replication in
/// `runs` (the scenario's own are picked out by name).
pub fn evaluate(model: &Model, rows: &[SummaryRow], runs: &[&ScenarioRuns]) -> Vec<TargetRow> {
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
        } else if t.bound.met(mean, t.value) {
            "yes"
        } else {
            "no"
        };
        // Each replication's own verdict: an undefined (NaN) value counts as not met; a
        // replication without the row at all is left out.
        let values: Vec<f64> = runs
            .iter()
            .filter(|r| r.scenario == model.name)
            .flat_map(|r| &r.runs)
            .filter(|r| r.year == t.year)
            .filter_map(|r| {
                r.kpis
                    .iter()
                    .find(|k| k.port == t.port && k.cargo == t.cargo && k.metric == t.metric)
                    .map(|k| k.value)
            })
            .collect();
        let meeting = values.iter().filter(|&&v| t.bound.met(v, t.value)).count();
        let p_met = if values.is_empty() {
            f64::NAN
        } else {
            meeting as f64 / values.len() as f64
        };
        let verdict = if mean.is_nan() {
            "n/a"
        } else {
            t.bound.verdict(lo, hi, t.value)
        };
        out.push(TargetRow {
            scenario: model.name.clone(),
            year: t.year,
            port: t.port.clone(),
            cargo: t.cargo.clone(),
            metric: t.metric.clone(),
            bound: t.bound,
            target: t.value,
            mean,
            ci95_low: lo,
            ci95_high: hi,
            met,
            source: t.source.clone(),
            p_met,
            verdict,
            p_met_ci95: wilson95(meeting, values.len()),
        });
    }
    out
}

/// The columns of `targets.csv`.
pub const TARGETS_COLUMNS: [&str; 16] = [
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
    "p_met",
    "verdict",
    "p_met_ci95_low",
    "p_met_ci95_high",
];

/// Renders `targets.csv`.
pub fn render_csv(rows: &[TargetRow]) -> Result<Vec<u8>> {
    let mut out = format!("{}\n", TARGETS_COLUMNS.join(",")).into_bytes();
    out.extend(render_target_rows(&[], rows)?);
    Ok(out)
}

/// Renders target rows without a header, each led by `prefix` (a sweep point's columns).
pub fn render_target_rows(prefix: &[String], rows: &[TargetRow]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("cannot render targets.csv: {e}"));
    for r in rows {
        let mut rec: Vec<String> = prefix.to_vec();
        rec.extend([
            r.scenario.clone(),
            r.year.to_string(),
            r.port.clone(),
            r.cargo.clone(),
            r.metric.clone(),
            r.bound.label(),
            fmt_num(r.target),
            fmt_num(r.mean),
            fmt_num(r.ci95_low),
            fmt_num(r.ci95_high),
            r.met.to_string(),
            r.source.clone(),
            fmt_num(r.p_met),
            r.verdict.to_string(),
            fmt_num(r.p_met_ci95.0),
            fmt_num(r.p_met_ci95.1),
        ]);
        w.write_record(&rec).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render targets.csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::evaluate;
    use crate::model::{Bound, Target};
    use crate::results::{Kpi, RunResult, ScenarioRuns, summarise};

    /// Ten replications whose cluster throughput is 1, 2, …, 10 t.
    fn runs(scenario: &str) -> ScenarioRuns {
        ScenarioRuns {
            scenario: scenario.into(),
            years: vec![2020],
            replications: 10,
            seed: 1,
            runs: (0..10)
                .map(|i| RunResult {
                    year: 2020,
                    replication: i,
                    kpis: vec![Kpi {
                        port: "ALL".into(),
                        cargo: "ALL".into(),
                        metric: "throughput_t",
                        value: f64::from(i + 1),
                    }],
                    calls: Vec::new(),
                    flow_modes: Vec::new(),
                    ledger: Vec::new(),
                    ships: 0,
                    events: 0,
                    peak_ships_in_port: 0,
                    series: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn p_met_is_the_share_of_replications_meeting_the_goal() {
        let (mut model, _) = crate::scenario::load("mm1-rho50").expect("built-in");
        let runs = runs(&model.name);
        let goal = |bound, value| Target {
            year: 2020,
            port: "ALL".into(),
            cargo: "ALL".into(),
            metric: "throughput_t".into(),
            bound,
            value,
            source: String::new(),
        };
        model.targets = vec![
            goal(Bound::AtLeast, 4.0),                    // 4 … 10: 7 of 10
            goal(Bound::AtMost, 2.0),                     // 1, 2
            goal(Bound::Within { tolerance: 0.25 }, 4.0), // 3, 4, 5
            goal(Bound::Within { tolerance: 0.1 }, 20.0), // none
        ];
        let rows = summarise(&runs);
        let t = evaluate(&model, &rows, &[&runs]);
        let p: Vec<f64> = t.iter().map(|r| r.p_met).collect();
        assert_eq!(p, [0.7, 0.2, 0.3, 0.0]);
        // The verdict is on the mean (5.5): met, missed from below, missed from above.
        let met: Vec<&str> = t.iter().map(|r| r.met).collect();
        assert_eq!(met, ["yes", "no", "no", "no"]);
        // The mean's interval (5.5 ± 2.17: 3.33 … 7.67) settles only the last two: it holds
        // values on both sides of 4, and of 2 it holds none; of 3 … 5 some; of 18 … 22 none.
        let verdicts: Vec<&str> = t.iter().map(|r| r.verdict).collect();
        assert_eq!(verdicts, ["unclear", "missed", "unclear", "missed"]);
        // p_met's Wilson interval: 7 of 10 is 0.397 … 0.892.
        let (lo, hi) = t[0].p_met_ci95;
        assert!(
            (lo - 0.3968).abs() < 1e-4 && (hi - 0.8922).abs() < 1e-4,
            "{lo} {hi}"
        );
        // Another scenario's runs do not count.
        let other = self::runs("someone-else");
        assert!(evaluate(&model, &rows, &[&other])[0].p_met.is_nan());
    }
}
