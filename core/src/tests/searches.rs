//! Stored searches: remembered and recalled by id, refused when empty, forgotten when old.

use super::harness::{both_dbs, count};
use crate::CoreError;
use crate::domain::{MediaType, SearchId, Timestamp};
use crate::jobs::Housekeeping;
use crate::service::Services;
use crate::service::searches::{KEEP_FOR, MAX_QUERY_CHARS};
use crate::store::searches as store;

both_dbs!(a_search_is_remembered_and_recalled_by_id, |db| {
    let services = Services::new(db.clone());
    let searches = &services.searches;
    let dune = searches
        .remember("  dune  ", Some(MediaType::Movie), Some("de"))
        .await
        .expect("remember");
    let both = searches
        .remember("arcane", None, None)
        .await
        .expect("remember");
    assert_ne!(dune, both);

    let found = searches.recall(dune).await.expect("recall").expect("kept");
    assert_eq!(found.id, dune);
    assert_eq!(found.query, "dune", "trimmed");
    assert_eq!(found.media_type, Some(MediaType::Movie));
    assert_eq!(found.language.as_deref(), Some("de"));
    let found = searches.recall(both).await.expect("recall").expect("kept");
    assert_eq!((found.media_type, found.language), (None, None));
    assert_eq!(
        searches
            .recall(SearchId(both.0 + 100))
            .await
            .expect("recall"),
        None
    );

    let long = "ü".repeat(MAX_QUERY_CHARS + 50);
    let cut = searches.remember(&long, None, None).await.expect("long");
    let found = searches.recall(cut).await.expect("recall").expect("kept");
    assert_eq!(found.query.chars().count(), MAX_QUERY_CHARS);

    for (query, language) in [
        ("   ", None),
        ("dune", Some("de'; DROP")),
        ("x", Some(&*"a".repeat(40))),
    ] {
        let refused = searches.remember(query, None, language).await;
        assert!(
            matches!(refused, Err(CoreError::Validation(_))),
            "{refused:?}"
        );
    }
    assert_eq!(count(&db, "searches").await, 3);
});

both_dbs!(old_searches_are_pruned_by_housekeeping, |db| {
    let services = Services::new(db.clone());
    let long_ago = Timestamp::now()
        .minus(KEEP_FOR)
        .minus(std::time::Duration::from_secs(60));
    let old = store::insert(&db, "dune", None, None, long_ago)
        .await
        .expect("old row");
    let fresh = services
        .searches
        .remember("dune", None, None)
        .await
        .expect("fresh row");

    let report = Housekeeping::new(services.clone())
        .try_run_once()
        .await
        .expect("pass");
    assert_eq!(report.searches, 1);
    assert_eq!(services.searches.recall(old).await.expect("recall"), None);
    assert!(
        services
            .searches
            .recall(fresh)
            .await
            .expect("recall")
            .is_some()
    );

    // A second pass finds nothing more to do.
    let again = Housekeeping::new(services)
        .try_run_once()
        .await
        .expect("pass");
    assert_eq!(again.searches, 0);
});

both_dbs!(
    outbox_rows_done_a_week_ago_are_pruned_and_waiting_ones_never,
    |db| {
        let now = Timestamp::now();
        let long_ago = now
            .minus(crate::jobs::OUTBOX_KEPT)
            .minus(std::time::Duration::from_secs(60));
        let yesterday = now.minus(std::time::Duration::from_secs(24 * 3600));
        // (payload, done_at): done long ago, done yesterday, and one queued long ago still waiting
        // (its notifier is down, say) that must never be forgotten.
        for (payload, done) in [
            ("old", Some(long_ago)),
            ("recent", Some(yesterday)),
            ("waiting", None),
        ] {
            crate::store::on_pool!(&db, pool => sqlx::query(
            "INSERT INTO outbox (topic, payload, created_at, available_at, done_at)
             VALUES ('notify', $1, $2, $2, $3)",
        )
        .bind(payload)
        .bind(long_ago.0)
        .bind(done.map(|t| t.0))
        .execute(pool)
        .await
        .map(|_| ()))
            .expect("outbox row");
        }
        let housekeeping = Housekeeping::new(Services::new(db.clone()));
        let report = housekeeping.try_run_once().await.expect("pass");
        assert_eq!(report.outbox, 1);
        let left: Vec<String> = crate::store::on_pool!(&db, pool => sqlx::query_scalar(
        "SELECT payload FROM outbox ORDER BY id",
    )
    .fetch_all(pool)
    .await)
        .expect("rows");
        assert_eq!(left, ["recent", "waiting"]);
        let again = housekeeping.try_run_once().await.expect("pass");
        assert_eq!(again.outbox, 0);
    }
);
