//! The four causes of waiting — berth, tide, one-way channel, closure — each in a case timed
//! by hand, where every call's hours are known exactly.
//!
//! Every ship is the only call of its own liner service (0.01 calls a week, so the next one
//! falls far outside the run), arriving exactly at `first_call_h` with a fixed cargo: the
//! timelines below follow from the rules in the README ("How a call is simulated").

use portsim::sim::{CallRecord, RunResult, SimOptions, simulate};

use crate::util::{kpi, model_from};

/// A ship of the hand-timed cases. Classes: `small` (30,000 DWT, draft 6 m), `deep` (30,000
/// DWT, draft 8 m), `large` (150,000 DWT, draft 6 m); all boxships, laden both ways.
#[derive(Clone, Copy)]
pub struct Ship {
    pub class: &'static str,
    pub at_h: f64,
    pub teu: u32,
}

pub fn ship(class: &'static str, at_h: f64, teu: u32) -> Ship {
    Ship { class, at_h, teu }
}

/// A port `P` with one area (`channel`: the area's channel line, or "" for open water), one
/// terminal `T` of `berths` identical berths working 100 TEU/h with no mooring time,
/// `port_extra` lines in the port (tide, closures), and one call per ship. No warm-up.
pub fn scenario(
    measured_days: f64,
    port_extra: &str,
    channel: &str,
    berths: u32,
    ships: &[Ship],
) -> String {
    let mut text = format!(
        r#"
[run]
warmup_days = 0
measured_days = {measured_days}
[[ship_classes]]
name = "small"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 6
parcel_teu = {{ dist = "fixed", value = 500 }}
[[ship_classes]]
name = "deep"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 8
parcel_teu = {{ dist = "fixed", value = 500 }}
[[ship_classes]]
name = "large"
cargo = "container"
dwt_t = 150000
teu = 14000
length_m = 200
draft_m = 6
parcel_teu = {{ dist = "fixed", value = 500 }}
[[ports]]
name = "P"
{port_extra}
  [[ports.areas]]
  name = "A"
  {channel}
    [[ports.areas.terminals]]
    name = "T"
    cargo = ["container"]
      [[ports.areas.terminals.berths]]
      name = "b"
      count = {berths}
      max_dwt_t = 200000
      length_m = 400
      depth_m = 20
      rate_teu_per_h = 100
"#
    );
    for (i, s) in ships.iter().enumerate() {
        // One call in 100 weeks: the flow's volume is the call's cargo × 0.01 × 365/7.
        let volume = f64::from(s.teu) * 0.01 * 365.0 / 7.0;
        text += &format!(
            r#"
[[services]]
name = "s{i}"
port = "P"
ship_class = "{class}"
calls_per_week = 0.01
first_call_h = {at}
[[flows]]
name = "f{i}"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = {volume}
service = "s{i}"
"#,
            class = s.class,
            at = s.at_h,
        );
    }
    text
}

/// Simulates the scenario (seed `seed`), keeping the call records ordered by arrival.
pub fn run_case(text: &str, seed: u64) -> RunResult {
    let mut r = simulate(
        &model_from(text),
        2020,
        0,
        seed,
        &SimOptions {
            record_calls: true,
            ..SimOptions::default()
        },
    )
    .expect("run");
    r.calls.sort_by(|a, b| a.arrival_h.total_cmp(&b.arrival_h));
    r
}

/// Equal to within the engine's tick (1 ms) and float rounding.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-5
}

/// Waiting of one call by cause: berth, tide, channel, closure.
fn waits(c: &CallRecord) -> [f64; 4] {
    c.waits_h
}

