//! "What this shows": the report's opening sentences, computed from the saved results — the
//! goals missed, the largest paired effects, where the cluster congests first and what its
//! ships wait for, the busiest yard and rail corridor, the projects planned late or early,
//! practical capacities and the most influential sweep parameters.
//!
//! Every figure in a sentence is a [`Quote`]: the file, row and column it comes from and how
//! it is rounded, so that a test can check each one against the file (and the page carries
//! the same provenance in `data-` attributes).

use std::fmt::Write as _;

use super::corridors::CorridorNames;
use super::html::esc;
use super::saved::{Saved, SavedDiff, SavedRow, SavedTarget};

mod congestion;
mod experiments;
mod points;

pub(crate) use points::{BoundKinds, SWEEP_GOALS, SweepPoints, bound_kinds, point_goals};

/// What a finding is about (also its CSS class in the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// How many goals are met.
    Goals,
    /// One goal missed.
    GoalMissed,
    /// A paired difference between scenarios.
    Effect,
    /// Where the cluster congests and what binds.
    Congestion,
    /// A project planned later or earlier than needed.
    Project,
    /// A practical capacity.
    Capacity,
    /// A sweep's most influential parameter.
    Sensitivity,
    /// How many of a sweep's goals hold at every point, and which points meet them all.
    PointGoals,
    /// A sweep's goal not met at every point: where it is met.
    PointGoalMissed,
}

impl Topic {
    /// The heading of a group of such sentences.
    pub fn heading(self) -> &'static str {
        match self {
            Topic::Goals | Topic::GoalMissed => "Goals",
            Topic::PointGoals | Topic::PointGoalMissed => "Goals across the sweep's points",
            Topic::Effect => "What changes between the scenarios",
            Topic::Congestion => "Where the cluster congests first, and what binds",
            Topic::Project => "When the projects are needed",
            Topic::Capacity => "Practical capacity",
            Topic::Sensitivity => "What matters most",
        }
    }

    /// Whether sentences of this kind fold away beyond a handful, and what the fold calls
    /// one of them and several.
    pub fn folds(self) -> Option<(&'static str, &'static str)> {
        match self {
            Topic::GoalMissed => Some(("goal missed", "goals missed")),
            Topic::Project => Some(("project", "projects")),
            Topic::Capacity => Some(("capacity", "capacities")),
            Topic::PointGoalMissed => Some(("goal", "goals")),
            _ => None,
        }
    }

    /// The CSS class of the sentence.
    pub fn class(self) -> &'static str {
        match self {
            Topic::Goals => "goals",
            Topic::GoalMissed => "goal-missed",
            Topic::Effect => "effect",
            Topic::Congestion => "congestion",
            Topic::Project => "project",
            Topic::Capacity => "capacity",
            Topic::Sensitivity => "sensitivity",
            Topic::PointGoals => "point-goals",
            Topic::PointGoalMissed => "point-goal-missed",
        }
    }
}

/// A figure quoted in a sentence, with where it comes from and how it is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The output file holding it (`targets.csv`, `summary.csv`, `compare.csv`,
    /// `projects.csv`, `capacity.csv`, `sensitivity.csv`, or `summary.json` for a scenario's
    /// planning limit).
    pub file: &'static str,
    /// The columns and values that pick its row.
    pub row: Vec<(&'static str, String)>,
    /// The column holding it (for `summary.json`: the setting's path in the scenario).
    pub column: String,
    /// The value as the file holds it.
    pub value: f64,
    /// Shown as `value / scale` ...
    pub scale: f64,
    /// ... with this many decimals ...
    pub digits: usize,
    /// ... and this unit after it ...
    pub unit: &'static str,
    /// ... with a `+` before a positive figure (a change).
    pub signed: bool,
}

