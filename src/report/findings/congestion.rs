//! Where the cluster congests and what binds, per scenario in the last design year: the port
//! and cargo class whose waiting is nearest (or furthest past) its planning limit, what those
//! ships wait for (a berth, the channel, the tide, closures) and how long a full yard holds
//! them, the yard that is full longest, the rail corridor using most of its train slots and,
//! where another, the one running the most trains.

use std::collections::BTreeMap;

use super::{Finding, Quote, Topic, summary_quote};
use crate::model::cargo_words;
use crate::report::charts::{planning_limits_of, stem_of};
use crate::report::corridors::CorridorNames;
use crate::report::saved::{Saved, SavedRow};

/// The congestion sentences of every scenario (a run or a comparison).
pub(super) fn congestion(saved: &Saved, link: &dyn Fn(&str, &str) -> String) -> Vec<Finding> {
    let Some(&year) = saved.years().last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let names = CorridorNames::of(saved);
    for s in saved.scenarios() {
        let rows: Vec<&SavedRow> = saved
            .rows
            .iter()
            .filter(|r| r.labels.is_empty() && r.scenario == s && r.year == year)
            .collect();
        let causes_chart = stem_of(saved, "waiting-by-cause", &s);
        let limits = planning_limits_of(saved, &s);
        if let Some((first, nearest)) =
            nearest_limit(&s, &rows, &limits, &link("wait-ratio", "key-figures"))
        {
            out.push(first);
            out.extend(what_binds(
                saved,
                nearest,
                &link(&causes_chart, "key-figures"),
            ));
            out.extend(also_over(
                &s,
                &rows,
                &limits,
                nearest,
                &link("wait-ratio", "key-figures"),
            ));
        }
        out.extend(fullest_yard(
            &rows,
            &link(&stem_of(saved, "yard-year", &s), "key-figures"),
        ));
        out.extend(busiest_corridor(
            saved,
            &rows,
            &names,
            &link("rail", "key-figures"),
        ));
    }
    out
}

fn is_terminal(port: &str) -> bool {
    port.contains('/') && !port.contains("/rail:")
}

/// A port's cargo classes with a waiting ratio and a positive planning limit, each with it.
fn judged<'a>(
    rows: &[&'a SavedRow],
    limits: &BTreeMap<String, f64>,
) -> impl Iterator<Item = (&'a SavedRow, f64)> {
    rows.iter()
        .filter(|r| {
            r.port != "ALL" && !r.port.contains('/') && r.cargo != "ALL" && r.metric == "wait_ratio"
        })
        .filter(|r| r.mean.is_finite())
        .filter_map(|r| limits.get(&r.cargo).map(|&l| (*r, l)))
        .filter(|(_, l)| *l > 0.0)
}

/// The limit of a cargo class, quoted from the scenario's text in the manifest.
fn limit_quote(scenario: &str, cargo: &str, limit: f64) -> Quote {
    Quote::new(
        "summary.json",
        vec![("scenario", scenario.to_string())],
        &format!("planning.wait_ratio_max.{cargo}"),
        limit,
        (1.0, 3, ""),
    )
}

/// The other ports' cargo classes over their planning limits (means), furthest past first,
/// beside the one the congestion sentence names: none is left unsaid. Each mean has its 95 %
/// interval where the results have one, and one reaching below its limit is said to be over on
/// the mean only.
fn also_over(
    scenario: &str,
    rows: &[&SavedRow],
    limits: &BTreeMap<String, f64>,
    named: &SavedRow,
    link: &str,
) -> Option<Finding> {
    let mut over: Vec<(&SavedRow, f64)> = judged(rows, limits)
        .filter(|(r, l)| r.mean > *l && !std::ptr::eq(*r, named))
        .collect();
    if over.is_empty() {
        return None;
    }
    over.sort_by(|a, b| (b.0.mean / b.1).total_cmp(&(a.0.mean / a.1)));
    let head = if over.iter().any(|(r, _)| has_interval(r)) {
        "Also over their planning limits (mean [95 % interval] against the limit): "
    } else {
        "Also over their planning limits (means over the replications): "
    };
    let mut f = Finding::new(Topic::Congestion, link).text(head);
    for (i, (r, l)) in over.iter().enumerate() {
        if i > 0 {
            f = f.text("; ");
        }
        f = f.text(format!("{} {} ", r.port, cargo_words(&r.cargo)));
        f = interval(f.fig(summary_quote(r)), r, "")
            .text(" against ")
            .fig(limit_quote(scenario, &r.cargo, *l));
        if let Some(side) = on_the_mean_only(r, *l) {
            f = f.text(format!(", {side} on the mean only"));
        }
    }
    Some(f.text("."))
}

