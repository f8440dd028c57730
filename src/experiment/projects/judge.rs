//! Whether a project is needed in a design year: the planning limits that apply and the
//! first year the scenario without the project breaks one the scenario with it meets.

use super::{Figures, Means, ProjectNeed};
use crate::model::{CargoClass, Model, Terminal};
use crate::theory::allowable_occupancy;
use serde::{Deserialize, Serialize};

/// A planning limit broken or met: where, which metric, and the limit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limit {
    /// `Port`, or `Port/Terminal`.
    pub port: String,
    /// Cargo class, or `ALL`.
    pub cargo: String,
    /// The metric.
    pub metric: String,
    /// Its largest acceptable value (for a PIANC occupancy limit: at the berths of the
    /// scenario without the project, where it binds; with all projects, otherwise).
    pub max: f64,
    /// A PIANC occupancy limit: the waiting-ratio limit whose allowable occupancy it is, for
    /// each variant's own number of berths.
    #[serde(skip)]
    pianc_wait_ratio: Option<f64>,
}

impl Limit {
    /// The limit in design year `y` for a variant with these figures: its own number of berths
    /// for a PIANC occupancy limit.
    fn max_in(&self, figures: &Means, y: u16) -> f64 {
        let Some(w) = self.pianc_wait_ratio else {
            return self.max;
        };
        let key = (
            y,
            self.port.clone(),
            "ALL".to_string(),
            "berths".to_string(),
        );
        figures.get(&key).map_or(self.max, |b| {
            allowable_occupancy(b.0.round().max(1.0) as u32, w)
        })
    }
}

/// The metrics judged against planning limits.
pub(super) const JUDGED: [&str; 6] = [
    "wait_ratio",
    "berth_occupancy",
    "yard_full_h",
    "diverted_share",
    "stockout_h",
    "send_out_short_share",
];

/// The waiting-ratio limit a terminal (`Port/Terminal`) is held to as a whole: the loosest of
/// its cargoes' limits — the wait no cargo there would accept. Each cargo's own standard is
/// judged on its port's cargo row and, at a terminal shared by cargoes with different limits,
/// on the terminal's row of that cargo's calls, so a mixed terminal (steel with a few ro-ro
/// calls) holds its steel ships to steel's limit and its ro-ro ships to ro-ro's.
fn terminal_wait_limit(model: &Model, row: &str) -> Option<f64> {
    let term = terminal_of(model, row)?;
    loosest(
        term.cargo
            .iter()
            .map(|c| model.planning.wait_ratio_max[c.index()]),
    )
}

/// The waiting-ratio limit of a class's calls at a terminal (row `Port/Terminal` × `cargo`):
/// the class's own where the terminal's classes do not all share one limit — else the
/// terminal's row as a whole already holds them to it, as `portsim capacity` judges them.
/// (Where a class has no limit, the two part: capacity sets it aside and holds the rest of
/// the terminal's classes — and the whole — to theirs; here the terminal as a whole is then
/// unlimited ([`loosest`]) and each limited class is held to its own.)
fn terminal_class_wait_limit(model: &Model, row: &str, cargo: &str) -> Option<f64> {
    let term = terminal_of(model, row)?;
    let limit = |c: CargoClass| model.planning.wait_ratio_max[c.index()];
    let first = limit(term.cargo.iter().next()?);
    if term.cargo.iter().all(|c| limit(c) == first) {
        return None;
    }
    CargoClass::from_name(cargo)
        .filter(|&c| term.cargo.contains(c))
        .and_then(limit)
}

/// The terminal a `Port/Terminal` row names.
fn terminal_of<'m>(model: &'m Model, row: &str) -> Option<&'m Terminal> {
    let (p, t) = row.split_once('/')?;
    model
        .terminals
        .iter()
        .find(|x| x.name == t && model.ports[x.port.index()].name == p)
}

/// The loosest of some limits; none where any is unlimited (or there are none).
fn loosest(limits: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    limits.reduce(|a, b| Some(a?.max(b?))).flatten()
}

/// How much a project must lower a metric, on average over the paired replications, for its
/// limit to make the project needed: 5 % of the limit (assumption: a row sitting at its limit
/// that a project nudges by a hair — a crude berth's ships leaving a shared channel a little
/// freer — does not make the project necessary).
pub const MATERIAL_SHARE: f64 = 0.05;

