//! Availability reconcile at scale: 100,000 library items and 10,000 open requests. Prints the
//! time and the number of upstream calls of one pass (and of the next, steady-state pass) for
//! Jellyfin, Emby and Plex fakes on loopback, on SQLite and — when `USHER_TEST_POSTGRES_URL` is
//! set — on PostgreSQL. A benchmark prints figures; it never fails on a time.
//!
//! Run: `cargo bench --bench reconcile` (release build).

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};
use usher_core::domain::{Platform, Timestamp};
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::mediaserver::{Flavor, JellyfinClient, MediaServer, PlexClient};
use usher_core::jobs::reconcile::Reconciler;
use usher_core::service::{Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::{FakeJellyfin, FakePlex, FakeServer, Product};

const LIBRARY_MOVIES: u32 = 80_000;
const LIBRARY_SHOWS: u32 = 20_000;
const OPEN_MOVIES: u32 = 8_000;
const OPEN_SHOWS: u32 = 2_000;
/// One open request in this many is in the library (the rest are still downloading).
const PRESENT_ONE_IN: u32 = 10;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        println!(
            "reconcile: {} library items ({LIBRARY_MOVIES} movies, {LIBRARY_SHOWS} shows), {} open requests, 1 in {PRESENT_ONE_IN} present",
            LIBRARY_MOVIES + LIBRARY_SHOWS,
            OPEN_MOVIES + OPEN_SHOWS
        );
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        for server in ["Jellyfin", "Emby", "Plex"] {
            let db = Db::connect(&url.replace("bench", server), &ConnectOptions::default()).await?;
            db.migrate().await?;
            scenario("SQLite", server, db).await?;
        }
        if let Ok(pg) = std::env::var("USHER_TEST_POSTGRES_URL") {
            for server in ["Jellyfin", "Emby", "Plex"] {
                let (db, schema) = postgres(&pg).await?;
                let result = scenario("PostgreSQL", server, db.clone()).await;
                db.close().await;
                let mut admin = sqlx::PgConnection::connect(&pg).await?;
                admin
                    .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .await?;
                result?;
            }
        } else {
            println!("(set USHER_TEST_POSTGRES_URL to include PostgreSQL)");
        }
        Ok(())
    })
}

