//! Reading the audit log: admins only, every filter, keyset pages that cover each row once, and
//! no way to change a row.

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{AuditAction, Timestamp};
use crate::service::{AuditCursor, Services};
use crate::store::audit::AuditFilter;
use crate::store::on_pool;

async fn all_pages(
    services: &Services,
    actor: &crate::domain::Actor,
    filter: &AuditFilter,
    size: u32,
) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = services
            .audit
            .list(actor, filter, cursor, size)
            .await
            .expect("page");
        assert!(page.items.len() <= size as usize);
        seen.extend(page.items.iter().map(|l| l.entry.id));
        match page.next {
            Some(next) => cursor = Some(AuditCursor::parse(&next.encode()).expect("round-trips")),
            None => return seen,
        }
    }
}

both_dbs!(admins_filter_and_page_through_the_audit_log, |db| {
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 700, "admin").await;
    let (alice_user, alice) = user_with_role(&services, 701, "member").await;
    let (_, bob) = user_with_role(&services, 702, "member").await;
    let (_, approver) = user_with_role(&services, 703, "approver").await;
    let mut alice_requests = Vec::new();
    for i in 0..4 {
        let made = services
            .requests
            .create(&alice, movie(3000 + i, "A"))
            .await
            .expect("a");
        alice_requests.push(made.request.id);
        services
            .requests
            .create(&bob, movie(4000 + i, "B"))
            .await
            .expect("b");
    }
    services
        .requests
        .approve(&approver, alice_requests[0])
        .await
        .expect("approve");

    let refused = services
        .audit
        .list(&alice, &AuditFilter::default(), None, 10)
        .await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );

    let total = count(&db, "audit_log").await;
    let everything = all_pages(&services, &admin, &AuditFilter::default(), 3).await;
    assert_eq!(everything.len() as i64, total);
    assert!(
        everything.windows(2).all(|w| w[0] > w[1]),
        "newest first, each once"
    );

    let by_alice = AuditFilter {
        actor: Some(alice_user.id),
        ..AuditFilter::default()
    };
    let lines = services
        .audit
        .list(&admin, &by_alice, None, 100)
        .await
        .expect("alice")
        .items;
    assert!(lines.len() >= 4);
    assert!(lines.iter().all(|l| l.entry.actor == Some(alice_user.id)));
    assert!(
        lines
            .iter()
            .all(|l| l.actor_name.as_deref() == Some("user701"))
    );

    let by_name = AuditFilter {
        actor_name: Some("USER70".into()),
        ..AuditFilter::default()
    };
    let named = services
        .audit
        .list(&admin, &by_name, None, 100)
        .await
        .expect("name")
        .items;
    assert_eq!(
        named.len(),
        9,
        "8 requests and 1 approval; users are created by the system"
    );
    assert!(named.iter().all(|l| {
        l.actor_name
            .as_deref()
            .is_some_and(|n| n.starts_with("user70"))
    }));
    let wildcard = AuditFilter {
        actor_name: Some("%".into()),
        ..AuditFilter::default()
    };
    let none = services
        .audit
        .list(&admin, &wildcard, None, 100)
        .await
        .expect("escaped")
        .items;
    assert!(none.is_empty(), "LIKE wildcards are matched literally");

    let approved = AuditFilter {
        action: Some(AuditAction::RequestApproved.as_str().into()),
        ..AuditFilter::default()
    };
    let rows = services
        .audit
        .list(&admin, &approved, None, 100)
        .await
        .expect("action")
        .items;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].entry.target,
        format!("request:{}", alice_requests[0])
    );
    assert_eq!(rows[0].entry.details["from"], "pending");
    assert_eq!(rows[0].entry.details["to"], "approved");
    assert_eq!(rows[0].entry.source, "telegram");
    assert_eq!(rows[0].entry.source_detail.as_deref(), Some("703"));

    let one = AuditFilter {
        target: Some(format!("request:{}", alice_requests[0])),
        ..AuditFilter::default()
    };
    let rows = services
        .audit
        .list(&admin, &one, None, 100)
        .await
        .expect("target")
        .items;
    assert_eq!(rows.len(), 2, "created and approved");
    let kind = AuditFilter {
        target: Some("request".into()),
        ..AuditFilter::default()
    };
    let rows = services
        .audit
        .list(&admin, &kind, None, 100)
        .await
        .expect("kind")
        .items;
    assert_eq!(rows.len(), 9, "8 created, 1 approved");
    assert!(rows.iter().all(|l| l.entry.target.starts_with("request:")));

    let telegram = AuditFilter {
        source: Some("telegram".into()),
        ..AuditFilter::default()
    };
    assert_eq!(all_pages(&services, &admin, &telegram, 100).await.len(), 9);
    let system = AuditFilter {
        source: Some("system".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        all_pages(&services, &admin, &system, 100).await.len(),
        4,
        "users created"
    );
    let web = AuditFilter {
        source: Some("web".into()),
        ..AuditFilter::default()
    };
    assert!(all_pages(&services, &admin, &web, 100).await.is_empty());

    let now = Timestamp::now();
    let future = AuditFilter {
        from: Some(now.plus(std::time::Duration::from_secs(60))),
        ..AuditFilter::default()
    };
    assert!(all_pages(&services, &admin, &future, 100).await.is_empty());
    let past = AuditFilter {
        before: Some(now.plus(std::time::Duration::from_secs(60))),
        from: Some(Timestamp(0)),
        ..AuditFilter::default()
    };
    assert_eq!(
        all_pages(&services, &admin, &past, 100).await.len() as i64,
        total
    );

    assert!(AuditCursor::parse("x").is_err());
    assert!(AuditCursor::parse("-1").is_err());

    // There is no edit or delete path, and the database refuses one too.
    let update = on_pool!(&db, pool => sqlx::query("UPDATE audit_log SET details = '{}'").execute(pool).await.map(|_| ()));
    assert!(update.is_err());
    let delete = on_pool!(&db, pool => sqlx::query("DELETE FROM audit_log WHERE id > 0").execute(pool).await.map(|_| ()));
    assert!(delete.is_err());
    assert_eq!(count(&db, "audit_log").await, total);
});
