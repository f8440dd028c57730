//! Experiments: paired comparisons under common random numbers, sweeps, capacity.

use portsim::experiment::{RunOptions, compare, run_scenario};
use portsim::scenario::ScenarioSource;
use portsim::stats::{Estimate, t_quantile};

use crate::util::{fixture, portsim};

/// Three coal berths, 27 Mt a year of 30,000-t parcels (≈ 80 % busy); with `faster`, one of
/// the three handles 1,800 t/h instead of 1,500.
fn small_port(faster: bool) -> portsim::model::Model {
    let mut text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml"))
        .expect("fixture")
        .replace("count = 2", if faster { "count = 2" } else { "count = 3" })
        .replace("volume_t_per_yr = 5000000", "volume_t_per_yr = 27000000");
    if faster {
        text = text.replace("name = \"small-port\"", "name = \"small-port-faster\"").replace(
            "[[flows]]",
            "      [[ports.areas.terminals.berths]]\n      name = \"coal-fast\"\n      max_dwt_t = 50000\n      length_m = 200\n      depth_m = 12.5\n      rate_t_per_h = 1800\n      mooring_h = 2.0\n\n[[flows]]",
        );
    }
    ScenarioSource {
        file: "small.toml".into(),
        default_name: "small".into(),
        text,
    }
    .load()
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn common_random_numbers_make_the_paired_interval_narrower() {
    // Two scenarios that differ only in one berth see the same ships, so the paired difference
    // of the mean wait varies far less than two independent means would.
    let (a, b) = (small_port(false), small_port(true));
    let mut o = RunOptions::defaults_for(&a);
    o.replications = 20;
    let ra = run_scenario(&a, &o, &|_, _| {}).expect("run");
    let rb = run_scenario(&b, &o, &|_, _| {}).expect("run");
    let rows = compare(&[ra.clone(), rb.clone()]);
    let paired = rows
        .iter()
        .find(|r| {
            r.scenario == "small-port-faster"
                && r.port == "ALL"
                && r.cargo == "ALL"
                && r.metric == "wait_h_mean"
        })
        .expect("row");
    let values = |runs: &portsim::experiment::ScenarioRuns| -> Vec<f64> {
        runs.runs
            .iter()
            .map(|r| {
                r.kpis
                    .iter()
                    .find(|k| k.port == "ALL" && k.cargo == "ALL" && k.metric == "wait_h_mean")
                    .expect("kpi")
                    .value
            })
            .collect()
    };
    let (ea, eb) = (
        Estimate::from_values(&values(&ra)),
        Estimate::from_values(&values(&rb)),
    );
    // Welch's unpaired interval for the same difference.
    let n = 20.0;
    let unpaired_half = t_quantile(0.975, n - 1.0) * (ea.sd * ea.sd / n + eb.sd * eb.sd / n).sqrt();
    let paired_half = (paired.diff_ci95_high - paired.diff_ci95_low) / 2.0;
    assert!((paired.diff_mean - (eb.mean - ea.mean)).abs() < 1e-9);
    assert!(paired.diff_mean < 0.0, "a faster berth cuts waiting");
    assert!(
        paired_half < 0.5 * unpaired_half,
        "paired ±{paired_half:.4} vs unpaired ±{unpaired_half:.4}"
    );
}

#[test]
fn comparing_a_scenario_with_a_copy_of_itself_gives_zero_differences() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = fixture("scenarios/ok/small-hinterland.toml");
    let copy = tmp.path().join("copy.toml");
    std::fs::copy(&src, &copy).expect("copy");
    let out = tmp.path().join("cmp");
    portsim()
        .arg("compare")
        .arg(&src)
        .arg(&copy)
        .args(["--reps", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("compare.csv")).expect("compare.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,baseline,year,port,cargo,metric,mean,diff_mean,diff_ci95_low,diff_ci95_high,n"
        )
    );
    let mut checked = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f[7] == "NaN" {
            continue; // undefined in both (e.g. a share with no volume)
        }
        assert_eq!(&f[7..10], ["0", "0", "0"], "{line}");
        checked += 1;
    }
    assert!(checked > 100);
    for f in ["kpis.csv", "summary.csv", "summary.json"] {
        assert!(out.join(f).exists(), "{f}");
    }
}
