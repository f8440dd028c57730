//! Waiting for the tide against its exact law: ships arriving as a Poisson process at a channel
//! they may only use near high water.
//!
//! A semi-diurnal tide of period T = 12.42 h gives a ship that needs extra water a window of
//! ±w around each high water; a transit of τ hours must lie inside it, so it may start in an
//! interval of L = 2w − τ per cycle. With no other cause of waiting (free berths, a two-way
//! channel), a ship arriving at a uniformly random phase waits nothing with probability L/T
//! and otherwise until the next window opens: uniformly between 0 and T − L. So
//! - P(wait > 0) = (T − L)/T,
//! - wait | wait > 0 ~ U(0, T − L),
//! - E[wait] = (T − L)² / (2T).
//!
//! Poisson arrivals see the phase uniformly (given their number, their times are independent
//! and uniform over the run, whose 705 cycles make the phase uniform to 1 part in 700 —
//! far below these tests' resolution), and each call's wait is a function of its own arrival
//! time alone, so the calls' waits are independent draws of that law.
//!
//! The case: tide range 2 m; channel 8 m at datum with 1 m under-keel clearance and a 1 h
//! transit; ships of 8 m laden draft (30,000 t parcels, a full load) need 1 m of tide, which
//! the tide gives for a quarter period either side of high water: w = 3.105 h, L = 5.21 h,
//! T − L = 7.21 h, E[wait] = 2.0928 h. They leave in ballast (3.6 m), needing no tide. 40
//! berths, one hour of work a call, 0.5 calls an hour: never a berth to wait for.

use portsim::model::TIDE_PERIOD_H;
use portsim::sim::{SimOptions, simulate};
use portsim::stats::Estimate;

use crate::util::{half_width, model_from, per_rep, run, test_seed};

const CASE: &str = r#"
name = "tide-window"
[run]
base_year = 2020
warmup_days = 2
measured_days = 365
replications = 20
seed = 1

[[ship_classes]]
name = "deep"
cargo = "other_dry_bulk"
dwt_t = 30000
length_m = 190
draft_m = 8.0
ballast_draft_m = 3.6
parcel_t = { dist = "fixed", value = 30000 }

[[ports]]
name = "P"
tide = { range_m = 2.0, high_water_h = 0.0 }

  [[ports.areas]]
  name = "A"
  channel = { depth_m = 8.0, ukc_m = 1.0, transit_h = 1.0 }

    [[ports.areas.terminals]]
    name = "T"
    cargo = ["other_dry_bulk"]

      [[ports.areas.terminals.berths]]
      name = "b"
      count = 40
      max_dwt_t = 50000
      length_m = 250
      depth_m = 12.0
      rate_t_per_h = 30000

[[flows]]
name = "arrivals"
cargo = "other_dry_bulk"
direction = "import"
port = "P"
calls_per_h = 0.5
ships = [{ class = "deep" }]
service_h = { dist = "fixed", value = 1.0 }
"#;

/// The window's closed part of each cycle, T − L, hours.
fn closed_h() -> f64 {
    let w = TIDE_PERIOD_H / 4.0; // need 1 m of a 2 m range: cos = 0
    TIDE_PERIOD_H - (2.0 * w - 1.0)
}

/// The mean tide wait over 20 one-year replications against (T − L)²/(2T), by a two-sided
/// Student-t interval at false-alarm rate 0.001 (the replication means are averages of ≈ 4,400
/// independent waits: near normal). Berth, channel and closure waits are exactly zero, so the
/// tide is the only cause. Power: the half-width is ≈ 0.03 h (0.021–0.052 over seeds 1–40, all
/// passing); a window that forgot the transit (L = 2w) would give a mean of 1.55 h, some 17
/// half-widths away.
#[test]
fn poisson_arrivals_wait_for_the_tide_as_the_window_s_exact_law_says() {
    let model = model_from(CASE);
    let runs = run(&model, 20, test_seed(11));
    let tide = Estimate::from_values(&per_rep(&runs, "P", "ALL", "wait_tide_h_mean"));
    let exact = closed_h().powi(2) / (2.0 * TIDE_PERIOD_H);
    let hw = half_width(&tide, 0.001);
    eprintln!(
        "mean tide wait {:.4} ± {hw:.4} h, exact {exact:.4} h",
        tide.mean
    );
    assert!(
        (tide.mean - exact).abs() <= hw,
        "mean tide wait {:.4} ± {hw:.4} h, exact {exact:.4} h",
        tide.mean
    );
    assert!(hw < 0.05 * exact, "the interval is informative: ± {hw}");
    for metric in [
        "wait_berth_h_mean",
        "wait_channel_h_mean",
        "wait_closure_h_mean",
    ] {
        let v = per_rep(&runs, "P", "ALL", metric);
        assert!(v.iter().all(|&x| x == 0.0), "{metric}: {v:?}");
    }
}

/// Every call, one replication's 4,400 of them at every phase of the tide: its tide wait is the
/// time from its arrival to the next start of a window (none if it arrives inside one), to
/// within 10⁻⁵ h (36 ms: the engine's 1 ms tick and rounding) — exact, so any seed. Both kinds of call are there: the law
/// has 58 % of them wait, and the test asks for 40–75 % (each end over 20 sd of a binomial
/// count of ≈ 4,400 away). High water is at hour 0 of the design year, which starts after the
/// 2-day warm-up; call times count from the run's start.
#[test]
fn each_call_waits_for_the_tide_until_the_next_window_opens() {
    let model = model_from(CASE);
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let r = simulate(&model, 2020, 0, test_seed(12), &opts).expect("run");
    let (t, w) = (TIDE_PERIOD_H, TIDE_PERIOD_H / 4.0);
    let warmup_h = 48.0;
    let mut waited = 0usize;
    for c in &r.calls {
        let x = c.arrival_h - warmup_h;
        // The next high water whose window still has room for the 1 h transit.
        let n = ((x - (w - 1.0)) / t).ceil();
        let expected = (n * t - w - x).max(0.0);
        assert!(
            (c.waits_h[1] - expected).abs() < 1e-5,
            "arrived at {:.4} h: waited {:.4} h for the tide, expected {expected:.4} h",
            c.arrival_h,
            c.waits_h[1]
        );
        waited += usize::from(c.waits_h[1] > 0.0);
    }
    let n = r.calls.len() as f64;
    assert!(n > 4000.0, "{n} calls");
    let share = waited as f64 / n;
    assert!(
        (0.40..=0.75).contains(&share),
        "{share:.4} of the calls waited for the tide, expected {:.4}",
        closed_h() / TIDE_PERIOD_H
    );
}
