//! The open API's request list (`GET /api/v1/request?take=20&skip=…&filter=…`) over 1,000,000
//! requests, on SQLite and then on PostgreSQL: p50/p99/max of one call through the whole API
//! router (key check, rate limit, core's page and count, the requesters, Seerr's JSON), for
//! each of Seerr's filters, on the first pages (`skip` 0 to 200) and deep in the list
//! (`skip=10000`), sorted by `added` and by `modified`. Prints figures, never fails on time; the
//! target is ≤ 20 ms p99 for a filtered page.
//!
//! Run: `cargo bench --bench api_requests`. `USHER_BENCH_ROWS` sets the number of requests
//! (default 1,000,000; seeded by the database itself in one statement, as `console_list`
//! does), `USHER_BENCH_REPEATS` the samples per case (default 200). PostgreSQL runs when
//! `USHER_BENCH_POSTGRES_URL` (or the test suite's `USHER_TEST_POSTGRES_URL`) names a server; a
//! database is created and dropped for the run.

#[path = "common/mod.rs"]
mod common;

#[path = "console_list/seed.rs"]
#[allow(dead_code)]
mod seed;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use secrecy::{ExposeSecret as _, SecretString};
use tower::ServiceExt as _;
use usher_core::config::LoadOptions;
use usher_core::crypto::MasterKeys;
use usher_core::domain::{Actor, Source, Timestamp};
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::service::{AgentService, Services, SettingsService};
use usher_core::webhooks::Webhooks;
use usher_web::console::pages_setup::PagesSetup;
use usher_web::metrics::MetricsAccess;
use usher_web::metrics::traffic::HttpMetrics;
use usher_web::{AppState, Console, ConsoleOptions, WebParts};

use common::{env_number, ms, percentile};
use seed::{Backend, USERS};

const DEFAULT_ROWS: i64 = 1_000_000;
const DEFAULT_REPEATS: usize = 200;
const WARMUP: usize = 10;
/// Calls per key before the next key: under the API's 300 a minute, so the limiter never
/// answers for the database.
const CALLS_PER_KEY: usize = 250;
/// Seerr's filters.
const FILTERS: [&str; 8] = [
    "all",
    "pending",
    "approved",
    "processing",
    "available",
    "unavailable",
    "failed",
    "declined",
];

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

async fn run() -> anyhow::Result<()> {
    let rows: i64 = env_number("USHER_BENCH_ROWS", DEFAULT_ROWS)?;
    let repeats: usize = env_number("USHER_BENCH_REPEATS", DEFAULT_REPEATS)?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: nproc {cpus}; tokio multi-thread, 2 workers; {rows} requests from {USERS} \
         users over two years; {repeats} samples per case; one call at a time through the \
         /api/v1 router (take=20)"
    );
    bench_backend(Backend::sqlite()?, rows, repeats).await?;
    let postgres = std::env::var("USHER_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("USHER_TEST_POSTGRES_URL"));
    match postgres {
        Ok(url) => bench_backend(Backend::postgres(&url).await?, rows, repeats).await?,
        Err(_) => println!("\nPostgreSQL skipped: set USHER_BENCH_POSTGRES_URL to measure it"),
    }
    Ok(())
}

/// The API router over `services`, as the binary builds it (no chats, closed `/metrics`).
fn router(services: &Services, db: &usher_core::store::Db) -> anyhow::Result<axum::Router> {
    let secret = SecretString::from("a-master-key-for-the-api-bench-0123456789");
    let keys = Arc::new(MasterKeys::from_secrets(&secret, None).context("keys")?);
    let public_url = "http://localhost".to_owned();
    let console = Console::new(ConsoleOptions {
        session_key: [1; 32],
        csrf_key: [2; 32],
        https: false,
        trusted_proxies: Vec::new(),
        sign_in_per_minute: 10,
        security_contact: None,
        oidc_provider: None,
        oidc: None,
        plex: None,
        public_url: public_url.clone(),
        pages: PagesSetup::default(),
    });
    let parts = WebParts {
        services: services.clone(),
        settings: SettingsService::new(db.clone(), keys.clone(), LoadOptions::default()),
        agents: AgentService::new(db.clone(), keys).context("agents")?,
        console,
        webhooks: Webhooks::new(
            db.clone(),
            SecretString::from("api-bench-hook-secret"),
            MediaServers::default(),
        ),
        metrics_access: MetricsAccess::new(None, Vec::new()),
        http_metrics: HttpMetrics::new(),
        discord: None,
        telegram: None,
        public_url,
    };
    Ok(usher_web::router(AppState::new(parts)))
}

/// Keys for the bench, a fresh one every [`CALLS_PER_KEY`] calls.
struct Keys {
    services: Services,
    current: String,
    used: usize,
    made: usize,
}

impl Keys {
    async fn next(&mut self) -> anyhow::Result<String> {
        if self.used >= CALLS_PER_KEY || self.current.is_empty() {
            self.made += 1;
            let operator = Actor {
                user: None,
                source: Source::Cli,
            };
            let made = self
                .services
                .api_keys
                .create(&operator, &format!("bench-{}", self.made), "read")
                .await?;
            self.current = made.secret.expose_secret().to_owned();
            self.used = 0;
        }
        self.used += 1;
        Ok(self.current.clone())
    }
}

/// Seeds one backend, prints its figures and removes its database.
async fn bench_backend(backend: Backend, rows: i64, repeats: usize) -> anyhow::Result<()> {
    println!("\n=== {} ===", backend.label());
    let started = Instant::now();
    let db = seed::seeded(&backend, rows, Timestamp::now()).await?;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    let services = Services::new(db.clone());
    let router = router(&services, &db)?;
    let mut keys = Keys {
        services: services.clone(),
        current: String::new(),
        used: 0,
        made: 0,
    };
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9}",
        "case", "p50 ms", "p99 ms", "max ms", "rows"
    );
    for sort in ["added", "modified"] {
        for filter in FILTERS {
            for deep in [false, true] {
                let mut samples = Vec::with_capacity(repeats);
                let mut total = 0;
                for i in 0..repeats + WARMUP {
                    let skip = if deep { 10_000 } else { (i % 11) * 20 };
                    let path =
                        format!("/api/v1/request?take=20&skip={skip}&filter={filter}&sort={sort}");
                    let key = keys.next().await?;
                    let (took, results) = call(&router, &path, &key).await?;
                    total = results;
                    if i >= WARMUP {
                        samples.push(took);
                    }
                }
                samples.sort_unstable();
                let case = format!(
                    "filter={filter} sort={sort} {}",
                    if deep { "skip=10000" } else { "skip 0-200" }
                );
                println!(
                    "{case:<44} {:>9.2} {:>9.2} {:>9.2} {:>9}",
                    ms(percentile(&samples, 0.5)),
                    ms(percentile(&samples, 0.99)),
                    ms(samples.last().copied().unwrap_or_default()),
                    total
                );
            }
        }
    }
    db.close().await;
    backend.remove().await
}

/// One GET through the router: how long until the whole body was read, and the page's
/// `pageInfo.results`.
async fn call(router: &axum::Router, path: &str, key: &str) -> anyhow::Result<(Duration, u64)> {
    let request = Request::get(path)
        .header("x-api-key", key)
        .body(Body::empty())?;
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22).await?;
    let took = started.elapsed();
    anyhow::ensure!(
        status == StatusCode::OK,
        "{path}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    let body: serde_json::Value = serde_json::from_slice(&bytes)?;
    let results = body["pageInfo"]["results"].as_u64().unwrap_or_default();
    Ok((took, results))
}
