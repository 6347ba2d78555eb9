//! OIDC sign-in through the binary against a real provider (npm `oidc-provider` on loopback):
//! the code flow with PKCE lands on the dashboard signed in, groups become roles, outsiders are
//! refused and nothing is created for them, a reused, tampered or carried-off `state` is
//! refused, the provider's "cancel" gets a friendly page, a provider that is down at start does
//! not stop Usher, and an issuer that does not match exactly is refused.

use std::path::Path;

use serde_json::json;
use sqlx::Connection;

use crate::support::oidc::{
    AtTheProvider, Browser, CLIENT_SECRET, Idp, IdpSetup, body_of, free_port,
};
use crate::support::{Server, temp_dir};

/// Starts `usher serve` on a known port (the provider must know our callback first).
async fn usher(dir: &Path, port: u16, issuer: &str, extra: &[(&str, &str)]) -> Server {
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://127.0.0.1:{port}");
    let mut env = vec![
        ("USHER_LISTEN", listen.as_str()),
        ("USHER_PUBLIC_URL", public.as_str()),
        ("USHER_OIDC_ISSUER", issuer),
        ("USHER_OIDC_CLIENT_ID", "usher"),
        ("USHER_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("USHER_SIGN_IN_PER_MINUTE", "1000"),
    ];
    env.extend_from_slice(extra);
    let server = Server::start(dir, &env).await;
    assert_eq!(server.base_url, public);
    server
}

fn callback(port: u16) -> String {
    format!("http://127.0.0.1:{port}/auth/oidc/callback")
}

/// `(external_id, roles)` of every OIDC identity in the instance's SQLite database.
async fn oidc_users(dir: &Path) -> Vec<(String, String)> {
    let url = format!("sqlite://{}?mode=ro", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    sqlx::query_as(
        "SELECT i.external_id, COALESCE((SELECT GROUP_CONCAT(name) FROM (
             SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
             WHERE ur.user_id = i.user_id ORDER BY r.id)), '')
         FROM identities i WHERE i.platform = 'oidc' ORDER BY i.external_id",
    )
    .fetch_all(&mut conn)
    .await
    .expect("query")
}

fn set_cookie<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

