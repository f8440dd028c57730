//! Bad input: each a clear message with file:line:column, exit code 2, no panic, and no
//! output files written.

use predicates::prelude::*;

use crate::util::{files_in, fixture, portsim};

/// Runs `portsim run FILE --out DIR` and checks exit 2, the exact first error line, and that
/// nothing was written.
fn rejects(name: &str, expected_first_line: &str) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let file = fixture(&format!("scenarios/bad/{name}.toml"));
    let rel = format!("tests/data/scenarios/bad/{name}.toml");
    let assert = portsim()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", &rel, "--reps", "2", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("panicked").not());
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let first = stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("error: {rel}:{expected_first_line}"),
        "full stderr:\n{stderr}"
    );
    assert!(
        !out.exists(),
        "no output directory may be created: {:?}",
        files_in(&out)
    );
    assert!(file.exists());
}

#[test]
fn malformed_toml() {
    rejects("malformed", "30:19: extra `=`, expected nothing");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    rejects(
        "unknown-key",
        "33:7: ports[0].areas[0].terminals[0].berths[0].rate_t_per_hr: unknown key `rate_t_per_hr`; did you mean `rate_t_per_h`?",
    );
}

#[test]
fn wrong_type() {
    rejects(
        "wrong-type",
        "31:18: ports[0].areas[0].terminals[0].berths[0].length_m: expected a number, found string \"long\"",
    );
}

#[test]
fn negative_rate() {
    rejects(
        "negative-rate",
        "33:22: ports[0].areas[0].terminals[0].berths[0].rate_t_per_h: expected a handling rate in t/h from 1 to 50000, found -1500",
    );
}

#[test]
fn crane_limit_on_a_bulk_ship() {
    rejects(
        "cranes-on-a-bulk-ship",
        "14:14: ship_classes[0].max_cranes: `max_cranes` limits the quay cranes on a container ship; this class carries no containers",
    );
}

#[test]
fn unknown_berth_allocation() {
    rejects(
        "unknown-berth-allocation",
        "26:24: ports[0].areas[0].terminals[0].berth_allocation: expected `smallest_sufficient` or `spread`, found `first_free`",
    );
}

/// A table given as a number: the message says what kind of table, with an example, not the
/// reader's internal type name.
#[test]
fn distribution_given_as_a_number() {
    rejects(
        "dist-as-number",
        "13:12: ship_classes[0].parcel_t: expected a distribution such as { dist = \"gamma\", mean = 8, cv = 0.8 }, found integer `30000`",
    );
}

#[test]
fn zero_rate() {
    rejects(
        "zero-rate",
        "33:22: ports[0].areas[0].terminals[0].berths[0].rate_t_per_h: expected a handling rate in t/h from 1 to 50000, found 0",
    );
}

#[test]
fn unknown_port_in_a_flow() {
    rejects(
        "unknown-port",
        "40:8: flows[0].port: unknown port `Harbor`; did you mean `Harbour`?",
    );
}

#[test]
fn a_ship_that_fits_no_berth() {
    rejects(
        "fits-no-berth",
        "42:20: flows[0].ships[0].class: ship class `handy` (80000 t DWT, 180 m long, 11 m draft) fits no berth at Harbour that handles coal and whose channel it can pass at high water",
    );
}

#[test]
fn empty_scenario() {
    rejects(
        "empty",
        "1:1: ports: the scenario defines no ports; expected at least one `[[ports]]` table with areas, terminals and berths",
    );
}

#[test]
fn missing_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    portsim()
        .args(["run", "no/such/scenario.toml", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: no/such/scenario.toml: no such file, and no built-in scenario of that name",
        ));
    assert!(!out.exists());
}

