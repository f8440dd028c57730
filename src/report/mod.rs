//! Reports: summaries over replications, the output files, the console table, and the charts
//! and HTML report drawn from saved outputs.

pub mod format;
pub mod output;
pub mod parquet;
pub mod table;
pub mod targets;

pub use output::{Manifest, ScenarioManifest, write_atomically};
pub mod charts;
pub(crate) mod corridors;
pub mod findings;
pub mod html;
pub mod saved;
