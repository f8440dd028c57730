//! Experiments: paired scenario differences, practical capacities, and capacity curves from
//! demand sweeps.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::dots::{DotPanels, DotPlot, DotSeries};
use super::quay::planning_limits;
use super::{Chart, DrawResult, FONT, Figure, colour, err, headroom, render};
use crate::error::Result;
use crate::experiment::SEARCH_LIMIT;
use crate::report::saved::Saved;

/// Paired differences from the baseline scenario, cluster-wide, with their 95 % intervals.
pub(crate) fn comparison(saved: &Saved) -> Result<Vec<Chart>> {
    let diffs: Vec<_> = saved
        .diffs
        .iter()
        .filter(|d| d.port == "ALL" && d.cargo == "ALL" && d.scenario != d.baseline)
        .collect();
    if diffs.is_empty() {
        return Ok(Vec::new());
    }
    let baseline = diffs[0].baseline.clone();
    let mut rows: Vec<(String, u16)> = Vec::new();
    for d in &diffs {
        let k = (d.scenario.clone(), d.year);
        if !rows.contains(&k) {
            rows.push(k);
        }
    }
    let panel = |metric: &str, title: &str, scale: f64, unit: &str| DotPlot {
        title: title.into(),
        rows: rows.iter().map(|(s, y)| format!("{s} · {y}")).collect(),
        series: vec![DotSeries {
            name: format!("difference from {baseline} (95 % interval)"),
            values: rows
                .iter()
                .map(|(s, y)| {
                    diffs
                        .iter()
                        .find(|d| &d.scenario == s && d.year == *y && d.metric == metric)
                        .map(|d| (d.diff * scale, Some((d.lo * scale, d.hi * scale))))
                })
                .collect(),
        }],
        limits: vec![None; rows.len()],
        reference: Some(0.0),
        x_desc: unit.into(),
        log_floor: None,
        limit_name: String::new(),
    };
    Ok(vec![render(
        "comparison",
        &format!("Scenarios against {baseline}: paired differences"),
        "Each scenario's cluster-wide difference from the baseline under common random numbers (dot: mean paired difference, line: its 95 % interval); an interval that does not cross the zero line is a real effect, not noise.",
        &DotPanels {
            panels: vec![
                panel("wait_h_mean", "Mean wait per call", 1.0, "Δ hours per call"),
                panel("wait_ratio", "Waiting / service", 1.0, "Δ wait / service"),
                panel(
                    "berth_occupancy",
                    "Berth occupancy",
                    100.0,
                    "Δ percentage points",
                ),
                panel("throughput_t", "Cargo handled", 1e-6, "Δ Mt/yr"),
            ],
            cols: 2,
        },
    )?])
}

/// Practical capacity per terminal (or the cluster) as a demand multiple, from `capacity`.
pub(crate) fn capacity(saved: &Saved) -> Result<Vec<Chart>> {
    if saved.capacity.is_empty() {
        return Ok(Vec::new());
    }
    let plot = DotPlot {
        title: String::new(),
        rows: saved.capacity.iter().map(|c| c.scope.clone()).collect(),
        series: vec![DotSeries {
            name: "practical capacity (95 % interval)".into(),
            values: saved
                .capacity
                .iter()
                .map(|c| {
                    // The search's ends drawn at its edges (infinite: met at its largest
                    // multiple; 0: missed at its least), as the caption says.
                    let edge = |m: f64| m.clamp(1.0 / SEARCH_LIMIT, SEARCH_LIMIT);
                    Some((edge(c.multiple), Some((edge(c.lo), edge(c.hi)))))
                })
                .collect(),
        }],
        limits: vec![None; saved.capacity.len()],
        reference: Some(1.0),
        x_desc: "demand multiple of the design year (1 = the scenario's demand)".into(),
        log_floor: None,
        limit_name: String::new(),
    };
    Ok(vec![render(
        "capacity",
        "Practical capacity as a multiple of demand",
        &format!(
            "The largest multiple of the design year's demand each scope can take while meeting its criterion (the scenario's planning limits — on waiting, and on a tank's hours empty and send-out missed — unless another was given); left of the line at 1 the scope is already past its practical capacity. The search tries multiples from 1/{0} to {0}: a dot or an interval's end at {0} means {0} or more, one at 1/{0} less than that.",
            SEARCH_LIMIT
        ),
        &plot,
    )?])
}

