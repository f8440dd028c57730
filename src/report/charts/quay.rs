//! The quay: berth occupancy per terminal against the allowable occupancy for its number of
//! berths, waiting ratios against the planning limits, and waiting split by cause.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::dots::{DotPlot, DotSeries};
use super::goals::{StackedBars, stem_of};
use super::{Chart, DrawResult, FONT, Figure, colour, err, render};
use crate::error::Result;
use crate::report::saved::Saved;
use crate::theory::allowable_occupancy;

/// The first scenario's planning limits on the waiting ratio, by cargo class, from the
/// scenario text saved in the manifest.
pub(crate) fn planning_limits(saved: &Saved) -> BTreeMap<String, f64> {
    limits_in(saved.scenario_table())
}

/// A named scenario's planning limits on the waiting ratio, by cargo class.
pub(crate) fn planning_limits_of(saved: &Saved, scenario: &str) -> BTreeMap<String, f64> {
    limits_in(saved.scenario_table_named(scenario))
}

/// The `[planning] wait_ratio_max` table of a scenario's text.
fn limits_in(table: Option<toml::Table>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    if let Some(table) = table {
        if let Some(limits) = table
            .get("planning")
            .and_then(|p| p.get("wait_ratio_max"))
            .and_then(|w| w.as_table())
        {
            for (k, v) in limits {
                if let Some(x) = v.as_float().or(v.as_integer().map(|i| i as f64)) {
                    out.insert(k.clone(), x);
                }
            }
        }
    }
    out
}

/// Berth occupancy of every terminal against the allowable occupancy for its number of berths,
/// a chart per scenario (last design year).
pub(crate) fn occupancy(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for scenario in saved.scenarios() {
        out.extend(occupancy_of(saved, &scenario, year)?);
    }
    Ok(out)
}

fn occupancy_of(saved: &Saved, scenario: &str, year: u16) -> Result<Option<Chart>> {
    // Each terminal's own limit: the strictest planning limit of its cargo classes.
    let limits = terminal_limits(
        saved.scenario_table_named(scenario),
        &planning_limits_of(saved, scenario),
    );
    let mut points = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty()
            && r.scenario == scenario
            && r.year == year
            && r.port.contains('/')
            && !r.port.contains("/rail:")
            && r.metric == "berth_occupancy"
            && r.mean.is_finite()
    }) {
        if let Some(b) = saved.get(scenario, year, &r.port, "ALL", "berths") {
            let limit = limits
                .get(&r.port)
                .and_then(|classes| classes.iter().map(|c| c.1).min_by(f64::total_cmp));
            points.push(OccupancyPoint {
                terminal: r.port.clone(),
                berths: b.mean,
                occupancy: r.mean,
                limit,
            });
        }
    }
    if points.is_empty() {
        return Ok(None);
    }
    Ok(Some(render(
        &stem_of(saved, "berth-occupancy", scenario),
        &format!("Berth occupancy per terminal, {year} ({scenario})"),
        "Each dot is a terminal: its berths (x) and the share of the year they are occupied (y). The curves are the occupancy at which an E2/E2/n berth group waits 10 % (liner trades) and 30 % (bulk) of its service time (PIANC 2014). A terminal above the curve of its own planning limit (the strictest of its cargo classes', from the scenario's `[planning]`; 0.4 or 0.5 lie above the 30 % curve) is named and drawn orange; one with no limit known (a terminal a project adds) is not judged.",
        &OccupancyFigure { points },
    )?))
}

/// A terminal on the berth-occupancy chart.
struct OccupancyPoint {
    terminal: String,
    berths: f64,
    occupancy: f64,
    /// Its planning limit on the waiting ratio, if the scenario gives its classes one.
    limit: Option<f64>,
}

impl OccupancyPoint {
    /// Whether it is occupied beyond what its limit allows for its number of berths.
    fn over(&self) -> bool {
        self.limit.is_some_and(|l| {
            self.occupancy > allowable_occupancy(self.berths.round().max(1.0) as u32, l)
        })
    }
}

