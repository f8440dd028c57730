//! Reading a sweep file: its settings, its parameters (each value checked against the base
//! scenario) and every point's scenario, built and validated before anything runs.

use rayon::prelude::*;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::sampled::{RawSampled, Sampled};
use super::{DEMAND_MULTIPLIER, Parameter, Point, Sweep, SweepDesign, value_text};
use crate::error::{Error, Result};
use crate::scenario::paths::{
    Edit, canonical_path, canonical_within, edit_applies, get_path, parse_path, set_path,
};
use crate::scenario::{Diagnostic, ScenarioError, ScenarioSource, parse_toml_all};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a sweep file")]
struct RawSweep {
    name: Option<Spanned<String>>,
    scenario: Spanned<String>,
    replications: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    years: Option<Spanned<Vec<i64>>>,
    /// `grid` (the default: every combination of the parameters' values), `lhs` (a Latin
    /// hypercube of `samples` points over the parameters' ranges) or `saltelli` (Sobol
    /// indices: `samples` base samples, each run at k + 2 points).
    design: Option<Spanned<String>>,
    /// The number of points of an `lhs` design, or of base samples of a `saltelli` one.
    samples: Option<Spanned<i64>>,
    #[serde(default)]
    parameters: Vec<RawParameter>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a sweep parameter table (`path`, and `values` (with `labels` if you like), a `range` or a `distribution`)"
)]
struct RawParameter {
    path: Spanned<String>,
    /// A grid's values.
    values: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    /// A design's range, `[low, high]`, sampled uniformly.
    range: Option<Spanned<Vec<f64>>>,
    /// A design's distribution, `{ dist = "normal", mean = …, sd = … }` (or `uniform`,
    /// `triangular`, `lognormal`), sampled by its quantiles.
    distribution: Option<Spanned<RawSampled>>,
    /// A grid's names for its values, one each, for the report (`["low", "central", "high"]`).
    labels: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Reads a sweep file, builds and validates the scenario of every point.
///
/// # Errors
/// [`Error::Scenario`] with file:line:column for a bad sweep file (unknown parameter path,
/// empty grid, a value of the wrong type) or a point whose scenario is invalid.
pub fn load_sweep(arg: &str) -> Result<Sweep> {
    let text = crate::scenario::read_text(arg).map_err(|e| e.into_error(arg, "sweep"))?;
    let fail = |d: Vec<Diagnostic>| Error::Scenario(ScenarioError::new(arg, &text, d));
    let raw: RawSweep = parse_toml_all(&text).map_err(fail)?;
    let mut diags = Vec::new();
    // The base scenario: a path relative to the sweep file, or a built-in name.
    let dir = Path::new(arg).parent().unwrap_or(Path::new("."));
    let scenario_arg = crate::scenario::referenced(dir, raw.scenario.get_ref());
    // A base that cannot be found or read is this file's problem, at its `scenario` line (its
    // contents' problems are the base file's, at their own lines).
    let base = ScenarioSource::resolve(&scenario_arg).map_err(|e| {
        fail(vec![Diagnostic::at(
            raw.scenario.span(),
            "scenario",
            e.to_string(),
        )])
    })?;
    let base_model = base.load()?;
    let base_table: toml::Table = base
        .text
        .parse()
        .map_err(|e| Error::Other(format!("cannot re-read {}: {e}", base.file)))?;
    let settings = &base_model.settings;
    let replications = match &raw.replications {
        Some(n) if (1..=100_000).contains(n.get_ref()) => *n.get_ref() as u32,
        Some(n) => {
            diags.push(Diagnostic::at(
                n.span(),
                "replications",
                format!("expected 1 to 100000 replications, found {}", n.get_ref()),
            ));
            1
        }
        None => settings.replications,
    };
    let seed = match &raw.seed {
        Some(s) if *s.get_ref() >= 0 => *s.get_ref() as u64,
        Some(s) => {
            diags.push(Diagnostic::at(
                s.span(),
                "seed",
                format!("expected a seed >= 0, found {}", s.get_ref()),
            ));
            0
        }
        None => settings.seed,
    };
    let years = match &raw.years {
        Some(y) => years(y, settings.base_year, &mut diags),
        None => settings.years.clone(),
    };
    let design = design(&raw, &mut diags);
    let samples = match design {
        Design::Grid | Design::Invalid => None,
        Design::Lhs(n) => Some(n),
        Design::Saltelli(n) => Some(n * (raw.parameters.len() + 2)),
    };
    let columns = match design {
        Design::Grid => grid_values(&raw, &mut diags),
        Design::Lhs(n) => latin_hypercube(&raw, &base_table, n, seed, "sweep/lhs", &mut diags),
        Design::Saltelli(n) => saltelli(&raw, &base_table, n, seed, &mut diags),
        Design::Invalid => vec![Vec::new(); raw.parameters.len()],
    };
    let params = parameters(&raw, &columns, &base_table, &mut diags);
    if !diags.is_empty() {
        return Err(fail(diags));
    }
    // The grid, first parameter slowest; or the hypercube's samples, one per point.
    let total: usize = match samples {
        Some(n) => n,
        None => params.iter().map(|p| p.values.len()).product(),
    };
    let mut points = Vec::with_capacity(total);
    for index in 0..total {
        let mut rem = index;
        let mut values = vec![toml::Value::Integer(0); params.len()];
        for (k, p) in params.iter().enumerate().rev() {
            if samples.is_some() {
                values[k] = p.values[index].clone();
                continue;
            }
            values[k] = p.values[rem % p.values.len()].clone();
            rem /= p.values.len();
        }
        points.push(Point { index, values });
    }
    let name = raw.name.as_ref().map_or_else(
        || {
            Path::new(arg)
                .file_stem()
                .map_or("sweep".into(), |s| s.to_string_lossy().into_owned())
        },
        |n| n.get_ref().clone(),
    );
    let sweep = Sweep {
        name,
        file: arg.to_string(),
        text,
        base,
        base_table,
        base_model,
        parameters: params,
        replications,
        seed,
        years,
        points,
        max_events: crate::sim::DEFAULT_MAX_EVENTS,
        format: crate::report::format::Format::Parquet,
        design: match design {
            // (An invalid design was refused above, with its diagnostics.)
            Design::Grid | Design::Invalid => SweepDesign::Grid,
            Design::Lhs(_) => SweepDesign::Lhs,
            Design::Saltelli(_) => SweepDesign::Saltelli,
        },
    };
    // Every point's scenario is built and validated now, in parallel, and dropped: a sweep
    // of 10,000 points would not fit in memory with its models; each is rebuilt when it runs.
    // The first invalid point in index order is the one reported.
    let checked: Vec<Result<()>> = sweep
        .points
        .par_iter()
        .map(|p| sweep.model(p).map(drop))
        .collect();
    checked.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(sweep)
}

impl Sweep {
    /// The scenario of point `p`: the base scenario with the point's values set, validated,
    /// its mode choice calibrated on the base scenario's costs
    /// ([`calibrate_on_base`](crate::scenario::calibrate_on_base)).
    ///
    /// # Errors
    /// [`Error::Scenario`] naming the sweep file if the point makes the scenario invalid.
    pub fn model(&self, p: &Point) -> Result<crate::model::Model> {
        let fail =
            |d: Vec<Diagnostic>| Error::Scenario(ScenarioError::new(&self.file, &self.text, d));
        let mut model = point_model(
            &self.base,
            &self.base_table,
            &self.parameters,
            p.index,
            &p.values,
            &fail,
        )?;
        // A point varies the base scenario: its mode choice is calibrated on the base, so a
        // tariff, distance or slot count it changes moves the shares (as a project would).
        crate::scenario::calibrate_on_base(&self.base_model, &mut model);
        model.name = self.base_model.name.clone();
        Ok(model)
    }
}

/// The sweep's design years: from the scenario's base year to 2200, at least one.
fn years(y: &Spanned<Vec<i64>>, base_year: u16, diags: &mut Vec<Diagnostic>) -> Vec<u16> {
    let mut v = Vec::new();
    for &x in y.get_ref() {
        if x < i64::from(base_year) || x > 2200 {
            diags.push(Diagnostic::at(
                y.span(),
                "years",
                format!(
                    "expected design years from the scenario's base year {base_year} to 2200, found {x}"
                ),
            ));
        } else if v.contains(&(x as u16)) {
            diags.push(Diagnostic::at(
                y.span(),
                "years",
                format!("design year {x} is given twice"),
            ));
        } else {
            v.push(x as u16);
        }
    }
    if v.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::at(
            y.span(),
            "years",
            "expected at least one design year",
        ));
    }
    v
}

