//! Throughput against the plan's goals, and throughput by port and cargo class.

use crate::model::Bound;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{Chart, DrawResult, FONT, Figure, PALETTE, colour, err, headroom, render};
use crate::error::Result;
use crate::report::saved::{Saved, SavedTarget};

/// Throughput by design year per port (and the cluster) against the goals: one chart for
/// tonnes and one for TEU, where the results have them.
pub(crate) fn throughput_goals(saved: &Saved) -> Result<Vec<Chart>> {
    let mut out = Vec::new();
    for (metric, unit, what) in [
        ("throughput_t", "Mt/yr", "tonnes"),
        ("throughput_teu", "M TEU/yr", "TEU"),
    ] {
        let fig = GoalsFigure::new(saved, metric, unit);
        if fig
            .panels
            .iter()
            .all(|p| p.series.iter().all(|s| s.is_empty()))
        {
            continue;
        }
        let n_targets: usize = fig.panels.iter().map(|p| p.targets.len()).sum();
        let caption = if n_targets > 0 {
            format!(
                "Simulated throughput in {what} (mean and 95 % interval per design year) for the cluster and each port; markers are the goals (▲ at least, ▼ at most, ◆ within a tolerance of the figure, on a shaded box over the band it accepts), filled where the scenario meets them and hollow where it misses."
            )
        } else {
            format!(
                "Simulated throughput in {what} (mean and 95 % interval per design year) for the cluster and each port; these results carry no throughput goals."
            )
        };
        out.push(render(
            &format!(
                "throughput-goals-{}",
                metric.trim_start_matches("throughput_")
            ),
            &format!("Throughput against the goals ({unit})"),
            &caption,
            &fig,
        )?);
    }
    Ok(out)
}

/// One panel: a port (or the cluster), each scenario's (year, mean, lo, hi) and its targets.
struct Panel {
    title: String,
    series: Vec<Vec<(f64, f64, f64, f64)>>,
    targets: Vec<(usize, SavedTarget)>,
}

struct GoalsFigure {
    scenarios: Vec<String>,
    years: Vec<u16>,
    panels: Vec<Panel>,
    unit: String,
}

impl GoalsFigure {
    fn new(saved: &Saved, metric: &str, unit: &str) -> Self {
        let scenarios = saved.scenarios();
        let years = saved.years();
        let mut ports = vec!["ALL".to_string()];
        ports.extend(saved.ports());
        let cluster = cluster_title(ports.len() - 1);
        let panels = ports
            .iter()
            .map(|port| Panel {
                title: if port == "ALL" {
                    cluster.clone()
                } else {
                    port.clone()
                },
                series: scenarios
                    .iter()
                    .map(|s| {
                        years
                            .iter()
                            .filter_map(|&y| {
                                saved.get(s, y, port, "ALL", metric).and_then(|r| {
                                    r.mean.is_finite().then_some((
                                        f64::from(y),
                                        r.mean / 1e6,
                                        r.lo / 1e6,
                                        r.hi / 1e6,
                                    ))
                                })
                            })
                            .collect()
                    })
                    .collect(),
                targets: saved
                    .targets
                    .iter()
                    .filter(|t| &t.port == port && t.cargo == "ALL" && t.metric == metric)
                    .filter_map(|t| {
                        scenarios
                            .iter()
                            .position(|s| s == &t.scenario)
                            .map(|i| (i, t.clone()))
                    })
                    .collect(),
            })
            .collect();
        GoalsFigure {
            scenarios,
            years,
            panels,
            unit: unit.to_string(),
        }
    }
}

/// The cluster panel's title: how many ports the results drawn hold (each has its own panel),
/// or just "Cluster" when they name none.
fn cluster_title(ports: usize) -> String {
    match ports {
        0 => "Cluster".into(),
        1 => "Cluster (1 port)".into(),
        n => format!("Cluster ({n} ports)"),
    }
}

/// A year axis label: whole years only, every `step`-th from `first` (so that eleven design
/// years do not run into each other in a small panel).
fn year_label(v: f64, first: f64, step: f64) -> String {
    let r = v.round();
    if (v - r).abs() < 1e-6 && ((r - first) / step).fract().abs() < 1e-9 {
        format!("{r:.0}")
    } else {
        String::new()
    }
}

