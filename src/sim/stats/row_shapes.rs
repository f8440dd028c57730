//! Which KPI rows a model's results have, and which metrics each kind of row carries — what
//! `check` holds a goal to, so that a goal on a row that never comes out is refused when the
//! scenario is read rather than reported "not known" after the run. `rows.rs` writes the rows;
//! a test runs the built-in scenarios and holds every row written to the shape and metrics
//! named here, and every metric named here to a row written.

use super::rows::{MONTHLY_YARD, REGION_METRICS, corridor_metrics};
use crate::model::{CargoClass, Model, RailCorridor, Terminal};

/// The metrics the totals of a cargo class, a port, or the cluster carry
/// (`Totals::emit`), in their order; the `_teu` ones only where containers are counted.
pub(crate) fn totals_metrics(containers: bool) -> Vec<&'static str> {
    const ALL: &[(&str, bool)] = &[
        ("throughput_t", false),
        ("throughput_teu", true),
        ("ship_calls", false),
        ("wait_h_mean", false),
        ("wait_prob", false),
        ("wait_h_p50", false),
        ("wait_h_p90", false),
        ("wait_h_p95", false),
        ("wait_tide_h_mean", false),
        ("wait_channel_h_mean", false),
        ("wait_closure_h_mean", false),
        ("wait_berth_h_mean", false),
        ("service_h_mean", false),
        ("blocked_h_mean", false),
        ("wait_ratio", false),
        ("turnaround_h_mean", false),
        ("ships_waiting_mean", false),
        ("delay_cargo_t_h", false),
        ("wait_cost_cny", false),
        ("land_cost_cny", false),
        ("arrived_t", false),
        ("arrived_teu", true),
        ("departed_t", false),
        ("departed_teu", true),
        ("in_port_start_t", false),
        ("in_port_start_teu", true),
        ("in_port_end_t", false),
        ("in_port_end_teu", true),
        ("unserved_t", false),
        ("unserved_teu", true),
        ("rail_t", false),
        ("rail_teu", true),
        ("road_t", false),
        ("road_teu", true),
        ("pipeline_t", false),
        ("diverted_t", false),
        ("diverted_teu", true),
        ("rail_share", false),
        ("rail_share_of_throughput", false),
        ("diverted_share", false),
        ("co2_t", false),
        ("nox_t", false),
        ("sox_t", false),
        ("pm_t", false),
        ("shore_power_mwh", false),
    ];
    ALL.iter()
        .filter(|(_, teu)| containers || !teu)
        .map(|(m, _)| *m)
        .collect()
}

/// A port's tanks of one cargo class (its stock-driven flows): on the port's row for that
/// class, and on a tank terminal's row.
pub(crate) const TANK_METRICS: [&str; 3] =
    ["stockout_h", "send_out_short_t", "send_out_short_share"];

/// A port's own rows for `ALL` beyond its totals (the daily series of ships waiting around a
/// dated disruption, `ships_waiting_day_DDD`, too).
pub(crate) const PORT_METRICS: [&str; 7] = [
    "berth_occupancy",
    "ships_waiting_peak",
    "yard_occupancy_mean",
    "yard_full_h",
    "trains",
    "rail_track_utilisation",
    "recovery_days",
];

/// The cluster's own rows for `ALL` beyond its totals.
pub(crate) const CLUSTER_METRICS: [&str; 5] = [
    "berth_occupancy",
    "yard_occupancy_mean",
    "yard_full_h",
    "trains",
    "ships_waiting_peak",
];

/// A terminal's rows for `ALL` (its monthly yard occupancy, its TEU where it handles
/// containers and its tank's rows where it has one, too).
pub(crate) const TERMINAL_METRICS: [&str; 11] = [
    "throughput_t",
    "ship_calls",
    "wait_h_mean",
    "service_h_mean",
    "wait_ratio",
    "berth_occupancy",
    "berths",
    "yard_occupancy_mean",
    "yard_full_h",
    "yard_overflow_calls",
    "yard_dwell_h_mean",
];

/// A terminal of several cargo classes: each class's rows.
pub(crate) const TERMINAL_CARGO_METRICS: [&str; 3] = ["ship_calls", "wait_h_mean", "wait_ratio"];

