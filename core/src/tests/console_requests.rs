//! What the console's request pages and dashboard ask of core: the dashboard figures, filtered
//! lists with requester names, a request's detail, and approving to a chosen instance.

use super::harness::{both_dbs, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, MediaType, Platform, RequestId, RequestStatus, Source, Timestamp};
use crate::service::dashboard::{WEEKS, week_start};
use crate::service::{Services, Target};
use crate::store::requests::RequestFilter;
use crate::store::{Db, on_pool};

const DAY_MS: i64 = 86_400_000;

/// Moves a request's creation time (the services always stamp "now").
async fn backdate(db: &Db, id: RequestId, at: Timestamp) {
    on_pool!(db, pool => sqlx::query("UPDATE requests SET created_at = $1 WHERE id = $2")
        .bind(at.0)
        .bind(id.0)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("backdate");
}

both_dbs!(the_dashboard_counts_what_the_caller_may_see, |db| {
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 900, "approver").await;
    let (alice_user, alice) = user_with_role(&services, 901, "member").await;
    let (_, bob) = user_with_role(&services, 902, "member").await;
    let now = Timestamp::now();
    let this_week = week_start(now);
    let mut ids = Vec::new();
    for (i, (who, weeks_ago)) in [
        (&alice, 0),
        (&alice, 0),
        (&bob, 1),
        (&bob, 11),
        (&alice, 12),
    ]
    .into_iter()
    .enumerate()
    {
        let made = services
            .requests
            .create(who, movie(9100 + i as i64, "T"))
            .await
            .expect("create")
            .request;
        let at = Timestamp(this_week.0 - weeks_ago * 7 * DAY_MS + DAY_MS);
        let at = if weeks_ago == 0 { now } else { at };
        backdate(&db, made.id, at).await;
        ids.push(made.id);
    }
    // One of Bob's fails upstream, one of Alice's is declined.
    services
        .requests
        .approve(&approver, ids[2])
        .await
        .expect("approve");
    services
        .requests
        .mark_failed(&Actor::system(), ids[2], "radarr: not reachable", None)
        .await
        .expect("fail");
    services
        .requests
        .decline(&approver, ids[4], "no")
        .await
        .expect("decline");

    let all = services
        .dashboard
        .overview(&approver, now)
        .await
        .expect("all");
    assert!(all.everyone);
    assert_eq!((all.pending, all.failed), (3, 1));
    assert_eq!(all.failed_recent.len(), 1);
    assert_eq!(
        all.failed_recent[0].last_error.as_deref(),
        Some("radarr: not reachable")
    );
    assert_eq!(all.weeks.len(), WEEKS);
    assert_eq!(all.weeks[WEEKS - 1].starts, this_week);
    assert_eq!(
        all.weeks[0].starts,
        Timestamp(this_week.0 - 11 * 7 * DAY_MS)
    );
    let per_week: Vec<u64> = all.weeks.iter().map(|w| w.requests).collect();
    let mut expected = vec![0; WEEKS];
    expected[WEEKS - 1] = 2;
    expected[WEEKS - 2] = 1;
    expected[0] = 1; // eleven weeks ago; twelve is outside the chart
    assert_eq!(per_week, expected);

    // A request made now shows at once (finished weeks come from a cache, this week is live).
    services
        .requests
        .create(&bob, movie(9199, "Now"))
        .await
        .expect("now");
    let later = services
        .dashboard
        .overview(&approver, Timestamp::now())
        .await
        .expect("later");
    assert_eq!(later.weeks[WEEKS - 1].requests, 3);
    assert_eq!(later.pending, 4);

    let own = services.dashboard.overview(&alice, now).await.expect("own");
    assert!(!own.everyone);
    assert_eq!((own.pending, own.failed), (2, 0));
    assert!(own.failed_recent.is_empty());
    assert_eq!(own.weeks.iter().map(|w| w.requests).sum::<u64>(), 2);
    assert_eq!(
        alice_user.id,
        own_requester(&services, &approver, ids[0]).await
    );
});

async fn own_requester(
    services: &Services,
    approver: &Actor,
    id: RequestId,
) -> crate::domain::UserId {
    services
        .requests
        .get(approver, id)
        .await
        .expect("get")
        .requested_by
}

