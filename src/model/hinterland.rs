//! The hinterland: regions, rail corridors, and how a flow's cargo reaches them.

use super::cargo::CargoSet;
use super::dist::Dist;
use super::ids::{CorridorId, PortId, RegionId, TerminalId};

/// An inland region served by the ports (Shenyang, Changchun, Harbin…).
#[derive(Clone, Debug)]
pub struct Region {
    /// Name.
    pub name: String,
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
}
