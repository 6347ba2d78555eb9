//! Background work. Each job is a `try_run_once()` that handles what is due and returns — so
//! tests drive it deterministically — plus a `run` loop for `usher serve` ([`pace::drive`]: woken by the commits that queue work, never
//! polling). On PostgreSQL,
//! replicas share the work safely (leases for submissions, one leader for the reconcile pass;
//! housekeeping's deletes are safe to repeat), and [`Leader`] runs what only one replica may do
//! at all (the chat platforms' long-lived connections) under a lease in the database.

pub mod housekeeping;
pub mod lease;
pub mod pace;
pub mod reconcile;
pub mod stopping;
pub mod submission;

pub use housekeeping::{Housekeeping, HousekeepingReport, OUTBOX_KEPT};
pub use lease::{Leader, LeaseTiming};
pub use stopping::Stopping;
pub use submission::{SubmissionWorker, WorkerOptions};
