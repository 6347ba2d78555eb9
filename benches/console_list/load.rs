//! Pages per second through the real `usher serve` binary: the bench starts it on the seeded
//! database, signs an approver in the way the server does (a session row plus the JWT cookie
//! signed with the key derived from `USHER_SECRET_KEY`), then keeps `concurrency` keep-alive
//! connections busy with filtered `/requests` pages for a fixed time. Every answer must be a 200
//! page; anything else is counted and printed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use usher_core::domain::UserId;
use usher_core::service::Services;

use crate::common::server::{Server, session_cookie};
use crate::common::{ms, percentile};

/// The master key the benchmark's server runs with.
const SECRET_KEY: &str = "console-list-bench-master-key-0123456789";

/// The pages the load generator asks for, in turn: the unfiltered list, single and combined
/// filters, and a date range.
const PATHS: [&str; 4] = [
    "/requests",
    "/requests?status=pending",
    "/requests?status=pending&type=tv&source=web",
    "/requests?status=failed&type=movie&from=2026-01-01",
];

/// Measures pages per second with `concurrency` connections for `duration`, as `approver`.
pub async fn run(
    database_url: &str,
    services: &Services,
    approver: UserId,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    let server = Server::start(database_url, SECRET_KEY, &[]).await?;
    let cookie = session_cookie(services, approver, SECRET_KEY).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let target = Arc::new(Target {
        client,
        base_url: server.base_url.clone(),
        cookie,
    });
    // Warm up: every page once, each must answer 200.
    for path in PATHS {
        target
            .get(path)
            .await
            .with_context(|| format!("GET {path}"))?;
    }
    let idle = server.memory();
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| tokio::spawn(Arc::clone(&target).hammer(worker, deadline)))
        .collect();
    let mut times = Vec::new();
    let mut failures = 0usize;
    for worker in workers {
        let (ok, failed) = worker.await?;
        times.extend(ok);
        failures += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    println!(
        "HTTP /requests through usher serve: {concurrency} connections for {:.0} s over {} pages: \
         {:.0} pages/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} ok, {failures} failed",
        duration.as_secs_f64(),
        PATHS.len(),
        times.len() as f64 / elapsed,
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        times.len(),
    );
    if let (Some((idle_rss, _)), Some((rss, peak))) = (idle, server.memory()) {
        println!(
            "server memory: {idle_rss:.1} MiB RSS before the load, {rss:.1} MiB after, peak {peak:.1} MiB"
        );
    }
    Ok(())
}

/// What every load worker shares.
struct Target {
    client: reqwest::Client,
    base_url: String,
    cookie: String,
}

impl Target {
    /// One page; an error unless the server answered 200 with a body.
    async fn get(&self, path: &str) -> anyhow::Result<()> {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .header("cookie", &self.cookie)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        anyhow::ensure!(status == 200 && !body.is_empty(), "answered {status}");
        Ok(())
    }

    /// Asks for pages in turn until `deadline`; the latencies of good answers and the number
    /// of failed ones.
    async fn hammer(self: Arc<Self>, worker: usize, deadline: Instant) -> (Vec<Duration>, usize) {
        let mut times = Vec::new();
        let mut failed = 0;
        let mut next = worker;
        while Instant::now() < deadline {
            let started = Instant::now();
            match self.get(PATHS[next % PATHS.len()]).await {
                Ok(()) => times.push(started.elapsed()),
                Err(_) => failed += 1,
            }
            next += 1;
        }
        (times, failed)
    }
}
