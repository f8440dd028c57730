//! Reading a sweep file: its settings, its parameters (each value checked against the base
//! scenario) and every point's scenario, built and validated before anything runs.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{DEMAND_MULTIPLIER, Parameter, Point, Sweep, value_text};
use crate::error::{Error, Result};
use crate::scenario::paths::{parse_path, set_path};
use crate::scenario::{Diagnostic, ScenarioError, ScenarioSource, parse_toml};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    name: Option<Spanned<String>>,
    scenario: Spanned<String>,
    replications: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    years: Option<Spanned<Vec<i64>>>,
    #[serde(default)]
    parameters: Vec<RawParameter>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameter {
    path: Spanned<String>,
    values: Spanned<Vec<Spanned<toml::Value>>>,
}

/// Reads a sweep file, builds and validates the scenario of every point.
///
/// # Errors
/// [`Error::Scenario`] with file:line:column for a bad sweep file (unknown parameter path,
/// empty grid, a value of the wrong type) or a point whose scenario is invalid.
pub fn load_sweep(arg: &str) -> Result<Sweep> {
    let text = crate::scenario::read_text(arg).map_err(|e| e.into_error(arg, "sweep"))?;
    let fail = |d: Vec<Diagnostic>| Error::Scenario(ScenarioError::new(arg, &text, d));
    let raw: RawSweep = parse_toml(&text).map_err(|d| fail(vec![d]))?;
    let mut diags = Vec::new();
    // The base scenario: a path relative to the sweep file, or a built-in name.
    let dir = Path::new(arg).parent().unwrap_or(Path::new("."));
    let rel: PathBuf = dir.join(raw.scenario.get_ref());
    let scenario_arg = if rel.exists() {
        rel.to_string_lossy().into_owned()
    } else {
        raw.scenario.get_ref().clone()
    };
    let base = ScenarioSource::resolve(&scenario_arg)?;
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
    let params = parameters(&raw, &base_table, &mut diags);
    if !diags.is_empty() {
        return Err(fail(diags));
    }
    // The grid, first parameter slowest.
    let total: usize = params.iter().map(|p| p.values.len()).product();
    let mut points = Vec::with_capacity(total);
    for index in 0..total {
        let mut rem = index;
        let mut values = vec![toml::Value::Integer(0); params.len()];
        for (k, p) in params.iter().enumerate().rev() {
            values[k] = p.values[rem % p.values.len()].clone();
            rem /= p.values.len();
        }
        let mut model = point_model(&base, &base_table, &params, index, &values, &fail)?;
        model.name = base_model.name.clone();
        points.push(Point {
            index,
            values,
            model,
        });
    }
    let name = raw.name.as_ref().map_or_else(
        || {
            Path::new(arg)
                .file_stem()
                .map_or("sweep".into(), |s| s.to_string_lossy().into_owned())
        },
        |n| n.get_ref().clone(),
    );
    Ok(Sweep {
        name,
        file: arg.to_string(),
        text,
        base,
        base_model,
        parameters: params,
        replications,
        seed,
        years,
        points,
        max_events: crate::sim::DEFAULT_MAX_EVENTS,
    })
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
        if p.values.get_ref().is_empty() {
            diags.push(Diagnostic::at(
                p.values.span(),
                format!("{ppath}.values"),
                "the grid is empty: expected at least one value",
            ));
        }
        let path = p.path.get_ref().trim().to_string();
        for v in p.values.get_ref() {
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
                format!("{ppath}.values")
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
            values: p
                .values
                .get_ref()
                .iter()
                .map(|v| v.get_ref().clone())
                .collect(),
        });
    }
    params
}

/// Whether a value can be set at `path` (the scenario's own checks come when points load).
fn check_value(base_table: &toml::Table, path: &str, v: &toml::Value) -> Result<(), String> {
    if path != DEMAND_MULTIPLIER {
        let mut probe = base_table.clone();
        return set_path(&mut probe, path, v);
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

/// The largest demand multiple a sweep may ask for: beyond it no port model means anything
/// (and a run's events would exceed any budget).
const MAX_DEMAND_MULTIPLIER: f64 = 1000.0;

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
    };
    match src.load() {
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
            Err(fail(vec![Diagnostic::at(
                0..0,
                "parameters",
                format!(
                    "point {index} ({}) makes the scenario invalid: {}",
                    settings.join(", "),
                    e.brief()
                ),
            )]))
        }
    }
}