/// The parameters, each value tried on the base scenario (an unknown path is reported once,
/// at the path; a value of the wrong type at the value).
fn parameters(
    raw: &RawSweep,
    columns: &[Vec<Spanned<toml::Value>>],
    base_table: &toml::Table,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Parameter> {
    if raw.parameters.is_empty() {
        diags.push(Diagnostic::at(
            0..0,
            "parameters",
            "the sweep has no parameters; expected at least one `[[parameters]]` with a `path` and `values`",
        ));
    }
    let mut params = Vec::new();
    for (i, p) in raw.parameters.iter().enumerate() {
        let ppath = format!("parameters[{i}]");
        let Some(column) = columns.get(i) else {
            continue;
        };
        let path = p.path.get_ref().trim().to_string();
        let kind = if p.range.is_some() {
            "range"
        } else if p.distribution.is_some() {
            "distribution"
        } else {
            "values"
        };
        // A value set twice would be set by whichever comes last: two paths that name one
        // value (`flows[0].x` and `flows[name=a].x`), or one value inside another's.
        if let Some(m) =
            swept_already(raw, i, base_table).or_else(|| set_by_sweep(&path, base_table))
        {
            diags.push(Diagnostic::at(p.path.span(), format!("{ppath}.path"), m));
        }
        // Without values (a design reported invalid, an empty grid) the path is still checked,
        // so that a misspelt one is not found only after the design is mended.
        let probe = [Spanned::new(p.path.span(), toml::Value::Float(1.0))];
        let unresolved = path != DEMAND_MULTIPLIER && get_path(base_table, &path).is_none();
        let checked = match column.is_empty() {
            false => column.as_slice(),
            true if unresolved => &probe[..],
            true => &[],
        };
        for v in checked {
            let Err(m) = check_value(base_table, &path, v.get_ref()) else {
                continue;
            };
            let at_path = parse_path(&path).is_err()
                || m.starts_with("no ")
                || m.contains("not a table")
                || m.contains("not an array")
                || m.contains("out of range");
            let span = if at_path { p.path.span() } else { v.span() };
            let field = if at_path {
                format!("{ppath}.path")
            } else {
                format!("{ppath}.{kind}")
            };
            let m = if kind == "distribution" && !at_path {
                format!("{m}{DISTRIBUTION_HINT}")
            } else {
                m
            };
            if !diags
                .iter()
                .any(|d: &Diagnostic| d.span.as_ref() == Some(&span))
            {
                diags.push(Diagnostic::at(span, field, m));
            }
        }
        params.push(Parameter {
            path,
            labels: labels(p, &ppath, column.len(), diags),
            values: column.iter().map(|v| v.get_ref().clone()).collect(),
            spans: column.iter().map(Spanned::span).collect(),
            field: format!("{ppath}.{kind}"),
        });
    }
    params
}

/// A grid parameter's names for its values (none if it gives none): one non-empty name per
/// value, each different, so that a point can be named by its parameters' labels.
fn labels(p: &RawParameter, at: &str, n: usize, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let Some(l) = &p.labels else {
        return Vec::new();
    };
    let field = format!("{at}.labels");
    if p.values.is_none() {
        diags.push(Diagnostic::at(
            l.span(),
            field,
            "`labels` name a grid's `values`; a design's samples are numbers, named by themselves",
        ));
        return Vec::new();
    }
    let names = l.get_ref();
    let before = diags.len();
    if names.len() != n && n > 0 {
        diags.push(Diagnostic::at(
            l.span(),
            field.clone(),
            format!(
                "expected one label for each of the {n} values, found {}",
                names.len()
            ),
        ));
    }
    for (k, name) in names.iter().enumerate() {
        let text = name.get_ref().trim();
        if text.is_empty() {
            diags.push(Diagnostic::at(
                name.span(),
                field.clone(),
                "expected a label with some text, found an empty one",
            ));
        } else if names[..k].iter().any(|m| m.get_ref().trim() == text) {
            diags.push(Diagnostic::at(
                name.span(),
                field.clone(),
                format!("the label {text:?} is given twice: each value needs its own"),
            ));
        }
    }
    if diags.len() > before {
        return Vec::new();
    }
    names
        .iter()
        .map(|m| m.get_ref().trim().to_string())
        .collect()
}

/// Whether parameter `i` sets a value an earlier parameter already sets (the same value, or
/// one inside the other), and the message saying so. Paths are compared by the place they name
/// in the base scenario; one that does not resolve there (reported elsewhere) by its text.
fn swept_already(raw: &RawSweep, i: usize, base_table: &toml::Table) -> Option<String> {
    let text = |k: usize| raw.parameters[k].path.get_ref().trim().to_string();
    let place = |k: usize| canonical_path(base_table, &text(k)).unwrap_or_else(|| text(k));
    let (path, here) = (text(i), place(i));
    (0..i).find_map(|j| {
        let there = place(j);
        let said = if text(j) == path {
            format!("`{path}` is already swept by parameters[{j}]")
        } else if there == here {
            format!(
                "`{path}` names the same value as `{}` (parameters[{j}])",
                text(j)
            )
        } else if canonical_within(&there, &here) {
            format!(
                "`{path}` lies inside `{}`, swept by parameters[{j}]",
                text(j)
            )
        } else if canonical_within(&here, &there) {
            format!("`{path}` contains `{}`, swept by parameters[{j}]", text(j))
        } else {
            return None;
        };
        Some(format!("{said}; each value may be swept once"))
    })
}

/// Why a path may not be swept because the sweep itself sets what it names: every point runs
/// the sweep file's replications, seed and design years, and keeps the base scenario's name —
/// a swept value there would change nothing but a column of the results.
fn set_by_sweep(path: &str, base_table: &toml::Table) -> Option<String> {
    const SET: [(&str, &str); 4] = [
        ("run.replications", "`replications`"),
        ("run.seed", "`seed`"),
        ("run.years", "`years`"),
        (
            "name",
            "the base scenario's name; points are told apart by their parameters",
        ),
    ];
    let place = canonical_path(base_table, path).unwrap_or_else(|| path.to_string());
    let (key, by) = SET
        .iter()
        .find(|(key, _)| canonical_within(key, &place) || canonical_within(&place, key))?;
    let why = if *key == "name" {
        format!("every point keeps {by}")
    } else {
        format!(
            "every point runs the sweep file's {by} (the base scenario's if the sweep file gives none); set {by} in the sweep file"
        )
    };
    Some(if canonical_within(key, &place) {
        let part = if place == *key {
            String::new()
        } else {
            format!(" (part of `{key}`)")
        };
        format!("`{path}`{part} cannot be swept, as it would change nothing: {why}")
    } else {
        format!(
            "`{path}` cannot be swept whole: it holds `{key}`, which every point takes from the sweep file (or keeps); sweep the values inside it"
        )
    })
}

/// A sweep file's design, with its number of samples.
#[derive(Clone, Copy, Debug)]
enum Design {
    Grid,
    Lhs(usize),
    Saltelli(usize),
    /// An unknown design, or a sampling design without a valid `samples` (already reported):
    /// its parameters are not checked against a design they do not have.
    Invalid,
}

/// The design the sweep file asks for.
fn design(raw: &RawSweep, diags: &mut Vec<Diagnostic>) -> Design {
    let kind = match raw
        .design
        .as_ref()
        .map(|d| (d.get_ref().as_str(), d.span()))
    {
        None | Some(("grid", _)) => "grid",
        Some(("lhs", _)) => "lhs",
        Some(("saltelli", _)) => "saltelli",
        Some((other, span)) => {
            let hint =
                crate::scenario::nearest(&other.to_ascii_lowercase(), ["grid", "lhs", "saltelli"])
                    .map_or(String::new(), |k| format!(" (did you mean `{k}`?)"));
            diags.push(Diagnostic::at(
                span,
                "design",
                format!("expected `grid`, `lhs` or `saltelli`, found `{other}`{hint}"),
            ));
            // Its parameters are not checked against a design it may not have meant.
            return Design::Invalid;
        }
    };
    match (&raw.samples, kind) {
        (Some(n), "lhs" | "saltelli") if (2..=1_000_000).contains(n.get_ref()) => {
            let n = *n.get_ref() as usize;
            if kind == "lhs" {
                Design::Lhs(n)
            } else {
                Design::Saltelli(n)
            }
        }
        (Some(n), "lhs" | "saltelli") => {
            diags.push(Diagnostic::at(
                n.span(),
                "samples",
                format!("expected 2 to 1000000 samples, found {}", n.get_ref()),
            ));
            Design::Invalid
        }
        (None, "lhs" | "saltelli") => {
            diags.push(Diagnostic::at(
                raw.design.as_ref().map_or(0..0, |d| d.span()),
                "samples",
                format!(
                    "{} `{kind}` design needs `samples = N`, the number of points",
                    if kind == "lhs" { "an" } else { "a" }
                ),
            ));
            Design::Invalid
        }
        (Some(n), _) => {
            diags.push(Diagnostic::at(
                n.span(),
                "samples",
                "`samples` is for `design = \"lhs\"` or `\"saltelli\"`; a grid's points are its values' combinations",
            ));
            Design::Grid
        }
        (None, _) => Design::Grid,
    }
}

/// Saltelli's design for Sobol indices: two independent Latin hypercubes A and B of `n`
/// samples, and for each sample j the k + 2 points A_j, B_j and A_j with its i-th
/// parameter taken from B_j (i = 1 … k), in that order — so point `j (k + 2) + r` is row j's
/// r-th. Returned as each parameter's values, point by point.
fn saltelli(
    raw: &RawSweep,
    base_table: &toml::Table,
    n: usize,
    seed: u64,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Spanned<toml::Value>>> {
    let a = latin_hypercube(raw, base_table, n, seed, "sweep/saltelli-a", diags);
    // B's problems are A's: reported once.
    let b = latin_hypercube(
        raw,
        base_table,
        n,
        seed,
        "sweep/saltelli-b",
        &mut Vec::new(),
    );
    let k = a.len();
    if a.iter().chain(&b).any(|c| c.len() != n) {
        return vec![Vec::new(); k];
    }
    (0..k)
        .map(|param| {
            (0..n * (k + 2))
                .map(|point| {
                    let (j, r) = (point / (k + 2), point % (k + 2));
                    let from_b = r == 1 || r == param + 2;
                    if from_b {
                        b[param][j].clone()
                    } else {
                        a[param][j].clone()
                    }
                })
                .collect()
        })
        .collect()
}

/// A grid's values, each parameter's own (a range belongs to an `lhs` design).
fn grid_values(raw: &RawSweep, diags: &mut Vec<Diagnostic>) -> Vec<Vec<Spanned<toml::Value>>> {
    raw.parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(r) = &p.range {
                diags.push(Diagnostic::at(
                    r.span(),
                    format!("parameters[{i}].range"),
                    "a `range` is for `design = \"lhs\"`; a grid takes `values = [...]`",
                ));
            }
            if let Some(d) = &p.distribution {
                diags.push(Diagnostic::at(
                    d.span(),
                    format!("parameters[{i}].distribution"),
                    "a `distribution` is for `design = \"lhs\"` or `\"saltelli\"`; a grid takes `values = [...]`",
                ));
            }
            match &p.values {
                Some(v) if v.get_ref().is_empty() => {
                    diags.push(Diagnostic::at(
                        v.span(),
                        format!("parameters[{i}].values"),
                        "the grid is empty: expected at least one value",
                    ));
                    Vec::new()
                }
                Some(v) => {
                    let values = v.get_ref();
                    for (k, x) in values.iter().enumerate() {
                        if values[..k].iter().any(|y| same_value(y.get_ref(), x.get_ref())) {
                            // A repeated value would run the same points twice.
                            diags.push(Diagnostic::at(
                                x.span(),
                                format!("parameters[{i}].values"),
                                format!("{} is given twice", value_text(x.get_ref())),
                            ));
                        }
                    }
                    values.clone()
                }
                None => {
                    diags.push(Diagnostic::at(
                        p.path.span(),
                        format!("parameters[{i}]"),
                        "expected `values = [...]` (or, with `design = \"lhs\"` or `\"saltelli\"`, a `range = [low, high]` or a `distribution`)",
                    ));
                    Vec::new()
                }
            }
        })
        .collect()
}

