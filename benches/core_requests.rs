//! Request creation and approval through the core service (`usher_core::service::Services`), on
//! SQLite and on PostgreSQL, with 1 and 8 concurrent callers (tokio tasks on a 2-worker runtime,
//! to mirror a 2-core box). For each configuration it prints the throughput and the p50/p99/max
//! latency of a create+approve pair, and of create and approve alone; after the inserts, the
//! latency of a 50-row request list page filtered by status. It prints figures and never fails on
//! time; errors met under load are counted and printed with their exact message.
//!
//! Run: `cargo bench --bench core_requests`. The PostgreSQL half needs a server, named by
//! `USHER_BENCH_POSTGRES_URL` or `USHER_TEST_POSTGRES_URL`, e.g.
//! `USHER_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench core_requests`;
//! it runs in a fresh schema that is dropped afterwards. `USHER_BENCH_OPS` sets the operations
//! per configuration (default 2000).

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor};
use usher_core::domain::{
    Actor, Media, MediaType, Platform, RequestStatus, Seasons, Source, TmdbId,
};
use usher_core::service::{NewRequest, Registration, Services};
use usher_core::store::requests::RequestFilter;
use usher_core::store::{ConnectOptions, Db};

use common::{ms, percentile};

const DEFAULT_OPS: u64 = 2000;
const WARMUP_OPS: u64 = 50;
const MEMBERS: u64 = 16;
const CALLERS: [usize; 2] = [1, 8];
const LIST_REPEATS: usize = 500;
const LIST_LABEL: &str = "list page (50 rows, status filter)";

/// The people making and deciding requests: members share the load, one approver decides.
#[derive(Clone)]
struct Cast {
    members: Arc<Vec<Actor>>,
    approver: Actor,
}

/// Latency of one create+approve pair, then of create alone and approve alone.
type Sample = [Duration; 3];
const PARTS: [&str; 3] = ["create+approve", "  create alone", "  approve alone"];

/// What one configuration measured.
struct Run {
    samples: Vec<Sample>,
    errors: Vec<String>,
    elapsed: Duration,
}

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run_all())
}

async fn run_all() -> anyhow::Result<()> {
    let ops = match std::env::var("USHER_BENCH_OPS") {
        Ok(raw) => raw.parse().context("USHER_BENCH_OPS must be a number")?,
        Err(_) => DEFAULT_OPS,
    };
    print_machine(ops);
    bench_sqlite(ops).await?;
    let url = std::env::var("USHER_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("USHER_TEST_POSTGRES_URL"));
    match url {
        Ok(url) => bench_postgres(&url, ops).await?,
        Err(_) => println!(
            "\nPostgreSQL half skipped: set USHER_BENCH_POSTGRES_URL or USHER_TEST_POSTGRES_URL"
        ),
    }
    Ok(())
}

async fn bench_sqlite(ops: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("temp dir")?;
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default()).await?;
    db.migrate().await?;
    let Db::Sqlite(usher_core::store::SqliteDb { pool, .. }) = &db else {
        anyhow::bail!("an sqlite: URL opened PostgreSQL");
    };
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(pool)
        .await?;
    println!("\nSQLite {version} (WAL, file in a temp dir)");
    let result = bench_backend("sqlite", &Services::new(db.clone()), ops).await;
    db.close().await;
    result
}

async fn bench_postgres(url: &str, ops: u64) -> anyhow::Result<()> {
    let random = RandomState::new().hash_one(std::process::id());
    let schema = format!("usher_bench_{random:016x}");
    let mut admin = sqlx::PgConnection::connect(url)
        .await
        .context("connect to PostgreSQL")?;
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut admin)
        .await?;
    println!("\nPostgreSQL {version} (schema {schema})");
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await?;
    let result = bench_postgres_schema(url, &schema, ops).await;
    admin
        .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .await?;
    admin.close().await?;
    result
}

async fn bench_postgres_schema(url: &str, schema: &str, ops: u64) -> anyhow::Result<()> {
    let opts = PgConnectOptions::from_str(url)?.options([("search_path", schema)]);
    let db = Db::connect_postgres(opts, &ConnectOptions::default()).await?;
    db.migrate().await?;
    let result = bench_backend("postgres", &Services::new(db.clone()), ops).await;
    db.close().await;
    result
}

/// Warm-up, then every caller count, then the list page, on one migrated database.
async fn bench_backend(backend: &str, services: &Services, ops: u64) -> anyhow::Result<()> {
    let cast = cast(services).await?;
    let warmup = measure(services, &cast, 1, WARMUP_OPS, 1).await;
    print_errors(backend, "warm-up", &warmup.errors);
    print_header();
    let mut next_tmdb = 1 + WARMUP_OPS as i64;
    for callers in CALLERS {
        let run = measure(services, &cast, callers, ops, next_tmdb).await;
        next_tmdb += ops as i64;
        print_run(backend, callers, &run);
    }
    let (list, elapsed) = measure_list(services, &cast.approver).await?;
    print_row(backend, 1, LIST_LABEL, list, Some(elapsed));
    Ok(())
}

async fn cast(services: &Services) -> anyhow::Result<Cast> {
    let mut members = Vec::new();
    for n in 0..MEMBERS {
        members.push(actor(services, 1_000 + n, "member").await?);
    }
    let approver = actor(services, 999, "approver").await?;
    Ok(Cast {
        members: Arc::new(members),
        approver,
    })
}

