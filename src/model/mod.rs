//! The validated domain model: what a scenario file becomes once every name is resolved and
//! every number checked. Nothing here can be invalid; `scenario` is the only way in.
//!
//! ```text
//! Port ─┬─ PortArea (approach channel) ─┬─ Terminal ─┬─ Berth
//!       │                               │            └─ Berth …
//!       └─ tide, closures               └─ Terminal …
//! Flow (cargo, direction, port, volume) ── Tramp arrivals (ship classes) | LinerService
//! ```

mod cargo;
mod dist;
mod flow;
mod hinterland;
mod ids;
mod port;
mod terminal;
mod vessel;

pub use cargo::{CargoClass, CargoSet, cargo_words};
pub use dist::Dist;
pub use flow::{
    Alternative, Arrivals, Direction, Flow, GrowthDraw, LinerService, MAX_VOLUME_T_PER_YR,
    MAX_VOLUME_TEU_PER_YR, Reorder, StockRule, Timing, Transship, fleet_mix, triangular_quantile,
};
pub use hinterland::{
    Choice, Departure, Hinterland, HubCargo, MODES, ModeChoice, ModeSplit, RailCorridor,
    RailDirection, RailPath, Region, Tariff, rail_shift_for,
};
pub use ids::{
    AreaId, BerthId, CorridorId, FlowId, PortId, RegionId, ServiceId, ShipClassId, TerminalId,
};
pub use port::{
    BerthOutage, Channel, ClosureRegime, ClosureStops, Disruption, Port, PortArea, RailOutage,
    TIDE_PERIOD_H, Tide,
};
pub use terminal::{Berth, BerthAllocation, Gate, Terminal, Yard};
pub use vessel::ShipClass;

/// Run settings that a scenario carries (the CLI may override replications, seed and years).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The year whose demand the flows state.
    pub base_year: u16,
    /// Design years run by default.
    pub years: Vec<u16>,
    /// Warm-up, days, discarded from every statistic.
    pub warmup_days: f64,
    /// Measured period, days.
    pub measured_days: f64,
    /// Default number of replications.
    pub replications: u32,
    /// Default master seed.
    pub seed: u64,
    /// Tonnes per TEU, to add containers to tonnage.
    pub t_per_teu: f64,
    /// Every flow's volume × this (1 in a scenario file; sweeps and capacity searches vary it).
    pub demand_multiplier: f64,
    /// Every uncertain demand draw (growth rates, a path's uncertain years) fixed at this
    /// quantile instead of drawn per replication — a low, central or high future for every
    /// class at once (`None`: drawn; `portsim projects --demand` sets it).
    pub demand_quantile: Option<f64>,
    /// The operating policy.
    pub policy: Policy,
}

/// How the cluster is operated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    /// Every flow calls at its own port: six separately run ports.
    #[default]
    Independent,
    /// A flow with alternative ports sends each call to the port of least expected cost: the
    /// ship's expected wait (from the live queues) times its cost per hour, plus the
    /// hinterland haul from that port.
    Integrated,
    /// Integrated operation with the international container flows that name a `hub` routed
    /// through it: deep-sea calls concentrate at the hub, with feeders to and from the other
    /// ports.
    HubFeeder,
}

impl Policy {
    /// Every policy, in the order used in messages.
    pub const ALL: [Policy; 3] = [Policy::Independent, Policy::Integrated, Policy::HubFeeder];

    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Independent => "independent",
            Policy::Integrated => "integrated",
            Policy::HubFeeder => "hub-feeder",
        }
    }

    /// Whether the ports are run as one: calls may go to alternative ports and terminals share
    /// pooled berths.
    pub fn integrates(self) -> bool {
        matches!(self, Policy::Integrated | Policy::HubFeeder)
    }
}

/// Planning criteria a scenario carries.
#[derive(Clone, Debug, Default)]
pub struct Planning {
    /// Largest acceptable mean wait / mean service per cargo class (index by
    /// [`CargoClass::index`]); `None` where the scenario sets none.
    pub wait_ratio_max: [Option<f64>; CargoClass::COUNT],
    /// The other limits `portsim projects` judges a project's need by.
    pub limits: PlanningLimits,
}