/// The planning limits that apply to the rows the scenario reports: the waiting ratio of a
/// port's cargo class, of a shared terminal's calls of a class (against that class's limit, as
/// `portsim capacity` judges them) and of a terminal as a whole (against the loosest limit of
/// its cargoes); a
/// terminal's berth occupancy (PIANC's allowable occupancy for its berths at that limit, or
/// the scenario's flat ceiling) and its yard's full hours; a port's cargo diverted from rail
/// to road; a tank's stock-out hours and send-out missed (`[planning] limits`).
pub(super) fn limits(model: &Model, with: &Means) -> Vec<Limit> {
    let l = &model.planning.limits;
    let mut out: Vec<Limit> = Vec::new();
    for (y, port, cargo, metric) in with.keys() {
        let at_terminal = port.contains('/') && !port.contains(':');
        let terminal = at_terminal && cargo == "ALL";
        // A terminal of several classes reports each class's calls too.
        let terminal_cargo = at_terminal && cargo != "ALL";
        let port_cargo = port != "ALL" && !port.contains('/') && cargo != "ALL";
        let mut pianc = None;
        let max = match metric.as_str() {
            // On the port's rows (a tank terminal's own rows repeat its tank).
            "stockout_h" if port_cargo => Some(l.stockout_h),
            "send_out_short_share" if port_cargo => Some(l.send_out_short_share),
            "diverted_share" if port_cargo => Some(l.diverted_share),
            "yard_full_h" if terminal => Some(l.yard_full_h),
            "berth_occupancy" if terminal => match l.berth_occupancy {
                Some(x) => Some(x),
                None => terminal_wait_limit(model, port).map(|w| {
                    pianc = Some(w);
                    let b = with.get(&(*y, port.clone(), "ALL".into(), "berths".into()));
                    allowable_occupancy(b.map_or(1.0, |b| b.0).round().max(1.0) as u32, w)
                }),
            },
            "wait_ratio" if port_cargo => {
                CargoClass::from_name(cargo).and_then(|c| model.planning.wait_ratio_max[c.index()])
            }
            "wait_ratio" if terminal_cargo => terminal_class_wait_limit(model, port, cargo),
            "wait_ratio" if terminal => terminal_wait_limit(model, port),
            _ => None,
        };
        let Some(max) = max else { continue };
        let limit = Limit {
            port: port.clone(),
            cargo: cargo.clone(),
            metric: metric.clone(),
            max,
            pianc_wait_ratio: pianc,
        };
        if !out
            .iter()
            .any(|o| o.port == limit.port && o.cargo == limit.cargo && o.metric == limit.metric)
        {
            out.push(limit);
        }
    }
    out
}

/// A project's needed years from the runs with and without it.
pub(super) fn judge(
    name: &str,
    in_service_year: u16,
    years: &[u16],
    limits: &[Limit],
    with: &Figures,
    without: &Figures,
) -> ProjectNeed {
    // (first year, binding limit, how far over, the limit broken) for the mean, low and high
    // conditions.
    let mut first: [Option<(u16, usize, f64, f64)>; 3] = [None, None, None];
    for &y in years {
        for (li, l) in limits.iter().enumerate() {
            let key = (y, l.port.clone(), l.cargo.clone(), l.metric.clone());
            let Some(&(wo, wo_lo, wo_hi)) = without.means.get(&key) else {
                continue;
            };
            // A row the scenario with the project no longer has, or no longer defines (the
            // cargo went elsewhere, no call is left), meets its limit.
            let (w, w_lo, w_hi) = with.means.get(&key).copied().unwrap_or((0.0, 0.0, 0.0));
            // The project must lower the metric there, replication by replication (the same
            // ships with and without: the 95 % interval of the paired difference above zero),
            // and by a material amount — a row near its limit that moves by chance, or by a
            // hair, does not make a project needed.
            let material = MATERIAL_SHARE * l.max;
            if !lowers(with.reps.get(&key), without.reps.get(&key), material) {
                continue;
            }
            let conds = [
                (wo, w),       // the means
                (wo_hi, w_lo), // earliest: could be over without, could be within with
                (wo_lo, w_hi), // latest: surely over without, surely within with
            ];
            // Each variant against its own limit (a PIANC occupancy limit by its berths).
            let (max_wo, max_w) = (l.max_in(&without.means, y), l.max_in(&with.means, y));
            for (k, &(over, within)) in conds.iter().enumerate() {
                let met = |v: f64| v.is_nan() || v <= max_w;
                // (A row the scenario without it does not define breaks nothing.)
                if over.is_nan() || over <= max_wo || !met(within) {
                    continue;
                }
                let by = if max_wo > 0.0 {
                    over / max_wo
                } else {
                    f64::INFINITY
                };
                match first[k] {
                    Some((fy, ..)) if fy < y => {}
                    Some((fy, _, fb, _)) if fy == y && fb >= by => {}
                    _ => first[k] = Some((y, li, by, max_wo)),
                }
            }
        }
    }
    ProjectNeed {
        needed_year: first[0].map(|f| f.0),
        needed_year_low: first[1].map(|f| f.0),
        needed_year_high: first[2].map(|f| f.0),
        binding: first[0].map(|f| Limit {
            max: f.3,
            ..limits[f.1].clone()
        }),
        ..ProjectNeed::unjudged(name, in_service_year)
    }
}

