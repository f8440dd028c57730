//! The year as it passed: the longest queues, the fullest yards and the rail corridors with the
//! most trains day by day through the last design year (from `series.csv`), with the scenario's
//! dated disruptions shaded.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::events::dated_events;
use super::{Chart, DrawResult, FONT, Figure, colour, err, headroom, render, series_legend};
use crate::error::Result;
use crate::report::corridors::CorridorNames;
use crate::report::saved::Saved;

/// One place's series: its label and (day, value) pairs.
struct Line {
    name: String,
    /// Its colour and marker, the same for the same place in every panel.
    style: usize,
    days: Vec<(f64, f64)>,
}

/// One panel: a kind of series for one scenario.
struct Panel {
    title: String,
    y_desc: &'static str,
    /// A share (0–100 %): a fixed axis, the legend low where the lines are not.
    share: bool,
    lines: Vec<Line>,
    /// Dated disruptions: (label, first day, last day), days from 1.
    events: Vec<(String, f64, f64)>,
}

struct YearFigure {
    /// Three panels (queues, yards, trains) per scenario.
    rows: Vec<Vec<Panel>>,
}

/// The kinds drawn, in panel order: (series, title, y axis, scale).
const KINDS: [(&str, &str, &str, f64); 3] = [
    (
        "ships_waiting",
        "Ships waiting: the longest queues",
        "ships waiting (daily mean)",
        1.0,
    ),
    (
        "yard_occupancy",
        "Yards: the fullest",
        "occupancy, % of capacity",
        100.0,
    ),
    (
        "trains",
        "Rail: the corridors with the most trains",
        "trains a day, both ways (7-day mean)",
        1.0,
    ),
];

const PANEL: (u32, u32) = (560, 330);

