//! The map of the cluster: the Liaoning coast, the six ports and their port areas, each port's
//! throughput against its goal, the waiting of its cargo class nearest (or furthest past) that
//! class's own planning limit, and the rail corridors towards their regions with their trains —
//! a panel per scenario, last design year.
//!
//! The coast is Natural Earth 1:10m (public domain) from the `world-atlas` npm package, cut to
//! the map's rectangle and simplified by `tools/coast/prepare.py`; `assets/map/README.md`
//! states the source, the licences and the command that regenerates it. It is compiled in: the
//! map needs no network and no tiles. The projection is equirectangular with a cos(40° N)
//! aspect, so a degree of latitude and of longitude keep their true ratio mid-map.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::quay::planning_limits_of;
use super::{Chart, DrawResult, FONT, Figure, colour, err, render};
use crate::error::Result;
use crate::model::{Bound, cargo_words};
use crate::report::corridors::CorridorNames;
use crate::report::saved::Saved;

/// A drawing area in pixels.
type Area<DB> = DrawingArea<DB, Shift>;

/// The coast: `L` land rings and `B` border lines of `lon,lat` pairs (see `assets/map/`).
const COAST: &str = include_str!("../../../assets/map/coast.txt");
/// The map's rectangle, longitude east (the cut of the coast asset).
const LON: (f64, f64) = (117.5, 126.5);
/// The map's rectangle, latitude north.
const LAT: (f64, f64) = (37.0, 43.0);

