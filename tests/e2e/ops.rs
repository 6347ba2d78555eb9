//! `usher import overseerr`, `usher backup` and `usher restore` through the binary, on SQLite
//! and on PostgreSQL, with an Overseerr-shaped fixture database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::Connection;

use crate::support::{drop_database, postgres_database, temp_dir, usher};

const SCHEMA: &str = include_str!("../fixtures/overseerr/schema_sqlite.sql");
const DATA: &str = include_str!("../fixtures/overseerr/data.sql");
const SETTINGS: &str = include_str!("../fixtures/overseerr/settings.json");

/// Rows for the tables an import and a setup link leave empty, with awkward text on purpose.
const EXTRA_ROWS: &str = "
INSERT INTO role_quotas (role_id, scope, max_count, days) SELECT id, 'movie', 3, 7 FROM roles WHERE name = 'member';
INSERT INTO request_followers (request_id, user_id, created_at)
    SELECT MIN(id), (SELECT MAX(id) FROM users), 1 FROM requests;
INSERT INTO outbox (topic, payload, created_at, available_at, attempts)
    VALUES ('notify', '{\"text\": \"it''s a \\ back\\slash; ünï ✓\r\n-- not a comment\nCOMMIT;\"}', 1, 1, 0);
INSERT INTO link_codes (code_hash, user_id, expires_at, created_at) SELECT 'hash-1', MIN(id), 99, 1 FROM users;
INSERT INTO settings (key, value, secret, updated_at) VALUES ('radarr_api_key', 'v1.sealed', TRUE, 1);
INSERT INTO webhook_events (source, event_key, received_at) VALUES ('radarr', 'evt-1', 1);
INSERT INTO sessions (jti, user_id, via, created_at, last_seen_at, expires_at, revoked_at, ip, user_agent)
    SELECT 'jti-1', MIN(id), 'passkey', 1, 2, 3, NULL, '192.0.2.1', 'test' FROM users;
INSERT INTO passkeys (credential_id, user_id, name, credential, created_at, last_used_at)
    SELECT 'cred-1', MIN(id), 'Phone', '{}', 1, NULL FROM users;
INSERT INTO auth_flows (id_hash, kind, state, expires_at, created_at) VALUES ('flow-1', 'oidc', '{}', 99, 1);
INSERT INTO searches (query, media_type, language, created_at) VALUES ('l''été “dune”', 'movie', 'fr', 1);
INSERT INTO chat_dialogues (platform, chat_id, user_id, state, updated_at)
    VALUES ('telegram', '-100123', '42', '{\"waiting_for\": \"decline_reason\"}', 1);
INSERT INTO issues (media_type, tmdb_id, title, year, request_id, kind, text, status, reported_by,
    source, resolved_by, resolution_note, resolved_at, created_at, updated_at)
    SELECT media_type, tmdb_id, title, year, id, 'audio', 'no sound — ünï ✓', 'resolved',
        requested_by, 'telegram', requested_by, 'fixed', 2, 1, 2
    FROM requests WHERE id = (SELECT MIN(id) FROM requests);
INSERT INTO library_items (media_type, tmdb_id, server, item_id, machine_id, updated_at)
    VALUES ('tv', 1429, 'plex', '5d77', 'a1b2c3', 1);
INSERT INTO leases (name, holder, expires_at) VALUES ('telegram-polling', '4242-0badcafe', 1);
INSERT INTO api_keys (name, user_id, key_hash, scopes, permissions, created_at, last_used_at, revoked_at)
    SELECT 'homepage', MAX(id), 'ab12', 'read,request', 1, 1, 2, NULL FROM users;
INSERT INTO library_index_titles (source, media_type, tmdb_id, tvdb_id, imdb_id, item_id, four_k,
    present, monitored, seasons, progress, eta, download_state, updated_at)
    VALUES ('plex', 'tv', 1429, 267440, 'tt2560140', '5d77', FALSE, TRUE, FALSE, '1:25/25,2:3/12',
        425, 99, 'downloading', 1);
INSERT INTO library_index_sources (source, kind, server_id, items, last_full_at,
    last_incremental_at, last_success_at, duration_ms, error, stale, errors)
    VALUES ('plex', 'plex', 'a1b2c3', 1, 1, 2, 2, 1500, 'credentials refused (HTTP 401)', TRUE, 3);
INSERT INTO notification_agents (name, kind, target, secret, events, options, created_at, updated_at)
    VALUES ('hass', 'webhook', 'http://hass.lan:8123/api/webhook/usher', 'sealed-secret',
        'requested,available', '{}', 1, 2);
INSERT INTO role_grants (role_id, kind, value, from_file, created_at)
    SELECT id, 'telegram_chat', '-100123', TRUE, 1 FROM roles WHERE name = 'member';
INSERT INTO places (place, threshold, budget_movies, budget_seasons, budget_days, updated_at)
    VALUES ('telegram:-100123', 3, 20, NULL, 30, 1);
