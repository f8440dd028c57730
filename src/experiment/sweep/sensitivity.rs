//! Which parameter a sweep's results depend on most: standardised regression coefficients
//! (for a grid or a hypercube) or Sobol indices (for Saltelli's design, see `sobol.rs`).
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

use super::sobol::SobolSums;
use super::{SweepDesign, SweepManifest};
use crate::error::{Error, Result};
use crate::report::output::fmt_num;

/// The columns of `sensitivity.csv`.
pub const SENSITIVITY_COLUMNS: &str = "scenario,year,port,cargo,metric,parameter,src,r2,s1,s1_ci95_low,s1_ci95_high,st,st_ci95_low,st_ci95_high,n,src_se";

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
    standardized_regression_se(x, y).map(|(src, r2, _)| (src, r2))
}

/// [`standardized_regression`] with each coefficient's standard error,
/// √((1 − R²) / (n − m − 1) × [R⁻¹]ⱼⱼ) for m parameters that vary, R their correlation matrix
/// ([R⁻¹]ⱼⱼ = 1 / (1 − Rⱼ²), Rⱼ² the share of parameter j explained by the others): how far a
/// coefficient could move with another sample of the same size. Under normal errors a
/// coefficient within about two of them of zero cannot be told from zero.
///
/// ```
/// use portsim::experiment::standardized_regression_se;
/// // One parameter: the SRC is the correlation r and its error √((1 − r²) / (n − 2)).
/// let x: Vec<Vec<f64>> = (0..6).map(|i| vec![f64::from(i)]).collect();
/// let y = [0.0, 2.0, 1.0, 4.0, 3.0, 5.0];
/// let (src, r2, se) = standardized_regression_se(&x, &y).unwrap();
/// assert!((src[0] * src[0] - r2).abs() < 1e-12);
/// assert!((se[0] - ((1.0 - r2) / 4.0).sqrt()).abs() < 1e-12);
/// ```
pub fn standardized_regression_se(x: &[Vec<f64>], y: &[f64]) -> Option<(Vec<f64>, f64, Vec<f64>)> {
    let p = x.first().map_or(0, Vec::len);
    let mut m = Moments::new(p);
    for (xi, &yi) in x.iter().zip(y) {
        m.add(xi, yi);
    }
    m.regression()
}

/// Running means and co-moments of (parameters, metric) over points, updated one point at a
/// time (Welford's algorithm for a vector), so that a sweep of any size is analysed in memory
/// that does not grow with its points.
#[derive(Clone, Debug)]
struct Moments {
    /// Parameters.
    p: usize,
    /// Points seen.
    n: usize,
    /// A metric value was undefined: no regression.
    undefined: bool,
    /// Means of (x₁ … xₚ, y).
    mean: Vec<f64>,
    /// Co-moments Σ (zᵢ − z̄ᵢ)(zⱼ − z̄ⱼ), row-major, (p + 1)².
    co: Vec<f64>,
}

impl Moments {
    fn new(p: usize) -> Moments {
        Moments {
            p,
            n: 0,
            undefined: false,
            mean: vec![0.0; p + 1],
            co: vec![0.0; (p + 1) * (p + 1)],
        }
    }

    fn add(&mut self, x: &[f64], y: f64) {
        if !y.is_finite() {
            self.undefined = true;
            return;
        }
        self.n += 1;
        let q = self.p + 1;
        let z = |i: usize| if i < self.p { x[i] } else { y };
        let before: Vec<f64> = (0..q).map(|i| z(i) - self.mean[i]).collect();
        for (m, d) in self.mean.iter_mut().zip(&before) {
            *m += d / self.n as f64;
        }
        let after: Vec<f64> = (0..q).map(|i| z(i) - self.mean[i]).collect();
        for (row, b) in self.co.chunks_mut(q).zip(&before) {
            for (c, a) in row.iter_mut().zip(&after) {
                *c += b * a;
            }
        }
    }

