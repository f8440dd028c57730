//! Yards and the hinterland against cases worked out by hand.

use crate::util::{kpi, model_from};
use portsim::sim::{RunResult, SimOptions, simulate};

fn run(text: &str) -> RunResult {
    simulate(
        &model_from(text),
        2020,
        0,
        1,
        &SimOptions {
            record_calls: true,
            ..SimOptions::default()
        },
    )
    .expect("run")
}

/// One weekly call at t = 1 h bringing 250 TEU (or `teu`), discharged at 100 TEU/h with no
/// mooring time, in steps of 200 TEU; the cargo dwells 10 h, then leaves by `modes`.
fn one_call(teu: u32, measured_h: f64, yard: &str, modes: &str, corridor: &str) -> String {
    let volume = f64::from(teu) * 365.0 / 7.0;
    format!(
        r#"
[run]
warmup_days = 0
measured_days = {days}
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 10
parcel_teu = {{ dist = "fixed", value = 500 }}
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
    {yard}
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = 50000
      length_m = 300
      depth_m = 12
      rate_teu_per_h = 100
{corridor}
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 1
[[flows]]
name = "in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = {volume}
service = "s"
region = "Inland"
modes = {modes}
dwell_h = {{ dist = "fixed", value = 10 }}
"#,
        days = measured_h / 24.0
    )
}

const TIMETABLE: &str = r#"
[[corridors]]
name = "rail"
port = "P"
region = "Inland"
cargo = ["container"]
train_capacity_teu = 100
departure = "timetable"
timetable_h = [6, 18]
loading_h = 2
transit_h = 12
"#;

#[test]
fn timetable_trains_leave_at_their_slots() {
    // 250 TEU ashore at 3.5 h (one step: an unlimited yard takes the whole lot), ready at
    // 13.5 h. Slots start loading at 18 h, 30 h and 42 h, 100 TEU a train, each leaving 2 h
    // later: at 20, 32, 44 h.
    let r = run(&one_call(250, 36.0, "", "{ rail = 1.0 }", TIMETABLE));
    assert_eq!(
        kpi(&r, "P", "container", "rail_teu"),
        200.0,
        "two trains by 36 h"
    );
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "trains"), 2.0);
    assert_eq!(kpi(&r, "P", "container", "in_port_end_teu"), 50.0);
    let r = run(&one_call(250, 48.0, "", "{ rail = 1.0 }", TIMETABLE));
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "trains"), 3.0);
    assert_eq!(kpi(&r, "P", "container", "rail_teu"), 250.0);
    assert_eq!(kpi(&r, "P", "container", "rail_share"), 1.0);
    // Two days of two slots: 3 of 4 used; loads 100, 100, 50.
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "slot_utilisation"), 0.75);
    // In the yard (a train takes its load off the yard as it starts loading): 100 TEU from
    // 3.5 h to 18 h, 100 to 30 h, 50 to 42 h: 6,025 TEU-h over 250 TEU.
    let dwell = kpi(&r, "P/T", "ALL", "yard_dwell_h_mean");
    assert!((dwell - 24.1).abs() < 1e-9, "{dwell}");
    assert!((kpi(&r, "P/rail:rail", "ALL", "train_load_factor") - 250.0 / 300.0).abs() < 1e-12);
}

#[test]
fn when_full_trains_leave_when_full_or_after_the_maximum_wait() {
    // One slot a day. 200 TEU ready at 13 h: a full load → leaves 15 h. 50 more at 13.5 h;
    // 150 wait, a full load, but today's slot is used → loads at 24 h, leaves 26 h. The last
    // 50 waited from 13.5 h; its 24 h limit passes at 37.5 h but day 1's slot is used → it
    // loads at 48 h and leaves at 50 h.
    let corridor = TIMETABLE.replace(
        "departure = \"timetable\"\ntimetable_h = [6, 18]",
        "departure = \"when_full\"\nslots_per_day = 1\nmax_wait_h = 24",
    );
    let at = |h: f64| run(&one_call(250, h, "", "{ rail = 1.0 }", &corridor));
    let r = at(25.0);
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "trains"), 1.0);
    assert_eq!(
        kpi(&r, "P", "container", "rail_teu"),
        100.0,
        "a full train of the first 200"
    );
    let r = at(27.0);
    assert_eq!(kpi(&r, "P", "container", "rail_teu"), 200.0);
    let r = at(49.0);
    assert_eq!(
        kpi(&r, "P/rail:rail", "ALL", "trains"),
        2.0,
        "the part load waits for day 2"
    );
    let r = at(51.0);
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "trains"), 3.0);
    assert_eq!(kpi(&r, "P", "container", "rail_teu"), 250.0);
}

