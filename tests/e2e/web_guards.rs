//! The web doors' guards through the binary: where a sign-in or a console form may send the
//! browser afterwards (never to another site, whatever a browser would make of `next`), whom
//! `/metrics` believes about the client address, stale or wrapped Discord timestamps, and a
//! console post from an opaque (`null`) origin.

use serde_json::json;
use usher_core::domain::{Actor, Media, MediaType, Source, TmdbId};
use usher_core::service::NewRequest;

use crate::support::console_session::{self, sign_in};
use crate::support::discord::{now, setup};
use crate::support::oidc::{Browser, CLIENT_SECRET, Idp, IdpSetup, body_of, free_port};
use crate::support::{Server, temp_dir};

/// What browsers make of a `Location` is the WHATWG URL parser's reading: tabs and newlines
/// dropped, `\` taken for `/`. Each of these became `//evil.example` or a server error.
const EVIL_NEXTS: [&str; 7] = [
    "/\t/evil.example",
    "/\t\\evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "/\x01",
    "/\x7f",
    "/a\x00b",
];

#[tokio::test]
async fn oidc_sign_in_never_sends_the_browser_to_another_site() {
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}/auth/oidc/callback");
    let idp = Idp::start(IdpSetup {
        port: 0,
        redirect_uris: &[callback],
        groups: json!({ "alice": ["usher-admins"] }),
        claims_in_id_token: false,
    })
    .await;
    let (_keep, dir) = temp_dir();
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://127.0.0.1:{port}");
    let server = Server::start(
        &dir,
        &[
            ("USHER_LISTEN", listen.as_str()),
            ("USHER_PUBLIC_URL", public.as_str()),
            ("USHER_OIDC_ISSUER", idp.issuer.as_str()),
            ("USHER_OIDC_CLIENT_ID", "usher"),
            ("USHER_OIDC_CLIENT_SECRET", CLIENT_SECRET),
            ("USHER_OIDC_ADMIN_GROUPS", "usher-admins"),
            ("USHER_SIGN_IN_PER_MINUTE", "1000"),
        ],
    )
    .await;
    let usher = server.base_url.clone();
    for next in EVIL_NEXTS {
        let mut browser = Browser::new();
        let done = browser.sign_in(&usher, "alice", next).await;
        assert_eq!(done.status(), 303, "{next:?}: {}", body_of(done).await);
        assert_eq!(done.headers()["location"], "/", "{next:?}");
    }
    let mut browser = Browser::new();
    let done = browser
        .sign_in(&usher, "alice", "/requests/../audit?x=1")
        .await;
    assert_eq!(
        done.headers()["location"],
        "/audit?x=1",
        "a local path is kept"
    );
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn console_forms_go_back_only_to_a_local_path() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let services = console_session::services(&dir).await;
    let member = services
        .users
        .resolve(
            usher_core::domain::Platform::Telegram,
            "5300",
            "m",
            usher_core::service::Registration::AutoRegister("member"),
        )
        .await
        .expect("user");
    let actor = Actor::user(
        member.id,
        Source::Telegram {
            user: "5300".into(),
        },
    );
    let mut ids = Vec::new();
    for tmdb in 600..600 + EVIL_NEXTS.len() as i64 {
        let new = NewRequest {
            media: Media {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(tmdb).expect("id"),
                tvdb_id: None,
                title: format!("Film {tmdb}"),
                year: Some(1999),
            },
            seasons: Default::default(),
            future_seasons: false,
            four_k: false,
        };
        let outcome = services
            .requests
            .create(&actor, new)
            .await
            .expect("request");
        ids.push(outcome.request.id);
    }
    services.db.close().await;
    let admin = sign_in(&dir, "5301", "Adm", "admin").await;
    for (id, next) in ids.iter().zip(EVIL_NEXTS) {
        let path = format!("/requests/{}/decline", id.0);
        let done = admin
            .post(&server.base_url, &path, &[("next", next), ("reason", "no")])
            .await;
        assert_eq!(done.status(), 303, "{next:?}");
        assert_eq!(done.headers()["location"], "/?notice=declined", "{next:?}");
    }
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn metrics_believe_forwarding_headers_only_from_trusted_proxies() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let client = reqwest::Client::new();
    let url = format!("{}/metrics", server.base_url);
    let status = |headers: &'static [(&'static str, &'static str)]| {
        let mut request = client.get(&url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        async move { request.send().await.expect("metrics").status() }
    };
    assert_eq!(status(&[]).await, 200, "loopback, nothing forwarded");
    for forwarded in [
        &[("x-real-ip", "8.8.8.8")][..],
        &[("x-forwarded-for", "8.8.8.8")],
        &[("forwarded", "for=8.8.8.8")],
    ] {
        assert_eq!(status(forwarded).await, 403, "{forwarded:?}");
    }
    assert!(server.stop().await.success());

    // Behind a trusted local proxy, the address it names decides.
    let (_keep2, dir2) = temp_dir();
    let proxied = Server::start(&dir2, &[("USHER_TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    let url = format!("{}/metrics", proxied.base_url);
    for (name, value, want) in [
        ("x-real-ip", "8.8.8.8", 403),
        ("forwarded", "for=8.8.8.8", 403),
        ("x-forwarded-for", "8.8.8.8", 403),
        ("x-real-ip", "127.0.0.9", 200),
    ] {
        let got = client
            .get(&url)
            .header(name, value)
            .send()
            .await
            .expect("metrics")
            .status();
        assert_eq!(got, want, "{name}: {value}");
    }
    assert!(proxied.stop().await.success());
}

#[tokio::test]
async fn discord_timestamps_far_from_now_are_refused_without_overflow() {
    let setup = setup().await;
    let ping = serde_json::to_vec(&usher_testkit::discord::ping()).expect("json");
    let now = i64::try_from(now()).expect("now");
    for at in [
        i64::MIN + now,
        i64::MIN,
        i64::MAX,
        now - 301,
        // Well beyond the 300 s window: on a loaded machine the request may reach the server a
        // few seconds after `now` was read, which brings `now + 301` back inside it.
        now + 330,
        -now,
    ] {
        let answer = setup.discord.send_raw(ping.clone(), at, None).await;
        assert_eq!(answer.status(), 401, "signed at {at}");
    }
    let fresh = setup.discord.send_raw(ping, now, None).await;
    assert_eq!(fresh.status(), 200, "the server still answers");
    assert!(setup.server.stop().await.success());
}

#[tokio::test]
async fn a_console_post_from_an_opaque_origin_is_refused() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let session = sign_in(&dir, "5400", "Mem", "member").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let post = |origin: Option<&'static str>| {
        let mut request = client
            .post(format!("{}/logout", server.base_url))
            .header("cookie", &session.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={}", session.csrf));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    let opaque = post(Some("null")).await.expect("post");
    assert_eq!(opaque.status(), 403);
    assert!(
        opaque
            .text()
            .await
            .expect("body")
            .contains("USHER_PUBLIC_URL")
    );
    let same = post(Some("http://localhost:8080")).await.expect("post");
    assert_eq!(
        same.status(),
        303,
        "the same post from our own origin signs out"
    );
    assert!(server.stop().await.success());
}
