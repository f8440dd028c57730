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
        self.shares_shifted(rail_wait_h, 0.0)
    }

    /// [`shares`](Self::shares) with `rail_shift` added to rail's constant (a [`RailPath`]'s
    /// shift): rail's odds against every other mode × e^`rail_shift`.
    pub fn shares_shifted(&self, rail_wait_h: f64, rail_shift: f64) -> ModeSplit {
        let utility = |m: usize| {
            let (wait, shift) = if m == 0 {
                (rail_wait_h, rail_shift)
            } else {
                (0.0, 0.0)
            };
            self.asc[m] + shift - self.theta * (self.cost[m] + self.value_of_time * wait)
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
        self.shares_shifted(rail_wait_h, 0.0)
    }

    /// [`shares`](Self::shares) with rail's odds against every other mode multiplied by
    /// e^`rail_shift` (a [`RailPath`]'s shift of the rail constant; 0 leaves them as they are).
    ///
    /// ```
    /// use portsim::model::{Dist, Hinterland, ModeSplit, RegionId, TerminalId};
    /// let h = Hinterland {
    ///     region: RegionId(0),
    ///     modes: ModeSplit { rail: 0.2, road: 0.8, pipeline: 0.0 },
    ///     dwell_h: Dist::Fixed(24.0),
    ///     terminal: TerminalId(0),
    ///     corridor: None,
    ///     choice: None,
    /// };
    /// // Odds 1 : 4, doubled: 2 : 4.
    /// assert!((h.shares_shifted(0.0, 2f64.ln()).rail - 1.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn shares_shifted(&self, rail_wait_h: f64, rail_shift: f64) -> ModeSplit {
        match &self.choice {
            Some(c) => c.shares_shifted(rail_wait_h, rail_shift),
            None if rail_shift == 0.0 || self.modes.rail <= 0.0 => self.modes,
            None => {
                let k = rail_shift.exp();
                let total = k * self.modes.rail + self.modes.road + self.modes.pipeline;
                ModeSplit {
                    rail: k * self.modes.rail / total,
                    road: self.modes.road / total,
                    pipeline: self.modes.pipeline / total,
                }
            }
        }
    }
}

/// Rail volumes as they went: what one cargo class's flows at some ports moved by rail in the
/// years the record gives (`[[rail_paths]]`). Their legs' preference for rail moves by one
/// amount — a shift of the rail constant, the same for every leg the path covers, so rail's
/// odds are multiplied by one factor — solved so that at the year's mean demand and on the
/// costs the constants were calibrated on, the legs' rail volume is the record's. The shift
/// grows evenly from 0 in the base year to the first year given, between the years given, and
/// holds after the last: the services and habits that made the record stay, and costs,
/// capacity and demand move the shares from there.
///
/// It is solved on the scenario as written and kept by every design year's model, like the
/// constants themselves: a project moves shares through what it changes, not by being
/// calibrated away (and may not edit the path). A sweep point, a scenario of its own, is
/// solved on its own demand: it reproduces the record too. The shift applies to the flows'
/// legs from their own port; a call the integrated policy sends elsewhere takes that port's
/// leg unshifted (the solve counts every call at its own port).
#[derive(Clone, Debug, PartialEq)]
pub struct RailPath {
    /// What it covers, for messages (`Dalian container`).
    pub label: String,
    /// The flows it covers, by name (each has a hinterland leg offering rail and another mode).
    pub flows: Vec<String>,
    /// (year, rail volume in the cargo's unit), ascending: the record.
    pub values: Vec<(u16, f64)>,
    /// (year, shift of the rail constant) solved for each year of `values`.
    pub shifts: Vec<(u16, f64)>,
    /// Where the figures come from.
    pub source: String,
}

impl RailPath {
    /// The shift of the rail constant in `year`: 0 up to the base year, interpolated linearly
    /// to the years solved, the last one's after them.
    ///
    /// ```
    /// use portsim::model::RailPath;
    /// let p = RailPath {
    ///     label: "x".into(),
    ///     flows: vec![],
    ///     values: vec![(2024, 1.0)],
    ///     shifts: vec![(2024, 0.8)],
    ///     source: String::new(),
    /// };
    /// assert_eq!(p.shift(2020, 2020), 0.0);
    /// assert!((p.shift(2022, 2020) - 0.4).abs() < 1e-12);
    /// assert_eq!(p.shift(2030, 2020), 0.8);
    /// ```
    pub fn shift(&self, year: u16, base_year: u16) -> f64 {
        let mut from = (base_year, 0.0);
        for &(y, s) in &self.shifts {
            if year <= from.0 {
                break;
            }
            if year <= y {
                let t = f64::from(year - from.0) / f64::from(y - from.0);
                return from.1 + t * (s - from.1);
            }
            from = (y, s);
        }
        if year <= base_year { 0.0 } else { from.1 }
    }
}

/// The shift of the rail constant (ln of rail's odds factor) that gives legs of the base
/// shares and volumes `legs` — `(volume, rail share)`, each share strictly between 0 and 1 —
/// a rail volume of `target`, which must lie strictly between 0 and the legs' whole volume.
///
/// ```
/// use portsim::model::rail_shift_for;
/// // One leg, 20 % rail of 100: 50 by rail needs odds 1 : 1 from 1 : 4, a factor of 4.
/// let s = rail_shift_for(&[(100.0, 0.2)], 50.0);
/// assert!((s - 4f64.ln()).abs() < 1e-9);
/// ```
pub fn rail_shift_for(legs: &[(f64, f64)], target: f64) -> f64 {
    let volume = |shift: f64| {
        let k = shift.exp();
        legs.iter()
            .map(|&(v, r)| v * k * r / (k * r + 1.0 - r))
            .sum::<f64>()
    };
    // The volume rises with the shift; bisect on a bracket wide enough for any share a file
    // can state (odds × e^±60).
    let (mut lo, mut hi) = (-60.0f64, 60.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if volume(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}
