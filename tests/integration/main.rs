//! portsim's integration tests: one binary, a module per topic.

mod bad_input;
mod baseline;
mod cli;
mod experiments;
mod fuzz;
mod hinterland;
mod plan;
mod report;
mod stories;
mod util;
mod validation;
