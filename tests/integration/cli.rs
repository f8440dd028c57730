//! The command line end to end: outputs, determinism across thread counts, the built-ins.

use crate::util::{files_in, fixture, portsim};

#[test]
fn run_writes_its_outputs_and_nothing_else() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    portsim()
        .arg("run")
        .arg(fixture("scenarios/ok/small-port.toml"))
        .args(["--reps", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        files_in(&out),
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
    let kpis = std::fs::read_to_string(out.join("kpis.csv")).expect("kpis");
    assert!(kpis.starts_with("scenario,replication,year,port,cargo,metric,value\n"));
    assert!(kpis.contains("small-port,2,2020,Harbour,coal,throughput_t,"));
    let summary = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    assert!(summary.starts_with("scenario,year,port,cargo,metric,mean,ci95_low,ci95_high,n\n"));
    // No KPI is negative, so no interval reaches below zero (with 3 replications a Student-t
    // interval of the p95 wait or the stock at the start would, uncut).
    for (file, col) in [("summary.csv", 6), ("series.csv", 7)] {
        let text = std::fs::read_to_string(out.join(file)).expect("csv");
        for line in text.lines().skip(1) {
            let lo = line.split(',').nth(col).expect("ci95_low");
            assert!(
                lo.is_empty() || lo.parse::<f64>().expect("number") >= 0.0,
                "{file}: {line}"
            );
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["manifest"]["seed"], 20200101);
    assert_eq!(json["manifest"]["replications"], 3);
    assert_eq!(json["manifest"]["scenarios"][0]["name"], "small-port");
    assert_eq!(
        json["manifest"]["scenarios"][0]["sha256"]
            .as_str()
            .map(str::len),
        Some(64)
    );
    assert!(json["summary"].as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn outputs_are_byte_identical_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("t{threads}"));
        portsim()
            .args([
                "run",
                "liaoning-2020",
                "--reps",
                "4",
                "--seed",
                "7",
                "--quiet",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        outputs.push(out);
    }
    let charts = files_in(&outputs[0].join("charts"));
    assert!(!charts.is_empty());
    let files = [
        "kpis.csv",
        "summary.csv",
        "summary.json",
        "targets.csv",
        "report.html",
    ]
    .map(String::from)
    .into_iter()
    .chain(charts.iter().map(|c| format!("charts/{c}")));
    for f in files {
        let a = std::fs::read(outputs[0].join(&f)).expect("output");
        let b = std::fs::read(outputs[1].join(&f)).expect("output");
        assert!(a == b, "{f} differs between --threads 1 and --threads 2");
    }
}

#[test]
fn a_different_seed_gives_different_results() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = |seed: &str| {
        let out = tmp.path().join(seed);
        portsim()
            .args(["run", "mm1-rho50", "--reps", "2", "--seed", seed, "--out"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out.join("kpis.csv")).expect("kpis")
    };
    assert_ne!(run("1"), run("2"));
}

#[test]
fn every_builtin_scenario_is_valid_and_matches_its_file() {
    // Each built-in is also a file under `scenarios/` (the plan scenarios at the top, the
    // validation models in `validation/`): `portsim show` prints that file byte for byte, and
    // every scenario file there is a built-in.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<std::path::PathBuf> = ["", "validation"]
        .iter()
        .flat_map(|dir| {
            let dir = root.join(dir);
            files_in(&dir)
                .into_iter()
                .filter(|f| f.ends_with(".toml"))
                .map(move |f| dir.join(f))
        })
        .collect();
    files.sort();
    let names: Vec<&str> = portsim::scenario::builtin::ALL
        .iter()
        .map(|b| b.name)
        .collect();
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for stem in &stems {
        assert!(
            names.contains(&stem.as_str()),
            "scenarios/…/{stem}.toml is no built-in"
        );
    }
    for b in portsim::scenario::builtin::ALL {
        portsim().args(["check", b.name]).assert().success();
        let shown = portsim().args(["show", b.name]).assert().success();
        let file = files
            .iter()
            .zip(&stems)
            .find(|(_, stem)| *stem == b.name)
            .unwrap_or_else(|| panic!("no file scenarios/…/{}.toml", b.name))
            .0;
        let text = std::fs::read_to_string(file).expect("scenario file");
        assert!(
            shown.get_output().stdout == text.as_bytes(),
            "`portsim show {}` differs from {}",
            b.name,
            file.display()
        );
    }
    let listed = portsim().arg("scenarios").assert().success();
    let text = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    for b in portsim::scenario::builtin::ALL {
        assert!(
            text.contains(b.name),
            "`portsim scenarios` lists {}",
            b.name
        );
    }
}

#[test]
fn a_folder_named_like_a_builtin_does_not_hide_it() {
    // After `portsim run`, `out/liaoning-2020/` holds results; from `out/`, the name must still
    // reach the built-in — and so must the `extends = "liaoning-2020"` of the built-in plans
    // and a sweep's `scenario = "liaoning-2020"`.
    let tmp = tempfile::tempdir().expect("temp dir");
    let here = tmp.path();
    std::fs::create_dir(here.join("liaoning-2020")).expect("results folder");
    for name in [
        "liaoning-2020",
        "plan-2030-independent",
        "builtin:liaoning-2020",
    ] {
        portsim()
            .current_dir(here)
            .args(["check", name])
            .assert()
            .success();
    }
    std::fs::write(
        here.join("sweep.toml"),
        "name = \"s\"\nscenario = \"liaoning-2020\"\nreplications = 1\nyears = [2020]\n\n\
         [[parameters]]\npath = \"demand_multiplier\"\nvalues = [1.0]\n",
    )
    .expect("sweep file");
    let sweep = portsim::experiment::load_sweep(&here.join("sweep.toml").to_string_lossy())
        .expect("the sweep's base is the built-in");
    assert_eq!(sweep.points.len(), 1);

    // A file of that name is read as the file (the documented rule); `builtin:` still reaches
    // the built-in, and a built-in's own base never comes from the user's folder.
    std::fs::remove_dir(here.join("liaoning-2020")).expect("remove folder");
    std::fs::write(here.join("liaoning-2020"), "not = [toml").expect("junk file");
    let err = portsim()
        .current_dir(here)
        .args(["check", "liaoning-2020"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    assert!(stderr.contains("liaoning-2020:1:"), "{stderr}");
    for name in ["builtin:liaoning-2020", "plan-2030-independent"] {
        portsim()
            .current_dir(here)
            .args(["check", name])
            .assert()
            .success();
    }
    let err = portsim()
        .args(["check", "builtin:liaoning-2002"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    assert!(
        stderr
            .contains("no built-in scenario named `liaoning-2002`; did you mean `liaoning-2020`?"),
        "{stderr}"
    );
}

/// `capacity` into a log (stderr not a terminal) says it is alive: its search does not know how
/// many demand multiples it will run, so a line per ten; nothing with `--quiet`.
#[test]
fn capacity_reports_progress_into_a_log() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let args = |out: &str| {
        [
            "capacity",
            "mm1-rho50",
            "--reps",
            "2",
            "--steps",
            "6",
            "--criterion",
            "wait_ratio<=1",
            "--no-charts",
            "--out",
        ]
        .map(String::from)
        .into_iter()
        .chain([tmp.path().join(out).to_string_lossy().into_owned()])
        .collect::<Vec<_>>()
    };
    let a = portsim().args(args("loud")).assert().success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr
            .lines()
            .any(|l| l == "capacity: 10 demand multiples run"),
        "{stderr}"
    );
    let a = portsim()
        .args(args("quiet"))
        .arg("--quiet")
        .assert()
        .success();
    assert!(a.get_output().stderr.is_empty());
}

/// A shard named twice in `merge` is said to be named twice (it read as a missing shard), and
/// nothing is written; a terminal misspelt for `capacity` gets the nearest name.
#[test]
fn merge_names_a_shard_given_twice_and_capacity_the_nearest_terminal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let sweep = tmp.path().join("s.toml");
    std::fs::write(
        &sweep,
        "name = \"small\"\nscenario = \"mm1-rho50\"\nreplications = 2\nseed = 1\nyears = [2020]\n[[parameters]]\npath = \"demand_multiplier\"\nvalues = [0.5, 1.0]\n",
    )
    .expect("write");
    let shard = tmp.path().join("s1");
    portsim()
        .arg("sweep")
        .arg(&sweep)
        .args(["--shard", "1/2", "--quiet", "--no-charts", "--out"])
        .arg(&shard)
        .assert()
        .success();
    let merged = tmp.path().join("m");
    let a = portsim()
        .arg("merge")
        .arg(&shard)
        .arg(tmp.path().join(".").join("s1"))
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.contains("is given twice"), "{stderr}");
    assert!(!merged.exists(), "nothing written");
    let a = portsim()
        .args([
            "capacity",
            "liaoning-2020",
            "--terminal",
            "Dalian/Dalian LGN",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains("did you mean `Dalian/Dalian LNG`?"),
        "{stderr}"
    );
}

/// `check` of one file that is not there says so once, with exit code 2 (it once added "the
/// scenario is invalid" after the message naming the missing file).
#[test]
fn check_of_one_missing_file_says_so_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let missing = tmp.path().join("no-such.toml");
    let out = portsim()
        .arg("check")
        .arg(&missing)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("no-such.toml"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_reader_that_goes_away_does_not_stop_the_run() {
    // `portsim run … | head -1`, and `… 2>&1 | head -1` with its progress lines: the pipes close
    // before anything is written to them; the run still writes every file and exits 0.
    for closed_stderr in [false, true] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("out");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("portsim"))
            .args([
                "run",
                "mm1-rho50",
                "--reps",
                "4",
                "--threads",
                "1",
                "--no-charts",
            ])
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("portsim starts");
        // The read ends closed at once: every write to them meets a broken pipe.
        drop(child.stdout.take());
        if closed_stderr {
            drop(child.stderr.take());
        }
        let done = child.wait_with_output().expect("portsim ends");
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert!(
            done.status.success(),
            "stderr closed: {closed_stderr}; {:?}: {stderr}",
            done.status
        );
        // Progress lines (stderr is not a terminal), but no error about standard output.
        assert!(!stderr.contains("error"), "{stderr}");
        for file in ["kpis.csv", "summary.csv", "summary.json", "targets.csv"] {
            assert!(
                out.join(file).is_file(),
                "{file} missing: {:?}",
                files_in(&out)
            );
        }
    }
}