/// The limits besides the waiting ratio that make a project needed (`[planning] limits`);
/// the defaults are assumptions a planner would start from, stated beside each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanningLimits {
    /// A terminal's berth occupancy: `None` — the PIANC allowable occupancy for its number of
    /// berths at the waiting-ratio limit it is held to (the loosest of its cargoes', E2/E2/n);
    /// `Some(x)` — a flat ceiling.
    pub berth_occupancy: Option<f64>,
    /// Hours a year a terminal's yard may be full (default 88: 1 % of the year).
    pub yard_full_h: f64,
    /// The share of a port's rail cargo of a class that may be diverted to road after waiting
    /// too long for a train (default 0.05).
    pub diverted_share: f64,
    /// Hours a year a port's tanks of a cargo may be empty while send-out is due (default 24:
    /// one day).
    pub stockout_h: f64,
    /// The share of a year's send-out a port's tanks of a cargo may miss (default 0.01: a
    /// terminal planned to meet 99 % of demand).
    pub send_out_short_share: f64,
}

impl Default for PlanningLimits {
    fn default() -> Self {
        PlanningLimits {
            berth_occupancy: None,
            yard_full_h: 88.0,
            diverted_share: 0.05,
            stockout_h: 24.0,
            send_out_short_share: 0.01,
        }
    }
}

impl PlanningLimits {
    /// The metrics these limits apply to, as `[planning] limits` names them.
    pub const METRICS: [&'static str; 5] = [
        "berth_occupancy",
        "yard_full_h",
        "diverted_share",
        "stockout_h",
        "send_out_short_share",
    ];
}

/// Emission factors at berth, g/kWh, in the order CO₂, NOₓ, SOₓ, PM.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Emissions {
    /// Ships' own generation (auxiliary engines).
    pub ship_g_per_kwh: [f64; 4],
    /// The grid behind shore power.
    pub grid_g_per_kwh: [f64; 4],
    /// Ships' boilers at berth (the ship's generators' factors unless a scenario gives its own).
    pub boiler_g_per_kwh: [f64; 4],
}

/// A goal a scenario is judged against: `metric` of `port` × `cargo` in `year` at least (or at
/// most) `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Design year.
    pub year: u16,
    /// Port name, `Port/Terminal`, or `ALL`.
    pub port: String,
    /// Cargo class name or `ALL`.
    pub cargo: String,
    /// Metric name.
    pub metric: String,
    /// How the simulated value must relate to `value`.
    pub bound: Bound,
    /// The goal's figure.
    pub value: f64,
    /// Where the goal comes from.
    pub source: String,
}

/// Demand as it went: multipliers of the base year's volumes for the years after it where
/// the record has them (consecutive from the base year + 1); growth continues from the last.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandPath {
    /// What it covers, for messages (`Dalian container`).
    pub label: String,
    /// (year, multiplier of the base-year volume), ascending and consecutive.
    pub multipliers: Vec<(u16, f64)>,
    /// Uncertain years after those: (year, the multiplier's distribution), consecutive. One
    /// uniform draw per replication (from the stream `key`) sets every one of them at the same
    /// quantile: a high future stays high.
    pub drawn: Vec<(u16, GrowthDraw)>,
    /// The random stream of the draw.
    pub key: String,
    /// Where the figures come from.
    pub source: String,
}

impl DemandPath {
    /// The multiplier in `year` at the quantile `u` of the uncertain years (their mean where
    /// `u` is `None`): 1 in the base year and before the path, the path's own in its years,
    /// `None` after its last year.
    pub fn multiplier(&self, year: u16, u: Option<f64>) -> Option<f64> {
        let first = self
            .multipliers
            .first()
            .map(|m| m.0)
            .or(self.drawn.first().map(|d| d.0));
        if first.is_some_and(|f| year < f) {
            return Some(1.0);
        }
        let drawn = |d: &GrowthDraw| u.map_or_else(|| d.mean(), |u| d.quantile(u));
        self.multipliers
            .iter()
            .find(|(y, _)| *y == year)
            .map(|&(_, m)| m)
            .or_else(|| {
                self.drawn
                    .iter()
                    .find(|(y, _)| *y == year)
                    .map(|(_, d)| drawn(d))
            })
    }

    /// The last year and its multiplier (at the quantile `u` if it is uncertain).
    pub fn last(&self, u: Option<f64>) -> Option<(f64, u16)> {
        let year = self
            .drawn
            .last()
            .map(|d| d.0)
            .or(self.multipliers.last().map(|m| m.0))?;
        Some((self.multiplier(year, u)?, year))
    }
}

/// How a goal bounds its metric.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// At least the goal's figure.
    AtLeast,
    /// At most the goal's figure.
    AtMost,
    /// Within `tolerance` × |figure| of it, either side (a figure, not a floor).
    Within {
        /// The band either side, as a fraction of the figure.
        tolerance: f64,
    },
}

