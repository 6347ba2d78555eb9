//! The webhook routes over HTTP: token from header or query, 401/400/413, text/plain Jellyfin
//! bodies, Plex multipart with a large thumbnail, replays.

use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::watch;
use usher_core::config::HttpServerSettings;
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::store::{ConnectOptions, Db};
use usher_core::webhooks::Webhooks;

use crate::{AppState, WebParts};

const TOKEN: &str = "web-hook-secret";

/// A server that answers as a starting app does until [`App::enable`] puts the built app in.
struct App {
    url: String,
    routes: watch::Sender<axum::Router>,
    db: Db,
    _dir: tempfile::TempDir,
}

async fn app() -> App {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (routes, serving) = watch::channel(crate::starting_router("http://localhost"));
    tokio::spawn(crate::serve_routes(
        listener,
        serving,
        HttpServerSettings::default(),
        std::future::pending(),
    ));
    App {
        url,
        routes,
        db,
        _dir: dir,
    }
}

impl App {
    fn enable(&self) {
        let state = AppState::new(WebParts {
            webhooks: Webhooks::new(
                self.db.clone(),
                SecretString::from(TOKEN),
                MediaServers::default(),
            ),
            ..WebParts::for_tests(&self.db, "http://localhost")
        });
        let _starting = self.routes.send_replace(crate::router(state));
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.header("x-usher-token", token);
        }
        let answer = request.send().await.expect("send");
        let status = answer.status().as_u16();
        (status, answer.text().await.unwrap_or_default())
    }
}

fn radarr_test() -> Vec<u8> {
    br#"{"eventType":"Test","instanceName":"Radarr","applicationUrl":"","movie":{"id":1,"title":"Test Title","tmdbId":0}}"#.to_vec()
}

