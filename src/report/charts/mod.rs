//! Charts for reviewers, drawn with plotters from saved results ([`Saved`]) as SVG and PNG.
//!
//! Text is drawn with DejaVu Sans compiled into the binary (no system font library is needed);
//! SVGs keep text as `<text>` so names and axis titles stay searchable. Every chart uses
//! colour *and* marker shape or position to tell series apart, so it reads in black and white.
//!
//! Each chart is a `Figure`: something that draws itself on any plotters backend. It is drawn
//! twice, to an SVG string and to an RGB buffer encoded as PNG; both are deterministic, so the
//! same results give byte-identical charts.

mod dots;
mod events;
mod experiments;
pub(crate) use experiments::MAX_POINTS_SHOWN;
mod goals;
pub(crate) use goals::stem_of;
pub(crate) use quay::planning_limits_of;
mod land;
mod map;
pub(crate) mod projects;
mod quay;
mod rail;
mod year;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::saved::Saved;
use crate::error::{Error, Result};

/// A chart ready to write: `charts/<stem>.svg` and `charts/<stem>.png`.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem, e.g. `throughput-goals-teu`.
    pub stem: String,
    /// Title (also the report's heading for it).
    pub title: String,
    /// One line on what to read in it.
    pub caption: String,
    /// The SVG text.
    pub svg: String,
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// The error type of a figure's drawing code (plotters errors, as text).
pub(crate) type DrawResult = std::result::Result<(), String>;

/// Something that draws itself on a plotters drawing area.
pub(crate) trait Figure {
    /// Pixel size.
    fn size(&self) -> (u32, u32) {
        (1100, 650)
    }
    /// Draws on the (already white) area.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Turns a plotters error into text.
pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The font family every chart uses (registered from the embedded TTF).
pub(crate) const FONT: &str = "sans-serif";

static FONT_BYTES: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

fn register_font() -> Result<()> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
            && plotters::style::register_font(FONT, FontStyle::Bold, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Other("cannot load the embedded chart font".into()))
    }
}

/// Series colours: Okabe–Ito, distinguishable with the common colour-vision deficiencies.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// The colour of series `i`.
pub(crate) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Draws a figure as SVG and PNG.
pub(crate) fn render(stem: &str, title: &str, caption: &str, fig: &impl Figure) -> Result<Chart> {
    register_font()?;
    let (w, h) = fig.size();
    let fail = |e: String| Error::Other(format!("chart {stem}: {e}"));
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(err).map_err(fail)?;
        fig.draw(&area).map_err(fail)?;
        area.present().map_err(err).map_err(fail)?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(err).map_err(fail)?;
        fig.draw(&area).map_err(fail)?;
        area.present().map_err(err).map_err(fail)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| fail(e.to_string()))?;
    Ok(Chart {
        stem: stem.to_string(),
        title: title.to_string(),
        caption: caption.to_string(),
        svg,
        png,
    })
}

use image::ImageEncoder;

/// Every chart the saved results support, in report order.
///
/// # Errors
/// [`Error::Other`] if a chart cannot be drawn.
pub fn build(saved: &Saved) -> Result<Vec<Chart>> {
    let mut charts = Vec::new();
    charts.extend(goals::throughput_goals(saved)?);
    charts.extend(goals::throughput_by_cargo(saved)?);
    charts.extend(map::cluster_map(saved)?);
    charts.extend(quay::occupancy(saved)?);
    charts.extend(quay::wait_ratio(saved)?);
    charts.extend(quay::terminal_wait_ratio(saved)?);
    charts.extend(quay::wait_causes(saved)?);
    charts.extend(quay::wait_distribution(saved)?);
    charts.extend(land::yard_year(saved)?);
    charts.extend(year::year_as_it_passed(saved)?);
    charts.extend(rail::rail(saved)?);
    charts.extend(rail::sea_rail_years(saved)?);
    charts.extend(rail::corridor_modes(saved)?);
    charts.extend(land::emissions(saved)?);
    charts.extend(events::queue_around_events(saved)?);
    charts.extend(experiments::comparison(saved)?);
    charts.extend(experiments::capacity(saved)?);
    charts.extend(experiments::sweep_curve(saved)?);
    charts.extend(experiments::sweep_points(saved)?);
    charts.extend(experiments::sensitivity(saved)?);
    charts.extend(projects::from_saved(saved)?);
    Ok(charts)
}

