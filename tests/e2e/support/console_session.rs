//! A signed-in console session for e2e tests, made directly against the server's database and
//! keys: a user with a built-in role, a server-side session row, and the cookie the server
//! would have set (signed with the key it derives from `data/secret.key`), plus a CSRF token.

use std::path::Path;

use usher_core::config::{LoadOptions, load};
use usher_core::crypto::MasterKeys;
use usher_core::domain::{Platform, User};
use usher_core::service::sessions::ClientInfo;
use usher_core::service::{Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_web::console::csrf::CsrfKey;
use usher_web::console::session_cookie::SessionCodec;

/// The services of the server started in `dir` (SQLite at `data/usher.db`).
pub async fn services(dir: &Path) -> Services {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("open the server's database");
    db.migrate().await.expect("migrate");
    Services::new(db)
}

/// A browser signed in as a new user with `role`.
pub struct ConsoleSession {
    /// The user.
    pub user: User,
    /// The `Cookie` header: session and CSRF cookies.
    pub cookie: String,
    /// The CSRF token forms must echo in `_csrf`.
    pub csrf: String,
}

/// Registers a Telegram user with a built-in role and signs them in to the server in `dir`.
pub async fn sign_in(
    dir: &Path,
    telegram_id: &str,
    name: &str,
    role: &'static str,
) -> ConsoleSession {
    let services = services(dir).await;
    let user = services
        .users
        .resolve(
            Platform::Telegram,
            telegram_id,
            name,
            Registration::AutoRegister(role),
        )
        .await
        .expect("user");
    let session = services
        .sessions
        .start(user.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");
    services.db.close().await;
    let data_dir = dir.join("data").display().to_string();
    let settings = load(LoadOptions {
        env: vec![("USHER_DATA_DIR".into(), data_dir)],
        ..LoadOptions::default()
    })
    .expect("settings")
    .settings;
    let keys = MasterKeys::load_or_generate(&settings).expect("the server's key");
    let codec = SessionCodec::new(&keys.derive("console-session-jwt"), false);
    let cookie = codec.cookie(&session);
    let csrf = CsrfKey::new(keys.derive("console-csrf"), false).mint();
    ConsoleSession {
        user,
        cookie: format!("{}={}; usher_csrf={csrf}", cookie.name(), cookie.value()),
        csrf,
    }
}

impl ConsoleSession {
    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// GET a console path.
    pub async fn get(&self, base_url: &str, path: &str) -> reqwest::Response {
        Self::client()
            .get(format!("{base_url}{path}"))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("GET")
    }

    /// POST a console form with the CSRF token.
    pub async fn post(
        &self,
        base_url: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        body.append_pair("_csrf", &self.csrf);
        for (name, value) in fields {
            body.append_pair(name, value);
        }
        Self::client()
            .post(format!("{base_url}{path}"))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish())
            .send()
            .await
            .expect("POST")
    }
}