/// From a sweep over `demand_multiplier`: each cargo class's waiting ratio over its planning
/// limit, by demand multiple, with the practical capacity (the first class to reach its limit)
/// marked.
pub(crate) fn sweep_curve(saved: &Saved) -> Result<Vec<Chart>> {
    let limits = planning_limits(saved);
    let mut curves: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    let Some(&year) = saved.years().first() else {
        return Ok(Vec::new());
    };
    for r in saved.rows.iter().filter(|r| {
        r.year == year && r.port == "ALL" && r.metric == "wait_ratio" && r.mean.is_finite()
    }) {
        let Some(m) = r
            .labels
            .iter()
            .find(|(k, _)| k == "demand_multiplier")
            .and_then(|(_, v)| v.parse::<f64>().ok())
        else {
            continue;
        };
        let Some(limit) = limits.get(&r.cargo) else {
            continue;
        };
        match curves.iter_mut().find(|c| c.0 == r.cargo) {
            Some(c) => c.1.push((m, r.mean / limit)),
            None => curves.push((r.cargo.clone(), vec![(m, r.mean / limit)])),
        }
    }
    if curves.is_empty() {
        return Ok(Vec::new());
    }
    // Each curve by demand multiple, averaged over the points at each (a grid that also
    // varies other parameters has several), or over bins of neighbouring multiples where there
    // are many (a hypercube's are all different).
    let mut per_x = 1;
    for c in &mut curves {
        let (averaged, n) = by_demand(std::mem::take(&mut c.1));
        c.1 = averaged;
        per_x = per_x.max(n);
    }
    // A curve needs two demand multiples at least.
    if curves.iter().all(|c| c.1.len() < 2) {
        return Ok(Vec::new());
    }
    // The practical capacity: where the first class's curve crosses 1 (linear interpolation).
    let capacity = curves
        .iter()
        .filter_map(|(_, pts)| {
            pts.windows(2).find_map(|w| {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                (y0 <= 1.0 && y1 > 1.0).then(|| x0 + (1.0 - y0) * (x1 - x0) / (y1 - y0))
            })
        })
        .fold(f64::INFINITY, f64::min);
    let averaged = if per_x > 1 {
        format!(
            " Each dot is the mean of up to {per_x} sweep points at (or near) its demand multiple: the other swept parameters are averaged over."
        )
    } else {
        String::new()
    };
    Ok(vec![render(
        "capacity-curve",
        &format!("Capacity curve: waiting against demand, {year}"),
        &format!(
            "Each cargo class's waiting ratio divided by its planning limit as demand grows; the practical capacity is the demand multiple where the first class reaches its limit (the dashed line).{averaged}"
        ),
        &CurveFigure { curves, capacity },
    )?])
}

/// The most dots a capacity curve draws: more demand multiples than this are binned.
const MAX_CURVE_DOTS: usize = 40;

/// Points `(demand multiple, value)` as a curve by demand multiple: the mean value at each
/// multiple, or — with more than [`MAX_CURVE_DOTS`] multiples — the means of equal-count bins
/// of neighbouring points (at their mean multiple). Also returns the most points one dot
/// averages.
fn by_demand(mut pts: Vec<(f64, f64)>) -> (Vec<(f64, f64)>, usize) {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut groups: Vec<&[(f64, f64)]> = pts.chunk_by(|a, b| a.0 == b.0).collect();
    if groups.len() > MAX_CURVE_DOTS {
        // Equal-count bins of whole groups (a multiple is never split between two dots).
        let per_bin = pts.len().div_ceil(MAX_CURVE_DOTS);
        let mut bins = Vec::new();
        let (mut start, mut end) = (0, 0);
        for g in groups {
            end += g.len();
            if end - start >= per_bin {
                bins.push(&pts[start..end]);
                start = end;
            }
        }
        if end > start {
            bins.push(&pts[start..end]);
        }
        groups = bins;
    }
    let most = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let mean =
        |g: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| g.iter().map(f).sum::<f64>() / g.len() as f64;
    let curve = groups
        .iter()
        .map(|g| (mean(g, |p| p.0), mean(g, |p| p.1)))
        .collect();
    (curve, most)
}

