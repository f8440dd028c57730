//! Rail: trains per corridor, the container sea–rail share per port and for the cluster (in the
//! last design year, and year by year against the province's goal), and the mode split of the
//! flows each corridor serves.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::dots::{DotPanels, DotPlot, DotSeries};
use super::goals::{StackedBars, stem_of};
use super::{Chart, DrawResult, FONT, Figure, colour, err, headroom, render, series_legend};
use crate::error::Result;
use crate::model::MODES;
use crate::report::corridors::CorridorNames;
use crate::report::saved::Saved;

/// What happened: sea–rail reached ≈ 13.5 % of the province's port containers in Jan–Sep 2024
/// ("more than 1.3 M TEU", facts part 2 [S222]).
const SEA_RAIL_ACTUAL: (u16, f64) = (2024, 13.5);

/// The province's sea–rail goal: ≈ 15 % of its ports' containers by 2025 (a 2022 provincial
/// press conference [S103]).
const SEA_RAIL_GOAL_PCT: f64 = 15.0;

/// Trains per corridor and the container rail share per port, each scenario a marker.
pub(crate) fn rail(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios = saved.scenarios();
    let mut corridors: Vec<String> = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty() && r.year == year && r.port.contains("/rail:") && r.metric == "trains"
    }) {
        if !corridors.contains(&r.port) {
            corridors.push(r.port.clone());
        }
    }
    if corridors.is_empty() {
        return Ok(Vec::new());
    }
    let names = CorridorNames::of(saved);
    let trains = DotPlot {
        title: "Trains per corridor".into(),
        rows: (corridors.iter())
            .map(|c| names.in_any(&scenarios, c))
            .collect(),
        series: scenarios
            .iter()
            .map(|s| DotSeries {
                name: s.clone(),
                values: corridors
                    .iter()
                    .map(|c| {
                        saved
                            .get(s, year, c, "ALL", "trains")
                            .map(|r| (r.mean, Some((r.lo, r.hi))))
                    })
                    .collect(),
            })
            .collect(),
        limits: vec![None; corridors.len()],
        reference: None,
        x_desc: format!("trains in {year}"),
        log_floor: None,
        limit_name: String::new(),
    };
    let mut ports = saved.ports();
    ports.push("ALL".into());
    let ports: Vec<String> = ports
        .into_iter()
        .filter(|p| {
            scenarios.iter().any(|s| {
                saved
                    .get(s, year, p, "container", "rail_share_of_throughput")
                    .is_some()
            })
        })
        .collect();
    let share = DotPlot {
        title: "Rail share of containers".into(),
        rows: ports.iter().map(|p| super::port_label(p)).collect(),
        series: scenarios
            .iter()
            .map(|s| DotSeries {
                name: s.clone(),
                values: ports
                    .iter()
                    .map(|p| {
                        saved
                            .get(s, year, p, "container", "rail_share_of_throughput")
                            .map(|r| (100.0 * r.mean, Some((100.0 * r.lo, 100.0 * r.hi))))
                    })
                    .collect(),
            })
            .collect(),
        // The province's goal is for its ports together (the cluster row).
        limits: ports
            .iter()
            .map(|p| (p == "ALL").then_some(SEA_RAIL_GOAL_PCT))
            .collect(),
        reference: None,
        x_desc: format!("boxes by rail, % of all handled ({year})"),
        log_floor: None,
        limit_name: "the province's goal for its ports, ≈ 15 %".into(),
    };
    Ok(vec![render(
        "rail",
        &format!("Rail: trains per corridor and the sea–rail share, {year}"),
        "Left: trains run on each port's rail corridors in the year (mean, 95 % interval). Right: each port's containers moved by rail as a share of all the containers it handled (transshipment included, as port statistics count throughput) — the measure of the province's goal of ≈ 15 % of its ports' container throughput (the bar on the cluster's row).",
        &DotPanels::row(vec![trains, share]),
    )?])
}

/// The container sea–rail share year by year: the cluster and each port, a line per scenario
/// (mean, 95 % interval), against the province's goal; drawn when the run has two design years
/// or more.
pub(crate) fn sea_rail_years(saved: &Saved) -> Result<Vec<Chart>> {
    let years = saved.years();
    if years.len() < 2 {
        return Ok(Vec::new());
    }
    let scenarios = saved.scenarios();
    let mut places = vec!["ALL".to_string()];
    places.extend(saved.ports());
    let panels: Vec<SharePanel> = places
        .iter()
        .map(|p| SharePanel {
            title: super::port_label(p),
            goal: (p == "ALL").then_some(SEA_RAIL_GOAL_PCT),
            actual: (p == "ALL").then_some(SEA_RAIL_ACTUAL),
            lines: scenarios
                .iter()
                .map(|s| {
                    years
                        .iter()
                        .filter_map(|&y| {
                            let r = saved.get(s, y, p, "container", "rail_share_of_throughput")?;
                            r.mean.is_finite().then_some((
                                y,
                                100.0 * r.mean,
                                100.0 * r.lo,
                                100.0 * r.hi,
                            ))
                        })
                        .collect()
                })
                .collect(),
        })
        .filter(|p: &SharePanel| p.lines.iter().any(|l| !l.is_empty()))
        .collect();
    if panels.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![render(
        "sea-rail-by-year",
        "The sea–rail share of containers, year by year",
        "Each port's containers moved by rail as a share of all it handled, by design year, a line per scenario (mean and 95 % interval). On the cluster's panel: the province's goal of ≈ 15 % of its ports' containers (dashed) and what happened — ≈ 13.5 % in Jan–Sep 2024 (the triangle).",
        &ShareYears {
            panels,
            scenarios,
            years: (years[0], years[years.len() - 1]),
        },
    )?])
}