struct OccupancyFigure {
    points: Vec<OccupancyPoint>,
}

impl Figure for OccupancyFigure {
    fn size(&self) -> (u32, u32) {
        (1100, 700)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let max_b = self.points.iter().map(|p| p.berths).fold(1.0, f64::max);
        let mut chart = ChartBuilder::on(area)
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..max_b + 1.5, 0.0..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("berths at the terminal")
            .y_desc("berth occupancy, % of the year")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        for (k, (limit, name)) in [(0.10, "wait ≤ 10 % of service"), (0.30, "wait ≤ 30 %")]
            .into_iter()
            .enumerate()
        {
            let curve: Vec<(f64, f64)> = (1..=(max_b as u32 + 1))
                .map(|n| (f64::from(n), 100.0 * allowable_occupancy(n, limit)))
                .collect();
            let style = if k == 0 {
                BLACK.stroke_width(2)
            } else {
                RGBColor(120, 120, 120).stroke_width(2)
            };
            chart
                .draw_series(LineSeries::new(curve.clone(), style))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        // The dots' colours in the legend (drawn as series of no points).
        for (k, name) in [(0, "a terminal"), (1, "above its own limit's curve")] {
            if k == 1 && !self.points.iter().any(OccupancyPoint::over) {
                continue;
            }
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour(k).filled()));
        }
        for (i, p) in self.points.iter().enumerate() {
            // A small deterministic spread so terminals with as many berths do not hide each other.
            let x = p.berths + ((i % 5) as f64 - 2.0) * 0.06;
            let y = 100.0 * p.occupancy;
            let above = p.over();
            chart
                .draw_series(std::iter::once(Circle::new(
                    (x, y),
                    5,
                    if above {
                        colour(1).filled()
                    } else {
                        colour(0).filled()
                    },
                )))
                .map_err(err)?;
            if above {
                chart
                    .draw_series(std::iter::once(Text::new(
                        p.terminal.clone(),
                        (x + 0.1, y + 1.0),
                        (FONT, 12),
                    )))
                    .map_err(err)?;
            }
        }
        super::series_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

/// Waiting ratio per port and cargo class (each scenario a marker) against the planning limit.
pub(crate) fn wait_ratio(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios = saved.scenarios();
    let limits = planning_limits(saved);
    let mut rows: Vec<(String, String)> = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty()
            && r.year == year
            && r.metric == "wait_ratio"
            && r.cargo != "ALL"
            && !r.port.contains('/')
            && r.mean.is_finite()
    }) {
        let key = (r.port.clone(), r.cargo.clone());
        if !rows.contains(&key) {
            rows.push(key);
        }
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Port by port in the results' order (the cluster last), cargo classes in a fixed order
    // within each, whichever scenario first reported them.
    let mut port_order = saved.ports();
    port_order.push("ALL".into());
    let mut cargo_order: Vec<String> = Vec::new();
    for r in &saved.rows {
        if r.cargo != "ALL" && !cargo_order.contains(&r.cargo) {
            cargo_order.push(r.cargo.clone());
        }
    }
    let rank = |v: &[String], x: &String| v.iter().position(|y| y == x).unwrap_or(usize::MAX);
    rows.sort_by_key(|(p, c)| (rank(&port_order, p), rank(&cargo_order, c)));
    let plot = DotPlot {
        title: String::new(),
        rows: rows
            .iter()
            .map(|(p, c)| {
                format!(
                    "{} · {}",
                    if p == "ALL" { "cluster" } else { p },
                    crate::model::cargo_words(c)
                )
            })
            .collect(),
        series: scenarios
            .iter()
            .map(|s| DotSeries {
                name: s.clone(),
                values: rows
                    .iter()
                    .map(|(p, c)| {
                        saved
                            .get(s, year, p, c, "wait_ratio")
                            .map(|r| (r.mean, Some((r.lo, r.hi))))
                    })
                    .collect(),
            })
            .collect(),
        limits: rows.iter().map(|(_, c)| limits.get(c).copied()).collect(),
        reference: None,
        x_desc: format!("mean wait / mean service at berth, {year} (log scale)"),
        log_floor: Some(0.001),
        limit_name: "planning limit for the cargo class".into(),
    };
    Ok(vec![render(
        "wait-ratio",
        &format!("Waiting against the planning limits, {year}"),
        "Mean waiting time over mean service time per port and cargo class (markers: scenarios, lines: 95 % intervals); the black bar is the cargo class's planning limit — a marker right of it means ships wait longer than planners accept.",
        &plot,
    )?])
}

