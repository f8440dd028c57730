//! Probability distributions for parcel sizes, service times, delays and closures.

use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, StandardNormal};

use crate::engine::StreamRng;

/// A validated distribution of a non-negative quantity (hours, tonnes, TEU…).
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always `value`.
    Fixed(f64),
    /// Exponential with the given mean.
    Exponential {
        /// Mean.
        mean: f64,
    },
    /// Erlang-k: the sum of `k` exponentials, with the given mean.
    Erlang {
        /// Number of phases.
        k: u32,
        /// Mean.
        mean: f64,
    },
    /// Gamma with a mean and a coefficient of variation.
    Gamma {
        /// Mean.
        mean: f64,
        /// Coefficient of variation (sd / mean).
        cv: f64,
        /// The prepared sampler.
        sampler: Gamma<f64>,
    },
    /// Lognormal with a mean and a coefficient of variation.
    Lognormal {
        /// Mean.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
        /// The prepared sampler.
        sampler: LogNormal<f64>,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular on `[min, max]` with the given mode.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal, truncated at zero by resampling.
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// One of `values`, with probabilities proportional to the weights.
    Empirical {
        /// The possible values.
        values: Vec<f64>,
        /// Cumulative probabilities, the last one exactly 1.
        cumulative: Vec<f64>,
    },
}

impl Dist {
    /// Builds a gamma distribution from its mean and coefficient of variation.
    ///
    /// # Errors
    /// A message if the parameters are not positive.
    pub fn gamma(mean: f64, cv: f64) -> Result<Dist, String> {
        let shape = 1.0 / (cv * cv);
        let sampler = Gamma::new(shape, mean / shape).map_err(|e| e.to_string())?;
        Ok(Dist::Gamma { mean, cv, sampler })
    }

    /// Builds a lognormal distribution from its mean and coefficient of variation.
    ///
    /// # Errors
    /// A message if the parameters are not positive.
    pub fn lognormal(mean: f64, cv: f64) -> Result<Dist, String> {
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let sampler = LogNormal::new(mu, sigma2.sqrt()).map_err(|e| e.to_string())?;
        Ok(Dist::Lognormal { mean, cv, sampler })
    }

    /// The same distribution scaled by `factor` > 0 (every draw `factor` times as large).
    ///
    /// ```
    /// use portsim::model::Dist;
    /// assert_eq!(Dist::Uniform { min: 1.0, max: 3.0 }.scaled(2.0).mean(), 4.0);
    /// assert_eq!(Dist::gamma(12.0, 0.8).unwrap().scaled(1.5).mean(), 18.0);
    /// ```
    pub fn scaled(&self, factor: f64) -> Dist {
        let f = factor;
        match self {
            Dist::Fixed(v) => Dist::Fixed(v * f),
            Dist::Exponential { mean } => Dist::Exponential { mean: mean * f },
            Dist::Erlang { k, mean } => Dist::Erlang {
                k: *k,
                mean: mean * f,
            },
            Dist::Gamma { mean, cv, .. } => {
                Dist::gamma(mean * f, *cv).expect("a valid gamma scaled stays valid")
            }
            Dist::Lognormal { mean, cv, .. } => {
                Dist::lognormal(mean * f, *cv).expect("a valid lognormal scaled stays valid")
            }
            Dist::Uniform { min, max } => Dist::Uniform {
                min: min * f,
                max: max * f,
            },
            Dist::Triangular { min, mode, max } => Dist::Triangular {
                min: min * f,
                mode: mode * f,
                max: max * f,
            },
            Dist::Normal { mean, sd } => Dist::Normal {
                mean: mean * f,
                sd: sd * f,
            },
            Dist::Empirical { values, cumulative } => Dist::Empirical {
                values: values.iter().map(|v| v * f).collect(),
                cumulative: cumulative.clone(),
            },
        }
    }

    /// The expected value (for a truncated normal, the mean before truncation).
    ///
    /// ```
    /// use portsim::model::Dist;
    /// assert_eq!(Dist::Triangular { min: 0.0, mode: 3.0, max: 6.0 }.mean(), 3.0);
    /// ```
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Exponential { mean } | Dist::Erlang { mean, .. } => *mean,
            Dist::Gamma { mean, .. } | Dist::Lognormal { mean, .. } => *mean,
            Dist::Normal { mean, .. } => *mean,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                let mut m = 0.0;
                for (v, c) in values.iter().zip(cumulative) {
                    m += v * (c - prev);
                    prev = *c;
                }
                m
            }
        }
    }

    /// The largest value the distribution can take (infinite for unbounded ones).
    pub fn max(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { max, .. } | Dist::Triangular { max, .. } => *max,
            Dist::Empirical { values, .. } => values.iter().copied().fold(0.0, f64::max),
            _ => f64::INFINITY,
        }
    }

    /// Draws one value (never negative).
    #[inline]
    pub fn sample(&self, rng: &mut StreamRng) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::Erlang { k, mean } => {
                let mut s = 0.0;
                for _ in 0..*k {
                    let e: f64 = Exp1.sample(rng);
                    s += e;
                }
                s * mean / f64::from(*k)
            }
            Dist::Gamma { sampler, .. } => sampler.sample(rng),
            Dist::Lognormal { sampler, .. } => sampler.sample(rng),
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Triangular { min, mode, max } => {
                let u: f64 = rng.random();
                let f = (mode - min) / (max - min);
                if u < f {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => {
                // Truncation by resampling; validation keeps mean > 0, so this ends quickly.
                for _ in 0..1000 {
                    let z: f64 = StandardNormal.sample(rng);
                    let x = mean + sd * z;
                    if x >= 0.0 {
                        return x;
                    }
                }
                0.0
            }
            Dist::Empirical { values, cumulative } => {
                let u: f64 = rng.random();
                let i = cumulative
                    .partition_point(|&c| c <= u)
                    .min(values.len() - 1);
                values[i]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut rng = stream(1, "test");
        (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_stated_means() {
        let dists = [
            Dist::Exponential { mean: 2.0 },
            Dist::Erlang { k: 3, mean: 2.0 },
            Dist::gamma(2.0, 0.5).unwrap(),
            Dist::lognormal(2.0, 0.5).unwrap(),
            Dist::Uniform { min: 1.0, max: 3.0 },
            Dist::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 5.0,
            },
            Dist::Empirical {
                values: vec![1.0, 3.0],
                cumulative: vec![0.5, 1.0],
            },
        ];
        for d in &dists {
            let m = sample_mean(d, 200_000);
            assert!((m - d.mean()).abs() / d.mean() < 0.01, "{d:?}: {m}");
        }
    }
}
