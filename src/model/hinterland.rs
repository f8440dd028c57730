//! The hinterland: regions, rail corridors, and how a flow's cargo reaches them.

use super::cargo::CargoSet;
use super::dist::Dist;
use super::ids::{CorridorId, PortId, RegionId, TerminalId};

/// An inland region served by the ports (Shenyang, Changchun, Harbin…).
#[derive(Clone, Debug)]
pub struct Region {
    /// Name.
    pub name: String,
    /// Road distance from each port (by port index), km, where given (for mode choice).
    pub road_km: Vec<Option<f64>>,
    /// Pipeline distance from each port, km, where given (default: the road distance).
    pub pipeline_km: Vec<Option<f64>>,
    /// Road hours from each port, where given (default: the road distance at the road speed).
    pub road_h: Vec<Option<f64>>,
}

/// The hinterland modes, indexing per-mode arrays: rail, road, pipeline.
pub const MODES: [&str; 3] = ["rail", "road", "pipeline"];

/// A mode's tariff: a fixed charge plus a charge per km, per TEU (containers) and per tonne.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tariff {
    /// Fixed charge, CNY per unit: `[per TEU, per t]` (`None`: not given).
    pub fixed: [Option<f64>; 2],
    /// Charge per km, CNY per unit-km: `[per TEU, per t]`.
    pub per_km: [Option<f64>; 2],
}

/// How generalised cost becomes mode shares (a multinomial logit), and what the cost is made
/// of. Costs are per unit of cargo: per TEU for containers, per tonne otherwise (index 0 and 1
/// of the per-unit arrays).
#[derive(Clone, Debug, PartialEq)]
pub struct ModeChoice {
    /// Logit scale θ, per CNY of generalised cost: `[per TEU, per t]`.
    pub theta: [f64; 2],
    /// Value of time, CNY per unit-hour: `[per TEU, per t]`.
    pub value_of_time: [f64; 2],
    /// Road speed, km/h (a road haul takes its distance over this).
    pub road_speed_kmh: f64,
    /// Tariffs by mode: rail, road, pipeline.
    pub tariffs: [Tariff; 3],
}

/// A hinterland leg's mode choice: which modes it may use, their constants (calibrated so that
/// the base year reproduces the scenario's shares) and their static generalised costs.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Modes on offer (rail, road, pipeline): those with a base-year share.
    pub offered: [bool; 3],
    /// Alternative-specific constants, in units of θ × cost.
    pub asc: [f64; 3],
    /// Generalised cost without congestion, CNY per unit: tariff + value of time × transit.
    pub cost: [f64; 3],
    /// The money in `cost`: tariff and the last kilometre, CNY per unit.
    pub money: [f64; 3],
    /// The hours in `cost` (transit, loading, access and a train's normal wait for rail; the
    /// haul for road): `cost` = `money` + `value_of_time` × `hours`.
    pub hours: [f64; 3],
    /// Logit scale, per CNY.
    pub theta: f64,
    /// Value of time, CNY per unit-hour (prices the live wait for a train).
    pub value_of_time: f64,
}

impl Choice {
    /// The logit shares when rail cargo faces `rail_wait_h` hours of backlog beyond its normal
    /// wait: P_m = exp(ASC_m − θ·GC_m) / Σ_k exp(ASC_k − θ·GC_k).
    ///
    /// ```
    /// use portsim::model::Choice;
    /// let c = Choice {
    ///     offered: [true, true, false],
    ///     asc: [0.0, 0.0, 0.0],
    ///     cost: [100.0, 100.0 + 2f64.ln() / 0.01, 0.0],
    ///     money: [100.0, 100.0 + 2f64.ln() / 0.01, 0.0],
    ///     hours: [0.0; 3],
    ///     theta: 0.01,
    ///     value_of_time: 1.0,
    /// };
    /// let s = c.shares(0.0);
    /// assert!((s.rail - 2.0 / 3.0).abs() < 1e-12); // rail is ln 2 / θ cheaper: odds 2 to 1
    /// ```
    pub fn shares(&self, rail_wait_h: f64) -> ModeSplit {
        let utility = |m: usize| {
            let wait = if m == 0 { rail_wait_h } else { 0.0 };
            self.asc[m] - self.theta * (self.cost[m] + self.value_of_time * wait)
        };
        let best = (0..3)
            .filter(|&m| self.offered[m])
            .map(utility)
            .fold(f64::NEG_INFINITY, f64::max);
        let w: [f64; 3] = std::array::from_fn(|m| {
            if self.offered[m] {
                (utility(m) - best).exp()
            } else {
                0.0
            }
        });
        let total: f64 = w.iter().sum();
        ModeSplit {
            rail: w[0] / total,
            road: w[1] / total,
            pipeline: w[2] / total,
        }
    }

