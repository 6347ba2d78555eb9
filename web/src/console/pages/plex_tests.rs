//! Sign in with Plex over HTTP against the testkit's fake plex.tv, on SQLite and PostgreSQL:
//! linking then signing in, an unlinked account refused, the waiting page, a PIN finished from
//! another browser, plex.tv down or refusing its token, and the token nowhere afterwards.

use std::collections::HashMap;

use usher_core::domain::{AuditAction, Platform, User};
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::plex_tv::{PlexTvClient, PlexTvOptions};
use usher_core::service::sessions::ClientInfo;
use usher_core::service::{PlexSignIn, Registration, Services};
use usher_core::store::Db;
use usher_testkit::{FakePlexTv, PlexTvUser};

use crate::console::test_app::TestDb;
use crate::console::{Console, ConsoleOptions};
use crate::{AppState, WebParts};

const PUBLIC_URL: &str = "http://localhost:8080";

struct App {
    url: String,
    services: Services,
    state: AppState,
    plex: FakePlexTv,
    store: TestDb,
}

async fn app(store: TestDb) -> App {
    let plex = FakePlexTv::start().await;
    let db: &Db = &store.db;
    let options = PlexTvOptions {
        tv_url: plex.server.url.clone(),
        app_url: format!("{}/app", plex.server.url),
        client_id: "usher-test-install".into(),
    };
    let client = PlexTvClient::new(&options, &HttpSettings::default()).expect("client");
    let parts = WebParts::for_tests(db, PUBLIC_URL);
    let sign_in = PlexSignIn::new(
        db.clone(),
        client,
        parts.services.sessions.clone(),
        parts.services.users.clone(),
    );
    let console = Console::new(ConsoleOptions {
        plex: Some(sign_in),
        ..ConsoleOptions::for_tests(PUBLIC_URL)
    });
    let state = AppState::new(WebParts { console, ..parts });
    let services = state.services().clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(crate::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    App {
        url,
        services,
        state,
        plex,
        store,
    }
}

/// A browser: its cookie jar (by name; paths are ignored, every cookie is sent).
struct Browser {
    base: String,
    cookies: HashMap<String, String>,
}

/// An answer, read.
struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Browser {
    fn new(app: &App) -> Self {
        Self {
            base: app.url.clone(),
            cookies: HashMap::new(),
        }
    }

    /// A browser signed in as `user` (a console session with a CSRF cookie).
    async fn signed_in(app: &App, user: &User) -> Self {
        let session = app
            .services
            .sessions
            .start(user.id, "passkey", &ClientInfo::default())
            .await
            .expect("session");
        let console = app.state.console();
        let cookie = console.sessions.cookie(&session);
        let mut browser = Self::new(app);
        browser.set(cookie.name(), cookie.value());
        browser.set("usher_csrf", &console.csrf.mint());
        browser
    }

    fn set(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let response = request
            .header("cookie", self.cookie_header())
            .header("accept-language", "en-US")
            .send()
            .await
            .expect("send");
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("ascii cookie");
            let pair = text.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').expect("name=value");
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.set(name, value);
            }
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        Answer {
            status,
            location,
            body,
        }
    }

    fn http() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    async fn get(&mut self, path: &str) -> Answer {
        let request = Self::http().get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str) -> Answer {
        let csrf = self.cookies.get("usher_csrf").cloned().unwrap_or_default();
        let request = Self::http()
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={csrf}"));
        self.send(request).await
    }
}

/// The PIN code in the Plex app URL we were sent to.
fn code_in(location: &str) -> String {
    let (_, fragment) = location.split_once("#?").expect("app URL with a fragment");
    url::form_urlencoded::parse(fragment.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("code")
}

async fn member(app: &App, telegram_id: &str, name: &str) -> User {
    app.services
        .users
        .resolve(
            Platform::Telegram,
            telegram_id,
            name,
            Registration::AutoRegister("member"),
        )
        .await
        .expect("user")
}

/// Links Plex account `plex` to `user` through the account page.
async fn link(app: &App, user: &User, plex: &PlexTvUser) -> String {
    let mut browser = Browser::signed_in(app, user).await;
    let started = browser.post("/account/plex/link").await;
    assert_eq!(started.status, 303, "{}", started.body);
    assert!(
        started
            .location
            .starts_with(&format!("{}/app/auth#?", app.plex.server.url))
    );
    assert!(
        started
            .location
            .contains("forwardUrl=http%3A%2F%2Flocalhost%3A8080%2Fauth%2Fplex%2Flink%2Fcallback")
    );
    let token = app
        .plex
        .approve(&code_in(&started.location), plex)
        .expect("known code");
    let done = browser.get("/auth/plex/link/callback").await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location, "/account?done=plex");
    let page = browser.get("/account?done=plex").await;
    assert!(page.body.contains("Plex account linked."), "{}", page.body);
    assert!(page.body.contains(&plex.username));
    token
}

