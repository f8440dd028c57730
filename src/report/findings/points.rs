//! Sentences on a sweep's goals: how many hold at every point, at none, or depend on the
//! point; which points meet every goal; and for each goal not met everywhere, where it is met
//! (in a grid, by the one or two parameters that decide it when they do) and how far its
//! metric ranges.
//!
//! A point where a goal is not judged (`met = n/a`: the runs report no such value) does not
//! meet it: no sentence counts it as met.

use std::collections::{BTreeMap, BTreeSet};

use super::{Finding, Quote, Topic, goal_row, place, style_for, words};
use crate::experiment::{SweepDesign, SweepManifest};
use crate::report::corridors::CorridorNames;
use crate::report::saved::{Saved, SavedTarget};

/// The anchor of the report's table of the goals at each point.
pub(crate) const SWEEP_GOALS: &str = "sweep-goals";

/// An unlabelled value's text longer than this names its point by number alone (a whole
/// `[growth]` table is no name; the sweep file's `labels` give short ones).
const LONGEST_NAME: usize = 24;

/// A sweep's points as the report names them.
pub(crate) struct SweepPoints {
    /// Parameter paths, in column order.
    params: Vec<String>,
    /// Each point's values as the result files write them.
    raw: Vec<Vec<String>>,
    /// Each point's values by the sweep file's labels (as `raw` where it gives none).
    named: Vec<Vec<String>>,
    /// Whether each parameter is labelled.
    labelled: Vec<bool>,
}

impl SweepPoints {
    /// The points of a saved sweep (none for other commands).
    pub fn of(saved: &Saved) -> SweepPoints {
        let get = |k: &str| -> Vec<Vec<String>> {
            saved
                .manifest
                .get(k)
                .and_then(|p| serde_json::from_value(p.clone()).ok())
                .unwrap_or_default()
        };
        let (raw, labels) = (get("points"), get("point_labels"));
        let params = saved.parameters();
        let labelled = (0..params.len())
            .map(|k| labels.iter().zip(&raw).any(|(l, r)| l.get(k) != r.get(k)))
            .collect();
        let named = if labels.len() == raw.len() {
            labels
        } else {
            raw.clone()
        };
        SweepPoints {
            params,
            raw,
            named,
            labelled,
        }
    }

    /// A point's value of parameter `k` by its label, if the sweep file gives it one.
    pub fn label(&self, point: usize, k: usize) -> Option<&str> {
        self.labelled
            .get(k)
            .copied()
            .unwrap_or(false)
            .then(|| self.named.get(point)?.get(k).map(String::as_str))
            .flatten()
    }

    /// A point's settings, "growth = low, projects = all": labelled values by their labels,
    /// the others by their text (a long number to four significant digits); none where an
    /// unlabelled value is too long to read.
    fn settings(&self, point: usize) -> Option<String> {
        let values = self.raw.get(point)?;
        let mut set = Vec::with_capacity(values.len());
        for (k, (p, v)) in self.params.iter().zip(values).enumerate() {
            let shown = match self.label(point, k) {
                Some(l) => l.to_string(),
                None => short_number(v),
            };
            if self.label(point, k).is_none() && shown.chars().count() > LONGEST_NAME {
                return None;
            }
            set.push(format!("{p} = {shown}"));
        }
        Some(set.join(", "))
    }

    /// A point's name in a list: "3 (growth = low, projects = all)", or "3".
    pub fn name(&self, point: usize) -> String {
        match self.settings(point) {
            Some(set) => format!("{point} ({set})"),
            None => point.to_string(),
        }
    }

    /// A point in parentheses after a figure: "point 3: growth = low, projects = all", or
    /// "point 3".
    fn at(&self, point: usize) -> String {
        match self.settings(point) {
            Some(set) => format!("point {point}: {set}"),
            None => format!("point {point}"),
        }
    }
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

/// One goal of a sweep, with its row at every point.
pub(crate) struct PointGoal<'a> {
    /// Each point's row, in point order (`met` is `yes`, `no` or `n/a`).
    pub rows: Vec<(usize, &'a SavedTarget)>,
}

impl PointGoal<'_> {
    /// How many of its points meet it.
    pub fn met(&self) -> usize {
        self.rows.iter().filter(|(_, t)| t.met == "yes").count()
    }

