//! `merge` joins only shards of one sweep: a shard of another sweep, or of the same sweep file
//! edited since, is refused as bad input (exit code 2) and nothing is written to `--out`.

use std::path::{Path, PathBuf};

use portsim::Error;
use portsim::commands::{self, SweepRequest};

use crate::util::portsim;

/// A tiny sweep: M/M/1 at two demand multiples, two replications each.
const SWEEP: &str = r#"
name = "tiny"
scenario = "mm1-rho50"
replications = 2
seed = 5

[[parameters]]
path = "demand_multiplier"
values = [0.5, 0.6]
"#;

/// Runs shard `shard` of the sweep `text` (saved as `file` in `dir`) into `dir/out`.
fn shard(dir: &Path, file: &str, text: &str, shard: &str, out: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, text).expect("write");
    let req = SweepRequest {
        file: path.to_string_lossy().into_owned(),
        shard: Some(shard.into()),
        out: Some(dir.join(out)),
        threads: Some(1),
        quiet: true,
        no_charts: true,
        max_events: None,
        format: None,
    };
    commands::sweep(&req, &mut Vec::new()).expect("sweep")
}

fn refused(dirs: &[PathBuf], to: &Path) -> String {
    let e = commands::merge(dirs, to, true, &mut Vec::new()).expect_err("merge must refuse");
    assert!(matches!(e, Error::Usage(_)), "{e:?}");
    assert_eq!(e.exit_code(), 2);
    assert!(!to.exists(), "merge wrote to --out");
    e.to_string()
}

#[test]
fn merge_refuses_a_shard_of_another_sweep() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let a1 = shard(tmp.path(), "a.toml", SWEEP, "1/2", "a1");
    let a2 = shard(tmp.path(), "a.toml", SWEEP, "2/2", "a2");
    // Another sweep: same grid, another name and seed.
    let other = SWEEP
        .replace("\"tiny\"", "\"other\"")
        .replace("seed = 5", "seed = 6");
    let b2 = shard(tmp.path(), "b.toml", &other, "2/2", "b2");
    let to = tmp.path().join("merged");
    let msg = refused(&[a1.clone(), b2.clone()], &to);
    assert!(msg.contains("holds a different sweep"), "{msg}");
    // In either order.
    refused(&[b2.clone(), a1.clone()], &to);
    // The binary says so with exit code 2.
    portsim()
        .arg("merge")
        .args([&a1, &b2])
        .arg("--out")
        .arg(&to)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds a different sweep"));
    assert!(!to.exists());
    // The shards of one sweep do merge.
    commands::merge(&[a1, a2], &to, true, &mut Vec::new()).expect("merge");
    assert!(to.join("kpis.parquet").exists());
}

#[test]
fn merge_refuses_a_shard_of_the_same_sweep_file_edited_in_between() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let first = shard(tmp.path(), "s.toml", SWEEP, "1/2", "s1");
    // The file is edited (a third replication) before the second shard runs.
    let edited = SWEEP.replace("replications = 2", "replications = 3");
    let second = shard(tmp.path(), "s.toml", &edited, "2/2", "s2");
    let msg = refused(&[first, second], &tmp.path().join("merged"));
    assert!(msg.contains("holds a different sweep"), "{msg}");
}

/// An `lhs` sweep of M/M/1: the arrival rate (through the demand multiple) and the berth's
/// nominal handling rate, which this model does not use (the flow gives its service time) —
/// a whole-numbered parameter.
pub(crate) const LHS: &str = r#"
name = "lhs"
scenario = "mm1-rho50"
replications = 2
seed = 9
design = "lhs"
samples = 20

[[parameters]]
path = "demand_multiplier"
range = [0.3, 0.8]

[[parameters]]
path = "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h"
range = [500, 2000]
"#;