/// Starts a sign-in in `browser`; returns the PIN code.
async fn start_sign_in(browser: &mut Browser) -> String {
    let started = browser.get("/auth/plex/login?next=/requests").await;
    assert_eq!(started.status, 303, "{}", started.body);
    assert!(browser.cookies.contains_key("usher_plex"));
    assert!(
        started
            .location
            .contains("forwardUrl=http%3A%2F%2Flocalhost%3A8080%2Fauth%2Fplex%2Fcallback")
    );
    code_in(&started.location)
}

/// How many rows a table holds.
async fn count(app: &App, table: &str) -> i64 {
    app.store.count(table).await
}

async fn link_then_sign_in_body(store: TestDb) {
    let app = app(store).await;
    let ada = member(&app, "100", "Ada").await;
    let plex_ada = PlexTvUser::new(5_551_234, "ada_plex");
    let link_token = link(&app, &ada, &plex_ada).await;

    let mut browser = Browser::new(&app);
    let login = browser.get("/login").await;
    assert!(login.body.contains("Sign in with Plex"), "{}", login.body);
    let code = start_sign_in(&mut browser).await;
    let sign_in_token = app.plex.approve(&code, &plex_ada).expect("code");
    let done = browser.get("/auth/plex/callback").await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location, "/requests");
    assert!(browser.cookies.contains_key("usher_session"));
    assert!(!browser.cookies.contains_key("usher_plex"), "single use");
    let account = browser.get("/account").await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("Ada"), "signed in as Ada");

    // The same ceremony cannot be finished twice.
    browser.set("usher_plex", "replayed");
    let again = browser.get("/auth/plex/callback").await;
    assert_eq!(again.status, 400);

    // plex.tv was told who we are on every call, and the token went only to /user.
    for call in app.plex.server.received() {
        assert_eq!(
            call.header("x-plex-product"),
            Some("Usher"),
            "{}",
            call.path
        );
        assert_eq!(
            call.header("x-plex-client-identifier"),
            Some("usher-test-install")
        );
        assert_eq!(
            call.header("x-plex-token").is_some(),
            call.path == "/api/v2/user"
        );
    }
    let audit = app.store.texts("SELECT action FROM audit_log").await;
    assert!(audit.contains(&AuditAction::IdentityLinked.as_str().to_owned()));
    for token in [link_token, sign_in_token] {
        app.store.assert_absent(&token).await;
        assert!(!done.body.contains(&token) && !account.body.contains(&token));
    }
    app.store.cleanup().await;
}

async fn unlinked_account_is_refused_body(store: TestDb) {
    let app = app(store).await;
    member(&app, "100", "Ada").await;
    let (users, identities) = (count(&app, "users").await, count(&app, "identities").await);
    let mut browser = Browser::new(&app);
    let code = start_sign_in(&mut browser).await;
    let stranger = PlexTvUser::new(9_990_001, "stranger");
    let token = app.plex.approve(&code, &stranger).expect("code");
    let refused = browser.get("/auth/plex/callback").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("not linked to any user here"),
        "{}",
        refused.body
    );
    assert!(!browser.cookies.contains_key("usher_session"));
    assert_eq!(count(&app, "users").await, users, "nobody created");
    assert_eq!(count(&app, "identities").await, identities);
    assert_eq!(count(&app, "sessions").await, 0);
    let audit = app.store.texts("SELECT action FROM audit_log").await;
    assert!(
        audit.contains(&AuditAction::SignInRefused.as_str().to_owned()),
        "{audit:?}"
    );
    let details = app
        .store
        .texts("SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'sign_in_refused'")
        .await;
    assert!(
        details.concat().contains("stranger"),
        "names the Plex account: {details:?}"
    );
    app.store.assert_absent(&token).await;
    assert!(!refused.body.contains(&token));
    app.store.cleanup().await;
}

async fn waiting_and_other_browsers_body(store: TestDb) {
    let app = app(store).await;
    let ada = member(&app, "100", "Ada").await;
    let plex_ada = PlexTvUser::new(5_551_234, "ada_plex");
    link(&app, &ada, &plex_ada).await;

    let pin_calls = |app: &App| {
        app.plex
            .server
            .received()
            .iter()
            .filter(|r| r.path.starts_with("/api/v2/pins/"))
            .count()
    };
    let asked_before = pin_calls(&app);
    let mut browser = Browser::new(&app);
    let code = start_sign_in(&mut browser).await;
    let first = browser.cookies.get("usher_plex").cloned().expect("cookie");
    let waiting = browser.get("/auth/plex/callback").await;
    assert_eq!(waiting.status, 200, "{}", waiting.body);
    assert!(
        waiting.body.contains("Waiting for Plex"),
        "{}",
        waiting.body
    );
    assert!(waiting.body.contains("href=\"/auth/plex/callback\""));
    assert!(!waiting.body.contains("<script>"), "no inline script");
    let second = browser
        .cookies
        .get("usher_plex")
        .cloned()
        .expect("kept again");
    assert_ne!(first, second, "a new id for the kept PIN");
    assert_eq!(pin_calls(&app), asked_before + 1, "asked once, no polling");

    app.plex.approve(&code, &plex_ada).expect("code");
    // Another browser: no cookie, or a forged one, or the first (already used) id.
    for cookie in [None, Some("forged-value"), Some(first.as_str())] {
        let mut other = Browser::new(&app);
        if let Some(value) = cookie {
            other.set("usher_plex", value);
        }
        let refused = other.get("/auth/plex/callback").await;
        assert_eq!(refused.status, 400, "{cookie:?}: {}", refused.body);
        assert!(refused.body.contains("started in another browser"));
        assert!(!other.cookies.contains_key("usher_session"));
    }
    assert_eq!(count(&app, "sessions").await, 1, "only the linking session");
    // The browser that started it still can.
    let done = browser.get("/auth/plex/callback").await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(browser.cookies.contains_key("usher_session"));
    app.store.cleanup().await;
}