#[test]
fn check_reports_every_problem_at_once() {
    // Two problems in one file: both are reported, in file order.
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture");
    let bad = src
        .replace("rate_t_per_h = 1500", "rate_t_per_h = -1")
        .replace("port = \"Harbour\"", "port = \"Nowhere\"");
    let path = tmp.path().join("two-problems.toml");
    std::fs::write(&path, bad).expect("write");
    let out = portsim().arg("check").arg(&path).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let rate = stderr
        .find("rate_t_per_h: expected a handling rate")
        .expect("rate error");
    let port = stderr.find("unknown port `Nowhere`").expect("port error");
    assert!(rate < port, "{stderr}");
}

#[test]
fn check_reads_past_wrong_types_and_unknown_keys() {
    // A value of the wrong type and two unknown keys: all three, in file order, each at its
    // own line and column of the user's file.
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture");
    let bad = src
        .replace("length_m = 180\n", "length_m = 180\ncolour = \"red\"\n")
        .replace("mooring_h = 2.0", "mooring_h = \"two\"")
        .replace(
            "direction = \"import\"\n",
            "direction = \"import\"\nvolumme_t = 3\n",
        );
    let path = tmp.path().join("three-problems.toml");
    std::fs::write(&path, bad).expect("write");
    let out = portsim().arg("check").arg(&path).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let at = |s: &str| {
        stderr
            .find(s)
            .unwrap_or_else(|| panic!("no `{s}` in {stderr}"))
    };
    let colour = at("three-problems.toml:12:1: ship_classes[0].colour: unknown key `colour`");
    let mooring = at(
        "three-problems.toml:35:19: ports[0].areas[0].terminals[0].berths[0].mooring_h: expected a number",
    );
    let volume = at("three-problems.toml:41:1: flows[0].volumme_t: unknown key `volumme_t`");
    assert!(colour < mooring && mooring < volume, "{stderr}");
    // Each on a line that starts `error:`, so that grep finds them all.
    let placed = stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("three-problems.toml:"))
        .count();
    assert_eq!(placed, 3, "{stderr}");
}

