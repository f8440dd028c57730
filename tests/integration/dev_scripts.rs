//! The developer scripts: `scripts/compare-builds`, driven with two stand-in `count_events`
//! binaries whose times are known (it reads each round's "ms per run", and prints the fastest
//! and the median round of each, their ratios, and the rounds' paired ratios with a sign-test
//! interval), and `scripts/seed-sweep`'s refusals.

use std::path::Path;
use std::process::Command;

/// Writes an executable stand-in for `count_events` that prints the given times, one a call
/// (the last repeated), in `count_events`'s format.
fn stand_in(dir: &Path, name: &str, times_ms: &[f64]) -> std::path::PathBuf {
    let counter = dir.join(format!("{name}.calls"));
    let list = times_ms
        .iter()
        .map(|t| format!("{t:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        "#!/usr/bin/env bash\n\
         n=$(cat '{c}' 2>/dev/null || echo 0); echo $((n + 1)) > '{c}'\n\
         t=({list}); i=$(( n < ${{#t[@]}} ? n : ${{#t[@]}} - 1 ))\n\
         echo \"$1: 100 ships, 1000 events per run; ${{t[$i]}} ms per run\"\n",
        c = counter.display()
    );
    let path = dir.join(name);
    std::fs::write(&path, script).expect("write stand-in");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    path
}

/// Runs `scripts/NAME` with `args`.
fn script(name: &str, args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scripts")
                .join(name),
        )
        .args(args)
        .output()
        .expect("bash runs")
}

fn compare_builds(args: &[&str]) -> std::process::Output {
    script("compare-builds", args)
}

#[test]
fn compare_builds_reports_the_fastest_and_median_rounds_and_their_ratios() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old = stand_in(tmp.path(), "old", &[40.0]);
    let new = stand_in(tmp.path(), "new", &[10.0, 30.0, 20.0]);
    let out = compare_builds(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "mm1-rho50",
        "3",
        "2",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("round ").count(), 3, "{stdout}");
    assert!(
        stdout.contains(
            "mm1-rho50, 3 rounds of 2 years: old fastest 40.0 ms, median 40.0; \
             new fastest 10.0 ms, median 20.0"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("old / new: 4.00x by the fastest rounds, 2.00x by the medians"),
        "{stdout}"
    );
    // Round by round the ratios are 4, 4/3 and 2: too few for an interval.
    assert!(
        stdout.contains(
            "paired rounds: old / new median 2.000x, too few rounds for a 95% CI (6 or more); \
             new faster in 3 of 3"
        ),
        "{stdout}"
    );
}

#[test]
fn compare_builds_bounds_the_median_paired_ratio_by_a_sign_test_interval() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old = stand_in(tmp.path(), "old", &[40.0]);
    // Ratios 8, 2, 1, 1/4, 2, 4, 1, 2, 1/2 round by round. With 9 rounds the 95 % sign-test
    // interval runs from the second smallest to the second largest (1 - 2 P(B <= 1) = 0.961;
    // from the third, 0.820), and the new build wins 5.
    let new = stand_in(
        tmp.path(),
        "new",
        &[5.0, 20.0, 40.0, 160.0, 20.0, 10.0, 40.0, 20.0, 80.0],
    );
    let out = compare_builds(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "mm1-rho50",
        "9",
        "2",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "paired rounds: old / new median 2.000x, 95% CI [0.500, 4.000]; new faster in 5 of 9"
        ),
        "{stdout}"
    );
}

#[test]
fn compare_builds_refuses_missing_arguments_and_non_executables() {
    let out = compare_builds(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let missing = tmp.path().join("no-such-binary");
    let out = compare_builds(&[missing.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an executable"));
    // No rounds would leave nothing to compare (and an empty list, not an empty set, to sort).
    let stand = stand_in(tmp.path(), "any", &[10.0]);
    let stand = stand.to_str().unwrap();
    for (rounds, reps) in [("0", "2"), ("3", "x")] {
        let out = compare_builds(&[stand, stand, "mm1-rho50", rounds, reps]);
        assert_eq!(out.status.code(), Some(2), "{rounds} {reps}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("must be whole numbers of 1 or more"),
            "{rounds} {reps}"
        );
    }
}

/// `scripts/seed-sweep` refuses, before it builds anything, what it cannot run: a test named
/// with `-a` (which runs them all, salted), a count of no seeds, an unknown option.
#[test]
fn seed_sweep_refuses_bad_arguments_before_building() {
    let run = |args: &[&str]| script("seed-sweep", args);
    let named = run(&["-a", "validation::mmc_models_reproduce_erlang_c"]);
    assert_eq!(named.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&named.stderr);
    assert!(
        stderr.contains("-a runs every integration test; name none"),
        "{stderr}"
    );
    assert!(!stderr.contains("building"), "{stderr}");
    for args in [&["-n", "0"][..], &["-x"][..]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("seed-sweep -a -n 12"),
            "usage lists -a: {stderr}"
        );
    }
}