async fn postgres(url: &str) -> anyhow::Result<(Db, String)> {
    let schema = format!("usher_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(url).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        )))
        .await?;
    let opts = sqlx::postgres::PgConnectOptions::from_str(url)?
        .options([("search_path", schema.as_str())]);
    let db = Db::connect_postgres(opts, &ConnectOptions::default()).await?;
    db.migrate().await?;
    Ok((db, schema))
}

/// Movies open for TMDB ids 1..=OPEN_MOVIES; shows for TMDB ids 1_000_001.. with TVDB ids
/// 5_000_001.., each asking for seasons 1 and 2.
async fn open_requests(db: &Db) -> anyhow::Result<()> {
    let services = Services::new(db.clone());
    let user = services
        .users
        .resolve(
            Platform::Telegram,
            "1",
            "bench",
            Registration::AutoRegister("trusted"),
        )
        .await?;
    let now = Timestamp::now().0;
    let mut rows = Vec::new();
    for i in 1..=OPEN_MOVIES {
        rows.push(format!(
            "('movie', {i}, NULL, 'Movie {i}', 2020, '', FALSE, 'submitted', {}, 'telegram', 0, {now}, {now})",
            user.id.0
        ));
    }
    for i in 1..=OPEN_SHOWS {
        rows.push(format!(
            "('tv', {}, {}, 'Show {i}', 2020, '1,2', FALSE, 'submitted', {}, 'telegram', 0, {now}, {now})",
            1_000_000 + i,
            5_000_000 + i,
            user.id.0
        ));
    }
    for chunk in rows.chunks(500) {
        let sql = format!(
            "INSERT INTO requests (media_type, tmdb_id, tvdb_id, title, year, seasons, four_k, status, \
             requested_by, source, retry_count, created_at, updated_at) VALUES {}",
            chunk.join(", ")
        );
        match db {
            Db::Sqlite(usher_core::store::SqliteDb { pool, .. }) => {
                pool.execute(sqlx::AssertSqlSafe(sql)).await.map(|_| ())?
            }
            Db::Postgres(usher_core::store::PgDb { pool, .. }) => {
                pool.execute(sqlx::AssertSqlSafe(sql)).await.map(|_| ())?
            }
        }
    }
    Ok(())
}

/// Whether open request number `i` is already in the library.
fn present(i: u32) -> bool {
    i.is_multiple_of(PRESENT_ONE_IN)
}

async fn jellyfin_library(product: Product) -> (FakeJellyfin, Arc<dyn MediaServer>) {
    let fake = FakeJellyfin::start_as("bench", product).await;
    for i in 1..=LIBRARY_MOVIES {
        // Library movies that are also open requests are exactly the "present" ones.
        let tmdb = if i <= OPEN_MOVIES && !present(i) {
            10_000_000 + i
        } else {
            i
        };
        fake.add_movie(tmdb, "Movie");
    }
    for i in 1..=LIBRARY_SHOWS {
        let open = i <= OPEN_SHOWS && present(i);
        let (tvdb, tmdb) = if open {
            (5_000_000 + i, 1_000_000 + i)
        } else {
            (7_000_000 + i, 8_000_000 + i)
        };
        let id = fake.add_series(Some(tvdb), Some(tmdb), "Show");
        if open {
            fake.add_episodes(&id, 1, 3);
        }
    }
    let flavor = if product == Product::Emby {
        Flavor::Emby
    } else {
        Flavor::Jellyfin
    };
    let client = JellyfinClient::new(fake.url(), "bench", &http())
        .map(|c| c.with_flavor(flavor))
        .map(|c| Arc::new(c) as Arc<dyn MediaServer>);
    (fake, client.unwrap_or_else(|e| panic!("client: {e}")))
}

async fn plex_library() -> (FakePlex, Arc<dyn MediaServer>) {
    let fake = FakePlex::start("bench").await;
    for i in 1..=LIBRARY_MOVIES {
        let tmdb = if i <= OPEN_MOVIES && !present(i) {
            10_000_000 + i
        } else {
            i
        };
        fake.add_movie(tmdb, "Movie");
    }
    for i in 1..=LIBRARY_SHOWS {
        let open = i <= OPEN_SHOWS && present(i);
        let (tvdb, tmdb) = if open {
            (5_000_000 + i, 1_000_000 + i)
        } else {
            (7_000_000 + i, 8_000_000 + i)
        };
        let key = fake.add_show(Some(tvdb), Some(tmdb), "Show");
        if open {
            fake.add_season(&key, 1, 3);
        }
    }
    let client =
        PlexClient::new(fake.url(), "bench", &http()).map(|c| Arc::new(c) as Arc<dyn MediaServer>);
    (fake, client.unwrap_or_else(|e| panic!("client: {e}")))
}

fn http() -> HttpSettings {
    HttpSettings::with_timeout(Duration::from_secs(60))
}

async fn scenario(database: &str, server: &str, db: Db) -> anyhow::Result<()> {
    open_requests(&db).await?;
    let (fake, client): (Box<dyn std::any::Any>, Arc<dyn MediaServer>) = match server {
        "Plex" => {
            let (fake, client) = plex_library().await;
            (Box::new(fake), client)
        }
        "Emby" => {
            let (fake, client) = jellyfin_library(Product::Emby).await;
            (Box::new(fake), client)
        }
        _ => {
            let (fake, client) = jellyfin_library(Product::Jellyfin).await;
            (Box::new(fake), client)
        }
    };
    let recorder = recorder(fake.as_ref());
    let job = Reconciler::new(db.clone(), vec![client]);
    for pass in ["first pass", "steady state"] {
        let calls_before = recorder.map_or(0, |r| r.received().len());
        let started = Instant::now();
        let report = job.try_run_once().await?;
        let took = started.elapsed();
        let calls = recorder.map_or(0, |r| r.received().len()) - calls_before;
        println!(
            "{database:<10} {server:<8} {pass:<12}: {:>7.1} ms, {calls:>4} upstream calls, {} open, {} changed, {} failures",
            took.as_secs_f64() * 1000.0,
            report.open,
            report.changed.len(),
            report.failures.len()
        );
    }
    db.close().await;
    Ok(())
}

fn recorder(fake: &dyn std::any::Any) -> Option<&FakeServer> {
    fake.downcast_ref::<FakeJellyfin>()
        .map(|f| &f.server)
        .or_else(|| fake.downcast_ref::<FakePlex>().map(|f| &f.server))
}