impl Figure for GoalsFigure {
    fn size(&self) -> (u32, u32) {
        (1400, 820)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let cols = 4;
        let rows = (self.panels.len() + 1).div_ceil(cols);
        let cells = area.split_evenly((rows, cols));
        let (y0, y1) = (
            f64::from(*self.years.first().unwrap_or(&2020)) - 0.6,
            f64::from(*self.years.last().unwrap_or(&2020)) + 0.6,
        );
        let first = f64::from(*self.years.first().unwrap_or(&2020));
        let span = f64::from(*self.years.last().unwrap_or(&2020)) - first;
        let step = (span / 5.0).ceil().max(1.0);
        let n = self.scenarios.len();
        let dx = |i: usize| (i as f64 - (n as f64 - 1.0) / 2.0) * (0.5 / n.max(1) as f64);
        for (panel, cell) in self.panels.iter().zip(cells.iter()) {
            let top = panel
                .series
                .iter()
                .flatten()
                .map(|p| p.3)
                .chain(panel.targets.iter().map(|(_, t)| goal_top(t) / 1e6))
                .fold(0.0, f64::max);
            let y_max = headroom(top, 1.0);
            let mut chart = ChartBuilder::on(cell)
                .caption(&panel.title, (FONT, 20))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(y0..y1, 0.0..y_max)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_desc("design year")
                .y_desc(format!("throughput, {}", self.unit))
                .x_label_formatter(&|v| year_label(*v, first, step))
                .y_labels(10)
                .y_label_formatter(&|v| super::axis_number(*v, y_max, 10))
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 14))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            for (i, s) in panel.series.iter().enumerate() {
                let c = colour(i);
                if s.len() > 1 {
                    // The 95 % band, then the line of means.
                    let band: Vec<(f64, f64)> = s
                        .iter()
                        .map(|p| (p.0 + dx(i), p.3))
                        .chain(s.iter().rev().map(|p| (p.0 + dx(i), p.2)))
                        .collect();
                    chart
                        .draw_series(std::iter::once(Polygon::new(band, c.mix(0.15).filled())))
                        .map_err(err)?;
                    chart
                        .draw_series(LineSeries::new(
                            s.iter().map(|p| (p.0 + dx(i), p.1)),
                            c.stroke_width(2),
                        ))
                        .map_err(err)?;
                }
                if s.len() <= 3 {
                    // With few years, bars show the interval; with more, the band does.
                    chart
                        .draw_series(s.iter().map(|p| {
                            ErrorBar::new_vertical(p.0 + dx(i), p.2, p.1, p.3, c.stroke_width(2), 8)
                        }))
                        .map_err(err)?;
                }
                // Each scenario its own marker shape, so the chart reads in black and white.
                for p in s {
                    let at = (p.0 + dx(i), p.1);
                    match super::dots::shape(i) {
                        None => chart
                            .draw_series(std::iter::once(Circle::new(at, 4, c.filled())))
                            .map(|_| ()),
                        Some(pts) => chart
                            .draw_series(std::iter::once(
                                EmptyElement::at(at) + Polygon::new(pts, c.filled()),
                            ))
                            .map(|_| ()),
                    }
                    .map_err(err)?;
                }
            }
            draw_goals(&mut chart, &panel.targets, &dx)?;
        }
        // The legend, in the last cell.
        let legend = &cells[cells.len() - 1];
        let style = (FONT, 15).into_font();
        let mut y = 20;
        legend
            .draw(&Text::new("Scenarios", (10, y), (FONT, 16).into_font()))
            .map_err(err)?;
        for (i, s) in self.scenarios.iter().enumerate() {
            y += 24;
            let at = (18, y + 7);
            match super::dots::shape(i) {
                None => legend.draw(&Circle::new(at, 5, colour(i).filled())),
                Some(p) => {
                    legend.draw(&(EmptyElement::at(at) + Polygon::new(p, colour(i).filled())))
                }
            }
            .map_err(err)?;
            legend
                .draw(&Text::new(s.clone(), (32, y), style.clone()))
                .map_err(err)?;
        }
        y += 34;
        for line in [
            "marker: mean; bar or band: 95 % interval",
            "▲ goal: at least   ▼ at most   ◆ within a tolerance",
            "shaded box behind ◆: the band its tolerance accepts",
            "filled: met   hollow: missed",
        ] {
            legend
                .draw(&Text::new(line, (10, y), style.clone()))
                .map_err(err)?;
            y += 22;
        }
        Ok(())
    }
}

