//! Scenario files: TOML in, a validated [`Model`] out.
//!
//! Parsing follows "parse, then build": [`raw`] mirrors the file (unknown keys rejected, values
//! with their positions), and `validate` resolves names and checks numbers,
//! collecting every problem with its file, line and column. [`builtin`] holds the scenarios
//! compiled into the binary.

pub mod builtin;
mod location;
pub(crate) mod paths;
mod projects;

pub use projects::{calibrate_on_base, model_for_year};
pub mod raw;
mod validate;

use std::fmt;
use std::path::Path;

pub(crate) use location::nearest;
pub use location::{Diagnostic, Location};

use crate::model::Model;

/// An invalid or unreadable scenario file: every problem found, each with its place.
#[derive(Debug)]
pub struct ScenarioError {
    /// The file as the user named it (or `builtin:NAME`).
    pub file: String,
    /// The problems, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's text, for snippets (empty if it could not be read).
    source_text: String,
    /// For a file that extends another: ` (extending BASE)`, said of a problem with no place
    /// in the file (it is in what the file inherits).
    inherits: String,
    /// For each diagnostic with no place in the file: its place in the base file that wrote
    /// it, if one of the files the file inherits from did.
    in_base: Vec<Option<InBase>>,
}

/// A problem's place in a base file (one that a file extends, directly or down a chain).
#[derive(Debug, Clone)]
struct InBase {
    /// The base file as named in `extends` (or `builtin:NAME`).
    file: String,
    /// Its text.
    text: String,
    /// The byte range of the problem in it.
    span: std::ops::Range<usize>,
}

