//! The plan's instruments: demand growth, emissions and shore power at berth, targets.

use portsim::sim::{SimOptions, simulate};

use crate::util::{check_rejects, fixture, kpi, model_from, portsim};

/// One call at t = 1 h: 1,200 TEU at 100 TEU/h, no mooring time: exactly 12 h at berth, with
/// 1,000 kW of hotelling power.
fn one_call(shore_power_berth: bool, share: f64) -> String {
    format!(
        r#"
[run]
warmup_days = 0
measured_days = 3
[emissions]
ship = {{ co2_g_per_kwh = 593.1, nox_g_per_kwh = 14.4, sox_g_per_kwh = 1.81, pm_g_per_kwh = 0.304 }}
grid = {{ co2_g_per_kwh = 800 }}
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 30000
teu = 2000
length_m = 200
draft_m = 10
parcel_teu = {{ dist = "fixed", value = 1200 }}
power_at_berth_kw = 1000
shore_power_share = {share}
[[ports]]
name = "P"
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
      shore_power = {shore_power_berth}
[[services]]
name = "s"
port = "P"
ship_class = "box"
calls_per_week = 1
first_call_h = 1
[[flows]]
name = "in"
cargo = "container"
direction = "import"
port = "P"
volume_teu_per_yr = {volume}
service = "s"
"#,
        volume = 1200.0 * 365.0 / 7.0
    )
}

#[test]
fn emissions_at_berth_match_a_call_worked_by_hand() {
    // 12 h × 1,000 kW = 12,000 kWh. On the ship's generators: 12,000 × 593.1 g = 7.1172 t CO₂,
    // × 14.4 g = 0.1728 t NOₓ, × 1.81 g = 0.02172 t SOₓ, × 0.304 g = 0.003648 t PM.
    let r = simulate(
        &model_from(&one_call(false, 1.0)),
        2020,
        0,
        1,
        &SimOptions::default(),
    )
    .expect("run");
    assert_eq!(kpi(&r, "P", "container", "ship_calls"), 1.0);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.max(1.0);
    assert!(close(kpi(&r, "P", "container", "co2_t"), 7.1172));
    assert!(close(kpi(&r, "P", "container", "nox_t"), 0.1728));
    assert!(close(kpi(&r, "P", "container", "sox_t"), 0.02172));
    assert!(close(kpi(&r, "P", "container", "pm_t"), 0.003648));
    assert_eq!(kpi(&r, "P", "container", "shore_power_mwh"), 0.0);
    // On shore power (a fitted berth, a capable ship): 12 MWh from a grid at 800 g/kWh = 9.6 t
    // CO₂ (more than the ship's own, on this coal-heavy grid) and nothing else at berth.
    let r = simulate(
        &model_from(&one_call(true, 1.0)),
        2020,
        0,
        1,
        &SimOptions::default(),
    )
    .expect("run");
    assert!(close(kpi(&r, "P", "container", "co2_t"), 9.6));
    assert_eq!(kpi(&r, "P", "container", "nox_t"), 0.0);
    assert!(close(kpi(&r, "P", "container", "shore_power_mwh"), 12.0));
    // Half the class capable: half the energy each way.
    let r = simulate(
        &model_from(&one_call(true, 0.5)),
        2020,
        0,
        1,
        &SimOptions::default(),
    )
    .expect("run");
    assert!(close(
        kpi(&r, "P", "container", "co2_t"),
        0.5 * 7.1172 + 0.5 * 9.6
    ));
    assert!(close(kpi(&r, "P", "container", "shore_power_mwh"), 6.0));
}

