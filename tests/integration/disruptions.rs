//! Disruptions on dates: a closure of a port at a given day and hour, and the peak of ships
//! waiting it causes — against a hand calculation on a deterministic queue.

use crate::util::{check_rejects, kpi, model_from};
use portsim::sim::{SimOptions, simulate};

/// A one-berth port with a call every 2 h on a programme and exactly 1 h of service (D/D/1 at
/// ρ = 0.5: nobody ever waits), and `extra` appended.
fn dd1(extra: &str) -> String {
    let text = portsim::scenario::builtin::get("mm1-rho70")
        .expect("built-in")
        .toml
        .replace(
            "calls_per_h = 0.7",
            "calls_per_h = 0.5\narrivals = \"programme\"",
        )
        .replace(
            "service_h = { dist = \"exponential\", mean = 1.0 }",
            "service_h = { dist = \"fixed\", value = 1.0 }",
        );
    format!("{text}\n{extra}")
}

const STORM: &str = r#"
[[disruptions]]
name = "storm"
kind = "closure"
port = "Validation"
start_day = 100
duration_h = 48
stops = ["handling"]
source = "test"
"#;

#[test]
fn a_48_hour_closure_queues_every_call_it_covers_then_drains() {
    let calm = simulate(&model_from(&dd1("")), 2020, 0, 3, &SimOptions::default()).expect("run");
    assert_eq!(kpi(&calm, "Validation", "ALL", "ships_waiting_peak"), 0.0);
    // 48 h closed with a call every 2 h: 24 calls arrive. The first may find the berth free
    // and moor (then it waits at berth, not in the queue) — 23 or 24 queue; nothing is lost.
    // Afterwards the berth serves one an hour while one arrives every two: the queue falls by
    // one every 2 h, so it has drained about 48 h after the closure ends.
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let storm = simulate(&model_from(&dd1(STORM)), 2020, 0, 3, &opts).expect("run");
    let peak = kpi(&storm, "Validation", "ALL", "ships_waiting_peak");
    assert!(peak == 23.0 || peak == 24.0, "peak {peak}");
    assert_eq!(kpi(&storm, "ALL", "ALL", "ships_waiting_peak"), peak);
    // Calls arriving after the queue has drained (≥ 30 days + day 100 + 48 h + 48 h + slack)
    // wait no more.
    let closed_h = 30.0 * 24.0 + 99.0 * 24.0;
    let drained = closed_h + 48.0 + 50.0;
    let late: Vec<_> = storm
        .calls
        .iter()
        .filter(|c| c.arrival_h > drained)
        .collect();
    assert!(!late.is_empty());
    assert!(late.iter().all(|c| c.waits_h.iter().sum::<f64>() == 0.0));
    // The call arriving just before the reopening waits ≈ the rest of the closure plus the
    // queue ahead of it: the longest wait is ≈ 48 h.
    let longest = storm
        .calls
        .iter()
        .map(|c| c.waits_h.iter().sum::<f64>())
        .fold(0.0, f64::max);
    assert!((46.0..=50.0).contains(&longest), "longest wait {longest}");
    // Nobody waits in normal times, so the port has recovered when the queue is empty again:
    // 23–24 ships draining at one every 2 h, 46–48 h after the reopening.
    let recovery = kpi(&storm, "Validation", "ALL", "recovery_days");
    assert!(
        (45.0 / 24.0..=50.0 / 24.0).contains(&recovery),
        "recovery {recovery} days"
    );
    for row in &storm.ledger {
        assert!(row.balances() && row.matches_count(), "{row:?}");
    }
    // The cargo held up: each call's wait × the 1,000 t aboard, summed — nothing in calm
    // weather.
    assert_eq!(kpi(&calm, "Validation", "ALL", "delay_cargo_t_h"), 0.0);
    let by_hand: f64 = storm
        .calls
        .iter()
        .map(|c| c.waits_h.iter().sum::<f64>() * c.amount as f64)
        .sum();
    let delayed = kpi(&storm, "Validation", "ALL", "delay_cargo_t_h");
    assert!(
        by_hand > 0.0 && (delayed / by_hand - 1.0).abs() < 1e-9,
        "{delayed} vs {by_hand}"
    );
}