/// A panel's goals, one marker each — ▲ at least, ▼ at most, ◆ within a tolerance, filled if
/// met and hollow if not — and for a goal within a tolerance a shaded box over the band it
/// accepts, as the goal is judged.
fn draw_goals<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    targets: &[(usize, SavedTarget)],
    dx: &dyn Fn(usize) -> f64,
) -> DrawResult {
    for (i, t) in targets {
        let c = colour(*i);
        // Just right of its scenario's marker for the year, a fixed number of pixels (so it
        // stays beside it however many years the axis spans), and a step further per scenario
        // (on a long axis the scenarios' markers are a few pixels apart, and their goals would
        // stack).
        let x = f64::from(t.year) + dx(*i);
        let y = t.target / 1e6;
        let offset = GOAL_OFFSET_PX + GOAL_STEP_PX * *i as i32;
        if let Bound::Within { tolerance } = t.bound {
            // The band in pixels from the goal's point.
            let at = chart.backend_coord(&(x, y)).1;
            let top = chart.backend_coord(&(x, y * (1.0 + tolerance))).1 - at;
            let bottom = chart.backend_coord(&(x, y * (1.0 - tolerance))).1 - at;
            // A shaded box, not a capped bar: the capped bars are the means' intervals.
            let corners = [(offset - 5, top), (offset + 5, bottom)];
            let band = EmptyElement::at((x, y))
                + Rectangle::new(corners, c.mix(0.3).filled())
                + Rectangle::new(corners, c.stroke_width(1));
            chart.draw_series(std::iter::once(band)).map_err(err)?;
        }
        let shape: Vec<(i32, i32)> = goal_marker(t.bound)
            .into_iter()
            .map(|(px, py)| (px + offset, py))
            .collect();
        let mut outline = shape.clone();
        outline.push(outline[0]);
        let fill = if t.met == "yes" {
            c.filled()
        } else {
            WHITE.filled()
        };
        let marker = EmptyElement::at((x, y))
            + Polygon::new(shape, fill)
            + PathElement::new(outline, c.stroke_width(2));
        chart.draw_series(std::iter::once(marker)).map_err(err)?;
    }
    Ok(())
}

/// How far right of its scenario's marker a goal's marker is drawn, in pixels.
const GOAL_OFFSET_PX: i32 = 14;
/// How much further right each later scenario's goal markers are drawn, in pixels.
const GOAL_STEP_PX: i32 = 12;

/// The highest value a goal accepts or names: its figure, or the top of its band.
fn goal_top(t: &SavedTarget) -> f64 {
    match t.bound {
        Bound::Within { tolerance } => t.target * (1.0 + tolerance),
        _ => t.target,
    }
}

/// A goal marker's corners in pixels around its point: ▲ at least, ▼ at most, ◆ within a
/// tolerance.
fn goal_marker(bound: Bound) -> Vec<(i32, i32)> {
    let s = match bound {
        Bound::AtLeast => 1,
        Bound::AtMost => -1,
        Bound::Within { .. } => return vec![(0, -8), (7, 0), (0, 8), (-7, 0)],
    };
    vec![(-7, 6 * s), (7, 6 * s), (0, -7 * s)]
}

