//! "What this shows", the report's opening sentences: every figure they quote equals the
//! figure in the file it names (row, column and rounding), for a comparison, a projects run
//! and a Latin-hypercube sweep; a comparison's findings name every goal missed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::portsim;

/// One `<span class="fig">` of the findings: its attributes and its text.
#[derive(Debug)]
struct Fig {
    attrs: BTreeMap<String, String>,
    shown: String,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The findings section of a report.
fn findings_html(dir: &Path) -> String {
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    let start = html
        .find("<section id=\"findings\">")
        .expect("a findings section");
    let end = start + html[start..].find("</section>").expect("its end");
    html[start..end].to_string()
}

/// Every quoted figure of a findings section.
fn figures(section: &str) -> Vec<Fig> {
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(i) = rest.find("<span class=\"fig\"") {
        rest = &rest[i..];
        let close = rest.find('>').expect("tag end");
        let tag = &rest[..close];
        let mut attrs = BTreeMap::new();
        for part in tag.split("\" ") {
            if let Some((k, v)) = part.split_once("=\"") {
                let k = k.rsplit(' ').next().unwrap_or(k);
                attrs.insert(k.to_string(), unescape(v.trim_end_matches('"')));
            }
        }
        let text_end = rest.find("</span>").expect("span end");
        out.push(Fig {
            attrs,
            shown: unescape(&rest[close + 1..text_end]),
        });
        rest = &rest[text_end..];
    }
    out
}

/// The value of `column` in the row of a CSV file whose key columns match.
fn csv_value(dir: &Path, file: &str, key: &[(String, String)], column: &str) -> f64 {
    let mut r = csv::Reader::from_path(dir.join(file)).expect(file);
    let headers = r.headers().expect("headers").clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{file} has no column {name}"))
    };
    let rows: Vec<csv::StringRecord> = r
        .records()
        .map(|x| x.expect("row"))
        .filter(|row| key.iter().all(|(k, v)| &row[at(k)] == v))
        .collect();
    assert_eq!(rows.len(), 1, "{file}: exactly one row for {key:?}");
    rows[0][at(column)]
        .parse()
        .unwrap_or_else(|e| panic!("{file} {column}: {e}"))
}

/// A scenario setting (`planning.wait_ratio_max.crude_oil`) from the TOML in summary.json.
fn setting_value(dir: &Path, scenario: &str, path: &str) -> f64 {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("json"))
            .expect("parse");
    let m = &json["manifest"];
    let all: Vec<&serde_json::Value> = match m.get("scenarios") {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        _ => vec![&m["scenario"]],
    };
    let s = all
        .into_iter()
        .find(|s| s["name"] == scenario)
        .expect("the scenario");
    let table: toml::Table = s["toml"].as_str().expect("toml").parse().expect("parse");
    let mut v = toml::Value::Table(table);
    for k in path.split('.') {
        v = v.get(k).unwrap_or_else(|| panic!("no {path}")).clone();
    }
    v.as_float()
        .or(v.as_integer().map(|i| i as f64))
        .expect("a number")
}

/// Checks every figure of a report's findings against its file; returns how many there are.
fn check_every_figure(dir: &Path) -> usize {
    let figs = figures(&findings_html(dir));
    for f in &figs {
        let a = |k: &str| {
            f.attrs
                .get(k)
                .unwrap_or_else(|| panic!("{k} in {f:?}"))
                .clone()
        };
        let key: Vec<(String, String)> = a("data-row")
            .split(';')
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("k=v");
                (k.to_string(), v.to_string())
            })
            .collect();
        let file = a("data-file");
        let column = a("data-column");
        let value: f64 = a("data-value").parse().expect("value");
        let in_file = if file == "summary.json" {
            setting_value(dir, &key[0].1, &column)
        } else {
            csv_value(dir, &file, &key, &column)
        };
        assert_eq!(value, in_file, "{f:?} against {file}");
        // The figure as shown is the value scaled and rounded to its digits.
        let scale: f64 = a("data-scale").parse().expect("scale");
        let digits: i32 = a("data-digits").parse().expect("digits");
        let number: String = f
            .shown
            .chars()
            .skip_while(|c| *c == '+')
            .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '.')
            .collect();
        let shown: f64 = number.parse().unwrap_or_else(|_| panic!("a number: {f:?}"));
        let half = 0.5 * 10f64.powi(-digits) * (1.0 + 1e-9);
        assert!(
            (shown - value / scale).abs() <= half,
            "{} shown for {} / {scale}: {f:?}",
            f.shown,
            value
        );
    }
    figs.len()
}

