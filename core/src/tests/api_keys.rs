//! Scoped API keys: made, listed and revoked by admins only, stored hashed, acting as their
//! machine user with exactly their scopes, refused once revoked; and the open API's reads.

use secrecy::ExposeSecret as _;

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, RequestStatus, Scope, Source};
use crate::service::api::{Page, RequestQuery, RequestView};
use crate::service::api_keys::CACHE_TTL;
use crate::service::{ApiKeyService, Services};
use crate::store::audit;
use crate::store::requests::PageOrder;

fn operator() -> Actor {
    Actor {
        user: None,
        source: Source::Cli,
    }
}

fn everything(page: Page) -> RequestQuery {
    RequestQuery {
        view: RequestView::All,
        order: PageOrder::Added,
        requested_by: None,
        page,
    }
}

both_dbs!(keys_are_hashed_listed_and_audited_without_the_key, |db| {
    let services = Services::new(db.clone());
    let made = services
        .api_keys
        .create(&operator(), "homepage", "read")
        .await
        .expect("create");
    let key = made.secret.expose_secret().to_owned();
    assert!(key.starts_with("usher_") && key.len() > 40, "{key}");
    let stored: Vec<(String,)> = match &db {
        crate::store::Db::Sqlite(s) => sqlx::query_as("SELECT key_hash FROM api_keys")
            .fetch_all(&s.pool)
            .await
            .expect("read"),
        crate::store::Db::Postgres(p) => sqlx::query_as("SELECT key_hash FROM api_keys")
            .fetch_all(&p.pool)
            .await
            .expect("read"),
    };
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, key, "only the hash is stored");
    assert_eq!(stored[0].0, crate::crypto::hash_token(&key));

    let listed = services.api_keys.list(&operator()).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "homepage");
    assert_eq!(listed[0].scopes.to_string(), "read");
    assert_eq!(listed[0].last_used_at, None);

    let caller = services
        .api_keys
        .authenticate(&key)
        .await
        .expect("key works");
    assert_eq!(caller.key, "homepage");
    assert_eq!(caller.user, made.summary.user);
    let listed = services.api_keys.list(&operator()).await.expect("list");
    assert!(listed[0].last_used_at.is_some(), "use is noted");

    let trail = audit::for_target(&db, "api_key:homepage", 10)
        .await
        .expect("audit");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "api_key_created");
    assert!(!trail[0].details.to_string().contains(&key));
    // The machine user carries the key's name.
    let me = services.api.me(&caller).await.expect("me");
    assert_eq!(me.user.display_name, "homepage");
});

both_dbs!(only_admins_manage_keys_and_bad_input_writes_nothing, |db| {
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 700, "member").await;
    let refused = services.api_keys.create(&member, "mine", "admin").await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(matches!(
        services.api_keys.list(&member).await,
        Err(CoreError::Forbidden(_))
    ));
    let users_before = count(&db, "users").await;
    for (name, scopes, field) in [
        ("ok", "write", "scope"),
        ("ok", "", "scope"),
        ("has space", "read", "name"),
        ("", "read", "name"),
    ] {
        let err = services
            .api_keys
            .create(&operator(), name, scopes)
            .await
            .expect_err("bad input");
        assert!(
            matches!(&err, CoreError::Validation(m) if m.starts_with(field)),
            "{name}/{scopes}: {err:?}"
        );
    }
    services
        .api_keys
        .create(&operator(), "twice", "read")
        .await
        .expect("first");
    let again = services.api_keys.create(&operator(), "twice", "read").await;
    assert!(matches!(again, Err(CoreError::Conflict(_))), "{again:?}");
    assert_eq!(count(&db, "api_keys").await, 1);
    assert_eq!(
        count(&db, "users").await,
        users_before + 1,
        "only the first key made a user"
    );
    let unknown = services.api_keys.revoke(&operator(), "nobody").await;
    assert!(
        matches!(unknown, Err(CoreError::NotFound(_))),
        "{unknown:?}"
    );
});