struct CurveFigure {
    curves: Vec<(String, Vec<(f64, f64)>)>,
    capacity: f64,
}

impl Figure for CurveFigure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let xs = self.curves.iter().flat_map(|c| c.1.iter().map(|p| p.0));
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let ymax = self
            .curves
            .iter()
            .flat_map(|c| c.1.iter().map(|p| p.1))
            .fold(1.0, f64::max)
            .min(5.0);
        let mut chart = ChartBuilder::on(area)
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..headroom(ymax, 1.2))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("demand multiple")
            .y_desc("wait / service ÷ planning limit")
            .x_label_formatter(&|v| super::axis_number(*v, x1 - x0, 10))
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 1.0), (x1, 1.0)],
                BLACK.stroke_width(2),
            )))
            .map_err(err)?;
        if self.capacity.is_finite() {
            let c = self.capacity;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(c, 0.0), (c, headroom(ymax, 1.2))],
                    8,
                    6,
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("practical capacity ≈ {c:.2}×"),
                    (c, headroom(ymax, 1.2) * 0.95),
                    (FONT, 15),
                )))
                .map_err(err)?;
        }
        for (i, (name, pts)) in self.curves.iter().enumerate() {
            let col = colour(i);
            // Past the palette's eight colours a curve is dashed with open dots, so that no two
            // cargo classes look alike (container and LNG shared a solid blue).
            let again = i >= super::PALETTE.len();
            let dot = if again {
                col.stroke_width(2)
            } else {
                col.filled()
            };
            let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1.min(ymax * 1.2))).collect();
            let drawn = if again {
                chart.draw_series(DashedLineSeries::new(line, 6, 4, col.stroke_width(2)))
            } else {
                chart.draw_series(LineSeries::new(line, col.stroke_width(2)))
            };
            drawn
                .map_err(err)?
                .label(crate::model::cargo_words(name))
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (20, 0)], col.stroke_width(2))
                        + Circle::new((10, 0), 4, dot)
                });
            chart
                .draw_series(
                    pts.iter()
                        .map(|p| Circle::new((p.0, p.1.min(ymax * 1.2)), 4, dot)),
                )
                .map_err(err)?;
        }
        super::series_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    }
}

/// The most points a sweep's report draws and lists one by one; a larger study (a hypercube
/// of thousands) is read through its sensitivity chart and its own files.
pub(crate) const MAX_POINTS_SHOWN: usize = 60;

