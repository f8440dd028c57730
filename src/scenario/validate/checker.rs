//! The checker every section of the reader shares: it collects diagnostics, checks numbers
//! against their physical ranges, checks distributions, and resolves names with suggestions.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::super::location::{Diagnostic, nearest};
use super::super::raw::{RawDist, SNum, SStr};
use super::limits::Bounds;
use crate::model::{CargoClass, Dist};

/// Collects every problem found, each with its place.
#[derive(Debug, Default)]
pub(super) struct Checker {
    pub diags: Vec<Diagnostic>,
}

/// The byte range of a spanned value.
pub(super) fn span<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// A number as a reader writes it: plain where plain is short, scientific where it is not
/// (1e-308, not 308 zeros).
pub(super) fn num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// `a`, `b`, `c`.
pub(super) fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "; did you mean `x`?", or the candidates when none is near (at most eight of them).
pub(super) fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match nearest(name, candidates.clone()) {
        Some(n) => format!("; did you mean `{n}`?"),
        None => {
            // Each name once, in declaration order (a duplicate is an error of its own).
            let mut all: Vec<&str> = Vec::new();
            for c in candidates {
                if !all.contains(&c) {
                    all.push(c);
                }
            }
            if all.is_empty() {
                String::new()
            } else if all.len() <= 8 {
                format!("; expected one of {}", list(&all))
            } else {
                format!("; expected one of {} …", list(&all[..8]))
            }
        }
    }
}

/// A sum of shares as a reader would write it (0.9, not 0.8999999999999999).
pub(super) fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The distribution families and the keys each takes.
const FAMILIES: [(&str, &[&str]); 9] = [
    ("fixed", &["value"]),
    ("exponential", &["mean"]),
    ("erlang", &["k", "mean"]),
    ("gamma", &["mean", "cv"]),
    ("lognormal", &["mean", "cv"]),
    ("normal", &["mean", "sd"]),
    ("uniform", &["min", "max"]),
    ("triangular", &["min", "mode", "max"]),
    ("empirical", &["values", "weights"]),
];

