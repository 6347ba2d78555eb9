//! The notifications page over HTTP: admins only, a webhook's secret shown once on the page that
//! added it (never in the list), bad input re-rendered with core's words and nothing written,
//! the Test button showing the receiver's own answer, removal, and rotating a webhook's secret
//! (asked first, CSRF-guarded, the new one shown once and the old one no longer verifying).

use axum::Router;
use axum::routing::post;
use usher_core::config::LoadOptions;
use usher_core::notify::agents::sign;
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

/// The last delivery the receiver got, checked against `secret` as a receiver would.
fn verifies(receiver: &FakeServer, secret: &str) -> bool {
    let posts = receiver.received_at("POST", "/hook");
    let last = posts.last().expect("a delivery");
    let header = last.header("x-usher-signature").expect("signed");
    let now = usher_core::domain::Timestamp::now().millis() / 1000;
    sign::verify(secret, header, last.raw.as_bytes(), now).is_ok()
}

fn shown_secret(body: &str) -> String {
    body.split("<code id=\"agent-secret\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the secret, once")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_a_webhook_secret_asks_first_and_shows_the_new_one_once() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("9410", "Mia", "member").await;
    let mut admin = app.sign_in("9411", "Ada", "admin").await;
    let receiver = FakeServer::start(Router::new().route("/hook", post(|| async { "ok" }))).await;
    let url = format!("{}/hook", receiver.url);
    let fields = [
        ("kind", "webhook"),
        ("name", "hass"),
        ("target", url.as_str()),
    ];
    let added = app.post(&admin, "/notifications", &fields).await;
    let old = shown_secret(&added.body);
    let test = [("name", "hass")];

    // The list offers it behind a confirmation; without script the confirm page asks.
    let listed = app.get(&admin, "/notifications").await;
    assert!(
        listed
            .body
            .contains("name=\"do\" value=\"/notifications/rotate\"")
    );
    assert!(
        listed
            .body
            .contains("data-confirm=\"Give this webhook a new signing secret?")
    );
    let asked = app
        .get(&admin, "/confirm?do=/notifications/rotate&name=hass")
        .await;
    assert_eq!(asked.status, 200);
    assert!(
        asked
            .body
            .contains("method=\"post\" action=\"/notifications/rotate\"")
    );
    assert!(
        asked.body.contains("href=\"/notifications\""),
        "cancel goes back"
    );

    // Cancel (back to the list), a member, a forged token: the old secret still signs.
    app.get(&admin, "/notifications").await;
    assert_eq!(
        app.post(&member, "/notifications/rotate", &test)
            .await
            .status,
        403
    );
    let real = std::mem::replace(&mut admin.csrf, "forged.token".into());
    let forged = app.post(&admin, "/notifications/rotate", &test).await;
    assert_eq!(forged.status, 403, "CSRF is enforced");
    admin.csrf = real;
    app.post(&admin, "/notifications/test", &test).await;
    assert!(verifies(&receiver, &old), "nothing changed");

    let rotated = app.post(&admin, "/notifications/rotate", &test).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    assert_eq!(rotated.cache_control.as_deref(), Some("no-store"));
    assert!(rotated.body.contains("The new signing secret of hass"));
    let new = shown_secret(&rotated.body);
    assert!(new.starts_with("whsec_") && new != old);
    assert!(
        !app.get(&admin, "/notifications").await.body.contains(&new),
        "once"
    );
    app.post(&admin, "/notifications/test", &test).await;
    assert!(verifies(&receiver, &new), "the new secret signs");
    assert!(!verifies(&receiver, &old), "the old one no longer verifies");
    let audit = app.get(&admin, "/audit").await;
    assert!(audit.body.contains("Webhook signing secret rotated"));
    let unknown = app
        .post(&admin, "/notifications/rotate", &[("name", "nobody")])
        .await;
    assert_eq!(unknown.status, 404);
}