    /// Constants that make [`shares`](Self::shares) with no backlog equal `target` (for the
    /// offered modes, whose targets are positive), the road's (or the first offered mode's)
    /// set to 0.
    pub fn calibrate(&mut self, target: ModeSplit) {
        let t = [target.rail, target.road, target.pipeline];
        let reference = if self.offered[1] {
            1
        } else {
            (0..3).find(|&m| self.offered[m]).unwrap_or(1)
        };
        let raw: Vec<f64> = (0..3)
            .map(|m| {
                if self.offered[m] {
                    t[m].ln() + self.theta * self.cost[m]
                } else {
                    0.0
                }
            })
            .collect();
        for m in 0..3 {
            self.asc[m] = if self.offered[m] {
                raw[m] - raw[reference]
            } else {
                0.0
            };
        }
    }

    /// Constants that make `base`'s costs — its tariffs, distances and hours, the hours priced
    /// at this choice's value of time — give `target` under this choice's θ: the calibration
    /// of a variant of a scenario (a sweep point) on the scenario it varies. The variant's
    /// own costs then move its shares from `target`; a variant that changes only θ, the value
    /// of time or the targets reproduces the targets.
    ///
    /// ```
    /// use portsim::model::{Choice, ModeSplit};
    /// let base = Choice {
    ///     offered: [true, true, false],
    ///     asc: [0.0; 3],
    ///     cost: [1000.0, 2000.0, 0.0],
    ///     money: [500.0, 1750.0, 0.0],
    ///     hours: [10.0, 5.0, 0.0],
    ///     theta: 0.001,
    ///     value_of_time: 50.0,
    /// };
    /// let target = ModeSplit { rail: 0.2, road: 0.8, pipeline: 0.0 };
    /// // The variant: rail 500 CNY dearer and a doubled value of time.
    /// let mut variant = Choice {
    ///     cost: [1000.0 + 1000.0, 1750.0 + 500.0, 0.0],
    ///     money: [1000.0, 1750.0, 0.0],
    ///     value_of_time: 100.0,
    ///     ..base.clone()
    /// };
    /// variant.calibrate_on(&base, target);
    /// // On the base's costs (hours at 100 CNY) the variant reproduces the target; its own
    /// // rail is 500 CNY dearer than that: odds × e^(−0.5).
    /// let odds = 0.2 / 0.8 * (-0.5f64).exp();
    /// assert!((variant.shares(0.0).rail - odds / (1.0 + odds)).abs() < 1e-12);
    /// ```
    pub fn calibrate_on(&mut self, base: &Choice, target: ModeSplit) {
        let mut on = base.clone();
        on.theta = self.theta;
        on.value_of_time = self.value_of_time;
        // The expression the scenario reader prices a leg with: a variant whose money and hours
        // are the base's gets its own constants to the bit.
        for m in 0..3 {
            on.cost[m] = base.money[m] + self.value_of_time * base.hours[m];
        }
        on.calibrate(target);
        self.asc = on.asc;
    }
}

/// When a corridor's trains leave the port.
#[derive(Clone, Debug, PartialEq)]
pub enum Departure {
    /// At fixed times of day (hours after midnight), whatever they carry; a train with nothing
    /// to carry does not run.
    Timetable {
        /// Times a train starts loading, hours after midnight, ascending.
        times_h: Vec<f64>,
    },
    /// As soon as a full train load waits, or when the oldest cargo has waited `max_wait_h`,
    /// at most `slots_per_day` trains a day.
    WhenFull {
        /// Departures allowed per calendar day.
        slots_per_day: u32,
        /// Longest the first waiting cargo waits before a part-load train leaves, hours.
        max_wait_h: f64,
    },
}

/// A rail corridor from a port to a region.
#[derive(Clone, Debug)]
pub struct RailCorridor {
    /// Name.
    pub name: String,
    /// The port it starts at.
    pub port: PortId,
    /// The region it serves.
    pub region: RegionId,
    /// Cargo classes it carries (all containers, or all counted in tonnes).
    pub cargo: CargoSet,
    /// Train load, in the cargo's unit (TEU or t).
    pub train_capacity: f64,
    /// Departure rule.
    pub departure: Departure,
    /// Loading time on a track at the port, hours.
    pub loading_h: f64,
    /// Transit time to the region, hours.
    pub transit_h: f64,
    /// Train sets in rotation (`None`: rolling stock is never short). A set is back at the port
    /// `2 × transit_h` after it leaves.
    pub train_sets: Option<u32>,
    /// Cargo that has waited this long for a train goes by road instead (`None`: it never does).
    pub divert_to_road_after_h: Option<f64>,
    /// Rail distance from the port to the region, km (for mode choice).
    pub distance_km: Option<f64>,
    /// "The last kilometre": moving a unit between its terminal and the rail station, CNY per
    /// unit, and the hours it takes (both 0 where a spur reaches the terminal).
    pub access: (f64, f64),
    /// When inbound trains (region → port, carrying export cargo) leave the inland end: the
    /// same rule as `departure` unless the scenario sets the inbound slots or wait.
    pub inbound: Departure,
    /// Unloading time of an inbound train on one of the port's tracks, hours.
    pub unloading_h: f64,
    /// Cargo the corridor's trains carry through the port's rail station without a ship (a
    /// China–Europe hub's boxes from and to the hinterland), if any.
    pub hub: Option<HubCargo>,
}

