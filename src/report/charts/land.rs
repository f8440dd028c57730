//! Landside and environment: yards through the year, emissions at berth with and without
//! shore power (rail has its own module).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::dots::{DotPanels, DotPlot, DotSeries};
use super::{Chart, DrawResult, FONT, Figure, err, headroom, render, stem_of};
use crate::error::Result;
use crate::report::saved::Saved;

/// The first scenario's emission factors at berth (g/kWh: CO₂, NOₓ, SOₓ, PM) for ships and the
/// grid, from the scenario text in the manifest.
fn emission_factors(saved: &Saved) -> Option<([f64; 4], [f64; 4])> {
    let table = saved.scenario_table()?;
    let e = table.get("emissions")?;
    let read = |who: &str| {
        let t = e.get(who);
        ["co2", "nox", "sox", "pm"].map(|k| {
            t.and_then(|t| t.get(format!("{k}_g_per_kwh")))
                .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                .unwrap_or(0.0)
        })
    };
    Some((read("ship"), read("grid")))
}

/// CO₂ and NOₓ at berth per port, as run (with shore power where the scenario has it) and as
/// they would be with every call on its own generators.
pub(crate) fn emissions(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    // The scenario that draws the most shore power (the first on a tie): where the comparison
    // with and without it says something.
    let shore = |s: &String| {
        saved
            .get(s, year, "ALL", "ALL", "shore_power_mwh")
            .map_or(0.0, |r| r.mean)
    };
    let Some(scenario) = saved
        .scenarios()
        .into_iter()
        .fold(None, |best: Option<String>, s| match best {
            Some(b) if shore(&b) >= shore(&s) => Some(b),
            _ => Some(s),
        })
    else {
        return Ok(Vec::new());
    };
    let Some((ship, grid)) = emission_factors(saved) else {
        return Ok(Vec::new());
    };
    let mut ports = saved.ports();
    ports.push("ALL".into());
    let ports: Vec<String> = ports
        .into_iter()
        .filter(|p| saved.get(&scenario, year, p, "ALL", "co2_t").is_some())
        .collect();
    if ports.is_empty() {
        return Ok(Vec::new());
    }
    let panel = |k: usize, metric: &str, name: &str, scale: f64, unit: &str| DotPlot {
        title: name.into(),
        rows: ports.iter().map(|p| super::port_label(p)).collect(),
        series: vec![
            DotSeries {
                name: "as run (shore power where fitted)".into(),
                values: ports
                    .iter()
                    .map(|p| {
                        saved
                            .get(&scenario, year, p, "ALL", metric)
                            .map(|r| (r.mean / scale, Some((r.lo / scale, r.hi / scale))))
                    })
                    .collect(),
            },
            DotSeries {
                name: "every call on its own generators".into(),
                values: ports
                    .iter()
                    .map(|p| {
                        let e = saved.get(&scenario, year, p, "ALL", metric)?;
                        let mwh = saved
                            .get(&scenario, year, p, "ALL", "shore_power_mwh")
                            .map_or(0.0, |r| r.mean);
                        // Energy from the grid would have come from the ship: t = MWh × g/kWh / 1000.
                        Some(((e.mean + mwh * (ship[k] - grid[k]) / 1000.0) / scale, None))
                    })
                    .collect(),
            },
        ],
        limits: vec![None; ports.len()],
        reference: None,
        x_desc: format!("{unit} in {year}"),
        log_floor: None,
        limit_name: String::new(),
    };
    Ok(vec![render(
        "emissions",
        &format!("Emissions at berth with and without shore power, {year} ({scenario})"),
        "Hotelling emissions per port as simulated (in a comparison: the scenario drawing the most shore power), against the same calls with no shore power (ship factors instead of the grid's for the energy drawn from shore). Where the grid's CO₂ factor exceeds the engines', shore power raises CO₂ while it cuts NOₓ.",
        &DotPanels::row(vec![
            panel(0, "co2_t", "CO₂", 1e3, "kt CO₂"),
            panel(1, "nox_t", "NOₓ", 1.0, "t NOₓ"),
        ]),
    )?])
}

/// Yard occupancy month by month for the fullest yards, a chart per scenario (last design
/// year).
pub(crate) fn yard_year(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for scenario in saved.scenarios() {
        out.extend(yard_year_of(saved, &scenario, year)?);
    }
    Ok(out)
}

