//! Fuzzing: the built-in scenarios, mutated at random, through the real `portsim check` and
//! `portsim run`. Whatever a scenario file says, portsim must run it or reject it cleanly.
//!
//! # The contract
//!
//! A case mutates one built-in scenario (one to three mutations, below) and writes it to
//! `case.toml` in a fresh directory, the working directory of every command:
//!
//! 1. `portsim check case.toml`;
//! 2. if check accepts it, `portsim run case.toml --reps 1 --years Y --threads 1 --out out
//!    --quiet --no-charts`, Y the scenario's first design year (its last in one case in five
//!    that has several, so that projects are applied; one case in eight draws the charts,
//!    without `--no-charts`); if check rejects it, the same `run` without `--years`, which
//!    must reject it with the same first line.
//!
//! Allowed outcomes:
//!
//! - exit 0 (the numbers of a run are not judged here);
//! - exit 2 with stderr's first line `error: case.toml:LINE:COL: ...`, where LINE is a line of
//!   the file (or one past its end) and COL at most one past the end of that line, and nothing
//!   in the working directory but `case.toml` (no `out/`, not even empty). For a scenario that
//!   `extends` another, the two forms `src/scenario/mod.rs` uses for it are allowed too:
//!   `error: case.toml (extending BASE): PATH: ...` for a problem in what the file inherits
//!   (its own problems have their lines), and `error: case.toml: ...` for a problem resolving
//!   `extends` itself. A file that is not UTF-8 is reported at its first bad byte, counted in the text
//!   read with bad bytes replaced. A scenario larger than the event budget is refused before it
//!   runs, with its estimate and `--max-events` (no place: the size is the demand's, not a
//!   line's). Any other error without a place is a failure: the README promises
//!   file:line:column for every bad scenario file.
//!
//! Failures: a panic (exit 101, or `panicked at` on stderr), exit 1 (an internal error), any
//! other exit code or death by a signal, no exit within the timeout (the process is then
//! killed), running out of memory (on Unix each process gets 2 GiB of address space, through
//! `sh -c 'ulimit -v'`; a legitimate case needs under 50 MB, while a runaway one grows by some
//! 300 MB a second), exit 2 without a place, files left behind after exit 2, and `check` and
//! `run` disagreeing (check accepts what run rejects, or they name different first errors).
//!
//! Every case runs to the end and the failures are reported together, grouped into classes
//! (a panic by its place and message, an internal error by its text with numbers blanked, a
//! hang by the keys the case changed), each class with an example: the case number, its
//! mutations and the path of its file. The classes found so far each have a reduced file in
//! `tests/data/fuzz-found/`, run by `fuzz_found_scenarios_run_or_are_rejected_with_a_place`.
//!
//! # Mutations
//!
//! On the text, keeping its layout (errors point into the built-in's own lines): a number in
//! value position (outside strings and comments) replaced by `0`, its negation, `1e308`,
//! `1e18`, `1000000000000000000`, `1e-308`, `nan`, `inf`, `-inf`, `9223372036854775807`
//! (i64::MAX), `-9223372036854775808` or the string `"fuzz"`; a line deleted, duplicated or
//! truncated; a bit of a byte flipped (a high bit makes the file invalid UTF-8). On the TOML
//! tree (parsed with `toml` and written back, so the file is laid out anew): a key renamed (a
//! typo, or another key of the scenario), an array emptied, a key or an array element
//! removed, any value (strings and booleans too) set to one of the values above or `""`.
//! Lines and bytes are drawn from lines that are neither blank nor comments. The big scenarios
//! are drawn most often (`bases`): they hold every feature, while the M/M/c models are small.
//!
//! # Knobs
//!
//! - `PORTSIM_FUZZ_SEED` (default: `PORTSIM_TEST_SEED`, else 2020): the master seed. A case
//!   depends on the seed and its number only, so `PORTSIM_FUZZ_SEED=S PORTSIM_FUZZ_CASE=N`
//!   replays case N (`PORTSIM_FUZZ_CASE=12,57` replays several).
//! - `PORTSIM_FUZZ_CASES` (default 300, about half a minute on 2 cores when all pass).
//! - `PORTSIM_FUZZ_TIMEOUT_S` (default 20) per command; the slowest legitimate one here,
//!   plan-2030-hub-feeder's 2030, takes about 2 s on a busy 2-core machine.
//! - `PORTSIM_FUZZ_THREADS` (default: one per core): cases in parallel, one process each.
//! - `PORTSIM_FUZZ_LIST=1`: print each case's mutations (with `--nocapture`), run nothing.
//!
//! The files of failed cases are kept as `target/tmp/fuzz/seed-S/case-N.toml`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use portsim::scenario::builtin::{self, Builtin};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::util::portsim;

const DEFAULT_SEED: u64 = 2020;
const DEFAULT_CASES: u64 = 300;
const DEFAULT_TIMEOUT_S: u64 = 20;

