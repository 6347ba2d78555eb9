//! The schema itself: both dialects in step, constraints mapped, audit append-only.

use std::collections::BTreeMap;

use super::harness::{TestDb, both_dbs, user_with_role};
use crate::CoreError;
use crate::domain::{Identity, Platform, Timestamp};
use crate::service::Services;
use crate::store::{Backend, Db, on_pool, on_tx, users};

#[test]
fn migration_folders_have_the_same_versions_and_names() {
    let sqlite = Db::migration_names(Backend::Sqlite);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, Db::migration_names(Backend::Postgres));
}

async fn columns(db: &Db) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(crate::store::SqliteDb { pool, .. }) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
             ORDER BY m.name, p.name",
        )
        .fetch_all(pool)
        .await
        .expect("sqlite columns"),
        Db::Postgres(crate::store::PgDb { pool, .. }) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'
             ORDER BY table_name, column_name",
        )
        .fetch_all(pool)
        .await
        .expect("postgres columns"),
    };
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in rows {
        tables.entry(table).or_default().push(column);
    }
    tables
}

#[tokio::test]
async fn both_dialects_build_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await;
    let postgres = TestDb::postgres().await;
    let (a, b) = (columns(&sqlite.db).await, columns(&postgres.db).await);
    assert!(a.contains_key("requests") && a.contains_key("audit_log"));
    assert_eq!(a, b);
    sqlite.cleanup().await;
    postgres.cleanup().await;
}

both_dbs!(audit_log_refuses_updates_and_deletes, |db| {
    let services = Services::new(db.clone());
    user_with_role(&services, 600, "member").await; // writes a user_created row
    let update = on_pool!(&db, pool => sqlx::query("UPDATE audit_log SET action = 'x'").execute(pool).await.map(|_| ()));
    assert!(update.is_err());
    let delete =
        on_pool!(&db, pool => sqlx::query("DELETE FROM audit_log").execute(pool).await.map(|_| ()));
    assert!(delete.is_err());
    assert_eq!(crate::tests::harness::count(&db, "audit_log").await, 1);
});

both_dbs!(unique_violation_becomes_conflict, |db| {
    let services = Services::new(db.clone());
    let (user, _) = user_with_role(&services, 601, "member").await;
    let mut tx = db.begin().await.expect("tx");
    let duplicate = Identity {
        user_id: user.id,
        platform: Platform::Telegram,
        external_id: "601".into(),
        display: "x".into(),
    };
    let result = users::insert_identity(&mut tx, &duplicate, Timestamp::now()).await;
    assert!(matches!(result, Err(CoreError::Conflict(_))), "{result:?}");
    drop(tx);
    let mut tx = db.begin().await.expect("tx");
    let ping: i64 = on_tx!(&mut tx, conn => sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM identities").fetch_one(conn).await).expect("q").0;
    assert_eq!(ping, 1);
});

both_dbs!(
    secrets_are_stored_sealed_and_resealed_after_rotation,
    |db| {
        use secrecy::SecretString;
        use std::sync::Arc;
        let old = SecretString::from("an-old-master-key-that-is-long-enough-123");
        let new = SecretString::from("a-new-master-key-that-is-also-long-enough-456");
        let before = Arc::new(crate::crypto::MasterKeys::from_secrets(&old, None).expect("keys"));
        let store = crate::service::secrets::SecretSettings::new(db.clone(), before);
        store
            .put("radarr_api_key", "0123456789abcdef")
            .await
            .expect("put");
        let raw = crate::store::settings::get(&db, "radarr_api_key")
            .await
            .expect("get")
            .expect("row");
        assert!(
            raw.secret && !raw.value.contains("0123456789abcdef"),
            "stored sealed"
        );
        let rotated =
            Arc::new(crate::crypto::MasterKeys::from_secrets(&new, Some(&old)).expect("keys"));
        let store = crate::service::secrets::SecretSettings::new(db.clone(), rotated.clone());
        assert_eq!(
            store.get("radarr_api_key").await.expect("open").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(store.reseal_all().await.expect("reseal"), 1);
        assert_eq!(store.reseal_all().await.expect("reseal"), 0);
        let only_new = Arc::new(crate::crypto::MasterKeys::from_secrets(&new, None).expect("keys"));
        let store = crate::service::secrets::SecretSettings::new(db.clone(), only_new);
        assert_eq!(
            store.get("radarr_api_key").await.expect("open").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(store.get("missing").await.expect("none"), None);
    }
);