/// The mode split of the flows each rail corridor serves, in the last design year: one chart
/// per scenario (at most four).
pub(crate) fn corridor_modes(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios = saved.scenarios();
    let names = CorridorNames::of(saved);
    let mut out = Vec::new();
    for scenario in scenarios.iter().take(4) {
        let mut bars = Vec::new();
        for r in saved.rows.iter().filter(|r| {
            r.labels.is_empty()
                && &r.scenario == scenario
                && r.year == year
                && r.port.contains("/rail:")
                && r.metric == "mode_share_rail"
        }) {
            let segs: Vec<(String, f64)> = MODES
                .iter()
                .filter_map(|m| {
                    let v =
                        saved.get(scenario, year, &r.port, "ALL", &format!("mode_share_{m}"))?;
                    (v.mean.is_finite() && v.mean > 0.0).then(|| (m.to_string(), 100.0 * v.mean))
                })
                .collect();
            if !segs.is_empty() {
                bars.push((names.name(scenario, &r.port), segs));
            }
        }
        if bars.is_empty() {
            continue;
        }
        let present: Vec<String> = MODES
            .iter()
            .filter(|m| bars.iter().any(|b| b.1.iter().any(|s| s.0 == **m)))
            .map(|m| m.to_string())
            .collect();
        out.push(render(
            &stem_of(saved, "corridor-modes", scenario),
            &format!("How the cargo of each rail corridor's flows moved, {year} ({scenario})"),
            "For the flows whose hinterland leg a corridor serves (both ways), the share that moved by rail, road and pipeline: chosen by cost and the trains' backlog where the scenario has mode choice.",
            &StackedBars {
                bars,
                cargos: present,
                x_desc: format!("share of the flows' cargo, % ({year})"),
                x_max: Some(100.0),
            },
        )?);
    }
    Ok(out)
}

/// One panel of [`ShareYears`]: per scenario, (year, mean, low, high) in %.
struct SharePanel {
    title: String,
    goal: Option<f64>,
    actual: Option<(u16, f64)>,
    lines: Vec<Vec<(u16, f64, f64, f64)>>,
}

/// Small multiples of a share by year, four panels a row.
struct ShareYears {
    panels: Vec<SharePanel>,
    scenarios: Vec<String>,
    years: (u16, u16),
}

const PANEL: (u32, u32) = (330, 260);
const PER_ROW: usize = 4;

impl Figure for ShareYears {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(PER_ROW) as u32;
        (PANEL.0 * PER_ROW as u32, PANEL.1 * rows + 30)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let rows = self.panels.len().div_ceil(PER_ROW);
        let (grid, legend) = area.split_vertically(PANEL.1 * rows as u32);
        let cells = grid.split_evenly((rows, PER_ROW));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            self.draw_panel(panel, cell)?;
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            let x = 20 + 300 * i as i32;
            legend
                .draw(&Circle::new((x, 12), 5, colour(i).filled()))
                .map_err(err)?;
            legend
                .draw(&Text::new(s.clone(), (x + 10, 4), (FONT, 14)))
                .map_err(err)?;
        }
        Ok(())
    }
}

impl ShareYears {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        p: &SharePanel,
        cell: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let top = p
            .lines
            .iter()
            .flatten()
            .map(|v| v.3)
            .chain(p.goal)
            .chain(p.actual.map(|a| a.1))
            .fold(0.0, f64::max);
        let (y0, y1) = (f64::from(self.years.0) - 0.5, f64::from(self.years.1) + 0.5);
        let mut chart = ChartBuilder::on(cell)
            .caption(&p.title, (FONT, 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(40)
            .build_cartesian_2d(y0..y1, 0.0..headroom(top, 1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("%")
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 12))
            .draw()
            .map_err(err)?;
        if let Some(goal) = p.goal {
            chart
                .draw_series(DashedLineSeries::new(
                    [(y0, goal), (y1, goal)],
                    6,
                    4,
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?
                .label("goal ≈ 15 %")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.stroke_width(2)));
        }
        for (si, line) in p.lines.iter().enumerate() {
            let c = colour(si);
            let pts: Vec<(f64, f64)> = line.iter().map(|v| (f64::from(v.0), v.1)).collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
                .map_err(err)?;
            chart
                .draw_series(pts.iter().map(|&pt| Circle::new(pt, 4, c.filled())))
                .map_err(err)?;
            chart
                .draw_series(line.iter().map(|v| {
                    let x = f64::from(v.0);
                    PathElement::new([(x, v.2), (x, v.3)], c.stroke_width(1))
                }))
                .map_err(err)?;
        }
        if let Some((year, pct)) = p.actual {
            if f64::from(year) > y0 && f64::from(year) < y1 {
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(
                        (f64::from(year), pct),
                        7,
                        BLACK.filled(),
                    )))
                    .map_err(err)?
                    .label("actual, Jan–Sep 2024")
                    .legend(|(x, y)| TriangleMarker::new((x + 8, y), 6, BLACK.filled()));
            }
        }
        if p.goal.is_some() {
            series_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        Ok(())
    }
}