impl Quote {
    /// A figure of `file`'s `row` and `column`, shown as `(scale, digits, unit)` say (unsigned).
    pub fn new(
        file: &'static str,
        row: Vec<(&'static str, String)>,
        column: &str,
        value: f64,
        (scale, digits, unit): (f64, usize, &'static str),
    ) -> Quote {
        Quote {
            file,
            row,
            column: column.to_string(),
            value,
            scale,
            digits,
            unit,
            signed: false,
        }
    }

    /// The figure as the sentence shows it, e.g. `13.45 M TEU`.
    pub fn shown(&self) -> String {
        let v = self.value / self.scale;
        // Round first so that a small negative does not print as "-0.0".
        let p = 10f64.powi(self.digits as i32);
        let v = if (v * p).round() == 0.0 { 0.0 } else { v };
        let sign = if self.signed && v > 0.0 { "+" } else { "" };
        format!("{sign}{v:.*}{}", self.digits, self.unit)
    }
}

/// A piece of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Plain words.
    Text(String),
    /// A figure.
    Figure(Quote),
}

/// One sentence of "What this shows", with the anchor of the chart or table behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What it is about.
    pub topic: Topic,
    /// The sentence.
    pub parts: Vec<Part>,
    /// The id (without `#`) of the chart or table it comes from.
    pub link: String,
}

impl Finding {
    fn new(topic: Topic, link: &str) -> Finding {
        Finding {
            topic,
            parts: Vec::new(),
            link: link.to_string(),
        }
    }

    fn text(mut self, s: impl Into<String>) -> Finding {
        self.parts.push(Part::Text(s.into()));
        self
    }

    fn fig(mut self, q: Quote) -> Finding {
        self.parts.push(Part::Figure(q));
        self
    }

    /// The sentence as plain text.
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Figure(q) => q.shown(),
            })
            .collect()
    }

    /// The sentence as an HTML list item: each figure a `<span class="fig">` carrying its
    /// file, row, column and value, and a link to the chart or table behind it.
    pub fn html(&self) -> String {
        let mut h = format!("<li class=\"{}\">", self.topic.class());
        for p in &self.parts {
            match p {
                Part::Text(t) => h.push_str(&esc(t)),
                Part::Figure(q) => {
                    let row: Vec<String> = q.row.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let _ = write!(
                        h,
                        "<span class=\"fig\" title=\"{}: {}\" data-file=\"{}\" data-row=\"{}\" data-column=\"{}\" data-value=\"{}\" data-scale=\"{}\" data-digits=\"{}\">{}</span>",
                        q.file,
                        esc(&q.column),
                        q.file,
                        esc(&row.join(";")),
                        esc(&q.column),
                        q.value,
                        q.scale,
                        q.digits,
                        esc(&q.shown())
                    );
                }
            }
        }
        let _ = write!(h, " <a href=\"#{}\">→</a></li>", esc(&self.link));
        h
    }
}

/// How a metric is named and shown in a sentence: (words, scale, decimals, unit). Metrics
/// without a style of their own are named by their name and shown to a precision that suits
/// `value`.
fn style_for(metric: &str, value: f64) -> (&'static str, f64, usize, &'static str) {
    match style(metric) {
        ("", _, _, _) => {
            let a = value.abs();
            let digits = if a >= 1000.0 {
                0
            } else if a >= 10.0 {
                1
            } else {
                3
            };
            ("", 1.0, digits, "")
        }
        known => known,
    }
}

/// The style of the metrics sentences name most.
fn style(metric: &str) -> (&'static str, f64, usize, &'static str) {
    match metric {
        "throughput_t" => ("cargo handled", 1e6, 1, " Mt"),
        "throughput_teu" => ("containers handled", 1e6, 2, " M TEU"),
        "wait_h_mean" => ("mean wait per call", 1.0, 2, " h"),
        "wait_ratio" => ("wait / service", 1.0, 3, ""),
        "berth_occupancy" => ("berth occupancy", 0.01, 1, " %"),
        "rail_share" => ("rail share", 0.01, 1, " %"),
        "rail_share_of_throughput" => ("rail share of throughput", 0.01, 1, " %"),
        "trains" => ("trains run", 1.0, 0, ""),
        "rail_teu" => ("boxes by rail", 1e3, 1, " kTEU"),
        "rail_t" => ("cargo by rail", 1e6, 1, " Mt"),
        "co2_t" => ("CO₂ at berth", 1e3, 1, " kt"),
        "yard_occupancy_mean" => ("mean yard occupancy", 0.01, 1, " %"),
        _ => ("", 1.0, 3, ""),
    }
}

/// A metric's words in a sentence (its name where it has no words of its own).
fn words(metric: &str) -> String {
    match style(metric).0 {
        "" => metric.replace('_', " "),
        w => w.to_string(),
    }
}