#[test]
fn bad_arguments_exit_2() {
    portsim()
        .args(["run", "mm1-rho50", "--years", "2019"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "design year 2019 is before the scenario's base year 2020",
        ));
    portsim()
        .args(["run", "mm1-rho50", "--reps", "0"])
        .assert()
        .code(2);
    portsim().args(["show", "no-such"]).assert().code(2);
    portsim()
        .args(["show", "builtin:liaoning-2002"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no built-in scenario `liaoning-2002`; did you mean `liaoning-2020`?",
        ));
    // `builtin:NAME` is the form that reads a built-in wherever it is given.
    let shown = portsim()
        .args(["show", "builtin:mm1-rho50"])
        .assert()
        .success();
    assert_eq!(
        shown.get_output().stdout,
        portsim::scenario::builtin::get("mm1-rho50")
            .expect("built-in")
            .toml
            .as_bytes()
    );
    // A negative count is a refused value, not an unknown flag.
    portsim()
        .args(["run", "mm1-rho50", "--reps", "-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value '-1' for '--reps <REPS>': expected 1 to 100000 replications",
        ));
    // The same words for every command that takes replications.
    for command in [["capacity", "mm1-rho50"], ["projects", "mm1-rho50"]] {
        portsim()
            .args(command)
            .args(["--reps", "-3"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "expected 1 to 100000 replications, found `-3`",
            ));
    }
    // Bisection steps beyond any use (hours of runs for a precision the noise hides).
    for steps in ["0", "21"] {
        portsim()
            .args(["capacity", "mm1-rho50", "--steps", steps])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "expected 1 to 20 bisection steps, found `{steps}`"
            )));
    }
    // capacity's one design year, read as --years reads each: a number too large for a year
    // named as such, and a list refused.
    for (year, expected) in [
        (
            "99999",
            "design year 99999: expected design years up to 2200",
        ),
        ("2020,2025", "expected one design year, found `2020,2025`"),
    ] {
        portsim()
            .args(["capacity", "mm1-rho50", "--year", year])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    // A design year given twice (its summary would count each replication twice), years in
    // a form not understood, replications beyond a scenario file's limit, no event budget.
    let tmp = tempfile::tempdir().expect("temp dir");
    for (args, expected) in [
        (
            &["--years", "2020,2021-2022,2021"][..],
            "design year 2021 is given twice",
        ),
        (
            &["--years", "2020;2021"],
            "expected a list like 2020,2025 or a range like 2021-2035, found `2020;2021`",
        ),
        (
            &["--reps", "100001"],
            "'--reps <REPS>': expected 1 to 100000 replications",
        ),
        (&["--max-events", "0"], "expected a budget of at least 1"),
        (
            &["--seed", "-3"],
            "expected a whole number from 0 to 18446744073709551615 as the master seed, found `-3`",
        ),
        (
            &["--years", "2020-99999"],
            "design year 99999: expected design years up to 2200",
        ),
    ] {
        let out = tmp.path().join("refused");
        portsim()
            .args(["run", "mm1-rho50"])
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
        assert!(!out.exists(), "{args:?} left {}", out.display());
    }
    // Years as a range, with spaces, as `projects` takes them.
    let out = tmp.path().join("range");
    portsim()
        .args(["run", "mm1-rho50", "--reps", "1", "--quiet", "--no-charts"])
        .args(["--years", "2020-2021, 2023", "--out"])
        .arg(&out)
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    for year in [",2020,", ",2021,", ",2023,"] {
        assert!(summary.contains(year), "{year} missing");
    }
    assert!(!summary.contains(",2022,"));
    // An output folder inside a file is refused before anything runs.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").expect("file");
    portsim()
        .args(["run", "mm1-rho50", "--reps", "2", "--out"])
        .arg(file.join("sub"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
}

/// A sweep file given to `run`, or a scenario file to `sweep`, is named for what it is.
#[test]
fn a_file_of_the_other_kind_is_named_for_what_it_is() {
    for (command, file, expected, note) in [
        (
            "run",
            "scenarios/sweeps/baseline-lhs-10000.toml",
            "12:1: scenario: unknown key `scenario`; expected one of `name`,",
            "(if this is a sweep file, run it with `portsim sweep`;",
        ),
        (
            "sweep",
            "scenarios/sweeps/plan-2030-rail-policy.toml",
            "10:1: extends: unknown key `extends`; expected one of `name`,",
            "(a scenario's key: if this is a scenario file, run it with `portsim run`",
        ),
        // The first problems of a whole scenario may come before any port or flow.
        (
            "sweep",
            "scenarios/liaoning-2020.toml",
            "58:1: description: unknown key `description`; expected one of `name`,",
            "(a scenario's key: if this is a scenario file, run it with `portsim run`",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("temp dir");
        portsim()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([command, file, "--out"])
            .arg(tmp.path().join("out"))
            .assert()
            .code(2)
            .stderr(
                predicate::str::starts_with(format!("error: {file}:{expected}"))
                    .and(predicate::str::contains(note)),
            );
    }
    // A sweep's own slips (a description, a `[run]` table) are not taken for a scenario's.
    let tmp = tempfile::tempdir().expect("temp dir");
    let sweep = tmp.path().join("d.toml");
    std::fs::write(
        &sweep,
        "scenario = \"mm1-rho50\"\ndescription = \"x\"\n[run]\nreplications = 2\n[[parameters]]\npath = \"run.measured_days\"\nvalues = [10, 20]\n",
    )
    .expect("write");
    let a = portsim().arg("check").arg(&sweep).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(!stderr.contains("a scenario's key"), "{stderr}");
    assert!(
        stderr.contains(":3:2: run: unknown key `run`; expected one of `name`, `scenario`, `replications`, `seed`, `years`, `design`, `samples`, `parameters` (a sweep file gives `replications`, `seed` and `years` at its top level)"),
        "{stderr}"
    );
}

/// An output folder where nothing can be written is refused before the runs, not after them
/// (`/proc` takes no new files, even from root).
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_output_folder_is_refused_before_anything_runs() {
    for command in [
        &["run", "mm1-rho50", "--reps", "2"][..],
        &["capacity", "mm1-rho50", "--reps", "2", "--steps", "2"],
        &["projects", "mm1-rho50", "--reps", "2"],
        &["merge", "shard-1", "shard-2"],
    ] {
        let a = portsim()
            .args(command)
            .args(["--out", "/proc/portsim-refused/results"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--out /proc/portsim-refused/results cannot be written: nothing can be created in /proc",
            ));
        // Refused at once: no progress of any run was reported.
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert_eq!(stderr.lines().count(), 1, "{command:?}: {stderr}");
    }
}

#[test]
fn corridor_to_an_unknown_port() {
    rejects(
        "corridor-unknown-port",
        "43:8: corridors[0].port: unknown port `Harbor`; did you mean `Harbour`?",
    );
}

#[test]
fn zero_train_capacity() {
    rejects(
        "zero-train-capacity",
        "46:22: corridors[0].train_capacity_teu: expected a train load in TEU from 1 to 2000, found 0",
    );
}

#[test]
fn a_mode_split_that_does_not_sum_to_one() {
    rejects(
        "modes-not-summing",
        "61:9: flows[0].modes: expected mode shares that sum to 1, found 0.9",
    );
}

#[test]
fn a_dwell_distribution_with_a_negative_mean() {
    rejects(
        "negative-dwell",
        "62:36: flows[0].dwell_h.mean: expected a mean > 0, found -72",
    );
}

#[test]
fn a_design_year_given_twice_is_refused() {
    // Run twice, each replication would count twice in the year's summary.
    let text = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml"))
        .expect("fixture")
        .replace(
            "replications = 3\n",
            "replications = 3\nyears = [2020, 2021, 2020]\n",
        );
    crate::util::check_rejects(&text, ":6:9: run.years: design year 2020 is given twice");
}

#[test]
fn a_capacity_refused_is_not_compared_with_the_parcel() {
    // `teu = 0` is refused once; the parcel is not then said to exceed a stand-in capacity
    // ("the ship carries at most 1 teu") the file never gave.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/liaoning-2020.toml"
    ))
    .expect("baseline")
    .replacen("\nteu = 1000\n", "\nteu = 0\n", 1);
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("zero.toml");
    std::fs::write(&file, text).expect("write");
    let a = portsim().arg("check").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains(".teu: expected a capacity in TEU from 1 to 30000, found 0"),
        "{stderr}"
    );
    assert!(!stderr.contains("carries at most"), "{stderr}");
}

