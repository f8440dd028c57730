//! The map of the cluster (`charts/map.svg`): the six ports named, the coast drawn, each port's
//! throughput and waiting as `summary.csv` has them, a goal as `targets.csv` has it, a panel
//! per scenario compared, the same bytes when rebuilt, and no map without the Liaoning ports.

use std::path::{Path, PathBuf};

use crate::util::portsim;

/// The six ports as the scenarios name them.
const PORTS: [&str; 6] = [
    "Dalian", "Yingkou", "Jinzhou", "Dandong", "Panjin", "Huludao",
];

/// Runs `portsim ARGS --reps 2 --quiet --out DIR/NAME` and returns that directory.
fn run(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let tail = [
        "--reps",
        "2",
        "--quiet",
        "--out",
        out.to_str().expect("utf-8"),
    ];
    portsim().args(args).args(tail).assert().success();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

use crate::util::svg_texts as texts;

/// How many points the longest `points="…"` list of an element `tag` has.
fn most_points(svg: &str, tag: &str) -> usize {
    svg.split(tag)
        .skip(1)
        .filter_map(|t| {
            let (_, p) = t[..t.find('>')?].split_once("points=\"")?;
            Some(p[..p.find('"')?].split_whitespace().count())
        })
        .max()
        .unwrap_or(0)
}

/// A CSV file's rows as (header → field) maps.
fn rows(p: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let head = r.headers().expect("a header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            head.iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.into(), v.into()))
                .collect()
        })
        .collect()
}

/// The mean of one `summary.csv` row.
fn mean(dir: &Path, port: &str, metric: &str) -> f64 {
    let all = rows(&dir.join("summary.csv"));
    let row = all
        .iter()
        .find(|r| r["port"] == port && r["cargo"] == "ALL" && r["metric"] == metric)
        .unwrap_or_else(|| panic!("no summary row {port}/ALL/{metric}"));
    row["mean"].parse().expect("a number")
}

/// The run's planning limits on waiting by cargo class, from its scenario in `summary.json`.
fn planning_limits(dir: &Path) -> std::collections::HashMap<String, f64> {
    let json: serde_json::Value =
        serde_json::from_str(&read(&dir.join("summary.json"))).expect("json");
    let text = json["manifest"]["scenarios"][0]["toml"]
        .as_str()
        .expect("the scenario's text");
    let table: toml::Table = text.parse().expect("toml");
    let limits = table["planning"]["wait_ratio_max"]
        .as_table()
        .expect("limits");
    limits
        .iter()
        .map(|(k, v)| (k.clone(), v.as_float().expect("a number")))
        .collect()
}

/// Each cargo class's waiting ratio at `port` against its planning limit: (class, ratio,
/// limit), from `summary.csv`.
fn class_ratios(dir: &Path, port: &str) -> Vec<(String, f64, f64)> {
    let limits = planning_limits(dir);
    rows(&dir.join("summary.csv"))
        .into_iter()
        .filter(|r| r["port"] == port && r["cargo"] != "ALL" && r["metric"] == "wait_ratio")
        .filter_map(|r| {
            let limit = *limits.get(&r["cargo"])?;
            let ratio = r["mean"].parse().ok()?;
            Some((r["cargo"].clone(), ratio, limit))
        })
        .collect()
}

/// A figure as the map draws it: `decimals` places, checked against the figure itself (whole
/// Mt from 100 up, one decimal below), so a figure drawn from another row or rounded
/// otherwise fails.
fn as_drawn(drawn: &str, value: f64) {
    let decimals = drawn.split_once('.').map_or(0, |(_, d)| d.len());
    let expected = usize::from(value.abs() < 100.0);
    assert_eq!(decimals, expected, "{drawn}: decimals for {value}");
    assert_eq!(drawn, format!("{value:.expected$}"), "drawn vs summary");
}

/// The texts that follow a port's name in its label box: (waiting, figures).
fn port_box(texts: &[String], port: &str) -> (String, String) {
    let at = texts
        .iter()
        .position(|t| t == port)
        .unwrap_or_else(|| panic!("no {port}"));
    (texts[at + 1].clone(), texts[at + 2].clone())
}