/// A port on the map: (name as scenarios spell it, lat ° N, lon ° E, its label box's corner
/// (lon, lat), whether the box lies right of that corner rather than left).
type PortSite = (&'static str, f64, f64, (f64, f64), bool);

/// The six ports, from `liaoning-ports-facts-2.md` §7 (source ids as there).
const PORTS: [PortSite; 6] = [
    // "Dalian Wan", NGA World Port Index 60250 [S344] (grade A): the old port on Dalian Bay.
    ("Dalian", 38.917, 121.667, (122.3, 38.62), true),
    // Bayuquan, WPI 60230 [S344]: Yingkou's main area in the scenarios (with Xianrendao); the
    // old river port (WPI 60220) is drawn as a port area.
    ("Yingkou", 40.300, 122.083, (122.0, 39.95), false),
    // "Jinzhou Wan", WPI 60215 [S344] (the company profile [S87] gives 40.800 / 121.067).
    ("Jinzhou", 40.750, 121.100, (121.7, 40.58), false),
    // Dadong, WPI 60233 [S344].
    ("Dandong", 39.817, 124.150, (123.45, 39.35), true),
    // ASSUMPTION (grade D, schematic): no published coordinates for Panjin's Rongxing area were
    // found (facts §7). The Panjin government places its port district "on the right bank of the
    // estuary of Daliao River", across it from Yingkou (en.pjldwxq.gov.cn): so here, on the west
    // bank of the mouth, opposite Yingkou's old port; good to ±10 km, enough for this map.
    ("Panjin", 40.700, 122.050, (121.5, 41.45), true),
    // "Huludao Gang", WPI 60210 [S344].
    ("Huludao", 40.700, 120.983, (120.5, 40.95), false),
];

/// Port areas with published coordinates, drawn as small rings: (name, lat, lon, the label's
/// offset in pixels (a negative x right-aligns it)).
const AREAS: [(&str, f64, f64, Px); 4] = [
    // Lüshun, WPI 60240 [S344] (Dalian's western area).
    ("Lüshun", 38.783, 121.250, (-6, -6)),
    // Dalian LNG at Dagushan / Nianyu Bay [S346] (grade C; the facts file sets aside another
    // dataset's 38.90 / 121.65).
    ("Dagushan LNG", 39.00, 121.86, (6, -6)),
    // Xianrendao crude terminal [S342] (grade C), Yingkou's energy area.
    ("Xianrendao", 40.210, 121.953, (-6, -6)),
    // Yingkou old port (Newchwang), WPI 60220 [S344].
    ("Yingkou old port", 40.683, 122.233, (-6, 6)),
];

/// A region's end of the lines (the scenarios' `[[regions]]` carry no coordinates): (region as
/// scenarios name it, place named on the map, where the lines end (lon, lat) — the place, or
/// where the way to it leaves the map —, whether that is on the map's edge (an arrow) rather
/// than the place (a square), a point the lines pass on the way, the label's offset from the
/// end in pixels (its top-left corner; a negative x right-aligns it)).
type RegionSite = (&'static str, &'static str, Lonlat, bool, Option<Lonlat>, Px);

/// A point as (lon ° E, lat ° N).
type Lonlat = (f64, f64);
/// A point in pixels.
type Px = (i32, i32);
/// A plot area's size in pixels.
type Dim = (u32, u32);
/// A line on the map: (port index, region index, trains).
type Line = (usize, usize, f64);

/// A city or direction for each region (assumptions, to ±5 km; a schematic map).
#[rustfmt::skip]
const REGIONS: [RegionSite; 6] = [
    // Shenyang, the provincial capital, north end of the Anshan–Shenyang core that the
    // scenarios' road distances are measured to.
    ("South and central Liaoning", "Shenyang", (123.43, 41.80), false, None, (-8, -50)),
    // Changchun (43.88 N, 125.32 E, off the map): the lines leave by the top edge on its bearing
    // from the ports, the Harbin–Dalian railway's way [S254].
    ("Jilin and Heilongjiang", "Changchun, Harbin", (125.0, 43.0), true, None, (10, 6)),
    // Chifeng: the Chifeng–Suizhong coal line [S262] and Jinzhou's line to Chifeng [S259].
    ("Eastern Inner Mongolia", "Chifeng", (118.96, 42.27), false, None, (8, -8)),
    // Fuxin, an inland city the region's description names (Chaoyang lies by Chifeng's line).
    ("Western Liaoning", "Fuxin", (121.67, 42.02), false, None, (-8, -8)),
    // Kuandian on the Yalu, ≈ 90 km by road from Dandong as the scenarios' `road_km` has it.
    ("Eastern Liaoning", "Kuandian", (124.78, 40.73), false, None, (8, -8)),
    // Manzhouli (49.6 N, 117.4 E): the central corridor [S47] runs to the Shenyang hub, then
    // leaves the map northwards, on its way to Manzhouli (schematic: not the track).
    ("Europe", "Manzhouli", (123.3, 43.0), true, Some((123.43, 41.80)), (-10, 6)),
];

/// The waiting limit where nothing else gives one: 0.3 of service, the planning limit of dry
/// bulk and tankers in the built-in scenarios' `[planning] wait_ratio_max`.
const DEFAULT_LIMIT: f64 = 0.3;
/// Most panels drawn (the caption says when scenarios are left out).
const MAX_PANELS: usize = 4;
/// The waiting classes' colours: the palette's bluish green, orange and vermillion.
const CLASS_COLOUR: [usize; 3] = [2, 4, 1];
/// The sea's colour.
const SEA: RGBColor = RGBColor(222, 235, 247);
/// The land's colour.
const LAND: RGBColor = RGBColor(243, 240, 232);
/// The coastline's colour.
const SHORE: RGBColor = RGBColor(110, 120, 130);
/// The rail lines' colour.
const RAIL: RGBColor = RGBColor(0, 100, 160);
/// Dark grey, for the bars and the text beside symbols.
const INK: RGBColor = RGBColor(50, 50, 50);

/// One port in one scenario's panel.
struct PortView {
    /// Index into [`PORTS`].
    site: usize,
    /// Throughput, Mt.
    mt: f64,
    /// Its throughput goals, Mt, with their bounds.
    goals: Vec<(Bound, f64)>,
    /// Its waiting as judged: the cargo class furthest towards (or past) its own limit.
    worst: Option<Judged>,
}

/// A port's waiting as the map judges it: one cargo class (or all its cargo, where no class
/// has a limit) against its limit.
#[derive(Clone, Debug, PartialEq)]
struct Judged {
    /// The cargo class's words ("liquid chemicals"), or "all cargo".
    what: String,
    /// Mean wait / mean service.
    wait: f64,
    /// The limit on that.
    limit: f64,
}

/// One scenario's map.
struct Panel {
    /// The scenario.
    scenario: String,
    /// Its ports on the map.
    ports: Vec<PortView>,
    /// (port index, region index, trains): corridors summed per port and region.
    lines: Vec<Line>,
    /// The cluster's line of text (throughput, goal, waiting), and what the map cannot place.
    notes: Vec<String>,
}

/// The figure: a panel per scenario, one under another, and a legend under them.
struct ClusterMap {
    /// The design year drawn.
    year: u16,
    /// The panels.
    panels: Vec<Panel>,
    /// What a full bar stands for, Mt (one scale for every panel).
    bar_max: f64,
    /// The most trains on one line (the widest line).
    trains_max: f64,
}

/// The map of the cluster in the last design year, a panel per scenario; none when no scenario
/// has one of the six ports.
pub(crate) fn cluster_map(saved: &Saved) -> Result<Vec<Chart>> {
    let Some(&year) = saved.years().last() else {
        return Ok(Vec::new());
    };
    let scenarios = saved.scenarios();
    // Each scenario's own limits (a scenario may set its own).
    let panels: Vec<Panel> = (scenarios.iter().take(MAX_PANELS))
        .map(|s| panel(saved, s, year, &planning_limits_of(saved, s)))
        .filter(|p| !p.ports.is_empty())
        .collect();
    if panels.is_empty() {
        return Ok(Vec::new());
    }
    let all = panels.iter().flat_map(|p| &p.ports);
    let highs = all.flat_map(|v| v.goals.iter().map(|g| band(g.0, g.1).1).chain([v.mt]));
    let bar_max = highs.fold(1.0, f64::max);
    let trains = panels.iter().flat_map(|p| &p.lines).map(|l| l.2);
    let trains_max = trains.fold(1.0, f64::max);
    let mut caption = format!(
        "Each port in {year}: the bar is its throughput (Mt, one scale; the tick its goal), the marker its cargo class furthest towards its own planning limit on waiting, named in its box (● every class under ¾ of its limit, ▲ one at ¾ of it or more, ■ one over it), the lines its rail corridors to their regions (width: trains). Coast: Natural Earth; Panjin's place is schematic."
    );
    if scenarios.len() > MAX_PANELS {
        let n = scenarios.len();
        let more = format!(" The first {MAX_PANELS} of {n} scenarios are drawn.");
        caption.push_str(&more);
    }
    let title = format!("The cluster on the map, {year}");
    let fig = ClusterMap {
        year,
        panels,
        bar_max,
        trains_max,
    };
    Ok(vec![render("map", &title, &caption, &fig)?])
}

/// Planning limits on waiting by cargo class.
type Limits = BTreeMap<String, f64>;

/// One scenario's ports, corridors and notes.
fn panel(saved: &Saved, scenario: &str, year: u16, classes: &Limits) -> Panel {
    let goals = |port: &str| -> Vec<(Bound, f64)> {
        (saved.targets.iter())
            .filter(|t| t.scenario == scenario && t.year == year && t.port == port)
            .filter(|t| t.cargo == "ALL" && t.metric == "throughput_t")
            .map(|t| (t.bound, t.target / 1e6))
            .collect()
    };
    let mean = |port: &str, metric: &str| {
        let r = saved.get(scenario, year, port, "ALL", metric)?;
        r.mean.is_finite().then_some(r.mean)
    };
    let (mut ports, mut lost) = (Vec::new(), Vec::new());
    for name in saved.ports() {
        let Some(t) = mean(&name, "throughput_t") else {
            continue;
        };
        let Some(site) = PORTS.iter().position(|p| p.0 == name) else {
            lost.push(name);
            continue;
        };
        ports.push(PortView {
            site,
            mt: t / 1e6,
            goals: goals(&name),
            worst: worst_class(saved, scenario, year, &name, classes),
        });
    }
    let total = mean("ALL", "throughput_t").map(|t| format!(": {} Mt", mt(t / 1e6)));
    let mut cluster = format!("Cluster{}", total.unwrap_or_default());
    if let Some(g) = goal_text(&goals("ALL")) {
        cluster.push_str(&format!(" / goal {g}"));
    }
    if let Some(w) = mean("ALL", "wait_ratio") {
        cluster.push_str(&format!(" · wait {w:.2} of service"));
    }
    let lines = corridor_lines(saved, scenario, year, &mut lost);
    let mut notes = vec![cluster];
    notes.extend((!lost.is_empty()).then(|| format!("Not on the map: {}", lost.join(", "))));
    Panel {
        scenario: scenario.to_string(),
        ports,
        lines,
        notes,
    }
}

/// A scenario's rail corridors summed per (port, region); each corridor's region is read from
/// the scenario's `[[corridors]]`. Corridors the map cannot place are added to `lost`.
fn corridor_lines(saved: &Saved, scenario: &str, year: u16, lost: &mut Vec<String>) -> Vec<Line> {
    let table = saved.scenario_table_named(scenario);
    let corridors = table.as_ref().and_then(|t| t.get("corridors")?.as_array());
    let region_of = |corridor: &str| -> Option<usize> {
        let named = |c: &&toml::Value| c.get("name").and_then(|n| n.as_str()) == Some(corridor);
        let region = corridors?.iter().find(named)?.get("region")?.as_str()?;
        REGIONS.iter().position(|g| g.0 == region)
    };
    let mut sums: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for r in (saved.rows.iter()).filter(|r| r.labels.is_empty() && r.metric == "trains") {
        let Some((port, corridor)) = r.port.split_once("/rail:") else {
            continue;
        };
        if r.scenario != scenario || r.year != year || r.cargo != "ALL" || !r.mean.is_finite() {
            continue;
        }
        match (PORTS.iter().position(|s| s.0 == port), region_of(corridor)) {
            (Some(p), Some(g)) => *sums.entry((p, g)).or_insert(0.0) += r.mean,
            _ => lost.push(CorridorNames::of(saved).name(scenario, &r.port)),
        }
    }
    let lines = sums.into_iter().map(|((p, g), t)| (p, g, t));
    lines.filter(|l| l.2 > 0.0).collect()
}

/// A port's waiting by its cargo classes, as the congestion findings judge them: each class
/// against its own planning limit (the scenario's `[planning] wait_ratio_max`) — here a goal on
/// that class's waiting at this port takes its place, and the port's waiting as a whole is
/// judged against a goal on it, where the scenario sets one (the findings use the planning
/// limits alone); the one with the largest wait / limit (the first on a tie). Where none has a limit, all
/// its cargo against the cluster's goal on waiting, else [`DEFAULT_LIMIT`]. None without a
/// waiting ratio.
fn worst_class(
    saved: &Saved,
    scenario: &str,
    year: u16,
    port: &str,
    classes: &Limits,
) -> Option<Judged> {
    let goal = |p: &str, cargo: &str| {
        (saved.targets.iter())
            .find(|t| {
                (t.scenario == scenario && t.year == year && t.port == p && t.cargo == cargo)
                    && (t.metric == "wait_ratio" && t.bound == Bound::AtMost)
            })
            .map(|t| t.target)
    };
    let rows = saved.rows.iter().filter(|r| {
        (r.labels.is_empty() && r.scenario == scenario && r.year == year && r.port == port)
            && (r.metric == "wait_ratio" && r.mean.is_finite())
    });
    let judged = rows.filter_map(|r| {
        let limit = if r.cargo == "ALL" {
            goal(port, "ALL")?
        } else {
            goal(port, &r.cargo).or_else(|| classes.get(&r.cargo).copied())?
        };
        let what = match r.cargo.as_str() {
            "ALL" => "all cargo".to_string(),
            c => cargo_words(c),
        };
        (limit > 0.0).then_some(Judged {
            what,
            wait: r.mean,
            limit,
        })
    });
    let worst = judged.fold(None, |best: Option<Judged>, j| match best {
        Some(b) if b.wait / b.limit >= j.wait / j.limit => Some(b),
        _ => Some(j),
    });
    worst.or_else(|| {
        let all = saved.get(scenario, year, port, "ALL", "wait_ratio")?;
        all.mean.is_finite().then(|| Judged {
            what: "all cargo".into(),
            wait: all.mean,
            limit: goal("ALL", "ALL").unwrap_or(DEFAULT_LIMIT),
        })
    })
}

/// Mt as drawn: whole Mt from 100 up, one decimal below.
fn mt(v: f64) -> String {
    format!("{v:.*}", usize::from(v.abs() < 100.0))
}

/// Goals as text: "≥ 350", "≤ 350", "760 ±5 %", or "804–836" for a pair of bounds.
fn goal_text(goals: &[(Bound, f64)]) -> Option<String> {
    let find = |b: Bound| goals.iter().find(|g| g.0 == b).map(|g| mt(g.1));
    let within = goals.iter().find_map(|g| match g.0 {
        Bound::Within { tolerance } => Some(format!("{} ±{:.0} %", mt(g.1), 100.0 * tolerance)),
        _ => None,
    });
    match (find(Bound::AtLeast), find(Bound::AtMost)) {
        _ if within.is_some() => within,
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        (Some(a), None) => Some(format!("≥ {a}")),
        (None, b) => b.map(|b| format!("≤ {b}")),
    }
}

/// The band a goal accepts, where it is a figure within a tolerance (else the figure alone).
fn band(bound: Bound, goal: f64) -> (f64, f64) {
    let Bound::Within { tolerance: t } = bound else {
        return (goal, goal);
    };
    (goal * (1.0 - t), goal * (1.0 + t))
}

/// Waiting against the limit: 0 under ¾ of it, 1 up to it, 2 over it.
fn class(wait: f64, limit: f64) -> usize {
    usize::from(wait >= 0.75 * limit) + usize::from(wait > limit)
}

/// Thousands with a separator: 19034 → "19,034".
fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.max(0.0));
    let comma = |i: usize| (i > 0 && (s.len() - i) % 3 == 0).then_some(',');
    let digits = s.char_indices();
    digits
        .flat_map(|(i, c)| comma(i).into_iter().chain([c]))
        .collect()
}

