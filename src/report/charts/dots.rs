//! A dot plot: one row per item, one marker per series (with an optional 95 % interval), an
//! optional limit per row, on a linear or log axis. It carries the per-terminal, per-corridor
//! and per-scenario charts, where bars of many series would crowd.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, FONT, Figure, colour, err};

/// A row's value and, optionally, its 95 % interval.
pub(crate) type Dot = (f64, Option<(f64, f64)>);

/// One series: a value (and optional interval) per row; `None` where it has none.
pub(crate) struct DotSeries {
    /// Legend name.
    pub name: String,
    /// (mean, interval) per row.
    pub values: Vec<Option<Dot>>,
}

/// A dot plot panel.
pub(crate) struct DotPlot {
    /// Panel title (may be empty).
    pub title: String,
    /// Row labels, top first.
    pub rows: Vec<String>,
    /// The series.
    pub series: Vec<DotSeries>,
    /// A limit per row (drawn as a black bar across the row), if any.
    pub limits: Vec<Option<f64>>,
    /// A vertical reference line (e.g. 0 for differences, 1 for demand multiples).
    pub reference: Option<f64>,
    /// Value axis title, with units.
    pub x_desc: String,
    /// Log scale (values ≤ `log_floor` are drawn at it).
    pub log_floor: Option<f64>,
    /// Legend text for the limit bars.
    pub limit_name: String,
}

