//! Quotas through the request service: limits, 4K apart, next slot, races.

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, MediaType, QuotaLimit, QuotaScope};
use crate::service::Services;

const MOVIES: QuotaScope = QuotaScope {
    media_type: MediaType::Movie,
    four_k: false,
};
const MOVIES_4K: QuotaScope = QuotaScope {
    media_type: MediaType::Movie,
    four_k: true,
};
const SEASONS: QuotaScope = QuotaScope {
    media_type: MediaType::Tv,
    four_k: false,
};

both_dbs!(
    role_quota_refuses_with_next_slot_and_counts_4k_apart,
    |db| {
        let services = Services::new(db.clone());
        let system = Actor::system();
        let limit = QuotaLimit { max: 2, days: 7 };
        services
            .users
            .set_role_quota(&system, "member", MOVIES, Some(limit))
            .await
            .expect("quota");
        services
            .users
            .set_role_quota(
                &system,
                "member",
                MOVIES_4K,
                Some(QuotaLimit { max: 1, days: 7 }),
            )
            .await
            .expect("quota");
        let (user, actor) = user_with_role(&services, 300, "member").await;
        services
            .users
            .grant_role(&system, user.id, "trusted")
            .await
            .expect("grant");
        // trusted has no quota rows: unlimited wins over member's limit
        for id in 1..=3 {
            services
                .requests
                .create(&actor, movie(id, "Free"))
                .await
                .expect("unlimited");
        }
        // a user override applies whatever the roles
        services
            .users
            .set_user_quota(&system, user.id, MOVIES, Some(limit))
            .await
            .expect("override");
        let refused = services.requests.create(&actor, movie(10, "Over")).await;
        let Err(CoreError::QuotaExceeded(details)) = refused else {
            panic!("expected quota, got {refused:?}")
        };
        assert_eq!(details.used, 3);
        let next = details.next_slot.expect("a slot frees");
        assert!(
            next.0 > crate::domain::Timestamp::now().0 + 6 * 86_400_000,
            "next slot a week out"
        );
        // 4K has its own counter (trusted includes request_4k)
        let mut four_k = movie(11, "Sharp");
        four_k.four_k = true;
        services
            .requests
            .create(&actor, four_k.clone())
            .await
            .expect("first 4K is free");
        let requests_before = count(&db, "requests").await;
        services
            .users
            .set_user_quota(
                &system,
                user.id,
                MOVIES_4K,
                Some(QuotaLimit { max: 1, days: 7 }),
            )
            .await
            .expect("q");
        four_k.media.tmdb_id = crate::domain::TmdbId::parse(12).expect("id");
        assert!(matches!(
            services.requests.create(&actor, four_k).await,
            Err(CoreError::QuotaExceeded(_))
        ));
        assert_eq!(count(&db, "requests").await, requests_before);
    }
);

both_dbs!(
    season_quota_counts_each_season_and_admins_are_exempt,
    |db| {
        let services = Services::new(db.clone());
        let system = Actor::system();
        services
            .users
            .set_role_quota(
                &system,
                "member",
                SEASONS,
                Some(QuotaLimit { max: 3, days: 30 }),
            )
            .await
            .expect("q");
        let (_, member) = user_with_role(&services, 301, "member").await;
        services
            .requests
            .create(&member, show(1, "A", &[1, 2]))
            .await
            .expect("two seasons");
        let over = services
            .requests
            .create(&member, show(2, "B", &[1, 2]))
            .await;
        assert!(matches!(over, Err(CoreError::QuotaExceeded(_))), "{over:?}");
        services
            .requests
            .create(&member, show(2, "B", &[1]))
            .await
            .expect("one more fits");
        let never = services
            .requests
            .create(&member, show(3, "C", &[1, 2, 3, 4]))
            .await;
        let Err(CoreError::QuotaExceeded(details)) = never else {
            panic!("{never:?}")
        };
        assert_eq!(
            details.next_slot, None,
            "four seasons never fit a limit of three"
        );
        let (admin_user, admin) = user_with_role(&services, 302, "admin").await;
        services
            .users
            .set_user_quota(
                &system,
                admin_user.id,
                SEASONS,
                Some(QuotaLimit { max: 0, days: 1 }),
            )
            .await
            .expect("q");
        services
            .requests
            .create(&admin, show(4, "D", &[1, 2, 3, 4]))
            .await
            .expect("admins have no quota");
    }
);

both_dbs!(concurrent_requests_cannot_overrun_a_quota, |db| {
    let services = Services::new(db.clone());
    let system = Actor::system();
    services
        .users
        .set_role_quota(
            &system,
            "member",
            MOVIES,
            Some(QuotaLimit { max: 2, days: 7 }),
        )
        .await
        .expect("q");
    let (_, actor) = user_with_role(&services, 303, "member").await;
    let mut handles = Vec::new();
    for id in 0..6 {
        let (services, actor) = (services.clone(), actor.clone());
        handles.push(tokio::spawn(async move {
            services.requests.create(&actor, movie(700 + id, "M")).await
        }));
    }
    let mut ok = 0;
    for handle in handles {
        match handle.await.expect("task") {
            Ok(_) => ok += 1,
            Err(CoreError::QuotaExceeded(_)) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(ok, 2);
    assert_eq!(count(&db, "requests").await, 2);
});

both_dbs!(only_admins_change_quotas_and_roles, |db| {
    let services = Services::new(db.clone());
    let (user, member) = user_with_role(&services, 304, "member").await;
    let quota = services
        .users
        .set_user_quota(&member, user.id, MOVIES, None)
        .await;
    assert!(matches!(quota, Err(CoreError::Forbidden(_))));
    assert!(matches!(
        services.users.grant_role(&member, user.id, "admin").await,
        Err(CoreError::Forbidden(_))
    ));
    let bad = services
        .users
        .set_role_quota(
            &Actor::system(),
            "member",
            MOVIES,
            Some(QuotaLimit { max: 1, days: 0 }),
        )
        .await;
    assert!(matches!(bad, Err(CoreError::Validation(_))));
    let unknown = services
        .users
        .grant_role(&Actor::system(), user.id, "wizard")
        .await;
    assert!(matches!(unknown, Err(CoreError::NotFound(_))));
});
