//! End-to-end tests of the `usher` binary. Every such test is a module of this one integration
//! test binary (linking dominates build time on two cores): add new files here, not in tests/.

mod support;

mod cli;
mod console;
mod console_pages;
mod discord;
mod full_path;
mod hooks;
mod ops;
mod replicas;
mod serve;
mod telegram;
