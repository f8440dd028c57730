//! The queue around dated disruptions: ships waiting day by day at each port a scenario's
//! closures and berth outages hit, against the port's normal level before them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, DrawResult, FONT, Figure, colour, err, headroom, render};
use crate::error::Result;
use crate::metrics::series_day;
use crate::report::saved::Saved;

/// One port of one scenario: its daily series and its events.
struct Panel {
    title: String,
    series: usize,
    /// (day of year 1–365, mean, low, high).
    days: Vec<(f64, f64, f64, f64)>,
    /// (name, first day, last day) as fractional days of the year (1 = 1 January 00:00).
    events: Vec<(String, f64, f64)>,
    /// The mean of the series' days before the first event.
    normal: Option<f64>,
}

struct AroundEvents {
    panels: Vec<Panel>,
}

const PANEL: (u32, u32) = (660, 300);
const PER_ROW: usize = 2;

/// The daily series around dated disruptions, last design year, a panel per (scenario, port).
pub(crate) fn queue_around_events(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let mut panels = Vec::new();
    for (si, scenario) in saved.scenarios().iter().enumerate() {
        let events = dated_events(saved, scenario);
        let mut ports: Vec<&str> = Vec::new();
        for r in saved
            .rows
            .iter()
            .filter(|r| r.labels.is_empty() && &r.scenario == scenario && r.year == year)
        {
            if series_day(&r.metric).is_some() && !ports.contains(&r.port.as_str()) {
                ports.push(&r.port);
            }
        }
        for port in ports {
            let mut days: Vec<(f64, f64, f64, f64)> = saved
                .rows
                .iter()
                .filter(|r| {
                    r.labels.is_empty()
                        && &r.scenario == scenario
                        && r.year == year
                        && r.port == port
                })
                .filter_map(|r| {
                    let d = f64::from(series_day(&r.metric)?);
                    Some((d, r.mean, r.lo.max(0.0), r.hi))
                })
                .collect();
            days.sort_by(|a, b| a.0.total_cmp(&b.0));
            let events: Vec<(String, f64, f64)> = events
                .iter()
                .filter(|e| e.0 == port)
                .map(|e| (e.1.clone(), e.2, e.3))
                .collect();
            let first = events.iter().map(|e| e.1).fold(f64::INFINITY, f64::min);
            let before: Vec<f64> = days
                .iter()
                .filter(|d| d.0 + 1.0 <= first)
                .map(|d| d.1)
                .collect();
            let normal =
                (!before.is_empty()).then(|| before.iter().sum::<f64>() / before.len() as f64);
            panels.push(Panel {
                title: format!("{port} — {scenario}"),
                series: si,
                days,
                events,
                normal,
            });
        }
    }
    if panels.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![render(
        "queue-around-events",
        &format!("Ships waiting day by day around the disruptions, {year}"),
        "Each port a dated closure or berth outage hits: the mean number of ships waiting each day (line; band: 95 % interval over the replications), the events (grey), and the port's normal level — the mean over the days before the first event (dashed). `recovery_days` is the time from an event's end until the queue is back to that level.",
        &AroundEvents { panels },
    )?])
}

/// The dated closures and berth outages in a scenario's own file: (port, name, first day,
/// last day) in fractional days of the year (1 = 1 January 00:00).
pub(crate) fn dated_events(saved: &Saved, scenario: &str) -> Vec<(String, String, f64, f64)> {
    let Some(table) = saved.scenario_table_named(scenario) else {
        return Vec::new();
    };
    let Some(list) = table.get("disruptions").and_then(|d| d.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|d| {
            let kind = d.get("kind")?.as_str()?;
            if kind != "closure" && kind != "berth_outage" {
                return None;
            }
            let port = d.get("port")?.as_str()?.to_string();
            let name = d.get("name")?.as_str()?.to_string();
            let start = match (d.get("start_day"), d.get("date").and_then(|v| v.as_str())) {
                (Some(v), _) => v.as_float().or_else(|| v.as_integer().map(|i| i as f64))?,
                (None, Some(text)) => 1.0 + date_day(text)?,
                _ => return None,
            };
            let h = d.get("duration_h")?;
            let hours = h.as_float().or_else(|| h.as_integer().map(|i| i as f64))?;
            Some((port, name, start, start + hours / 24.0))
        })
        .collect()
}

/// Days after 1 January 00:00 of `"MM-DD"` or `"MM-DD HH:MM"` (the scenario was validated).
fn date_day(text: &str) -> Option<f64> {
    let (date, time) = text
        .trim()
        .split_once(' ')
        .unwrap_or((text.trim(), "00:00"));
    let (m, d) = date.split_once('-')?;
    let (m, d): (usize, u32) = (m.parse().ok()?, d.parse().ok()?);
    let (hh, mm) = time.split_once(':')?;
    let (hh, mm): (f64, f64) = (hh.parse().ok()?, mm.parse().ok()?);
    let before: u32 = crate::sim::calendar::MONTH_DAYS
        .get(..m.checked_sub(1)?)?
        .iter()
        .sum();
    Some(f64::from(before + d - 1) + (hh + mm / 60.0) / 24.0)
}

impl Figure for AroundEvents {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PER_ROW) as u32;
        (PANEL.0 * PER_ROW as u32, PANEL.1 * rows)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let rows = self.panels.len().div_ceil(PER_ROW);
        let cells = area.split_evenly((rows, PER_ROW));
        for (p, cell) in self.panels.iter().zip(&cells) {
            draw_panel(p, cell)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, cell: &DrawingArea<DB, Shift>) -> DrawResult {
    let (Some(first), Some(last)) = (p.days.first(), p.days.last()) else {
        return Ok(());
    };
    let (x0, x1) = (first.0, last.0 + 1.0);
    let top = headroom(p.days.iter().map(|d| d.3).fold(0.0, f64::max), 1.0);
    let mut chart = ChartBuilder::on(cell)
        .caption(&p.title, (FONT, 16))
        .margin(10)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d(x0..x1, 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("day of the design year")
        .y_desc("ships waiting (daily mean)")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 12))
        .draw()
        .map_err(err)?;
    for (name, a, b) in &p.events {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a.max(x0), 0.0), (b.min(x1), top)],
                RGBColor(200, 200, 200).mix(0.6).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                name.clone(),
                (a.max(x0), top * 0.97),
                (FONT, 12),
            )))
            .map_err(err)?;
    }
    let c = colour(p.series);
    // Each day's value holds over that day: draw steps, the band as thin bars.
    chart
        .draw_series(
            p.days
                .iter()
                .map(|d| Rectangle::new([(d.0, d.2), (d.0 + 1.0, d.3)], c.mix(0.2).filled())),
        )
        .map_err(err)?;
    let steps: Vec<(f64, f64)> = p
        .days
        .iter()
        .flat_map(|d| [(d.0, d.1), (d.0 + 1.0, d.1)])
        .collect();
    chart
        .draw_series(LineSeries::new(steps, c.stroke_width(2)))
        .map_err(err)?;
    if let Some(n) = p.normal {
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, n), (x1, n)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
    }
    Ok(())
}
