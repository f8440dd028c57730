//! `report.html`: one self-contained page per output directory — the scenarios, the run
//! settings, the KPI and goals tables, and every chart inline (as `data:` URIs), so it opens
//! anywhere with no network and no other file.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;

use super::charts::{self, Chart};
use super::corridors::CorridorNames;
use super::findings;
use super::output::{remove_charts_except, write_atomically};
use super::saved::Saved;
use crate::error::Result;

/// Builds the charts and `report.html` for an output directory from its saved files, and
/// writes them (`charts/*.svg`, `charts/*.png`, `report.html`), each file atomically.
/// Returns the charts written.
///
/// # Errors
/// Whatever reading the results, drawing or writing raises.
pub fn write_report(dir: &Path) -> Result<Vec<Chart>> {
    let saved = Saved::load(dir)?;
    let charts = charts::build(&saved)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for c in &charts {
        files.push((format!("{}.svg", c.stem), c.svg.clone().into_bytes()));
        files.push((format!("{}.png", c.stem), c.png.clone()));
    }
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    write_atomically(&dir.join("charts"), &refs)?;
    // Charts an earlier report drew that this one does not (another command's, a chart whose
    // data is gone) would sit beside the new ones as if current.
    let names: Vec<&str> = refs.iter().map(|(n, _)| *n).collect();
    remove_charts_except(&dir.join("charts"), &names)?;
    write_atomically(
        dir,
        &[("report.html", render(&saved, &charts).into_bytes())],
    )?;
    Ok(charts)
}

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn num(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v.abs() >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// The page: what it shows first, then the tables (collapsed, goals first), the charts, and
/// the scenarios and settings to rerun it.
pub fn render(saved: &Saved, charts: &[Chart]) -> String {
    let command = &saved.command;
    let mut h = String::new();
    let mut names = saved.scenarios();
    if names.is_empty() {
        // A capacity search keeps no summary rows: its manifest names the scenario.
        names.extend(
            saved.manifest["scenario"]["name"]
                .as_str()
                .map(str::to_string),
        );
    }
    // A sweep goes by its own name first: its scenario is what it varies.
    let command = match saved.manifest["name"].as_str() {
        Some(sweep) if command == "sweep" => format!("{command} {sweep}"),
        _ => command.to_string(),
    };
    let title = if names.is_empty() {
        format!("portsim {command}")
    } else {
        format!("portsim {command}: {}", names.join(" · "))
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        csp(),
        esc(&title),
        CSS,
        esc(&title)
    );
    let stems: Vec<String> = charts.iter().map(|c| c.stem.clone()).collect();
    findings_section(&mut h, &findings::findings(saved, &stems));
    goals_section(&mut h, saved);
    projects_section(&mut h, saved);
    key_figures_section(&mut h, saved, &names);
    capacity_section(&mut h, saved);
    sweep_points_section(&mut h, saved);
    sweep_goals_section(&mut h, saved);
    charts_section(&mut h, charts);
    settings_section(&mut h, saved);
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    h
}

/// How many sentences of one kind (goals missed, projects, capacities) are listed before the
/// rest fold away.
const SHOWN: usize = 6;

/// "What this shows": the findings under a heading per topic, each linking to its chart or
/// table; beyond [`SHOWN`] sentences of one kind the rest fold away.
fn findings_section(h: &mut String, found: &[findings::Finding]) {
    h.push_str("<section id=\"findings\">\n<h2>What this shows</h2>\n");
    if found.is_empty() {
        h.push_str("<p>These results have no goals, comparisons or experiments to sum up; the tables and charts below hold every figure.</p>\n");
    }
    // Runs of sentences under one heading, then runs of one topic within them.
    for group in found.chunk_by(|a, b| a.topic.heading() == b.topic.heading()) {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<ul class=\"findings\">",
            group[0].topic.heading()
        );
        for run in group.chunk_by(|a, b| a.topic == b.topic) {
            let (shown, folded) = match run[0].topic.folds() {
                Some(_) if run.len() > SHOWN => run.split_at(SHOWN),
                _ => (run, &[][..]),
            };
            for f in shown {
                h.push_str(&f.html());
                h.push('\n');
            }
            if let (Some(what), false) = (run[0].topic.folds(), folded.is_empty()) {
                let n = folded.len();
                let _ = writeln!(
                    h,
                    "<li><details><summary>{n} more {}</summary><ul>",
                    if n == 1 { what.0 } else { what.1 }
                );
                for f in folded {
                    h.push_str(&f.html());
                    h.push('\n');
                }
                h.push_str("</ul></details></li>\n");
            }
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<p class=\"note\">Each figure is a mean over the replications (intervals: 95 %) and comes from the file named when you hover over it; → leads to the chart or table behind the sentence.</p>\n</section>\n");
}

/// A number as a sortable cell's `data-sort`: empty (sorted last) when undefined, and
/// `Infinity` as the script's `Number` reads it.
fn sort_key(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        v.to_string()
    }
}

