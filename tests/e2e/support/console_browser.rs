//! A signed-in console session for tests, made the way the server makes one: a session row in
//! the server's own database and a JWT cookie signed with the key the server derives from
//! `USHER_SECRET_KEY`. Plus a client that sends those cookies and reads the CSRF token from the
//! pages, as a browser would.

use secrecy::SecretString;
use usher_core::crypto::MasterKeys;
use usher_core::domain::User;
use usher_core::service::Services;
use usher_core::service::sessions::ClientInfo;
use usher_web::console::session_cookie::SessionCodec;

/// The master key e2e servers of the console tests run with (`USHER_SECRET_KEY`).
pub const SECRET_KEY: &str = "e2e-console-master-key-0123456789abcdef";

/// A browser-like client signed in as one user.
pub struct Browser {
    base_url: String,
    client: reqwest::Client,
    session: String,
    csrf: Option<String>,
}

/// One answer: status, `Location` (for redirects) and body.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    /// Starts a session for `user` in the server's database and keeps its cookie.
    pub async fn sign_in(base_url: &str, services: &Services, user: &User) -> Self {
        let session = services
            .sessions
            .start(user.id, "passkey", &ClientInfo::default())
            .await
            .expect("start a session");
        let keys = MasterKeys::from_secrets(&SecretString::from(SECRET_KEY), None).expect("keys");
        let codec = SessionCodec::new(&keys.derive("console-session-jwt"), false);
        let cookie = codec.cookie(&session);
        Self {
            base_url: base_url.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            session: format!("{}={}", cookie.name(), cookie.value()),
            csrf: None,
        }
    }

    fn cookies(&self) -> String {
        match &self.csrf {
            Some(token) => format!("{}; usher_csrf={token}", self.session),
            None => self.session.clone(),
        }
    }

    /// GET a page; keeps the CSRF cookie the server hands out, as a browser would.
    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .header("cookie", self.cookies())
            .send()
            .await
            .expect("GET");
        let fresh = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("usher_csrf="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        if fresh.is_some() {
            self.csrf = fresh;
        }
        read(response).await
    }

    /// POST a form with the token the last page carried in its forms.
    pub async fn post(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("_csrf", token).extend_pairs(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.base_url))
            .header("cookie", self.cookies())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.finish())
            .send()
            .await
            .expect("POST");
        read(response).await
    }
}

async fn read(response: reqwest::Response) -> Page {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Page {
        status,
        location,
        body: response.text().await.expect("body"),
    }
}

/// The CSRF token a page's forms carry (`name="_csrf" value="…"`).
pub fn form_token(html: &str) -> String {
    let (_, rest) = html
        .split_once("name=\"_csrf\" value=\"")
        .expect("the page has a form");
    rest.split('"').next().expect("token").to_owned()
}

/// The ids of the request rows on a list page, top to bottom.
pub fn request_rows(html: &str) -> Vec<i64> {
    html.split("<tr id=\"request-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| id.parse().expect("row id"))
        .collect()
}

/// The next-page link of a list page, unescaped.
pub fn next_link(html: &str) -> Option<String> {
    let (_, rest) = html.split_once("rel=\"next\" href=\"")?;
    Some(rest.split('"').next()?.replace("&#38;", "&"))
}