#[test]
fn mutated_scenarios_run_or_are_rejected_with_a_place() {
    let cfg = Config::from_env();
    let cases: Vec<u64> = match &cfg.only_cases {
        Some(list) => list.clone(),
        None => (0..cfg.cases).collect(),
    };
    let started = Instant::now();
    let failures = run_all(&cases, &cfg, |n| {
        let case = Case::new(cfg.seed, n);
        if cfg.list {
            eprintln!("case {n} ({}): {}", case.base, case.mutations.join("; "));
            return None;
        }
        Some(case)
    });
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz: seed {}, {} cases, {} threads, {secs:.1} s, {} failed",
        cfg.seed,
        cases.len(),
        cfg.threads,
        failures.len()
    );
    let title = format!(
        "{{failed}} of {} fuzz cases failed, in {{classes}} classes (seed {}, {secs:.0} s). \
         Replay one with PORTSIM_FUZZ_SEED={} PORTSIM_FUZZ_CASE=N; failed files are kept in {}",
        cases.len(),
        cfg.seed,
        cfg.seed,
        cfg.keep_dir.display()
    );
    assert!(failures.is_empty(), "{}", report(&title, &failures));
}

/// The files under `tests/data/fuzz-found/`, one for each class of failure the fuzzer has
/// found (each file's header says what it showed and why), kept to the same contract.
#[test]
fn fuzz_found_scenarios_run_or_are_rejected_with_a_place() {
    let cfg = Config::from_env();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-found");
    let files: Vec<PathBuf> = crate::util::files_in(&dir)
        .into_iter()
        .filter(|f| f.ends_with(".toml"))
        .map(|f| dir.join(f))
        .collect();
    assert!(!files.is_empty(), "no files in {}", dir.display());
    let numbers: Vec<u64> = (0..files.len() as u64).collect();
    let started = Instant::now();
    let failures = run_all(&numbers, &cfg, |n| {
        let file = &files[n as usize];
        Some(Case {
            n,
            base: "tests/data/fuzz-found",
            mutations: vec!["(the file as it is)".into()],
            keys: vec![file.file_name()?.to_string_lossy().into_owned()],
            bytes: std::fs::read(file).expect("read a fuzz-found file"),
            last_year: false,
            charts: false,
            origin: Some(file.clone()),
        })
    });
    let secs = started.elapsed().as_secs_f64();
    let title = format!(
        "{{failed}} of {} files in {} break the contract, in {{classes}} classes ({secs:.0} s)",
        files.len(),
        dir.display()
    );
    assert!(failures.is_empty(), "{}", report(&title, &failures));
}

/// Runs the cases `make` gives for `numbers` on `cfg.threads` threads; every failure, sorted.
fn run_all(
    numbers: &[u64],
    cfg: &Config,
    make: impl Fn(u64) -> Option<Case> + Sync,
) -> Vec<Failure> {
    let next = AtomicU64::new(0);
    let failures = Mutex::new(Vec::<Failure>::new());
    std::thread::scope(|s| {
        for _ in 0..cfg.threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(&n) = numbers.get(i) else { break };
                    // A bug in this harness is reported with the case, not left to stop the
                    // other cases.
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        make(n).map_or(Ok(()), |case| run_case(&case, cfg))
                    }));
                    let failure = match result {
                        Ok(r) => r.err().map(|f| *f),
                        Err(panic) => Some(harness_failure(n, panic)),
                    };
                    if let Some(f) = failure {
                        failures.lock().unwrap_or_else(|e| e.into_inner()).push(f);
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort_by_key(|f| f.case);
    failures
}

/// Every base re-serialised from its TOML tree still loads, so the tree mutations start from
/// a valid scenario.
#[test]
fn fuzz_bases_survive_a_round_trip_through_the_toml_tree() {
    for b in builtin::ALL {
        let table: toml::Table = b.toml.parse().expect("a built-in parses");
        let text = toml::to_string(&table).expect("re-serialises");
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("case.toml");
        std::fs::write(&file, &text).expect("write");
        portsim::scenario::load(&file.to_string_lossy())
            .unwrap_or_else(|e| panic!("{} re-serialised: {e}", b.name));
    }
}

// ------------------------------------------------------------------------------------------
// Configuration

struct Config {
    seed: u64,
    cases: u64,
    only_cases: Option<Vec<u64>>,
    timeout: Duration,
    threads: usize,
    keep_dir: PathBuf,
    list: bool,
}

