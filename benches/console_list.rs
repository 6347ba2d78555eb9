//! The console's request list (`/requests`) over 1,000,000 requests on SQLite: the p50/p99/max
//! latency of one 50-row page, for each filter the page offers (status, type, source,
//! requester, date range, combinations) and for a page deep in the list (keyset cursor), both
//! through `RequestService::list` (what the page calls: permission check, page, requester names)
//! and the bare store query. Then the dashboard's figures over the same rows. Prints figures,
//! never fails on time; the target is ≤ 20 ms p99 for a filtered page.
//!
//! Run: `cargo bench --bench console_list`. `USHER_BENCH_ROWS` sets the number of requests
//! (default 1,000,000), `USHER_BENCH_REPEATS` the samples per case (default 300).

use std::time::{Duration, Instant};

use anyhow::Context;
use usher_core::domain::{Actor, MediaType, Platform, RequestStatus, Source, Timestamp, UserId};
use usher_core::service::{Registration, Services};
use usher_core::store::requests::{self, Cursor, RequestFilter};
use usher_core::store::{ConnectOptions, Db, SqliteDb};

const DEFAULT_ROWS: i64 = 1_000_000;
const DEFAULT_REPEATS: usize = 300;
const WARMUP: usize = 20;
const USERS: i64 = 5_000;
const PAGE: u32 = 50;
/// Requests are spread over the last two years.
const SPAN: Duration = Duration::from_secs(2 * 365 * 86_400);

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("build the tokio runtime")?;
    runtime.block_on(run())
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(raw) => raw
            .parse()
            .ok()
            .with_context(|| format!("{name} must be a number")),
        Err(_) => Ok(default),
    }
}

async fn run() -> anyhow::Result<()> {
    let rows: i64 = env_number("USHER_BENCH_ROWS", DEFAULT_ROWS)?;
    let repeats: usize = env_number("USHER_BENCH_REPEATS", DEFAULT_REPEATS)?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: nproc {cpus}; SQLite (sqlx bundled); tokio multi-thread, 2 workers; \
         {rows} requests from {USERS} users over two years; {repeats} samples per case"
    );
    let dir = tempfile::tempdir().context("temp dir")?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, &ConnectOptions::default()).await?;
    db.migrate().await?;
    let started = Instant::now();
    let now = Timestamp::now();
    seed(&db, rows, now).await?;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());

    let services = Services::new(db.clone());
    let approver = services
        .users
        .resolve(
            Platform::Telegram,
            "1",
            "approver",
            Registration::AutoRegister("approver"),
        )
        .await?;
    let approver = Actor::user(approver.id, Source::Web { ip: None });

    let middle = Timestamp(now.0 - i64::try_from(SPAN.as_millis() / 2).unwrap_or(0));
    let deep = Some(Cursor {
        created_at: middle,
        id: usher_core::domain::RequestId(i64::MAX),
    });
    let month_ago = Timestamp(now.0 - 30 * 86_400_000);
    let status = |s: RequestStatus| vec![s];
    let cases: Vec<(&str, RequestFilter, Option<Cursor>)> = vec![
        ("no filter, first page", RequestFilter::default(), None),
        (
            "no filter, deep page (cursor mid-list)",
            RequestFilter::default(),
            deep,
        ),
        (
            "status = pending",
            RequestFilter {
                statuses: status(RequestStatus::Pending),
                ..Default::default()
            },
            None,
        ),
        (
            "status = failed, deep page",
            RequestFilter {
                statuses: status(RequestStatus::Failed),
                ..Default::default()
            },
            deep,
        ),
        (
            "type = tv",
            RequestFilter {
                media_type: Some(MediaType::Tv),
                ..Default::default()
            },
            None,
        ),
        (
            "source = web (1% of rows)",
            RequestFilter {
                source: Some(Platform::Web),
                ..Default::default()
            },
            None,
        ),
        (
            "source = web, deep page",
            RequestFilter {
                source: Some(Platform::Web),
                ..Default::default()
            },
            deep,
        ),
        (
            "requester = one user",
            RequestFilter {
                requested_by: Some(UserId(42)),
                ..Default::default()
            },
            None,
        ),
        (
            "last 30 days",
            RequestFilter {
                created_from: Some(month_ago),
                ..Default::default()
            },
            None,
        ),
        (
            "pending + tv + web",
            RequestFilter {
                statuses: status(RequestStatus::Pending),
                media_type: Some(MediaType::Tv),
                source: Some(Platform::Web),
                ..Default::default()
            },
            None,
        ),
        (
            "failed + movie + last 30 days",
            RequestFilter {
                statuses: status(RequestStatus::Failed),
                media_type: Some(MediaType::Movie),
                created_from: Some(month_ago),
                ..Default::default()
            },
            None,
        ),
        (
            "pending + one requester",
            RequestFilter {
                statuses: status(RequestStatus::Pending),
                requested_by: Some(UserId(42)),
                ..Default::default()
            },
            None,
        ),
    ];

    println!(
        "\n{:<42} {:>9} {:>9} {:>9} {:>5}   {:>9} {:>9}",
        "RequestService::list (50 rows)",
        "p50 ms",
        "p99 ms",
        "max ms",
        "rows",
        "store p50",
        "store p99"
    );
    let mut worst = Duration::ZERO;
    for (name, filter, after) in &cases {
        let (service, found) = sample(repeats, || async {
            let page = services
                .requests
                .list(&approver, filter.clone(), *after, PAGE)
                .await?;
            Ok(page.items.len())
        })
        .await?;
        let (store, _) = sample(repeats, || async {
            requests::list(&db, filter, *after, PAGE + 1)
                .await
                .map(|rows| rows.len())
        })
        .await?;
        worst = worst.max(percentile(&service, 99));
        println!(
            "{name:<42} {:>9.2} {:>9.2} {:>9.2} {found:>5}   {:>9.2} {:>9.2}",
            ms(percentile(&service, 50)),
            ms(percentile(&service, 99)),
            ms(*service.last().unwrap_or(&Duration::ZERO)),
            ms(percentile(&store, 50)),
            ms(percentile(&store, 99)),
        );
    }
    println!("worst p99 of a page: {:.2} ms (target ≤ 20 ms)", ms(worst));

    let (dashboard, _) = sample(repeats.min(50), || async {
        services
            .dashboard
            .overview(&approver, Timestamp::now())
            .await
            .map(|o| o.failed_recent.len())
    })
    .await?;
    println!(
        "\ndashboard overview (counts, 12 weekly buckets, newest failed): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&dashboard, 50)),
        ms(percentile(&dashboard, 99)),
    );
    db.close().await;
    Ok(())
}

