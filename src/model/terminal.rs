//! Terminals and their berths.

use super::cargo::{CargoClass, CargoSet};
use super::ids::{AreaId, BerthId, PortId, TerminalId};
use super::vessel::ShipClass;

/// A terminal: berths handling some cargo classes within a port area.
#[derive(Clone, Debug)]
pub struct Terminal {
    /// Name ("Dayaowan containers").
    pub name: String,
    /// Its port.
    pub port: PortId,
    /// Its port area.
    pub area: AreaId,
    /// Cargo classes it handles.
    pub cargo: CargoSet,
    /// Its berths.
    pub berths: Vec<BerthId>,
    /// Storage for cargo between ship and hinterland.
    pub yard: Yard,
    /// The road gate; `None`: trucks are never the bottleneck.
    pub gate: Option<Gate>,
    /// Pipeline capacity to and from refineries and tank farms, t/h (`None`: no pipeline).
    pub pipeline_t_per_h: Option<f64>,
    /// Hours a ship's discharge may be held up by a full yard before the terminal opens
    /// overflow (off-dock or buffer) space for it: beyond this, the call discharges regardless.
    pub yard_overflow_after_h: f64,
    /// The berth-sharing pool it belongs to (terminals of one port with the same pool name
    /// share their berths under the integrated policy).
    pub pool: Option<String>,
    /// How an arriving ship is given one of its free berths here.
    pub berth_allocation: BerthAllocation,
}

/// How a terminal gives an arriving ship one of the free berths that fit it. (A ship that
/// finds none free queues, and takes the first that frees.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BerthAllocation {
    /// The smallest sufficient berth (by deadweight, then length, then depth): the big berths
    /// stay free for the big ships that only they can take. Bulk and liquid terminals work
    /// this way.
    #[default]
    SmallestSufficient,
    /// The free berth of the quay section (one `[[…berths]]` entry: identical berths, as one
    /// operator runs them) with the smallest share of its berths occupied; between sections
    /// equally occupied, the one given the fewest calls a berth so far (a section back from an
    /// outage rejoins level with the others); a full tie goes to the smallest sufficient. A
    /// container port whose terminals are run by several operators, each with its own
    /// contracted services, spreads its calls over all of them this way. Where a ship may use
    /// berths of several terminals (a berth pool), the smallest sufficient free berth decides
    /// the terminal, and its rule the berth.
    Spread,
}

/// A terminal's storage: stacks, stockpiles or tanks. Capacities are `INFINITY` when the
/// scenario does not limit them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Yard {
    /// Container capacity, TEU.
    pub capacity_teu: f64,
    /// Capacity for all other cargo, tonnes.
    pub capacity_t: f64,
}

impl Yard {
    /// The capacity for a cargo class, in its unit.
    pub fn capacity(&self, cargo: CargoClass) -> f64 {
        if cargo.is_container() {
            self.capacity_teu
        } else {
            self.capacity_t
        }
    }
}

/// A road gate, as an aggregate rate (trucks are not simulated one by one: a FIFO fluid server
/// at the gate's rate gives the same queueing at the gate).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gate {
    /// Trucks per hour through the gate (both directions together).
    pub trucks_per_h: f64,
    /// TEU per truck.
    pub teu_per_truck: f64,
    /// Tonnes per truck.
    pub t_per_truck: f64,
}

impl Gate {
    /// The gate's rate for a cargo class, in its unit per hour.
    pub fn rate_per_h(&self, cargo: CargoClass) -> f64 {
        self.trucks_per_h
            * if cargo.is_container() {
                self.teu_per_truck
            } else {
                self.t_per_truck
            }
    }
}

