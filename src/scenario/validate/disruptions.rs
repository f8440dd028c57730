//! `[[disruptions]]`: events of the design year — a port's closure, a berth outage or a rail
//! corridor outage on a date, or a severe season of one of the ports' closure regimes.

use std::ops::Range;

use super::checker::{Checker, num, span, suggest};
use super::limits;
use crate::model::{
    BerthId, BerthOutage, ClosureStops, CorridorId, Disruption, Model, PortId, RailOutage,
    TerminalId,
};
use crate::scenario::raw::{RawDisruption, RawScenario};
use crate::sim::calendar::MONTH_DAYS;

const KINDS: [&str; 4] = ["closure", "berth_outage", "rail_outage", "severe_season"];

/// Every disruption, into the model: closures on their ports, outages on the model, severe
/// seasons applied to the closure regimes they name.
pub(super) fn disruptions(c: &mut Checker, raw: &RawScenario, model: &mut Model) {
    for (di, rd) in raw.disruptions.iter().enumerate() {
        let dp = format!("disruptions[{di}]");
        let kind = rd.kind.get_ref().as_str();
        if !KINDS.contains(&kind) {
            let hint = suggest(kind, KINDS);
            c.err(
                span(&rd.kind),
                format!("{dp}.kind"),
                format!(
                    "unknown disruption `{kind}`{hint}; expected one of {}",
                    KINDS.map(|k| format!("`{k}`")).join(", ")
                ),
            );
            continue;
        }
        refuse_stray_keys(c, rd, kind, &dp);
        if kind == "severe_season" {
            severe_season(c, rd, &dp, model);
            continue;
        }
        let measured_h = model.settings.measured_days * 24.0;
        let Some((start_h, duration_h)) = when(c, rd, &dp, measured_h) else {
            continue;
        };
        let name = rd.name.get_ref().clone();
        match kind {
            "closure" => {
                let (Some(p), Some(stops)) = (port(c, rd, &dp, model), stops(c, rd, &dp)) else {
                    continue;
                };
                model.ports[p.index()].disruptions.push(Disruption {
                    name,
                    start_h,
                    duration_h,
                    stops,
                });
            }
            "berth_outage" => {
                let Some(berths) = berths(c, rd, &dp, model) else {
                    continue;
                };
                model.berth_outages.push(BerthOutage {
                    name,
                    berths,
                    start_h,
                    duration_h,
                });
            }
            _ => {
                let Some(corridor) = corridor(c, rd, &dp, model) else {
                    continue;
                };
                model.rail_outages.push(RailOutage {
                    name,
                    corridor,
                    start_h,
                    duration_h,
                });
            }
        }
    }
}

/// A key of `[[disruptions]]`, where it is written, and the kinds it belongs to.
type KindKey<'a> = (&'static str, Option<Range<usize>>, &'a [&'a str]);

