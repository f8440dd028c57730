//! The built-in Liaoning 2020 baseline against the 2020 statistics, and conservation.

use portsim::results::{find, summarise};

use crate::util::{load, run, test_seed};

/// Volumes stated in `scenarios/liaoning-2020.toml` (Mt, M TEU), in file order.
const STATED: [(&str, f64, f64); 6] = [
    ("Dalian", 330.0, 5.11),
    ("Yingkou", 238.0, 5.65),
    ("Jinzhou", 100.0, 1.45),
    ("Dandong", 60.0, 0.50),
    ("Panjin", 52.0, 0.30),
    ("Huludao", 40.0, 0.10),
];

/// The calibration: cluster and port throughput against the 2020 statistics, and berth
/// occupancy inside the planning guidance the scenario was sized to.
///
/// Statistical, 10 replications. Over 40 seeds the 10-replication means deviated from the
/// statistics by −0.1 % ± 0.3 % (mean ± sd; cluster tonnes), 0.0 % ± 0.06 % (cluster TEU),
/// ± 0.5–1.0 % (port tonnes) and ± 0.1–0.4 % (port TEU); with normal tails the 2 % and 3 %
/// bands give a false-alarm rate of ≈ 0.005 for the 14 of them together, nearly all of it
/// Dandong's tonnes (sd 1.0 %, so its band is 2.9 standard deviations wide). Occupancy stays
/// 14 or more standard deviations inside the guidance's band at every port. So ≥ 39 of 40 seeds
/// expected; measured (`scripts/seed-sweep`): 40 of 40 seeds pass.
#[test]
fn baseline_reproduces_2020_throughput() {
    let model = load("liaoning-2020");
    let runs = run(&model, 10, test_seed(model.settings.seed));
    let rows = summarise(&runs);
    let mean = |port: &str, metric: &str| find(&rows, 2020, port, "ALL", metric).expect("row").mean;

    let mt = mean("ALL", "throughput_t") / 1e6;
    let teu = mean("ALL", "throughput_teu") / 1e6;
    assert!(
        (mt / 820.0 - 1.0).abs() < 0.02,
        "cluster {mt:.1} Mt vs 820 Mt"
    );
    assert!(
        (teu / 13.11 - 1.0).abs() < 0.02,
        "cluster {teu:.3} M TEU vs 13.11"
    );
    let dalian_teu = mean("Dalian", "throughput_teu") / 1e6;
    assert!(
        (dalian_teu / 5.11 - 1.0).abs() < 0.03,
        "Dalian {dalian_teu:.3} M TEU vs 5.11"
    );
    for (port, stated_mt, stated_teu) in STATED {
        let p_mt = mean(port, "throughput_t") / 1e6;
        let p_teu = mean(port, "throughput_teu") / 1e6;
        assert!(
            (p_mt / stated_mt - 1.0).abs() < 0.03,
            "{port}: {p_mt:.1} Mt vs {stated_mt}"
        );
        assert!(
            (p_teu / stated_teu - 1.0).abs() < 0.03,
            "{port}: {p_teu:.3} M TEU vs {stated_teu}"
        );
        // Berths are sized so that occupancy lands where the planning guidance puts a working
        // port (40–70 %, facts §4.5; the scenario's own claim): not idle, not past the
        // congestion threshold.
        let occ = mean(port, "berth_occupancy");
        assert!(
            (0.40..=0.70).contains(&occ),
            "{port}: berth occupancy {occ:.3} outside the guidance's 40–70 %"
        );
        let ratio = mean(port, "wait_ratio");
        assert!(ratio < 0.5, "{port}: waiting/service ratio {ratio:.2}");
    }
}

/// The baseline's model and one replication of it with its calls recorded.
fn baseline_with_calls() -> (portsim::model::Model, portsim::sim::RunResult) {
    use portsim::sim::{SimOptions, simulate};
    let model = load("liaoning-2020");
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let run = simulate(&model, 2020, 0, test_seed(model.settings.seed), &opts).expect("run");
    (model, run)
}

