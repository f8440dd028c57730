//! `portsim projects`: each project's planned year against the year it is needed.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, DrawResult, FONT, Figure, colour, err, render};
use crate::error::Result;
use crate::experiment::ProjectNeed;

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
        (1100, 120 + 26 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (y0, y1) = (f64::from(self.years.0) - 0.5, f64::from(self.years.1) + 1.5);
        let n = self.rows.len();
        let mut chart = ChartBuilder::on(area)
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
            .y_label_formatter(&|v| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(n - 1 - i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
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
