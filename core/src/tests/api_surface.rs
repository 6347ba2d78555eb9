//! The open API's newer use cases on both databases: a pending request changed by an approver's
//! key (seasons with their claims, target, refusals, audit), Seerr's issues over Usher's issue
//! reports, what Usher knows of a title (`mediaInfo`), and Usher's own admin paths with their
//! scopes.

use secrecy::ExposeSecret as _;

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{
    Actor, IssueKind, IssueStatus, MediaType, RequestStatus, Seasons, Source, TmdbId,
};
use crate::service::api::{ApiNewIssue, IssueMedia, IssueQuery, Page};
use crate::service::requests::RequestChange;
use crate::service::{ApiCaller, Services};
use crate::store::audit::{self, AuditFilter};

fn operator() -> Actor {
    Actor {
        user: None,
        source: Source::Cli,
    }
}

/// A key with these scopes, authenticated as the API's edge does.
async fn caller(services: &Services, name: &str, scopes: &str) -> ApiCaller {
    let made = services
        .api_keys
        .create(&operator(), name, scopes)
        .await
        .expect("key");
    services
        .api_keys
        .authenticate(made.secret.expose_secret())
        .await
        .expect("authenticate")
}

fn seasons(list: &[u16]) -> RequestChange {
    RequestChange {
        seasons: Some(Seasons::new(list.iter().copied())),
        ..RequestChange::default()
    }
}

both_dbs!(
    an_approver_key_changes_a_pending_request_and_its_claims,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 1, "member").await;
        let (_, bob) = user_with_role(&services, 2, "member").await;
        let mine = services
            .requests
            .create(&ann, show(1399, "Thrones", &[1, 2]))
            .await
            .expect("ann's")
            .request;
        let theirs = services
            .requests
            .create(&bob, show(1399, "Thrones", &[4]))
            .await
            .expect("bob's")
            .request;
        let approver = caller(&services, "decider", "approve").await;
        let reader = caller(&services, "reader", "read").await;

        // A read key may not; a season someone else holds is refused by number; nothing changed.
        let refused = services
            .api
            .edit(&reader, mine.id, &seasons(&[1, 3]), None)
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        let taken = services
            .api
            .edit(&approver, mine.id, &seasons(&[2, 4]), None)
            .await;
        match taken {
            Err(CoreError::Validation(text)) => {
                assert!(text.contains("seasons: already requested: 4"), "{text}")
            }
            other => panic!("{other:?}"),
        }
        let empty = services
            .api
            .edit(&approver, mine.id, &seasons(&[]), None)
            .await;
        assert!(matches!(empty, Err(CoreError::Validation(_))), "{empty:?}");
        let elsewhere = services
            .api
            .edit(
                &approver,
                mine.id,
                &RequestChange::default(),
                Some(theirs.requested_by),
            )
            .await;
        assert!(
            matches!(elsewhere, Err(CoreError::Validation(_))),
            "{elsewhere:?}"
        );

        // Seasons 1 → 3 (2 kept), with a root folder: season 1 is free again, 3 is claimed.
        let change = RequestChange {
            root_folder: Some("/tv/kids".into()),
            quality_profile: Some("4".into()),
            ..seasons(&[2, 3])
        };
        let edited = services
            .api
            .edit(&approver, mine.id, &change, Some(mine.requested_by))
            .await
            .expect("edit");
        let request = &edited.items[0];
        assert_eq!(request.seasons, Seasons::new([2, 3]));
        assert_eq!(request.target_root_folder.as_deref(), Some("/tv/kids"));
        assert_eq!(request.target_profile.as_deref(), Some("4"));
        assert_eq!(request.status, RequestStatus::Pending);
        let again = services
            .requests
            .create(&bob, show(1399, "Thrones", &[1]))
            .await
            .expect("season 1 is free");
        assert_ne!(again.request.id, mine.id);
        let clash = services
            .requests
            .create(&bob, show(1399, "Thrones", &[3]))
            .await
            .expect("follows");
        assert_eq!(clash.request.id, mine.id, "season 3 is ann's now");
        let trail = audit::for_target(&db, &format!("request:{}", mine.id), 10)
            .await
            .expect("audit");
        let row = trail
            .iter()
            .find(|e| e.action == "request_edited")
            .expect("audited");
        assert_eq!(row.details["seasons"], "2,3");
        assert_eq!(row.details["previous_seasons"], "1,2");
        assert_eq!(row.source, "api");

        // Once decided, a request no longer changes.
        services
            .api
            .approve(&approver, mine.id)
            .await
            .expect("approve");
        let late = services
            .api
            .edit(&approver, mine.id, &seasons(&[2]), None)
            .await;
        assert!(matches!(late, Err(CoreError::Conflict(_))), "{late:?}");
        // A movie has no seasons.
        let film = services
            .requests
            .create(&ann, movie(603, "The Matrix"))
            .await
            .expect("movie")
            .request;
        let odd = services
            .api
            .edit(&approver, film.id, &seasons(&[1]), None)
            .await;
        assert!(matches!(odd, Err(CoreError::Validation(_))), "{odd:?}");
    }
);