    /// How many of its points judge it (the others report no value for its metric).
    pub fn judged(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, t)| t.met == "yes" || t.met == "no")
            .count()
    }

    /// The rows with the least and the greatest target (the same row unless the sweep varies
    /// the goal's own value).
    pub fn target_ends(&self) -> ((usize, &SavedTarget), (usize, &SavedTarget)) {
        let by_target = |a: &&(usize, &SavedTarget), b: &&(usize, &SavedTarget)| {
            a.1.target.total_cmp(&b.1.target)
        };
        let lo = *self.rows.iter().min_by(by_target).unwrap_or(&self.rows[0]);
        let hi = *self.rows.iter().max_by(by_target).unwrap_or(&self.rows[0]);
        (lo, hi)
    }

    /// The rows judged, lowest mean first.
    pub fn by_mean(&self) -> Vec<(usize, &SavedTarget)> {
        let mut v: Vec<_> = self
            .rows
            .iter()
            .copied()
            .filter(|(_, t)| t.mean.is_finite() && t.met != "n/a")
            .collect();
        v.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
        v
    }
}

/// A sweep's goals in the order `targets.csv` first lists them. A goal is the scenario's
/// n-th target (its year, place, cargo and metric): a sweep of the target's own bound (its
/// value, tolerance or kind) keeps one goal, whose bound varies with the point.
pub(crate) fn point_goals(saved: &Saved) -> Vec<PointGoal<'_>> {
    let mut order: Vec<String> = Vec::new();
    let mut by_key: BTreeMap<String, Vec<(usize, &SavedTarget)>> = BTreeMap::new();
    let mut nth: BTreeMap<usize, usize> = BTreeMap::new();
    for (point, t) in &saved.point_targets {
        let n = nth.entry(*point).or_default();
        let key = format!("{n}|{}|{}|{}|{}", t.year, t.port, t.cargo, t.metric);
        *n += 1;
        if !by_key.contains_key(&key) {
            order.push(key.clone());
        }
        by_key.entry(key).or_default().push((*point, t));
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .map(|rows| PointGoal { rows })
        .collect()
}

/// The findings on a sweep's goals (none for a sweep whose scenario sets no goals).
pub(super) fn sweep_goals(saved: &Saved) -> Vec<Finding> {
    let all = point_goals(saved);
    let unjudged = all.iter().filter(|g| g.judged() == 0).count();
    let goals: Vec<&PointGoal> = all.iter().filter(|g| g.judged() > 0).collect();
    if goals.is_empty() {
        return Vec::new();
    }
    let sp = SweepPoints::of(saved);
    let points: BTreeSet<usize> = saved.point_targets.iter().map(|(p, _)| *p).collect();
    // Every point: a goal the sweep sets at only some points is not met at the others.
    let everywhere = goals.iter().filter(|g| g.met() == points.len()).count();
    let nowhere = goals.iter().filter(|g| g.met() == 0).count();
    let between = goals.len() - everywhere - nowhere;
    let mut head = format!(
        "Across the {} points, {everywhere} of {} goals {} met at every point, {nowhere} at none",
        points.len(),
        goals.len(),
        if everywhere == 1 { "is" } else { "are" }
    );
    if between > 0 {
        let verb = if between == 1 { "depends" } else { "depend" };
        head += &format!(" and {between} {verb} on the point");
    }
    if unjudged > 0 {
        head += &format!(" ({unjudged} more judged at no point: the runs report no such value)");
    }
    head += ". ";
    let grid = serde_json::from_value::<SweepManifest>(saved.manifest.clone())
        .is_ok_and(|m| m.design() == SweepDesign::Grid);
    head += &meeting_every_goal(&sp, &goals, &points, (nowhere, grid));
    let mut out = vec![Finding::new(Topic::PointGoals, SWEEP_GOALS).text(head)];
    let mut partial: Vec<&PointGoal> = goals
        .iter()
        .copied()
        .filter(|g| g.met() < points.len())
        .collect();
    // The goals met at the fewest points first.
    partial.sort_by(|a, b| {
        let share = |g: &PointGoal| g.met() as f64 / g.rows.len() as f64;
        share(a).total_cmp(&share(b))
    });
    let names = CorridorNames::of(saved);
    for g in partial {
        out.push(goal_sentence(&sp, g, grid, &names));
    }
    out
}

