//! Ports, port areas, their approach channels, tides and closures.

use super::dist::Dist;
use super::ids::{AreaId, BerthId, CorridorId, PortId, TerminalId};

/// A port: one of the cluster's members, with its port areas.
#[derive(Clone, Debug)]
pub struct Port {
    /// Name as used in outputs ("Dalian").
    pub name: String,
    /// Its port areas.
    pub areas: Vec<AreaId>,
    /// The tide at the port.
    pub tide: Tide,
    /// Weather and ice closure regimes.
    pub closures: Vec<ClosureRegime>,
    /// Closures on dates.
    pub disruptions: Vec<Disruption>,
    /// Loading tracks at the port's rail station, shared by its corridors (0: no rail).
    pub rail_loading_tracks: u32,
}

/// A semi-diurnal tide: water above chart datum `range_m / 2 · (1 + cos(2π (t − hw) / 12.42 h))`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tide {
    /// Mean tidal range (high water minus low water), metres.
    pub range_m: f64,
    /// Time of a high water, hours after the start of the design year.
    pub high_water_h: f64,
}

/// Period of the principal lunar semi-diurnal tide (M2), hours.
pub const TIDE_PERIOD_H: f64 = 12.42;

impl Tide {
    /// Water above chart datum at time `t_h` (hours since the start of the run's calendar).
    pub fn height_m(&self, t_h: f64) -> f64 {
        let phase = 2.0 * std::f64::consts::PI * (t_h - self.high_water_h) / TIDE_PERIOD_H;
        0.5 * self.range_m * (1.0 + phase.cos())
    }

    /// Half-width, in hours, of the window around each high water when the tide gives at least
    /// `need_m` of extra water. `None` if the tide never gives that much; `Some(inf)` if it
    /// always does.
    pub fn window_half_width_h(&self, need_m: f64) -> Option<f64> {
        if need_m <= 0.0 {
            return Some(f64::INFINITY);
        }
        if need_m > self.range_m {
            return None;
        }
        let c = 2.0 * need_m / self.range_m - 1.0;
        Some(c.acos() * TIDE_PERIOD_H / (2.0 * std::f64::consts::PI))
    }

    /// The earliest start `≥ now_h` of a transit lasting `transit_h` hours during which the
    /// tide gives at least `need_m` throughout; `None` if no such window exists.
    ///
    /// ```
    /// use portsim::model::Tide;
    /// let tide = Tide { range_m: 2.0, high_water_h: 0.0 };
    /// // Needs 1 m: the window is ±3.105 h around each high water (12.42 h apart).
    /// let start = tide.next_window_h(4.0, 1.0, 1.0).unwrap();
    /// assert!((start - (12.42 - 3.105)).abs() < 1e-9);
    /// assert_eq!(tide.next_window_h(1.0, 1.0, 1.0), Some(1.0));
    /// ```
    pub fn next_window_h(&self, now_h: f64, need_m: f64, transit_h: f64) -> Option<f64> {
        let w = self.window_half_width_h(need_m)?;
        if w.is_infinite() {
            return Some(now_h);
        }
        if 2.0 * w < transit_h {
            return None;
        }
        // High water number n is at hw + nT; a start is valid in [hw+nT−w, hw+nT+w−transit].
        let n = ((now_h - self.high_water_h - (w - transit_h)) / TIDE_PERIOD_H).ceil();
        let hw = self.high_water_h + n * TIDE_PERIOD_H;
        Some(now_h.max(hw - w))
    }
}

/// An approach channel of a port area.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Depth at chart datum (low water), metres.
    pub depth_m: f64,
    /// Required under-keel clearance, metres.
    pub ukc_m: f64,
    /// Transit time from anchorage to berth (and back), hours.
    pub transit_h: f64,
    /// Ships of at least this deadweight need the channel to themselves (one-way traffic).
    pub one_way_min_dwt_t: Option<f64>,
}

impl Channel {
    /// The extra water, metres, a ship of this draft needs from the tide.
    pub fn tide_need_m(&self, draft_m: f64) -> f64 {
        draft_m + self.ukc_m - self.depth_m
    }
}

/// A port area: a group of terminals sharing an approach channel.
#[derive(Clone, Debug)]
pub struct PortArea {
    /// Name ("Dayaowan").
    pub name: String,
    /// The port it belongs to.
    pub port: PortId,
    /// Its approach channel; `None` means open water with no restriction and no transit time.
    pub channel: Option<Channel>,
    /// Its terminals.
    pub terminals: Vec<TerminalId>,
}

/// What a closure stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClosureStops {
    /// Ships may not enter or leave through the channel.
    pub channel: bool,
    /// Cargo handling at berth stops.
    pub handling: bool,
}

/// A closure on a date of the design year (a typhoon's passage, a severe ice spell).
#[derive(Clone, Debug, PartialEq)]
pub struct Disruption {
    /// A label for reports.
    pub name: String,
    /// Hours after 1 January 00:00 of the design year it starts.
    pub start_h: f64,
    /// How long, hours.
    pub duration_h: f64,
    /// What it stops.
    pub stops: ClosureStops,
}

/// Berths out of service on a date of the design year (a crane failure, an accident, a
/// structural repair): work at them stops and they take no ship until it ends.
#[derive(Clone, Debug, PartialEq)]
pub struct BerthOutage {
    /// A label for reports.
    pub name: String,
    /// The berths out.
    pub berths: Vec<BerthId>,
    /// Hours after 1 January 00:00 of the design year it starts.
    pub start_h: f64,
    /// How long, hours.
    pub duration_h: f64,
}

/// A rail corridor out of service on a date of the design year: no train starts on it either
/// way until it ends (trains already running finish their trip).
#[derive(Clone, Debug, PartialEq)]
pub struct RailOutage {
    /// A label for reports.
    pub name: String,
    /// The corridor.
    pub corridor: CorridorId,
    /// Hours after 1 January 00:00 of the design year it starts.
    pub start_h: f64,
    /// How long, hours.
    pub duration_h: f64,
}

/// Random closure episodes (wind, fog, sea ice) in some months of the year.
#[derive(Clone, Debug)]
pub struct ClosureRegime {
    /// A label for reports ("sea ice").
    pub name: String,
    /// The months (1–12) in which episodes start.
    pub months: Vec<u8>,
    /// Expected number of episodes per month (Poisson).
    pub episodes_per_month: f64,
    /// Duration of one episode, hours.
    pub duration_h: Dist,
    /// What an episode stops.
    pub stops: ClosureStops,
}