/// Whether two sweep values set the same: equal, or numbers equal as numbers (`1` and `1.0`).
fn same_value(a: &toml::Value, b: &toml::Value) -> bool {
    let num = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64));
    a == b || matches!((num(a), num(b)), (Some(x), Some(y)) if x == y)
}

/// A Latin hypercube of `n` points over the parameters' ranges, seeded from the sweep's seed:
/// each parameter's range is cut into `n` equal strata, each stratum sampled once (uniformly
/// within it), the strata of the parameters paired by independent random permutations. A
/// parameter whose base value is a whole number takes whole numbers (rounded).
fn latin_hypercube(
    raw: &RawSweep,
    base_table: &toml::Table,
    n: usize,
    seed: u64,
    stream: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Spanned<toml::Value>>> {
    use rand::RngExt;
    use rand::seq::SliceRandom;
    let design = if stream.contains("saltelli") {
        "saltelli"
    } else {
        "lhs"
    };
    let mut rng = crate::engine::stream(seed, stream);
    raw.parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(v) = &p.values {
                diags.push(Diagnostic::at(
                    v.span(),
                    format!("parameters[{i}].values"),
                    format!(
                        "a `{design}` design samples `range = [low, high]` or a `distribution`, not a list of values"
                    ),
                ));
            }
            let Some((sampled, span)) = sampled(p, i, design, diags) else {
                return Vec::new();
            };
            let path = p.path.get_ref().trim();
            let whole = matches!(get_path(base_table, path), Some(toml::Value::Integer(_)));
            if let (true, Sampled::Uniform { min, max }) = (whole, &sampled) {
                // A sample x in [min, max) becomes the whole number nearest it: k takes
                // [k − ½, k + ½). A range inside one such interval varies nothing.
                let (lowest, highest) = ((min + 0.5).floor(), (max + 0.5).ceil() - 1.0);
                if lowest >= highest {
                    // (A `range`, or a uniform `distribution`: the same samples.)
                    let field = if p.range.is_some() {
                        "range"
                    } else {
                        "distribution"
                    };
                    diags.push(Diagnostic::at(
                        span.clone(),
                        format!("parameters[{i}].{field}"),
                        format!(
                            "`{path}` takes whole numbers, and every sample of [{min}, {max}] rounds to {lowest}: widen it (a whole number k is drawn for samples in [k − 0.5, k + 0.5), so [{}, {}] gives {} to {} equal weight)",
                            lowest - 0.5,
                            lowest + 1.5,
                            lowest,
                            lowest + 1.0
                        ),
                    ));
                    return Vec::new();
                }
            }
            let mut strata: Vec<usize> = (0..n).collect();
            strata.shuffle(&mut rng);
            strata
                .into_iter()
                .map(|k| {
                    // One sample in each of the n equal-probability bins.
                    let u = (k as f64 + rng.random::<f64>()) / n as f64;
                    let x = sampled.quantile(u);
                    let v = if whole {
                        toml::Value::Integer(x.round() as i64)
                    } else {
                        toml::Value::Float(x)
                    };
                    Spanned::new(span.clone(), v)
                })
                .collect()
        })
        .collect()
}