/// Throughput of each port by cargo class in the last design year, one chart per scenario
/// (at most four).
pub(crate) fn throughput_by_cargo(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for scenario in saved.scenarios().iter().take(4) {
        let ports = saved.ports();
        let mut cargos: Vec<String> = Vec::new();
        let mut bars = Vec::new();
        for p in &ports {
            let mut segs = Vec::new();
            for r in saved.rows.iter().filter(|r| {
                r.labels.is_empty()
                    && &r.scenario == scenario
                    && r.year == year
                    && &r.port == p
                    && r.cargo != "ALL"
                    && r.metric == "throughput_t"
                    && r.mean > 0.0
            }) {
                if !cargos.contains(&r.cargo) {
                    cargos.push(r.cargo.clone());
                }
                segs.push((r.cargo.clone(), r.mean / 1e6));
            }
            bars.push((p.clone(), segs));
        }
        if cargos.is_empty() {
            continue;
        }
        let stem = stem_of(saved, "throughput-by-cargo", scenario);
        out.push(render(
            &stem,
            &format!("Throughput by port and cargo class, {year} ({scenario})"),
            "Mean tonnes handled per port in the last design year, split by cargo class (containers at the scenario's tonnes per TEU); labels name the larger segments.",
            &StackedBars {
                bars,
                cargos,
                x_desc: format!("throughput {year}, Mt/yr"),
                x_max: None,
            },
        )?);
    }
    Ok(out)
}

/// A file-name-safe form of a scenario name.
pub(crate) fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The file stem of a chart drawn once per scenario: `stem` for one scenario, `stem-SCENARIO`
/// for each of several — made unique where two names slug alike (`a#2` and `a-2`, `a.b` and
/// `a-b`): a later one gets `-2`, `-3`… after its slug.
pub(crate) fn stem_of(saved: &Saved, stem: &str, scenario: &str) -> String {
    let scenarios = saved.scenarios();
    if scenarios.len() <= 1 {
        return stem.into();
    }
    let mut taken: Vec<String> = Vec::new();
    for s in &scenarios {
        let base = slug(s);
        let mut unique = base.clone();
        let mut k = 2;
        while taken.contains(&unique) {
            unique = format!("{base}-{k}");
            k += 1;
        }
        if s == scenario {
            return format!("{stem}-{unique}");
        }
        taken.push(unique);
    }
    format!("{stem}-{}", slug(scenario))
}

/// Twelve colours for categories (the eleven cargo classes and one more), each told from the
/// others: the palette's first six (Okabe & Ito), then Tol's wine, olive and indigo, black,
/// brown and one grey — before session 28 the seventh to eleventh were black, three greys and a
/// beige, five near-greys for a stacked bar's cargo classes.
const CATEGORY: [RGBColor; 12] = [
    PALETTE[0],              // blue
    PALETTE[1],              // vermillion
    PALETTE[2],              // bluish green
    PALETTE[3],              // reddish purple
    PALETTE[4],              // orange
    PALETTE[5],              // sky blue
    RGBColor(136, 34, 85),   // wine
    RGBColor(153, 153, 51),  // olive
    RGBColor(51, 34, 136),   // indigo
    RGBColor(0, 0, 0),       // black
    RGBColor(140, 81, 10),   // brown
    RGBColor(150, 150, 150), // grey
];

/// The colour of category `i` (repeating after twelve).
pub(crate) fn category_colour(i: usize) -> RGBColor {
    CATEGORY[i % CATEGORY.len()]
}

/// Horizontal bars stacked by category.
pub(crate) struct StackedBars {
    /// (label, [(category, value)]) per bar, top first.
    pub bars: Vec<(String, Vec<(String, f64)>)>,
    /// Categories in legend order.
    pub cargos: Vec<String>,
    /// The value axis title.
    pub x_desc: String,
    /// The value axis's upper end (default: the longest bar with headroom).
    pub x_max: Option<f64>,
}

