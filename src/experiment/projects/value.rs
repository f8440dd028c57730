//! What a project is worth: its benefit by design year (the cluster's costs without it less
//! with it), and its net present value and benefit–cost ratio over its life.

use super::{PerRep, ProjectNeed};
use crate::model::{Economics, ProjectCost};
use serde::{Deserialize, Serialize};

/// A project's benefit in one design year, by what it saves, CNY: the cluster's costs without
/// it less with it (negative where it costs more).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Benefit {
    /// The design year.
    pub year: u16,
    /// Ship time: waiting and blocked hours at each class's time cost (`wait_cost_cny`).
    pub ship_time_cny: f64,
    /// Cargo time aboard waiting ships (`delay_cargo_t_h` × its value).
    pub cargo_time_cny: f64,
    /// The hinterland's generalised cost where modes are chosen (`land_cost_cny`): tariffs,
    /// transit and rail waits at the value of time, diversions to road.
    pub land_cny: f64,
    /// Send-out not made by tanks (`send_out_short_t` × its cost).
    pub send_out_cny: f64,
    /// CO₂ at berth (`co2_t` × its price).
    pub co2_cny: f64,
    /// The sum.
    pub total_cny: f64,
}

impl Benefit {
    /// A benefit for `year` whose every part (and total) is `part` of that part's getter —
    /// a mean over replications, a present value.
    fn by_part(year: u16, part: impl Fn(fn(&Benefit) -> f64) -> f64) -> Benefit {
        Benefit {
            year,
            ship_time_cny: part(|b| b.ship_time_cny),
            cargo_time_cny: part(|b| b.cargo_time_cny),
            land_cny: part(|b| b.land_cny),
            send_out_cny: part(|b| b.send_out_cny),
            co2_cny: part(|b| b.co2_cny),
            total_cny: part(|b| b.total_cny),
        }
    }
}

/// The cluster-wide metrics a benefit is made of (besides the tanks' `send_out_short_t`).
pub(super) const BENEFIT_METRICS: [&str; 4] =
    ["wait_cost_cny", "delay_cargo_t_h", "land_cost_cny", "co2_t"];

/// Each replication's benefit of a project by design year, by what it saves (see [`Benefit`]):
/// with and without it are paired replication by replication (the same seeds). The runs'
/// totals cover `measured_days`; a benefit is a year's, so they are scaled to 365 days.
pub(super) fn benefits(
    e: &Economics,
    years: &[u16],
    (with, without): (&PerRep, &PerRep),
    measured_days: f64,
) -> Vec<Vec<Benefit>> {
    let per_year = 365.0 / measured_days;
    let n = with
        .values()
        .chain(without.values())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    // The cluster's row, or — for the tanks' send-out missed, reported by port and cargo
    // only — the sum of the port-and-cargo rows. A row a variant lacks counts 0.
    let at = |m: &PerRep, y: u16, metric: &str, i: usize| -> f64 {
        let value = |v: &Vec<f64>| v.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0);
        match m.get(&(y, "ALL".into(), "ALL".into(), metric.into())) {
            Some(v) => value(v),
            None => m
                .iter()
                .filter(|((ky, port, cargo, km), _)| {
                    *ky == y
                        && km == metric
                        && port != "ALL"
                        && !port.contains('/')
                        && cargo != "ALL"
                })
                .map(|(_, v)| value(v))
                .sum(),
        }
    };
    (0..n)
        .map(|i| {
            years
                .iter()
                .map(|&y| {
                    let d = |metric: &str| {
                        per_year * (at(without, y, metric, i) - at(with, y, metric, i))
                    };
                    let mut b = Benefit {
                        year: y,
                        ship_time_cny: d("wait_cost_cny"),
                        cargo_time_cny: e.cargo_value_per_t_h * d("delay_cargo_t_h"),
                        land_cny: d("land_cost_cny"),
                        send_out_cny: e.unserved_send_out_per_t * d("send_out_short_t"),
                        co2_cny: e.co2_per_t * d("co2_t"),
                        total_cny: 0.0,
                    };
                    b.total_cny = b.ship_time_cny
                        + b.cargo_time_cny
                        + b.land_cny
                        + b.send_out_cny
                        + b.co2_cny;
                    b
                })
                .collect()
        })
        .collect()
}

