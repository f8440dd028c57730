//! How a sampling design (`lhs`, `saltelli`) draws a parameter: a range sampled uniformly, or
//! a distribution, each by its quantile function applied to stratified uniforms — so that every
//! one of a design's N equal-probability bins of the distribution holds one sample.

use serde::Deserialize;
use toml::Spanned;

/// A sweep file's `distribution = { dist = "…", … }` for one parameter, as written.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a distribution table (`dist` and its parameters)"
)]
pub(super) struct RawSampled {
    dist: Spanned<String>,
    min: Option<f64>,
    mode: Option<f64>,
    max: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    cv: Option<f64>,
}

/// The distribution a design samples a parameter from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sampled {
    /// Uniform on `[min, max]` (what a `range` means).
    Uniform {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
    },
    /// Triangular on `[min, max]`, peaked at `mode`.
    Triangular {
        /// Lowest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        max: f64,
    },
    /// Normal (not truncated: a value the scenario refuses is reported as the point's problem).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Normal truncated to `[min, max]` (either end may be infinite): the normal's values there,
    /// in proportion.
    TruncatedNormal {
        /// Mean of the normal before truncation.
        mean: f64,
        /// Its standard deviation.
        sd: f64,
        /// Lowest value (`-inf` for none).
        min: f64,
        /// Highest value (`inf` for none).
        max: f64,
    },
    /// Lognormal with the given mean and coefficient of variation (positive values only).
    Lognormal {
        /// Mean.
        mean: f64,
        /// Standard deviation over the mean.
        cv: f64,
    },
}

/// A truncated normal's window, in standard deviations, below which it is sampled by the
/// density's local exponential form rather than by Φ and Φ⁻¹.
const NARROW: f64 = 1e-3;

/// The distributions a design samples, as a sweep file names them.
const NAMES: [&str; 4] = ["uniform", "triangular", "normal", "lognormal"];