impl Figure for StackedBars {
    fn size(&self) -> (u32, u32) {
        (1100, 160 + 52 * self.bars.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (plot, legend) = area.split_horizontally(860);
        let max = self
            .bars
            .iter()
            .map(|(_, s)| s.iter().map(|x| x.1).sum::<f64>())
            .fold(0.0, f64::max);
        let n = self.bars.len();
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        // Room for the longest label (a corridor's name), within half the plot.
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
        let label_w = (longest * 8 + 16).clamp(150, 420);
        let x_max = self.x_max.unwrap_or_else(|| headroom(max, 1.0));
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(label_w)
            .build_cartesian_2d(0.0..x_max, 0.0..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|v| bar_label(&labels, *v))
            .x_labels(10)
            .x_label_formatter(&|v| super::axis_number(*v, x_max, 10))
            .x_desc(self.x_desc.clone())
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 15))
            .draw()
            .map_err(err)?;
        for (bi, (_, segs)) in self.bars.iter().enumerate() {
            let y = (n - 1 - bi) as f64;
            let mut x = 0.0;
            for (cargo, v) in segs {
                let ci = self.cargos.iter().position(|c| c == cargo).unwrap_or(0);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y + 0.15), (x + v, y + 0.85)],
                        category_colour(ci).filled(),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y + 0.15), (x + v, y + 0.85)],
                        WHITE.stroke_width(1),
                    )))
                    .map_err(err)?;
                if *v > 0.09 * max {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            short_cargo(cargo),
                            (x + 0.01 * max, y + 0.62),
                            (FONT, 12).into_font().color(&WHITE),
                        )))
                        .map_err(err)?;
                }
                x += v;
            }
        }
        let mut y = 20;
        for (i, c) in self.cargos.iter().enumerate() {
            legend
                .draw(&Rectangle::new(
                    [(10, y), (28, y + 14)],
                    category_colour(i).filled(),
                ))
                .map_err(err)?;
            legend
                .draw(&Text::new(
                    crate::model::cargo_words(c),
                    (36, y),
                    (FONT, 14),
                ))
                .map_err(err)?;
            y += 22;
        }
        Ok(())
    }
}

/// The label of the bar centred on `v` (bars sit on [i, i+1], top first).
pub(crate) fn bar_label(labels: &[String], v: f64) -> String {
    let n = labels.len();
    let centre = v - 0.5;
    if (centre - centre.round()).abs() > 1e-6 || centre < 0.0 {
        return String::new();
    }
    let i = centre.round() as usize;
    if i >= n {
        return String::new();
    }
    labels[n - 1 - i].clone()
}

fn short_cargo(c: &str) -> String {
    match c {
        "container" => "boxes".into(),
        "iron_ore" => "ore".into(),
        "crude_oil" => "crude".into(),
        "refined_products" => "products".into(),
        "liquid_chemicals" => "chem.".into(),
        "other_dry_bulk" => "dry bulk".into(),
        "steel_general" => "steel/gen.".into(),
        "ro_ro" => "ro-ro".into(),
        other => crate::model::cargo_words(other),
    }
}

#[cfg(test)]
mod tests {
    use super::{CATEGORY, RGBColor, cluster_title};

    /// CIE L*a*b* (D65) of an sRGB colour.
    fn lab(c: RGBColor) -> [f64; 3] {
        let lin = |u: u8| {
            let u = f64::from(u) / 255.0;
            if u <= 0.04045 {
                u / 12.92
            } else {
                ((u + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    /// The eleven cargo classes of a stacked bar get colours that tell apart: every two at
    /// least ΔE 25 apart (CIE 1976), and no more than one without hue (black) — the former
    /// shades had three greys and a beige (ΔE 19 between two greys).
    #[test]
    fn the_cargo_classes_colours_are_told_apart() {
        let classes: Vec<[f64; 3]> = CATEGORY[..11].iter().map(|&c| lab(c)).collect();
        for (i, a) in classes.iter().enumerate() {
            for (j, b) in classes.iter().enumerate().skip(i + 1) {
                let d = (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt();
                assert!(d >= 25.0, "colours {i} and {j}: ΔE {d:.1}");
            }
        }
        let grey = classes.iter().filter(|c| c[1].hypot(c[2]) < 15.0).count();
        assert!(grey <= 1, "{grey} near-greys");
    }

    #[test]
    fn the_cluster_title_counts_the_ports_drawn() {
        assert_eq!(cluster_title(6), "Cluster (6 ports)");
        assert_eq!(cluster_title(1), "Cluster (1 port)");
        assert_eq!(cluster_title(0), "Cluster");
    }
}
