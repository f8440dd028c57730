//! Sentences on a sweep's goals: how many hold at every point, at none, or depend on the
//! point; which points meet every goal; and for each goal not met everywhere, where it is met
//! (in a grid, by the parameter that decides it when one does) and how far its metric ranges.

use std::collections::BTreeMap;

use super::{Finding, Quote, Topic, place, style_for, words};
use crate::experiment::{SweepDesign, SweepManifest};
use crate::report::saved::{Saved, SavedTarget};

/// The anchor of the report's table of the goals at each point.
pub(crate) const SWEEP_GOALS: &str = "sweep-goals";

/// A value's text longer than this names its point by number alone (a whole `[growth]`
/// table is no name; the sweep file's `labels` give short ones).
const LONGEST_NAME: usize = 24;

/// One goal of a sweep, with its rows at the points where it was judged.
pub(crate) struct PointGoal<'a> {
    /// Each judged point's row (`met` is `yes` or `no`), in point order.
    pub rows: Vec<(usize, &'a SavedTarget)>,
}

impl PointGoal<'_> {
    /// How many of its points meet it.
    pub fn met(&self) -> usize {
        self.rows.iter().filter(|(_, t)| t.met == "yes").count()
    }
}

/// A sweep's goals in the order `targets.csv` first lists them, each with its judged rows
/// (a goal is its year, place, cargo, metric, bound and target).
pub(crate) fn point_goals(saved: &Saved) -> Vec<PointGoal<'_>> {
    let mut order: Vec<String> = Vec::new();
    let mut by_key: BTreeMap<String, Vec<(usize, &SavedTarget)>> = BTreeMap::new();
    for (point, t) in &saved.point_targets {
        let key = format!(
            "{}|{}|{}|{}|{:?}|{}",
            t.year, t.port, t.cargo, t.metric, t.bound, t.target
        );
        if !by_key.contains_key(&key) {
            order.push(key.clone());
        }
        let rows = by_key.entry(key).or_default();
        if t.met == "yes" || t.met == "no" {
            rows.push((*point, t));
        }
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .filter(|rows| !rows.is_empty())
        .map(|rows| PointGoal { rows })
        .collect()
}

/// A point's settings, "growth = low, projects = all": its parameters' values by their labels,
/// or by their text (a long number to four significant digits) where each is short enough to
/// read; none where one is not (a whole `[growth]` table is no name).
fn settings(saved: &Saved, point: usize) -> Option<String> {
    let (params, values) = (saved.parameters(), saved.point_values());
    let labelled = saved.manifest.get("point_labels").is_some();
    let shown: Vec<String> = values
        .get(point)?
        .iter()
        .map(|x| if labelled { x.clone() } else { short_number(x) })
        .collect();
    if !labelled && shown.iter().any(|x| x.chars().count() > LONGEST_NAME) {
        return None;
    }
    let set: Vec<String> = params
        .iter()
        .zip(&shown)
        .map(|(p, x)| format!("{p} = {x}"))
        .collect();
    Some(set.join(", "))
}

/// A number written with more digits than a sentence needs (a sampled 0.8002062190799819), to
/// four significant digits; anything else as it is.
fn short_number(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(x) if text.len() > 8 && x.is_finite() && x != 0.0 => {
            let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
            let s = format!("{x:.digits$}");
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            }
        }
        _ => text.to_string(),
    }
}

/// A point's name in a list: "3 (growth = low, projects = all)", or "3".
pub(crate) fn point_name(saved: &Saved, point: usize) -> String {
    match settings(saved, point) {
        Some(set) => format!("{point} ({set})"),
        None => point.to_string(),
    }
}

/// A point in parentheses after a figure: "point 3: growth = low, projects = all", or
/// "point 3".
fn point_where(saved: &Saved, point: usize) -> String {
    match settings(saved, point) {
        Some(set) => format!("point {point}: {set}"),
        None => format!("point {point}"),
    }
}

