//! How a terminal gives an arriving ship a free berth: the smallest sufficient (the default),
//! or spread over its quay sections (`berth_allocation = "spread"`, a container port with
//! several operators).

use portsim::sim::{SimOptions, simulate};

use crate::util::{model_from, test_seed};

/// One port with one coal terminal of two quay sections, "east" and "west", of two identical
/// berths each; identical ships; the rate does not vary from call to call, so a call's
/// service does not depend on the berth it gets. Berth occupancy ≈ 0.5 (830 calls of 22 h on average, over four berths).
fn terminal(allocation: &str) -> String {
    format!(
        r#"
name = "two-sections"

[run]
replications = 1
warmup_days = 10

[[ship_classes]]
name = "handy"
cargo = "coal"
dwt_t = 40000
length_m = 180
draft_m = 11.0
parcel_t = {{ dist = "uniform", min = 20000, max = 40000 }}

[[ports]]
name = "Harbour"

  [[ports.areas]]
  name = "Main"

    [[ports.areas.terminals]]
    name = "Coal"
    cargo = ["coal"]
    berth_allocation = "{allocation}"

      [[ports.areas.terminals.berths]]
      name = "east"
      count = 2
      max_dwt_t = 50000
      length_m = 200
      depth_m = 12.5
      rate_t_per_h = 1500
      mooring_h = 2.0

      [[ports.areas.terminals.berths]]
      name = "west"
      count = 2
      max_dwt_t = 50000
      length_m = 200
      depth_m = 12.5
      rate_t_per_h = 1500
      mooring_h = 2.0

[[flows]]
name = "coal-in"
cargo = "coal"
direction = "import"
port = "Harbour"
volume_t_per_yr = 25000000
ships = [{{ class = "handy" }}]
"#
    )
}

/// (calls at each section, each call's wait) of one run.
fn calls(allocation: &str, seed: u64) -> ([u32; 2], Vec<f64>) {
    let model = model_from(&terminal(allocation));
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let run = simulate(&model, model.settings.base_year, 0, seed, &opts).expect("run");
    let mut at = [0u32; 2];
    let mut waits = Vec::new();
    for c in run.calls.iter().filter(|c| c.measured) {
        at[model.berths[c.berth.index()].section as usize] += 1;
        waits.push(c.waits_h.iter().sum());
    }
    (at, waits)
}

#[test]
fn spreading_calls_balances_the_sections_and_changes_no_ships_wait() {
    let seed = test_seed(11);
    let (smallest, wait_smallest) = calls("smallest_sufficient", seed);
    let (spread, wait_spread) = calls("spread", seed);
    // ≈ 830 calls a year. The smallest-sufficient rule (ties to the earlier berth) fills
    // "east" first: "west" gets what arrives while both east berths are busy. Over seeds 1–25
    // east took 0.61–0.66 (sd ≈ 0.012): 0.56 is four standard deviations below the lowest.
    let share = |at: [u32; 2]| f64::from(at[0]) / f64::from(at[0] + at[1]);
    assert!(
        share(smallest) > 0.56,
        "smallest sufficient: east took {smallest:?}"
    );
    // Spread: a ship goes to the section with fewer berths busy and, between equals, to the
    // one given fewer calls, so the two take turns (seeds 1–25: within 0.0013 of a half; the
    // bound allows eight calls).
    assert!(
        (share(spread) - 0.5).abs() < 0.01,
        "spread: east took {spread:?}"
    );
    // The berths are identical and both rules give an arriving ship a free berth whenever one
    // is free, so the queue is the same one, ship for ship: every wait is equal.
    assert_eq!(wait_smallest.len(), wait_spread.len());
    for (a, b) in wait_smallest.iter().zip(&wait_spread) {
        assert!((a - b).abs() < 1e-9, "a wait changed: {a} h against {b} h");
    }
    assert!(
        wait_spread.iter().any(|&w| w > 0.0),
        "some ships must queue, or the equality says nothing"
    );
}