#[test]
fn a_latin_hypercube_puts_one_sample_in_each_stratum_of_every_parameter() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("lhs.toml");
    std::fs::write(&file, LHS).expect("write");
    let sweep = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("load");
    assert_eq!(sweep.points.len(), 20);
    let mut strata = vec![0; 20];
    for p in &sweep.points {
        let x = p.values[0].as_float().expect("a number");
        assert!((0.3..=0.8).contains(&x), "{x}");
        strata[(((x - 0.3) / 0.5) * 20.0).floor().min(19.0) as usize] += 1;
    }
    assert!(strata.iter().all(|&c| c == 1), "{strata:?}");
    // The berth's rate is a whole number in the scenario: whole numbers, one per stratum of
    // 75 t/h but for rounding at a stratum's edge.
    let mut rates: Vec<i64> = sweep
        .points
        .iter()
        .map(|p| p.values[1].as_integer().expect("a whole number"))
        .collect();
    rates.sort_unstable();
    assert!(rates[0] >= 500 && rates[19] <= 2000);
    assert!(rates.windows(2).all(|w| w[1] - w[0] <= 151), "{rates:?}");
    // The same seed, the same design; another seed, another.
    let again = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("load");
    assert_eq!(sweep.points[3].values, again.points[3].values);
    std::fs::write(&file, LHS.replace("seed = 9", "seed = 10")).expect("write");
    let other = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("load");
    assert_ne!(sweep.points[3].values, other.points[3].values);
    // A grid's values and an lhs's range do not mix, and lhs needs its samples.
    for (text, expected) in [
        (
            LHS.replace("range = [0.3, 0.8]", "values = [0.3, 0.8]"),
            "not a list of values",
        ),
        (LHS.replace("samples = 20\n", ""), "needs `samples = N`"),
        (
            LHS.replace("range = [0.3, 0.8]", "range = [0.8, 0.3]"),
            "low < high",
        ),
        (
            LHS.replace("design = \"lhs\"", "design = \"sobol\""),
            "expected `grid`, `lhs` or `saltelli`",
        ),
    ] {
        std::fs::write(&file, text).expect("write");
        let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains(expected), "{e}");
    }
    // A mistyped design is one error, with a hint: its parameters are not then judged as a
    // grid's.
    std::fs::write(&file, LHS.replace("design = \"lhs\"", "design = \"LHS\"")).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    let text = e.to_string();
    assert!(
        text.contains("expected `grid`, `lhs` or `saltelli`, found `LHS` (did you mean `lhs`?)"),
        "{text}"
    );
    assert_eq!(text.matches("lhs.toml:").count(), 1, "{text}");
    std::fs::write(&file, LHS.replace("design = \"lhs\"", "design = \"lsh\"")).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    assert!(
        e.to_string().contains("found `lsh` (did you mean `lhs`?)"),
        "{e}"
    );
}