impl Bound {
    /// Whether `x` meets a goal of `value` with this bound.
    ///
    /// ```
    /// use portsim::model::Bound;
    /// let within = Bound::Within { tolerance: 0.05 };
    /// assert!(within.met(790e6, 760e6)); // +3.9 %
    /// assert!(!within.met(850e6, 760e6)); // +11.8 %: a figure is missed from above too
    /// assert!(Bound::AtLeast.met(850e6, 760e6));
    /// ```
    pub fn met(self, x: f64, value: f64) -> bool {
        match self {
            Bound::AtLeast => x >= value,
            Bound::AtMost => x <= value,
            Bound::Within { tolerance } => (x - value).abs() <= tolerance * value.abs(),
        }
    }

    /// Whether an interval `[lo, hi]` of a metric's mean settles the goal: `met` where all of
    /// it meets it, `missed` where none of it does (the goal's whole range outside it), and
    /// `unclear` where it holds values on both sides — or is no interval (NaN, one replication).
    ///
    /// ```
    /// use portsim::model::Bound;
    /// assert_eq!(Bound::AtMost.verdict(0.076, 0.114, 0.10), "unclear");
    /// assert_eq!(Bound::AtMost.verdict(0.02, 0.05, 0.10), "met");
    /// assert_eq!(Bound::AtLeast.verdict(0.12, 0.14, 0.15), "missed");
    /// let within = Bound::Within { tolerance: 0.05 };
    /// assert_eq!(within.verdict(90.0, 110.0, 100.0), "unclear"); // holds all of 95 … 105
    /// assert_eq!(within.verdict(106.0, 110.0, 100.0), "missed");
    /// ```
    pub fn verdict(self, lo: f64, hi: f64, value: f64) -> &'static str {
        if lo.is_nan() || hi.is_nan() {
            return "unclear";
        }
        // The goal's ranges are intervals (or half-lines), so both ends meeting it means all
        // between do; and an interval meeting it nowhere holds neither end nor the target.
        match (self.met(lo, value), self.met(hi, value)) {
            (true, true) => "met",
            (false, false) if !(lo..=hi).contains(&value) => "missed",
            _ => "unclear",
        }
    }

    /// The bound as written in `targets.csv`: `at_least`, `at_most` or `within_<tolerance>`.
    pub fn label(self) -> String {
        match self {
            Bound::AtLeast => "at_least".into(),
            Bound::AtMost => "at_most".into(),
            Bound::Within { tolerance } => format!("within_{tolerance}"),
        }
    }

    /// Reads [`label`](Self::label)'s form back.
    pub fn parse(s: &str) -> Option<Bound> {
        match s {
            "at_least" => Some(Bound::AtLeast),
            "at_most" => Some(Bound::AtMost),
            _ => {
                let t: f64 = s.strip_prefix("within_")?.parse().ok()?;
                (t.is_finite() && t >= 0.0).then_some(Bound::Within { tolerance: t })
            }
        }
    }
}

/// A complete, validated scenario.
#[derive(Clone, Debug)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// One-paragraph description.
    pub description: String,
    /// Run settings.
    pub settings: Settings,
    /// Ports, in file order.
    pub ports: Vec<Port>,
    /// Port areas.
    pub areas: Vec<PortArea>,
    /// Terminals.
    pub terminals: Vec<Terminal>,
    /// Berths.
    pub berths: Vec<Berth>,
    /// Ship classes.
    pub ship_classes: Vec<ShipClass>,
    /// Demand flows.
    pub flows: Vec<Flow>,
    /// Liner services.
    pub services: Vec<LinerService>,
    /// Hinterland regions.
    pub regions: Vec<Region>,
    /// Rail corridors.
    pub corridors: Vec<RailCorridor>,
    /// Mode choice (`None`: every flow's mode split is fixed).
    pub mode_choice: Option<ModeChoice>,
    /// Planning criteria.
    pub planning: Planning,
    /// Emission factors at berth.
    pub emissions: Emissions,
    /// Goals.
    pub targets: Vec<Target>,
    /// Demand paths the flows follow.
    pub demand_paths: Vec<DemandPath>,
    /// Rail volumes as they went, which shift the rail constants of the flows they cover.
    pub rail_paths: Vec<RailPath>,
    /// The projects the scenario includes, and what it needs to apply them by design year.
    pub projects: Option<std::sync::Arc<Projects>>,
    /// Berth outages on dates.
    pub berth_outages: Vec<BerthOutage>,
    /// Rail corridor outages on dates.
    pub rail_outages: Vec<RailOutage>,
    /// What time, cargo and emissions are worth (`None`: projects are not valued).
    pub economics: Option<Economics>,
}

