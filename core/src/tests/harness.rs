//! Fresh databases and ready-made users for tests.

use std::str::FromStr;

use rand::Rng;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor};

use crate::domain::{Actor, Media, MediaType, Platform, Source, TmdbId, User};
use crate::service::{NewRequest, Registration, Services};
use crate::store::{ConnectOptions, Db};

/// A migrated database that cleans itself up when the test ends normally.
pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("usher.db").display());
        let db = Db::connect(&url, &ConnectOptions::default())
            .await
            .expect("sqlite");
        db.migrate().await.expect("migrate sqlite");
        Self {
            db,
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    pub async fn postgres() -> Self {
        let url = std::env::var("USHER_TEST_POSTGRES_URL").expect(
            "USHER_TEST_POSTGRES_URL must point at a PostgreSQL server (the README's test command sets it)",
        );
        let schema = format!("usher_test_{:016x}", rand::rng().random::<u64>());
        let mut admin = sqlx::PgConnection::connect(&url)
            .await
            .expect("postgres reachable");
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .await
            .expect("create schema");
        let opts = PgConnectOptions::from_str(&url)
            .expect("postgres url")
            .options([("search_path", schema.as_str())]);
        let db = Db::connect_postgres(opts, &ConnectOptions::default())
            .await
            .expect("postgres");
        db.migrate().await.expect("migrate postgres");
        Self {
            db,
            _dir: None,
            pg_schema: Some((url, schema)),
        }
    }

    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((url, schema)) = self.pg_schema
            && let Ok(mut admin) = sqlx::PgConnection::connect(&url).await
        {
            let _ = admin
                .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .await;
        }
    }
}

/// Generates `<name>::sqlite` and `<name>::postgres` tests from one async body taking a `Db`.
macro_rules! both_dbs {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: crate::store::Db) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db = crate::tests::harness::TestDb::sqlite().await;
                run(test_db.db.clone()).await;
                test_db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let test_db = crate::tests::harness::TestDb::postgres().await;
                run(test_db.db.clone()).await;
                test_db.cleanup().await;
            }
        }
    };
}
pub(crate) use both_dbs;

/// A Telegram user with the given built-in role, and the actor for acting as them.
pub async fn user_with_role(
    services: &Services,
    telegram_id: u64,
    role: &'static str,
) -> (User, Actor) {
    let external = telegram_id.to_string();
    let user = services
        .users
        .resolve(
            Platform::Telegram,
            &external,
            &format!("user{telegram_id}"),
            Registration::AutoRegister(role),
        )
        .await
        .expect("resolve user");
    let actor = Actor::user(user.id, Source::Telegram { user: external });
    (user, actor)
}

pub fn movie(tmdb_id: i64, title: &str) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(tmdb_id).expect("tmdb id"),
            tvdb_id: None,
            title: title.into(),
            year: Some(2021),
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    }
}

pub fn show(tmdb_id: i64, title: &str, seasons: &[u16]) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Tv,
            tmdb_id: TmdbId::parse(tmdb_id).expect("tmdb id"),
            tvdb_id: None,
            title: title.into(),
            year: Some(2019),
        },
        seasons: crate::domain::Seasons::new(seasons.iter().copied()),
        future_seasons: false,
        four_k: false,
    }
}

/// Rows in a table, to prove a refused action wrote nothing.
pub async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let row: (i64,) = crate::store::on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_one(pool).await)
        .expect("count");
    row.0
}
