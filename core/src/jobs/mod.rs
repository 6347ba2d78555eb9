//! Background jobs. Each is a `try_run_once()` that tests call directly, plus a `run` loop the
//! binary spawns; on PostgreSQL each job has one leader at a time across replicas.

pub mod reconcile;
