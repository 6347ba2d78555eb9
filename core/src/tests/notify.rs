//! Notifications per platform and per recipient: the fan-out writes one delivery per person on
//! their platform, each platform drains only its own, a retry repeats only what failed, and a
//! recipient who keeps refusing is given up on.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::harness::{both_dbs, movie, user_with_role};
use crate::domain::{Actor, Platform, RequestStatus, Source, User};
use crate::notify::{
    self, Delivery, DeliveryError, Fanout, FanoutOptions, RetryPolicy, drain_once,
};
use crate::service::events::TOPIC_NOTIFY;
use crate::service::{Registration, Services};
use crate::store::{Db, on_pool, outbox};

pub(super) const BOTH: [Platform; 2] = [Platform::Telegram, Platform::Discord];

pub(super) fn fanout(db: &Db, platforms: &[Platform]) -> Fanout {
    Fanout::new(db.clone(), platforms.to_vec(), FanoutOptions::default())
}

/// Retries at once, so a test can drain again without waiting.
fn eager(budget: u32) -> RetryPolicy {
    RetryPolicy {
        budget,
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        per_lane: 100,
        ..RetryPolicy::default()
    }
}

async fn discord_user(services: &Services, id: &str) -> (User, Actor) {
    let user = services
        .users
        .resolve(
            Platform::Discord,
            id,
            "dee",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("discord user");
    let actor = Actor::user(user.id, Source::Discord { user: id.into() });
    (user, actor)
}

/// Drains `platform` once, delivering everything; returns what it was handed.
pub(super) async fn drain_all(db: &Db, platform: Platform) -> Vec<Delivery> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    drain_once(db, platform, &eager(5), move |d| {
        sink.lock().expect("lock").push(d);
        async { Ok(()) }
    })
    .await
    .expect("drain");
    seen.lock().expect("lock").clone()
}

fn statuses(deliveries: &[Delivery]) -> Vec<(String, RequestStatus)> {
    deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Status { chat, status, .. } => Some((chat.clone(), *status)),
            _ => None,
        })
        .collect()
}

fn cards(deliveries: &[Delivery]) -> usize {
    deliveries
        .iter()
        .filter(|d| matches!(d, Delivery::ApproverCard { .. }))
        .count()
}

both_dbs!(
    telegram_requester_and_discord_follower_each_told_once_where_they_are,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 7, "member").await;
        let (_, boss) = user_with_role(&services, 100, "admin").await;
        let (_, dee) = discord_user(&services, "555").await;
        let created = services
            .requests
            .create(&ann, movie(438631, "Dune"))
            .await
            .expect("request");
        let id = created.request.id;
        services
            .requests
            .create(&dee, movie(438631, "Dune"))
            .await
            .expect("follow");
        let fan = fanout(&db, &BOTH);
        fan.try_run_once().await.expect("cards while pending");
        services.requests.approve(&boss, id).await.expect("approve");
        services
            .requests
            .mark_available(&Actor::system(), id, true)
            .await
            .expect("available");
        assert_eq!(fan.try_run_once().await.expect("fan out"), 2);
        assert!(
            outbox::pending(&db, crate::service::events::TOPIC_NOTIFY)
                .await
                .expect("events")
                .is_empty()
        );

        // Telegram drains its own rows only: the Discord follower's message is still waiting.
        let telegram = drain_all(&db, Platform::Telegram).await;
        assert_eq!(cards(&telegram), 1);
        assert_eq!(
            statuses(&telegram),
            vec![
                ("7".into(), RequestStatus::Approved),
                ("7".into(), RequestStatus::Available)
            ]
        );
        assert_eq!(
            outbox::pending(&db, &notify::topic(Platform::Discord))
                .await
                .expect("rows")
                .len(),
            2
        );
        let discord = drain_all(&db, Platform::Discord).await;
        assert_eq!(cards(&discord), 1);
        assert_eq!(
            statuses(&discord),
            vec![("555".into(), RequestStatus::Available)]
        );

        // Nothing is sent twice, and the fan-out has nothing left either.
        assert!(drain_all(&db, Platform::Telegram).await.is_empty());
        assert!(drain_all(&db, Platform::Discord).await.is_empty());
        assert_eq!(fan.try_run_once().await.expect("fan out"), 0);
    }
);