/// A short axis number: 1234567 → "1.2M", 0.25 → "0.25".
pub(crate) fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A number on a linear axis spanning `span` with about `ticks` ticks: every tick in one unit
/// (thousands as "k", millions as "M" where the axis spans that much) and with the decimals
/// the tick spacing needs, and no "-0.00".
pub(crate) fn axis_number(v: f64, span: f64, ticks: usize) -> String {
    if span.is_nan() || span <= 0.0 || !v.is_finite() {
        return short(v);
    }
    let (unit, suffix) = if span >= 1e6 {
        (1e6, "M")
    } else if span >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let step = span / unit / ticks.max(1) as f64;
    let decimals = (-step.log10()).ceil().clamp(0.0, 4.0) as usize;
    let text = format!("{:.decimals$}", v / unit);
    // A value a rounding error below zero prints as "-0.00".
    let text = if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    };
    // Zero needs no unit.
    if text.chars().all(|c| c == '0' || c == '.') {
        text
    } else {
        text + suffix
    }
}

/// A number on a log axis: three significant figures at most, no trailing zeros ("0.02",
/// "0.2", "1", "1.5", "20"), large values as [`short`] writes them.
pub(crate) fn log_axis_number(v: f64) -> String {
    if v.abs() >= 1e4 || v <= 0.0 || !v.is_finite() {
        return short(v);
    }
    let decimals = (2.0 - v.log10().floor()).clamp(0.0, 12.0) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// How a port row is labelled: `ALL` is the cluster.
pub(crate) fn port_label(port: &str) -> String {
    if port == "ALL" {
        "cluster".into()
    } else {
        port.to_string()
    }
}

/// Draws a chart's series legend in a boxed white panel at `pos`.
pub(crate) fn series_legend<'a, DB: DrawingBackend + 'a, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    pos: SeriesLabelPosition,
) -> DrawResult
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
{
    chart
        .configure_series_labels()
        .position(pos)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(err)
}

/// The upper end of an axis that shows `max` with headroom (at least `floor`).
pub(crate) fn headroom(max: f64, floor: f64) -> f64 {
    let m = if max.is_finite() { max } else { 0.0 };
    (m * 1.12).max(floor)
}

#[cfg(test)]
mod tests {
    use super::{axis_number, log_axis_number};

    #[test]
    fn axis_numbers_share_their_decimals_and_never_read_minus_zero() {
        // 0 to 1.4 in 7 ticks: steps of 0.2, one decimal for every tick.
        let labels: Vec<String> = [0.2, 1.0, 1.2].map(|v| axis_number(v, 1.4, 7)).into();
        assert_eq!(labels, ["0.2", "1.0", "1.2"]);
        // Δ wait/service over 0.07: steps of 0.01, and a rounding error below zero is 0.
        assert_eq!(axis_number(-0.06, 0.07, 7), "-0.06");
        assert_eq!(axis_number(-1e-17, 0.07, 7), "0.00");
        // Large values in one unit along the axis: not "5000 … 10k".
        let labels: Vec<String> = [0.0, 5_000.0, 10_000.0]
            .map(|v| axis_number(v, 12_000.0, 6))
            .into();
        assert_eq!(labels, ["0", "5k", "10k"]);
        assert_eq!(axis_number(1_250_000.0, 2e6, 5), "1.2M");
    }

    #[test]
    fn log_axis_numbers_have_no_trailing_zeros() {
        let labels = [0.01, 0.2, 1.0, 1.5, 20.0, 300.0].map(log_axis_number);
        assert_eq!(labels, ["0.01", "0.2", "1", "1.5", "20", "300"]);
    }
}
