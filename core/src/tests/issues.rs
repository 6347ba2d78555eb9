//! Issue reports: only for titles the library holds, bounded text, one open report per person
//! and title, resolved by approvers only, with audit rows, an approver card and a DM.

use super::harness::{both_dbs, count, movie, user_with_role};
use super::notify::{BOTH, drain_all, fanout};
use crate::CoreError;
use crate::domain::{
    Actor, AuditAction, IssueId, IssueKind, IssueRefusal, IssueStatus, MediaType, Platform,
    Request, TmdbId,
};
use crate::notify::Delivery;
use crate::service::{NewIssue, Services};
use crate::store::{Db, audit};

fn report(tmdb_id: i64, text: &str) -> NewIssue {
    NewIssue {
        media_type: MediaType::Movie,
        tmdb_id: TmdbId::parse(tmdb_id).expect("tmdb id"),
        kind: IssueKind::Audio,
        text: text.into(),
    }
}

/// A movie someone asked for that is now in the library.
async fn held_movie(services: &Services, asker: &Actor, tmdb_id: i64, title: &str) -> Request {
    let made = services
        .requests
        .create(asker, movie(tmdb_id, title))
        .await
        .expect("request");
    let system = Actor::system();
    let id = made.request.id;
    services
        .requests
        .approve(&system, id)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&system, id, true)
        .await
        .expect("available")
}

/// The audit actions recorded against one report, oldest first.
async fn audit_actions(db: &Db, issue: IssueId) -> Vec<String> {
    let mut rows = audit::for_target(db, &format!("issue:{issue}"), 10)
        .await
        .expect("audit");
    rows.sort_by_key(|e| e.id);
    rows.into_iter().map(|e| e.action).collect()
}

/// Empties the outbox of everything before the step a test looks at.
async fn settle(db: &Db) {
    fanout(db, &BOTH).try_run_once().await.expect("fan out");
    drain_all(db, Platform::Telegram).await;
    drain_all(db, Platform::Discord).await;
}

both_dbs!(a_report_on_a_held_title_is_audited_and_carded, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let (bob_user, bob) = user_with_role(&services, 2, "member").await;
    let request = held_movie(&services, &ann, 603, "The Matrix").await;
    settle(&db).await;

    let issue = services
        .issues
        .report(&bob, report(603, "  the audio is out of sync  "))
        .await
        .expect("report");
    assert_eq!(issue.status, IssueStatus::Open);
    assert_eq!(issue.text, "the audio is out of sync");
    assert_eq!(issue.title, "The Matrix");
    assert_eq!(issue.request_id, Some(request.id));
    assert_eq!(issue.reported_by, bob_user.id);
    assert_eq!(issue.source, Platform::Telegram);
    assert_eq!(
        audit_actions(&db, issue.id).await,
        [AuditAction::IssueReported.as_str()]
    );

    fanout(&db, &BOTH).try_run_once().await.expect("fan out");
    for platform in BOTH {
        let got = drain_all(&db, platform).await;
        assert_eq!(
            got,
            vec![Delivery::IssueCard { issue_id: issue.id }],
            "{platform}"
        );
    }
    db.close().await;
});

both_dbs!(a_title_the_library_does_not_hold_is_refused, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    services
        .requests
        .create(&ann, movie(438_631, "Dune"))
        .await
        .expect("request");
    for tmdb_id in [438_631, 27_205] {
        let refused = services
            .issues
            .report(&ann, report(tmdb_id, "no sound"))
            .await;
        assert!(
            matches!(
                refused,
                Err(CoreError::IssueRefused(IssueRefusal::NotInLibrary))
            ),
            "{tmdb_id}: {refused:?}"
        );
    }
    assert_eq!(count(&db, "issues").await, 0);
    db.close().await;
});

both_dbs!(the_text_must_have_one_to_a_thousand_characters, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    held_movie(&services, &ann, 603, "The Matrix").await;
    for bad in ["", "   \n ", &"x".repeat(1001)] {
        let refused = services.issues.report(&ann, report(603, bad)).await;
        assert!(
            matches!(refused, Err(CoreError::Validation(_))),
            "{refused:?}"
        );
    }
    assert_eq!(count(&db, "issues").await, 0);
    let longest = services
        .issues
        .report(&ann, report(603, &"é".repeat(1000)))
        .await
        .expect("1000 characters are fine");
    assert_eq!(longest.text.chars().count(), 1000);
    db.close().await;
});

both_dbs!(one_open_report_per_person_and_title, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let (_, bob) = user_with_role(&services, 2, "member").await;
    let (_, amy) = user_with_role(&services, 3, "approver").await;
    held_movie(&services, &ann, 603, "The Matrix").await;
    let first = services
        .issues
        .report(&ann, report(603, "no sound"))
        .await
        .expect("first");
    let again = services
        .issues
        .report(&ann, report(603, "still no sound"))
        .await;
    assert!(
        matches!(again, Err(CoreError::IssueRefused(IssueRefusal::AlreadyOpen(id))) if id == first.id),
        "{again:?}"
    );
    services
        .issues
        .report(&bob, report(603, "no sound here either"))
        .await
        .expect("someone else may report the same title");
    assert_eq!(count(&db, "issues").await, 2);

    services
        .issues
        .resolve(&amy, first.id, None)
        .await
        .expect("resolve");
    services
        .issues
        .report(&ann, report(603, "the sound went away again"))
        .await
        .expect("a new report once the first is resolved");
    db.close().await;
});