/// Which points meet every goal; if none does, which meet every goal met somewhere (the goals
/// out of reach at every point set aside).
fn meeting_every_goal(
    sp: &SweepPoints,
    goals: &[&PointGoal],
    points: &BTreeSet<usize>,
    (nowhere, grid): (usize, bool),
) -> String {
    let meeting = |goals: &[&PointGoal]| -> Vec<usize> {
        // One pass over the rows (a study may have 10,000 points × 20 goals).
        let failed: BTreeSet<usize> = goals
            .iter()
            .flat_map(|g| g.rows.iter())
            .filter(|(_, t)| t.met != "yes")
            .map(|(p, _)| *p)
            .collect();
        points.difference(&failed).copied().collect()
    };
    let named = |at: &[usize]| -> String {
        if at.len() == points.len() {
            return "every point".into();
        }
        match at {
            [one] => format!("1 point: {}", sp.name(*one)),
            _ if at.len() <= 6 => {
                let names: Vec<String> = at.iter().map(|p| sp.name(*p)).collect();
                format!("{} points: {}", at.len(), names.join("; "))
            }
            // Many: in a grid, the settings that decide them, if one or two parameters do.
            _ => {
                let first = goals.first().and_then(|g| g.rows.first());
                let (Some(first), true) = (first, grid) else {
                    return format!("{} of the points", at.len());
                };
                let inside: BTreeSet<usize> = at.iter().copied().collect();
                let marks: Vec<SavedTarget> = points
                    .iter()
                    .map(|p| SavedTarget {
                        met: if inside.contains(p) { "yes" } else { "no" }.into(),
                        ..first.1.clone()
                    })
                    .collect();
                let all = PointGoal {
                    rows: points.iter().copied().zip(&marks).collect(),
                };
                let w = where_met(sp, &all, grid).unwrap_or_default();
                format!("{} of the points{w}", at.len())
            }
        }
    };
    let all_met = meeting(goals);
    if all_met.len() == points.len() {
        return "Every point meets every goal.".into();
    }
    if !all_met.is_empty() {
        return format!("Every goal is met at {}.", named(&all_met));
    }
    let reachable: Vec<&PointGoal> = goals.iter().copied().filter(|g| g.met() > 0).collect();
    let at = meeting(&reachable);
    if nowhere > 0 && !reachable.is_empty() && !at.is_empty() {
        format!(
            "No point meets every goal; leaving out the {nowhere} met at none, the others are all met at {}.",
            named(&at)
        )
    } else {
        "No point meets every goal.".into()
    }
}

/// A figure of a goal's row in `targets.csv`, shown in the goal's style.
fn goal_quote(
    point: usize,
    t: &SavedTarget,
    column: &str,
    value: f64,
    first: &SavedTarget,
) -> Quote {
    let (_, scale, digits, unit) = style_for(&first.metric, first.target);
    Quote::new(
        "targets.csv",
        goal_row(("point", point.to_string()), t),
        column,
        value,
        (scale, digits, unit),
    )
}