/// The embedded coast: ("L" land ring or "B" border line, its points); comments ("#") left out.
fn coast() -> Vec<(&'static str, Vec<Lonlat>)> {
    let point = |p: &str| {
        let (x, y) = p.split_once(',')?;
        Some((x.parse().ok()?, y.parse().ok()?))
    };
    let lines = COAST.lines().filter_map(|l| l.split_once(' '));
    let parse = |(kind, pts): (&'static str, &'static str)| {
        (kind, pts.split_whitespace().filter_map(point).collect())
    };
    lines.filter(|l| l.0 != "#").map(parse).collect()
}

/// The chart's width: a panel's labels and boxes are sized for a map this wide, so panels are
/// stacked, not shrunk side by side (at half the width they would crowd Liaodong Bay).
const WIDTH: u32 = 1100;
/// A panel's title strip, pixels.
const TITLE_H: u32 = 30;
/// The margin round a panel's plot, pixels.
const MARGIN: u32 = 8;
/// The longitude labels' strip under a plot, pixels.
const AXIS_X: u32 = 24;
/// The latitude labels' strip left of a plot, pixels.
const AXIS_Y: u32 = 46;
/// The legend's height under the panels, pixels.
const LEGEND_H: u32 = 100;
/// A full throughput bar, pixels.
const BAR: i32 = 70;
/// A bar's empty track.
const TRACK: RGBColor = RGBColor(222, 222, 222);
/// The frames of the plot and the label boxes.
const FRAME: RGBColor = RGBColor(150, 150, 150);