/// Dalian's container calls are worked by the cranes their length allows. Mainline ships take
/// six: 178 boxes an hour per mainline call at Dalian's container terminals in 2023 [S30] (B),
/// from the first move to the last (the 2020 rate is not known; 2022's was ≈ 166, derived from
/// the +7.2 %). Feeders take three (`max_cranes`): at most 90 an hour on a six-crane berth,
/// 81 on a four-crane one; worked by all of a berth's cranes they would go at 108–180. Here:
/// the boxes of the measured calls of each class at Dalian over their hours at berth less
/// mooring, the calls of one replication pooled. The old four cranes at 27 for every ship made
/// 105 for the mainline calls and fail; so does a run that ignores `max_cranes` (feeders > 100).
///
/// Statistical: one replication holds ≈ 415 mainline and ≈ 1,560 feeder calls; over 20
/// replications (the calls spread over DCT, DPCM and DICT) the mainline rate was 175.3 ± 2.1
/// (mean ± sd; 169.9–179.0), the feeders' 84.2 ± 1.0; each band's edges are 5 sd or more away,
/// so with normal tails a false alarm is below 1e-6 for any seed.
#[test]
fn dalian_container_calls_are_worked_by_the_cranes_they_take() {
    let (model, run) = baseline_with_calls();
    let teu_per_move = 1.5; // the scenario's `teu_per_move`
    let rate = |class_name: &str| {
        let (mut boxes, mut hours, mut calls) = (0.0, 0.0, 0);
        for c in run.calls.iter().filter(|c| c.measured) {
            let berth = &model.berths[c.berth.index()];
            let class = &model.ship_classes[c.class.index()];
            if model.ports[berth.port.index()].name != "Dalian" || class.name != class_name {
                continue;
            }
            boxes += c.amount as f64 / teu_per_move;
            hours += c.unmoored_h - c.berthed_h - berth.mooring_h;
            calls += 1;
        }
        assert!(calls > 300, "{calls} {class_name} calls at Dalian");
        boxes / hours
    };
    let mainline = rate("box-10000");
    assert!(
        (mainline / 178.0 - 1.0).abs() < 0.08,
        "Dalian's mainline calls worked at {mainline:.0} boxes/h, against 178 [S30]"
    );
    let feeder = rate("box-feeder-1000");
    assert!(
        (70.0..=95.0).contains(&feeder),
        "Dalian's feeders worked at {feeder:.0} boxes/h: three cranes of 27–30 moves make 81–90"
    );
}

/// Dalian's Dayaowan box terminals are three operators (DCT, DPCM, DICT) with their own
/// services, each working a share near its design capacity (1.8, 2.8 and 3.1 M TEU of 7.7:
/// 23, 36 and 40 % [S65]). The terminal spreads its calls over them; by the smallest-
/// sufficient rule DICT, the largest, took 1 % of the boxes.
#[test]
fn dalians_three_container_operators_all_work() {
    let (model, run) = baseline_with_calls();
    let sections = ["DCT", "DPCM", "DICT"];
    let (mut teu, mut berth_h, mut berths) = ([0.0; 3], [0.0; 3], [0.0; 3]);
    for b in &model.berths {
        if let Some(k) = sections.iter().position(|s| {
            b.name
                .starts_with(&format!("Dalian/Dayaowan containers/{s}-"))
        }) {
            berths[k] += 1.0;
        }
    }
    for c in run.calls.iter().filter(|c| c.measured) {
        let name = &model.berths[c.berth.index()].name;
        if let Some(k) = sections
            .iter()
            .position(|s| name.starts_with(&format!("Dalian/Dayaowan containers/{s}-")))
        {
            teu[k] += c.amount as f64;
            berth_h[k] += c.unmoored_h - c.berthed_h;
        }
    }
    assert_eq!(berths, [5.0, 6.0, 5.0], "the scenario's sections changed");
    let total: f64 = teu.iter().sum();
    for k in 0..3 {
        let share = teu[k] / total;
        assert!(
            (0.2..=0.5).contains(&share),
            "{} worked {:.0} % of Dalian's boxes",
            sections[k],
            share * 100.0
        );
    }
    // Each operator's berths are about equally busy (a ship goes to the least occupied):
    // over 40 replications no section strayed more than 2.7 % from the mean.
    let per_berth: Vec<f64> = (0..3).map(|k| berth_h[k] / berths[k]).collect();
    let mean = per_berth.iter().sum::<f64>() / 3.0;
    for (k, h) in per_berth.iter().enumerate() {
        assert!(
            (h / mean - 1.0).abs() < 0.06,
            "{}'s berths worked {h:.0} h each, against {mean:.0} h on average",
            sections[k]
        );
    }
}

#[test]
fn every_cause_of_waiting_shows_up_in_the_baseline() {
    let model = load("liaoning-2020");
    let runs = run(&model, 2, 3);
    for r in &runs.runs {
        let all = |m: &str| {
            r.kpis
                .iter()
                .find(|k| k.port == "ALL" && k.cargo == "ALL" && k.metric == m)
                .expect("kpi")
                .value
        };
        for m in [
            "wait_tide_h_mean",
            "wait_channel_h_mean",
            "wait_closure_h_mean",
            "wait_berth_h_mean",
        ] {
            assert!(all(m) > 0.0, "{m} is zero");
        }
    }
}