#[test]
fn a_berth_outage_keeps_ships_off_the_berth_until_it_ends() {
    // The same 48 h as the storm, but the berth itself is out: a ship that finds it free no
    // longer moors to wait there, so all 24 calls of the 48 h queue; they drain at one every
    // 2 h, 48 h after it ends.
    let outage = STORM
        .replace(
            "kind = \"closure\"",
            "kind = \"berth_outage\"\nterminal = \"servers\"\nberth = \"server\"",
        )
        .replace("stops = [\"handling\"]\n", "");
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let r = simulate(&model_from(&dd1(&outage)), 2020, 0, 3, &opts).expect("run");
    assert_eq!(kpi(&r, "Validation", "ALL", "ships_waiting_peak"), 24.0);
    // No call is served while it is out: none of them berths in the 48 h.
    let out = (30.0 * 24.0 + 99.0 * 24.0, 30.0 * 24.0 + 99.0 * 24.0 + 48.0);
    assert!(
        r.calls
            .iter()
            .all(|c| !(out.0 < c.berthed_h && c.berthed_h < out.1))
    );
    // Recovered (normal is nobody waiting) at the first moment from the end with no call
    // between its arrival and its berthing — read off the call records.
    let waiting_at = |t: f64| {
        r.calls
            .iter()
            .filter(|c| c.arrival_h <= t && c.berthed_h > t)
            .count()
    };
    let back = std::iter::once(out.1)
        .chain(r.calls.iter().map(|c| c.berthed_h).filter(|&t| t >= out.1))
        .filter(|&t| waiting_at(t) == 0)
        .fold(f64::INFINITY, f64::min);
    let recovery = kpi(&r, "Validation", "ALL", "recovery_days");
    assert!(
        (recovery - (back - out.1) / 24.0).abs() < 1e-9,
        "{recovery} days vs {back} h from the records"
    );
    // About two days: 24 ships to berth at one an hour while one more arrives every two.
    assert!(
        (44.0 / 24.0..=50.0 / 24.0).contains(&recovery),
        "{recovery}"
    );

    // The day by day series: nobody waits before; on day 100 the calls pile up one every 2 h
    // from a phase φ < 2 h (a mean of 6.5 − φ/2 over the day), on day 101 twelve more.
    let day = |d: usize| kpi(&r, "Validation", "ALL", portsim::metrics::day_metric(d - 1));
    assert_eq!(day(90), 0.0);
    assert!((5.5..=6.5).contains(&day(100)), "day 100: {}", day(100));
    assert!((17.5..=18.5).contains(&day(101)), "day 101: {}", day(101));
    // The series covers the 28 days before the outage (day 100) to 14 after the day it ends
    // (00:00 on day 102): days 72 … 116.
    let has = |d: usize| {
        r.kpis
            .iter()
            .any(|k| k.metric == portsim::metrics::day_metric(d - 1))
    };
    assert!(has(72) && has(116) && !has(71) && !has(117));
    for row in &r.ledger {
        assert!(row.balances() && row.matches_count(), "{row:?}");
    }
}

