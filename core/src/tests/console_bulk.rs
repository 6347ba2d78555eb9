//! The console's bulk work: the request list's search, sort, status counts and numbered pages,
//! deciding many requests at once (each audited, a refusal reported without stopping the rest),
//! and the user list's role filter.

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{RequestId, RequestStatus};
use crate::service::{Browse, BulkDecision, Services};
use crate::store::request_browse::RequestSort;
use crate::store::requests::RequestFilter;

fn titles(page: &crate::service::BrowsePage) -> Vec<String> {
    page.items.iter().map(|r| r.media.title.clone()).collect()
}

fn count_of(page: &crate::service::BrowsePage, status: RequestStatus) -> u64 {
    page.counts
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| *n)
}

both_dbs!(the_list_searches_sorts_counts_and_pages, |db| {
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 700, "approver").await;
    let (alice, alice_actor) = user_with_role(&services, 701, "member").await;
    let (_, bob) = user_with_role(&services, 702, "member").await;
    let mut ids = Vec::new();
    for (i, (who, title)) in [
        (&alice_actor, "Dune"),
        (&bob, "alien"),
        (&alice_actor, "Dune: Part Two"),
        (&bob, "100% Wolf"),
        (&alice_actor, "Casablanca"),
    ]
    .into_iter()
    .enumerate()
    {
        let made = services
            .requests
            .create(who, movie(7100 + i as i64, title))
            .await
            .expect("create");
        ids.push(made.request.id);
    }
    services
        .requests
        .create(&bob, show(7200, "Dark", &[1, 2]))
        .await
        .expect("show");
    services
        .requests
        .decline(&approver, ids[1], "no")
        .await
        .expect("decline");

    let all = services
        .requests
        .browse(
            &approver,
            Browse {
                per_page: 2,
                ..Browse::default()
            },
        )
        .await
        .expect("all");
    assert_eq!((all.total, all.page, all.pages), (Some(6), 1, Some(3)));
    assert!(all.has_next);
    assert_eq!(titles(&all), ["Dark", "Casablanca"], "newest first");
    assert_eq!(count_of(&all, RequestStatus::Pending), 5);
    assert_eq!(count_of(&all, RequestStatus::Declined), 1);
    assert_eq!(all.counts.len(), RequestStatus::ALL.len(), "zeros included");
    assert_eq!(all.requesters.len(), 2);

    let last = services
        .requests
        .browse(
            &approver,
            Browse {
                per_page: 2,
                page: 99,
                ..Browse::default()
            },
        )
        .await
        .expect("past the end");
    assert_eq!(last.page, 3, "a page past the end shows the last one");
    assert_eq!(titles(&last), ["alien", "Dune"]);
    assert!(!last.has_next);

    let by_title = services
        .requests
        .browse(
            &approver,
            Browse {
                sort: RequestSort::Title,
                per_page: 10,
                ..Browse::default()
            },
        )
        .await
        .expect("by title");
    assert_eq!(
        titles(&by_title),
        [
            "100% Wolf",
            "alien",
            "Casablanca",
            "Dark",
            "Dune",
            "Dune: Part Two"
        ],
        "A to Z, ignoring case"
    );
    let oldest = services
        .requests
        .browse(
            &approver,
            Browse {
                sort: RequestSort::Oldest,
                per_page: 1,
                ..Browse::default()
            },
        )
        .await
        .expect("oldest");
    assert_eq!(titles(&oldest), ["Dune"]);
    let by_status = services
        .requests
        .browse(
            &approver,
            Browse {
                sort: RequestSort::Status,
                per_page: 1,
                ..Browse::default()
            },
        )
        .await
        .expect("by status");
    assert_eq!(
        titles(&by_status),
        ["alien"],
        "declined sorts before pending"
    );

    let search = |text: &str, statuses: Vec<RequestStatus>| Browse {
        filter: RequestFilter {
            title: Some(text.to_owned()),
            statuses,
            ..RequestFilter::default()
        },
        per_page: 10,
        ..Browse::default()
    };
    let dune = services
        .requests
        .browse(&approver, search(" dUNE ", Vec::new()))
        .await
        .expect("dune");
    assert_eq!(titles(&dune), ["Dune: Part Two", "Dune"]);
    assert_eq!(dune.total, Some(2));
    let percent = services
        .requests
        .browse(&approver, search("%", Vec::new()))
        .await
        .expect("percent");
    assert_eq!(titles(&percent), ["100% Wolf"], "a wildcard matches itself");
    let declined = services
        .requests
        .browse(&approver, search("a", vec![RequestStatus::Declined]))
        .await
        .expect("declined");
    assert_eq!(titles(&declined), ["alien"]);
    assert_eq!(declined.total, Some(1));
    assert_eq!(
        count_of(&declined, RequestStatus::Pending),
        3,
        "counts ignore the status filter: Dark, Casablanca, 100% Wolf"
    );
    assert!(matches!(
        services
            .requests
            .browse(&approver, search(&"x".repeat(101), Vec::new()))
            .await,
        Err(CoreError::Validation(_))
    ));

    let own = services
        .requests
        .browse(
            &alice_actor,
            Browse {
                per_page: 10,
                ..Browse::default()
            },
        )
        .await
        .expect("own");
    assert_eq!(own.total, Some(3), "a member sees only their own");
    assert!(own.items.iter().all(|r| r.requested_by == alice.id));
});