/// What a design samples parameter `i` from — its `range` (uniform) or its `distribution` —
/// and where the sweep file says it; `None` (with the problem reported) when it says neither,
/// both, or something invalid.
fn sampled(
    p: &RawParameter,
    i: usize,
    design: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Sampled, std::ops::Range<usize>)> {
    match (&p.range, &p.distribution) {
        (Some(_), Some(d)) => {
            diags.push(Diagnostic::at(
                d.span(),
                format!("parameters[{i}].distribution"),
                "give a `range` or a `distribution`, not both",
            ));
            None
        }
        (None, None) => {
            diags.push(Diagnostic::at(
                p.path.span(),
                format!("parameters[{i}]"),
                format!(
                    "expected `range = [low, high]` or `distribution = {{ dist = … }}` for the `{design}` design"
                ),
            ));
            None
        }
        (Some(r), None) => match r.get_ref().as_slice() {
            [lo, hi] if lo.is_finite() && hi.is_finite() && lo < hi => {
                Some((Sampled::Uniform { min: *lo, max: *hi }, r.span()))
            }
            found => {
                let found = found
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                diags.push(Diagnostic::at(
                    r.span(),
                    format!("parameters[{i}].range"),
                    format!("expected `[low, high]` with low < high, both finite; found [{found}]"),
                ));
                None
            }
        },
        (None, Some(d)) => match Sampled::from_raw(d.get_ref()) {
            Ok(s) => Some((s, d.span())),
            Err(m) => {
                diags.push(Diagnostic::at(
                    d.span(),
                    format!("parameters[{i}].distribution"),
                    m,
                ));
                None
            }
        },
    }
}

