//! Which parameter a sweep's results depend on most: standardised regression coefficients.
//!
//! For every summary row (scenario, design year, port, cargo, metric) the points' means are
//! regressed on the parameters' values by least squares, both standardised (mean 0, standard
//! deviation 1): the coefficient of a parameter is the change in the metric, in its standard
//! deviations, per standard deviation of the parameter, the others held — comparable across
//! parameters of any unit. R² says how much of the metric's spread a linear model explains; an
//! SRC means little where R² is low (strongly non-linear responses such as waiting near
//! saturation). A Latin hypercube (`design = "lhs"`) suits this best: its parameters are
//! sampled independently, so the coefficients do not borrow from one another.

use std::collections::BTreeMap;

use super::SweepManifest;
use crate::error::{Error, Result};
use crate::report::output::fmt_num;

/// The columns of `sensitivity.csv`.
pub const SENSITIVITY_COLUMNS: &str = "scenario,year,port,cargo,metric,parameter,src,r2,n";

/// Standardised regression coefficients of `y` on the columns of `x` (`x[i]` is point i's
/// parameter values), and the regression's R². `None` where there are too few points (at
/// least parameters + 2), `y` does not vary, or the parameters are collinear; a parameter that
/// does not vary gets NaN and is left out of the regression.
///
/// ```
/// use portsim::experiment::standardized_regression;
/// // y = 3 x1 − 2 x2 exactly, on four points.
/// let x = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]];
/// let y: Vec<f64> = x.iter().map(|p| 3.0 * p[0] - 2.0 * p[1]).collect();
/// let (src, r2) = standardized_regression(&x, &y).unwrap();
/// // sd(x1) = sd(x2); sd(y) = √(9 + 4) sd(x): SRCs 3/√13 and −2/√13.
/// assert!((src[0] - 3.0 / 13f64.sqrt()).abs() < 1e-12);
/// assert!((src[1] + 2.0 / 13f64.sqrt()).abs() < 1e-12);
/// assert!((r2 - 1.0).abs() < 1e-12);
/// ```
pub fn standardized_regression(x: &[Vec<f64>], y: &[f64]) -> Option<(Vec<f64>, f64)> {
    let n = y.len();
    let p = x.first().map_or(0, Vec::len);
    let stats = |v: &dyn Fn(usize) -> f64| {
        let mean = (0..n).map(v).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (v(i) - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (mean, var.sqrt())
    };
    let (my, sy) = stats(&|i| y[i]);
    if n < 3 || sy.is_nan() || sy <= 0.0 {
        return None;
    }
    let cols: Vec<(usize, f64, f64)> = (0..p)
        .map(|k| {
            let (m, s) = stats(&|i| x[i][k]);
            (k, m, s)
        })
        .filter(|&(_, _, s)| s > 0.0)
        .collect();
    let q = cols.len();
    if q == 0 || n < q + 2 {
        return None;
    }
    let z = |i: usize, c: usize| (x[i][cols[c].0] - cols[c].1) / cols[c].2;
    let zy: Vec<f64> = (0..n).map(|i| (y[i] - my) / sy).collect();
    // Normal equations (Z'Z) b = Z'y, solved by Gaussian elimination with partial pivoting.
    let mut a: Vec<Vec<f64>> = (0..q)
        .map(|r| {
            let mut row: Vec<f64> = (0..q)
                .map(|c| (0..n).map(|i| z(i, r) * z(i, c)).sum())
                .collect();
            row.push((0..n).map(|i| z(i, r) * zy[i]).sum());
            row
        })
        .collect();
    for c in 0..q {
        let pivot = (c..q).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[pivot][c].abs() < 1e-9 * n as f64 {
            return None;
        }
        a.swap(c, pivot);
        let pivot_row = a[c].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot_row[c];
                for (k, v) in row.iter_mut().enumerate().skip(c) {
                    *v -= f * pivot_row[k];
                }
            }
        }
    }
    let b: Vec<f64> = (0..q).map(|r| a[r][q] / a[r][r]).collect();
    let sse: f64 = (0..n)
        .map(|i| (zy[i] - (0..q).map(|c| b[c] * z(i, c)).sum::<f64>()).powi(2))
        .sum();
    let sst: f64 = zy.iter().map(|v| v * v).sum();
    let mut src = vec![f64::NAN; p];
    for (c, &(k, _, _)) in cols.iter().enumerate() {
        src[k] = b[c];
    }
    Some((src, 1.0 - sse / sst))
}

/// `sensitivity.csv` from a finished sweep's `summary.csv`: per summary row and parameter,
/// the SRC and the row's R². `None` where a parameter is not numeric or there are too few
/// points for a regression.
pub(super) fn render(manifest: &SweepManifest, summary: &[u8]) -> Result<Option<Vec<u8>>> {
    let n = manifest.points.len();
    let p = manifest.parameters.len();
    let x: Option<Vec<Vec<f64>>> = manifest
        .points
        .iter()
        .map(|pt| pt.iter().map(|v| v.parse::<f64>().ok()).collect())
        .collect();
    let Some(x) = x else { return Ok(None) };
    if n < p + 2 {
        return Ok(None);
    }
    let fail = |e: csv::Error| Error::Other(format!("cannot read the sweep's summary: {e}"));
    let mut r = csv::Reader::from_reader(summary);
    // Columns: point, the parameters, scenario, year, port, cargo, metric, mean, …
    let mut by_row: BTreeMap<(String, u16, String, String, String), Vec<f64>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(fail)?;
        let get = |k: usize| rec.get(1 + p + k).unwrap_or_default();
        let (Ok(point), Ok(year)) = (rec[0].parse::<usize>(), get(1).parse::<u16>()) else {
            continue;
        };
        let key = (
            get(0).into(),
            year,
            get(2).into(),
            get(3).into(),
            get(4).into(),
        );
        let mean = get(5).parse::<f64>().unwrap_or(f64::NAN);
        if point < n {
            by_row.entry(key).or_insert_with(|| vec![f64::NAN; n])[point] = mean;
        }
    }
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let mut out = format!("{SENSITIVITY_COLUMNS}\n").into_bytes();
    for ((scenario, year, port, cargo, metric), y) in &by_row {
        if y.iter().any(|v| !v.is_finite()) {
            continue;
        }
        let Some((src, r2)) = standardized_regression(&x, y) else {
            continue;
        };
        for (k, param) in manifest.parameters.iter().enumerate() {
            let cell = |v: f64| {
                if v.is_finite() {
                    fmt_num(v)
                } else {
                    String::new()
                }
            };
            w.write_record([
                scenario.as_str(),
                &year.to_string(),
                port,
                cargo,
                metric,
                param,
                &cell(src[k]),
                &cell(r2),
                &n.to_string(),
            ])
            .map_err(|e| Error::Other(format!("cannot render sensitivity.csv: {e}")))?;
        }
    }
    out.extend(
        w.into_inner()
            .map_err(|e| Error::Other(format!("cannot render sensitivity.csv: {e}")))?,
    );
    Ok(Some(out))
}
