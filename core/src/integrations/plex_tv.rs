//! plex.tv's PIN flow, the way Plex's own apps (and Overseerr, Tautulli) sign people in with a
//! Plex account: create a PIN, send the browser to `app.plex.tv/auth` with its code, then ask
//! plex.tv whether the PIN carries a token yet and whose account that token is.
//!
//! The token only ever lives in a [`SecretString`] for the one `/api/v2/user` call: nothing here
//! stores, logs or returns it, so the rest of Usher sees a Plex account as its numeric id and
//! name only.

use secrecy::SecretString;
use serde::Deserialize;

use crate::error::CoreResult;
use crate::integrations::http::{Auth, HttpSettings, RetryPolicy, Upstream, UpstreamError};

/// The product name plex.tv shows the person on its "allow access" page.
pub const PRODUCT: &str = "Usher";

/// Where plex.tv lives, and who we are to it.
#[derive(Debug, Clone)]
pub struct PlexTvOptions {
    /// plex.tv's API base (`https://plex.tv`; a local fake in tests).
    pub tv_url: String,
    /// The Plex web app that asks the person (`https://app.plex.tv`).
    pub app_url: String,
    /// A stable id of this installation (`X-Plex-Client-Identifier`): plex.tv lists authorized
    /// devices by it.
    pub client_id: String,
}

/// A PIN just created: its id (to ask about it later) and the code the person approves.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlexPin {
    /// plex.tv's id of the PIN.
    pub id: u64,
    /// The code shown to (and approved by) the person at app.plex.tv.
    pub code: String,
}

/// The Plex account behind an approved PIN: what Usher keeps of it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlexAccount {
    /// plex.tv's numeric user id, the identity Usher links.
    pub id: u64,
    /// The account's user name.
    #[serde(default)]
    pub username: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PinState {
    #[serde(default)]
    auth_token: Option<String>,
}

/// A client of plex.tv's PIN endpoints; cheap to clone.
#[derive(Debug, Clone)]
pub struct PlexTvClient {
    api: Upstream,
    app_url: String,
    client_id: String,
}

impl PlexTvClient {
    /// A client of `options.tv_url`. Calls are not retried: a person is waiting on each one,
    /// and a plex.tv that is down is said at once ("try again") instead of after backoffs.
    pub fn new(options: &PlexTvOptions, http: &HttpSettings) -> CoreResult<Self> {
        let settings = HttpSettings {
            retry: RetryPolicy::none(),
            ..http.clone()
        };
        let api = Upstream::new("plex.tv", &options.tv_url, Auth::None, &settings)?
            .with_header("X-Plex-Product", PRODUCT.to_owned())
            .with_header("X-Plex-Client-Identifier", options.client_id.clone());
        Ok(Self {
            api,
            app_url: options.app_url.trim_end_matches('/').to_owned(),
            client_id: options.client_id.clone(),
        })
    }

    /// Creates a strong (long-code) PIN.
    pub async fn create_pin(&self) -> Result<PlexPin, UpstreamError> {
        let path = "/api/v2/pins?strong=true";
        let body = serde_json::json!({});
        self.api
            .send_json(reqwest::Method::POST, path, &body, false)
            .await
    }

    /// Where to send the browser to approve `pin`; plex.tv sends it on to `forward_url`.
    pub fn auth_url(&self, pin: &PlexPin, forward_url: &str) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("clientID", &self.client_id)
            .append_pair("code", &pin.code)
            .append_pair("forwardUrl", forward_url)
            .append_pair("context[device][product]", PRODUCT)
            .finish();
        format!("{}/auth#?{query}", self.app_url)
    }

    /// The account that approved `pin`, or `None` while nobody has. Asks plex.tv once.
    pub async fn account(&self, pin: &PlexPin) -> Result<Option<PlexAccount>, UpstreamError> {
        let path = format!("/api/v2/pins/{}", pin.id);
        let query = [("code", pin.code.clone())];
        let state: PinState = self.api.get_json(&path, &query).await?;
        let Some(token) = state.auth_token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let token = SecretString::from(token);
        let as_person = self.api.with_auth(Auth::Header("X-Plex-Token", token));
        as_person.get_json("/api/v2/user", &[]).await.map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> PlexTvClient {
        let options = PlexTvOptions {
            tv_url: "http://127.0.0.1:9".into(),
            app_url: "https://app.plex.tv/".into(),
            client_id: "usher-abc".into(),
        };
        PlexTvClient::new(&options, &HttpSettings::default()).expect("client")
    }

    #[test]
    fn the_auth_url_names_us_the_code_and_the_way_back() {
        let pin = PlexPin {
            id: 7,
            code: "c0de".into(),
        };
        let url = client().auth_url(&pin, "https://usher.example.org/auth/plex/callback");
        assert!(url.starts_with("https://app.plex.tv/auth#?clientID=usher-abc&code=c0de&"));
        assert!(
            url.contains("forwardUrl=https%3A%2F%2Fusher.example.org%2Fauth%2Fplex%2Fcallback"),
            "{url}"
        );
        assert!(
            url.ends_with("context%5Bdevice%5D%5Bproduct%5D=Usher"),
            "{url}"
        );
    }

    #[tokio::test]
    async fn plex_tv_down_is_a_transient_error_without_retries() {
        let started = std::time::Instant::now();
        let err = client().create_pin().await.expect_err("nothing listens");
        assert!(err.is_transient(), "{err:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
