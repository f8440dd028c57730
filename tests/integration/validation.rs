//! The engine against queueing theory: M/M/c waiting times (Erlang C), utilisation and
//! Little's law, for every validation scenario, within the 95 % interval of 20 replications.

use portsim::model::{Arrivals, Dist, Model};
use portsim::stats::Estimate;
use portsim::theory::mmc;

use crate::util::{load, per_rep, run};

const SCENARIOS: [&str; 12] = [
    "mm1-rho50",
    "mm1-rho70",
    "mm1-rho90",
    "mm2-rho50",
    "mm2-rho70",
    "mm2-rho90",
    "mm4-rho50",
    "mm4-rho80",
    "mm4-rho90",
    "mm8-rho50",
    "mm8-rho70",
    "mm8-rho90",
];

/// λ (per hour) and c of a validation model, read from the model itself.
fn lambda_and_servers(model: &Model) -> (f64, u32) {
    let flow = &model.flows[0];
    let Arrivals::Tramp { ships, .. } = &flow.arrivals else {
        panic!("tramp flow expected")
    };
    let parcel = model.ship_classes[ships[0].0.index()].parcel.mean();
    (
        flow.volume_per_yr / parcel / 8760.0,
        model.berths.len() as u32,
    )
}

struct Checks {
    wait: Estimate,
    utilisation: Estimate,
    queue: Estimate,
    little_gap: Estimate,
    wait_prob: Estimate,
}

fn simulate(model: &Model) -> Checks {
    let runs = run(model, 20, 1);
    let wait = per_rep(&runs, "ALL", "ALL", "wait_h_mean");
    let occ = per_rep(&runs, "ALL", "ALL", "berth_occupancy");
    let queue = per_rep(&runs, "ALL", "ALL", "ships_waiting_mean");
    let arrived = per_rep(&runs, "ALL", "ALL", "arrived_t");
    // Little's law per replication: L_q − λ̂ W_q, with λ̂ the observed arrival rate.
    let gap: Vec<f64> = (0..wait.len())
        .map(|i| queue[i] - arrived[i] / 1000.0 / 8760.0 * wait[i])
        .collect();
    Checks {
        wait: Estimate::from_values(&wait),
        utilisation: Estimate::from_values(&occ),
        queue: Estimate::from_values(&queue),
        little_gap: Estimate::from_values(&gap),
        wait_prob: Estimate::from_values(&per_rep(&runs, "ALL", "ALL", "wait_prob")),
    }
}

#[test]
fn mmc_models_reproduce_erlang_c() {
    let mut failures = Vec::new();
    for name in SCENARIOS {
        let model = load(name);
        let (lambda, c) = lambda_and_servers(&model);
        let theory = mmc(c, lambda, 1.0);
        let s = simulate(&model);
        eprintln!(
            "{name}: Wq theory {:.4} sim {:.4} [{:.4}, {:.4}]; rho {:.4} sim {:.4} ±{:.4}; Lq {:.4} sim {:.4}; Little gap {:.5} ±{:.5}",
            theory.mean_wait,
            s.wait.mean,
            s.wait.ci95_low,
            s.wait.ci95_high,
            theory.utilisation,
            s.utilisation.mean,
            s.utilisation.half_width(),
            theory.mean_queue,
            s.queue.mean,
            s.little_gap.mean,
            s.little_gap.half_width()
        );
        if !s.wait.contains(theory.mean_wait) {
            failures.push(format!(
                "{name}: mean wait {:?} excludes {}",
                s.wait, theory.mean_wait
            ));
        }
        if !s.utilisation.contains(theory.utilisation) {
            failures.push(format!(
                "{name}: utilisation {:?} excludes {}",
                s.utilisation, theory.utilisation
            ));
        }
        // The probability of waiting at all is Erlang C itself.
        let c_prob = portsim::theory::erlang_c(c, lambda);
        if !s.wait_prob.contains(c_prob) {
            failures.push(format!(
                "{name}: P(wait > 0) {:?} excludes Erlang C {c_prob}",
                s.wait_prob
            ));
        }
        if !s.queue.contains(theory.mean_queue) {
            failures.push(format!(
                "{name}: queue length {:?} excludes {}",
                s.queue, theory.mean_queue
            ));
        }
        // Little's law holds exactly in the limit; over a finite window the boundary terms
        // (ships waiting at its ends) are tiny, so the gap's interval must cover zero.
        if !s.little_gap.contains(0.0)
            && s.little_gap.mean.abs() > 1e-3 * theory.mean_queue.max(1e-3)
        {
            failures.push(format!("{name}: Little's law gap {:?}", s.little_gap));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same check has power: serve 5 % slower than the theory assumes and the intervals must
/// exclude the (now wrong) theoretical values.
#[test]
fn a_wrong_service_rate_is_detected() {
    for name in ["mm1-rho70", "mm2-rho90", "mm4-rho80", "mm8-rho90"] {
        let mut model = load(name);
        let (lambda, c) = lambda_and_servers(&model);
        model.flows[0].service_h = Some(Dist::Exponential { mean: 1.05 });
        let theory = mmc(c, lambda, 1.0);
        let s = simulate(&model);
        assert!(
            !s.wait.contains(theory.mean_wait),
            "{name}: a 5 % slower service went unnoticed: {:?} contains {}",
            s.wait,
            theory.mean_wait
        );
        assert!(
            !s.utilisation.contains(theory.utilisation),
            "{name}: utilisation {:?}",
            s.utilisation
        );
    }
}