fn run(args: &[&str], out: &Path) {
    portsim()
        .args(args)
        .args(["--quiet", "--out", out.to_str().expect("utf-8")])
        .assert()
        .success();
}

#[test]
fn a_comparisons_findings_quote_its_files_and_name_every_goal_missed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("cmp");
    run(
        &[
            "compare",
            "plan-2030-independent",
            "plan-2030-integrated-projects",
            "--reps",
            "2",
            "--years",
            "2025,2030",
        ],
        &out,
    );
    assert!(check_every_figure(&out) >= 20);
    let section = findings_html(&out);
    let targets = std::fs::read_to_string(out.join("targets.csv")).expect("targets");
    let missed = targets.lines().filter(|l| l.contains(",no,")).count();
    assert!(missed > 0, "the plan misses some goals in 2025");
    assert_eq!(
        section.matches("<li class=\"goal-missed\">").count(),
        missed,
        "a sentence per goal missed"
    );
    assert!(section.contains("<li class=\"effect\">"));
    assert!(section.contains("<li class=\"congestion\">"));
    assert!(section.contains("What binds there:"));
    assert!(section.contains("<h2>What this shows</h2>"));
    // Each scenario's sentences link to its own charts.
    for s in ["plan-2030-independent", "plan-2030-integrated-projects"] {
        assert!(
            section.contains(&format!("href=\"#waiting-by-cause-{s}\"")),
            "{s}'s waiting causes"
        );
        assert!(
            section.contains(&format!("href=\"#yard-year-{s}\"")),
            "{s}'s fullest yard"
        );
    }
    // The findings come first: before any table or chart.
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    let findings_at = html.find("What this shows").expect("findings");
    assert!(findings_at < html.find("<table").expect("a table"));
    assert!(findings_at < html.find("<figure").expect("a chart"));
}

#[test]
fn a_projects_runs_findings_say_when_each_project_is_needed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, crate::projects::scenario(0.1)).expect("write");
    let out = tmp.path().join("out");
    run(
        &[
            "projects",
            file.to_str().expect("utf-8"),
            "--years",
            "2021-2024",
            "--reps",
            "3",
        ],
        &out,
    );
    assert!(check_every_figure(&out) >= 2);
    let section = findings_html(&out);
    assert_eq!(
        section.matches("<li class=\"project\">").count(),
        2,
        "a sentence per project: {section}"
    );
    // A net present value comes with its interval (each end quoted from projects.csv).
    assert!(
        section.contains("data-column=\"npv_ci95_low_cny\"")
            && section.contains("data-column=\"npv_ci95_high_cny\""),
        "{section}"
    );
    // The berth, whose saving covers its capital's annual cost from its first year, is worth
    // having from a year quoted from projects.csv; the project without costs says nothing.
    assert!(
        section.contains("worth having from <span")
            && section.contains("data-column=\"best_year\""),
        "{section}"
    );
    assert!(!section.contains("from no year studied"), "{section}");
}

#[test]
fn a_sweeps_findings_name_its_most_influential_parameter() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("lhs.toml");
    std::fs::write(&file, crate::sweep_merge::LHS).expect("write");
    let out = tmp.path().join("out");
    run(&["sweep", file.to_str().expect("utf-8")], &out);
    assert!(check_every_figure(&out) >= 2);
    let section = findings_html(&out);
    // Waiting in M/M/1 depends on the arrival rate, not on a berth rate the model ignores.
    assert!(
        section.contains("depends most on demand_multiplier"),
        "{section}"
    );
    // The page goes by the sweep's own name, then the scenario it varies.
    let page = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(
        page.contains("<h1>portsim sweep lhs: mm1-rho50</h1>"),
        "{}",
        &page[..page.find("</h1>").unwrap_or(0)]
    );
}

#[test]
fn one_replication_judges_no_difference() {
    // With one pair a difference has a zero-width "interval": it must not pass for an effect.
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("cmp");
    run(&["compare", "mm2-rho70", "mm4-rho80", "--reps", "1"], &out);
    let section = findings_html(&out);
    assert!(section.contains("With one replication"), "{section}");
    assert!(!section.contains("changes by"), "{section}");
    check_every_figure(&out);
}

/// M/M/1 with three goals, for a sweep over its arrival rate (ρ = 0.5 and 0.8).
const GOALS_SCENARIO: &str = r#"extends = "mm1-rho50"
name = "mm1-goals"