/// "2030, the cluster: waiting / service (liquid chemicals) against a goal of at most 0.30 —
/// met at 4 of 12 points, exactly where …; 0.15 to 0.23 where it is met, 0.32 to 2.50 where it
/// is not." (or, where nothing decides it, its lowest and highest mean and their points).
fn goal_sentence(sp: &SweepPoints, g: &PointGoal, grid: bool, names: &CorridorNames) -> Finding {
    let t = g.rows[0].1;
    let q = |(point, r): (usize, &SavedTarget), column: &str, value: f64| {
        goal_quote(point, r, column, value, t)
    };
    let cargo = if t.cargo == "ALL" {
        String::new()
    } else {
        format!(" ({})", crate::model::cargo_words(&t.cargo))
    };
    let f = Finding::new(Topic::PointGoalMissed, SWEEP_GOALS).text(format!(
        "{}, {}: {}{cargo} against a goal of ",
        t.year,
        place(names, &t.scenario, &t.port),
        words(&t.metric)
    ));
    // The bound, or its range where the sweep varies it.
    let (lo, hi) = g.target_ends();
    let target = |f: Finding| {
        if lo.1.target == hi.1.target {
            f.fig(q(lo, "target", lo.1.target))
        } else {
            f.fig(q(lo, "target", lo.1.target))
                .text(" to ")
                .fig(q(hi, "target", hi.1.target))
        }
    };
    let f = match bound_kinds(g) {
        BoundKinds::AtLeast => target(f.text("at least ")),
        BoundKinds::AtMost => target(f.text("at most ")),
        BoundKinds::Within(lo, hi) if lo == hi => target(f).text(format!(" ± {:.0} %", 100.0 * lo)),
        BoundKinds::Within(lo, hi) => {
            target(f).text(format!(" ± {:.0} to {:.0} %", 100.0 * lo, 100.0 * hi))
        }
        BoundKinds::Mixed => f.text("a kind the sweep varies (each point's in targets.csv)"),
    };
    let (met, n) = (g.met(), g.rows.len());
    let mut f = f.text(match met {
        0 => format!(" — met at none of its {n} points"),
        m => format!(" — met at {m} of {n} points"),
    });
    let unjudged = n - g.judged();
    if unjudged > 0 {
        f = f.text(format!(
            " (judged at {} of them: the others report no such value)",
            g.judged()
        ));
    }
    let decided = if met > 0 {
        where_met(sp, g, grid)
    } else {
        None
    };
    let sorted = g.by_mean();
    let (Some(&lowest), Some(&highest)) = (sorted.first(), sorted.last()) else {
        return f.text(".");
    };
    let span = |f: Finding, rows: &[&(usize, &SavedTarget)]| {
        let (a, b) = (*rows[0], *rows[rows.len() - 1]);
        let (qa, qb) = (q(a, "mean", a.1.mean), q(b, "mean", b.1.mean));
        if qa.shown() == qb.shown() {
            f.fig(qa)
        } else {
            f.fig(qa).text(" to ").fig(qb)
        }
    };
    match decided {
        // Decided by the parameters: the spread within each side is not theirs to explain.
        Some(w) => {
            let f = f.text(format!("{w}; "));
            let yes: Vec<_> = sorted.iter().filter(|(_, r)| r.met == "yes").collect();
            let no: Vec<_> = sorted.iter().filter(|(_, r)| r.met != "yes").collect();
            let f = span(f, &yes).text(" where it is met");
            if no.is_empty() {
                f.text(".")
            } else {
                span(f.text(", "), &no).text(" where it is not.")
            }
        }
        None => {
            let f = match met {
                0 => f,
                _ => f.text(few_points(sp, g)),
            };
            // In a sample (no grid to decide it), the parameter it leans on most, if one does.
            let f = match (grid, met > 0 && met < n) {
                (false, true) => f.text(leaning(sp, g).unwrap_or_default()),
                _ => f,
            };
            let (a, b) = (
                q(lowest, "mean", lowest.1.mean),
                q(highest, "mean", highest.1.mean),
            );
            if a.shown() == b.shown() {
                f.text("; ").fig(a).text(" at every one.")
            } else {
                f.text("; from ")
                    .fig(a)
                    .text(format!(" ({}) to ", sp.at(lowest.0)))
                    .fig(b)
                    .text(format!(" ({}).", sp.at(highest.0)))
            }
        }
    }
}

/// How a goal bounds its metric across the points.
pub(crate) enum BoundKinds {
    /// At least its target, at every point.
    AtLeast,
    /// At most its target, at every point.
    AtMost,
    /// Within a tolerance of its target, at every point: the least and greatest tolerance.
    Within(f64, f64),
    /// Bounded one way at some points and another at others.
    Mixed,
}

/// How a goal bounds its metric across its points.
pub(crate) fn bound_kinds(g: &PointGoal) -> BoundKinds {
    use crate::model::Bound;
    let mut kinds = g.rows.iter().map(|(_, t)| t.bound);
    let Some(first) = kinds.next() else {
        return BoundKinds::Mixed;
    };
    kinds.fold(
        match first {
            Bound::AtLeast => BoundKinds::AtLeast,
            Bound::AtMost => BoundKinds::AtMost,
            Bound::Within { tolerance } => BoundKinds::Within(tolerance, tolerance),
        },
        |acc, b| match (acc, b) {
            (BoundKinds::AtLeast, Bound::AtLeast) => BoundKinds::AtLeast,
            (BoundKinds::AtMost, Bound::AtMost) => BoundKinds::AtMost,
            (BoundKinds::Within(lo, hi), Bound::Within { tolerance: t }) => {
                BoundKinds::Within(lo.min(t), hi.max(t))
            }
            _ => BoundKinds::Mixed,
        },
    )
}

