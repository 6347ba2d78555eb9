//! Background work. Each job is a `try_run_once()` that handles what is due and returns — so
//! tests drive it deterministically — plus a `run(shutdown)` loop for `usher serve`.

pub mod submission;

pub use submission::{SubmissionWorker, WorkerOptions};
