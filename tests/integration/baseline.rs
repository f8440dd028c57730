//! The built-in Liaoning 2020 baseline against the 2020 statistics, and conservation.

use portsim::results::{find, summarise};

use crate::util::{load, run};

/// Volumes stated in `scenarios/liaoning-2020.toml` (Mt, M TEU), in file order.
const STATED: [(&str, f64, f64); 6] = [
    ("Dalian", 330.0, 5.11),
    ("Yingkou", 238.0, 5.65),
    ("Jinzhou", 100.0, 1.45),
    ("Dandong", 60.0, 0.50),
    ("Panjin", 52.0, 0.30),
    ("Huludao", 40.0, 0.10),
];

#[test]
fn baseline_reproduces_2020_throughput() {
    let model = load("liaoning-2020");
    let runs = run(&model, 10, model.settings.seed);
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
        // Plausible against the planning guidance (facts §4.5): a working port, not idle,
        // not past the congestion threshold.
        let occ = mean(port, "berth_occupancy");
        assert!(
            (0.35..=0.70).contains(&occ),
            "{port}: berth occupancy {occ:.2}"
        );
        let ratio = mean(port, "wait_ratio");
        assert!(ratio < 0.5, "{port}: waiting/service ratio {ratio:.2}");
    }
}

#[test]
fn waiting_causes_add_up() {
    let model = load("liaoning-2020");
    let runs = run(&model, 2, 3);
    for r in &runs.runs {
        for port in model.ports.iter().map(|p| p.name.as_str()).chain(["ALL"]) {
            let get = |m: &str| {
                r.kpis
                    .iter()
                    .find(|k| k.port == port && k.cargo == "ALL" && k.metric == m)
                    .expect("kpi")
                    .value
            };
            let parts = get("wait_tide_h_mean")
                + get("wait_channel_h_mean")
                + get("wait_closure_h_mean")
                + get("wait_berth_h_mean");
            assert!(
                (parts - get("wait_h_mean")).abs() < 1e-9,
                "{port}: {parts} vs {}",
                get("wait_h_mean")
            );
        }
        // The baseline has tides, closures and one-way channels: each cause shows up somewhere.
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
#[test]
fn baseline_sea_rail_volumes_match_the_public_record() {
    let model = load("liaoning-2020");
    let runs = run(&model, 10, model.settings.seed);
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
    // 2020's rail volumes pass without a binding slot limit: nothing diverts to road.
    let diverted = find(&rows, 2020, "ALL", "container", "diverted_teu")
        .expect("row")
        .mean;
    assert_eq!(diverted, 0.0);
    // China–Europe trains: Dalian ran 104 in 2021 and 152 in 2022 [S43]; 2020 somewhat fewer.
    let europe = find(
        &rows,
        2020,
        "Dalian/rail:dalian-china-europe",
        "ALL",
        "trains",
    )
    .expect("row")
    .mean;
    assert!(
        (60.0..110.0).contains(&europe),
        "{europe} China–Europe trains from Dalian"
    );
}