/// Runs `call` `WARMUP + repeats` times; returns the sorted durations of the last `repeats` and
/// what the last call answered (rows found).
async fn sample<F, Fut>(repeats: usize, mut call: F) -> anyhow::Result<(Vec<Duration>, usize)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usher_core::CoreResult<usize>>,
{
    let mut times = Vec::with_capacity(repeats);
    let mut answered = 0;
    for i in 0..WARMUP + repeats {
        let started = Instant::now();
        answered = call().await?;
        if i >= WARMUP {
            times.push(started.elapsed());
        }
    }
    times.sort_unstable();
    Ok((times, answered))
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `USERS` users and `rows` requests spread evenly over the last two years: 60% movies, 1% made
/// in the web console and 39% on Discord, the rest on Telegram, statuses weighted towards
/// available as in a library that has run for a while. Generated in SQLite itself, in one
/// statement each, since a million service calls would take an hour.
async fn seed(db: &Db, rows: i64, now: Timestamp) -> anyhow::Result<()> {
    let Db::Sqlite(SqliteDb { pool, .. }) = db else {
        anyhow::bail!("this benchmark runs on SQLite");
    };
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO users (display_name, disabled, created_at, updated_at)
         SELECT 'member ' || i, FALSE, 0, 0 FROM n",
    )
    .bind(USERS)
    .execute(pool)
    .await?;
    let step = i64::try_from(SPAN.as_millis()).unwrap_or(i64::MAX) / rows.max(1);
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO requests (media_type, tmdb_id, title, year, seasons, four_k, status,
             requested_by, source, retry_count, created_at, updated_at)
         SELECT CASE WHEN i % 5 < 3 THEN 'movie' ELSE 'tv' END, i, 'Title ' || i, 1990 + i % 35,
             CASE WHEN i % 5 < 3 THEN '' ELSE '1,2' END, i % 20 = 0,
             CASE abs(random()) % 18 WHEN 0 THEN 'pending' WHEN 1 THEN 'approved'
                 WHEN 2 THEN 'submitted' WHEN 3 THEN 'submitted' WHEN 4 THEN 'declined'
                 WHEN 5 THEN 'declined' WHEN 6 THEN 'failed' WHEN 7 THEN 'cancelled'
                 ELSE 'available' END,
             1 + abs(random()) % $2,
             CASE WHEN i % 101 = 0 THEN 'web' WHEN i % 101 < 40 THEN 'discord' ELSE 'telegram' END,
             0, $3 + i * $4, $3 + i * $4
         FROM n",
    )
    .bind(rows)
    .bind(USERS)
    .bind(now.0 - step * rows)
    .bind(step)
    .execute(pool)
    .await?;
    Ok(())
}
