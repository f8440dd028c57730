//! Sobol sensitivity indices from Saltelli's design, by Jansen's estimators.
//!
//! For k parameters, a sample j gives k + 2 runs: f(A_j), f(B_j) and f(A_B^i_j), where A_B^i
//! is A with its i-th parameter taken from B. With V the variance of f over the A and B runs
//! (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", table 2):
//!
//! - first order: S_i = 1 − E[(f(B) − f(A_B^i))²] / 2V (Jansen 1999): the share of the
//!   variance explained by parameter i alone;
//! - total: S_Ti = E[(f(A) − f(A_B^i))²] / 2V (Jansen 1999): its share with every interaction.
//!
//! Both use differences of runs, so a metric's level (tonnes per year in the hundreds of
//! millions) costs no precision. The 95 % intervals are Student-t intervals of the mean of
//! the per-sample terms, V held fixed (its own error is of a smaller order for the samples a
//! study uses); they say how many samples are enough. Everything is accumulated a sample at a
//! time: memory does not grow with the samples.

use crate::stats::t_quantile;

/// Welford's running mean and variance.
#[derive(Clone, Debug, Default)]
struct Running {
    n: usize,
    mean: f64,
    m2: f64,
}

impl Running {
    fn add(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// The half-width of the 95 % Student-t interval of the mean.
    fn half_width(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        t_quantile(0.975, (self.n - 1) as f64) * (self.variance() / self.n as f64).sqrt()
    }
}

/// One parameter's Sobol indices with their 95 % intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub s1: f64,
    /// Its 95 % interval.
    pub s1_ci95: (f64, f64),
    /// Total index.
    pub st: f64,
    /// Its 95 % interval.
    pub st_ci95: (f64, f64),
}

/// Running sums of one metric over Saltelli blocks.
#[derive(Clone, Debug)]
pub(super) struct SobolSums {
    k: usize,
    /// The block being filled and its values (A, B, A_B^1 … A_B^k); NaN where not seen yet.
    block: usize,
    current: Vec<f64>,
    /// Complete blocks.
    pub(super) samples: usize,
    /// A value was undefined, or a block had a point missing: no indices.
    broken: bool,
    variance: Running,
    first: Vec<Running>,
    total: Vec<Running>,
}

impl SobolSums {
    pub(super) fn new(k: usize) -> SobolSums {
        SobolSums {
            k,
            block: 0,
            current: vec![f64::NAN; k + 2],
            samples: 0,
            broken: false,
            variance: Running::default(),
            first: vec![Running::default(); k],
            total: vec![Running::default(); k],
        }
    }

    /// The value `y` of point `point` of the design (points in increasing order).
    pub(super) fn add(&mut self, point: usize, y: f64) {
        let (j, r) = (point / (self.k + 2), point % (self.k + 2));
        if j != self.block {
            if self.current.iter().any(|v| !v.is_nan()) {
                self.broken = true; // the last block ended with a point missing
            }
            self.block = j;
            self.current.fill(f64::NAN);
        }
        if !y.is_finite() {
            self.broken = true;
            return;
        }
        self.current[r] = y;
        if self.current.iter().all(|v| !v.is_nan()) {
            let (fa, fb) = (self.current[0], self.current[1]);
            self.variance.add(fa);
            self.variance.add(fb);
            for i in 0..self.k {
                let fab = self.current[2 + i];
                self.first[i].add((fb - fab).powi(2) / 2.0);
                self.total[i].add((fa - fab).powi(2) / 2.0);
            }
            self.samples += 1;
            self.current.fill(f64::NAN);
        }
    }

    /// The indices, or `None` if a value was undefined, fewer than 2 samples are complete, or
    /// the metric does not vary.
    pub(super) fn indices(&self) -> Option<Vec<SobolIndex>> {
        let v = self.variance.variance();
        if self.broken || self.samples < 2 || v.is_nan() || v <= 0.0 {
            return None;
        }
        Some(
            (0..self.k)
                .map(|i| {
                    let (f, t) = (&self.first[i], &self.total[i]);
                    let (hf, ht) = (f.half_width(), t.half_width());
                    SobolIndex {
                        s1: 1.0 - f.mean / v,
                        s1_ci95: (1.0 - (f.mean + hf) / v, 1.0 - (f.mean - hf) / v),
                        st: t.mean / v,
                        st_ci95: ((t.mean - ht) / v, (t.mean + ht) / v),
                    }
                })
                .collect(),
        )
    }
}

/// Sobol indices of each parameter from a Saltelli design's runs: `fa[j]`, `fb[j]` and
/// `fab[j][i]` (A_j with parameter i from B_j).
///
/// ```
/// use portsim::experiment::sobol_indices;
/// // f depends on x1 alone: fixing x2 removes nothing (total index 0) and x1 explains it all
/// // (first-order index 1) — exactly, whatever the samples.
/// let a = [[0.1, 0.7], [0.5, 0.2], [0.9, 0.5], [0.3, 0.9], [0.7, 0.1]];
/// let b = [[0.6, 0.3], [0.2, 0.8], [0.8, 0.6], [0.4, 0.0], [0.0, 0.4]];
/// let f = |x: [f64; 2]| x[0] * x[0];
/// let fa: Vec<f64> = a.iter().map(|&x| f(x)).collect();
/// let fb: Vec<f64> = b.iter().map(|&x| f(x)).collect();
/// let fab: Vec<Vec<f64>> = (0..5)
///     .map(|j| (0..2).map(|i| { let mut x = a[j]; x[i] = b[j][i]; f(x) }).collect())
///     .collect();
/// let s = sobol_indices(&fa, &fb, &fab).unwrap();
/// assert_eq!((s[0].s1, s[1].st), (1.0, 0.0));
/// ```
pub fn sobol_indices(fa: &[f64], fb: &[f64], fab: &[Vec<f64>]) -> Option<Vec<SobolIndex>> {
    let k = fab.first().map_or(0, Vec::len);
    let mut sums = SobolSums::new(k);
    for (j, ((a, b), ab)) in fa.iter().zip(fb).zip(fab).enumerate() {
        let base = j * (k + 2);
        sums.add(base, *a);
        sums.add(base + 1, *b);
        for (i, y) in ab.iter().enumerate() {
            sums.add(base + 2 + i, *y);
        }
    }
    sums.indices()
}