impl Config {
    fn from_env() -> Config {
        fn var(name: &str) -> Option<u64> {
            std::env::var(name).ok().map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}={s}: expected a non-negative integer"))
            })
        }
        // A seed sweep of the statistical tests (PORTSIM_TEST_SEED) sweeps the fuzzer too.
        let seed = var("PORTSIM_FUZZ_SEED").unwrap_or_else(|| crate::util::test_seed(DEFAULT_SEED));
        let threads = var("PORTSIM_FUZZ_THREADS")
            .map(|t| t.max(1) as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        Config {
            seed,
            cases: var("PORTSIM_FUZZ_CASES").unwrap_or(DEFAULT_CASES),
            only_cases: std::env::var("PORTSIM_FUZZ_CASE").ok().map(|s| {
                s.split(',')
                    .map(|n| {
                        n.trim().parse().unwrap_or_else(|_| {
                            panic!("PORTSIM_FUZZ_CASE={s}: expected case numbers, e.g. 12,57")
                        })
                    })
                    .collect()
            }),
            timeout: Duration::from_secs(
                var("PORTSIM_FUZZ_TIMEOUT_S").unwrap_or(DEFAULT_TIMEOUT_S),
            ),
            threads,
            keep_dir: Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("fuzz")
                .join(format!("seed-{seed}")),
            list: var("PORTSIM_FUZZ_LIST") == Some(1),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Cases and mutations

/// Built-ins to mutate and their weights: the big scenarios hold every feature (yards, rail,
/// tides, closures, projects); the M/M/c models are small and fast.
fn bases() -> Vec<(&'static Builtin, u32)> {
    builtin::ALL
        .iter()
        .map(|b| {
            let w = match b.name {
                "liaoning-2020" => 8,
                "plan-2030-independent" => 4,
                n if n.starts_with("plan-2030-") => 2,
                _ => 1,
            };
            (b, w)
        })
        .collect()
}

/// One fuzz case: a built-in, the mutations applied to it, and how to run it.
struct Case {
    n: u64,
    base: &'static str,
    mutations: Vec<String>,
    /// The keys each mutation touched, for grouping failures.
    keys: Vec<String>,
    /// The file (not always UTF-8: a flipped byte may break it).
    bytes: Vec<u8>,
    last_year: bool,
    charts: bool,
    /// The file the case was read from, if it was not made here.
    origin: Option<PathBuf>,
}

impl Case {
    fn new(seed: u64, n: u64) -> Case {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(n);
        let bases = bases();
        let total: u32 = bases.iter().map(|(_, w)| w).sum();
        let mut pick = rng.random_range(0..total);
        let base = bases
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .expect("a weight covers the pick")
            .0;
        let count = match rng.random_range(0..10) {
            0..7 => 1,
            7..9 => 2,
            _ => 3,
        };
        let mut bytes = base.toml.as_bytes().to_vec();
        let mut mutations = Vec::new();
        let mut keys = Vec::new();
        for _ in 0..count {
            // Text mutations need text: a file no longer UTF-8 gets no more.
            let Ok(text) = std::str::from_utf8(&bytes) else {
                break;
            };
            let m = mutate(text, &mut rng);
            bytes = m.bytes;
            mutations.push(m.what);
            keys.push(m.key);
        }
        Case {
            n,
            base: base.name,
            mutations,
            keys,
            bytes,
            last_year: rng.random_range(0..5) == 0,
            charts: rng.random_range(0..8) == 0,
            origin: None,
        }
    }
}

/// Values a number (or, on the tree, any value) is replaced by: TOML literals.
const VALUES: &[&str] = &[
    "0",
    "-",
    "1e308",
    "1e18",
    "1000000000000000000",
    "1e-308",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "\"fuzz\"",
];

/// A mutated file, what was done, and the key it touched.
struct Mutated {
    bytes: Vec<u8>,
    what: String,
    key: String,
}

/// Applies one random mutation.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> Mutated {
    let tree: Option<toml::Table> = text.parse().ok();
    // A draw that does not apply (a tree edit of a file that does not parse, a rename to a key
    // already there) is drawn again.
    for _ in 0..1000 {
        let r = rng.random_range(0..100);
        let done = match r {
            0..40 => set_number(text, rng),
            40..48 => line_edit(text, rng, LineEdit::Delete),
            48..54 => line_edit(text, rng, LineEdit::Duplicate),
            54..60 => line_edit(text, rng, LineEdit::Truncate),
            60..68 => flip_byte(text, rng),
            _ => match &tree {
                Some(t) => tree_edit(t.clone(), rng, r),
                None => None,
            },
        };
        if let Some(d) = done {
            return d;
        }
    }
    panic!("no mutation applies to this text:\n{text}");
}

/// The replacement for a number literal `old`: `-` means its negation.
fn replacement(old: &str, rng: &mut ChaCha8Rng) -> String {
    let v = VALUES[rng.random_range(0..VALUES.len())];
    if v != "-" {
        return v.to_string();
    }
    let number = old.trim_start_matches(['+', '-']).replace('_', "");
    match (old.strip_prefix('-'), number.parse::<f64>()) {
        // Not a number (a string or a boolean on the tree): -1 stands in for its negation.
        (_, Err(_)) | (None, Ok(0.0)) => "-1".to_string(),
        (Some(pos), Ok(_)) => pos.to_string(),
        (None, Ok(_)) => format!("-{}", old.trim_start_matches('+')),
    }
}

/// Replaces one number literal of the text.
fn set_number(text: &str, rng: &mut ChaCha8Rng) -> Option<Mutated> {
    let tokens = number_tokens(text);
    if tokens.is_empty() {
        return None;
    }
    let t = tokens[rng.random_range(0..tokens.len())].clone();
    let old = &text[t.clone()];
    let new = replacement(old, rng);
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..t.start]);
    out.push_str(&new);
    out.push_str(&text[t.end..]);
    let (line_no, _) = line_at(text, t.start);
    let key = key_before(text, t.start);
    let what = format!("line {line_no}: {key} = {old} -> {new}");
    Some(Mutated {
        bytes: out.into_bytes(),
        what,
        key,
    })
}