#[test]
fn a_ship_bound_for_a_berth_that_fails_takes_another_free_one() {
    // Two berths behind a 2 h channel, a call every 4 h served in 1 h: one berth is always
    // free. When berth 1 fails for 48 h, a ship on its way to it (or waiting to come in) moors
    // at berth 2 instead: nobody waits, nobody moors at berth 1 while it is out.
    let text = dd1(r#"
[[disruptions]]
name = "crane"
kind = "berth_outage"
port = "Validation"
terminal = "servers"
berth = "server-1"
start_day = 100
duration_h = 48
source = "test"
"#)
    .replace(
        "name = \"open-water\"",
        "name = \"open-water\"\n  channel = { depth_m = 20, transit_h = 2 }",
    )
    .replace("count = 1", "count = 2")
    .replace("calls_per_h = 0.5", "calls_per_h = 0.25");
    let model = model_from(&text);
    let one = model
        .berths
        .iter()
        .position(|b| b.name.ends_with("server-1"))
        .expect("berth 1");
    let out = (30.0 * 24.0 + 99.0 * 24.0, 30.0 * 24.0 + 99.0 * 24.0 + 48.0);
    for seed in 0..4 {
        let opts = SimOptions {
            record_calls: true,
            ..SimOptions::default()
        };
        let r = simulate(&model, 2020, seed, 3, &opts).expect("run");
        let at_one = |c: &&portsim::results::CallRecord| c.berth.index() == one;
        // Nobody moors at berth 1 while it is out …
        let moored = r
            .calls
            .iter()
            .filter(at_one)
            .filter(|c| (out.0..out.1).contains(&c.berthed_h));
        assert_eq!(moored.count(), 0, "replication {seed}");
        // … a ship being worked there when it failed stays, paused, to its end …
        for c in r.calls.iter().filter(at_one) {
            if c.berthed_h < out.0 && c.unmoored_h > out.0 {
                assert!(c.unmoored_h >= out.1, "replication {seed}: {c:?}");
            }
        }
        // … and nobody waits: berth 2 is always free.
        let waited: f64 = r.calls.iter().map(|c| c.waits_h.iter().sum::<f64>()).sum();
        assert_eq!(waited, 0.0, "replication {seed}");
    }
}

#[test]
fn overlapping_closures_recover_as_one_episode() {
    // Closed 48 h from day 100 and 48 h from day 101: closed from day 100 to day 103, as one
    // 72 h closure is — the same queue, the same recovery from the same end.
    let two = STORM.to_string()
        + &STORM
            .replace("start_day = 100", "start_day = 101")
            .replace("storm", "storm 2");
    let one = STORM.replace("duration_h = 48", "duration_h = 72");
    let run = |extra: &str| {
        let r =
            simulate(&model_from(&dd1(extra)), 2020, 0, 3, &SimOptions::default()).expect("run");
        kpi(&r, "Validation", "ALL", "recovery_days")
    };
    let (a, b) = (run(&two), run(&one));
    assert!(a > 2.0 && (a - b).abs() < 1e-9, "{a} vs {b}");
}

#[test]
fn bad_disruptions_are_refused_with_their_place() {
    check_rejects(
        &dd1(&STORM.replace("start_day = 100", "start_day = 400")),
        "disruptions[0].start_day",
    );
    check_rejects(
        &dd1(&STORM.replace("start_day = 100", "start_day = 365")),
        "runs past the end of the design year",
    );
    check_rejects(
        &dd1(STORM).replace("measured_days = 365", "measured_days = 60"),
        "runs past the end of the design year as simulated (its measured 60 days)",
    );
    check_rejects(
        &dd1(&STORM.replace("port = \"Validation\"", "port = \"Nowhere\"")),
        "unknown port `Nowhere`",
    );
    check_rejects(
        &dd1(&STORM.replace("kind = \"closure\"", "kind = \"flood\"")),
        "unknown disruption `flood`",
    );
    check_rejects(
        &dd1(&STORM.replace("kind = \"closure\"", "kind = \"berth_outage\"")),
        "`stops` belongs to `closure`, not to `kind = \"berth_outage\"`",
    );
    check_rejects(
        &dd1(&STORM.replace("start_day = 100", "date = \"02-29 10:00\"")),
        "29 February is not modelled",
    );
    check_rejects(
        &dd1(&STORM.replace("start_day = 100", "date = \"Aug 26\"")),
        "expected a date of the design year, \"MM-DD\" or \"MM-DD HH:MM\"",
    );
    let outage = |extra: &str| {
        dd1(&format!(
            "[[disruptions]]\nname = \"crane\"\nkind = \"berth_outage\"\nport = \"Validation\"\nstart_day = 10\nduration_h = 24\nsource = \"test\"\n{extra}"
        ))
    };
    check_rejects(
        &outage("terminal = \"cranes\""),
        "unknown terminal `cranes` at Validation",
    );
    check_rejects(
        &outage("terminal = \"servers\"\nberth = \"quay\""),
        "unknown berth `quay` at terminal `servers`",
    );
    check_rejects(
        &dd1(
            "[[disruptions]]\nname = \"washout\"\nkind = \"rail_outage\"\ncorridor = \"north\"\nstart_day = 10\nduration_h = 24\nsource = \"test\"",
        ),
        "unknown corridor `north`",
    );
    check_rejects(
        &dd1(
            "[[disruptions]]\nname = \"2010\"\nkind = \"severe_season\"\nregime = \"sea ice\"\nepisodes_factor = 2\nsource = \"test\"",
        ),
        "no closure regime `sea ice`",
    );
    check_rejects(
        &dd1(&STORM.replace("stops = [\"handling\"]", "stops = []")),
        "expected at least one of",
    );
}

/// `typhoon-2020` is the baseline plus Bavi and Maysak on their dates: same ships (common random
/// numbers), more waiting. Paired over 10 replications, the cluster's mean wait rises by
/// ≈ 0.13–0.15 h a call with a standard deviation of the paired difference ≈ 0.045 h (measured
/// over seeds: the storms' effect depends on which ships the closures catch), so a standard
/// error ≈ 0.014 h; the 99.9 % interval (t = 4.78 with 9 degrees of freedom) must lie above
/// zero. The mean is ≈ 9 standard errors from zero: the test fails only if the effect were
/// below half what it is, far below 10⁻³ otherwise. The storms' own closure waiting
/// (`wait_closure_h_mean`) likewise.
#[test]
fn the_2020_typhoons_add_waiting_to_the_same_ships() {
    let seed = crate::util::test_seed(1);
    let base = crate::util::run(&crate::util::load("liaoning-2020"), 10, seed);
    let storm = crate::util::run(&crate::util::load("typhoon-2020"), 10, seed);
    for metric in ["wait_h_mean", "wait_closure_h_mean"] {
        let a = crate::util::per_rep(&base, "ALL", "ALL", metric);
        let b = crate::util::per_rep(&storm, "ALL", "ALL", metric);
        let d: Vec<f64> = b.iter().zip(&a).map(|(x, y)| x - y).collect();
        let e = portsim::stats::Estimate::from_values(&d);
        let half = crate::util::half_width(&e, 0.001);
        eprintln!("{metric}: +{:.4} ± {half:.4} h a call", e.mean);
        assert!(e.mean - half > 0.0, "{metric}: {:.4} ± {half:.4}", e.mean);
    }
}

/// An independent M/M/1 (λ = 0.7/h, μ = 1/h) with the server stopped for `closure` = (start,
/// end) hours of run time (the ship at the berth keeps its place and the rest of its service;
/// a ship finding the berth free berths and waits there), over a 720 h warm-up and a 365-day
/// year. Returns the year's peak of ships waiting (a level held for a positive time) and the
/// recovery in days, by the definition of `recovery_days`: the first moment from the end of
/// the closure with no more ships waiting than the mean over the 28 days before it.
fn independent_mm1_closure(seed: u64, closure: (f64, f64)) -> (f64, f64) {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp1};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut exp = |mean: f64| -> f64 {
        let e: f64 = Exp1.sample(&mut rng);
        e * mean
    };
    let (cs, ce) = closure;
    let (w0, w1) = (720.0, 720.0 + 8760.0);
    let look = (cs - 28.0 * 24.0).max(0.0);
    let (mut t, mut ta) = (0.0f64, exp(1.0 / 0.7));
    let (mut queue, mut berth) = (0u64, None::<f64>);
    let (mut peak, mut area, mut recovered) = (0u64, 0.0f64, None::<f64>);
    let mut normal = f64::NAN;
    while t < w1 {
        let closed = (cs..ce).contains(&t);
        let tc = match berth {
            Some(rem) if !closed => t + rem,
            _ => f64::INFINITY,
        };
        let boundary = if t < cs {
            cs
        } else if t < ce {
            ce
        } else {
            f64::INFINITY
        };
        let next = ta.min(tc).min(boundary).min(w1);
        // The level held over [t, next).
        if next > t && next > w0 && t < w1 {
            peak = peak.max(queue);
        }
        area += queue as f64 * ((next.min(cs) - t.max(look)).max(0.0));
        if let (Some(rem), false) = (berth.as_mut(), closed) {
            *rem -= next - t;
        }
        t = next;
        if t == cs {
            normal = area / (cs - look);
        }
        if t >= w1 {
            break;
        }
        if t == tc {
            berth = None;
            if queue > 0 {
                queue -= 1;
                berth = Some(exp(1.0));
            }
        } else if t == ta {
            if berth.is_none() {
                berth = Some(exp(1.0));
            } else {
                queue += 1;
            }
            ta = t + exp(1.0 / 0.7);
        }
        if recovered.is_none() && t >= ce && queue as f64 <= normal {
            recovered = Some(t);
        }
    }
    let days = (recovered.unwrap_or(w1).min(w1) - ce) / 24.0;
    (peak as f64, days)
}

