//! The admin console through the binary: who may open the audit log and settings, settings
//! saved in the console applied at the next start (environment values locked), Test buttons
//! against a fake Radarr, the CSV export, and `/metrics` access and figures.

use usher_core::domain::{Actor, Media, MediaType, Source, TmdbId};
use usher_core::service::NewRequest;
use usher_testkit::FakeRadarr;

use crate::support::console_session::{self, sign_in};
use crate::support::{Server, temp_dir};

const RADARR_KEY: &str = "e2e-console-radarr-key";
const TMDB_KEY: &str = "e2e-tmdb-key-typed-in-the-console";

fn not_configured(server: &Server) -> String {
    server
        .printed
        .iter()
        .find(|l| l.starts_with("not configured yet"))
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn admins_edit_settings_that_apply_at_the_next_start_and_read_the_audit_log() {
    let (_keep, dir) = temp_dir();
    let radarr = FakeRadarr::start(RADARR_KEY).await;
    let env = [
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", RADARR_KEY),
    ];
    let server = Server::start(&dir, &env).await;
    assert!(not_configured(&server).contains("TMDB"));
    let base = server.base_url.clone();
    let member = sign_in(&dir, "5101", "Mem", "member").await;
    let admin = sign_in(&dir, "5100", "Adm", "admin").await;

    assert_eq!(member.get(&base, "/audit").await.status(), 403);
    assert_eq!(member.get(&base, "/audit.csv").await.status(), 403);
    assert_eq!(member.get(&base, "/settings").await.status(), 403);
    let refused = member
        .post(
            &base,
            "/settings",
            &[("group", "tmdb"), ("intent", "save"), ("tmdb_api_key", "x")],
        )
        .await;
    assert_eq!(refused.status(), 403);

    let page = admin.get(&base, "/settings").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(!html.contains(RADARR_KEY), "secrets are never rendered");
    assert!(!html.contains("waiting for a restart"), "nothing saved yet");
    assert!(
        html.contains(&format!(r#"value="{}" readonly disabled"#, radarr.url())),
        "locked"
    );

    let locked = admin
        .post(
            &base,
            "/settings",
            &[
                ("group", "radarr"),
                ("intent", "save"),
                ("radarr_url", "http://elsewhere:1"),
            ],
        )
        .await;
    assert_eq!(locked.status(), 403);

    // Test with the environment's values: the fake's profiles become choices.
    let tested = admin
        .post(
            &base,
            "/settings",
            &[("group", "radarr"), ("intent", "test")],
        )
        .await;
    assert_eq!(tested.status(), 200);
    let html = tested.text().await.expect("body");
    assert!(html.contains("Connection works."), "{html}");
    assert!(html.contains(r#"<option value="HD-1080p">"#), "{html}");

    let saved = admin
        .post(
            &base,
            "/settings",
            &[
                ("group", "tmdb"),
                ("intent", "save"),
                ("tmdb_api_key", TMDB_KEY),
                ("tmdb_api_url", "http://127.0.0.1:9"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let html = admin
        .get(&base, "/settings?saved=2")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("waiting for a restart") && !html.contains(TMDB_KEY));

    let audit = admin
        .get(&base, "/audit?target=setting")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        audit.contains("setting:tmdb_api_key") && audit.contains("not set → set"),
        "{audit}"
    );
    assert!(audit.contains(&format!(r#"href="/users/{}">Adm<"#, admin.user.id)));
    assert!(!audit.contains(TMDB_KEY));
    let csv = admin.get(&base, "/audit.csv?action=setting_changed").await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.expect("csv");
    assert_eq!(csv.lines().count(), 3, "header and two changes: {csv}");
    assert!(!csv.contains(TMDB_KEY));

    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("metrics");
    let text = metrics.text().await.expect("body");
    assert!(
        text.contains(r#"usher_upstream_request_duration_seconds_count{upstream="radarr"}"#),
        "the Test call was timed: {text}"
    );

    assert!(server.stop().await.success());
    let restarted = Server::start(&dir, &env).await;
    assert!(
        !not_configured(&restarted).contains("TMDB"),
        "the saved TMDB key applies after a restart: {:?}",
        restarted.printed
    );
    let html = admin
        .get(&restarted.base_url, "/settings")
        .await
        .text()
        .await
        .expect("body");
    assert!(!html.contains("waiting for a restart"));
    assert!(html.contains("saved here"));
    assert!(restarted.stop().await.success());
}

#[tokio::test]
async fn metrics_are_open_to_loopback_or_the_token_and_follow_the_database() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let answer = reqwest::get(format!("{}/metrics", server.base_url))
        .await
        .expect("metrics");
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain; version=0.0.4")
    );
    let before = answer.text().await.expect("body");
    assert!(
        before.contains(r#"usher_requests{status="pending"} 0"#),
        "{before}"
    );
    assert!(before.contains(r#"usher_outbox_queue_depth{topic="submit"} 0"#));

    let services = console_session::services(&dir).await;
    let member = services
        .users
        .resolve(
            usher_core::domain::Platform::Telegram,
            "5200",
            "m",
            usher_core::service::Registration::AutoRegister("member"),
        )
        .await
        .expect("user");
    let actor = Actor::user(
        member.id,
        Source::Telegram {
            user: "5200".into(),
        },
    );
    let new = NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(603).expect("id"),
            tvdb_id: None,
            title: "The Matrix".into(),
            year: Some(1999),
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    };
    services
        .requests
        .create(&actor, new)
        .await
        .expect("request");
    let after = reqwest::get(format!("{}/metrics", server.base_url))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(
        after.contains(r#"usher_requests{status="pending"} 1"#),
        "{after}"
    );
    services.db.close().await;
    assert!(server.stop().await.success());

    let (_keep2, dir2) = temp_dir();
    let closed = Server::start(
        &dir2,
        &[
            ("USHER_METRICS_ALLOW", "192.0.2.0/24"),
            ("USHER_METRICS_TOKEN", "e2e-metrics-token"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let url = format!("{}/metrics", closed.base_url);
    assert_eq!(client.get(&url).send().await.expect("get").status(), 403);
    let wrong = client
        .get(&url)
        .bearer_auth("e2e-metrics-tokeN")
        .send()
        .await
        .expect("get");
    assert_eq!(wrong.status(), 403);
    let right = client
        .get(&url)
        .bearer_auth("e2e-metrics-token")
        .send()
        .await
        .expect("get");
    assert_eq!(right.status(), 200);
    assert!(closed.stop().await.success());
}
