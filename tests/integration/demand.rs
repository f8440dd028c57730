//! Demand as it went and as it may go: paths through the record, growth drawn per
//! replication, goals within a tolerance — and their bad input.

use crate::util::{check_rejects, fixture, load, run_years, test_seed};

/// The plan scenarios follow the 2021–2023 record: each `within` target of a year up to 2023
/// (Dalian and Yingkou boxes 2021–2023, Dalian's 2022 tonnage) holds on the mean, within its
/// 5 % tolerance. Run without integration (`plan-2030-independent`), where no call moves
/// between ports. The closest case is Dalian's 2022 tonnage: 308 Mt against 306.1 ± 15.3 Mt,
/// the mean of 5 replications varying by ≈ 2.8 Mt — a miss would take ≈ 4.6 standard
/// deviations (false-alarm rate ≈ 10⁻⁵); the box figures are closer still.
#[test]
fn the_plan_scenarios_follow_the_record_2021_to_2023() {
    let model = load("plan-2030-independent");
    let seed = test_seed(model.settings.seed);
    let runs = run_years(&model, &[2021, 2022, 2023], 5, seed);
    let rows = portsim::results::summarise(&runs);
    let targets = portsim::report::targets::evaluate(&model, &rows, &[&runs]);
    let record: Vec<_> = targets.iter().filter(|t| t.year <= 2023).collect();
    assert_eq!(record.len(), 7, "the record's targets");
    for t in record {
        eprintln!(
            "{} {} {}: {} vs {}",
            t.year, t.port, t.metric, t.mean, t.target
        );
        assert_eq!(t.met, "yes", "{t:?}");
        assert!(
            matches!(t.bound, portsim::model::Bound::Within { tolerance } if tolerance == 0.05)
        );
    }
}

/// Drawn growth: each replication draws its container rate once (the same in every design
/// year), so the replications spread, and the 2030 demand multiple of each lies inside the
/// triangle's range (−1 % … +4 % a year from 2023).
#[test]
fn uncertain_growth_is_drawn_once_per_replication() {
    let model = load("plan-2030-independent");
    let y2030 = portsim::scenario::model_for_year(&model, 2030).expect("2030");
    let flow = y2030
        .flows
        .iter()
        .position(|f| f.name == "yingkou-box-domestic-in-liaoning")
        .expect("a Yingkou container flow");
    let f = &y2030.flows[flow];
    let path_2023 = 5.26 / 5.65;
    let mut seen = Vec::new();
    for rep in 0..20 {
        let seed = portsim::engine::replication_seed(test_seed(1), rep);
        let g = y2030.growth_factors(2030, seed)[flow];
        // The same draw in another year: 2025's multiple is 2030's at the same rate.
        let g25 = model.growth_factors(2025, seed)[flow];
        let rate = (g / path_2023).powf(1.0 / 7.0) - 1.0;
        assert!(
            (g25 - path_2023 * (1.0 + rate).powi(2)).abs() < 1e-9,
            "{g25} vs rate {rate}"
        );
        assert!((-0.01..=0.04).contains(&rate), "drawn rate {rate}");
        seen.push(g);
    }
    seen.sort_by(f64::total_cmp);
    seen.dedup();
    assert_eq!(seen.len(), 20, "every replication draws its own future");
    // Its mean rate stands in where a single figure is needed (budgets, the size check).
    assert!((f.growth_per_yr - (-0.01 + 0.015 + 0.04) / 3.0).abs() < 1e-12);
}

fn small_port(extra: &str) -> String {
    std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture") + extra
}

#[test]
fn bad_paths_draws_and_goals_are_refused_with_their_place() {
    let path = |values: &str| {
        small_port(&format!(
            "\n[[demand_paths]]\nports = [\"Harbour\"]\ncargo = \"ALL\"\nbase = 1e6\nvalues = {values}\nsource = \"test\"\n"
        ))
    };
    check_rejects(&path("{ 2021 = 1e6, 2023 = 1e6 }"), "no figure for 2022");
    check_rejects(
        &path("{ 2019 = 1e6 }"),
        "a path gives years after the base year",
    );
    check_rejects(&path("{ 2021 = -5 }"), "demand_paths[0].values.2021");
    check_rejects(
        &small_port(
            "\n[growth]\nuncertain_per_yr = { coal = { dist = \"normal\", mean = 0.01, sd = 0.5 } }\n",
        ),
        "can draw below -1 (-100 %",
    );
    check_rejects(
        &small_port(
            "\n[growth]\nuncertain_per_yr = { coal = { dist = \"uniform\", min = -1.5, max = 0.1 } }\n",
        ),
        "every draw must lie above -1",
    );
    check_rejects(
        &small_port(
            "\n[growth]\nrates_per_yr = { coal = 0.01 }\nuncertain_per_yr = { coal = { dist = \"uniform\", min = 0, max = 0.1 } }\n",
        ),
        "not both",
    );
    let goal = |bound: &str| {
        small_port(&format!(
            "\n[[targets]]\nyear = 2020\nport = \"ALL\"\ncargo = \"ALL\"\nmetric = \"throughput_t\"\n{bound}\nvalue = 1e6\nsource = \"test\"\n"
        ))
    };
    check_rejects(
        &goal("bound = \"within\""),
        "a `within` goal needs a `tolerance`",
    );
    check_rejects(
        &goal("bound = \"within\"\ntolerance = 0"),
        "targets[0].tolerance",
    );
    check_rejects(
        &goal("bound = \"at_least\"\ntolerance = 0.1"),
        "`tolerance` belongs to a `within` goal",
    );
}