impl ScenarioError {
    /// An error with no position (e.g. the file cannot be read).
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            file: file.into(),
            diagnostics: vec![Diagnostic {
                span: None,
                path: String::new(),
                message: message.into(),
            }],
            source_text: String::new(),
            inherits: String::new(),
            in_base: Vec::new(),
        }
    }

    /// Problems found in `text`, the contents of `file`.
    pub fn new(file: impl Into<String>, text: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        ScenarioError {
            file: file.into(),
            diagnostics,
            source_text: text.to_string(),
            inherits: String::new(),
            in_base: Vec::new(),
        }
    }

    /// Problems in a `file` that extends `base`: those placed in its `text`, and those in what
    /// it inherits (no place in it), said to be so — each placed, by `place`, in the base file
    /// that wrote it where one did.
    fn extending(
        file: &str,
        base: &str,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        place: impl Fn(&Diagnostic) -> Option<InBase>,
    ) -> Self {
        let mut e = ScenarioError::new(file, text, diagnostics);
        e.inherits = format!(" (extending {base})");
        e.in_base = e
            .diagnostics
            .iter()
            .map(|d| d.span.is_none().then(|| place(d)).flatten())
            .collect();
        e
    }

    /// Every problem on one line, without places: `path: message; path: message` (for an
    /// error reported inside another, such as a sweep point's or a project's).
    pub fn brief(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| {
                if d.path.is_empty() {
                    d.message.clone()
                } else {
                    format!("{}: {}", d.path, d.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The line and column of each diagnostic (None where it has no place).
    pub fn locations(&self) -> Vec<Option<Location>> {
        self.diagnostics
            .iter()
            .map(|d| {
                d.span
                    .as_ref()
                    .map(|s| Location::of(&self.source_text, s.start))
            })
            .collect()
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                // Each problem on a line of its own that says so, as the first does (the
                // command line prefixes it), so that `grep '^error:'` finds them all.
                write!(f, "\nerror: ")?;
            }
            let path = if d.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.path)
            };
            match &d.span {
                Some(span) => {
                    let loc = Location::of(&self.source_text, span.start);
                    write!(f, "{}:{}: {path}{}", self.file, loc, d.message)?;
                    if !self.source_text.is_empty() {
                        write!(f, "\n{}", location::snippet(&self.source_text, span))?;
                    }
                }
                None => {
                    write!(f, "{}{}: ", self.file, self.inherits)?;
                    match self.in_base.get(i).and_then(Option::as_ref) {
                        Some(b) => {
                            let loc = Location::of(&b.text, b.span.start);
                            write!(f, "{}:{loc}: {path}{}", b.file, d.message)?;
                            write!(f, "\n{}", location::snippet(&b.text, &b.span))?;
                        }
                        None => write!(f, "{path}{}", d.message)?,
                    }
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// A scenario's text and where it came from.
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    /// The file as named by the user, or `builtin:NAME`.
    pub file: String,
    /// The name to use if the file does not set one (the file's stem).
    pub default_name: String,
    /// The TOML text (for a scenario that `extends` another: the two merged).
    pub text: String,
    /// The scenario it extends, if any.
    pub extends: Option<String>,
    /// For a scenario that extends another: what its own file says, where its problems are
    /// placed (a problem in what it inherits is given by path).
    pub own: Option<OwnText>,
}

/// The text of a scenario file that extends another, as the user wrote it.
#[derive(Clone, Debug)]
pub struct OwnText {
    /// The file's text.
    pub text: String,
    /// How many `[[project]]` definitions the base has (this file's come after them).
    pub project_offset: usize,
    /// The files it inherits from as they were written, its base first and down the chain:
    /// where a problem in what it inherits is placed.
    pub bases: Vec<BaseFile>,
}

/// A file a scenario inherits from (through `extends`), as it was written.
#[derive(Clone, Debug)]
pub struct BaseFile {
    /// The file as named (or `builtin:NAME`).
    pub file: String,
    /// Its text.
    pub text: String,
    /// How many `[[project]]` definitions come before its own in the merged scenario.
    pub project_offset: usize,
}

impl ScenarioSource {
    /// Resolves what the user typed: a built-in scenario's name or a path to a file.
    ///
    /// A name that is both a built-in and an existing file is read as the file; a directory
    /// of that name (such as the results folder `out/liaoning-2020`) is not a scenario, so the
    /// built-in is read. `builtin:NAME` always reads the built-in.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the file if it is neither a built-in nor a readable file.
    pub fn resolve(arg: &str) -> Result<ScenarioSource, ScenarioError> {
        Self::resolve_at(arg, 0)
    }

    fn resolve_at(arg: &str, depth: usize) -> Result<ScenarioSource, ScenarioError> {
        let path = Path::new(arg);
        let forced = arg.strip_prefix("builtin:");
        if forced.is_some() || !path.exists() || path.is_dir() {
            if let Some(b) = builtin::get(forced.unwrap_or(arg)) {
                return expand(
                    ScenarioSource {
                        file: format!("builtin:{}", b.name),
                        default_name: b.name.to_string(),
                        text: b.toml.to_string(),
                        extends: None,
                        own: None,
                    },
                    None,
                    depth,
                );
            }
        }
        if let Some(name) = forced {
            return Err(ScenarioError::whole_file(
                arg,
                format!(
                    "no built-in scenario named `{name}`{} (built-ins: {}; see `portsim scenarios`)",
                    nearest_key(name, &builtin::names()),
                    builtin::names().join(", ")
                ),
            ));
        }
        let text = read_text(arg).map_err(|e| match e {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                ScenarioError::whole_file(
                    arg,
                    format!(
                        "no such file, and no built-in scenario of that name{} (built-ins: {}; see `portsim scenarios`)",
                        nearest_key(arg, &builtin::names()),
                        builtin::names().join(", ")
                    ),
                )
            }
            other => other.into_error(arg, "scenario"),
        })?;
        let default_name = path.file_stem().map_or_else(
            || "scenario".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let dir = path.parent().unwrap_or(Path::new("."));
        expand(
            ScenarioSource {
                file: arg.to_string(),
                default_name,
                text,
                extends: None,
                own: None,
            },
            Some(dir),
            depth,
        )
    }

    /// Parses and validates the text.
    ///
    /// # Errors
    /// A [`ScenarioError`] with every problem found, each with line and column.
    pub fn load(&self) -> Result<Model, ScenarioError> {
        self.load_holding_goals(true)
    }

    /// Parses and validates a variant of a scenario that was loaded whole (a sweep's point):
    /// as [`load`](Self::load), but its goals' rows are not held to the variant — the
    /// scenario's were checked, and a goal whose row a point lacks (its projects left out, say)
    /// is not judged there rather than stopping the sweep.
    ///
    /// # Errors
    /// A [`ScenarioError`] with every problem found, each with line and column.
    pub(crate) fn load_variant(&self) -> Result<Model, ScenarioError> {
        self.load_holding_goals(false)
    }

    /// Parses and validates the text; with `goal_rows`, each goal must name a row its year's
    /// results have (with the projects in service by then).
    fn load_holding_goals(&self, goal_rows: bool) -> Result<Model, ScenarioError> {
        let fail = |diagnostics: Vec<Diagnostic>| self.error(diagnostics);
        let raw = parse(&self.text).map_err(fail)?;
        // With projects (or none held), a goal's row is checked once its year's model is
        // built; with projects defined, one may say which would bring it.
        let later = !goal_rows || !raw.projects.is_empty() || !raw.project.is_empty();
        let mut model = validate::validate(&raw, &self.default_name, later).map_err(fail)?;
        let base = goal_rows.then_some(&model);
        model.projects = projects::check(&raw, self, base).map_err(fail)?;
        Ok(model)
    }

    /// Parses and validates the text of a scenario with projects applied (it defines and
    /// includes none): its goals' rows were checked, each in its year, when the scenario was.
    fn load_plain(&self) -> Result<Model, ScenarioError> {
        let fail = |diagnostics: Vec<Diagnostic>| self.error(diagnostics);
        let raw = parse(&self.text).map_err(fail)?;
        validate::validate(&raw, &self.default_name, true).map_err(fail)
    }
}

impl ScenarioSource {
    /// An error in this source. The merged text of a scenario that extends another is not the
    /// user's file: each problem is placed, by its path, in what the user's file says, and one
    /// in what it inherits is given by path alone.
    fn error(&self, diagnostics: Vec<Diagnostic>) -> ScenarioError {
        match (&self.extends, &self.own) {
            (None, _) => ScenarioError::new(&self.file, &self.text, diagnostics),
            (Some(base), own) => {
                let key = |d: &Diagnostic| d.message.starts_with("unknown key");
                let place = |d: &Diagnostic| {
                    own.as_ref()
                        .and_then(|o| location::locate(&o.text, &d.path, o.project_offset, key(d)))
                };
                // Not in the file: in the nearest base that wrote its top-level key (a file
                // replaces its base's keys whole, so that base's value is the one in force).
                let in_base = |d: &Diagnostic| {
                    let bases = own.as_ref().map_or(&[][..], |o| o.bases.as_slice());
                    bases.iter().find_map(|b| {
                        let span = location::locate(&b.text, &d.path, b.project_offset, key(d))?;
                        Some(InBase {
                            file: b.file.clone(),
                            text: b.text.clone(),
                            span,
                        })
                    })
                };
                ScenarioError::extending(
                    &self.file,
                    base,
                    own.as_ref().map_or("", |o| o.text.as_str()),
                    diagnostics
                        .into_iter()
                        .map(|d| Diagnostic {
                            span: place(&d),
                            ..d
                        })
                        .collect(),
                    in_base,
                )
            }
        }
    }
}

/// Follows `extends = "base"`: the base scenario (a built-in name, or a path relative to this
/// file) with every top-level key of this file replacing the base's — except `[[project]]`
/// definitions, which are added to the base's. `dir` is the file's folder; `None` for a
/// built-in, whose base is always a built-in (never a file where the user happens to be).
fn expand(
    mut src: ScenarioSource,
    dir: Option<&Path>,
    depth: usize,
) -> Result<ScenarioSource, ScenarioError> {
    // A file that does not parse is reported, with its place, when it is loaded — unless it
    // extends another: read as a whole scenario, its `extends` would be reported as an
    // unknown key before the value that stopped the parse (an integer too large, say).
    let table = match src.text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(e) => {
            let extends = toml::de::DeTable::parse(&src.text)
                .is_ok_and(|doc| doc.get_ref().contains_key("extends"));
            if !extends {
                return Ok(src);
            }
            let problem = Diagnostic {
                span: e.span(),
                path: String::new(),
                message: clean_message(e.message()),
            };
            return Err(ScenarioError::new(&src.file, &src.text, vec![problem]));
        }
    };
    let Some(ext) = table.get("extends") else {
        return Ok(src);
    };
    // Errors about `extends` point at its value.
    let at_extends = |message: String| {
        #[derive(serde::Deserialize)]
        struct Extends {
            extends: toml::Spanned<toml::Value>,
        }
        match toml::from_str::<Extends>(&src.text) {
            Ok(e) => ScenarioError::new(
                src.file.clone(),
                &src.text,
                vec![Diagnostic::at(e.extends.span(), "extends", message)],
            ),
            Err(_) => ScenarioError::whole_file(&src.file, message),
        }
    };
    let Some(base_arg) = ext.as_str() else {
        return Err(at_extends(
            "`extends` names a scenario: a built-in name or a path".into(),
        ));
    };
    if depth >= 8 {
        return Err(ScenarioError::whole_file(
            &src.file,
            "`extends` goes more than 8 scenarios deep; is there a cycle?",
        ));
    }
    let arg = match dir {
        Some(dir) => referenced(dir, base_arg),
        None => format!("builtin:{base_arg}"),
    };
    // A file that names itself (a copy of a built-in saved under the built-in's name, say).
    let same = |a: &str, b: &str| {
        let canon = |p: &str| std::fs::canonicalize(p).ok();
        canon(a).is_some_and(|a| Some(a) == canon(b))
    };
    if dir.is_some() && same(&arg, &src.file) {
        let hint = if builtin::get(base_arg).is_some() {
            format!("; to extend the built-in, write `extends = \"builtin:{base_arg}\"`")
        } else {
            String::new()
        };
        return Err(at_extends(format!(
            "`extends = \"{base_arg}\"` names this file itself{hint}"
        )));
    }
    let base = ScenarioSource::resolve_at(&arg, depth + 1).map_err(|e| {
        if e.diagnostics.iter().any(|d| d.span.is_some()) {
            // A problem placed in the base's own file (further down a chain): said there.
            e
        } else {
            at_extends(format!("`extends = \"{base_arg}\"`: {e}"))
        }
    })?;
    // A base that does not parse (it extends nothing, or its own `extends` would have said
    // so) is reported in its own file, where the parse stopped.
    let mut merged: toml::Table = base.text.parse().map_err(|e: toml::de::Error| {
        let problem = Diagnostic {
            span: e.span(),
            path: String::new(),
            message: clean_message(e.message()),
        };
        ScenarioError::new(&base.file, &base.text, vec![problem])
    })?;
    let count = |t: &toml::Table| {
        t.get("project")
            .and_then(toml::Value::as_array)
            .map_or(0, Vec::len)
    };
    // What it inherits, as each file wrote it: the base's own text, then what that extends.
    let bases = match base.own {
        Some(o) => std::iter::once(BaseFile {
            file: base.file.clone(),
            text: o.text,
            project_offset: o.project_offset,
        })
        .chain(o.bases)
        .collect(),
        None => vec![BaseFile {
            file: base.file.clone(),
            text: base.text.clone(),
            project_offset: 0,
        }],
    };
    let own = OwnText {
        text: std::mem::take(&mut src.text),
        project_offset: count(&merged),
        bases,
    };
    for (k, v) in table {
        match (k.as_str(), merged.get_mut(&k), v) {
            ("extends", _, _) => {}
            // Project definitions accumulate: a scenario adds to its base's library.
            ("project", Some(toml::Value::Array(base)), toml::Value::Array(more)) => {
                base.extend(more)
            }
            (_, _, v) => {
                merged.insert(k, v);
            }
        }
    }
    src.text = toml::to_string(&merged).map_err(|e| {
        ScenarioError::whole_file(&src.file, format!("cannot merge with its base: {e}"))
    })?;
    src.extends = Some(base.file);
    src.own = Some(own);
    Ok(src)
}

/// A scenario named inside a file in `dir` (`extends`, a sweep's `scenario`): the file of that
/// path relative to `dir` if there is one, else the name as given (a built-in, or a path from
/// where portsim runs).
pub(crate) fn referenced(dir: &Path, name: &str) -> String {
    let rel = dir.join(name);
    if rel.is_file() {
        rel.to_string_lossy().into_owned()
    } else {
        name.to_string()
    }
}

/// Why an input file could not be read as text.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file could not be read.
    Io(std::io::Error),
    /// It is not UTF-8: the first bad byte, and the text read with it replaced.
    NotUtf8 { at: usize, byte: u8, text: String },
}

impl ReadError {
    /// The error to report for input file `file` (what it is: `scenario`, `sweep`).
    pub(crate) fn into_error(self, file: &str, what: &str) -> ScenarioError {
        match self {
            ReadError::Io(e) => {
                ScenarioError::whole_file(file, format!("cannot read the {what} file: {e}"))
            }
            ReadError::NotUtf8 { at, byte, text } => ScenarioError::new(
                file,
                &text,
                // The span covers the replacement character the bad byte became.
                vec![Diagnostic::at(
                    at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                    "",
                    format!("byte 0x{byte:02X} is not UTF-8 text; {what} files are UTF-8 (TOML)"),
                )],
            ),
        }
    }
}

/// Reads an input file as UTF-8 text; a file that is not UTF-8 is reported at its first bad
/// byte (so the error, like every other, has a line and column).
pub(crate) fn read_text(path: impl AsRef<Path>) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        ReadError::NotUtf8 {
            at,
            byte: bytes[at],
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

/// Parses TOML into the raw structs, turning the first syntax or type error into a diagnostic.
fn parse(text: &str) -> Result<raw::RawScenario, Vec<Diagnostic>> {
    parse_toml_all(text)
}

/// The most problems of reading (wrong types, unknown keys) shown from one file: the first in
/// the file of those found, then a line that says more follow.
const READING_PROBLEMS_SHOWN: usize = 20;

/// The most problems of reading looked for in one file, to show the first of them in file
/// order (each is found by reading the file again without the ones before, in the order of
/// the re-written table's keys, not the file's).
const READING_PROBLEMS_SOUGHT: usize = 100;

/// Like [`parse_toml`], but goes on past a value of the wrong type or an unknown key to report
/// the file's other ones too, in file order: each found is taken out of the document and the
/// rest read again; each later problem is placed by its path in the user's own text. It stops
/// at a syntax error (nothing after it can be placed), at a problem inside an array (taking an
/// element out would shift the rest), and where taking a value out leaves a required key
/// missing. Past 20 problems, the first 20 in the file are kept and a last line says more follow.
pub fn parse_toml_all<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Vec<Diagnostic>> {
    let first = match parse_toml(text) {
        Ok(v) => return Ok(v),
        Err(d) => d,
    };
    let mut found = vec![first];
    let (Ok(doc), Ok(mut table)) = (toml::de::DeTable::parse(text), text.parse::<toml::Table>())
    else {
        return Err(found);
    };
    // A problem found that cannot be placed in the file: the reading stops at it.
    let mut unplaced = false;
    while found.len() < READING_PROBLEMS_SOUGHT {
        let last = found.last().expect("at least one problem");
        let Some(path) = path_segments(&last.path) else {
            break;
        };
        if !remove_key(&mut table, &path) {
            break;
        }
        let Ok(rest) = toml::to_string(&table) else {
            break;
        };
        let next = match parse_toml::<T>(&rest) {
            Ok(_) => break,
            Err(d) => d,
        };
        // A value of the wrong type, taken out, may leave its required key missing: that is
        // not a problem of the user's file. And a problem met again means the key taken out
        // was not the one meant (a quoted key with a dot in it reads as a path): stop.
        if next.message.starts_with("missing")
            || found
                .iter()
                .any(|d| d.path == next.path && d.message == next.message)
        {
            break;
        }
        let key_span = next.message.starts_with("unknown key");
        let Some(span) = path_segments(&next.path)
            .and_then(|segments| span_in(doc.get_ref(), &segments, key_span))
        else {
            unplaced = true;
            break;
        };
        found.push(Diagnostic {
            span: Some(span),
            ..next
        });
    }
    found.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let more =
        found.len() > READING_PROBLEMS_SHOWN || (found.len() == READING_PROBLEMS_SHOWN && unplaced);
    if more {
        found.truncate(READING_PROBLEMS_SHOWN);
        found.push(Diagnostic {
            span: None,
            path: String::new(),
            message: format!(
                "more problems follow these {READING_PROBLEMS_SHOWN}: fix them and check again"
            ),
        });
    }
    Err(found)
}

/// A step of a path as serde reports it (`ports[0].areas[1].name`).
#[derive(Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The steps of a dotted path, if it ends in a key (a problem inside an array is not taken
/// out: the elements after it would move).
fn path_segments(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key.is_empty() {
            return None;
        }
        out.push(Segment::Key(key.to_string()));
        while let Some((i, tail)) = rest.split_once(']') {
            out.push(Segment::Index(i.parse().ok()?));
            rest = tail.strip_prefix('[').unwrap_or(tail);
        }
    }
    matches!(out.last(), Some(Segment::Key(_))).then_some(out)
}

/// Takes the key at `path` out of `table`; false if it is not there.
fn remove_key(table: &mut toml::Table, path: &[Segment]) -> bool {
    let Some((Segment::Key(last), parents)) = path.split_last() else {
        return false;
    };
    let mut here = table;
    let mut i = 0;
    while i < parents.len() {
        let Segment::Key(k) = &parents[i] else {
            return false;
        };
        let mut value = match here.get_mut(k) {
            Some(v) => v,
            None => return false,
        };
        i += 1;
        while let Some(Segment::Index(n)) = parents.get(i) {
            value = match value.as_array_mut().and_then(|a| a.get_mut(*n)) {
                Some(v) => v,
                None => return false,
            };
            i += 1;
        }
        here = match value.as_table_mut() {
            Some(t) => t,
            None => return false,
        };
    }
    here.remove(last).is_some()
}

/// Where `path` is in the user's document: its key's place (for an unknown key) or its
/// value's.
fn span_in(
    doc: &toml::de::DeTable<'_>,
    path: &[Segment],
    key: bool,
) -> Option<std::ops::Range<usize>> {
    let (first, rest) = path.split_first()?;
    let Segment::Key(k) = first else { return None };
    let (name, value) = doc.iter().find(|(name, _)| name.get_ref() == k)?;
    let mut value = value;
    let mut rest = rest;
    while let Some((Segment::Index(n), tail)) = rest.split_first() {
        let toml::de::DeValue::Array(items) = value.get_ref() else {
            return None;
        };
        value = items.get(*n)?;
        rest = tail;
    }
    if rest.is_empty() {
        return Some(if key { name.span() } else { value.span() });
    }
    match value.get_ref() {
        toml::de::DeValue::Table(t) => span_in(t, rest, key),
        _ => None,
    }
}

/// Parses any TOML input file (scenario, sweep) into `T`, turning the first syntax or type
/// error into a diagnostic with its place and the dotted path of the value.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let de = toml::Deserializer::parse(text).map_err(|e| Diagnostic {
        span: e.span(),
        path: String::new(),
        message: clean_message(e.message()),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        // Spanned<T> adds an internal segment to the path; it means nothing to a user.
        let path = e
            .path()
            .to_string()
            .replace(".$__serde_spanned_private_value", "");
        let inner = e.into_inner();
        Diagnostic {
            span: inner.span(),
            path: if path == "." { String::new() } else { path },
            message: clean_message(inner.message()),
        }
    })
}

