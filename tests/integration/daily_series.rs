//! Daily series (ships waiting per port and cargo, yard occupancy per terminal, trains per
//! corridor): their days add up to the year's KPIs, which come from separate accumulators,
//! and `series.csv` keeps the busiest of each kind.

use portsim::sim::{SimOptions, simulate};

use crate::util::{load, portsim};

#[test]
fn the_days_of_each_series_add_up_to_the_years_kpis() {
    let model = load("liaoning-2020");
    let opts = SimOptions {
        daily_series: true,
        ..SimOptions::default()
    };
    let r = simulate(&model, 2020, 0, 1, &opts).expect("run");
    let kpi = |port: &str, cargo: &str, metric: &str| {
        r.kpis
            .iter()
            .find(|k| k.port == port && k.cargo == cargo && k.metric == metric)
            .unwrap_or_else(|| panic!("no {port} {cargo} {metric}"))
            .value
    };
    let days = model.settings.measured_days;
    assert_eq!(days, 365.0, "whole days, so that every day weighs the same");
    let mut seen = [0usize; 3];
    for s in &r.series {
        assert_eq!(s.values.len(), 365, "{} {}", s.port, s.series);
        let sum: f64 = s.values.iter().sum();
        let (got, want) = match s.series {
            "ships_waiting" => {
                seen[0] += 1;
                (sum / days, kpi(&s.port, &s.cargo, "ships_waiting_mean"))
            }
            "yard_occupancy" => {
                seen[1] += 1;
                (sum / days, kpi(&s.port, "ALL", "yard_occupancy_mean"))
            }
            "trains" => {
                seen[2] += 1;
                (sum, kpi(&s.port, "ALL", "trains"))
            }
            other => panic!("unknown series {other}"),
        };
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{} {} {}: days give {got}, the year {want}",
            s.port,
            s.cargo,
            s.series
        );
    }
    // The baseline has queues at every port, finite container yards and rail corridors.
    assert!(seen[0] >= 20 && seen[1] >= 6 && seen[2] >= 10, "{seen:?}");
    // And a run without them records none.
    let plain = simulate(&model, 2020, 0, 1, &SimOptions::default()).expect("run");
    assert!(plain.series.is_empty());
    // (Compared as text: an undefined KPI is NaN, which is not equal to itself.)
    let text = |k: &[portsim::sim::Kpi]| format!("{k:?}");
    assert!(
        text(&plain.kpis) == text(&r.kpis),
        "recording series changes no KPI"
    );
}

#[test]
fn series_csv_keeps_the_busiest_of_each_kind_for_every_day() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    portsim()
        .args(["run", "--reps", "2", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(out.join("series.csv")).expect("series.csv");
    assert_eq!(
        r.headers().expect("headers").iter().collect::<Vec<_>>(),
        portsim::report::output::SERIES_COLUMNS
    );
    let mut per: std::collections::BTreeMap<(String, String, String), Vec<(u32, f64)>> =
        Default::default();
    for row in r.records() {
        let row = row.expect("row");
        per.entry((row[2].to_string(), row[3].to_string(), row[4].to_string()))
            .or_default()
            .push((row[5].parse().expect("day"), row[6].parse().expect("mean")));
    }
    for kind in ["ships_waiting", "yard_occupancy", "trains"] {
        let n = per.keys().filter(|k| k.2 == kind).count();
        assert_eq!(n, portsim::results::BUSIEST, "{kind}");
    }
    for (k, days) in &per {
        let want: Vec<u32> = (1..=365).collect();
        assert_eq!(days.iter().map(|d| d.0).collect::<Vec<_>>(), want, "{k:?}");
    }
    // The queues kept are the longest: none left out of summary.csv waits more on average.
    let summary = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    let kept_min = per
        .iter()
        .filter(|(k, _)| k.2 == "ships_waiting")
        .map(|(_, d)| d.iter().map(|x| x.1).sum::<f64>() / 365.0)
        .fold(f64::INFINITY, f64::min);
    for line in summary
        .lines()
        .filter(|l| l.contains(",ships_waiting_mean,"))
    {
        let f: Vec<&str> = line.split(',').collect();
        let (port, cargo) = (f[2], f[3]);
        if port.contains('/') || port == "ALL" || cargo == "ALL" {
            continue;
        }
        let mean: f64 = f[5].parse().expect("mean");
        let kept = per.contains_key(&(port.into(), cargo.into(), "ships_waiting".into()));
        assert!(
            kept || mean <= kept_min + 1e-9,
            "{port} {cargo} waits {mean} on average, more than a queue kept ({kept_min})"
        );
    }
}