#[test]
fn a_value_that_is_no_number_or_below_an_accepted_zero_says_what_is_wanted() {
    use crate::util::check_rejects;
    let text = |name: &str| {
        portsim::scenario::builtin::get(name)
            .expect("built-in")
            .toml
            .to_string()
    };
    // `inf` is > 0; what it is not is a finite number.
    check_rejects(
        &text("mm1-rho50").replace(
            "service_h = { dist = \"exponential\", mean = 1.0 }",
            "service_h = { dist = \"exponential\", mean = inf }",
        ),
        "flows[0].service_h.mean: expected a mean > 0 (a finite number), found inf",
    );
    // A stock's reorder level may be 0: its range says so.
    check_rejects(
        &text("liaoning-2020").replace("stock = { reorder_days = 8,", "stock = { reorder_t = -5,"),
        "stock.reorder_t: expected a reorder level in tonnes of 0 or from 1 to 10000000000, found -5",
    );
}

#[test]
fn a_duplicate_name_names_the_element_that_has_it_and_hints_each_name_once() {
    let text = portsim::scenario::builtin::get("liaoning-2020")
        .expect("built-in")
        .toml
        .replacen("name = \"Yingkou\"", "name = \"Dalian\"", 1);
    crate::util::check_rejects(
        &text,
        ": ports[1].name: duplicate port name `Dalian`: `ports[0]` has it already",
    );
    // Projects likewise.
    let project = "[[project]]\nname = \"p\"\nin_service_year = 2021\n[[project.set]]\npath = \"run.replications\"\nvalue = 3\n";
    crate::util::check_rejects(
        &format!(
            "{}\n{project}{project}",
            portsim::scenario::builtin::get("mm1-rho50")
                .expect("built-in")
                .toml
        ),
        ": project[1].name: duplicate project name `p`: `project[0]` has it already",
    );
    // What named the renamed port now fails, each port offered once.
    crate::util::check_rejects(
        &text,
        "unknown port `Yingkou`; expected one of `Dalian`, `Jinzhou`, `Dandong`, `Panjin`, `Huludao`\n",
    );
}