/// Checks the call records' waits and the KPIs `wait_<cause>_h_mean` (and their sum,
/// `wait_h_mean`) against the hand-timed waits `expected[call] = [berth, tide, channel,
/// closure]`, calls in order of arrival.
fn assert_waits(r: &RunResult, expected: &[[f64; 4]]) {
    assert_eq!(r.calls.len(), expected.len(), "every call completes");
    for (c, e) in r.calls.iter().zip(expected) {
        let w = waits(c);
        assert!(
            (0..4).all(|i| close(w[i], e[i])),
            "call arriving at {} h waited {w:?}, expected {e:?}",
            c.arrival_h
        );
    }
    let n = expected.len() as f64;
    let mean = |i: usize| expected.iter().map(|e| e[i]).sum::<f64>() / n;
    for (i, metric) in [
        "wait_berth_h_mean",
        "wait_tide_h_mean",
        "wait_channel_h_mean",
        "wait_closure_h_mean",
    ]
    .into_iter()
    .enumerate()
    {
        for port in ["P", "ALL"] {
            let v = kpi(r, port, "container", metric);
            assert!(
                close(v, mean(i)),
                "{port} {metric} = {v}, expected {}",
                mean(i)
            );
        }
    }
    let total: f64 = (0..4).map(mean).sum();
    assert!(close(kpi(r, "P", "ALL", "wait_h_mean"), total));
    assert_eq!(kpi(r, "P", "ALL", "ship_calls"), n);
}

/// The channel of the berth and tide cases: deep enough for every class, 1 h transit.
pub const DEEP_CHANNEL: &str = "channel = { depth_m = 20.0, transit_h = 1.0 }";

/// One berth, 5 h calls, a 1 h channel. A arrives at 2 h: transit 2–3, service 3–8, leaves
/// the berth at 8 (out 8–9). B arrives at 3 and waits for the berth until A unmoors at 8:
/// 5 h; transit 8–9 (two-way, beside A going out), service 9–14. C at 30 waits for nothing.
pub fn berth_case() -> String {
    scenario(
        2.0,
        "",
        DEEP_CHANNEL,
        1,
        &[
            ship("small", 2.0, 500),
            ship("small", 3.0, 500),
            ship("small", 30.0, 500),
        ],
    )
}

#[test]
fn a_ship_waits_for_the_berth_until_the_one_before_unmoors() {
    let r = run_case(&berth_case(), 1);
    assert_waits(&r, &[[0.0; 4], [5.0, 0.0, 0.0, 0.0], [0.0; 4]]);
    assert!(close(r.calls[1].berthed_h, 9.0), "{:?}", r.calls[1]);
}

/// Tide of range 2 m, high water at 0 h (and every 12.42 h); channel 8 m deep at datum, 1 m
/// under-keel clearance, 1 h transit; four berths. A `deep` ship (8 m) needs 1 m of tide:
/// height ≥ 1 m for ±12.42/4 = ±3.105 h around each high water, so a transit may start in
/// [−3.105, 2.105] h and then from 9.315 h. A `small` ship (6 m) needs no tide.
/// - deep at 1.0 h: inside the window, no wait;
/// - deep at 2.5 h: the window has closed, waits to 9.315 h: 6.815 h;
/// - deep at 4.0 h: 5.315 h;
/// - small at 2.5 h: no wait.
pub fn tide_case() -> String {
    scenario(
        2.0,
        "tide = { range_m = 2.0, high_water_h = 0.0 }",
        "channel = { depth_m = 8.0, ukc_m = 1.0, transit_h = 1.0 }",
        4,
        &[
            ship("deep", 1.0, 500),
            ship("deep", 2.5, 500),
            ship("small", 2.5, 500),
            ship("deep", 4.0, 500),
        ],
    )
}

#[test]
fn a_deep_ship_waits_for_the_tidal_window_and_a_shallow_one_does_not() {
    let mut r = run_case(&tide_case(), 1);
    // Two ships arrive at 2.5 h: put the one that waits less first.
    r.calls.sort_by(|a, b| {
        a.arrival_h
            .total_cmp(&b.arrival_h)
            .then(a.waits_h[1].total_cmp(&b.waits_h[1]))
    });
    assert_waits(
        &r,
        &[
            [0.0; 4],
            [0.0; 4],
            [0.0, 9.315 - 2.5, 0.0, 0.0],
            [0.0, 9.315 - 4.0, 0.0, 0.0],
        ],
    );
}

