//! portsim's integration tests: one binary, a module per topic.

mod atomic_writes;
mod bad_input;
mod baseline;
mod call_totals;
mod cli;
mod commands;
mod conservation;
mod determinism;
mod distributions;
mod experiments;
mod fuzz;
mod hinterland;
mod limits;
mod mode_choice;
mod plan;
mod queueing_models;
mod rail_tracks;
mod report;
mod seasonality;
mod stories;
mod sweep_merge;
mod two_way_rail;
mod util;
mod validation;
mod waiting_causes;
mod waiting_percentiles;
