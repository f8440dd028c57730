//! Reports: summaries over replications, the output files and the console table.

pub mod output;
pub mod summary;
pub mod table;
pub mod targets;

pub use output::{Manifest, ScenarioManifest, write_atomically};
pub use summary::{SummaryRow, find, summarise};