/// `portsim projects`: each project's planned and needed years, what binds, and its value.
fn projects_section(h: &mut String, saved: &Saved) {
    if saved.projects.is_empty() {
        return;
    }
    let horizon = saved
        .manifest
        .get("years")
        .and_then(|y| y.as_array())
        .and_then(|y| y.last())
        .map(json_text)
        .unwrap_or_default();
    let late = saved
        .projects
        .iter()
        .filter(|p| p.needed_year.is_some_and(|y| y < p.in_service_year))
        .count();
    let _ = writeln!(
        h,
        "<details id=\"projects\"><summary><h2>When each project is needed ({late} of {} planned later than needed)</h2></summary>\n<table class=\"sortable\">\n<thead><tr><th>project</th><th>planned in service</th><th>needed (95 % range)</th><th>binding limit</th><th>capital cost, CNY bn</th><th>NPV from planned year, CNY bn [95 %]</th><th>benefit / cost</th><th>NPV from needed year, CNY bn</th><th>first-year return at planned year</th><th>worth having from (its NPV, CNY bn)</th></tr></thead>\n<tbody>",
        saved.projects.len()
    );
    let bn = |v: Option<f64>| {
        v.filter(|x| x.is_finite())
            .map_or("–".to_string(), |x| format!("{:.2}", x / 1e9))
    };
    for p in &saved.projects {
        let needed = match (&p.note, p.needed_year) {
            (Some(note), _) => esc(note),
            // Not needed on the means, but could be at the intervals' earliest ends.
            (None, None) => match p.needed_year_low {
                Some(lo) => format!("not by {horizon} (could be from {lo})"),
                None => format!("not by {horizon}"),
            },
            (None, Some(y)) => format!(
                "{y} ({}–{})",
                p.needed_year_low.map_or("–".into(), |v| v.to_string()),
                p.needed_year_high
                    .map_or(format!("after {horizon}"), |v| v.to_string())
            ),
        };
        let binding = p.binding.as_ref().map_or(String::new(), |b| {
            format!(
                "{} {} {} &gt; {}",
                esc(&b.port),
                esc(&b.cargo),
                esc(&b.metric),
                num(b.max)
            )
        });
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{needed}</td><td>{binding}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&p.project),
            p.in_service_year,
            bn(p.capex_cny),
            match p.npv_ci95_cny {
                Some((lo, hi)) => format!("{} [{}, {}]", bn(p.npv_cny), bn(Some(lo)), bn(Some(hi))),
                None => bn(p.npv_cny),
            },
            p.bcr
                .filter(|x| x.is_finite())
                .map_or("–".into(), |x| format!("{x:.2}")),
            bn(p.npv_from_needed_cny),
            p.first_year_return
                .filter(|x| x.is_finite())
                .map_or("–".into(), |x| format!("{:.1} %", 100.0 * x)),
            match (p.npv_cny, p.best_year) {
                (None, _) => "–".to_string(),
                (Some(_), None) => format!("none by {horizon}{}", best_range(p, &horizon)),
                (Some(_), Some(y)) => {
                    format!("{y} ({}){}", bn(p.npv_best_cny), best_range(p, &horizon))
                }
            },
        );
    }
    h.push_str("</tbody></table>\n<p class=\"note\">Needed: the first design year in which the scenario without the project breaks a planning limit that the scenario with every project meets (on the means; the range at the ends of the 95 % intervals). Value: the cluster's costs without it less with it (ship and cargo time, land transport, send-out missed, CO₂), discounted over its life, less its capital and operating costs. First-year return: the planned year's benefit less running cost over the capital cost (worth opening once it reaches the capital recovery factor at the discount rate over its life — 8.9 % for 30 years at 8 % — rather than the rate itself, for an asset renewed at the end of its life); worth having from: the year, benefits interpolated between design years, from which its renewal-chain value is greatest — once its benefit covers the capital's annual cost and keeps covering it (none where no year of the span pays). The figures are in <code>projects.csv</code> and, by year, <code>projects.json</code>.</p>\n</details>\n");
}

