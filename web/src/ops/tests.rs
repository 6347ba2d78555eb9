//! `/readyz` while the database cannot save: SQLite's `max_page_count` (a per-connection
//! setting, hence a pool of one) makes writes fail with `SQLITE_FULL` as a full volume does.

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::Executor;
use usher_core::domain::{Actor, Media, MediaType, Platform, Source, TmdbId};
use usher_core::service::{NewRequest, Registration};
use usher_core::store::{ConnectOptions, Db, SqliteDb};

use super::readyz;
use crate::state::{AppState, WebParts};

async fn max_pages(db: &Db, pages: u64) {
    let Db::Sqlite(SqliteDb { pool, .. }) = db else {
        panic!("an SQLite test");
    };
    pool.execute(sqlx::AssertSqlSafe(format!(
        "PRAGMA max_page_count = {pages}"
    )))
    .await
    .expect("pragma");
}

fn movie(id: i64, title: String) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(id).expect("id"),
            tvdb_id: None,
            title,
            year: None,
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    }
}

#[tokio::test]
async fn not_ready_while_writes_fail_and_ready_again_once_one_succeeds() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let options = ConnectOptions {
        max_connections: 1,
        ..ConnectOptions::default()
    };
    let db = Db::connect(&url, &options).await.expect("db");
    db.migrate().await.expect("migrate");
    let state = AppState::new(WebParts::for_tests(&db, "http://localhost"));
    let services = state.services().clone();
    let user = services
        .users
        .resolve(
            Platform::Telegram,
            "7",
            "ann",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("user");
    let actor = Actor::user(user.id, Source::Telegram { user: "7".into() });
    assert_eq!(readyz(State(state.clone())).await.0, StatusCode::OK);

    max_pages(&db, 1).await;
    let mut failed = false;
    for n in 0..500 {
        let title = format!("Filler {n} {}", "x".repeat(200));
        if services
            .requests
            .create(&actor, movie(1000 + n, title))
            .await
            .is_err()
        {
            failed = true;
            break;
        }
    }
    assert!(failed, "the full volume refused a write");
    assert_eq!(
        readyz(State(state.clone())).await,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database cannot save".to_owned()
        )
    );

    max_pages(&db, 1 << 30).await;
    services
        .requests
        .create(&actor, movie(438631, "Dune".into()))
        .await
        .expect("room again");
    assert_eq!(readyz(State(state)).await.0, StatusCode::OK);
    db.close().await;
}