/// The findings on a sweep's goals (none for a sweep whose scenario sets no goals).
pub(super) fn sweep_goals(saved: &Saved) -> Vec<Finding> {
    let goals = point_goals(saved);
    if goals.is_empty() {
        return Vec::new();
    }
    let points: std::collections::BTreeSet<usize> =
        saved.point_targets.iter().map(|(p, _)| *p).collect();
    let everywhere = goals.iter().filter(|g| g.met() == g.rows.len()).count();
    let nowhere = goals.iter().filter(|g| g.met() == 0).count();
    let mut head = format!(
        "Across the {} points, {everywhere} of {} goals {} met at every point, {nowhere} at none",
        points.len(),
        goals.len(),
        if everywhere == 1 { "is" } else { "are" }
    );
    let between = goals.len() - everywhere - nowhere;
    head += &if between > 0 {
        format!(
            " and {between} {} on the point. ",
            if between == 1 { "depends" } else { "depend" }
        )
    } else {
        ". ".into()
    };
    // The points that meet every goal judged there; and if none does, every goal met
    // somewhere (the goals out of reach at every point set aside).
    let meeting = |goals: &[&PointGoal]| -> Vec<usize> {
        // One pass over the rows (a study may have 10,000 points × 20 goals).
        let failed: std::collections::BTreeSet<usize> = goals
            .iter()
            .flat_map(|g| g.rows.iter())
            .filter(|(_, t)| t.met != "yes")
            .map(|(p, _)| *p)
            .collect();
        points.difference(&failed).copied().collect()
    };
    let named = |at: &[usize]| -> String {
        let names: Vec<String> = at.iter().map(|p| point_name(saved, *p)).collect();
        match at.len() {
            1 => format!("1 point: {}", names[0]),
            n if n <= 6 => format!("{n} points: {}", names.join("; ")),
            n => format!("{n} of the points"),
        }
    };
    let every: Vec<&PointGoal> = goals.iter().collect();
    let reachable: Vec<&PointGoal> = goals.iter().filter(|g| g.met() > 0).collect();
    let all_met = meeting(&every);
    head += &if all_met.len() == points.len() {
        "Every point meets every goal.".to_string()
    } else if !all_met.is_empty() {
        format!("Every goal is met at {}.", named(&all_met))
    } else if nowhere > 0 && !reachable.is_empty() && !meeting(&reachable).is_empty() {
        format!(
            "No point meets every goal; leaving out the {nowhere} met at none, the others are all met at {}.",
            named(&meeting(&reachable))
        )
    } else {
        "No point meets every goal.".to_string()
    };
    let mut out = vec![Finding::new(Topic::PointGoals, SWEEP_GOALS).text(head)];
    let mut partial: Vec<&PointGoal> = goals.iter().filter(|g| g.met() < g.rows.len()).collect();
    // The goals met at the fewest points first.
    partial.sort_by(|a, b| {
        let share = |g: &PointGoal| g.met() as f64 / g.rows.len() as f64;
        share(a).total_cmp(&share(b))
    });
    let grid = serde_json::from_value::<SweepManifest>(saved.manifest.clone())
        .is_ok_and(|m| m.design() == SweepDesign::Grid);
    for g in partial {
        out.push(goal_sentence(saved, g, grid));
    }
    out
}

