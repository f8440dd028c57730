//! Extreme values and impossible runs: every number has a physical range, checked with its
//! place in the file; a run too large to finish is refused before it starts (or stopped); a
//! scenario that `check` accepts never ends in an internal error.

use portsim::scenario::builtin;
use portsim::sim::{SimError, SimOptions, estimate, simulate};

use crate::util::{files_in, load, portsim};

/// Line and column (from 1) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// `text` with the first occurrence of `from` (after `anchor`) replaced by `to`, and the
/// line:column where `to` now starts.
fn mutate(text: &str, anchor: &str, from: &str, to: &str) -> (String, String) {
    let a = text.find(anchor).unwrap_or_else(|| panic!("no `{anchor}`"));
    let at = a + text[a..]
        .find(from)
        .unwrap_or_else(|| panic!("no `{from}`"));
    let out = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
    let (l, c) = line_col(&out, at);
    (out, format!("{l}:{c}"))
}

/// `portsim check FILE` and `portsim run FILE` both exit 2 with `file:line:col: message`
/// and write nothing.
fn refused(text: &str, place: &str, message: &str) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("mutated.toml");
    std::fs::write(&file, text).expect("write");
    let expected = format!("{}:{place}: {message}", file.display());
    for run in [false, true] {
        let out = tmp.path().join("out");
        let mut cmd = portsim();
        if run {
            cmd.args(["run", "--reps", "1", "--quiet", "--out"])
                .arg(&out);
        } else {
            cmd.arg("check");
        }
        let a = cmd
            .arg(&file)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            stderr.contains(&expected),
            "expected `{expected}` in:\n{stderr}"
        );
        assert!(files_in(&out).is_empty(), "left {:?}", files_in(&out));
    }
}

#[test]
fn a_tiny_parcel_is_refused_not_run_forever() {
    let text = builtin::get("mm4-rho80").expect("built-in").toml;
    let (t, at) = mutate(
        text,
        "parcel_t",
        "{ dist = \"fixed\", value = 1000 }",
        "{ dist = \"fixed\", value = 1e-308 }",
    );
    refused(
        &t,
        &at,
        "ship_classes[0].parcel_t: expected a mean from 1 to 600000, found a mean of 1e-308",
    );
}

#[test]
fn a_horizon_of_more_than_a_century_is_refused() {
    let text = builtin::get("mm4-rho80").expect("built-in").toml;
    let (t, at) = mutate(text, "measured_days", "365", "1e308");
    refused(
        &t,
        &at,
        "run.measured_days: expected a measured period in days from 1 to 36500, found 1e308",
    );
}

#[test]
fn a_vanishing_handling_rate_is_refused() {
    let text = builtin::get("liaoning-2020").expect("built-in").toml;
    let (t, at) = mutate(
        text,
        "name = \"Dayaowan vehicles\"",
        "rate_t_per_h = 1200",
        "rate_t_per_h = 1e-308",
    );
    let col: usize = at.split(':').nth(1).expect("col").parse().expect("number");
    let at = format!(
        "{}:{}",
        at.split(':').next().expect("line"),
        col + "rate_t_per_h = ".len()
    );
    refused(
        &t,
        &at,
        "ports[0].areas[0].terminals[2].berths[0].rate_t_per_h: expected a handling rate in t/h from 1 to 50000, found 1e-308",
    );
}

#[test]
fn an_endless_service_time_is_refused() {
    let text = builtin::get("mm4-rho80").expect("built-in").toml;
    let (t, at) = mutate(
        text,
        "service_h",
        "{ dist = \"exponential\", mean = 1.0 }",
        "{ dist = \"exponential\", mean = 1e308 }",
    );
    refused(
        &t,
        &at,
        "flows[0].service_h: expected a mean from 0.001 to 8760, found a mean of 1e308",
    );
}

#[test]
fn a_rate_cv_the_gamma_cannot_take_is_refused() {
    let text = builtin::get("liaoning-2020").expect("built-in").toml;
    let (t, at) = mutate(text, "rate_cv", "0.1", "1e-308");
    refused(
        &t,
        &at,
        "ports[0].areas[0].terminals[0].berths[0].rate_cv: expected a coefficient of variation of 0 or from 0.001 to 2, found 1e-308",
    );
}