/// East–west length of a degree against north–south: the cosine of the middle latitude.
fn aspect() -> f64 {
    ((LAT.0 + LAT.1) / 2.0).to_radians().cos()
}

/// (lon, lat) → pixels in a plot area of size `dim`.
fn px(dim: Dim, (lon, lat): Lonlat) -> Px {
    let x = (lon - LON.0) / (LON.1 - LON.0) * f64::from(dim.0);
    let y = (LAT.1 - lat) / (LAT.1 - LAT.0) * f64::from(dim.1);
    (x.round() as i32, y.round() as i32)
}

/// The chart font at `size` pixels.
fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size))
}

/// Draws an element on an area, turning plotters' error into text.
macro_rules! put {
    ($area:expr, $e:expr) => {
        $area.draw(&$e).map_err(err)?
    };
}

/// Draws text with its top-left corner at `at`.
fn text<DB: DrawingBackend>(a: &Area<DB>, t: &str, at: Px, s: &TextStyle) -> DrawResult {
    a.draw(&Text::new(t, at, s.clone())).map_err(err)
}

/// The width `t` takes in style `s`, pixels.
fn width<DB: DrawingBackend>(a: &Area<DB>, t: &str, s: &TextStyle) -> Result<i32, String> {
    a.estimate_text_size(t, s).map(|d| d.0 as i32).map_err(err)
}