/// A summary-file figure shown in the metric's own style.
fn summary_quote(r: &SavedRow) -> Quote {
    let (_, scale, digits, unit) = style_for(&r.metric, r.mean);
    Quote::new(
        "summary.csv",
        vec![
            ("scenario", r.scenario.clone()),
            ("year", r.year.to_string()),
            ("port", r.port.clone()),
            ("cargo", r.cargo.clone()),
            ("metric", r.metric.clone()),
        ],
        "mean",
        r.mean,
        (scale, digits, unit),
    )
}

/// A row's place in words: `ALL` is the cluster, a corridor is named as one, by its name
/// ([`CorridorNames`]).
fn place(names: &CorridorNames, scenario: &str, port: &str) -> String {
    if port == "ALL" {
        "the cluster".into()
    } else if port.contains("/rail:") {
        format!("the rail corridor {}", names.name(scenario, port))
    } else {
        port.to_string()
    }
}

/// Every finding the saved results support, in reading order. `charts` are the stems of the
/// charts drawn (a sentence links to its chart where there is one, else to a table).
pub fn findings(saved: &Saved, charts: &[String]) -> Vec<Finding> {
    let link = |stem: &str, fallback: &str| {
        if charts.iter().any(|c| c == stem) {
            stem.to_string()
        } else {
            fallback.to_string()
        }
    };
    let mut out = goals(saved);
    out.extend(points::sweep_goals(saved));
    out.extend(effects(saved, &link("comparison", "key-figures")));
    if matches!(saved.command.as_str(), "run" | "compare") {
        out.extend(congestion::congestion(saved, &link));
    }
    out.extend(experiments::projects(saved));
    out.extend(experiments::capacity(
        saved,
        &link("capacity", "capacity-table"),
    ));
    out.extend(experiments::sensitivity(
        saved,
        &link("sensitivity", "settings"),
    ));
    out
}

