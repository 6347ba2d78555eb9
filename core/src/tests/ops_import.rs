//! Import from Overseerr (SQLite fixture) and Jellyseerr (PostgreSQL fixture) into Usher on
//! both databases: the dry run writes nothing, the import maps users, accounts, roles, quotas
//! and statuses, and a second run is a no-op.

use std::collections::BTreeMap;

use sqlx::{Connection, Executor};

use super::harness::{both_dbs, count, user_with_role};
use super::ops_fixture::{
    DATA, SCHEMA_POSTGRES, SETTINGS, other_instance_snapshot, overseerr_snapshot,
};
use crate::ops::overseerr::{self, SkipKind, SkipReason};
use crate::service::Services;
use crate::store::{Db, on_pool};

/// A row of [`imported_requests`]' query.
type RawImported = (String, String, String, bool, String, Option<i64>, i64);

/// Imported request rows by Overseerr id: (status, source, four_k, seasons, decided, active claims).
async fn imported_requests(db: &Db) -> BTreeMap<String, (String, String, bool, String, bool, i64)> {
    let rows: Vec<RawImported> = on_pool!(db, pool => sqlx::query_as(
        "SELECT i.external_id, r.status, r.source, r.four_k, r.seasons, r.decided_by,
                (SELECT COUNT(*) FROM request_claims c WHERE c.request_id = r.id AND c.active)
         FROM imports i JOIN requests r ON r.id = i.usher_id
         WHERE i.source LIKE 'overseerr:%' AND i.kind = 'request'",
    )
    .fetch_all(pool)
    .await)
    .expect("imported requests");
    rows.into_iter()
        .map(|(id, status, source, four_k, seasons, decided, claims)| {
            (
                id,
                (status, source, four_k, seasons, decided.is_some(), claims),
            )
        })
        .collect()
}

const WRITTEN: [&str; 8] = [
    "users",
    "identities",
    "user_roles",
    "user_quotas",
    "requests",
    "request_claims",
    "audit_log",
    "imports",
];

async fn written(db: &Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in WRITTEN {
        counts.push(count(db, table).await);
    }
    counts
}

both_dbs!(dry_run_plans_everything_and_writes_nothing, |db| {
    let dir = tempfile::tempdir().expect("dir");
    let snapshot = overseerr_snapshot(dir.path()).await;
    let plan = overseerr::dry_run(&db, &snapshot).await.expect("dry run");
    assert_eq!(plan.users.len(), 4);
    assert_eq!(plan.requests.len(), 9);
    assert!(
        plan.skipped.iter().any(|s| s.detail.contains("-100123456")),
        "{:?}",
        plan.skipped
    );
    assert_eq!(plan.skip_counts(SkipKind::User), vec![]);
    assert_eq!(
        plan.skip_counts(SkipKind::Identity),
        vec![(SkipReason::NotAPerson, 1)]
    );
    assert_eq!(plan.skip_counts(SkipKind::Request), vec![]);
    assert_eq!(written(&db).await, vec![0; 8]);
});

