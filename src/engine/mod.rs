//! The discrete-event kernel. It knows nothing about ports.
//!
//! - [`SimTime`] / [`SimDuration`]: integer ticks (one millisecond), hours at the edges.
//! - [`EventQueue`] / [`Scheduler`]: pending events in the total order `(time, priority, seq)`.
//! - [`stream`]: keyed random streams for common random numbers.

mod queue;
mod rng;
mod sim;
mod time;

pub use queue::EventQueue;
pub use rng::{StreamRng, fnv1a64, replication_seed, splitmix64, stream};
pub use sim::{PastEventError, Scheduler};
pub use time::{SimDuration, SimTime, TICKS_PER_HOUR};