/// The (port, cargo class) whose waiting ratio is largest against its class's planning limit
/// (the scenario's own `[planning] wait_ratio_max`): over the limit, or the nearest to it.
fn nearest_limit<'a>(
    scenario: &str,
    rows: &[&'a SavedRow],
    limits: &BTreeMap<String, f64>,
    link: &str,
) -> Option<(Finding, &'a SavedRow)> {
    let (r, limit) =
        judged(rows, limits).max_by(|a, b| (a.0.mean / a.1).total_cmp(&(b.0.mean / b.1)))?;
    let limit_quote = limit_quote(scenario, &r.cargo, limit);
    let head = if r.mean > limit {
        format!(
            "{scenario}, {}: over its planning limit at {} (a port's planning limit, which the goals need not include), ",
            r.year, r.port
        )
    } else {
        format!(
            "{scenario}, {}: no port's cargo class is over its planning limit on waiting; nearest, at {}, ",
            r.year, r.port
        )
    };
    let f = Finding::new(Topic::Congestion, link)
        .text(format!("{head}{} ships wait ", cargo_words(&r.cargo)))
        .fig(summary_quote(r));
    let f = interval(f, r, "95 %: ")
        .text(" of their service time against a limit of ")
        .fig(limit_quote);
    let f = match on_the_mean_only(r, limit) {
        Some("over") => f.text(" — over on the mean only: the interval reaches below the limit."),
        Some(_) => f.text(" — under on the mean only: the interval reaches above the limit."),
        None => f.text("."),
    };
    Some((f, r))
}

/// Whether a summary row has its 95 % interval (two replications or more).
fn has_interval(r: &SavedRow) -> bool {
    r.lo.is_finite() && r.hi.is_finite()
}

/// A mean's 95 % interval after it, " [lead lo, hi]" from `summary.csv`, where the row has one.
fn interval(f: Finding, r: &SavedRow, lead: &str) -> Finding {
    if !has_interval(r) {
        return f;
    }
    let end = |column: &str, value: f64| Quote {
        column: column.into(),
        value,
        ..summary_quote(r)
    };
    f.text(format!(" [{lead}"))
        .fig(end("ci95_low", r.lo))
        .text(", ")
        .fig(end("ci95_high", r.hi))
        .text("]")
}

/// "over" where a mean is over `limit` but its 95 % interval reaches down to it, "under" where a
/// mean is within it but its interval reaches past it; none where the interval is on the mean's
/// side of the limit (or there is no interval).
fn on_the_mean_only(r: &SavedRow, limit: f64) -> Option<&'static str> {
    if !has_interval(r) {
        None
    } else if r.mean > limit && r.lo <= limit {
        Some("over")
    } else if r.mean <= limit && r.hi > limit {
        Some("under")
    } else {
        None
    }
}

/// What the ships of that port and cargo class wait for — the largest of a berth, the
/// channel, the tide and closures, against their mean wait — and how long a full yard (or
/// exports not yet at the quay) holds them at the berth.
fn what_binds(saved: &Saved, at: &SavedRow, link: &str) -> Vec<Finding> {
    let get = |m: &str| saved.get(&at.scenario, at.year, &at.port, &at.cargo, m);
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
    let mut f = Finding::new(Topic::Congestion, link).text(format!(
        "What binds there: {}'s {} ships ",
        at.port,
        cargo_words(&at.cargo)
    ));
    f = match cause {
        Some((r, what)) => f
            .text(format!("wait mostly for {what}, "))
            .fig(hours(r))
            .text(" of a mean wait of ")
            .fig(hours(total))
            .text(" a call"),
        None => f
            .text("wait ")
            .fig(hours(total))
            .text(" a call, none of it for a berth, the channel, the tide or closures"),
    };
    // (Under three minutes a call is not worth a clause.)
    if let Some(b) = get("blocked_h_mean").filter(|b| b.mean >= 0.05) {
        f = f
            .text("; a full yard or exports not yet at the quay hold them at the berth ")
            .fig(hours(b))
            .text(" a call more");
    }
    vec![f.text(".")]
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
            .text(format!("The yard full longest: {}, full ", f.port))
            .fig(hours(f))
            .text(" of the year on average");
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

/// The rail corridor using the largest share of its train slots, either way, and — where it is
/// another — the one running the most trains (the measure of the map's lines and the
/// year-as-it-passed chart), each by its name ([`CorridorNames`]).
fn busiest_corridor(
    saved: &Saved,
    rows: &[&SavedRow],
    names: &CorridorNames,
    link: &str,
) -> Vec<Finding> {
    let of = |metrics: &'static [&'static str]| {
        rows.iter().copied().filter(move |r| {
            r.port.contains("/rail:")
                && r.cargo == "ALL"
                && metrics.contains(&r.metric.as_str())
                && r.mean.is_finite()
        })
    };
    let by_mean = |a: &&SavedRow, b: &&SavedRow| a.mean.total_cmp(&b.mean);
    let most_trains = of(&["trains"]).filter(|r| r.mean > 0.0).max_by(by_mean);
    let slots = of(&["slot_utilisation", "slot_utilisation_in"]).max_by(by_mean);
    let mut out = Vec::new();
    if let Some(u) = slots {
        out.push(slot_sentence(saved, u, names, link));
    }
    if let Some(t) = most_trains.filter(|t| slots.is_none_or(|u| u.port != t.port)) {
        let f = Finding::new(Topic::Congestion, link)
            .text(format!(
                "The most trains run on {}: ",
                names.name(&t.scenario, &t.port)
            ))
            .fig(summary_quote(t))
            .text(" in the year (the map's lines and the year-as-it-passed chart count trains).");
        out.push(f);
    }
    out
}

