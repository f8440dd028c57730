//! Positions in a scenario file, and diagnostics that point at them.

use std::fmt;
use std::ops::Range;

/// A position in a file. Line and column both start at 1; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line number, from 1.
    pub line: u32,
    /// Column number in characters, from 1.
    pub column: u32,
}

impl Location {
    /// The location of byte offset `offset` in `src` (clamped to the end).
    ///
    /// ```
    /// use portsim::scenario::Location;
    /// let src = "a = 1\nbé = 2\n";
    /// assert_eq!(Location::of(src, 0), Location { line: 1, column: 1 });
    /// assert_eq!(Location::of(src, 6), Location { line: 2, column: 1 });
    /// assert_eq!(Location::of(src, 9), Location { line: 2, column: 3 }); // after "bé"
    /// ```
    pub fn of(src: &str, offset: usize) -> Location {
        let mut offset = offset.min(src.len());
        while !src.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &src[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = src[line_start..offset].chars().count() as u32 + 1;
        Location { line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Byte range in the file, if the problem has a place.
    pub span: Option<Range<usize>>,
    /// The dotted path of the value (`ports[0].areas[1].channel.depth_m`), or empty.
    pub path: String,
    /// What is wrong and what was expected, in lower case with no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a byte range.
    pub fn at(span: Range<usize>, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            span: Some(span),
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Renders the source line of `span` with carets under it, rustc-style.
pub(crate) fn snippet(src: &str, span: &Range<usize>) -> String {
    let loc = Location::of(src, span.start);
    let line_start = src[..span.start.min(src.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = src[line_start..]
        .find('\n')
        .map_or(src.len(), |i| line_start + i);
    let text = src[line_start..line_end].trim_end_matches('\r');
    let width = src[span.start.min(line_end)..span.end.clamp(span.start.min(line_end), line_end)]
        .chars()
        .count()
        .max(1);
    let num = loc.line.to_string();
    let pad = " ".repeat(num.len());
    format!(
        "{pad} |\n{num} | {text}\n{pad} | {}{}",
        " ".repeat(loc.column as usize - 1),
        "^".repeat(width)
    )
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A key the name extends (`throughput_tonnes` → `throughput_t`) is the likeliest meaning.
    if let Some(p) = candidates
        .iter()
        .filter(|c| c.len() >= 3 && name.starts_with(**c))
        .max_by_key(|c| c.len())
    {
        return Some(p);
    }
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_typos_only() {
        let keys = ["rate_t_per_h", "rate_teu_per_h", "mooring_h"];
        assert_eq!(nearest("rate_t_per_hr", keys), Some("rate_t_per_h"));
        assert_eq!(nearest("colour", keys), None);
    }

    #[test]
    fn snippet_underlines_the_span() {
        let src = "[x]\nlength_m = -30\n";
        let s = snippet(src, &(15..18));
        assert_eq!(s, "  |\n2 | length_m = -30\n  |            ^^^");
    }
}

/// The byte range in `text` of the value at a diagnostic's dotted `path`
/// (`ship_classes[0].max_cranes`, `run.replications`), or of the deepest part of the path the
/// text has (a missing key is placed at its table). `None` if the text has not even the path's
/// first key. `project_offset` is subtracted from an index into the top-level `project` array:
/// the projects of a scenario that extends another follow its base's. With `key`, a path found
/// whole is placed at its last key rather than its value (an unknown key is the key's fault).
pub(crate) fn locate(
    text: &str,
    path: &str,
    project_offset: usize,
    key: bool,
) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut found: Option<Range<usize>> = None;
    let mut table: &DeTable<'_> = doc.get_ref();
    let last = path.split('.').count() - 1;
    for (n, seg) in path.split('.').enumerate() {
        let (key_name, index) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref() == key_name) else {
            break;
        };
        found = Some(if key && n == last && index.is_none() {
            k.span()
        } else {
            v.span()
        });
        let mut value = v.get_ref();
        if let Some(i) = index {
            let i = if n == 0 && key_name == "project" {
                i.checked_sub(project_offset)?
            } else {
                i
            };
            let DeValue::Array(a) = value else { break };
            let Some(e) = a.get(i) else { break };
            found = Some(e.span());
            value = e.get_ref();
        }
        match value {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    found
}

#[cfg(test)]
mod locate_tests {
    use super::{Location, locate};

    #[test]
    fn a_path_is_found_in_the_text_that_wrote_it() {
        let text = "name = \"x\"\n[run]\nreplications = -4\n\n[[ship_classes]]\nname = \"a\"\n\n[[ship_classes]]\nname = \"b\"\nmax_cranes = 0\n\n[[project]]\nname = \"p\"\n";
        let at = |path: &str, offset: usize| {
            locate(text, path, offset, false).map(|r| (Location::of(text, r.start), &text[r]))
        };
        let (l, s) = at("run.replications", 0).expect("found");
        assert_eq!((l.line, l.column, s), (3, 16, "-4"));
        let (l, s) = at("ship_classes[1].max_cranes", 0).expect("found");
        assert_eq!((l.line, l.column, s), (10, 14, "0"));
        // A missing key: its table.
        let (l, _) = at("ship_classes[0].cargo", 0).expect("found");
        assert!(l.line >= 5 && l.line <= 7, "{l}");
        // The base's third project is this file's first.
        let (l, s) = at("project[2].name", 2).expect("found");
        assert_eq!((l.line, s), (13, "\"p\""));
        assert!(at("project[1].name", 2).is_none(), "a project of the base");
        assert!(
            at("flows[0].volume_t_per_yr", 0).is_none(),
            "a key of the base"
        );
        // An unknown key is placed at the key, not its value.
        let r = locate(text, "run.replications", 0, true).expect("found");
        assert_eq!(
            (Location::of(text, r.start).column, &text[r]),
            (1, "replications")
        );
    }
}