/// Rewords serde's messages the way portsim words its own, and suggests the nearest key.
fn clean_message(msg: &str) -> String {
    let msg = msg.trim().trim_end_matches('.');
    // serde: "unknown field `x`, expected one of `a`, `b`" / "expected `a`"
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
            let hint = match location::nearest(field, expected.iter().copied()) {
                Some(n) => format!("; did you mean `{n}`?"),
                None if expected.is_empty() => "; this table takes no keys".to_string(),
                None => format!(
                    "; expected one of {}",
                    expected
                        .iter()
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return format!(
                "unknown key `{field}`{hint}{}",
                wrong_kind_of_file(field, &expected)
            );
        }
    }
    // serde: "invalid type: string \"long\", expected f64"
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            // TOML's integers are 64-bit: a longer one is read as i128, and refused.
            if let Some(digits) = found
                .strip_prefix("integer ")
                .and_then(|f| f.strip_suffix(" as i128"))
            {
                return format!(
                    "expected an integer from {} to {}, found {digits}",
                    i64::MIN,
                    i64::MAX
                );
            }
            let expected = match expected {
                "f64" => "a number",
                "i64" | "u64" | "u32" | "u16" => "an integer",
                "a boolean" | "bool" => "true or false",
                other => other,
            };
            return format!("expected {expected}, found {found}");
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return format!("missing key `{field}`");
        }
    }
    msg.to_string()
}