/// Which way a train runs: out of the port (to the region) or into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RailDirection {
    /// Port → region: import cargo (and hub cargo assembled at the port).
    Out = 0,
    /// Region → port: export cargo (and hub cargo for the hinterland).
    In = 1,
}

/// Cargo a corridor carries through the port's rail station without touching a ship: at a
/// China–Europe hub, boxes from the Northeast consolidated onto Europe-bound trains (`out`) and
/// boxes on the return trains bound for the Northeast (`in`). Per year in the base year, in the
/// corridor's unit, arriving as a Poisson stream of consignments of `lot` units.
#[derive(Clone, Debug, PartialEq)]
pub struct HubCargo {
    /// Units a year assembled at the port onto outbound trains (base year).
    pub out_per_yr: f64,
    /// Units a year arriving on inbound trains and leaving for the hinterland (base year).
    pub in_per_yr: f64,
    /// Annual growth after the base year.
    pub growth_per_yr: f64,
    /// Units per consignment.
    pub lot: f64,
}

impl Departure {
    /// Trains the rule may run a day.
    pub fn trains_per_day(&self) -> f64 {
        match self {
            Departure::Timetable { times_h } => times_h.len() as f64,
            Departure::WhenFull { slots_per_day, .. } => f64::from(*slots_per_day),
        }
    }

    /// The longest a consignment that has just missed a train waits for the next one, hours:
    /// the part-load limit, or the longest gap in the timetable.
    pub fn longest_wait_h(&self) -> f64 {
        match self {
            Departure::WhenFull { max_wait_h, .. } => *max_wait_h,
            Departure::Timetable { times_h } => {
                let wrap = times_h.first().map_or(24.0, |f| f + 24.0);
                times_h
                    .iter()
                    .zip(times_h.iter().skip(1).chain(std::iter::once(&wrap)))
                    .map(|(a, b)| b - a)
                    .fold(0.0, f64::max)
            }
        }
    }
}

impl RailCorridor {
    /// Outbound trains the corridor may run a day.
    pub fn trains_per_day(&self) -> f64 {
        self.departure.trains_per_day()
    }

    /// The departure rule of trains running `dir`.
    pub fn departure_of(&self, dir: RailDirection) -> &Departure {
        match dir {
            RailDirection::Out => &self.departure,
            RailDirection::In => &self.inbound,
        }
    }

    /// How long before it must be at the port an export consignment sets out by this
    /// corridor: the longest wait for an inbound train, its loading, transit and unloading.
    pub fn inbound_lead_h(&self) -> f64 {
        self.inbound.longest_wait_h() + self.loading_h + self.transit_h + self.unloading_h
    }
}

/// Shares of a flow's cargo by hinterland mode; they sum to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModeSplit {
    /// By rail.
    pub rail: f64,
    /// By road.
    pub road: f64,
    /// By pipeline.
    pub pipeline: f64,
}

/// How a flow's cargo moves between the quay and its region.
#[derive(Clone, Debug)]
pub struct Hinterland {
    /// The region.
    pub region: RegionId,
    /// The planned mode split (realised rail share is an outcome).
    pub modes: ModeSplit,
    /// Imports: time in the yard before the cargo may leave. Exports: how long before its ship
    /// arrives the cargo reaches the port. Hours.
    pub dwell_h: Dist,
    /// The terminal whose yard holds the cargo.
    pub terminal: TerminalId,
    /// The rail corridor used, when `modes.rail > 0`.
    pub corridor: Option<CorridorId>,
    /// Mode choice, when the scenario has it and the leg offers two modes or more (`None`: the
    /// cargo is split by `modes`, which are then fixed).
    pub choice: Option<Choice>,
}

impl Hinterland {
    /// The shares the leg's cargo goes by when rail cargo faces `rail_wait_h` hours of backlog:
    /// by mode choice where it has one, by its fixed split otherwise.
    pub fn shares(&self, rail_wait_h: f64) -> ModeSplit {
        match &self.choice {
            Some(c) => c.shares(rail_wait_h),
            None => self.modes,
        }
    }
}