/// One berth.
#[derive(Clone, Debug)]
pub struct Berth {
    /// Name, unique within the scenario ("DCT-3").
    pub name: String,
    /// Its terminal.
    pub terminal: TerminalId,
    /// Its port area.
    pub area: AreaId,
    /// Its port.
    pub port: PortId,
    /// Cargo classes handled here.
    pub cargo: CargoSet,
    /// Largest ship, deadweight tonnes.
    pub max_dwt_t: f64,
    /// Quay length available to one ship, metres.
    pub length_m: f64,
    /// Depth alongside, metres.
    pub depth_m: f64,
    /// Net handling rate for non-container cargo, t/h (0 if the berth handles only containers).
    pub rate_t_per_h: f64,
    /// Net handling rate for containers, TEU/h (0 if the berth handles no containers), with
    /// all its cranes on one ship.
    pub rate_teu_per_h: f64,
    /// Quay cranes that can work one ship, where the container rate is given by crane (0 when
    /// it is given directly, as a rate per ship whatever the ship).
    pub cranes: f64,
    /// Coefficient of variation of the rate from call to call (0: always the same).
    pub rate_cv: f64,
    /// Mooring, unmooring and other fixed time per call, hours.
    pub mooring_h: f64,
    /// Whether the berth has shore power.
    pub shore_power: bool,
    /// Its quay section: the index, over the scenario, of the `[[…berths]]` entry that
    /// declared it (one entry's berths are identical: "DICT" stands for DICT-1 to DICT-5).
    pub section: u32,
}

impl Berth {
    /// The net handling rate for a cargo class, in its unit per hour.
    #[inline]
    pub fn rate_per_h(&self, cargo: CargoClass) -> f64 {
        if cargo.is_container() {
            self.rate_teu_per_h
        } else {
            self.rate_t_per_h
        }
    }

    /// The net rate at which this berth works a ship of `class` carrying `cargo`, in the
    /// cargo's unit per hour: for boxes, only as many of the berth's cranes as the ship can
    /// take work it (a feeder cannot take the six cranes a mainline ship does).
    #[inline]
    pub fn rate_for(&self, class: &ShipClass, cargo: CargoClass) -> f64 {
        let rate = self.rate_per_h(cargo);
        if cargo.is_container() && self.cranes > 0.0 && class.max_cranes < self.cranes {
            rate * class.max_cranes / self.cranes
        } else {
            rate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dist;

    fn boxship(max_cranes: f64) -> ShipClass {
        ShipClass {
            name: "box".into(),
            cargo: CargoClass::Container,
            dwt_t: 50_000.0,
            length_m: 250.0,
            draft_m: 12.0,
            ballast_draft_m: 6.0,
            capacity: 4_000.0,
            parcel: Dist::Fixed(1_000.0),
            power_at_berth_kw: 0.0,
            boiler_at_berth_kw: 0.0,
            shore_power_share: 0.0,
            max_cranes,
            cost_per_h: 0.0,
            time_cost_per_h: 0.0,
        }
    }

    fn quay(rate_teu_per_h: f64, cranes: f64) -> Berth {
        Berth {
            name: "quay".into(),
            terminal: TerminalId(0),
            area: AreaId(0),
            port: PortId(0),
            cargo: [CargoClass::Container].into_iter().collect(),
            max_dwt_t: f64::INFINITY,
            length_m: f64::INFINITY,
            depth_m: f64::INFINITY,
            rate_t_per_h: 0.0,
            rate_teu_per_h,
            cranes,
            rate_cv: 0.0,
            mooring_h: 0.0,
            shore_power: false,
            section: 0,
        }
    }

    #[test]
    fn a_ship_is_worked_by_no_more_cranes_than_it_takes() {
        // Six cranes at 180 TEU/h: a ship taking three gets half; one taking six or more, all.
        let b = quay(180.0, 6.0);
        assert_eq!(b.rate_for(&boxship(3.0), CargoClass::Container), 90.0);
        assert_eq!(b.rate_for(&boxship(6.0), CargoClass::Container), 180.0);
        assert_eq!(
            b.rate_for(&boxship(f64::INFINITY), CargoClass::Container),
            180.0
        );
        // A rate given per ship, not by crane, is the same for every ship.
        let direct = quay(180.0, 0.0);
        assert_eq!(direct.rate_for(&boxship(3.0), CargoClass::Container), 180.0);
    }
}