async fn actor(services: &Services, telegram_id: u64, role: &'static str) -> anyhow::Result<Actor> {
    let external = telegram_id.to_string();
    let (name, registration) = (
        format!("bench{telegram_id}"),
        Registration::AutoRegister(role),
    );
    let users = &services.users;
    let user = users
        .resolve(Platform::Telegram, &external, &name, registration)
        .await?;
    Ok(Actor::user(user.id, Source::Telegram { user: external }))
}

/// Runs `ops` create+approve pairs spread over `callers` tasks sharing one `Services`.
async fn measure(
    services: &Services,
    cast: &Cast,
    callers: usize,
    ops: u64,
    first_tmdb: i64,
) -> Run {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..callers {
        let (services, cast, next) = (services.clone(), cast.clone(), next.clone());
        tasks.spawn(async move {
            let mut results = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= ops {
                    break results;
                }
                results.push(one_op(&services, &cast, i, first_tmdb + i as i64).await);
            }
        });
    }
    let (mut samples, mut errors) = (Vec::new(), Vec::new());
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(results) => results.into_iter().for_each(|r| match r {
                Ok(sample) => samples.push(sample),
                Err(err) => errors.push(err),
            }),
            Err(err) => errors.push(format!("caller task failed: {err}")),
        }
    }
    let elapsed = start.elapsed();
    Run {
        samples,
        errors,
        elapsed,
    }
}

/// One member asks for a fresh movie and the approver approves it.
async fn one_op(services: &Services, cast: &Cast, i: u64, tmdb: i64) -> Result<Sample, String> {
    let member = &cast.members[(i % MEMBERS) as usize];
    let new = NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(tmdb).map_err(|e| e.to_string())?,
            tvdb_id: None,
            title: format!("Bench movie {tmdb}"),
            year: Some(2024),
        },
        seasons: Seasons::default(),
        future_seasons: false,
        four_k: false,
    };
    let start = Instant::now();
    let outcome = services
        .requests
        .create(member, new)
        .await
        .map_err(|e| format!("create: {e} ({e:?})"))?;
    let created = Instant::now();
    services
        .requests
        .approve(&cast.approver, outcome.request.id)
        .await
        .map_err(|e| format!("approve: {e} ({e:?})"))?;
    let approved = Instant::now();
    Ok([approved - start, created - start, approved - created])
}

/// The approver's first page of approved requests, [`LIST_REPEATS`] times.
async fn measure_list(
    services: &Services,
    approver: &Actor,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let filter = RequestFilter {
        statuses: vec![RequestStatus::Approved],
        ..Default::default()
    };
    let mut latencies = Vec::with_capacity(LIST_REPEATS);
    let start = Instant::now();
    for _ in 0..LIST_REPEATS {
        let began = Instant::now();
        let page = services
            .requests
            .list(approver, filter.clone(), None, 50)
            .await?;
        latencies.push(began.elapsed());
        let rows = page.items.len();
        anyhow::ensure!(rows == 50, "a list page held {rows} rows, not 50");
    }
    Ok((latencies, start.elapsed()))
}

fn print_machine(ops: u64) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name\t: "));
    let model = model.unwrap_or("unknown CPU");
    let sqlx = locked_version("sqlx").unwrap_or_else(|| "?".into());
    println!(
        "machine: nproc {cpus}, {model}; sqlx {sqlx}; tokio multi-thread, 2 workers; \
         {ops} ops per configuration after {WARMUP_OPS} warm-up ops, {MEMBERS} members, 1 approver"
    );
}

/// A package's version as pinned in the workspace's Cargo.lock.
fn locked_version(name: &str) -> Option<String> {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).ok()?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let rest = &lock[lock.find(&needle)? + needle.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

fn print_header() {
    println!(
        "{:<9} {:>7}  {:<35} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "backend", "callers", "operation", "ops", "total s", "ops/s", "p50 ms", "p99 ms", "max ms"
    );
}

fn print_run(backend: &str, callers: usize, run: &Run) {
    for (part, op) in PARTS.into_iter().enumerate() {
        let latencies = run.samples.iter().map(|s| s[part]).collect();
        let elapsed = (part == 0).then_some(run.elapsed);
        print_row(backend, callers, op, latencies, elapsed);
    }
    print_errors(backend, &format!("{callers} callers"), &run.errors);
}

/// One table line; throughput only when the latencies were the whole of `elapsed`.
fn print_row(
    backend: &str,
    callers: usize,
    op: &str,
    mut lat: Vec<Duration>,
    elapsed: Option<Duration>,
) {
    lat.sort_unstable();
    let (total, rate) = match elapsed {
        Some(e) => (
            format!("{:.3}", e.as_secs_f64()),
            format!("{:.0}", lat.len() as f64 / e.as_secs_f64()),
        ),
        None => ("-".into(), "-".into()),
    };
    println!(
        "{backend:<9} {callers:>7}  {op:<35} {:>6} {total:>8} {rate:>8} {:>8.2} {:>8.2} {:>8.2}",
        lat.len(),
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default()),
    );
}

/// Errors grouped by message, so a failure under load is reported exactly, not hidden.
fn print_errors(backend: &str, run: &str, errors: &[String]) {
    let mut grouped = BTreeMap::<&str, usize>::new();
    for err in errors {
        *grouped.entry(err.as_str()).or_default() += 1;
    }
    for (err, count) in grouped {
        println!("  !! {backend}, {run}: {count} × {err}");
    }
}
