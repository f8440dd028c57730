//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use portsim::experiment::{RunOptions, run_scenario};
use portsim::model::Model;
use portsim::results::ScenarioRuns;

/// The `portsim` binary under test.
pub fn portsim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("portsim").expect("the portsim binary is built")
}

/// Path of a fixture under `tests/data/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Loads a built-in scenario or a file.
pub fn load(name: &str) -> Model {
    portsim::scenario::load(name)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

/// Runs a model with `reps` replications of its first design year.
pub fn run(model: &Model, reps: u32, seed: u64) -> ScenarioRuns {
    let mut o = RunOptions::defaults_for(model);
    o.replications = reps;
    o.seed = seed;
    run_scenario(model, &o, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a model's `years` with `reps` replications each.
pub fn run_years(model: &Model, years: &[u16], reps: u32, seed: u64) -> ScenarioRuns {
    let mut o = RunOptions::defaults_for(model);
    o.years = years.to_vec();
    o.replications = reps;
    o.seed = seed;
    run_scenario(model, &o, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// One value per replication of a KPI.
pub fn per_rep(runs: &ScenarioRuns, port: &str, cargo: &str, metric: &str) -> Vec<f64> {
    runs.runs
        .iter()
        .map(|r| {
            r.kpis
                .iter()
                .find(|k| k.port == port && k.cargo == cargo && k.metric == metric)
                .unwrap_or_else(|| panic!("no KPI {port}/{cargo}/{metric}"))
                .value
        })
        .collect()
}

/// Every file in a directory, sorted by name.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Builds a model from scenario text written in a test.
pub fn model_from(text: &str) -> Model {
    portsim::scenario::ScenarioSource {
        file: "test.toml".into(),
        default_name: "test".into(),
        text: text.into(),
        extends: None,
        own: None,
    }
    .load()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A KPI of one run.
pub fn kpi(r: &portsim::sim::RunResult, port: &str, cargo: &str, metric: &str) -> f64 {
    r.kpis
        .iter()
        .find(|k| k.port == port && k.cargo == cargo && k.metric == metric)
        .unwrap_or_else(|| panic!("no KPI {port}/{cargo}/{metric}"))
        .value
}

/// Runs `portsim check` on `text` and checks exit code 2 and that stderr contains `expected`.
pub fn check_rejects(text: &str, expected: &str) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("bad.toml");
    std::fs::write(&file, text).expect("write");
    let a = portsim().arg("check").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in:\n{stderr}"
    );
}

/// The half-width of the two-sided Student-t interval of `e`'s mean at false-alarm rate
/// `alpha` (0.001: a 99.9 % interval).
pub fn half_width(e: &portsim::stats::Estimate, alpha: f64) -> f64 {
    portsim::stats::t_quantile(1.0 - alpha / 2.0, (e.n - 1) as f64) * e.sd / (e.n as f64).sqrt()
}

/// The master seed of a statistical test: `PORTSIM_TEST_SEED` if set, otherwise `default`.
///
/// Statistical tests must hold for any seed at the false-alarm rate they state, so none may
/// depend on the seed it happens to use; `scripts/seed-sweep` runs them over many seeds.
pub fn test_seed(default: u64) -> u64 {
    match std::env::var("PORTSIM_TEST_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("PORTSIM_TEST_SEED={s}: expected an integer seed")),
        Err(_) => default,
    }
}

/// Distribution functions for the statistical tests' p-values, written out here so that the
/// tests do not check the library against its own code.
#[allow(dead_code)] // each statistical module uses some of them
pub mod stat {
    /// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error < 1e-14).
    pub fn ln_gamma(x: f64) -> f64 {
        const C: [f64; 9] = [
            0.999_999_999_999_809_9,
            676.520_368_121_885_1,
            -1_259.139_216_722_402_8,
            771.323_428_777_653_1,
            -176.615_029_162_140_6,
            12.507_343_278_686_905,
            -0.138_571_095_265_720_12,
            9.984_369_578_019_572e-6,
            1.505_632_735_149_311_6e-7,
        ];
        if x < 0.5 {
            let pi = std::f64::consts::PI;
            return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
        }
        let x = x - 1.0;
        let t = x + 7.5;
        let mut a = C[0];
        for (i, c) in C.iter().enumerate().skip(1) {
            a += c / (x + i as f64);
        }
        0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
    }

    /// The regularised lower incomplete gamma function P(a, x) (the gamma CDF with shape `a`
    /// at `x` / scale): a series below a + 1, Lentz's continued fraction above.
    pub fn gamma_p(a: f64, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        let front = (-x + a * x.ln() - ln_gamma(a)).exp();
        if x < a + 1.0 {
            let (mut ap, mut del, mut sum) = (a, 1.0 / a, 1.0 / a);
            for _ in 0..10_000 {
                ap += 1.0;
                del *= x / ap;
                sum += del;
                if del.abs() < sum.abs() * 1e-16 {
                    break;
                }
            }
            (sum * front).min(1.0)
        } else {
            1.0 - gamma_q_fraction(a, x) * front
        }
    }

    fn gamma_q_fraction(a: f64, x: f64) -> f64 {
        const TINY: f64 = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -f64::from(i) * (f64::from(i) - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        h
    }

    /// The upper tail of the χ² distribution with `df` degrees of freedom.
    pub fn chi_square_sf(x: f64, df: f64) -> f64 {
        if x <= 0.0 {
            return 1.0;
        }
        let a = df / 2.0;
        let x = x / 2.0;
        if x < a + 1.0 {
            1.0 - gamma_p(a, x)
        } else {
            gamma_q_fraction(a, x) * (-x + a * x.ln() - ln_gamma(a)).exp()
        }
    }

    /// The standard normal CDF, through P(½, z²/2) = erf(|z|/√2).
    pub fn normal_cdf(z: f64) -> f64 {
        let half = 0.5 * gamma_p(0.5, 0.5 * z * z);
        if z >= 0.0 { 0.5 + half } else { 0.5 - half }
    }

    /// The upper standard normal quantile z with P(Z > z) = `p`, by bisection.
    pub fn normal_upper_quantile(p: f64) -> f64 {
        let (mut lo, mut hi) = (-40.0, 40.0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if 1.0 - normal_cdf(mid) > p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// The Kolmogorov–Smirnov statistic of a sample (sorted in place) against a CDF.
    pub fn ks_statistic(sample: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
        sample.sort_by(f64::total_cmp);
        let n = sample.len() as f64;
        let mut d = 0.0f64;
        for (i, &x) in sample.iter().enumerate() {
            let f = cdf(x);
            d = d.max(f - i as f64 / n).max((i + 1) as f64 / n - f);
        }
        d
    }

    /// P(D ≥ d) for the KS statistic of `n` values from the CDF itself: Kolmogorov's limit
    /// with Stephens' small-sample correction (accurate to a few per cent of the p-value for
    /// n ≥ 35, far more than the Bonferroni levels here need).
    pub fn ks_p_value(d: f64, n: usize) -> f64 {
        let sn = (n as f64).sqrt();
        let lambda = (sn + 0.12 + 0.11 / sn) * d;
        if lambda < 0.2 {
            return 1.0;
        }
        let mut sum = 0.0;
        for j in 1..=100 {
            let j = f64::from(j);
            let term = (-2.0 * j * j * lambda * lambda).exp();
            sum += if j as i64 % 2 == 1 { term } else { -term };
            if term < 1e-18 {
                break;
            }
        }
        (2.0 * sum).clamp(0.0, 1.0)
    }

    #[test]
    fn the_helpers_match_published_values() {
        // Γ(5) = 24; Γ(½) = √π.
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        // Φ(1.959964) = 0.975; Φ(−1) = 0.158655.
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_253_9).abs() < 1e-9);
        assert!((normal_upper_quantile(0.025) - 1.959_964).abs() < 1e-5);
        // χ²: the 0.999 quantile with 11 df is 31.264; with 2 df the tail is e^{−x/2}.
        assert!((chi_square_sf(31.264, 11.0) - 0.001).abs() < 1e-5);
        assert!((chi_square_sf(7.0, 2.0) - (-3.5f64).exp()).abs() < 1e-12);
        // Exponential = gamma with shape 1.
        assert!((gamma_p(1.0, 2.0) - (1.0 - (-2f64).exp())).abs() < 1e-12);
        assert!((gamma_p(3.0, 30.0) - 1.0).abs() < 1e-9);
        // Kolmogorov: P(K > 1.358) = 0.05, P(K > 1.628) = 0.01.
        assert!((ks_p_value(1.358 / 1e3, 1_000_000) - 0.05).abs() < 1e-3);
        assert!((ks_p_value(1.628 / 1e3, 1_000_000) - 0.01).abs() < 1e-3);
    }
}

/// The trimmed contents of every `<text>` element of an SVG, in drawing order.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// The options of a capacity search of design year 2020 over `scope`: `reps` replications,
/// master seed `seed`, `steps` bisections, the scenario's own planning limits (set
/// `criterion` or `year` by struct update), threads and event budget by default.
pub fn capacity_options(
    scope: portsim::experiment::Scope,
    reps: u32,
    seed: u64,
    steps: u32,
) -> portsim::experiment::CapacityOptions {
    portsim::experiment::CapacityOptions {
        replications: reps,
        seed,
        year: 2020,
        threads: None,
        scope,
        criterion: None,
        steps,
        max_events: portsim::sim::DEFAULT_MAX_EVENTS,
    }
}