impl Checker {
    /// Records a problem at `span`.
    pub fn err(&mut self, span: Range<usize>, path: impl Into<String>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::at(span, path, msg));
    }

    /// How many problems so far (to tell whether a section added any).
    pub fn count(&self) -> usize {
        self.diags.len()
    }

    /// A number that must be > 0 (or ≥ 0 when `allow_zero`), with no other bound.
    pub fn positive(&mut self, v: &SNum, path: &str, what: &str, allow_zero: bool) -> f64 {
        let x = *v.get_ref();
        let ok = x.is_finite() && (x > 0.0 || (allow_zero && x == 0.0));
        if !ok {
            let bound = if allow_zero { ">= 0" } else { "> 0" };
            // (`inf` is > 0: what it is not is a number.)
            let finite = if x.is_finite() {
                ""
            } else {
                " (a finite number)"
            };
            self.err(
                span(v),
                path,
                format!("expected {what} {bound}{finite}, found {}", num(x)),
            );
            return if allow_zero { 0.0 } else { 1.0 };
        }
        x
    }

    /// A number within its physical range, or the range's message (for a value that is
    /// negative, zero where zero is not allowed, too large or not a number alike: the range
    /// says what is wanted). Returns the value as written when it is positive and finite (later
    /// checks speak of what the user wrote; the model is not built when there are errors), else
    /// a harmless one in range.
    pub fn number(&mut self, v: &SNum, path: &str, what: &str, b: Bounds) -> f64 {
        let x = *v.get_ref();
        if x == 0.0 && b.zero {
            return 0.0;
        }
        if !(b.lo..=b.hi).contains(&x) {
            self.err(
                span(v),
                path,
                format!("expected {what} {}, found {}", b.describe(), num(x)),
            );
            if !x.is_finite() || x <= 0.0 {
                return if b.zero { 0.0 } else { b.lo };
            }
        }
        x
    }

    /// A number that may be negative, within `lo..=hi`.
    pub fn signed(&mut self, v: &SNum, path: &str, what: &str, (lo, hi): (f64, f64)) -> f64 {
        let x = *v.get_ref();
        if (lo..=hi).contains(&x) {
            return x;
        }
        self.err(
            span(v),
            path,
            format!(
                "expected {what} from {} to {}, found {}",
                num(lo),
                num(hi),
                num(x)
            ),
        );
        0.0
    }

    /// An optional number within its range, or `default` when absent.
    pub fn opt_number(
        &mut self,
        v: &Option<SNum>,
        path: &str,
        what: &str,
        b: Bounds,
        default: f64,
    ) -> f64 {
        match v {
            Some(v) => self.number(v, path, what, b),
            None => default,
        }
    }

    /// An integer within `lo..=hi`; outside it, the message "expected {expected}, found n"
    /// (`expected` states the range in words, e.g. "1 to 1000 train slots per day").
    pub fn integer(
        &mut self,
        v: &Spanned<i64>,
        path: &str,
        (lo, hi): (i64, i64),
        expected: &str,
        fallback: i64,
    ) -> i64 {
        let n = *v.get_ref();
        if (lo..=hi).contains(&n) {
            n
        } else {
            self.err(span(v), path, format!("expected {expected}, found {n}"));
            fallback
        }
    }

    /// Dimensions that go together: all given, or none (then `None`). A partial set is an
    /// error naming each missing key and what the set is for.
    pub fn all_or_none(
        &mut self,
        at: &SStr,
        path: &str,
        keys: &[(&str, bool)],
        what: &str,
    ) -> bool {
        let given = keys.iter().filter(|(_, g)| *g).count();
        if given == 0 || given == keys.len() {
            return given > 0;
        }
        let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
        for (key, _) in keys.iter().filter(|(_, g)| !*g) {
            self.err(
                span(at),
                path,
                format!(
                    "missing key `{key}`; give {} together, or none of them for {what}",
                    list(&names)
                ),
            );
        }
        true
    }

    /// A cargo class by name.
    pub fn cargo(&mut self, s: &SStr, path: &str) -> Option<CargoClass> {
        let c = CargoClass::from_name(s.get_ref());
        if c.is_none() {
            let names = CargoClass::ALL.map(|c| c.name());
            let hint = match nearest(s.get_ref(), names) {
                Some(n) => format!("; did you mean `{n}`?"),
                None => format!("; expected one of {}", names.join(", ")),
            };
            self.err(
                span(s),
                path,
                format!("unknown cargo class `{}`{hint}", s.get_ref()),
            );
        }
        c
    }

    /// A name seen for the first time in its scope, or a duplicate. `seen` maps each name to
    /// the path of the element that gave it first (a duplicate names it: the checker has no
    /// text to turn a place into a line).
    pub fn unique(
        &mut self,
        seen: &mut BTreeMap<String, String>,
        name: &SStr,
        path: &str,
        what: &str,
    ) {
        if let Some(first) = seen.get(name.get_ref()) {
            let first = first.clone();
            self.diags.push(Diagnostic {
                span: Some(span(name)),
                path: format!("{path}.name"),
                message: format!(
                    "duplicate {what} name `{}`: `{first}` has it already",
                    name.get_ref()
                ),
            });
        } else {
            seen.insert(name.get_ref().clone(), path.to_string());
        }
    }

    /// A distribution of a quantity whose values lie in `range` (its mean, and its largest
    /// value where it has one).
    pub fn dist(&mut self, d: &Spanned<RawDist>, path: &str, range: Bounds) -> Option<Dist> {
        let family = self.dist_family(d, path)?;
        let n0 = self.diags.len();
        let dist = self.dist_build(d, path, family)?;
        if self.diags.len() > n0 {
            return None;
        }
        let sp = span(d);
        let mean = dist.mean();
        let in_range = |x: f64| (x == 0.0 && range.zero) || (range.lo..=range.hi).contains(&x);
        if !in_range(mean) {
            self.err(
                sp.clone(),
                path,
                format!(
                    "expected a mean {}, found a mean of {}",
                    range.describe(),
                    num(mean)
                ),
            );
            return None;
        }
        let max = dist.max();
        if max.is_finite() && max > range.hi {
            self.err(
                sp,
                path,
                format!(
                    "expected values of at most {}, found a largest value of {}",
                    num(range.hi),
                    num(max)
                ),
            );
            return None;
        }
        Some(dist)
    }

    /// The family's name if it is known and exactly its keys are given.
    fn dist_family(&mut self, d: &Spanned<RawDist>, path: &str) -> Option<&'static str> {
        let sp = span(d);
        let d = d.get_ref();
        let given = d.dist.get_ref().as_str();
        let Some(&(family, allowed)) = FAMILIES.iter().find(|(f, _)| *f == given) else {
            let families = FAMILIES.map(|(f, _)| f);
            let hint = nearest(given, families)
                .map_or(format!("expected one of {}", families.join(", ")), |n| {
                    format!("did you mean `{n}`?")
                });
            self.err(
                span(&d.dist),
                format!("{path}.dist"),
                format!("unknown distribution `{given}`; {hint}"),
            );
            return None;
        };
        let present = [
            ("mean", d.mean.is_some()),
            ("value", d.value.is_some()),
            ("k", d.k.is_some()),
            ("cv", d.cv.is_some()),
            ("sd", d.sd.is_some()),
            ("min", d.min.is_some()),
            ("mode", d.mode.is_some()),
            ("max", d.max.is_some()),
            ("values", d.values.is_some()),
            ("weights", d.weights.is_some()),
        ];
        let mut ok = true;
        for (key, is) in present {
            if is && !allowed.contains(&key) {
                self.err(
                    sp.clone(),
                    path,
                    format!("`{family}` takes {}; `{key}` does not apply", list(allowed)),
                );
                ok = false;
            }
            if !is && allowed.contains(&key) {
                self.err(sp.clone(), path, format!("`{family}` needs `{key}`"));
                ok = false;
            }
        }
        ok.then_some(family)
    }

    /// Builds a distribution whose keys are known to be present.
    fn dist_build(&mut self, d: &Spanned<RawDist>, path: &str, family: &str) -> Option<Dist> {
        let sp = span(d);
        let d = d.get_ref();
        let p = |k: &str| format!("{path}.{k}");
        Some(match family {
            "fixed" => Dist::Fixed(self.positive(d.value.as_ref()?, &p("value"), "a value", true)),
            "exponential" => Dist::Exponential {
                mean: self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false),
            },
            "erlang" => {
                let k = d.k.as_ref()?;
                let k = self.integer(k, &p("k"), (1, 100), "a number of phases from 1 to 100", 1);
                Dist::Erlang {
                    k: k as u32,
                    mean: self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false),
                }
            }
            "gamma" | "lognormal" => {
                let mean = self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false);
                let cv = self.number(
                    d.cv.as_ref()?,
                    &p("cv"),
                    "a coefficient of variation",
                    super::limits::DIST_CV,
                );
                let built = if family == "gamma" {
                    Dist::gamma(mean, cv)
                } else {
                    Dist::lognormal(mean, cv)
                };
                match built {
                    Ok(d) => d,
                    Err(e) => {
                        self.err(sp, path, e);
                        return None;
                    }
                }
            }
            "normal" => {
                let mean = self.positive(d.mean.as_ref()?, &p("mean"), "a mean", false);
                let sd_v = d.sd.as_ref()?;
                let sd = self.positive(sd_v, &p("sd"), "a standard deviation", true);
                if sd > 10.0 * mean {
                    self.err(
                        span(sd_v),
                        p("sd"),
                        format!(
                            "expected a standard deviation of at most 10 times the mean ({}), found {}",
                            num(10.0 * mean),
                            num(sd)
                        ),
                    );
                }
                Dist::Normal { mean, sd }
            }
            "uniform" => {
                let min = self.positive(d.min.as_ref()?, &p("min"), "a minimum", true);
                let max = self.positive(d.max.as_ref()?, &p("max"), "a maximum", false);
                if min > max {
                    self.err(
                        sp,
                        path,
                        format!("expected min <= max, found min {min} > max {max}"),
                    );
                }
                Dist::Uniform { min, max }
            }
            "triangular" => {
                let min = self.positive(d.min.as_ref()?, &p("min"), "a minimum", true);
                let mode = self.positive(d.mode.as_ref()?, &p("mode"), "a mode", true);
                let max = self.positive(d.max.as_ref()?, &p("max"), "a maximum", false);
                if !(min <= mode && mode <= max && min < max) {
                    self.err(
                        sp,
                        path,
                        format!(
                            "expected min <= mode <= max with min < max, found {min}, {mode}, {max}"
                        ),
                    );
                }
                Dist::Triangular { min, mode, max }
            }
            "empirical" => self.empirical(d, sp, path)?,
            _ => unreachable!("families are matched in dist_family"),
        })
    }

    /// An empirical distribution: values and their weights.
    fn empirical(&mut self, d: &RawDist, sp: Range<usize>, path: &str) -> Option<Dist> {
        let p = |k: &str| format!("{path}.{k}");
        let values = d.values.as_ref()?;
        let weights = d.weights.as_ref()?;
        if values.is_empty() || values.len() != weights.len() {
            self.err(
                sp,
                path,
                format!(
                    "expected as many weights as values (at least one), found {} values and {} weights",
                    values.len(),
                    weights.len()
                ),
            );
            return None;
        }
        let vals: Vec<f64> = values
            .iter()
            .map(|v| self.positive(v, &p("values"), "a value", true))
            .collect();
        let ws: Vec<f64> = weights
            .iter()
            .map(|w| self.positive(w, &p("weights"), "a weight", true))
            .collect();
        let total: f64 = ws.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            self.err(sp, path, "expected weights with a positive sum");
            return None;
        }
        let mut acc = 0.0;
        let mut cumulative: Vec<f64> = ws
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        *cumulative.last_mut().expect("non-empty") = 1.0;
        Some(Dist::Empirical {
            values: vals,
            cumulative,
        })
    }
}