/// Mean waiting per call by cause (berth, tide, channel, closure) per port, a chart per
/// scenario (last design year).
pub(crate) fn wait_causes(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for scenario in saved.scenarios() {
        out.extend(wait_causes_of(saved, &scenario, year)?);
    }
    Ok(out)
}

fn wait_causes_of(saved: &Saved, scenario: &str, year: u16) -> Result<Option<Chart>> {
    let causes = [
        ("wait_berth_h_mean", "berth"),
        ("wait_tide_h_mean", "tide"),
        ("wait_channel_h_mean", "channel"),
        ("wait_closure_h_mean", "closure"),
    ];
    let mut ports = saved.ports();
    ports.push("ALL".into());
    let bars: Vec<(String, Vec<(String, f64)>)> = ports
        .iter()
        .map(|p| {
            (
                if p == "ALL" {
                    "cluster".to_string()
                } else {
                    p.clone()
                },
                causes
                    .iter()
                    .filter_map(|(m, name)| {
                        saved
                            .get(scenario, year, p, "ALL", m)
                            .filter(|r| r.mean.is_finite() && r.mean > 0.0)
                            .map(|r| (name.to_string(), r.mean))
                    })
                    .collect(),
            )
        })
        .collect();
    if bars.iter().all(|b| b.1.is_empty()) {
        return Ok(None);
    }
    Ok(Some(render(
        &stem_of(saved, "waiting-by-cause", scenario),
        &format!("Waiting per call by cause, {year} ({scenario})"),
        "Mean hours a call waits, split by what it waits for: a free berth, the tide, the channel (one-way traffic) or a weather/ice closure — where congestion comes from at each port.",
        &StackedBars {
            bars,
            cargos: causes.iter().map(|c| c.1.to_string()).collect(),
            x_desc: format!("mean wait per call, h ({year})"),
            x_max: None,
        },
    )?))
}

/// The distribution of waiting per cargo class, cluster-wide: share of calls that wait at all,
/// median, 90th and 95th percentiles and the mean.
pub(crate) fn wait_distribution(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios: Vec<String> = saved.scenarios().into_iter().take(4).collect();
    let mut cargos: Vec<String> = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty()
            && r.year == year
            && r.port == "ALL"
            && r.cargo != "ALL"
            && r.metric == "wait_h_p95"
            && r.mean.is_finite()
    }) {
        if !cargos.contains(&r.cargo) {
            cargos.push(r.cargo.clone());
        }
    }
    if cargos.is_empty() {
        return Ok(Vec::new());
    }
    let value = |s: &str, c: &str, m: &str| {
        saved
            .get(s, year, "ALL", c, m)
            .map(|r| r.mean)
            .filter(|v| v.is_finite())
    };
    let rows: Vec<WaitRow> = cargos
        .iter()
        .map(|c| WaitRow {
            label: crate::model::cargo_words(c),
            per_scenario: scenarios
                .iter()
                .map(|s| {
                    Some([
                        value(s, c, "wait_prob")?,
                        value(s, c, "wait_h_p50")?,
                        value(s, c, "wait_h_p90")?,
                        value(s, c, "wait_h_p95")?,
                        value(s, c, "wait_h_mean")?,
                    ])
                })
                .collect(),
        })
        .collect();
    Ok(vec![render(
        "wait-distribution",
        &format!("Waiting-time distribution by cargo class, {year}"),
        "For every cargo class (all ports): the bar runs from the median wait to the 95th percentile, the tick is the 90th percentile, the dot the mean; the percentage is the share of calls that wait at all. Long bars with small shares mean rare but long waits.",
        &WaitFigure { rows, scenarios },
    )?])
}