/// A 48 h closure of an M/M/1 port (ρ = 0.7) on day 180: portsim's peak of ships waiting and
/// its recovery against the independent simulation above, 60 replications each. A backlog of
/// ≈ λ·48 = 34 ships drains at μ − λ = 0.3 an hour, so recovery is ≈ 4–5 days (fluid estimate;
/// the test compares with the simulation, not the estimate). Welch's two-sample t test at a
/// false-alarm rate of 0.001 for each of the two metrics (0.002 in all).
#[test]
fn a_48_hour_closure_of_an_mm1_port_matches_an_independent_simulation() {
    let text = format!(
        "{}\n{}",
        portsim::scenario::builtin::get("mm1-rho70")
            .expect("built-in")
            .toml,
        STORM.replace("start_day = 100", "start_day = 180")
    );
    let model = model_from(&text);
    let seed = crate::util::test_seed(11);
    let runs = crate::util::run(&model, 60, seed);
    let start = 720.0 + 179.0 * 24.0;
    let ours: Vec<(f64, f64)> = (0..60)
        .map(|r| {
            independent_mm1_closure(
                seed.wrapping_mul(1000).wrapping_add(r),
                (start, start + 48.0),
            )
        })
        .collect();
    for (k, metric) in ["ships_waiting_peak", "recovery_days"]
        .into_iter()
        .enumerate()
    {
        let a = portsim::stats::Estimate::from_values(&crate::util::per_rep(
            &runs,
            "Validation",
            "ALL",
            metric,
        ));
        let b = portsim::stats::Estimate::from_values(
            &ours
                .iter()
                .map(|p| if k == 0 { p.0 } else { p.1 })
                .collect::<Vec<_>>(),
        );
        let (va, vb) = (a.sd * a.sd / a.n as f64, b.sd * b.sd / b.n as f64);
        let df = (va + vb).powi(2) / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
        let t = (a.mean - b.mean) / (va + vb).sqrt();
        let limit = portsim::stats::t_quantile(1.0 - 0.001 / 2.0, df);
        eprintln!(
            "{metric}: portsim {:.2} (sd {:.2}), independent {:.2} (sd {:.2}), t = {t:.2}",
            a.mean, a.sd, b.mean, b.sd
        );
        assert!(
            t.abs() <= limit,
            "{metric}: portsim {:.3} vs independent {:.3} (t = {t:.2} > {limit:.2})",
            a.mean,
            b.mean
        );
    }
}