    /// The standardised regression of y on the parameters that vary, with the coefficients'
    /// standard errors (see [`standardized_regression_se`]).
    fn regression(&self) -> Option<(Vec<f64>, f64, Vec<f64>)> {
        let (n, p, q) = (self.n, self.p, self.p + 1);
        let syy = self.co[p * q + p];
        if self.undefined || n < 3 || syy.is_nan() || syy <= 0.0 {
            return None;
        }
        let cols: Vec<usize> = (0..p).filter(|&k| self.co[k * q + k] > 0.0).collect();
        let m = cols.len();
        if m == 0 || n < m + 2 {
            return None;
        }
        // Correlations: the normal equations of the standardised variables, divided by n − 1.
        let r = |i: usize, j: usize| {
            self.co[i * q + j] / (self.co[i * q + i] * self.co[j * q + j]).sqrt()
        };
        let mut a: Vec<Vec<f64>> = cols
            .iter()
            .enumerate()
            .map(|(c, &i)| {
                let mut row: Vec<f64> = cols.iter().map(|&j| r(i, j)).collect();
                row.push(r(i, p));
                // The identity beside: elimination leaves the correlations' inverse there.
                row.extend((0..m).map(|k| if k == c { 1.0 } else { 0.0 }));
                row
            })
            .collect();
        // Gauss–Jordan elimination with partial pivoting.
        for c in 0..m {
            let pivot = (c..m).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
            if a[pivot][c].abs() < 1e-9 {
                return None;
            }
            a.swap(c, pivot);
            let pivot_row = a[c].clone();
            for (row_index, row) in a.iter_mut().enumerate() {
                if row_index != c {
                    let f = row[c] / pivot_row[c];
                    for (k, v) in row.iter_mut().enumerate().skip(c) {
                        *v -= f * pivot_row[k];
                    }
                }
            }
        }
        let b: Vec<f64> = (0..m).map(|i| a[i][m] / a[i][i]).collect();
        // R² = b · r_xy for standardised variables.
        let r2 = cols
            .iter()
            .zip(&b)
            .map(|(&k, bk)| bk * r(k, p))
            .sum::<f64>();
        let r2 = r2.clamp(0.0, 1.0);
        let residual = (1.0 - r2) / (n - m - 1) as f64;
        let mut src = vec![f64::NAN; p];
        let mut se = vec![f64::NAN; p];
        for (c, &k) in cols.iter().enumerate() {
            src[k] = b[c];
            se[k] = (residual * a[c][m + 1 + c] / a[c][c]).max(0.0).sqrt();
        }
        Some((src, r2, se))
    }
}

/// A summary row's key: scenario, design year, port, cargo, metric.
pub(super) type RowKey = (String, u16, String, String, String);

/// `sensitivity.csv` built as a sweep's points are assembled, one point at a time: SRCs for a
/// grid or a hypercube, Sobol indices for Saltelli's design.
#[derive(Debug)]
pub(super) struct Sensitivity {
    x: Vec<Vec<f64>>,
    parameters: Vec<String>,
    rows: BTreeMap<RowKey, Moments>,
    /// Saltelli's design: the Sobol sums of each row instead of the regression.
    sobol: Option<BTreeMap<RowKey, SobolSums>>,
}

/// Why a finished sweep has no `sensitivity.csv`, if it has none: a parameter whose values are
/// not numbers, or too few points for a regression of the result on every parameter.
pub fn sensitivity_skipped(manifest: &SweepManifest) -> Option<String> {
    if let Some((i, _)) = manifest.parameters.iter().enumerate().find(|(i, _)| {
        manifest
            .points
            .iter()
            .any(|pt| pt[*i].parse::<f64>().is_err())
    }) {
        return Some(format!(
            "`{}` takes values that are not numbers",
            manifest.parameters[i]
        ));
    }
    let (n, p) = (manifest.points.len(), manifest.parameters.len());
    (n < p + 2).then(|| {
        format!(
            "{n} points for {p} parameter{}; a regression on every parameter needs at least {}",
            if p == 1 { "" } else { "s" },
            p + 2
        )
    })
}