struct WaitRow {
    label: String,
    /// Per scenario: [P(wait > 0), p50, p90, p95, mean].
    per_scenario: Vec<Option<[f64; 5]>>,
}

struct WaitFigure {
    rows: Vec<WaitRow>,
    scenarios: Vec<String>,
}

impl Figure for WaitFigure {
    fn size(&self) -> (u32, u32) {
        (
            1100,
            120 + 34 * self.rows.len() as u32 + 22 * self.scenarios.len() as u32,
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        const FLOOR: f64 = 0.01;
        let legend_h = 22 * self.scenarios.len() as u32 + 30;
        let (plot, legend) = area.split_vertically(area.dim_in_pixel().1 - legend_h);
        let top = self
            .rows
            .iter()
            .flat_map(|r| r.per_scenario.iter().flatten().map(|v| v[3].max(v[4])))
            .fold(1.0, f64::max);
        let n = self.rows.len();
        let labels: Vec<String> = self
            .rows
            .iter()
            .map(|r| match r.per_scenario.first().copied().flatten() {
                Some(v) => format!("{} ({:.0} % wait)", r.label, 100.0 * v[0]),
                None => r.label.clone(),
            })
            .collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(230)
            .build_cartesian_2d((FLOOR..top * 2.0).log_scale(), 0.0..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|v| super::goals::bar_label(&labels, *v))
            .x_label_formatter(&|v| super::log_axis_number(*v))
            .x_desc(format!(
                "hours waiting before berthing (log scale; waits under {FLOOR} h drawn at {FLOOR})"
            ))
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 14))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let k = self.scenarios.len().max(1) as f64;
        for (ri, row) in self.rows.iter().enumerate() {
            for (si, v) in row.per_scenario.iter().enumerate() {
                let Some([_, p50, p90, p95, mean]) = *v else {
                    continue;
                };
                let c = colour(si);
                let y = (n - 1 - ri) as f64 + 0.8 - 0.6 * (si as f64 + 0.5) / k;
                let x = |v: f64| v.max(FLOOR);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x(p50), y), (x(p95), y)],
                        c.stroke_width(5),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((x(p90), y))
                            + PathElement::new(vec![(0, -8), (0, 8)], BLACK.stroke_width(2)),
                    ))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((x(mean), y))
                            + Circle::new((0, 0), 5, WHITE.filled())
                            + Circle::new((0, 0), 5, c.stroke_width(2)),
                    ))
                    .map_err(err)?;
            }
        }
        let mut ly = 6;
        for (si, s) in self.scenarios.iter().enumerate() {
            legend
                .draw(&PathElement::new(
                    vec![(16, ly + 8), (40, ly + 8)],
                    colour(si).stroke_width(5),
                ))
                .map_err(err)?;
            legend
                .draw(&Text::new(s.clone(), (50, ly), (FONT, 14)))
                .map_err(err)?;
            ly += 22;
        }
        legend
            .draw(&Text::new(
                "bar: median to 95th percentile   | 90th percentile   ○ mean",
                (16, ly + 4),
                (FONT, 14),
            ))
            .map_err(err)?;
        Ok(())
    }
}

