//! The settings page: admins only, secrets never rendered, locked keys refused, the validator's
//! problems shown, saves audited and waiting for a restart, Test buttons filling drop-downs.

use askama::Template;
use usher_core::config::LoadOptions;
use usher_testkit::FakeRadarr;

use super::*;
use crate::console::test_app::TestApp;

const ENV_SECRET: &str = "radarr-key-from-the-environment";
const TYPED_SECRET: &str = "tmdb-key-typed-into-the-console";
const ARR_KEY: &str = "fake-radarr-4k-key";

fn base() -> LoadOptions {
    LoadOptions {
        env: vec![
            (
                "USHER_RADARR_URL".into(),
                "http://radarr.invalid:7878".into(),
            ),
            ("USHER_RADARR_API_KEY".into(), ENV_SECRET.into()),
        ],
        ..LoadOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_refused() {
    let app = TestApp::start(base()).await;
    let member = app.sign_in("9200", "Mia", "member").await;
    assert_eq!(app.get(&member, "/settings").await.status, 403);
    let post = app
        .post(
            &member,
            "/settings",
            &[
                ("group", "plex"),
                ("intent", "save"),
                ("plex_url", "http://p"),
            ],
        )
        .await;
    assert_eq!(post.status, 403);
    assert_eq!(
        usher_core::store::settings::all(&app.db)
            .await
            .expect("rows")
            .len(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_see_locks_never_secrets_and_save_through_the_validator() {
    let app = TestApp::start(base()).await;
    let admin = app.sign_in("9201", "Ada", "admin").await;

    let page = app.get(&admin, "/settings").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains(ENV_SECRET),
        "secrets are never rendered"
    );
    assert!(page.body.contains("USHER_RADARR_URL") && page.body.contains("locked"));
    assert!(
        page.body
            .contains(r#"value="http://radarr.invalid:7878" readonly disabled"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"id="group-tmdb""#));

    // A locked key cannot be changed, whatever the form says.
    let locked = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "radarr"),
                ("intent", "save"),
                ("radarr_url", "http://evil:1"),
            ],
        )
        .await;
    assert_eq!(locked.status, 403);
    let startup = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "server"),
                ("intent", "save"),
                ("listen", "0.0.0.0:1"),
            ],
        )
        .await;
    assert_eq!(startup.status, 422);
    assert!(
        startup.body.contains("USHER_LISTEN can only be set") && startup.body.contains("<form"),
        "the settings page again, saying why: {}",
        startup.body
    );
    assert_eq!(
        usher_core::store::settings::all(&app.db)
            .await
            .expect("rows")
            .len(),
        0
    );

    // The validator's own words, and the typed value kept in the form.
    let half = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "plex"),
                ("intent", "save"),
                ("plex_url", "http://plex.lan:32400"),
            ],
        )
        .await;
    assert_eq!(half.status, 422);
    assert!(half.body.contains("USHER_PLEX_TOKEN"), "{}", half.body);
    assert!(
        half.body
            .contains(r#"aria-describedby="f-plex-plex_token-error""#)
            && half
                .body
                .contains(r#"<span class="field-error" id="f-plex-plex_token-error">"#),
        "the problem beside the token field: {}",
        half.body
    );
    assert!(half.body.contains(r#"value="http://plex.lan:32400""#));

    let saved = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "tmdb"),
                ("intent", "save"),
                ("tmdb_api_key", TYPED_SECRET),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/settings?saved=1#group-tmdb")
    );
    let after = app.get(&admin, "/settings?saved=1").await;
    assert!(!after.body.contains(TYPED_SECRET), "write-only");
    assert!(after.body.contains("Settings saved (1 changed)"));
    assert!(after.body.contains("waiting for a restart"));
    assert!(after.body.contains("saved here"));
    assert!(after.body.contains(r#"name="clear" value="tmdb_api_key""#));

    let audit = app.get(&admin, "/audit?action=setting_changed").await;
    assert!(audit.body.contains("setting:tmdb_api_key") && audit.body.contains("not set → set"));
    assert!(!audit.body.contains(TYPED_SECRET));

    let cleared = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "tmdb"),
                ("intent", "save"),
                ("tmdb_api_key", ""),
                ("clear", "tmdb_api_key"),
            ],
        )
        .await;
    assert_eq!(
        cleared.location.as_deref(),
        Some("/settings?saved=1#group-tmdb")
    );
    assert_eq!(
        usher_core::store::settings::all(&app.db)
            .await
            .expect("rows")
            .len(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_buttons_probe_the_form_values_and_fill_the_choices() {
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let tag = reqwest::Client::new()
        .post(format!("{}/api/v3/tag", radarr.url()))
        .header("x-api-key", ARR_KEY)
        .json(&serde_json::json!({"label": "usher"}))
        .send()
        .await
        .expect("tag");
    assert!(tag.status().is_success());
    let app = TestApp::start(base()).await;
    let admin = app.sign_in("9202", "Ada", "admin").await;
    let fields = [
        ("group", "radarr-4k"),
        ("intent", "test"),
        ("radarr_4k_url", radarr.url()),
        ("radarr_4k_api_key", ARR_KEY),
        ("radarr_4k_quality_profile", "HD-1080p"),
    ];
    let tested = app.post(&admin, "/settings", &fields).await;
    assert_eq!(tested.status, 200, "{}", tested.body);
    assert!(tested.body.contains("Connection works."), "{}", tested.body);
    assert!(
        tested
            .body
            .contains(r#"<option value="HD-1080p" selected>"#),
        "{}",
        tested.body
    );
    assert!(tested.body.contains(r#"<option value="Ultra-HD">"#));
    assert!(tested.body.contains(r#"name="radarr_tags" multiple"#));
    assert!(
        tested
            .body
            .contains(r#"<option value="usher">usher</option>"#)
    );
    assert!(
        !tested.body.contains(ARR_KEY),
        "a typed key is not echoed back"
    );
    assert_eq!(
        usher_core::store::settings::all(&app.db)
            .await
            .expect("rows")
            .len(),
        0,
        "a test saves nothing"
    );

    let wrong = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "radarr-4k"),
                ("intent", "test"),
                ("radarr_4k_url", radarr.url()),
                ("radarr_4k_api_key", "wrong"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("Connection failed."), "{}", wrong.body);
    let fix = format!(
        "USHER_RADARR_4K_API_KEY is not accepted by Radarr (radarr-4k) at {}: copy the key from Radarr → Settings → General",
        radarr.url()
    );
    assert!(wrong.body.contains(&fix), "{}", wrong.body);

    let nothing = app
        .post(
            &admin,
            "/settings",
            &[("group", "plex"), ("intent", "test")],
        )
        .await;
    assert!(nothing.body.contains("Not configured"), "{}", nothing.body);

    let down = app
        .post(
            &admin,
            "/settings",
            &[
                ("group", "jellyfin"),
                ("intent", "test"),
                ("jellyfin_url", "http://127.0.0.1:9"),
                ("jellyfin_api_key", "k"),
            ],
        )
        .await;
    assert!(
        down.body.contains("Connection failed.") && down.body.contains("not reachable"),
        "{}",
        down.body
    );
}

#[test]
fn the_page_renders_in_german_without_secrets() {
    let inspection = usher_core::config::inspect(
        &LoadOptions {
            env: vec![("USHER_TMDB_API_KEY".into(), "geheim-0123456789".into())],
            ..LoadOptions::default()
        },
        &[],
    );
    let view = SettingsView {
        inspection,
        restart_needed: true,
    };
    let chrome = Chrome {
        lang: "de".into(),
        csrf: "tok".into(),
        user: Some("Admin".into()),
        is_approver: true,
        is_admin: true,
        here: String::new(),
    };
    let html = SettingsPage::new(chrome, &view, Echo::default(), Vec::new(), Some(2))
        .render()
        .expect("render");
    assert!(!html.contains("geheim-0123456789"));
    assert!(html.contains("Einstellungen gespeichert (2 geändert)"));
    assert!(html.contains("Gespeicherte Änderungen warten auf einen Neustart"));
    assert!(html.contains("aus der Umgebung") && html.contains("gesperrt"));
    // Each group says what it is for, and a locked value says why it cannot be changed.
    assert!(html.contains("Der TMDB-API-Schlüssel, mit dem Usher Titel sucht."));
    assert!(html.contains("Ein Sonarr nur für Anime"));
    assert!(html.contains(
        "<span class=\"muted small\">Gesetzt durch eine Umgebungsvariable, eine _FILE-Datei"
    ));
    assert!(html.contains(r#"name="_csrf" value="tok""#));
    assert!(!crate::console::page::has_inline_script(&html) && !html.contains("style="));
}

/// The console checks what `usher check` checks: a Plex token that only `/identity` (which
/// takes none) would let through, and a refused Radarr key, fail on the dashboard's health list
/// and under the Test buttons, each naming the service, the setting and the fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_plex_token_and_radarr_key_fail_in_the_console_with_the_fix() {
    let plex = usher_testkit::FakePlex::start("the-owners-token").await;
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let base = LoadOptions {
        env: vec![
            ("USHER_PLEX_URL".into(), plex.url().into()),
            ("USHER_PLEX_TOKEN".into(), "a-wrong-token".into()),
            ("USHER_RADARR_URL".into(), radarr.url().into()),
            ("USHER_RADARR_API_KEY".into(), "a-wrong-key".into()),
        ],
        ..LoadOptions::default()
    };
    let app = TestApp::start_with_health(base).await;
    let admin = app.sign_in("9203", "Ada", "admin").await;
    let plex_fix = format!("USHER_PLEX_TOKEN is not accepted by Plex at {}", plex.url());
    let radarr_fix = format!(
        "USHER_RADARR_API_KEY is not accepted by Radarr at {}: copy the key from Radarr → Settings → General",
        radarr.url()
    );

    let dashboard = app.get(&admin, "/").await;
    assert_eq!(dashboard.status, 200);
    for fix in [&plex_fix, &radarr_fix] {
        assert!(
            dashboard.body.contains(fix.as_str()),
            "{fix}\n{}",
            dashboard.body
        );
    }
    assert!(
        dashboard.body.contains("server owner"),
        "{}",
        dashboard.body
    );

    let tested = |group: &'static str| {
        let app = &app;
        let admin = &admin;
        async move {
            let fields = [("group", group), ("intent", "test")];
            app.post(admin, "/settings", &fields).await
        }
    };
    let plex_test = tested("plex").await;
    assert_eq!(plex_test.status, 200);
    assert!(
        plex_test.body.contains("Connection failed."),
        "{}",
        plex_test.body
    );
    assert!(plex_test.body.contains(&plex_fix), "{}", plex_test.body);
    assert!(
        plex_test.body.contains("server owner"),
        "{}",
        plex_test.body
    );
    let radarr_test = tested("radarr").await;
    assert!(
        radarr_test.body.contains("Connection failed."),
        "{}",
        radarr_test.body
    );
    assert!(
        radarr_test.body.contains(&radarr_fix),
        "{}",
        radarr_test.body
    );
    for page in [&dashboard, &plex_test, &radarr_test] {
        assert!(!page.body.contains("a-wrong-"), "no key is echoed back");
    }
}