/// A sweep's points side by side: the cluster's waiting ratio and cargo handled at each point
/// and design year (the report's table says what each point sets); none past
/// [`MAX_POINTS_SHOWN`].
pub(crate) fn sweep_points(saved: &Saved) -> Result<Vec<Chart>> {
    let rows: Vec<_> = saved
        .rows
        .iter()
        .filter(|r| !r.labels.is_empty() && r.port == "ALL" && r.cargo == "ALL")
        .collect();
    let distinct: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.labels[0].1.as_str()).collect();
    if rows.is_empty() || distinct.len() > MAX_POINTS_SHOWN {
        return Ok(Vec::new());
    }
    let mut points: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // Values by the sweep file's labels where it gives them.
    let sp = crate::report::findings::SweepPoints::of(saved);
    for r in &rows {
        if !points.contains(&r.labels[0].1) {
            points.push(r.labels[0].1.clone());
            let index = r.labels[0].1.parse::<usize>().ok();
            let shown: Vec<(String, String)> = r
                .labels
                .iter()
                .enumerate()
                .map(|(k, (path, v))| {
                    let label = (k > 0).then(|| sp.label(index?, k - 1)).flatten();
                    (
                        path.clone(),
                        label.map_or_else(|| v.clone(), str::to_string),
                    )
                })
                .collect();
            names.push(point_name(&shown));
        }
    }
    let years = saved.years();
    let panel = |metric: &str, title: &str, scale: f64, unit: &str| DotPlot {
        title: title.into(),
        rows: names.clone(),
        series: years
            .iter()
            .map(|&y| DotSeries {
                name: format!("design year {y}"),
                values: points
                    .iter()
                    .map(|p| {
                        rows.iter()
                            .find(|r| &r.labels[0].1 == p && r.year == y && r.metric == metric)
                            .map(|r| (r.mean * scale, Some((r.lo * scale, r.hi * scale))))
                    })
                    .collect(),
            })
            .collect(),
        limits: vec![None; points.len()],
        reference: None,
        x_desc: unit.into(),
        log_floor: None,
        limit_name: String::new(),
    };
    Ok(vec![render(
        "sweep-points",
        "The sweep, point by point",
        "The cluster's waiting (mean wait over mean service) and the cargo it handled at every point of the sweep, by design year (marker: mean, line: 95 % interval); the table above says what each point sets.",
        &DotPanels::row(vec![
            panel(
                "wait_ratio",
                "Waiting / service",
                1.0,
                "wait / service, cluster",
            ),
            panel("throughput_t", "Cargo handled", 1e-6, "Mt/yr, cluster"),
        ]),
    )?])
}

/// A sweep point's row label: its number and what it sets ("3: demand_multiplier 1.1 ·
/// slots_per_day 8", each parameter by the last part of its path), or its values alone where
/// that would not fit beside the chart.
fn point_name(labels: &[(String, String)]) -> String {
    let point = &labels[0].1;
    let set = &labels[1..];
    let named: Vec<String> = set
        .iter()
        .map(|(path, v)| format!("{} {v}", path.rsplit('.').next().unwrap_or(path)))
        .collect();
    let values: Vec<&str> = set.iter().map(|(_, v)| v.as_str()).collect();
    // Two parameters whose paths end alike would read the same: then values alone.
    let distinct = named
        .iter()
        .map(|n| n.rsplit_once(' ').map_or(n.as_str(), |(k, _)| k))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        == named.len();
    [
        distinct.then(|| format!("{point}: {}", named.join(" · "))),
        Some(format!("{point}: {}", values.join(" · "))),
    ]
    .into_iter()
    .flatten()
    .find(|l| !set.is_empty() && l.chars().count() <= 40)
    .unwrap_or_else(|| format!("point {point}"))
}