/// A design may sample a parameter from a distribution instead of a range: its N samples fall
/// one in each of the distribution's N equal-probability bins (the bins' edges are its
/// quantiles at k/N), for a normal, a triangular and a lognormal; a Saltelli design takes
/// them too. Bad distributions are refused at their place.
#[test]
fn a_latin_hypercube_samples_a_distribution_one_sample_in_each_equal_probability_bin() {
    use portsim::experiment::Sampled;
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("lhs.toml");
    let n = 40;
    for (dist, sampled) in [
        (
            r#"{ dist = "normal", mean = 0.5, sd = 0.05 }"#,
            Sampled::Normal {
                mean: 0.5,
                sd: 0.05,
            },
        ),
        (
            r#"{ dist = "triangular", min = 0.3, mode = 0.4, max = 0.8 }"#,
            Sampled::Triangular {
                min: 0.3,
                mode: 0.4,
                max: 0.8,
            },
        ),
        (
            r#"{ dist = "lognormal", mean = 0.5, cv = 0.2 }"#,
            Sampled::Lognormal { mean: 0.5, cv: 0.2 },
        ),
        (
            r#"{ dist = "normal", mean = 0.5, sd = 0.1, min = 0.45, max = 0.8 }"#,
            Sampled::TruncatedNormal {
                mean: 0.5,
                sd: 0.1,
                min: 0.45,
                max: 0.8,
            },
        ),
    ] {
        let text = LHS
            .replace("samples = 20", &format!("samples = {n}"))
            .replace("range = [0.3, 0.8]", &format!("distribution = {dist}"));
        std::fs::write(&file, &text).expect("write");
        let sweep = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("load");
        assert_eq!(sweep.points.len(), n);
        let edges: Vec<f64> = (1..n)
            .map(|k| sampled.quantile(k as f64 / n as f64))
            .collect();
        let mut bins = vec![0; n];
        for p in &sweep.points {
            let x = p.values[0].as_float().expect("a number");
            bins[edges.iter().filter(|&&e| e <= x).count()] += 1;
        }
        assert!(bins.iter().all(|&c| c == 1), "{dist}: {bins:?}");
        if let Sampled::TruncatedNormal { min, max, .. } = sampled {
            assert!(
                sweep.points.iter().all(|p| {
                    let x = p.values[0].as_float().expect("a number");
                    (min..=max).contains(&x)
                }),
                "within its bounds"
            );
        }
        // Saltelli's two hypercubes sample it the same way.
        let saltelli = text.replace("design = \"lhs\"", "design = \"saltelli\"");
        std::fs::write(&file, saltelli).expect("write");
        let s = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("saltelli");
        assert_eq!(s.points.len(), n * 4);
    }
    for (distribution, expected, column) in [
        (
            r#"{ dist = "normall", mean = 0.5, sd = 0.05 }"#,
            "did you mean `normal`",
            16,
        ),
        (
            r#"{ dist = "normal", mean = 0.5 }"#,
            "needs a finite `sd`",
            16,
        ),
        (
            r#"{ dist = "normal", mean = 0.5, sd = 0 }"#,
            "expected sd > 0",
            16,
        ),
        (
            r#"{ dist = "lognormal", mean = 0.5, sd = 0.1 }"#,
            "takes `mean`, `cv`, not `sd`",
            16,
        ),
        (
            r#"{ dist = "triangular", min = 0.3, mode = 0.9, max = 0.8 }"#,
            "min ≤ mode ≤ max",
            16,
        ),
        (
            r#"{ dist = "normal", mean = 0.5, sd = 0.1, min = 0.6, max = 0.6 }"#,
            "expected min < max",
            16,
        ),
        (
            r#"{ dist = "normal", mean = 0.5, sd = 0.01, min = 0.8 }"#,
            "holds almost none of a normal",
            16,
        ),
    ] {
        let text = LHS.replace(
            "range = [0.3, 0.8]",
            &format!("distribution = {distribution}"),
        );
        std::fs::write(&file, &text).expect("write");
        let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.contains(expected), "{msg}");
        assert!(msg.contains(&format!(":11:{column}")), "placed: {msg}");
    }
    // A sample the scenario refuses (a demand multiple below 0 in a normal's tail) stops the
    // sweep, placed at the distribution, with a hint to bound it.
    let text = LHS.replace(
        "range = [0.3, 0.8]",
        r#"distribution = { dist = "normal", mean = 0.1, sd = 0.1 }"#,
    );
    std::fs::write(&file, &text).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    let msg = e.to_string();
    assert!(
        msg.contains(":11:16") && msg.contains("bound the distribution"),
        "{msg}"
    );
    // Bounded below, the same normal samples only valid multiples.
    let text = LHS.replace(
        "range = [0.3, 0.8]",
        r#"distribution = { dist = "normal", mean = 0.1, sd = 0.1, min = 0.01 }"#,
    );
    std::fs::write(&file, &text).expect("write");
    let s = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("bounded");
    assert!(
        s.points
            .iter()
            .all(|p| p.values[0].as_float().unwrap() >= 0.01)
    );
    // A range and a distribution at once, and a distribution in a grid, are refused.
    let both = LHS.replace(
        "range = [0.3, 0.8]",
        "range = [0.3, 0.8]\ndistribution = { dist = \"normal\", mean = 0.5, sd = 0.05 }",
    );
    std::fs::write(&file, both).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    assert!(e.to_string().contains("not both"), "{e}");
    let grid = LHS
        .replace("design = \"lhs\"\n", "")
        .replace("samples = 20\n", "")
        .replace(
            "range = [0.3, 0.8]",
            "values = [0.3]\ndistribution = { dist = \"normal\", mean = 0.5, sd = 0.05 }",
        );
    std::fs::write(&file, grid).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    assert!(e.to_string().contains("a grid takes `values"), "{e}");
}

