//! Demand flows and the call generators behind them (tramp arrivals, liner services).

use super::cargo::CargoClass;
use super::dist::Dist;
use super::hinterland::Hinterland;
use super::ids::{FlowId, PortId, ServiceId, ShipClassId, TerminalId};

/// Which way cargo moves through the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Discharged from ships, to the hinterland.
    Import,
    /// From the hinterland, loaded onto ships.
    Export,
    /// Ship to ship through the yard.
    Transshipment,
}

impl Direction {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Import => "import",
            Direction::Export => "export",
            Direction::Transshipment => "transshipment",
        }
    }
}

/// The most a flow may carry in a year, in tonnes — about eight times the world's busiest port
/// (≈ 1.3 Gt) — as written or as grown in a design year.
pub const MAX_VOLUME_T_PER_YR: f64 = 1e10;
/// The most a container flow may carry in a year, in TEU (the busiest port handles ≈ 50 M).
pub const MAX_VOLUME_TEU_PER_YR: f64 = 1e9;

/// A demand flow: a cargo class moving one way through one port at an annual volume.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Name, unique within the scenario; keys the flow's random streams.
    pub name: String,
    /// Cargo class.
    pub cargo: CargoClass,
    /// Direction.
    pub direction: Direction,
    /// The port it calls at.
    pub port: PortId,
    /// Restricts the flow to one terminal, if set.
    pub terminal: Option<TerminalId>,
    /// Volume in the base year, in the cargo's unit per year.
    pub volume_per_yr: f64,
    /// Annual growth rate after the base year (0.05 = 5 %/yr); its mean where it is drawn.
    pub growth_per_yr: f64,
    /// Where the growth rate is uncertain: the key of its random stream (flows that share a
    /// key share a draw: a cargo class's future) and its distribution, drawn once per
    /// replication.
    pub growth_draw: Option<(String, GrowthDraw)>,
    /// The demand path the flow follows (an index into `Model::demand_paths`), if any.
    pub path: Option<usize>,
    /// How calls arrive.
    pub arrivals: Arrivals,
    /// A service-time distribution that replaces `mooring + parcel / rate` (validation models).
    pub service_h: Option<Dist>,
    /// The yard and hinterland leg (`None`: cargo leaves the quay at once).
    pub hinterland: Option<Hinterland>,
    /// For a transshipment flow with an onward leg: it is discharged from its service's calls
    /// into a yard and loaded onto the onward service's calls.
    pub transship: Option<Transship>,
    /// Ports that may take the flow's calls instead of its own under the integrated policy.
    pub alternatives: Vec<Alternative>,
    /// Hinterland haul cost per tonne from the flow's own port (for the integrated policy).
    pub haul_cost_per_t: f64,
}

/// An uncertain annual growth rate, drawn once per replication (a replication is one possible
/// future). Bounded, so that no draw falls below −100 %.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GrowthDraw {
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lowest rate.
        min: f64,
        /// Highest rate.
        max: f64,
    },
    /// Triangular on `[min, max]` with the most likely rate `mode`.
    Triangular {
        /// Lowest rate.
        min: f64,
        /// Most likely rate.
        mode: f64,
        /// Highest rate.
        max: f64,
    },
}

impl GrowthDraw {
    /// The mean rate.
    pub fn mean(&self) -> f64 {
        match *self {
            GrowthDraw::Uniform { min, max } => 0.5 * (min + max),
            GrowthDraw::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }

    /// The highest rate it can draw.
    pub fn max(&self) -> f64 {
        match *self {
            GrowthDraw::Uniform { max, .. } | GrowthDraw::Triangular { max, .. } => max,
        }
    }

    /// A rate from a uniform draw `u` in [0, 1) (inverse transform).
    ///
    /// ```
    /// use portsim::model::GrowthDraw;
    /// let t = GrowthDraw::Triangular { min: -0.01, mode: 0.01, max: 0.03 };
    /// assert!((t.quantile(0.5) - 0.01).abs() < 1e-12); // symmetric: the median is the mode
    /// assert_eq!(t.quantile(0.0), -0.01);
    /// ```
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            GrowthDraw::Uniform { min, max } => min + u * (max - min),
            GrowthDraw::Triangular { min, mode, max } => triangular_quantile(min, mode, max, u),
        }
    }
}

/// The triangular distribution's value at cumulative probability `u` on `[min, max]`, peaked at
/// `mode` (`min` when the range is empty).
pub fn triangular_quantile(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let (w, left) = (max - min, mode - min);
    if w <= 0.0 {
        min
    } else if u * w < left {
        min + (u * w * left).sqrt()
    } else {
        max - ((1.0 - u) * w * (max - mode)).sqrt()
    }
}

/// Another port that may take a flow's calls under the integrated policy.
#[derive(Clone, Debug)]
pub struct Alternative {
    /// The port.
    pub port: PortId,
    /// Hinterland haul cost per tonne from it.
    pub haul_cost_per_t: f64,
    /// The flow's yard and hinterland leg there (for an import flow with one at its own port).
    pub hinterland: Option<Hinterland>,
}

/// The hub end of a transshipment flow: in on one service, through the yard, out on another.
#[derive(Clone, Debug)]
pub struct Transship {
    /// The service that takes the cargo away from the hub.
    pub onward: ServiceId,
    /// The terminal whose yard holds it between the two calls.
    pub terminal: TerminalId,
}

