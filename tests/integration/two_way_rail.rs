//! Rail both ways, against cases timed by hand: export cargo comes down on inbound trains
//! within the corridor's inbound slots and is unloaded on the port's tracks; a short inbound
//! corridor holds the ship; hub cargo rides the trains without touching the port's ledger.

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

/// One call at t = 100 h loading `teu` of exports (at 100 TEU/h, no mooring time) that reach
/// the yard by rail. They must be in the yard 20 h ahead of the ship (at 80 h); the corridor's
/// inbound lead is the longest wait for a train (24 h) + loading (2 h) + transit (12 h) +
/// unloading (3 h) = 41 h, so they set out at 39 h (day 1 of the run). `extra` adds corridor
/// keys (inbound slots, hub cargo).
fn export_call(teu: u32, inbound_slots: u32, extra: &str) -> String {
    let volume = f64::from(teu) * 365.0 / 7.0;
    format!(
        r#"
[run]
warmup_days = 0
measured_days = 7
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
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = 50000
      length_m = 300
      depth_m = 12
      rate_teu_per_h = 100
[[corridors]]
name = "rail"
port = "P"
region = "Inland"
cargo = ["container"]
train_capacity_teu = 100
departure = "when_full"
slots_per_day = 1
inbound_slots_per_day = {inbound_slots}
max_wait_h = 24
loading_h = 2
transit_h = 12
unloading_h = 3
{extra}
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 100
[[flows]]
name = "out"
cargo = "container"
direction = "export"
port = "P"
volume_teu_per_yr = {volume}
service = "s"
region = "Inland"
modes = {{ rail = 1.0 }}
dwell_h = {{ dist = "fixed", value = 20 }}
"#
    )
}

#[test]
fn export_cargo_comes_down_on_inbound_trains_and_unloads_on_the_port_tracks() {
    // 200 TEU at the inland end at 39 h, 2 inbound slots a day: two full trains load at 39 h
    // (a full load left after the first is re-checked at once; the inland end has no track
    // limit). Both reach the port at 53 h; one track: unloaded 53–56 h and 56–59 h (the
    // second waits three hours for the track).
    let r = run(&export_call(200, 2, ""));
    let c = "P/rail:rail";
    assert_eq!(kpi(&r, c, "ALL", "trains_in"), 2.0);
    assert_eq!(kpi(&r, c, "ALL", "trains_out"), 0.0);
    assert_eq!(kpi(&r, c, "ALL", "trains"), 2.0);
    assert_eq!(kpi(&r, c, "ALL", "rail_in_teu"), 200.0);
    assert_eq!(kpi(&r, c, "ALL", "rail_out_teu"), 0.0);
    assert_eq!(
        kpi(&r, "P", "ALL", "trains"),
        2.0,
        "the port counts both ways"
    );
    // No wait at the inland end: both loads left as they were ready.
    assert_eq!(kpi(&r, c, "ALL", "rail_wait_h_mean"), 0.0);
    // 6 track-hours over the 168 h week on one track.
    let util = kpi(&r, "P", "ALL", "rail_track_utilisation");
    assert!((util - 6.0 / 168.0).abs() < 1e-9, "{util}");
    // Inbound slots: 2 of 14 in the week; no outbound trains.
    assert!((kpi(&r, c, "ALL", "slot_utilisation_in") - 2.0 / 14.0).abs() < 1e-12);
    assert_eq!(kpi(&r, c, "ALL", "slot_utilisation"), 0.0);
    // The exports were in the yard before the ship: it berths at 100 h and loads for 2 h.
    let call = &r.calls[0];
    assert_eq!((call.berthed_h, call.unmoored_h), (100.0, 102.0));
    assert_eq!(kpi(&r, "P", "container", "rail_share"), 1.0);
    assert_eq!(kpi(&r, c, "ALL", "rail_share"), 1.0);
}

#[test]
fn a_short_inbound_corridor_holds_the_ship_at_berth() {
    // 400 TEU and one inbound slot a day: trains load at 39 h (day 1), 48 h, 72 h and 96 h and
    // are unloaded by 56, 65, 89 and 113 h. The ship berths at 100 h and waits at berth for
    // its exports (it loads them once all are in): it sails at 113 + 4 h. With two slots
    // a day (two trains at 39 h, two at 48 h) all is in by 68 h and the ship sails after 4 h
    // of loading.
    let short = run(&export_call(400, 1, ""));
    let call = &short.calls[0];
    assert_eq!(call.berthed_h, 100.0);
    assert!(
        (call.unmoored_h - 117.0).abs() < 1e-9,
        "sails at {}",
        call.unmoored_h
    );
    let ample = run(&export_call(400, 2, ""));
    let call = &ample.calls[0];
    assert_eq!((call.berthed_h, call.unmoored_h), (100.0, 104.0));
    for r in [&short, &ample] {
        assert_eq!(kpi(r, "P/rail:rail", "ALL", "trains_in"), 4.0);
        assert_eq!(kpi(r, "P", "container", "throughput_teu"), 400.0);
    }
}

