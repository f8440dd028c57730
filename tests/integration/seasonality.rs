//! A tramp flow's monthly seasonality: arrivals follow the factors month by month, and the
//! year's volume is what the flow states whatever the pattern.

use portsim::sim::{SimOptions, simulate};

use crate::util::stat::{chi_square_sf, normal_upper_quantile};
use crate::util::{kpi, model_from, test_seed};

/// Days of the months of a 365-day year.
const DAYS: [f64; 12] = [
    31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
];

/// A February six times busier and a quiet December: their plain mean (1.354) differs from
/// the day-weighted mean (1.320) by 2.6 %, so normalising by the wrong one shows.
const FACTORS: [f64; 12] = [1.0, 6.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.25];

const CALLS_PER_YR: f64 = 100_000.0;

/// 100,000 calls a year on 20 berths serving in 36 s: no call waits, and every call that
/// arrives before the year's end has left by then (the run goes on one more day). The warm-up
/// of 30 days does not start on 1 January, so a calendar counted from the run's start would
/// put the factors in the wrong months.
fn scenario() -> String {
    let factors: Vec<String> = FACTORS.iter().map(f64::to_string).collect();
    format!(
        r#"
[run]
warmup_days = 30
measured_days = 366
[[ship_classes]]
name = "ship"
cargo = "coal"
dwt_t = 10000
length_m = 100
draft_m = 8
parcel_t = {{ dist = "fixed", value = 1000 }}
[[ports]]
name = "P"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["coal"]
      [[ports.areas.terminals.berths]]
      name = "b"
      count = 20
      max_dwt_t = 10000
      length_m = 100
      depth_m = 9
      rate_t_per_h = 1000
[[flows]]
name = "f"
cargo = "coal"
direction = "import"
port = "P"
calls_per_yr = {CALLS_PER_YR}
ships = [{{ class = "ship" }}]
service_h = {{ dist = "fixed", value = 0.01 }}
seasonality = [{}]
"#,
        factors.join(", ")
    )
}

/// Calls by calendar month of the design year, from the call records' arrival times.
fn monthly_arrivals(seed: u64) -> [f64; 12] {
    let model = model_from(&scenario());
    let r = simulate(
        &model,
        2020,
        0,
        seed,
        &SimOptions {
            record_calls: true,
            ..SimOptions::default()
        },
    )
    .expect("run");
    // Calls are recorded when they leave: none waits, so every call that arrives in the year
    // has left, and is counted, before the run ends.
    assert_eq!(kpi(&r, "P", "ALL", "wait_prob"), 0.0);
    let warmup_h = 30.0 * 24.0;
    let mut ends = [0.0; 12];
    let mut acc = 0.0;
    for (m, d) in DAYS.iter().enumerate() {
        acc += d * 24.0;
        ends[m] = acc;
    }
    let mut counts = [0.0; 12];
    for c in &r.calls {
        let t = c.arrival_h - warmup_h;
        if (0.0..8760.0).contains(&t) {
            let m = ends.iter().position(|&e| t < e).expect("within the year");
            counts[m] += 1.0;
        }
    }
    counts
}

/// Arrivals by month are multinomial with shares ∝ days × factor (χ², 11 df), and the year's
/// total is Poisson with mean 100,000 (a normal z-test, sd 316 — the approximation is exact
/// to well under a per cent of α at this mean).
///
/// False-alarm rate: 0.0005 for each of the two tests, 0.001 for both (Bonferroni), for any
/// seed. Power: factors ignored, shifted by a month, counted from the run's start instead of
/// 1 January, or not day-weighted give χ² in the thousands; a total off by 2.6 % (the factors
/// normalised by their plain mean) is 8 sd away, and unnormalised factors (+32 %) are 100 sd.
#[test]
fn arrivals_follow_the_monthly_factors_and_keep_the_annual_volume() {
    let counts = monthly_arrivals(test_seed(1));
    let total: f64 = counts.iter().sum();
    let weights: Vec<f64> = DAYS.iter().zip(FACTORS).map(|(d, f)| d * f).collect();
    let wsum: f64 = weights.iter().sum();
    let mut chi2 = 0.0;
    for m in 0..12 {
        let expected = total * weights[m] / wsum;
        chi2 += (counts[m] - expected).powi(2) / expected;
        eprintln!(
            "month {}: {} calls, expected {expected:.0}",
            m + 1,
            counts[m]
        );
    }
    let p = chi_square_sf(chi2, 11.0);
    assert!(
        p > 0.0005,
        "monthly arrivals do not follow the factors: χ² = {chi2:.1} (11 df, p = {p:.2e}); {counts:?}"
    );
    let z = (total - CALLS_PER_YR) / CALLS_PER_YR.sqrt();
    let crit = normal_upper_quantile(0.0005 / 2.0);
    assert!(
        z.abs() < crit,
        "the year's calls {total} are {z:.2} sd from the stated {CALLS_PER_YR} (limit ±{crit:.2})"
    );
}
