//! `write_atomically`: a write that fails part-way replaces no file of its set and leaves no
//! temporary file behind; one that succeeds replaces them all.
//!
//! The tests run as any user (root ignores permissions), so the failures are made with names
//! that are taken by directories: a file cannot be created, or renamed, over a directory.

use std::path::Path;

use portsim::report::write_atomically;

use crate::util::files_in;

/// An output directory holding `a.csv`, `b.csv` and `c.csv` from an earlier run.
fn earlier_outputs() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for f in ["a.csv", "b.csv", "c.csv"] {
        std::fs::write(tmp.path().join(f), format!("old {f}\n")).expect("write");
    }
    tmp
}

fn new_set() -> Vec<(&'static str, Vec<u8>)> {
    ["a.csv", "b.csv", "c.csv"]
        .into_iter()
        .map(|f| (f, format!("new {f}\n").into_bytes()))
        .collect()
}

/// `portsim run mm1-rho50` (2 replications, no charts) into `dir`, which must succeed.
fn run_mm1_into(dir: &Path) {
    crate::util::portsim()
        .args([
            "run",
            "mm1-rho50",
            "--reps",
            "2",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(dir)
        .assert()
        .success();
}

fn content(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| format!("<{e}>"))
}

#[test]
fn a_complete_write_replaces_every_file_and_leaves_no_temporary_file() {
    let tmp = earlier_outputs();
    write_atomically(tmp.path(), &new_set()).expect("write");
    for f in ["a.csv", "b.csv", "c.csv"] {
        assert_eq!(content(tmp.path(), f), format!("new {f}\n"));
    }
    assert_eq!(files_in(tmp.path()), ["a.csv", "b.csv", "c.csv"]);
}

#[test]
fn a_write_that_fails_before_renaming_changes_nothing() {
    // The second file's temporary name (`.b.csv.tmp-<pid>`, as in src/report/output.rs) is
    // taken by a directory, so its temporary file cannot be created — after the first one
    // was written.
    let tmp = earlier_outputs();
    let blocker = format!(".b.csv.tmp-{}", std::process::id());
    std::fs::create_dir(tmp.path().join(&blocker)).expect("mkdir");
    let err = write_atomically(tmp.path(), &new_set()).expect_err("cannot write b.csv");
    assert!(err.to_string().contains("b.csv"), "{err}");
    for f in ["a.csv", "b.csv", "c.csv"] {
        assert_eq!(
            content(tmp.path(), f),
            format!("old {f}\n"),
            "{f} was replaced"
        );
    }
    let mut expected = vec![blocker, "a.csv".into(), "b.csv".into(), "c.csv".into()];
    expected.sort();
    assert_eq!(files_in(tmp.path()), expected, "a temporary file was left");
}

#[test]
fn a_write_that_fails_while_renaming_changes_nothing() {
    // `b.csv` is a directory (holding a file, so no rename can replace it): every temporary
    // file is written, then renaming fails at the second file.
    let tmp = earlier_outputs();
    std::fs::remove_file(tmp.path().join("b.csv")).expect("rm");
    std::fs::create_dir(tmp.path().join("b.csv")).expect("mkdir");
    std::fs::write(tmp.path().join("b.csv/keep"), "x").expect("write");
    let err = write_atomically(tmp.path(), &new_set()).expect_err("cannot replace b.csv");
    assert!(err.to_string().contains("b.csv"), "{err}");
    assert_eq!(
        files_in(tmp.path()),
        ["a.csv", "b.csv", "c.csv"],
        "a temporary file was left"
    );
    assert!(tmp.path().join("b.csv/keep").exists());
    for f in ["a.csv", "c.csv"] {
        assert_eq!(
            content(tmp.path(), f),
            format!("old {f}\n"),
            "{f} was replaced"
        );
    }
}

#[test]
fn a_failed_rename_leaves_each_file_old_or_new_and_no_temporary_file() {
    // What does hold when renaming fails part-way: every file is either its old or its new
    // version (never partial), and no temporary file is left.
    let tmp = earlier_outputs();
    std::fs::remove_file(tmp.path().join("b.csv")).expect("rm");
    std::fs::create_dir(tmp.path().join("b.csv")).expect("mkdir");
    std::fs::write(tmp.path().join("b.csv/keep"), "x").expect("write");
    write_atomically(tmp.path(), &new_set()).expect_err("cannot replace b.csv");
    assert_eq!(files_in(tmp.path()), ["a.csv", "b.csv", "c.csv"]);
    for f in ["a.csv", "c.csv"] {
        let c = content(tmp.path(), f);
        assert!(
            c == format!("old {f}\n") || c == format!("new {f}\n"),
            "{f}: {c:?}"
        );
    }
}

/// A folder holds one command's results: a `run` where a `compare` was removes the comparison
/// (its `compare.csv` would otherwise show in the run's report), a run without `--trace`
/// removes an earlier trace, and charts no longer drawn go; a sweep's or `projects`' folder is
/// refused before anything runs.
#[test]
fn results_written_into_a_used_folder_replace_the_earlier_ones_whole() {
    use crate::util::{files_in, portsim};
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path().join("d");
    let run = |args: &[&str]| {
        portsim()
            .args(args)
            .args(["--reps", "2", "--quiet", "--out"])
            .arg(&d)
            .assert()
            .success();
    };
    run(&["compare", "mm1-rho50", "mm1-rho70", "--trace"]);
    assert!(d.join("compare.csv").is_file() && d.join("calls.csv").is_file());
    let compare_charts = files_in(&d.join("charts"));
    run(&["run", "mm1-rho50"]);
    assert_eq!(
        files_in(&d),
        [
            "charts",
            "kpis.csv",
            "report.html",
            "series.csv",
            "summary.csv",
            "summary.json",
            "targets.csv"
        ]
    );
    let run_charts = files_in(&d.join("charts"));
    assert!(run_charts.len() < compare_charts.len(), "{run_charts:?}");
    let report = std::fs::read_to_string(d.join("report.html")).expect("report");
    assert!(
        !report.contains("mm1-rho70"),
        "the comparison's scenario in the run's report"
    );
    // The same charts as the run's in a fresh folder.
    let fresh = tmp.path().join("fresh");
    portsim()
        .args(["run", "mm1-rho50", "--reps", "2", "--quiet", "--out"])
        .arg(&fresh)
        .assert()
        .success();
    assert_eq!(run_charts, files_in(&fresh.join("charts")));
    // Without charts, the earlier report and charts go too.
    run(&["run", "mm1-rho50", "--no-charts"]);
    assert!(!d.join("report.html").exists());
    assert!(files_in(&d.join("charts")).is_empty());
    // A sweep's folder and a projects folder are not another command's to replace.
    for (marker, what) in [
        ("sweep.json", "a sweep's results"),
        ("projects.json", "`portsim projects`"),
    ] {
        let other = tmp.path().join(marker);
        std::fs::create_dir_all(&other).expect("dir");
        std::fs::write(other.join(marker), "{}").expect("marker");
        portsim()
            .args(["run", "mm1-rho50", "--reps", "2", "--quiet", "--out"])
            .arg(&other)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(what));
        assert_eq!(files_in(&other), [marker]);
    }
    // A folder of the user's own (no portsim results in it) keeps every file portsim did not
    // write, whatever its name.
    let own = tmp.path().join("own");
    std::fs::create_dir_all(own.join("charts")).expect("dir");
    for f in ["report.html", "capacity.csv", "charts/my-map.png"] {
        std::fs::write(own.join(f), "mine").expect("file");
    }
    run_mm1_into(&own);
    for f in ["report.html", "capacity.csv", "charts/my-map.png"] {
        assert_eq!(
            std::fs::read_to_string(own.join(f)).ok().as_deref(),
            Some("mine"),
            "{f}"
        );
    }
    // A sweep, or a sweep's merge, is refused a folder holding another command's results.
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "scenario = \"mm1-rho50\"\nreplications = 2\n[[parameters]]\npath = \"demand_multiplier\"\nvalues = [0.9, 1.0]\n",
    )
    .expect("sweep");
    portsim()
        .args(["sweep", "--quiet"])
        .arg(&sweep)
        .arg("--out")
        .arg(&fresh)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "holds the results of another command (summary.json)",
        ));
    assert!(!fresh.join("sweep.json").exists());
    // A damaged results file is bad input to `report` (exit 2), named with its line.
    let report_refuses = |expected: &str| {
        portsim()
            .arg("report")
            .arg(&fresh)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
    };
    let summary = std::fs::read_to_string(fresh.join("summary.csv")).expect("summary.csv");
    let mut lines: Vec<String> = summary.lines().map(str::to_string).collect();
    let mean = lines[0]
        .split(',')
        .position(|c| c == "mean")
        .expect("a mean column");
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[mean] = "lots".into();
    lines[1] = cells.join(",");
    std::fs::write(fresh.join("summary.csv"), lines.join("\n") + "\n").expect("write");
    report_refuses(
        "summary.csv:2: column `mean`: expected a number, found `lots` (the results are damaged",
    );
    // Not UTF-8: damaged too.
    let mut bytes = summary.clone().into_bytes();
    bytes[summary.len() / 2] = 0xff;
    std::fs::write(fresh.join("summary.csv"), bytes).expect("write");
    report_refuses("summary.csv: not UTF-8 text (the results are damaged");
    std::fs::write(fresh.join("summary.csv"), &summary).expect("restore");
    let json = std::fs::read_to_string(fresh.join("summary.json")).expect("summary.json");
    std::fs::write(fresh.join("summary.json"), &json[..json.len() / 2]).expect("truncate");
    report_refuses("summary.json: EOF while parsing");
    std::fs::write(fresh.join("summary.json"), &json).expect("restore");
    // A run's folder without its summary.csv is refused by `report`, not drawn empty.
    std::fs::remove_file(fresh.join("summary.csv")).expect("remove");
    report_refuses("holds summary.json but not summary.csv");
}

#[test]
fn a_run_removes_what_a_run_killed_while_writing_left_and_nothing_of_the_users() {
    // A run killed while it renamed its files into place leaves hidden temporaries (named
    // for its process); the next command writing results there removes them — and only
    // portsim's own (a result file's name, another process's number).
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    let left = [
        ".calls.csv.tmp-4242",
        ".kpis.csv.tmp-17",
        ".summary.json.old-99",
    ];
    let kept = [
        ".notes.txt.tmp-4242",
        ".kpis.csv.tmp-draft",
        "kpis.csv.tmp-4242",
    ];
    for f in left.iter().chain(&kept) {
        std::fs::write(d.join(f), "partial").expect("write");
    }
    run_mm1_into(d);
    for f in left {
        assert!(!d.join(f).exists(), "{f} left behind");
    }
    for f in kept {
        assert!(d.join(f).exists(), "{f} is not portsim's to remove");
    }
}