impl Sensitivity {
    /// For a sweep whose parameters are all numeric and with enough points for a regression
    /// (parameters + 2); `None` otherwise (see [`sensitivity_skipped`]).
    pub(super) fn new(manifest: &SweepManifest) -> Option<Sensitivity> {
        if sensitivity_skipped(manifest).is_some() {
            return None;
        }
        let x: Vec<Vec<f64>> = manifest
            .points
            .iter()
            .map(|pt| pt.iter().map(|v| v.parse::<f64>().ok()).collect())
            .collect::<Option<_>>()?;
        let saltelli = manifest.design() == SweepDesign::Saltelli;
        Some(Sensitivity {
            x,
            parameters: manifest.parameters.clone(),
            rows: BTreeMap::new(),
            sobol: saltelli.then(BTreeMap::new),
        })
    }

    /// Point `point`'s mean of the row `key`.
    pub(super) fn add(&mut self, point: usize, key: RowKey, mean: f64) {
        let p = self.parameters.len();
        if let Some(sobol) = self.sobol.as_mut() {
            sobol
                .entry(key)
                .or_insert_with(|| SobolSums::new(p))
                .add(point, mean);
            return;
        }
        let Some(x) = self.x.get(point) else { return };
        self.rows
            .entry(key)
            .or_insert_with(|| Moments::new(p))
            .add(x, mean);
    }

    /// Per row and parameter, the SRC and the row's R² (or, for Saltelli's design, the Sobol
    /// indices with their intervals), for the rows every point had.
    pub(super) fn render(&self) -> Result<Vec<u8>> {
        let n = self.x.len();
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let mut out = format!("{SENSITIVITY_COLUMNS}\n").into_bytes();
        let cell = |v: f64| {
            if v.is_finite() {
                fmt_num(v)
            } else {
                String::new()
            }
        };
        let fail = |e: csv::Error| Error::Other(format!("cannot render sensitivity.csv: {e}"));
        // One row: the summary row's key, the parameter, the eight index columns (`src, r2,
        // s1, s1_ci95_low, s1_ci95_high, st, st_ci95_low, st_ci95_high`), `n` and `src_se`.
        let mut row = |key: &RowKey, param: &str, indices: [f64; 8], n: usize, se: f64| {
            let (scenario, year, port, cargo, metric) = key;
            let mut rec = vec![
                scenario.clone(),
                year.to_string(),
                port.clone(),
                cargo.clone(),
                metric.clone(),
                param.to_string(),
            ];
            rec.extend(indices.map(cell));
            rec.push(n.to_string());
            rec.push(cell(se));
            w.write_record(&rec).map_err(fail)
        };
        const NONE: f64 = f64::NAN;
        if let Some(sobol) = &self.sobol {
            let samples = n / (self.parameters.len() + 2);
            for (key, sums) in sobol {
                let Some(indices) = sums.indices().filter(|_| sums.samples == samples) else {
                    continue;
                };
                for (param, s) in self.parameters.iter().zip(&indices) {
                    let (s1, st) = (s.s1_ci95, s.st_ci95);
                    row(
                        key,
                        param,
                        [NONE, NONE, s.s1, s1.0, s1.1, s.st, st.0, st.1],
                        samples,
                        NONE,
                    )?;
                }
            }
        }
        for (key, m) in &self.rows {
            let Some((src, r2, se)) = m.regression().filter(|_| m.n == n) else {
                continue;
            };
            for ((param, src), se) in self.parameters.iter().zip(src).zip(se) {
                row(
                    key,
                    param,
                    [src, r2, NONE, NONE, NONE, NONE, NONE, NONE],
                    n,
                    se,
                )?;
            }
        }
        out.extend(
            w.into_inner()
                .map_err(|e| Error::Other(format!("cannot render sensitivity.csv: {e}")))?,
        );
        Ok(out)
    }
}
