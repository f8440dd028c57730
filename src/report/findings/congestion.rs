//! Where the cluster congests first and what binds: the terminal closest to its planning limit
//! on waiting, what its port's ships wait for, the yard that fills first and the busiest rail
//! corridor — per scenario, in the last design year.

use super::{Finding, Quote, Topic, summary_quote};
use crate::report::saved::{Saved, SavedRow};

/// The congestion sentences of every scenario (a run or a comparison).
pub(super) fn congestion(saved: &Saved, link: &dyn Fn(&str, &str) -> String) -> Vec<Finding> {
    let Some(&year) = saved.years().last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let several = saved.scenarios().len() > 1;
    for s in saved.scenarios() {
        let rows: Vec<&SavedRow> = saved
            .rows
            .iter()
            .filter(|r| r.labels.is_empty() && r.scenario == s && r.year == year)
            .collect();
        let causes_chart = if several {
            format!("waiting-by-cause-{}", crate::report::charts::slug(&s))
        } else {
            "waiting-by-cause".into()
        };
        if let Some((first, port)) = first_to_congest(saved, &s, &rows, link) {
            out.push(first);
            out.extend(wait_causes(
                saved,
                &s,
                year,
                &port,
                &link(&causes_chart, "key-figures"),
            ));
        }
        out.extend(fullest_yard(&rows, &link("yard-year", "key-figures")));
        out.extend(busiest_corridor(saved, &rows, &link("rail", "key-figures")));
    }
    out
}

fn is_terminal(port: &str) -> bool {
    port.contains('/') && !port.contains("/rail:")
}

/// A planning limit on waiting and the cargo class it is for, if any.
type Limit = Option<(String, f64)>;

/// The strictest planning limit on waiting among a terminal's cargo classes, from the
/// scenario's own text: (cargo class, limit).
fn terminal_limit(saved: &Saved, scenario: &str, terminal: &str) -> Limit {
    let table = saved.scenario_table_named(scenario)?;
    let limits = table.get("planning")?.get("wait_ratio_max")?.as_table()?;
    let (pname, tname) = terminal.split_once('/')?;
    let arr = |v: Option<&toml::Value>| v.and_then(|x| x.as_array()).cloned().unwrap_or_default();
    let port = arr(table.get("ports"))
        .into_iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(pname))?;
    let t = arr(port.get("areas"))
        .iter()
        .flat_map(|a| arr(a.get("terminals")))
        .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(tname))?;
    arr(t.get("cargo"))
        .iter()
        .filter_map(|c| {
            let c = c.as_str()?;
            let v = limits.get(c)?;
            Some((
                c.to_string(),
                v.as_float().or(v.as_integer().map(|i| i as f64))?,
            ))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The terminal whose waiting is closest to (or furthest past) its planning limit, and its
/// port.
fn first_to_congest(
    saved: &Saved,
    scenario: &str,
    rows: &[&SavedRow],
    link: &dyn Fn(&str, &str) -> String,
) -> Option<(Finding, String)> {
    // (waiting ÷ limit, or waiting where there is no limit; the row; the limit)
    let mut best: Option<(f64, &SavedRow, Limit)> = None;
    for r in rows.iter().filter(|r| {
        is_terminal(&r.port) && r.cargo == "ALL" && r.metric == "wait_ratio" && r.mean.is_finite()
    }) {
        let limit = terminal_limit(saved, scenario, &r.port);
        let score = limit.as_ref().map_or(r.mean, |l| r.mean / l.1);
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, r, limit));
        }
    }
    let (_, r, limit) = best?;
    let port = r.port.split('/').next().unwrap_or_default().to_string();
    let mut f = Finding::new(
        Topic::Congestion,
        &link("terminal-wait-ratio", "key-figures"),
    )
    .text(format!(
        "{scenario}, {}: the cluster congests first at {}, where ships wait ",
        r.year, r.port
    ))
    .fig(summary_quote(r))
    .text(" of their service time");
    if let Some((cargo, l)) = limit {
        f = f
            .text(" against a planning limit of ")
            .fig(Quote {
                file: "summary.json",
                row: vec![("scenario", scenario.to_string())],
                column: format!("planning.wait_ratio_max.{cargo}"),
                value: l,
                scale: 1.0,
                digits: 3,
                unit: "",
            })
            .text(format!(" ({})", cargo.replace('_', " ")));
    }
    if let Some(occ) = rows
        .iter()
        .find(|o| o.port == r.port && o.cargo == "ALL" && o.metric == "berth_occupancy")
    {
        f = f
            .text("; its berths are occupied ")
            .fig(summary_quote(occ))
            .text(" of the time.");
    } else {
        f = f.text(".");
    }
    Some((f, port))
}