#[test]
fn boilers_burn_fuel_at_berth_even_on_shore_power_and_at_their_own_factors() {
    // The same 12 h call, 400 of its 1,000 kW the boilers': 4,800 kWh of steam and heat that
    // shore power does not replace, and 7,200 kWh of electric load that it does.
    let with_boilers = |text: String, factors: &str| {
        text.replace(
            "power_at_berth_kw = 1000",
            "power_at_berth_kw = 1000\nboiler_at_berth_kw = 400",
        )
        .replace("grid = {", &format!("{factors}grid = {{"))
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.max(1.0);
    let boiler = "boiler = { co2_g_per_kwh = 1025.9, nox_g_per_kwh = 2, sox_g_per_kwh = 3.13, pm_g_per_kwh = 0.304 }\n";
    let run = |text: String| {
        simulate(&model_from(&text), 2020, 0, 1, &SimOptions::default()).expect("run")
    };
    // Shore power for all the electric load: 7.2 MWh at 800 g and 4.8 MWh at the boilers'
    // 1,025.9 g CO₂ (4.92432 t), 2 g NOₓ, 3.13 g SOₓ.
    let r = run(with_boilers(one_call(true, 1.0), boiler));
    assert!(close(kpi(&r, "P", "container", "shore_power_mwh"), 7.2));
    assert!(close(kpi(&r, "P", "container", "co2_t"), 5.76 + 4.92432));
    assert!(close(kpi(&r, "P", "container", "nox_t"), 0.0096));
    assert!(close(kpi(&r, "P", "container", "sox_t"), 0.015024));
    // On the ship's own generators: 7.2 MWh at 593.1 g and the boilers' 4.8 at 1,025.9 g.
    let r = run(with_boilers(one_call(false, 1.0), boiler));
    assert!(close(kpi(&r, "P", "container", "co2_t"), 4.27032 + 4.92432));
    assert_eq!(kpi(&r, "P", "container", "shore_power_mwh"), 0.0);
    // No `boiler` factors: the boilers burn at the generators' (the whole 12 MWh at 593.1 g).
    let r = run(with_boilers(one_call(false, 1.0), ""));
    assert!(close(kpi(&r, "P", "container", "co2_t"), 7.1172));
    // A factor the `boiler` table leaves out is the generators' too, not nothing: NOₓ at
    // 14.4 g for all 12 MWh.
    let r = run(with_boilers(
        one_call(false, 1.0),
        "boiler = { co2_g_per_kwh = 1025.9 }\n",
    ));
    assert!(close(kpi(&r, "P", "container", "co2_t"), 4.27032 + 4.92432));
    assert!(close(kpi(&r, "P", "container", "nox_t"), 0.1728));
    // Boilers cannot take more than the whole power at berth.
    check_rejects(
        &one_call(false, 1.0).replace(
            "power_at_berth_kw = 1000",
            "power_at_berth_kw = 1000\nboiler_at_berth_kw = 1200",
        ),
        "ship_classes[0].boiler_at_berth_kw: expected at most `power_at_berth_kw` (1000), of which the boilers are a part, found 1200",
    );
}

/// `text` with its flow growing at `rate` by `[growth] flows_per_yr` (and at −5 % by its own
/// `growth_per_yr`, which the scenario's rate overrides).
fn own_text_with_flow_rate(text: &str, flow: &str, rate: &str) -> String {
    text.replace(
        "rates_per_yr = { coal = 0.10 }",
        &format!("rates_per_yr = {{ coal = 0.10 }}\nflows_per_yr = {{ \"{flow}\" = {rate} }}"),
    )
    .replace(
        "volume_t_per_yr = 5000000",
        "volume_t_per_yr = 5000000\ngrowth_per_yr = -0.05",
    )
}

#[test]
fn demand_grows_by_cargo_class_from_the_base_year() {
    let text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml"))
        .expect("fixture")
        .replace("[run]\n", "[run]\nyears = [2020, 2025]\n")
        .replace(
            "[[ports]]",
            "[growth]\nrates_per_yr = { coal = 0.10 }\n\n[[ports]]",
        );
    let model = model_from(&text);
    assert!((model.growth_factor(&model.flows[0], 2025) - 1.1f64.powi(5)).abs() < 1e-12);
    // A flow's own rate wins over its class's.
    let own = model_from(&text.replace(
        "volume_t_per_yr = 5000000",
        "volume_t_per_yr = 5000000\ngrowth_per_yr = -0.05",
    ));
    assert!((own.growth_factor(&own.flows[0], 2025) - 0.95f64.powi(5)).abs() < 1e-12);
    // The scenario's per-flow rate wins over both (a scenario extending another sets it).
    let name = own.flows[0].name.clone();
    let by_name = own_text_with_flow_rate(&text, &name, "0.02");
    let scen = model_from(&by_name);
    assert!((scen.growth_factor(&scen.flows[0], 2025) - 1.02f64.powi(5)).abs() < 1e-12);
    check_rejects(
        &own_text_with_flow_rate(&text, "no-such-flow", "0.02"),
        "growth.flows_per_yr.no-such-flow: unknown flow `no-such-flow`",
    );
    // The simulated arrivals follow: 2025 demand = 1.1⁵ ≈ 1.61 × 2020's.
    growth_interval_contains_only_the_right_factor(&model);
}

/// The simulated growth of arrived tonnes from 2020 to 2025 against the model's factor 1.1⁵.
///
/// 100 replications a year (independent: a replication's seed mixes in the year). The log of
/// the ratio of the two means has the delta-method standard error √(s₁²/(n m₁²) + s₂²/(n m₂²))
/// ≈ 1 % (a year's arrivals vary by ≈ 8 %: ≈ 170 calls of 20–40 kt); its Student-t interval
/// at α = 0.001 (99 degrees of freedom, the fewest Welch's can have) is ±3.4 %. A year's
/// arrivals are a compound Poisson sum of 170–270 parcels, nearly normal (skewness < 0.1), so
/// the interval's level holds. Stated false-alarm rate: 0.001, so 40 of 40 seeds expected.
/// Measured (`scripts/seed-sweep`): 40 of 40 seeds pass (the estimate stayed within ±2.3
/// standard errors of 1.1⁵). Power: a wrong factor 1.1⁴ or 1.1⁶ is log 1.1 = 9.5 % away,
/// ≈ 6 standard errors beyond the interval's edge on average (at least 3.7 over the 40
/// seeds), so a miss has probability ≈ 10⁻⁹ per seed; both are asserted to fall outside.
fn growth_interval_contains_only_the_right_factor(model: &portsim::model::Model) {
    use portsim::experiment::{RunOptions, run_scenario};
    use portsim::stats::{Estimate, t_quantile};
    const REPS: u32 = 100;
    const ALPHA: f64 = 0.001;
    let mut o = RunOptions::defaults_for(model);
    o.years = vec![2020, 2025];
    o.replications = REPS;
    o.seed = crate::util::test_seed(3);
    let runs = run_scenario(model, &o, &|_, _| {}).expect("runs");
    let year = |y: u16| {
        let v: Vec<f64> = runs
            .runs
            .iter()
            .filter(|r| r.year == y)
            .map(|r| kpi(r, "Harbour", "coal", "arrived_t"))
            .collect();
        assert_eq!(v.len(), REPS as usize);
        Estimate::from_values(&v)
    };
    let (a, b) = (year(2020), year(2025));
    let n = f64::from(REPS);
    let log_ratio = (b.mean / a.mean).ln();
    let se = ((a.sd / a.mean).powi(2) / n + (b.sd / b.mean).powi(2) / n).sqrt();
    let half = t_quantile(1.0 - ALPHA / 2.0, n - 1.0) * se;
    let (low, high) = ((log_ratio - half).exp(), (log_ratio + half).exp());
    eprintln!(
        "2025 / 2020 arrivals: {:.4} [{low:.4}, {high:.4}] (se of the log {se:.4})",
        log_ratio.exp()
    );
    let inside = |f: f64| low <= f && f <= high;
    assert!(
        inside(1.1f64.powi(5)),
        "2025 / 2020 demand {:.4} [{low:.4}, {high:.4}] excludes 1.1^5",
        log_ratio.exp()
    );
    for wrong in [4, 6] {
        assert!(
            !inside(1.1f64.powi(wrong)),
            "the interval [{low:.4}, {high:.4}] cannot tell 1.1^5 from 1.1^{wrong}"
        );
    }
}

#[test]
fn targets_are_reported_met_or_missed() {
    // One target of each verdict: met, missed from above (at most), missed from below (at
    // least), and not applicable (a KPI the runs do not report for that row); a target in a
    // design year not run is left out. None is a close call: each verdict holds for any seed
    // (a replication handles 4.1-5.7 Mt of the 5 Mt demand, sd 0.38 Mt over 40 of them: 3 Mt
    // is five of those below the mean, and five replications' interval cannot reach down to
    // it). Before session 31 the goal was 4.5 Mt on three replications, which about one seed
    // in five missed in a replication and the test failed.
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture")
        + r#"
[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 3e6
source = "most of the 5 Mt demand is handled"

[[targets]]
year = 2020
port = "Harbour"
cargo = "ALL"
metric = "berth_occupancy"
bound = "at_most"
value = 0.01
source = "an impossible goal for two busy berths"

[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 1e7
source = "twice the demand: impossible"

[[targets]]
year = 2020
port = "Harbour"
cargo = "coal"
metric = "stockout_h"
bound = "at_most"
value = 0.01
source = "stock-outs are a tank's and coal has none"

[[targets]]
year = 2030
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 1
source = "a year not run: left out"
"#;
    let file = tmp.path().join("t.toml");
    std::fs::write(&file, text).expect("write");
    let out = tmp.path().join("out");
    let a = portsim()
        .arg("run")
        .arg(&file)
        .args(["--reps", "5", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(stdout.contains("targets: 1 of 4 met"), "{stdout}");
    assert!(
        stdout.contains("missed: small-port 2020 Harbour ALL berth_occupancy at_most 0.01 ")
            && stdout.contains("missed: small-port 2020 ALL ALL throughput_t at_least 10000000 "),
        "{stdout}"
    );
    assert_eq!(stdout.matches("missed:").count(), 2, "{stdout}");
    // The goal of a year not run is not judged, and said so.
    assert!(
        stdout.contains(
            "note: 1 goal is for a design year not run (2030); --years 2020,2030 judges it too\n"
        ),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("targets.csv")).expect("targets.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,year,port,cargo,metric,bound,target,mean,ci95_low,ci95_high,met,source,p_met,verdict,p_met_ci95_low,p_met_ci95_high"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    let row = |i: usize| -> Vec<&str> { lines[i].split(',').collect() };
    for (i, start, met) in [
        (
            1,
            "small-port,2020,ALL,ALL,throughput_t,at_least,3000000,",
            "yes",
        ),
        (
            2,
            "small-port,2020,Harbour,ALL,berth_occupancy,at_most,0.01,",
            "no",
        ),
        (
            3,
            "small-port,2020,ALL,ALL,throughput_t,at_least,10000000,",
            "no",
        ),
        (
            4,
            "small-port,2020,Harbour,coal,stockout_h,at_most,0.01,",
            "n/a",
        ),
    ] {
        assert!(lines[i].starts_with(start), "{}", lines[i]);
        assert_eq!(row(i).len(), 16, "{}", lines[i]);
        assert_eq!(row(i)[10], met, "{}", lines[i]);
        // None is a close call, so every replication agrees with the verdict on the mean.
        let p_met = match met {
            "yes" => "1",
            "no" => "0",
            _ => "",
        };
        assert_eq!(row(i)[12], p_met, "{}", lines[i]);
        // The mean's interval settles each of them (an interval across the goal, "unclear",
        // is a close call, which no seed-proof test can ask for: the unit tests of
        // `Bound::verdict` and of the targets table check it).
        let verdict = match i {
            1 => "met",
            4 => "n/a",
            _ => "missed",
        };
        assert_eq!(row(i)[13], verdict, "{}", lines[i]);
    }
    // A verdict agrees with the mean and interval it reports; n/a reports none.
    let num = |i: usize, col: usize| row(i)[col].parse::<f64>().expect("a number");
    assert!(num(1, 7) >= 3e6 && num(2, 7) > 0.01 && num(3, 7) < 1e7);
    for (i, at_least) in [(1, true), (2, false), (3, true)] {
        let meets = |x: f64| {
            if at_least {
                x >= num(i, 6)
            } else {
                x <= num(i, 6)
            }
        };
        let want = match (meets(num(i, 8)), meets(num(i, 9))) {
            (true, true) => "met",
            (false, false) => "missed",
            _ => "unclear",
        };
        assert_eq!(row(i)[13], want, "{}", lines[i]);
    }
    assert_eq!(row(4)[7], "", "{}", lines[4]);
}

#[test]
fn a_comparison_evaluates_every_scenarios_targets_against_its_own_runs() {
    // Two scenarios with the same target: each row must carry its own scenario's mean, not
    // n/a because the other scenario's row came first.
    let tmp = tempfile::tempdir().expect("temp dir");
    let target = r#"
[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 3e6
source = "most of the 5 Mt demand is handled"
"#;
    let base = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture");
    let a = tmp.path().join("a.toml");
    std::fs::write(&a, base.clone() + target).expect("write");
    let b = tmp.path().join("b.toml");
    std::fs::write(
        &b,
        base.replacen("name = \"small-port\"", "name = \"small-port-b\"", 1) + target,
    )
    .expect("write");
    let out = tmp.path().join("out");
    portsim()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--reps", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("targets.csv")).expect("targets.csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[0].starts_with("small-port,") && rows[1].starts_with("small-port-b,"),
        "{csv}"
    );
    for row in rows {
        assert!(row.contains(",yes,"), "{row}");
    }
}

#[test]
fn a_target_on_an_unknown_metric_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture")
        + "\n[[targets]]\nyear = 2020\nport = \"ALL\"\ncargo = \"ALL\"\nmetric = \"throughput_tonnes\"\nbound = \"at_least\"\nvalue = 1\nsource = \"x\"\n";
    let file = tmp.path().join("bad.toml");
    std::fs::write(&file, text).expect("write");
    let a = portsim().arg("check").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.contains(":48:10: targets[0].metric: unknown metric `throughput_tonnes`; did you mean `throughput_t`?"), "{stderr}");
}

/// small-port with two projects: a third coal berth from 2025, a deeper channel from 2027.
fn with_projects(extra: &str) -> String {
    std::fs::read_to_string(fixture("scenarios/ok/small-port.toml"))
        .expect("fixture")
        .replace("name = \"small-port\"\n", "name = \"small-port\"\nprojects = [\"third-berth\", \"deeper-channel\"]\n")
        .replace(
        "[[ports]]",
        &format!(
            r#"[[project]]
name = "third-berth"
in_service_year = 2025
description = "a third coal berth"
  [[project.add]]
  path = "ports[name=Harbour].areas[name=Main].terminals[name=Coal].berths"
  value = {{ name = "{extra}", max_dwt_t = 50000, length_m = 200, depth_m = 12.5, rate_t_per_h = 1500, mooring_h = 2.0 }}

[[project]]
name = "deeper-channel"
in_service_year = 2027
  [[project.set]]
  path = "ports[name=Harbour].areas[name=Main].channel.depth_m"
  value = 14.0

[[ports]]"#
        ),
    )
}

#[test]
fn a_project_changes_exactly_what_it_says_from_its_year_and_nothing_before() {
    use portsim::scenario::model_for_year;
    let text = with_projects("coal-new");
    let model = model_from(&text);
    let plain = model_from(
        &std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture"),
    );
    let y2024 = model_for_year(&model, 2024).expect("2024");
    let y2025 = model_for_year(&model, 2025).expect("2025");
    let y2027 = model_for_year(&model, 2027).expect("2027");
    assert_eq!(y2024.berths.len(), 2);
    assert_eq!(y2025.berths.len(), 3);
    assert_eq!(y2025.berths[2].name, "Harbour/Coal/coal-new");
    assert_eq!(y2025.berths[2].rate_t_per_h, 1500.0);
    let depth = |m: &portsim::model::Model| m.areas[0].channel.as_ref().expect("channel").depth_m;
    assert_eq!(
        (depth(&y2024), depth(&y2025), depth(&y2027)),
        (12.0, 12.0, 14.0)
    );
    // Before 2025 the runs are exactly those of the scenario without projects…
    let run = |m: &portsim::model::Model, year| {
        simulate(m, year, 0, 9, &SimOptions::default())
            .expect("run")
            .kpis
    };
    let bits = |k: Vec<portsim::sim::Kpi>| -> Vec<(String, String, &'static str, u64)> {
        k.into_iter()
            .map(|x| (x.port, x.cargo, x.metric, x.value.to_bits()))
            .collect()
    };
    assert_eq!(bits(run(&y2024, 2024)), bits(run(&plain, 2024)));
    // …and from 2025 the third berth is there and cuts waiting (same ships: common random
    // numbers), and nothing else about the demand changes.
    let (with, without) = (run(&y2025, 2025), run(&plain, 2025));
    let get = |k: &[portsim::sim::Kpi], port: &str, metric: &str| {
        k.iter()
            .find(|x| x.port == port && x.cargo == "ALL" && x.metric == metric)
            .expect("kpi")
            .value
    };
    assert_eq!(get(&with, "Harbour/Coal", "berths"), 3.0);
    assert_eq!(get(&without, "Harbour/Coal", "berths"), 2.0);
    assert_eq!(
        get(&with, "Harbour", "arrived_t"),
        get(&without, "Harbour", "arrived_t")
    );
    assert!(get(&with, "Harbour", "wait_h_mean") < get(&without, "Harbour", "wait_h_mean"));
    // Through the experiment layer too: one run over 2024 and 2025 uses each year's model.
    let mut o = portsim::experiment::RunOptions::defaults_for(&model);
    o.years = vec![2024, 2025];
    o.replications = 2;
    let runs = portsim::experiment::run_scenario(&model, &o, &|_, _| {}).expect("runs");
    let berths = |year: u16| {
        runs.runs
            .iter()
            .find(|r| r.year == year)
            .expect("year")
            .kpis
            .iter()
            .find(|k| k.port == "Harbour/Coal" && k.metric == "berths")
            .expect("kpi")
            .value
    };
    assert_eq!((berths(2024), berths(2025)), (2.0, 3.0));
}

#[test]
fn a_ramped_value_moves_a_share_of_the_way_each_year_in_service() {
    // The channel (in service 2027) deepens from 12 m to 14 m over four years; the berth count
    // (a whole number) goes from 2 to 5 over two: 3.5 rounds to 4 in its first year.
    use portsim::scenario::model_for_year;
    let text = with_projects("coal-new")
        .replace("  value = 14.0\n", "  value = 14.0\n  ramp_years = 4\n")
        .replace(
            "\n[[ports]]",
            r#"  [[project.set]]
  path = "ports[name=Harbour].areas[name=Main].terminals[name=Coal].berths[name=coal].count"
  value = 5
  ramp_years = 2

[[ports]]"#,
        );
    let model = model_from(&text);
    let depth = |m: &portsim::model::Model| m.areas[0].channel.as_ref().expect("channel").depth_m;
    let coal_berths = |m: &portsim::model::Model| {
        m.berths
            .iter()
            .filter(|b| b.name.starts_with("Harbour/Coal/coal-") && !b.name.contains("new"))
            .count()
    };
    let by_year: Vec<(f64, usize)> = (2026..=2031)
        .map(|y| {
            let m = model_for_year(&model, y).expect("year");
            (depth(&m), coal_berths(&m))
        })
        .collect();
    assert_eq!(
        by_year,
        [
            (12.0, 2),
            (12.5, 4),
            (13.0, 5),
            (13.5, 5),
            (14.0, 5),
            (14.0, 5)
        ]
    );
}

#[test]
fn bad_projects_are_refused() {
    let check = |text: String, expected: &str| check_rejects(&text, expected);
    // An unknown project name.
    check(
        with_projects("coal-new").replace(
            r#"projects = ["third-berth", "deeper-channel"]"#,
            r#"projects = ["third-birth"]"#,
        ),
        ":3:13: projects[0]: unknown project `third-birth`; did you mean `third-berth`?",
    );
    // A project whose berth duplicates an existing one.
    check(
        with_projects("coal"),
        "project[0].name: project `third-berth` makes the scenario invalid: ports[0].areas[0].terminals[0].berths[1].name: duplicate berth (within its terminal) name `coal`",
    );
    // A path that names nothing.
    check(
        with_projects("coal-new").replace(
            "areas[name=Main].channel.depth_m",
            "areas[name=Mian].channel.depth_m",
        ),
        "no element of `ports[name=Harbour].areas` is named `Mian`; did you mean `Main`?",
    );
    // Ramps: on an addition, of no years, from a value that is not a number or not there.
    let ramp = |years: &str| format!("  value = 14.0\n  ramp_years = {years}\n");
    check(
        with_projects("coal-new").replace(
            "terminals[name=Coal].berths\"\n",
            "terminals[name=Coal].berths\"\n  ramp_years = 2\n",
        ),
        ":22:16: project[0].add[0].ramp_years: `ramp_years` applies to `set` edits",
    );
    check(
        with_projects("coal-new").replace("  value = 14.0\n", &ramp("0")),
        ":30:16: project[1].set[0].ramp_years: expected ramp_years, whole years from 1 to 50, found 0",
    );
    check(
        with_projects("coal-new")
            .replace("channel.depth_m\"", "channel.note\"")
            .replace("  value = 14.0\n", &ramp("3")),
        ":30:16: project[1].set[0].ramp_years: `ports[name=Harbour].areas[name=Main].channel.note` ramps over 3 years from the value it replaces, but there is none",
    );
    check(
        with_projects("coal-new")
            .replace(
                "channel.depth_m\"",
                "terminals[name=Coal].berths[name=coal].name\"",
            )
            .replace("  value = 14.0\n", "  value = \"deep\"\n  ramp_years = 2\n"),
        ":30:16: project[1].set[0].ramp_years: `ports[name=Harbour].areas[name=Main].terminals[name=Coal].berths[name=coal].name` ramps over 2 years from the value it replaces, but that is a string",
    );
    // Valid at its full value, invalid mid-way: the berth deepens over three years, the ship
    // grows at once, and in the ramp's first year no berth takes it.
    let mid_way = with_projects("coal-new").replace(
        "  value = 14.0\n",
        r#"  value = 16.0
  [[project.set]]
  path = "ship_classes[name=handy].draft_m"
  value = 14.0
  [[project.set]]
  path = "ports[name=Harbour].areas[name=Main].terminals[name=Coal].berths[name=coal].depth_m"
  value = 15.5
  ramp_years = 3
"#,
    );
    check(
        mid_way.clone(),
        "project[1].set[2].ramp_years: project `deeper-channel` makes the scenario invalid in 2027, year 1 of its 3-year ramp: flows[0].ships[0].class: ship class `handy` (40000 t DWT, 180 m long, 14 m draft) fits no berth",
    );
    // At once, the same values are valid (model_from panics on an invalid scenario).
    let at_once = model_from(&mid_way.replace("  ramp_years = 3\n", ""));
    assert!(at_once.projects.is_some());
}

/// `portsim projects` puts every project in service by its first design year; one planned
/// earlier keeps its own year, so that a value ramping since is not started again.
#[test]
fn projects_judged_from_a_later_year_keep_the_ramps_under_way() {
    use portsim::scenario::model_for_year;
    let text = with_projects("coal-new").replace(
        "\n[[ports]]",
        r#"  [[project.set]]
  path = "ports[name=Harbour].areas[name=Main].terminals[name=Coal].berths[name=coal].count"
  value = 5
  ramp_years = 4

[[ports]]"#,
    );
    let mut model = model_from(&text);
    let count = |m: &portsim::model::Model| {
        m.berths
            .iter()
            .filter(|b| b.name.starts_with("Harbour/Coal/coal-") && !b.name.contains("new"))
            .count()
    };
    // Planned 2027 (the second project): 2 → 5 berths over 2027–2030.
    assert_eq!(count(&model_for_year(&model, 2028).expect("2028")), 4);
    let early = model
        .projects
        .as_ref()
        .expect("projects")
        .in_service_by(2028);
    assert_eq!(
        early.included.iter().map(|p| p.1).collect::<Vec<_>>(),
        [2025, 2027]
    );
    // A later first year brings a later project forward.
    let forward = early.in_service_by(2024);
    model.projects = Some(std::sync::Arc::new(early));
    assert_eq!(count(&model_for_year(&model, 2028).expect("2028")), 4);
    assert_eq!(
        forward.included.iter().map(|p| p.1).collect::<Vec<_>>(),
        [2024, 2024]
    );
}

#[test]
fn a_growth_rate_below_minus_100_percent_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml"))
        .expect("fixture")
        .replace(
            "[[ports]]",
            "[growth]\nrates_per_yr = { coal = -1.5 }\n\n[[ports]]",
        );
    let file = tmp.path().join("g.toml");
    std::fs::write(&file, text).expect("write");
    let a = portsim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            ":16:25: growth.rates_per_yr.coal: expected a growth rate above -1 (-100 %), found -1.5"
        ),
        "{stderr}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_scenario_can_extend_another() {
    // Every top-level key of the extending file replaces the base's; the rest is inherited.
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        fixture("scenarios/ok/small-port.toml"),
        tmp.path().join("base.toml"),
    )
    .expect("copy");
    let ext = tmp.path().join("grown.toml");
    std::fs::write(
        &ext,
        "extends = \"base.toml\"\nname = \"grown\"\n\n[run]\nyears = [2020, 2030]\nreplications = 2\n\n[growth]\nrates_per_yr = { coal = 0.05 }\n",
    )
    .expect("write");
    let (model, source) = portsim::scenario::load(&ext.to_string_lossy()).expect("load");
    assert_eq!(model.name, "grown");
    assert_eq!(model.settings.years, [2020, 2030]);
    assert_eq!(
        model.berths.len(),
        2,
        "ports, berths and flows come from the base"
    );
    assert!((model.growth_factor(&model.flows[0], 2030) - 1.05f64.powi(10)).abs() < 1e-12);
    assert!(
        source
            .extends
            .as_deref()
            .is_some_and(|b| b.ends_with("base.toml"))
    );
    assert!(
        source.text.contains("rates_per_yr"),
        "the manifest records the merged scenario"
    );
    // Project definitions add to the base's rather than replace them.
    std::fs::write(
        tmp.path().join("with-project.toml"),
        "extends = \"base.toml\"\nprojects = [\"p1\"]\n[[project]]\nname = \"p1\"\nin_service_year = 2021\n[[project.set]]\npath = \"flows[name=coal-in].volume_t_per_yr\"\nvalue = 6000000\n",
    )
    .expect("write");
    std::fs::write(
        &ext,
        "extends = \"with-project.toml\"\nprojects = [\"p1\", \"p2\"]\n[[project]]\nname = \"p2\"\nin_service_year = 2022\n[[project.set]]\npath = \"flows[name=coal-in].growth_per_yr\"\nvalue = 0.1\n",
    )
    .expect("write");
    let (m, _) = portsim::scenario::load(&ext.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
    let y = portsim::scenario::model_for_year(&m, 2022).expect("2022");
    assert_eq!(
        y.flows[0].volume_per_yr, 6_000_000.0,
        "p1 from the base's library"
    );
    assert_eq!(y.flows[0].growth_per_yr, 0.1, "p2 from this file's");
    // `portsim check` of `text` as the extending file: exit 2, and its stderr.
    let refused = |text: &str| {
        std::fs::write(&ext, text).expect("write");
        let a = portsim().arg("check").arg(&ext).assert().code(2);
        String::from_utf8_lossy(&a.get_output().stderr).into_owned()
    };
    // A bad key in the extending file is placed in that file, by the path of the problem in
    // the merged scenario — at the key, as in a whole file.
    let stderr = refused("extends = \"base.toml\"\n[growth]\nrates_per_year = { coal = 0.05 }\n");
    assert!(
        stderr.starts_with(&format!(
            "error: {}:3:1: growth.rates_per_year: unknown key `rates_per_year`; did you mean `rates_per_yr`?",
            ext.display()
        )),
        "{stderr}"
    );
    // So is a bad value in one of its own project definitions.
    let stderr = refused(
        "extends = \"base.toml\"\nprojects = [\"p3\"]\n[[project]]\nname = \"p3\"\nin_service_year = 2021\n[[project.set]]\npath = \"run.replications\"\nvalue = -3\n",
    );
    assert!(
        stderr.starts_with(&format!("error: {}:4:8: project[", ext.display()))
            && stderr.contains("project `p3` makes the scenario invalid: run.replications"),
        "{stderr}"
    );
    // A problem in what the file inherits (a base flow's ship class, now gone) has no line in
    // it: it is said to be inherited, and placed in the base file that wrote it.
    let base = tmp.path().join("base.toml");
    let stderr = refused(
        "extends = \"base.toml\"\n[[ship_classes]]\nname = \"other\"\ncargo = \"coal\"\ndwt_t = 40000\nlength_m = 180\ndraft_m = 11.0\nparcel_t = { dist = \"fixed\", value = 30000 }\n",
    );
    assert!(
        stderr.starts_with(&format!(
            "error: {} (extending {}): {}:42:20: flows[0].ships[0].class: unknown ship class",
            ext.display(),
            base.display(),
            base.display()
        )) && stderr.contains("42 | ships = [{ class = \"handy\" }]"),
        "{stderr}"
    );
    // A wrong value in the base itself is placed there too, through a chain, and a base that
    // is not TOML at the place its parse stopped — not as the merge's failure to re-read it.
    let fixture_text = std::fs::read_to_string(&base).expect("read");
    let broken = tmp.path().join("broken.toml");
    std::fs::write(
        &broken,
        fixture_text.replace("replications = 3", "replications = \"3\""),
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("middle.toml"),
        "extends = \"broken.toml\"\n",
    )
    .expect("write");
    for file in ["broken.toml", "middle.toml"] {
        let stderr = refused(&format!("extends = \"{file}\"\nname = \"x\"\n"));
        assert!(
            stderr.starts_with(&format!("error: {} (extending ", ext.display()))
                && stderr.contains(&format!(
                    "{}:5:16: run.replications: expected an integer",
                    broken.display()
                )),
            "{stderr}"
        );
    }
    std::fs::write(&broken, fixture_text.replace("[run]", "[run")).expect("write");
    let stderr = refused("extends = \"broken.toml\"\n");
    assert!(
        stderr.starts_with(&format!("error: {}:4:5: ", broken.display()))
            && !stderr.contains("re-read"),
        "{stderr}"
    );
    // An unknown base, or no name at all: the place of the value is given.
    for (text, expected) in [
        (
            "name = \"x\"\nextends = \"no-such-base\"\n",
            "2:11: extends: `extends = \"no-such-base\"`",
        ),
        ("extends = 5\n", "1:11: extends: `extends` names a scenario"),
    ] {
        std::fs::write(&ext, text).expect("write");
        portsim()
            .arg("check")
            .arg(&ext)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "{}:{expected}",
                ext.display()
            )));
    }
    // Down a chain, the problem is placed in the file that has it, once; a cycle is one error.
    let dir = ext.parent().expect("a folder");
    std::fs::write(
        dir.join("middle.toml"),
        "name = \"m\"\nextends = \"nope\"\n",
    )
    .expect("write");
    for (text, place) in [
        (
            "extends = \"middle.toml\"\n",
            "middle.toml:2:11: extends: `extends = \"nope\"`",
        ),
        (
            "extends = \"grown.toml\"\n",
            "grown.toml:1:11: extends: `extends = \"grown.toml\"`",
        ),
    ] {
        std::fs::write(&ext, text).expect("write");
        let o = portsim().arg("check").arg(&ext).assert().code(2);
        let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
        assert!(stderr.contains(place), "{stderr}");
        assert_eq!(
            stderr.lines().filter(|l| l.contains("^^")).count(),
            1,
            "{stderr}"
        );
    }
    // A copy saved under a built-in's name that extends that name reads itself: said so, with
    // the form that reads the built-in (which then loads).
    let copy = dir.join("liaoning-2020");
    std::fs::write(&copy, "extends = \"liaoning-2020\"\nname = \"mine\"\n").expect("write");
    let o = portsim().arg("check").arg(&copy).assert().code(2);
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(
        stderr.contains("1:11: extends: `extends = \"liaoning-2020\"` names this file itself; to extend the built-in, write `extends = \"builtin:liaoning-2020\"`"),
        "{stderr}"
    );
    std::fs::write(
        &copy,
        "extends = \"builtin:liaoning-2020\"\nname = \"mine\"\n",
    )
    .expect("write");
    portsim().arg("check").arg(&copy).assert().success();
}

