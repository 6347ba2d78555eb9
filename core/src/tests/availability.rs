//! AvailabilityService: partial vs full, stored seasons, audit and one notification per change.

use serde_json::json;

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::domain::{Actor, MediaType, Request, RequestStatus, Seasons, TmdbId, TvdbId};
use crate::service::{NewRequest, Services, events};
use crate::store::{audit, outbox};

/// An approved request (auto-approved for a trusted user) moved on to Submitted.
pub async fn submitted(services: &Services, telegram_id: u64, new: NewRequest) -> Request {
    let (_, actor) = user_with_role(services, telegram_id, "trusted").await;
    let created = services.requests.create(&actor, new).await.expect("create");
    services
        .requests
        .mark_submitted(&Actor::system(), created.request.id)
        .await
        .expect("submitted")
}

/// A show request that also carries its TVDB id (as Sonarr needs).
pub fn show_with_tvdb(tmdb: i64, tvdb: i64, seasons: &[u16]) -> NewRequest {
    let mut new = show(tmdb, "Breaking Bad", seasons);
    new.media.tvdb_id = Some(TvdbId::parse(tvdb).expect("tvdb"));
    new
}

/// Notifications waiting in the outbox.
pub async fn notifications(db: &crate::store::Db) -> usize {
    outbox::pending(db, events::TOPIC_NOTIFY)
        .await
        .expect("outbox")
        .len()
}

both_dbs!(movie_becomes_available_once, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 300, movie(438631, "Dune")).await;
    let before = notifications(&db).await;
    let system = Actor::system();
    let present = Seasons::new([0]);

    let first = services
        .availability
        .record_availability(&system, request.id, &present)
        .await
        .expect("record");
    assert!(first.changed);
    assert_eq!(first.request.status, RequestStatus::Available);
    assert_eq!(first.request.available_seasons, present);
    assert_eq!(notifications(&db).await, before + 1);
    let trail = audit::for_target(&db, &format!("request:{}", request.id), 1)
        .await
        .expect("audit");
    assert_eq!(trail[0].action, "request_availability");
    assert_eq!(trail[0].source, "system");

    let again = services
        .availability
        .record_availability(&system, request.id, &present)
        .await
        .expect("again");
    assert!(!again.changed);
    assert_eq!(
        notifications(&db).await,
        before + 1,
        "no second notification"
    );
});

both_dbs!(tv_goes_partial_then_full_as_seasons_arrive, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 301, show(1396, "Breaking Bad", &[1, 2, 3, 4])).await;
    let system = Actor::system();
    let before = notifications(&db).await;

    let none = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([7]))
        .await
        .expect("none");
    assert!(!none.changed);
    assert_eq!(none.request.status, RequestStatus::Submitted);

    let two = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([1, 2, 9]))
        .await
        .expect("partial");
    assert_eq!(two.request.status, RequestStatus::PartiallyAvailable);
    assert_eq!(two.request.available_seasons, Seasons::new([1, 2]));

    // Webhooks report one episode at a time: what was known is kept.
    let three = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([3]))
        .await
        .expect("more");
    assert_eq!(three.request.status, RequestStatus::PartiallyAvailable);
    assert_eq!(three.request.available_seasons, Seasons::new([1, 2, 3]));

    let same = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([2, 3]))
        .await
        .expect("same");
    assert!(!same.changed);

    let full = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([4]))
        .await
        .expect("full");
    assert_eq!(full.request.status, RequestStatus::Available);
    assert_eq!(notifications(&db).await, before + 3);
    let stored = crate::store::requests::find(&db, request.id)
        .await
        .expect("find")
        .expect("row");
    assert_eq!(stored.available_seasons, Seasons::new([1, 2, 3, 4]));
});

