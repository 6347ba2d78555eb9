//! Title offers: what a search card may show a person — Request, Request 4K, Notify me too,
//! their own request, or "already in the library".

use super::harness::{both_dbs, movie, show, user_with_role};
use crate::domain::{Actor, Availability, MediaType, Seasons, TmdbId};
use crate::service::{FourK, Services};

fn id(raw: i64) -> TmdbId {
    TmdbId::parse(raw).expect("tmdb id")
}

both_dbs!(a_movie_offer_follows_the_requests_for_it, |db| {
    let services = Services::new(db.clone()).with_four_k(FourK {
        movie: true,
        tv: false,
    });
    let titles = &services.titles;
    let none = Seasons::default();
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let (_, bob) = user_with_role(&services, 2, "member").await;
    let (_, tess) = user_with_role(&services, 3, "trusted").await;

    let fresh = titles
        .offer(&ann, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert!(fresh.request && !fresh.request_4k, "{fresh:?}");
    assert_eq!(
        (fresh.follow, fresh.own, fresh.following),
        (None, None, false)
    );
    assert_eq!(fresh.library, Availability::None);
    let trusted = titles
        .offer(&tess, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert!(trusted.request && trusted.request_4k, "{trusted:?}");
    // No 4K Sonarr: no 4K for shows, whatever the permission.
    let tv = titles
        .offer(&tess, MediaType::Tv, id(1396), &none)
        .await
        .expect("offer");
    assert!(tv.request && !tv.request_4k, "{tv:?}");

    let asked = services
        .requests
        .create(&ann, movie(438_631, "Dune"))
        .await
        .expect("create");
    let mine = titles
        .offer(&ann, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert!(!mine.request, "{mine:?}");
    assert_eq!(mine.own.map(|r| r.id), Some(asked.request.id));
    assert_eq!(mine.follow, None);
    let theirs = titles
        .offer(&bob, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert!(!theirs.request, "someone asked: Notify me too instead");
    assert_eq!(theirs.follow.map(|r| r.id), Some(asked.request.id));

    services
        .requests
        .follow(&bob, asked.request.id)
        .await
        .expect("follow");
    let followed = titles
        .offer(&bob, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert!(
        followed.following && followed.follow.is_none(),
        "{followed:?}"
    );

    services
        .requests
        .approve(&Actor::system(), asked.request.id)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&Actor::system(), asked.request.id, true)
        .await
        .expect("available");
    let there = titles
        .offer(&bob, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert_eq!(there.library, Availability::Full);
    assert!(
        !there.request && there.follow.is_none() && there.own.is_none(),
        "{there:?}"
    );
});

both_dbs!(a_show_offer_knows_which_seasons_the_library_holds, |db| {
    let services = Services::new(db.clone());
    let titles = &services.titles;
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let (_, bob) = user_with_role(&services, 2, "member").await;
    let all_four = Seasons::new([1, 2, 3, 4]);
    let asked = services
        .requests
        .create(&ann, show(1429, "Attack on Titan", &[1, 2]))
        .await
        .expect("create");
    services
        .requests
        .approve(&Actor::system(), asked.request.id)
        .await
        .expect("approve");
    services
        .availability
        .record_availability(&Actor::system(), asked.request.id, &Seasons::new([1, 2]))
        .await
        .expect("available");

    let offer = titles
        .offer(&bob, MediaType::Tv, id(1429), &all_four)
        .await
        .expect("offer");
    assert_eq!(offer.library, Availability::Partial(Seasons::new([1, 2])));
    assert!(offer.request, "seasons 3 and 4 can still be asked for");
    assert_eq!(offer.follow, None, "nothing open to follow");
    let only_two = titles
        .offer(&bob, MediaType::Tv, id(1429), &Seasons::new([1, 2]))
        .await
        .expect("offer");
    assert_eq!(only_two.library, Availability::Full);
    assert!(!only_two.request);
});

both_dbs!(a_disabled_or_unknown_user_gets_no_offer, |db| {
    let services = Services::new(db.clone());
    let ghost = Actor::user(crate::domain::UserId(999), crate::domain::Source::System);
    let refused = services
        .titles
        .offer(&ghost, MediaType::Movie, id(438_631), &Seasons::default())
        .await;
    assert!(
        matches!(refused, Err(crate::CoreError::Forbidden(_))),
        "{refused:?}"
    );
});

both_dbs!(
    a_caller_resolved_at_the_edge_brings_their_permissions_to_the_card,
    |db| {
        let services = Services::new(db.clone()).with_four_k(FourK {
            movie: true,
            tv: false,
        });
        let (user, ann) = user_with_role(&services, 4, "trusted").await;
        let (_, permissions) = crate::store::users::read_with_permissions(&db, user.id)
            .await
            .expect("read")
            .expect("known");
        let caller = crate::service::Caller {
            user: user.clone(),
            actor: ann.clone(),
            language: "en-US".into(),
            permissions,
            content_limit: Default::default(),
        };
        let none = Seasons::default();
        let full = services
            .titles
            .offer_to(&caller, MediaType::Movie, id(438_631), &none)
            .await
            .expect("offer");
        assert!(full.request && full.request_4k, "{full:?}");
        // The card follows what the caller carries, not a fresh read: a caller whose permissions
        // were resolved without 4K sees no 4K button though the database would allow it.
        let narrower = crate::service::Caller {
            permissions: crate::domain::Permissions::of(&[
                crate::domain::Permission::RequestMovie,
                crate::domain::Permission::RequestTv,
            ]),
            ..caller
        };
        let offer = services
            .titles
            .offer_to(&narrower, MediaType::Movie, id(438_631), &none)
            .await
            .expect("offer");
        assert!(offer.request && !offer.request_4k, "{offer:?}");
        let read = services
            .titles
            .offer(&ann, MediaType::Movie, id(438_631), &none)
            .await
            .expect("offer");
        assert!(
            read.request_4k,
            "the actor form reads the database: {read:?}"
        );
    }
);
