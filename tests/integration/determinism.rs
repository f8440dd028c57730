//! `compare` and `capacity` write the same bytes whatever the number of threads.

use std::path::Path;

use portsim::commands::{self, CapacityRequest, RunSettings};

use crate::util::files_in;

/// Every file under `dir` (charts included), by relative path, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for f in files_in(dir) {
        let p = dir.join(&f);
        if p.is_dir() {
            out.extend(tree(&p).into_iter().map(|(g, b)| (format!("{f}/{g}"), b)));
        } else {
            out.push((f, std::fs::read(&p).expect("read")));
        }
    }
    out
}

fn assert_same(a: &Path, b: &Path, expected: &[&str]) {
    let (ta, tb) = (tree(a), tree(b));
    for f in expected {
        assert!(ta.iter().any(|(g, _)| g == f), "{f} missing");
    }
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb));
    for ((f, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn compare_writes_the_same_bytes_on_one_thread_and_two() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let files = ["mm2-rho70".to_string(), "mm4-rho80".to_string()];
    let dirs = [1, 2].map(|threads| {
        let settings = RunSettings {
            reps: Some(4),
            seed: Some(3),
            out: Some(tmp.path().join(format!("t{threads}"))),
            threads: Some(threads),
            quiet: true,
            ..RunSettings::default()
        };
        commands::compare(&files, &settings, &mut Vec::new()).expect("compare")
    });
    assert_same(
        &dirs[0],
        &dirs[1],
        &[
            "compare.csv",
            "kpis.csv",
            "summary.csv",
            "summary.json",
            "targets.csv",
            "series.csv",
            "report.html",
            "charts/comparison.svg",
            "charts/year-as-it-passed.svg",
        ],
    );
}

#[test]
fn capacity_writes_the_same_bytes_on_one_thread_and_two() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dirs = [1, 2].map(|threads| {
        let req = CapacityRequest {
            scenario: "mm2-rho50".into(),
            terminal: Some("Validation/servers".into()),
            criterion: Some("wait_h_mean<=1".into()),
            reps: 4,
            seed: Some(3),
            year: None,
            steps: 3,
            out: Some(tmp.path().join(format!("t{threads}"))),
            threads: Some(threads),
            quiet: true,
            no_charts: false,
            max_events: None,
        };
        commands::capacity(&req, &mut Vec::new()).expect("capacity")
    });
    assert_same(
        &dirs[0],
        &dirs[1],
        &[
            "capacity.csv",
            "capacity.json",
            "report.html",
            "charts/capacity.svg",
        ],
    );
}
