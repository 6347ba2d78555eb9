//! The media servers page over HTTP: admins only, an invalid URL re-rendered with the
//! validator's words, the key never shown back nor stored in clear nor audited, the Test button
//! showing the server's own answer, editing with the key kept, removing, and `usher.toml`'s
//! servers locked.

use secrecy::ExposeSecret;
use usher_core::config::{LoadOptions, MediaServerSettings};
use usher_core::store::{audit, settings};
use usher_testkit::FakeJellyfin;

use crate::console::test_app::TestApp;

const KEY: &str = "emby-key-typed-into-the-console";

/// The media servers the next start would get.
async fn next_start(app: &TestApp) -> Vec<MediaServerSettings> {
    let base = usher_core::config::load(LoadOptions::default()).expect("base");
    let started = app
        .state
        .settings()
        .startup(&base.settings)
        .await
        .expect("startup");
    started.settings.media_servers
}

async fn audit_details(app: &TestApp, target: &str) -> Vec<String> {
    audit::for_target(&app.db, target, 10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.details.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_test_edit_and_remove_a_server_whose_key_never_comes_back() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("9300", "Mia", "member").await;
    let admin = app.sign_in("9301", "Ada", "admin").await;
    assert_eq!(
        app.get(&member, "/settings/media-servers").await.status,
        403
    );
    let fields = |url: &'static str| {
        vec![
            ("intent", "save"),
            ("kind", "emby"),
            ("name", "den"),
            ("url", url),
            ("secret", KEY),
            ("public_url", ""),
        ]
    };
    let refused = app
        .post(
            &member,
            "/settings/media-servers",
            &fields("http://emby.lan"),
        )
        .await;
    assert_eq!(refused.status, 403);

    // An invalid URL: the page again, with the validator's words, without the key.
    let invalid = app
        .post(&admin, "/settings/media-servers", &fields("emby.lan"))
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert!(
        invalid
            .body
            .contains("media server (emby) `den`: `url` must be an http(s) URL"),
        "the validator's words: {}",
        invalid.body
    );
    assert!(
        invalid.body.contains("value=\"emby.lan\""),
        "the form is kept"
    );
    assert!(!invalid.body.contains(KEY), "the key is never shown back");
    assert!(settings::all(&app.db).await.expect("rows").is_empty());

    let saved = app
        .post(
            &admin,
            "/settings/media-servers",
            &fields("http://emby.lan:8096"),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/settings/media-servers?notice=saved")
    );
    let page = app.get(&admin, "/settings/media-servers").await.body;
    assert!(page.contains("value=\"http://emby.lan:8096\""), "{page}");
    assert!(!page.contains(KEY));
    let rows = settings::all(&app.db).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, "media_server:den");
    assert!(
        rows[0].secret && !rows[0].value.contains(KEY),
        "stored sealed"
    );
    let details = audit_details(&app, "media_server:den").await;
    assert_eq!(details.len(), 1);
    assert!(
        details[0].contains("\"change\":\"saved\"") && details[0].contains("\"secret\":\"new\"")
    );
    assert!(
        !details[0].contains(KEY),
        "no key in the audit: {}",
        details[0]
    );

    // The saved server joins the settings the next start gets.
    let next = next_start(&app).await;
    let servers: Vec<(&str, &str)> = next
        .iter()
        .map(|s| (s.name.as_str(), s.url.as_str()))
        .collect();
    assert_eq!(servers, [("den", "http://emby.lan:8096")]);

    // Test with the saved key (the field left blank): the server's own answer.
    let emby = FakeJellyfin::start(KEY).await;
    let test = [
        ("intent", "test"),
        ("previous", "den"),
        ("kind", "emby"),
        ("name", "den"),
        ("url", emby.url()),
        ("secret", ""),
    ];
    let works = app.post(&admin, "/settings/media-servers", &test).await;
    assert_eq!(works.status, 200, "{}", works.body);
    assert!(works.body.contains("Connection works."), "{}", works.body);
    assert!(works.body.contains("libraries:"), "{}", works.body);
    let mut wrong = test.to_vec();
    wrong[5] = ("secret", "not-the-key");
    let fails = app
        .post(&admin, "/settings/media-servers", &wrong)
        .await
        .body;
    assert!(fails.contains("Connection failed."), "{fails}");
    assert!(
        fails.contains("the api_key of the media server `den` is not accepted"),
        "{fails}"
    );
    assert!(!fails.contains("not-the-key"));

    // Edit the address, keep the key: renamed too.
    let edit = [
        ("intent", "save"),
        ("previous", "den"),
        ("kind", "emby"),
        ("name", "attic"),
        ("url", emby.url()),
        ("secret", ""),
    ];
    assert_eq!(
        app.post(&admin, "/settings/media-servers", &edit)
            .await
            .status,
        303
    );
    let rows = settings::all(&app.db).await.expect("rows");
    assert_eq!(
        rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["media_server:attic"]
    );
    let next = next_start(&app).await;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].secret.expose_secret(), KEY, "the key was kept");

    let removed = app
        .post(
            &admin,
            "/settings/media-servers/remove",
            &[("name", "attic")],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert!(settings::all(&app.db).await.expect("rows").is_empty());
    let details = audit_details(&app, "media_server:attic").await;
    assert!(details[0].contains("\"change\":\"removed\""), "{details:?}");
    assert!(details.iter().all(|d| !d.contains(KEY)));
    let gone = app
        .post(
            &admin,
            "/settings/media-servers/remove",
            &[("name", "attic")],
        )
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_from_usher_toml_are_locked() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("usher.toml");
    let toml =
        "[[plex]]\nname = \"den\"\nurl = \"http://plex.lan:32400\"\ntoken = \"toml-token\"\n";
    std::fs::write(&path, toml).expect("toml");
    let base = LoadOptions {
        config_file: Some(path),
        ..LoadOptions::default()
    };
    let app = TestApp::start(base).await;
    let admin = app.sign_in("9302", "Ada", "admin").await;
    let page = app.get(&admin, "/settings/media-servers").await.body;
    assert!(
        page.contains("<code>http://plex.lan:32400</code>"),
        "{page}"
    );
    assert!(page.contains("Set in usher.toml"), "{page}");
    assert!(!page.contains("toml-token"));
    let removed = app
        .post(&admin, "/settings/media-servers/remove", &[("name", "den")])
        .await;
    assert_eq!(removed.status, 403);
    let taken = [
        ("intent", "save"),
        ("kind", "jellyfin"),
        ("name", "den"),
        ("url", "http://jf.lan"),
        ("secret", "k"),
    ];
    assert_eq!(
        app.post(&admin, "/settings/media-servers", &taken)
            .await
            .status,
        403
    );
}