/// The planning limits on waiting of each terminal (`Port/Terminal`): its cargo classes that
/// have one, with it, from the scenario text in the manifest. Terminals that a project adds
/// are not in that text and get none.
fn terminal_limits(
    table: Option<toml::Table>,
    limits: &BTreeMap<String, f64>,
) -> BTreeMap<String, Vec<(String, f64)>> {
    let mut out = BTreeMap::new();
    let Some(table) = table else {
        return out;
    };
    let arr = |v: Option<&toml::Value>| v.and_then(|x| x.as_array()).cloned().unwrap_or_default();
    for port in arr(table.get("ports")) {
        let pname = port.get("name").and_then(|n| n.as_str()).unwrap_or("");
        for area in arr(port.get("areas")) {
            for t in arr(area.get("terminals")) {
                let tname = t.get("name").and_then(|n| n.as_str()).unwrap_or("");
                let classes: Vec<(String, f64)> = arr(t.get("cargo"))
                    .iter()
                    .filter_map(|c| {
                        let c = c.as_str()?;
                        Some((c.to_string(), *limits.get(c)?))
                    })
                    .collect();
                out.insert(format!("{pname}/{tname}"), classes);
            }
        }
    }
    out
}

/// Waiting ratio per terminal (each scenario a marker) against the planning limit of its
/// calls' cargo — as `portsim capacity` holds it: a terminal whose classes share one limit as
/// a whole, one whose classes have different limits (steel with some ro-ro calls) a row per
/// class against its own.
pub(crate) fn terminal_wait_ratio(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios = saved.scenarios();
    let mut terminals: Vec<String> = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty()
            && r.year == year
            && r.metric == "wait_ratio"
            && r.port.contains('/')
            && !r.port.contains("/rail:")
            && r.mean.is_finite()
    }) {
        if !terminals.contains(&r.port) {
            terminals.push(r.port.clone());
        }
    }
    if terminals.is_empty() {
        return Ok(Vec::new());
    }
    let limits = terminal_limits(saved.scenario_table(), &planning_limits(saved));
    // (label, terminal, cargo of its rows, limit)
    let mut rows: Vec<(String, String, String, Option<f64>)> = Vec::new();
    for t in &terminals {
        let classes = limits.get(t).cloned().unwrap_or_default();
        let shared_limit = classes.windows(2).all(|w| w[0].1 == w[1].1);
        let reported = |cargo: &str| {
            scenarios
                .iter()
                .any(|s| saved.get(s, year, t, cargo, "wait_ratio").is_some())
        };
        if shared_limit || !classes.iter().all(|(c, _)| reported(c)) {
            // One limit; or results from before the rows per class: the strictest.
            let strictest = classes.iter().map(|c| c.1).reduce(f64::min);
            rows.push((t.clone(), t.clone(), "ALL".into(), strictest));
        } else {
            for (cargo, limit) in classes {
                let label = format!("{t} · {}", cargo.replace('_', " "));
                rows.push((label, t.clone(), cargo, Some(limit)));
            }
        }
    }
    let plot = DotPlot {
        title: String::new(),
        rows: rows.iter().map(|r| r.0.clone()).collect(),
        series: scenarios
            .iter()
            .map(|s| DotSeries {
                name: s.clone(),
                values: rows
                    .iter()
                    .map(|(_, t, cargo, _)| {
                        saved
                            .get(s, year, t, cargo, "wait_ratio")
                            .map(|r| (r.mean, Some((r.lo, r.hi))))
                    })
                    .collect(),
            })
            .collect(),
        limits: rows.iter().map(|r| r.3).collect(),
        reference: None,
        x_desc: format!("mean wait / mean service at berth, {year} (log scale)"),
        log_floor: Some(0.001),
        limit_name: "planning limit of the calls' cargo".into(),
    };
    Ok(vec![render(
        "terminal-wait-ratio",
        &format!("Waiting per terminal against the planning limit, {year}"),
        "Mean wait over mean service for every terminal (markers: scenarios, lines: 95 % intervals) against the planning limit of its calls' cargo (black bar); a terminal whose cargo classes have different limits has a row per class, each against its own (steel and its ro-ro calls; other dry bulk at 0.4 beside coal and grain at 0.3), as `portsim capacity` judges it. With berth-occupancy, it tells which terminal needs berths first.",
        &plot,
    )?])
}
