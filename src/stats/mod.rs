//! Statistics: confidence intervals over replications and streaming percentiles.

mod histogram;
mod student_t;
mod summary;

pub use histogram::LogHistogram;
pub use student_t::{t_cdf, t_quantile};
pub use summary::Estimate;