INSERT INTO request_votes (request_id, user_id, place, created_at)
    SELECT MIN(id), (SELECT MAX(id) FROM users), 'telegram:-100123', 1 FROM requests;
INSERT INTO request_note_drafts (user_id, note, created_at)
    SELECT MIN(id), 'for the kids'' weekend ✓', 1 FROM users;
INSERT INTO request_episode_claims (request_id, tmdb_id, four_k, season, episode, active, present)
    SELECT id, tmdb_id, FALSE, 2, 5, TRUE, TRUE FROM requests WHERE id = (SELECT MAX(id) FROM requests);
";

async fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = usher(dir).args(args).output().await.expect("run usher");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Turns the fixture into another Overseerr instance: another owner, requests made at other times.
const OTHER_INSTANCE: &str = "
    UPDATE \"user\" SET \"email\" = 'owner@elsewhere.example', \"createdAt\" = '2024-06-01 08:00:00'
        WHERE \"id\" = 1;
    UPDATE media_request SET \"createdAt\" = '2024-07-01 10:00:00', \"updatedAt\" = '2024-07-01 10:00:00';
";

/// Overseerr's config folder: `settings.json` and `db/db.sqlite3`.
async fn overseerr_fixture(dir: &Path) -> PathBuf {
    overseerr_instance(dir, "overseerr", "").await
}

/// An Overseerr config folder `name` under `dir`, its database changed by `extra` SQL.
async fn overseerr_instance(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let config = dir.join(name);
    std::fs::create_dir_all(config.join("db")).expect("mkdir");
    std::fs::write(config.join("settings.json"), SETTINGS).expect("settings");
    let db = config.join("db/db.sqlite3");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("fixture");
    sqlx::raw_sql(SCHEMA)
        .execute(&mut conn)
        .await
        .expect("schema");
    sqlx::raw_sql(DATA).execute(&mut conn).await.expect("data");
    sqlx::raw_sql(sqlx::AssertSqlSafe(extra))
        .execute(&mut conn)
        .await
        .expect("extra");
    conn.close().await.expect("close");
    db
}

fn assert_all_already_imported(stdout: &str) {
    for line in [
        "skipped users: 4 (4 already imported)",
        "skipped identities: 3 (3 already imported)",
        "skipped requests: 9 (9 already imported)",
        "imported: 0 users created, 0 matched, 0 accounts attached, 0 requests",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
}

/// Every table of an Usher database, each row as text, sorted.
async fn contents(url: &str) -> BTreeMap<String, Vec<String>> {
    enum Pool {
        Lite(sqlx::SqlitePool),
        Pg(sqlx::PgPool),
    }
    let (pool, listing) = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        let listing: Vec<(String, String)> = sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
             ORDER BY m.name, p.cid",
        )
        .fetch_all(&pool)
        .await
        .expect("columns");
        (Pool::Lite(pool), listing)
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        let listing: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'
             ORDER BY table_name, ordinal_position",
        )
        .fetch_all(&pool)
        .await
        .expect("columns");
        (Pool::Pg(pool), listing)
    };
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in listing {
        columns.entry(table).or_default().push(column);
    }
    let mut out = BTreeMap::new();
    for (table, cols) in columns {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| format!("'{c}=' || COALESCE(CAST({c} AS TEXT), '∅')"))
            .collect();
        let sql = format!("SELECT {} FROM {table}", cells.join(" || '|' || "));
        let mut rows: Vec<(String,)> = match &pool {
            Pool::Lite(p) => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await,
            Pool::Pg(p) => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await,
        }
        .expect("rows");
        rows.sort();
        out.insert(table, rows.into_iter().map(|(r,)| r).collect());
    }
    match pool {
        Pool::Lite(p) => p.close().await,
        Pool::Pg(p) => p.close().await,
    }
    out
}

async fn add_extra_rows(url: &str) {
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        sqlx::raw_sql(EXTRA_ROWS)
            .execute(&mut conn)
            .await
            .expect("extra rows");
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
        sqlx::raw_sql(EXTRA_ROWS)
            .execute(&mut conn)
            .await
            .expect("extra rows");
    }
}