/// A 2 h one-way channel for ships of 100,000 DWT and more; five berths.
/// - small S1 at 10 h: transit 10–12;
/// - small S2 at 11 h: two-way beside S1, 11–13, no wait;
/// - large L at 11.5 h: needs the channel to itself: waits until S2 is through at 13 h
///   (1.5 h), transit 13–15;
/// - small S3 at 12.5 h: queues behind L (first come, first served) and goes when L is
///   through at 15 h: 2.5 h;
/// - small S4 at 30 h: the channel is clear (L left the berth at 20 h, out 20–22): no wait.
pub fn one_way_case() -> String {
    scenario(
        2.0,
        "",
        "channel = { depth_m = 20.0, transit_h = 2.0, one_way_min_dwt_t = 100000 }",
        5,
        &[
            ship("small", 10.0, 500),
            ship("small", 11.0, 500),
            ship("large", 11.5, 500),
            ship("small", 12.5, 500),
            ship("small", 30.0, 500),
        ],
    )
}

#[test]
fn a_large_ship_waits_for_the_one_way_channel_to_clear() {
    let r = run_case(&one_way_case(), 1);
    assert_waits(
        &r,
        &[
            [0.0; 4],
            [0.0; 4],
            [0.0, 0.0, 1.5, 0.0],
            [0.0, 0.0, 2.5, 0.0],
            [0.0; 4],
        ],
    );
    assert!(close(r.calls[2].berthed_h, 15.0), "{:?}", r.calls[2]);
}

#[test]
fn small_ships_share_a_channel_that_large_ones_need_to_themselves() {
    // The same arrivals with no large ship: no channel waiting at all. And with the
    // threshold above the large ship's DWT, it passes beside the others too.
    let no_large = one_way_case().replace("ship_class = \"large\"", "ship_class = \"small\"");
    assert_waits(&run_case(&no_large, 1), &[[0.0; 4]; 5]);
    let high = one_way_case().replace("one_way_min_dwt_t = 100000", "one_way_min_dwt_t = 200000");
    assert_waits(&run_case(&high, 1), &[[0.0; 4]; 5]);
}

/// The start of the only episode of a closure regime `closure/P/gale` (one episode a month
/// expected, January only, fixed duration) in a 30-day run with no warm-up, if it has exactly
/// one, replayed from the random stream the README names for it: exponential gaps of
/// 744 h / episodes per month from 1 January 00:00, each followed by its (fixed, so
/// drawless) duration.
fn replayed_closure_start(seed: u64) -> Option<f64> {
    use rand_distr::{Distribution, Exp1};
    let rep_seed = portsim::engine::replication_seed(seed, 0);
    let mut rng = portsim::engine::stream(rep_seed, "closure/P/gale");
    let (mut t, mut starts) = (0.0f64, Vec::new());
    loop {
        let e: f64 = Exp1.sample(&mut rng);
        t += e * 744.0 / 1.0;
        if t >= 720.0 {
            break;
        }
        starts.push(t);
    }
    match starts[..] {
        [s] => Some(s),
        _ => None,
    }
}

/// A 10 h closure of the channel starting at s (replayed, see above); one berth, 5 h calls,
/// 1 h channel. A arrives at s + 2, takes the free berth and waits for the closure to end
/// at s + 10 (8 h); transit, service s + 11 to s + 16. B arrives at s + 3 and waits for the
/// berth A holds until A unmoors at s + 16 (13 h) — the berth, not the closure, is what it
/// waits for.
#[test]
fn ships_wait_for_a_closure_to_end() {
    let (seed, s) = (1..1000u64)
        .find_map(|seed| {
            replayed_closure_start(seed)
                .filter(|s| (24.0..600.0).contains(s))
                .map(|s| (seed, s))
        })
        .expect("a seed with one closure in January");
    let closure = "[[ports.closures]]\nname = \"gale\"\nmonths = [1]\nepisodes_per_month = 1\nduration_h = { dist = \"fixed\", value = 10 }\nstops = [\"channel\"]";
    let text = scenario(
        30.0,
        closure,
        DEEP_CHANNEL,
        1,
        &[ship("small", s + 2.0, 500), ship("small", s + 3.0, 500)],
    );
    let r = run_case(&text, seed);
    assert!(
        close(r.calls[0].berthed_h, s + 11.0),
        "A berthed at {} h, not at the replayed closure's end + 1 h = {} h: the closure's \
         random draws no longer follow the replay (update it) or the closure ends at the wrong \
         time",
        r.calls[0].berthed_h,
        s + 11.0
    );
    assert_waits(&r, &[[0.0, 0.0, 0.0, 8.0], [13.0, 0.0, 0.0, 0.0]]);
}
