//! A title's page in the open API (`GET /movie/{id}`, `GET /tv/{id}`) lists every request for
//! that title with the people they name (Seerr's `mediaInfo.requests`), on both databases:
//! only that title's, of that media type, oldest first; none for a title nobody asked for.

use super::api_act_for::caller;
use super::console_titles::tmdb_at;
use super::harness::{both_dbs, movie, show, user_with_role};
use crate::domain::{RequestStatus, TmdbId};
use crate::service::Services;

/// Dune, as the fake TMDB knows it (a movie); 246 is a show there.
const DUNE: i64 = 438631;
const AVATAR: i64 = 246;

fn id(n: i64) -> TmdbId {
    TmdbId::parse(n).expect("id")
}

both_dbs!(a_titles_page_lists_every_request_for_it, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    let (ann, ann_actor) = user_with_role(&services, 41, "member").await;
    let (bob, bob_actor) = user_with_role(&services, 42, "member").await;
    let (boss_user, boss) = user_with_role(&services, 43, "admin").await;
    let first = services
        .requests
        .create(&ann_actor, movie(DUNE, "Dune"))
        .await
        .expect("first")
        .request;
    services
        .requests
        .decline(&boss, first.id, "not now")
        .await
        .expect("decline");
    let second = services
        .requests
        .create(&bob_actor, movie(DUNE, "Dune"))
        .await
        .expect("asked again")
        .request;
    // Another title, and a show sharing Dune's number, are not Dune's.
    services
        .requests
        .create(&ann_actor, movie(27205, "Inception"))
        .await
        .expect("other");
    services
        .requests
        .create(&ann_actor, show(DUNE, "Same number", &[1]))
        .await
        .expect("show");
    let read = caller(&services, "dashboard", "read").await;

    let page = services
        .api
        .movie(&read, id(DUNE), None)
        .await
        .expect("movie");
    let ids: Vec<_> = page.requests.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, [first.id, second.id], "Dune's own, oldest first");
    assert_eq!(page.requests.total, 2);
    assert_eq!(page.requests.items[0].status, RequestStatus::Declined);
    for person in [ann.id, bob.id, boss_user.id] {
        assert!(page.requests.people.contains_key(&person), "{person:?}");
    }
    let facts = page.facts.expect("Usher knows Dune");
    assert_eq!(facts.request.map(|r| r.id), Some(second.id), "the newest");

    let tv = services.api.tv(&read, id(AVATAR), None).await.expect("tv");
    assert!(tv.requests.items.is_empty(), "nobody asked for it");
    assert!(tv.facts.is_none());
});