[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "wait_ratio"
bound = "at_most"
value = 2.0
source = "M/M/1 waits 1 service at rho = 0.5 and 4 at rho = 0.8"

[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 5.7e6
source = "1000 t a call: 4.38 Mt a year at rho = 0.5, 7.0 Mt at rho = 0.8"

[[targets]]
year = 2020
port = "ALL"
cargo = "ALL"
metric = "throughput_t"
bound = "at_least"
value = 1.0e6
source = "met at any rate swept"
"#;

/// The sweep: the arrival rate × a berth rate the validation model does not use, labelled.
const GOALS_SWEEP: &str = r#"scenario = "s.toml"
replications = 2
seed = 11

[[parameters]]
path = "demand_multiplier"
values = [1.0, 1.6]

[[parameters]]
path = "ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h"
values = [500, 2000]
labels = ["slow", "fast"]
"#;

#[test]
fn a_sweeps_findings_say_where_each_goal_is_met() {
    // Waiting at rho = 0.8 is 4.2 services a replication, sd 0.58 (40 replications measured):
    // the mean of two falls under the limit of 2 at 5 sd, a false alarm below 1e-6; the yearly
    // tonnages are 20 sd from theirs. So for any seed, the waiting goal is met exactly at the
    // low rate and the throughput goal exactly at the high one, whatever the unused berth rate.
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("s.toml"), GOALS_SCENARIO).expect("write");
    let seed = crate::util::test_seed(11);
    let sweep = GOALS_SWEEP.replace("seed = 11", &format!("seed = {seed}"));
    let file = tmp.path().join("goals.toml");
    std::fs::write(&file, sweep).expect("write");
    let out = tmp.path().join("out");
    let done = portsim()
        .args(["sweep", file.to_str().expect("utf-8"), "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    // The files named are the files written, targets.csv among them.
    let said = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(
        said.contains("(kpis.parquet, targets.csv, summary.json, sensitivity.csv)"),
        "{said}"
    );
    assert!(check_every_figure(&out) >= 5);
    let section = findings_html(&out);
    let text = unescape(&section);
    assert!(
        text.contains("Across the 4 points, 1 of 3 goals is met at every point, 0 at none and 2 depend on the point. No point meets every goal."),
        "{text}"
    );
    assert!(
        text.contains("wait / service against a goal of at most ")
            && text.contains(" — met at 2 of 4 points, exactly where demand_multiplier ≤ 1; "),
        "{text}"
    );
    assert!(
        text.contains(" — met at 2 of 4 points, exactly where demand_multiplier ≥ 1.6; "),
        "{text}"
    );
    assert_eq!(
        section.matches("<li class=\"point-goal-missed\">").count(),
        2
    );
    // The table of goals at each point, and the points by their labels (values on hover).
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    assert!(
        html.contains("<details id=\"sweep-goals\">"),
        "the goals table"
    );
    assert!(html.contains("Goals at the sweep's points (3 goals, 4 points)"));
    assert_eq!(html.matches("<td class=\"num met\"").count(), 2 + 2 + 4);
    assert_eq!(html.matches("<td class=\"num missed\"").count(), 2 + 2);
    assert!(
        html.contains("<td class=\"mono num\" title=\"2000\">fast</td>"),
        "labels"
    );
    // The chart of the points names them by their labels too.
    let svg = std::fs::read_to_string(out.join("charts/sweep-points.svg")).expect("chart");
    assert!(
        crate::util::svg_texts(&svg)
            .iter()
            .any(|t| t.contains("fast")),
        "the chart's rows"
    );
    // The result files keep the values.
    let targets = std::fs::read_to_string(out.join("targets.csv")).expect("targets");
    assert!(
        targets
            .lines()
            .nth(1)
            .expect("a row")
            .starts_with("0,1,500,"),
        "{targets}"
    );
}

/// Runs a sweep of `sweep` (on GOALS_SCENARIO, as `s.toml`) and returns its findings as text.
fn sweep_findings(sweep: &str) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("s.toml"), GOALS_SCENARIO).expect("write");
    let file = tmp.path().join("sweep.toml");
    let seed = crate::util::test_seed(4);
    std::fs::write(
        &file,
        format!("scenario = \"s.toml\"\nreplications = 2\nseed = {seed}\n{sweep}"),
    )
    .expect("write");
    let out = tmp.path().join("out");
    run(&["sweep", file.to_str().expect("utf-8")], &out);
    check_every_figure(&out);
    let text = findings_html(&out);
    let mut plain = String::new();
    let mut inside = false;
    for c in unescape(&text).chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => plain.push(c),
            _ => {}
        }
    }
    plain
}