#[test]
fn every_plan_project_applies_to_the_2030_scenario() {
    // Include every project plan-2030-independent defines: each must apply and validate, and
    // the design years must see them arrive.
    let (base, src) = portsim::scenario::load("plan-2030-independent").expect("built-in");
    let names: Vec<String> = src
        .text
        .parse::<toml::Table>()
        .expect("toml")
        .get("project")
        .and_then(|p| p.as_array())
        .expect("projects defined")
        .iter()
        .map(|p| {
            format!(
                "{:?}",
                p.get("name").and_then(|n| n.as_str()).expect("name")
            )
        })
        .collect();
    assert!(
        names.len() >= 20,
        "the plan's box 7 has about twenty projects"
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("all.toml");
    std::fs::write(
        &file,
        format!(
            "extends = \"plan-2030-independent\"\nprojects = [{}]\n",
            names.join(", ")
        ),
    )
    .expect("write");
    let (all, _) =
        portsim::scenario::load(&file.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
    let berths = |y: u16| {
        portsim::scenario::model_for_year(&all, y)
            .expect("year")
            .berths
            .len()
    };
    assert_eq!(
        berths(2020),
        base.berths.len(),
        "nothing is in service in 2020"
    );
    assert!(
        berths(2025) > berths(2020) && berths(2030) > berths(2025),
        "{} {} {}",
        berths(2020),
        berths(2025),
        berths(2030)
    );
}

/// Two ports: A (the flow's own, one berth) and B (two berths, a longer haul). Calls of
/// 10,000 t take 2 h + 10 h at berth; ship time costs 1,000 an hour; the haul costs 10 a tonne
/// from A and `haul_b` from B.
fn two_ports(policy: &str, haul_b: f64) -> String {
    let mut text = format!(
        r#"
policy = "{policy}"
[run]
warmup_days = 10
measured_days = 120
[[ship_classes]]
name = "bulker"
cargo = "coal"
dwt_t = 10000
length_m = 120
draft_m = 8
parcel_t = {{ dist = "fixed", value = 10000 }}
cost_per_h = 1000
"#
    );
    for (port, berths) in [("A", 1), ("B", 2)] {
        text.push_str(&format!(
            r#"
[[ports]]
name = "{port}"
  [[ports.areas]]
  name = "main"
    [[ports.areas.terminals]]
    name = "coal"
    cargo = ["coal"]
      [[ports.areas.terminals.berths]]
      name = "b"
      count = {berths}
      max_dwt_t = 10000
      length_m = 150
      depth_m = 9
      rate_t_per_h = 1000
      mooring_h = 2
"#
        ));
    }
    text.push_str(&format!(
        r#"
[[flows]]
name = "coal"
cargo = "coal"
direction = "import"
port = "A"
volume_t_per_yr = 7000000
ships = [{{ class = "bulker" }}]
alternative_ports = ["B"]
haul_cost_per_t = {{ A = 10, B = {haul_b} }}
"#
    ));
    text
}

/// The port (0: A, 1: B) that the integrated policy's rule picks for call `me` of `calls`
/// (port, arrival, berthed, unmoored, in ticks) at its arrival, from the state that every
/// other call's record gives at that moment; `None` when another event falls on the same tick
/// (the order of same-tick events decides, and the records do not show it).
///
/// The rule (`two_ports`): expected wait 0 if a berth is free, else (queued + ½) × 12 h /
/// berths; cost = wait × 1,000 + haul × 10,000 t; ties stay at A.
fn rule_pick(calls: &[(usize, i64, i64, i64)], me: usize, haul_b: f64) -> Option<usize> {
    const BERTHS: [usize; 2] = [1, 2];
    let t = calls[me].1;
    let (mut busy, mut queued) = ([0usize; 2], [0usize; 2]);
    for (i, &(port, a, b, u)) in calls.iter().enumerate() {
        if i == me {
            continue;
        }
        if a == t || b == t || u == t {
            return None;
        }
        if a < t && t < b {
            queued[port] += 1;
        } else if b < t && t < u {
            busy[port] += 1;
        }
    }
    let wait_h = |p: usize| {
        if busy[p] < BERTHS[p] {
            0.0
        } else {
            (queued[p] as f64 + 0.5) * 12.0 / BERTHS[p] as f64
        }
    };
    let cost_a = wait_h(0) * 1000.0 + 10.0 * 10_000.0;
    let cost_b = wait_h(1) * 1000.0 + haul_b * 10_000.0;
    Some(usize::from(cost_b < cost_a))
}

/// The integrated policy's rule, both ways: calls go to B when it is cheaper and stay at A when
/// A is (or under `independent`, or with a haul from B too dear); each call is checked against
/// the rule from the complete state at its arrival. The rule is exact; only the counts that
/// show both directions are exercised (≥ 10 each; 36–58 moved and 141–167 stayed at busy A
/// at seeds 1, 6 and 17) and the halving of the wait depend on the seed. Measured
/// (`scripts/seed-sweep`): 40 of 40 seeds pass. (Checked on the run's own records, which lack
/// the ships still in port at its end, the old "≥ 2 queued at A" check failed at 6 of 40.)
#[test]
fn the_integrated_policy_sends_a_call_elsewhere_when_waiting_costs_more_than_the_haul() {
    // 700 calls a year at 12 h each is ρ ≈ 0.96 on A's one berth. Under the independent policy
    // every call waits for A. Under the integrated policy a call goes to B when A's expected
    // wait × 1,000 exceeds the extra haul, 2 × 10,000 = 20,000, plus B's own expected wait:
    // with A's berth busy the wait is (queued + ½) × 12 h, so calls divert once 2 or more ships
    // queue at A (30 h > 20 h) and B has a free berth, and never with 0 or 1 queued (6 h, 18 h).
    // The rule is checked both ways, call by call: every call went where it was cheaper.
    let seed = crate::util::test_seed(4);
    let independent = model_from(&two_ports("independent", 12.0));
    let integrated = model_from(&two_ports("integrated", 12.0));
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let ind = simulate(&independent, 2020, 0, seed, &opts).expect("run");
    let int = simulate(&integrated, 2020, 0, seed, &opts).expect("run");
    assert_eq!(
        kpi(&ind, "B", "coal", "ship_calls"),
        0.0,
        "independent: everything at A"
    );
    let at_b = kpi(&int, "B", "coal", "ship_calls");
    assert!(at_b > 10.0, "integrated: some calls go to B ({at_b})");
    assert_eq!(
        kpi(&int, "ALL", "ALL", "arrived_t"),
        kpi(&ind, "ALL", "ALL", "arrived_t"),
        "the same ships"
    );
    assert!(kpi(&int, "ALL", "ALL", "wait_h_mean") < 0.5 * kpi(&ind, "ALL", "ALL", "wait_h_mean"));
    // The rule, call by call. The run stops at the end of its window with ships still in port,
    // unrecorded (so a call arriving near the end could seem to find A's queue empty); the
    // same replication run 30 days longer (the same ships up to then) records them, so the
    // state at every arrival of the run is complete.
    let check_rule = |model: &portsim::model::Model, haul_b: f64| -> [usize; 3] {
        let r = simulate(model, 2020, 0, seed, &opts).expect("run");
        let mut longer = model.clone();
        longer.settings.measured_days += 30.0;
        let all = simulate(&longer, 2020, 0, seed, &opts).expect("run");
        let end_h = (model.settings.warmup_days + model.settings.measured_days) * 24.0;
        let tick = |h: f64| (h * 3_600_000.0).round() as i64;
        let calls: Vec<(usize, i64, i64, i64)> = all
            .calls
            .iter()
            .map(|c| {
                let port = model.berths[c.berth.index()].port.index();
                (
                    port,
                    tick(c.arrival_h),
                    tick(c.berthed_h),
                    tick(c.unmoored_h),
                )
            })
            .collect();
        let in_run = |c: &(usize, i64, i64, i64)| c.1 < tick(end_h);
        assert_eq!(
            calls.iter().filter(|c| in_run(c)).count() as u64,
            r.ships,
            "the longer run completes every ship of the shorter"
        );
        // Every call sent to B found at least two ships queued at A when it arrived (the
        // threshold of the haul of 12; a cheaper haul from B needs none).
        for c in calls.iter().filter(|c| in_run(c) && c.0 == 1) {
            let queued = calls
                .iter()
                .filter(|a| a.0 == 0 && a.1 < c.1 && a.2 > c.1)
                .count();
            assert!(
                queued >= 2 || haul_b < 10.0,
                "a call went to B with {queued} queued at A: {c:?}"
            );
        }
        // [moved to B, stayed at A while its berth was busy, calls checked]
        let mut seen = [0usize; 3];
        for (i, c) in calls.iter().enumerate().filter(|(_, c)| in_run(c)) {
            let Some(pick) = rule_pick(&calls, i, haul_b) else {
                continue;
            };
            assert_eq!(
                c.0,
                pick,
                "haul from B {haul_b}: a call at {} h went to port {} but the rule picks {pick}",
                c.1 as f64 / 3_600_000.0,
                c.0
            );
            seen[2] += 1;
            if pick == 1 {
                seen[0] += 1;
            } else if calls.iter().any(|o| o.0 == 0 && o.2 < c.1 && c.1 < o.3) {
                seen[1] += 1;
            }
        }
        seen
    };
    let [moved, stayed_busy, checked] = check_rule(&integrated, 12.0);
    eprintln!(
        "haul 12: {checked} calls checked, {moved} moved, {stayed_busy} stayed while A was busy"
    );
    assert!(
        checked + 2 >= int.ships as usize,
        "all but ties are checked: {checked} of {}",
        int.ships
    );
    assert!(
        moved > 10 && stayed_busy > 10,
        "both directions are exercised: {moved} moved, {stayed_busy} stayed while A was busy"
    );
    // With a haul from B too dear to pay, nothing moves.
    let dear_model = model_from(&two_ports("integrated", 1000.0));
    let dear = simulate(&dear_model, 2020, 0, seed, &opts).expect("run");
    assert_eq!(kpi(&dear, "B", "coal", "ship_calls"), 0.0);
    // With the haul from B cheaper than from A, calls go to B whenever a berth is free there.
    let [moved, _, checked] = check_rule(&model_from(&two_ports("integrated", 8.0)), 8.0);
    assert!(moved > checked / 2, "{moved} of {checked} calls go to B");
}

#[test]
fn bad_policy_input_is_refused() {
    let check = |text: String, expected: &str| check_rejects(&text, expected);
    check(
        two_ports("intergrated", 12.0),
        "policy: unknown policy `intergrated`; did you mean `integrated`?",
    );
    check(
        two_ports("integrated", 12.0).replace(
            "haul_cost_per_t = { A = 10, B = 12 }",
            "haul_cost_per_t = { A = 10 }",
        ),
        "give a haul cost per tonne for every candidate port; `B` has none",
    );
    check(
        two_ports("integrated", 12.0).replace(
            r#"alternative_ports = ["B"]"#,
            r#"alternative_ports = ["C"]"#,
        ),
        "unknown port `C`",
    );
}

/// One port, two terminals of one berth each, in one berth pool. Flow `heavy` is tied to T1
/// (λ = 0.8 calls/h), flow `light` to T2 (λ = 0.4/h); service is exponential, 1 h.
fn pooled_terminals(policy: &str) -> String {
    let mut text = format!(
        r#"
policy = "{policy}"
[run]
warmup_days = 30
measured_days = 365
[[ship_classes]]
name = "unit-ship"
cargo = "other_dry_bulk"
dwt_t = 1000
length_m = 100
draft_m = 5
parcel_t = {{ dist = "fixed", value = 1000 }}
[[ports]]
name = "P"
  [[ports.areas]]
  name = "open-water"
"#
    );
    for t in ["T1", "T2"] {
        text.push_str(&format!(
            r#"
    [[ports.areas.terminals]]
    name = "{t}"
    cargo = ["other_dry_bulk"]
    pool = "quay"
      [[ports.areas.terminals.berths]]
      name = "{t}-berth"
      max_dwt_t = 1000
      length_m = 100
      depth_m = 6
      rate_t_per_h = 1000
"#
        ));
    }
    for (flow, t, calls_per_h) in [("heavy", "T1", 0.8), ("light", "T2", 0.4)] {
        text.push_str(&format!(
            r#"
[[flows]]
name = "{flow}"
cargo = "other_dry_bulk"
direction = "import"
port = "P"
terminal = "{t}"
volume_t_per_yr = {volume}
ships = [{{ class = "unit-ship" }}]
service_h = {{ dist = "exponential", mean = 1.0 }}
"#,
            volume = calls_per_h * 8760.0 * 1000.0
        ));
    }
    text
}

/// Pooling two M/M/1 terminals into one M/M/2 queue, against theory.
///
/// Each policy's mean wait gets a Student-t interval from 40 replications of two years, at
/// α = 0.005 each (Bonferroni over the two: family-wise 0.01); each policy has its own seed
/// from `test_seed(1)`. Two-year replications keep the mean wait's skewness near 0.6, whose
/// first-order Edgeworth terms cancel between the two tails of a two-sided interval.
/// Measured (`scripts/seed-sweep`): 40 of 40 seeds pass. (Before, two 95 % intervals at a
/// fixed seed: about one seed in ten would have failed.)
#[test]
fn pooled_terminals_share_their_berths_only_under_the_integrated_policy() {
    // Independent: two M/M/1 queues. T1 at ρ = 0.8 waits ρ/(μ − λ) = 4 h, T2 at ρ = 0.4 waits
    // 0.4/0.6 = 0.667 h; two thirds of the calls are T1's, so the mean wait per call is
    // (2 × 4 + 0.667)/3 = 2.889 h. Integrated: one M/M/2 queue at λ = 1.2/h, whose Erlang C
    // wait is C(2, 1.2)/(2 − 1.2) = 0.45/0.8 = 0.5625 h for every call.
    use portsim::engine::{fnv1a64, splitmix64};
    use portsim::stats::{Estimate, t_quantile};
    const REPS: u32 = 40;
    const ALPHA_FAMILY: f64 = 0.01;
    let seed = |policy: &str| splitmix64(crate::util::test_seed(1) ^ fnv1a64(policy));
    let wait = |policy: &str| {
        let mut model = model_from(&pooled_terminals(policy));
        model.settings.measured_days = 2.0 * 365.0;
        let runs = crate::util::run(&model, REPS, seed(policy));
        let e = Estimate::from_values(&crate::util::per_rep(&runs, "ALL", "ALL", "wait_h_mean"));
        let n = f64::from(REPS);
        let half = t_quantile(1.0 - ALPHA_FAMILY / 2.0 / 2.0, n - 1.0) * e.sd / n.sqrt();
        (e.mean - half, e.mean, e.mean + half)
    };
    let (independent, pooled) = (wait("independent"), wait("integrated"));
    let erlang = portsim::theory::mmc(2, 1.2, 1.0).mean_wait;
    eprintln!("independent {independent:?}; pooled {pooled:?}; Erlang C {erlang}");
    assert!((erlang - 0.5625).abs() < 1e-9);
    let inside = |(lo, _, hi): (f64, f64, f64), x: f64| lo <= x && x <= hi;
    let mixture = 2.0 * 4.0 / 3.0 + 0.4 / 0.6 / 3.0;
    assert!(
        inside(independent, mixture),
        "{independent:?} excludes {mixture}"
    );
    assert!(inside(pooled, erlang), "{pooled:?} excludes {erlang}");
    // And the calls really cross: under the integrated policy heavy's calls use T2's berth.
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    for (policy, crosses) in [("independent", false), ("integrated", true)] {
        let model = model_from(&pooled_terminals(policy));
        let r = simulate(&model, 2020, 1, seed(policy), &opts).expect("run");
        let heavy_at_t2 = r
            .calls
            .iter()
            .filter(|c| c.flow.index() == 0 && model.berths[c.berth.index()].terminal.index() == 1)
            .count();
        assert_eq!(
            heavy_at_t2 > 0,
            crosses,
            "{policy}: {heavy_at_t2} heavy calls at T2"
        );
    }
}

#[test]
fn a_berth_pool_of_one_terminal_is_refused() {
    check_rejects(
        &pooled_terminals("integrated").replacen("pool = \"quay\"", "pool = \"qauy\"", 1),
        "berth pool `qauy` has only this terminal at P",
    );
}

/// A hub H and a port F. F's import flow (52,000 TEU a year, 1,000 TEU a call, to an inland
/// region by road after 24 h in F's yard) comes on F's weekly direct service, or — under the
/// hub-feeder policy — on H's weekly mainline, through H's yard, onto H's weekly feeder, and
/// from F's weekly feeder calls into F's yard. Schedules are fixed: no delays, no size spread.
fn hub_and_feeder(policy: &str) -> String {
    let mut text = format!(
        r#"
policy = "{policy}"
[run]
warmup_days = 28
measured_days = 364
[[regions]]
name = "Inland"
[[ship_classes]]
name = "box"
cargo = "container"
dwt_t = 20000
teu = 1500
parcel_teu = {{ dist = "fixed", value = 1000 }}
length_m = 180
draft_m = 9
"#
    );
    for port in ["H", "F"] {
        text.push_str(&format!(
            r#"
[[ports]]
name = "{port}"
  [[ports.areas]]
  name = "main"
    [[ports.areas.terminals]]
    name = "boxes"
    cargo = ["container"]
      [[ports.areas.terminals.berths]]
      name = "b"
      max_dwt_t = 20000
      length_m = 200
      depth_m = 10
      rate_teu_per_h = 100
      mooring_h = 1
"#
        ));
    }
    for (name, port, first) in [
        ("f-direct", "F", 0),
        ("h-mainline", "H", 0),
        ("h-feeder", "H", 48),
        ("f-feeder", "F", 72),
    ] {
        text.push_str(&format!(
            r#"
[[services]]
name = "{name}"
port = "{port}"
ship_class = "box"
calls_per_week = 1
first_call_h = {first}
delay_h = {{ dist = "fixed", value = 0 }}
call_size_cv = 0
"#
        ));
    }
    text.push_str(
        r#"
[[flows]]
name = "f-import"
cargo = "container"
direction = "import"
port = "F"
volume_teu_per_yr = 52142.857142857145
service = "f-direct"
region = "Inland"
modes = { road = 1.0 }
dwell_h = { dist = "fixed", value = 24 }
hub = { port = "H", mainline = "h-mainline", feeder = "h-feeder", local_service = "f-feeder" }
"#,
    );
    text
}

#[test]
fn the_hub_feeder_policy_routes_a_flow_through_the_hub() {
    // 52,142.86 TEU a year on 365/7 weekly calls is exactly 1,000 TEU a call; 364 measured days
    // hold exactly 52 calls of each weekly service.
    // Independent: 52 direct calls at F, 52,000 TEU through F's quay and out by road; H idle.
    // Hub-feeder: the direct service does not sail. At H, 52 mainline calls discharge 52,000 TEU
    // into the yard and 52 feeder calls (two days later) load each 1,000 TEU: 104 calls and
    // 104,000 TEU of throughput (a transshipped box is handled twice). At F, 52 feeder calls
    // discharge 52,000 TEU, which leave by road as before.
    let opts = SimOptions {
        record_calls: true,
        ..SimOptions::default()
    };
    let ind_model = model_from(&hub_and_feeder("independent"));
    let hub_model = model_from(&hub_and_feeder("hub-feeder"));
    let ind = simulate(&ind_model, 2020, 0, 1, &opts).expect("run");
    let hub = simulate(&hub_model, 2020, 0, 1, &opts).expect("run");
    let service_calls = |m: &portsim::model::Model, r: &portsim::sim::RunResult, port: &str| {
        r.calls
            .iter()
            .filter(|c| m.ports[m.berths[c.berth.index()].port.index()].name == port)
            .filter(|c| c.berthed_h >= 28.0 * 24.0)
            .count()
    };
    assert_eq!(kpi(&ind, "F", "container", "ship_calls"), 52.0);
    assert_eq!(kpi(&ind, "F", "container", "throughput_teu"), 52_000.0);
    assert_eq!(kpi(&ind, "H", "ALL", "ship_calls"), 0.0);
    assert_eq!(service_calls(&ind_model, &ind, "H"), 0);

    assert_eq!(kpi(&hub, "F", "container", "ship_calls"), 52.0);
    assert_eq!(kpi(&hub, "F", "container", "throughput_teu"), 52_000.0);
    assert_eq!(kpi(&hub, "H", "container", "ship_calls"), 104.0);
    assert_eq!(kpi(&hub, "H", "container", "throughput_teu"), 104_000.0);
    assert!(
        hub.calls.iter().all(|c| c.amount == 1000),
        "every call moves 1,000 TEU"
    );
    // The hinterland leg stays at F: the same boxes leave F by road under both policies.
    let (road_ind, road_hub) = (
        kpi(&ind, "F", "container", "road_teu"),
        kpi(&hub, "F", "container", "road_teu"),
    );
    assert_eq!(road_ind, 52_000.0);
    assert_eq!(road_hub, 52_000.0);
    for row in ind.ledger.iter().chain(&hub.ledger) {
        assert!(row.balances(), "{row:?}");
    }
    // Under the integrated policy the hub route is inert.
    let int = simulate(
        &model_from(&hub_and_feeder("integrated")),
        2020,
        0,
        1,
        &opts,
    )
    .expect("run");
    assert_eq!(kpi(&int, "H", "ALL", "ship_calls"), 0.0);
}

#[test]
fn a_sweep_varies_the_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("hub.toml"), hub_and_feeder("independent")).expect("write");
    let sweep_file = dir.path().join("policies.toml");
    std::fs::write(
        &sweep_file,
        "name = \"policies\"\nscenario = \"hub.toml\"\nreplications = 1\n[[parameters]]\npath = \"policy\"\nvalues = [\"independent\", \"integrated\", \"hub-feeder\"]\n",
    )
    .expect("write");
    let sweep = portsim::experiment::load_sweep(sweep_file.to_str().expect("utf-8 path"))
        .unwrap_or_else(|e| panic!("{e}"));
    use portsim::model::Policy;
    let policies: Vec<Policy> = sweep
        .points
        .iter()
        .map(|p| sweep.model(p).expect("point").settings.policy)
        .collect();
    assert_eq!(policies, Policy::ALL.to_vec());
    // Only the hub-feeder point routes the flow through H.
    let at_hub: Vec<f64> = sweep
        .points
        .iter()
        .map(|p| {
            let m = sweep.model(p).expect("point");
            let r = simulate(&m, 2020, 0, 1, &SimOptions::default()).expect("run");
            kpi(&r, "H", "ALL", "ship_calls")
        })
        .collect();
    assert_eq!(at_hub, vec![0.0, 0.0, 104.0]);
}

