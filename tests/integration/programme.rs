//! Calls on an annual delivery programme: evenly spaced slots, each call late by its jitter;
//! checked by hand against the call times and, as a queue, against the exact D/M/1 result.

use crate::util::{check_rejects, model_from, test_seed};
use portsim::sim::{SimOptions, simulate};

/// One server, service exponential with mean 1 h; `calls_per_h` calls on a programme.
fn dm1(calls_per_h: f64, extra: &str, measured_days: u32) -> String {
    let text = portsim::scenario::builtin::get("mm1-rho70")
        .expect("built-in")
        .toml
        .to_string();
    text.replace(
        "calls_per_h = 0.7",
        &format!("calls_per_h = {calls_per_h}\n{extra}"),
    )
    .replace(
        "measured_days = 365",
        &format!("measured_days = {measured_days}"),
    )
}

#[test]
fn programme_calls_come_one_gap_apart_plus_their_lateness() {
    // One call a day, each exactly 5 h late against its slot: every gap is 24 h and the
    // first call comes within a day (its slot's phase is random) plus 5 h.
    let text = dm1(
        1.0 / 24.0,
        "arrivals = \"programme\"\njitter_h = { dist = \"fixed\", value = 5 }",
        60,
    );
    let model = model_from(&text);
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let r = simulate(&model, 2020, 0, 7, &opts).expect("run");
    let mut t: Vec<f64> = r.calls.iter().map(|c| c.arrival_h).collect();
    t.sort_by(f64::total_cmp);
    assert!(t.len() >= 88, "{} calls in 90 days", t.len());
    for w in t.windows(2) {
        assert!((w[1] - w[0] - 24.0).abs() < 1e-6, "gap {}", w[1] - w[0]);
    }
    assert!(t[0] >= 5.0 && t[0] < 29.0, "first call at {}", t[0]);
    // Another replication has another phase, not another gap.
    let r2 = simulate(&model, 2020, 1, 7, &opts).expect("run");
    let first2 = r2
        .calls
        .iter()
        .map(|c| c.arrival_h)
        .fold(f64::INFINITY, f64::min);
    assert!((first2 - t[0]).abs() > 1e-6 && (first2 - 5.0).rem_euclid(24.0) < 24.0);
}

#[test]
fn a_month_without_deliveries_has_no_calls_and_the_year_keeps_its_volume() {
    // Twelve calls a month on average, none in February: the other months' factors carry the
    // year (normalised to a day-weighted mean of 1).
    let season = "seasonality = [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";
    let text = dm1(
        144.0 / 8760.0,
        &format!("arrivals = \"programme\"\n{season}"),
        365,
    )
    .replace("warmup_days = 30", "warmup_days = 0");
    let model = model_from(&text);
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let r = simulate(&model, 2020, 0, 3, &opts).expect("run");
    let (feb0, feb1) = (31.0 * 24.0, 59.0 * 24.0);
    let arrivals: Vec<f64> = r.calls.iter().map(|c| c.arrival_h).collect();
    assert!(
        arrivals.iter().all(|&a| !(feb0..feb1).contains(&a)),
        "a call in February"
    );
    assert!(
        (arrivals.len() as i64 - 144).abs() <= 1,
        "{} calls in the year",
        arrivals.len()
    );
}

/// The exact D/M/1 queue: deterministic arrivals every 1/λ, exponential service at μ. With σ
/// the root in (0, 1) of σ = exp(−μ(1 − σ)/λ), the mean wait is W_q = σ / (μ(1 − σ)). At
/// ρ = 0.7, σ = 0.467 and W_q = 0.876 h (M/M/1: 2.333 h). 20 replications of a year; the
/// 99.9 % Student-t interval of the mean wait must contain it (stated false-alarm rate 0.001;
/// the replications' wait is near normal at this load).
#[test]
fn programme_arrivals_reproduce_the_exact_d_m_1_wait() {
    let (lambda, mu) = (0.7f64, 1.0f64);
    let mut sigma = 0.5f64;
    for _ in 0..200 {
        sigma = (-mu * (1.0 - sigma) / lambda).exp();
    }
    let exact = sigma / (mu * (1.0 - sigma));
    assert!((exact - 0.876).abs() < 0.001, "{exact}");
    let model = model_from(&dm1(lambda, "arrivals = \"programme\"", 365));
    let runs = crate::util::run(&model, 20, test_seed(5));
    let waits = crate::util::per_rep(&runs, "ALL", "ALL", "wait_h_mean");
    let e = portsim::stats::Estimate::from_values(&waits);
    let half = crate::util::half_width(&e, 0.001);
    eprintln!(
        "D/M/1 ρ = 0.7: W_q exact {exact:.4}, simulated {:.4} ± {half:.4}",
        e.mean
    );
    assert!(
        (e.mean - exact).abs() <= half,
        "D/M/1 wait {:.4} ± {half:.4} excludes the exact {exact:.4}",
        e.mean
    );
    // And it is not M/M/1's: the programme matters.
    assert!(e.mean + half < 2.333);
}

#[test]
fn bad_arrival_keys_are_refused() {
    check_rejects(
        &dm1(0.7, "arrivals = \"scheduled\"", 365),
        "unknown arrival process `scheduled`",
    );
    check_rejects(
        &dm1(0.7, "jitter_h = { dist = \"fixed\", value = 1 }", 365),
        "`jitter_h` belongs to `arrivals = \"programme\"`",
    );
}