both_dbs!(a_process_without_discord_writes_no_discord_rows, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 8, "member").await;
    let (_, dee) = discord_user(&services, "556").await;
    let (_, boss) = user_with_role(&services, 101, "admin").await;
    let id = services
        .requests
        .create(&ann, movie(2, "Heat"))
        .await
        .expect("request")
        .request
        .id;
    services
        .requests
        .create(&dee, movie(2, "Heat"))
        .await
        .expect("follow");
    services
        .requests
        .decline(&boss, id, "not now")
        .await
        .expect("decline");
    fanout(&db, &[Platform::Telegram])
        .try_run_once()
        .await
        .expect("fan out");
    assert!(
        outbox::pending(&db, &notify::topic(Platform::Discord))
            .await
            .expect("rows")
            .is_empty()
    );
    // The declined request's follower is told too, but only where a notifier runs: nowhere.
    let telegram = drain_all(&db, Platform::Telegram).await;
    assert_eq!(
        statuses(&telegram),
        vec![("8".into(), RequestStatus::Declined)]
    );
});

both_dbs!(nobody_is_told_of_their_own_action, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 9, "member").await;
    let id = services
        .requests
        .create(&ann, movie(3, "Alien"))
        .await
        .expect("request")
        .request
        .id;
    services.requests.cancel(&ann, id).await.expect("cancel");
    fanout(&db, &BOTH).try_run_once().await.expect("fan out");
    // The card was for a request no longer pending by the time of the fan-out: none either.
    assert!(drain_all(&db, Platform::Telegram).await.is_empty());
});

both_dbs!(a_failed_message_is_retried_alone, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 10, "member").await;
    let (_, bob) = user_with_role(&services, 11, "member").await;
    let (_, cat) = user_with_role(&services, 12, "member").await;
    let (_, boss) = user_with_role(&services, 102, "admin").await;
    let id = services
        .requests
        .create(&ann, movie(4, "Ran"))
        .await
        .expect("request")
        .request
        .id;
    services
        .requests
        .create(&bob, movie(4, "Ran"))
        .await
        .expect("follow");
    services
        .requests
        .create(&cat, movie(4, "Ran"))
        .await
        .expect("follow");
    fanout(&db, &BOTH).try_run_once().await.expect("card");
    services.requests.approve(&boss, id).await.expect("approve");
    services
        .requests
        .mark_available(&Actor::system(), id, true)
        .await
        .expect("available");
    fanout(&db, &BOTH).try_run_once().await.expect("fan out");

    // Bob's message fails once; everyone else's goes out.
    let sent = Arc::new(Mutex::new(Vec::new()));
    let failed_once = Arc::new(Mutex::new(false));
    for _ in 0..2 {
        let (sent, failed_once) = (sent.clone(), failed_once.clone());
        drain_once(&db, Platform::Telegram, &eager(5), move |d| {
            let result = match &d {
                Delivery::Status { chat, .. } if chat == "11" => {
                    let mut failed = failed_once.lock().expect("lock");
                    if *failed {
                        Ok(())
                    } else {
                        *failed = true;
                        Err(DeliveryError::Transient("502".into()))
                    }
                }
                _ => Ok(()),
            };
            if result.is_ok() {
                sent.lock().expect("lock").push(d);
            }
            async move { result }
        })
        .await
        .expect("drain");
    }
    let sent = sent.lock().expect("lock").clone();
    let mut told = statuses(&sent);
    told.sort_by_key(|(chat, status)| (chat.clone(), status.as_str()));
    assert_eq!(
        told,
        vec![
            ("10".into(), RequestStatus::Approved),
            ("10".into(), RequestStatus::Available),
            ("11".into(), RequestStatus::Available),
            ("12".into(), RequestStatus::Available),
        ],
        "each told once, bob after his retry"
    );
    assert_eq!(cards(&sent), 1);
});

