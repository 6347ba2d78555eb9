//! Pages per second through the real `usher serve` binary: the bench starts it on the seeded
//! database, signs an approver in the way the server does (a session row plus the JWT cookie
//! signed with the key derived from `USHER_SECRET_KEY`), then keeps `concurrency` keep-alive
//! connections busy with filtered `/requests` pages for a fixed time. Every answer must be a 200
//! page; anything else is counted and printed.

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use secrecy::SecretString;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use usher_core::crypto::MasterKeys;
use usher_core::domain::UserId;
use usher_core::service::Services;
use usher_core::service::sessions::ClientInfo;
use usher_web::console::session_cookie::SessionCodec;

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

/// A running `usher serve` over the benchmark's database.
pub struct Server {
    child: Child,
    base_url: String,
}

impl Server {
    /// Starts the binary on 127.0.0.1:0 and waits until it says it is ready.
    pub async fn start(database_url: &str) -> anyhow::Result<Self> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_usher"));
        for (name, _) in std::env::vars() {
            if name.starts_with("USHER_") {
                cmd.env_remove(name);
            }
        }
        let mut child = cmd
            .arg("serve")
            .env("USHER_LISTEN", "127.0.0.1:0")
            .env("USHER_DATABASE_URL", database_url)
            .env("USHER_SECRET_KEY", SECRET_KEY)
            .env("USHER_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("start usher serve")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        // It listens first and answers 503 until it has migrated and says "ready".
        let base_url = tokio::time::timeout(Duration::from_secs(60), async {
            let mut base_url = None;
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("listening on ") {
                    base_url = Some(url.to_owned());
                }
                if line.starts_with("ready") {
                    return base_url.context("ready before listening");
                }
            }
            anyhow::bail!("usher serve exited before it was ready")
        })
        .await
        .context("usher serve was not ready within 60 s")??;
        // Keep reading so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, base_url })
    }

    /// Resident and peak memory of the server process, in MiB, from /proc.
    fn memory(&self) -> Option<(f64, f64)> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }
}

/// Measures pages per second with `concurrency` connections for `duration`, as `approver`.
pub async fn run(
    database_url: &str,
    services: &Services,
    approver: UserId,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<()> {
    let server = Server::start(database_url).await?;
    let cookie = session_cookie(services, approver).await?;
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

/// A session for `user`, made as the server makes one, as a `Cookie` header value.
async fn session_cookie(services: &Services, user: UserId) -> anyhow::Result<String> {
    let session = services
        .sessions
        .start(user, "passkey", &ClientInfo::default())
        .await?;
    let keys = MasterKeys::from_secrets(&SecretString::from(SECRET_KEY), None)?;
    let cookie = SessionCodec::new(&keys.derive("console-session-jwt"), false).cookie(&session);
    Ok(format!("{}={}", cookie.name(), cookie.value()))
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