/// In a grid, where a goal met at some points is met, when one or two parameters decide it:
/// ", exactly where P = a or b" (or "P ≤ x" for numbers), ", exactly where P … and Q …", or
/// ", everywhere except where …".
fn where_met(sp: &SweepPoints, g: &PointGoal, grid: bool) -> Option<String> {
    if !grid {
        return None;
    }
    let k = sp.params.len();
    let pairs: Vec<(usize, usize)> = (0..k)
        .map(|a| (a, a))
        .chain((0..k).flat_map(|a| (a + 1..k).map(move |b| (a, b))))
        .collect();
    for want_met in [true, false] {
        for &(a, b) in &pairs {
            if let Some(w) = decided_by(sp, g, (a, b), want_met) {
                return Some(if want_met {
                    format!(", exactly where {w}")
                } else {
                    // Missed (or not judged) where the settings hold: met everywhere else.
                    format!(", everywhere except where {w}")
                });
            }
        }
    }
    None
}

/// The smallest difference, in share of points, between a numeric parameter's halves that a
/// sentence reports: below it, no parameter stands out from the sample's noise (with 20
/// points a half holds 10, and a share of 10 moves by 0.1 a point).
const LEANING_SHARE: f64 = 0.25;

/// In a sampled design, the numeric parameter whose upper and lower halves (split at its
/// median over the points) meet a goal at the most different shares, when that difference is
/// at least [`LEANING_SHARE`] and each half holds 5 points or more: "; 90 % of the points in
/// the lower half of demand_multiplier (< 1.2) meet it, 10 % in the upper". A summary of
/// the sample, not an effect estimated with its uncertainty (`sensitivity.csv` has those).
fn leaning(sp: &SweepPoints, g: &PointGoal) -> Option<String> {
    let mut best: Option<(f64, String)> = None;
    for (k, param) in sp.params.iter().enumerate() {
        // (value, met) at each point the goal is judged at; every value must be a number.
        let mut at: Vec<(f64, bool)> = Vec::with_capacity(g.rows.len());
        for (p, t) in &g.rows {
            let v: f64 = sp.raw.get(*p)?.get(k)?.parse().ok()?;
            at.push((v, t.met == "yes"));
        }
        at.sort_by(|a, b| a.0.total_cmp(&b.0));
        let median = at[at.len() / 2].0;
        let (lower, upper): (Vec<_>, Vec<_>) = at.iter().partition(|(v, _)| *v < median);
        if lower.len() < 5 || upper.len() < 5 {
            continue;
        }
        let share = |half: &[&(f64, bool)]| {
            half.iter().filter(|(_, m)| *m).count() as f64 / half.len() as f64
        };
        let (lo, hi) = (share(&lower), share(&upper));
        let d = (hi - lo).abs();
        if d < LEANING_SHARE || best.as_ref().is_some_and(|(b, _)| *b >= d) {
            continue;
        }
        let pct = |x: f64| format!("{:.0} %", 100.0 * x);
        let cut = short_number(&median.to_string());
        let text = if lo > hi {
            format!(
                "; {} of the points in the lower half of {param} (< {cut}) meet it, {} in the upper",
                pct(lo),
                pct(hi)
            )
        } else {
            format!(
                "; {} of the points in the upper half of {param} (≥ {cut}) meet it, {} in the lower",
                pct(hi),
                pct(lo)
            )
        };
        best = Some((d, text));
    }
    best.map(|(_, t)| t)
}