/// The top-level keys only a whole scenario has (the first twenty problems reported may hold
/// no port or flow) — not those a sweep's author may slip into one: `name`, `description`,
/// `run` (said apart), `targets`, `projects`. A test holds it to the scenario's keys.
const SCENARIO_ONLY: [&str; 18] = [
    "extends",
    "project",
    "policy",
    "units",
    "ship_classes",
    "ports",
    "services",
    "flows",
    "regions",
    "corridors",
    "mode_choice",
    "planning",
    "growth",
    "economics",
    "emissions",
    "demand_paths",
    "rail_paths",
    "disruptions",
];

/// A note where a file of the other kind was given — a sweep file to `run`, a scenario file to
/// `sweep` — told by an unknown top-level key that the other kind has (`expected`: the keys
/// of the table being read, which say which kind it is).
fn wrong_kind_of_file(field: &str, expected: &[&str]) -> &'static str {
    // Keys only the other kind has, and no slip of the pen for one of this kind's.
    const SWEEP_ONLY: [&str; 3] = ["parameters", "design", "samples"];
    let reading_scenario = expected.contains(&"ship_classes");
    let reading_sweep = expected.contains(&"parameters");
    if reading_scenario && field == "scenario" {
        " (if this is a sweep file, run it with `portsim sweep`; a scenario builds on another \
         with `extends`)"
    } else if reading_scenario && SWEEP_ONLY.contains(&field) {
        " (a sweep file's key: if this is a sweep file, run it with `portsim sweep`)"
    } else if reading_sweep && field == "run" {
        " (a sweep file gives `replications`, `seed` and `years` at its top level)"
    } else if reading_sweep && SCENARIO_ONLY.contains(&field) {
        " (a scenario's key: if this is a scenario file, run it with `portsim run`, or name it \
         as a sweep's `scenario`)"
    } else {
        ""
    }
}

