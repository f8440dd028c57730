//! The clock and the event loop: `now`, `schedule`, `next`.

use std::fmt;

use super::queue::EventQueue;
use super::time::{SimDuration, SimTime};

/// A request to schedule an event before the current time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastEventError {
    /// The current time.
    pub now: SimTime,
    /// The requested time, earlier than `now`.
    pub requested: SimTime,
}

impl fmt::Display for PastEventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot schedule an event at {} before the current time {}",
            self.requested, self.now
        )
    }
}

impl std::error::Error for PastEventError {}

/// A discrete-event scheduler: a clock plus the pending events of type `E`.
///
/// The caller owns the model and runs the loop: `while let Some(e) = sched.next_before(end)`.
/// Keeping the model outside the scheduler lets event handlers borrow the model mutably
/// while they schedule new events.
///
/// ```
/// use portsim::engine::{Scheduler, SimDuration, SimTime};
/// let mut s = Scheduler::new();
/// s.schedule_in(SimDuration::from_hours(2.0), 0, "ship leaves");
/// s.schedule_in(SimDuration::from_hours(1.0), 0, "ship berths");
/// assert_eq!(s.next_before(SimTime::from_hours(10.0)), Some("ship berths"));
/// assert_eq!(s.now(), SimTime::from_hours(1.0));
/// assert!(s.schedule_at(SimTime::ZERO, 0, "too late").is_err());
/// ```
#[derive(Debug)]
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
    processed: u64,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Scheduler<E> {
    /// A scheduler at time zero with no pending events.
    pub fn new() -> Self {
        Scheduler {
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            processed: 0,
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at absolute time `at`.
    ///
    /// # Errors
    /// [`PastEventError`] if `at` is before [`now`](Self::now).
    pub fn schedule_at(
        &mut self,
        at: SimTime,
        priority: u16,
        event: E,
    ) -> Result<(), PastEventError> {
        if at < self.now {
            return Err(PastEventError {
                now: self.now,
                requested: at,
            });
        }
        self.queue.push(at, priority, event);
        Ok(())
    }

    /// Schedules `event` after a delay; a duration is never negative, so this cannot fail.
    #[inline]
    pub fn schedule_in(&mut self, delay: SimDuration, priority: u16, event: E) {
        self.queue
            .push(self.now + delay.max(SimDuration::ZERO), priority, event);
    }

    /// Pops the next event if it is strictly before `end`, advancing the clock to it.
    ///
    /// Returns `None` when the next event is at or after `end` (it stays pending) or when no
    /// event is left; then the clock stays where it was.
    #[inline]
    pub fn next_before(&mut self, end: SimTime) -> Option<E> {
        let (t, e) = self.queue.pop_before(end)?;
        self.now = t;
        self.processed += 1;
        Some(e)
    }

    /// Moves the clock forward to `t` without processing anything (no-op if `t` is earlier).
    pub fn advance_to(&mut self, t: SimTime) {
        if t > self.now {
            self.now = t;
        }
    }

    /// Number of events processed so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Number of events still pending.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_events_run_by_priority_then_fifo() {
        let mut s = Scheduler::new();
        for (p, name) in [(2, "c"), (1, "a"), (1, "b"), (0, "first")] {
            s.schedule_at(SimTime(10), p, name).unwrap();
        }
        let mut log = vec![];
        while let Some(e) = s.next_before(SimTime(100)) {
            log.push((s.now().0, e));
        }
        assert_eq!(log, [(10, "first"), (10, "a"), (10, "b"), (10, "c")]);
    }

    #[test]
    fn events_at_the_horizon_stay_pending() {
        let mut s = Scheduler::new();
        s.schedule_at(SimTime(5), 0, 1).unwrap();
        s.schedule_at(SimTime(10), 0, 2).unwrap();
        assert_eq!(s.next_before(SimTime(10)), Some(1));
        assert_eq!(s.next_before(SimTime(10)), None);
        assert_eq!(s.pending(), 1);
        assert_eq!(s.now(), SimTime(5));
    }

    #[test]
    fn scheduling_in_the_past_is_refused() {
        let mut s = Scheduler::new();
        s.schedule_at(SimTime(5), 0, ()).unwrap();
        s.next_before(SimTime(6));
        let err = s.schedule_at(SimTime(4), 0, ()).unwrap_err();
        assert_eq!(err.requested, SimTime(4));
        assert!(err.to_string().contains("before the current time"));
    }
}
