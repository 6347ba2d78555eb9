//! The request pages render what they must: escaped titles, the right forms per status with
//! their CSRF fields, the instance picker only where there is a choice, localized texts.

use std::collections::HashMap;

use askama::Template;
use usher_core::domain::{AuditEntry, MediaType, RequestStatus, Timestamp, UserId};
use usher_core::service::{BrowsePage, RequestDetail};

use super::RequestsPage;
use super::detail::RequestPage;
use super::filter::ListQuery;
use crate::console::pages::test_support::{chrome, request, setup};

fn list_page(lang: &str, query: &ListQuery) -> RequestsPage {
    let chrome = chrome(lang, true, false);
    let setup = setup();
    let mut page = RequestsPage::form(&chrome, query);
    let found = BrowsePage {
        items: vec![
            request(1, RequestStatus::Pending, MediaType::Movie),
            request(2, RequestStatus::Failed, MediaType::Movie),
            request(3, RequestStatus::Available, MediaType::Tv),
            request(4, RequestStatus::Pending, MediaType::Tv),
        ],
        requesters: HashMap::from([(UserId(3), "<Bob>".to_owned())]),
        counts: vec![(RequestStatus::Pending, 120), (RequestStatus::Failed, 3)],
        total: Some(120),
        page: 2,
        pages: Some(3),
        has_next: true,
    };
    page.fill(&setup, query, &found, true);
    page
}

/// Forms posting to `action`, directly or through the confirm step (`do`).
fn form_count(html: &str, action: &str) -> usize {
    html.matches(&format!("action=\"{action}\"")).count()
        + html
            .matches(&format!("name=\"do\" value=\"{action}\""))
            .count()
}

#[test]
fn the_list_offers_each_status_its_actions() {
    let query = ListQuery {
        status: Some("pending".into()),
        notice: Some("approved".into()),
        ..ListQuery::default()
    };
    let html = list_page("en-US", &query).render().expect("render");
    assert!(
        html.contains("&#60;Dune&#62; (2021)") && !html.contains("<Dune>"),
        "escaped"
    );
    assert!(html.contains("&#60;Bob&#62;"));
    assert_eq!(form_count(&html, "/requests/1/approve"), 1);
    assert_eq!(form_count(&html, "/requests/1/decline"), 1);
    assert_eq!(form_count(&html, "/requests/1/retry"), 0);
    assert_eq!(form_count(&html, "/requests/2/retry"), 1);
    assert_eq!(form_count(&html, "/requests/2/decline"), 1);
    assert_eq!(form_count(&html, "/requests/2/approve"), 0);
    assert!(
        !html.contains("/requests/3/"),
        "nothing to decide on an available request"
    );
    // Two Radarr instances: a movie gets a picker; one Sonarr: a show does not.
    assert_eq!(html.matches("name=\"instance\"").count(), 1);
    assert!(html.contains("<option value=\"radarr-4k\">radarr-4k</option>"));
    let forms = html.matches("method=\"post\"").count();
    let tokens = html.matches("name=\"_csrf\" value=\"csrf-token\"").count();
    assert_eq!(forms, tokens, "every form carries the CSRF token");
    assert!(html.contains("name=\"next\" value=\"/requests?status=pending\""));
    assert!(
        html.contains("<option value=\"pending\" selected>pending (120)</option>"),
        "the status filter carries its counts: {html}"
    );
    assert!(html.contains("Any status (123)"), "{html}");
    assert!(
        html.contains("href=\"/requests?status=pending&#38;page=3\""),
        "next page"
    );
    assert!(
        html.contains("href=\"/requests?status=pending\""),
        "previous page is the first"
    );
    assert!(html.contains("Page 2 of 3 · requests: 120"), "{html}");
    // Bulk: a checkbox for each decidable row, tied to the one bulk form with its CSRF token.
    assert_eq!(html.matches("form=\"bulk\" name=\"id\"").count(), 3);
    assert!(html.contains("action=\"/requests/bulk\""));
    assert!(
        html.contains("src=\"/img/poster/movie/438631/w92\""),
        "small posters"
    );
    assert!(
        html.contains("<option value=\"newest\" selected>"),
        "the default sort"
    );
    assert!(html.contains("Approved."), "the notice");
    assert!(html.contains("Already in the library"), "preset reasons");
    assert!(html.contains("href=\"/requests?requester=3\""));
    assert!(!html.contains("style=") && !crate::console::page::has_inline_script(&html));
}

#[test]
fn the_list_speaks_german_and_says_when_nothing_matches() {
    let mut page = list_page("de", &ListQuery::default());
    page.rows.clear();
    page.bulk_possible = false;
    page.pager = super::Pager::default();
    let html = page.render().expect("render");
    assert!(!html.contains("action=\"/requests/bulk\""));
    assert!(html.contains("Keine Anfragen gefunden."), "{html}");
    assert!(html.contains("Jeder Status"));
    assert!(!html.contains("Filter zurücksetzen"), "nothing to clear");
    assert!(!html.contains("rel=\"next\""));
}

#[test]
fn the_detail_shows_followers_trail_and_forms() {
    let mut pending = request(9, RequestStatus::Pending, MediaType::Movie);
    pending.decided_by = None;
    let trail = vec![
        AuditEntry {
            id: 2,
            at: Timestamp(1_700_000_100_000),
            actor: Some(UserId(5)),
            source: "telegram".into(),
            source_detail: Some("1234".into()),
            action: "request_followed".into(),
            target: "request:9".into(),
            details: serde_json::json!({}),
        },
        AuditEntry {
            id: 1,
            at: Timestamp(1_700_000_000_000),
            actor: None,
            source: "system".into(),
            source_detail: None,
            action: "request_failed".into(),
            target: "request:9".into(),
            details: serde_json::json!({ "from": "approved", "to": "failed", "error": "boom" }),
        },
    ];
    let detail = RequestDetail {
        request: pending,
        followers: vec![UserId(5)],
        trail,
        names: HashMap::from([
            (UserId(3), "Alice".to_owned()),
            (UserId(5), "Bob".to_owned()),
        ]),
    };
    let page = RequestPage::new(chrome("en-US", true, false), &setup(), &detail, None);
    let html = page.render().expect("render");
    assert!(html.contains("Requested by Alice"), "{html}");
    assert!(html.contains("<a href=\"/requests?requester=5\">Bob</a>"));
    assert!(html.contains("Followed") && html.contains("telegram 1234"));
    assert!(
        html.contains("Usher") && html.contains("approved → failed · boom"),
        "{html}"
    );
    assert_eq!(form_count(&html, "/requests/9/approve"), 1);
    assert!(html.contains("name=\"next\" value=\"/requests/9\""));
    assert!(html.contains("438631"), "TMDB id fact");
}

#[test]
fn single_episodes_are_named_where_seasons_are() {
    use crate::console::view::seasons;
    use usher_core::domain::{Episodes, Seasons};
    let mut tv = request(1, RequestStatus::Pending, MediaType::Tv);
    tv.seasons = Seasons::new([1, 2]);
    assert_eq!(seasons(&tv), "S1, S2");
    tv.episodes = Episodes::parse("S02E05,S02E07").expect("episodes");
    assert_eq!(seasons(&tv), "S02E05, S02E07");
}