/// What a port's ships wait for: the largest of waiting for a berth, the channel, the tide and
/// closures, against the mean wait.
fn wait_causes(saved: &Saved, scenario: &str, year: u16, port: &str, link: &str) -> Vec<Finding> {
    let get = |m: &str| saved.get(scenario, year, port, "ALL", m);
    let Some(total) = get("wait_h_mean") else {
        return Vec::new();
    };
    let cause = [
        ("wait_berth_h_mean", "a free berth"),
        ("wait_channel_h_mean", "the channel"),
        ("wait_tide_h_mean", "the tide"),
        ("wait_closure_h_mean", "closures (weather, ice)"),
    ]
    .into_iter()
    .filter_map(|(m, w)| get(m).map(|r| (r, w)))
    .filter(|(r, _)| r.mean > 0.0)
    .max_by(|a, b| a.0.mean.total_cmp(&b.0.mean));
    let Some((r, what)) = cause else {
        return vec![
            Finding::new(Topic::Congestion, link)
                .text(format!("At {port} ships wait "))
                .fig(summary_quote(total))
                .text(" a call on average, none of it for a berth, the channel, the tide or closures."),
        ];
    };
    vec![
        Finding::new(Topic::Congestion, link)
            .text(format!(
                "What binds there: {port}'s ships wait mostly for {what}, "
            ))
            .fig(hours(r))
            .text(" of a mean wait of ")
            .fig(hours(total))
            .text(" a call."),
    ]
}

/// A summary figure in hours.
fn hours(r: &SavedRow) -> Quote {
    Quote {
        scale: 1.0,
        digits: 1,
        unit: " h",
        ..summary_quote(r)
    }
}

/// The yard that is full longest (or, if none fills, the fullest on average).
fn fullest_yard(rows: &[&SavedRow], link: &str) -> Vec<Finding> {
    let terminal_rows = |metric: &'static str| {
        rows.iter().copied().filter(move |r| {
            is_terminal(&r.port) && r.cargo == "ALL" && r.metric == metric && r.mean.is_finite()
        })
    };
    let occupancy = |t: &str| terminal_rows("yard_occupancy_mean").find(|r| r.port == t);
    let full = terminal_rows("yard_full_h")
        .filter(|r| r.mean > 0.0)
        .max_by(|a, b| a.mean.total_cmp(&b.mean));
    if let Some(f) = full {
        let mut s = Finding::new(Topic::Congestion, link)
            .text(format!("The yard that fills first: {}, full for ", f.port))
            .fig(hours(f))
            .text(" of the year");
        if let Some(o) = occupancy(&f.port) {
            s = s.text(" (mean occupancy ").fig(summary_quote(o)).text(")");
        }
        return vec![s.text(".")];
    }
    let Some(o) = terminal_rows("yard_occupancy_mean").max_by(|a, b| a.mean.total_cmp(&b.mean))
    else {
        return Vec::new();
    };
    vec![
        Finding::new(Topic::Congestion, link)
            .text(format!("No yard fills; the fullest is {}, at ", o.port))
            .fig(summary_quote(o))
            .text(" on average."),
    ]
}

/// The rail corridor using the largest share of its train slots.
fn busiest_corridor(saved: &Saved, rows: &[&SavedRow], link: &str) -> Vec<Finding> {
    let Some(u) = rows
        .iter()
        .filter(|r| {
            r.port.contains("/rail:") && r.metric == "slot_utilisation" && r.mean.is_finite()
        })
        .max_by(|a, b| a.mean.total_cmp(&b.mean))
    else {
        return Vec::new();
    };
    let get = |m: &str| saved.get(&u.scenario, u.year, &u.port, "ALL", m);
    let mut f = Finding::new(Topic::Congestion, link)
        .text(format!(
            "The busiest rail corridor is {}: ",
            u.port.replace("/rail:", " → ")
        ))
        .fig(Quote {
            scale: 0.01,
            digits: 1,
            unit: " %",
            ..summary_quote(u)
        })
        .text(" of its train slots used");
    if let Some(t) = get("trains") {
        f = f.text(", ").fig(summary_quote(t)).text(" trains");
    }
    if let Some(w) = get("rail_wait_h_mean") {
        f = f.text("; cargo waits ").fig(hours(w)).text(" for a train");
    }
    vec![f.text(".")]
}