#[test]
fn sensitivity_recovers_known_weights_and_finds_waiting_driven_by_the_arrival_rate() {
    // A synthetic metric: y = 2 x1 − 0.5 x2 + 0 x3 on a 30-point design. Its SRCs are
    // b_k sd(x_k) / sd(y), exactly (no noise), and R² = 1.
    let x: Vec<Vec<f64>> = (0..30)
        .map(|i| {
            let i = i as f64;
            vec![(i * 7.0) % 30.0, (i * 11.0) % 30.0 / 3.0, (i * 13.0) % 30.0]
        })
        .collect();
    let y: Vec<f64> = x.iter().map(|p| 2.0 * p[0] - 0.5 * p[1]).collect();
    let sd = |v: &dyn Fn(usize) -> f64| {
        let m = (0..30).map(v).sum::<f64>() / 30.0;
        ((0..30).map(|i| (v(i) - m).powi(2)).sum::<f64>() / 29.0).sqrt()
    };
    let (src, r2) = portsim::experiment::standardized_regression(&x, &y).expect("regression");
    let sy = sd(&|i| y[i]);
    assert!(
        (src[0] - 2.0 * sd(&|i| x[i][0]) / sy).abs() < 1e-9,
        "{src:?}"
    );
    assert!(
        (src[1] + 0.5 * sd(&|i| x[i][1]) / sy).abs() < 1e-9,
        "{src:?}"
    );
    assert!(
        src[2].abs() < 1e-9 && (r2 - 1.0).abs() < 1e-9,
        "{src:?} {r2}"
    );
    // M/M/1 over the hypercube: waiting follows the arrival rate, not the ship's power.
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("lhs.toml");
    std::fs::write(&file, LHS).expect("write");
    let out = tmp.path().join("out");
    portsim()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("sensitivity.csv")).expect("sensitivity.csv");
    assert!(text.starts_with(portsim::experiment::SENSITIVITY_COLUMNS));
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    // (src, r2, src_se) of a row; the parameter paths hold no commas.
    let src_of = |metric: &str, param: &str| -> (f64, f64, f64) {
        let line = text
            .lines()
            .find(|l| l.contains(&format!(",ALL,ALL,{metric},{param},")))
            .unwrap_or_else(|| panic!("no row for {metric} {param}"));
        let f: Vec<&str> = line.split(',').collect();
        let num = |name: &str| f[col(name)].parse::<f64>().expect(name);
        (num("src"), num("r2"), num("src_se"))
    };
    let (demand, r2, demand_se) = src_of("wait_h_mean", "demand_multiplier");
    let (rate, _, rate_se) = src_of(
        "wait_h_mean",
        "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h",
    );
    eprintln!(
        "wait: SRC demand {demand:.3} ± {demand_se:.3}, berth rate {rate:.3} ± {rate_se:.3}, R² {r2:.3}"
    );
    assert!(
        demand > 0.7 && demand.abs() > 5.0 * rate.abs(),
        "{demand} vs {rate}"
    );
    // The standard errors: the arrival rate's coefficient stands many of them clear of zero,
    // and both are those of a near-exact fit, √((1 − R²)/(n − 3)) with two near-independent
    // parameters (a hypercube's).
    let n = text
        .lines()
        .nth(1)
        .map(|l| {
            l.split(',')
                .nth(col("n"))
                .expect("n")
                .parse::<f64>()
                .expect("n")
        })
        .expect("a row");
    let expected = ((1.0 - r2) / (n - 3.0)).sqrt();
    assert!(demand > 10.0 * demand_se, "{demand} ± {demand_se}");
    for se in [demand_se, rate_se] {
        assert!((se / expected - 1.0).abs() < 0.2, "{se} against {expected}");
    }
    // The report draws the coefficients.
    portsim().arg("report").arg(&out).assert().success();
    let svg = std::fs::read_to_string(out.join("charts/sensitivity.svg")).expect("chart");
    assert!(svg.contains("demand_multiplier") && svg.contains("mean wait (R²"));
    let html = std::fs::read_to_string(out.join("report.html")).expect("report");
    assert!(html.contains("What the cluster"));
}