both_dbs!(filters_narrow_the_list_and_pages_carry_names, |db| {
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 910, "approver").await;
    let (alice_user, alice) = user_with_role(&services, 911, "member").await;
    let (_, bob) = user_with_role(&services, 912, "member").await;
    let web_bob = Actor::user(bob.user.expect("user"), Source::Web { ip: None });
    let a = services
        .requests
        .create(&alice, movie(9200, "Heat"))
        .await
        .expect("a")
        .request;
    let b = services
        .requests
        .create(&alice, show(9201, "Dark", &[1, 2]))
        .await
        .expect("b")
        .request;
    let c = services
        .requests
        .create(&web_bob, movie(9202, "Up"))
        .await
        .expect("c")
        .request;
    backdate(&db, a.id, Timestamp(10 * DAY_MS)).await;
    backdate(&db, b.id, Timestamp(20 * DAY_MS)).await;
    backdate(&db, c.id, Timestamp(30 * DAY_MS)).await;

    let ids = |filter: RequestFilter| {
        let services = services.clone();
        let approver = approver.clone();
        async move {
            let page = services
                .requests
                .list(&approver, filter, None, 50)
                .await
                .expect("list");
            page.items.iter().map(|r| r.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(RequestFilter::default()).await, [c.id, b.id, a.id]);
    let movies = RequestFilter {
        media_type: Some(MediaType::Movie),
        ..Default::default()
    };
    assert_eq!(ids(movies).await, [c.id, a.id]);
    let from_web = RequestFilter {
        source: Some(Platform::Web),
        ..Default::default()
    };
    assert_eq!(ids(from_web).await, [c.id]);
    let from_telegram = RequestFilter {
        source: Some(Platform::Telegram),
        ..Default::default()
    };
    assert_eq!(ids(from_telegram).await, [b.id, a.id]);
    let by_alice = RequestFilter {
        requested_by: Some(alice_user.id),
        ..Default::default()
    };
    assert_eq!(ids(by_alice).await, [b.id, a.id]);
    let range = RequestFilter {
        created_from: Some(Timestamp(15 * DAY_MS)),
        created_before: Some(Timestamp(30 * DAY_MS)),
        ..Default::default()
    };
    assert_eq!(ids(range).await, [b.id]);
    let pending_tv = RequestFilter {
        statuses: vec![RequestStatus::Pending],
        media_type: Some(MediaType::Tv),
        ..Default::default()
    };
    assert_eq!(ids(pending_tv).await, [b.id]);

    let page = services
        .requests
        .list(&approver, RequestFilter::default(), None, 2)
        .await
        .expect("page");
    assert_eq!(
        page.requesters.get(&alice_user.id).map(String::as_str),
        Some("user911")
    );
    assert_eq!(page.requesters.len(), 2);
    let rest = services
        .requests
        .list(&approver, RequestFilter::default(), page.next, 2)
        .await
        .expect("rest");
    assert_eq!(rest.items.iter().map(|r| r.id).collect::<Vec<_>>(), [a.id]);
    assert!(rest.next.is_none());
});

both_dbs!(
    a_detail_has_followers_and_trail_and_hides_from_others,
    |db| {
        let services = Services::new(db.clone());
        let (approver_user, approver) = user_with_role(&services, 920, "approver").await;
        let (alice_user, alice) = user_with_role(&services, 921, "member").await;
        let (bob_user, bob) = user_with_role(&services, 922, "member").await;
        let (_, carol) = user_with_role(&services, 923, "member").await;
        let request = services
            .requests
            .create(&alice, movie(9300, "Alien"))
            .await
            .expect("create")
            .request;
        services
            .requests
            .create(&bob, movie(9300, "Alien"))
            .await
            .expect("follow");
        services
            .requests
            .approve_to(&approver, request.id, &instance("radarr-4k"))
            .await
            .expect("approve");

        let detail = services
            .requests
            .detail(&approver, request.id)
            .await
            .expect("detail");
        assert_eq!(detail.request.target_instance.as_deref(), Some("radarr-4k"));
        assert_eq!(detail.request.status, RequestStatus::Approved);
        assert_eq!(detail.followers, [bob_user.id]);
        assert_eq!(detail.name(alice_user.id), "user921");
        assert_eq!(detail.name(approver_user.id), "user920");
        assert_eq!(detail.name(crate::domain::UserId(424_242)), "#424242");
        let actions: Vec<&str> = detail.trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["request_approved", "request_followed", "request_created"]
        );
        assert_eq!(detail.trail[0].details["instance"], "radarr-4k");

        assert!(
            services.requests.detail(&alice, request.id).await.is_ok(),
            "own request"
        );
        let hidden = services.requests.detail(&carol, request.id).await;
        let missing = services.requests.detail(&carol, RequestId(987_654)).await;
        assert!(matches!(hidden, Err(CoreError::NotFound(_))), "{hidden:?}");
        assert_eq!(
            hidden.map(|_| ()).map_err(|e| e.to_string()),
            missing
                .map(|_| ())
                .map_err(|e| e.to_string())
                .map_err(|e| e.replace("987654", &request.id.to_string())),
            "a guessed id reads like a missing one"
        );
    }
);

