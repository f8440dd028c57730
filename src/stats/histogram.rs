//! A fixed-size log-binned histogram for percentiles of waiting times.
//!
//! Memory does not grow with the number of ships: 64 bins per doubling between 2^-8 h
//! (about 14 s) and 2^16 h; a percentile is reported as its bin's geometric middle, within
//! √(65/64) − 1 ≈ 0.78 % of the exact sample quantile.

const SUB_BITS: u32 = 6;
const MIN_EXP: i32 = -8;
const MAX_EXP: i32 = 16;
const BINS: usize = ((MAX_EXP - MIN_EXP) as usize) << SUB_BITS;

/// Counts of non-negative values (hours) in logarithmic bins, plus an exact zero bin.
#[derive(Clone, Debug)]
pub struct LogHistogram {
    zero: u64,
    below: u64,
    above: u64,
    bins: Box<[u64]>,
    total: u64,
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LogHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        LogHistogram {
            zero: 0,
            below: 0,
            above: 0,
            bins: vec![0; BINS].into_boxed_slice(),
            total: 0,
        }
    }

    fn bin_of(x: f64) -> Option<usize> {
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
        if !(MIN_EXP..MAX_EXP).contains(&exp) {
            return None;
        }
        let sub = ((bits >> (52 - SUB_BITS)) & ((1 << SUB_BITS) - 1)) as usize;
        Some((((exp - MIN_EXP) as usize) << SUB_BITS) | sub)
    }

    /// The geometric middle of a bin.
    fn bin_value(i: usize) -> f64 {
        let exp = (i >> SUB_BITS) as i32 + MIN_EXP;
        let sub = (i & ((1 << SUB_BITS) - 1)) as f64;
        let lo = 2f64.powi(exp) * (1.0 + sub / 64.0);
        let hi = 2f64.powi(exp) * (1.0 + (sub + 1.0) / 64.0);
        (lo * hi).sqrt()
    }

    /// Adds one value; negative values count as zero.
    #[inline]
    pub fn record(&mut self, x: f64) {
        self.total += 1;
        if x <= 0.0 {
            self.zero += 1;
            return;
        }
        match Self::bin_of(x) {
            Some(i) => self.bins[i] += 1,
            None if x < 1.0 => self.below += 1,
            None => self.above += 1,
        }
    }

    /// Adds all counts of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.zero += other.zero;
        self.below += other.below;
        self.above += other.above;
        self.total += other.total;
        for (a, b) in self.bins.iter_mut().zip(other.bins.iter()) {
            *a += b;
        }
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The share of values above zero (for waits: the probability that a ship waits at all),
    /// or NaN when empty.
    ///
    /// ```
    /// use portsim::stats::LogHistogram;
    /// let mut h = LogHistogram::new();
    /// for x in [0.0, 0.0, 1.5, 3.0] { h.record(x); }
    /// assert_eq!(h.share_positive(), 0.5);
    /// ```
    pub fn share_positive(&self) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        (self.total - self.zero) as f64 / self.total as f64
    }

    /// The `q` quantile (0 ≤ q ≤ 1), or NaN when empty.
    ///
    /// ```
    /// use portsim::stats::LogHistogram;
    /// let mut h = LogHistogram::new();
    /// for i in 0..100 { h.record(i as f64); }
    /// assert!((h.quantile(0.95) - 94.0).abs() < 1.0);
    /// assert_eq!(h.quantile(0.0), 0.0);
    /// ```
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        // The smallest value with at least ceil(q * n) values at or below it.
        let rank = ((q * self.total as f64).ceil() as u64).max(1);
        let mut seen = self.zero;
        if seen >= rank {
            return 0.0;
        }
        seen += self.below;
        if seen >= rank {
            return 2f64.powi(MIN_EXP);
        }
        for (i, &c) in self.bins.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::bin_value(i);
            }
        }
        2f64.powi(MAX_EXP)
    }
}
