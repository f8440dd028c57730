//! # portsim — a discrete-event simulator of port-cluster throughput
//!
//! portsim answers the questions a port-cluster plan raises — can the ports carry a design
//! year's demand, where do they congest first, what would a project change — by simulating a
//! year of ship calls, many times over, and reporting throughput, waiting, berth occupancy and
//! more with confidence intervals. Its built-in scenario is the six coastal ports of Liaoning
//! (Dalian, Yingkou, Jinzhou, Dandong, Panjin, Huludao) in 2020.
//!
//! ## A tour
//!
//! ```text
//!   scenario file (TOML) ──► scenario::load ──► model::Model ──► experiment::run_scenario
//!                                                   │                 │ (rayon: years × reps)
//!                                                   ▼                 ▼
//!                                             sim::simulate ──► KPI rows ──► report (CSV, JSON, table)
//!                                                   │
//!                                                   ▼
//!                                  engine (event queue, clock, keyed random streams)
//! ```
//!
//! - [`engine`]: the discrete-event kernel; knows nothing about ports.
//! - [`model`]: ports, areas, channels, terminals, berths, ship classes, flows, services.
//! - [`scenario`]: TOML in, validated model out, with file:line:column errors.
//! - [`sim`]: one design year of one replication.
//! - [`experiment`]: replications and design years in parallel.
//! - [`results`]: what runs produce and reports read (KPIs, runs, summaries, comparisons).
//! - [`report`]: output files, the console tables, charts and report.html.
//! - [`commands`]: the `portsim` program's commands, one call each.
//! - [`stats`], [`theory`]: confidence intervals, percentiles, Erlang C.
//! - [`metrics`]: the names of the KPIs (the output contract).
//!
//! ```
//! use portsim::experiment::{RunOptions, run_scenario};
//! let (model, _) = portsim::scenario::load("mm1-rho50").unwrap();
//! let mut options = RunOptions::defaults_for(&model);
//! options.replications = 2;
//! let runs = run_scenario(&model, &options, &|_, _| {}).unwrap();
//! let summary = portsim::results::summarise(&runs);
//! let wait = portsim::results::find(&summary, 2020, "ALL", "ALL", "wait_h_mean").unwrap();
//! assert!(wait.mean > 0.5 && wait.mean < 1.5); // theory: ρ/(μ−λ) = 1 h
//! ```
//!
//! ## Guarantees
//!
//! 1. **Event order.** Events run in the total order (time, priority, insertion sequence).
//!    Time is integer ticks (1 ms), so no two runs disagree on a tie.
//! 2. **Same seed, same bytes.** A run's random draws depend only on the master seed, the
//!    design year, the replication number and the name of what each stream drives. Runs are
//!    collected in index order and summed serially, so outputs are byte-identical whatever the
//!    thread count.
//! 3. **Common random numbers.** Scenarios that share flow and ship-class names see the same
//!    arrivals and parcels, so their comparison is paired.
//! 4. **Conservation.** In every run, per port and cargo class: cargo in port at the start of
//!    the measured period + cargo arrived = cargo departed + cargo in port at the end, and the
//!    ledger's stock in port at both ends equals the cargo counted where it physically is
//!    (aboard, in yards, at gates, on trains loading). A run that breaks this is an error, not
//!    a result.
//! 5. **Every run ends.** Every number a scenario gives has a physical range, and a run whose
//!    size (estimated from its demand) exceeds its event budget is refused before it starts.

#![warn(missing_docs, missing_debug_implementations)]

pub mod commands;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod metrics;
pub mod model;
pub mod report;
pub mod results;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod theory;

pub use error::{Error, Result};
