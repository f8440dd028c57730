//! The port simulation: one design year of one replication of a [`Model`](crate::model::Model).
//!
//! [`simulate`] builds the run's state from the model, drives it with the engine's
//! [`Scheduler`](crate::engine::Scheduler) and returns KPI rows, the conservation ledger and,
//! if asked, a record of every call.

mod budget;
pub mod calendar;
mod run;
mod stats;

pub use crate::results::{CallRecord, LedgerRow, RunResult};
pub use budget::{DEFAULT_MAX_EVENTS, RunSize, estimate};
pub use calendar::{MONTH_DAYS, month_of, month_start_h};
pub use run::{SimError, SimOptions, simulate};
pub use stats::{Cause, Kpi, METRICS};
pub(crate) use stats::{RowMiss, row_names, row_shape, terminal_row};