#[tokio::test]
async fn oidc_sign_in_maps_groups_to_roles_and_refuses_what_it_must() {
    let port = free_port();
    let idp = Idp::start(IdpSetup {
        port: 0,
        redirect_uris: &[callback(port)],
        groups: json!({ "alice": ["usher-admins"], "bob": ["family"], "carol": ["neighbours"] }),
        claims_in_id_token: false,
    })
    .await;
    let (_keep, dir) = temp_dir();
    let extra = [
        ("USHER_OIDC_ADMIN_GROUPS", "usher-admins"),
        ("USHER_OIDC_MEMBER_GROUPS", "family"),
    ];
    let server = usher(&dir, port, &idp.issuer, &extra).await;
    let usher = server.base_url.clone();

    let mut alice = Browser::new();
    let login_page = body_of(alice.get(&format!("{usher}/login?next=/x")).await).await;
    assert!(
        login_page.contains("Sign in with 127.0.0.1"),
        "{login_page}"
    );

    // Alice (admin group; groups come from userinfo here) lands where she was going.
    let callback_url = alice
        .through_provider(&usher, "/?from=oidc", AtTheProvider::SignIn("alice"))
        .await;
    assert!(callback_url.contains("code=") && callback_url.contains("state="));
    let bound = alice
        .cookie(&usher, "usher_oidc")
        .expect("the login bound the flow to this browser");
    let done = alice.get(&callback_url).await;
    assert_eq!(done.status(), 303, "{}", body_of(done).await);
    assert_eq!(done.headers()["location"], "/?from=oidc");
    let session = set_cookie(&done, "usher_session").to_owned();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(session.contains(flag), "{flag} missing: {session}");
    }
    assert!(!session.contains("Secure"), "no Secure over plain http");
    assert!(set_cookie(&done, "usher_oidc").contains("Max-Age=0"));
    let dashboard = alice.get(&format!("{usher}/")).await;
    assert_eq!(dashboard.status(), 200);
    let html = body_of(dashboard).await;
    assert!(html.contains("Welcome, Alice Tester."), "{html}");
    assert!(
        html.contains("href=\"/users\""),
        "admins see the admin menu"
    );

    // The same callback again, even with the binding cookie put back: the state is spent.
    alice.set_cookie(&usher, "usher_oidc", &bound);
    let replay = alice.get(&callback_url).await;
    assert_eq!(replay.status(), 400);
    let text = body_of(replay).await;
    assert!(text.contains("expired or was already used"), "{text}");

    // Bob (member group) is a member: no approver or admin menu.
    let mut bob = Browser::new();
    let done = bob.sign_in(&usher, "bob", "/").await;
    assert_eq!(done.status(), 303, "{}", body_of(done).await);
    let html = body_of(bob.get(&format!("{usher}/")).await).await;
    assert!(html.contains("Welcome, Bob Tester."), "{html}");
    assert!(!html.contains("href=\"/users\"") && !html.contains("href=\"/requests\""));

    // A tampered state is refused, and so is an `iss` that is not our provider.
    let mut mallory = Browser::new();
    let real = mallory
        .through_provider(&usher, "/", AtTheProvider::SignIn("bob"))
        .await;
    let tampered = real.replace("state=", "state=x");
    let refused = mallory.get(&tampered).await;
    assert_eq!(refused.status(), 400, "{}", body_of(refused).await);
    let real = mallory
        .through_provider(&usher, "/", AtTheProvider::SignIn("bob"))
        .await;
    let state = url::Url::parse(&real)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state");
    let mixed_up = format!(
        "{}?code=abc&state={state}&iss=http%3A%2F%2Fevil.example",
        callback(port)
    );
    let refused = mallory.get(&mixed_up).await;
    assert_eq!(refused.status(), 400, "{}", body_of(refused).await);

    // A callback carried to another browser (login CSRF) is refused there.
    let carried = mallory
        .through_provider(&usher, "/", AtTheProvider::SignIn("bob"))
        .await;
    let mut victim = Browser::new();
    let refused = victim.get(&carried).await;
    assert_eq!(refused.status(), 400);
    assert!(victim.cookie(&usher, "usher_session").is_none());

    // Carol is in no allowed group: refused with a clear page, and no account is made.
    let mut carol = Browser::new();
    let refused = carol.sign_in(&usher, "carol", "/").await;
    assert_eq!(refused.status(), 403);
    let text = body_of(refused).await;
    assert!(text.contains("not in a group that may use Usher"), "{text}");
    assert!(carol.cookie(&usher, "usher_session").is_none());

    // Cancelling at the provider brings a friendly page, in German for a German browser.
    let mut dora = Browser::new();
    let cancelled = dora
        .through_provider(&usher, "/", AtTheProvider::Abort)
        .await;
    assert!(cancelled.contains("error=access_denied"), "{cancelled}");
    let page = reqwest::Client::new()
        .get(&cancelled)
        .header("accept-language", "de-DE,de;q=0.9")
        .header(
            "cookie",
            format!(
                "usher_oidc={}",
                dora.cookie(&usher, "usher_oidc").expect("bound")
            ),
        )
        .send()
        .await
        .expect("callback");
    assert_eq!(page.status(), 403);
    let text = body_of(page).await;
    assert!(text.contains("wurde abgebrochen"), "{text}");

    let issuer = &idp.issuer;
    assert_eq!(
        oidc_users(&dir).await,
        [
            (format!("{issuer}|alice"), "member,admin".to_owned()),
            (format!("{issuer}|bob"), "member".to_owned()),
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn oidc_provider_down_at_start_is_retried_and_a_wrong_issuer_is_refused() {
    let (idp_port, port, wrong_port) = (free_port(), free_port(), free_port());
    let issuer = format!("http://127.0.0.1:{idp_port}");
    let (_keep, dir) = temp_dir();
    let extra = [("USHER_OIDC_ADMIN_GROUPS", "usher-admins")];
    // Nothing listens at the issuer yet: Usher starts all the same.
    let server = usher(&dir, port, &issuer, &extra).await;
    let usher = server.base_url.clone();
    assert_eq!(server.get("/readyz").await.status(), 200);
    let mut erin = Browser::new();
    let down = erin.get(&format!("{usher}/auth/oidc/login?next=/")).await;
    assert_eq!(down.status(), 503);
    let text = body_of(down).await;
    assert!(
        text.contains("cannot be reached") && text.contains("Operation id"),
        "{text}"
    );

    // The provider comes up (with groups in the ID token this time); the next sign-in works.
    let _idp = Idp::start(IdpSetup {
        port: idp_port,
        redirect_uris: &[callback(port), callback(wrong_port)],
        groups: json!({ "erin": ["usher-admins"] }),
        claims_in_id_token: true,
    })
    .await;
    let done = erin.sign_in(&usher, "erin", "/").await;
    assert_eq!(done.status(), 303, "{}", body_of(done).await);
    let html = body_of(erin.get(&format!("{usher}/")).await).await;
    assert!(
        html.contains("Welcome, Erin Tester.") && html.contains("href=\"/users\""),
        "{html}"
    );
    let mut frank = Browser::new();
    let done = frank.sign_in(&usher, "frank", "/").await;
    assert_eq!(
        done.status(),
        303,
        "no member groups: anyone the provider signs in may"
    );
    assert_eq!(
        oidc_users(&dir).await,
        [
            (format!("{issuer}|erin"), "member,admin".to_owned()),
            (format!("{issuer}|frank"), "member".to_owned()),
        ]
    );

    // The issuer must match exactly: with a trailing slash the provider's documents do not.
    let (_keep_wrong, wrong_dir) = temp_dir();
    let wrong = self::usher(&wrong_dir, wrong_port, &format!("{issuer}/"), &extra).await;
    let mut gina = Browser::new();
    let refused = gina
        .get(&format!("{}/auth/oidc/login?next=/", wrong.base_url))
        .await;
    assert_eq!(refused.status(), 503);
    let text = body_of(refused).await;
    assert!(text.contains("USHER_OIDC_ISSUER"), "{text}");
    assert!(gina.cookie(&wrong.base_url, "usher_session").is_none());
    assert!(oidc_users(&wrong_dir).await.is_empty());
    wrong.stop().await;
    server.stop().await;
}