#[test]
fn a_latin_hypercube_sweep_shards_and_merges_to_the_bytes_of_one_run() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let s1 = shard(tmp.path(), "lhs.toml", LHS, "1/2", "s1");
    let s2 = shard(tmp.path(), "lhs.toml", LHS, "2/2", "s2");
    // A shard alone is no result to report: the refusal says what to do.
    portsim()
        .args(["report", s1.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "holds a sweep not yet finished (or one shard of one)",
        ));
    let merged = tmp.path().join("merged");
    commands::merge(&[s2, s1], &merged, true, &mut Vec::new()).expect("merge");
    let whole = tmp.path().join("whole");
    portsim()
        .args(["sweep", tmp.path().join("lhs.toml").to_str().unwrap()])
        .args(["--quiet", "--no-charts", "--out", whole.to_str().unwrap()])
        .assert()
        .success();
    for f in ["kpis.parquet", "summary.json", "sensitivity.csv"] {
        assert_eq!(
            std::fs::read(merged.join(f)).expect("merged"),
            std::fs::read(whole.join(f)).expect("whole"),
            "{f}"
        );
    }
}

/// The Ishigami function, the standard test of Sobol estimators: f = sin x1 + 7 sin² x2 +
/// 0.1 x3⁴ sin x1 on U(−π, π)³, with S1 = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424,
/// 0.2437) (Ishigami and Homma 1990; Saltelli et al. 2010).
fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

#[test]
fn sobol_indices_recover_the_ishigami_functions_and_their_intervals_cover_them() {
    use rand::{RngExt, SeedableRng};
    const S1: [f64; 3] = [0.3139, 0.4424, 0.0];
    const ST: [f64; 3] = [0.5576, 0.4424, 0.2437];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2010);
    let n = 4000;
    let pi = std::f64::consts::PI;
    let mut draw = || -> Vec<f64> { (0..3).map(|_| rng.random_range(-pi..pi)).collect() };
    let (a, b): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (0..n).map(|_| (draw(), draw())).unzip();
    let fa: Vec<f64> = a.iter().map(|x| ishigami(x)).collect();
    let fb: Vec<f64> = b.iter().map(|x| ishigami(x)).collect();
    let fab: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            (0..3)
                .map(|i| {
                    let mut x = a[j].clone();
                    x[i] = b[j][i];
                    ishigami(&x)
                })
                .collect()
        })
        .collect();
    let s = portsim::experiment::sobol_indices(&fa, &fb, &fab).expect("indices");
    // Six intervals at once: each widened from 95 % to 1 − 0.05/6 (Bonferroni, z 2.64 over
    // 1.96), and by 0.02 for the variance V they hold fixed (its relative standard error at
    // 2 × 4,000 runs of the Ishigami function is ≈ 1.3 %, and no index exceeds 0.56). A
    // family-wise false alarm rate of at most 5 % for any seed.
    let widen = |(lo, hi): (f64, f64), mid: f64| {
        let w = (hi - lo) / 2.0 * 2.64 / 1.96 + 0.02;
        (mid - w, mid + w)
    };
    for i in 0..3 {
        let (lo, hi) = widen(s[i].s1_ci95, s[i].s1);
        assert!(
            lo <= S1[i] && S1[i] <= hi,
            "S1[{i}] {:?} vs {}",
            s[i],
            S1[i]
        );
        let (lo, hi) = widen(s[i].st_ci95, s[i].st);
        assert!(
            lo <= ST[i] && ST[i] <= hi,
            "ST[{i}] {:?} vs {}",
            s[i],
            ST[i]
        );
        // The intervals are informative: narrower than ± 0.1.
        assert!(s[i].st_ci95.1 - s[i].st_ci95.0 < 0.2, "{:?}", s[i]);
    }
    // x3 acts only through its interaction with x1: a total index, no first-order one.
    assert!(s[2].st > 0.15 && s[2].s1.abs() < 0.1, "{:?}", s[2]);
}

