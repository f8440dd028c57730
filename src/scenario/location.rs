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
