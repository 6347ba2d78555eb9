//! Content limits applied by core wherever a title reaches a person: a PG-13 cap hides the
//! R-rated film from searches (console, API, any list), and its card, its API page and a request
//! for it — the member's own, or an admin's on their behalf — answer "not available to you".
//! Limits are read from the roles' `content_limit` column, strictest of all roles; people
//! without one cost no TMDB call at all.

use super::console_titles::{id, tmdb_at};
use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{MediaType, Scope as ApiScope, Scopes, Seasons, UserId};
use crate::i18n::Catalog;
use crate::integrations::tmdb::{SearchQuery, SeasonChoice};
use crate::service::{ApiCaller, Ask, Services};
use crate::store::{Db, on_pool, role_limits};

/// 1917 (2019): rated R in the US.
const R_FILM: i64 = 530_915;
/// Inception: PG-13.
const PG13_FILM: i64 = 27_205;
/// Breaking Bad: TV-MA.
const TV_MA_SHOW: i64 = 1396;

/// Sets a role's stored limit, as the console or TOML would.
pub(super) async fn limit_role(db: &Db, role: &str, json: &str) {
    on_pool!(db, pool => sqlx::query("UPDATE roles SET content_limit = $1 WHERE name = $2")
        .bind(json)
        .bind(role)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("set the limit");
}

/// Adds a role with a limit and grants it to `user`.
async fn grant_limited_role(db: &Db, user: UserId, role: &str, json: &str) {
    on_pool!(db, pool => sqlx::query(
        "INSERT INTO roles (name, permissions, builtin, created_at, content_limit)
         VALUES ($1, 1, FALSE, 0, $2)")
        .bind(role)
        .bind(json)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("add the role");
    on_pool!(db, pool => sqlx::query(
        "INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2")
        .bind(user.0)
        .bind(role)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("grant the role");
}

fn ids(hits: &[crate::service::AskHit]) -> Vec<i64> {
    hits.iter().map(|h| i64::from(h.tmdb.get())).collect()
}

both_dbs!(a_pg13_cap_hides_the_r_film_everywhere, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    limit_role(&db, "member", r#"{"movie":"PG-13","tv":"TV-14"}"#).await;
    let (capped, kid) = user_with_role(&services, 301, "member").await;
    let (_, grown) = user_with_role(&services, 302, "trusted").await;
    let (_, admin) = user_with_role(&services, 303, "admin").await;

    // Searches: the R film is simply not offered to the capped member; PG-13 still is.
    let asks = &services.asks;
    let search = |actor, text: &'static str| async move {
        asks.search(actor, text, None, None).await.expect("search")
    };
    assert!(ids(&search(&kid, "1917").await).is_empty());
    assert_eq!(ids(&search(&grown, "1917").await), [R_FILM]);
    assert_eq!(ids(&search(&kid, "inception").await), [PG13_FILM]);
    assert!(
        ids(&search(&kid, "breaking bad").await).is_empty(),
        "TV-MA over TV-14"
    );

    // Its card by id, and the console's ask form: "not available to you", localized.
    let none = Seasons::default();
    let card = services
        .titles
        .offer(&kid, MediaType::Movie, id(R_FILM), &none)
        .await;
    assert!(matches!(card, Err(CoreError::NotOffered)), "{card:?}");
    let catalog = Catalog::embedded().expect("catalogue");
    let said = catalog.error_text("en-US", &CoreError::NotOffered);
    assert!(said.contains("isn't available to you"), "{said}");
    assert!(
        catalog
            .error_text("de", &CoreError::NotOffered)
            .contains("nicht verfügbar")
    );
    let form = asks
        .form(
            &kid,
            (MediaType::Movie, id(R_FILM)),
            None,
            &Default::default(),
        )
        .await;
    assert!(matches!(form, Err(CoreError::NotOffered)), "{form:?}");
    services
        .titles
        .offer(&kid, MediaType::Movie, id(PG13_FILM), &none)
        .await
        .expect("a PG-13 card");

    // Requests: refused for the member, on their behalf too; nothing is written.
    let refused = services.requests.create(&kid, movie(R_FILM, "1917")).await;
    assert!(matches!(refused, Err(CoreError::NotOffered)), "{refused:?}");
    let on_behalf = Ask {
        on_behalf: Some(capped.id),
        media_type: MediaType::Movie,
        tmdb: id(R_FILM),
        seasons: SeasonChoice::All,
        four_k: false,
    };
    let refused = asks.ask(&admin, on_behalf.clone()).await;
    assert!(matches!(refused, Err(CoreError::NotOffered)), "{refused:?}");
    assert_eq!(count(&db, "requests").await, 0);
    // The admin's own ask (no limit) and a PG-13 request of the member go through.
    let mine = Ask {
        on_behalf: None,
        ..on_behalf
    };
    asks.ask(&admin, mine).await.expect("the admin asks");
    services
        .requests
        .create(&kid, movie(PG13_FILM, "Inception"))
        .await
        .expect("a PG-13 request");
    assert_eq!(count(&db, "requests").await, 2);

    // The API, for a key acting as the member: search hides it, its page refuses.
    let key = ApiCaller {
        key: "family".into(),
        user: capped.id,
        scopes: Scopes::of(&[ApiScope::Read, ApiScope::Request]),
    };
    let page = services
        .api
        .search(&key, &SearchQuery::new("1917"))
        .await
        .expect("api search");
    assert!(page.hits.is_empty(), "{page:?}");
    let movie_page = services.api.movie(&key, id(R_FILM), None).await;
    assert!(matches!(movie_page, Err(CoreError::NotOffered)));
    let show_page = services.api.tv(&key, id(TV_MA_SHOW), None).await;
    assert!(matches!(show_page, Err(CoreError::NotOffered)));
});

both_dbs!(unlimited_people_cost_no_tmdb_call, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let tmdb = tmdb_at(&fake, 1024 * 1024);
    let services = Services::new(db.clone()).with_tmdb(tmdb.clone());
    let (_, grown) = user_with_role(&services, 311, "trusted").await;
    let hits = tmdb
        .search_multi(&SearchQuery::new("dune"))
        .await
        .expect("search")
        .hits
        .clone();
    assert!(hits.len() >= 2, "{hits:?}");
    let facts_calls = || {
        fake.received()
            .iter()
            .filter(|r| r.query.contains("append_to_response"))
            .count()
    };
    let before = fake.received().len();
    let unlimited = role_limits::content_limit_of(&db, grown.user.expect("user"))
        .await
        .expect("limit");
    assert!(unlimited.is_unlimited());
    let kept = services.titles.offerable(&unlimited, hits.clone()).await;
    assert_eq!(kept, hits);
    services
        .requests
        .create(&grown, movie(R_FILM, "1917"))
        .await
        .expect("an unlimited request");
    assert_eq!(
        fake.received().len(),
        before,
        "no TMDB call for an unlimited person"
    );

    // A capped person costs one call per title, once: the facts are cached.
    let cap = crate::domain::ContentLimitSpec {
        movie: Some("PG".into()),
        ..Default::default()
    }
    .validate()
    .expect("limit");
    let first = services.titles.offerable(&cap, hits.clone()).await;
    assert!(first.is_empty(), "every Dune is PG-13: {first:?}");
    assert_eq!(facts_calls(), hits.len());
    services.titles.offerable(&cap, hits.clone()).await;
    assert_eq!(facts_calls(), hits.len(), "the second look is cached");

    // A limit on blocked titles alone needs no facts either.
    let blocked = crate::domain::ContentLimitSpec {
        blocked_titles: vec![format!("movie/{}", hits[0].tmdb_id)],
        ..Default::default()
    }
    .validate()
    .expect("limit");
    let calls = fake.received().len();
    let kept = services.titles.offerable(&blocked, hits.clone()).await;
    assert_eq!(kept.len(), hits.len() - 1);
    assert_eq!(fake.received().len(), calls);
});

both_dbs!(the_strictest_of_the_roles_limits_applies, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    limit_role(&db, "member", r#"{"movie":"PG-13"}"#).await;
    let (teen, teen_actor) = user_with_role(&services, 321, "member").await;
    let (child, child_actor) = user_with_role(&services, 322, "member").await;
    grant_limited_role(
        &db,
        child.id,
        "kids",
        r#"{"movie":"PG","blocked_keywords":["Witch"]}"#,
    )
    .await;
    let gate = services.titles.gate();
    let teen_limit = role_limits::content_limit_of(&db, teen.id)
        .await
        .expect("teen");
    let child_limit = role_limits::content_limit_of(&db, child.id)
        .await
        .expect("child");
    let inception = (MediaType::Movie, id(PG13_FILM));
    let spirited = (MediaType::Movie, id(129));
    assert!(
        gate.admits(&teen_limit, inception.0, inception.1)
            .await
            .expect("teen")
    );
    assert!(
        gate.admits(&teen_limit, spirited.0, spirited.1)
            .await
            .expect("teen")
    );
    assert!(
        !gate
            .admits(&child_limit, inception.0, inception.1)
            .await
            .expect("child")
    );
    assert!(
        !gate
            .admits(&child_limit, spirited.0, spirited.1)
            .await
            .expect("child"),
        "PG, but tagged with a blocked keyword"
    );
    let refused = services
        .requests
        .create(&child_actor, movie(PG13_FILM, "Inception"))
        .await;
    assert!(matches!(refused, Err(CoreError::NotOffered)), "{refused:?}");
    services
        .requests
        .create(&teen_actor, movie(PG13_FILM, "Inception"))
        .await
        .expect("the teen may");
});

both_dbs!(
    a_capped_request_reads_its_limit_with_the_permissions_and_asks_tmdb_only_when_needed,
    |db| {
        let fake = usher_testkit::tmdb::start().await;
        let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
        limit_role(&db, "member", r#"{"movie":"PG-13"}"#).await;
        let (_, kid) = user_with_role(&services, 321, "member").await;
        let facts_calls = || {
            fake.received()
                .iter()
                .filter(|r| r.query.contains("append_to_response"))
                .count()
        };

        // Nothing cached: the request learns the facts once (outside its transaction) and goes on.
        services
            .requests
            .create(&kid, movie(PG13_FILM, "Inception"))
            .await
            .expect("a PG-13 request with nothing cached");
        assert_eq!(facts_calls(), 1);
        let refused = services.requests.create(&kid, movie(R_FILM, "1917")).await;
        assert!(matches!(refused, Err(CoreError::NotOffered)), "{refused:?}");
        assert_eq!(facts_calls(), 2);
        // Asked again, the cached facts decide: no TMDB call.
        let refused = services.requests.create(&kid, movie(R_FILM, "1917")).await;
        assert!(matches!(refused, Err(CoreError::NotOffered)), "{refused:?}");
        assert_eq!(facts_calls(), 2);
        assert_eq!(count(&db, "requests").await, 1);

        // TMDB down and nothing cached: refused as an upstream error, never let through, and
        // nothing is written.
        let offline =
            Services::new(db.clone()).with_tmdb(crate::tests::console_titles::dead_tmdb());
        let refused = offline
            .requests
            .create(&kid, movie(PG13_FILM, "Inception"))
            .await;
        assert!(
            matches!(
                refused,
                Err(CoreError::Upstream {
                    service: "TMDB",
                    ..
                })
            ),
            "{refused:?}"
        );
        assert_eq!(count(&db, "requests").await, 1);
    }
);

both_dbs!(
    a_stored_limit_that_no_longer_parses_refuses_offers_and_nothing_else,
    |db| {
        // A limit written by another version (or by hand) that this one cannot read: offers to
        // the role's holders fail closed, but what needs no limit (approving) still works.
        let fake = usher_testkit::tmdb::start().await;
        let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
        let (_, member) = user_with_role(&services, 331, "member").await;
        let (_, approver) = user_with_role(&services, 332, "approver").await;
        let asked = services
            .requests
            .create(&member, movie(PG13_FILM, "Inception"))
            .await
            .expect("asked")
            .request;
        limit_role(&db, "approver", "{\"movie\": ").await;
        let offered = services
            .titles
            .offer(&approver, MediaType::Movie, id(R_FILM), &Seasons::default())
            .await;
        assert!(
            matches!(offered, Err(CoreError::Unexpected(_))),
            "an unreadable limit offers nothing: {offered:?}"
        );
        let approved = services
            .requests
            .approve(&approver, asked.id)
            .await
            .expect("approving reads no limit");
        assert_eq!(approved.status, crate::domain::RequestStatus::Approved);
    }
);