both_dbs!(scopes_bound_what_the_machine_user_may_do, |db| {
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 710, "member").await;
    let pending = services
        .requests
        .create(&member, movie(603, "The Matrix"))
        .await
        .expect("member asks")
        .request;
    let key = |scopes: &'static str, name: &'static str| {
        let services = services.clone();
        async move {
            let made = services
                .api_keys
                .create(&operator(), name, scopes)
                .await
                .expect("create");
            services
                .api_keys
                .authenticate(made.secret.expose_secret())
                .await
                .expect("auth")
        }
    };
    let read = key("read", "reader").await;
    let request = key("request", "asker").await;
    let approve = key("approve", "approver").await;

    // Read sees everyone's requests, but changes nothing.
    let page = services
        .api
        .requests(&read, everything(Page::new(0, 10).expect("page")))
        .await
        .expect("read lists");
    assert_eq!(page.total, 1);
    assert!(page.people.contains_key(&pending.requested_by));
    assert_eq!(services.api.count(&read).await.expect("count").pending, 1);
    for refused in [
        services.api.approve(&read, pending.id).await.map(|_| ()),
        services.api.delete(&read, pending.id).await,
        services.api.approve(&request, pending.id).await.map(|_| ()),
    ] {
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
    }
    // The request key asks through RequestService as its machine user (core checks the
    // permission the scope grants, inside the transaction).
    let made = services
        .requests
        .create(&request.actor(), movie(604, "Heat"))
        .await
        .expect("request scope asks");
    assert_eq!(made.request.requested_by, request.user);
    let as_reader = services
        .requests
        .create(&read.actor(), movie(605, "Ronin"))
        .await;
    assert!(
        matches!(as_reader, Err(CoreError::Forbidden(_))),
        "{as_reader:?}"
    );
    // Approve decides.
    let approved = services
        .api
        .approve(&approve, pending.id)
        .await
        .expect("approve");
    assert_eq!(approved.items[0].status, RequestStatus::Approved);
    assert_eq!(approved.items[0].decided_by, Some(approve.user));
    let trail = audit::for_target(&db, &format!("request:{}", pending.id), 10)
        .await
        .expect("audit");
    let approval = trail
        .iter()
        .find(|e| e.action == "request_approved")
        .expect("row");
    assert_eq!(approval.source, "api");
    assert_eq!(approval.source_detail.as_deref(), Some("approver"));
    assert!(read.scopes.allows(Scope::Read) && !read.scopes.allows(Scope::Request));
});

both_dbs!(
    a_revoked_key_is_refused_even_by_a_process_still_caching_it,
    |db| {
        assert!(
            CACHE_TTL.as_secs() < 10,
            "revocations must land within 10 s"
        );
        let services = Services::new(db.clone());
        let other_process = ApiKeyService::new(db.clone());
        let made = services
            .api_keys
            .create(&operator(), "phone", "request")
            .await
            .expect("create");
        let key = made.secret.expose_secret().to_owned();
        let cached = other_process.authenticate(&key).await.expect("works");
        services
            .api_keys
            .revoke(&operator(), "phone")
            .await
            .expect("revoke");
        // This process refuses at once.
        assert!(matches!(
            services.api_keys.authenticate(&key).await,
            Err(CoreError::Forbidden(_))
        ));
        // A process that still caches the key gets nothing done: core finds the user disabled.
        let refused = services
            .requests
            .create(&cached.actor(), movie(606, "Alien"))
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        assert!(
            services
                .api_keys
                .list(&operator())
                .await
                .expect("list")
                .is_empty()
        );
        let trail = audit::for_target(&db, "api_key:phone", 10)
            .await
            .expect("audit");
        assert!(trail.iter().any(|e| e.action == "api_key_revoked"));
        // The name is free again.
        services
            .api_keys
            .create(&operator(), "phone", "read")
            .await
            .expect("name reused");
    }
);

both_dbs!(api_pages_filter_sort_and_refuse_huge_pages, |db| {
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 720, "member").await;
    for id in 1..=5 {
        services
            .requests
            .create(&member, movie(700 + id, &format!("Film {id}")))
            .await
            .expect("ask");
    }
    let made = services
        .api_keys
        .create(&operator(), "dash", "admin")
        .await
        .expect("key");
    let caller = services
        .api_keys
        .authenticate(made.secret.expose_secret())
        .await
        .expect("auth");
    let first = services
        .api
        .requests(&caller, everything(Page::new(0, 2).expect("page")))
        .await
        .expect("page");
    assert_eq!((first.items.len(), first.total), (2, 5));
    let newest = first.items[0].id;
    services
        .api
        .decline(&caller, newest, "no")
        .await
        .expect("decline");
    let last = services
        .api
        .requests(&caller, everything(Page::new(4, 2).expect("page")))
        .await
        .expect("page");
    assert_eq!(last.items.len(), 1);
    let pending = RequestQuery {
        view: RequestView::Pending,
        ..everything(Page::new(0, 10).expect("page"))
    };
    assert_eq!(
        services
            .api
            .requests(&caller, pending)
            .await
            .expect("pending")
            .total,
        4
    );
    let modified = RequestQuery {
        order: PageOrder::Modified,
        ..everything(Page::new(0, 1).expect("page"))
    };
    assert_eq!(
        services
            .api
            .requests(&caller, modified)
            .await
            .expect("m")
            .items[0]
            .id,
        newest
    );
    let counts = services.api.count(&caller).await.expect("count");
    assert_eq!(
        (counts.total, counts.movie, counts.pending, counts.declined),
        (5, 5, 4, 1)
    );
    for (skip, take, field) in [
        (0, 0, "take"),
        (0, 1_000_000_000, "take"),
        (u64::MAX, 10, "skip"),
    ] {
        let err = Page::new(skip, take).expect_err("refused");
        assert!(
            matches!(&err, CoreError::Validation(m) if m.starts_with(field)),
            "{err:?}"
        );
    }
    assert!(RequestView::parse("bogus").is_err());
});
