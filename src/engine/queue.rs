//! The pending-event list, ordered by `(time, priority, seq)`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

/// One pending event with its ordering key.
#[derive(Debug)]
struct Entry<E> {
    time: SimTime,
    /// `priority << 48 | seq`: lower runs first among events at the same time.
    order: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.order == other.order
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed, so that std's max-heap pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.order.cmp(&self.order))
    }
}

const SEQ_BITS: u32 = 48;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;

/// Pending events in a total order: time, then priority (lower first), then insertion order.
///
/// Two events scheduled for the same time with the same priority come out in the order they
/// were scheduled (FIFO), so a run never depends on the heap's internal layout.
///
/// ```
/// use portsim::engine::{EventQueue, SimTime};
/// let mut q = EventQueue::new();
/// q.push(SimTime(5), 1, "b");
/// q.push(SimTime(5), 0, "a");
/// q.push(SimTime(1), 9, "first");
/// q.push(SimTime(5), 1, "c");
/// let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
/// assert_eq!(order, ["first", "a", "b", "c"]);
/// ```
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// Adds an event; `priority` orders events at the same time (0 first, at most 65535).
    pub fn push(&mut self, time: SimTime, priority: u16, event: E) {
        // 2^48 insertions is far beyond any run (a year of the baseline is ~10^5 events);
        // wrapping would only reorder exact ties, never lose an event.
        let order = (u64::from(priority) << SEQ_BITS) | (self.seq & SEQ_MASK);
        self.seq += 1;
        self.heap.push(Entry { time, order, event });
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
