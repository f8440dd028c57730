//! Means and Student-t confidence intervals over replications.

use super::student_t::t_quantile;

/// The Student-t 0.975 quantile for `df` degrees of freedom, computed once per `df` up to
/// 1,024 (every summary row of a run shares one `df`: recomputing it by bisection for each of
/// thousands of rows was a measurable share of writing a summary); the same number either way.
fn t975(df: usize) -> f64 {
    const CACHED: usize = 1024;
    static TABLE: std::sync::LazyLock<Vec<std::sync::OnceLock<f64>>> =
        std::sync::LazyLock::new(|| (0..=CACHED).map(|_| std::sync::OnceLock::new()).collect());
    match TABLE.get(df) {
        Some(cell) => *cell.get_or_init(|| t_quantile(0.975, df as f64)),
        None => t_quantile(0.975, df as f64),
    }
}

/// Mean and 95 % confidence interval of a sample of replication results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Lower end of the two-sided 95 % Student-t interval (equal to `mean` when `n < 2`).
    pub ci95_low: f64,
    /// Upper end of the interval.
    pub ci95_high: f64,
    /// Sample standard deviation (0 when `n < 2`).
    pub sd: f64,
    /// Number of finite values used.
    pub n: usize,
}

impl Estimate {
    /// Summarises `values`, skipping non-finite ones (a metric undefined in a replication).
    ///
    /// Values are added in the given order, so the result is the same bytes on every run.
    ///
    /// ```
    /// use portsim::stats::Estimate;
    /// let e = Estimate::from_values(&[1.0, 2.0, 3.0]);
    /// assert_eq!(e.mean, 2.0);
    /// assert!((e.ci95_high - (2.0 + 4.302652729 / 3f64.sqrt())).abs() < 1e-6);
    /// ```
    pub fn from_values(values: &[f64]) -> Estimate {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (mut n, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64);
        for v in finite {
            // Welford: stable for large, nearly equal values (e.g. tonnes per year).
            n += 1;
            let d = v - mean;
            mean += d / n as f64;
            m2 += d * (v - mean);
        }
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                sd: f64::NAN,
                n,
            };
        }
        if n == 1 {
            return Estimate {
                mean,
                ci95_low: mean,
                ci95_high: mean,
                sd: 0.0,
                n,
            };
        }
        let sd = (m2 / (n - 1) as f64).sqrt();
        let half = t975(n - 1) * sd / (n as f64).sqrt();
        Estimate {
            mean,
            ci95_low: mean - half,
            ci95_high: mean + half,
            sd,
            n,
        }
    }

    /// The estimate of a quantity that is never negative (every KPI): the interval cut at
    /// zero. The true mean lies in [0, ∞), so the cut interval covers it exactly as often as
    /// the whole one, and a reader is not shown "−0.3 ships waiting".
    ///
    /// ```
    /// use portsim::stats::Estimate;
    /// let e = Estimate::from_values(&[0.0, 0.0, 0.3]).nonnegative();
    /// assert_eq!(e.ci95_low, 0.0);
    /// assert!(e.ci95_high > 0.3);
    /// ```
    #[must_use]
    pub fn nonnegative(mut self) -> Estimate {
        if self.ci95_low < 0.0 {
            self.ci95_low = 0.0;
        }
        self
    }

    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci95_high - self.ci95_low)
    }

    /// Whether `x` lies inside the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }
}