/// Byte ranges of the number literals in value position (after `=`, `[` or `,`), outside
/// strings and comments.
fn number_tokens(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let is_tok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-' | b':');
    let mut out = Vec::new();
    let mut prev = b'\n';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                i += 1;
                while i < b.len() && b[i] != c && b[i] != b'\n' {
                    if c == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                prev = c;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ if matches!(prev, b'=' | b'[' | b',')
                && (c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'i' | b'n')) =>
            {
                let start = i;
                while i < b.len() && is_tok(b[i]) {
                    i += 1;
                }
                let tok = text[start..i].replace('_', "");
                if tok.parse::<f64>().is_ok() || tok.parse::<i64>().is_ok() {
                    out.push(start..i);
                }
                prev = b'0';
            }
            _ => {
                prev = c;
                i += 1;
            }
        }
    }
    out
}

/// The dotted key of the value at byte `at`, without indices: `flows.service_h.mean` for the
/// `mean` of an inline table `service_h = { ... }` in a `[[flows]]` table.
fn key_before(text: &str, at: usize) -> String {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let ident = |s: &str| {
        let s = s.trim_end();
        let from = s
            .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '"')))
            .map_or(0, |i| i + 1);
        s[from..].trim_matches('"').to_string()
    };
    let mut parts = Vec::new();
    if let Some(header) = before[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
    {
        let h = header.split('#').next().unwrap_or("");
        parts.push(h.trim().trim_matches(['[', ']']).trim().to_string());
    }
    // Keys of the line before the value: `a = { b = [1, 2], c = ` gives a.c.
    let mut depth_keys: Vec<String> = Vec::new();
    let line = &before[line_start..];
    let mut last_key = String::new();
    let mut in_str = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_str = !in_str,
            '=' if !in_str => last_key = ident(&line[..i]),
            '{' if !in_str => depth_keys.push(last_key.clone()),
            '}' if !in_str => {
                depth_keys.pop();
            }
            _ => {}
        }
    }
    parts.extend(depth_keys);
    if line.contains('=') {
        parts.push(last_key);
    }
    parts.retain(|p| !p.is_empty());
    parts.join(".")
}

/// Line number (from 1) and text of the line holding byte `at`.
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (text[..at].matches('\n').count() + 1, &text[start..end])
}

/// `s`, cut to 100 characters.
fn short(s: &str) -> String {
    if s.chars().count() <= 100 {
        s.to_string()
    } else {
        s.chars().take(97).collect::<String>() + "..."
    }
}

/// Byte ranges of the lines that are neither blank nor comments (without their newline).
fn significant_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            out.push(start..start + line.trim_end_matches(['\n', '\r']).len());
        }
        start += line.len();
    }
    out
}

#[derive(Clone, Copy)]
enum LineEdit {
    Delete,
    Duplicate,
    Truncate,
}

fn line_edit(text: &str, rng: &mut ChaCha8Rng, edit: LineEdit) -> Option<Mutated> {
    let lines = significant_lines(text);
    if lines.is_empty() {
        return None;
    }
    let l = lines[rng.random_range(0..lines.len())].clone();
    let line = &text[l.clone()];
    let (no, _) = line_at(text, l.start);
    let key = key_of_line(text, l.start, line);
    // The line with its line break, if it has one.
    let next = text[l.end..]
        .find('\n')
        .map_or(text.len(), |i| l.end + i + 1);
    let (out, what) = match edit {
        LineEdit::Delete => (
            format!("{}{}", &text[..l.start], &text[next..]),
            format!("line {no} deleted: `{}`", short(line.trim())),
        ),
        LineEdit::Duplicate => (
            format!("{}\n{line}{}", &text[..l.end], &text[l.end..]),
            format!("line {no} duplicated: `{}`", short(line.trim())),
        ),
        LineEdit::Truncate => {
            let chars: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
            let cut = chars[rng.random_range(0..chars.len())];
            (
                format!("{}{}", &text[..l.start + cut], &text[l.end..]),
                format!(
                    "line {no} truncated: `{}` -> `{}`",
                    short(line.trim()),
                    short(line[..cut].trim())
                ),
            )
        }
    };
    Some(Mutated {
        bytes: out.into_bytes(),
        what,
        key,
    })
}

/// `name` of a `name = ...` line, or the header of a `[table]` line, with its table.
fn key_of_line(text: &str, start: usize, line: &str) -> String {
    let t = line.trim();
    if t.starts_with('[') {
        let h = t.split('#').next().unwrap_or("");
        return h.trim().trim_matches(['[', ']']).trim().to_string();
    }
    match t.find('=') {
        Some(eq) => key_before(text, start + line.find('=').unwrap_or(eq) + 1),
        None => key_before(text, start),
    }
}

fn flip_byte(text: &str, rng: &mut ChaCha8Rng) -> Option<Mutated> {
    let lines = significant_lines(text);
    if lines.is_empty() {
        return None;
    }
    let l = lines[rng.random_range(0..lines.len())].clone();
    let at = rng.random_range(l.clone());
    let mut bytes = text.as_bytes().to_vec();
    let old = bytes[at];
    bytes[at] ^= 1 << rng.random_range(0..8u32);
    let new = bytes[at];
    let (no, line) = line_at(text, l.start);
    let what = format!(
        "line {no}: byte {} of the line flipped {old:#04x} -> {new:#04x}{}: `{}`",
        at - l.start + 1,
        if std::str::from_utf8(&bytes).is_ok() {
            ""
        } else {
            " (invalid UTF-8)"
        },
        short(line.trim())
    );
    Some(Mutated {
        bytes,
        what,
        key: key_of_line(text, l.start, &text[l]),
    })
}