/// Whether a value can be set at `path` (the scenario's own checks come when points load).
fn check_value(base_table: &toml::Table, path: &str, v: &toml::Value) -> Result<(), String> {
    if path != DEMAND_MULTIPLIER {
        // Most values fit: found without copying the scenario (10,000 samples of 8
        // parameters each cost 45 s that way). Only one that does not is tried on a copy, for
        // the message.
        if edit_applies(base_table, path, v, Edit::Replace) {
            return Ok(());
        }
        let mut probe = base_table.clone();
        return set_path(&mut probe, path, v).map_err(|m| {
            // The sweep's own parameter is no key of the scenario: suggest it as one.
            let top = !path.contains(['.', '[']);
            let hint = crate::scenario::nearest_key(path.trim(), &[DEMAND_MULTIPLIER]);
            if top && !m.contains("did you mean") && !hint.is_empty() {
                format!("{m}{hint}")
            } else {
                m
            }
        });
    }
    let x = match v {
        toml::Value::Float(x) => *x,
        toml::Value::Integer(x) => *x as f64,
        _ => f64::NAN,
    };
    if x.is_nan() || x <= 0.0 {
        return Err(format!(
            "`{DEMAND_MULTIPLIER}` takes numbers > 0, found {}",
            value_text(v)
        ));
    }
    if x > MAX_DEMAND_MULTIPLIER {
        return Err(format!(
            "`{DEMAND_MULTIPLIER}` takes numbers up to {MAX_DEMAND_MULTIPLIER} (a thousand times the scenario's demand), found {}",
            value_text(v)
        ));
    }
    Ok(())
}

