//! The berth queue's discipline on a sample path: liners first, then first come first served,
//! and no berth idle while a ship waits for one (non-preemptive priority). Each property is
//! checked on every call of a year with two classes competing for two berths, so the checks
//! are exact — they hold for any seed or the discipline is wrong.

use portsim::model::Model;
use portsim::results::CallRecord;
use portsim::sim::{SimOptions, simulate};

use crate::util::{model_from, test_seed};

/// Two berths of 100 TEU/h; a daily liner service of 800-TEU calls (9 h at berth, ρ ≈ 0.19)
/// a day late on average, and Poisson feeders of 500 TEU (6 h, ρ ≈ 0.6), with no channel,
/// tide or yard, so a ship is at berth the moment it is given one.
const TWO_CLASSES: &str = r#"
name = "priority"
[run]
warmup_days = 10
measured_days = 365
[[ship_classes]]
name = "box"
cargo = "container"
teu = 2000
parcel_teu = { dist = "fixed", value = 800 }
[[ship_classes]]
name = "feeder"
cargo = "container"
teu = 600
parcel_teu = { dist = "fixed", value = 500 }
[[ports]]
name = "P"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["container"]
      [[ports.areas.terminals.berths]]
      name = "b"
      count = 2
      rate_teu_per_h = 100
      mooring_h = 1.0
[[services]]
name = "main"
port = "P"
ship_class = "box"
calls_per_week = 7
first_call_h = 3
delay_h = { dist = "exponential", mean = 24 }
[[flows]]
name = "main-in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 292000
service = "main"
[[flows]]
name = "feeder-in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 876000
ships = [{ class = "feeder" }]
"#;

/// The year's calls, split into liners and feeders.
fn calls(model: &Model, seed: u64) -> (Vec<CallRecord>, Vec<CallRecord>) {
    let options = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let run = simulate(model, 2020, 0, seed, &options).expect("run");
    let liner = model
        .flows
        .iter()
        .position(|f| f.name == "main-in")
        .expect("the liner flow");
    run.calls.into_iter().partition(|c| c.flow.index() == liner)
}

#[test]
fn liners_go_first_then_first_come_first_served_and_no_berth_idles_while_ships_wait() {
    let model = model_from(TWO_CLASSES);
    // The counts asserted below are far from their limits for any seed: ≈ 375 scheduled
    // liner calls, ≈ 1,750 feeders (Poisson, sd 42), ≈ 280 overtakings (a liner berthed
    // before a feeder that came earlier; 257–338 in three runs), and mean waits of ≈ 1.2 h
    // against ≈ 4.7 h (seed 3; seeds 1–40 pass).
    let (liners, feeders) = calls(&model, test_seed(3));
    assert!(
        liners.len() > 350 && feeders.len() > 1500,
        "{} {}",
        liners.len(),
        feeders.len()
    );
    let waiting = |c: &CallRecord, t: f64| c.arrival_h < t && c.berthed_h > t;

    // Liners first: no feeder is given a berth while a liner waits for one.
    let mut overtaken = 0;
    for f in &feeders {
        let ahead = liners.iter().find(|l| waiting(l, f.berthed_h));
        assert!(
            ahead.is_none(),
            "a feeder berthed at {:.3} h while a liner waited (arrived {:.3} h)",
            f.berthed_h,
            ahead.map_or(0.0, |l| l.arrival_h)
        );
        // The case the rule is about: a liner that came later and went first.
        overtaken += liners
            .iter()
            .filter(|l| l.arrival_h > f.arrival_h && l.berthed_h < f.berthed_h)
            .count();
    }
    assert!(
        overtaken > 50,
        "the year tests the rule: {overtaken} overtakings"
    );

    // First come, first served within a class (the berths are identical).
    for class in [&liners, &feeders] {
        let mut by_arrival: Vec<_> = class.iter().collect();
        by_arrival.sort_by(|a, b| a.arrival_h.total_cmp(&b.arrival_h));
        for w in by_arrival.windows(2) {
            assert!(
                w[0].berthed_h <= w[1].berthed_h,
                "arrived at {:.3} h and {:.3} h, berthed at {:.3} h and {:.3} h",
                w[0].arrival_h,
                w[1].arrival_h,
                w[0].berthed_h,
                w[1].berthed_h
            );
        }
    }

    // No berth idles while a ship waits: whenever a call is waiting, both berths are busy
    // (a berth is busy from a ship's mooring to its unmooring). A call is recorded when it
    // unmoors, so a ship still at its berth when the run ends is missing: only instants more
    // than the longest stay at berth (9 h, the liners') before the end are checked.
    let end_h = (model.settings.warmup_days + model.settings.measured_days) * 24.0;
    let complete_before = end_h - 10.0;
    let all: Vec<&CallRecord> = liners.iter().chain(&feeders).collect();
    let busy_at = |t: f64| {
        all.iter()
            .filter(|c| c.berthed_h <= t && t < c.unmoored_h)
            .count()
    };
    let mut checked = 0;
    for c in all.iter().filter(|c| c.berthed_h > c.arrival_h) {
        // The berths' states change only when a ship moors or unmoors: check just after the
        // arrival and just after each such instant inside the wait.
        let mut instants = vec![c.arrival_h];
        instants.extend(
            all.iter()
                .flat_map(|o| [o.berthed_h, o.unmoored_h])
                .filter(|&t| c.arrival_h < t && t < c.berthed_h),
        );
        for t in instants.into_iter().filter(|&t| t < complete_before) {
            let busy = busy_at(t + 1e-6);
            assert_eq!(
                busy, 2,
                "a call waiting from {:.3} h to {:.3} h saw {busy} busy berths at {t:.3} h",
                c.arrival_h, c.berthed_h
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} instants checked");

    // What the rule buys: liners wait far less than feeders.
    let mean_wait = |v: &[CallRecord]| {
        v.iter().map(|c| c.berthed_h - c.arrival_h).sum::<f64>() / v.len() as f64
    };
    assert!(
        mean_wait(&liners) < 0.5 * mean_wait(&feeders),
        "liners {:.2} h, feeders {:.2} h",
        mean_wait(&liners),
        mean_wait(&feeders)
    );
}