/// The columns that pick a goal's row in `targets.csv`: `lead` (its scenario, or a sweep's
/// point), then year, place, cargo, metric — and bound and target, since a metric may have two
/// goals (a floor and a ceiling, or two floors).
fn goal_row(lead: (&'static str, String), t: &SavedTarget) -> Vec<(&'static str, String)> {
    vec![
        lead,
        ("year", t.year.to_string()),
        ("port", t.port.clone()),
        ("cargo", t.cargo.clone()),
        ("metric", t.metric.clone()),
        ("bound", t.bound.label()),
        ("target", crate::report::output::fmt_num(t.target)),
    ]
}

/// "N more, for design years not run (…), not judged": the goals the results leave out, from
/// each scenario's text in the manifest (`None` when there are none).
fn goals_not_run(saved: &Saved) -> Option<String> {
    let run = saved.years();
    let mut left: Vec<u16> = Vec::new();
    for scenario in saved.scenarios() {
        let Some(table) = saved.scenario_table_named(&scenario) else {
            continue;
        };
        let goals = table.get("targets").and_then(toml::Value::as_array);
        left.extend(
            goals
                .into_iter()
                .flatten()
                .filter_map(|t| t.get("year")?.as_integer())
                .filter_map(|y| u16::try_from(y).ok())
                .filter(|y| !run.contains(y)),
        );
    }
    if left.is_empty() {
        return None;
    }
    let n = left.len();
    left.sort_unstable();
    left.dedup();
    let years: Vec<String> = left.iter().map(u16::to_string).collect();
    Some(format!(
        "{n} more, for design year{} not run ({}), not judged",
        if years.len() == 1 { "" } else { "s" },
        years.join(", ")
    ))
}

/// "N of M goals met", then a sentence per goal missed.
fn goals(saved: &Saved) -> Vec<Finding> {
    if saved.targets.is_empty() {
        return Vec::new();
    }
    let judged: Vec<_> = saved.targets.iter().filter(|t| t.met != "n/a").collect();
    let met = judged.iter().filter(|t| t.met == "yes").count();
    let unjudged = saved.targets.len() - judged.len();
    let n = saved.targets.len();
    let mut head = format!("{met} of {n} goal{} met", if n == 1 { "" } else { "s" });
    // A goal met on the mean whose 95 % interval still crosses it is said to be so.
    let unclear = judged
        .iter()
        .filter(|t| t.met == "yes" && t.verdict == "unclear")
        .count();
    let mut asides = Vec::new();
    if unclear > 0 {
        asides.push(format!(
            "{unclear} of them on the mean only, the 95 % interval crossing the goal"
        ));
    }
    if unjudged > 0 {
        asides.push(format!(
            "{unjudged} not judged: the runs report no such value"
        ));
    }
    asides.extend(goals_not_run(saved));
    if !asides.is_empty() {
        head += &format!(" ({})", asides.join("; "));
    }
    head += if met == judged.len() {
        "."
    } else {
        "; missed:"
    };
    let mut out = vec![Finding::new(Topic::Goals, "goals").text(head)];
    let names = CorridorNames::of(saved);
    for t in judged.iter().filter(|t| t.met == "no") {
        let (_, scale, digits, unit) = style_for(&t.metric, t.target);
        let row = goal_row(("scenario", t.scenario.clone()), t);
        let q = |column: &str, value: f64, scale: f64, digits: usize, unit: &'static str| {
            Quote::new(
                "targets.csv",
                row.clone(),
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
        let f = Finding::new(Topic::GoalMissed, "goals")
            .text(format!(
                "{}, {}, {}: {}{cargo} ",
                t.scenario,
                t.year,
                place(&names, &t.scenario, &t.port),
                words(&t.metric)
            ))
            .fig(q("mean", t.mean, scale, digits, unit));
        // The mean's 95 % interval, where the runs have one.
        let f = if t.lo.is_finite() && t.hi.is_finite() {
            f.text(" [95 %: ")
                .fig(q("ci95_low", t.lo, scale, digits, unit))
                .text(", ")
                .fig(q("ci95_high", t.hi, scale, digits, unit))
                .text("]")
        } else {
            f
        };
        let mut f = match t.bound {
            crate::model::Bound::AtLeast => f
                .text(" against a goal of at least ")
                .fig(q("target", t.target, scale, digits, unit)),
            crate::model::Bound::AtMost => f
                .text(" against a goal of at most ")
                .fig(q("target", t.target, scale, digits, unit)),
            crate::model::Bound::Within { tolerance } => f
                .text(" against a goal of ")
                .fig(q("target", t.target, scale, digits, unit))
                .text(format!(
                    " ± {:.0} %, {} its band",
                    100.0 * tolerance,
                    if t.mean > t.target { "above" } else { "below" }
                )),
        };
        if t.verdict == "unclear" {
            f = f.text(", missed on the mean only (the interval reaches the goal)");
        }
        if t.p_met.is_finite() {
            f = f
                .text(" — met in ")
                .fig(q("p_met", t.p_met, 0.01, 0, " %"))
                .text(" of the replications.");
        } else {
            f = f.text(".");
        }
        out.push(f);
    }
    out
}

/// The metrics a comparison's sentences weigh, cluster-wide (cargo `ALL` unless given).
const EFFECT_METRICS: [(&str, &str); 6] = [
    ("wait_h_mean", "ALL"),
    ("berth_occupancy", "ALL"),
    ("throughput_t", "ALL"),
    ("throughput_teu", "ALL"),
    ("rail_share_of_throughput", "container"),
    ("co2_t", "ALL"),
];

/// The largest paired differences (those whose interval, widened for the metrics tried at
/// once, excludes zero: [`beyond_noise`]) in the last design year, by size relative to the baseline's mean: three per scenario at most; a scenario with
/// none beyond noise says so, and one with a single replication has no intervals to judge by.
fn effects(saved: &Saved, link: &str) -> Vec<Finding> {
    let Some(year) = saved.diffs.iter().map(|d| d.year).max() else {
        return Vec::new();
    };
    let cluster = |scenario: &str, cargo: &str, metric: &str| {
        saved.diffs.iter().find(|d| {
            d.scenario == scenario
                && d.year == year
                && d.port == "ALL"
                && d.cargo == cargo
                && d.metric == metric
        })
    };
    let mut scenarios: Vec<(&str, &str)> = Vec::new();
    for d in saved.diffs.iter().filter(|d| d.scenario != d.baseline) {
        if !scenarios.iter().any(|s| s.0 == d.scenario) {
            scenarios.push((&d.scenario, &d.baseline));
        }
    }
    let mut out = Vec::new();
    if saved.diffs.iter().map(|d| d.n).max() < Some(2) {
        out.push(Finding::new(Topic::Effect, link).text(format!(
            "With one replication a paired difference has no interval, so none is judged here; the differences for {year} are in compare.csv."
        )));
        return out;
    }
    for (s, baseline) in scenarios {
        let mut found: Vec<(f64, &SavedDiff, &SavedDiff)> = Vec::new();
        for (metric, cargo) in EFFECT_METRICS {
            let (Some(d), Some(b)) = (cluster(s, cargo, metric), cluster(baseline, cargo, metric))
            else {
                continue;
            };
            if beyond_noise(d, EFFECT_METRICS.len()) {
                let size = if b.mean != 0.0 {
                    (d.diff / b.mean).abs()
                } else {
                    0.0
                };
                found.push((size, d, b));
            }
        }
        // Largest first; ties (a zero baseline) keep the metrics' order.
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        if found.is_empty() {
            out.push(Finding::new(Topic::Effect, link).text(format!(
                "{s} against {baseline}, {year}: no cluster-wide difference in waiting, berth occupancy, cargo or containers handled, rail share or CO₂ is beyond noise (each interval, widened for the six tried at once, crosses zero)."
            )));
        }
        for (_, d, b) in found.into_iter().take(3) {
            out.push(effect_sentence(d, b, link));
        }
    }
    out
}

/// Whether a paired difference is an effect when `tried` differences are judged at once: its
/// interval, widened from the 95 % of `compare.csv` to Bonferroni's 1 − 0.05 / `tried` (the
/// Student-t quantile's ratio on the same replications), excludes zero — so that the chance of
/// calling any of them an effect when none is stays within 5 %, not ≈ 26 % for six.
///
/// Differences without an interval (one replication) are never effects.
fn beyond_noise(d: &SavedDiff, tried: usize) -> bool {
    if d.n < 2 || !(d.lo.is_finite() && d.hi.is_finite()) {
        return false;
    }
    let df = f64::from(d.n - 1);
    let widen = crate::stats::t_quantile(1.0 - 0.025 / tried as f64, df)
        / crate::stats::t_quantile(0.975, df);
    let (centre, half) = (d.diff, 0.5 * (d.hi - d.lo) * widen);
    centre - half > 0.0 || centre + half < 0.0
}

/// "S against B, Y: mean wait per call changes by −0.90 h [95 %: −1.21 h, −0.59 h] from 3.10 h."
fn effect_sentence(d: &SavedDiff, b: &SavedDiff, link: &str) -> Finding {
    let (_, scale, digits, unit) = style(&d.metric);
    // A change in a share is in percentage points.
    let change_unit = if unit == " %" { " points" } else { unit };
    let q = |r: &SavedDiff, column: &str, value: f64| {
        Quote::new(
            "compare.csv",
            vec![
                ("scenario", r.scenario.clone()),
                ("baseline", r.baseline.clone()),
                ("year", r.year.to_string()),
                ("port", r.port.clone()),
                ("cargo", r.cargo.clone()),
                ("metric", r.metric.clone()),
            ],
            column,
            value,
            (scale, digits, unit),
        )
    };
    let cargo = if d.cargo == "ALL" {
        String::new()
    } else {
        format!(" of {} boxes", crate::model::cargo_words(&d.cargo))
    };
    Finding::new(Topic::Effect, link)
        .text(format!(
            "{} against {}, {}: {}{cargo} changes by ",
            d.scenario,
            d.baseline,
            d.year,
            words(&d.metric)
        ))
        .fig(Quote {
            unit: change_unit,
            signed: true,
            ..q(d, "diff_mean", d.diff)
        })
        .text(" [95 %: ")
        .fig(Quote {
            unit: change_unit,
            signed: true,
            ..q(d, "diff_ci95_low", d.lo)
        })
        .text(", ")
        .fig(Quote {
            unit: change_unit,
            signed: true,
            ..q(d, "diff_ci95_high", d.hi)
        })
        .text("] from ")
        .fig(q(b, "mean", b.mean))
        .text(".")
}

#[cfg(test)]
mod tests {
    use super::{SavedDiff, beyond_noise, goals};
    use crate::report::saved::{Saved, SavedTarget};

    fn target(year: u16, met: &str, verdict: &str) -> SavedTarget {
        SavedTarget {
            scenario: "s".into(),
            year,
            port: "ALL".into(),
            cargo: "ALL".into(),
            metric: "throughput_t".into(),
            bound: crate::model::Bound::AtLeast,
            target: 1.0,
            mean: 2.0,
            lo: f64::NAN,
            hi: f64::NAN,
            met: met.into(),
            source: String::new(),
            p_met: 0.5,
            verdict: verdict.into(),
        }
    }

    #[test]
    fn the_goals_sentence_says_which_are_met_on_the_mean_only_and_which_are_not_run() {
        let mut saved = Saved::default();
        saved.targets = vec![
            target(2020, "yes", "met"),
            target(2020, "yes", "unclear"),
            target(2020, "n/a", ""),
        ];
        let head = goals(&saved)[0].plain();
        assert_eq!(
            head,
            "2 of 3 goals met (1 of them on the mean only, the 95 % interval crossing the goal; 1 not judged: the runs report no such value)."
        );
        // Goals of years the results do not hold, from the scenario's text in the manifest.
        let text = "name = \"s\"\n[[targets]]\nyear = 2020\n[[targets]]\nyear = 2025\n[[targets]]\nyear = 2024\n";
        saved.manifest = serde_json::json!({ "scenarios": [{ "name": "s", "toml": text }] });
        saved.rows = vec![crate::report::saved::SavedRow {
            labels: Vec::new(),
            scenario: "s".into(),
            year: 2020,
            port: "ALL".into(),
            cargo: "ALL".into(),
            metric: "throughput_t".into(),
            mean: 2.0,
            lo: 1.5,
            hi: 2.5,
        }];
        saved.targets.truncate(1);
        assert_eq!(
            goals(&saved)[0].plain(),
            "1 of 1 goal met (2 more, for design years not run (2024, 2025), not judged)."
        );
    }

    /// A goal missed is given with its mean's 95 % interval, and one missed on the mean only
    /// (its interval reaching the goal) says so, as a goal met on the mean only does.
    #[test]
    fn a_goal_missed_gives_its_interval_and_says_when_it_is_missed_on_the_mean_only() {
        let mut saved = Saved::default();
        let mut t = target(2030, "no", "unclear");
        (t.cargo, t.metric) = ("liquid_chemicals".into(), "wait_ratio".into());
        (t.bound, t.target, t.mean) = (crate::model::Bound::AtMost, 0.3, 0.33);
        (t.lo, t.hi, t.p_met) = (0.27, 0.39, 0.25);
        saved.targets = vec![t.clone()];
        assert_eq!(
            goals(&saved)[1].plain(),
            "s, 2030, the cluster: wait / service (liquid chemicals) 0.330 [95 %: 0.270, 0.390] against a goal of at most 0.300, missed on the mean only (the interval reaches the goal) — met in 25 % of the replications."
        );
        (t.lo, t.hi, t.verdict) = (0.31, 0.35, "missed".into());
        saved.targets = vec![t.clone()];
        assert_eq!(
            goals(&saved)[1].plain(),
            "s, 2030, the cluster: wait / service (liquid chemicals) 0.330 [95 %: 0.310, 0.350] against a goal of at most 0.300 — met in 25 % of the replications."
        );
        (t.lo, t.hi) = (f64::NAN, f64::NAN);
        saved.targets = vec![t];
        assert!(goals(&saved)[1].plain().contains("0.330 against"));
    }

    fn diff(d: f64, lo: f64, hi: f64, n: u32) -> SavedDiff {
        SavedDiff {
            scenario: "s".into(),
            baseline: "b".into(),
            year: 2030,
            port: "ALL".into(),
            cargo: "ALL".into(),
            metric: "wait_h_mean".into(),
            mean: 1.0,
            diff: d,
            lo,
            hi,
            n,
        }
    }

    #[test]
    fn an_effect_must_clear_zero_by_the_interval_widened_for_the_metrics_tried() {
        // 10 replications: the 95 % interval's half-width 1.0 (t 2.262) becomes 1.486 at
        // Bonferroni's 1 − 0.05/6 (t 3.361).
        assert!(
            beyond_noise(&diff(1.1, 0.1, 2.1, 10), 1),
            "alone, 95 % is the test"
        );
        assert!(
            !beyond_noise(&diff(1.1, 0.1, 2.1, 10), 6),
            "one of six: not beyond noise"
        );
        assert!(beyond_noise(&diff(1.6, 0.6, 2.6, 10), 6), "1.6 − 1.486 > 0");
        assert!(beyond_noise(&diff(-1.6, -2.6, -0.6, 10), 6), "either sign");
        assert!(
            !beyond_noise(&diff(1.6, f64::NAN, f64::NAN, 1), 6),
            "no interval"
        );
    }
}