both_dbs!(
    issues_through_the_api_follow_the_reporting_rules_and_count_by_kind,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 1, "member").await;
        let made = services
            .requests
            .create(&ann, movie(603, "The Matrix"))
            .await
            .expect("request")
            .request;
        let pending = services
            .requests
            .create(&ann, movie(604, "Reloaded"))
            .await
            .expect("request")
            .request;
        let system = Actor::system();
        services
            .requests
            .approve(&system, made.id)
            .await
            .expect("approve");
        services
            .requests
            .mark_available(&system, made.id, true)
            .await
            .expect("available");
        let reporter = caller(&services, "reporter", "request").await;
        let reader = caller(&services, "reader", "read").await;
        let new = |media, kind| ApiNewIssue {
            media,
            kind,
            message: "the sound is out of sync".into(),
        };

        // A read key may not report; a title the library does not hold is refused; nothing written.
        let refused = services
            .api
            .report_issue(&reader, new(IssueMedia::Request(made.id), IssueKind::Audio))
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        let not_held = services
            .api
            .report_issue(
                &reporter,
                new(IssueMedia::Request(pending.id), IssueKind::Audio),
            )
            .await;
        assert!(
            matches!(not_held, Err(CoreError::IssueRefused(_))),
            "{not_held:?}"
        );
        let missing = services
            .api
            .report_issue(
                &reporter,
                new(
                    IssueMedia::Request(crate::domain::RequestId(999)),
                    IssueKind::Audio,
                ),
            )
            .await;
        assert!(
            matches!(missing, Err(CoreError::NotFound(_))),
            "{missing:?}"
        );
        assert_eq!(count(&db, "issues").await, 0);

        let reported = services
            .api
            .report_issue(
                &reporter,
                new(IssueMedia::Request(made.id), IssueKind::Audio),
            )
            .await
            .expect("report");
        let issue = &reported.items[0];
        assert_eq!(issue.tmdb_id, TmdbId::parse(603).expect("id"));
        assert_eq!(issue.request_id, Some(made.id));
        assert!(
            reported.people.contains_key(&reporter.user),
            "the key's machine user reported it"
        );
        let by_title = services
            .api
            .report_issue(
                &reporter,
                new(
                    IssueMedia::Title(MediaType::Movie, TmdbId::parse(603).expect("id")),
                    IssueKind::Video,
                ),
            )
            .await;
        assert!(
            matches!(by_title, Err(CoreError::IssueRefused(_))),
            "one open report per person and title"
        );
        services
            .issues
            .resolve(&system, issue.id, Some("fixed"))
            .await
            .expect("resolve");
        services
            .api
            .report_issue(
                &reporter,
                new(
                    IssueMedia::Title(MediaType::Movie, TmdbId::parse(603).expect("id")),
                    IssueKind::Video,
                ),
            )
            .await
            .expect("a new report once the first is resolved");

        let counts = services.api.issue_counts(&reader).await.expect("counts");
        assert_eq!(
            (
                counts.total,
                counts.audio,
                counts.video,
                counts.open,
                counts.closed
            ),
            (2, 1, 1, 1, 1)
        );
        let page = Page::new(0, 1).expect("page");
        let open = services
            .api
            .issues(
                &reader,
                IssueQuery {
                    status: Some(IssueStatus::Open),
                    by_change: false,
                    reported_by: None,
                    page,
                },
            )
            .await
            .expect("list");
        assert_eq!(open.total, 1);
        assert_eq!(open.items[0].kind, IssueKind::Video);
        let all = services
            .api
            .issues(
                &reader,
                IssueQuery {
                    status: None,
                    by_change: true,
                    reported_by: Some(reporter.user),
                    page: Page::new(1, 10).expect("page"),
                },
            )
            .await
            .expect("list");
        assert_eq!((all.total, all.items.len()), (2, 1), "skip 1 of 2");
        assert_eq!(
            all.items[0].status,
            IssueStatus::Resolved,
            "the resolved one changed first, so it comes second"
        );
    }
);

both_dbs!(
    admin_paths_need_the_admin_scope_and_sources_are_empty_without_an_index,
    |db| {
        let services = Services::new(db.clone());
        let reader = caller(&services, "reader", "read").await;
        let admin = caller(&services, "root", "admin").await;
        let filter = AuditFilter::default();
        let refused = services.api.audit(&reader, &filter, None, 10).await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        assert!(matches!(
            services.api.roles(&reader).await,
            Err(CoreError::Forbidden(_))
        ));
        let page = services
            .api
            .audit(&admin, &filter, None, 1)
            .await
            .expect("audit");
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].entry.action, "api_key_created");
        let next = page.next.expect("two keys, two rows");
        let older = services
            .api
            .audit(&admin, &filter, Some(next), 10)
            .await
            .expect("older");
        assert_eq!(older.items.len(), 1);
        assert!(older.next.is_none());
        let roles = services.api.roles(&admin).await.expect("roles");
        assert!(
            roles.iter().any(|r| r.name == "member" && r.builtin),
            "{roles:?}"
        );
        assert!(
            services
                .api
                .library_sources(&reader)
                .await
                .expect("sources")
                .is_empty()
        );
    }
);