// ------------------------------------------------------------------------------------------
// Mutations of the TOML tree

/// A step of a path into the TOML tree.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// The path's keys without indices (`ports.areas.terminals.berths.rate_t_per_h`), to group
/// failures by what was touched.
fn path_key(path: &[Seg]) -> String {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    keys.join(".")
}

/// Every path in the tree, parents before children.
fn all_paths(v: &toml::Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                at.push(Seg::Key(k.clone()));
                out.push(at.clone());
                all_paths(x, at, out);
                at.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Seg::Index(i));
                out.push(at.clone());
                all_paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get<'a>(v: &'a toml::Value, path: &[Seg]) -> Option<&'a toml::Value> {
    path.iter().try_fold(v, |v, s| match s {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

fn get_mut<'a>(v: &'a mut toml::Value, path: &[Seg]) -> Option<&'a mut toml::Value> {
    path.iter().try_fold(v, |v, s| match s {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

/// A TOML literal as a value.
fn literal(text: &str) -> toml::Value {
    let t: toml::Table = format!("v = {text}").parse().expect("a valid literal");
    t["v"].clone()
}

/// One edit of the tree (`r` picks which), written back as text.
fn tree_edit(table: toml::Table, rng: &mut ChaCha8Rng, r: u32) -> Option<Mutated> {
    let mut root = toml::Value::Table(table);
    let mut paths = Vec::new();
    all_paths(&root, &mut Vec::new(), &mut paths);
    let value_of = |p: &Vec<Seg>| get(&root, p).expect("a path of the tree");
    let ends_in_key = |p: &Vec<Seg>| matches!(p.last(), Some(Seg::Key(_)));
    let candidates: Vec<&Vec<Seg>> = match r {
        68..76 | 82..86 => paths.iter().filter(|p| ends_in_key(p)).collect(),
        76..82 => paths
            .iter()
            .filter(|p| value_of(p).as_array().is_some_and(|a| !a.is_empty()))
            .collect(),
        86..90 => paths
            .iter()
            .filter(|p| matches!(p.last(), Some(Seg::Index(_))))
            .collect(),
        _ => paths
            .iter()
            .filter(|p| !value_of(p).is_table() && !value_of(p).is_array())
            .collect(),
    };
    if candidates.is_empty() {
        return None;
    }
    let path = candidates[rng.random_range(0..candidates.len())].clone();
    let shown = path_string(&path);
    let key = path_key(&path);
    let (parent_path, last) = path.split_at(path.len() - 1);
    let what = match (r, &last[0]) {
        (68..76, Seg::Key(k)) => {
            let mut names: Vec<String> = paths
                .iter()
                .filter_map(|p| match p.last() {
                    Some(Seg::Key(k)) => Some(k.clone()),
                    _ => None,
                })
                .collect();
            names.sort();
            names.dedup();
            let parent = get_mut(&mut root, parent_path)?.as_table_mut()?;
            let new = if rng.random_bool(0.5) {
                // A typo: a letter added, dropped or doubled.
                match rng.random_range(0..3) {
                    0 => format!("{k}x"),
                    1 if k.len() > 1 => k[..k.len() - 1].to_string(),
                    _ => format!("{}{k}", &k[..1]),
                }
            } else {
                names[rng.random_range(0..names.len())].clone()
            };
            if parent.contains_key(&new) {
                return None;
            }
            let v = parent.remove(k)?;
            parent.insert(new.clone(), v);
            format!("tree: key `{shown}` renamed to `{new}`")
        }
        (76..82, _) => {
            *get_mut(&mut root, &path)? = toml::Value::Array(Vec::new());
            format!("tree: array `{shown}` emptied")
        }
        (82..86, Seg::Key(k)) => {
            get_mut(&mut root, parent_path)?.as_table_mut()?.remove(k)?;
            format!("tree: key `{shown}` removed")
        }
        (86..90, Seg::Index(i)) => {
            get_mut(&mut root, parent_path)?.as_array_mut()?.remove(*i);
            format!("tree: element `{shown}` removed")
        }
        _ => {
            let v = get_mut(&mut root, &path)?;
            let old = v.to_string();
            let choice = rng.random_range(0..=VALUES.len());
            *v = if choice == VALUES.len() {
                toml::Value::String(String::new())
            } else {
                literal(&replacement(&old, rng))
            };
            format!(
                "tree: `{shown}` set to {} (was {})",
                short(&v.to_string()),
                short(&old)
            )
        }
    };
    let text = toml::to_string(root.as_table()?).ok()?;
    Some(Mutated {
        bytes: text.into_bytes(),
        what: format!("{what} (file re-serialised)"),
        key,
    })
}

// ------------------------------------------------------------------------------------------
// Running a case

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Exit {
    Code(i32),
    /// No exit within the timeout: the process was killed.
    Timeout,
    Signal(i32),
}

struct Ran {
    exit: Exit,
    stderr: String,
}

/// The address space each `portsim` may use, in KiB. A legitimate case needs under 50 MB; a
/// runaway one (ships created without end) grows by some 300 MB a second, and two of those
/// for the whole timeout could take the machine down.
const MEMORY_CAP_KIB: u64 = 2 << 20;

/// `portsim` with the memory cap (through `sh -c 'ulimit -v'` on Unix; no cap elsewhere).
fn capped_portsim() -> assert_cmd::Command {
    if cfg!(unix) {
        let bin = portsim().get_program().to_owned();
        let mut cmd = assert_cmd::Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_CAP_KIB} 2>/dev/null; exec \"$0\" \"$@\""
            ))
            .arg(bin);
        cmd
    } else {
        portsim()
    }
}