/// The few points where a goal is met (": 1 (…); 3 (…)"), or missed (", all but …"), when
/// nothing decides it; nothing when both are many.
fn few_points(sp: &SweepPoints, g: &PointGoal) -> String {
    let at = |met: bool| -> Vec<usize> {
        g.rows
            .iter()
            .filter(|(_, t)| (t.met == "yes") == met)
            .map(|(p, _)| *p)
            .collect()
    };
    // Named only when few (a study may have 10,000 points).
    let names = |at: &[usize]| {
        at.iter()
            .map(|p| sp.name(*p))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (yes, no) = (at(true), at(false));
    let points = |n: usize| if n == 1 { "point" } else { "points" };
    if yes.len() <= 4 {
        format!(": at {} {}", points(yes.len()), names(&yes))
    } else if no.len() <= 4 {
        format!(", all but {} {}", points(no.len()), names(&no))
    } else {
        String::new()
    }
}

/// Whether parameters `a` and `b` (one parameter when they are the same) decide the goal: it
/// is met (`want_met`; else missed or not judged) exactly at the points whose value of each is
/// among the values of the points where it is, and each such set leaves some value out. Then
/// those sets, in words.
fn decided_by(
    sp: &SweepPoints,
    g: &PointGoal,
    (a, b): (usize, usize),
    want_met: bool,
) -> Option<String> {
    let value = |p: usize, k: usize| sp.raw.get(p)?.get(k).map(String::as_str);
    let hit = |t: &SavedTarget| (t.met == "yes") == want_met;
    let ks = if a == b { vec![a] } else { vec![a, b] };
    // A parameter whose values are too long to read (a whole table) names no setting.
    let readable = |k: usize| {
        sp.labelled.get(k).copied().unwrap_or(false)
            || g.rows.iter().all(|(p, _)| {
                value(*p, k).is_some_and(|v| short_number(v).chars().count() <= LONGEST_NAME)
            })
    };
    if !ks.iter().all(|&k| readable(k)) {
        return None;
    }
    let mut sets: Vec<(usize, Vec<&str>, Vec<&str>)> = Vec::new();
    for &k in &ks {
        // Every value the goal was set at, in point order, and those of the points it hits.
        let (mut all, mut inside) = (Vec::new(), Vec::new());
        for (p, t) in &g.rows {
            let v = value(*p, k)?;
            if !all.contains(&v) {
                all.push(v);
            }
            if hit(t) && !inside.contains(&v) {
                inside.push(v);
            }
        }
        if inside.is_empty() || inside.len() == all.len() {
            return None;
        }
        sets.push((k, all, inside));
    }
    let decides = g.rows.iter().all(|(p, t)| {
        let within = sets
            .iter()
            .all(|(k, _, inside)| value(*p, *k).is_some_and(|v| inside.contains(&v)));
        within == hit(t)
    });
    if !decides {
        return None;
    }
    let words: Vec<String> = sets
        .iter()
        .map(|(k, all, inside)| {
            let label = |v: &str| -> String {
                // The label of a value: that of any point that sets it.
                g.rows
                    .iter()
                    .find(|(p, _)| value(*p, *k) == Some(v))
                    .and_then(|(p, _)| sp.label(*p, *k))
                    .map_or_else(|| v.to_string(), str::to_string)
            };
            let set = if sp.labelled.get(*k).copied().unwrap_or(false) {
                // Labels are names: listed, never compared as numbers.
                listed(&inside.iter().map(|v| label(v)).collect::<Vec<_>>())
            } else {
                among(all, inside)
            };
            format!("{} {set}", sp.params[*k])
        })
        .collect();
    Some(words.join(" and "))
}

/// `= a`, `= a or b`, `= a, b or c`.
fn listed(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("= {one}"),
        [rest @ .., last] => format!("= {} or {last}", rest.join(", ")),
    }
}

/// `met`, some of the values `all`, in words: a bound where they are numbers from the lowest
/// or up to the highest (written as the sweep wrote them), a band where they are a run in the
/// middle, else `= a, b or c`.
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
        let met_nums: Vec<&str> = nums.iter().filter(|n| inside(n)).map(|n| n.1).collect();
        let (Some(first), Some(last)) = (met_nums.first(), met_nums.last()) else {
            return String::new();
        };
        let (low_in, high_in) = (inside(&nums[0]), inside(&nums[nums.len() - 1]));
        match (flips, low_in, high_in) {
            (1, true, _) => return format!("≤ {last}"),
            (1, false, _) => return format!("≥ {first}"),
            // One run in the middle: a band.
            (2, false, false) if met_nums.len() > 1 => {
                return format!("is from {first} to {last}");
            }
            _ => {}
        }
    }
    listed(&met.iter().map(|v| v.to_string()).collect::<Vec<_>>())
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
        assert_eq!(
            among(&["0.9", "1.0", "1.1", "1.2"], &["1.0", "1.1"]),
            "is from 1.0 to 1.1"
        );
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
