//! `portsim projects`: each project's planned year against the year it is needed.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, DrawResult, FONT, Figure, colour, err, render};
use crate::error::Result;
use crate::experiment::ProjectNeed;
use crate::report::saved::Saved;

/// The charts of a `portsim projects` directory: when each project is needed, and (where
/// projects are valued) what each saves against what it costs.
///
/// # Errors
/// If a chart cannot be drawn.
pub fn from_saved(saved: &Saved) -> Result<Vec<Chart>> {
    if saved.command != "projects" || saved.projects.is_empty() {
        return Ok(Vec::new());
    }
    let years: Vec<u16> = saved
        .manifest
        .get("years")
        .and_then(|y| serde_json::from_value(y.clone()).ok())
        .unwrap_or_default();
    let (Some(&first), Some(&horizon)) = (years.first(), years.last()) else {
        return Ok(Vec::new());
    };
    let mut out = vec![needed_years(&saved.projects, first, horizon)?];
    out.extend(benefit_streams(&saved.projects)?);
    Ok(out)
}

/// A row: project, planned year, needed year, its low and high ends (`None`: not by the
/// horizon).
type Row = (String, u16, Option<u16>, Option<u16>, Option<u16>);

struct NeededYears {
    rows: Vec<Row>,
    years: (u16, u16),
}

/// The chart `projects-needed`: a row per project, ranked by NPV where the projects are
/// valued and by needed year otherwise.
///
/// # Errors
/// If the chart cannot be drawn.
pub fn needed_years(needs: &[ProjectNeed], first: u16, horizon: u16) -> Result<Chart> {
    let mut order: Vec<&ProjectNeed> = needs.iter().filter(|n| n.note.is_none()).collect();
    order.sort_by(|a, b| {
        let npv = |n: &ProjectNeed| n.npv_cny.unwrap_or(f64::NEG_INFINITY);
        npv(b)
            .total_cmp(&npv(a))
            .then(
                a.needed_year
                    .unwrap_or(u16::MAX)
                    .cmp(&b.needed_year.unwrap_or(u16::MAX)),
            )
            .then(a.in_service_year.cmp(&b.in_service_year))
            .then(a.project.cmp(&b.project))
    });
    let rows = order
        .iter()
        .map(|n| {
            (
                n.project.clone(),
                n.in_service_year,
                n.needed_year,
                n.needed_year_low,
                n.needed_year_high,
            )
        })
        .collect();
    let low = needs
        .iter()
        .map(|n| n.in_service_year)
        .chain(std::iter::once(first))
        .min()
        .unwrap_or(first);
    let high = needs
        .iter()
        .map(|n| n.in_service_year)
        .chain(std::iter::once(horizon))
        .max()
        .unwrap_or(horizon);
    render(
        "projects-needed",
        "When each project is needed, against when it is planned",
        "A row per project (ranked by net present value where costs are given, else by the year needed). Open circle: the year it is planned in service. Filled dot: the first design year in which the scenario without it breaks a planning limit that the scenario with all projects meets; the bar spans that year at the ends of the 95 % intervals (to the right edge: not by the horizon). A dot left of its circle is a project planned too late; no dot, not needed by the horizon.",
        &NeededYears {
            rows,
            years: (low, high),
        },
    )
}