both_dbs!(bulk_decisions_go_one_by_one_and_report_refusals, |db| {
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 710, "approver").await;
    let (_, member) = user_with_role(&services, 711, "member").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let made = services
            .requests
            .create(&member, movie(7300 + i, "Bulk"))
            .await
            .expect("create");
        ids.push(made.request.id);
    }
    services
        .requests
        .decline(&approver, ids[3], "earlier")
        .await
        .expect("decline one first");
    let audit_before = count(&db, "audit_log").await;

    let chosen = [ids[0], ids[1], ids[0], ids[3], RequestId(999_999)];
    let results = services
        .requests
        .decide_many(&approver, &chosen, BulkDecision::Approve)
        .await
        .expect("bulk approve");
    let ended: Vec<(RequestId, bool)> = results.iter().map(|r| (r.id, r.outcome.is_ok())).collect();
    assert_eq!(
        ended,
        [
            (ids[0], true),
            (ids[1], true),
            (ids[3], false),
            (RequestId(999_999), false)
        ],
        "each once, in order; the declined and the missing one are reported"
    );
    assert!(matches!(
        results[2].outcome,
        Err(CoreError::AlreadyDecided { .. })
    ));
    assert!(matches!(results[3].outcome, Err(CoreError::NotFound(_))));
    assert_eq!(
        count(&db, "audit_log").await - audit_before,
        2,
        "one audit row per decided request"
    );
    for id in [ids[0], ids[1]] {
        let r = services.requests.get(&approver, id).await.expect("get");
        assert_eq!(r.status, RequestStatus::Approved);
    }

    let declined = services
        .requests
        .decide_many(
            &approver,
            &[ids[2]],
            BulkDecision::Decline {
                reason: " not now ",
            },
        )
        .await
        .expect("bulk decline");
    let request = declined[0].outcome.as_ref().expect("declined");
    assert_eq!(request.status, RequestStatus::Declined);
    assert_eq!(request.decline_reason.as_deref(), Some("not now"));

    let before = count(&db, "audit_log").await;
    for (who, chosen, decision) in [
        (&member, vec![ids[2]], BulkDecision::Approve),
        (&approver, vec![], BulkDecision::Approve),
        (
            &approver,
            vec![ids[2]],
            BulkDecision::Decline { reason: "  " },
        ),
        (
            &approver,
            (1..=101).map(RequestId).collect(),
            BulkDecision::Approve,
        ),
    ] {
        let refused = services.requests.decide_many(who, &chosen, decision).await;
        assert!(
            matches!(
                refused,
                Err(CoreError::Forbidden(_) | CoreError::Validation(_))
            ),
            "{refused:?}"
        );
    }
    assert_eq!(
        count(&db, "audit_log").await,
        before,
        "a refused call writes nothing"
    );
});

both_dbs!(the_user_list_filters_by_role, |db| {
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 720, "admin").await;
    let (approver, _) = user_with_role(&services, 721, "approver").await;
    let (member, _) = user_with_role(&services, 722, "member").await;
    let approvers = services
        .users
        .directory_in_role(&admin, None, Some("approver"), None, 100)
        .await
        .expect("approvers");
    let ids: Vec<_> = approvers.items.iter().map(|u| u.user.id).collect();
    assert_eq!(ids, [approver.id]);
    let members = services
        .users
        .directory_in_role(&admin, Some("user72"), Some(" member "), None, 100)
        .await
        .expect("members");
    let ids: Vec<_> = members.items.iter().map(|u| u.user.id).collect();
    assert_eq!(ids, [member.id]);
    let any = services
        .users
        .directory_in_role(&admin, Some("user72"), Some(""), None, 100)
        .await
        .expect("any role");
    assert_eq!(any.items.len(), 3);
    assert!(matches!(
        services
            .users
            .directory_in_role(&admin, None, Some("wizard"), None, 100)
            .await,
        Err(CoreError::Validation(_))
    ));
});

both_dbs!(counts_stop_at_the_cap_and_pages_still_go_on, |db| {
    use crate::store::on_pool;
    use crate::store::request_browse::COUNT_CAP;
    let services = Services::new(db.clone());
    let (_, approver) = user_with_role(&services, 730, "approver").await;
    let (member, _) = user_with_role(&services, 731, "member").await;
    // More pending requests than are counted, written at once (the services would take long).
    on_pool!(&db, pool => sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005)
         INSERT INTO requests (media_type, tmdb_id, title, four_k, status, requested_by, source,
                               created_at, updated_at)
         SELECT 'movie', 100000 + i, 'Bulk', FALSE, 'pending', $1, 'web', i, i FROM n",
    )
    .bind(member.id.0)
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("seed");
    let page = services
        .requests
        .browse(
            &approver,
            Browse {
                per_page: 100,
                page: 3,
                ..Browse::default()
            },
        )
        .await
        .expect("browse");
    assert_eq!(
        count_of(&page, RequestStatus::Pending),
        COUNT_CAP + 1,
        "more than the cap"
    );
    assert_eq!(
        (page.total, page.pages),
        (None, None),
        "no total past the cap"
    );
    assert_eq!((page.page, page.items.len(), page.has_next), (3, 100, true));
    assert_eq!(
        page.items[0].created_at.0,
        1005 - 200,
        "newest first, third page"
    );
});