both_dbs!(import_maps_users_and_requests_and_runs_once, |db| {
    let dir = tempfile::tempdir().expect("dir");
    let snapshot = overseerr_snapshot(dir.path()).await;
    let (plan, applied) = overseerr::import(&db, &snapshot).await.expect("import");
    assert_eq!((applied.users_created, applied.users_matched), (4, 0));
    assert_eq!(
        (applied.identities, applied.requests, applied.duplicates),
        (2, 9, 1)
    );
    assert_eq!(plan.known_users + plan.known_requests, 0);

    let people: Vec<(String, Option<String>, String)> = on_pool!(&db, pool => sqlx::query_as(
        "SELECT u.display_name, i.platform || ':' || i.external_id, r.name
         FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
         LEFT JOIN identities i ON i.user_id = u.id ORDER BY u.id",
    )
    .fetch_all(pool)
    .await)
    .expect("users");
    let expected = [
        ("alice", Some("discord:111111111111111111"), "admin"),
        ("bobplex", Some("telegram:222222"), "member"),
        ("carol@example.com", None, "member"),
        ("dave", None, "member"),
    ];
    let expected: Vec<(String, Option<String>, String)> = expected
        .iter()
        .map(|(n, i, r)| (n.to_string(), i.map(str::to_owned), r.to_string()))
        .collect();
    assert_eq!(people, expected);
    let quotas: Vec<(String, i32, i32)> = on_pool!(&db, pool => sqlx::query_as(
        "SELECT scope, max_count, days FROM user_quotas ORDER BY scope",
    )
    .fetch_all(pool)
    .await)
    .expect("quotas");
    assert_eq!(quotas, vec![("movie".into(), 5, 7), ("tv".into(), 10, 14)]);

    let requests = imported_requests(&db).await;
    let row =
        |status: &str, source: &str, four_k: bool, seasons: &str, decided: bool, claims: i64| {
            (
                status.to_owned(),
                source.to_owned(),
                four_k,
                seasons.to_owned(),
                decided,
                claims,
            )
        };
    assert_eq!(
        requests["1"],
        row("available", "telegram", false, "", true, 1)
    );
    assert_eq!(
        requests["2"],
        row("submitted", "discord", true, "", true, 1)
    );
    assert_eq!(
        requests["3"],
        row("partially_available", "telegram", false, "1,2", true, 2)
    );
    assert_eq!(requests["4"], row("pending", "web", false, "3", false, 1));
    assert_eq!(requests["5"], row("declined", "web", false, "", true, 0));
    assert_eq!(requests["6"], row("failed", "web", false, "1", true, 1));
    assert_eq!(requests["7"], row("pending", "web", false, "", false, 1));
    assert_eq!(
        requests["8"],
        row("available", "telegram", false, "", true, 1)
    );
    assert_eq!(
        requests["9"],
        row("pending", "telegram", false, "", false, 0),
        "duplicate of 7"
    );
    let (title, created): (String, i64) = on_pool!(&db, pool => sqlx::query_as(
        "SELECT title, created_at FROM requests WHERE tmdb_id = 27205 ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await)
    .expect("title");
    assert_eq!(title, "tmdb:27205");
    assert_eq!(created, 1_678_183_200_000, "2023-03-07 10:00:00 UTC");

    let audit: Vec<(String, String, i64)> = on_pool!(&db, pool => sqlx::query_as(
        "SELECT action, source, COUNT(*) FROM audit_log GROUP BY action, source ORDER BY action",
    )
    .fetch_all(pool)
    .await)
    .expect("audit");
    let expected_audit = [
        ("quota_changed", 2),
        ("request_created", 9),
        ("user_created", 4),
    ];
    let expected_audit: Vec<(String, String, i64)> = expected_audit
        .iter()
        .map(|(a, n)| (a.to_string(), "cli".to_owned(), *n))
        .collect();
    assert_eq!(audit, expected_audit);
    assert_eq!(count(&db, "outbox").await, 0, "an import notifies no one");

    let before = written(&db).await;
    let (again, applied) = overseerr::import(&db, &snapshot)
        .await
        .expect("second import");
    assert!(again.is_empty(), "{again:?}");
    assert_eq!((again.known_users, again.known_requests), (4, 9));
    assert_eq!(applied, overseerr::Applied::default());
    assert_eq!(written(&db).await, before);
    let already = |n| vec![(SkipReason::AlreadyImported, n)];
    assert_eq!(again.skip_counts(SkipKind::User), already(4));
    assert_eq!(again.skip_counts(SkipKind::Identity), already(3));
    assert_eq!(again.skip_counts(SkipKind::Request), already(9));
});

/// Imported rows per `imports.source`.
async fn rows_per_source(db: &Db) -> Vec<(String, i64)> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT source, COUNT(*) FROM imports GROUP BY source ORDER BY source",
    )
    .fetch_all(pool)
    .await)
    .expect("imports per source")
}

