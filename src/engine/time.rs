//! Simulation time in integer ticks.
//!
//! Inputs and outputs speak hours; the engine counts integer ticks of one millisecond so
//! that event order never depends on floating-point rounding.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Engine ticks in one hour (one tick is a millisecond).
pub const TICKS_PER_HOUR: i64 = 3_600_000;

/// The longest span the engine represents, hours (≈ 1,100 years): longer durations are cut
/// to it, so that `now + duration` stays far from the end of 64-bit ticks (≈ 292 million
/// years) whatever a distribution draws. Scenario files cannot ask for anything near it.
pub const MAX_HOURS: f64 = 1e7;

/// Rounds to the nearest integer, halves away from zero, as `f64::round` does — but without
/// the libm call that `round` compiles to on baseline x86-64 (it is on the hot path).
#[inline]
fn round_to_i64(x: f64) -> i64 {
    if x >= 0.0 {
        (x + 0.5) as i64
    } else {
        -((-x + 0.5) as i64)
    }
}

/// A point in simulated time, in ticks since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub i64);

/// A span of simulated time, in ticks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub i64);

impl SimTime {
    /// The start of a run.
    pub const ZERO: SimTime = SimTime(0);

    /// The time `h` hours after the start of the run, rounded to the nearest tick.
    ///
    /// ```
    /// use portsim::engine::SimTime;
    /// assert_eq!(SimTime::from_hours(1.5).as_hours(), 1.5);
    /// ```
    pub fn from_hours(h: f64) -> SimTime {
        SimTime(round_to_i64(
            h.clamp(-MAX_HOURS, MAX_HOURS) * TICKS_PER_HOUR as f64,
        ))
    }

    /// Hours since the start of the run.
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / TICKS_PER_HOUR as f64
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A duration of `h` hours, rounded to the nearest tick; negative input gives zero.
    ///
    /// ```
    /// use portsim::engine::SimDuration;
    /// assert_eq!(SimDuration::from_hours(-2.0), SimDuration::ZERO);
    /// assert_eq!(SimDuration::from_hours(0.25).as_hours(), 0.25);
    /// ```
    pub fn from_hours(h: f64) -> SimDuration {
        if h.is_nan() || h <= 0.0 {
            SimDuration::ZERO
        } else {
            SimDuration(round_to_i64(h.min(MAX_HOURS) * TICKS_PER_HOUR as f64))
        }
    }

    /// The duration in hours.
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / TICKS_PER_HOUR as f64
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, other: SimTime) -> SimDuration {
        SimDuration(self.0 - other.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} h", self.as_hours())
    }
}