/// "The rail corridor using the largest share of its train slots is …: 78.7 % of its outbound
/// train slots used, 3449 trains in the year; cargo waits 9.3 h for a train."
fn slot_sentence(saved: &Saved, u: &SavedRow, names: &CorridorNames, link: &str) -> Finding {
    let way = if u.metric == "slot_utilisation_in" {
        "inbound"
    } else {
        "outbound"
    };
    let get = |m: &str| saved.get(&u.scenario, u.year, &u.port, "ALL", m);
    let mut f = Finding::new(Topic::Congestion, link)
        .text(format!(
            "The rail corridor using the largest share of its train slots is {}: ",
            names.name(&u.scenario, &u.port)
        ))
        .fig(Quote {
            scale: 0.01,
            digits: 1,
            unit: " %",
            ..summary_quote(u)
        })
        .text(format!(" of its {way} train slots used"));
    if let Some(t) = get("trains") {
        f = f
            .text(", ")
            .fig(summary_quote(t))
            .text(" trains in the year");
    }
    if let Some(w) = get("rail_wait_h_mean") {
        f = f.text("; cargo waits ").fig(hours(w)).text(" for a train");
    }
    f.text(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings::Part;

    fn ratio(port: &str, cargo: &str, mean: f64) -> SavedRow {
        SavedRow {
            labels: Vec::new(),
            scenario: "s".into(),
            year: 2020,
            port: port.into(),
            cargo: cargo.into(),
            metric: "wait_ratio".into(),
            mean,
            lo: mean - 0.1,
            hi: mean + 0.1,
        }
    }

    fn limits() -> BTreeMap<String, f64> {
        BTreeMap::from([
            ("ro_ro".to_string(), 0.1),
            ("liquid_chemicals".to_string(), 0.3),
            ("coal".to_string(), 0.3),
        ])
    }

    #[test]
    fn every_class_over_its_limit_is_said_beside_the_one_named_first() {
        let rows = [
            ratio("A", "ro_ro", 0.204),
            ratio("B", "liquid_chemicals", 0.45),
            ratio("C", "coal", 0.31),
            ratio("D", "coal", 0.2),
            ratio("ALL", "coal", 0.5),
        ];
        let refs: Vec<&SavedRow> = rows.iter().collect();
        let (first, named) = nearest_limit("s", &refs, &limits(), "l").expect("a class");
        assert_eq!(
            named.port,
            "A",
            "the furthest past its limit: {}",
            first.plain()
        );
        let also = also_over("s", &refs, &limits(), named, "l").expect("others over");
        assert_eq!(
            also.plain(),
            "Also over their planning limits (mean [95 % interval] against the limit): B liquid chemicals 0.450 [0.350, 0.550] against 0.300; C coal 0.310 [0.210, 0.410] against 0.300, over on the mean only."
        );
        // None other over: no sentence.
        assert!(also_over("s", &refs[..1], &limits(), named, "l").is_none());
    }

    /// A mean over its limit is given with its interval (3–4 replications make it wide), and
    /// one whose interval reaches below the limit is said to be over on the mean only; the
    /// interval's ends are quoted from `summary.csv`'s own columns.
    #[test]
    fn a_class_over_its_limit_is_given_with_its_interval_and_said_when_it_crosses() {
        let clear = [ratio("A", "ro_ro", 0.204)];
        let refs: Vec<&SavedRow> = clear.iter().collect();
        let (f, _) = nearest_limit("s", &refs, &limits(), "l").expect("a class");
        assert!(
            f.plain().ends_with(
                "ro-ro ships wait 0.204 [95 %: 0.104, 0.304] of their service time against a limit of 0.100."
            ),
            "{}",
            f.plain()
        );
        let columns: Vec<&str> = (f.parts.iter())
            .filter_map(|p| match p {
                Part::Figure(q) if q.file == "summary.csv" => Some(q.column.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(columns, ["mean", "ci95_low", "ci95_high"]);
        let crossing = [ratio("B", "liquid_chemicals", 0.39)];
        let refs: Vec<&SavedRow> = crossing.iter().collect();
        let (f, _) = nearest_limit("s", &refs, &limits(), "l").expect("a class");
        assert!(
            f.plain().ends_with(
                "0.390 [95 %: 0.290, 0.490] of their service time against a limit of 0.300 — over on the mean only: the interval reaches below the limit."
            ),
            "{}",
            f.plain()
        );
        let under = [ratio("B", "liquid_chemicals", 0.25)];
        let refs: Vec<&SavedRow> = under.iter().collect();
        let (f, _) = nearest_limit("s", &refs, &limits(), "l").expect("a class");
        assert!(f.plain().contains("no port's cargo class is over"));
        assert!(
            f.plain()
                .ends_with("under on the mean only: the interval reaches above the limit.")
        );
        // One replication: no interval, nothing said of it.
        let mut one = ratio("B", "liquid_chemicals", 0.39);
        (one.lo, one.hi) = (f64::NAN, f64::NAN);
        let (f, _) = nearest_limit("s", &[&one], &limits(), "l").expect("a class");
        assert!(
            f.plain()
                .ends_with("0.390 of their service time against a limit of 0.300.")
        );
    }

    fn corridor_row(corridor: &str, metric: &str, mean: f64) -> SavedRow {
        SavedRow {
            port: format!("Yingkou/rail:{corridor}"),
            cargo: "ALL".into(),
            metric: metric.into(),
            ..ratio("", "", mean)
        }
    }

    /// The corridor named first is the one using most of its slots, by its name; where another
    /// runs more trains (what the map and the daily chart count), that one is named too.
    #[test]
    fn the_corridor_using_most_slots_and_the_one_with_most_trains_are_named_by_name() {
        let mut saved = Saved::default();
        let text = "name = \"s\"\n[[corridors]]\nname = \"box-north\"\nport = \"Yingkou\"\nregion = \"Jilin and Heilongjiang\"\ncargo = [\"container\"]\n[[corridors]]\nname = \"bulk\"\nport = \"Yingkou\"\nregion = \"South and central Liaoning\"\ncargo = [\"iron_ore\", \"coal\"]\n";
        saved.manifest = serde_json::json!({ "scenarios": [{ "name": "s", "toml": text }] });
        saved.rows = vec![
            corridor_row("box-north", "slot_utilisation", 0.9),
            corridor_row("box-north", "trains", 6600.0),
            corridor_row("bulk", "slot_utilisation_in", 0.5),
            corridor_row("bulk", "trains", 15232.0),
        ];
        saved.reindex();
        let names = CorridorNames::of(&saved);
        let rows: Vec<&SavedRow> = saved.rows.iter().collect();
        let said: Vec<String> = busiest_corridor(&saved, &rows, &names, "rail")
            .iter()
            .map(Finding::plain)
            .collect();
        assert_eq!(
            said,
            [
                "The rail corridor using the largest share of its train slots is Yingkou → Jilin and Heilongjiang (boxes): 90.0 % of its outbound train slots used, 6600 trains in the year.",
                "The most trains run on Yingkou → South and central Liaoning (ore, coal): 15232 in the year (the map's lines and the year-as-it-passed chart count trains)."
            ]
        );
        // One corridor first by both: one sentence.
        saved.rows[1].mean = 20000.0;
        saved.reindex();
        let rows: Vec<&SavedRow> = saved.rows.iter().collect();
        assert_eq!(busiest_corridor(&saved, &rows, &names, "rail").len(), 1);
    }
}