both_dbs!(two_instances_import_side_by_side_each_once, |db| {
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let a = overseerr_snapshot(dir_a.path()).await;
    let b = other_instance_snapshot(dir_b.path()).await;
    assert_ne!(a.instance, b.instance, "another owner, another instance");
    assert_eq!(a.users.len(), b.users.len());

    let (plan_a, applied_a) = overseerr::import(&db, &a).await.expect("import A");
    assert_eq!((applied_a.users_created, applied_a.requests), (4, 9));
    let (plan_b, applied_b) = overseerr::import(&db, &b).await.expect("import B");
    assert_ne!(plan_a.source_key, plan_b.source_key);
    assert_eq!((plan_b.known_users, plan_b.known_requests), (0, 0));
    // Alice (Discord) and Bob (Telegram) are the same people in both: joined, not duplicated.
    assert_eq!((applied_b.users_created, applied_b.users_matched), (2, 2));
    assert_eq!((applied_b.identities, applied_b.requests), (0, 9));
    assert_eq!(
        plan_b.skip_counts(SkipKind::Identity),
        vec![(SkipReason::NotAPerson, 1)]
    );
    assert_eq!(count(&db, "users").await, 6);
    assert_eq!(count(&db, "requests").await, 18);
    assert_eq!(
        rows_per_source(&db).await,
        vec![
            (plan_a.source_key.clone(), 13),
            (plan_b.source_key.clone(), 13)
        ]
    );

    let before = written(&db).await;
    for snapshot in [&a, &b] {
        let (again, applied) = overseerr::import(&db, snapshot).await.expect("again");
        assert!(again.is_empty(), "{again:?}");
        assert_eq!(applied, overseerr::Applied::default());
        assert_eq!(
            again.skip_counts(SkipKind::Request),
            vec![(SkipReason::AlreadyImported, 9)]
        );
        assert_eq!(
            again.skip_counts(SkipKind::User),
            vec![(SkipReason::AlreadyImported, 4)]
        );
    }
    assert_eq!(written(&db).await, before, "nothing doubled");
});

both_dbs!(
    rows_from_before_instance_keys_go_to_their_instance_only,
    |db| {
        let (dir_a, dir_b) = (
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
        );
        let a = overseerr_snapshot(dir_a.path()).await;
        let b = other_instance_snapshot(dir_b.path()).await;
        overseerr::import(&db, &a).await.expect("import A");
        // As an import made before imports were keyed by instance left them.
        on_pool!(&db, pool => sqlx::query("UPDATE imports SET source = 'overseerr'")
        .execute(pool)
        .await
        .map(|_| ()))
        .expect("legacy rows");

        let plan = overseerr::dry_run(&db, &b).await.expect("dry run B");
        assert_eq!(
            (plan.adopted, plan.legacy_other),
            (0, 13),
            "B's requests differ"
        );
        assert_eq!(plan.requests.len(), 9);
        let plan = overseerr::dry_run(&db, &a).await.expect("dry run A");
        assert_eq!((plan.adopted, plan.legacy_other), (13, 0));
        assert_eq!(
            rows_per_source(&db).await,
            vec![("overseerr".to_owned(), 13)],
            "dry run"
        );

        let before = count(&db, "requests").await;
        let (plan, applied) = overseerr::import(&db, &a).await.expect("import A again");
        assert_eq!((plan.known_users, plan.known_requests), (4, 9));
        assert_eq!(applied, overseerr::Applied::default());
        assert_eq!(count(&db, "requests").await, before);
        assert_eq!(
            rows_per_source(&db).await,
            vec![(plan.source_key.clone(), 13)]
        );
        let (_, applied) = overseerr::import(&db, &b).await.expect("import B");
        assert_eq!(applied.requests, 9);
    }
);