#[test]
fn a_point_where_a_goal_is_not_judged_does_not_meet_it() {
    // At 1e-9 calls an hour a replication of 395 days sees a ship with probability 1e-5: no
    // waiting is reported there, so the waiting goal is judged at one point of two.
    let text =
        sweep_findings("[[parameters]]\npath = \"flows[0].calls_per_h\"\nvalues = [1e-9, 0.5]\n");
    assert!(
        text.contains("Across the 2 points, 0 of 3 goals are met at every point, 1 at none and 2 depend on the point."),
        "{text}"
    );
    assert!(
        text.contains("wait / service against a goal of at most 2.000 — met at 1 of 2 points (judged at 1 of them: the others report no such value), exactly where flows[0].calls_per_h ≥ 0.5;"),
        "{text}"
    );
}

#[test]
fn a_swept_bound_is_one_goal_and_labels_are_names_not_numbers() {
    // The waiting limit itself swept (2 and 100 services), with the arrival rate; a berth rate
    // the model ignores is labelled with number-like names, which must not be read as numbers.
    let text = sweep_findings(
        "[[parameters]]\npath = \"demand_multiplier\"\nvalues = [1.0, 1.6]\n\
         [[parameters]]\npath = \"targets[0].value\"\nvalues = [2.0, 100.0]\n\
         [[parameters]]\npath = \"ports[0].areas[0].terminals[0].berths[0].rate_t_per_h\"\nvalues = [500, 1000, 2000]\nlabels = [\"1\", \"1.0\", \"2\"]\n",
    );
    assert!(
        text.contains("Across the 12 points, 1 of 3 goals is met at every point, 0 at none and 2 depend on the point."),
        "{text}"
    );
    assert!(
        text.contains("wait / service against a goal of at most 2.000 to 100.000 — met at 9 of 12 points, everywhere except where demand_multiplier ≥ 1.6 and targets[0].value ≤ 2;"),
        "{text}"
    );
    assert!(
        text.contains("rate_t_per_h = 1.0)"),
        "points named by their labels: {text}"
    );
    assert!(
        !text.contains("rate_t_per_h ≤") && !text.contains("rate_t_per_h ≥"),
        "{text}"
    );
}

#[test]
fn many_points_meeting_every_goal_are_named_by_the_settings_that_decide_them() {
    // 24 points: the waiting limit holds where rho <= 0.5 (4.2 services at rho = 0.8, 5 sd
    // over the limit of 2), the tonnage floor of 5.7 Mt only at rho = 0.8 (7.0 Mt against
    // 4.4 Mt at rho = 0.5, each 20 sd from it): every goal holds at the 9 points with a low
    // rate and the floor at 2 Mt, whatever the unused berth rate.
    let text = sweep_findings(
        "[[parameters]]\npath = \"demand_multiplier\"\nvalues = [0.6, 0.8, 1.0, 1.6]\n\
         [[parameters]]\npath = \"targets[1].value\"\nvalues = [2e6, 5.7e6]\n\
         [[parameters]]\npath = \"ports[0].areas[0].terminals[0].berths[0].rate_t_per_h\"\nvalues = [500, 1000, 2000]\n",
    );
    assert!(
        text.contains("Every goal is met at 9 of the points, exactly where demand_multiplier ≤ 1 and targets[1].value ≤ 2000000."),
        "{text}"
    );
    assert!(
        text.contains("met at 15 of 24 points, everywhere except where demand_multiplier ≤ 1 and targets[1].value ≥ 5700000;"),
        "{text}"
    );
}

#[test]
fn a_swept_kind_of_bound_stays_one_goal_and_long_values_name_no_setting() {
    // The waiting goal's kind swept (at most, at least 2 services): one goal whose bound the
    // sweep varies, not two goals judged at half the points each.
    let text = sweep_findings(
        "[[parameters]]\npath = \"demand_multiplier\"\nvalues = [1.0, 1.6]\n\
         [[parameters]]\npath = \"targets[0].bound\"\nvalues = [\"at_most\", \"at_least\"]\n",
    );
    assert!(text.contains("Across the 4 points, "), "{text}");
    assert!(text.contains(" of 3 goals "), "{text}");
    assert!(
        text.contains("against a goal of a kind the sweep varies"),
        "{text}"
    );
    // Service times swept as whole tables (rho 0.5 and 0.8): the waiting goal is decided by
    // them, but a table is no name for a setting.
    let text = sweep_findings(
        "[[parameters]]\npath = \"flows[0].service_h\"\nvalues = [{ dist = \"exponential\", mean = 1.0 }, { dist = \"exponential\", mean = 1.6 }]\n",
    );
    assert!(
        text.contains(
            "wait / service against a goal of at most 2.000 — met at 1 of 2 points: at point 0;"
        ),
        "{text}"
    );
    assert!(!text.contains("exactly where flows[0].service_h"), "{text}");
}

