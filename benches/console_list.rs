//! The console's request list (`/requests`) over 1,000,000 requests, on SQLite and then on
//! PostgreSQL: the p50/p99/max latency of one 50-row page, for each filter the page offers
//! (status, type, source, requester, date range, combinations) and for a page deep in the list
//! (keyset cursor), both through `RequestService::list` (what the page calls: permission check,
//! page, requester names) and the bare store query; the dashboard's figures over the same rows;
//! then pages per second through the real `usher serve` binary under a local load generator.
//! Prints figures, never fails on time; the target is ≤ 20 ms p99 for a filtered page.
//!
//! Run: `cargo bench --bench console_list`. `USHER_BENCH_ROWS` sets the number of requests
//! (default 1,000,000), `USHER_BENCH_REPEATS` the samples per case (default 300),
//! `USHER_BENCH_LOAD_SECS` and `USHER_BENCH_CONNECTIONS` the HTTP load (default 10 s, 8).
//! PostgreSQL runs when `USHER_BENCH_POSTGRES_URL` (or the test suite's
//! `USHER_TEST_POSTGRES_URL`) names a server; a database is created and dropped for the run.

#[path = "common/mod.rs"]
mod common;

#[path = "console_list/load.rs"]
mod load;
#[path = "console_list/seed.rs"]
mod seed;

use std::time::{Duration, Instant};

use usher_core::domain::{Actor, MediaType, Platform, RequestStatus, Source, Timestamp, UserId};
use usher_core::service::{Browse, Registration, Services};
use usher_core::store::Db;
use usher_core::store::request_browse::RequestSort;
use usher_core::store::requests::{self, Cursor, RequestFilter};

use seed::{Backend, SPAN, USERS};

use common::{env_number, ms, percentile};

const DEFAULT_ROWS: i64 = 1_000_000;
const DEFAULT_REPEATS: usize = 300;
const WARMUP: usize = 20;
const PAGE: u32 = 50;

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

async fn run() -> anyhow::Result<()> {
    let figures = Figures {
        rows: env_number("USHER_BENCH_ROWS", DEFAULT_ROWS)?,
        repeats: env_number("USHER_BENCH_REPEATS", DEFAULT_REPEATS)?,
        load: Duration::from_secs(env_number("USHER_BENCH_LOAD_SECS", 10)?),
        connections: env_number("USHER_BENCH_CONNECTIONS", 8)?,
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: nproc {cpus}; tokio multi-thread, 2 workers; {} requests from {USERS} users \
         over two years; {} samples per case",
        figures.rows, figures.repeats
    );
    bench_backend(Backend::sqlite()?, &figures).await?;
    let postgres = std::env::var("USHER_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("USHER_TEST_POSTGRES_URL"));
    match postgres {
        Ok(url) => bench_backend(Backend::postgres(&url).await?, &figures).await?,
        Err(_) => println!("\nPostgreSQL skipped: set USHER_BENCH_POSTGRES_URL to measure it"),
    }
    Ok(())
}

/// How much to measure.
struct Figures {
    rows: i64,
    repeats: usize,
    load: Duration,
    connections: usize,
}

/// Seeds one backend, prints its figures and removes its database.
async fn bench_backend(backend: Backend, figures: &Figures) -> anyhow::Result<()> {
    println!("\n=== {} ===", backend.label());
    let started = Instant::now();
    let now = Timestamp::now();
    let db = seed::seeded(&backend, figures.rows, now).await?;
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
    list_pages(&db, &services, approver.id, now, figures.repeats).await?;
    load::run(
        &backend.url()?,
        &services,
        approver.id,
        figures.connections,
        figures.load,
    )
    .await?;
    db.close().await;
    backend.remove().await
}

/// The list cases and the dashboard, in process.
async fn list_pages(
    db: &Db,
    services: &Services,
    approver: UserId,
    now: Timestamp,
    repeats: usize,
) -> anyhow::Result<()> {
    let approver = Actor::user(approver, Source::Web { ip: None });
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
            requests::list(db, filter, *after, PAGE + 1)
                .await
                .map(|rows| rows.len())
        })
        .await?;
        worst = worst.max(percentile(&service, 0.99));
        println!(
            "{name:<42} {:>9.2} {:>9.2} {:>9.2} {found:>5}   {:>9.2} {:>9.2}",
            ms(percentile(&service, 0.50)),
            ms(percentile(&service, 0.99)),
            ms(*service.last().unwrap_or(&Duration::ZERO)),
            ms(percentile(&store, 0.50)),
            ms(percentile(&store, 0.99)),
        );
    }
    println!("worst p99 of a page: {:.2} ms (target ≤ 20 ms)", ms(worst));
    browse_pages(services, &approver, repeats).await?;

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
        ms(percentile(&dashboard, 0.50)),
        ms(percentile(&dashboard, 0.99)),
    );
    Ok(())
}

/// What `/requests` calls since issue 18: `RequestService::browse` (sorted, numbered page,
/// capped counts per status, requester names), per sort and a few filters.
async fn browse_pages(services: &Services, approver: &Actor, repeats: usize) -> anyhow::Result<()> {
    let tv = RequestFilter {
        media_type: Some(MediaType::Tv),
        ..Default::default()
    };
    let pending = RequestFilter {
        statuses: vec![RequestStatus::Pending],
        ..Default::default()
    };
    let titled = RequestFilter {
        title: Some("the".into()),
        ..Default::default()
    };
    let cases: Vec<(&str, RequestFilter, RequestSort, u64)> = vec![
        (
            "newest, page 1",
            RequestFilter::default(),
            RequestSort::Newest,
            1,
        ),
        (
            "newest, page 20",
            RequestFilter::default(),
            RequestSort::Newest,
            20,
        ),
        (
            "oldest, page 1",
            RequestFilter::default(),
            RequestSort::Oldest,
            1,
        ),
        (
            "title A-Z, page 1",
            RequestFilter::default(),
            RequestSort::Title,
            1,
        ),
        (
            "title A-Z, page 20",
            RequestFilter::default(),
            RequestSort::Title,
            20,
        ),
        (
            "by status, page 1",
            RequestFilter::default(),
            RequestSort::Status,
            1,
        ),
        ("type = tv, newest", tv, RequestSort::Newest, 1),
        (
            "status = pending, title A-Z",
            pending,
            RequestSort::Title,
            1,
        ),
        ("title contains \"the\"", titled, RequestSort::Newest, 1),
    ];
    println!(
        "\n{:<42} {:>9} {:>9} {:>9} {:>5}",
        "RequestService::browse (50 rows + counts)", "p50 ms", "p99 ms", "max ms", "rows"
    );
    let mut worst = Duration::ZERO;
    for (name, filter, sort, page) in cases {
        let (times, found) = sample(repeats, || async {
            let browse = Browse {
                filter: filter.clone(),
                sort,
                page,
                per_page: PAGE,
            };
            let found = services.requests.browse(approver, browse).await?;
            Ok(found.items.len())
        })
        .await?;
        worst = worst.max(percentile(&times, 0.99));
        println!(
            "{name:<42} {:>9.2} {:>9.2} {:>9.2} {found:>5}",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
        );
    }
    println!(
        "worst p99 of a browse page: {:.2} ms (target ≤ 20 ms)",
        ms(worst)
    );
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