/// The mean over replications of their benefits, year by year and part by part.
fn mean_benefits(by_rep: &[Vec<Benefit>]) -> Vec<Benefit> {
    let Some(first) = by_rep.first() else {
        return Vec::new();
    };
    let n = by_rep.len() as f64;
    (0..first.len())
        .map(|t| {
            Benefit::by_part(first[t].year, |f| {
                by_rep.iter().map(|r| f(&r[t])).sum::<f64>() / n
            })
        })
        .collect()
}

/// The benefit in year `y` from the design years' figures: linear between them, the first's
/// before the first, the last's after the last (a stated assumption: no growth beyond the
/// horizon).
pub fn benefit_in(by_year: &[(u16, f64)], y: u16) -> f64 {
    let (Some(first), Some(last)) = (by_year.first(), by_year.last()) else {
        return 0.0;
    };
    if y <= first.0 {
        return first.1;
    }
    if y >= last.0 {
        return last.1;
    }
    for w in by_year.windows(2) {
        let ((y0, b0), (y1, b1)) = (w[0], w[1]);
        if (y0..=y1).contains(&y) {
            return b0 + (b1 - b0) * f64::from(y - y0) / f64::from(y1 - y0);
        }
    }
    last.1
}

/// Net present value and benefit–cost ratio of a project in service from `from`: the capital
/// cost at the start of that year, then each year `t` of its life (0 … life − 1) its benefit
/// less its operating cost at the year's end, discounted by (1 + r)^(t + 1) — the year-end
/// convention of China's appraisal method (建设项目经济评价方法与参数) and of the EU's
/// cost–benefit guide.
///
/// ```
/// use portsim::experiment::value;
/// use portsim::model::ProjectCost;
/// // 100 a year for 2 years, nothing to run, 150 to build, at 10 %: 100/1.1 + 100/1.1² − 150.
/// let cost = ProjectCost { capex: 150.0, opex_per_yr: 0.0, life_yr: 2 };
/// let (npv, bcr) = value(&|_| 100.0, 2025, &cost, 0.10);
/// let pv = 100.0 / 1.1 + 100.0 / 1.21;
/// assert!((npv - (pv - 150.0)).abs() < 1e-9);
/// assert!((bcr - pv / 150.0).abs() < 1e-12);
/// ```
pub fn value(benefit: &dyn Fn(u16) -> f64, from: u16, cost: &ProjectCost, rate: f64) -> (f64, f64) {
    let (mut pv_benefit, mut pv_opex) = (0.0, 0.0);
    for t in 0..cost.life_yr {
        let f = (1.0 + rate).powi(t as i32 + 1);
        let y = from.saturating_add(t as u16);
        pv_benefit += benefit(y) / f;
        pv_opex += cost.opex_per_yr / f;
    }
    let cost_pv = cost.capex + pv_opex;
    let bcr = if cost_pv > 0.0 {
        pv_benefit / cost_pv
    } else {
        f64::NAN
    };
    (pv_benefit - cost_pv, bcr)
}

/// The first-year rate of return of a project opened in year `y`: that year's benefit less
/// its running cost, over its capital cost. `None` without capital cost.
///
/// ```
/// use portsim::experiment::first_year_return;
/// use portsim::model::ProjectCost;
/// let cost = ProjectCost { capex: 1000.0, opex_per_yr: 20.0, life_yr: 30 };
/// let by_year = [(2025, 60.0), (2030, 160.0)];
/// // 2027: 60 + 2/5 × 100 = 100 a year, less 20 to run, on 1000.
/// assert_eq!(first_year_return(&by_year, 2027, &cost), Some(0.08));
/// ```
pub fn first_year_return(by_year: &[(u16, f64)], y: u16, cost: &ProjectCost) -> Option<f64> {
    (cost.capex > 0.0).then(|| (benefit_in(by_year, y) - cost.opex_per_yr) / cost.capex)
}