impl Figure for NeededYears {
    fn size(&self) -> (u32, u32) {
        (
            1100,
            120 + KEY_H as u32 + 26 * self.rows.len().max(1) as u32,
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (key, area) = area.split_vertically(KEY_H);
        draw_needed_key(&key)?;
        let (y0, y1) = (f64::from(self.years.0) - 0.5, f64::from(self.years.1) + 1.5);
        let n = self.rows.len();
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(300)
            .build_cartesian_2d(y0..y1, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        let names: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .x_desc("design year")
            .x_labels(((y1 - y0) as usize).min(20))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_labels(n.max(1))
            .y_label_formatter(&|v| row_label(&names, *v))
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        let edge = y1 - 0.25;
        for (k, (_, planned, needed, low, high)) in self.rows.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            let late = needed.is_some_and(|nd| nd < *planned);
            let c = if late { colour(1) } else { colour(0) };
            if let Some(lo) = low {
                let hi = high.map_or(edge, f64::from);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(f64::from(*lo), y), (hi, y)],
                        c.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            if let Some(nd) = needed {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (f64::from(*nd), y),
                        6,
                        c.filled(),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (f64::from(*planned), y),
                    7,
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Height of the key above the needed-years chart, pixels.
const KEY_H: i32 = 30;

/// The key of the needed-years chart, in a strip above it (pixels, so it never covers a row):
/// what the open circle, the dot, the bar and the second colour mean.
fn draw_needed_key<DB: DrawingBackend>(key: &DrawingArea<DB, Shift>) -> DrawResult {
    let y = KEY_H / 2;
    let text = |s: &str, x: i32| Text::new(s.to_string(), (x, y - 6), (FONT, 12));
    key.draw(&Circle::new((322, y), 7, BLACK.stroke_width(2)))
        .map_err(err)?;
    key.draw(&text("planned in service", 336)).map_err(err)?;
    key.draw(&Circle::new((470, y), 6, colour(0).filled()))
        .map_err(err)?;
    key.draw(&text("needed (on the means)", 484)).map_err(err)?;
    key.draw(&PathElement::new(
        vec![(636, y), (666, y)],
        colour(0).stroke_width(2),
    ))
    .map_err(err)?;
    key.draw(&text("95 % range (to the edge: after the horizon)", 674))
        .map_err(err)?;
    key.draw(&Circle::new((932, y), 6, colour(1).filled()))
        .map_err(err)?;
    key.draw(&text("needed before planned", 946)).map_err(err)?;
    Ok(())
}

/// A valued project: name, the present value of each part of its benefit (ship time, cargo
/// time, land transport, send-out, CO₂) and of its costs, CNY bn.
type ValueRow = (String, [f64; 5], f64);

struct BenefitStreams {
    rows: Vec<ValueRow>,
}

/// The parts of a benefit, in the order of [`ValueRow`].
const PARTS: [&str; 5] = [
    "ship time",
    "cargo time",
    "land transport",
    "send-out missed",
    "CO₂",
];

/// The chart `projects-benefits`: for each valued project (ranked by NPV), the present value
/// of its benefit stream over its life from its planned year, split by what it saves, against
/// the present value of its costs.
///
/// # Errors
/// If the chart cannot be drawn.
pub fn benefit_streams(needs: &[ProjectNeed]) -> Result<Option<Chart>> {
    let mut valued: Vec<&ProjectNeed> = needs
        .iter()
        .filter(|n| n.pv_benefit_parts.is_some() && n.pv_cost_cny.is_some())
        .collect();
    valued.sort_by(|a, b| {
        let npv = |n: &ProjectNeed| n.npv_cny.unwrap_or(f64::NEG_INFINITY);
        npv(b).total_cmp(&npv(a)).then(a.project.cmp(&b.project))
    });
    let rows = valued
        .iter()
        .map(|n| {
            let p = n.pv_benefit_parts.expect("filtered");
            (
                n.project.clone(),
                [
                    p.ship_time_cny,
                    p.cargo_time_cny,
                    p.land_cny,
                    p.send_out_cny,
                    p.co2_cny,
                ]
                .map(|x| x / 1e9),
                n.pv_cost_cny.expect("filtered") / 1e9,
            )
        })
        .collect::<Vec<ValueRow>>();
    if rows.is_empty() {
        return Ok(None);
    }
    render(
        "projects-benefits",
        "What each project saves over its life, against what it costs",
        "A row per project with costs (ranked by net present value). Coloured bar: the present value of its benefit over its life from its planned year — the cluster's costs without it less with it, by what it saves (parts left of 0 are costs it adds); grey bar: the present value of its capital and operating costs. A project pays where its coloured bars reach past its grey one. Benefits between design years are interpolated and held after the last (no growth beyond the horizon).",
        &BenefitStreams { rows },
    )
    .map(Some)
}

impl Figure for BenefitStreams {
    fn size(&self) -> (u32, u32) {
        (1100, 150 + 30 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let n = self.rows.len();
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for (_, parts, cost) in &self.rows {
            let pos: f64 = parts.iter().filter(|x| **x > 0.0).sum();
            let neg: f64 = parts.iter().filter(|x| **x < 0.0).sum();
            lo = lo.min(neg);
            hi = hi.max(pos).max(*cost);
        }
        let pad = 0.05 * (hi - lo).max(1e-9);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(300)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(n.max(1) as f64 - 0.5))
            .map_err(err)?;
        let names: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .x_desc("present value, CNY bn")
            .y_labels(n.max(1))
            .y_label_formatter(&|v| row_label(&names, *v))
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (k, (_, parts, cost)) in self.rows.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            let (mut right, mut left) = (0.0, 0.0);
            for (i, &v) in parts.iter().enumerate() {
                let (a, b) = if v >= 0.0 {
                    right += v;
                    (right - v, right)
                } else {
                    left += v;
                    (left, left - v)
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(a, y + 0.02), (b, y + 0.38)],
                        colour(i).filled(),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.36), (*cost, y - 0.06)],
                    RGBColor(150, 150, 150).filled(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(0.0, -0.5), (0.0, n.max(1) as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(err)?;
        for (i, name) in PARTS.iter().enumerate() {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(err)?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour(i).filled())
                });
        }
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label("costs")
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 5), (x + 14, y + 5)],
                    RGBColor(150, 150, 150).filled(),
                )
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::MiddleRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 13))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// The label of the row at `v` on a chart whose rows run top to bottom (row 0 at the top, drawn
/// at y = n − 1): its name at whole values, nothing between.
fn row_label(names: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
        names[names.len() - 1 - i as usize].clone()
    } else {
        String::new()
    }
}