fn yard_year_of(saved: &Saved, scenario: &str, year: u16) -> Result<Option<Chart>> {
    let mut yards: Vec<(String, Vec<f64>)> = Vec::new();
    for r in saved.rows.iter().filter(|r| {
        r.labels.is_empty()
            && r.scenario == scenario
            && r.year == year
            && r.metric == "yard_occupancy_m01"
    }) {
        let months: Vec<f64> = (1..=12)
            .map(|m| {
                saved
                    .get(
                        scenario,
                        year,
                        &r.port,
                        "ALL",
                        &format!("yard_occupancy_m{m:02}"),
                    )
                    .map_or(f64::NAN, |x| 100.0 * x.mean)
            })
            .collect();
        if months.iter().any(|v| v.is_finite()) {
            yards.push((r.port.clone(), months));
        }
    }
    if yards.is_empty() {
        return Ok(None);
    }
    // The eight yards with the highest monthly peak, fullest first.
    let peak = |v: &[f64]| {
        v.iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max)
    };
    yards.sort_by(|a, b| peak(&b.1).total_cmp(&peak(&a.1)).then(a.0.cmp(&b.0)));
    yards.truncate(8);
    Ok(Some(render(
        &stem_of(saved, "yard-year", scenario),
        &format!("Yard occupancy through the year, {year} ({scenario})"),
        "Mean stock in the yard (stacks, stockpiles, tanks) as a share of its capacity, month by month, for the eight fullest yards; near the 100 % line a yard stops discharge and sends exports to wait at the gate.",
        &YardYear { yards },
    )?))
}

struct YardYear {
    yards: Vec<(String, Vec<f64>)>,
}

impl Figure for YardYear {
    fn size(&self) -> (u32, u32) {
        (1100, 620)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        // The legend beside the plot, not in it: inside, it covered the 100 % line it is read
        // against.
        let (area, legend) = area.split_horizontally(LEGEND_X);
        self.draw_legend(&legend)?;
        let area = &area;
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let top = self
            .yards
            .iter()
            .flat_map(|y| y.1.iter().copied())
            .filter(|v| v.is_finite())
            .fold(100.0, f64::max);
        let mut chart = ChartBuilder::on(area)
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.3..11.3, 0.0..headroom(top, 110.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&|v: &f64| {
                let m = v.round();
                if (v - m).abs() < 1e-6 && (0.0..12.0).contains(&m) {
                    MONTHS[m as usize].to_string()
                } else {
                    String::new()
                }
            })
            .x_desc("month")
            .y_desc("yard occupancy, % of capacity")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.3, 100.0), (11.3, 100.0)],
                BLACK.stroke_width(2),
            )))
            .map_err(err)?;
        for (i, (_, months)) in self.yards.iter().enumerate() {
            let c = super::goals::category_colour(i);
            let pts: Vec<(f64, f64)> = months
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(m, v)| (m as f64, *v))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
                .map_err(err)?;
            // Markers too, numbered, so lines can be told apart without colour.
            chart
                .draw_series(pts.iter().map(|&p| {
                    EmptyElement::at(p)
                        + Circle::new((0, 0), 8, WHITE.filled())
                        + Circle::new((0, 0), 8, c.stroke_width(1))
                        + Text::new(format!("{}", i + 1), (-4, -6), (FONT, 11))
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Where the legend's column starts, pixels from the chart's left edge.
const LEGEND_X: u32 = 800;

impl YardYear {
    /// The legend: each yard's line and numbered marker, and its name, fullest first.
    fn draw_legend<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let head = Text::new("Yards, fullest first", (10, 20), (FONT, 15));
        area.draw(&head).map_err(err)?;
        for (i, (name, _)) in self.yards.iter().enumerate() {
            let (c, y) = (super::goals::category_colour(i), 52 + 26 * i as i32);
            let line = PathElement::new(vec![(10, y), (46, y)], c.stroke_width(3));
            area.draw(&line).map_err(err)?;
            let mark = EmptyElement::at((28, y))
                + Circle::new((0, 0), 8, WHITE.filled())
                + Circle::new((0, 0), 8, c.stroke_width(1))
                + Text::new(format!("{}", i + 1), (-4, -6), (FONT, 11));
            area.draw(&mark).map_err(err)?;
            let label = Text::new(name.clone(), (56, y - 7), (FONT, 13));
            area.draw(&label).map_err(err)?;
        }
        Ok(())
    }
}
