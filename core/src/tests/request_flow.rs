//! The request lifecycle through RequestService: dedup, auto-approve, decisions, races.

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{RequestStatus, Seasons};
use crate::service::{OutcomeKind, Services, events};
use crate::store::{audit, outbox, requests};

both_dbs!(member_request_waits_with_audit_and_outbox, |db| {
    let services = Services::new(db.clone());
    let (member, actor) = user_with_role(&services, 100, "member").await;
    let outcome = services
        .requests
        .create(&actor, movie(438631, "Dune"))
        .await
        .expect("request");
    assert_eq!(outcome.kind, OutcomeKind::Created);
    assert_eq!(outcome.request.status, RequestStatus::Pending);
    assert_eq!(outcome.request.requested_by, member.id);
    let trail = audit::for_target(&db, &format!("request:{}", outcome.request.id), 10)
        .await
        .expect("audit");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "request_created");
    assert_eq!(trail[0].source, "telegram");
    assert_eq!(trail[0].source_detail.as_deref(), Some("100"));
    let notify = outbox::pending(&db, events::TOPIC_NOTIFY)
        .await
        .expect("outbox");
    assert_eq!(notify.len(), 2);
    assert!(notify[0].payload.contains("request_created"));
    assert!(notify[1].payload.contains("request_pending"));
    assert!(
        outbox::pending(&db, events::TOPIC_SUBMIT)
            .await
            .expect("outbox")
            .is_empty()
    );
});

both_dbs!(
    trusted_request_is_auto_approved_and_queued_for_submission,
    |db| {
        let services = Services::new(db.clone());
        let (_, actor) = user_with_role(&services, 101, "trusted").await;
        let outcome = services
            .requests
            .create(&actor, movie(1, "Alien"))
            .await
            .expect("request");
        assert_eq!(outcome.kind, OutcomeKind::AutoApproved);
        assert_eq!(outcome.request.status, RequestStatus::Approved);
        let submit = outbox::pending(&db, events::TOPIC_SUBMIT)
            .await
            .expect("outbox");
        assert_eq!(submit.len(), 1);
        assert!(
            submit[0]
                .payload
                .contains(&format!("\"request_id\":{}", outcome.request.id))
        );
    }
);

both_dbs!(second_requester_follows_and_repeat_is_refused, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 102, "member").await;
    let (bob_user, bob) = user_with_role(&services, 103, "member").await;
    let first = services
        .requests
        .create(&alice, movie(2, "Heat"))
        .await
        .expect("first");
    let again = services.requests.create(&alice, movie(2, "Heat")).await;
    assert!(
        matches!(again, Err(CoreError::AlreadyRequested)),
        "{again:?}"
    );
    let second = services
        .requests
        .create(&bob, movie(2, "Heat"))
        .await
        .expect("second");
    assert_eq!(second.kind, OutcomeKind::Followed);
    assert_eq!(second.request.id, first.request.id);
    assert_eq!(
        requests::followers(&db, first.request.id)
            .await
            .expect("followers"),
        vec![bob_user.id]
    );
    assert_eq!(count(&db, "requests").await, 1);
    // A 4K copy is a different request... but members may not ask for 4K.
    let mut four_k = movie(2, "Heat");
    four_k.four_k = true;
    assert!(matches!(
        services.requests.create(&bob, four_k).await,
        Err(CoreError::Forbidden(_))
    ));
});

both_dbs!(tv_overlap_creates_only_the_free_seasons, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 104, "member").await;
    let (_, bob) = user_with_role(&services, 105, "member").await;
    let first = services
        .requests
        .create(&alice, show(1399, "Got", &[1, 2]))
        .await
        .expect("first");
    let second = services
        .requests
        .create(&bob, show(1399, "Got", &[2, 3]))
        .await
        .expect("second");
    assert_eq!(second.kind, OutcomeKind::Created);
    assert_eq!(second.request.seasons, Seasons::new([3]));
    assert_eq!(second.already_requested, Seasons::new([2]));
    assert_eq!(second.following, vec![first.request.id]);
    let third = services
        .requests
        .create(&bob, show(1399, "Got", &[1]))
        .await
        .expect("third");
    assert_eq!(third.kind, OutcomeKind::Followed);
    let own = services
        .requests
        .create(&alice, show(1399, "Got", &[1, 2]))
        .await;
    assert!(matches!(own, Err(CoreError::AlreadyRequested)), "{own:?}");
});