fn exec(dir: &Path, args: &[&str], timeout: Duration) -> Ran {
    let started = Instant::now();
    let out = capped_portsim()
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .args(args)
        .timeout(timeout)
        .output()
        .expect("portsim starts");
    let exit = match out.status.code() {
        Some(c) => Exit::Code(c),
        None if started.elapsed() >= timeout => Exit::Timeout,
        None => Exit::Signal(signal(&out.status)),
    };
    Ran {
        exit,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
fn signal(status: &std::process::ExitStatus) -> i32 {
    std::os::unix::process::ExitStatusExt::signal(status).unwrap_or(-1)
}

#[cfg(not(unix))]
fn signal(_: &std::process::ExitStatus) -> i32 {
    -1
}

/// A case that broke the contract.
struct Failure {
    case: u64,
    base: &'static str,
    mutations: Vec<String>,
    keys: Vec<String>,
    /// What went wrong, general enough to group cases (numbers blanked).
    class: String,
    /// The evidence: stderr or what was found.
    detail: String,
    file: PathBuf,
}

/// A panic of this test's own code while making or judging case `n`.
fn harness_failure(n: u64, panic: Box<dyn std::any::Any + Send>) -> Failure {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    Failure {
        case: n,
        base: "?",
        mutations: Vec::new(),
        keys: Vec::new(),
        class: "the fuzz harness itself panicked (a bug in this test)".into(),
        detail: message,
        file: PathBuf::new(),
    }
}

const FILE: &str = "case.toml";

/// Runs one case; the failure, if it breaks the contract (boxed: it is large and rare).
fn run_case(case: &Case, cfg: &Config) -> Result<(), Box<Failure>> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(dir.join(FILE), &case.bytes).expect("write the case");
    let fail = |(class, detail): (String, String)| {
        let file = case.origin.clone().unwrap_or_else(|| {
            std::fs::create_dir_all(&cfg.keep_dir).expect("create the directory for failed cases");
            let file = cfg.keep_dir.join(format!("case-{}.toml", case.n));
            std::fs::write(&file, &case.bytes).expect("keep the failed case");
            file
        });
        Box::new(Failure {
            case: case.n,
            base: case.base,
            mutations: case.mutations.clone(),
            keys: case.keys.clone(),
            class,
            detail,
            file,
        })
    };
    // A file that is not UTF-8 is reported at its first bad byte, counted in the text read
    // with that byte replaced.
    let lossy = String::from_utf8_lossy(&case.bytes);
    let text = Some(lossy.as_ref());
    let extends = text
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("extends"));

    let touched = case.keys.join(" + ");
    let check = exec(dir, &["check", FILE], cfg.timeout);
    match check.exit {
        Exit::Code(0) if !panicked(&check) => {
            left_behind(dir, "check accepted it").map_err(fail)?;
            let year = design_year(&dir.join(FILE), case.last_year).map_err(fail)?;
            let mut args = vec![
                "run",
                FILE,
                "--reps",
                "1",
                "--years",
                &year,
                "--threads",
                "1",
                "--out",
                "out",
                "--quiet",
            ];
            if !case.charts {
                args.push("--no-charts");
            }
            let run = exec(dir, &args, cfg.timeout);
            match run.exit {
                Exit::Code(0) if !panicked(&run) => Ok(()),
                Exit::Code(2) if !panicked(&run) => Err(fail((
                    format!(
                        "check accepts, run --years {} rejects: {}",
                        if case.last_year { "LAST" } else { "FIRST" },
                        normalise(first_line(&run.stderr))
                    ),
                    excerpt(&run.stderr),
                ))),
                _ => Err(fail(crash(&run, "run", &touched))),
            }
        }
        Exit::Code(2) if !panicked(&check) => {
            let first = rejection(&check, text, extends, "check").map_err(fail)?;
            left_behind(dir, "check rejected it").map_err(fail)?;
            let run = exec(
                dir,
                &[
                    "run",
                    FILE,
                    "--reps",
                    "1",
                    "--threads",
                    "1",
                    "--out",
                    "out",
                    "--quiet",
                    "--no-charts",
                ],
                cfg.timeout,
            );
            if run.exit != Exit::Code(2) || panicked(&run) {
                return Err(fail(crash(&run, "run of a file check rejects", &touched)));
            }
            let again = rejection(&run, text, extends, "run").map_err(fail)?;
            left_behind(dir, "run rejected it").map_err(fail)?;
            if again != first {
                return Err(fail((
                    "check and run name different first errors".into(),
                    format!("check: {first}\nrun:   {again}"),
                )));
            }
            Ok(())
        }
        _ => Err(fail(crash(&check, "check", &touched))),
    }
}

