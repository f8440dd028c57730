//! Errors shared across the crate, and the exit codes they map to.

use std::fmt;

use crate::scenario::ScenarioError;
use crate::sim::SimError;

/// Anything that can stop a portsim command.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A scenario (or other input file) is invalid: exit code 2.
    Scenario(ScenarioError),
    /// A command-line value is invalid (e.g. a design year before the base year): exit code 2.
    Usage(String),
    /// Reading or writing a file failed: exit code 1.
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A simulation broke an internal invariant (a bug): exit code 1; or ran past its event
    /// budget: exit code 2 (the input asks for more than the budget allows).
    Sim(SimError),
    /// Anything else that went wrong while producing outputs: exit code 1.
    Other(String),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The process exit code for this error: 2 for invalid input, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Sim(SimError::EventBudget { .. }) => 2,
            _ => 1,
        }
    }

    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Scenario(e) => write!(f, "{e}"),
            Error::Usage(m) => write!(f, "{m}"),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            Error::Sim(e) => write!(f, "{e}"),
            Error::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Self {
        Error::Scenario(e)
    }
}

impl From<SimError> for Error {
    fn from(e: SimError) -> Self {
        Error::Sim(e)
    }
}