#[test]
fn a_full_yard_blocks_discharge() {
    // Yard of 300 TEU, 500 TEU to discharge at 100 TEU/h in 200-TEU steps, zero dwell, a
    // road gate of 50 TEU/h. Step 1 (1–3 h) fills 200; step 2 needs 400 > 300: blocked until
    // the first 200 have passed the gate at 3 + 200/50 = 7 h; step 2 runs 7–9 h, step 3
    // (100 TEU) 9–10 h. Service 9 h, of which 4 h blocked.
    let text = one_call(
        500,
        24.0,
        "yard_capacity_teu = 300\n    gate = { trucks_per_h = 50, teu_per_truck = 1 }",
        "{ road = 1.0 }",
        "",
    )
    .replace(
        "dwell_h = { dist = \"fixed\", value = 10 }",
        "dwell_h = { dist = \"fixed\", value = 0 }",
    );
    let r = run(&text);
    assert_eq!(r.calls.len(), 1);
    let c = &r.calls[0];
    assert!(
        (c.berthed_h - 1.0).abs() < 1e-6 && (c.unmoored_h - 10.0).abs() < 1e-6,
        "{c:?}"
    );
    assert!((kpi(&r, "P", "container", "blocked_h_mean") - 4.0).abs() < 1e-6);
    assert!((kpi(&r, "P", "container", "service_h_mean") - 9.0).abs() < 1e-6);
    assert!((kpi(&r, "P/T", "ALL", "yard_full_h") - 4.0).abs() < 1e-6);
    // Gate: 200 leave at 7 h, 200 at 13 h, 100 at 15 h.
    assert_eq!(kpi(&r, "P", "container", "road_teu"), 500.0);
    // So in the yard 4 h (ashore at 3 h), 4 h (9 h) and 5 h (10 h): 4.2 h a TEU.
    assert!((kpi(&r, "P/T", "ALL", "yard_dwell_h_mean") - 4.2).abs() < 1e-9);
}

/// 1,000 TEU a day of imports on two calls a day, 80 % planned by rail on trains of 100 TEU
/// leaving when full, `slots` a day; cargo that waits 48 h for a train goes by road. The yard
/// holds `yard_teu`.
fn rail_case(slots: u32, yard_teu: u32) -> String {
    one_call(
        500,
        60.0 * 24.0,
        &format!(
            "yard_capacity_teu = {yard_teu}\n    gate = {{ trucks_per_h = 400, teu_per_truck = 1 }}"
        ),
        "{ rail = 0.8, road = 0.2 }",
        &format!(
            r#"
[[corridors]]
name = "rail"
port = "P"
region = "Inland"
cargo = ["container"]
train_capacity_teu = 100
departure = "when_full"
slots_per_day = {slots}
max_wait_h = 12
loading_h = 1
transit_h = 12
divert_to_road_after_h = 48
"#
        ),
    )
    .replace("calls_per_week = 1", "calls_per_week = 14")
    .replace("warmup_days = 0", "warmup_days = 14")
    .replace("rate_teu_per_h = 100", "rate_teu_per_h = 200")
    .replace("value = 10 }", "value = 24 }")
    .replace(
        &format!("volume_teu_per_yr = {}", 500.0 * 365.0 / 7.0),
        &format!("volume_teu_per_yr = {}", 1000.0 * 365.0),
    )
}

