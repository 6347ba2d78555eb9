//! The notifications page over HTTP: admins only, a webhook's secret shown once on the page that
//! added it (never in the list), bad input re-rendered with core's words and nothing written,
//! the Test button showing the receiver's own answer, and removal.

use axum::Router;
use axum::routing::post;
use usher_core::config::LoadOptions;
use usher_testkit::FakeServer;

use crate::console::test_app::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_test_and_remove_agents_and_see_the_secret_once() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("9400", "Mia", "member").await;
    let admin = app.sign_in("9401", "Ada", "admin").await;
    assert_eq!(app.get(&member, "/notifications").await.status, 403);
    let receiver =
        FakeServer::start(Router::new().route("/hook", post(|| async { "receiver says hi" })))
            .await;
    let url = format!("{}/hook", receiver.url);
    let refused = app
        .post(
            &member,
            "/notifications",
            &[("kind", "webhook"), ("name", "hass"), ("target", &url)],
        )
        .await;
    assert_eq!(refused.status, 403);

    let bad = app
        .post(
            &admin,
            "/notifications",
            &[("kind", "webhook"), ("name", "hass"), ("target", "nope")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("is not a URL"),
        "core's words: {}",
        bad.body
    );
    assert!(
        bad.body.contains("No notification agents yet."),
        "nothing written"
    );

    let added = app
        .post(
            &admin,
            "/notifications",
            &[
                ("kind", "webhook"),
                ("name", "hass"),
                ("target", &url),
                ("ev_requested", "on"),
                ("ev_issue", "on"),
            ],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let secret = added
        .body
        .split("<code id=\"agent-secret\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the secret, once")
        .to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let listed = app.get(&admin, "/notifications").await;
    assert_eq!(listed.status, 200);
    assert!(
        listed.body.contains("hass") && listed.body.contains("requested, issue"),
        "{}",
        listed.body
    );
    assert!(!listed.body.contains(&secret), "never shown again");

    let tested = app
        .post(&admin, "/notifications/test", &[("name", "hass")])
        .await;
    assert_eq!(tested.status, 200, "{}", tested.body);
    assert!(
        tested.body.contains("200 receiver says hi"),
        "the receiver's answer: {}",
        tested.body
    );
    assert_eq!(receiver.received_at("POST", "/hook").len(), 1);

    let removed = app
        .post(&admin, "/notifications/remove", &[("name", "hass")])
        .await;
    assert_eq!(removed.status, 303);
    assert!(
        app.get(&admin, "/notifications")
            .await
            .body
            .contains("No notification agents yet.")
    );
}