both_dbs!(refused_actions_write_nothing, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 106, "member").await;
    let (_, bob) = user_with_role(&services, 107, "member").await;
    let (_, approver) = user_with_role(&services, 108, "approver").await;
    let request = services
        .requests
        .create(&alice, movie(3, "Ran"))
        .await
        .expect("request")
        .request;
    let audit_rows = count(&db, "audit_log").await;
    let outbox_rows = count(&db, "outbox").await;

    let by_member = services.requests.approve(&bob, request.id).await;
    assert!(
        matches!(by_member, Err(CoreError::Forbidden(_))),
        "{by_member:?}"
    );
    let cancel_other = services.requests.cancel(&bob, request.id).await;
    assert!(
        matches!(cancel_other, Err(CoreError::Forbidden(_))),
        "{cancel_other:?}"
    );
    let empty_reason = services.requests.decline(&approver, request.id, "  ").await;
    assert!(matches!(empty_reason, Err(CoreError::Validation(_))));
    let missing = services
        .requests
        .approve(&approver, crate::domain::RequestId(9999))
        .await;
    assert!(matches!(missing, Err(CoreError::NotFound(_))));
    assert_eq!(count(&db, "audit_log").await, audit_rows);
    assert_eq!(count(&db, "outbox").await, outbox_rows);

    let declined = services
        .requests
        .decline(&approver, request.id, "Not on any service")
        .await
        .expect("decline");
    assert_eq!(declined.status, RequestStatus::Declined);
    assert_eq!(
        declined.decline_reason.as_deref(),
        Some("Not on any service")
    );
    let late = services.requests.approve(&approver, request.id).await;
    match late {
        Err(CoreError::AlreadyDecided { status, by }) => {
            assert_eq!(status, RequestStatus::Declined);
            assert_eq!(by, approver.user);
        }
        other => panic!("expected AlreadyDecided, got {other:?}"),
    }
    let cancel_declined = services.requests.cancel(&alice, request.id).await;
    assert!(matches!(
        cancel_declined,
        Err(CoreError::IllegalTransition { .. })
    ));
    // The declined title is free again.
    let again = services
        .requests
        .create(&bob, movie(3, "Ran"))
        .await
        .expect("new request");
    assert_eq!(again.kind, OutcomeKind::Created);
});

both_dbs!(requester_cancels_pending_request, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 109, "member").await;
    let request = services
        .requests
        .create(&alice, movie(4, "Ikiru"))
        .await
        .expect("request")
        .request;
    let cancelled = services
        .requests
        .cancel(&alice, request.id)
        .await
        .expect("cancel");
    assert_eq!(cancelled.status, RequestStatus::Cancelled);
    let trail = audit::for_target(&db, &format!("request:{}", request.id), 10)
        .await
        .expect("audit");
    assert_eq!(trail[0].action, "request_cancelled");
    assert_eq!(trail[0].details["from"], "pending");
});

both_dbs!(two_approvers_at_once_exactly_one_wins, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 110, "member").await;
    let (_, first) = user_with_role(&services, 111, "approver").await;
    let (_, second) = user_with_role(&services, 112, "approver").await;
    for round in 0..5 {
        let request = services
            .requests
            .create(&alice, movie(500 + round, "Race"))
            .await
            .expect("request")
            .request;
        let (a, b) = tokio::join!(
            services.requests.approve(&first, request.id),
            services.requests.approve(&second, request.id)
        );
        let winners = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(winners, 1, "round {round}: {a:?} / {b:?}");
        let winner = if a.is_ok() { first.user } else { second.user };
        let loser = if a.is_ok() { b } else { a };
        match loser {
            Err(CoreError::AlreadyDecided {
                status: RequestStatus::Approved,
                by,
            }) => assert_eq!(by, winner),
            other => panic!("loser got {other:?}"),
        }
    }
    assert_eq!(
        outbox::pending(&db, events::TOPIC_SUBMIT)
            .await
            .expect("outbox")
            .len(),
        5
    );
});

both_dbs!(concurrent_requests_for_one_title_make_one_request, |db| {
    let services = Services::new(db.clone());
    let mut actors = Vec::new();
    for id in 0..8 {
        actors.push(user_with_role(&services, 200 + id, "member").await.1);
    }
    let results = futures_join_all(&services, &actors).await;
    let created = results
        .iter()
        .filter(|o| o.kind == OutcomeKind::Created)
        .count();
    let followed = results
        .iter()
        .filter(|o| o.kind == OutcomeKind::Followed)
        .count();
    assert_eq!((created, followed), (1, 7));
    assert_eq!(count(&db, "requests").await, 1);
    assert_eq!(count(&db, "request_followers").await, 7);
});

async fn futures_join_all(
    services: &Services,
    actors: &[crate::domain::Actor],
) -> Vec<crate::service::RequestOutcome> {
    let mut handles = Vec::new();
    for actor in actors {
        let services = services.clone();
        let actor = actor.clone();
        handles.push(tokio::spawn(async move {
            services
                .requests
                .create(&actor, movie(27205, "Inception"))
                .await
        }));
    }
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.expect("task").expect("request"));
    }
    outcomes
}

