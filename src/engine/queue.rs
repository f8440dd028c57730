//! The pending-event list, ordered by `(time, priority, seq)`.

use super::time::SimTime;

/// One pending event with its ordering key.
#[derive(Debug)]
struct Entry<E> {
    time: SimTime,
    /// `priority << 48 | seq`: lower runs first among events at the same time.
    order: u64,
    event: E,
}

impl<E> Entry<E> {
    /// Whether this event runs before `other`: earlier, or at the same time first in order.
    #[inline]
    fn before(&self, other: &Self) -> bool {
        (self.time, self.order) < (other.time, other.order)
    }
}

/// A binary min-heap of entries by (time, order).
///
/// Not std's `BinaryHeap`: its push writes the new entry and at once reads it back whole to sift
/// it up, and a 16-byte load over a just-written 8- and 4-byte store cannot be forwarded from
/// the store buffer — a stall on every push that `perf` put at a third of `schedule_in` in
/// M/M/4. Here a push compares the new entry's key, kept in registers, with its parent's and
/// moves nothing when (as usual) it is not earlier.
#[derive(Debug)]
struct MinHeap<E> {
    data: Vec<Entry<E>>,
}

impl<E> Default for MinHeap<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> MinHeap<E> {
    fn new() -> Self {
        MinHeap { data: Vec::new() }
    }

    /// A heap of `data`, ordered in place.
    fn from_vec(data: Vec<Entry<E>>) -> Self {
        let mut h = MinHeap { data };
        for i in (0..h.data.len() / 2).rev() {
            h.sift_down(i);
        }
        h
    }

    fn into_vec(self) -> Vec<Entry<E>> {
        self.data
    }

    #[inline]
    fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    #[inline]
    fn peek(&self) -> Option<&Entry<E>> {
        self.data.first()
    }

    #[inline]
    fn push(&mut self, e: Entry<E>) {
        let key = (e.time, e.order);
        let mut i = self.data.len();
        self.data.push(e);
        while i > 0 {
            let p = (i - 1) / 2;
            if (self.data[p].time, self.data[p].order) <= key {
                break;
            }
            self.data.swap(i, p);
            i = p;
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.data.pop()?;
        if self.data.is_empty() {
            return Some(last);
        }
        let top = std::mem::replace(&mut self.data[0], last);
        self.sift_down(0);
        Some(top)
    }

    /// Moves entry `i` down until no child runs before it.
    fn sift_down(&mut self, mut i: usize) {
        let n = self.data.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                return;
            }
            let r = l + 1;
            let c = if r < n && self.data[r].before(&self.data[l]) {
                r
            } else {
                l
            };
            if !self.data[c].before(&self.data[i]) {
                return;
            }
            self.data.swap(c, i);
            i = c;
        }
    }
}

const SEQ_BITS: u32 = 48;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;

/// Low bits of a time that the buckets ignore: times within one window of 2^14 ticks (16 s)
/// share a bucket key, and the events of a window are ordered by the small heap `now` (a
/// port's events are minutes to days apart, so a window holds one or a few; splitting it
/// further by bucket would move each event once or twice more for nothing).
const WINDOW_BITS: u32 = 14;
/// Bits of a window key per level of buckets (a digit of the key in base 64).
const DIGIT: u32 = 6;
/// Buckets per level: one per value of a digit.
const WIDTH: usize = 1 << DIGIT;
/// Levels of buckets: enough digits for a window key.
const LEVELS: usize = (64 - WINDOW_BITS as usize).div_ceil(DIGIT as usize);
/// Buckets in all, level by level.
const BUCKETS: usize = LEVELS * WIDTH;
/// Words of the bitmap of filled buckets.
const WORDS: usize = BUCKETS.div_ceil(64);