#[test]
fn bad_hub_routes_are_refused() {
    let text = hub_and_feeder("hub-feeder");
    check_rejects(
        &text.replace("mainline = \"h-mainline\"", "mainline = \"h-mainlne\""),
        "unknown service `h-mainlne`; did you mean `h-mainline`?",
    );
    check_rejects(
        &text.replace("feeder = \"h-feeder\"", "feeder = \"f-direct\""),
        "service `f-direct` calls at F, not at H",
    );
    check_rejects(
        &text.replace("hub = { port = \"H\"", "hub = { port = \"F\""),
        "the hub is another port than the flow's own",
    );
    check_rejects(
        &text.replace("dwell_h = { dist = \"fixed\", value = 24 }\n", ""),
        "a hub route needs the flow's hinterland leg",
    );
    check_rejects(
        &text.replace("policy = \"hub-feeder\"", "policy = \"hub-and-spoke\""),
        "unknown policy `hub-and-spoke`",
    );
}

#[test]
fn a_call_sent_elsewhere_takes_its_cargo_through_that_ports_yard() {
    // The two-port case with a hinterland leg: calls diverted to B discharge into B's yard and
    // their cargo leaves B by road; each port's ledger balances.
    let text = two_ports("integrated", 12.0)
        .replace("[[ports]]\nname = \"A\"", "[[regions]]\nname = \"Inland\"\n\n[[ports]]\nname = \"A\"")
        .replace("    cargo = [\"coal\"]\n", "    cargo = [\"coal\"]\n    yard_capacity_t = 200000\n")
        .replace(
            "haul_cost_per_t = { A = 10, B = 12 }",
            "haul_cost_per_t = { A = 10, B = 12 }\nregion = \"Inland\"\nmodes = { road = 1.0 }\ndwell_h = { dist = \"fixed\", value = 24 }",
        );
    let model = model_from(&text);
    assert!(
        model.flows[0].alternatives[0].hinterland.is_some(),
        "B has its own yard leg"
    );
    let r = simulate(&model, 2020, 0, 4, &SimOptions::default()).expect("run");
    let (a, b) = (
        kpi(&r, "A", "coal", "road_t"),
        kpi(&r, "B", "coal", "road_t"),
    );
    assert!(a > 0.0 && b > 0.0, "road from A {a}, from B {b}");
    assert!(kpi(&r, "B", "coal", "ship_calls") > 10.0);
    assert!(kpi(&r, "B/coal", "ALL", "yard_occupancy_mean") > 0.0);
    assert_eq!(r.ledger.len(), 2);
    for row in &r.ledger {
        assert!(row.balances(), "{row:?}");
    }
}