/// "2030, the cluster: waiting / service (liquid chemicals) against a goal of at most 0.30 —
/// met at 6 of 12 points, exactly where projects = all; from 0.21 (point 7) to 0.62 (point 0)."
fn goal_sentence(saved: &Saved, g: &PointGoal, grid: bool) -> Finding {
    let t = g.rows[0].1;
    let (_, scale, digits, unit) = style_for(&t.metric, t.target);
    let q = |point: usize, column: &str, value: f64| {
        Quote::new(
            "targets.csv",
            vec![
                ("point", point.to_string()),
                ("year", t.year.to_string()),
                ("port", t.port.clone()),
                ("cargo", t.cargo.clone()),
                ("metric", t.metric.clone()),
                // A metric may have two goals (a floor and a ceiling, or two floors).
                ("bound", t.bound.label()),
                ("target", crate::report::output::fmt_num(t.target)),
            ],
            column,
            value,
            (scale, digits, unit),
        )
    };
    let cargo = if t.cargo == "ALL" {
        String::new()
    } else {
        format!(" ({})", crate::model::cargo_words(&t.cargo))
    };
    let f = Finding::new(Topic::PointGoalMissed, SWEEP_GOALS).text(format!(
        "{}, {}: {}{cargo} against a goal of ",
        t.year,
        place(&t.port),
        words(&t.metric)
    ));
    let first = g.rows[0].0;
    let f = match t.bound {
        crate::model::Bound::AtLeast => f.text("at least ").fig(q(first, "target", t.target)),
        crate::model::Bound::AtMost => f.text("at most ").fig(q(first, "target", t.target)),
        crate::model::Bound::Within { tolerance } => f
            .fig(q(first, "target", t.target))
            .text(format!(" ± {:.0} %", 100.0 * tolerance)),
    };
    let (met, n) = (g.met(), g.rows.len());
    let mut f = f.text(match met {
        0 => format!(" — met at none of its {n} points"),
        m => format!(" — met at {m} of {n} points"),
    });
    if met > 0 {
        f = f.text(where_met(saved, g, grid));
    }
    let lowest = g.rows.iter().min_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
    let highest = g.rows.iter().max_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
    match (lowest, highest) {
        // Equal as shown: one figure.
        (Some(lo), Some(hi))
            if q(lo.0, "mean", lo.1.mean).shown() == q(hi.0, "mean", hi.1.mean).shown() =>
        {
            f.text("; ")
                .fig(q(lo.0, "mean", lo.1.mean))
                .text(" at every one.")
        }
        (Some(lo), Some(hi)) => f
            .text("; from ")
            .fig(q(lo.0, "mean", lo.1.mean))
            .text(format!(" ({}) to ", point_where(saved, lo.0)))
            .fig(q(hi.0, "mean", hi.1.mean))
            .text(format!(" ({}).", point_where(saved, hi.0))),
        _ => f.text("."),
    }
}

/// Where a goal met at some points is met: in a grid, "exactly where P = a or b" (or "P ≤ x"
/// for numbers) when one parameter decides it, or "where P … and Q …" when two do together;
/// else the few points met or missed.
fn where_met(saved: &Saved, g: &PointGoal, grid: bool) -> String {
    let (params, values) = (saved.parameters(), saved.point_values());
    if grid {
        let k = params.len();
        let pairs = (0..k)
            .map(|a| (a, a))
            .chain((0..k).flat_map(|a| (a + 1..k).map(move |b| (a, b))));
        for (a, b) in pairs.clone() {
            if let Some(w) = decided_by(g, &values, &params, (a, b), "yes") {
                return format!(", exactly where {w}");
            }
        }
        // Missed where one or two settings hold: met everywhere else.
        for (a, b) in pairs {
            if let Some(w) = decided_by(g, &values, &params, (a, b), "no") {
                return format!(", everywhere except where {w}");
            }
        }
    }
    let at = |met: &str| -> Vec<usize> {
        g.rows
            .iter()
            .filter(|(_, t)| t.met == met)
            .map(|(p, _)| *p)
            .collect()
    };
    // Named only when few (naming reads the points from the manifest).
    let names = |at: &[usize]| -> String {
        let n: Vec<String> = at.iter().map(|p| point_name(saved, *p)).collect();
        n.join("; ")
    };
    let (yes, no) = (at("yes"), at("no"));
    if yes.len() <= 4 {
        format!(": {}", names(&yes))
    } else if no.len() <= 4 {
        format!(", all but {}", names(&no))
    } else {
        String::new()
    }
}