#[test]
fn a_severe_ice_season_multiplies_the_regime_it_names() {
    let severe = r#"
[[disruptions]]
name = "severe ice (2009/10)"
kind = "severe_season"
regime = "sea ice"
port = "Yingkou"
episodes_factor = 3
duration_factor = 2
source = "test"
"#;
    let base = crate::util::load("liaoning-2020");
    let text = format!(
        "{}\n{severe}",
        portsim::scenario::builtin::get("liaoning-2020")
            .expect("built-in")
            .toml
    );
    let hard = model_from(&text);
    let ice = |m: &portsim::model::Model, port: &str| {
        let p = m.ports.iter().find(|p| p.name == port).expect("port");
        let r = p
            .closures
            .iter()
            .find(|r| r.name == "sea ice")
            .expect("ice");
        (r.episodes_per_month, r.duration_h.mean())
    };
    let (e0, d0) = ice(&base, "Yingkou");
    let (e1, d1) = ice(&hard, "Yingkou");
    assert!((e1 - 3.0 * e0).abs() < 1e-12 && (d1 - 2.0 * d0).abs() < 1e-9);
    // Other ports keep their ice.
    assert_eq!(ice(&base, "Jinzhou"), ice(&hard, "Jinzhou"));
    // Six times the ice hours at Yingkou: its ships wait longer for closures. Paired over
    // 40 replications (the same ships; the episodes are redrawn at the new rate — a few
    // episodes a winter, so the difference varies: sd ≈ 0.2 h a call against an effect of
    // ≈ 0.3 h), the 99.9 % interval of the difference must lie above zero.
    let seed = crate::util::test_seed(3);
    let per = |m: &portsim::model::Model| {
        crate::util::per_rep(
            &crate::util::run(m, 40, seed),
            "Yingkou",
            "ALL",
            "wait_closure_h_mean",
        )
    };
    let (a, b) = (per(&base), per(&hard));
    let d: Vec<f64> = b.iter().zip(&a).map(|(x, y)| x - y).collect();
    let e = portsim::stats::Estimate::from_values(&d);
    let half = crate::util::half_width(&e, 0.001);
    eprintln!(
        "closure waiting at Yingkou: +{:.3} ± {half:.3} h a call",
        e.mean
    );
    assert!(e.mean - half > 0.0, "+{:.3} ± {half:.3}", e.mean);
}
