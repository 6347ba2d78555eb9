//! Console forms over HTTP: a refused post shows the same form again with the message beside
//! the field and the values as typed (never a bare error page), a successful one answers 303 to
//! a page with a notice, and destructive actions go through the confirm page when script is off.

use usher_core::config::LoadOptions;
use usher_core::domain::{Actor, RequestId, RequestStatus};

use crate::console::test_app::TestApp;

async fn status_of(app: &TestApp, id: RequestId) -> RequestStatus {
    let request = app.services.requests.get(&Actor::system(), id).await;
    request.expect("get").status
}

#[tokio::test]
async fn a_decline_without_reason_comes_back_beside_the_field_with_the_preset_kept() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("700", "Mo", "member").await;
    let approver = app.sign_in("701", "Ann", "approver").await;
    let request = app.request_movie(&member, 700, "Heat").await;
    let path = format!("/requests/{}/decline", request.id);

    // A preset with a reason too long for the requester's message: refused as a whole.
    let long = "x".repeat(520);
    let refused = app
        .post(
            &approver,
            &path,
            &[
                ("next", "/requests"),
                ("preset", "quality"),
                ("reason", &long),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    let id = request.id;
    let body = &refused.body;
    assert!(body.contains("<h1>Heat (1999)</h1>"), "{body}");
    assert!(
        body.contains(&format!(
            r#"<span class="field-error" id="reason-{id}-error">"#
        )),
        "the message beside the reason: {body}"
    );
    assert!(body.contains(&format!(r#"aria-describedby="reason-{id}-error""#)));
    assert!(
        body.contains(r#"<option value="quality" selected>"#),
        "{body}"
    );
    assert!(body.contains("<details class=\"decline\" open>"), "{body}");
    assert!(
        body.contains(&format!(r#"value="{long}""#)),
        "the reason as typed"
    );
    assert_eq!(status_of(&app, id).await, RequestStatus::Pending);

    let declined = app
        .post(
            &approver,
            &path,
            &[("next", "/requests"), ("preset", ""), ("reason", "Not yet")],
        )
        .await;
    assert_eq!(declined.status, 303);
    let back = declined.location.expect("redirect");
    assert_eq!(back, "/requests?notice=declined");
    let shown = app.get(&approver, &back).await;
    assert!(shown.body.contains("role=\"status\""), "{}", shown.body);
}

#[tokio::test]
async fn an_impossible_folder_is_refused_and_said_even_without_pick_lists() {
    // No Radarr configured: the form has no lists, yet a stale page's bad value is refused
    // with its reason shown, and nothing changes.
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("710", "Mo", "member").await;
    let approver = app.sign_in("711", "Ann", "approver").await;
    let request = app.request_movie(&member, 710, "Ran").await;
    let id = request.id;
    let refused = app
        .post(
            &approver,
            &format!("/requests/{id}/approve"),
            &[("quality_profile", "HD"), ("root_folder", "/a\u{7}b")],
        )
        .await;
    assert_eq!(refused.status, 422);
    let body = &refused.body;
    assert!(
        body.contains(&format!(r#"id="folder-{id}-error""#))
            && body.contains("is not a root folder"),
        "the folder is at fault: {body}"
    );
    assert!(!body.contains(&format!(r#"id="profile-{id}-error""#)));
    assert_eq!(status_of(&app, id).await, RequestStatus::Pending);
}

#[tokio::test]
async fn a_bad_quota_comes_back_beside_its_field_and_a_good_one_redirects() {
    let app = TestApp::start(LoadOptions::default()).await;
    let admin = app.sign_in("720", "Ada", "admin").await;
    let member = app.sign_in("721", "Mo", "member").await;
    let path = format!("/users/{}/quota", member.user.id);
    let refused = app
        .post(
            &admin,
            &path,
            &[
                ("scope", "movie"),
                ("max", "3"),
                ("days", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    let body = &refused.body;
    assert!(
        body.contains(
            r#"<span class="field-error" id="quota-movie-days-error">Enter a whole number.</span>"#
        ),
        "{body}"
    );
    assert!(
        body.contains(
            r#"id="quota-movie-max" type="number" name="max" min="0" max="100000" value="3""#
        ),
        "the typed max kept: {body}"
    );

    let role = app
        .post(
            &admin,
            "/roles/member/quota",
            &[
                ("scope", "tv"),
                ("max", "x"),
                ("days", "7"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(role.status, 422);
    assert!(
        role.body.contains(r#"id="quota-member-tv-max-error""#),
        "{}",
        role.body
    );

    let saved = app
        .post(
            &admin,
            &path,
            &[
                ("scope", "movie"),
                ("max", "3"),
                ("days", "7"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/users/{}?notice=quota", member.user.id).as_str())
    );
}

#[tokio::test]
async fn taking_the_last_admin_away_is_said_on_the_user_page() {
    let app = TestApp::start(LoadOptions::default()).await;
    let admin = app.sign_in("730", "Ada", "admin").await;
    let refused = app
        .post(
            &admin,
            &format!("/users/{}/roles", admin.user.id),
            &[("role", "admin"), ("action", "revoke")],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("role=\"alert\""), "{}", refused.body);
    assert!(refused.body.contains("Make someone else an admin first."));
    assert!(
        refused.body.contains("<h1>Ada"),
        "the user page: {}",
        refused.body
    );
}

#[tokio::test]
async fn without_script_a_destructive_form_asks_on_a_confirm_page_that_posts_it() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("740", "Mo", "member").await;
    let approver = app.sign_in("741", "Ann", "approver").await;
    let request = app.request_movie(&member, 740, "Alien").await;
    let id = request.id;

    // The detail page's decline form is a GET to /confirm naming the real action.
    let page = app.get(&approver, &format!("/requests/{id}")).await;
    assert!(
        page.body
            .contains(r#"<form method="get" action="/confirm" data-confirm="#)
            && page
                .body
                .contains(&format!(r#"name="do" value="/requests/{id}/decline""#)),
        "{}",
        page.body
    );

    let asked = app
        .get(
            &approver,
            &format!("/confirm?do=/requests/{id}/decline&next=/requests&preset=&reason=Too+old"),
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(
        asked.body.contains(&format!(
            r#"<form method="post" action="/requests/{id}/decline">"#
        )),
        "{}",
        asked.body
    );
    assert!(asked.body.contains(r#"name="reason" value="Too old""#));
    assert!(
        asked
            .body
            .contains(&format!(r#"name="_csrf" value="{}""#, approver.csrf))
    );
    assert!(
        asked.body.contains(r#"href="/requests""#),
        "cancel goes back"
    );
    assert_eq!(
        status_of(&app, id).await,
        RequestStatus::Pending,
        "asking changes nothing"
    );

    let crafted = app
        .get(&approver, "/confirm?do=https://evil.example/&x=1")
        .await;
    assert_eq!(crafted.status, 400);
    assert!(!crafted.body.contains("evil.example"), "{}", crafted.body);
}