/// The sweep's value that made a point's scenario invalid, and its place: the first
/// parameter whose path holds a problem's path (a grid's entry for the point's value, or a
/// design's range). `None` when no parameter holds it (the values together break a rule).
fn culprit(
    base_table: &toml::Table,
    params: &[Parameter],
    values: &[toml::Value],
    e: &ScenarioError,
) -> Option<(std::ops::Range<usize>, String)> {
    params.iter().zip(values).find_map(|(p, v)| {
        let place = canonical_path(base_table, &p.path)?;
        let held = e
            .diagnostics
            .iter()
            .any(|d| canonical_within(&place, &d.path));
        if !held {
            return None;
        }
        let k = p.values.iter().position(|x| x == v).unwrap_or(0);
        let span = p.spans.get(k).or(p.spans.first())?.clone();
        Some((span, p.field.clone()))
    })
}

/// The largest demand multiple a sweep may ask for: beyond it no port model means anything
/// (and a run's events would exceed any budget).
const MAX_DEMAND_MULTIPLIER: f64 = 1000.0;

/// Said when a sampled value is refused: one such sample stops the whole sweep.
const DISTRIBUTION_HINT: &str = "; every sample must be valid: bound the distribution (a normal's `min` and `max`, a triangular, a uniform range) or move it away from the limit (a whole-number setting's samples are rounded after sampling: bound it half a unit inside)";