both_dbs!(requests_that_are_not_open_are_left_alone, |db| {
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 302, "member").await;
    let pending = services
        .requests
        .create(&member, movie(5, "Pending"))
        .await
        .expect("create")
        .request;
    let outbox_before = count(&db, "outbox").await;
    let recorded = services
        .availability
        .record_availability(&Actor::system(), pending.id, &Seasons::new([0]))
        .await
        .expect("record");
    assert!(!recorded.changed);
    assert_eq!(recorded.request.status, RequestStatus::Pending);
    assert_eq!(count(&db, "outbox").await, outbox_before);
    let found = services
        .availability
        .open_movie(TmdbId::parse(5).expect("id"))
        .await
        .expect("open");
    assert!(
        found.is_empty(),
        "pending requests are not open for availability"
    );
});

both_dbs!(members_cannot_record_availability, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 303, movie(6, "Heat")).await;
    let (_, member) = user_with_role(&services, 304, "member").await;
    let refused = services
        .availability
        .record_availability(&member, request.id, &Seasons::new([0]))
        .await;
    assert!(
        matches!(refused, Err(crate::CoreError::Forbidden(_))),
        "{refused:?}"
    );
});

both_dbs!(open_shows_are_found_by_tmdb_or_tvdb, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 305, show_with_tvdb(1396, 81189, &[1])).await;
    let by_tvdb = services
        .availability
        .open_show(None, Some(TvdbId::parse(81189).expect("id")))
        .await
        .expect("by tvdb");
    assert_eq!(
        by_tvdb.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![request.id]
    );
    let by_tmdb = services
        .availability
        .open_show(Some(TmdbId::parse(1396).expect("id")), None)
        .await
        .expect("by tmdb");
    assert_eq!(by_tmdb.len(), 1);
    let movies = services
        .availability
        .open_movie(TmdbId::parse(1396).expect("id"))
        .await
        .expect("movies");
    assert!(movies.is_empty(), "a show is not a movie with the same id");
});

both_dbs!(deletion_is_audited_and_forgets_seasons, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 306, show(1396, "Breaking Bad", &[1, 2])).await;
    let system = Actor::system();
    services
        .availability
        .record_availability(&system, request.id, &Seasons::new([1]))
        .await
        .expect("partial");
    let notes = services
        .availability
        .note_deletion(
            &system,
            MediaType::Tv,
            Some(TmdbId::parse(1396).expect("id")),
            None,
            &json!({ "event": "SeriesDelete" }),
        )
        .await
        .expect("note");
    assert_eq!(notes, vec![request.id]);
    let stored = crate::store::requests::find(&db, request.id)
        .await
        .expect("find")
        .expect("row");
    assert!(stored.available_seasons.is_empty());
    assert_eq!(stored.status, RequestStatus::PartiallyAvailable);
    let trail = audit::for_target(&db, &format!("request:{}", request.id), 1)
        .await
        .expect("audit");
    assert_eq!(trail[0].action, "request_upstream_deleted");
});

both_dbs!(record_many_batches_and_falls_back_per_request, |db| {
    let services = Services::new(db.clone());
    let a = submitted(&services, 307, movie(70, "A")).await;
    let b = submitted(&services, 308, show(71, "B", &[1, 2])).await;
    let before = notifications(&db).await;
    let present = Seasons::new([0]);
    let answers = vec![(a.id, present.clone()), (b.id, Seasons::new([2]))];
    let results = services
        .availability
        .record_many(&Actor::system(), &answers)
        .await;
    assert!(
        results
            .iter()
            .all(|(_, r)| r.as_ref().is_ok_and(|r| r.changed))
    );
    assert_eq!(notifications(&db).await, before + 2);

    // A vanished request fails its batch; the others are still recorded, one by one.
    let c = submitted(&services, 309, movie(72, "C")).await;
    let before = notifications(&db).await;
    let gone = crate::domain::RequestId(999_999);
    let answers = vec![
        (gone, present.clone()),
        (c.id, present.clone()),
        (a.id, present),
    ];
    let results = services
        .availability
        .record_many(&Actor::system(), &answers)
        .await;
    assert!(matches!(results[0], (id, Err(crate::CoreError::NotFound(_))) if id == gone));
    assert!(matches!(&results[1], (id, Ok(r)) if *id == c.id && r.changed));
    assert!(matches!(&results[2], (id, Ok(r)) if *id == a.id && !r.changed));
    assert_eq!(notifications(&db).await, before + 1);
});