both_dbs!(a_recipient_who_refuses_is_given_up_after_the_budget, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 13, "member").await;
    let (_, boss) = user_with_role(&services, 103, "admin").await;
    let id = services
        .requests
        .create(&ann, movie(5, "Ikiru"))
        .await
        .expect("request")
        .request
        .id;
    services.requests.approve(&boss, id).await.expect("approve");
    fanout(&db, &[Platform::Telegram])
        .try_run_once()
        .await
        .expect("fan out");
    let tries = Arc::new(Mutex::new(0));
    for _ in 0..5 {
        let tries = tries.clone();
        drain_once(&db, Platform::Telegram, &eager(3), move |d| {
            let result = match d {
                Delivery::Status { .. } => {
                    *tries.lock().expect("lock") += 1;
                    Err(DeliveryError::Refused(
                        "Forbidden: bot was blocked by the user".into(),
                    ))
                }
                _ => Ok(()),
            };
            async move { result }
        })
        .await
        .expect("drain");
    }
    assert_eq!(
        *tries.lock().expect("lock"),
        3,
        "tried up to the budget, then no more"
    );
    assert!(
        outbox::pending(&db, &notify::topic(Platform::Telegram))
            .await
            .expect("rows")
            .is_empty()
    );
    let kept: Vec<(i32, Option<String>)> = on_pool!(&db, pool => sqlx::query_as(
        "SELECT attempts, last_error FROM outbox WHERE topic = 'notify.telegram' AND last_error IS NOT NULL",
    )
    .fetch_all(pool)
    .await)
    .expect("rows");
    assert_eq!(
        kept,
        vec![(3, Some("Forbidden: bot was blocked by the user".into()))]
    );
});

both_dbs!(an_outage_is_waited_out_beyond_the_budget, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 14, "member").await;
    services
        .requests
        .create(&ann, movie(6, "Yojimbo"))
        .await
        .expect("request");
    fanout(&db, &[Platform::Discord])
        .try_run_once()
        .await
        .expect("fan out");
    for _ in 0..4 {
        drain_once(&db, Platform::Discord, &eager(2), |_| async {
            Err(DeliveryError::Transient("discord REST answered 503".into()))
        })
        .await
        .expect("drain");
    }
    let left = outbox::pending(&db, &notify::topic(Platform::Discord))
        .await
        .expect("rows");
    assert_eq!(left.len(), 1, "an unreachable platform loses nothing");
    assert_eq!(left[0].attempts, 4);
});

both_dbs!(replicas_fan_an_event_out_once, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 15, "member").await;
    for tmdb in 20..30 {
        services
            .requests
            .create(&ann, movie(tmdb, "Film"))
            .await
            .expect("request");
    }
    // A zero lease lets both claim the same events; closing the event decides who expands it.
    let options = FanoutOptions {
        lease: Duration::ZERO,
        batch: 3,
    };
    let a = Fanout::new(db.clone(), vec![Platform::Telegram], options.clone());
    let b = Fanout::new(db.clone(), vec![Platform::Telegram], options);
    // Twenty events (each request is also announced as created), three a round at least.
    for _ in 0..12 {
        let (x, y) = tokio::join!(a.try_run_once(), b.try_run_once());
        x.expect("a");
        y.expect("b");
    }
    let cards = outbox::pending(&db, &notify::topic(Platform::Telegram))
        .await
        .expect("rows");
    assert_eq!(cards.len(), 10, "one card per request");
});

both_dbs!(
    new_requests_are_announced_only_where_announcements_are_on,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 16, "member").await;
        let (_, trusted) = user_with_role(&services, 17, "trusted").await;
        let pending = services
            .requests
            .create(&ann, movie(40, "Pending film"))
            .await
            .expect("pending");
        let auto = services
            .requests
            .create(&trusted, movie(41, "Auto film"))
            .await
            .expect("auto-approved");
        // Telegram runs too but does not announce; Discord announces (its channel is set).
        let fan = fanout(&db, &BOTH).with_announcements(vec![Platform::Discord]);
        while fan.try_run_once().await.expect("fan out") > 0 {}
        let announced = |deliveries: &[Delivery]| -> Vec<i64> {
            deliveries
                .iter()
                .filter_map(|d| match d {
                    Delivery::Announcement { request_id } => Some(request_id.0),
                    _ => None,
                })
                .collect()
        };
        let discord = drain_all(&db, Platform::Discord).await;
        assert_eq!(
            announced(&discord),
            vec![pending.request.id.0, auto.request.id.0],
            "pending and auto-approved alike, once each"
        );
        let telegram = drain_all(&db, Platform::Telegram).await;
        assert!(announced(&telegram).is_empty());

        // A platform that does not run here announces nothing, even when asked to.
        services
            .requests
            .create(&ann, movie(42, "Third film"))
            .await
            .expect("third");
        let telegram_only =
            fanout(&db, &[Platform::Telegram]).with_announcements(vec![Platform::Discord]);
        while telegram_only.try_run_once().await.expect("fan out") > 0 {}
        assert!(announced(&drain_all(&db, Platform::Discord).await).is_empty());
    }
);

