//! The two forms of the long result files — CSV and Parquet — and the tables behind them.
//!
//! `kpis` (one row per KPI of each run) and `calls` (one row per call) are built once as a
//! [`Table`] of typed columns and written either as CSV (text, any tool) or as Parquet
//! (typed, dictionary-encoded and compressed: a tenth of the size, read by pandas, Polars,
//! DuckDB and R's arrow without parsing). The values are the same in both: a test reads a
//! run's `kpis.parquet` back and compares it value by value with its `kpis.csv`.

use serde::{Deserialize, Serialize};

use super::output::fmt_num;
use super::parquet::{Column, Table, real, to_parquet};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::results::ScenarioRuns;

/// The form of the long result files (`kpis`, `calls`, a sweep's point files).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated text with a header row.
    #[default]
    Csv,
    /// Apache Parquet, Snappy-compressed.
    Parquet,
}

impl Format {
    /// The file extension (`csv`, `parquet`).
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// `table` in this form, as the bytes of a whole file (`what` names it in errors).
    ///
    /// # Errors
    /// If the table cannot be rendered.
    pub fn render(self, table: &Table, what: &str) -> Result<Vec<u8>> {
        match self {
            Format::Csv => render_csv(table, true),
            Format::Parquet => to_parquet(table, what),
        }
    }
}

/// The columns of `kpis` after any leading sweep columns.
pub const KPIS_COLUMNS: [&str; 7] = [
    "scenario",
    "replication",
    "year",
    "port",
    "cargo",
    "metric",
    "value",
];

/// The KPIs of one or more scenarios' runs as a table with [`KPIS_COLUMNS`].
pub fn kpis_table(all: &[&ScenarioRuns]) -> Table {
    let rows: usize = all.iter().flat_map(|r| &r.runs).map(|r| r.kpis.len()).sum();
    let (mut scenario, mut rep, mut year) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let (mut port, mut cargo, mut metric, mut value) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for runs in all {
        for r in &runs.runs {
            for k in &r.kpis {
                scenario.push(runs.scenario.clone());
                rep.push(i64::from(r.replication));
                year.push(i64::from(r.year));
                port.push(k.port.clone());
                cargo.push(k.cargo.clone());
                metric.push(k.metric.to_string());
                value.push(real(k.value));
            }
        }
    }
    let columns = vec![
        Column::Text(scenario),
        Column::Int(rep),
        Column::Int(year),
        Column::Text(port),
        Column::Text(cargo),
        Column::Text(metric),
        Column::Real(value),
    ];
    Table {
        names: KPIS_COLUMNS.iter().map(|s| s.to_string()).collect(),
        columns,
    }
}

/// The columns of `calls`.
pub const CALLS_COLUMNS: &str = "scenario,replication,year,call,port,terminal,berth,flow,ship_class,cargo,arrival_h,berth_start_h,berth_end_h,departure_h,wait_berth_h,wait_tide_h,wait_channel_h,wait_closure_h,t,teu";

/// One row per call completed in the measured period (those the KPIs count), in the order the
/// runs were made and, within a run, the order the calls ended. Times are hours since the
/// start of the measured period (negative: during the warm-up), to the microhour; `call`
/// numbers the run's calls from 0; `t` is the call's cargo in tonnes (containers at
/// `t_per_teu`), `teu` its boxes (empty for other cargo); `flow` is the first flow aboard.
///
/// Each scenario comes with the model as it stood in each of its `years` (in that order): a
/// project in service by a design year may add berths, terminals and flows, and a call names
/// them as its own year's model does.
pub fn calls_table(all: &[(&[Model], &ScenarioRuns)]) -> Table {
    let names: Vec<String> = CALLS_COLUMNS.split(',').map(str::to_string).collect();
    let mut text: Vec<Vec<String>> = vec![Vec::new(); 7];
    let mut ints: Vec<Vec<i64>> = vec![Vec::new(); 3];
    let mut reals: Vec<Vec<Option<f64>>> = vec![Vec::new(); 10];
    // Hours to the microhour (3.6 ms: the clock ticks in milliseconds).
    let micro = |x: f64| real((x * 1e6).round() / 1e6);
    for (models, runs) in all {
        for r in &runs.runs {
            let model = runs
                .years
                .iter()
                .position(|&y| y == r.year)
                .and_then(|i| models.get(i))
                .expect("a model for each design year of the runs");
            let start = model.settings.warmup_days * 24.0;
            for (i, c) in r.calls.iter().filter(|c| c.measured).enumerate() {
                let berth = &model.berths[c.berth.index()];
                let terminal = &model.terminals[berth.terminal.index()];
                let port = &model.ports[terminal.port.index()];
                let flow = &model.flows[c.flow.index()];
                let class = &model.ship_classes[c.class.index()];
                let (t, teu) = if flow.cargo.is_container() {
                    let boxes = c.amount as f64;
                    (boxes * model.settings.t_per_teu, Some(boxes))
                } else {
                    (c.amount as f64, None)
                };
                for (col, v) in text.iter_mut().zip([
                    &runs.scenario,
                    &port.name,
                    &terminal.name,
                    &berth.name,
                    &flow.name,
                    &class.name,
                    &flow.cargo.name().to_string(),
                ]) {
                    col.push(v.clone());
                }
                for (col, v) in
                    ints.iter_mut()
                        .zip([i64::from(r.replication), i64::from(r.year), i as i64])
                {
                    col.push(v);
                }
                for (col, v) in reals.iter_mut().zip([
                    micro(c.arrival_h - start),
                    micro(c.berthed_h - start),
                    micro(c.unmoored_h - start),
                    micro(c.departure_h - start),
                    micro(c.waits_h[0]),
                    micro(c.waits_h[1]),
                    micro(c.waits_h[2]),
                    micro(c.waits_h[3]),
                    real(t),
                    teu,
                ]) {
                    col.push(v);
                }
            }
        }
    }
    let mut text = text.into_iter();
    let mut ints = ints.into_iter();
    let mut reals = reals.into_iter().map(Column::Real);
    let mut next_text = || Column::Text(text.next().unwrap_or_default());
    let mut next_int = || Column::Int(ints.next().unwrap_or_default());
    // Column order: scenario, replication, year, call, port, terminal, berth, flow,
    // ship_class, cargo, then the reals.
    let mut columns = vec![next_text(), next_int(), next_int(), next_int()];
    columns.extend((0..6).map(|_| next_text()));
    columns.extend(reals.by_ref());
    Table { names, columns }
}

/// `table` as CSV, with a header row if `header`. Undefined reals are empty cells.
///
/// # Errors
/// If a row cannot be written.
pub fn render_csv(table: &Table, header: bool) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Other(format!("cannot render a table: {e}"));
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    if header {
        w.write_record(&table.names).map_err(err)?;
    }
    let mut rec = csv::StringRecord::new();
    for i in 0..table.rows() {
        rec.clear();
        for c in &table.columns {
            match c {
                Column::Real(v) => rec.push_field(&v[i].map_or_else(String::new, fmt_num)),
                other => rec.push_field(&other.cell(i)),
            }
        }
        w.write_record(&rec).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("cannot render a table: {e}")))
}