/// Whether the paired differences without − with (replication by replication) have a 95 %
/// interval above zero and a mean of at least `material`; a replication missing the row with
/// the project, or not defining it, counts as 0 there.
fn lowers(with: Option<&Vec<f64>>, without: Option<&Vec<f64>>, material: f64) -> bool {
    let Some(without) = without else {
        return false;
    };
    let d: Vec<f64> = without
        .iter()
        .enumerate()
        .map(|(i, wo)| {
            let w = with
                .and_then(|w| w.get(i).copied())
                .filter(|w| w.is_finite());
            wo - w.unwrap_or(0.0)
        })
        .collect();
    let e = crate::stats::Estimate::from_values(&d);
    e.n >= 2 && e.ci95_low > 0.0 && e.mean >= material
}

#[cfg(test)]
mod tests {
    use super::{Limit, Means, allowable_occupancy, loosest, lowers, terminal_class_wait_limit};

    #[test]
    fn a_class_at_a_terminal_is_held_to_its_own_limit_only_where_its_neighbours_differ() {
        let (model, _) = crate::scenario::load("liaoning-2020").expect("built-in");
        // Steel at 0.5 beside ro-ro at 0.1: each class's calls at their own.
        let bayuquan = "Yingkou/Bayuquan steel";
        assert_eq!(
            terminal_class_wait_limit(&model, bayuquan, "ro_ro"),
            Some(0.1)
        );
        assert_eq!(
            terminal_class_wait_limit(&model, bayuquan, "steel_general"),
            Some(0.5)
        );
        assert_eq!(terminal_class_wait_limit(&model, bayuquan, "coal"), None);
        // Ore and coal both at 0.3: the terminal as a whole is held to it, not each class.
        assert_eq!(
            terminal_class_wait_limit(&model, "Dalian/Dagushan ore", "coal"),
            None
        );
        assert_eq!(
            terminal_class_wait_limit(&model, "Dalian/Nowhere", "ro_ro"),
            None
        );
    }

    #[test]
    fn a_mixed_terminal_is_held_to_its_loosest_limit_and_an_unlimited_cargo_frees_it() {
        assert_eq!(loosest([Some(0.5), Some(0.1)].into_iter()), Some(0.5));
        assert_eq!(loosest([Some(0.1), None].into_iter()), None);
        assert_eq!(loosest(std::iter::empty()), None);
    }

    #[test]
    fn a_pianc_limit_follows_each_variants_own_berths() {
        let limit = Limit {
            port: "P/T".into(),
            cargo: "ALL".into(),
            metric: "berth_occupancy".into(),
            max: allowable_occupancy(3, 0.3),
            pianc_wait_ratio: Some(0.3),
        };
        let berths = |n: f64| -> Means {
            [(
                (
                    2025,
                    "P/T".to_string(),
                    "ALL".to_string(),
                    "berths".to_string(),
                ),
                (n, n, n),
            )]
            .into_iter()
            .collect()
        };
        assert_eq!(
            limit.max_in(&berths(2.0), 2025),
            allowable_occupancy(2, 0.3)
        );
        assert_eq!(
            limit.max_in(&berths(3.0), 2025),
            allowable_occupancy(3, 0.3)
        );
        assert!(allowable_occupancy(2, 0.3) < allowable_occupancy(3, 0.3));
        let flat = Limit {
            pianc_wait_ratio: None,
            max: 0.7,
            ..limit
        };
        assert_eq!(flat.max_in(&berths(2.0), 2025), 0.7);
    }

    #[test]
    fn a_project_must_lower_a_metric_surely_and_materially() {
        let with = vec![0.100, 0.098, 0.101, 0.099, 0.100];
        // Lowered by 0.001 in every replication: sure, but not 5 % of a 0.1 limit.
        let hair: Vec<f64> = with.iter().map(|w| w + 0.001).collect();
        assert!(lowers(Some(&with), Some(&hair), 0.0005));
        assert!(!lowers(Some(&with), Some(&hair), 0.005));
        // Lowered by 0.02 on average but not in every replication: not sure.
        let noisy = vec![0.16, 0.06, 0.14, 0.07, 0.17];
        assert!(!lowers(Some(&with), Some(&noisy), 0.005));
        // Lowered by 0.02 in every replication: needed.
        let clear: Vec<f64> = with.iter().map(|w| w + 0.02).collect();
        assert!(lowers(Some(&with), Some(&clear), 0.005));
        // A row the scenario with the project lacks counts 0 there.
        assert!(lowers(None, Some(&clear), 0.005));
        assert!(!lowers(Some(&with), None, 0.005));
    }
}