#[test]
fn the_map_names_the_six_ports_draws_the_coast_and_the_figures_of_summary_csv() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = run(tmp.path(), "base", &["run", "liaoning-2020"]);
    let svg = read(&dir.join("charts/map.svg"));
    assert!(dir.join("charts/map.png").is_file());
    let texts = texts(&svg);
    // The coast: the mainland ring filled and outlined, hundreds of points each.
    assert!(most_points(&svg, "<polygon") > 500, "the land is a polygon");
    assert!(
        most_points(&svg, "<polyline") > 500,
        "the coastline is a path"
    );
    for port in PORTS {
        assert_eq!(
            texts.iter().filter(|t| *t == port).count(),
            1,
            "{port} named once"
        );
        let (wait, fig) = port_box(&texts, port);
        let mt = fig
            .strip_suffix(" Mt")
            .unwrap_or_else(|| panic!("{port}: `{fig}`"));
        as_drawn(mt, mean(&dir, port, "throughput_t") / 1e6);
        // The marker and box judge the port's worst cargo class against that class's own
        // limit (before session 28, all its cargo against one limit: Panjin's liquid
        // chemicals at 0.39 of service against 0.30 drew it green).
        let (what, rest) = wait
            .split_once(" wait ")
            .unwrap_or_else(|| panic!("{port}: `{wait}`"));
        let classes = class_ratios(&dir, port);
        let worst = classes
            .iter()
            .max_by(|a, b| (a.1 / a.2).total_cmp(&(b.1 / b.2)))
            .expect("a class with a limit");
        let words = match worst.0.as_str() {
            "ro_ro" => "ro-ro".to_string(),
            "lng" => "LNG".to_string(),
            c => c.replace('_', " "),
        };
        assert_eq!(what, words, "{port}");
        assert_eq!(
            rest,
            format!("{:.2} / limit {:.2}", worst.1, worst.2),
            "{port}"
        );
        if port == "Panjin" {
            assert_eq!(what, "liquid chemicals", "over its limit");
            assert!(worst.1 > worst.2 && mean(&dir, port, "wait_ratio") < 0.75 * worst.2);
        }
    }
    assert!(
        texts.iter().any(|t| t == "one over its own limit"),
        "the legend says what a colour means"
    );
    // The cluster's line: its throughput and the plan's goal band from targets.csv.
    let goals = rows(&dir.join("targets.csv"));
    let bound = |b: &str| {
        let g = goals
            .iter()
            .find(|g| g["port"] == "ALL" && g["metric"] == "throughput_t" && g["bound"] == b);
        g.expect("a cluster goal")["target"]
            .parse::<f64>()
            .expect("a number")
            / 1e6
    };
    let cluster = format!(
        "Cluster: {:.0} Mt / goal {:.0}–{:.0}",
        mean(&dir, "ALL", "throughput_t") / 1e6,
        bound("at_least"),
        bound("at_most")
    );
    assert!(
        texts.iter().any(|t| t.starts_with(&cluster)),
        "`{cluster}` in {texts:?}"
    );
    // Rebuilt from the saved files: the same bytes.
    let before = (svg, std::fs::read(dir.join("charts/map.png")).expect("png"));
    portsim()
        .args(["report", dir.to_str().expect("utf-8")])
        .assert()
        .success();
    assert_eq!(before.0, read(&dir.join("charts/map.svg")));
    assert_eq!(
        before.1,
        std::fs::read(dir.join("charts/map.png")).expect("png")
    );
}

#[test]
fn a_port_goal_is_drawn_with_the_figure_of_targets_csv() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // 2022 carries Dalian's tonnage: 306.1 Mt within 5 %.
    let dir = run(
        tmp.path(),
        "y2022",
        &["run", "plan-2030-independent", "--years", "2022"],
    );
    let goals = rows(&dir.join("targets.csv"));
    let goal = goals
        .iter()
        .find(|g| g["port"] == "Dalian" && g["cargo"] == "ALL" && g["metric"] == "throughput_t")
        .expect("Dalian's tonnage goal");
    let tol: f64 = goal["bound"]
        .strip_prefix("within_")
        .expect("within")
        .parse()
        .expect("tol");
    let target: f64 = goal["target"].parse().expect("a number");
    let texts = texts(&read(&dir.join("charts/map.svg")));
    let (_, fig) = port_box(&texts, "Dalian");
    let (mt, goal_text) = fig
        .split_once(" Mt / goal ")
        .unwrap_or_else(|| panic!("`{fig}`"));
    as_drawn(mt, mean(&dir, "Dalian", "throughput_t") / 1e6);
    assert_eq!(
        goal_text,
        format!("{:.0} ±{:.0} %", target / 1e6, 100.0 * tol)
    );
    // Ports without a goal show their throughput alone.
    let (_, fig) = port_box(&texts, "Panjin");
    assert!(!fig.contains("goal"), "`{fig}`");
}

#[test]
fn a_comparison_draws_a_panel_per_scenario_and_other_ports_no_map() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenarios = ["liaoning-2020", "typhoon-2020"];
    let dir = run(tmp.path(), "cmp", &["compare", scenarios[0], scenarios[1]]);
    let texts = texts(&read(&dir.join("charts/map.svg")));
    for s in scenarios {
        let title = format!("{s} — 2020");
        assert_eq!(texts.iter().filter(|t| **t == title).count(), 1, "{title}");
    }
    for port in PORTS {
        assert_eq!(
            texts.iter().filter(|t| *t == port).count(),
            2,
            "{port} per panel"
        );
    }
    // A validation scenario has none of the six ports: no map.
    let mm = run(tmp.path(), "mm", &["run", "mm1-rho50"]);
    assert!(mm.join("charts").is_dir() && !mm.join("charts/map.svg").exists());
}