#[test]
fn a_figure_goal_missed_says_from_which_side() {
    // M/M/1 at rho = 0.5 handles 4.38 Mt a year (a Poisson count of ≈ 4,400 calls: sd ≈
    // 0.07 Mt): a figure of 1 Mt ± 5 % is missed from above and one of 20 Mt ± 5 % from
    // below, for any seed (both bands are over 40 sd away).
    let goal = |value: &str| {
        format!(
            "\n[[targets]]\nyear = 2020\nport = \"ALL\"\ncargo = \"ALL\"\nmetric = \"throughput_t\"\nbound = \"within\"\ntolerance = 0.05\nvalue = {value}\nsource = \"a figure\"\n"
        )
    };
    let scenario = format!(
        "extends = \"mm1-rho50\"\nname = \"mm1-figures\"\n{}{}",
        goal("1.0e6"),
        goal("2.0e7")
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, scenario).expect("write");
    let out = tmp.path().join("out");
    let seed = crate::util::test_seed(5).to_string();
    run(
        &[
            "run",
            file.to_str().expect("utf-8"),
            "--reps",
            "2",
            "--seed",
            &seed,
        ],
        &out,
    );
    check_every_figure(&out);
    let text = unescape(&findings_html(&out));
    assert!(text.contains("0 of 2 goals met; missed:"), "{text}");
    assert!(text.contains(" ± 5 %, above its band"), "{text}");
    assert!(text.contains(" ± 5 %, below its band"), "{text}");
    // One goal is one goal.
    let one = format!(
        "extends = \"mm1-rho50\"\nname = \"mm1-figure\"\n{}",
        goal("1.0e6")
    );
    std::fs::write(&file, one).expect("write");
    let out = tmp.path().join("one");
    run(&["run", file.to_str().expect("utf-8"), "--reps", "2"], &out);
    let text = unescape(&findings_html(&out));
    assert!(text.contains("0 of 1 goal met; missed:"), "{text}");
}

#[test]
fn a_hypercube_s_goal_sentence_names_the_parameter_it_leans_on() {
    // 20 samples of M/M/1's demand multiple over [0.6, 1.8] (ρ 0.3–0.9) and of a berth rate
    // the validation model ignores. The waiting goal (wait/service ≤ 2) holds where
    // ρ/(1 − ρ) ≤ 2, ρ ≤ 2/3: a demand multiple under 1.33. The median splits the sample at
    // ≈ 1.2, so the lower half meets it (its waits at ρ ≤ 0.6 are ≤ 1.5 services, 4 sd and
    // more under the limit for two replications) and only the 2–3 upper-half points under
    // 1.33 do: demand_multiplier's halves differ by 70–80 points. The berth rate has no
    // effect; its halves differ only as a random split of the points does, and to be named
    // instead it would have to differ by more (a hypergeometric tail: ≈ 0.003 for each of the
    // two goals met at some points, so a false-alarm rate of ≈ 0.006; seeds 1–40 pass).
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("s.toml"), GOALS_SCENARIO).expect("write");
    let seed = crate::util::test_seed(13);
    let sweep = format!(
        "scenario = \"s.toml\"\nreplications = 2\nseed = {seed}\ndesign = \"lhs\"\nsamples = 20\n\n[[parameters]]\npath = \"demand_multiplier\"\nrange = [0.6, 1.8]\n\n[[parameters]]\npath = \"ports[name=Validation].areas[name=open-water].terminals[name=servers].berths[name=server].rate_t_per_h\"\nrange = [500, 2000]\n"
    );
    let file = tmp.path().join("lhs-goals.toml");
    std::fs::write(&file, sweep).expect("write");
    let out = tmp.path().join("out");
    run(&["sweep", file.to_str().expect("utf-8")], &out);
    let text = unescape(&findings_html(&out));
    assert!(
        text.contains("% of the points in the lower half of demand_multiplier (< 1.2")
            && text.contains(") meet it, "),
        "{text}"
    );
    assert!(!text.contains("half of ports["), "{text}");
    check_every_figure(&out);
}