/// From a sweep's `sensitivity.csv`: for the cluster's key results in the last design year, the
/// standardised regression coefficient of each parameter — or, for Saltelli's design, its
/// total Sobol index with the index's 95 % interval.
pub(crate) fn sensitivity(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(year) = saved.sensitivity.iter().map(|r| r.year).max() else {
        return Ok(Vec::new());
    };
    let sobol = saved.sensitivity.iter().any(|r| r.st.is_finite());
    let mut params: Vec<String> = Vec::new();
    for r in &saved.sensitivity {
        if !params.contains(&r.parameter) {
            params.push(r.parameter.clone());
        }
    }
    let metrics = [
        ("wait_h_mean", "mean wait"),
        ("wait_ratio", "wait / service"),
        ("throughput_t", "cargo handled"),
        ("rail_share", "rail share"),
        ("co2_t", "CO₂ at berth"),
    ];
    let series: Vec<DotSeries> = metrics
        .iter()
        .filter_map(|(metric, label)| {
            let row = |p: &String| {
                saved.sensitivity.iter().find(|r| {
                    r.year == year
                        && r.port == "ALL"
                        && r.cargo == "ALL"
                        && r.metric == *metric
                        && &r.parameter == p
                })
            };
            params.iter().find_map(row)?;
            let (name, values) = if sobol {
                // The first-order indices' sum: 1 for an additive response, less with
                // interactions.
                let sum: f64 = params
                    .iter()
                    .filter_map(row)
                    .map(|r| r.s1)
                    .filter(|v| v.is_finite())
                    .sum();
                (
                    format!("{label} (Σ S1 {sum:.2})"),
                    params
                        .iter()
                        .map(|p| {
                            row(p)
                                .filter(|r| r.st.is_finite())
                                .map(|r| (r.st, Some(r.st_ci95)))
                        })
                        .collect(),
                )
            } else {
                let r2 = params.iter().find_map(row).map_or(f64::NAN, |r| r.r2);
                (
                    format!("{label} (R² {r2:.2})"),
                    params
                        .iter()
                        .map(|p| row(p).filter(|r| r.src.is_finite()).map(|r| (r.src, None)))
                        .collect(),
                )
            };
            Some(DotSeries { name, values })
        })
        .collect();
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let plot = DotPlot {
        title: String::new(),
        rows: params.clone(),
        series,
        limits: vec![None; params.len()],
        reference: Some(0.0),
        x_desc: if sobol {
            "total Sobol index (share of the result's variance)".into()
        } else {
            "standardised regression coefficient".into()
        },
        log_floor: None,
        limit_name: String::new(),
    };
    let description = if sobol {
        "For each parameter of the sweep, its total Sobol index on the cluster's results, with its 95 % interval: the share of the result's variance that goes if the parameter is fixed, its interactions included (Jansen's estimator on Saltelli's design, from sensitivity.csv, which also gives the first-order indices). The legend's Σ S1 is the first-order indices' sum: near 1 the response is additive, well below it the parameters interact."
    } else {
        "For each parameter of the sweep, its standardised regression coefficient on the cluster's results: the change in the result, in its standard deviations, per standard deviation of the parameter, the others held (from sensitivity.csv; a Latin hypercube design suits it best). Read it with the regression's R² in the legend: where R² is low the response is not linear and the coefficient says little."
    };
    Ok(vec![render(
        "sensitivity",
        &format!("What the cluster's results depend on, {year}"),
        description,
        &plot,
    )?])
}

#[cfg(test)]
mod tests {
    use super::{MAX_CURVE_DOTS, by_demand};

    /// A grid that also varies another parameter: one dot per demand multiple, the mean of
    /// its points, in order of the multiple.
    #[test]
    fn a_curve_averages_the_points_at_each_demand_multiple() {
        let pts = vec![(1.2, 3.0), (1.0, 0.5), (1.2, 1.0), (1.0, 1.5), (1.1, 2.0)];
        let (curve, most) = by_demand(pts);
        assert_eq!(curve, vec![(1.0, 1.0), (1.1, 2.0), (1.2, 2.0)]);
        assert_eq!(most, 2);
    }

    /// A hypercube's multiples are all different: equal-count bins, none over the limit, every
    /// point in one, means of their points.
    #[test]
    fn many_demand_multiples_are_binned() {
        let pts: Vec<(f64, f64)> = (0..1000).map(|i| (f64::from(i) / 1000.0, 2.0)).collect();
        let (curve, most) = by_demand(pts);
        assert_eq!(curve.len(), MAX_CURVE_DOTS);
        assert_eq!(most, 25);
        assert!((curve[0].0 - 0.012).abs() < 1e-12, "{:?}", curve[0]);
        assert!(curve.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(curve.iter().all(|p| p.1 == 2.0));
        // A few multiples: left as they are.
        let (few, most) = by_demand(vec![(0.9, 1.0), (1.0, 2.0)]);
        assert_eq!((few, most), (vec![(0.9, 1.0), (1.0, 2.0)], 1));
    }
}