/// The scenarios (with their SHA-256) and the run settings.
fn settings_section(h: &mut String, saved: &Saved) {
    let m = &saved.manifest;
    h.push_str("<details id=\"settings\"><summary><h2>Scenarios and run settings</h2></summary>\n<table class=\"kv\">\n");
    let get = |k: &str| m.get(k).map(json_text).unwrap_or_default();
    for (k, label) in [
        ("command", "command"),
        ("portsim_version", "portsim version"),
        ("seed", "master seed"),
        ("replications", "replications per design year"),
        ("years", "design years"),
        ("year", "design year"),
        ("name", "sweep"),
    ] {
        let v = get(k);
        if !v.is_empty() {
            let _ = writeln!(h, "<tr><th>{label}</th><td>{}</td></tr>", esc(&v));
        }
    }
    h.push_str("</table>\n");
    let scenarios: Vec<&serde_json::Value> = match (m.get("scenarios"), m.get("scenario")) {
        (Some(serde_json::Value::Array(a)), _) => a.iter().collect(),
        (_, Some(s)) => vec![s],
        _ => Vec::new(),
    };
    if !scenarios.is_empty() {
        h.push_str("<table>\n<tr><th>scenario</th><th>description</th><th>file</th><th>warm-up + measured days</th><th>SHA-256 of the TOML</th></tr>\n");
        for s in scenarios {
            let text = s.get("toml").and_then(|t| t.as_str()).unwrap_or("");
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} + {}</td><td class=\"mono\">{}</td></tr>",
                esc(&s.get("name").map(json_text).unwrap_or_default()),
                esc(&description_of(text)),
                esc(&s.get("file").map(json_text).unwrap_or_default()),
                s.get("warmup_days").map(json_text).unwrap_or_default(),
                s.get("measured_days").map(json_text).unwrap_or_default(),
                esc(&s.get("sha256").map(json_text).unwrap_or_default()),
            );
        }
        h.push_str("</table>\n<p class=\"note\">The scenario text itself is in <code>summary.json</code>; with the seed and settings above it reruns exactly.</p>\n");
    }
    h.push_str("</details>\n");
}

