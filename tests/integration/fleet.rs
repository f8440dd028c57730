//! Fleets that change: a class the port cannot take yet carries its share on its fallback until
//! a berth or channel admits it (fewer, larger calls; the same tonnes), and mixes move by year.

use crate::util::{check_rejects, kpi, model_from};
use portsim::sim::{SimOptions, simulate};

/// 10 Mt a year of ore on a programme (no jitter): half would come on 100,000-t ships, half on
/// 50,000-t ships; one berth taking ships up to `berth_dwt`; `extra` appended to the flow.
fn ore(berth_dwt: u32, extra: &str) -> String {
    format!(
        r#"
[run]
base_year = 2020
warmup_days = 0
measured_days = 365
[[ship_classes]]
name = "small"
cargo = "iron_ore"
dwt_t = 50000
length_m = 190
draft_m = 12
parcel_t = {{ dist = "fixed", value = 50000 }}
[[ship_classes]]
name = "big"
cargo = "iron_ore"
dwt_t = 100000
length_m = 250
draft_m = 14
parcel_t = {{ dist = "fixed", value = 100000 }}
[[ports]]
name = "P"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["iron_ore"]
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = {berth_dwt}
      length_m = 300
      depth_m = 16
      rate_t_per_h = 5000
[[flows]]
name = "ore"
cargo = "iron_ore"
direction = "import"
port = "P"
volume_t_per_yr = 10000000
arrivals = "programme"
ships = [{{ class = "big", share = 0.5, fallback = "small" }}, {{ class = "small", share = 0.5 }}]
{extra}
"#
    )
}

fn calls(text: &str, year: u16) -> (f64, f64) {
    let r = simulate(&model_from(text), year, 0, 1, &SimOptions::default()).expect("run");
    (
        kpi(&r, "P", "iron_ore", "ship_calls"),
        kpi(&r, "P", "iron_ore", "throughput_t"),
    )
}

#[test]
fn a_class_the_port_cannot_take_rides_its_fallback_until_a_berth_admits_it() {
    // Berth for 60,000 t: all 10 Mt on 50,000-t ships, 200 calls. Berth for 120,000 t: 50
    // calls of 100,000 t and 100 of 50,000 t — 150 calls, the same tonnes. (On a programme each
    // class's calls are evenly spaced from a random phase: ±1 call a class.)
    let (c1, t1) = calls(&ore(60000, ""), 2020);
    let (c2, t2) = calls(&ore(120000, ""), 2020);
    assert!((c1 - 200.0).abs() <= 1.0, "{c1} calls");
    assert!((c2 - 150.0).abs() <= 2.0, "{c2} calls");
    for t in [t1, t2] {
        assert!((t - 1e7).abs() <= 1e5, "{t} t");
    }
}

#[test]
fn a_fleet_moves_linearly_between_the_years_given() {
    // All on 50,000-t ships in 2020, half on 100,000-t ships by 2030 (written as the mix of
    // that year): in 2025 a quarter of the tonnes, 25 calls of 100,000 t and 150 of 50,000 t.
    let fleet = r#"fleet = [{ year = 2030, ships = [{ class = "big", share = 0.5 }, { class = "small", share = 0.5 }] }]"#;
    let text = ore(120000, fleet).replace(
        r#"ships = [{ class = "big", share = 0.5, fallback = "small" }, { class = "small", share = 0.5 }]"#,
        r#"ships = [{ class = "small" }]"#,
    );
    let (c20, _) = calls(&text, 2020);
    let (c25, t25) = calls(&text, 2025);
    let (c35, _) = calls(&text, 2035);
    assert!((c20 - 200.0).abs() <= 1.0, "2020: {c20}");
    assert!((c25 - 175.0).abs() <= 2.0, "2025: {c25}");
    assert!((c35 - 150.0).abs() <= 2.0, "2035 (held from 2030): {c35}");
    assert!((t25 - 1e7).abs() <= 1e5, "{t25} t");
}

#[test]
fn bad_fleets_are_refused() {
    check_rejects(
        &ore(60000, "").replace(", fallback = \"small\"", ""),
        "ship class `big` (100000 t DWT, 250 m long, 14 m draft) fits no berth",
    );
    check_rejects(&ore(40000, ""), "the fallback must fit the port");
    check_rejects(
        &ore(
            120000,
            r#"fleet = [{ year = 2030, ships = [{ class = "big", share = 0.6 }, { class = "small", share = 0.5 }] }]"#,
        ),
        "flows[0].fleet[0].ships: expected ship shares that sum to 1, found 1.1",
    );
    check_rejects(
        &ore(
            120000,
            r#"fleet = [{ year = 2020, ships = [{ class = "big" }] }]"#,
        ),
        "expected a year after 2020",
    );
}
