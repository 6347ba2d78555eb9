//! Shared pieces of the backup and import tests: the Overseerr fixture database (built from the
//! SQL in tests/fixtures/overseerr, shaped like Overseerr's own schema), a database with every
//! table populated through real flows, and a backend-neutral text form of a table's rows.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Executor};

use super::harness::{TestDb, movie, show, user_with_role};
use crate::domain::{Actor, MediaType, QuotaLimit, QuotaScope, Timestamp};
use crate::ops::overseerr;
use crate::ops::tables;
use crate::service::Services;
use crate::store::{Backend, Db, in_tx, on_pool, on_tx, settings};

pub const SCHEMA_SQLITE: &str = include_str!("../../../tests/fixtures/overseerr/schema_sqlite.sql");
pub const SCHEMA_POSTGRES: &str =
    include_str!("../../../tests/fixtures/overseerr/schema_postgres.sql");
pub const DATA: &str = include_str!("../../../tests/fixtures/overseerr/data.sql");
pub const SETTINGS: &str = include_str!("../../../tests/fixtures/overseerr/settings.json");

/// Writes the Overseerr fixture as `db.sqlite3` in `dir`.
pub async fn overseerr_sqlite(dir: &Path) -> PathBuf {
    let path = dir.join("db.sqlite3");
    let opts = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .expect("fixture db");
    conn.execute(SCHEMA_SQLITE).await.expect("fixture schema");
    conn.execute(DATA).await.expect("fixture data");
    conn.close().await.expect("close fixture");
    path
}

/// Makes the fixture in `dir` another instance: another owner, and requests made at other
/// times (the same ids and titles, as two instances of one community would have).
pub const OTHER_INSTANCE: &str = "
    UPDATE \"user\" SET \"email\" = 'owner@elsewhere.example', \"createdAt\" = '2024-06-01 08:00:00'
        WHERE \"id\" = 1;
    UPDATE media_request SET \"createdAt\" = '2024-07-01 10:00:00', \"updatedAt\" = '2024-07-01 10:00:00';
";

/// The fixture's users and requests, read the way the importer reads them.
pub async fn overseerr_snapshot(dir: &Path) -> overseerr::Snapshot {
    read_snapshot(overseerr_sqlite(dir).await).await
}

/// The fixture turned into another instance ([`OTHER_INSTANCE`]), read as the importer reads it.
pub async fn other_instance_snapshot(dir: &Path) -> overseerr::Snapshot {
    let path = overseerr_sqlite(dir).await;
    let opts = SqliteConnectOptions::new().filename(&path);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .expect("fixture db");
    conn.execute(OTHER_INSTANCE).await.expect("other instance");
    conn.close().await.expect("close fixture");
    read_snapshot(path).await
}

async fn read_snapshot(path: PathBuf) -> overseerr::Snapshot {
    let source = overseerr::source::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("open fixture");
    let snapshot = overseerr::source::read(&source)
        .await
        .expect("read fixture");
    source.close().await;
    snapshot
}

/// A fresh migrated database of the same kind.
pub async fn fresh_like(db: &Db) -> TestDb {
    match db.backend() {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres().await,
    }
}

