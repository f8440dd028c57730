//! `--trace`: one row per call of the measured period in `calls.csv`, whose counts, means and
//! sums are the KPIs of the same run, and whose bytes do not depend on the thread count.

use std::collections::BTreeMap;

use portsim::commands::{self, RunSettings};

/// (replication, port) → the call rows' count, summed wait, summed service, summed tonnes.
type Sums = BTreeMap<(String, String), (f64, f64, f64, f64)>;

fn sums(calls: &str) -> Sums {
    let mut r = csv::Reader::from_reader(calls.as_bytes());
    let h = r.headers().expect("header").clone();
    assert_eq!(
        h.iter().collect::<Vec<_>>().join(","),
        portsim::report::format::CALLS_COLUMNS
    );
    let col = |n: &str| h.iter().position(|x| x == n).expect(n);
    let mut out = Sums::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        let f = |n: &str| rec[col(n)].parse::<f64>().expect(n);
        let wait = f("wait_berth_h") + f("wait_tide_h") + f("wait_channel_h") + f("wait_closure_h");
        let key = (
            rec[col("replication")].to_string(),
            rec[col("port")].to_string(),
        );
        let e = out.entry(key).or_default();
        e.0 += 1.0;
        e.1 += wait;
        e.2 += f("berth_end_h") - f("berth_start_h");
        e.3 += f("t");
        assert!(f("arrival_h") <= f("berth_start_h") && f("berth_end_h") <= f("departure_h"));
    }
    out
}

#[test]
fn the_trace_adds_up_to_the_kpis_and_does_not_depend_on_threads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = |threads: usize| {
        let settings = RunSettings {
            reps: Some(2),
            out: Some(tmp.path().join(format!("t{threads}"))),
            threads: Some(threads),
            quiet: true,
            no_charts: true,
            trace: true,
            ..RunSettings::default()
        };
        commands::run("liaoning-2020", &settings, &mut Vec::new()).expect("run")
    };
    let (one, two) = (run(1), run(2));
    let calls = std::fs::read_to_string(one.join("calls.csv")).expect("calls.csv");
    assert_eq!(
        calls,
        std::fs::read_to_string(two.join("calls.csv")).expect("calls.csv")
    );
    // The KPIs of the same run, by replication and port.
    let mut kpi: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    let mut r = csv::Reader::from_path(one.join("kpis.csv")).expect("kpis");
    for rec in r.records() {
        let rec = rec.expect("row");
        if &rec[4] == "ALL" && !rec[3].contains('/') && rec[3] != *"ALL" {
            let v = rec[6].parse::<f64>().unwrap_or(f64::NAN);
            kpi.insert(
                (rec[1].to_string(), rec[3].to_string(), rec[5].to_string()),
                v,
            );
        }
    }
    let sums = sums(&calls);
    assert_eq!(sums.len(), 2 * 6, "two replications of six ports");
    for ((rep, port), (n, wait, service, t)) in &sums {
        let k = |m: &str| kpi[&(rep.clone(), port.clone(), m.to_string())];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
        assert_eq!(*n, k("ship_calls"), "{rep} {port} calls");
        assert!(
            close(wait / n, k("wait_h_mean")),
            "{rep} {port} wait {} vs {}",
            wait / n,
            k("wait_h_mean")
        );
        assert!(
            close(service / n, k("service_h_mean")),
            "{rep} {port} service"
        );
        assert!(
            close(*t, k("throughput_t")),
            "{rep} {port} tonnes {t} vs {}",
            k("throughput_t")
        );
    }
}

#[test]
fn a_trace_names_the_berths_that_projects_add_in_later_design_years() {
    // Projects in service by 2030 add berths the base model does not have: a call at one of
    // them is named as that year's model names it (this once indexed the base model's berths
    // and panicked).
    let tmp = tempfile::tempdir().expect("temp dir");
    let settings = RunSettings {
        reps: Some(1),
        years: Some(vec![2020, 2030]),
        out: Some(tmp.path().join("p")),
        quiet: true,
        no_charts: true,
        trace: true,
        ..RunSettings::default()
    };
    let name = "plan-2030-integrated-projects";
    let out = commands::run(name, &settings, &mut Vec::new()).expect("run");
    let (base, _) = portsim::scenario::load(name).expect("built-in");
    let later = portsim::scenario::model_for_year(&base, 2030).expect("2030");
    let added: Vec<&str> = later
        .berths
        .iter()
        .map(|b| b.name.as_str())
        .filter(|n| base.berths.iter().all(|b| b.name != *n))
        .collect();
    assert!(!added.is_empty(), "the projects add berths by 2030");
    let calls = std::fs::read_to_string(out.join("calls.csv")).expect("calls.csv");
    let mut r = csv::Reader::from_reader(calls.as_bytes());
    let h = r.headers().expect("header").clone();
    let (year, berth) = (
        h.iter().position(|x| x == "year").expect("year"),
        h.iter().position(|x| x == "berth").expect("berth"),
    );
    let mut at_added = 0;
    for rec in r.records() {
        let rec = rec.expect("row");
        if added.contains(&&rec[berth]) {
            assert_eq!(
                &rec[year], "2030",
                "an added berth is in service only by then"
            );
            at_added += 1;
        }
    }
    assert!(at_added > 0, "calls at the added berths {added:?}");
}