/// A rectangle from corner `p` to corner `q`.
fn rect<DB: DrawingBackend>(a: &Area<DB>, p: Px, q: Px, s: ShapeStyle) -> DrawResult {
    a.draw(&Rectangle::new([p, q], s)).map_err(err)
}

/// A line through `pts`.
fn line<DB: DrawingBackend>(a: &Area<DB>, pts: Vec<Px>, s: ShapeStyle) -> DrawResult {
    a.draw(&PathElement::new(pts, s)).map_err(err)
}

impl ClusterMap {
    /// (panels, panel height): the panels stand one under another, each as wide as the chart.
    fn grid(&self) -> (u32, u32) {
        let plot_w = f64::from(WIDTH - AXIS_Y - 2 * MARGIN);
        let plot_h = (plot_w * (LAT.1 - LAT.0) / ((LON.1 - LON.0) * aspect())).round() as u32;
        (
            self.panels.len() as u32,
            TITLE_H + plot_h + AXIS_X + 2 * MARGIN,
        )
    }

    /// The width of a line carrying `trains`, pixels (square-root scale).
    fn line_width(&self, trains: f64) -> u32 {
        (1.5 + 5.0 * (trains / self.trains_max).sqrt()).round() as u32
    }
}

impl Figure for ClusterMap {
    fn size(&self) -> (u32, u32) {
        let (rows, h) = self.grid();
        (WIDTH, rows * h + LEGEND_H)
    }

    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult {
        let (rows, h) = self.grid();
        let (grid, legend) = area.split_vertically(rows * h);
        let cells = grid.split_evenly((rows as usize, 1));
        for (p, cell) in self.panels.iter().zip(&cells) {
            self.draw_panel(p, cell)?;
        }
        self.draw_legend(&legend)
    }
}

impl ClusterMap {
    /// One scenario's map: title, axes, sea, land, graticule, lines, port areas, ports, notes.
    fn draw_panel<DB: DrawingBackend>(&self, p: &Panel, cell: &Area<DB>) -> DrawResult {
        let (title, body) = cell.split_vertically(TITLE_H);
        let head = format!("{} — {}", p.scenario, self.year);
        text(&title, &head, ((MARGIN + AXIS_Y) as i32, 8), &font(18))?;
        let mut chart = ChartBuilder::on(&body)
            .margin(MARGIN)
            .x_label_area_size(AXIS_X)
            .y_label_area_size(AXIS_Y)
            .build_cartesian_2d(LON.0..LON.1, LAT.0..LAT.1)
            .map_err(err)?;
        let plot = chart.plotting_area().strip_coord_spec();
        let dim = plot.dim_in_pixel();
        draw_base(&plot, dim)?;
        // The graticule over sea and land: whole degrees (9 and 7 steps fit the label counts).
        (chart.configure_mesh())
            .x_labels(10)
            .y_labels(7)
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&|v| format!("{v:.0}°E"))
            .y_label_formatter(&|v| format!("{v:.0}°N"))
            .label_style((FONT, 12))
            .draw()
            .map_err(err)?;
        self.draw_lines(p, &plot, dim)?;
        let small = font(11).color(&INK);
        for &(name, lat, lon, (dx, dy)) in &AREAS {
            let (x, y) = px(dim, (lon, lat));
            put!(plot, Circle::new((x, y), 3, INK.stroke_width(1)));
            let w = if dx < 0 {
                width(&plot, name, &small)?
            } else {
                0
            };
            text(&plot, name, (x + dx - w, y + dy), &small)?;
        }
        for v in &p.ports {
            self.draw_port(v, &plot, dim)?;
        }
        for (i, n) in p.notes.iter().enumerate() {
            let y = dim.1 as i32 - 8 - 18 * (p.notes.len() - i) as i32;
            let w = width(&plot, n, &font(13))?;
            rect(
                &plot,
                (6, y - 3),
                (14 + w, y + 15),
                WHITE.mix(0.88).filled(),
            )?;
            text(&plot, n, (10, y), &font(13))?;
        }
        Ok(())
    }
}