both_dbs!(approving_to_an_instance_checks_the_name, |db| {
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 930, "approver").await;
    let (_, alice) = user_with_role(&services, 931, "member").await;
    let film = services
        .requests
        .create(&alice, movie(9400, "Ran"))
        .await
        .expect("film")
        .request;
    let series = services
        .requests
        .create(&alice, show(9401, "Shogun", &[1]))
        .await
        .expect("series")
        .request;
    for (id, name) in [
        (film.id, "sonarr"),
        (film.id, "radarr-8k"),
        (series.id, "radarr"),
    ] {
        let refused = services
            .requests
            .approve_to(&approver, id, &instance(name))
            .await;
        assert!(
            matches!(refused, Err(CoreError::Validation(_))),
            "{name}: {refused:?}"
        );
    }
    let refused = services
        .requests
        .approve_to(&alice, series.id, &instance("sonarr-anime"))
        .await;
    assert!(matches!(refused, Err(CoreError::Forbidden(_))));
    let approved = services
        .requests
        .approve_to(&approver, series.id, &instance("sonarr-anime"))
        .await
        .expect("anime");
    assert_eq!(approved.target_instance.as_deref(), Some("sonarr-anime"));
    let plain = services
        .requests
        .approve_to(&approver, film.id, &Target::default())
        .await
        .expect("plain");
    assert_eq!(plain.target_instance, None);
});

/// A target naming only the instance.
fn instance(name: &str) -> Target<'_> {
    Target {
        instance: Some(name),
        ..Target::default()
    }
}

both_dbs!(
    the_request_page_is_one_call_with_picks_only_while_decidable,
    |db| {
        let services = Services::new(db.clone());
        let (_, approver) = user_with_role(&services, 380, "approver").await;
        let (requester, member) = user_with_role(&services, 381, "member").await;
        let (_, stranger) = user_with_role(&services, 382, "member").await;
        let made = services
            .requests
            .create(&member, movie(3801, "Dossier"))
            .await
            .expect("create")
            .request;

        let pending = services
            .request_dossier(&approver, made.id, None, Some("en-US"))
            .await
            .expect("dossier");
        assert_eq!(pending.detail.request.id, made.id);
        assert_eq!(pending.detail.name(requester.id), requester.display_name);
        let choices = pending.choices.expect("pick lists while pending");
        assert!(
            choices.instance.is_none() && choices.lists.is_err(),
            "no instance configured"
        );
        assert!(pending.title.tmdb_error.is_some(), "no TMDB: facts say why");
        assert_eq!(
            pending.title.tmdb_url,
            "https://www.themoviedb.org/movie/3801"
        );

        services
            .requests
            .decline(&approver, made.id, "not now")
            .await
            .expect("decline");
        let declined = services
            .request_dossier(&approver, made.id, None, None)
            .await
            .expect("dossier");
        assert!(declined.choices.is_none(), "nothing left to decide");
        assert_eq!(declined.detail.trail[0].action, "request_declined");
        assert!(matches!(
            services
                .request_dossier(&stranger, made.id, None, None)
                .await,
            Err(CoreError::NotFound(_))
        ));
    }
);