/// Whether parameters `a` and `b` (one parameter when they are the same) decide the goal:
/// `want` (`yes` where it is met, or `no` where it is missed) holds exactly at the points whose
/// value of each is among the values of the points where it holds, and each such set leaves
/// some value out. Then those sets, in words.
fn decided_by(
    g: &PointGoal,
    values: &[Vec<String>],
    params: &[String],
    (a, b): (usize, usize),
    want: &str,
) -> Option<String> {
    let value = |p: usize, k: usize| values.get(p)?.get(k).map(String::as_str);
    let mut sets: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for k in if a == b { vec![a] } else { vec![a, b] } {
        // Every value the goal was judged at, in point order, and those of the points met.
        let (mut all, mut met) = (Vec::new(), Vec::new());
        for (p, t) in &g.rows {
            let v = value(*p, k)?;
            if !all.contains(&v) {
                all.push(v);
            }
            if t.met == want && !met.contains(&v) {
                met.push(v);
            }
        }
        if met.len() == all.len() {
            return None;
        }
        sets.push((all, met));
    }
    let decides = g.rows.iter().all(|(p, t)| {
        let inside = sets
            .iter()
            .zip([a, b])
            .all(|((_, met), k)| value(*p, k).is_some_and(|v| met.contains(&v)));
        inside == (t.met == want)
    });
    if !decides {
        return None;
    }
    let words: Vec<String> = sets
        .iter()
        .zip([a, b])
        .map(|((all, met), k)| format!("{} {}", params.get(k).map_or("?", |s| s), among(all, met)))
        .collect();
    Some(words.join(" and "))
}

/// `met`, some of the values `all`, in words: a bound where they are numbers from the lowest
/// or up to the highest (written as the sweep wrote them), else `= a, b or c`.
fn among(all: &[&str], met: &[&str]) -> String {
    let numbers: Option<Vec<(f64, &str)>> = all
        .iter()
        .map(|v| v.parse::<f64>().ok().map(|x| (x, *v)))
        .collect();
    if let Some(mut nums) = numbers {
        nums.sort_by(|x, y| x.0.total_cmp(&y.0));
        let inside = |n: &(f64, &str)| met.contains(&n.1);
        let flips = nums
            .windows(2)
            .filter(|w| inside(&w[0]) != inside(&w[1]))
            .count();
        let mut met_nums = nums.iter().filter(|n| inside(n));
        if flips == 1 {
            return if inside(&nums[0]) {
                format!("≤ {}", met_nums.next_back().map_or("", |n| n.1))
            } else {
                format!("≥ {}", met_nums.next().map_or("", |n| n.1))
            };
        }
    }
    match met {
        [one] => format!("= {one}"),
        [rest @ .., last] => format!("= {} or {last}", rest.join(", ")),
        [] => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{among, short_number};

    #[test]
    fn a_sampled_number_is_named_to_four_significant_digits() {
        assert_eq!(short_number("0.8002062190799819"), "0.8002");
        assert_eq!(short_number("1532.2501912"), "1532");
        assert_eq!(short_number("1.6998040478074836"), "1.7");
        assert_eq!(short_number("0.000512345678"), "0.0005123");
        assert_eq!(short_number("1.25"), "1.25");
        assert_eq!(short_number("low"), "low");
    }

    #[test]
    fn values_read_as_a_bound_only_when_numbers_meet_it_from_one_end() {
        assert_eq!(among(&["0.9", "1.0", "1.2"], &["0.9", "1.0"]), "≤ 1.0");
        assert_eq!(among(&["1.2", "0.9", "1.0"], &["1.2"]), "≥ 1.2");
        // Met in the middle: no bound, the values themselves.
        assert_eq!(among(&["0.9", "1.0", "1.2"], &["1.0"]), "= 1.0");
        assert_eq!(
            among(&["0.9", "1.0", "1.2"], &["0.9", "1.2"]),
            "= 0.9 or 1.2"
        );
        assert_eq!(
            among(&["low", "central", "high"], &["low", "central"]),
            "= low or central"
        );
        assert_eq!(
            among(&["a", "b", "c", "d"], &["a", "b", "c"]),
            "= a, b or c"
        );
    }
}