/// Sea, land, coastline, borders and the frame.
fn draw_base<DB: DrawingBackend>(plot: &Area<DB>, dim: Dim) -> DrawResult {
    plot.fill(&SEA).map_err(err)?;
    let coast = coast();
    let to_px = |l: &Vec<Lonlat>| -> Vec<Px> { l.iter().map(|&q| px(dim, q)).collect() };
    for (_, ring) in coast.iter().filter(|c| c.0 == "L") {
        put!(plot, Polygon::new(to_px(ring), LAND.filled()));
    }
    // The coastline: the rings' edges (those the cut laid along the frame lie under it).
    for (_, ring) in coast.iter().filter(|c| c.0 == "L") {
        let mut pts = to_px(ring);
        pts.push(pts[0]);
        line(plot, pts, SHORE.stroke_width(1))?;
    }
    let dash = RGBColor(90, 90, 90).stroke_width(1);
    for (_, b) in coast.iter().filter(|c| c.0 == "B") {
        put!(plot, DashedPathElement::new(to_px(b), 5, 3, dash));
    }
    let (w, h) = (dim.0 as i32 - 1, dim.1 as i32 - 1);
    rect(plot, (0, 0), (w, h), FRAME.stroke_width(1))
}

impl ClusterMap {
    /// The rail lines, widest first, and at each region's end its name and every port's trains.
    fn draw_lines<DB: DrawingBackend>(&self, p: &Panel, plot: &Area<DB>, dim: Dim) -> DrawResult {
        let mut order: Vec<&Line> = p.lines.iter().collect();
        order.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut ends: BTreeMap<usize, Vec<(usize, f64)>> = BTreeMap::new();
        for &&(pi, gi, trains) in &order {
            let (port, (_, _, end, _, via, _)) = (&PORTS[pi], REGIONS[gi]);
            let mut pts = vec![px(dim, (port.2, port.1))];
            pts.extend(via.map(|v| px(dim, v)));
            pts.push(px(dim, end));
            let w = self.line_width(trains);
            if via.is_some() {
                // Dashed, so it shows along the line it shares to the hub.
                let dashed = DashedPathElement::new(pts, 7, 4, BLACK.stroke_width(w));
                put!(plot, dashed);
            } else {
                line(plot, pts, RAIL.mix(0.8).stroke_width(w))?;
            }
            ends.entry(gi).or_default().push((pi, trains));
        }
        for (gi, mut list) in ends {
            let (name, place, end, edge, _, label) = REGIONS[gi];
            let (x, y) = px(dim, end);
            if edge {
                let tip = vec![(x, y), (x - 7, y + 12), (x + 7, y + 12)];
                put!(plot, Polygon::new(tip, RAIL.filled()));
            } else {
                rect(plot, (x - 4, y - 4), (x + 4, y + 4), BLACK.filled())?;
            }
            list.sort_by_key(|l| l.0);
            let (big, small) = (font(13), font(11).color(&INK));
            let mut rows = vec![(place.to_string(), &big), (name.to_string(), &small)];
            let each = |(i, t): &(usize, f64)| format!("{} {}", PORTS[*i].0, thousands(*t));
            rows.extend(list.iter().map(|l| (each(l), &big)));
            let mut widths = rows.iter().map(|(t, s)| width(plot, t, s));
            let w = widths.try_fold(0, |m, w| w.map(|w| m.max(w)))?;
            let x0 = x + label.0 - if label.0 < 0 { w } else { 0 };
            let (x0, y0) = (x0.clamp(2, dim.0 as i32 - w - 4), y + label.1);
            let (white, h) = (WHITE.mix(0.88).filled(), 14 * rows.len() as i32 + 2);
            rect(plot, (x0 - 3, y0 - 2), (x0 + w + 3, y0 + h), white)?;
            for (i, (t, s)) in rows.iter().enumerate() {
                text(plot, t, (x0, y0 + 14 * i as i32), s)?;
            }
        }
        Ok(())
    }