/// Sea–rail container volumes against the public figures nearest to 2020 (no 2020 figure was
/// found; facts §3): Yingkou's Jan–Sep 2016 >340,000 TEU annualised (≈ 453,000 TEU [S48]);
/// Jinzhou's H1 2019 >54,000 TEU annualised (≈ 108,000 TEU [S84]); for the cluster, those plus
/// the scenario's stated assumptions for Dalian (≈ 0.40 M TEU, below 2023–24's ≈ 0.47 M TEU a
/// year [S102]) and Dandong (≈ 20,000 TEU): ≈ 0.98 M TEU.
///
/// Rail both ways: every corridor's trains are counted out and in, and Dalian's China–Europe
/// trains carry the boxes the scenario gives them each way.
///
/// The ±10 % bands allow for the distance between the model and those dated, annualised
/// figures (the simulated volumes vary by ≈ 0.1 % between seeds). Dalian's China–Europe trains
/// are checked exactly where the claim is exact (a train carries at most its 100 TEU; the load
/// factor is the TEU carried per train capacity) and, where statistical, by Student-t
/// intervals at α = 0.001 each (10 replications; TEU out, trains): stated false-alarm rate
/// ≤ 0.002; the return trains' TEU, lumpy, by a ±20 % band. Measured (`scripts/seed-sweep`): 40 of 40 seeds pass (the
/// same check with a 95 % interval would have failed at 2 of them).
#[test]
fn baseline_sea_rail_volumes_match_the_public_record() {
    let model = load("liaoning-2020");
    let runs = run(&model, 10, test_seed(model.settings.seed));
    let rows = summarise(&runs);
    let rail = |port: &str| {
        find(&rows, 2020, port, "container", "rail_teu")
            .expect("row")
            .mean
    };
    for (port, reference) in [
        ("Yingkou", 453_000.0),
        ("Jinzhou", 108_000.0),
        ("ALL", 981_000.0),
    ] {
        let sim = rail(port);
        assert!(
            (sim / reference - 1.0).abs() < 0.10,
            "{port}: {sim:.0} TEU by rail vs {reference}"
        );
    }
    // The provincial goal is set "of port container throughput" [S103]: the same reference
    // over the cluster's 13.11 M TEU is 7.5 %, where the share of the boxes with a hinterland
    // leg (`rail_share`, ≈ 8.9 %) would be 19 % above it.
    let of_throughput = find(&rows, 2020, "ALL", "container", "rail_share_of_throughput")
        .expect("row")
        .mean;
    let reference = 981_000.0 / 13.11e6;
    assert!(
        (of_throughput / reference - 1.0).abs() < 0.10,
        "sea–rail {of_throughput:.4} of all boxes vs {reference:.4}"
    );
    // 2020's rail volumes pass without a binding slot limit: nothing diverts to road.
    let diverted = find(&rows, 2020, "ALL", "container", "diverted_teu")
        .expect("row")
        .mean;
    assert_eq!(diverted, 0.0);
    // China–Europe trains, both ways: out of Dalian 1,500 TEU of transit boxes from ships and
    // 1,500 TEU of hub boxes from the hinterland; back 500 TEU going on by sea and 800 for the
    // hinterland, on trains of 100 TEU that leave full (or after 15 and 30 days): ≈ 30 out and
    // 13 back, against ≈ 43 in 2020 (derived from 2021's growth [S239]), 104 in 2021 and 152 in
    // 2022 [S43].
    const EUROPE: &str = "Dalian/rail:dalian-china-europe";
    let per_run = |metric: &str| crate::util::per_rep(&runs, EUROPE, "ALL", metric);
    let (trains, teu, load) = (
        per_run("trains"),
        per_run("rail_teu"),
        per_run("train_load_factor"),
    );
    let (out, back) = (per_run("trains_out"), per_run("trains_in"));
    let (teu_out, teu_back) = (per_run("rail_out_teu"), per_run("rail_in_teu"));
    for i in 0..trains.len() {
        assert_eq!(trains[i], out[i] + back[i], "trains both ways");
        assert_eq!(teu[i], teu_out[i] + teu_back[i], "TEU both ways");
        assert!(
            (load[i] - teu[i] / (trains[i] * 100.0)).abs() < 1e-12,
            "load factor = TEU carried / (trains × 100): {} vs {} / {}",
            load[i],
            teu[i],
            trains[i]
        );
        for (n, t) in [(out[i], teu_out[i]), (back[i], teu_back[i])] {
            assert!(n * 100.0 >= t, "{n} trains cannot carry {t} TEU");
        }
    }
    let interval = |v: &[f64]| {
        let e = portsim::stats::Estimate::from_values(v);
        let half = crate::util::half_width(&e, 0.001);
        (e.mean - half, e.mean + half)
    };
    let (lo, hi) = interval(&teu_out);
    assert!(
        lo <= 3000.0 && 3000.0 <= hi,
        "China–Europe TEU out of Dalian [{lo:.0}, {hi:.0}] excludes the scenario's 3,000"
    );
    // Back: a full 100-TEU return train about every four weeks makes the year's count lumpy
    // (12 to 14 trains, and the first is assembled inland during the warm-up), so the mean is
    // held to ±20 % of the 1,300 TEU sent (measured: 1,163 to 1,280 over 12 seeds).
    let back_mean = teu_back.iter().sum::<f64>() / teu_back.len() as f64;
    assert!(
        (back_mean / 1300.0 - 1.0).abs() < 0.2,
        "China–Europe TEU back to Dalian {back_mean:.0}: not within 20 % of the 1,300 sent"
    );
    // The trains, against 2020's ≈ 43 (derived, so within ±20 %), and fewer than 2021's 104.
    let (lo, hi) = interval(&trains);
    assert!(
        lo > 43.0 * 0.8 && hi < 43.0 * 1.2,
        "China–Europe trains at Dalian [{lo:.1}, {hi:.1}]: not within 20 % of 2020's ≈ 43"
    );
}