both_dbs!(only_approvers_resolve_and_the_reporter_is_told, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 1, "member").await;
    let (_, bob) = user_with_role(&services, 2, "member").await;
    let (amy_user, amy) = user_with_role(&services, 3, "approver").await;
    held_movie(&services, &ann, 603, "The Matrix").await;
    let issue = services
        .issues
        .report(&ann, report(603, "no subtitles"))
        .await
        .expect("report");
    settle(&db).await;

    for member in [&bob, &ann] {
        let refused = services.issues.resolve(member, issue.id, None).await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
    }
    let still = services.issues.get(&ann, issue.id).await.expect("own");
    assert_eq!(still.status, IssueStatus::Open);
    let hidden = services.issues.get(&bob, issue.id).await;
    assert!(matches!(hidden, Err(CoreError::Forbidden(_))), "{hidden:?}");

    let resolved = services
        .issues
        .resolve(&amy, issue.id, Some("  replaced the file "))
        .await
        .expect("resolve");
    assert_eq!(resolved.status, IssueStatus::Resolved);
    assert_eq!(resolved.resolved_by, Some(amy_user.id));
    assert_eq!(
        resolved.resolution_note.as_deref(),
        Some("replaced the file")
    );
    assert!(resolved.resolved_at.is_some());
    assert_eq!(
        audit_actions(&db, issue.id).await,
        [
            AuditAction::IssueReported.as_str(),
            AuditAction::IssueResolved.as_str()
        ]
    );
    let twice = services.issues.resolve(&amy, issue.id, None).await;
    assert!(
        matches!(
            twice,
            Err(CoreError::IssueRefused(IssueRefusal::AlreadyResolved(_)))
        ),
        "{twice:?}"
    );

    fanout(&db, &BOTH).try_run_once().await.expect("fan out");
    let telegram = drain_all(&db, Platform::Telegram).await;
    assert_eq!(
        telegram,
        vec![Delivery::IssueResolved {
            issue_id: issue.id,
            user: issue.reported_by,
            chat: "1".into(),
        }]
    );
    assert!(drain_all(&db, Platform::Discord).await.is_empty());

    let open = services
        .issues
        .list(&amy, Some(IssueStatus::Open), None, 10)
        .await
        .expect("list");
    assert!(open.items.is_empty());
    let all = services
        .issues
        .list(&amy, None, None, 10)
        .await
        .expect("list");
    assert_eq!(all.items.len(), 1);
    assert_eq!(
        all.names.get(&amy_user.id).map(String::as_str),
        Some("user3")
    );
    assert!(services.issues.list(&ann, None, None, 10).await.is_err());
    assert_eq!(services.issues.count_open().await.expect("count"), 0);
    db.close().await;
});

both_dbs!(
    reportable_titles_are_the_held_ones_matching_the_query,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 1, "member").await;
        held_movie(&services, &ann, 603, "The Matrix").await;
        held_movie(&services, &ann, 604, "The Matrix Reloaded").await;
        services
            .requests
            .create(&ann, movie(605, "The Matrix Revolutions"))
            .await
            .expect("pending request");
        let found = services
            .issues
            .reportable("matrix", 25)
            .await
            .expect("find");
        let titles: Vec<&str> = found.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["The Matrix", "The Matrix Reloaded"]);
        let literal = services.issues.reportable("%", 25).await.expect("find");
        assert!(literal.is_empty(), "a wildcard is taken literally");
        db.close().await;
    }
);

both_dbs!(
    a_title_only_the_library_index_holds_is_reportable_under_its_tmdb_name,
    |db| {
        use crate::domain::SourceKind;
        use crate::integrations::http::HttpSettings;
        use crate::integrations::tmdb::{TmdbClient, TmdbConfig};
        use crate::tests::library_index::{jellyfin, passes};

        let jf = usher_testkit::FakeJellyfin::start("jf").await;
        jf.add_movie(693134, "Dune: Part Two");
        let passes = passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;
        passes.full(|_| {}).await.expect("pass");
        let fake = usher_testkit::tmdb::start().await;
        let key = secrecy::SecretString::from(usher_testkit::tmdb::API_KEY.to_owned());
        let http = HttpSettings::with_timeout(std::time::Duration::from_secs(5));
        let tmdb = TmdbClient::new(TmdbConfig::new(&fake.url, key), &http).expect("tmdb");
        let without_tmdb = Services::new(db.clone()).with_library_index(passes.index().clone());
        let services = without_tmdb.clone().with_tmdb(tmdb);
        let (_, ann) = user_with_role(&services, 1, "member").await;

        // The pickers find it by what TMDB calls it; the other Dune films are not held.
        let found = services.issues.reportable("dune", 25).await.expect("find");
        let named: Vec<(&str, Option<u16>)> =
            found.iter().map(|t| (t.title.as_str(), t.year)).collect();
        assert_eq!(named, [("Dune: Part Two", Some(2024))]);
        assert_eq!(found[0].request_id, None);

        // Without TMDB it cannot be named, so it cannot be reported yet (nothing stored).
        let unnamed = without_tmdb
            .issues
            .report(&ann, report(693134, "no sound"))
            .await;
        assert!(
            matches!(unnamed, Err(CoreError::Upstream { .. })),
            "{unnamed:?}"
        );

        let issue = services
            .issues
            .report(&ann, report(693134, "no sound"))
            .await
            .expect("reported");
        assert_eq!(
            (issue.title.as_str(), issue.year),
            ("Dune: Part Two", Some(2024))
        );
        assert_eq!(issue.request_id, None);
        let elsewhere = services
            .issues
            .report(&ann, report(438631, "no sound"))
            .await;
        assert!(
            matches!(
                elsewhere,
                Err(CoreError::IssueRefused(IssueRefusal::NotInLibrary))
            ),
            "{elsewhere:?}"
        );
        db.close().await;
    }
);
