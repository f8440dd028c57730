//! Sentences from the experiments: projects planned later or earlier than needed, practical
//! capacities, and a sweep's most influential parameter.

use super::{Finding, Quote, Topic, words};
use crate::experiment::ProjectNeed;
use crate::report::saved::{Saved, SavedSensitivity};

/// A figure of `projects.csv` (a year unless restyled).
fn project_quote(p: &ProjectNeed, column: &str, value: f64) -> Quote {
    Quote::new(
        "projects.csv",
        vec![("project", p.project.clone())],
        column,
        value,
        (1.0, 0, ""),
    )
}

/// Projects needed before their planned year first, then the others; each with its value
/// where the scenario gives costs. Projects that could not be judged are left to the table.
pub(super) fn projects(saved: &Saved) -> Vec<Finding> {
    let years = saved.manifest.get("years").and_then(|y| y.as_array());
    let year_at = |end: Option<&serde_json::Value>| end.and_then(serde_json::Value::as_u64);
    let horizon = year_at(years.and_then(|y| y.last()));
    let first = year_at(years.and_then(|y| y.first()));
    let mut late = Vec::new();
    let mut rest = Vec::new();
    for p in saved.projects.iter().filter(|p| p.note.is_none()) {
        let is_late = p.needed_year.is_some_and(|n| n < p.in_service_year);
        let f = when_needed(p, first, horizon);
        let f = value(p, f).text(".");
        if is_late { late.push(f) } else { rest.push(f) }
    }
    late.extend(rest);
    late
}

/// The first half of a project's sentence: when it is needed against when it is planned
/// (`first` and `horizon`: the first and last design years studied).
fn when_needed(p: &ProjectNeed, first: Option<u64>, horizon: Option<u64>) -> Finding {
    let year = |column: &str, y: u16| project_quote(p, column, f64::from(y));
    let f = Finding::new(Topic::Project, "projects");
    match p.needed_year {
        Some(n) if n < p.in_service_year => {
            let mut f = f
                .text(format!("{} is needed by ", p.project))
                .fig(year("needed_year", n));
            if let (Some(lo), Some(hi)) = (p.needed_year_low, p.needed_year_high) {
                f = f
                    .text(" (95 % range ")
                    .fig(year("needed_year_low", lo))
                    .text("–")
                    .fig(year("needed_year_high", hi))
                    .text(")");
            }
            f = f
                .text(format!(
                    ", {} years before it is planned to open in ",
                    p.in_service_year - n
                ))
                .fig(year("in_service_year", p.in_service_year));
            if let Some(b) = &p.binding {
                let cargo = if b.cargo == "ALL" {
                    String::new()
                } else {
                    format!(" {}", crate::model::cargo_words(&b.cargo))
                };
                f = f
                    .text(format!(
                        ": without it {}{cargo} {} would pass ",
                        b.port,
                        words(&b.metric)
                    ))
                    .fig(Quote {
                        digits: 3,
                        ..project_quote(p, "binding_limit", b.max)
                    });
            }
            f
        }
        Some(n) if n > p.in_service_year => f
            .text(format!("{}, planned for ", p.project))
            .fig(year("in_service_year", p.in_service_year))
            .text(", is not needed until ")
            .fig(year("needed_year", n)),
        Some(n) => {
            let f = f
                .text(format!("{} opens the year it is needed, ", p.project))
                .fig(year("needed_year", n));
            if first == Some(u64::from(n)) {
                f.text(" (the first design year studied: it may be needed earlier)")
            } else {
                f
            }
        }
        None => {
            let f = f
                .text(format!("{}, planned for ", p.project))
                .fig(year("in_service_year", p.in_service_year))
                .text(", is not needed");
            let f = match horizon {
                Some(h) => f
                    .text(" by ")
                    .fig(project_quote(p, "horizon", h as f64))
                    .text(" on the means"),
                None => f,
            };
            match p.needed_year_low {
                Some(lo) => f
                    .text(" (but by ")
                    .fig(year("needed_year_low", lo))
                    .text(" at the ends of the 95 % intervals)"),
                None => f,
            }
        }
    }
}

/// The second half: its net present value and benefit–cost ratio, where known.
fn value(p: &ProjectNeed, f: Finding) -> Finding {
    let Some(npv) = p.npv_cny.filter(|v| v.is_finite()) else {
        return f;
    };
    let bn = |column: &str, v: f64| Quote {
        scale: 1e9,
        digits: 2,
        unit: " CNY bn",
        ..project_quote(p, column, v)
    };
    let f = f
        .text("; its net present value is ")
        .fig(bn("npv_cny", npv));
    // Its interval, so that a value whose sign the replications do not settle reads as such.
    let f = match p
        .npv_ci95_cny
        .filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
    {
        Some((lo, hi)) => f
            .text(" [")
            .fig(Quote {
                unit: "",
                ..bn("npv_ci95_low_cny", lo)
            })
            .text(", ")
            .fig(bn("npv_ci95_high_cny", hi))
            .text("]"),
        None => f,
    };
    let f = match p.bcr.filter(|v| v.is_finite()) {
        Some(bcr) => f
            .text(" (benefit / cost ")
            .fig(Quote {
                digits: 2,
                ..project_quote(p, "bcr", bcr)
            })
            .text(")"),
        None => f,
    };
    // When it pays its way: the year from which its saving covers its capital's annual cost
    // (results written before session 23 have neither figure: nothing said).
    match (p.best_year, p.first_year_return) {
        (Some(y), _) => f.text(", and it is worth having from ").fig(project_quote(
            p,
            "best_year",
            f64::from(y),
        )),
        (None, Some(_)) => {
            f.text(", and from no year studied does its saving repay its capital's annual cost")
        }
        (None, None) => f,
    }
}