#[test]
fn a_saltelli_design_pairs_two_hypercubes_and_finds_waiting_driven_by_the_arrival_rate() {
    let text = LHS
        .replace("design = \"lhs\"", "design = \"saltelli\"")
        .replace("samples = 20", "samples = 128");
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("saltelli.toml");
    std::fs::write(&file, &text).expect("write");
    let sweep = portsim::experiment::load_sweep(file.to_str().unwrap()).expect("load");
    // 128 samples × (2 parameters + 2) points: A, B, A with parameter 1 from B, with 2 from B.
    assert_eq!(sweep.points.len(), 512);
    let x = |p: usize, k: usize| sweep.points[p].values[k].clone();
    let mut strata = [vec![0; 128], vec![0; 128]];
    for j in 0..128 {
        let (a, b) = (4 * j, 4 * j + 1);
        for k in 0..2 {
            assert_eq!(
                x(a + 2 + k, k),
                x(b, k),
                "A_B^{k} takes parameter {k} from B"
            );
            assert_eq!(x(a + 2 + k, 1 - k), x(a, 1 - k), "and the other from A");
        }
        // A's and B's demand multiples are each a hypercube: one per stratum.
        for (s, p) in strata.iter_mut().zip([a, b]) {
            let d = x(p, 0).as_float().expect("a number");
            s[(((d - 0.3) / 0.5) * 128.0).floor().min(127.0) as usize] += 1;
        }
    }
    assert!(
        strata.iter().all(|s| s.iter().all(|&c| c == 1)),
        "{strata:?}"
    );
    assert_ne!(x(0, 0), x(1, 0), "A and B are independent hypercubes");
    // Run it: sensitivity.csv has Sobol indices, not SRCs.
    let out = tmp.path().join("out");
    portsim()
        .args(["sweep", file.to_str().unwrap(), "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(out.join("sensitivity.csv")).expect("sensitivity.csv");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|c| c == n).expect(n);
    let rate_path = "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h";
    let (mut demand, mut rate) = (None, None);
    for rec in r.records() {
        let rec = rec.expect("row");
        if (&rec[col("port")], &rec[col("cargo")], &rec[col("metric")])
            != ("ALL", "ALL", "wait_h_mean")
        {
            continue;
        }
        assert!(rec[col("src")].is_empty(), "no SRC on a Saltelli design");
        assert_eq!(&rec[col("n")], "128");
        let st: f64 = rec[col("st")].parse().expect("st");
        let lo: f64 = rec[col("st_ci95_low")].parse().expect("lo");
        if &rec[col("parameter")] == "demand_multiplier" {
            // Under common random numbers, A with B's demand runs exactly as B: Jansen's
            // first-order estimate is then exactly 1.
            assert_eq!(&rec[col("s1")], "1");
            demand = Some((st, lo));
        } else if &rec[col("parameter")] == rate_path {
            rate = Some(st);
        }
    }
    let (demand, demand_lo) = demand.expect("a row for the demand multiple");
    // The berth's nominal rate is not used by this model: fixing it removes nothing.
    assert_eq!(rate.expect("a row for the rate"), 0.0);
    // Its total index is 1 in truth; estimated 0.91–1.19 (interval low 0.71–0.96) over seeds
    // 1–10 of this design.
    assert!(
        demand > 0.8 && demand_lo > 0.5,
        "ST of demand {demand} (low {demand_lo})"
    );
    // The report draws the total indices.
    let svg = std::fs::read_to_string(out.join("charts/sensitivity.svg")).expect("chart");
    assert!(svg.contains("total Sobol index"));
}

#[test]
fn a_finished_sweep_is_not_merged_into_itself_and_an_interrupted_assembly_is_redone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let s1 = shard(tmp.path(), "s.toml", SWEEP, "1/2", "s1");
    let s2 = shard(tmp.path(), "s.toml", SWEEP, "2/2", "s2");
    // --out may not be one of the shards (its points would be removed as it assembles).
    let e = commands::merge(&[s1.clone(), s2.clone()], &s1, true, &mut Vec::new())
        .expect_err("refused");
    assert!(
        e.to_string().contains("is one of the directories merged"),
        "{e}"
    );
    assert!(s1.join("points").exists(), "the shard keeps its points");
    let whole = shard(tmp.path(), "s.toml", SWEEP, "1/1", "whole");
    assert!(!whole.join("points").exists());
    let reference = std::fs::read(whole.join("kpis.parquet")).expect("kpis");
    // A finished sweep has no points to give.
    let msg = refused(&[whole.clone(), s2.clone()], &tmp.path().join("m"));
    assert!(msg.contains("holds a finished sweep"), "{msg}");
    // A run killed between renames (summary.json not yet in place), with a temporary file
    // left behind: the rerun runs the sweep again, writes the same bytes and cleans up.
    std::fs::remove_file(whole.join("summary.json")).expect("rm");
    std::fs::write(whole.join(".kpis.parquet.tmp-99999"), b"partial").expect("write");
    let again = shard(tmp.path(), "s.toml", SWEEP, "1/1", "whole");
    assert_eq!(
        std::fs::read(again.join("kpis.parquet")).expect("kpis"),
        reference
    );
    assert!(again.join("summary.json").exists());
    assert!(!again.join(".kpis.parquet.tmp-99999").exists());
    // Another sweep in the same directory is refused, saying how it differs.
    let other = SWEEP.replace("seed = 5", "seed = 6");
    let path = tmp.path().join("other.toml");
    std::fs::write(&path, other).expect("write");
    let e = commands::sweep(
        &SweepRequest {
            file: path.to_string_lossy().into_owned(),
            out: Some(whole.clone()),
            threads: Some(1),
            quiet: true,
            no_charts: true,
            ..SweepRequest::default()
        },
        &mut Vec::new(),
    )
    .expect_err("refused");
    assert!(e.to_string().contains("the seed"), "{e}");
}

#[test]
fn the_whole_sweep_run_into_a_shards_folder_finishes_it_and_is_no_longer_that_shard() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let reference = shard(tmp.path(), "s.toml", SWEEP, "1/1", "whole");
    let grown = shard(tmp.path(), "s.toml", SWEEP, "1/2", "grown");
    assert!(grown.join("shard.json").exists());
    let req = SweepRequest {
        file: tmp.path().join("s.toml").to_string_lossy().into_owned(),
        out: Some(grown.clone()),
        threads: Some(1),
        quiet: true,
        no_charts: true,
        ..SweepRequest::default()
    };
    commands::sweep(&req, &mut Vec::new()).expect("the rest of the sweep");
    assert!(
        !grown.join("shard.json").exists(),
        "the folder holds the whole sweep now"
    );
    assert_eq!(
        std::fs::read(grown.join("kpis.parquet")).expect("kpis"),
        std::fs::read(reference.join("kpis.parquet")).expect("kpis")
    );
    // Any shard of a finished sweep has nothing left to run (it said the folder held shard 1).
    shard(tmp.path(), "s.toml", SWEEP, "2/2", "grown");
    assert!(!grown.join("shard.json").exists());
}