/// What a KPI row's `port` and `cargo` name, and so which metrics it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowShape {
    /// A port's rows for one cargo class.
    Cargo {
        /// The class is counted in TEU.
        containers: bool,
    },
    /// The cluster's rows for one cargo class (`ALL`, a class).
    ClusterCargo {
        /// The class is counted in TEU.
        containers: bool,
    },
    /// A port's rows for all its cargo.
    Port {
        /// The port handles containers.
        containers: bool,
    },
    /// The cluster's rows for all cargo (`ALL`, `ALL`).
    Cluster {
        /// The cluster handles containers.
        containers: bool,
    },
    /// A terminal's rows for all its cargo (`Port/Terminal`, `ALL`).
    Terminal {
        /// The terminal handles containers.
        containers: bool,
    },
    /// One cargo class of a terminal that handles several.
    TerminalCargo,
    /// A rail corridor's rows (`Port/rail:NAME`, `ALL`).
    Corridor {
        /// It carries containers (its cargo in TEU).
        containers: bool,
        /// It serves a hub.
        hub: bool,
    },
    /// A region's rows for one cargo class sent there (`Port/region:NAME`).
    Region,
}

impl RowShape {
    /// Every kind of row, counting containers, and a corridor with a hub both in TEU and in
    /// tonnes (its cargo metrics are one or the other): to say where a metric is.
    const EVERY: [RowShape; 9] = [
        RowShape::Cargo { containers: true },
        RowShape::ClusterCargo { containers: true },
        RowShape::Port { containers: true },
        RowShape::Cluster { containers: true },
        RowShape::Terminal { containers: true },
        RowShape::TerminalCargo,
        RowShape::Corridor {
            containers: true,
            hub: true,
        },
        RowShape::Corridor {
            containers: false,
            hub: true,
        },
        RowShape::Region,
    ];

    /// The metrics rows of this shape carry. Some come out only where the model has what they
    /// measure (a tank, a finite yard, a dated disruption): a goal on them is judged where the
    /// run reports them.
    pub(crate) fn metrics(self) -> Vec<&'static str> {
        match self {
            RowShape::Cargo { containers } => {
                let mut m = totals_metrics(containers);
                m.extend(TANK_METRICS);
                m
            }
            RowShape::ClusterCargo { containers } => totals_metrics(containers),
            RowShape::Port { containers } => {
                let mut m = totals_metrics(containers);
                m.extend(PORT_METRICS);
                m
            }
            RowShape::Cluster { containers } => {
                let mut m = totals_metrics(containers);
                m.extend(CLUSTER_METRICS);
                m
            }
            RowShape::Terminal { containers } => {
                let mut m = TERMINAL_METRICS.to_vec();
                m.extend(MONTHLY_YARD);
                if containers {
                    m.push("throughput_teu");
                }
                m.extend(TANK_METRICS);
                m
            }
            RowShape::TerminalCargo => TERMINAL_CARGO_METRICS.to_vec(),
            RowShape::Corridor { containers, hub } => corridor_metrics(containers, hub),
            RowShape::Region => REGION_METRICS.to_vec(),
        }
    }

    /// Whether rows of this shape carry `metric`.
    pub(crate) fn has(self, metric: &str) -> bool {
        self.metrics().contains(&metric)
            || (matches!(self, RowShape::Port { .. })
                && crate::metrics::series_day(metric).is_some())
    }

    /// The rows of this shape, in words.
    fn describe(self) -> &'static str {
        match self {
            RowShape::Cargo { .. } => "a port's rows for one cargo class",
            RowShape::ClusterCargo { .. } => "the cluster's rows for one cargo class",
            RowShape::Port { .. } => "a port's rows for `ALL`",
            RowShape::Cluster { .. } => "the cluster's rows (`ALL`, `ALL`)",
            RowShape::Terminal { .. } => "a terminal's rows for `ALL`",
            RowShape::TerminalCargo => "the rows of each class of a terminal of several",
            RowShape::Corridor { .. } => "a rail corridor's rows",
            RowShape::Region => "a region's rows",
        }
    }

    /// Why rows of this shape do not carry `metric`, and where it is: `None` if they do.
    pub(crate) fn lacks(self, metric: &str) -> Option<String> {
        if self.has(metric) {
            return None;
        }
        // The same rows counting the other unit: a metric in TEU where there are no
        // containers, or (a corridor's) in tonnes where it carries them.
        let other_unit = match self {
            RowShape::Cargo { containers } => RowShape::Cargo {
                containers: !containers,
            },
            RowShape::ClusterCargo { containers } => RowShape::ClusterCargo {
                containers: !containers,
            },
            RowShape::Port { containers } => RowShape::Port {
                containers: !containers,
            },
            RowShape::Cluster { containers } => RowShape::Cluster {
                containers: !containers,
            },
            RowShape::Terminal { containers } => RowShape::Terminal {
                containers: !containers,
            },
            RowShape::Corridor { containers, hub } => RowShape::Corridor {
                containers: !containers,
                hub,
            },
            other => other,
        };
        if other_unit.has(metric) {
            return Some(if metric.ends_with("_teu") {
                format!("`{metric}` counts TEU, and these rows count no containers (use its `_t`)")
            } else {
                format!(
                    "`{metric}` counts tonnes, and this corridor carries containers (use its `_teu`)"
                )
            });
        }
        if let RowShape::Corridor { containers, .. } = self {
            let with_hub = |containers| RowShape::Corridor {
                containers,
                hub: true,
            };
            if with_hub(containers).has(metric) {
                return Some(format!(
                    "`{metric}` is on a rail corridor that serves a hub, and this one serves none"
                ));
            }
            if with_hub(!containers).has(metric) {
                let unit = if containers { "tonnes" } else { "TEU" };
                return Some(format!(
                    "`{metric}` is on a rail corridor that serves a hub and counts {unit}, and this one serves none and counts the other"
                ));
            }
        }
        let places: Vec<&str> = RowShape::EVERY
            .into_iter()
            .filter(|s| s.has(metric))
            .map(RowShape::describe)
            .fold(Vec::new(), |mut v, d| {
                if !v.contains(&d) {
                    v.push(d);
                }
                v
            });
        // A short list of what these rows have helps; a port's fifty metrics would not.
        let own = self.metrics();
        let they_have = if own.len() <= 16 {
            format!(" (they have {})", own.join(", "))
        } else {
            String::new()
        };
        Some(if places.is_empty() {
            format!("`{metric}` is on no row of a design year's results")
        } else {
            format!(
                "`{metric}` is not on {}{they_have}; it is on {}",
                self.describe(),
                places.join(", ")
            )
        })
    }
}

