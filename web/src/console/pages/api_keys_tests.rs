//! The API key page over HTTP: admins only; a key made here is shown once (on the form's answer,
//! not cached) and works on the API; the list shows name, scopes and dates but never the key;
//! a form without a scope or with a taken name is shown again with why; revoking goes through
//! the confirmation page and the key is refused at once.

use usher_core::config::LoadOptions;

use crate::console::test_app::TestApp;

/// The key on the page that made it.
fn key_in(body: &str) -> String {
    let at = body.find("usher_").expect("a key on the page");
    body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_make_list_and_revoke_api_keys_and_a_key_is_shown_once() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("9400", "Mia", "member").await;
    let admin = app.sign_in("9401", "Ada", "admin").await;
    assert_eq!(app.get(&member, "/settings/api-keys").await.status, 403);
    let refused = app
        .post(
            &member,
            "/settings/api-keys",
            &[("name", "x"), ("scope", "read")],
        )
        .await;
    assert_eq!(refused.status, 403);

    let empty = app.get(&admin, "/settings/api-keys").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("No API keys yet."), "{}", empty.body);

    // No scope, then a bad name: the form again, with why, nothing made.
    let no_scope = app
        .post(&admin, "/settings/api-keys", &[("name", "homepage")])
        .await;
    assert_eq!(no_scope.status, 422, "{}", no_scope.body);
    assert!(no_scope.body.contains("Pick at least one scope."));
    assert!(
        no_scope.body.contains("value=\"homepage\""),
        "the name is kept"
    );
    let bad_name = app
        .post(
            &admin,
            "/settings/api-keys",
            &[("name", "home page!"), ("scope", "read")],
        )
        .await;
    assert_eq!(bad_name.status, 422, "{}", bad_name.body);
    assert!(!bad_name.body.contains("usher_"));

    let made = app
        .post(
            &admin,
            "/settings/api-keys",
            &[
                ("name", "homepage"),
                ("scope", "read"),
                ("scope", "request"),
            ],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("Key homepage made."), "{}", made.body);
    let key = key_in(&made.body);
    let caller = app
        .services
        .api_keys
        .authenticate(&key)
        .await
        .expect("the shown key works");
    assert_eq!(caller.scopes.to_string(), "read,request");

    let listed = app.get(&admin, "/settings/api-keys").await;
    assert!(
        listed.body.contains("<code>homepage</code>"),
        "{}",
        listed.body
    );
    assert!(listed.body.contains("read,request"));
    assert!(!listed.body.contains(&key), "the key is shown once only");
    let taken = app
        .post(
            &admin,
            "/settings/api-keys",
            &[("name", "homepage"), ("scope", "read")],
        )
        .await;
    assert_eq!(taken.status, 409, "{}", taken.body);

    // Revoking asks first (no script), then refuses the key at once.
    let asked = app
        .get(
            &admin,
            "/confirm?do=/settings/api-keys/revoke&name=homepage",
        )
        .await;
    assert_eq!(asked.status, 200);
    assert!(
        asked.body.contains("Revoke this API key?"),
        "{}",
        asked.body
    );
    let revoked = app
        .post(&admin, "/settings/api-keys/revoke", &[("name", "homepage")])
        .await;
    assert_eq!(revoked.status, 303);
    assert_eq!(
        revoked.location.as_deref(),
        Some("/settings/api-keys?notice=removed")
    );
    assert!(app.services.api_keys.authenticate(&key).await.is_err());
    let after = app.get(&admin, "/settings/api-keys").await;
    assert!(
        !after.body.contains("<code>homepage</code>"),
        "{}",
        after.body
    );
}
