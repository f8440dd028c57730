//! Short stories about the engine: small scenarios whose every call can be checked by hand.

use crate::util::model_from;
use portsim::model::Tide;
use portsim::sim::{CallRecord, SimOptions, simulate};

fn calls(model: &portsim::model::Model, seed: u64) -> Vec<CallRecord> {
    simulate(
        model,
        2020,
        0,
        seed,
        &SimOptions {
            record_calls: true,
            ..SimOptions::default()
        },
    )
    .expect("run")
    .calls
}

const ONE_BERTH: &str = r#"
[run]
warmup_days = 0
measured_days = 60
[[ship_classes]]
name = "ship"
cargo = "coal"
dwt_t = 10000
length_m = 100
draft_m = 8
parcel_t = { dist = "fixed", value = 10000 }
[[ports]]
name = "P"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["coal"]
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = 10000
      length_m = 100
      depth_m = 9
      rate_t_per_h = 1000
      mooring_h = 2
[[flows]]
name = "f"
cargo = "coal"
direction = "import"
port = "P"
volume_t_per_yr = 5000000
ships = [{ class = "ship" }]
"#;

#[test]
fn one_berth_serves_first_come_first_served() {
    // One berth, every call exactly 2 h + 10,000 t / 1,000 t/h = 12 h: Lindley's recursion
    // gives every berthing time from the arrivals.
    let calls = calls(&model_from(ONE_BERTH), 5);
    assert!(calls.len() > 50);
    let mut free_at = 0.0f64;
    for c in &calls {
        let expected = c.arrival_h.max(free_at);
        assert!(
            (c.berthed_h - expected).abs() < 1e-3,
            "{c:?} should berth at {expected}"
        );
        assert!((c.unmoored_h - c.berthed_h - 12.0).abs() < 1e-3, "{c:?}");
        assert!(
            (c.waits_h[0] - (c.berthed_h - c.arrival_h)).abs() < 1e-3,
            "all waiting is for the berth"
        );
        free_at = c.unmoored_h;
    }
    assert!(
        calls.iter().any(|c| c.waits_h[0] > 0.0),
        "with ρ ≈ 0.68 some ship must wait"
    );
}

#[test]
fn deep_ships_enter_only_on_the_tide() {
    // Depth 8 m, draft 8 m, under-keel clearance 1 m: a laden ship needs 1 m of the 2 m tide,
    // i.e. ±3.105 h around each high water, and the 1 h transit must fit inside that window.
    let text = ONE_BERTH
        .replace(
            "  name = \"A\"\n",
            "  name = \"A\"\n  channel = { depth_m = 8.0, ukc_m = 1.0, transit_h = 1.0 }\n",
        )
        .replace(
            "[[ports]]\nname = \"P\"\n",
            "[[ports]]\nname = \"P\"\ntide = { range_m = 2.0, high_water_h = 0.0 }\n",
        );
    let model = model_from(&text);
    let tide = Tide {
        range_m: 2.0,
        high_water_h: 0.0,
    };
    let calls = calls(&model, 5);
    assert!(calls.len() > 50);
    for c in &calls {
        let transit_start = c.berthed_h - 1.0;
        for k in 0..=10 {
            let t = transit_start + f64::from(k) * 0.1;
            assert!(
                tide.height_m(t) >= 1.0 - 1e-6,
                "{c:?}: only {:.3} m of tide at {t:.3} h",
                tide.height_m(t)
            );
        }
        let waited: f64 = c.waits_h.iter().sum();
        assert!(
            (waited - (transit_start - c.arrival_h)).abs() < 1e-3,
            "{c:?}: causes add up"
        );
    }
    assert!(
        calls.iter().any(|c| c.waits_h[1] > 0.0),
        "some ship must wait for the tide"
    );
}

#[test]
fn liner_calls_keep_their_schedule() {
    // A liner service with no delay: calls arrive exactly one headway apart.
    let text = r#"
[run]
warmup_days = 0
measured_days = 28
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 10
parcel_teu = { dist = "fixed", value = 1000 }
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
      max_dwt_t = 50000
      length_m = 300
      depth_m = 12
      rate_teu_per_h = 100
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 2
[[flows]]
name = "in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 52143
service = "s"
"#;
    let model = model_from(text);
    // The service's first slot is a random phase in the first headway, so each seed places
    // the eight calls of the four weeks differently: all are checked against that phase.
    for seed in 1..=20 {
        let calls = calls(&model, seed);
        let phase = calls.first().expect("a call").arrival_h;
        assert!((0.0..84.0).contains(&phase), "seed {seed}: phase {phase}");
        for w in calls.windows(2) {
            assert!((w[1].arrival_h - w[0].arrival_h - 84.0).abs() < 1e-3);
        }
        // Call size = 52,143 TEU / (2 × 365/7 calls) = 500 TEU → 5 h at 100 TEU/h.
        for c in &calls {
            assert_eq!(c.amount, 500);
            assert!(
                (c.arrival_h - c.berthed_h).abs() < 1e-3,
                "two berths: no wait"
            );
            assert!((c.unmoored_h - c.berthed_h - 5.0).abs() < 1e-3);
        }
        // Two calls a week for four weeks arrive; a call is recorded once it has left, so
        // the eighth is missing when it arrives in the last five hours.
        let done = (0..8)
            .filter(|&k| phase + 84.0 * f64::from(k) + 5.0 <= 28.0 * 24.0)
            .count();
        assert_eq!(calls.len(), done, "seed {seed}: phase {phase}");
    }
}

#[test]
fn a_handling_closure_extends_service_by_its_length() {
    // Closures that stop handling every month: service times stretch by the overlap.
    let text = ONE_BERTH.replace(
        "[[ports]]\nname = \"P\"\n",
        "[[ports]]\nname = \"P\"\n[[ports.closures]]\nname = \"gale\"\nmonths = [1, 2, 3]\nepisodes_per_month = 4\nduration_h = { dist = \"fixed\", value = 6 }\nstops = [\"handling\"]\n",
    );
    let calls = calls(&model_from(&text), 5);
    let stretched = calls
        .iter()
        .filter(|c| c.unmoored_h - c.berthed_h > 12.0 + 1e-3)
        .count();
    assert!(stretched > 0, "some service must be interrupted");
    for c in &calls {
        let s = c.unmoored_h - c.berthed_h;
        assert!(s >= 12.0 - 1e-3, "{c:?}: a closure never shortens service");
    }
}

#[test]
fn memory_is_bounded_by_ships_in_port_not_ships_simulated() {
    // Ten times as many ships must not need ten times the ship table.
    let (mut model, _) = portsim::scenario::load("mm4-rho80").expect("built-in");
    let one = simulate(&model, 2020, 0, 3, &SimOptions::default()).expect("run");
    model.settings.measured_days = 3650.0;
    let ten = simulate(&model, 2020, 0, 3, &SimOptions::default()).expect("run");
    assert!(ten.ships > 9 * one.ships);
    assert!(
        one.peak_ships_in_port < 100 && ten.peak_ships_in_port < 100,
        "{} / {}",
        one.peak_ships_in_port,
        ten.peak_ships_in_port
    );
}