/// The last design year day by day, a row of panels per scenario; none without `series.csv`.
pub(crate) fn year_as_it_passed(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(year) = saved.series.iter().map(|d| d.year).max() else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    let corridors = CorridorNames::of(saved);
    for scenario in saved.scenarios() {
        let events: Vec<(String, f64, f64)> = dated_events(saved, &scenario)
            .into_iter()
            .map(|(port, name, a, b)| (format!("{name} ({port})"), a, b))
            .collect();
        let panels: Vec<Panel> = KINDS
            .iter()
            .map(|&(kind, title, y_desc, scale)| {
                let mut lines: Vec<Line> = Vec::new();
                for d in saved
                    .series
                    .iter()
                    .filter(|d| d.scenario == scenario && d.year == year && d.series == kind)
                {
                    let name = if d.port.contains("/rail:") {
                        corridors.name(&scenario, &d.port)
                    } else if d.cargo == "ALL" {
                        d.port.replace('/', " ")
                    } else {
                        format!("{} {}", d.port, crate::model::cargo_words(&d.cargo))
                    };
                    match lines.iter_mut().find(|l| l.name == name) {
                        Some(l) => l.days.push((f64::from(d.day), d.mean * scale)),
                        None => lines.push(Line {
                            style: 0,
                            name,
                            days: vec![(f64::from(d.day), d.mean * scale)],
                        }),
                    }
                }
                if kind == "trains" {
                    for l in &mut lines {
                        l.days = weekly(&l.days);
                    }
                }
                Panel {
                    title: format!("{scenario}: {title}"),
                    y_desc,
                    share: scale == 100.0,
                    lines,
                    events: events.clone(),
                }
            })
            .collect();
        if panels.iter().any(|p| !p.lines.is_empty()) {
            rows.push(panels);
        }
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // A place keeps its colour and marker across the scenarios' rows.
    let mut names: Vec<String> = Vec::new();
    for l in rows.iter_mut().flatten().flat_map(|p| p.lines.iter_mut()) {
        l.style = match names.iter().position(|n| *n == l.name) {
            Some(i) => i,
            None => {
                names.push(l.name.clone());
                names.len() - 1
            }
        };
    }
    Ok(vec![render(
        "year-as-it-passed",
        &format!("The year as it passed, {year}"),
        "Day by day through the design year, each scenario a row: the ports' cargo queues with the most ships waiting, the fullest yards and the rail corridors with the most trains (each day's mean over the replications; the 95 % intervals are in series.csv). Trains are a centred 7-day mean. Grey: the scenario's dated disruptions. Lines differ by marker as well as colour.",
        &YearFigure { rows },
    )?])
}

impl Figure for YearFigure {
    fn size(&self) -> (u32, u32) {
        (PANEL.0 * 3, PANEL.1 * self.rows.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let cells = area.split_evenly((self.rows.len(), 3));
        for (p, cell) in self.rows.iter().flatten().zip(&cells) {
            draw_panel(p, cell)?;
        }
        Ok(())
    }
}

/// A marker every this many days, so that lines tell apart in black and white.
const MARK_EVERY: usize = 30;

fn draw_panel<DB: DrawingBackend>(p: &Panel, cell: &DrawingArea<DB, Shift>) -> DrawResult {
    let x1 = p
        .lines
        .iter()
        .flat_map(|l| l.days.last())
        .map(|d| d.0 + 1.0)
        .fold(2.0, f64::max);
    let max = p
        .lines
        .iter()
        .flat_map(|l| l.days.iter().map(|d| d.1))
        .fold(0.0, f64::max);
    // Room above the lines for the legend (a share's axis is 0–100 % with the legend below).
    let top = if p.share {
        100.0
    } else {
        headroom(max * 1.6, 1.0)
    };
    let mut chart = ChartBuilder::on(cell)
        .caption(&p.title, (FONT, 14))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(1.0..x1, 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("day of the design year")
        .y_desc(p.y_desc)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| super::axis_number(*v, top, 10))
        .label_style((FONT, 11))
        .axis_desc_style((FONT, 12))
        .draw()
        .map_err(err)?;
    for (_, a, b) in &p.events {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a.max(1.0), 0.0), (b.min(x1), top)],
                RGBColor(190, 190, 190).mix(0.6).filled(),
            )))
            .map_err(err)?;
    }
    if p.lines.is_empty() {
        chart
            .draw_series(std::iter::once(Text::new(
                "none recorded",
                (x1 * 0.4, top * 0.5),
                (FONT, 13),
            )))
            .map_err(err)?;
        return Ok(());
    }
    for l in &p.lines {
        let (i, c) = (l.style, colour(l.style));
        // Each day's value holds over that day: steps.
        let steps: Vec<(f64, f64)> = l
            .days
            .iter()
            .flat_map(|d| [(d.0, d.1), (d.0 + 1.0, d.1)])
            .collect();
        chart
            .draw_series(LineSeries::new(steps, c.stroke_width(1)))
            .map_err(err)?
            .label(l.name.clone())
            .legend(move |(x, y)| {
                EmptyElement::at((x + 8, y))
                    + PathElement::new(vec![(-8, 0), (8, 0)], c.stroke_width(2))
                    + marker(i, c)
            });
        let marks = l
            .days
            .iter()
            .skip(MARK_EVERY / 2)
            .step_by(MARK_EVERY)
            .map(|&(x, y)| EmptyElement::at((x + 0.5, y)) + marker(i, c));
        chart.draw_series(marks).map_err(err)?;
    }
    let at = if p.share {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::UpperRight
    };
    series_legend(&mut chart, at)
}

/// A centred 7-day mean (fewer days at the ends), for daily counts that jump from day to day.
fn weekly(days: &[(f64, f64)]) -> Vec<(f64, f64)> {
    (0..days.len())
        .map(|i| {
            let window = &days[i.saturating_sub(3)..(i + 4).min(days.len())];
            let mean = window.iter().map(|d| d.1).sum::<f64>() / window.len() as f64;
            (days[i].0, mean)
        })
        .collect()
}

/// The marker of line `i`: circle, triangle, cross, square.
fn marker<DB: DrawingBackend>(i: usize, c: RGBColor) -> DynElement<'static, DB, (i32, i32)> {
    match i % 4 {
        0 => Circle::new((0, 0), 4, c.filled()).into_dyn(),
        1 => TriangleMarker::new((0, 0), 5, c.filled()).into_dyn(),
        2 => Cross::new((0, 0), 4, c.stroke_width(2)).into_dyn(),
        _ => Rectangle::new([(-4, -4), (4, 4)], c.filled()).into_dyn(),
    }
}