/// A sweep's points and what each sets.
fn sweep_points_section(h: &mut String, saved: &Saved) {
    if saved.command == "sweep" {
        let points: std::collections::BTreeSet<&str> = saved
            .rows
            .iter()
            .filter(|r| !r.labels.is_empty())
            .map(|r| r.labels[0].1.as_str())
            .collect();
        if points.len() > super::charts::MAX_POINTS_SHOWN {
            let _ = writeln!(
                h,
                "<h2 id=\"sweep-points-table\">Sweep points ({})</h2>\n<p class=\"note\">Too many to list or draw one by one: each point's values are in <code>summary.json</code> and in the leading columns of the results.</p>",
                points.len()
            );
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut body = String::new();
        let mut header: Vec<&str> = Vec::new();
        // The sweep file's names for the values, where it gives them (the value on hover).
        let sp = findings::SweepPoints::of(saved);
        for r in saved.rows.iter().filter(|r| !r.labels.is_empty()) {
            if seen.contains(&r.labels[0].1.as_str()) {
                continue;
            }
            seen.push(&r.labels[0].1);
            if header.is_empty() {
                header = r.labels.iter().map(|(k, _)| k.as_str()).collect();
            }
            let point = r.labels[0].1.parse::<usize>().ok();
            body.push_str("<tr>");
            for (k, (_, v)) in r.labels.iter().enumerate() {
                let name = (k > 0).then(|| sp.label(point?, k - 1)).flatten();
                match name {
                    Some(n) => {
                        let _ = write!(
                            body,
                            "<td class=\"mono num\" title=\"{}\">{}</td>",
                            esc(v),
                            esc(n)
                        );
                    }
                    None => {
                        let _ = write!(body, "<td class=\"mono num\">{}</td>", esc(v));
                    }
                }
            }
            body.push_str("</tr>\n");
        }
        if !seen.is_empty() {
            let _ = writeln!(
                h,
                "<details id=\"sweep-points-table\"><summary><h2>Sweep points ({})</h2></summary>\n<table class=\"sortable\">\n<thead><tr>",
                seen.len()
            );
            for k in &header {
                let _ = write!(h, "<th>{}</th>", esc(k));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            h.push_str(&body);
            h.push_str("</tbody></table>\n</details>\n");
        }
    }
}

/// A sweep's goals: per goal, the points that meet it and its metric's range over them, and
/// (up to [`MAX_POINTS_SHOWN`](super::charts::MAX_POINTS_SHOWN) points) its mean at each
/// point, coloured met or missed.
fn sweep_goals_section(h: &mut String, saved: &Saved) {
    let goals = findings::point_goals(saved);
    if goals.is_empty() {
        return;
    }
    let mut points: Vec<usize> = saved.point_targets.iter().map(|(p, _)| *p).collect();
    points.sort_unstable();
    points.dedup();
    let each = points.len() <= super::charts::MAX_POINTS_SHOWN;
    let sp = findings::SweepPoints::of(saved);
    let corridors = CorridorNames::of(saved);
    let _ = write!(
        h,
        "<details id=\"{}\"><summary><h2>Goals at the sweep's points ({} goals, {} points)</h2></summary>\n<table class=\"sortable\">\n<thead><tr><th>year</th><th>port</th><th>cargo</th><th>metric</th><th>goal</th><th>points meeting it</th><th>lowest mean</th><th>highest mean</th>",
        findings::SWEEP_GOALS,
        goals.len(),
        points.len()
    );
    if each {
        for p in &points {
            let _ = write!(h, "<th title=\"{}\">{p}</th>", esc(&sp.name(*p)));
        }
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for g in &goals {
        let t = g.rows[0].1;
        let judged = g.by_mean();
        let mean_at = |i: Option<&(usize, &crate::report::saved::SavedTarget)>| {
            i.map_or(f64::NAN, |(_, r)| r.mean)
        };
        let (lo, hi) = (mean_at(judged.first()), mean_at(judged.last()));
        // A sweep of the goal's own value: its range.
        let ((_, t_lo), (_, t_hi)) = g.target_ends();
        let (t_lo, t_hi) = (t_lo.target, t_hi.target);
        let value = if t_lo == t_hi {
            num(t_lo)
        } else {
            format!("{} to {}", num(t_lo), num(t_hi))
        };
        let goal = match findings::bound_kinds(g) {
            findings::BoundKinds::AtLeast => format!("≥ {value}"),
            findings::BoundKinds::AtMost => format!("≤ {value}"),
            findings::BoundKinds::Within(lo, hi) if lo == hi => {
                format!("{value} ± {} %", num(100.0 * lo))
            }
            findings::BoundKinds::Within(lo, hi) => {
                format!("{value} ± {} to {} %", num(100.0 * lo), num(100.0 * hi))
            }
            findings::BoundKinds::Mixed => format!("{value}, bound varied"),
        };
        let _ = write!(
            h,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{}\">{} of {}</td><td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{}\">{}</td>",
            t.year,
            place(&corridors, &t.scenario, &t.port),
            esc(&t.cargo),
            esc(&t.metric),
            sort_key(t.target),
            goal,
            g.met(),
            g.met(),
            g.rows.len(),
            sort_key(lo),
            num(lo),
            sort_key(hi),
            num(hi)
        );
        if each {
            for p in &points {
                match g.rows.iter().find(|(q, _)| q == p) {
                    Some((_, r)) if r.met == "n/a" => h.push_str("<td class=\"na\">n/a</td>"),
                    Some((_, r)) => {
                        let (class, mark) = if r.met == "yes" {
                            ("met", "✓")
                        } else {
                            ("missed", "✗")
                        };
                        let _ = write!(
                            h,
                            "<td class=\"num {class}\" data-sort=\"{}\">{mark} {}</td>",
                            sort_key(r.mean),
                            num(r.mean)
                        );
                    }
                    None => h.push_str("<td class=\"na\">–</td>"),
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n<p class=\"note\">Each cell: the point's mean over its replications (✓ met, ✗ missed; n/a: the runs report no such value); a point's settings are in the sweep points table and on hover over its number. Every goal's row at every point is in <code>targets.csv</code>.</p>\n</details>\n");
}

/// Key figures per scenario, year and port, with intervals.
fn key_figures_section(h: &mut String, saved: &Saved, names: &[String]) {
    if !saved.rows.is_empty() && saved.command != "sweep" {
        h.push_str("<details id=\"key-figures\"><summary><h2>Key figures (mean [95 % interval, cut at 0: no figure here is negative])</h2></summary>\n<table class=\"sortable\">\n<thead><tr><th>scenario</th><th>year</th><th>port</th><th>throughput, Mt</th><th>throughput, M TEU</th><th>berth occupancy, %</th><th>mean wait, h</th><th>wait / service</th><th>sea–rail, % of boxes handled</th><th>CO₂ at berth, kt</th></tr></thead>\n<tbody>\n");
        let mut ports = vec!["ALL".to_string()];
        ports.extend(saved.ports());
        for s in names {
            for &y in &saved.years() {
                for p in &ports {
                    // One precision down a column, so that the cluster's 13.110 M TEU and a
                    // port's 5.104 read alike.
                    let cell = |cargo: &str, metric: &str, scale: f64, digits: usize| {
                        saved
                            .get(s, y, p, cargo, metric)
                            .map(|r| {
                                let f = |v: f64| {
                                    if v.is_finite() {
                                        format!("{:.digits$}", v / scale)
                                    } else {
                                        "–".into()
                                    }
                                };
                                format!(
                                    "<td class=\"num\" data-sort=\"{}\">{} <span class=\"ci\">[{}, {}]</span></td>",
                                    sort_key(r.mean / scale),
                                    f(r.mean),
                                    f(r.lo),
                                    f(r.hi)
                                )
                            })
                            .unwrap_or_else(|| "<td class=\"num\">–</td>".into())
                    };
                    let _ = writeln!(
                        h,
                        "<tr><td>{}</td><td class=\"num\">{y}</td><td>{}</td>{}{}{}{}{}{}{}</tr>",
                        esc(s),
                        esc(if p == "ALL" { "cluster" } else { p }),
                        cell("ALL", "throughput_t", 1e6, 1),
                        cell("ALL", "throughput_teu", 1e6, 3),
                        cell("ALL", "berth_occupancy", 0.01, 1),
                        cell("ALL", "wait_h_mean", 1.0, 2),
                        cell("ALL", "wait_ratio", 1.0, 3),
                        cell("container", "rail_share_of_throughput", 0.01, 2),
                        cell("ALL", "co2_t", 1e3, 1),
                    );
                }
            }
        }
        h.push_str("</tbody></table>\n<p class=\"note\">Every KPI, for every terminal, corridor and cargo class, is in <code>summary.csv</code> (means and intervals) and <code>kpis.csv</code> (each replication).</p>\n</details>\n");
    }
}

/// A goal's place for the goals table: a rail corridor's row (`Port/rail:id`) by the name the
/// findings and charts give it, its row as `targets.csv` has it on hover; any other as it is.
fn place(corridors: &CorridorNames, scenario: &str, port: &str) -> String {
    if port.contains("/rail:") {
        let name = corridors.name(scenario, port);
        format!("<span title=\"{}\">{}</span>", esc(port), esc(&name))
    } else {
        esc(port)
    }
}

/// The goals, met or missed.
fn goals_section(h: &mut String, saved: &Saved) {
    if !saved.targets.is_empty() {
        let met = saved.targets.iter().filter(|t| t.met == "yes").count();
        let _ = writeln!(
            h,
            "<details id=\"goals\"><summary><h2>Goals: {met} of {} met</h2></summary>\n<table class=\"sortable\">\n<thead><tr><th>scenario</th><th>year</th><th>port</th><th>cargo</th><th>metric</th><th>goal</th><th>simulated mean</th><th>met</th><th>by its 95 % interval</th><th>replications meeting it, %</th><th>source</th></tr></thead>\n<tbody>",
            saved.targets.len()
        );
        let corridors = CorridorNames::of(saved);
        for t in &saved.targets {
            let class = match t.met.as_str() {
                "yes" => "met",
                "no" => "missed",
                _ => "na",
            };
            let _ = writeln!(
                h,
                "<tr class=\"{class}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{}\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&t.scenario),
                t.year,
                place(&corridors, &t.scenario, &t.port),
                esc(&t.cargo),
                esc(&t.metric),
                sort_key(t.target),
                with_unit(goal_text(t.bound, t.target), &t.metric),
                sort_key(t.mean),
                with_unit(num(t.mean), &t.metric),
                esc(&t.met),
                esc(&t.verdict),
                if t.p_met.is_finite() {
                    format!("{:.0}", 100.0 * t.p_met)
                } else {
                    "–".into()
                },
                esc(&t.source)
            );
        }
        h.push_str("</tbody></table>\n</details>\n");
    }
}

/// A figure of `metric` with the metric's unit ("0.41 M TEU", "70.2 trains"); a ratio as it is.
fn with_unit(figure: String, metric: &str) -> String {
    match crate::metrics::unit(metric) {
        // A ratio, or no value ("–"): nothing to add.
        _ if figure == "–" => figure,
        "" => figure,
        unit => match figure.split_once(" ± ") {
            // "760 M ± 5 %": the unit belongs to the figure, not to the tolerance.
            Some((value, tolerance)) => format!("{value} {unit} ± {tolerance}"),
            None => format!("{figure} {unit}"),
        },
    }
}

/// A goal as a reader writes it: ≥ 760M, ≤ 0.2, 760M ± 5 %.
fn goal_text(bound: crate::model::Bound, target: f64) -> String {
    match bound {
        crate::model::Bound::AtLeast => format!("≥ {}", num(target)),
        crate::model::Bound::AtMost => format!("≤ {}", num(target)),
        crate::model::Bound::Within { tolerance } => {
            // 5 %, 2.5 %: a tolerance as written, not to three decimals.
            let percent = (100.0 * tolerance * 100.0).round() / 100.0;
            format!("{} ± {percent} %", num(target))
        }
    }
}

/// The range of the year a project is worth having from, at the ends of its benefit's 95 %
/// intervals (" (2031–after 2035)"), where the file has it.
fn best_range(p: &crate::experiment::ProjectNeed, horizon: &str) -> String {
    match (p.best_year_low, p.best_year_high) {
        (None, None) => String::new(),
        (lo, hi) => format!(
            " ({}–{})",
            lo.map_or(format!("after {horizon}"), |v| v.to_string()),
            hi.map_or(format!("after {horizon}"), |v| v.to_string())
        ),
    }
}

/// What a capacity row says ran out first: its binding limits, none within the search, or
/// not known (a file from before the column).
fn reached_first(binding: Option<&str>) -> String {
    match binding {
        None => "–".into(),
        Some("") => format!("none by {}×", crate::experiment::SEARCH_LIMIT),
        Some(b) => b.to_string(),
    }
}

/// Practical capacities (from `portsim capacity`), a row per scope.
fn capacity_section(h: &mut String, saved: &Saved) {
    if saved.capacity.is_empty() {
        return;
    }
    h.push_str("<details id=\"capacity-table\"><summary><h2>Practical capacity</h2></summary>\n<table class=\"sortable\">\n<thead><tr><th>scope</th><th>demand multiple</th><th>95 % interval</th><th>limit reached first</th><th>criterion</th></tr></thead>\n<tbody>\n");
    // The search's ends as the console says them ("< 0.125", "> 8.000"), not 0 and infinity.
    let shown = |m: f64| {
        if m.is_finite() && m > 0.0 {
            format!("{m:.2}")
        } else {
            crate::report::table::search_end(m, |m| format!("{m:.3}"))
        }
    };
    for c in &saved.capacity {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{}\">[{}, {}]</td><td>{}</td><td>{}</td></tr>",
            esc(&c.scope),
            sort_key(c.multiple),
            esc(&shown(c.multiple)),
            sort_key(c.lo),
            esc(&shown(c.lo)),
            esc(&shown(c.hi)),
            esc(&reached_first(c.binding.as_deref())),
            esc(&c.criterion)
        );
    }
    h.push_str("</tbody></table>\n");
    // Where the search's premise fails, the reader is told before trusting a low end.
    for c in &saved.capacity {
        if let Some(note) = c.note.as_deref().filter(|n| !n.is_empty()) {
            let _ = writeln!(h, "<p class=\"note\">{}: {}</p>", esc(&c.scope), esc(note));
        }
    }
    h.push_str("</details>\n");
}

/// Every chart inline, with its caption and links to its files.
fn charts_section(h: &mut String, charts: &[Chart]) {
    if !charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
        for c in charts {
            let data = base64::engine::general_purpose::STANDARD.encode(c.svg.as_bytes());
            let _ = writeln!(
                h,
                "<figure id=\"{}\">\n<h3>{}</h3>\n<img alt=\"{}\" src=\"data:image/svg+xml;base64,{data}\">\n<figcaption>{} <a href=\"charts/{}.svg\">SVG</a> · <a href=\"charts/{}.png\">PNG</a></figcaption>\n</figure>",
                esc(&c.stem),
                esc(&c.title),
                esc(&c.title),
                esc(&c.caption),
                esc(&c.stem),
                esc(&c.stem)
            );
        }
    }
}

/// A JSON value as plain text (strings without quotes, arrays comma-separated).
fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join(", "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The `description = "…"` line of a scenario's TOML, if any.
fn description_of(toml_text: &str) -> String {
    toml_text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| {
            t.get("description")
                .and_then(|d| d.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// The report's one script: sortable table columns (click or Enter on a header; numbers by
/// their `data-sort` value or their leading figure, text alphabetically, missing values last)
/// and opening the collapsed section a link leads to.
pub const SCRIPT: &str = include_str!("../../assets/report/report.js");

/// The page's content security policy: it may load nothing — its styles are inline, its images
/// `data:` URIs, and its one script is allowed by its SHA-256 alone — so a report that tried
/// to fetch anything would show it broken rather than quietly depend on the network.
pub fn csp() -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(SCRIPT.as_bytes());
    format!(
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0;font-size:0.85em}
th,td{border:1px solid #ddd;padding:0.25em 0.5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.kv th{width:16em}.ci{color:#777;font-size:0.85em}.mono{font-family:monospace;font-size:0.8em}
tr.met td:nth-child(8){color:#006b3c;font-weight:bold}tr.missed td:nth-child(8){color:#b00020;font-weight:bold}td.met{color:#006b3c}td.missed{color:#b00020;font-weight:bold}
figure{margin:2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:0.9em;color:#444;margin-top:0.4em}.note{font-size:0.85em;color:#555}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
details{margin:1em 0}details>summary{cursor:pointer}details>summary h2{display:inline;border:none}
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:' ▲'}table.sortable th[aria-sort=descending]::after{content:' ▼'}
ul.findings{line-height:1.5;font-size:1.05em}ul.findings li{margin:0.3em 0}.fig{font-weight:bold;white-space:nowrap}
li.goal-missed::marker,li.point-goal-missed::marker{content:'✗ ';color:#b00020}#findings{border:1px solid #ccc;padding:0 1em 0.5em;background:#fafafa}#findings h3{margin:0.8em 0 0.2em;font-size:1.05em}#findings h2{margin-top:0.6em}";

#[cfg(test)]
mod tests {
    use super::projects_section;
    use crate::experiment::need_for_test;
    use crate::report::saved::Saved;

    #[test]
    fn a_project_not_needed_on_the_means_keeps_its_range() {
        // Not needed by the horizon on the means, but at the intervals' earliest ends from
        // 2030: the report's cell says so, as the console and projects.csv do.
        let mut saved = Saved::default();
        saved.manifest = serde_json::json!({ "years": [2025, 2030] });
        saved.projects = vec![
            need_for_test("oil-berths", [None, Some(2030), None]),
            need_for_test("oil-berths", [None, None, None]),
        ];
        let mut h = String::new();
        projects_section(&mut h, &saved);
        let cells: Vec<&str> = h
            .lines()
            .filter(|l| l.starts_with("<tr><td>oil-berths"))
            .collect();
        assert_eq!(cells.len(), 2, "{h}");
        assert!(
            cells[0].contains("<td class=\"num\">not by 2030 (could be from 2030)</td>"),
            "{h}"
        );
        assert!(
            cells[1].contains("<td class=\"num\">not by 2030</td>"),
            "{h}"
        );
    }
}
