//! Waiting-time percentiles (`wait_h_p50`, `wait_h_p90`, `wait_h_p95`) against the exact
//! M/M/c waiting-time distribution.
//!
//! In M/M/c (FCFS) P(W > t) = C·e^{−(cμ−λ)t}, C being Erlang C, so the p-quantile is
//! t_p = ln(C / (1 − p)) / (cμ − λ) when 1 − p < C, and 0 otherwise.
//!
//! The KPIs come from a log-binned histogram (`src/stats/histogram.rs`): 64 bins per
//! doubling, the bin holding the rank-⌈pn⌉ wait reported by its geometric middle. A bin spans
//! [lo, hi) with hi/lo ≤ 65/64, so the reported value is within a factor √(65/64) (0.78 %) of
//! the exact sample quantile, either way. The tests widen each interval by that factor (and
//! a little: 1 %) on each side — a systematic error the replications cannot average away.

use portsim::model::{Arrivals, Dist, Model};
use portsim::stats::t_quantile;
use portsim::theory::erlang_c;

use crate::util::{load, per_rep, run, test_seed};

/// Relative resolution of a histogram percentile: √(65/64) − 1 = 0.78 %, rounded up.
const BIN_TOLERANCE: f64 = 0.01;

const MODELS: [&str; 4] = ["mm2-rho70", "mm4-rho80", "mm8-rho70", "mm8-rho90"];
const PERCENTILES: [(&str, f64); 3] = [
    ("wait_h_p50", 0.5),
    ("wait_h_p90", 0.9),
    ("wait_h_p95", 0.95),
];
const REPS: u32 = 20;
/// Family-wise false-alarm rate of the 12 intervals (4 models × 3 percentiles).
const FAMILY_ALPHA: f64 = 0.01;

/// λ (per hour) and c of a validation model, read from the model itself (μ = 1/h).
fn lambda_and_servers(model: &Model) -> (f64, u32) {
    let flow = &model.flows[0];
    let Arrivals::Tramp { ships, .. } = &flow.arrivals else {
        panic!("tramp flow expected")
    };
    let parcel = model.ship_classes[ships[0].0.index()].parcel.mean();
    (
        flow.volume_per_yr / parcel / 8760.0,
        model.berths.len() as u32,
    )
}

/// The exact p-quantile of the M/M/c wait, μ = 1/h.
fn exact_quantile(c: u32, lambda: f64, p: f64) -> f64 {
    let erlang = erlang_c(c, lambda);
    if 1.0 - p >= erlang {
        0.0
    } else {
        (erlang / (1.0 - p)).ln() / (f64::from(c) - lambda)
    }
}

/// Per model and percentile: the theory, and the replication interval at the Bonferroni
/// level, widened by the histogram's resolution. Returns the failures.
fn check(models: &[(String, Model)], seed: u64) -> Vec<String> {
    let per_interval = FAMILY_ALPHA / (MODELS.len() * PERCENTILES.len()) as f64;
    let t = t_quantile(1.0 - per_interval / 2.0, f64::from(REPS) - 1.0);
    let mut failures = Vec::new();
    for (name, model) in models {
        let (lambda, c) = lambda_and_servers(model);
        let runs = run(model, REPS, seed);
        for (metric, p) in PERCENTILES {
            let exact = exact_quantile(c, lambda, p);
            let v = per_rep(&runs, "ALL", "ALL", metric);
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let half = t * sd / n.sqrt();
            let (lo, hi) = (
                (mean - half) / (1.0 + BIN_TOLERANCE),
                (mean + half) * (1.0 + BIN_TOLERANCE),
            );
            eprintln!("{name} {metric}: exact {exact:.4}, simulated {mean:.4} [{lo:.4}, {hi:.4}]");
            if !(lo <= exact && exact <= hi) {
                failures.push(format!(
                    "{name} {metric}: exact {exact:.4} outside [{lo:.4}, {hi:.4}] (mean {mean:.4})"
                ));
            }
        }
    }
    failures
}

/// The simulated percentiles of four M/M/c models — among them quantiles that are exactly 0
/// (M/M/8 at ρ = 0.7 waits with probability C ≈ 0.22 < 0.5) and ones deep in the tail —
/// contain the exact quantiles.
///
/// Method: 20 one-year replications per model; for each of the 12 (model, percentile) pairs a
/// Student-t interval over the replications' values at level 1 − 0.01/12 (Bonferroni), widened
/// by the histogram's 1 %. Family-wise false-alarm rate ≤ 1 % for any seed (the per-replication
/// quantile of ≥ 12,000 waits is close to normal, so the t-interval's level holds).
///
/// Power: see `a_slower_service_moves_the_percentiles_out_of_the_intervals` (5 % slower
/// service). The widened intervals are at most ±13 % of the value, so a percentile taken at
/// the wrong rank (here p95 is 1.36–1.70 × p90), of the time in system instead of in the queue
/// (+1 h), or of a non-FCFS queue (same mean wait, another spread) falls outside.
#[test]
fn percentiles_match_the_exact_mmc_waiting_distribution() {
    let models: Vec<(String, Model)> = MODELS.iter().map(|n| (n.to_string(), load(n))).collect();
    let failures = check(&models, test_seed(1));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same check rejects a model served 5 % slower than the theory assumes: at least the
/// p90 and p95 of the two busiest models must fall outside their intervals. (They shift by
/// 40–110 %, many half-widths: over seeds 1–40 every one was rejected.)
#[test]
fn a_slower_service_moves_the_percentiles_out_of_the_intervals() {
    let models: Vec<(String, Model)> = ["mm4-rho80", "mm8-rho90"]
        .iter()
        .map(|n| {
            let mut m = load(n);
            m.flows[0].service_h = Some(Dist::Exponential { mean: 1.05 });
            (n.to_string(), m)
        })
        .collect();
    let failures = check(&models, test_seed(1));
    for name in ["mm4-rho80", "mm8-rho90"] {
        for metric in ["wait_h_p90", "wait_h_p95"] {
            assert!(
                failures
                    .iter()
                    .any(|f| f.starts_with(&format!("{name} {metric}:"))),
                "{name} {metric}: 5 % slower service went unnoticed"
            );
        }
    }
}