/// `[economics]`: what time, cargo and emissions are worth, for the value of projects.
#[derive(Clone, Debug, PartialEq)]
pub struct Economics {
    /// Real discount rate a year.
    pub discount_rate: f64,
    /// The value of cargo's time aboard a waiting ship, CNY per tonne-hour.
    pub cargo_value_per_t_h: f64,
    /// The price of CO₂, CNY a tonne.
    pub co2_per_t: f64,
    /// What a tonne of send-out not made costs, CNY.
    pub unserved_send_out_per_t: f64,
}

/// A project's costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProjectCost {
    /// Capital cost, CNY.
    pub capex: f64,
    /// Operating cost, CNY a year.
    pub opex_per_yr: f64,
    /// Economic life, years.
    pub life_yr: u32,
}

/// A scenario's included projects: overlays applied from their in-service year.
#[derive(Clone, Debug)]
pub struct Projects {
    /// The scenario file as named.
    pub file: String,
    /// The name a file without one takes.
    pub default_name: String,
    /// The scenario's TOML text, with the project definitions.
    pub text: String,
    /// The included projects, in file order: name and first year in service.
    pub included: Vec<(String, u16)>,
    /// Their costs, where given (in the order of `included`).
    pub costs: Vec<Option<ProjectCost>>,
}

impl Flow {
    /// Whether the flow's cargo passes through a yard (a hinterland leg, or a transshipment
    /// between two calls).
    pub fn through_yard(&self) -> bool {
        self.hinterland.is_some() || self.transship.is_some()
    }

    /// Whether the flow's calls are ordered against a tank's stock (`arrivals = "stock"`).
    pub fn is_stock_driven(&self) -> bool {
        matches!(
            self.arrivals,
            Arrivals::Tramp {
                timing: Timing::Stock(_),
                ..
            }
        )
    }

    /// The terminal whose yard holds the flow's cargo, if it passes through one.
    pub fn yard_terminal(&self) -> Option<TerminalId> {
        self.hinterland
            .as_ref()
            .map(|h| h.terminal)
            .or(self.transship.as_ref().map(|t| t.terminal))
    }
}

impl Model {
    /// The demand multiplier of a flow in a design year at its mean growth rate: along its
    /// demand path where it has one, then compound growth from the base year (or the path's
    /// last year), times the scenario's `demand_multiplier`.
    pub fn growth_factor(&self, flow: &Flow, year: u16) -> f64 {
        self.growth_factor_at(flow, year, flow.growth_per_yr, None)
    }

    /// [`growth_factor`](Self::growth_factor) at the growth rate `rate` and the quantile
    /// `path_u` of its path's uncertain years (a replication's draws; `None`: their means).
    pub fn growth_factor_at(&self, flow: &Flow, year: u16, rate: f64, path_u: Option<f64>) -> f64 {
        let base = self.settings.base_year;
        let (multiplier, from) = match flow.path.map(|p| &self.demand_paths[p]) {
            Some(path) => match path.multiplier(year, path_u) {
                Some(m) => return m * self.settings.demand_multiplier,
                None => path.last(path_u).unwrap_or((1.0, base)),
            },
            None => (1.0, base),
        };
        let dy = i32::from(year) - i32::from(from);
        multiplier * (1.0 + rate).powi(dy) * self.settings.demand_multiplier
    }

    /// The highest demand multiplier a replication can draw for a flow in `year` (its highest
    /// growth rate and the top of its path's uncertain years): what budgets and size checks use.
    pub fn growth_factor_high(&self, flow: &Flow, year: u16) -> f64 {
        let rate = flow
            .growth_draw
            .as_ref()
            .map_or(flow.growth_per_yr, |(_, d)| d.max());
        self.growth_factor_at(flow, year, rate, Some(1.0))
    }