both_dbs!(
    without_an_announce_channel_a_new_request_queues_no_announcement,
    |db| {
        let services = Services::new(db.clone()).with_announcements(false);
        let (_, member) = user_with_role(&services, 18, "member").await;
        let (_, trusted) = user_with_role(&services, 19, "trusted").await;
        services
            .requests
            .create(&trusted, movie(43, "Auto film"))
            .await
            .expect("auto-approved");
        let notices = outbox::pending(&db, TOPIC_NOTIFY).await.expect("rows");
        assert!(
            notices.is_empty(),
            "an auto-approved request has nothing to tell anyone: {notices:?}"
        );
        let pending = services
            .requests
            .create(&member, movie(44, "Pending film"))
            .await
            .expect("pending");
        let notices = outbox::pending(&db, TOPIC_NOTIFY).await.expect("rows");
        assert_eq!(notices.len(), 1, "only the approvers' card: {notices:?}");
        assert!(
            notices[0].payload.contains("request_pending")
                && notices[0]
                    .payload
                    .contains(&pending.request.id.0.to_string()),
            "{notices:?}"
        );
    }
);

both_dbs!(one_notice_per_event_per_person, |db| {
    let services = Services::new(db.clone());
    let (_, trusted) = user_with_role(&services, 31, "trusted").await;
    let (_, member) = user_with_role(&services, 32, "member").await;
    let (_, approver) = user_with_role(&services, 33, "approver").await;
    let system = Actor::system();

    // Auto-approved: the requester's own answer says so; no DM for approval or hand-over.
    let auto = services
        .requests
        .create(&trusted, movie(51, "Auto film"))
        .await
        .expect("auto-approved");
    services
        .requests
        .mark_submitted(&system, auto.request.id)
        .await
        .expect("submitted");
    // Approved by someone else: told once (approved), not again when handed to Radarr; the
    // approver is not told of their own action.
    let asked = services
        .requests
        .create(&member, movie(52, "Asked film"))
        .await
        .expect("pending");
    services
        .requests
        .approve(&approver, asked.request.id)
        .await
        .expect("approved");
    services
        .requests
        .mark_submitted(&system, asked.request.id)
        .await
        .expect("submitted");

    let fan = fanout(&db, &[Platform::Telegram]);
    while fan.try_run_once().await.expect("fan out") > 0 {}
    let told = statuses(&drain_all(&db, Platform::Telegram).await);
    // Telegram chat ids are the user ids given to `user_with_role`.
    let to = |chat: &str| -> Vec<RequestStatus> {
        told.iter()
            .filter(|(c, _)| c == chat)
            .map(|(_, s)| *s)
            .collect()
    };
    assert_eq!(to("31"), Vec::<RequestStatus>::new(), "{told:?}");
    assert_eq!(to("32"), vec![RequestStatus::Approved], "{told:?}");
    assert!(
        told.iter().all(|(chat, _)| chat != "33"),
        "the approver is not told of their own approval: {told:?}"
    );
});

both_dbs!(a_failed_request_puts_its_card_in_every_admin_chat, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 7, "member").await;
    let (_, boss) = user_with_role(&services, 100, "admin").await;
    let created = services
        .requests
        .create(&ann, movie(438631, "Dune"))
        .await
        .expect("request");
    let id = created.request.id;
    services.requests.approve(&boss, id).await.expect("approve");
    let fan = fanout(&db, &BOTH);
    fan.try_run_once().await.expect("pending and approval");
    drain_all(&db, Platform::Telegram).await;
    drain_all(&db, Platform::Discord).await;

    let answer = crate::domain::UpstreamFailure {
        service: "radarr".into(),
        status: Some(500),
        message: "Unable to add movie: disk is read-only".into(),
        circuit: crate::domain::Circuit::Open,
        attempts: 5,
    };
    services
        .requests
        .mark_failed(&Actor::system(), id, "radarr: HTTP 500", Some(&answer))
        .await
        .expect("failed");
    fan.try_run_once().await.expect("fan out");
    let failed_cards = |deliveries: &[Delivery]| -> Vec<Delivery> {
        deliveries
            .iter()
            .filter(|d| matches!(d, Delivery::FailedCard { .. }))
            .cloned()
            .collect()
    };
    for platform in BOTH {
        let delivered = drain_all(&db, platform).await;
        assert_eq!(
            failed_cards(&delivered),
            [Delivery::FailedCard { request_id: id }],
            "{platform}: {delivered:?}"
        );
    }
    // The card reads the answer from the request itself, render-ready.
    let request = services
        .requests
        .get(&Actor::system(), id)
        .await
        .expect("read");
    assert_eq!(request.failure, Some(answer));
});