/// Each practical capacity as a multiple of the design year's demand, the tightest first.
pub(super) fn capacity(saved: &Saved, link: &str) -> Vec<Finding> {
    // The tightest first.
    let mut capacities: Vec<_> = saved.capacity.iter().collect();
    capacities.sort_by(|a, b| a.multiple.total_cmp(&b.multiple));
    capacities
        .into_iter()
        .map(|c| {
            let q = |column: &str, value: f64| {
                Quote::new(
                    "capacity.csv",
                    vec![
                        ("scope", c.scope.clone()),
                        ("criterion", c.criterion.clone()),
                    ],
                    column,
                    value,
                    (1.0, 2, "×"),
                )
            };
            let scope = if c.scope == "ALL" {
                "The cluster"
            } else {
                &c.scope
            };
            let f = Finding::new(Topic::Capacity, link);
            // The search's ends: infinite beyond its largest multiple, zero below its least.
            if !c.multiple.is_finite() {
                return f.text(format!(
                    "{scope} meets {} at every demand multiple searched.",
                    c.criterion
                ));
            }
            // What it fails: the limits reached first (all its criteria in a file from before
            // they were recorded).
            let fails = match c.binding.as_deref() {
                Some(b) if !b.is_empty() => b,
                _ => c.criterion.as_str(),
            };
            // Where the search's premise fails, a low end is no capacity: say why.
            let caveat = match c.note.as_deref() {
                Some(n) if !n.is_empty() => format!(" The search's premise fails there: {n}."),
                _ => String::new(),
            };
            if c.multiple == 0.0 {
                return f.text(format!(
                    "{scope} fails {fails} already at the least demand multiple searched.{caveat}"
                ));
            }
            let f = f
                .text(format!("{scope} can take "))
                .fig(q("multiple", c.multiple))
                .text(" the design year's demand [95 %: ");
            let f = if c.lo > 0.0 {
                f.fig(q("multiple_low", c.lo))
            } else {
                f.text("below the search")
            }
            .text(", ");
            let f = if c.hi.is_finite() {
                f.fig(q("multiple_high", c.hi))
            } else {
                f.text("beyond the search")
            };
            f.text(format!("] before it fails {fails}.{caveat}"))
        })
        .collect()
}

/// The parameter the cluster's waiting (or else the first metric analysed) depends on most in
/// the last design year: by total Sobol index where the design is Saltelli's, else by the
/// size of the standardised regression coefficient.
pub(super) fn sensitivity(saved: &Saved, link: &str) -> Vec<Finding> {
    let Some(year) = saved.sensitivity.iter().map(|s| s.year).max() else {
        return Vec::new();
    };
    let cluster: Vec<&SavedSensitivity> = saved
        .sensitivity
        .iter()
        .filter(|s| s.year == year && s.port == "ALL" && s.cargo == "ALL")
        .collect();
    let metric = if cluster.iter().any(|s| s.metric == "wait_ratio") {
        "wait_ratio"
    } else if let Some(s) = cluster.first() {
        s.metric.as_str()
    } else {
        return Vec::new();
    };
    let of_metric: Vec<&SavedSensitivity> = cluster
        .iter()
        .copied()
        .filter(|s| s.metric == metric)
        .collect();
    let sobol = of_metric.iter().any(|s| s.st.is_finite());
    let size = |s: &SavedSensitivity| if sobol { s.st } else { s.src.abs() };
    let Some(top) = of_metric
        .iter()
        .copied()
        .filter(|s| size(s).is_finite())
        .max_by(|a, b| size(a).total_cmp(&size(b)))
    else {
        return Vec::new();
    };
    let q = |column: &str, value: f64| {
        Quote::new(
            "sensitivity.csv",
            vec![
                ("year", top.year.to_string()),
                ("port", top.port.clone()),
                ("cargo", top.cargo.clone()),
                ("metric", top.metric.clone()),
                ("parameter", top.parameter.clone()),
            ],
            column,
            value,
            (1.0, 2, ""),
        )
    };
    let f = Finding::new(Topic::Sensitivity, link).text(format!(
        "Across the sweep, the cluster's {} in {year} depends most on {}: ",
        words(metric),
        top.parameter
    ));
    let f = if sobol {
        f.text("total Sobol index ")
            .fig(q("st", top.st))
            .text(" [95 %: ")
            .fig(q("st_ci95_low", top.st_ci95.0))
            .text(", ")
            .fig(q("st_ci95_high", top.st_ci95.1))
            .text("].")
    } else {
        f.text("standardised regression coefficient ")
            .fig(q("src", top.src))
            .text(" (the regression's R² ")
            .fig(q("r2", top.r2))
            .text(").")
    };
    vec![f]
}