/// `portsim check`'s first line of error for `body` (after a `[run]` header) as a file that
/// extends `mm1-rho50` and as a whole file, each with its file's path: (file, first line, all).
fn checked_both_ways(body: &str) -> Vec<(String, String, String)> {
    let tmp = tempfile::tempdir().expect("temp dir");
    [("extends", "extends = \"mm1-rho50\"\n"), ("plain", "\n")]
        .into_iter()
        .map(|(name, head)| {
            let file = tmp.path().join(format!("{name}.toml"));
            std::fs::write(&file, format!("{head}name = \"x\"\n[run]\n{body}\n")).expect("write");
            let a = portsim().arg("check").arg(&file).assert().code(2);
            let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            let first = stderr.lines().next().unwrap_or_default().to_string();
            (file.display().to_string(), first, stderr)
        })
        .collect()
}

/// An integer beyond TOML's 64 bits is named as such — in a file that extends another too,
/// where the parse used to stop first at `extends`, reported as an unknown key.
#[test]
fn an_integer_too_large_is_named_even_in_a_file_that_extends_another() {
    for (file, first, stderr) in checked_both_ways("seed = 99999999999999999999999") {
        assert!(
            first.starts_with(&format!("error: {file}:4:8: "))
                && first.ends_with(
                    "expected an integer from -9223372036854775808 to 9223372036854775807, found `99999999999999999999999`"
                ),
            "{stderr}"
        );
    }
}

/// An unknown key is placed at the key — in a file that extends another as in a whole one (it
/// was placed at its value there, the merged text's path located to the value).
#[test]
fn an_unknown_key_is_placed_at_the_key_even_in_a_file_that_extends_another() {
    for (file, first, stderr) in checked_both_ways("warmup_dyas = 30") {
        assert!(
            first.starts_with(&format!("error: {file}:4:1: "))
                && first.contains("unknown key `warmup_dyas`; did you mean `warmup_days`?"),
            "{stderr}"
        );
    }
}

/// A dangling link as the output folder is refused before the runs (it could never be made a
/// folder), not after them.
#[cfg(unix)]
#[test]
fn a_dangling_link_as_the_output_folder_is_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let link = tmp.path().join("dangling");
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).expect("link");
    let a = portsim()
        .args(["run", "mm1-rho50", "--reps", "2", "--out"])
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists and is not a directory"));
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn the_readme_s_limit_example_is_what_check_prints() {
    // The README shows a handling rate out of range in a copy of the baseline (`portsim show
    // liaoning-2020 > mine.toml`): its place must follow the built-in file as it changes.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let shown = readme
        .lines()
        .find(|l| l.starts_with("error: mine.toml:") && l.ends_with("found 1e-308"))
        .expect("the README's limit example");
    let place: Vec<usize> = shown["error: mine.toml:".len()..]
        .split(':')
        .take(2)
        .map(|n| n.parse().expect("line and column"))
        .collect();
    let (line, column) = (place[0], place[1]);
    let out = portsim().args(["show", "liaoning-2020"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 != line {
                return l.to_string();
            }
            let (head, value) = l
                .get(..column - 1)
                .map(|head| (head, &l[head.len()..]))
                .unwrap_or_else(|| {
                    panic!("the README's column {column} is not in line {line}: {l}")
                });
            let end = value.find(char::is_whitespace).unwrap_or(value.len());
            format!("{head}1e-308{}", &value[end..])
        })
        .collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("mine.toml"), edited.join("\n") + "\n").expect("write");
    let out = portsim()
        .current_dir(tmp.path())
        .args(["check", "mine.toml"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().next(), Some(shown), "{stderr}");
}

