//! What every benchmark shares: the runtime they run on, numbers read from the environment, and
//! how latencies are summed up, so that figures from different benchmarks mean the same thing.
//! Included by each bench with `#[path = "common/mod.rs"] mod common;`; a bench uses what it
//! needs.
#![allow(dead_code)]

pub mod server;

use std::time::Duration;

use anyhow::Context;

/// Runs `main` on a tokio runtime with two worker threads, the size of the machines the
/// figures are quoted for.
pub fn run_on_runtime<F>(main: F) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("build the tokio runtime")?
        .block_on(main)
}

/// Runs `main` on the runtime `usher serve` runs on ([`usher::runtime::build`]), for benches
/// that run Usher's own code in process.
pub fn run_like_serve<F>(main: F) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    usher::runtime::build()
        .context("build the runtime usher serve runs on")?
        .block_on(main)
}

/// The number in the environment variable `name`, or `default` when it is unset.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(raw) => raw
            .parse()
            .ok()
            .with_context(|| format!("{name} must be a number")),
        Err(_) => Ok(default),
    }
}

/// Nearest-rank percentile `q` (0.5 for p50) of sorted latencies; zero for none.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// A duration in milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
