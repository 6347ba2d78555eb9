//! The audit page and its CSV export: admins only, rows rendered with links and before → after,
//! filters, bad dates, CSV escaping.

use askama::Template;
use serde_json::json;
use usher_core::config::LoadOptions;
use usher_core::domain::{Actor, AuditEntry, Media, MediaType, Source, Timestamp, TmdbId, UserId};
use usher_core::service::NewRequest;
use usher_core::store::audit::AuditLine;

use super::*;
use crate::console::test_app::TestApp;

fn movie(id: i64, title: &str) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(id).expect("id"),
            tvdb_id: None,
            title: title.into(),
            year: None,
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    }
}

#[test]
fn details_become_before_and_after() {
    let (change, extra) =
        describe_details(&json!({"from": "pending", "to": "approved", "reason": "ok"}));
    assert_eq!(change, Some(("pending".into(), "approved".into())));
    assert_eq!(extra.as_deref(), Some(r#"{"reason":"ok"}"#));
    let (change, extra) =
        describe_details(&json!({"key": "plex_url", "before": null, "after": "http://p"}));
    assert_eq!(change, Some(("–".into(), "http://p".into())));
    assert_eq!(extra.as_deref(), Some(r#"{"key":"plex_url"}"#));
    assert_eq!(describe_details(&json!({})), (None, None));
    assert_eq!(target_link("request:42").as_deref(), Some("/requests/42"));
    assert_eq!(target_link("user:7").as_deref(), Some("/users/7"));
    assert_eq!(target_link("setting:plex_url"), None);
    assert_eq!(target_link("request:x"), None);
    let fr = Chrome::anonymous("fr".into(), String::new());
    assert_eq!(when(&fr, Timestamp(0)), "1 janv. 1970, 00:00:00 UTC");
}

#[test]
fn the_page_renders_rows_in_both_languages() {
    let line = AuditLine {
        entry: AuditEntry {
            id: 9,
            at: Timestamp(86_400_000),
            actor: Some(UserId(3)),
            source: "web".into(),
            source_detail: Some("192.0.2.1".into()),
            action: "request_approved".into(),
            target: "request:42".into(),
            details: json!({"from": "pending", "to": "approved"}),
        },
        actor_name: Some("<Alice>".into()),
    };
    for (lang, action) in [("en-US", "Request approved"), ("de", "Anfrage genehmigt")] {
        let chrome = Chrome {
            lang: lang.into(),
            csrf: "tok".into(),
            user: Some("Admin".into()),
            is_approver: true,
            is_admin: true,
            here: String::new(),
        };
        let query = AuditQuery {
            action: "request_approved".into(),
            after: "50".into(),
            ..AuditQuery::default()
        };
        let page = AuditPage::new(
            chrome,
            query,
            std::slice::from_ref(&line),
            Some(AuditCursor(9)),
        );
        let html = page.render().expect("render");
        assert!(html.contains(action), "{html}");
        assert!(
            html.contains("&#60;Alice&#62;") || html.contains("&lt;Alice&gt;"),
            "escaped: {html}"
        );
        assert!(html.contains(r#"href="/requests/42""#));
        assert!(html.contains(r#"href="/users/3""#));
        assert!(html.contains("pending → approved"));
        assert!(html.contains("192.0.2.1"));
        assert!(html.contains("/audit.csv?action=request_approved"));
        assert!(html.contains("after=9"), "next page link");
        assert!(
            html.contains(r#"<option value="request_approved" selected>"#),
            "{html}"
        );
        assert!(
            !crate::console::page::has_inline_script(&html),
            "no inline scripts"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_refused_and_admins_read_filter_and_export() {
    let app = TestApp::start(LoadOptions::default()).await;
    let admin = app.sign_in("9100", "Root", "admin").await;
    let member = app
        .sign_in("9101", "=HYPERLINK(\"http://x\")", "member")
        .await;
    let requester = Actor::user(
        member.user.id,
        Source::Telegram {
            user: "9101".into(),
        },
    );
    let made = app
        .services
        .requests
        .create(&requester, movie(550, "Fight, \"Club\""))
        .await
        .expect("request");

    for path in ["/audit", "/audit.csv"] {
        assert_eq!(app.get(&member, path).await.status, 403, "{path}");
    }

    let page = app.get(&admin, "/audit").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&format!(r#"href="/requests/{}""#, made.request.id)),
        "{}",
        page.body
    );
    assert!(page.body.contains("Request made"));
    assert!(page.body.contains("Telegram"));

    let filtered = app
        .get(&admin, "/audit?action=signed_in&source=telegram")
        .await;
    assert_eq!(filtered.status, 200);
    assert!(
        filtered.body.contains("No entries match."),
        "{}",
        filtered.body
    );

    let bad = app.get(&admin, "/audit?from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a date"), "{}", bad.body);
    assert_eq!(app.get(&admin, "/audit?after=zzz").await.status, 422);

    let csv = app.get(&admin, "/audit.csv?target=request").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type.as_deref(), Some("text/csv; charset=utf-8"));
    assert!(csv.disposition.is_some_and(|d| d.contains("attachment")));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,at,actor_id,actor,source,source_detail,action,target,details"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].contains(r#"'=HYPERLINK(""http://x"")"#),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("request_created"));
    assert!(
        lines[1].contains(r#""{""episodes"""#),
        "details JSON quoted: {}",
        lines[1]
    );
}
