//! The physical range of every number a scenario gives.
//!
//! A value outside its range describes no ship, berth, port or plan that exists or could be
//! built; inside it, every run ends and balances. The ranges are deliberately wide — the
//! largest ship afloat, the fastest berth, a century of simulated time — so that no real
//! study is refused; where a bound is a judgement, the reason is beside it.

use super::checker::num;

/// The range of one kind of number. `zero` admits an exact 0 besides `lo..=hi` (a mooring
/// time of 0, no tide, a yard with no noise).
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    pub lo: f64,
    pub hi: f64,
    pub zero: bool,
    /// Zero is let through for a check of its own, so the range's message does not offer it.
    pub zero_elsewhere: bool,
}

impl Bounds {
    /// Strictly positive values in `lo..=hi`.
    const fn pos(lo: f64, hi: f64) -> Bounds {
        Bounds {
            lo,
            hi,
            zero: false,
            zero_elsewhere: false,
        }
    }

    /// Zero, or values in `lo..=hi`.
    const fn zero_or(lo: f64, hi: f64) -> Bounds {
        Bounds {
            lo,
            hi,
            zero: true,
            zero_elsewhere: false,
        }
    }

    /// The same range admitting an exact 0, and saying so.
    pub const fn with_zero(self) -> Bounds {
        Bounds {
            zero: true,
            zero_elsewhere: false,
            ..self
        }
    }

    /// The same range admitting an exact 0 (for checks that give 0 a message of its own).
    pub const fn or_zero(self) -> Bounds {
        Bounds {
            zero: true,
            zero_elsewhere: true,
            ..self
        }
    }

    /// "from 1 to 600000" or "of 0 or from 0.001 to 2".
    pub fn describe(&self) -> String {
        if self.zero && !self.zero_elsewhere && self.lo > 0.0 {
            format!("of 0 or from {} to {}", num(self.lo), num(self.hi))
        } else {
            format!("from {} to {}", num(self.lo), num(self.hi))
        }
    }
}

// Time. Nothing in a port plan lasts longer than a year, and a run longer than a century is a
// typo. (The engine also cuts any duration at 1e7 h, so that no draw from an unbounded
// distribution can wrap its 64-bit millisecond clock; and a design year's grown demand is
// held to the volume bounds below before it runs, so cargo sums cannot overflow.)
/// Days of warm-up or measurement: at most a century.
pub(super) const HORIZON_DAYS: Bounds = Bounds::zero_or(1.0, 36_500.0);
/// The measured period: at least a day (shorter periods hold no call), at most a century.
pub(super) const MEASURED_DAYS: Bounds = Bounds::pos(1.0, 36_500.0);
/// A duration of one thing — a call's service, a closure, a dwell, a train's transit: at
/// most a year (the longest real ones, a winter's ice or a China–Europe round trip, are
/// weeks). A millisecond at the least, the engine's tick.
pub(super) const DURATION_H: Bounds = Bounds::zero_or(1e-3, 8_760.0);
/// A duration that must be positive.
pub(super) const POSITIVE_DURATION_H: Bounds = Bounds::pos(1e-3, 8_760.0);
/// Hours after the run's start, for the phase of a schedule.
pub(super) const PHASE_H: Bounds = Bounds::zero_or(1e-3, 8_760.0);
/// The hour of high water: a phase of the semi-diurnal tide, within a day either way.
pub(super) const TIDE_PHASE_H: (f64, f64) = (-24.0, 24.0);