#[test]
fn a_sweep_sizes_each_point_by_its_demand() {
    // The sizes order the points largest first; M/M/1's events grow with its arrivals, so a
    // point at twice the demand is about twice the size (the rest is the run's fixed events).
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("sizes.toml");
    std::fs::write(
        &file,
        SWEEP.replace("values = [0.5, 0.6]", "values = [0.4, 0.8, 0.2]"),
    )
    .expect("write");
    let sweep = portsim::experiment::load_sweep(file.to_str().expect("utf-8")).expect("sweep");
    let points: Vec<_> = sweep.points.iter().collect();
    let sizes = sweep.check_sizes(&points, Some(1)).expect("sizes");
    assert_eq!(sizes.len(), 3);
    let ratio = sizes[1] / sizes[0];
    assert!((1.9..=2.1).contains(&ratio), "{sizes:?}");
    assert!(sizes[2] < sizes[0] && sizes[0] < sizes[1], "{sizes:?}");
    // Over two design years (no growth), each point is the sum of both: twice its one year.
    std::fs::write(
        &file,
        SWEEP
            .replace("values = [0.5, 0.6]", "values = [0.4, 0.8, 0.2]")
            .replace("seed = 5", "seed = 5\nyears = [2020, 2021]"),
    )
    .expect("write");
    let two = portsim::experiment::load_sweep(file.to_str().expect("utf-8")).expect("sweep");
    let points: Vec<_> = two.points.iter().collect();
    let both = two.check_sizes(&points, Some(1)).expect("sizes");
    for (one, both) in sizes.iter().zip(&both) {
        assert!((both / one - 2.0).abs() < 1e-9, "{sizes:?} {both:?}");
    }
}