/// Keys that belong to other kinds of disruption.
fn refuse_stray_keys(c: &mut Checker, rd: &RawDisruption, kind: &str, dp: &str) {
    let keys: [KindKey<'_>; 9] = [
        ("stops", rd.stops.as_ref().map(span), &["closure"]),
        (
            "terminal",
            rd.terminal.as_ref().map(span),
            &["berth_outage"],
        ),
        ("berth", rd.berth.as_ref().map(span), &["berth_outage"]),
        ("corridor", rd.corridor.as_ref().map(span), &["rail_outage"]),
        ("regime", rd.regime.as_ref().map(span), &["severe_season"]),
        (
            "episodes_factor",
            rd.episodes_factor.as_ref().map(span),
            &["severe_season"],
        ),
        (
            "duration_factor",
            rd.duration_factor.as_ref().map(span),
            &["severe_season"],
        ),
        (
            "duration_h",
            rd.duration_h.as_ref().map(span),
            &["closure", "berth_outage", "rail_outage"],
        ),
        (
            "start_day",
            rd.start_day.as_ref().map(span),
            &["closure", "berth_outage", "rail_outage"],
        ),
    ];
    for (key, at, kinds) in keys {
        if let (Some(at), false) = (at, kinds.contains(&kind)) {
            c.err(
                at,
                format!("{dp}.{key}"),
                format!(
                    "`{key}` belongs to {}, not to `kind = \"{kind}\"`",
                    kinds
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
        }
    }
    if let (Some(d), "severe_season") = (&rd.date, kind) {
        c.err(
            span(d),
            format!("{dp}.date"),
            "a severe season lasts the design year: leave out `date`",
        );
    }
    if kind == "rail_outage" {
        if let Some(p) = &rd.port {
            c.err(
                span(p),
                format!("{dp}.port"),
                "a rail outage is named by its `corridor` (which has its port): leave out `port`",
            );
        }
    }
}

/// The start (hours into the design year) and duration of a dated disruption.
fn when(c: &mut Checker, rd: &RawDisruption, dp: &str, measured_h: f64) -> Option<(f64, f64)> {
    let start_h = match (&rd.start_day, &rd.date) {
        (Some(day), None) => {
            let d = *day.get_ref();
            if !(1.0..366.0).contains(&d) {
                c.err(
                    span(day),
                    format!("{dp}.start_day"),
                    format!(
                        "expected a day of the design year, 1 (1 January) to 365, found {}",
                        num(d)
                    ),
                );
                return None;
            }
            (d - 1.0) * 24.0
        }
        (None, Some(date)) => match date_hours(date.get_ref()) {
            Ok(h) => h,
            Err(m) => {
                c.err(span(date), format!("{dp}.date"), m);
                return None;
            }
        },
        (Some(day), Some(_)) => {
            c.err(
                span(day),
                format!("{dp}.start_day"),
                "give the start once: `start_day` or `date`",
            );
            return None;
        }
        (None, None) => {
            c.err(
                span(&rd.name),
                dp,
                "a dated disruption needs its start: `start_day` (1–365) or `date` (\"MM-DD\" or \"MM-DD HH:MM\")",
            );
            return None;
        }
    };
    let Some(d) = &rd.duration_h else {
        c.err(span(&rd.name), dp, "a dated disruption needs `duration_h`");
        return None;
    };
    let duration_h = c.number(
        d,
        &format!("{dp}.duration_h"),
        "a duration in hours",
        limits::POSITIVE_DURATION_H,
    );
    let end_h = (365.0 * 24.0f64).min(measured_h);
    if start_h + duration_h > end_h {
        let what = if measured_h < 365.0 * 24.0 {
            format!("its measured {} days", num(measured_h / 24.0))
        } else {
            "day 365".to_string()
        };
        c.err(
            span(d),
            format!("{dp}.duration_h"),
            format!(
                "the disruption runs past the end of the design year as simulated ({what}): day {} + {} h; split it, shorten it or measure more of the year",
                num(start_h / 24.0 + 1.0),
                num(duration_h)
            ),
        );
        return None;
    }
    Some((start_h, duration_h))
}

/// Hours after 1 January 00:00 of a date `"MM-DD"` or `"MM-DD HH:MM"` (365-day years).
///
/// ```text
/// "08-26 14:00" → 5,774 h (day 238, 14:00)
/// ```
fn date_hours(text: &str) -> Result<f64, String> {
    let bad = || {
        format!(
            "expected a date of the design year, \"MM-DD\" or \"MM-DD HH:MM\" (e.g. \"08-26 14:00\"), found \"{text}\""
        )
    };
    let (date, time) = match text.trim().split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text.trim(), None),
    };
    let (m, d) = date.split_once('-').ok_or_else(bad)?;
    let (m, d): (usize, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&m) || d < 1 || d > MONTH_DAYS[m - 1] {
        return Err(format!(
            "{} (no such day in a 365-day design year; 29 February is not modelled)",
            bad()
        ));
    }
    let (hh, mm) = match time {
        None => (0u32, 0u32),
        Some(t) => {
            let (h, mi) = t.split_once(':').ok_or_else(bad)?;
            (
                h.parse().map_err(|_| bad())?,
                mi.parse().map_err(|_| bad())?,
            )
        }
    };
    if hh > 23 || mm > 59 {
        return Err(bad());
    }
    let days_before: u32 = MONTH_DAYS[..m - 1].iter().sum();
    Ok(f64::from(days_before + d - 1) * 24.0 + f64::from(hh) + f64::from(mm) / 60.0)
}

fn port(c: &mut Checker, rd: &RawDisruption, dp: &str, model: &Model) -> Option<PortId> {
    let Some(p) = &rd.port else {
        c.err(span(&rd.name), dp, "this disruption needs its `port`");
        return None;
    };
    match model.ports.iter().position(|x| &x.name == p.get_ref()) {
        Some(i) => Some(PortId(i as u32)),
        None => {
            let hint = suggest(p.get_ref(), model.ports.iter().map(|x| x.name.as_str()));
            c.err(
                span(p),
                format!("{dp}.port"),
                format!("unknown port `{}`{hint}", p.get_ref()),
            );
            None
        }
    }
}

fn stops(c: &mut Checker, rd: &RawDisruption, dp: &str) -> Option<ClosureStops> {
    let Some(list) = &rd.stops else {
        c.err(
            span(&rd.name),
            dp,
            "a closure needs `stops`: `[\"channel\"]`, `[\"handling\"]` or both",
        );
        return None;
    };
    let mut stops = ClosureStops {
        channel: false,
        handling: false,
    };
    for s in list.get_ref() {
        match s.as_str() {
            "channel" => stops.channel = true,
            "handling" => stops.handling = true,
            other => c.err(
                span(list),
                format!("{dp}.stops"),
                format!("unknown closure effect `{other}`; expected `channel` or `handling`"),
            ),
        }
    }
    if !stops.channel && !stops.handling {
        c.err(
            span(list),
            format!("{dp}.stops"),
            "expected at least one of `channel`, `handling`",
        );
        return None;
    }
    Some(stops)
}