/// How a flow's calls arrive.
#[derive(Clone, Debug)]
// One per flow, read when a run is set up: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Arrivals {
    /// Independent calls, Poisson in time (optionally seasonal), one stream per ship class.
    Tramp {
        /// Ship classes and the share of the volume each carries (in the base year).
        ships: Vec<(ShipClassId, f64)>,
        /// The mixes of later years, ascending: shares move linearly between the base year's
        /// and each of these, and hold after the last.
        fleet: Vec<(u16, Vec<(ShipClassId, f64)>)>,
        /// Relative arrival rate by month (January first), mean 1 over the year.
        seasonality: [f64; 12],
        /// When the calls come.
        timing: Timing,
    },
    /// Carried on a liner service's scheduled calls.
    Liner(ServiceId),
}

/// A tramp flow's ship mix in design year `year`: `ships` in `base_year` and before, moving
/// linearly to each of `fleet`'s mixes in its year, holding the last after it. Classes of
/// every mix appear, in order of first appearance; a class absent from a mix has share 0
/// there.
///
/// ```
/// use portsim::model::{ShipClassId, fleet_mix};
/// let (a, b) = (ShipClassId(0), ShipClassId(1));
/// let base = vec![(a, 1.0)];
/// let fleet = vec![(2030, vec![(a, 0.5), (b, 0.5)])];
/// assert_eq!(fleet_mix(&base, &fleet, 2020, 2025), vec![(a, 0.75), (b, 0.25)]);
/// assert_eq!(fleet_mix(&base, &fleet, 2020, 2035), vec![(a, 0.5), (b, 0.5)]);
/// ```
pub fn fleet_mix(
    ships: &[(ShipClassId, f64)],
    fleet: &[(u16, Vec<(ShipClassId, f64)>)],
    base_year: u16,
    year: u16,
) -> Vec<(ShipClassId, f64)> {
    let mut classes: Vec<ShipClassId> = Vec::new();
    for &(c, _) in ships.iter().chain(fleet.iter().flat_map(|f| f.1.iter())) {
        if !classes.contains(&c) {
            classes.push(c);
        }
    }
    let share = |mix: &[(ShipClassId, f64)], c: ShipClassId| {
        mix.iter().filter(|m| m.0 == c).map(|m| m.1).sum::<f64>()
    };
    let mut from = (base_year, ships);
    let mut to = None;
    for (y, mix) in fleet {
        if *y <= year {
            from = (*y, mix.as_slice());
        } else {
            to = Some((*y, mix.as_slice()));
            break;
        }
    }
    let w = match to {
        Some((y1, _)) if year > from.0 => f64::from(year - from.0) / f64::from(y1 - from.0),
        _ => 0.0,
    };
    let to_mix = to.map_or(from.1, |t| t.1);
    classes
        .into_iter()
        .map(|c| (c, (1.0 - w) * share(from.1, c) + w * share(to_mix, c)))
        .filter(|&(_, s)| s > 0.0)
        .collect()
}

/// When a tramp flow's calls come.
#[derive(Clone, Debug)]
pub enum Timing {
    /// Independent calls, Poisson in time (thinned by the seasonal factor).
    Poisson,
    /// An annual delivery programme: evenly spaced slots (closer in months with a higher
    /// seasonal factor), each call late against its slot by a draw of `jitter_h` hours.
    Programme {
        /// Lateness against the slot, hours.
        jitter_h: Dist,
    },
    /// Ordered against the stock in the flow's tank (its yard terminal): the tank sends out
    /// the flow's volume over the year (by its seasonal factor, up to the terminal's pipeline
    /// rate), and the next ship is ordered when stock plus cargo on order falls to the reorder
    /// level.
    Stock(StockRule),
}

/// The ordering rule of a stock-driven flow (an (s, Q) rule: Q is one ship's parcel).
#[derive(Clone, Debug)]
pub struct StockRule {
    /// Order the next ship when stock plus cargo on order falls to this.
    pub reorder: Reorder,
    /// Stock at the start of the run (the start of the warm-up), tonnes.
    pub initial_t: f64,
    /// From the order to the ship's arrival at the anchorage, hours.
    pub lead_h: Dist,
}

/// A stock-driven flow's reorder level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reorder {
    /// A fixed level, tonnes.
    Tonnes(f64),
    /// Days of cover at the send-out of the moment (the design year's volume and the month's
    /// seasonal factor): the level grows with demand and with the winter peak, as an operator
    /// keeps so many days in the tanks.
    Days(f64),
}

impl Reorder {
    /// The level in tonnes at a send-out of `t_per_h`.
    pub fn level_t(self, t_per_h: f64) -> f64 {
        match self {
            Reorder::Tonnes(t) => t,
            Reorder::Days(d) => d * 24.0 * t_per_h,
        }
    }
}

/// A weekly liner service: scheduled calls with random delays carrying one or more flows.
#[derive(Clone, Debug)]
pub struct LinerService {
    /// Name, unique within the scenario.
    pub name: String,
    /// The port it calls at.
    pub port: PortId,
    /// Restricts calls to one terminal, if set.
    pub terminal: Option<TerminalId>,
    /// Restricts calls to one quay section of that terminal (`Berth::section`), if set: the
    /// berths of the operator the service is contracted to.
    pub section: Option<u32>,
    /// The ship class deployed.
    pub ship_class: ShipClassId,
    /// Calls per week (evenly spaced).
    pub calls_per_week: f64,
    /// Scheduled time of the first call, hours after the start of the run (`None`: a random
    /// phase within the first headway, drawn from the service's stream).
    pub first_call_h: Option<f64>,
    /// Delay behind schedule, hours.
    pub delay_h: Dist,
    /// Coefficient of variation of the call size around its mean.
    pub call_size_cv: f64,
    /// Flows carried (discharged here, or loaded here for exports).
    pub flows: Vec<FlowId>,
    /// Transshipment flows it takes onward from the yard (loaded here).
    pub onward_flows: Vec<FlowId>,
}
