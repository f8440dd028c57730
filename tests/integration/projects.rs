//! `portsim projects`: a project's needed year — the first design year in which the scenario
//! without it breaks a planning limit that the scenario with it meets — against Erlang C.

use crate::util::model_from;
use portsim::experiment::{ProjectsOptions, project_needs};

/// M/M/2 (service exponential, mean 1 h) with λ = 0.8 calls/h in 2020 growing `growth` a
/// year, a waiting-ratio limit of 0.3, and two projects in service from 2021: a third berth,
/// and one that changes nothing the runs use (the berths' nominal rate, unused when the flow
/// gives its service time).
fn scenario(growth: f64) -> String {
    let text = portsim::scenario::builtin::get("mm2-rho50")
        .expect("built-in")
        .toml
        .replace(
            "calls_per_h = 1 ",
            &format!("calls_per_h = 0.8\ngrowth_per_yr = {growth} "),
        );
    format!(
        r#"projects = ["third-berth", "paint"]
{text}
[planning]
wait_ratio_max = {{ other_dry_bulk = 0.3 }}

[[project]]
name = "third-berth"
in_service_year = 2021
  [[project.set]]
  path = "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].count"
  value = 3

[[project]]
name = "paint"
in_service_year = 2021
  [[project.set]]
  path = "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h"
  value = 2000
"#
    )
}

#[test]
fn a_berth_is_needed_the_year_erlang_c_says_two_are_too_few() {
    let growth = 0.10;
    let model = model_from(&scenario(growth));
    let years: Vec<u16> = (2021..=2027).collect();
    // Erlang C: the first year in which two berths wait more than 0.3 of service (W_q / 1 h);
    // three stay within it over these years.
    let ratio = |c: u32, y: u16| {
        let lambda = 0.8 * (1.0 + growth).powi(i32::from(y - 2020));
        portsim::theory::mmc(c, lambda, 1.0).mean_wait
    };
    let exact = years
        .iter()
        .copied()
        .find(|&y| ratio(2, y) > 0.3)
        .expect("a year");
    assert!(years.iter().all(|&y| ratio(3, y) <= 0.3));
    let options = ProjectsOptions {
        years,
        replications: 10,
        seed: crate::util::test_seed(7),
        threads: None,
        max_events: portsim::sim::DEFAULT_MAX_EVENTS,
    };
    let needs = project_needs(&model, &options, &|_, _| {}).expect("runs");
    let berth = needs
        .iter()
        .find(|n| n.project == "third-berth")
        .expect("judged");
    eprintln!("Erlang C: {exact}; judged {berth:?}");
    let year = berth.needed_year.expect("needed");
    let (low, high) = (
        berth.needed_year_low.expect("low"),
        berth.needed_year_high.unwrap_or(u16::MAX),
    );
    assert!(low <= year && year <= high, "{low} ≤ {year} ≤ {high}");
    // The mean's year is Erlang C's, or one off where the interval straddles it.
    assert!(
        year == exact || (low <= exact && exact <= high && year.abs_diff(exact) <= 1),
        "needed {year} [{low}, {high}] against Erlang C's {exact}"
    );
    let binding = berth.binding.as_ref().expect("binding");
    assert_eq!(binding.metric, "wait_ratio");
    assert_eq!(binding.max, 0.3);
    // A project that changes nothing is not needed.
    let paint = needs.iter().find(|n| n.project == "paint").expect("judged");
    assert_eq!(
        (
            paint.needed_year,
            paint.needed_year_low,
            paint.needed_year_high
        ),
        (None, None, None)
    );
}