fn panicked(ran: &Ran) -> bool {
    ran.stderr.contains("panicked at ")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// The first lines of stderr, indented for the report.
fn excerpt(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().take(8).collect();
    let more = if stderr.lines().count() > 8 {
        "\n…"
    } else {
        ""
    };
    format!("{}{more}", lines.join("\n"))
}

/// The class and evidence of a command that crashed, hung or failed internally.
fn crash(ran: &Ran, stage: &str, touched: &str) -> (String, String) {
    let class = if let Some(at) = ran.stderr.find("panicked at ") {
        let rest = &ran.stderr[at + "panicked at ".len()..];
        let place = rest
            .split([':', '\n'])
            .take(3)
            .collect::<Vec<_>>()
            .join(":");
        let message = rest.lines().nth(1).unwrap_or("").trim();
        format!(
            "panic at {} in {stage}: {}",
            place.trim_end_matches(':'),
            short(&normalise(message))
        )
    } else if ran.stderr.contains("memory allocation of ") {
        format!(
            "out of memory (over the test's {} GiB cap) in {stage}; changed: {touched}",
            MEMORY_CAP_KIB >> 20
        )
    } else {
        match ran.exit {
            // What hangs is told apart by what was changed.
            Exit::Timeout => format!("no exit within the timeout in {stage}; changed: {touched}"),
            Exit::Signal(s) => format!("killed by signal {s} in {stage}"),
            // `... not conserved at Dalian for coal: ...`: the place is evidence, not the class.
            Exit::Code(c) => format!(
                "exit {c} in {stage}: {}",
                short(&normalise(
                    first_line(&ran.stderr).split(" at ").next().unwrap_or("")
                ))
            ),
        }
    };
    (class, excerpt(&ran.stderr))
}

/// Checks that an exit 2 names a place, and returns its first line.
fn rejection(
    ran: &Ran,
    text: Option<&str>,
    extends: bool,
    stage: &str,
) -> Result<String, (String, String)> {
    let first = first_line(&ran.stderr).to_string();
    let bad = |why: &str| {
        Err((
            format!(
                "{stage}: exit 2 {why}: {}",
                short(&normalise(first.trim_start_matches("error: ")))
            ),
            excerpt(&ran.stderr),
        ))
    };
    if let Some(rest) = first.strip_prefix(&format!("error: {FILE}:")) {
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().and_then(|l| l.parse::<usize>().ok());
        let col = parts.next().and_then(|c| c.parse::<usize>().ok());
        match (line, col, text) {
            (Some(l), Some(c), Some(text)) => {
                let lines: Vec<&str> = text.split('\n').collect();
                let fits = l >= 1
                    && c >= 1
                    && lines
                        .get(l - 1)
                        .is_some_and(|s| c <= s.trim_end_matches('\r').chars().count() + 1);
                if fits {
                    Ok(first)
                } else {
                    bad("with a place outside the file")
                }
            }
            (Some(_), Some(_), None) => bad("with a place in a file that is not text"),
            // `error: case.toml: ...`: the whole file, for problems with `extends`.
            _ if extends => Ok(first),
            _ => bad("without file:line:col"),
        }
    } else if first.starts_with("error: scenario `") && first.contains("--max-events") {
        // Refused before it starts: larger than the event budget, with the estimate.
        Ok(first)
    } else if extends && first.starts_with(&format!("error: {FILE} (extending ")) {
        Ok(first)
    } else {
        bad("without file:line:col")
    }
}

/// Anything but the case file in its directory.
fn left_behind(dir: &Path, after: &str) -> Result<(), (String, String)> {
    let extra: Vec<String> = crate::util::files_in(dir)
        .into_iter()
        .filter(|f| f != FILE)
        .collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err((
            format!("files left behind after {after}"),
            format!("found: {}", extra.join(", ")),
        ))
    }
}

/// The design year to run: the scenario's first, or its last.
fn design_year(file: &Path, last: bool) -> Result<String, (String, String)> {
    match portsim::scenario::load(&file.to_string_lossy()) {
        Ok((model, _)) => {
            let years = &model.settings.years;
            let y = if last { years.last() } else { years.first() };
            Ok(y.map_or_else(|| model.settings.base_year.to_string(), u16::to_string))
        }
        Err(e) => Err((
            "check accepts what the library rejects".into(),
            e.to_string(),
        )),
    }
}

/// Blanks the numbers of a message (`1e308`, `-3.5`, `12`: `N`) so that messages group.
/// Digits in names (`m01`, `UTF-8`) are kept.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // In a name: after a letter or `_`, with only letters, digits, `_` (or one `-`) since.
    let mut name = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() && !name {
            while let Some(&d) = chars.peek() {
                let exponent = matches!(d, 'e' | 'E');
                if d.is_ascii_digit() || d == '.' || d == '_' || exponent {
                    chars.next();
                    if exponent && matches!(chars.peek(), Some('-' | '+')) {
                        chars.next();
                    }
                } else {
                    break;
                }
            }
            out.push('N');
            continue;
        }
        name = c.is_alphabetic() || c == '_' || (name && (c.is_ascii_digit() || c == '-'));
        out.push(c);
    }
    out
}

