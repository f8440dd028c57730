//! Resilience: how long a port's queue takes to come back to normal after a dated disruption.
//!
//! A port's dated events (closures, berth outages) are taken as episodes: events that overlap,
//! or that start within 28 days of the end of the one before, are one (two storms a week apart
//! are one episode). A port's *normal level* before an episode is the time-average number of
//! ships waiting there over the 28 days before it starts (from the run's start if that is
//! nearer). The port has *recovered* at the first moment from the episode's end on which no
//! more ships wait than that; `recovery_days` is the time from the episode's end to then. An
//! episode whose port has not recovered by the end of the measured period counts until that
//! end (a censored value, a lower bound).

use super::RunStats;
use crate::engine::TICKS_PER_HOUR;
use crate::model::CargoClass;

/// The look-back over which the normal level is averaged, hours.
pub const NORMAL_LOOKBACK_H: f64 = 28.0 * 24.0;

/// Days of the daily series before an event's start and after its end.
pub const SERIES_DAYS_BEFORE: usize = 28;
/// Days of the daily series after an event's end.
pub const SERIES_DAYS_AFTER: usize = 14;

const DAY: i64 = 24 * TICKS_PER_HOUR;

/// Ships waiting at one port: now, since when, and the integral over the whole run.
#[derive(Clone, Debug, Default)]
pub struct PortQueue {
    level: u64,
    since: i64,
    /// Ship-ticks since the run's start.
    area: i128,
    /// Ship-ticks per day of the design year, for ports with dated disruptions (empty
    /// otherwise).
    pub daily: Vec<i128>,
}

impl PortQueue {
    /// The integral up to `now`, ship-ticks.
    fn area_at(&self, now: i64) -> i128 {
        self.area + i128::from(self.level) * i128::from(now - self.since)
    }
}

/// One dated disruption's recovery at its port.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// The port.
    pub port: usize,
    /// The event's start and end, ticks.
    pub start: i64,
    /// End of the event, ticks.
    pub end: i64,
    /// The queue's integral where the look-back starts (set at its start).
    lookback_area: Option<(i64, i128)>,
    /// The normal level (set when the event starts).
    normal: Option<f64>,
    /// When the queue was back to normal (`None`: not yet).
    pub recovered_at: Option<i64>,
}

impl Recovery {
    /// A recovery to track for an event at `port` from `start` to `end` (ticks).
    pub fn new(port: usize, start: i64, end: i64) -> Self {
        Recovery {
            port,
            start,
            end,
            lookback_area: None,
            normal: None,
            recovered_at: None,
        }
    }

    /// When its look-back starts, ticks (never before the run's start).
    pub fn lookback_start(&self) -> i64 {
        (self.start - (NORMAL_LOOKBACK_H * TICKS_PER_HOUR as f64) as i64).max(0)
    }

    /// The days of the design year (0 = 1 January) its daily series covers, given the
    /// window's start: 28 days before it starts to 14 after it ends.
    pub fn series_days(&self, window_start: i64) -> std::ops::Range<usize> {
        let day = |t: i64| ((t - window_start).max(0) / DAY) as usize;
        day(self.start).saturating_sub(SERIES_DAYS_BEFORE)
            ..(day(self.end) + SERIES_DAYS_AFTER + 1).min(365)
    }

    /// Days from the event's end to the recovery, or to `window_end` if none came by then.
    pub fn days(&self, window_end: i64) -> f64 {
        let until = self.recovered_at.unwrap_or(window_end).min(window_end);
        (until - self.end).max(0) as f64 / (24.0 * TICKS_PER_HOUR as f64)
    }
}

impl RunStats {
    /// Updates port `port`'s queue (ships waiting) by `delta` at `now`, and records recoveries
    /// that this change completes.
    pub(super) fn port_queue_change(&mut self, port: usize, now: i64, delta: i64) {
        let start = self.window.start;
        let q = &mut self.port_queues[port];
        if !q.daily.is_empty() && q.level > 0 {
            // The level held over [since, now), day by day of the design year.
            let mut t = q.since.max(start);
            while t < now {
                let day = (t - start) / DAY;
                let Some(cell) = q.daily.get_mut(day as usize) else {
                    break;
                };
                let until = now.min(start + (day + 1) * DAY);
                *cell += i128::from(q.level) * i128::from(until - t);
                t = until;
            }
        }
        q.area = q.area_at(now);
        q.since = now;
        q.level = (q.level as i64 + delta) as u64;
        let level = q.level as f64;
        if delta < 0 {
            self.check_recoveries(port, now);
        } else {
            // Back to normal only for an instant (a ship berths as another arrives): not yet.
            for r in self.recoveries.iter_mut().filter(|r| r.port == port) {
                if r.recovered_at == Some(now) && r.normal.is_some_and(|n| level > n) {
                    r.recovered_at = None;
                }
            }
        }
    }

    /// The phase of recovery `k` at `now`: 0 its look-back starts, 1 the event starts (its
    /// normal level is fixed), 2 the event ends (watching for the queue to come back).
    pub fn recovery_phase(&mut self, k: usize, phase: u8, now: i64) {
        let port = self.recoveries[k].port;
        let area = self.port_queues[port].area_at(now);
        let r = &mut self.recoveries[k];
        match phase {
            0 => r.lookback_area = Some((now, area)),
            1 => {
                let (from, before) = r.lookback_area.unwrap_or((now, area));
                r.normal = Some(if now > from {
                    (area - before) as f64 / (now - from) as f64
                } else {
                    self.port_queues[port].level as f64
                });
            }
            _ => self.check_recoveries(port, now),
        }
    }

    fn check_recoveries(&mut self, port: usize, now: i64) {
        let level = self.port_queues[port].level as f64;
        for r in self.recoveries.iter_mut().filter(|r| r.port == port) {
            if r.recovered_at.is_none() && now >= r.end && r.normal.is_some_and(|n| level <= n) {
                r.recovered_at = Some(now);
            }
        }
    }

    /// The port of a statistics slot.
    pub(super) fn port_of_slot(slot: usize) -> usize {
        slot / CargoClass::COUNT
    }
}