/// The capital recovery factor: the share of a capital cost that, paid at each year's end
/// over `life` years, repays it with interest at `rate` — r / (1 − (1 + r)^−life); 1 / life
/// at no interest.
///
/// ```
/// use portsim::experiment::capital_recovery_factor;
/// // 30 years at 8 %: 8.88 % a year; a long life tends to the rate itself.
/// assert!((capital_recovery_factor(0.08, 30) - 0.088827).abs() < 1e-6);
/// assert!((capital_recovery_factor(0.08, 500) - 0.08).abs() < 1e-12);
/// assert_eq!(capital_recovery_factor(0.0, 4), 0.25);
/// ```
pub fn capital_recovery_factor(rate: f64, life: u32) -> f64 {
    if rate == 0.0 {
        return 1.0 / f64::from(life.max(1));
    }
    rate / (1.0 - (1.0 + rate).powi(-(life.max(1) as i32)))
}

/// The year from which a project is worth having, among `years` (every calendar year of the
/// design years' span, benefits interpolated between design years), with the asset renewed at
/// the end of each life: its capital then costs capex × [`capital_recovery_factor`] a year,
/// and opened in year y it is worth Σ_{t ≥ y} (benefit(t) − running cost − that annual cost),
/// discounted (the last design year's benefit held for ever). Opening a year later changes
/// that by exactly the year's net benefit less the annual cost, so the year is the one of the
/// greatest such value — where benefits once covering the cost keep covering it, the first
/// year they cover it: the opening-year test of transport appraisal (the first-year rate of
/// return against the discount rate, for a long-lived asset). A year whose benefit dips below
/// the cost does not move it past years that more than make up for the dip. `None` where no
/// opening year in the span has a positive value. Ties go to the earlier year.
///
/// (One life's NPV alone is not the criterion: when benefits grow, a later opening trades an
/// early year's benefit for a larger one at the end of its life, so it can favour opening
/// later than the renewal-chain value does.)
///
/// ```
/// use portsim::experiment::best_opening_year;
/// use portsim::model::ProjectCost;
/// // 1000 to build, 30 years at 8 %: 88.8 a year. Benefits 40 to 2026, then 40 a year more
/// // to 200 in 2030 (80 in 2027, 120 in 2028): worth having from 2028.
/// let cost = ProjectCost { capex: 1000.0, opex_per_yr: 0.0, life_yr: 30 };
/// let by_year = [(2026, 40.0), (2030, 200.0)];
/// assert_eq!(best_opening_year(&by_year, 2021..=2035, &cost, 0.08), Some(2028));
/// // Running costs of 50 a year push it to 2029 (160 − 50 ≥ 88.8; 120 − 50 is not).
/// let run = ProjectCost { opex_per_yr: 50.0, ..cost };
/// assert_eq!(best_opening_year(&by_year, 2021..=2035, &run, 0.08), Some(2029));
/// // A benefit that never covers the cost: no year.
/// assert_eq!(best_opening_year(&[(2026, 10.0), (2030, 80.0)], 2021..=2035, &cost, 0.08), None);
/// // 150 a year with one year's dip to 85 in 2033: still from the first year.
/// let dip = [(2021, 150.0), (2032, 150.0), (2033, 85.0), (2034, 150.0)];
/// assert_eq!(best_opening_year(&dip, 2021..=2035, &cost, 0.08), Some(2021));
/// ```
pub fn best_opening_year(
    by_year: &[(u16, f64)],
    years: std::ops::RangeInclusive<u16>,
    cost: &ProjectCost,
    rate: f64,
) -> Option<u16> {
    let annual = cost.capex * capital_recovery_factor(rate, cost.life_yr);
    let net = |y: u16| benefit_in(by_year, y) - cost.opex_per_yr - annual;
    let (first, last) = (*years.start(), *years.end());
    if first > last {
        return None;
    }
    let v = 1.0 / (1.0 + rate);
    // Each year's value at the span's start; from the last year on, held for ever
    // (Σ_{k ≥ 0} v^k = (1 + r) / r; at no interest only its sign counts).
    let at = |y: u16| v.powi(i32::from(y - first) + 1);
    let tail = if rate > 0.0 {
        (1.0 + rate) / rate
    } else {
        f64::INFINITY
    };
    let held = net(last);
    let mut value = if held == 0.0 {
        0.0
    } else {
        held * at(last) * tail
    };
    // Walk back from the last year: value(y) = net(y) · at(y) + value(y + 1).
    let mut best = (value > 0.0).then_some((last, value));
    for y in (first..last).rev() {
        value += net(y) * at(y);
        if value > 0.0 && best.is_none_or(|(_, b)| value >= b) {
            best = Some((y, value));
        }
    }
    best.map(|b| b.0)
}

