//! Passkeys through the binary in a real browser: Debian's headless Chromium with a CDP virtual
//! authenticator, driven by playwright-core (tests/browser/passkeys.mjs). Setup link → first
//! passkey → signed in → sign out → sign in with the passkey → /account lists it → the setup
//! link answers 404 → the footer's language picker switches the console to French. A browser
//! that cannot be started fails the test; it never passes quietly.

use std::path::Path;
use std::time::Duration;

use crate::support::{Server, node_browser, temp_dir};

/// A port that was free a moment ago: the public URL must name the real port, because WebAuthn
/// checks the exact origin.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn passkey_setup_sign_out_and_sign_in_in_chromium() {
    node_browser::require(&["playwright-core"]);
    let (_keep, dir) = temp_dir();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://localhost:{port}");
    let server = Server::start(
        &dir,
        &[("USHER_LISTEN", &listen), ("USHER_PUBLIC_URL", &public)],
    )
    .await;
    let link = server.setup_link.clone().expect("setup link printed");
    assert!(link.starts_with(&format!("{public}/setup/")), "{link}");
    let request = pending_request(&dir).await;
    // Screenshots of the main pages, kept for review after the run.
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-screenshots");
    std::fs::create_dir_all(&screenshots).expect("screenshot folder");

    let env = [
        ("USHER_URL", public.clone()),
        ("USHER_SETUP_LINK", link.clone()),
        ("USHER_SCREENSHOTS", screenshots.display().to_string()),
    ];
    let limit = Duration::from_secs(120);
    node_browser::run("passkeys.mjs", &env, limit, "passkeys: all steps passed").await;

    // Seen from outside the browser too: the link is spent, and the request was approved from
    // the web by the passkey user, as the audit log records.
    let token_path = link.trim_start_matches(&public);
    assert_eq!(server.get(token_path).await.status(), 404);
    let services = crate::support::console_session::services(&dir).await;
    let trail =
        usher_core::store::audit::for_target(&services.db, &format!("request:{request}"), 10)
            .await
            .expect("audit");
    let approved = trail
        .iter()
        .find(|e| e.action == "request_approved")
        .unwrap_or_else(|| panic!("an approval in {trail:?}"));
    assert_eq!(approved.source, "web");
    assert!(approved.actor.is_some());
    // The footer's picker stored French for the passkey user, as core's audit row says.
    let admin = approved.actor.expect("approver");
    let (user, _) = services.users.get(admin).await.expect("user");
    assert_eq!(user.locale.as_deref(), Some("fr"));
    let chosen = usher_core::store::audit::for_target(&services.db, &format!("user:{admin}"), 20)
        .await
        .expect("audit");
    assert!(
        chosen.iter().any(|e| e.action == "language_chosen"),
        "{chosen:?}"
    );
    services.db.close().await;
    for page in [
        "setup",
        "login",
        "account",
        "requests",
        "dashboard",
        "users",
        "settings",
        "audit",
        "dashboard-fr",
    ] {
        let shot = screenshots.join(format!("{page}.png"));
        assert!(shot.exists(), "screenshot {} saved", shot.display());
    }
    println!("console screenshots: {}", screenshots.display());
    server.stop().await;
}

/// A member's pending request for The Matrix, made in the server's database (as a bot would).
async fn pending_request(dir: &Path) -> usher_core::domain::RequestId {
    use usher_core::domain::{Actor, Media, MediaType, Platform, Source, TmdbId};
    use usher_core::service::{NewRequest, Registration};
    let services = crate::support::console_session::services(dir).await;
    let member = services
        .users
        .resolve(
            Platform::Telegram,
            "5300",
            "Mo",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("member");
    let actor = Actor::user(
        member.id,
        Source::Telegram {
            user: "5300".into(),
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
    let outcome = services
        .requests
        .create(&actor, new)
        .await
        .expect("request");
    services.db.close().await;
    outcome.request.id
}