/// A berth outage's berths: one berth (all of a `count` under its name) or the whole terminal.
fn berths(c: &mut Checker, rd: &RawDisruption, dp: &str, model: &Model) -> Option<Vec<BerthId>> {
    let p = port(c, rd, dp, model)?;
    let Some(t) = &rd.terminal else {
        c.err(
            span(&rd.name),
            dp,
            "a berth outage needs its `terminal` (and, for one berth of it, `berth`)",
        );
        return None;
    };
    let terms: Vec<usize> = (0..model.terminals.len())
        .filter(|&i| model.terminals[i].port == p)
        .collect();
    let Some(&ti) = terms
        .iter()
        .find(|&&i| &model.terminals[i].name == t.get_ref())
    else {
        let hint = suggest(
            t.get_ref(),
            terms.iter().map(|&i| model.terminals[i].name.as_str()),
        );
        c.err(
            span(t),
            format!("{dp}.terminal"),
            format!(
                "unknown terminal `{}` at {}{hint}",
                t.get_ref(),
                model.ports[p.index()].name
            ),
        );
        return None;
    };
    let of_terminal = (0..model.berths.len()).filter(|&b| model.berths[b].terminal.index() == ti);
    let chosen: Vec<BerthId> = match &rd.berth {
        None => of_terminal.map(|b| BerthId(b as u32)).collect(),
        Some(name) => {
            let n = name.get_ref();
            let found = super::terminals::berths_named(model, TerminalId(ti as u32), n);
            if found.is_empty() {
                let names = super::terminals::berth_names(model, TerminalId(ti as u32));
                let hint = suggest(n, names.iter().map(String::as_str));
                c.err(
                    span(name),
                    format!("{dp}.berth"),
                    format!("unknown berth `{n}` at terminal `{}`{hint}", t.get_ref()),
                );
                return None;
            }
            found
        }
    };
    Some(chosen)
}

fn corridor(c: &mut Checker, rd: &RawDisruption, dp: &str, model: &Model) -> Option<CorridorId> {
    let Some(k) = &rd.corridor else {
        c.err(span(&rd.name), dp, "a rail outage needs its `corridor`");
        return None;
    };
    match model.corridors.iter().position(|x| &x.name == k.get_ref()) {
        Some(i) => Some(CorridorId(i as u32)),
        None => {
            let hint = suggest(k.get_ref(), model.corridors.iter().map(|x| x.name.as_str()));
            c.err(
                span(k),
                format!("{dp}.corridor"),
                format!("unknown corridor `{}`{hint}", k.get_ref()),
            );
            None
        }
    }
}

/// A severe season: the named closure regime's episodes and durations multiplied, at one port
/// or at every port that has the regime.
fn severe_season(c: &mut Checker, rd: &RawDisruption, dp: &str, model: &mut Model) {
    let Some(regime) = &rd.regime else {
        c.err(span(&rd.name), dp, "a severe season needs the `regime` it makes worse (a `[[ports.closures]]` name, e.g. \"sea ice\")");
        return;
    };
    let factor = |c: &mut Checker, v: &Option<crate::scenario::raw::SNum>, key: &str| {
        v.as_ref().map_or(1.0, |v| {
            c.number(
                v,
                &format!("{dp}.{key}"),
                "a factor",
                limits::SEVERITY_FACTOR,
            )
        })
    };
    let episodes = factor(c, &rd.episodes_factor, "episodes_factor");
    let duration = factor(c, &rd.duration_factor, "duration_factor");
    if rd.episodes_factor.is_none() && rd.duration_factor.is_none() {
        c.err(
            span(&rd.name),
            dp,
            "a severe season needs `episodes_factor`, `duration_factor` or both",
        );
        return;
    }
    let ports: Vec<usize> = match &rd.port {
        Some(_) => match port(c, rd, dp, model) {
            Some(p) => vec![p.index()],
            None => return,
        },
        None => (0..model.ports.len()).collect(),
    };
    let mut found = false;
    for p in ports {
        for r in model.ports[p]
            .closures
            .iter_mut()
            .filter(|r| &r.name == regime.get_ref())
        {
            r.episodes_per_month *= episodes;
            r.duration_h = r.duration_h.scaled(duration);
            found = true;
        }
    }
    if !found {
        let mut names: Vec<&str> = model
            .ports
            .iter()
            .flat_map(|p| p.closures.iter().map(|r| r.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        let hint = suggest(regime.get_ref(), names.iter().copied());
        let at = rd
            .port
            .as_ref()
            .map_or(String::new(), |p| format!(" at {}", p.get_ref()));
        c.err(
            span(regime),
            format!("{dp}.regime"),
            format!("no closure regime `{}`{at}{hint}", regime.get_ref()),
        );
    }
}