#[test]
fn a_given_service_time_with_a_yard_leg_is_refused() {
    // A tramp flow with a hinterland leg: its cargo passes through the yard in steps, which a
    // service time given directly cannot say.
    let text = builtin::get("liaoning-2020").expect("built-in").toml;
    let flow = text
        .match_indices("[[flows]]")
        .map(|(i, _)| i)
        .find(|&i| {
            let block = &text[i..text[i + 9..].find("[[").map_or(text.len(), |j| i + 9 + j)];
            block.contains("\nships = ") && block.contains("\nregion = ")
        })
        .expect("a tramp flow with a hinterland leg");
    let index = text[..flow].matches("[[flows]]").count();
    let name_end = flow + text[flow..].find("\nname = ").expect("name") + 1;
    let line_end = name_end + text[name_end..].find('\n').expect("end of line");
    let insert = "\nservice_h = { dist = \"exponential\", mean = 10 }";
    let t = format!("{}{insert}{}", &text[..line_end], &text[line_end..]);
    let (l, c) = line_col(&t, line_end + 1 + "service_h = ".len());
    refused(
        &t,
        &format!("{l}:{c}"),
        &format!("flows[{index}].service_h: `service_h` gives a call's whole time at berth"),
    );
}

/// The estimate a run's size is checked against is close to what it actually takes: within a
/// factor of two either way on the built-in scenarios (it errs high), so the budget refuses
/// only runs that really are large.
#[test]
fn the_size_estimate_is_within_a_factor_of_two_of_the_events_run() {
    for (name, year) in [
        ("liaoning-2020", 2020),
        ("plan-2030-hub-feeder", 2030),
        ("mm4-rho80", 2020),
        ("mm1-rho90", 2020),
    ] {
        let model = load(name);
        let model = portsim::scenario::model_for_year(&model, year).expect("year");
        let r = simulate(&model, year, 0, 1, &SimOptions::default()).expect("run");
        let est = estimate(&model, year);
        let ratio = est.events / r.events as f64;
        eprintln!(
            "{name} {year}: estimate {:.3e} events, {:.0} calls; ran {} events, {} ships ({ratio:.2})",
            est.events, est.calls, r.events, r.ships
        );
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{name}: estimate / events = {ratio}"
        );
        let calls = est.calls / r.ships as f64;
        assert!(
            (0.9..=1.1).contains(&calls),
            "{name}: estimated / actual calls = {calls}"
        );
    }
}

#[test]
fn a_run_over_the_event_budget_is_refused_before_it_starts() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let a = portsim()
        .args([
            "run",
            "mm4-rho80",
            "--reps",
            "1",
            "--quiet",
            "--max-events",
            "10000",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains("scenario `mm4-rho80`, design year 2020: one run would take about")
            && stderr.contains("more than the budget of 10000 events per run")
            && stderr.contains("--max-events 100000"),
        "{stderr}"
    );
    assert!(files_in(&out).is_empty());
    // The same run within a raised budget goes ahead.
    portsim()
        .args(["run", "mm4-rho80", "--reps", "1", "--quiet", "--no-charts"])
        .args(["--max-events", "100000"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn a_run_that_outgrows_its_budget_is_stopped() {
    let model = load("mm4-rho80");
    let options = SimOptions {
        max_events: Some(10_000),
        ..SimOptions::default()
    };
    let e = simulate(&model, 2020, 0, 1, &options).expect_err("stopped");
    assert_eq!(
        e,
        SimError::EventBudget {
            year: 2020,
            replication: 0,
            max_events: 10_000
        }
    );
    let err = portsim::Error::Sim(e);
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("--max-events"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("latin1.toml");
    std::fs::write(&file, b"name = \"caf\xe9\"\n").expect("write");
    let a = portsim().arg("check").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    let expected = format!(
        "{}:1:12: byte 0xE9 is not UTF-8 text; scenario files are UTF-8 (TOML)",
        file.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}
