//! `[run]`, `[units]`, the scenario's name and its operating policy.

use super::checker::{Checker, span, suggest};
use super::limits;
use crate::model::{Policy, Settings};
use crate::scenario::raw::RawScenario;

/// The run settings and unit conversions; also returns TEU per crane move, which only the
/// berths need.
pub(super) fn settings(c: &mut Checker, raw: &RawScenario) -> (Settings, f64) {
    let r = &raw.run;
    let base_year = match &r.base_year {
        Some(y) => c.integer(
            y,
            "run.base_year",
            (1900, 2200),
            "a year from 1900 to 2200",
            2020,
        ),
        None => 2020,
    } as u16;
    let years = match &r.years {
        Some(ys) => {
            let mut out = Vec::new();
            if ys.get_ref().is_empty() {
                c.err(span(ys), "run.years", "expected at least one design year");
            }
            for &y in ys.get_ref() {
                if y < i64::from(base_year) || y > 2200 {
                    c.err(
                        span(ys),
                        "run.years",
                        format!(
                            "expected design years from the base year {base_year} to 2200, found {y}"
                        ),
                    );
                } else if out.contains(&(y as u16)) {
                    // Run twice, each replication would count twice in the year's summary.
                    c.err(
                        span(ys),
                        "run.years",
                        format!("design year {y} is given twice"),
                    );
                } else {
                    out.push(y as u16);
                }
            }
            out
        }
        None => vec![base_year],
    };
    let warmup_days = c.opt_number(
        &r.warmup_days,
        "run.warmup_days",
        "a warm-up in days",
        limits::HORIZON_DAYS,
        30.0,
    );
    let measured_days = c.opt_number(
        &r.measured_days,
        "run.measured_days",
        "a measured period in days",
        limits::MEASURED_DAYS,
        365.0,
    );
    let replications = match &r.replications {
        Some(n) => c.integer(
            n,
            "run.replications",
            (1, 100_000),
            "1 to 100000 replications",
            1,
        ),
        None => 10,
    } as u32;
    let seed = match &r.seed {
        Some(s) if *s.get_ref() >= 0 => *s.get_ref() as u64,
        Some(s) => {
            c.err(
                span(s),
                "run.seed",
                format!("expected a seed >= 0, found {}", s.get_ref()),
            );
            0
        }
        None => 20_200_101,
    };
    let t_per_teu = c.opt_number(
        &raw.units.t_per_teu,
        "units.t_per_teu",
        "tonnes per TEU",
        limits::T_PER_TEU,
        10.0,
    );
    let teu_per_move = c.opt_number(
        &raw.units.teu_per_move,
        "units.teu_per_move",
        "TEU per crane move",
        limits::TEU_PER_MOVE,
        1.5,
    );
    let settings = Settings {
        base_year,
        years,
        warmup_days,
        measured_days,
        replications,
        seed,
        t_per_teu,
        demand_multiplier: 1.0,
        demand_quantile: None,
        policy: policy(c, raw),
    };
    (settings, teu_per_move)
}

/// The operating policy (default: independent).
fn policy(c: &mut Checker, raw: &RawScenario) -> Policy {
    let Some(p) = &raw.policy else {
        return Policy::Independent;
    };
    match Policy::ALL.into_iter().find(|x| x.name() == p.get_ref()) {
        Some(policy) => policy,
        None => {
            let other = p.get_ref();
            let hint = suggest(other, Policy::ALL.map(Policy::name));
            c.err(span(p), "policy", format!("unknown policy `{other}`{hint}"));
            Policy::Independent
        }
    }
}

/// The scenario's name: as given (checked), or the file's.
pub(super) fn name(c: &mut Checker, raw: &RawScenario, default_name: &str) -> String {
    let Some(n) = &raw.name else {
        return default_name.to_string();
    };
    let ok = !n.get_ref().is_empty()
        && n.get_ref()
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
    if !ok {
        c.err(
            span(n),
            "name",
            format!(
                "expected a scenario name of letters, digits, `-`, `_` or `.`, found `{}`",
                n.get_ref()
            ),
        );
    }
    n.get_ref().clone()
}
