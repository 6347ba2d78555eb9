//! The passkey ceremonies over HTTP with a software authenticator (webauthn-authenticator-rs
//! `SoftPasskey`): first admin from the setup link, discoverable sign-in, adding a passkey, and
//! the refusals — wrong origin, replayed finish, forged or expired ceremony, setup token reuse,
//! a member touching someone else's passkeys.

use std::collections::HashMap;

use serde_json::{Value, json};
use tokio::net::TcpListener;
use usher_core::crypto::hash_token;
use usher_core::domain::{Actor, Platform, Source, Timestamp};
use usher_core::service::sessions::ClientInfo;
use usher_core::service::{Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url,
};
use webauthn_rs_proto::AllowCredentials;

use crate::{AppState, WebParts};

const PUBLIC_URL: &str = "http://localhost:8080";

struct App {
    url: String,
    services: Services,
    db: Db,
    state: AppState,
    _dir: tempfile::TempDir,
}

async fn app() -> App {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    let state = AppState::new(WebParts::for_tests(&db, PUBLIC_URL));
    let services = state.services().clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(crate::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    App {
        url,
        services,
        db,
        state,
        _dir: dir,
    }
}

/// A client that keeps cookies and sends the CSRF token like the page script does.
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

impl Browser {
    async fn open(app: &App) -> Self {
        let mut browser = Self {
            base: app.url.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
        };
        let (status, _) = browser.get("/login").await;
        assert_eq!(status, 200);
        assert!(browser.cookies.contains_key("usher_csrf"));
        browser
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("ascii cookie");
            let pair = text.split(';').next().expect("pair");
            let (name, value) = pair.split_once('=').expect("name=value");
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> (u16, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("GET");
        self.keep(&response);
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    async fn post_json(&mut self, path: &str, body: &Value) -> (u16, Value) {
        let csrf = self.cookies.get("usher_csrf").cloned().unwrap_or_default();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("x-csrf-token", csrf)
            .json(body)
            .send()
            .await
            .expect("POST");
        self.keep(&response);
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let csrf = self.cookies.get("usher_csrf").cloned().unwrap_or_default();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("_csrf", &csrf));
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        self.keep(&response);
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if location.is_empty() {
            // A form shown again: the page, to read the message beside the field.
            return (status, response.text().await.expect("body"));
        }
        (status, location)
    }
}

fn origin() -> Url {
    Url::parse(PUBLIC_URL).expect("origin")
}

/// SoftPasskey cannot keep credentials (resident keys); the server only prefers them, so the
/// test authenticator is told not to.
fn for_soft_token(options: &Value) -> CreationChallengeResponse {
    let mut options: CreationChallengeResponse =
        serde_json::from_value(options.clone()).expect("creation options");
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.require_resident_key = false;
        selection.resident_key = None;
    }
    options
}

/// Signs a discoverable sign-in with the soft authenticator: it needs the credential named, and
/// does not send the user handle, which a real passkey returns (it is not signed).
fn sign_with(
    authenticator: &mut SoftPasskey,
    options: &Value,
    credential_id: &[u8],
    handle: &[u8],
    at: Url,
) -> PublicKeyCredential {
    let mut options: RequestChallengeResponse =
        serde_json::from_value(options.clone()).expect("request options");
    assert!(
        options.public_key.allow_credentials.is_empty(),
        "discoverable: no user name, no credential list"
    );
    options.public_key.allow_credentials = vec![AllowCredentials {
        type_: "public-key".into(),
        id: credential_id.to_vec(),
        transports: None,
    }];
    let mut credential = authenticator
        .do_authentication(at, options)
        .expect("soft authenticator signs");
    credential.response.user_handle = Some(handle.to_vec());
    credential
}

/// Starts a discoverable sign-in and has the authenticator answer it with `credential_id`,
/// claiming `handle`, as a browser at `at` would.
async fn answer_sign_in(
    browser: &mut Browser,
    authenticator: &mut SoftPasskey,
    (credential_id, handle): (&[u8], &[u8]),
    at: Url,
) -> PublicKeyCredential {
    let (_, options) = browser
        .post_json("/auth/webauthn/login/start", &json!({}))
        .await;
    sign_with(authenticator, &options, credential_id, handle, at)
}

struct Registered {
    credential_id: Vec<u8>,
    handle: Vec<u8>,
}

fn registered(
    options: &CreationChallengeResponse,
    answer: &RegisterPublicKeyCredential,
) -> Registered {
    Registered {
        credential_id: answer.raw_id.to_vec(),
        handle: options.public_key.user.id.to_vec(),
    }
}

async fn setup_token(services: &Services) -> String {
    let cli = Actor {
        user: None,
        source: Source::Cli,
    };
    let link = services
        .setup
        .issue_link(&cli, PUBLIC_URL)
        .await
        .expect("link");
    link.rsplit('/').next().expect("token").to_owned()
}

/// Runs the first-admin ceremony and returns the registered credential.
async fn first_admin(
    app: &App,
    browser: &mut Browser,
    authenticator: &mut SoftPasskey,
    token: &str,
) -> Registered {
    let (status, options) = browser
        .post_json(
            "/auth/webauthn/register/start",
            &json!({ "setup_token": token, "display_name": "Ada", "name": "Laptop" }),
        )
        .await;
    assert_eq!(status, 200, "{options}");
    let selection = &options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required", "{options}");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    let options = for_soft_token(&options);
    let answer = authenticator
        .do_registration(origin(), options.clone())
        .expect("soft registration");
    let (status, done) = browser
        .post_json(
            "/auth/webauthn/register/finish",
            &json!({ "credential": answer, "setup_token": token }),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/");
    assert!(browser.cookies.contains_key("usher_session"));
    let _ = app;
    registered(&options, &answer)
}

#[tokio::test]
async fn first_admin_signs_up_signs_out_and_signs_in_with_the_passkey() {
    let app = app().await;
    let mut browser = Browser::open(&app).await;
    let mut authenticator = SoftPasskey::new(true);
    let token = setup_token(&app.services).await;

    let (status, page) = browser.get(&format!("/setup/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("passkey-register"), "{page}");
    let key = first_admin(&app, &mut browser, &mut authenticator, &token).await;
    let (status, page) = browser.get("/").await;
    assert_eq!(status, 200);
    assert!(page.contains("Ada"), "{page}");

    // The link is spent: its page says so and a new ceremony is refused.
    let (status, _) = browser.get(&format!("/setup/{token}")).await;
    assert_eq!(status, 404);
    let (status, refused) = browser
        .post_json(
            "/auth/webauthn/register/start",
            &json!({ "setup_token": token, "display_name": "Mallory" }),
        )
        .await;
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .expect("text")
            .contains("setup link")
    );

    let (status, location) = browser.post_form("/logout", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/login"));
    let (status, _) = browser.get("/").await;
    assert_eq!(status, 303, "signed out");

    let (status, options) = browser
        .post_json("/auth/webauthn/login/start", &json!({}))
        .await;
    assert_eq!(status, 200, "{options}");
    assert!(
        options.get("mediation").is_none_or(Value::is_null),
        "{options}"
    );
    let credential = sign_with(
        &mut authenticator,
        &options,
        &key.credential_id,
        &key.handle,
        origin(),
    );
    let finish = json!({ "credential": credential, "next": "/account" });
    let (status, done) = browser
        .post_json("/auth/webauthn/login/finish", &finish)
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/account");
    let (status, page) = browser.get("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Laptop"), "{page}");

    // The same answer again finds no ceremony to finish.
    let (status, replay) = browser
        .post_json("/auth/webauthn/login/finish", &finish)
        .await;
    assert_eq!(status, 400, "{replay}");
    assert!(replay["error"].as_str().expect("text").contains("expired"));

    // A next that leaves the site is not followed.
    let credential = answer_sign_in(
        &mut browser,
        &mut authenticator,
        (&key.credential_id, &key.handle),
        origin(),
    )
    .await;
    let (status, done) = browser
        .post_json(
            "/auth/webauthn/login/finish",
            &json!({ "credential": credential, "next": "//evil.example/" }),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/");

    // Signed in, the admin adds a second passkey with a name.
    let (status, options) = browser
        .post_json(
            "/auth/webauthn/register/start",
            &json!({ "name": "Backup key" }),
        )
        .await;
    assert_eq!(status, 200, "{options}");
    let excluded = options["publicKey"]["excludeCredentials"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(excluded, 1, "the first passkey is excluded: {options}");
    assert_eq!(options["publicKey"]["user"]["id"], json!(b64(&key.handle)));
    let mut second = SoftPasskey::new(true);
    let answer = second
        .do_registration(origin(), for_soft_token(&options))
        .expect("soft registration");
    let (status, done) = browser
        .post_json(
            "/auth/webauthn/register/finish",
            &json!({ "credential": answer }),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/account?done=added");
    let (_, page) = browser.get("/account?done=added").await;
    assert!(
        page.contains("Backup key") && page.contains("Passkey added."),
        "{page}"
    );
}

#[tokio::test]
async fn answers_from_another_origin_forged_or_expired_ceremonies_are_refused() {
    let app = app().await;
    let mut browser = Browser::open(&app).await;
    let mut authenticator = SoftPasskey::new(true);
    let token = setup_token(&app.services).await;

    // Registration made for another origin on the same host: refused, and the ceremony is gone.
    let (_, options) = browser
        .post_json(
            "/auth/webauthn/register/start",
            &json!({ "setup_token": token, "display_name": "Ada" }),
        )
        .await;
    let phished = authenticator
        .do_registration(
            Url::parse("http://localhost:9999").expect("url"),
            for_soft_token(&options),
        )
        .expect("soft registration");
    let body = json!({ "credential": phished, "setup_token": token });
    let (status, refused) = browser
        .post_json("/auth/webauthn/register/finish", &body)
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .expect("text")
            .contains("could not be verified")
    );
    let (status, _) = browser
        .post_json("/auth/webauthn/register/finish", &body)
        .await;
    assert_eq!(status, 400, "replayed");
    assert!(
        app.services.setup.is_valid(&token).await.expect("valid"),
        "token kept"
    );

    // A ceremony finished with another setup token than it was started with.
    let (_, options) = browser
        .post_json(
            "/auth/webauthn/register/start",
            &json!({ "setup_token": token, "display_name": "Ada" }),
        )
        .await;
    let answer = authenticator
        .do_registration(origin(), for_soft_token(&options))
        .expect("soft registration");
    let (status, _) = browser
        .post_json(
            "/auth/webauthn/register/finish",
            &json!({ "credential": answer, "setup_token": "another" }),
        )
        .await;
    assert_eq!(status, 403);

    let key = first_admin(&app, &mut browser, &mut authenticator, &token).await;

    // A sign-in answer made for another origin.
    let phished = answer_sign_in(
        &mut browser,
        &mut authenticator,
        (&key.credential_id, &key.handle),
        Url::parse("http://localhost:9999").expect("url"),
    )
    .await;
    let (status, refused) = browser
        .post_json(
            "/auth/webauthn/login/finish",
            &json!({ "credential": phished }),
        )
        .await;
    assert_eq!(status, 400, "{refused}");

    // A relay that rewrites the origin the browser reported.
    let relayed = answer_sign_in(
        &mut browser,
        &mut authenticator,
        (&key.credential_id, &key.handle),
        origin(),
    )
    .await;
    let relayed = with_origin(&relayed, "https://evil.example");
    let (status, refused) = browser
        .post_json(
            "/auth/webauthn/login/finish",
            &json!({ "credential": relayed }),
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .expect("text")
            .contains("could not be verified")
    );

    // A forged ceremony id, and none at all.
    let credential = answer_sign_in(
        &mut browser,
        &mut authenticator,
        (&key.credential_id, &key.handle),
        origin(),
    )
    .await;
    let body = json!({ "credential": credential });
    browser
        .cookies
        .insert("usher_webauthn".into(), "forged-ceremony-id".into());
    let (status, refused) = browser
        .post_json("/auth/webauthn/login/finish", &body)
        .await;
    assert_eq!(status, 400, "{refused}");
    browser.cookies.remove("usher_webauthn");
    let (status, _) = browser
        .post_json("/auth/webauthn/login/finish", &body)
        .await;
    assert_eq!(status, 400);

    // An expired ceremony.
    let expired_id = "expired-ceremony-id";
    let past = Timestamp(Timestamp::now().0 - 1000);
    let mut tx = app.db.begin().await.expect("tx");
    usher_core::store::sessions::put_flow(
        &mut tx,
        &hash_token(expired_id),
        "webauthn_login",
        "{}",
        past,
        past,
    )
    .await
    .expect("flow");
    tx.commit().await.expect("commit");
    browser
        .cookies
        .insert("usher_webauthn".into(), expired_id.into());
    let (status, refused) = browser
        .post_json("/auth/webauthn/login/finish", &body)
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["error"].as_str().expect("text").contains("expired"));

    // A passkey whose handle is not its owner's.
    let stranger = answer_sign_in(
        &mut browser,
        &mut authenticator,
        (&key.credential_id, uuid_bytes()),
        origin(),
    )
    .await;
    let (status, refused) = browser
        .post_json(
            "/auth/webauthn/login/finish",
            &json!({ "credential": stranger }),
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .expect("text")
            .contains("not registered")
    );

    // Adding a passkey needs a session.
    let mut anonymous = Browser::open(&app).await;
    let (status, _) = anonymous
        .post_json("/auth/webauthn/register/start", &json!({ "name": "Mine" }))
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_member_cannot_manage_someone_elses_passkeys() {
    let app = app().await;
    let mut admin = Browser::open(&app).await;
    let mut authenticator = SoftPasskey::new(true);
    let token = setup_token(&app.services).await;
    let key = first_admin(&app, &mut admin, &mut authenticator, &token).await;
    let admin_key = b64(&key.credential_id);

    let member = app
        .services
        .users
        .resolve(
            Platform::Telegram,
            "4242",
            "mel",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("member");
    let session = app
        .services
        .sessions
        .start(member.id, "oidc", &ClientInfo::default())
        .await
        .expect("session");
    let console = app.state.console();
    let mut mel = Browser::open(&app).await;
    let cookie = console.sessions.cookie(&session);
    mel.cookies
        .insert(cookie.name().to_owned(), cookie.value().to_owned());
    let (status, page) = mel.get("/account").await;
    assert_eq!(status, 200);
    assert!(!page.contains(&admin_key), "no one else's passkeys listed");

    let (status, _) = mel
        .post_form(
            "/account/passkeys/rename",
            &[("credential_id", &admin_key), ("name", "pwned")],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = mel
        .post_form("/account/passkeys/remove", &[("credential_id", &admin_key)])
        .await;
    assert_eq!(status, 404);
    let (_, page) = admin.get("/account").await;
    assert!(page.contains("Laptop") && !page.contains("pwned"), "{page}");

    // The admin's last passkey stays, even at the admin's own request.
    let (status, page) = admin
        .post_form("/account/passkeys/remove", &[("credential_id", &admin_key)])
        .await;
    assert_eq!(status, 409, "the account page again, not a redirect");
    assert!(
        page.contains("role=\"alert\"") && page.contains("Laptop"),
        "the refusal on the page: {page}"
    );
    let (status, location) = admin
        .post_form(
            "/account/passkeys/rename",
            &[("credential_id", &admin_key), ("name", "Work laptop")],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/account?done=renamed"));

    // Sign out everywhere ends this browser's session too.
    let (status, location) = admin.post_form("/account/sessions/end-all", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/login"));
    let (status, _) = admin.get("/account").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn a_console_user_joins_their_telegram_account_with_a_link_code() {
    let app = app().await;
    let mut browser = Browser::open(&app).await;
    let mut authenticator = SoftPasskey::new(true);
    let token = setup_token(&app.services).await;
    first_admin(&app, &mut browser, &mut authenticator, &token).await;

    let tg = app
        .services
        .users
        .resolve(
            Platform::Telegram,
            "5151",
            "ada_tg",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("telegram user");
    let tg_actor = Actor::user(
        tg.id,
        Source::Telegram {
            user: "5151".into(),
        },
    );
    let code = app
        .services
        .links
        .create_code(&tg_actor)
        .await
        .expect("code");

    let (status, page) = browser
        .post_form("/account/link", &[("code", "WRONG999")])
        .await;
    assert_eq!(status, 422, "the account page again");
    assert!(
        page.contains("id=\"link-code-error\"") && page.contains("aria-invalid=\"true\""),
        "the message beside the code field: {page}"
    );
    assert!(
        page.contains("value=\"WRONG999\""),
        "the code as typed: {page}"
    );
    let typed = code.code.to_lowercase();
    let (status, location) = browser
        .post_form("/account/link", &[("code", &typed)])
        .await;
    assert_eq!((status, location.as_str()), (303, "/account?done=linked"));
    let (status, page) = browser.get("/account?done=linked").await;
    assert_eq!(status, 200, "still signed in after the merge");
    assert!(
        page.contains("ada_tg") && page.contains("Accounts linked."),
        "{page}"
    );
    assert!(page.contains("Laptop"), "the passkey came along: {page}");
}

#[test]
fn relying_party_comes_from_the_public_url() {
    use super::PasskeyConfig;
    assert!(
        PasskeyConfig::from_public_url("http://localhost:8080")
            .problem()
            .is_none()
    );
    assert!(
        PasskeyConfig::from_public_url("https://usher.example.org/")
            .problem()
            .is_none()
    );
    let ip = PasskeyConfig::from_public_url("http://127.0.0.1:8080");
    assert!(ip.problem().expect("refused").contains("IP address"));
    let plain = PasskeyConfig::from_public_url("http://usher.example.org");
    assert!(plain.problem().expect("refused").contains("https"));
    assert!(
        PasskeyConfig::from_public_url("not a url")
            .problem()
            .is_some()
    );
}

/// The credential with `origin` in its client data instead of the one the browser reported.
fn with_origin(credential: &PublicKeyCredential, origin: &str) -> Value {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut value = serde_json::to_value(credential).expect("json");
    let encoded = value["response"]["clientDataJSON"]
        .as_str()
        .expect("client data")
        .to_owned();
    let raw = URL_SAFE_NO_PAD.decode(encoded).expect("base64url");
    let mut client_data: Value = serde_json::from_slice(&raw).expect("client data json");
    client_data["origin"] = json!(origin);
    let rewritten = serde_json::to_vec(&client_data).expect("json");
    value["response"]["clientDataJSON"] = json!(URL_SAFE_NO_PAD.encode(rewritten));
    value
}

fn b64(bytes: &[u8]) -> String {
    super::credential_key(bytes)
}

fn uuid_bytes() -> &'static [u8] {
    &[7; 16]
}