/// Fills every table through the real flows: an Overseerr import, requests, a follower, a link
/// code, a setup token, quotas, a sealed-looking setting and a handled webhook.
pub async fn populate_everything(db: &Db, dir: &Path) {
    let snapshot = overseerr_snapshot(dir).await;
    overseerr::import(db, &snapshot).await.expect("import");
    let services = Services::new(db.clone());
    let (admin_user, admin) = user_with_role(&services, 9001, "admin").await;
    let (_, member) = user_with_role(&services, 9002, "member").await;
    let (_, other) = user_with_role(&services, 9003, "member").await;
    let outcome = services
        .requests
        .create(&member, movie(78, "Blade Runner"))
        .await
        .expect("request");
    services
        .requests
        .follow(&other, outcome.request.id)
        .await
        .expect("follow");
    let episodes = crate::domain::Episodes::parse("S01E02").expect("episodes");
    services
        .requests
        .create_episodes(&other, show(1396, "Breaking Bad", &[]), &episodes)
        .await
        .expect("an episode request");
    services
        .requests
        .approve(&admin, outcome.request.id)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&Actor::system(), outcome.request.id, true)
        .await
        .expect("available");
    let problem = crate::service::NewIssue {
        media_type: MediaType::Movie,
        tmdb_id: outcome.request.media.tmdb_id,
        kind: crate::domain::IssueKind::Video,
        text: "the picture stutters".into(),
    };
    services
        .issues
        .report(&other, problem)
        .await
        .expect("issue");
    let held = crate::domain::LibraryItem {
        server: crate::domain::LibraryServer::Jellyfin,
        item_id: "4f1c0ffee".into(),
        machine_id: None,
    };
    crate::store::library::put_item(
        db,
        MediaType::Movie,
        outcome.request.media.tmdb_id,
        &held,
        Timestamp(1),
    )
    .await
    .expect("library item");
    services
        .links
        .create_code(&member)
        .await
        .expect("link code");
    services
        .setup
        .issue_link(&admin, "http://localhost:8080")
        .await
        .expect("setup link");
    let scope = QuotaScope {
        media_type: MediaType::Movie,
        four_k: false,
    };
    let limit = Some(QuotaLimit { max: 3, days: 7 });
    services
        .users
        .set_role_quota(&admin, "member", scope, limit)
        .await
        .expect("role quota");
    services
        .users
        .add_grant(
            &admin,
            "member",
            &crate::domain::GrantTarget::TelegramChat(-100_900),
        )
        .await
        .expect("role grant");
    services
        .sessions
        .start(admin_user.id, "passkey", &Default::default())
        .await
        .expect("session");
    services
        .sessions
        .begin_flow("webauthn_login", "{}")
        .await
        .expect("flow");
    services
        .searches
        .remember("dune", Some(MediaType::Movie), Some("de"))
        .await
        .expect("search");
    let now = Timestamp::now();
    let extras: crate::CoreResult<()> = in_tx(db, |tx| Box::pin(async {
        settings::put(tx, "radarr_api_key", "v1.sealed-looking-value", true, now).await?;
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO webhook_events (source, event_key, received_at) VALUES ('radarr', 'evt-1', $1)",
        )
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO passkeys (credential_id, user_id, name, credential, created_at)
             VALUES ('cred-1', $1, 'Phone', '{}', $2)",
        )
        .bind(admin_user.id.0)
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    })).await;
    extras.expect("settings and webhook");
    let approver_typing = crate::store::dialogues::DialogueKey {
        platform: crate::domain::Platform::Telegram,
        chat: "-100123",
        user: "9001",
    };
    crate::store::dialogues::put(db, approver_typing, r#"{"decline_reason":1}"#, now)
        .await
        .expect("dialogue");
    crate::store::lease::take(db, "telegram", "replica-1", Duration::from_secs(8), now)
        .await
        .expect("lease");
    let mut held = crate::domain::IndexedTitle::new(
        MediaType::Tv,
        crate::domain::TmdbId::parse(1429).expect("id"),
    );
    held.item = Some("5d77".into());
    held.set_seasons([(1, 25, 25), (2, 3, 12)]);
    held.download = Some(crate::domain::Download {
        permille: 425,
        eta: Some(now),
        state: crate::domain::DownloadState::Downloading,
    });
    crate::store::library_index::apply(db, "plex", &[&held], &[], now)
        .await
        .expect("library title");
    let source = crate::store::library_index::StoredSource {
        name: "plex".into(),
        kind: crate::domain::SourceKind::Plex,
        server_id: Some("machine-1".into()),
        health: crate::domain::SourceHealth {
            items: 1,
            last_success: Some(now),
            error: Some("credentials refused (HTTP 401)".into()),
            stale: true,
            errors: 2,
            ..Default::default()
        },
    };
    crate::store::library_index::put_source(db, &source)
        .await
        .expect("library source");
    services
        .api_keys
        .create(&crate::domain::Actor::system(), "homepage", "read,request")
        .await
        .expect("API key");
    let secret = secrecy::SecretString::from("ops-fixture-master-key-0123456789abcdef");
    let keys =
        std::sync::Arc::new(crate::crypto::MasterKeys::from_secrets(&secret, None).expect("keys"));
    let new = crate::service::NewAgent {
        name: "hass".into(),
        kind: "webhook".into(),
        target: "http://127.0.0.1:9/hook".into(),
        ..Default::default()
    };
    crate::service::AgentService::new(db.clone(), keys)
        .expect("agents")
        .add(&crate::domain::Actor::system(), new)
        .await
        .expect("agent");
    services
        .requests
        .draft_note(&other, "for the weekend")
        .await
        .expect("a note waiting for a request");
    // A group chat with a voting threshold, and a vote on a request asked there.
    let group = crate::domain::PlaceKey::TelegramChat(-100_123);
    let rules = crate::domain::PlaceInput {
        telegram_chat: Some(-100_123),
        threshold: Some(5),
        ..Default::default()
    };
    services
        .places
        .save(&admin, &rules, None)
        .await
        .expect("place")
        .expect("valid place");
    let asked_there = services
        .requests
        .create_at(&member, movie(79, "Arrival"), Some(group))
        .await
        .expect("a request from the group");
    services
        .requests
        .vote(&other, asked_there.request.id, Some(group))
        .await
        .expect("a vote");
    for table in tables::TABLES {
        let n = super::harness::count(db, table.name).await;
        assert!(n > 0, "fixture leaves {} empty", table.name);
    }
}

/// Every row of a table as text, in the table's dump order, the same on both backends.
pub async fn table_rows(db: &Db, table: &tables::Table) -> Vec<String> {
    let columns: Vec<String> = match db {
        Db::Sqlite(crate::store::SqliteDb { pool, .. }) => {
            let mut conn = pool.acquire().await.expect("conn");
            tables::columns_sqlite(&mut conn, "main", table.name)
                .await
                .expect("columns")
        }
        Db::Postgres(crate::store::PgDb { pool, .. }) => {
            let mut conn = pool.acquire().await.expect("conn");
            tables::columns_pg(&mut conn, table.name)
                .await
                .expect("columns")
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        }
    };
    let cells: Vec<String> = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '∅')"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        cells.join(" || '|' || "),
        table.name,
        table.order_by
    );
    let rows: Vec<(String,)> =
        on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(pool)
        .await)
        .expect("rows");
    // Booleans read back as 1/0 on SQLite and true/false on PostgreSQL; both sides of a
    // comparison are the same backend, so no normalising is needed.
    rows.into_iter().map(|(r,)| r).collect()
}