// Ships (the largest afloat: 564,763 t DWT Seawise Giant, 458 m; 24,000-TEU boxships, 16 m
// draft; Valemax ore carriers 400,000 t, 23 m draft).
/// Deadweight, t: from a lighter to the largest tanker ever built.
pub(super) const DWT_T: Bounds = Bounds::pos(1.0, 600_000.0);
/// Length overall, m.
pub(super) const LENGTH_M: Bounds = Bounds::pos(1.0, 500.0);
/// Draft, m.
pub(super) const DRAFT_M: Bounds = Bounds::pos(0.1, 30.0);
/// Container capacity, TEU.
pub(super) const SHIP_TEU: Bounds = Bounds::pos(1.0, 30_000.0);
/// A parcel in tonnes: at least a tonne, at most the largest ship.
pub(super) const PARCEL_T: Bounds = Bounds::pos(1.0, 600_000.0);
/// A parcel in TEU: at least one box, at most the largest boxship.
pub(super) const PARCEL_TEU: Bounds = Bounds::pos(1.0, 30_000.0);
/// Auxiliary power at berth, kW (a large cruise ship draws ≈ 15 MW).
pub(super) const POWER_KW: Bounds = Bounds::zero_or(1e-3, 100_000.0);
/// Money per hour or per tonne (any currency): bounded only to keep sums finite.
pub(super) const MONEY: Bounds = Bounds::zero_or(1e-9, 1e9);

// Ports and berths.
/// Tidal range, m (Bay of Fundy, the largest, ≈ 16 m).
pub(super) const TIDE_RANGE_M: Bounds = Bounds::zero_or(1e-3, 20.0);
/// Water depth of a channel or berth, m (the deepest dredged channels ≈ 25 m).
pub(super) const DEPTH_M: Bounds = Bounds::pos(0.1, 50.0);
/// Under-keel clearance, m.
pub(super) const UKC_M: Bounds = Bounds::zero_or(1e-3, 10.0);
/// A berth's length, m (a continuous quay let as one berth rarely exceeds 1.5 km).
pub(super) const BERTH_LENGTH_M: Bounds = Bounds::pos(1.0, 2_000.0);
/// Net handling rate, t/h: at least a tonne an hour, at most about three times the fastest
/// ore loaders (≈ 16,000 t/h).
pub(super) const RATE_T_PER_H: Bounds = Bounds::pos(1.0, 50_000.0);
/// Net handling rate, TEU/h (the fastest ship-to-shore operations reach ≈ 400 TEU/h).
pub(super) const RATE_TEU_PER_H: Bounds = Bounds::pos(0.1, 2_000.0);
/// Quay cranes on one berth.
pub(super) const CRANES: Bounds = Bounds::pos(1.0, 20.0);
/// Moves per crane-hour (≈ 25–40 in practice).
pub(super) const MOVES_PER_CRANE_H: Bounds = Bounds::pos(1.0, 200.0);
/// TEU per crane move: one 20', a 40' (2), twin or tandem lifts (up to 4).
pub(super) const TEU_PER_MOVE: Bounds = Bounds::pos(1.0, 4.0);
/// Tonnes per TEU (an empty box ≈ 2.2 t; a full 20' at most ≈ 30 t).
pub(super) const T_PER_TEU: Bounds = Bounds::pos(1.0, 40.0);
/// Call-to-call variation of a rate or a call's size: 0 (none), or a coefficient of
/// variation from 0.001 (below it, a gamma's shape overflows and means nothing) to 2.
pub(super) const NOISE_CV: Bounds = Bounds::zero_or(1e-3, 2.0);
/// A distribution's coefficient of variation (gamma, lognormal).
pub(super) const DIST_CV: Bounds = Bounds::pos(1e-3, 10.0);
/// Yard capacity, TEU (the largest terminals' yards hold ≈ 100,000 TEU).
pub(super) const YARD_TEU: Bounds = Bounds::pos(1.0, 1e7);
/// Yard or tank capacity, t.
pub(super) const YARD_T: Bounds = Bounds::pos(1.0, 1e10);
/// Days of send-out a tank keeps before it orders (a year of cover is no longer an ordering
/// rule).
pub(super) const COVER_DAYS: Bounds = Bounds::pos(0.01, 365.0);
/// A severe season's factor on a closure regime (a hundred times the usual is a port that
/// never opens).
pub(super) const SEVERITY_FACTOR: Bounds = Bounds::pos(0.01, 100.0);
/// Gate capacity, trucks per hour.
pub(super) const TRUCKS_PER_H: Bounds = Bounds::pos(0.01, 100_000.0);
/// TEU per truck (a chassis carries one 40' or two 20').
pub(super) const TEU_PER_TRUCK: Bounds = Bounds::pos(0.1, 4.0);
/// Tonnes per truck.
pub(super) const T_PER_TRUCK: Bounds = Bounds::pos(0.1, 200.0);
/// A pipeline's rate, t/h.
pub(super) const PIPELINE_T_PER_H: Bounds = Bounds::pos(1.0, 200_000.0);
/// Closure episodes per month (more than one a day would be a closed port).
pub(super) const EPISODES_PER_MONTH: Bounds = Bounds::pos(1e-6, 31.0);