/// "; did you mean `x`?" for the key nearest to `name`, or nothing.
pub fn nearest_key(name: &str, keys: &[&str]) -> String {
    location::nearest(name, keys.iter().copied())
        .map_or(String::new(), |n| format!("; did you mean `{n}`?"))
}

/// Loads a scenario from a built-in name or a path.
///
/// ```
/// let (model, source) = portsim::scenario::load("mm1-rho50").unwrap();
/// assert_eq!(model.name, "mm1-rho50");
/// assert!(source.file.starts_with("builtin:"));
/// ```
///
/// # Errors
/// A [`ScenarioError`] if the file cannot be read or is invalid.
pub fn load(arg: &str) -> Result<(Model, ScenarioSource), ScenarioError> {
    let src = ScenarioSource::resolve(arg)?;
    let model = src.load()?;
    Ok((model, src))
}

#[cfg(test)]
mod tests {
    use super::{Segment, parse_toml_all, path_segments};

    #[test]
    fn the_keys_only_a_scenario_has_are_all_its_top_level_keys_but_a_sweeps_slips() {
        // The scenario's top-level keys, as its reader names them when one is unknown: each is
        // in SCENARIO_ONLY or one a sweep's author may write by mistake — so a key added to
        // the scenario must be placed in one or the other.
        let e = toml::from_str::<super::raw::RawScenario>("zzz = 1")
            .expect_err("an unknown key")
            .to_string();
        let (_, expected) = e.split_once("expected one of").expect("the keys listed");
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        assert!(keys.len() > 15, "{e}");
        let slips = ["name", "description", "run", "targets", "projects"];
        for k in &keys {
            assert!(
                super::SCENARIO_ONLY.contains(k) != slips.contains(k),
                "`{k}`: in SCENARIO_ONLY or a slip, not both or neither"
            );
        }
        for k in super::SCENARIO_ONLY {
            assert!(
                keys.contains(&k) || k == "extends",
                "`{k}` is no scenario key"
            );
        }
    }

