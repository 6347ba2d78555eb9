//! End-to-end tests of the `usher` binary. Every such test is a module of this one integration
//! test binary: linking dominates build time on two cores.

mod support;

#[path = "cli.rs"]
mod cli;
#[path = "serve.rs"]
mod serve;
