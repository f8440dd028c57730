//! `rail_track_utilisation`: the hours the port's loading tracks hold a train being loaded,
//! inside the measured window, over the tracks' hours in it — timed by hand.

use crate::util::{kpi, model_from};
use portsim::sim::{SimOptions, simulate};

/// One call at `first_call_h` (run time) lands 250 TEU at 100 TEU/h into an unlimited yard
/// (one step: ashore at first_call_h + 2.5 h), dwelling 10 h; everything leaves by rail on a
/// timetable (loading at 6:00 and 18:00 of each day of the design year, 100 TEU a train,
/// `loading_h` on one of `tracks` loading tracks).
fn case(warmup_days: u32, measured_h: f64, tracks: u32, loading_h: f64) -> f64 {
    let scenario = text(warmup_days, measured_h, tracks, loading_h);
    let r = simulate(&model_from(&scenario), 2020, 0, 1, &SimOptions::default()).expect("run");
    kpi(&r, "P", "ALL", "rail_track_utilisation")
}

/// The scenario of [`case`].
fn text(warmup_days: u32, measured_h: f64, tracks: u32, loading_h: f64) -> String {
    format!(
        r#"
[run]
warmup_days = {warmup_days}
measured_days = {days}
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 10
parcel_teu = {{ dist = "fixed", value = 250 }}
[[regions]]
name = "Inland"
[[ports]]
name = "P"
rail_loading_tracks = {tracks}
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
departure = "timetable"
timetable_h = [6, 18]
loading_h = {loading_h}
transit_h = 12
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 0.01
first_call_h = 1
[[flows]]
name = "in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = {volume}
service = "s"
region = "Inland"
modes = {{ rail = 1.0 }}
dwell_h = {{ dist = "fixed", value = 10 }}
"#,
        days = measured_h / 24.0,
        volume = 250.0 * 0.01 * 365.0 / 7.0,
    )
}

#[test]
fn a_rail_outage_cancels_the_trains_it_covers() {
    // Ready at 13.5 h; an outage from 17:00 to 31:00 takes the 18 h and 30 h trains: the 42 h
    // train loads 100 TEU (2 h on the track), the rest waits past the 48 h window.
    let outage = r#"
[[disruptions]]
name = "washout"
kind = "rail_outage"
corridor = "rail"
date = "01-01 17:00"
duration_h = 14
source = "test"
"#;
    let stormy = format!("{}{outage}", text(0, 48.0, 1, 2.0));
    let r = simulate(&model_from(&stormy), 2020, 0, 1, &SimOptions::default()).expect("run");
    assert_eq!(kpi(&r, "P", "ALL", "rail_track_utilisation"), 2.0 / 48.0);
    assert_eq!(kpi(&r, "P", "ALL", "trains"), 1.0);
    // Without it, three trains.
    let calm = simulate(
        &model_from(&text(0, 48.0, 1, 2.0)),
        2020,
        0,
        1,
        &SimOptions::default(),
    )
    .expect("run");
    assert_eq!(kpi(&calm, "P", "ALL", "trains"), 3.0);
}

#[test]
fn track_utilisation_is_loading_hours_over_track_hours() {
    // Ready at 13.5 h; trains load at 18–20 h (100 TEU), 30–32 h (100), 42–44 h (50).
    assert_eq!(case(0, 48.0, 1, 2.0), 6.0 / 48.0);
    // Two tracks: the same trains, twice the track-hours.
    assert_eq!(case(0, 48.0, 2, 2.0), 6.0 / 96.0);
    // The run ends at 43 h with the third train on the track: 1 h of it counts.
    assert_eq!(case(0, 43.0, 1, 2.0), 5.0 / 43.0);
}

#[test]
fn only_the_loading_inside_the_window_counts() {
    // A day of warm-up: the call arrives at −23 h (design time), its cargo is ready at
    // −10.5 h; trains of 8 h load at −6–2 h, 6–14 h and 18–26 h. The window 0–24 h holds
    // 2 + 8 + 6 = 16 h of loading.
    let u = case(1, 24.0, 1, 8.0);
    assert!((u - 16.0 / 24.0).abs() < 1e-12, "{u}");
}