both_dbs!(failed_request_is_kept_and_retryable, |db| {
    let services = Services::new(db.clone());
    let system = crate::domain::Actor::system();
    let (_, alice) = user_with_role(&services, 113, "trusted").await;
    let (_, approver) = user_with_role(&services, 114, "approver").await;
    let request = services
        .requests
        .create(&alice, show(60059, "Better", &[1, 2]))
        .await
        .expect("req")
        .request;
    let failed = services
        .requests
        .mark_failed(&system, request.id, "Radarr: connection refused", None)
        .await
        .expect("fail");
    assert_eq!(
        (failed.status, failed.retry_count),
        (RequestStatus::Failed, 1)
    );
    assert_eq!(
        failed.last_error.as_deref(),
        Some("Radarr: connection refused")
    );
    // A member cannot drive the lifecycle like the system does.
    assert!(matches!(
        services.requests.mark_submitted(&alice, request.id).await,
        Err(CoreError::Forbidden(_))
    ));
    let retried = services
        .requests
        .retry(&approver, request.id)
        .await
        .expect("retry");
    assert_eq!(
        (retried.status, retried.last_error.clone()),
        (RequestStatus::Approved, None)
    );
    let submitted = services
        .requests
        .mark_submitted(&system, request.id)
        .await
        .expect("submitted");
    assert_eq!(submitted.status, RequestStatus::Submitted);
    let partial = services
        .requests
        .mark_available(&system, request.id, false)
        .await
        .expect("partial");
    assert_eq!(partial.status, RequestStatus::PartiallyAvailable);
    let full = services
        .requests
        .mark_available(&system, request.id, true)
        .await
        .expect("full");
    assert_eq!(full.status, RequestStatus::Available);
    let (_, bob) = user_with_role(&services, 115, "member").await;
    let late = services
        .requests
        .create(&bob, show(60059, "Better", &[2]))
        .await;
    assert!(matches!(late, Err(CoreError::AlreadyAvailable)), "{late:?}");
    assert!(matches!(
        services.requests.follow(&bob, request.id).await,
        Err(CoreError::AlreadyAvailable)
    ));
});

both_dbs!(follow_is_idempotent_and_not_for_own_requests, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 116, "member").await;
    let (bob_user, bob) = user_with_role(&services, 117, "member").await;
    let request = services
        .requests
        .create(&alice, movie(5, "Ponyo"))
        .await
        .expect("req")
        .request;
    assert!(matches!(
        services.requests.follow(&alice, request.id).await,
        Err(CoreError::AlreadyRequested)
    ));
    services
        .requests
        .follow(&bob, request.id)
        .await
        .expect("follow");
    services
        .requests
        .follow(&bob, request.id)
        .await
        .expect("follow again");
    assert_eq!(
        requests::followers(&db, request.id)
            .await
            .expect("followers"),
        vec![bob_user.id]
    );
    let trail = audit::for_target(&db, &format!("request:{}", request.id), 10)
        .await
        .expect("audit");
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "request_followed")
            .count(),
        1
    );
});

both_dbs!(decline_check_says_in_advance_what_decline_would, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 130, "member").await;
    let (_, approver) = user_with_role(&services, 131, "approver").await;
    let id = services
        .requests
        .create(&alice, movie(77, "Stalker"))
        .await
        .expect("request")
        .request
        .id;
    let by_member = services.requests.check_decline(&alice, id).await;
    assert!(
        matches!(by_member, Err(CoreError::Forbidden(_))),
        "{by_member:?}"
    );
    let ok = services.requests.check_decline(&approver, id).await;
    assert_eq!(ok.expect("may decline").status, RequestStatus::Pending);
    let outbox_rows = count(&db, "outbox").await;
    services
        .requests
        .approve(&approver, id)
        .await
        .expect("approve");
    assert!(count(&db, "outbox").await > outbox_rows);
    let late = services.requests.check_decline(&approver, id).await;
    assert!(
        matches!(late, Err(CoreError::AlreadyDecided { .. })),
        "{late:?}"
    );
});

both_dbs!(
    a_title_longer_than_any_display_is_requested_and_kept_whole,
    |db| {
        let services = Services::new(db.clone());
        let (_, actor) = user_with_role(&services, 120, "member").await;
        let title = format!("{} — the end", "Déjà vu ".repeat(49));
        assert!(title.chars().count() > 400, "{}", title.chars().count());
        let outcome = services
            .requests
            .create(&actor, movie(990_400, &title))
            .await
            .expect("a long title is no reason to refuse a request");
        assert_eq!(outcome.kind, OutcomeKind::Created);
        let stored = requests::find(&db, outcome.request.id)
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(stored.media.title, title);
    }
);