async fn plex_tv_failing_body(store: TestDb) {
    let app = app(store).await;
    let ada = member(&app, "100", "Ada").await;
    let plex_ada = PlexTvUser::new(5_551_234, "ada_plex");
    link(&app, &ada, &plex_ada).await;

    app.plex.server.faults.go_down();
    let mut browser = Browser::new(&app);
    let down = browser.get("/auth/plex/login").await;
    assert_eq!(down.status, 503, "{}", down.body);
    assert!(
        down.body.contains("plex.tv cannot be reached"),
        "{}",
        down.body
    );
    assert!(down.body.contains("Operation id: "));

    app.plex.server.faults.recover();
    let code = start_sign_in(&mut browser).await;
    let token = app.plex.approve(&code, &plex_ada).expect("code");
    app.plex.server.faults.go_down();
    let down = browser.get("/auth/plex/callback").await;
    assert_eq!(down.status, 503, "{}", down.body);

    app.plex.server.faults.recover();
    let code = start_sign_in(&mut browser).await;
    let token_2 = app.plex.approve(&code, &plex_ada).expect("code");
    app.plex.refuse_tokens();
    let refused = browser.get("/auth/plex/callback").await;
    assert_eq!(refused.status, 502, "{}", refused.body);
    assert!(refused.body.contains("did not confirm"), "{}", refused.body);
    assert!(!browser.cookies.contains_key("usher_session"));
    assert_eq!(count(&app, "sessions").await, 1, "only the linking session");
    for token in [token, token_2] {
        app.store.assert_absent(&token).await;
        assert!(!refused.body.contains(&token));
    }
    app.store.cleanup().await;
}

async fn linking_is_the_owners_body(store: TestDb) {
    let app = app(store).await;
    let ada = member(&app, "100", "Ada").await;
    let bob = member(&app, "200", "Bob").await;
    let plex_ada = PlexTvUser::new(5_551_234, "ada_plex");
    link(&app, &ada, &plex_ada).await;
    // Bob cannot take Ada's Plex account.
    let mut bob_browser = Browser::signed_in(&app, &bob).await;
    let started = bob_browser.post("/account/plex/link").await;
    app.plex.approve(&code_in(&started.location), &plex_ada);
    let taken = bob_browser.get("/auth/plex/link/callback").await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert!(taken.body.contains("already linked to another user"));
    // Nor finish a link Ada started: her ceremony id in his browser is nothing.
    let mut ada_browser = Browser::signed_in(&app, &ada).await;
    let started = ada_browser.post("/account/plex/link").await;
    let stolen = ada_browser
        .cookies
        .get("usher_plex")
        .cloned()
        .expect("cookie");
    app.plex
        .approve(&code_in(&started.location), &PlexTvUser::new(77, "other"));
    bob_browser.set("usher_plex", &stolen);
    let refused = bob_browser.get("/auth/plex/link/callback").await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let (_, bobs) = app.services.users.get(bob.id).await.expect("bob");
    assert!(
        bobs.iter().all(|i| i.platform != Platform::Plex),
        "{bobs:?}"
    );
    // Starting a link needs the CSRF token like every form.
    let mut forged = Browser::signed_in(&app, &ada).await;
    forged.set("usher_csrf", "forged");
    assert_eq!(forged.post("/account/plex/link").await.status, 403);
    app.store.cleanup().await;
}

macro_rules! on_both_databases {
    ($($name:ident => $body:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $body(TestDb::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                $body(TestDb::postgres().await).await;
            }
        }
    )*};
}

on_both_databases! {
    plex_link_then_sign_in => link_then_sign_in_body,
    plex_unlinked_account_is_refused => unlinked_account_is_refused_body,
    plex_waiting_and_other_browsers => waiting_and_other_browsers_body,
    plex_tv_down_or_refusing => plex_tv_failing_body,
    plex_linking_is_the_owners => linking_is_the_owners_body,
}

#[tokio::test]
async fn plex_is_off_unless_configured() {
    let store = TestDb::sqlite().await;
    let state = AppState::new(WebParts::for_tests(&store.db, PUBLIC_URL));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(crate::serve(listener, state, std::future::pending()));
    let mut browser = Browser {
        base,
        cookies: HashMap::new(),
    };
    let login = browser.get("/login").await;
    assert!(!login.body.contains("/auth/plex/login"), "{}", login.body);
    assert_eq!(browser.get("/auth/plex/login").await.status, 404);
    assert_eq!(browser.get("/auth/plex/callback").await.status, 404);
    store.cleanup().await;
}