/// The model of one point: the base scenario with the point's values set, validated (an
/// invalid one is reported through `fail`, as a problem of the sweep file).
fn point_model(
    base: &ScenarioSource,
    base_table: &toml::Table,
    params: &[Parameter],
    index: usize,
    values: &[toml::Value],
    fail: &dyn Fn(Vec<Diagnostic>) -> Error,
) -> Result<crate::model::Model> {
    let mut table = base_table.clone();
    let mut multiplier = 1.0;
    for (p, v) in params.iter().zip(values) {
        if p.path == DEMAND_MULTIPLIER {
            multiplier *= v
                .as_float()
                .or(v.as_integer().map(|i| i as f64))
                .unwrap_or(1.0);
        } else if let Err(m) = set_path(&mut table, &p.path, v) {
            return Err(Error::Other(format!("point {index}: {m}")));
        }
    }
    let text = match toml::to_string(&table) {
        Ok(t) => t,
        Err(e) => return Err(Error::Other(format!("point {index}: {e}"))),
    };
    let src = ScenarioSource {
        file: format!("{} (sweep point {index})", base.file),
        default_name: base.default_name.clone(),
        text,
        extends: base.extends.clone(),
        // A point's problem is in the sweep's value, not in the scenario's file: by path.
        own: None,
    };
    match src.load_variant() {
        Ok(mut model) => {
            model.settings.demand_multiplier = multiplier;
            Ok(model)
        }
        Err(e) => {
            let settings: Vec<String> = params
                .iter()
                .zip(values)
                .map(|(p, v)| format!("{} = {}", p.path, value_text(v)))
                .collect();
            let (span, field) =
                culprit(base_table, params, values, &e).unwrap_or((0..0, "parameters".to_string()));
            // One sampled value the scenario refuses stops the whole sweep (before any run).
            let hint = if field.ends_with(".distribution") {
                DISTRIBUTION_HINT
            } else {
                ""
            };
            Err(fail(vec![Diagnostic::at(
                span,
                field,
                format!(
                    "point {index} ({}) makes the scenario invalid: {}{hint}",
                    settings.join(", "),
                    e.brief()
                ),
            )]))
        }
    }
}