    /// Each flow's demand multiplier in `year` for one replication: its growth rate drawn from
    /// its keyed stream where it is uncertain (the same draw in every design year).
    pub fn growth_factors(&self, year: u16, replication_seed: u64) -> Vec<f64> {
        use rand::RngExt;
        let uniform = |key: &str| {
            self.settings
                .demand_quantile
                .unwrap_or_else(|| crate::engine::stream(replication_seed, key).random::<f64>())
        };
        let path_u: Vec<Option<f64>> = self
            .demand_paths
            .iter()
            .map(|p| (!p.drawn.is_empty()).then(|| uniform(&p.key)))
            .collect();
        self.flows
            .iter()
            .map(|f| {
                let rate = f
                    .growth_draw
                    .as_ref()
                    .map_or(f.growth_per_yr, |(key, d)| d.quantile(uniform(key)));
                let u = f.path.and_then(|p| path_u[p]);
                self.growth_factor_at(f, year, rate, u)
            })
            .collect()
    }

    /// Each flow's shift of its rail constant in `year` (0 where no rail path covers it): the
    /// [`RailPath`]s' shifts, matched by flow name.
    pub fn rail_shifts(&self, year: u16) -> Vec<f64> {
        let base = self.settings.base_year;
        self.flows
            .iter()
            .map(|f| {
                self.rail_paths
                    .iter()
                    .find(|p| p.flows.contains(&f.name))
                    .map_or(0.0, |p| p.shift(year, base))
            })
            .collect()
    }

    /// The demand multiplier of a corridor's hub cargo in a design year: compound growth at
    /// its fixed rate from the base year (no path, no draw), times `demand_multiplier`.
    pub fn hub_factor(&self, hub: &HubCargo, year: u16) -> f64 {
        let dy = i32::from(year) - i32::from(self.settings.base_year);
        (1.0 + hub.growth_per_yr).powi(dy) * self.settings.demand_multiplier
    }

    /// Hours by road from port `port` to region `region`: the region's `road_h`, else its road
    /// distance at the road speed, else `fallback`.
    pub fn road_hours(&self, port: PortId, region: RegionId, fallback: f64) -> f64 {
        let r = &self.regions[region.index()];
        let speed = self.mode_choice.as_ref().map_or(50.0, |m| m.road_speed_kmh);
        r.road_h[port.index()]
            .or(r.road_km[port.index()].map(|km| km / speed))
            .unwrap_or(fallback)
    }

    /// Whether a ship of class `class` carrying `cargo` could use berth `b` (size and cargo).
    pub fn berth_fits(&self, b: &Berth, class: &ShipClass, cargo: CargoClass) -> bool {
        b.cargo.contains(cargo)
            && b.max_dwt_t >= class.dwt_t
            && b.length_m >= class.length_m
            && b.depth_m >= class.draft_m
            && self.channel_passable(b.area, class.draft_m)
    }

    /// Whether a ship of this draft can ever pass the area's channel (at high water).
    pub fn channel_passable(&self, area: AreaId, draft_m: f64) -> bool {
        let area = &self.areas[area.index()];
        match &area.channel {
            None => true,
            Some(ch) => self.ports[area.port.index()]
                .tide
                .next_window_h(0.0, ch.tide_need_m(draft_m), ch.transit_h)
                .is_some(),
        }
    }

    /// Whether a call tied to terminal `wanted` may berth at terminal `at`: the same terminal,
    /// or — under the integrated policy — one in the same berth-sharing pool of the port.
    pub fn terminal_serves(&self, wanted: TerminalId, at: TerminalId) -> bool {
        if wanted == at {
            return true;
        }
        let (w, a) = (&self.terminals[wanted.index()], &self.terminals[at.index()]);
        self.settings.policy.integrates()
            && w.port == a.port
            && w.pool.is_some()
            && w.pool == a.pool
    }

    /// The berths a ship of `class` carrying `cargo` at `port` may use (optionally only at
    /// `terminal` and, under the integrated policy, the terminals pooled with it), smallest
    /// sufficient first.
    pub fn compatible_berths(
        &self,
        port: PortId,
        terminal: Option<TerminalId>,
        class: &ShipClass,
        cargo: CargoClass,
    ) -> Vec<BerthId> {
        let mut v: Vec<BerthId> = (0..self.berths.len() as u32)
            .map(BerthId)
            .filter(|&id| {
                let b = &self.berths[id.index()];
                b.port == port
                    && terminal.is_none_or(|t| self.terminal_serves(t, b.terminal))
                    && self.berth_fits(b, class, cargo)
            })
            .collect();
        v.sort_by(|&a, &b| {
            let (x, y) = (&self.berths[a.index()], &self.berths[b.index()]);
            x.max_dwt_t
                .total_cmp(&y.max_dwt_t)
                .then(x.length_m.total_cmp(&y.length_m))
                .then(x.depth_m.total_cmp(&y.depth_m))
                .then(a.cmp(&b))
        });
        v
    }
}