/// Why a goal's `port` and `cargo` name no row of `model`'s results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RowMiss {
    /// `port` names no port, terminal, corridor or region, nor the cluster.
    Port,
    /// It does, but that place has no row for `cargo`: why.
    Cargo(String),
}

/// For each port, the cargo classes its rows are written for: those of a flow called there,
/// or at an alternative port of one.
pub(crate) fn cargo_rows(model: &Model) -> Vec<[bool; CargoClass::COUNT]> {
    let mut rows = vec![[false; CargoClass::COUNT]; model.ports.len()];
    for f in &model.flows {
        rows[f.port.index()][f.cargo.index()] = true;
        for alt in &f.alternatives {
            rows[alt.port.index()][f.cargo.index()] = true;
        }
    }
    rows
}

/// The shape of the rows named by a goal's `port` (the cluster `ALL`, a port, `Port/Terminal`,
/// `Port/rail:NAME` or `Port/region:NAME`) and `cargo` (a class, or `ALL`; any other name is
/// taken as `ALL`, for the caller reports it), or why `model`'s results have none.
pub(crate) fn row_shape(model: &Model, port: &str, cargo: &str) -> Result<RowShape, RowMiss> {
    let class = CargoClass::from_name(cargo);
    let rows = cargo_rows(model);
    let with_containers = |p: usize| {
        CargoClass::ALL
            .iter()
            .any(|c| c.is_container() && rows[p][c.index()])
    };
    if port == "ALL" {
        return match class {
            None => Ok(RowShape::Cluster {
                containers: (0..rows.len()).any(with_containers),
            }),
            Some(c) if rows.iter().any(|r| r[c.index()]) => Ok(RowShape::ClusterCargo {
                containers: c.is_container(),
            }),
            Some(c) => Err(RowMiss::Cargo(format!(
                "no flow of the scenario carries `{}`",
                c.name()
            ))),
        };
    }
    if let Some(p) = model.ports.iter().position(|p| p.name == port) {
        return match class {
            None => Ok(RowShape::Port {
                containers: with_containers(p),
            }),
            Some(c) if rows[p][c.index()] => Ok(RowShape::Cargo {
                containers: c.is_container(),
            }),
            Some(c) => Err(RowMiss::Cargo(format!(
                "no flow of `{}` is called at {port}",
                c.name()
            ))),
        };
    }
    // The rows' own names, as the writer forms them.
    if let Some(k) = model
        .corridors
        .iter()
        .find(|k| corridor_row(model, k) == port)
    {
        return match class {
            None => Ok(RowShape::Corridor {
                containers: k.cargo.contains(CargoClass::Container),
                hub: k.hub.is_some(),
            }),
            Some(c) => Err(RowMiss::Cargo(format!(
                "a rail corridor's rows are for all its cargo: use `ALL`, not `{}`",
                c.name()
            ))),
        };
    }
    let region = (0..model.ports.len()).find_map(|p| {
        let r = model
            .regions
            .iter()
            .position(|r| region_row(&model.ports[p].name, &r.name) == port)?;
        Some((p, r))
    });
    if let Some((p, r)) = region {
        let Some(c) = class else {
            return Err(RowMiss::Cargo(
                "a region's rows are per cargo class: name one, not `ALL`".into(),
            ));
        };
        return if sent_to_region(model, p, r, c) {
            Ok(RowShape::Region)
        } else {
            Err(RowMiss::Cargo(format!(
                "no `{}` is sent from {} to {}",
                c.name(),
                model.ports[p].name,
                model.regions[r].name
            )))
        };
    }
    let t = model
        .terminals
        .iter()
        .find(|t| terminal_row(model, t) == port)
        .ok_or(RowMiss::Port)?;
    let Some(c) = class else {
        return Ok(RowShape::Terminal {
            containers: t.cargo.contains(CargoClass::Container),
        });
    };
    let classes: Vec<&str> = t.cargo.iter().map(CargoClass::name).collect();
    if classes.len() < 2 {
        Err(RowMiss::Cargo(format!(
            "a terminal of one cargo class has rows for `ALL` only (each class of a terminal of several has {})",
            TERMINAL_CARGO_METRICS.join(", ")
        )))
    } else if t.cargo.contains(c) {
        Ok(RowShape::TerminalCargo)
    } else {
        Err(RowMiss::Cargo(format!(
            "{port} handles {}, not `{}`",
            classes.join(", "),
            c.name()
        )))
    }
}