#[test]
fn check_says_when_more_problems_follow() {
    // 25 unknown keys, not in alphabetical order: the first 20 in the file, each at its line,
    // then a line that says more follow.
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = std::fs::read_to_string(fixture("scenarios/ok/small-port.toml")).expect("fixture");
    let names: Vec<String> = (1..=10)
        .map(|k| format!("zz_{k:02}"))
        .chain((1..=15).map(|k| format!("aa_{k:02}")))
        .collect();
    let extra: String = names.iter().map(|n| format!("{n} = 1\n")).collect();
    let bad = src.replacen("[run]\n", &format!("[run]\n{extra}"), 1);
    assert_ne!(bad, src, "the fixture has a [run] table");
    let path = tmp.path().join("many.toml");
    std::fs::write(&path, bad).expect("write");
    let out = portsim().arg("check").arg(&path).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 21, "{stderr}");
    for (k, name) in names[..20].iter().enumerate() {
        let line = 5 + k;
        assert!(
            errors[k].contains(&format!("many.toml:{line}:1: run.{name}: unknown key")),
            "{k}: {stderr}"
        );
    }
    assert!(
        errors[20].ends_with("many.toml: more problems follow these 20: fix them and check again"),
        "{stderr}"
    );
}

#[test]
fn the_readme_s_whole_scenarios_pass_check() {
    // The README's TOML blocks that are whole scenarios — the annotated example (`name = …`),
    // the M/M/1 in few lines (`[[ship_classes]]` first), a file that `extends` a built-in —
    // must stay valid as the format moves.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let blocks: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|b| {
            b.starts_with("name = \"small-port\"")
                || b.starts_with("[[ship_classes]]")
                || b.starts_with("extends = ")
        })
        .collect();
    assert_eq!(blocks.len(), 3, "the README's whole scenarios moved");
    let tmp = tempfile::tempdir().expect("temp dir");
    for (k, block) in blocks.iter().enumerate() {
        let path = tmp.path().join(format!("readme-{k}.toml"));
        std::fs::write(&path, block).expect("write");
        portsim()
            .arg("check")
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains(": ok ("));
    }
}