/// Pending events in a total order: time, then priority (lower first), then insertion order.
///
/// Two events scheduled for the same time with the same priority come out in the order they
/// were scheduled (FIFO), so a run never depends on the queue's internal layout.
///
/// Multi-level buckets over the events' times — a radix heap (Ahuja, Mehlhorn, Orlin and
/// Tarjan 1990) with a digit of 6 bits per level, as in the multi-level buckets of Denardo and
/// Fox (1979) studied by Cherkassky, Goldberg and Silverstein (1999, "Buckets, heaps, lists,
/// and monotone priority queues"). The buckets see a time's window (its ticks without the
/// `WINDOW_BITS` low bits: 16 s), not the time itself. A simulation pops events in time order
/// and schedules them at or after the clock, so an event later than `last`, the window last
/// taken from the buckets, is filed at the level of the highest base-64 digit in which its
/// window differs from `last`, in the bucket of its own digit there. Buckets in (level, digit)
/// order hold ever later windows, so the earliest event is in the first filled bucket, which a
/// bitmap finds. A bucket of level 0 holds a single window; a bucket holding one event holds
/// the earliest one; any other bucket is emptied by making its earliest window `last` and
/// filing its events again, each at a lower level. An event thus leaves a bucket at most 9
/// times (2.3 on average in a baseline year, against 3.0 with 5-bit digits over whole times,
/// 5.5 with a bit per level), and a move is a push on a vector. Events in the window `last`
/// (or, through the public API, earlier) wait in a small binary heap ordered by (time,
/// priority, seq). A queue of a few events (M/M/c has one per server and one arrival) is that
/// heap alone: the buckets start when it holds more than 64 events.
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
    /// Events in or before the window `last` — or, in heap-alone mode, every event.
    now: MinHeap<E>,
    /// `buckets[level * WIDTH + d]`: events later than `last` whose window differs from it first
    /// in digit `level` (from the lowest), where it is `d`.
    buckets: Box<[Vec<Entry<E>>]>,
    /// Bit `i` (of word `i / 64`) set when `buckets[i]` holds events.
    filled: [u64; WORDS],
    /// The window of the last bucket emptied, as an order-preserving `u64` (see `key`).
    last: u64,
    /// Heap-alone mode: every event is in `now` and the buckets are empty.
    small: bool,
    len: usize,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

/// The most events the queue keeps in its heap alone, with no buckets.
const SMALL: usize = 64;

/// A time's window as an unsigned key in the same order (the sign bit flipped, the
/// `WINDOW_BITS` low bits dropped).
#[inline]
fn key(t: SimTime) -> u64 {
    ((t.0 as u64) ^ (1 << 63)) >> WINDOW_BITS
}