#[test]
fn hub_cargo_rides_the_trains_but_is_not_port_throughput() {
    // 365 lots of 100 TEU a year each way ≈ one a day: the corridor's trains carry them, the
    // port's ledger does not.
    let hub = "hub_out_per_yr = 36500\nhub_in_per_yr = 36500\nhub_lot = 100";
    let with = run(&export_call(200, 2, hub));
    let without = run(&export_call(200, 2, ""));
    let c = "P/rail:rail";
    let hub_out = kpi(&with, c, "ALL", "hub_out_teu");
    let hub_in = kpi(&with, c, "ALL", "hub_in_teu");
    assert!(hub_out > 0.0 && hub_in > 0.0, "{hub_out} {hub_in}");
    assert_eq!(hub_out % 100.0, 0.0, "whole lots");
    assert_eq!(
        kpi(&with, c, "ALL", "rail_out_teu"),
        hub_out,
        "outbound trains carry only hub cargo here"
    );
    assert_eq!(
        kpi(&with, c, "ALL", "rail_in_teu"),
        hub_in + 200.0,
        "inbound: the exports and the hub cargo"
    );
    for m in ["throughput_teu", "arrived_teu", "departed_teu", "rail_teu"] {
        assert_eq!(
            kpi(&with, "P", "container", m),
            kpi(&without, "P", "container", m),
            "{m}"
        );
    }
    for row in &with.ledger {
        assert!(row.balances() && row.matches_count(), "{row:?}");
    }
}

#[test]
fn bad_inbound_and_hub_keys_are_refused_with_their_place() {
    use crate::util::check_rejects;
    let base = export_call(200, 2, "");
    check_rejects(
        &base.replace("inbound_slots_per_day = 2", "inbound_slots_per_day = 0"),
        "corridors[0].inbound_slots_per_day",
    );
    check_rejects(
        &export_call(200, 2, "hub_out_per_yr = 1000\nhub_lot = 150"),
        "no larger than a train load",
    );
    check_rejects(
        &export_call(200, 2, "hub_growth_per_yr = 0.1"),
        "`hub_growth_per_yr` needs `hub_out_per_yr` or `hub_in_per_yr`",
    );
    check_rejects(
        &export_call(200, 2, "hub_in_per_yr = -5"),
        "corridors[0].hub_in_per_yr",
    );
    let timetable = base.replace(
        "departure = \"when_full\"\nslots_per_day = 1\ninbound_slots_per_day = 2\nmax_wait_h = 24",
        "departure = \"timetable\"\ntimetable_h = [6]\ninbound_slots_per_day = 2",
    );
    check_rejects(&timetable, "belongs to a when_full corridor");
    check_rejects(
        &format!("{base}\n[growth]\nhubs_per_yr = {{ rail = 0.1 }}\n"),
        "no corridor `rail` with hub cargo",
    );
}

#[test]
fn a_part_load_past_its_limit_leaves_on_the_next_free_slot() {
    // 390 TEU at the inland end at 39 h, one inbound slot a day: full trains load at 39 h,
    // 48 h and 72 h; the last 90 TEU have waited past their 24 h limit (due at 63 h) when the
    // 72 h train leaves, so they go part-load on the next day's slot, at 96 h, and are unloaded
    // by 96 + 2 + 12 + 3 = 113 h; the ship (berthed at 100 h) loads its 390 TEU in 3.9 h. (A
    // check booked for a time already past was once lost for good: the 90 TEU never left, and
    // the ship never sailed.)
    let r = run(&export_call(390, 1, ""));
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "trains_in"), 4.0);
    assert_eq!(kpi(&r, "P/rail:rail", "ALL", "rail_in_teu"), 390.0);
    let call = &r.calls[0];
    assert_eq!(call.berthed_h, 100.0);
    assert!(
        (call.unmoored_h - 116.9).abs() < 1e-9,
        "sails at {}",
        call.unmoored_h
    );
}
