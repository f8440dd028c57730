//! `--format parquet`: the same values as the CSV files, cell by cell; the same bytes on any
//! thread count; a Parquet sweep's report and sensitivity equal to a CSV sweep's.

use std::path::{Path, PathBuf};

use portsim::commands::{self, RunSettings};
use portsim::report::format::Format;
use portsim::report::parquet::{Column, Table, read_parquet_file};

use crate::util::portsim;

/// Every row group of a Parquet file as one table.
fn read_all(path: &Path) -> Table {
    let mut all = Table::default();
    for t in read_parquet_file(path).unwrap_or_else(|e| panic!("{e}")) {
        all.append(&t).expect("row groups with the same columns");
    }
    all
}

/// Checks a Parquet table against a CSV file value by value: the same header, the same number
/// of rows, text equal, whole numbers equal, reals equal to the bit (an empty cell is null).
fn assert_same_values(parquet: &Path, csv_path: &Path) {
    let table = read_all(parquet);
    let mut r = csv::Reader::from_path(csv_path).expect("csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(table.names, header, "{}", parquet.display());
    let mut rows = 0;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.expect("row");
        for (c, column) in table.columns.iter().enumerate() {
            let cell = &rec[c];
            let same = match column {
                Column::Text(v) => v[i] == cell,
                Column::Int(v) => cell.parse::<i64>() == Ok(v[i]),
                Column::Real(v) => match v[i] {
                    None => cell.is_empty(),
                    Some(x) => cell
                        .parse::<f64>()
                        .is_ok_and(|y| y.to_bits() == x.to_bits()),
                },
            };
            assert!(
                same,
                "{} row {i} column {}: parquet {:?}, csv `{cell}`",
                parquet.display(),
                table.names[c],
                column.cell(i)
            );
        }
        rows += 1;
    }
    assert_eq!(rows, table.rows(), "{}", parquet.display());
    assert!(rows > 0);
}

fn run(dir: &Path, format: Format, threads: usize) -> PathBuf {
    let settings = RunSettings {
        reps: Some(2),
        out: Some(dir.to_path_buf()),
        threads: Some(threads),
        quiet: true,
        no_charts: true,
        trace: true,
        format,
        ..RunSettings::default()
    };
    commands::run("liaoning-2020", &settings, &mut Vec::new()).expect("run")
}

#[test]
fn kpis_and_calls_in_parquet_hold_the_csv_values_and_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let csv = run(&tmp.path().join("csv"), Format::Csv, 2);
    let one = run(&tmp.path().join("p1"), Format::Parquet, 1);
    let two = run(&tmp.path().join("p2"), Format::Parquet, 2);
    for name in ["kpis", "calls"] {
        let p = one.join(format!("{name}.parquet"));
        assert_same_values(&p, &csv.join(format!("{name}.csv")));
        assert_eq!(
            std::fs::read(&p).expect("one thread"),
            std::fs::read(two.join(format!("{name}.parquet"))).expect("two threads"),
            "{name}.parquet on 1 and 2 threads"
        );
        assert!(!one.join(format!("{name}.csv")).exists());
    }
    // The typed columns: a reader gets numbers, not text.
    let kpis = read_all(&one.join("kpis.parquet"));
    assert!(matches!(kpis.column("year"), Some(Column::Int(_))));
    assert!(matches!(kpis.column("value"), Some(Column::Real(_))));
    // The summary stays CSV, the same bytes in either format.
    assert_eq!(
        std::fs::read(one.join("summary.csv")).expect("summary"),
        std::fs::read(csv.join("summary.csv")).expect("summary")
    );
    // Compact: a tenth of the CSV's size or less.
    let size = |p: PathBuf| std::fs::metadata(p).expect("size").len();
    assert!(size(one.join("kpis.parquet")) * 5 < size(csv.join("kpis.csv")));
}

/// An LHS sweep over the demand multiple of the 2020 baseline and a rail corridor's slots.
const SWEEP: &str = r#"
name = "parquet-vs-csv"
scenario = "liaoning-2020"
replications = 2
seed = 3
design = "lhs"
samples = 5

[[parameters]]
path = "demand_multiplier"
range = [0.9, 1.2]

[[parameters]]
path = "corridors[name=dalian-box-north].slots_per_day"
range = [2, 10]
"#;

#[test]
fn a_parquet_sweep_holds_the_csv_values_and_reports_the_same() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("sweep.toml");
    std::fs::write(&file, SWEEP).expect("write");
    let sweep = |format: &str| {
        let out = tmp.path().join(format);
        portsim()
            .arg("sweep")
            .arg(&file)
            .args(["--quiet", "--format", format, "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (csv, parquet) = (sweep("csv"), sweep("parquet"));
    // Whole points in row groups of at least 2^17 rows (here all five in one), the point's
    // columns typed (numbers for numeric parameters).
    let groups = read_parquet_file(&parquet.join("kpis.parquet")).expect("read");
    assert_eq!(groups.len(), 1);
    assert!(matches!(
        groups[0].column("demand_multiplier"),
        Some(Column::Real(_))
    ));
    assert_same_values(&parquet.join("kpis.parquet"), &csv.join("kpis.csv"));
    // No per-point summary in a Parquet sweep: the report and sensitivity compute the points'
    // means from the replications — to the same bytes as from summary.csv.
    assert!(!parquet.join("summary.csv").exists());
    assert_eq!(
        std::fs::read(parquet.join("sensitivity.csv")).expect("parquet"),
        std::fs::read(csv.join("sensitivity.csv")).expect("csv")
    );
    for chart in ["sweep-points", "capacity-curve", "sensitivity"] {
        let svg = |d: &Path| std::fs::read(d.join(format!("charts/{chart}.svg"))).expect(chart);
        assert_eq!(svg(&parquet), svg(&csv), "{chart}");
    }
}

#[test]
fn a_damaged_parquet_file_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("sweep.toml");
    std::fs::write(&file, SWEEP.replace("samples = 5", "samples = 3")).expect("write");
    let out = tmp.path().join("out");
    portsim()
        .arg("sweep")
        .arg(&file)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    // Cut the assembled file short: the report names it and fails, without a panic.
    let kpis = out.join("kpis.parquet");
    let bytes = std::fs::read(&kpis).expect("read");
    std::fs::write(&kpis, &bytes[..bytes.len() / 2]).expect("truncate");
    let a = portsim().arg("report").arg(&out).assert().failure();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.contains("kpis.parquet"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