/// One replication of every year 2020–2030 under each built-in plan scenario: each model
/// validates, simulates and balances its ledger (exact); integration never loses cargo in
/// transit between ports, and the projects add berths.
///
/// Container demand grows 1.5 %/yr on average (the China–Europe flows 10 %/yr), Dalian's and
/// Yingkou's after following the record to 2023: exact in the models. The simulated TEU of
/// 2030 over 2020 must match the replication's own demand ratio (its drawn container rate)
/// within 1.5 %: one replication's ratio deviated from the demand ratio by −0.01 % ± 0.21 %
/// (mean ± sd over 40 seeds, before the draws; at most 0.49 %), so 1.5 % is 7 standard
/// deviations: false-alarm rate < 10⁻¹⁰ for the four scenarios (normal tails). Transshipment counted at two ports weights the flows differently from the
/// demand ratio, by < 0.03 %. Measured (`scripts/seed-sweep`): 40 of 40 seeds pass.
#[test]
fn the_plan_scenarios_run_every_year_to_2030_and_conserve_cargo() {
    let seed = crate::util::test_seed(11);
    for name in [
        "plan-2030-independent",
        "plan-2030-integrated",
        "plan-2030-integrated-projects",
        "plan-2030-hub-feeder",
    ] {
        let (scenario, _) = portsim::scenario::load(name).unwrap_or_else(|e| panic!("{e}"));
        // Exact: every container flow grows 1.5 %/yr (the mean of its drawn rate), the three
        // China–Europe flows 10 %/yr; Dalian's and Yingkou's follow the record to 2023 first.
        let (mut base, mut grown) = (0.0, 0.0);
        for f in scenario.flows.iter().filter(|f| f.cargo.is_container()) {
            let rate = if f.name.ends_with("-box-europe") || f.name.ends_with("-box-europe-return")
            {
                0.10
            } else {
                0.015
            };
            let expected = match f.path.map(|p| &scenario.demand_paths[p]) {
                Some(p) => {
                    let (m, last) = p.last(None).expect("a year");
                    m * (1.0f64 + rate).powi(2030 - i32::from(last))
                }
                None => (1.0f64 + rate).powi(10),
            };
            let g = scenario.growth_factor(f, 2030);
            assert!(
                (g - expected).abs() < 1e-12,
                "{name}: {} grows ×{g} by 2030, not ×{expected}",
                f.name
            );
            base += f.volume_per_yr;
            grown += f.volume_per_yr * g;
        }
        assert!(
            grown / base > 1.0,
            "{name}: container demand passes 2020 by 2030 on average"
        );
        // Replication 0's own future: its drawn container rate, the same in every year.
        let drawn = scenario.growth_factors(2030, portsim::engine::replication_seed(seed, 0));
        let (mut base, mut grown) = (0.0, 0.0);
        for (f, g) in scenario.flows.iter().zip(&drawn) {
            if f.cargo.is_container() {
                base += f.volume_per_yr;
                grown += f.volume_per_yr * g;
            }
        }
        let demand_ratio = grown / base;
        let mut teu = Vec::new();
        for year in 2020..=2030 {
            let model = portsim::scenario::model_for_year(&scenario, year)
                .unwrap_or_else(|e| panic!("{name} {year}: {e}"));
            let r = simulate(&model, year, 0, seed, &SimOptions::default())
                .unwrap_or_else(|e| panic!("{name} {year}: {e}"));
            for row in &r.ledger {
                assert!(row.balances(), "{name} {year}: {row:?}");
            }
            teu.push(kpi(&r, "ALL", "ALL", "throughput_teu"));
        }
        let ratio = teu[10] / teu[0];
        eprintln!("{name}: TEU 2030 / 2020 {ratio:.5}, demand {demand_ratio:.5}");
        assert!(
            (ratio / demand_ratio - 1.0).abs() < 0.015,
            "{name}: TEU 2030 / 2020 = {ratio:.4}, demand grew ×{demand_ratio:.4}: {teu:?}"
        );
    }
    let (integrated, _) = portsim::scenario::load("plan-2030-integrated").expect("built-in");
    let (projects, _) = portsim::scenario::load("plan-2030-integrated-projects").expect("built-in");
    let berths = |s, y| {
        portsim::scenario::model_for_year(s, y)
            .expect("year")
            .berths
            .len()
    };
    assert_eq!(berths(&integrated, 2030), berths(&projects, 2020));
    assert!(berths(&projects, 2030) > berths(&integrated, 2030));
}