fn multipart(parts: &[(&str, &str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "usher-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, content_type, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn hooks_answer_503_while_starting_then_check_the_token() {
    let app = app().await;
    let (status, _) = app.post("/hooks/radarr", Some(TOKEN), radarr_test()).await;
    assert_eq!(status, 503);
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", app.url)).send();
    let alive = get("/healthz").await.expect("healthz");
    assert_eq!(alive.status(), 200, "alive while starting");
    assert!(alive.headers().contains_key("content-security-policy"));
    let ready = get("/readyz").await.expect("readyz");
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.expect("body"), "starting");
    app.enable();
    assert_eq!(get("/readyz").await.expect("readyz").status(), 200);
    let (status, body) = app.post("/hooks/radarr", Some(TOKEN), radarr_test()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("ignored"), "{body}");
    for token in [None, Some("wrong")] {
        let (status, _) = app.post("/hooks/sonarr", token, radarr_test()).await;
        assert_eq!(status, 401);
    }
    let (status, _) = app
        .post(&format!("/hooks/radarr?token={TOKEN}"), None, radarr_test())
        .await;
    assert_eq!(status, 200, "the token may come in the query");
    let (status, _) = app
        .post("/hooks/radarr?token=nope", None, radarr_test())
        .await;
    assert_eq!(status, 401);
}

/// Security alerts queued so far (the `notify` rows the fan-out has not expanded yet).
async fn alerts(db: &Db) -> Vec<String> {
    usher_core::store::outbox::pending(db, "notify")
        .await
        .expect("outbox")
        .into_iter()
        .map(|row| row.payload)
        .filter(|payload| payload.contains("security_alert"))
        .collect()
}

#[tokio::test]
async fn repeated_bad_tokens_raise_one_security_alert_without_the_token() {
    let app = app().await;
    app.enable();
    for _ in 0..2 {
        let (status, _) = app
            .post("/hooks/radarr", Some("guess-1"), radarr_test())
            .await;
        assert_eq!(status, 401);
    }
    assert!(
        alerts(&app.db).await.is_empty(),
        "two misses are not yet an alert"
    );
    for _ in 0..4 {
        let (status, _) = app
            .post("/hooks/radarr?token=guess-2", None, radarr_test())
            .await;
        assert_eq!(status, 401, "refused the same, alert or not");
    }
    let queued = alerts(&app.db).await;
    assert_eq!(queued.len(), 1, "one alert for the window: {queued:?}");
    let alert = &queued[0];
    assert!(alert.contains("\"kind\":\"bad_signature\""), "{alert}");
    assert!(alert.contains("\"endpoint\":\"radarr\""), "{alert}");
    assert!(alert.contains("127.0.0.1"), "names the address: {alert}");
    assert!(
        !alert.contains("guess-") && !alert.contains(TOKEN),
        "{alert}"
    );
    let (status, _) = app.post("/hooks/radarr", Some(TOKEN), radarr_test()).await;
    assert_eq!(status, 200, "the right token still works");
}

#[tokio::test]
async fn malformed_is_400_and_oversize_is_413() {
    let app = app().await;
    app.enable();
    let (status, _) = app
        .post("/hooks/radarr", Some(TOKEN), b"{nope".to_vec())
        .await;
    assert_eq!(status, 400);
    let huge = vec![b' '; usher_core::webhooks::MAX_BODY_BYTES + 1];
    let (status, _) = app.post("/hooks/jellyfin", Some(TOKEN), huge).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn jellyfin_plain_text_bodies_are_read_and_replays_recognised() {
    let app = app().await;
    app.enable();
    let body = br#"{"NotificationType":"ItemAdded","ItemId":"a852a27afe324084ae66db579ee3ee18","ItemType":"Movie","Provider_tmdb":"438631"}"#;
    let send = || {
        reqwest::Client::new()
            .post(format!("{}/hooks/jellyfin", app.url))
            .header("content-type", "text/plain; charset=utf-8")
            .header("x-usher-token", TOKEN)
            .body(body.to_vec())
            .send()
    };
    let first = send().await.expect("first");
    assert_eq!(first.status().as_u16(), 200);
    assert!(first.text().await.unwrap_or_default().contains("applied"));
    let second = send().await.expect("second");
    assert!(second.text().await.unwrap_or_default().contains("replayed"));
}

#[tokio::test]
async fn plex_multipart_keeps_the_payload_and_drops_the_thumbnail() {
    let app = app().await;
    app.enable();
    let payload = br#"{"event":"library.new","Server":{"uuid":"s1"},"Metadata":{"ratingKey":"9","type":"movie","Guid":[{"id":"tmdb://603"}]}}"#.to_vec();
    let thumb = vec![0xFFu8; 3 * 1024 * 1024];
    let send = |token: &str, parts: Vec<(&str, &str, Vec<u8>)>| {
        let (content_type, body) = multipart(&parts);
        reqwest::Client::new()
            .post(format!("{}/hooks/plex?token={token}", app.url))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let ok = send(
        TOKEN,
        vec![
            ("payload", "application/json", payload.clone()),
            ("thumb", "image/jpeg", thumb.clone()),
        ],
    )
    .await
    .expect("send");
    assert_eq!(ok.status().as_u16(), 200);
    assert!(ok.text().await.unwrap_or_default().contains("applied"));
    let wrong = send(
        "wrong",
        vec![("payload", "application/json", payload.clone())],
    )
    .await
    .expect("send");
    assert_eq!(wrong.status().as_u16(), 401);
    let no_payload = send(TOKEN, vec![("thumb", "image/jpeg", thumb)])
        .await
        .expect("send");
    assert_eq!(no_payload.status().as_u16(), 400);
    let big = vec![b' '; usher_core::webhooks::MAX_BODY_BYTES + 1];
    let too_big = send(TOKEN, vec![("payload", "application/json", big)])
        .await
        .expect("send");
    assert_eq!(too_big.status().as_u16(), 413);
    let (status, _) = app.post("/hooks/plex", Some(TOKEN), payload).await;
    assert_eq!(status, 400, "Plex posts multipart");
}