/// Import (dry run first), fill the rest, back up, restore into `restored_url`, compare.
async fn import_backup_restore(dir: &Path, url: &str, restored_url: &str, file: &str) {
    let source = overseerr_fixture(dir).await;
    let source = source.to_str().expect("utf-8");
    let (code, _, stderr) = run(dir, &["migrate", "--database-url", url]).await;
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = run(
        dir,
        &[
            "import",
            "overseerr",
            source,
            "--dry-run",
            "--database-url",
            url,
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("dry run: nothing was written"), "{stdout}");
    assert!(stdout.contains("users: 4 new"), "{stdout}");
    assert!(stdout.contains("requests: 9 new"), "{stdout}");
    assert!(
        stdout.contains("USHER_RADARR_URL=http://radarr.lan:7878/radarr"),
        "{stdout}"
    );
    assert!(stdout.contains("tmdb:<id>"), "{stdout}");
    assert!(
        !stdout.contains("fixture-radarr-key") && !stdout.contains("fixture-radarr4k-key"),
        "API keys never printed"
    );
    for line in [
        "  radarr 4K \"Radarr 4K\":\n",
        "    USHER_RADARR_4K_URL=https://radarr4k.lan:7879\n",
        "    USHER_RADARR_4K_API_KEY=<radarr[1].apiKey in settings.json>\n",
        "    USHER_RADARR_4K_QUALITY_PROFILE=Ultra-HD\n",
        "    USHER_RADARR_4K_ROOT_FOLDER=/data/movies-4k\n",
    ] {
        assert!(stdout.contains(line), "4K advice {line:?} in {stdout}");
    }
    assert!(!stdout.contains("not carried over"), "{stdout}");
    assert!(
        stdout.contains("skipped identities: 1 (1 not a user account)"),
        "{stdout}"
    );
    let empty = contents(url).await;
    assert!(
        empty["users"].is_empty() && empty["requests"].is_empty() && empty["audit_log"].is_empty()
    );

    let (code, stdout, stderr) = run(
        dir,
        &["import", "jellyseerr", source, "--database-url", url],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("imported: 4 users created, 0 matched, 2 accounts attached, 9 requests"),
        "{stdout}"
    );
    let (code, stdout, _) = run(dir, &["import", "overseerr", source, "--database-url", url]).await;
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "users: 0 new, 0 matched to Usher users by Discord/Telegram account, 4 already imported"
        ),
        "{stdout}"
    );
    assert_all_already_imported(&stdout);

    // Another instance imports beside the first: its owner and requests differ; Alice and Bob,
    // known by their Discord and Telegram accounts, are joined rather than duplicated.
    let other = overseerr_instance(dir, "overseerr-b", OTHER_INSTANCE).await;
    let other = other.to_str().expect("utf-8");
    let (code, stdout, stderr) =
        run(dir, &["import", "overseerr", other, "--database-url", url]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("imported: 2 users created, 2 matched, 0 accounts attached, 9 requests"),
        "{stdout}"
    );
    assert!(stdout.contains("skipped requests: 0\n"), "{stdout}");
    let (code, stdout, _) = run(dir, &["import", "overseerr", other, "--database-url", url]).await;
    assert_eq!(code, 0);
    assert_all_already_imported(&stdout);
    let (code, stdout, _) = run(dir, &["import", "overseerr", source, "--database-url", url]).await;
    assert_eq!(code, 0);
    assert_all_already_imported(&stdout);
    let rows = contents(url).await;
    assert_eq!((rows["users"].len(), rows["requests"].len()), (6, 18));

    let (code, _, stderr) = run(dir, &["admin", "setup-link", "--database-url", url]).await;
    assert_eq!(code, 0, "{stderr}");
    add_extra_rows(url).await;
    let original = contents(url).await;
    for (table, rows) in &original {
        assert!(!rows.is_empty(), "{table} is empty before the backup");
    }

    let (code, stdout, stderr) = run(dir, &["backup", file, "--database-url", url]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("backup written to"), "{stdout}");
    let (code, _, stderr) = run(dir, &["restore", file, "--database-url", restored_url]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(contents(restored_url).await, original);

    let (code, _, stderr) = run(dir, &["restore", file, "--database-url", restored_url]).await;
    assert_eq!(code, 1);
    assert!(stderr.contains("not empty"), "{stderr}");
    let (code, _, stderr) = run(
        dir,
        &["restore", file, "--force", "--database-url", restored_url],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(contents(restored_url).await, original);
}

#[tokio::test]
async fn import_backup_and_restore_on_sqlite() {
    let (_keep, dir) = temp_dir();
    let url = format!("sqlite://{}", dir.join("usher.db").display());
    let restored = format!("sqlite://{}", dir.join("restored.db").display());
    import_backup_restore(&dir, &url, &restored, "usher-backup.db").await;
    let head = std::fs::read(dir.join("usher-backup.db")).expect("backup file");
    assert!(head.starts_with(b"SQLite format 3\0"));
}

#[tokio::test]
async fn import_backup_and_restore_on_postgres() {
    let (_keep, dir) = temp_dir();
    let url = postgres_database().await;
    let restored = postgres_database().await;
    import_backup_restore(&dir, &url, &restored, "usher-backup.sql").await;
    let text = std::fs::read_to_string(dir.join("usher-backup.sql")).expect("backup file");
    assert!(text.starts_with("-- Usher backup"), "{text}");
    assert!(text.contains("\nBEGIN;\n") && text.ends_with("\nCOMMIT;\n"));
    assert!(
        text.contains(
            "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('users', 'id'), "
        )
    );
    drop_database(&url).await;
    drop_database(&restored).await;
}