    #[test]
    fn paths_split_into_keys_and_indices_and_must_end_in_a_key() {
        use Segment::{Index, Key};
        assert_eq!(
            path_segments("ports[0].areas[1][2].name"),
            Some(vec![
                Key("ports".into()),
                Index(0),
                Key("areas".into()),
                Index(1),
                Index(2),
                Key("name".into())
            ])
        );
        assert_eq!(path_segments("sweep.values[3]"), None);
        assert_eq!(path_segments(""), None);
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        a: u32,
        b: Option<u32>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Vec<Inner>,
        c: Option<String>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithRun {
        run: Option<Run>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Run {
        x: Option<u32>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Years {
        years: Option<Vec<u32>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithYears {
        run: Option<Years>,
    }

    /// The unknown keys reported, in the order given, and whether a last line says more follow.
    fn reported(text: &str) -> (Vec<String>, bool) {
        let found = parse_toml_all::<WithYears>(text).unwrap_err();
        let more = found
            .last()
            .is_some_and(|d| d.message.starts_with("more problems follow these 20"));
        let keys = found
            .iter()
            .filter(|d| d.span.is_some())
            .map(|d| d.path.trim_start_matches("run.").to_string())
            .collect();
        (keys, more)
    }

    fn unknown_keys(names: impl IntoIterator<Item = String>) -> String {
        let mut text = String::from("[run]\n");
        for n in names {
            text.push_str(&format!("{n} = 1\n"));
        }
        text
    }

    #[test]
    fn the_reading_shows_the_first_twenty_problems_and_says_when_more_follow() {
        let k = |n: usize| (1..=n).map(|i| format!("k{i:02}")).collect::<Vec<_>>();
        // Exactly 20: all, and nothing more said.
        assert_eq!(reported(&unknown_keys(k(20))), (k(20), false));
        // 21: the first 20, and a line that says more follow.
        assert_eq!(reported(&unknown_keys(k(21))), (k(20), true));
        // 20, then a problem inside an array (which cannot be taken out to read on): more.
        let text = unknown_keys(k(20)) + "years = [2020, \"x\"]\n";
        assert_eq!(reported(&text), (k(20), true));
        // Problems after the first are found in the re-written table's order (alphabetical),
        // not the file's: the first 20 in the file are still the ones shown.
        let names: Vec<String> = (1..=10)
            .map(|i| format!("zz{i:02}"))
            .chain((1..=15).map(|i| format!("aa{i:02}")))
            .collect();
        assert_eq!(
            reported(&unknown_keys(names.clone())),
            (names[..20].to_vec(), true)
        );
    }

    #[test]
    fn a_quoted_key_with_a_dot_is_reported_once_at_its_own_line() {
        // Its path, `run.x`, also names the valid `x` of `[run]`: taking that out changes
        // nothing, and the reading must stop rather than report the valid line.
        let text = "\"run.x\" = 1\n[run]\nx = 3\n";
        let found = parse_toml_all::<WithRun>(text).unwrap_err();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span, Some(0..7));
    }

    #[test]
    fn reading_goes_past_what_it_can_take_out_and_stops_where_it_cannot() {
        // An unknown key, a wrong optional value, another unknown key: all three, in order.
        let text = "c = 3\nzz = 1\n[[inner]]\na = 1\nb = \"x\"\nyy = 2\n";
        let found = parse_toml_all::<Outer>(text).unwrap_err();
        let lines: Vec<usize> = found
            .iter()
            .map(|d| {
                text[..d.span.clone().expect("placed").start]
                    .matches('\n')
                    .count()
                    + 1
            })
            .collect();
        assert_eq!(lines, [1, 2, 5, 6], "{found:?}");
        // A required value of the wrong type, taken out, leaves its key missing, which the
        // user's file is not: that is never reported, and the reading stops there.
        let found = parse_toml_all::<Outer>("[[inner]]\na = \"x\"\nyy = 2\n").unwrap_err();
        let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["inner[0].a", "inner[0].yy"], "{found:?}");
        let found = parse_toml_all::<Outer>("[[inner]]\na = \"x\"\n").unwrap_err();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with("expected an integer"));
    }
}