/// The scenario's sizing rule for rail: 2020's volumes pass without a binding slot limit — each
/// line's mean wait for a train (`rail_wait_h_mean`, both ways) within its part-load limit
/// (`max_wait_h`, the larger of the two ways'), since a line whose trains leave as soon as they
/// are full makes its cargo wait longer only when the slots stop them. A stockyard feeds its
/// trains in bursts (one Valemax's rail ore is ≈ 50 trains), which a mean slot use far below 1
/// hides: Dalian's ore-and-coal line at 20 slots a day (63 % used) made its cargo wait 64 h
/// against its 12 h, and four more lines missed the rule by 20–75 % (session 21); the wait is
/// lumpy from one future to another — Dalian's inbound grain, raised from 14 slots to 20, still
/// waited 24–32 h at 6 seeds of 40, and has 28. The widest gap left at the scenario's seed is
/// Jinzhou's western box line, 13.6 h of its 24 (57 %), Dandong's 26.4 of 48.
///
/// And each flow's base-year rail share near the share its mode choice is calibrated to (the
/// scenario's `modes`): the calibration prices a line's normal wait, so a line that binds takes
/// less than its share. Ships bring rail cargo in bursts, so the live backlog may take a share
/// a little under its target: 7.5 % of it is allowed (now at most 0.9 %: Jinzhou's grain);
/// Dalian's ore at 20 slots was 9.7 % under, its grain exports at the old 14 inbound slots
/// 4.3 % — the share is the weaker check, the wait the rule itself. Means over ten
/// replications of millions of tonnes; measured (`scripts/seed-sweep`): 40 of 40 seeds pass.
#[test]
fn the_2020_rail_lines_keep_to_their_sizing_rule_and_calibrated_shares() {
    use portsim::model::Departure;
    let model = load("liaoning-2020");
    let runs = run(&model, 10, test_seed(model.settings.seed));
    let rows = summarise(&runs);
    for k in &model.corridors {
        let part_load = |d: &Departure| match d {
            Departure::WhenFull { max_wait_h, .. } => Some(*max_wait_h),
            Departure::Timetable { .. } => None,
        };
        let (Some(out), Some(back)) = (part_load(&k.departure), part_load(&k.inbound)) else {
            continue;
        };
        let label = format!("{}/rail:{}", model.ports[k.port.index()].name, k.name);
        let wait = find(&rows, 2020, &label, "ALL", "rail_wait_h_mean")
            .expect("row")
            .mean;
        assert!(
            wait <= out.max(back),
            "{label}: cargo waits {wait:.1} h for a train, past its part-load limit of {} h: its slots bind",
            out.max(back)
        );
    }
    let mut modes = vec![[0u64; 3]; model.flows.len()];
    for r in &runs.runs {
        for (f, m) in r.flow_modes.iter().enumerate() {
            for k in 0..3 {
                modes[f][k] += m[k];
            }
        }
    }
    for (f, flow) in model.flows.iter().enumerate() {
        let Some(leg) = flow.hinterland.as_ref().filter(|l| l.choice.is_some()) else {
            continue;
        };
        let all: u64 = modes[f].iter().sum();
        let share = modes[f][0] as f64 / all.max(1) as f64;
        let target = leg.modes.rail;
        assert!(
            (share - target).abs() <= (0.075 * target).max(0.005),
            "{}: rail {share:.4} against its calibrated {target:.4}",
            flow.name
        );
    }
}
