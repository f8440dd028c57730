//! Common random numbers across design years: the seed of a replication does not depend on
//! the year, so two years that differ in nothing give the same results, and a trajectory's
//! year-to-year change is paired.

use crate::util::{load, test_seed};
use portsim::sim::{RunResult, SimOptions, simulate};

fn year(model: &portsim::model::Model, y: u16, rep: u32, seed: u64) -> RunResult {
    let m = portsim::scenario::model_for_year(model, y).unwrap_or_else(|e| panic!("{e}"));
    simulate(&m, y, rep, seed, &SimOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn kpi(r: &RunResult, port: &str, cargo: &str, metric: &str) -> f64 {
    crate::util::kpi(r, port, cargo, metric)
}

/// Exact, for any seed: the baseline has no growth and no projects, so 2020 and 2021 are the
/// same model; each replication gives the same KPIs, value for value.
#[test]
fn two_design_years_with_nothing_changed_give_identical_results() {
    let model = load("liaoning-2020");
    let seed = test_seed(model.settings.seed);
    for rep in 0..2 {
        let (a, b) = (year(&model, 2020, rep, seed), year(&model, 2021, rep, seed));
        assert_eq!(a.kpis.len(), b.kpis.len());
        for (x, y) in a.kpis.iter().zip(&b.kpis) {
            assert_eq!((&x.port, &x.cargo, x.metric), (&y.port, &y.cargo, y.metric));
            assert!(
                x.value == y.value || (x.value.is_nan() && y.value.is_nan()),
                "rep {rep}: {} {} {}: {} in 2020, {} in 2021",
                x.port,
                x.cargo,
                x.metric,
                x.value,
                y.value
            );
        }
    }
}

/// A trajectory is paired: between 2029 and 2030 of `plan-2030-integrated` (demand +1.5 %/yr
/// for boxes, nothing in service changing), the replication-by-replication change in the
/// cluster's throughput and mean wait varies far less with common random numbers than with
/// independent draws per year (as when the year entered the seed, emulated here by a master
/// seed per year). 20 replications; the variance ratio must pass a one-sided F test at
/// α = 0.05 (F(19, 19) critical value 2.17). Measured on the default seed: ≈ 160 for
/// throughput and ≈ 12 for the wait. With a true ratio of 12, the estimate falls below 2.17
/// with probability P(F(19, 19) < 0.18) ≈ 3 × 10⁻⁴, and far less for throughput: that is the
/// chance this test fails although the years are paired.
#[test]
fn a_trajectory_is_paired_year_to_year() {
    let model = load("plan-2030-integrated");
    let seed = test_seed(model.settings.seed);
    let other = seed ^ 0x9e37_79b9_7f4a_7c15;
    let metrics = [("throughput_t", 2.17), ("wait_h_mean", 2.17)];
    let mut paired = vec![Vec::new(); metrics.len()];
    let mut independent = vec![Vec::new(); metrics.len()];
    for rep in 0..20 {
        let a = year(&model, 2029, rep, seed);
        let b = year(&model, 2030, rep, seed);
        let c = year(&model, 2030, rep, other);
        for (i, (m, _)) in metrics.iter().enumerate() {
            let base = kpi(&a, "ALL", "ALL", m);
            paired[i].push(kpi(&b, "ALL", "ALL", m) - base);
            independent[i].push(kpi(&c, "ALL", "ALL", m) - base);
        }
    }
    let var = |v: &[f64]| portsim::stats::Estimate::from_values(v).sd.powi(2);
    for (i, (m, critical)) in metrics.iter().enumerate() {
        let ratio = var(&independent[i]) / var(&paired[i]);
        eprintln!("{m}: variance of the 2029 → 2030 change, independent / paired = {ratio:.1}");
        assert!(
            ratio > *critical,
            "{m}: common random numbers cut the variance of the year-to-year change only {ratio:.2}×"
        );
    }
}