impl DotPlot {
    fn extent(&self) -> (f64, f64) {
        let vals = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .flat_map(|(m, ci)| {
                let mut v = vec![*m];
                if let Some((lo, hi)) = ci {
                    v.push(*lo);
                    v.push(*hi);
                }
                v
            })
            .chain(self.limits.iter().flatten().copied())
            .chain(self.reference)
            .filter(|v| v.is_finite());
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in vals {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        match self.log_floor {
            Some(f) => (f, (hi * 2.0).max(f * 10.0)),
            None => {
                let lo = lo.min(0.0);
                let span = (hi - lo).max(1e-9);
                (
                    lo - 0.05 * span * f64::from(u8::from(lo < 0.0)),
                    hi + 0.08 * span,
                )
            }
        }
    }

    /// Pixel width of the row labels' area (≈ 8 px a character, at most 330).
    fn label_width(&self) -> u32 {
        (self
            .rows
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(4) as u32
            * 8
            + 16)
            .min(330)
    }

    /// Pixel width the panel needs beside others: its labels and a plot of at least 420 px
    /// (long corridor names would otherwise squeeze the plot to a strip).
    fn min_width(&self) -> u32 {
        560.max(self.label_width() + 440)
    }

    /// Pixel height the panel needs.
    pub fn height(&self) -> u32 {
        110 + 26 * self.rows.len() as u32 + 22 * self.series.len() as u32
    }

    fn draw_on<DB: DrawingBackend, X>(&self, area: &DrawingArea<DB, Shift>, x: X) -> DrawResult
    where
        X: plotters::coord::ranged1d::Ranged<ValueType = f64>
            + plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        let n = self.rows.len();
        let legend_h = 22 * self.series.len() as u32 + 10;
        let (plot, legend) = area.split_vertically(area.dim_in_pixel().1.saturating_sub(legend_h));
        let labels = self.rows.clone();
        let label_w = self.label_width();
        // One tick per ≈ 55 px of plot, so numbers never run into each other on narrow panels;
        // on a linear axis all with the decimals the tick spacing needs ("0.20 … 1.20", not
        // "0.20 … 1.2").
        let ticks = (plot.dim_in_pixel().0.saturating_sub(label_w + 20) / 55).clamp(3, 10) as usize;
        let range = x.range();
        let linear = self.log_floor.is_none();
        let number = move |v: f64| {
            if linear {
                super::axis_number(v, range.end - range.start, ticks)
            } else {
                super::log_axis_number(v)
            }
        };
        let mut b = ChartBuilder::on(&plot);
        b.margin(10)
            .x_label_area_size(44)
            .y_label_area_size(label_w);
        if !self.title.is_empty() {
            b.caption(&self.title, (FONT, 18));
        }
        let mut chart = b.build_cartesian_2d(x, 0.0..n as f64).map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|v| super::goals::bar_label(&labels, *v))
            .x_labels(ticks)
            .x_label_formatter(&|v| number(*v))
            .x_desc(self.x_desc.clone())
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let floor = self.log_floor.unwrap_or(f64::NEG_INFINITY);
        let clamp = |v: f64| v.max(floor);
        if let Some(r) = self.reference {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(r, 0.0), (r, n as f64)],
                    BLACK.stroke_width(1),
                )))
                .map_err(err)?;
        }
        let k = self.series.len().max(1) as f64;
        for (row, limit) in self.limits.iter().enumerate() {
            if let Some(l) = limit {
                let y = (n - 1 - row) as f64;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(clamp(*l), y + 0.1), (clamp(*l), y + 0.9)],
                        BLACK.stroke_width(3),
                    )))
                    .map_err(err)?;
            }
        }
        for (si, s) in self.series.iter().enumerate() {
            let c = colour(si);
            for (row, v) in s.values.iter().enumerate() {
                let Some((m, ci)) = v else { continue };
                if !m.is_finite() {
                    continue;
                }
                // Series sit side by side within the row, in legend order top to bottom.
                let y = (n - 1 - row) as f64 + 0.8 - 0.6 * (si as f64 + 0.5) / k;
                if let Some((lo, hi)) = ci {
                    if lo.is_finite() && hi.is_finite() {
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(clamp(*lo), y), (clamp(*hi), y)],
                                c.stroke_width(2),
                            )))
                            .map_err(err)?;
                    }
                }
                let at = (clamp(*m), y);
                match shape(si) {
                    None => chart
                        .draw_series(std::iter::once(Circle::new(at, 5, c.filled())))
                        .map(|_| ()),
                    Some(p) => chart
                        .draw_series(std::iter::once(
                            EmptyElement::at(at) + Polygon::new(p, c.filled()),
                        ))
                        .map(|_| ()),
                }
                .map_err(err)?;
            }
        }
        let mut ly = 4;
        for (si, s) in self.series.iter().enumerate() {
            let at = (24, ly + 8);
            match shape(si) {
                None => legend.draw(&Circle::new(at, 5, colour(si).filled())),
                Some(p) => {
                    legend.draw(&(EmptyElement::at(at) + Polygon::new(p, colour(si).filled())))
                }
            }
            .map_err(err)?;
            legend
                .draw(&Text::new(s.name.clone(), (40, ly), (FONT, 14)))
                .map_err(err)?;
            ly += 22;
        }
        if self.limits.iter().any(Option::is_some) {
            legend
                .draw(&PathElement::new(
                    vec![(300, 2), (300, 18)],
                    BLACK.stroke_width(3),
                ))
                .map_err(err)?;
            legend
                .draw(&Text::new(self.limit_name.clone(), (312, 4), (FONT, 14)))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Marker shapes by series, so series differ in black and white too: ●, ■, ◆, ⬢ (`None`: a
/// circle; otherwise a polygon's corners in pixels).
pub(crate) fn shape(si: usize) -> Option<Vec<(i32, i32)>> {
    match si % 4 {
        0 => None,
        1 => Some(vec![(-5, -5), (5, -5), (5, 5), (-5, 5)]),
        2 => Some(vec![(0, -7), (7, 0), (0, 7), (-7, 0)]),
        // A hexagon, not a triangle: triangles are the goals' markers.
        _ => Some(vec![(-6, 0), (-3, -5), (3, -5), (6, 0), (3, 5), (-3, 5)]),
    }
}

impl Figure for DotPlot {
    fn size(&self) -> (u32, u32) {
        (1100, self.height())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (lo, hi) = self.extent();
        match self.log_floor {
            Some(_) => {
                let x: plotters::coord::combinators::LogCoord<f64> = (lo..hi).log_scale().into();
                self.draw_on(area, x)
            }
            None => {
                let x: plotters::coord::types::RangedCoordf64 = (lo..hi).into();
                self.draw_on(area, x)
            }
        }
    }
}

/// Several dot plots as one figure, laid out in a grid of `cols` columns.
pub(crate) struct DotPanels {
    /// The panels, row by row.
    pub panels: Vec<DotPlot>,
    /// Columns of the grid.
    pub cols: usize,
}

impl DotPanels {
    /// Panels side by side.
    pub fn row(panels: Vec<DotPlot>) -> Self {
        let cols = panels.len().max(1);
        DotPanels { panels, cols }
    }

    fn row_height(&self) -> u32 {
        self.panels.iter().map(DotPlot::height).max().unwrap_or(300)
    }
}

impl Figure for DotPanels {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(self.cols.max(1)) as u32;
        let col_w = self
            .panels
            .iter()
            .map(DotPlot::min_width)
            .max()
            .unwrap_or(560);
        (1100.max(col_w * self.cols as u32), rows * self.row_height())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let rows = self.panels.len().div_ceil(self.cols.max(1));
        let cells = area.split_evenly((rows, self.cols.max(1)));
        for (p, cell) in self.panels.iter().zip(cells.iter()) {
            p.draw(cell)?;
        }
        Ok(())
    }
}