#[test]
fn halving_rail_slots_lowers_rail_share_and_fills_the_yard() {
    // By hand, with room in the yard: rail demand is 800 TEU/day. Ten slots carry up to
    // 1,000/day, so all of it goes by rail: rail share 0.8, and the yard holds about one day's
    // dwell, 1,000 TEU (Little's law), plus a short wait for trains. Five slots carry 500/day:
    // the queue for trains is served oldest first, so every rail box waits ~48 h, 300/day of
    // them then go by road: rail share 500/1,000 = 0.5, and the yard holds ≈ 1,000 + 800 × 2
    // = 2,600 TEU.
    let share = |r: &RunResult| kpi(r, "P", "container", "rail_share");
    let stock = |r: &RunResult| kpi(r, "P/T", "ALL", "yard_occupancy_mean") * 10_000.0;
    let full = run(&rail_case(10, 10_000));
    let half = run(&rail_case(5, 10_000));
    assert!(
        (share(&full) - 0.8).abs() < 0.02,
        "ten slots: {}",
        share(&full)
    );
    assert!(
        (share(&half) - 0.5).abs() < 0.02,
        "five slots: {}",
        share(&half)
    );
    assert!(
        (1000.0..1300.0).contains(&stock(&full)),
        "yard stock {}",
        stock(&full)
    );
    assert!(
        (2400.0..2800.0).contains(&stock(&half)),
        "yard stock {}",
        stock(&half)
    );
    assert_eq!(kpi(&full, "P", "container", "diverted_teu"), 0.0);
    let diverted = kpi(&half, "P", "container", "diverted_teu");
    assert!(
        (diverted / (60.0 * 300.0) - 1.0).abs() < 0.1,
        "diverted {diverted}"
    );

    // With a yard of 2,500 TEU, ten slots still fit (≈1,100 TEU) but five do not (2,600):
    // discharge stops, ships stay longer at berth, and less reaches the yard.
    let full = run(&rail_case(10, 2500));
    let half = run(&rail_case(5, 2500));
    let service = |r: &RunResult| kpi(r, "P", "container", "service_h_mean");
    let blocked = |r: &RunResult| kpi(r, "P", "container", "blocked_h_mean");
    assert_eq!(blocked(&full), 0.0);
    assert!(
        (service(&full) - 2.5).abs() < 0.01,
        "500 TEU at 200 TEU/h: {}",
        service(&full)
    );
    assert!(blocked(&half) > 0.5, "blocked {}", blocked(&half));
    assert!(
        service(&half) > service(&full) + 0.5,
        "service {} vs {}",
        service(&half),
        service(&full)
    );
    assert!(share(&half) < 0.6 && share(&full) > 0.78);
    assert!(kpi(&half, "P/T", "ALL", "yard_full_h") > 24.0);
    for r in [&full, &half] {
        for row in &r.ledger {
            assert!(row.balances(), "{row:?}");
        }
    }
}

#[test]
fn a_feeder_transshipment_flow_calls_at_both_ends_and_passes_both_yards() {
    // 100 TEU a day start in F's hinterland, reach F's yard by road a day ahead of F's daily
    // feeder, are discharged at the hub H from H's daily feeder call into H's yard, and leave
    // on H's twice-weekly mainline. By hand: F handles 36,500 TEU a year (loaded); H handles
    // 73,000 (discharged, then loaded), less what waits in its yard at the year's end (at most
    // one mainline call's worth).
    let mut text = String::from(
        r#"
[run]
warmup_days = 14
measured_days = 365
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 10
parcel_teu = { dist = "fixed", value = 500 }
[[regions]]
name = "Inland"
"#,
    );
    for port in ["H", "F"] {
        text.push_str(&format!(
            r#"
[[ports]]
name = "{port}"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["container"]
    yard_capacity_teu = 5000
    gate = {{ trucks_per_h = 50, teu_per_truck = 2 }}
      [[ports.areas.terminals.berths]]
      name = "b"
      count = 2
      max_dwt_t = 50000
      length_m = 300
      depth_m = 12
      rate_teu_per_h = 100
"#
        ));
    }
    text.push_str(
        r#"
[[services]]
name = "h-feeder"
port = "H"
ship_class = "box"
calls_per_week = 7
first_call_h = 2
[[services]]
name = "h-mainline"
port = "H"
ship_class = "box"
calls_per_week = 2
first_call_h = 30
[[services]]
name = "f-feeder"
port = "F"
ship_class = "box"
calls_per_week = 7
first_call_h = 5
[[flows]]
name = "tx"
cargo = "container"
direction = "transshipment"
port = "H"
volume_teu_per_yr = 36500
service = "h-feeder"
onward_service = "h-mainline"
origin = { port = "F", service = "f-feeder", region = "Inland", modes = { road = 1.0 }, dwell_h = { dist = "fixed", value = 24 } }
"#,
    );
    let model = model_from(&text);
    assert_eq!(model.flows.len(), 2, "the origin leg is a flow of its own");
    assert_eq!(model.flows[1].name, "tx@F");
    let r = run(&text);
    let h = kpi(&r, "H", "container", "throughput_teu");
    let f = kpi(&r, "F", "container", "throughput_teu");
    assert!((f - 36_500.0).abs() <= 100.0, "F handles {f}");
    assert!((72_200.0..=73_100.0).contains(&h), "H handles {h}");
    assert_eq!(kpi(&r, "H", "container", "ship_calls"), 365.0 + 104.0);
    assert_eq!(
        kpi(&r, "H", "container", "road_teu"),
        0.0,
        "transshipment never leaves by land"
    );
    assert!((kpi(&r, "F", "container", "road_teu") - 36_500.0).abs() <= 100.0);
    for row in &r.ledger {
        assert!(row.balances(), "{row:?}");
    }
    assert_eq!(r.ledger.len(), 2, "a ledger row at each end");
}