both_dbs!(title_facts_name_the_newest_everyday_request, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let first = services
        .requests
        .create(&ann, show(1399, "Thrones", &[1]))
        .await
        .expect("first")
        .request;
    let second = services
        .requests
        .create(&ann, show(1399, "Thrones", &[2]))
        .await
        .expect("second")
        .request;
    assert!(second.id.0 > first.id.0);
    let keys = [
        (MediaType::Tv, TmdbId::parse(1399).expect("id")),
        (MediaType::Movie, TmdbId::parse(1399).expect("id")),
        (MediaType::Tv, TmdbId::parse(5).expect("id")),
    ];
    let newest = crate::store::request_edits::newest_of(&db, &keys)
        .await
        .expect("newest");
    assert_eq!(newest.len(), 1, "only the show was asked for");
    assert_eq!(newest[&keys[0]].id, second.id);
});

/// Every (media type, status) pair as `GROUP BY` over the rows says, for comparing with the
/// counters.
async fn counted_rows(db: &crate::store::Db) -> Vec<(String, String, i64)> {
    let sql = "SELECT media_type, status, COUNT(*) FROM requests GROUP BY media_type, status \
               ORDER BY media_type, status";
    let mut rows: Vec<(String, String, i64)> = match db {
        crate::store::Db::Sqlite(s) => sqlx::query_as(sql).fetch_all(&s.pool).await,
        crate::store::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(&p.pool).await,
    }
    .expect("group");
    rows.retain(|r| r.2 > 0);
    rows
}

async fn counters(db: &crate::store::Db) -> Vec<(String, String, i64)> {
    let mut rows: Vec<(String, String, i64)> = crate::store::requests::counts_by_kind(db)
        .await
        .expect("counters")
        .into_iter()
        .map(|(m, s, n)| (m.as_str().to_owned(), s.as_str().to_owned(), n as i64))
        .collect();
    rows.sort();
    rows
}

both_dbs!(
    request_counters_follow_every_change_and_total_each_filter,
    |db| {
        use crate::service::api::{RequestQuery, RequestView};
        use crate::store::requests::PageOrder;

        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 1, "member").await;
        let system = Actor::system();
        let mut ids = Vec::new();
        for tmdb in 1..=6 {
            let made = services
                .requests
                .create(&ann, movie(tmdb, "Film"))
                .await
                .expect("movie");
            ids.push(made.request.id);
        }
        services
            .requests
            .create(&ann, show(77, "Show", &[1, 2]))
            .await
            .expect("show");
        services
            .requests
            .approve(&system, ids[0])
            .await
            .expect("approve");
        services
            .requests
            .approve(&system, ids[1])
            .await
            .expect("approve");
        services
            .requests
            .mark_available(&system, ids[1], true)
            .await
            .expect("available");
        services
            .requests
            .decline(&system, ids[2], "no")
            .await
            .expect("decline");
        services
            .requests
            .cancel(&ann, ids[3])
            .await
            .expect("cancel");
        assert_eq!(counters(&db).await, counted_rows(&db).await);

        let reader = caller(&services, "reader", "read").await;
        let expected = [
            (RequestView::All, 7),
            (RequestView::Pending, 3),
            (RequestView::Approved, 2),
            (RequestView::Processing, 1),
            (RequestView::Available, 1),
            (RequestView::Unavailable, 4),
            (RequestView::Declined, 1),
            (RequestView::Failed, 0),
        ];
        for (view, total) in expected {
            for order in [PageOrder::Added, PageOrder::Modified] {
                let query = RequestQuery {
                    view,
                    order,
                    requested_by: None,
                    page: Page::new(0, 100).expect("page"),
                };
                let found = services.api.requests(&reader, query).await.expect("page");
                assert_eq!(found.total, total, "{view:?}");
                assert_eq!(found.items.len() as u64, total, "{view:?} {order:?}");
                let mut sorted = found.items.clone();
                match order {
                    PageOrder::Added => {
                        sorted.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id.0)))
                    }
                    PageOrder::Modified => {
                        sorted.sort_by_key(|r| std::cmp::Reverse((r.updated_at, r.id.0)))
                    }
                }
                let ids: Vec<_> = found.items.iter().map(|r| r.id).collect();
                let want: Vec<_> = sorted.iter().map(|r| r.id).collect();
                assert_eq!(ids, want, "{view:?} {order:?} newest first");
            }
        }
        let counts = services.api.count(&reader).await.expect("count");
        assert_eq!(
            (counts.total, counts.movie, counts.tv, counts.pending),
            (7, 6, 1, 3),
            "every request counts in total and per type, cancelled ones too"
        );
    }
);