/// The bucket of key `k` relative to `last` (`k >= last`): the level of the highest digit in
/// which they differ (0 if none) and `k`'s digit there.
#[inline]
fn bucket(k: u64, last: u64) -> usize {
    let level = (63 - ((k ^ last) | 1).leading_zeros()) / DIGIT;
    let digit = (k >> (level * DIGIT)) as usize & (WIDTH - 1);
    level as usize * WIDTH + digit
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            now: MinHeap::new(),
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            filled: [0; WORDS],
            last: key(SimTime(i64::MIN)),
            small: true,
            len: 0,
            seq: 0,
        }
    }

    /// Adds an event; `priority` orders events at the same time (0 first, at most 65535).
    #[inline]
    pub fn push(&mut self, time: SimTime, priority: u16, event: E) {
        // 2^48 insertions is far beyond any run (a year of the baseline is ~10^6 events);
        // wrapping would only reorder exact ties, never lose an event.
        let order = (u64::from(priority) << SEQ_BITS) | (self.seq & SEQ_MASK);
        self.seq += 1;
        self.len += 1;
        let entry = Entry { time, order, event };
        if self.small {
            // Out of line: kept here, the rare spill would give every push its stack frame.
            self.push_small(entry);
            return;
        }
        let k = key(time);
        if k <= self.last {
            self.now.push(entry);
        } else {
            self.file(k, entry);
        }
    }

    /// Files an event at or after `last` in its bucket.
    #[inline]
    fn file(&mut self, k: u64, entry: Entry<E>) {
        let i = bucket(k, self.last);
        self.buckets[i].push(entry);
        self.filled[i / 64] |= 1 << (i % 64);
    }

    /// A push in heap-alone mode: onto the heap, or — the heap full — spilled to the buckets
    /// first.
    #[inline(never)]
    fn push_small(&mut self, entry: Entry<E>) {
        if self.now.len() < SMALL {
            self.now.push(entry);
            return;
        }
        self.spill();
        let k = key(entry.time);
        if k <= self.last {
            self.now.push(entry);
        } else {
            self.file(k, entry);
        }
    }

    /// From the heap alone to the buckets: `last` becomes the earliest window, and the events
    /// of later windows move to their buckets.
    #[cold]
    #[inline(never)]
    fn spill(&mut self) {
        let Some(first) = self.now.peek() else { return };
        self.small = false;
        self.last = key(first.time);
        let all = std::mem::take(&mut self.now).into_vec();
        for e in all {
            let k = key(e.time);
            if k <= self.last {
                self.now.push(e);
            } else {
                self.file(k, e);
            }
        }
    }

    /// Fills the empty `now` with the earliest events: empties the first filled bucket, and
    /// files its events lower down until that bucket holds a single window or a single event.
    fn refill(&mut self) {
        debug_assert!(self.now.is_empty());
        loop {
            let Some(w) = self.filled.iter().position(|&w| w != 0) else {
                // No event is pending: back to the heap alone.
                self.small = true;
                return;
            };
            let i = w * 64 + self.filled[w].trailing_zeros() as usize;
            self.filled[w] &= self.filled[w] - 1;
            if i < WIDTH {
                // A bucket of level 0: all its events are in the window `last` with digit 0
                // set to `i`. Its vector becomes the heap's (ordering them once, most often
                // one or two), and the heap's empty one the bucket's.
                self.last = (self.last & !(WIDTH as u64 - 1)) | i as u64;
                let mut v = std::mem::take(&mut self.now).into_vec();
                std::mem::swap(&mut v, &mut self.buckets[i]);
                self.now = MinHeap::from_vec(v);
                return;
            }
            let bucket = &mut self.buckets[i];
            if bucket.len() == 1 {
                // A lone event is the earliest: it goes straight to `now`.
                let Some(e) = bucket.pop() else { return };
                self.last = key(e.time);
                self.now.push(e);
                return;
            }
            let mut moving = std::mem::take(bucket);
            self.last = moving.iter().map(|e| key(e.time)).min().unwrap_or(u64::MAX);
            for e in moving.drain(..) {
                self.file(key(e.time), e);
            }
            // Keep the emptied vector's allocation for the bucket's next events.
            self.buckets[i] = moving;
        }
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if self.now.is_empty() {
            self.refill();
        }
        let e = self.now.pop()?;
        self.len -= 1;
        Some((e.time, e.event))
    }

    /// Removes and returns the earliest event if it is earlier than `end` (a `peek_time` and a
    /// `pop` in one, with one check for a refill).
    #[inline]
    pub fn pop_before(&mut self, end: SimTime) -> Option<(SimTime, E)> {
        if self.now.is_empty() {
            self.refill();
        }
        if self.now.peek()?.time >= end {
            return None;
        }
        let e = self.now.pop()?;
        self.len -= 1;
        Some((e.time, e.event))
    }

    /// The time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if self.now.is_empty() {
            self.refill();
        }
        self.now.peek().map(|e| e.time)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
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

    #[test]
    fn a_peek_then_an_earlier_push_still_pops_in_order() {
        // A run stops at its horizon having peeked the next event (which moves the queue's
        // base to its time); events may then be scheduled before it and after the clock.
        let mut q = EventQueue::new();
        q.push(SimTime(1_000), 0, "late");
        q.push(SimTime(10), 0, "now");
        assert_eq!(q.pop(), Some((SimTime(10), "now")));
        assert_eq!(q.peek_time(), Some(SimTime(1_000)));
        q.push(SimTime(500), 3, "between");
        q.push(SimTime(1_000), 0, "late too");
        q.push(SimTime(1 << 40), 0, "far");
        q.push(SimTime(20), 1, "soon");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["soon", "between", "late", "late too", "far"]);
        assert!(q.is_empty());
    }

    #[test]
    fn the_queue_matches_a_sorted_reference_over_a_simulation_like_workload() {
        // Times that grow from the clock by delays spread over ten orders of magnitude, with
        // ties and peeks, as a run's are: the pops equal a stable sort's.
        let mut q = EventQueue::new();
        let mut reference: Vec<(SimTime, u16, u64)> = Vec::new();
        let mut x: u64 = 99;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 11
        };
        let mut now = 0i64;
        for i in 0..20_000u64 {
            let r = next();
            let delay = if r % 5 == 0 {
                0
            } else {
                (r % 1_000_000_000) >> (r % 30)
            };
            let (t, p) = (SimTime(now + delay as i64), (r % 5) as u16);
            q.push(t, p, i);
            reference.push((t, p, i));
            if r % 3 == 0 {
                let _ = q.peek_time();
            }
            if r % 2 == 0 {
                let k = (0..reference.len())
                    .min_by_key(|&k| reference[k])
                    .expect("pending");
                let want = reference.swap_remove(k);
                let got = q.pop().expect("an event");
                assert_eq!(got, (want.0, want.2));
                now = got.0.0;
            }
        }
        reference.sort();
        let rest: Vec<(SimTime, u64)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            rest,
            reference
                .into_iter()
                .map(|(t, _, i)| (t, i))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_queue_stays_in_order_as_it_grows_past_and_shrinks_below_its_heap_alone() {
        // Sizes swinging between 0 and a few hundred cross SMALL both ways, many times.
        let mut q = EventQueue::new();
        let mut reference: Vec<(SimTime, u16, u64)> = Vec::new();
        let mut x: u64 = 7;
        let mut now = 0i64;
        for i in 0..30_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = x >> 11;
            let grow = (i / 500) % 2 == 0;
            if grow || reference.is_empty() {
                let (t, p) = (SimTime(now + (r % 10_000) as i64), (r % 3) as u16);
                q.push(t, p, i);
                reference.push((t, p, i));
            } else {
                let k = (0..reference.len())
                    .min_by_key(|&k| reference[k])
                    .expect("pending");
                let want = reference.swap_remove(k);
                let got = q.pop().expect("an event");
                assert_eq!(got, (want.0, want.2), "pop {i}");
                now = got.0.0;
            }
            assert_eq!(q.len(), reference.len());
        }
    }
    /// A pseudo-random stream (an LCG's high bits).
    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 11
        }
    }

    #[test]
    fn the_queue_matches_a_sorted_reference_at_every_scale_of_time() {
        // Delays of every magnitude from 0 to 2^62 ticks, from a clock that starts far below
        // zero and crosses it, so that events are filed at every level and the sign bit; some
        // pushes land before the clock (the public API allows it), many on one time, and a
        // few at the ends of time. The pops equal a sorted map's by (time, priority, seq).
        use std::collections::BTreeMap;
        for seed in 1..=4 {
            let mut q = EventQueue::new();
            let mut reference: BTreeMap<(SimTime, u16, u64), ()> = BTreeMap::new();
            let mut next = lcg(seed);
            let mut now = -(1i64 << 40) * seed as i64;
            for i in 0..40_000u64 {
                let r = next();
                let delay = match r % 16 {
                    0 => 0,
                    1 => -(((r >> 8) % 1_000) as i64),
                    2 => ((r >> 8) % 64) as i64,
                    _ => (r.wrapping_mul(0x9E37_79B9_7F4A_7C15) & ((1 << (r % 63)) - 1)) as i64,
                };
                let t = match r % 997 {
                    0 => SimTime(i64::MAX),
                    1 => SimTime(i64::MIN),
                    _ => SimTime(now.saturating_add(delay)),
                };
                let p = ((r >> 40) % 4) as u16;
                q.push(t, p, i);
                reference.insert((t, p, i), ());
                if r % 5 == 0 {
                    assert_eq!(q.peek_time(), reference.keys().next().map(|k| k.0));
                }
                // Pop about as often as push, in bursts, so the queue swings from empty to
                // thousands of events.
                let pops = if (i / 3_000) % 2 == 0 { r % 2 } else { r % 3 };
                for _ in 0..pops {
                    let want = reference.pop_first().map(|((t, _, i), ())| (t, i));
                    let got = q.pop();
                    assert_eq!(got, want, "seed {seed}, step {i}");
                    if let Some((t, _)) = got {
                        now = now.max(t.0.clamp(-(1 << 62), 1 << 62));
                    }
                }
                assert_eq!(q.len(), reference.len());
            }
            let rest: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
            let want: Vec<_> = reference.into_keys().map(|(t, _, i)| (t, i)).collect();
            assert_eq!(rest, want, "seed {seed}");
            assert!(q.is_empty());
        }
    }

    #[test]
    fn many_events_at_one_far_time_pop_by_priority_then_in_insertion_order() {
        // Hundreds of events at one time far ahead, among neighbours a tick either side and a
        // crowd of other events, reach a lowest-level bucket together: they must come out by
        // priority, then FIFO.
        let mut q = EventQueue::new();
        let far = 3i64 << 33;
        let mut want = Vec::new();
        let mut next = lcg(5);
        for i in 0..3_000u64 {
            let r = next();
            let t = match r % 4 {
                0 | 1 => far,
                2 => far + 1 - 2 * ((r >> 3) & 1) as i64,
                _ => (r % (1 << 36)) as i64,
            };
            let p = ((r >> 20) % 3) as u16;
            q.push(SimTime(t), p, i);
            want.push((SimTime(t), p, i));
        }
        want.sort();
        let got: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        let want: Vec<_> = want.into_iter().map(|(t, _, i)| (t, i)).collect();
        assert_eq!(got, want);
    }
}