#[test]
fn a_call_loads_its_exports_first_when_the_yard_is_too_full_to_discharge() {
    // Dual cycling. Yard of 300 TEU; 300 TEU of exports reach it by road (gate 50 TEU/h)
    // 20 h before the one call at 30 h, filling it. The call brings 500 TEU of imports (zero
    // dwell, out through the same gate) and loads the 300, at 100 TEU/h in 200-TEU steps.
    // Discharging first cannot start (300 + 200 > 300) and the exports could never leave:
    // the terminal would lock up. Loading first: 30–32 h and 32–33 h empty the yard; discharge
    // 200 (33–35 h); the next 200 waits for the gate to clear the first (35 + 4 = 39 h) and
    // runs 39–41 h; the last 100 fits (41–42 h). Service 12 h, 4 of them blocked.
    let text = one_call(
        500,
        100.0,
        "yard_capacity_teu = 300\n    gate = { trucks_per_h = 50, teu_per_truck = 1 }",
        "{ road = 1.0 }",
        "",
    )
    .replace("first_call_h = 1", "first_call_h = 30")
    .replace(
        "dwell_h = { dist = \"fixed\", value = 10 }",
        "dwell_h = { dist = \"fixed\", value = 0 }",
    )
    .replace("[[flows]]\nname = \"in\"", &format!(
        "[[flows]]\nname = \"out\"\ncargo = \"container\"\ndirection = \"export\"\nport = \"P\"\nvolume_teu_per_yr = {}\nservice = \"s\"\nregion = \"Inland\"\nmodes = {{ road = 1.0 }}\ndwell_h = {{ dist = \"fixed\", value = 20 }}\n\n[[flows]]\nname = \"in\"",
        300.0 * 365.0 / 7.0
    ));
    let r = run(&text);
    assert_eq!(r.calls.len(), 1, "the call completes");
    let c = &r.calls[0];
    assert!(
        (c.berthed_h - 30.0).abs() < 1e-6 && (c.unmoored_h - 42.0).abs() < 1e-6,
        "{c:?}"
    );
    assert!((kpi(&r, "P", "container", "blocked_h_mean") - 4.0).abs() < 1e-6);
    assert_eq!(
        kpi(&r, "P", "container", "departed_teu"),
        800.0,
        "300 by sea, 500 by road"
    );
    assert_eq!(kpi(&r, "P", "container", "road_teu"), 800.0);
    for row in &r.ledger {
        assert!(row.balances(), "{row:?}");
    }
}

/// A one-berth box terminal with a 1,500-TEU yard and one weekly call (no delays, fixed sizes)
/// that discharges 1,000 TEU of imports (48 h in the yard, then road) and loads 1,000 TEU of
/// exports delivered `lead_h` hours ahead of it. `overflow` sets the terminal's overflow limit.
fn export_heavy_terminal(lead_h: f64, overflow: &str) -> String {
    format!(
        r#"
[run]
warmup_days = 28
measured_days = 364
[[regions]]
name = "Inland"
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2500
parcel_teu = {{ dist = "fixed", value = 1000 }}
length_m = 200
draft_m = 10
[[ports]]
name = "P"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["container"]
    yard_capacity_teu = 1500
    {overflow}
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = 30000
      length_m = 250
      depth_m = 12
      rate_teu_per_h = 100
      mooring_h = 1
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 0
delay_h = {{ dist = "fixed", value = 0 }}
call_size_cv = 0
[[flows]]
name = "in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = 52142.857142857145
service = "s"
region = "Inland"
modes = {{ road = 1.0 }}
dwell_h = {{ dist = "fixed", value = 48 }}
[[flows]]
name = "out"
cargo = "container"
direction = "export"
port = "P"
volume_teu_per_yr = 52142.857142857145
service = "s"
region = "Inland"
modes = {{ road = 1.0 }}
dwell_h = {{ dist = "fixed", value = {lead_h} }}
"#
    )
}