both_dbs!(import_joins_users_already_known_by_chat_account, |db| {
    let services = Services::new(db.clone());
    let (bob, _) = user_with_role(&services, 222222, "trusted").await;
    let dir = tempfile::tempdir().expect("dir");
    let snapshot = overseerr_snapshot(dir.path()).await;
    let (plan, applied) = overseerr::import(&db, &snapshot).await.expect("import");
    assert_eq!((applied.users_created, applied.users_matched), (3, 1));
    let step = plan.users.iter().find(|u| u.source_id == 2).expect("bob");
    assert_eq!(step.existing, Some(bob.id));
    assert_eq!(step.role, None, "a matched member keeps their roles");
    let roles: Vec<(String,)> = on_pool!(&db, pool => sqlx::query_as(
        "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1",
    )
    .bind(bob.id.0)
    .fetch_all(pool)
    .await)
    .expect("roles");
    assert_eq!(roles, vec![("trusted".to_owned(),)]);
    let (owned,): (i64,) = on_pool!(&db, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM requests WHERE requested_by = $1",
    )
    .bind(bob.id.0)
    .fetch_one(pool)
    .await)
    .expect("bob's requests");
    assert_eq!(owned, 4);
});

#[tokio::test]
async fn jellyseerr_on_postgres_reads_like_overseerr_on_sqlite() {
    use rand::Rng;
    let admin_url = std::env::var("USHER_TEST_POSTGRES_URL").expect("USHER_TEST_POSTGRES_URL");
    let name = format!("usher_seerr_{:016x}", rand::rng().random::<u64>());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("pg");
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create db");
    let (base, _) = admin_url.rsplit_once('/').expect("url");
    let url = format!("{base}/{name}");
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("source db");
    conn.execute(SCHEMA_POSTGRES).await.expect("schema");
    conn.execute(DATA).await.expect("data");
    conn.close().await.expect("close");

    let source = overseerr::source::open(&url).await.expect("open source");
    let from_pg = overseerr::source::read(&source).await.expect("read source");
    let write = on_pool!(&source, pool => sqlx::query("DELETE FROM media_request").execute(pool).await.map(|_| ()));
    assert!(write.is_err(), "the source is opened read-only");
    source.close().await;
    let dir = tempfile::tempdir().expect("dir");
    let from_sqlite = overseerr_snapshot(dir.path()).await;
    assert_eq!(from_pg, from_sqlite);

    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {name} WITH (FORCE)"
        )))
        .await
        .expect("drop db");
}

#[test]
fn fixture_settings_become_usher_settings_without_keys() {
    let servers = overseerr::arr::parse_settings(SETTINGS).expect("settings.json");
    assert_eq!(servers.len(), 3);
    let radarr = overseerr::pick_default(&servers, "radarr", false).expect("radarr");
    assert!(!radarr.four_k, "the 4K default is not Usher's default");
    let sonarr = overseerr::pick_default(&servers, "sonarr", false).expect("sonarr");
    let lines = [radarr.env_lines(), sonarr.env_lines()].concat().join("\n");
    assert_eq!(
        lines,
        "USHER_RADARR_URL=http://radarr.lan:7878/radarr\n\
         USHER_RADARR_API_KEY=<radarr[0].apiKey in settings.json>\n\
         USHER_RADARR_QUALITY_PROFILE=HD-1080p\n\
         USHER_RADARR_ROOT_FOLDER=/data/movies\n\
         USHER_SONARR_URL=https://sonarr.lan:8989\n\
         USHER_SONARR_API_KEY=<sonarr[0].apiKey in settings.json>\n\
         USHER_SONARR_QUALITY_PROFILE=HD-1080p\n\
         USHER_SONARR_ROOT_FOLDER=/data/tv"
    );
    assert!(!lines.contains("fixture-"), "no key in clear");
    let radarr_4k = overseerr::pick_default(&servers, "radarr", true).expect("4K radarr");
    let lines = radarr_4k.env_lines().join("\n");
    assert_eq!(
        lines,
        "USHER_RADARR_4K_URL=https://radarr4k.lan:7879\n\
         USHER_RADARR_4K_API_KEY=<radarr[1].apiKey in settings.json>\n\
         USHER_RADARR_4K_QUALITY_PROFILE=Ultra-HD\n\
         USHER_RADARR_4K_ROOT_FOLDER=/data/movies-4k"
    );
    assert!(!lines.contains("fixture-"), "no key in clear");
    assert!(overseerr::pick_default(&servers, "sonarr", true).is_none());
}