impl Sampled {
    /// The value at cumulative probability `u` (0 < u < 1): the inverse of the distribution
    /// function.
    ///
    /// ```
    /// use portsim::experiment::Sampled;
    /// let n = Sampled::Normal { mean: 10.0, sd: 2.0 };
    /// assert!((n.quantile(0.975) - (10.0 + 2.0 * 1.959963984540054)).abs() < 1e-7);
    /// let t = Sampled::Triangular { min: 0.0, mode: 1.0, max: 2.0 };
    /// assert!((t.quantile(0.5) - 1.0).abs() < 1e-12);
    /// ```
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Sampled::Uniform { min, max } => min + u * (max - min),
            Sampled::Triangular { min, mode, max } => {
                crate::model::triangular_quantile(min, mode, max, u)
            }
            Sampled::Normal { mean, sd } => mean + sd * normal_quantile(open(u)),
            Sampled::TruncatedNormal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                let z = if b - a < NARROW {
                    // Too narrow for Φ and Φ⁻¹ to resolve (they agree to ≈ 1e-7): over so short
                    // a window the density is exp(−a t) to within exp(−t²/2) ≥ 1 − 5e-7.
                    let w = b - a;
                    let t = if (a * w).abs() < 1e-12 {
                        u * w
                    } else {
                        -(u * (-a * w).exp_m1()).ln_1p() / a
                    };
                    a + t
                } else if a > 0.0 {
                    // Wholly in the upper half: by the upper tail, which keeps its digits there.
                    let (qa, qb) = (normal_cdf(-a), normal_cdf(-b));
                    -normal_quantile(open(qa - open(u) * (qa - qb)))
                } else {
                    let (pa, pb) = (normal_cdf(a), normal_cdf(b));
                    normal_quantile(open(pa + open(u) * (pb - pa)))
                };
                (mean + sd * z).clamp(min, max)
            }
            Sampled::Lognormal { mean, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                (mean.ln() - 0.5 * s2 + s2.sqrt() * normal_quantile(open(u))).exp()
            }
        }
    }

    /// Reads and checks a `distribution` table; the message says what is wrong.
    pub(super) fn from_raw(raw: &RawSampled) -> Result<Sampled, String> {
        let name = raw.dist.get_ref().as_str();
        let given = |k: &str, v: Option<f64>| {
            v.filter(|x| x.is_finite())
                .ok_or_else(|| format!("a `{name}` distribution needs a finite `{k}`"))
        };
        let only = |allowed: &[&str]| -> Result<(), String> {
            let present = [
                ("min", raw.min),
                ("mode", raw.mode),
                ("max", raw.max),
                ("mean", raw.mean),
                ("sd", raw.sd),
                ("cv", raw.cv),
            ];
            match present
                .iter()
                .find(|(k, v)| v.is_some() && !allowed.contains(k))
            {
                Some((k, _)) => Err(format!(
                    "a `{name}` distribution takes {}, not `{k}`",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                None => Ok(()),
            }
        };
        match name {
            "uniform" => {
                only(&["min", "max"])?;
                let (min, max) = (given("min", raw.min)?, given("max", raw.max)?);
                if min >= max {
                    return Err(format!("expected min < max, found {min} and {max}"));
                }
                Ok(Sampled::Uniform { min, max })
            }
            "triangular" => {
                only(&["min", "mode", "max"])?;
                let (min, mode, max) = (
                    given("min", raw.min)?,
                    given("mode", raw.mode)?,
                    given("max", raw.max)?,
                );
                if !(min <= mode && mode <= max && min < max) {
                    return Err(format!(
                        "expected min ≤ mode ≤ max and min < max, found {min}, {mode}, {max}"
                    ));
                }
                Ok(Sampled::Triangular { min, mode, max })
            }
            "normal" => {
                only(&["mean", "sd", "min", "max"])?;
                let (mean, sd) = (given("mean", raw.mean)?, given("sd", raw.sd)?);
                if sd <= 0.0 {
                    return Err(format!("expected sd > 0, found {sd}"));
                }
                if raw.min.is_none() && raw.max.is_none() {
                    return Ok(Sampled::Normal { mean, sd });
                }
                let min = raw
                    .min
                    .map_or(Ok(f64::NEG_INFINITY), |m| given("min", Some(m)))?;
                let max = raw
                    .max
                    .map_or(Ok(f64::INFINITY), |m| given("max", Some(m)))?;
                if min >= max {
                    return Err(format!("expected min < max, found {min} and {max}"));
                }
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                // The window's probability, by the tail on its side (digits kept far out).
                let mass = if a > 0.0 {
                    normal_cdf(-a) - normal_cdf(-b)
                } else {
                    normal_cdf(b) - normal_cdf(a)
                };
                if mass < 1e-12 || mass.is_nan() {
                    return Err(format!(
                        "[{min}, {max}] holds almost none of a normal of mean {mean} and sd {sd} ({mass:.1e} of it); expected bounds around its mean"
                    ));
                }
                Ok(Sampled::TruncatedNormal { mean, sd, min, max })
            }
            "lognormal" => {
                only(&["mean", "cv"])?;
                let (mean, cv) = (given("mean", raw.mean)?, given("cv", raw.cv)?);
                if mean <= 0.0 || cv <= 0.0 {
                    return Err(format!(
                        "expected mean > 0 and cv > 0, found {mean} and {cv}"
                    ));
                }
                Ok(Sampled::Lognormal { mean, cv })
            }
            other => Err(format!(
                "unknown distribution `{other}` for a design; expected one of {}{}",
                NAMES.join(", "),
                crate::scenario::nearest_key(other, &NAMES)
            )),
        }
    }
}

/// `u` kept strictly inside (0, 1), as far from either end (the unbounded distributions have no
/// value at 0 or 1).
fn open(u: f64) -> f64 {
    u.clamp(f64::EPSILON / 2.0, 1.0 - f64::EPSILON / 2.0)
}

/// The standard normal distribution function Φ(x), by the complementary error function's
/// Chebyshev fit (Numerical Recipes' `erfcc`: relative error below 1.2 × 10⁻⁷ everywhere, in
/// the tails too, so a truncation far out keeps its digits).
///
/// ```
/// use portsim::experiment::normal_cdf;
/// assert!((normal_cdf(1.959963984540054) - 0.975).abs() < 1e-7);
/// assert!((normal_cdf(-5.0) / 2.866515718791939e-7 - 1.0).abs() < 1e-6);
/// assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
/// ```
pub fn normal_cdf(x: f64) -> f64 {
    let z = (x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    // erfc(|x|/√2); Φ(x) = erfc(−x/√2)/2.
    let erfc = if t == 0.0 {
        0.0
    } else {
        t * (-z * z + poly).exp()
    };
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The standard normal quantile Φ⁻¹(p), 0 < p < 1, by Acklam's rational approximation
/// (relative error below 1.2 × 10⁻⁹, far finer than any design's bins).
///
/// ```
/// use portsim::experiment::normal_quantile;
/// assert_eq!(normal_quantile(0.5), 0.0);
/// assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-8);
/// assert!((normal_quantile(0.001) + 3.090232306167813).abs() < 1e-8);
/// ```
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Φ⁻¹ against tabulated values (Abramowitz & Stegun 26.2), both tails and the middle, and
    /// its symmetry.
    #[test]
    fn the_normal_quantile_matches_the_tables() {
        for (p, z) in [
            (0.5, 0.0),
            (0.8413447460685429, 1.0),
            (0.975, 1.959963984540054),
            (0.995, 2.5758293035489004),
            (0.02, -2.053748910631823),
            (1e-6, -4.753424308822899),
            (0.3, -0.5244005127080407),
        ] {
            let q = normal_quantile(p);
            assert!(
                (q - z).abs() < 1e-8 * z.abs().max(1.0),
                "Φ⁻¹({p}) = {q}, not {z}"
            );
            assert!(
                (normal_quantile(1.0 - p) + q).abs() < 1e-8,
                "symmetry at {p}"
            );
        }
    }

    /// A truncated normal against Python's `statistics.NormalDist`: the half normal's median is
    /// Φ⁻¹(0.75); beyond 3 sd, the median is Q⁻¹(Q(3)/2); a two-sided truncation's quartile;
    /// its ends are its bounds.
    #[test]
    fn a_truncated_normal_keeps_the_normals_proportions_within_its_bounds() {
        let inf = f64::INFINITY;
        let half = Sampled::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 0.0,
            max: inf,
        };
        assert!((half.quantile(0.5) - 0.6744897501960817).abs() < 1e-6);
        let tail = Sampled::TruncatedNormal {
            mean: 0.0,
            sd: 1.0,
            min: 3.0,
            max: inf,
        };
        assert!((tail.quantile(0.5) - 3.2051549205989316).abs() < 1e-6);
        let two = Sampled::TruncatedNormal {
            mean: 0.5,
            sd: 0.1,
            min: 0.45,
            max: 0.8,
        };
        assert!((two.quantile(0.25) - 0.4952520864544063).abs() < 1e-7);
        assert!((two.quantile(0.0) - 0.45).abs() < 1e-9);
        assert!((two.quantile(1.0) - 0.8).abs() < 1e-9);
        // Windows too narrow for Φ and Φ⁻¹ (1e-6 to 5e-4 sd), against mpmath at 40 digits.
        for (mean, sd, min, max, u, x) in [
            (1.0, 0.1, 1.05, 1.0500001, 0.5, 1.050_000_049_999_993_7),
            (0.0, 1.0, 8.0, 8.0001, 0.5, 8.000_049_989_999_939),
            (0.0, 1.0, 8.0, 8.0001, 0.9, 8.000_089_996_399_203),
            (0.0, 1.0, -3.0, -2.9995, 0.3, -2.999_849_921_239_945),
        ] {
            let n = Sampled::TruncatedNormal { mean, sd, min, max };
            let q = n.quantile(u);
            // Within a millionth of the window.
            assert!(
                (q - x).abs() < 1e-6 * (max - min),
                "{min}..{max} at {u}: {q}, not {x}"
            );
        }
        // Φ itself against the tables, in both tails.
        for (x, p) in [
            (0.0, 0.5),
            (1.0, 0.8413447460685429),
            (-2.0, 0.022750131948179195),
            (-6.0, 9.865876450376946e-10),
        ] {
            assert!(
                (normal_cdf(x) / p - 1.0).abs() < 2e-7,
                "Φ({x}) = {}, not {p}",
                normal_cdf(x)
            );
        }
    }

    /// The lognormal's median is mean / √(1 + cv²); the triangular's quantile at the mode's
    /// probability is the mode.
    #[test]
    fn the_quantiles_put_known_points_in_place() {
        let l = Sampled::Lognormal { mean: 2.0, cv: 0.5 };
        assert!((l.quantile(0.5) - 2.0 / 1.25f64.sqrt()).abs() < 1e-9);
        let t = Sampled::Triangular {
            min: 0.0,
            mode: 1.0,
            max: 4.0,
        };
        assert!((t.quantile(0.25) - 1.0).abs() < 1e-12);
        assert_eq!(t.quantile(0.0), 0.0);
        assert!((t.quantile(1.0) - 4.0).abs() < 1e-12);
    }
}