    /// A port: a leader line to its label box (name, waiting, the throughput bar with the
    /// goal's tick, the figures), then its marker (shape and colour by waiting class).
    fn draw_port<DB: DrawingBackend>(&self, v: &PortView, plot: &Area<DB>, dim: Dim) -> DrawResult {
        let (name, lat, lon, corner, right) = PORTS[v.site];
        let at = px(dim, (lon, lat));
        let wait = (v.worst.as_ref())
            .map(|j| format!("{} wait {:.2} / limit {:.2}", j.what, j.wait, j.limit));
        let wait = wait.unwrap_or_else(|| "wait –".into());
        let mut fig = format!("{} Mt", mt(v.mt));
        if let Some(g) = goal_text(&v.goals) {
            fig.push_str(&format!(" / goal {g}"));
        }
        let name_w = width(plot, name, &font(16))?;
        let row1 = name_w + 8 + width(plot, &wait, &font(11))?;
        let row2 = BAR + 6 + width(plot, &fig, &font(13))?;
        let (bw, bh) = (12 + row1.max(row2), 44);
        let c = px(dim, corner);
        let (x0, y0) = (if right { c.0 } else { c.0 - bw }, c.1);
        // The leader runs from the marker to the nearest point of the box.
        let near = (at.0.clamp(x0, x0 + bw), at.1.clamp(y0, y0 + bh));
        line(plot, vec![at, near], INK.stroke_width(1))?;
        rect(plot, (x0, y0), (x0 + bw, y0 + bh), WHITE.mix(0.88).filled())?;
        rect(plot, (x0, y0), (x0 + bw, y0 + bh), FRAME.stroke_width(1))?;
        text(plot, name, (x0 + 6, y0 + 4), &font(16))?;
        let grey = font(11).color(&INK);
        text(plot, &wait, (x0 + 14 + name_w, y0 + 7), &grey)?;
        let (bx, by) = (x0 + 6, y0 + 27);
        let scale = |t: f64| bx + (f64::from(BAR) * t / self.bar_max).round() as i32;
        rect(plot, (bx, by), (bx + BAR, by + 10), TRACK.filled())?;
        rect(plot, (bx, by), (scale(v.mt), by + 10), INK.filled())?;
        // The goal's tick; a goal within a tolerance also gets its band under the bar.
        for &(bound, goal) in &v.goals {
            let (gx, thick) = (scale(goal), BLACK.stroke_width(2));
            line(plot, vec![(gx, by - 4), (gx, by + 14)], thick)?;
            let (lo, hi) = band(bound, goal);
            let (lo, hi) = ((scale(lo), by + 13), (scale(hi), by + 13));
            line(plot, vec![lo, hi], thick)?;
        }
        text(plot, &fig, (bx + BAR + 6, by - 2), &font(13))?;
        let class = v.worst.as_ref().map_or(0, |j| class(j.wait, j.limit));
        let fill = v
            .worst
            .as_ref()
            .map_or(WHITE, |_| colour(CLASS_COLOUR[class]));
        marker(plot, at, class, fill)
    }

    /// The legend: the waiting classes, the bar, the lines, the other symbols.
    fn draw_legend<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult {
        let (style, head, year) = (font(13), font(14), self.year);
        let col = (area.dim_in_pixel().0 as i32 - 40) / 3;
        let (x1, x2, x3) = (20, 20 + col, 20 + 2 * col);
        let classes = [
            "every class under ¾ of its own limit",
            "one at ¾ of its own limit or more",
            "one over its own limit",
        ];
        for (i, t) in classes.iter().enumerate() {
            let y = 32 + 21 * i as i32;
            marker(area, (x1 + 8, y + 7), i, colour(CLASS_COLOUR[i]))?;
            text(area, t, (x1 + 24, y), &style)?;
        }
        rect(area, (x2, 34), (x2 + BAR, 44), TRACK.filled())?;
        rect(area, (x2, 34), (x2 + BAR * 2 / 3, 44), INK.filled())?;
        let tick = x2 + BAR * 5 / 6;
        line(area, vec![(tick, 30), (tick, 48)], BLACK.stroke_width(2))?;
        let (tput, full) = (format!("Throughput in {year}, Mt"), mt(self.bar_max));
        let (full, rail) = (
            format!("full bar {full} Mt; tick: the goal"),
            format!("Rail corridors, trains in {year}"),
        );
        let rows = [
            (x1, 6, "Wait / service of the worst cargo class"),
            (x2, 6, &tput),
            (x2 + BAR + 8, 32, &full),
            (x2, 56, "limit: the class's planning limit (or a goal on"),
            (x2, 74, "its waiting); the box names the class judged"),
            (x3, 6, &rail),
            (x3 + 42, 66, "to Europe"),
            (x3 + 130, 30, "■ the region's city"),
            (x3 + 130, 48, "▲ leaves the map for it"),
            (x3 + 130, 66, "○ another port area"),
        ];
        for (x, y, t) in rows {
            text(area, t, (x, y), if y == 6 { &head } else { &style })?;
        }
        for (i, t) in [self.trains_max / 10.0, self.trains_max].iter().enumerate() {
            let y = 38 + 18 * i as i32;
            let w = self.line_width(*t);
            let rail = RAIL.mix(0.8).stroke_width(w);
            line(area, vec![(x3, y), (x3 + 36, y)], rail)?;
            text(area, &thousands(*t), (x3 + 42, y - 8), &style)?;
        }
        let europe = [(x3, 74), (x3 + 36, 74)];
        let dashed = DashedPathElement::new(europe, 7, 4, BLACK.stroke_width(2));
        put!(area, dashed);
        Ok(())
    }
}

