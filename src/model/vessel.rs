//! Ship classes.

use super::cargo::CargoClass;
use super::dist::Dist;

/// A class of ship: size, draft and the parcel it moves per call.
#[derive(Clone, Debug)]
pub struct ShipClass {
    /// Name ("capesize").
    pub name: String,
    /// The cargo class it carries.
    pub cargo: CargoClass,
    /// Deadweight, tonnes.
    pub dwt_t: f64,
    /// Length overall, metres.
    pub length_m: f64,
    /// Draft fully laden, metres.
    pub draft_m: f64,
    /// Draft in ballast, metres.
    pub ballast_draft_m: f64,
    /// Capacity in the cargo's unit (DWT for bulk, TEU for container ships).
    pub capacity: f64,
    /// Parcel moved per call, in the cargo's unit (t, or TEU for containers).
    pub parcel: Dist,
    /// Power demand at berth (auxiliary engines and boilers), kW.
    pub power_at_berth_kw: f64,
    /// Of `power_at_berth_kw`, the boilers' part (steam and heat, fired with fuel), kW: shore
    /// power does not replace it, and it burns at the boilers' emission factors.
    pub boiler_at_berth_kw: f64,
    /// Share of the class's calls able and equipped to take shore power (0–1).
    pub shore_power_share: f64,
    /// The most quay cranes that can work one of its ships at once — a matter of its length
    /// (cranes need a few bays between them); unlimited (`f64::INFINITY`) if not given.
    pub max_cranes: f64,
    /// Cost of the ship's time, per hour (for the integrated policy's allocation).
    pub cost_per_h: f64,
    /// Cost of the ship's time for the value of projects, CNY an hour: `cost_per_h` where
    /// given, else `[economics] ship_cost_cny_per_kdwt_h` × deadweight (0 without either).
    pub time_cost_per_h: f64,
}

impl ShipClass {
    /// Draft with `load` units of cargo aboard: linear between ballast and laden.
    pub fn draft_with_load_m(&self, load: f64) -> f64 {
        let f = (load / self.capacity).clamp(0.0, 1.0);
        self.ballast_draft_m + f * (self.draft_m - self.ballast_draft_m)
    }
}