#[test]
fn the_plan_sweep_crosses_growth_policy_and_projects() {
    let sweep = portsim::experiment::load_sweep(
        "scenarios/sweeps/plan-2030-growth-x-policy-x-projects.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sweep.points.len(), 12);
    let container_growth = |p: &portsim::experiment::Point| {
        let m = &sweep.model(p).expect("point");
        let f = m
            .flows
            .iter()
            .find(|f| f.name == "dalian-box-mainline-in-north")
            .expect("flow");
        m.growth_factor(f, 2030)
    };
    let berths = |p: &portsim::experiment::Point| {
        portsim::scenario::model_for_year(&sweep.model(p).expect("point"), 2030)
            .expect("2030")
            .berths
            .len()
    };
    // First parameter slowest: points 0–3 low growth, 4–7 central, 8–11 high. Dalian's boxes
    // follow the record to 2023 and a drawn 2024 (mean 5.3 M TEU against 5.11 M in 2020),
    // then the point's rate.
    let (low, central, high) = (&sweep.points[0], &sweep.points[4], &sweep.points[8]);
    let path = 5.3 / 5.11;
    assert!((container_growth(central) - path * 1.015f64.powi(6)).abs() < 1e-12);
    assert!((container_growth(low) - path * 1.005f64.powi(6)).abs() < 1e-12);
    assert!((container_growth(high) - path * 1.025f64.powi(6)).abs() < 1e-12);
    use portsim::model::Policy;
    assert_eq!(
        sweep
            .model(&sweep.points[0])
            .expect("point")
            .settings
            .policy,
        Policy::Independent
    );
    assert_eq!(
        sweep
            .model(&sweep.points[2])
            .expect("point")
            .settings
            .policy,
        Policy::Integrated
    );
    assert!(berths(&sweep.points[1]) > berths(&sweep.points[0]));
    assert_eq!(berths(&sweep.points[2]), berths(&sweep.points[0]));
}

#[test]
fn the_one_project_at_a_time_sweep_adds_each_plan_project_alone() {
    let sweep =
        portsim::experiment::load_sweep("scenarios/sweeps/plan-2030-one-project-at-a-time.toml")
            .unwrap_or_else(|e| panic!("{e}"));
    let (all, _) = portsim::scenario::load("plan-2030-integrated-projects").expect("built-in");
    // The bare base, then every project of the all-projects scenario but the base's own.
    let names = &all.projects.as_ref().expect("projects").included;
    assert_eq!(sweep.points.len(), names.len());
    for (point, (name, _)) in sweep.points.iter().skip(1).zip(names.iter().skip(1)) {
        let model = sweep.model(point).expect("point");
        let included = &model.projects.as_ref().expect("projects").included;
        assert_eq!(included.len(), 2);
        assert_eq!(&included[1].0, name);
    }
}

/// A rail path covers its own ports' legs: under integrated operation a call sent from A to B
/// takes B's leg as calibrated, whatever the path does at A. `two_ports` with the coal going
/// inland 30 % by rail from either port (hourly trains of 100,000 t: no backlog ever moves a
/// choice) and a path that puts A's coal at 60 % rail in 2024.
#[test]
fn a_rail_path_shifts_its_own_ports_legs_only() {
    let mut text = two_ports("integrated", 10.0);
    for port in ["A", "B"] {
        text = text.replace(
            &format!("name = \"{port}\"\n  [[ports.areas]]"),
            &format!("name = \"{port}\"\nrail_loading_tracks = 4\n  [[ports.areas]]"),
        );
    }
    text.push_str(
        r#"region = "R"
modes = { rail = 0.3, road = 0.7 }
dwell_h = { dist = "fixed", value = 24 }
[mode_choice]
theta_per_cny = { teu = 0.002, t = 0.05 }
value_of_time = { teu = 50, t = 1 }
road_speed_kmh = 50
rail = { teu_fixed = 200, teu_per_km = 1.0, t_fixed = 10, t_per_km = 0.14 }
road = { teu_fixed = 0, teu_per_km = 6.0, t_fixed = 0, t_per_km = 0.45 }
[[regions]]
name = "R"
road_km = { A = 200, B = 300 }
"#,
    );
    for port in ["A", "B"] {
        text.push_str(&format!(
            r#"[[corridors]]
name = "rail-{port}"
port = "{port}"
region = "R"
cargo = ["coal"]
train_capacity_t = 100000
distance_km = 250
loading_h = 1
transit_h = 10
departure = "timetable"
every_h = 1
"#
        ));
    }
    let path = "[[rail_paths]]\nports = [\"A\"]\ncargo = \"coal\"\nvalues = { 2024 = 4200000 }\nsource = \"test\"\n";
    let run = |text: &str| {
        let model = model_from(text);
        let y = portsim::scenario::model_for_year(&model, 2024).expect("year");
        simulate(&y, 2024, 0, 1, &SimOptions::default()).expect("run")
    };
    let (plain, shifted) = (run(&text), run(&format!("{text}{path}")));
    let share = |r: &portsim::sim::RunResult, port: &str| kpi(r, port, "coal", "rail_share");
    // Calls do go to B (0.90–1.31 Mt in the 120 days over replications 0–39; half the mean
    // is a floor far below any of them, so the check holds whatever the seed), and A's coal
    // goes by rail at the path's 60 %.
    assert!(kpi(&plain, "B", "coal", "throughput_t") > 5e5);
    assert!(
        (share(&shifted, "A") - 0.6).abs() < 0.01,
        "{}",
        share(&shifted, "A")
    );
    assert!(
        (share(&plain, "A") - 0.3).abs() < 0.01,
        "{}",
        share(&plain, "A")
    );
    // B's leg is untouched: the same calls, the same shares to the last tonne.
    assert_eq!(
        kpi(&shifted, "B", "coal", "rail_t"),
        kpi(&plain, "B", "coal", "rail_t")
    );
    assert_eq!(share(&shifted, "B"), share(&plain, "B"));
}