// The land side.
/// A train's load, TEU (double-stacked US trains ≈ 400–800 TEU).
pub(super) const TRAIN_TEU: Bounds = Bounds::pos(1.0, 2_000.0);
/// A train's load, t (heavy-haul trains ≈ 30,000 t).
pub(super) const TRAIN_T: Bounds = Bounds::pos(1.0, 100_000.0);

// Demand.
/// A flow's volume, t a year (the world's busiest port handles ≈ 1.3 Gt); a design year's
/// grown volume is held to the same bound before it runs.
pub(super) const VOLUME_T: Bounds = Bounds::zero_or(1e-6, crate::model::MAX_VOLUME_T_PER_YR);
/// A flow's volume, TEU a year (the world's busiest port handles ≈ 50 M TEU).
pub(super) const VOLUME_TEU: Bounds = Bounds::zero_or(1e-6, crate::model::MAX_VOLUME_TEU_PER_YR);
/// A growth rate a year: above −100 % (the existing message says so) and at most +100 %.
pub(super) const GROWTH_MAX: f64 = 1.0;
/// A monthly seasonality factor (12 puts a year's calls in one month).
pub(super) const SEASON_FACTOR: Bounds = Bounds::zero_or(1e-6, 12.0);
/// Tramp calls (one a minute at the most), in a unit of which `per_yr` make a year's worth
/// (8,760 for calls per hour, 1 for calls per year).
pub(super) fn calls(per_yr: f64) -> Bounds {
    Bounds::zero_or(1e-9, 525_600.0 / per_yr)
}
/// Liner calls a week (a ferry every hour is 168).
pub(super) const CALLS_PER_WEEK: Bounds = Bounds::pos(1e-3, 1_000.0);

// Mode choice.
/// A logit scale per CNY (a cost difference of 1/θ changes the odds by e).
pub(super) const THETA: Bounds = Bounds::pos(1e-9, 100.0);
/// A distance, km (the longest Eurasian rail route is ≈ 13,000 km).
pub(super) const DISTANCE_KM: Bounds = Bounds::zero_or(1e-3, 20_000.0);
/// A speed, km/h.
pub(super) const SPEED_KMH: Bounds = Bounds::pos(1.0, 200.0);

// Goals and factors.
/// An emission factor, g/kWh (CO₂ from heavy fuel ≈ 600–700).
pub(super) const G_PER_KWH: Bounds = Bounds::zero_or(1e-9, 10_000.0);
/// A planning limit on waiting / service.
pub(super) const WAIT_RATIO: Bounds = Bounds::pos(1e-6, 1_000.0);
/// A planning limit on a share (an occupancy, a share of cargo): 0 admits nothing at all.
pub(super) const SHARE: Bounds = Bounds::zero_or(1e-9, 1.0);
/// A planning limit in hours a year.
pub(super) const HOURS_A_YEAR: Bounds = Bounds::zero_or(1e-3, 8_784.0);

/// The last design year a scenario may name (run years, goals, fleet mixes).
pub(super) const LAST_YEAR: u16 = 2200;
