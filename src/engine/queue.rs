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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_pops_in_time_priority_and_insertion_order_like_a_sort() {
        // Pseudo-random times (negative ones too), priorities and ties: the pops must equal
        // a stable sort by (time, priority).
        let mut q = EventQueue::new();
        let mut want = Vec::new();
        let mut x: u64 = 12345;
        for i in 0..5000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let time = SimTime(((x >> 33) % 200) as i64 - 50);
            let priority = ((x >> 20) % 3) as u16;
            q.push(time, priority, i);
            want.push((time, priority, i));
            if i % 7 == 0 {
                // Interleave pops with pushes, as a run does.
                want.sort_by_key(|&(t, p, k)| (t, p, k));
                let (t, e) = q.pop().expect("an event");
                let w = want.remove(0);
                assert_eq!((t, e), (w.0, w.2));
            }
        }
        want.sort_by_key(|&(t, p, k)| (t, p, k));
        let got: Vec<(SimTime, u32)> = std::iter::from_fn(|| q.pop()).collect();
        let want: Vec<(SimTime, u32)> = want.into_iter().map(|(t, _, k)| (t, k)).collect();
        assert_eq!(got, want);
    }
}