#[test]
fn goals_on_rail_and_region_rows_name_what_those_rows_have() {
    // A corridor's rows are for all its cargo and carry trains, slots, loads, waits and shares;
    // a region's are per cargo class and carry mode shares. Goals there are judged (not "not
    // known") when they name what the rows have, and refused with their place otherwise.
    let src =
        std::fs::read_to_string(fixture("scenarios/ok/small-hinterland.toml")).expect("fixture");
    let goals = |rail: (&str, &str), region: (&str, &str)| {
        format!(
            "{src}\n[[targets]]\nyear = 2020\nport = \"Harbour/rail:inland-rail\"\ncargo = \"{}\"\nmetric = \"{}\"\nbound = \"at_least\"\nvalue = 1\nsource = \"test\"\n\n[[targets]]\nyear = 2020\nport = \"Harbour/region:Inland\"\ncargo = \"{}\"\nmetric = \"{}\"\nbound = \"at_most\"\nvalue = 1\nsource = \"test\"\n",
            rail.0, rail.1, region.0, region.1
        )
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let good = tmp.path().join("good.toml");
    std::fs::write(
        &good,
        goals(("ALL", "trains"), ("container", "mode_share_rail")),
    )
    .expect("write");
    let out = tmp.path().join("out");
    portsim()
        .arg("run")
        .arg(&good)
        .args(["--reps", "2", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let targets = std::fs::read_to_string(out.join("targets.csv")).expect("targets.csv");
    let verdicts: Vec<&str> = targets
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(13).expect("verdict column"))
        .collect();
    assert_eq!(verdicts, ["met", "met"], "{targets}");
    // The file's lines, a blank one, `[[targets]]`, `year`, `port`, then `cargo`.
    let rail_cargo = src.lines().count() + 5;
    crate::util::check_rejects(
        &goals(("container", "throughput_teu"), ("ALL", "trains")),
        &format!(
            "bad.toml:{rail_cargo}:9: targets[0].cargo: a rail corridor's rows are for all its cargo: use `ALL`, not `container`"
        ),
    );
    crate::util::check_rejects(
        &goals(("ALL", "throughput_teu"), ("container", "mode_share_rail")),
        "targets[0].metric: `throughput_teu` is not on a rail corridor's rows (they have trains, trains_out",
    );
    // A hub's metric on a corridor with no hub, nor a project to add one, never comes out;
    // one in tonnes on a corridor of containers neither.
    crate::util::check_rejects(
        &goals(("ALL", "hub_out_teu"), ("container", "mode_share_road")),
        "targets[0].metric: `hub_out_teu` is on a rail corridor that serves a hub, and this one serves none",
    );
    crate::util::check_rejects(
        &goals(("ALL", "rail_t"), ("container", "mode_share_road")),
        "targets[0].metric: `rail_t` counts tonnes, and this corridor carries containers (use its `_teu`)",
    );
    // With a project that gives it a hub by the goal's year, the goal stands; before that
    // year it is refused with the project's year and name.
    let with_hub = |year: u32| {
        let text = goals(("ALL", "hub_out_teu"), ("container", "mode_share_road"));
        format!("projects = [\"hub\"]\n{text}")
            .replacen("year = 2020\nport = \"Harbour/rail", &format!("year = {year}\nport = \"Harbour/rail"), 1)
            .replacen(
                "[[corridors]]",
                "[[project]]\nname = \"hub\"\nin_service_year = 2023\n  [[project.set]]\n  path = \"corridors[name=inland-rail].hub_out_per_yr\"\n  value = 500\n\n[[corridors]]",
                1,
            )
    };
    let hub = tmp.path().join("hub.toml");
    std::fs::write(&hub, with_hub(2025)).expect("write");
    portsim().arg("check").arg(&hub).assert().success();
    // Defined but not included: the project is named.
    crate::util::check_rejects(
        &with_hub(2025).replacen("projects = [\"hub\"]\n", "", 1),
        "targets[0].metric: `hub_out_teu` is on a rail corridor that serves a hub, and this one serves none (`hub` would bring it, but `projects` does not include it)",
    );
    crate::util::check_rejects(
        &with_hub(2022),
        "targets[0].metric: `hub_out_teu` is on a rail corridor that serves a hub, and this one serves none in 2022 (from 2023, with `hub`)",
    );
    // A terminal named like a corridor's rows would share their name in the results.
    crate::util::check_rejects(
        &src.replacen("name = \"Boxes\"", "name = \"rail:inland-rail\"", 1),
        "name: a terminal's name may not start with `rail:`",
    );
    crate::util::check_rejects(
        &goals(("ALL", "trains"), ("ALL", "mode_share_rail")),
        "targets[1].cargo: a region's rows are per cargo class: name one, not `ALL`",
    );
    crate::util::check_rejects(
        &goals(("ALL", "trains"), ("container", "trains")),
        "targets[1].metric: `trains` is not on a region's rows (they have mode_share_rail, mode_share_road, mode_share_pipeline); it is on a port's rows for `ALL`, the cluster's rows (`ALL`, `ALL`), a rail corridor's rows",
    );
}

#[test]
fn a_goal_with_no_row_in_the_results_is_named_as_not_known() {
    // A tank's stock-outs for a cargo with no tanks, a day of the daily series at a port with
    // no dated disruption: rows of their kind carry them where the model has what they
    // measure, so `check` lets them pass, and no row comes out. The console says so beside
    // the count, rather than leaving them out of "met" silently.
    let src =
        std::fs::read_to_string(fixture("scenarios/ok/small-hinterland.toml")).expect("fixture");
    let text = format!(
        "{src}\n[[targets]]\nyear = 2020\nport = \"Harbour\"\ncargo = \"container\"\nmetric = \"stockout_h\"\nbound = \"at_most\"\nvalue = 1\nsource = \"test\"\n\n[[targets]]\nyear = 2020\nport = \"Harbour\"\ncargo = \"ALL\"\nmetric = \"ships_waiting_day_100\"\nbound = \"at_most\"\nvalue = 1\nsource = \"test\"\n"
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("goal.toml");
    std::fs::write(&file, text).expect("write");
    portsim()
        .arg("run")
        .arg(&file)
        .args(["--reps", "2", "--quiet", "--no-charts", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "targets: 0 of 2 met\n  not known: small-hinterland 2020 Harbour container stockout_h — no row of the results has `stockout_h`\n  not known: small-hinterland 2020 Harbour ALL ships_waiting_day_100 — no row of the results has `ships_waiting_day_100`\n",
        ));
}

#[test]
fn a_goal_on_a_row_that_never_comes_out_is_refused() {
    // A port's berth occupancy by cargo class, its stock-outs over all cargo, a cargo it never
    // handles, a class of a terminal of one class: each row is of a kind that never carries
    // the metric, or is never written — refused with its place and where the metric is.
    let src =
        std::fs::read_to_string(fixture("scenarios/ok/small-hinterland.toml")).expect("fixture");
    let goal = |port: &str, cargo: &str, metric: &str| {
        format!(
            "{src}\n[[targets]]\nyear = 2020\nport = \"{port}\"\ncargo = \"{cargo}\"\nmetric = \"{metric}\"\nbound = \"at_most\"\nvalue = 1\nsource = \"test\"\n"
        )
    };
    let metric_line = src.lines().count() + 6;
    crate::util::check_rejects(
        &goal("Harbour", "container", "berth_occupancy"),
        &format!(
            "bad.toml:{metric_line}:10: targets[0].metric: `berth_occupancy` is not on a port's rows for one cargo class; it is on a port's rows for `ALL`, the cluster's rows (`ALL`, `ALL`), a terminal's rows for `ALL`"
        ),
    );
    crate::util::check_rejects(
        &goal("Harbour", "ALL", "stockout_h"),
        "targets[0].metric: `stockout_h` is not on a port's rows for `ALL`; it is on a port's rows for one cargo class, a terminal's rows for `ALL`",
    );
    crate::util::check_rejects(
        &goal("ALL", "container", "stockout_h"),
        "targets[0].metric: `stockout_h` is not on the cluster's rows for one cargo class; it is on a port's rows for one cargo class, a terminal's rows for `ALL`",
    );
    crate::util::check_rejects(
        &goal("Harbour", "coal", "throughput_t"),
        "targets[0].cargo: no flow of `coal` is called at Harbour",
    );
    crate::util::check_rejects(
        &goal("Harbour/Boxes", "container", "wait_h_mean"),
        "targets[0].cargo: a terminal of one cargo class has rows for `ALL` only",
    );
    // A misspelt terminal or corridor is suggested by its own name, not its port's.
    crate::util::check_rejects(
        &goal("Harbour/Boxs", "ALL", "throughput_t"),
        "targets[0].port: unknown port `Harbour/Boxs` (a target names a port, `Port/Terminal`, `Port/rail:corridor`, `Port/region:region` or `ALL`); did you mean `Harbour/Boxes`?",
    );
    crate::util::check_rejects(
        &goal("Harbour/rail:inland-rial", "ALL", "trains"),
        "did you mean `Harbour/rail:inland-rail`?",
    );
    crate::util::check_rejects(
        &goal("ALL", "ALL", "rail_wait_h_mean"),
        "targets[0].metric: `rail_wait_h_mean` is not on the cluster's rows (`ALL`, `ALL`); it is on a rail corridor's rows",
    );
}
