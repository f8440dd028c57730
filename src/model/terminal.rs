//! Terminals and their berths.

use super::cargo::{CargoClass, CargoSet};
use super::ids::{AreaId, BerthId, PortId, TerminalId};

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
    /// Net handling rate for containers, TEU/h (0 if the berth handles no containers).
    pub rate_teu_per_h: f64,
    /// Coefficient of variation of the rate from call to call (0: always the same).
    pub rate_cv: f64,
    /// Mooring, unmooring and other fixed time per call, hours.
    pub mooring_h: f64,
    /// Whether the berth has shore power.
    pub shore_power: bool,
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
}