/// The `port` of a terminal's rows: `Port/Terminal`.
pub(crate) fn terminal_row(model: &Model, t: &Terminal) -> String {
    format!("{}/{}", model.ports[t.port.index()].name, t.name)
}

/// The `port` of a rail corridor's rows: `Port/rail:NAME`.
pub(crate) fn corridor_row(model: &Model, k: &RailCorridor) -> String {
    format!("{}/rail:{}", model.ports[k.port.index()].name, k.name)
}

/// The `port` of the rows of a region as a port serves it: `Port/region:NAME`.
pub(crate) fn region_row(port: &str, region: &str) -> String {
    format!("{port}/region:{region}")
}

/// Every name a row's `port` may take in `model`'s results: the cluster, the ports, their
/// terminals, corridors and regions.
pub(crate) fn row_names(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = ["ALL".to_string()]
        .into_iter()
        .chain(model.ports.iter().map(|p| p.name.clone()))
        .chain(model.terminals.iter().map(|t| terminal_row(model, t)))
        .chain(model.corridors.iter().map(|k| corridor_row(model, k)))
        .collect();
    for p in &model.ports {
        names.extend(model.regions.iter().map(|r| region_row(&p.name, &r.name)));
    }
    names
}

/// Whether cargo of class `c` may be sent between port `p` and region `r` (a region's rows
/// are written for each class sent): a flow's hinterland leg there, at its terminal's port,
/// or an alternative port's.
fn sent_to_region(model: &Model, p: usize, r: usize, c: CargoClass) -> bool {
    model.flows.iter().filter(|f| f.cargo == c).any(|f| {
        let own = f.hinterland.iter().any(|h| {
            h.region.index() == r
                && (f.port.index() == p || model.terminals[h.terminal.index()].port.index() == p)
        });
        let alternative = f.alternatives.iter().any(|a| {
            let h = a.hinterland.as_ref().or(f.hinterland.as_ref());
            h.is_some_and(|h| {
                h.region.index() == r
                    && (a.port.index() == p
                        || model.terminals[h.terminal.index()].port.index() == p)
            })
        });
        own || alternative
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The rows the simulation writes and the shapes named here agree, both ways: every row of
    /// a design year of the built-in scenarios (the baseline; a typhoon year, for recoveries
    /// and daily series; the 2030 plan with its projects, for a hub) has a shape here whose
    /// metrics include its own; and every metric a shape names is written on some row of that
    /// kind. A metric added to the writer and not here, or the reverse, fails it.
    #[test]
    fn rows_written_are_the_rows_named() {
        let mut named: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let mut written: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let kind = |s: RowShape| s.describe().to_string();
        for (scenario, year) in [
            ("liaoning-2020", 2020),
            ("typhoon-2020", 2020),
            ("plan-2030-integrated-projects", 2030),
        ] {
            let (model, _) = crate::scenario::load(scenario).expect("built-in scenario");
            let model = crate::scenario::model_for_year(&model, year).expect("design year");
            let run = crate::sim::simulate(&model, year, 0, 1, &Default::default()).expect("run");
            for k in &run.kpis {
                let shape = row_shape(&model, &k.port, &k.cargo).unwrap_or_else(|e| {
                    panic!("{scenario}: row {} {} has no shape: {e:?}", k.port, k.cargo)
                });
                assert!(
                    shape.has(k.metric),
                    "{scenario}: {} {} {} is written, but {shape:?} has no such metric",
                    k.port,
                    k.cargo,
                    k.metric
                );
                named
                    .entry(kind(shape))
                    .or_default()
                    .extend(shape.metrics());
                written.entry(kind(shape)).or_default().insert(k.metric);
            }
        }
        assert_eq!(named.len(), 8, "every kind of row is written: {named:?}");
        for (k, metrics) in &named {
            let never: Vec<_> = metrics.difference(&written[k]).collect();
            assert!(never.is_empty(), "{k}: named but never written: {never:?}");
        }
    }

    /// The totals' metrics are `Totals::emit`'s, in its order.
    #[test]
    fn totals_metrics_are_what_the_totals_emit() {
        for containers in [false, true] {
            let t = super::super::rows::totals_for_test(containers);
            let names: Vec<&str> = t.iter().map(|k| k.metric).collect();
            assert_eq!(names, totals_metrics(containers));
        }
    }

    /// A goal's row: refused where it never comes out, with why.
    #[test]
    fn goals_rows_and_their_reasons() {
        let (model, _) = crate::scenario::load("liaoning-2020").expect("built-in scenario");
        let lacks = |port: &str, cargo: &str, metric: &str| {
            row_shape(&model, port, cargo).map(|s| s.lacks(metric))
        };
        assert_eq!(lacks("Dalian", "container", "throughput_teu"), Ok(None));
        assert_eq!(lacks("ALL", "ALL", "berth_occupancy"), Ok(None));
        assert_eq!(lacks("Nowhere", "ALL", "throughput_t"), Err(RowMiss::Port));
        let why = lacks("Dalian", "coal", "berth_occupancy").unwrap().unwrap();
        assert!(why.contains("a port's rows for `ALL`"), "{why}");
        let why = lacks("Dalian", "crude_oil", "throughput_teu")
            .unwrap()
            .unwrap();
        assert!(why.contains("counts TEU"), "{why}");
        assert!(matches!(
            lacks("Huludao", "lng", "throughput_t"),
            Err(RowMiss::Cargo(_))
        ));
        assert_eq!(lacks("Dalian", "ALL", "ships_waiting_day_100"), Ok(None));
        assert!(
            lacks("Dalian", "ALL", "rail_wait_h_mean")
                .unwrap()
                .is_some()
        );
        // Wrong on two counts: a hub's, in tonnes, on a corridor of containers with no hub.
        let corridor = model
            .corridors
            .iter()
            .find(|k| k.hub.is_none() && k.cargo.contains(CargoClass::Container))
            .expect("a container corridor with no hub");
        let name = corridor_row(&model, corridor);
        let why = lacks(&name, "ALL", "hub_out_t").unwrap().unwrap();
        assert!(why.contains("serves a hub and counts tonnes"), "{why}");
    }
}
