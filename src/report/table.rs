//! The short KPI table `portsim run` prints.

use std::fmt::Write;

use crate::model::Model;
use crate::results::{SummaryRow, find};

fn cell(r: Option<&SummaryRow>, scale: f64, decimals: usize) -> String {
    match r {
        Some(r) if r.mean.is_finite() => {
            // The upper half: the lower end is cut at zero.
            let half = (r.ci95_high - r.mean) / scale;
            if r.n > 1 && half.is_finite() {
                format!("{:.*} ±{:.*}", decimals, r.mean / scale, decimals, half)
            } else {
                format!("{:.*}", decimals, r.mean / scale)
            }
        }
        _ => "–".to_string(),
    }
}

/// Renders, for each design year, one line per port and one for the cluster: throughput (Mt,
/// M TEU), calls, berth occupancy, mean wait, wait ratio, yard occupancy and container volume
/// by rail, each with its 95 % half-width.
pub fn render(model: &Model, rows: &[SummaryRow], years: &[u16]) -> String {
    let mut out = String::new();
    let header = [
        "port",
        "cargo Mt",
        "M TEU",
        "calls",
        "berth occ. %",
        "wait h",
        "wait/service",
        "yard occ. %",
        "sea-rail kTEU",
    ];
    for &year in years {
        let mut lines: Vec<[String; 9]> = Vec::new();
        let names: Vec<&str> = model
            .ports
            .iter()
            .map(|p| p.name.as_str())
            .chain(["ALL"])
            .collect();
        for name in names {
            let get = |cargo: &str, m: &str| find(rows, year, name, cargo, m);
            lines.push([
                if name == "ALL" {
                    "cluster".to_string()
                } else {
                    name.to_string()
                },
                cell(get("ALL", "throughput_t"), 1e6, 1),
                cell(get("ALL", "throughput_teu"), 1e6, 2),
                cell(get("ALL", "ship_calls"), 1.0, 0),
                cell(get("ALL", "berth_occupancy"), 0.01, 0),
                cell(get("ALL", "wait_h_mean"), 1.0, 1),
                cell(get("ALL", "wait_ratio"), 1.0, 2),
                cell(get("ALL", "yard_occupancy_mean"), 0.01, 0),
                cell(get("container", "rail_teu"), 1e3, 0),
            ]);
        }
        let mut widths = header.map(|h| h.chars().count());
        for l in &lines {
            for (w, c) in widths.iter_mut().zip(l) {
                *w = (*w).max(c.chars().count());
            }
        }
        let _ = writeln!(
            out,
            "{} — design year {year} (mean ±95% half-width over replications)",
            model.name
        );
        let fmt_line = |cells: &[String]| {
            cells
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let pad = w - c.chars().count();
                    if i == 0 {
                        format!("{c}{}", " ".repeat(pad))
                    } else {
                        format!("{}{c}", " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        let _ = writeln!(out, "{}", fmt_line(&header.map(String::from)));
        for l in &lines {
            let _ = writeln!(out, "{}", fmt_line(l));
        }
        out.push('\n');
    }
    out
}

/// Renders the cluster-level differences of each scenario from the baseline: throughput,
/// calls, berth occupancy, mean wait, wait ratio and containers by rail, each as the paired
/// difference with its 95 % interval.
pub fn render_compare(rows: &[crate::results::CompareRow], years: &[u16]) -> String {
    let metrics: [(&str, &str, &str, f64, usize); 6] = [
        ("ALL", "throughput_t", "Δ cargo Mt", 1e6, 2),
        ("ALL", "ship_calls", "Δ calls", 1.0, 0),
        ("ALL", "berth_occupancy", "Δ berth occ. pts", 0.01, 1),
        ("ALL", "wait_h_mean", "Δ wait h", 1.0, 2),
        ("ALL", "wait_ratio", "Δ wait/service", 1.0, 3),
        ("container", "rail_teu", "Δ sea-rail kTEU", 1e3, 1),
    ];
    let mut out = String::new();
    let Some(base) = rows.first().map(|r| r.baseline.clone()) else {
        return out;
    };
    let mut scenarios: Vec<&str> = Vec::new();
    for r in rows {
        if r.scenario != base && !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    for &year in years {
        let _ = writeln!(
            out,
            "cluster, design year {year}: paired difference from {base} (±95% half-width)"
        );
        let mut header = vec!["scenario".to_string()];
        header.extend(metrics.iter().map(|m| m.2.to_string()));
        let mut lines = vec![header];
        for s in &scenarios {
            let mut line = vec![s.to_string()];
            for (cargo, metric, _, scale, dec) in metrics {
                let cell = rows
                    .iter()
                    .find(|r| {
                        r.scenario == *s
                            && r.year == year
                            && r.port == "ALL"
                            && r.cargo == cargo
                            && r.metric == metric
                    })
                    .filter(|r| r.diff_mean.is_finite())
                    .map_or("–".to_string(), |r| {
                        let half = (r.diff_ci95_high - r.diff_ci95_low) / 2.0 / scale;
                        format!("{:+.*} ±{:.*}", dec, r.diff_mean / scale, dec, half)
                    });
                line.push(cell);
            }
            lines.push(line);
        }
        let n = lines[0].len();
        let widths: Vec<usize> = (0..n)
            .map(|i| {
                lines
                    .iter()
                    .map(|l| l[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for l in &lines {
            let cells: Vec<String> = l
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = " ".repeat(widths[i] - c.chars().count());
                    if i == 0 {
                        format!("{c}{pad}")
                    } else {
                        format!("{pad}{c}")
                    }
                })
                .collect();
            let _ = writeln!(out, "{}", cells.join("  "));
        }
        out.push('\n');
    }
    out
}

/// The console table of a capacity search: each scope's practical capacity with its interval.
pub fn render_capacity(
    scenario: &str,
    year: u16,
    reps: u32,
    results: &[crate::results::CapacityResult],
) -> String {
    let mut s = format!(
        "{scenario} — practical capacity, design year {year} ({reps} replications a multiple)\n"
    );
    let width = results
        .iter()
        .map(|r| r.scope.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    // Three decimals: the search's least multiple, 1/8, is 0.125.
    let multiple = |m: f64| search_end(m, |m| format!("{m:.3}"));
    let interval = |r: &crate::results::CapacityResult| {
        format!(
            "{} [{}, {}]",
            multiple(r.multiple),
            multiple(r.multiple_low),
            multiple(r.multiple_high)
        )
    };
    // As wide as its widest cell ("< 0.125" and "> 8.000" are wider than a number).
    let header = "demand multiple (95%)";
    let iwidth = results
        .iter()
        .map(|r| interval(r).chars().count())
        .chain([header.chars().count()])
        .max()
        .unwrap_or(0);
    s += &format!(
        "{:width$}  {:>iwidth$}  {:>12}  {:>12}  limit reached first\n",
        "scope", header, "Mt/yr", "M TEU/yr"
    );
    for r in results {
        let amount = |base: f64, digits: usize| {
            if base.is_nan() {
                "–".to_string()
            } else {
                search_end(r.multiple, |m| format!("{:.digits$}", m * base / 1e6))
            }
        };
        s += &format!(
            "{:width$}  {:>iwidth$}  {:>12}  {:>12}  {}\n",
            r.scope,
            interval(r),
            amount(r.base_t_per_yr, 1),
            amount(r.base_teu_per_yr, 2),
            if r.binding.is_empty() {
                format!(
                    "none by {}× ({})",
                    crate::experiment::SEARCH_LIMIT,
                    r.criterion
                )
            } else {
                r.binding.clone()
            }
        );
    }
    for r in results.iter().filter(|r| !r.note.is_empty()) {
        s += &format!("note: {}: {}\n", r.scope, r.note);
    }
    s
}

/// A demand multiple, or a figure at it, as `show` writes it — or, at the capacity search's
/// ends, "> the largest multiple searched" (criterion met there) and "< the least" (missed).
/// A demand multiple, or the search's end it passed: "> 8.000" (holds at the largest tried),
/// "< 0.125" (misses at the smallest).
pub(crate) fn search_end(multiple: f64, show: impl Fn(f64) -> String) -> String {
    use crate::experiment::SEARCH_LIMIT;
    if multiple.is_infinite() {
        format!("> {}", show(SEARCH_LIMIT))
    } else if multiple <= 0.0 {
        format!("< {}", show(1.0 / SEARCH_LIMIT))
    } else {
        show(multiple)
    }
}

#[cfg(test)]
mod tests {
    use super::render_capacity;
    use crate::results::CapacityResult;

    fn result(scope: &str, multiple: f64, lo: f64, hi: f64) -> CapacityResult {
        CapacityResult {
            scope: scope.into(),
            criterion: "wait_ratio<=0.2".into(),
            binding: if multiple.is_infinite() {
                String::new()
            } else {
                "wait_ratio<=0.2".into()
            },
            multiple,
            multiple_low: lo,
            multiple_high: hi,
            base_t_per_yr: 4e6,
            base_teu_per_yr: f64::NAN,
            capacity_t_per_yr: multiple * 4e6,
            capacity_teu_per_yr: f64::NAN,
            note: String::new(),
        }
    }

    #[test]
    fn the_search_ends_read_as_bounds_not_as_figures() {
        let text = render_capacity(
            "s",
            2020,
            2,
            &[
                result("tanks", f64::INFINITY, f64::INFINITY, f64::INFINITY),
                result("ferries", 0.0, 0.0, 0.75),
                result("ore", 1.5, 1.25, 2.0),
            ],
        );
        let row = |scope: &str| {
            text.lines()
                .find(|l| l.starts_with(scope))
                .expect(scope)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            row("tanks"),
            "tanks > 8.000 [> 8.000, > 8.000] > 32.0 – none by 8× (wait_ratio<=0.2)"
        );
        assert_eq!(
            row("ferries"),
            "ferries < 0.125 [< 0.125, 0.750] < 0.5 – wait_ratio<=0.2"
        );
        assert_eq!(row("ore"), "ore 1.500 [1.250, 2.000] 6.0 – wait_ratio<=0.2");
        // The columns line up whatever the bounds' widths: each row's Mt/yr ends under the
        // header's.
        let end = text
            .lines()
            .nth(1)
            .expect("header")
            .find("Mt/yr")
            .expect("Mt/yr")
            + 5;
        for (scope, mt) in [("tanks", "> 32.0"), ("ferries", "< 0.5"), ("ore", "6.0")] {
            let line = text.lines().find(|l| l.starts_with(scope)).expect(scope);
            assert!(line[..end].ends_with(mt), "{text}");
        }
    }
}