/// A figure by design year, as `ProjectNeed::benefits` holds it.
type ByYear = Vec<(u16, f64)>;

/// Each design year's benefit at the low and the high end of its 95 % interval (Student-t, of
/// the mean over replications); the mean where there is one replication.
fn benefit_interval(by_rep: &[Vec<Benefit>]) -> (ByYear, ByYear) {
    let Some(first) = by_rep.first() else {
        return (Vec::new(), Vec::new());
    };
    (0..first.len())
        .map(|t| {
            let values: Vec<f64> = by_rep.iter().map(|r| r[t].total_cny).collect();
            let e = crate::stats::Estimate::from_values(&values);
            let (lo, hi) = if e.n >= 2 {
                (e.ci95_low, e.ci95_high)
            } else {
                (e.mean, e.mean)
            };
            ((first[t].year, lo), (first[t].year, hi))
        })
        .unzip()
}

/// Sets a judged project's benefits and, where it has costs, its value: NPV and BCR from its
/// planned year (and NPV from its needed year), the present value of each part of its
/// benefit and of its costs — every present value at `pv_year` (the first design year) — and
/// the NPV's 95 % interval (Student-t, of the mean over replications).
pub(super) fn appraise(
    need: &mut ProjectNeed,
    by_rep: &[Vec<Benefit>],
    cost: Option<ProjectCost>,
    rate: f64,
    pv_year: u16,
) {
    let parts = mean_benefits(by_rep);
    need.benefits = parts.iter().map(|b| (b.year, b.total_cny)).collect();
    need.benefit_parts = parts;
    let Some(cost) = cost else { return };
    let by_year = |y: u16| benefit_in(&need.benefits, y);
    let from = need.in_service_year;
    // Every present value at `pv_year`, so that starting earlier or later compares.
    let to_pv_year = |start: u16| (1.0 + rate).powi(-(i32::from(start) - i32::from(pv_year)));
    need.capex_cny = Some(cost.capex);
    need.pv_year = Some(pv_year);
    let (npv, bcr) = value(&by_year, from, &cost, rate);
    let npv = npv * to_pv_year(from);
    need.npv_cny = Some(npv);
    need.bcr = Some(bcr);
    // The years simulated only, against the whole capital cost: how much of the value rests on
    // the last design year's benefit held beyond it.
    need.npv_within_horizon_cny = need.benefits.last().map(|&(horizon, _)| {
        let years = (i32::from(horizon) - i32::from(from) + 1).clamp(0, cost.life_yr as i32);
        let within = ProjectCost {
            life_yr: years as u32,
            ..cost
        };
        value(&by_year, from, &within, rate).0 * to_pv_year(from)
    });
    need.npv_from_needed_cny = need
        .needed_year
        .map(|y| value(&by_year, y, &cost, rate).0 * to_pv_year(y));
    need.first_year_return = first_year_return(&need.benefits, from, &cost);
    if let (Some(first), Some(last)) = (need.benefits.first(), need.benefits.last()) {
        let span = first.0..=last.0;
        need.best_year = best_opening_year(&need.benefits, span.clone(), &cost, rate);
        // The same at the ends of each year's 95 % interval of the benefit: the earliest year
        // on the high end, the latest on the low (none there: not within the span).
        let (low, high) = benefit_interval(by_rep);
        need.best_year_low = best_opening_year(&high, span.clone(), &cost, rate);
        need.best_year_high = best_opening_year(&low, span, &cost, rate);
        need.npv_best_cny = need
            .best_year
            .map(|y| value(&by_year, y, &cost, rate).0 * to_pv_year(y));
    }
    // Each replication's stream valued on its own: the NPV's interval.
    let npvs: Vec<f64> = by_rep
        .iter()
        .map(|r| {
            let stream: Vec<(u16, f64)> = r.iter().map(|b| (b.year, b.total_cny)).collect();
            value(&|y| benefit_in(&stream, y), from, &cost, rate).0 * to_pv_year(from)
        })
        .collect();
    let e = crate::stats::Estimate::from_values(&npvs);
    need.npv_ci95_cny = (e.n >= 2).then_some((e.ci95_low, e.ci95_high));
    let pv = |f: fn(&Benefit) -> f64| {
        let stream: Vec<(u16, f64)> = need.benefit_parts.iter().map(|b| (b.year, f(b))).collect();
        let no_cost = ProjectCost {
            capex: 0.0,
            opex_per_yr: 0.0,
            life_yr: cost.life_yr,
        };
        value(&|y| benefit_in(&stream, y), from, &no_cost, rate).0 * to_pv_year(from)
    };
    let pv_parts = Benefit::by_part(from, pv);
    need.pv_cost_cny = Some(pv_parts.total_cny - npv);
    need.pv_benefit_parts = Some(pv_parts);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cluster's `metric` in 2025, one replication.
    fn figures(metric: &str, value: f64) -> PerRep {
        [(
            (2025, "ALL".into(), "ALL".into(), metric.into()),
            vec![value],
        )]
        .into_iter()
        .collect()
    }

    #[test]
    fn a_benefit_is_a_years_whatever_the_runs_measure() {
        let e = Economics {
            discount_rate: 0.08,
            cargo_value_per_t_h: 0.5,
            co2_per_t: 0.0,
            unserved_send_out_per_t: 0.0,
        };
        let (without, with) = (
            figures("wait_cost_cny", 700.0),
            figures("wait_cost_cny", 300.0),
        );
        // 400 CNY saved over 73 days is 2,000 a year; over 365 days, 400.
        let b = benefits(&e, &[2025], (&with, &without), 73.0);
        assert_eq!(b[0][0].ship_time_cny, 2000.0);
        assert_eq!(b[0][0].total_cny, 2000.0);
        let b = benefits(&e, &[2025], (&with, &without), 365.0);
        assert_eq!(b[0][0].total_cny, 400.0);
        // Cargo time: 50 t·h saved over half a year is 100 a year; at 0.5 CNY a t·h, 50 CNY.
        let (without, with) = (
            figures("delay_cargo_t_h", 150.0),
            figures("delay_cargo_t_h", 100.0),
        );
        let b = benefits(&e, &[2025], (&with, &without), 182.5);
        assert_eq!(b[0][0].cargo_time_cny, 50.0);
    }

    #[test]
    fn the_year_worth_having_has_its_range_at_the_benefits_interval_ends() {
        // Two replications: 60 → 160 and 100 → 200 a year over 2025–2030, so the mean runs
        // 80 → 180 (100 in 2026) against 1000 × 8.88 % = 88.8: worth having from 2026. Two
        // replications leave a wide interval: its high end covers the cost from 2025, its low
        // end (below zero) never.
        let stream = |a: f64, b: f64| {
            [(2025u16, a), (2030, b)]
                .into_iter()
                .map(|(year, total_cny)| Benefit {
                    year,
                    total_cny,
                    ..Benefit::default()
                })
                .collect::<Vec<_>>()
        };
        let by_rep = [stream(60.0, 160.0), stream(100.0, 200.0)];
        let mut need = ProjectNeed::unjudged("p", 2025);
        let cost = ProjectCost {
            capex: 1000.0,
            opex_per_yr: 0.0,
            life_yr: 30,
        };
        appraise(&mut need, &by_rep, Some(cost), 0.08, 2025);
        assert_eq!(
            (need.best_year_low, need.best_year, need.best_year_high),
            (Some(2025), Some(2026), None)
        );
        // One replication: no interval, the ends are the mean's year.
        let mut one = ProjectNeed::unjudged("p", 2025);
        appraise(&mut one, &by_rep[..1], Some(cost), 0.08, 2025);
        assert_eq!(
            (one.best_year_low, one.best_year, one.best_year_high),
            (Some(2027), Some(2027), Some(2027))
        );
    }
}
