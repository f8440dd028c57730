//! Queueing models without ceremony: a tramp flow may state its arrival rate, ship classes
//! and berths may leave out dimensions no channel or berth limit needs, and a timetable may
//! say `every_h`.

use crate::util::{check_rejects, model_from};
use portsim::model::Departure;

/// An M/M/1 queue in as few lines as the format allows.
const MM1: &str = r#"
[[ship_classes]]
name = "ship"
cargo = "coal"
parcel_t = { dist = "fixed", value = 1000 }
[[ports]]
name = "Q"
  [[ports.areas]]
  name = "A"
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["coal"]
      [[ports.areas.terminals.berths]]
      name = "server"
      rate_t_per_h = 1000
[[flows]]
name = "poisson"
cargo = "coal"
direction = "import"
port = "Q"
calls_per_h = 0.5
ships = [{ class = "ship" }]
service_h = { dist = "exponential", mean = 1.0 }
"#;

#[test]
fn a_tramp_flow_may_give_its_arrival_rate() {
    let m = model_from(MM1);
    // λ × 8,760 h × 1,000 t a call.
    assert_eq!(m.flows[0].volume_per_yr, 0.5 * 8760.0 * 1000.0);
    let per_yr = model_from(&MM1.replace("calls_per_h = 0.5", "calls_per_yr = 4380"));
    assert_eq!(per_yr.flows[0].volume_per_yr, 4380.0 * 1000.0);
    // Shares are of the volume: with two classes of 1,000 t and 3,000 t carrying half each,
    // V/2/1000 + V/2/3000 = 4,000 calls a year gives V = 6,000,000 t.
    let two = MM1
        .replace(
            "[[ports]]",
            "[[ship_classes]]\nname = \"big\"\ncargo = \"coal\"\nparcel_t = { dist = \"fixed\", value = 3000 }\n[[ports]]",
        )
        .replace("calls_per_h = 0.5", "calls_per_yr = 4000")
        .replace(
            "ships = [{ class = \"ship\" }]",
            "ships = [{ class = \"ship\", share = 0.5 }, { class = \"big\", share = 0.5 }]",
        );
    assert!((model_from(&two).flows[0].volume_per_yr - 6.0e6).abs() < 1e-6);
}

#[test]
fn a_class_without_dimensions_fits_every_berth() {
    let m = model_from(MM1);
    let class = &m.ship_classes[0];
    assert_eq!(
        (class.dwt_t, class.length_m, class.draft_m),
        (0.0, 0.0, 0.0)
    );
    let b = &m.berths[0];
    assert!(b.max_dwt_t.is_infinite() && b.length_m.is_infinite() && b.depth_m.is_infinite());
    // A berth with limits still takes it; a class with dimensions is still held to them.
    let limited = model_from(&MM1.replace(
        "rate_t_per_h = 1000",
        "rate_t_per_h = 1000\n      max_dwt_t = 5000\n      length_m = 100\n      depth_m = 6",
    ));
    assert_eq!(
        limited
            .compatible_berths(
                limited.flows[0].port,
                None,
                &limited.ship_classes[0],
                limited.flows[0].cargo
            )
            .len(),
        1
    );
    check_rejects(
        &MM1.replace(
            "rate_t_per_h = 1000",
            "rate_t_per_h = 1000\n      max_dwt_t = 5000",
        )
        .replace(
            "parcel_t = { dist = \"fixed\", value = 1000 }",
            "parcel_t = { dist = \"fixed\", value = 1000 }\ndwt_t = 8000",
        ),
        "flows[0].ships[0].class: ship class `ship` (8000 t DWT, 0 m long, 0 m draft) fits no berth at Q",
    );
}

#[test]
fn demand_is_given_once() {
    check_rejects(
        &MM1.replace(
            "calls_per_h = 0.5",
            "calls_per_h = 0.5\nvolume_t_per_yr = 1e6",
        ),
        "21:15: flows[0].calls_per_h: give the flow's demand once: a volume, or calls (`calls_per_h`, `calls_per_yr`)",
    );
    check_rejects(
        &MM1.replace("calls_per_h = 0.5", "calls_per_h = 0.5\ncalls_per_yr = 10"),
        "22:16: flows[0].calls_per_yr: give either `calls_per_h` or `calls_per_yr`, not both",
    );
    check_rejects(
        &MM1.replace("calls_per_h = 0.5", "calls_per_h = 1e9"),
        "21:15: flows[0].calls_per_h: expected a call rate of 0 or from 1e-9 to 60, found 1000000000",
    );
}

#[test]
fn a_timetable_may_say_every_so_many_hours() {
    let text = |every: &str| {
        format!(
            "{MM1}\n[[regions]]\nname = \"R\"\n[[corridors]]\nname = \"rail\"\nport = \"Q\"\nregion = \"R\"\ncargo = [\"coal\"]\ntrain_capacity_t = 1000\ndeparture = \"timetable\"\nevery_h = {every}\ntransit_h = 5\n"
        )
        .replace("[[ports]]\nname = \"Q\"", "[[ports]]\nname = \"Q\"\nrail_loading_tracks = 1")
    };
    let m = model_from(&text("1"));
    let Departure::Timetable { times_h } = &m.corridors[0].departure else {
        panic!("a timetable")
    };
    assert_eq!(times_h.len(), 24);
    assert_eq!((times_h[0], times_h[23]), (0.0, 23.0));
    let m = model_from(&text("8"));
    let Departure::Timetable { times_h } = &m.corridors[0].departure else {
        panic!("a timetable")
    };
    assert_eq!(times_h, &[0.0, 8.0, 16.0]);
    check_rejects(
        &text("5"),
        "corridors[0].every_h: expected hours that divide the day (24, 12, 8, 6, 4, 3, 2, 1, 0.5 …) with at most 1000 trains a day, found 5",
    );
}
