//! The issue pages over HTTP with real sessions: members reach none of them, approvers list,
//! read and resolve reports (with a note, CSRF-checked, through core), and a second resolve is
//! a localized refusal.

use usher_core::config::LoadOptions;
use usher_core::domain::{Actor, IssueId, IssueKind, IssueStatus, MediaType, Source, TmdbId};
use usher_core::service::NewIssue;

use crate::console::test_app::{Browser, TestApp};

/// A member's report about a film the library holds (asked for, approved, arrived).
async fn reported(app: &TestApp, member: &Browser) -> IssueId {
    let request = app.request_movie(member, 603, "The Matrix").await;
    let actor = Actor::user(member.user.id, Source::Telegram { user: "100".into() });
    let services = &app.services;
    let system = Actor::system();
    let id = request.id;
    services
        .requests
        .approve(&system, id)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&system, id, true)
        .await
        .expect("available");
    let problem = NewIssue {
        media_type: MediaType::Movie,
        tmdb_id: TmdbId::parse(603).expect("tmdb"),
        kind: IssueKind::Subtitles,
        text: "The subtitles are two seconds late".into(),
    };
    services
        .issues
        .report(&actor, problem)
        .await
        .expect("report")
        .id
}

#[tokio::test]
async fn members_reach_no_issue_page() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("100", "ann", "member").await;
    let id = reported(&app, &member).await;
    for path in ["/issues", &format!("/issues/{id}"), "/issues?status=all"] {
        let answer = app.get(&member, path).await;
        assert_eq!(answer.status, 403, "{path}");
        assert!(!answer.body.contains("two seconds late"), "{path}");
    }
    let path = format!("/issues/{id}/resolve");
    assert_eq!(app.post(&member, &path, &[]).await.status, 403);
    let issue = app
        .services
        .issues
        .get(&Actor::system(), id)
        .await
        .expect("get");
    assert_eq!(issue.status, IssueStatus::Open);
}

#[tokio::test]
async fn an_approver_lists_reads_and_resolves_a_report_with_a_note() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("100", "ann", "member").await;
    let approver = app.sign_in("200", "amy", "approver").await;
    let id = reported(&app, &member).await;

    let dashboard = app.get(&approver, "/").await;
    assert!(
        dashboard
            .body
            .contains("id=\"open-issues\" href=\"/issues\">1</a>"),
        "{}",
        dashboard.body
    );
    let members_own = app.get(&member, "/").await;
    assert!(!members_own.body.contains("/issues"), "no link for members");
    let list = app.get(&approver, "/issues").await;
    assert_eq!(list.status, 200);
    for seen in [
        "The Matrix (1999)",
        "two seconds late",
        "Subtitles",
        "ann",
        "Open",
    ] {
        assert!(list.body.contains(seen), "{seen}: {}", list.body);
    }
    let detail = app.get(&approver, &format!("/issues/{id}")).await;
    assert_eq!(detail.status, 200);
    assert!(
        detail
            .body
            .contains(&format!("action=\"/issues/{id}/resolve\""))
    );
    assert!(
        detail.body.contains("href=\"/requests/1\""),
        "{}",
        detail.body
    );

    let path = format!("/issues/{id}/resolve");
    let done = app
        .post(
            &approver,
            &path,
            &[
                ("note", "Replaced the file"),
                ("next", "/issues?status=open"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location.as_deref(),
        Some("/issues?status=open&notice=resolved")
    );
    let issue = app
        .services
        .issues
        .get(&Actor::system(), id)
        .await
        .expect("get");
    assert_eq!(issue.status, IssueStatus::Resolved);
    assert_eq!(issue.resolved_by, Some(approver.user.id));
    assert_eq!(issue.resolution_note.as_deref(), Some("Replaced the file"));

    let open = app.get(&approver, "/issues?notice=resolved").await;
    assert!(open.body.contains("No reports here."), "{}", open.body);
    assert!(open.body.contains("Resolved; the reporter will be told."));
    let resolved = app.get(&approver, "/issues?status=resolved").await;
    assert!(resolved.body.contains("The Matrix (1999)"));
    let detail = app.get(&approver, &format!("/issues/{id}")).await;
    assert!(detail.body.contains("Note: Replaced the file"));
    assert!(detail.body.contains("Resolved by amy"));
    assert!(!detail.body.contains("/resolve\""), "no form once resolved");

    let again = app.post(&approver, &path, &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already resolved"), "{}", again.body);
    let missing = app.get(&approver, "/issues/999").await;
    assert_eq!(missing.status, 404);
}
