//! The `usher` binary's wiring, as a library so tests can start the whole app in process.
//! [`app::App::build`] turns settings into one running Usher (store, caches, services, console,
//! chat bots and jobs) and [`serve::serve`] puts it behind a listener; `main.rs` only parses the
//! command line and runs the command asked for. No rules live here: they are in usher-core.

pub mod agents;
pub mod allocator;
pub mod api_keys;
pub mod app;
pub mod availability;
pub mod backup;
mod bots;
pub mod check;
pub mod cli;
mod console;
mod discord;
pub mod import;
mod jobs;
pub mod library;
pub mod runtime;
pub mod serve;
pub mod startup;
mod supervise;
mod telegram;
pub mod telemetry;
