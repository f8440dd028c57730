//! Conservation, checked against what is physically in the model: at the start and the end
//! of the measured period the ledger's stock in port must equal the cargo counted where it is
//! — aboard the ships at the port, in the yards, at the gates, on trains loading.

use portsim::model::CargoClass;
use portsim::sim::{SimOptions, simulate};

use crate::util::{load, model_from};

/// Three liner calls and a rail corridor, timed so that at the end of the day cargo is in
/// every place the count looks: on a train loading, at the gate, aboard a ship and in the
/// yard.
const ONE_DAY: &str = r#"
[run]
warmup_days = 0
measured_days = 1
[[ship_classes]]
name = "box"
cargo = "container"
teu = 2000
parcel_teu = { dist = "fixed", value = 500 }
[[regions]]
name = "Inland"
[[ports]]
name = "P"
rail_loading_tracks = 1
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["container"]
    gate = { trucks_per_h = 1, teu_per_truck = 1.6 }
      [[ports.areas.terminals.berths]]
      name = "b"
      rate_teu_per_h = 100
[[corridors]]
name = "rail"
port = "P"
region = "Inland"
cargo = ["container"]
train_capacity_teu = 300
departure = "timetable"
timetable_h = [18, 23]
loading_h = 2
transit_h = 12
[[services]]
name = "a"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 2
[[services]]
name = "b"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 21
[[services]]
name = "c"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 26
[[flows]]
name = "in-a"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 26071.428571428572   # 500 TEU a call
service = "a"
region = "Inland"
modes = { rail = 1.0 }
dwell_h = { dist = "fixed", value = 10 }
[[flows]]
name = "in-b"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 20857.142857142857   # 400 TEU a call
service = "b"
region = "Inland"
modes = { rail = 1.0 }
dwell_h = { dist = "fixed", value = 10 }
[[flows]]
name = "out-c"
cargo = "container"
direction = "export"
port = "P"
volume_teu_per_yr = 5214.285714285715    # 100 TEU a call
service = "c"
region = "Inland"
modes = { road = 1.0 }
dwell_h = { dist = "fixed", value = 4 }
"#;

#[test]
fn the_count_finds_cargo_where_it_was_timed_to_be() {
    // Call a (2 h): 500 TEU ashore in steps of 200 at 4, 6 h and 100 at 7 h; ready for rail
    // 10 h later. The 18 h train loads 300 and leaves at 20 h; the 23 h train loads the last
    // 200 and is still loading at 24 h. Call b (21 h): 200 of its 400 TEU ashore at 23 h,
    // 200 still aboard at 24 h. Call c (26 h) loads 100 TEU of exports that reach the gate
    // at 22 h; the gate passes 1.6 TEU/h, so they are still at it at 24 h.
    // In port at 24 h: 200 (train) + 200 (yard) + 200 (aboard) + 100 (gate) = 700.
    let model = model_from(ONE_DAY);
    let r = simulate(&model, 2020, 0, 1, &SimOptions::default()).expect("run");
    assert_eq!(r.ledger.len(), 1);
    let row = &r.ledger[0];
    assert_eq!(row.cargo, CargoClass::Container);
    assert_eq!(
        (
            row.in_port_start,
            row.arrived,
            row.departed,
            row.in_port_end
        ),
        (0, 1000, 300, 700),
        "{row:?}"
    );
    assert_eq!((row.counted_start, row.counted_end), (0, 700));
    // A faster gate moves the exports into the yard by 24 h: the same 700, found elsewhere.
    let fast = model_from(&ONE_DAY.replace("trucks_per_h = 1,", "trucks_per_h = 1000,"));
    let r = simulate(&fast, 2020, 0, 1, &SimOptions::default()).expect("run");
    assert_eq!(
        (r.ledger[0].in_port_end, r.ledger[0].counted_end),
        (700, 700)
    );
    // A day later: the 23 h train left at 25 h; b's 400 TEU were ashore by 25 h and ready by
    // 35 h, the 42 h train took 300 (gone at 44 h) and the 47 h train is loading the last 100.
    // Call c still waits for its exports, which have 62.5 h of gate ahead of them.
    let two_days = model_from(&ONE_DAY.replace("measured_days = 1", "measured_days = 2"));
    let r = simulate(&two_days, 2020, 0, 1, &SimOptions::default()).expect("run");
    let row = &r.ledger[0];
    assert_eq!(
        (row.arrived, row.departed, row.in_port_end, row.counted_end),
        (1000, 300 + 200 + 300, 100 + 100, 200),
        "{row:?}"
    );
}

/// The ledger of every built-in that exercises a different path — the baseline's yards,
/// rail and overflow; the integrated policy's alternative ports and berth pools; the hub's
/// transshipment and feeder legs — matches the count at both ends of every run.
#[test]
fn the_ledger_matches_the_count_in_the_built_in_scenarios() {
    for (name, year, reps) in [
        ("liaoning-2020", 2020, 3),
        ("plan-2030-integrated-projects", 2030, 2),
        ("plan-2030-hub-feeder", 2030, 2),
    ] {
        let model = load(name);
        let model = portsim::scenario::model_for_year(&model, year).expect("year");
        let mut counted = 0u64;
        for rep in 0..reps {
            let r = simulate(&model, year, rep, 99, &SimOptions::default()).expect("run");
            assert!(!r.ledger.is_empty());
            for row in &r.ledger {
                assert!(row.balances(), "{name}: {row:?}");
                assert!(row.matches_count(), "{name}: {row:?}");
                counted += row.counted_end;
            }
            // The same identity from the published KPIs, per port and cargo class.
            let get = |port: &str, cargo: &str, metric: &str| {
                r.kpis
                    .iter()
                    .find(|k| k.port == port && k.cargo == cargo && k.metric == metric)
                    .map(|k| k.value)
            };
            for port in model.ports.iter().map(|p| p.name.as_str()) {
                for cargo in CargoClass::ALL {
                    let unit = if cargo.is_container() { "teu" } else { "t" };
                    let m = |what: &str| format!("{what}_{unit}");
                    let Some(arrived) = get(port, cargo.name(), &m("arrived")) else {
                        continue;
                    };
                    let start = get(port, cargo.name(), &m("in_port_start")).expect("start");
                    let departed = get(port, cargo.name(), &m("departed")).expect("departed");
                    let end = get(port, cargo.name(), &m("in_port_end")).expect("end");
                    assert_eq!(
                        start + arrived,
                        departed + end,
                        "{name} {port}/{cargo}: {start} + {arrived} != {departed} + {end}"
                    );
                }
            }
        }
        // Not a count of nothing: a working cluster ends its year with a lot of cargo in port.
        assert!(counted > 1_000_000, "{name}: {counted} in port at the ends");
    }
}