/// A port's marker by waiting class, ● under ¾ of the limit, ▲ up to it, ■ over it, filled with
/// `fill` (the class's colour, white when the waiting is unknown).
fn marker<DB: DrawingBackend>(a: &Area<DB>, at: Px, class: usize, fill: RGBColor) -> DrawResult {
    let (x, y) = at;
    let edge = BLACK.stroke_width(2);
    match class {
        0 => {
            put!(a, Circle::new((x, y), 7, fill.filled()));
            put!(a, Circle::new((x, y), 7, edge));
        }
        1 => {
            let pts = vec![(x, y - 9), (x + 8, y + 6), (x - 8, y + 6), (x, y - 9)];
            put!(a, Polygon::new(pts.clone(), fill.filled()));
            line(a, pts, edge)?;
        }
        _ => {
            rect(a, (x - 7, y - 7), (x + 7, y + 7), fill.filled())?;
            rect(a, (x - 7, y - 7), (x + 7, y + 7), edge)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::saved::{SavedRow, SavedTarget};

    fn ratio(cargo: &str, mean: f64) -> SavedRow {
        SavedRow {
            labels: Vec::new(),
            scenario: "s".into(),
            year: 2020,
            port: "Panjin".into(),
            cargo: cargo.into(),
            metric: "wait_ratio".into(),
            mean,
            lo: mean - 0.1,
            hi: mean + 0.1,
        }
    }

    /// The baseline's Panjin: 0.14 of service for all its cargo, well under any class's limit,
    /// but its liquid chemicals at 0.39 against 0.30 — over (■), as the findings say.
    #[test]
    fn a_port_is_judged_by_its_worst_class_against_that_class_s_own_limit() {
        let mut saved = Saved::default();
        saved.rows = vec![
            ratio("ALL", 0.14),
            ratio("liquid_chemicals", 0.39),
            ratio("coal", 0.05),
            ratio("ro_ro", 0.09),
        ];
        saved.reindex();
        let limits = Limits::from([
            ("liquid_chemicals".to_string(), 0.3),
            ("coal".to_string(), 0.3),
            ("ro_ro".to_string(), 0.1),
        ]);
        let judged = worst_class(&saved, "s", 2020, "Panjin", &limits).expect("judged");
        assert_eq!(judged.what, "liquid chemicals");
        assert_eq!((judged.wait, judged.limit), (0.39, 0.3));
        assert_eq!(class(judged.wait, judged.limit), 2, "over its limit");
        // Without the chemicals, ro-ro at 0.9 of its limit is the nearest: ▲.
        saved.rows.remove(1);
        saved.reindex();
        let judged = worst_class(&saved, "s", 2020, "Panjin", &limits).expect("judged");
        assert_eq!(
            (judged.what.as_str(), class(judged.wait, 0.1)),
            ("ro-ro", 1)
        );
        // A goal on the port's waiting as a whole is judged too.
        saved.targets = vec![SavedTarget {
            scenario: "s".into(),
            year: 2020,
            port: "Panjin".into(),
            cargo: "ALL".into(),
            metric: "wait_ratio".into(),
            bound: Bound::AtMost,
            target: 0.1,
            mean: 0.14,
            lo: f64::NAN,
            hi: f64::NAN,
            met: "no".into(),
            source: String::new(),
            p_met: 0.0,
            verdict: "missed".into(),
        }];
        let judged = worst_class(&saved, "s", 2020, "Panjin", &limits).expect("judged");
        assert_eq!((judged.what.as_str(), judged.limit), ("all cargo", 0.1));
        // No limit for any class and no goal: all cargo against the default.
        saved.targets.clear();
        let judged = worst_class(&saved, "s", 2020, "Panjin", &Limits::new()).expect("judged");
        assert_eq!((judged.what.as_str(), judged.wait), ("all cargo", 0.14));
        assert_eq!(judged.limit, DEFAULT_LIMIT);
        assert!(worst_class(&saved, "s", 2020, "Dalian", &limits).is_none());
    }
}