#[test]
fn a_whole_number_range_that_rounds_to_one_value_is_refused_saying_how_to_widen_it() {
    // `slots_per_day` is a whole number: [2.5, 3.5] would give 3 at every point.
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("sweep.toml");
    let text = |range: &str| {
        format!(
            "name = \"w\"\nscenario = \"liaoning-2020\"\ndesign = \"lhs\"\nsamples = 8\nreplications = 1\n\n[[parameters]]\npath = \"corridors[name=dalian-box-north].slots_per_day\"\nrange = {range}\n"
        )
    };
    std::fs::write(&file, text("[2.5, 3.5]")).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(msg.contains("rounds to 3"), "{msg}");
    assert!(msg.contains("[2.5, 4.5] gives 3 to 4"), "{msg}");
    assert!(msg.contains("sweep.toml:9:9:"), "no line and column: {msg}");
    // One unit wide is enough.
    std::fs::write(&file, text("[2.5, 4.5]")).expect("write");
    portsim::experiment::load_sweep(file.to_str().unwrap()).expect("two values");
    // A uniform distribution samples the same way, and is named as what it is.
    let uniform = text("[2, 3]").replace(
        "range = [2, 3]",
        "distribution = { dist = \"uniform\", min = 2.6, max = 3.4 }",
    );
    std::fs::write(&file, uniform).expect("write");
    let e = portsim::experiment::load_sweep(file.to_str().unwrap()).expect_err("refused");
    let msg = e.to_string();
    assert!(msg.contains("parameters[0].distribution: "), "{msg}");
    assert!(msg.contains("rounds to 3"), "{msg}");
}