#[test]
fn exports_for_later_ships_wait_at_the_gate_when_the_yard_is_full() {
    // Exports arrive 400 h (more than two calls) ahead, so the yard would hold three calls'
    // exports (3,000 TEU in a 1,500-TEU yard) and the call at berth could never discharge its
    // imports: before the terminal gated exports, it locked up after the first calls. Now the
    // exports of ships not yet at berth enter only while they fit, and every call completes:
    // 52 in the measured year, 52,000 TEU each way, the yard never above its capacity on
    // average.
    let r = run(&export_heavy_terminal(400.0, ""));
    assert_eq!(kpi(&r, "P", "container", "ship_calls"), 52.0);
    assert_eq!(kpi(&r, "P", "container", "throughput_teu"), 104_000.0);
    let occ = kpi(&r, "P/T", "ALL", "yard_occupancy_mean");
    assert!(occ <= 1.0, "yard occupancy {occ}");
    for row in &r.ledger {
        assert!(row.balances(), "{row:?}");
    }
}

#[test]
fn a_discharge_held_up_longer_than_the_overflow_limit_goes_to_overflow_space() {
    // Imports only, 1,000 TEU a call, staying 1,000 h in a 1,500-TEU yard; no warm-up.
    // Call 1 berths at 0 h: 1 h mooring, 10 h discharging in 200-TEU steps, leaves at 11 h.
    // Call 2 berths at 168 h: two steps fit (1,000 + 400 ≤ 1,500), the third does not, so
    // discharge stops at 173 h. Nothing leaves the yard before 1,000 h: after the terminal's
    // limit L the call gets overflow space, discharges the last 600 TEU in 6 h and leaves at
    // 173 + L + 6 h. Call 3 (336 h) is blocked from its first step (337 h): 337 + L + 10 h.
    let text = |limit: &str| {
        export_heavy_terminal(1.0, limit)
            .replace("warmup_days = 28", "warmup_days = 0")
            .replace("measured_days = 364", "measured_days = 21")
            .replace(
                "dwell_h = { dist = \"fixed\", value = 48 }",
                "dwell_h = { dist = \"fixed\", value = 1000 }",
            )
            .replace("volume_teu_per_yr = 52142.857142857145\nservice = \"s\"\nregion = \"Inland\"\nmodes = { road = 1.0 }\ndwell_h = { dist = \"fixed\", value = 1 }", "volume_teu_per_yr = 0.001\nservice = \"s\"\nregion = \"Inland\"\nmodes = { road = 1.0 }\ndwell_h = { dist = \"fixed\", value = 1 }")
    };
    for (limit, l) in [("", 24.0), ("yard_overflow_after_h = 5", 5.0)] {
        let r = run(&text(limit));
        let left: Vec<f64> = r.calls.iter().map(|c| c.unmoored_h).collect();
        assert_eq!(left.len(), 3, "{limit}: {left:?}");
        for (got, want) in left.iter().zip([11.0, 173.0 + l + 6.0, 337.0 + l + 10.0]) {
            assert!(
                (got - want).abs() < 1e-6,
                "{limit}: calls leave at {left:?}"
            );
        }
        assert_eq!(kpi(&r, "P/T", "ALL", "yard_overflow_calls"), 2.0);
        for row in &r.ledger {
            assert!(row.balances(), "{row:?}");
        }
    }
}

#[test]
fn monthly_yard_occupancy_averages_to_the_years() {
    // The month-by-month yard occupancy, weighted by days, is the year's mean, for every
    // terminal with a finite yard in the baseline.
    let model = crate::util::load("liaoning-2020");
    let r = simulate(&model, 2020, 0, 3, &SimOptions::default()).expect("run");
    const DAYS: [f64; 12] = [
        31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
    ];
    let mut checked = 0;
    for t in &model.terminals {
        let name = format!("{}/{}", model.ports[t.port.index()].name, t.name);
        let months: Vec<f64> = (1..=12)
            .filter_map(|m| {
                r.kpis
                    .iter()
                    .find(|k| k.port == name && k.metric == format!("yard_occupancy_m{m:02}"))
                    .map(|k| k.value)
            })
            .collect();
        if months.is_empty() {
            continue;
        }
        assert_eq!(months.len(), 12, "{name}");
        let weighted: f64 = months.iter().zip(DAYS).map(|(v, d)| v * d).sum::<f64>() / 365.0;
        let year = kpi(&r, &name, "ALL", "yard_occupancy_mean");
        assert!(
            (weighted - year).abs() < 1e-9,
            "{name}: {weighted} vs {year}"
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} terminals checked");
}