// ------------------------------------------------------------------------------------------
// The report

/// The failures grouped by class, each with an example, then every failed case; `title`
/// gets `{failed}` and `{classes}` filled in.
fn report(title: &str, failures: &[Failure]) -> String {
    let mut classes: BTreeMap<&str, Vec<&Failure>> = BTreeMap::new();
    for f in failures {
        classes.entry(&f.class).or_default().push(f);
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}\n",
        title
            .replace("{failed}", &failures.len().to_string())
            .replace("{classes}", &classes.len().to_string())
    );
    for (class, fs) in &classes {
        let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
        for f in fs {
            for k in &f.keys {
                *keys.entry(k).or_default() += 1;
            }
        }
        let mut keys: Vec<(&str, usize)> = keys.into_iter().collect();
        keys.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
        // The example: the fewest mutations, on the smallest scenario.
        let f = fs
            .iter()
            .min_by_key(|f| {
                let size = builtin::get(f.base).map_or(0, |b| b.toml.len());
                (f.mutations.len(), size, f.case)
            })
            .expect("a class has cases");
        let _ = writeln!(s, "== {class}: {} cases", fs.len());
        let _ = writeln!(
            s,
            "   keys touched: {}",
            keys.iter()
                .take(12)
                .map(|(k, n)| format!("{k} ×{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            s,
            "   e.g. case {} ({}), file {}",
            f.case,
            f.base,
            f.file.display()
        );
        for m in &f.mutations {
            let _ = writeln!(s, "     {m}");
        }
        for l in f.detail.lines() {
            let _ = writeln!(s, "     | {l}");
        }
        let _ = writeln!(
            s,
            "   cases: {}\n",
            fs.iter()
                .map(|f| f.case.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let _ = writeln!(s, "== every failed case");
    for f in failures.iter().take(MAX_LISTED) {
        let _ = writeln!(
            s,
            "case {} ({}) {}: {}\n    -> {}",
            f.case,
            f.base,
            f.file.display(),
            f.mutations.join("; "),
            short(&f.class)
        );
    }
    if failures.len() > MAX_LISTED {
        let _ = writeln!(s, "... and {} more", failures.len() - MAX_LISTED);
    }
    s
}

/// Failed cases listed one by one at the end of the report (all are in their classes).
const MAX_LISTED: usize = 300;

// ------------------------------------------------------------------------------------------
// The harness's own pieces

#[test]
fn fuzz_judges_the_place_of_a_rejection() {
    let ran = |stderr: &str| Ran {
        exit: Exit::Code(2),
        stderr: stderr.to_string(),
    };
    let text = Some("a = 1\nbé = [\n");
    let ok = |stderr: &str, extends: bool| rejection(&ran(stderr), text, extends, "check").is_ok();
    assert!(ok("error: case.toml:2:3: bé: expected\n", false));
    assert!(ok("error: case.toml:3:1: unexpected end of file\n", false));
    assert!(!ok("error: case.toml:4:1: past the end\n", false));
    assert!(!ok(
        "error: case.toml:1:7: past the end of its line\n",
        false
    ));
    assert!(!ok("error: case.toml:0:1: line 0\n", false));
    assert!(!ok(
        "error: case.toml: cannot read the scenario file\n",
        false
    ));
    assert!(ok("error: case.toml: `extends` names a scenario\n", true));
    assert!(ok(
        "error: case.toml (extending builtin:liaoning-2020): flows[0].x: bad\n",
        true
    ));
    assert!(!ok(
        "error: case.toml (extending builtin:liaoning-2020): flows[0].x: bad\n",
        false
    ));
    assert!(!ok("error: case.toml (2030):12:1: bad\n", false));
    assert!(!ok("error: other.toml:1:1: bad\n", false));
    assert!(!ok("", false));
}

#[test]
fn fuzz_finds_numbers_in_value_position_only() {
    let text =
        "a = 1\nb = \"2\" # 3\nc = [4, -5.5e3, inf]\nd = { e = 6, f-7 = 'x8' }\nt = 2020-01-01\n";
    let found: Vec<&str> = number_tokens(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(found, ["1", "4", "-5.5e3", "inf", "6"]);
    let at = text.find('6').expect("a 6");
    assert_eq!(key_before(text, at), "d.e");
    let text = "[[ports.areas]]\nname = \"x\"\nchannel = { depth_m = 12 }\n";
    assert_eq!(
        key_before(text, text.find("12").expect("12")),
        "ports.areas.channel.depth_m"
    );
}

#[test]
fn fuzz_blanks_numbers_but_not_names() {
    assert_eq!(
        normalise("at line 12: 1e308 > 3.5, m01 UTF-8 -2"),
        "at line N: N > N, m01 UTF-8 -N"
    );
}

#[test]
fn fuzz_cases_depend_on_the_seed_and_number_only() {
    let a = Case::new(7, 42);
    let b = Case::new(7, 42);
    assert_eq!(
        (a.base, &a.mutations, &a.bytes),
        (b.base, &b.mutations, &b.bytes)
    );
    assert_ne!(Case::new(7, 43).bytes, a.bytes);
}
