//! A real OpenID Connect provider for the sign-in tests: tests/oidc/provider.mjs (npm
//! `oidc-provider`) under Node on loopback, and a tiny browser (cookie jar, redirects by hand)
//! that walks its login form the way a person would.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// Client secret the provider registers (and Usher is given).
pub const CLIENT_SECRET: &str = "usher-test-secret";

/// A running provider. Killed when dropped.
pub struct Idp {
    pub issuer: String,
    _child: Child,
    _stdout: Lines<BufReader<ChildStdout>>,
}

/// What the provider knows.
pub struct IdpSetup<'a> {
    /// 0: any free port.
    pub port: u16,
    /// Callback URLs of the one client.
    pub redirect_uris: &'a [String],
    /// Login name → groups.
    pub groups: serde_json::Value,
    /// Put profile, email and groups in the ID token too (else only userinfo has them).
    pub claims_in_id_token: bool,
}

impl Idp {
    /// Starts the provider and waits until it accepts requests. Fails the test, saying what
    /// to do, when Node or the npm package is missing: these tests never pass by skipping.
    pub async fn start(setup: IdpSetup<'_>) -> Idp {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the test OIDC provider is not installed: run `npm ci --prefix tests/oidc` \
             (scripts/test.sh does it when tests/oidc/node_modules is missing)"
        );
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(&dir)
            .env("OIDC_PORT", setup.port.to_string())
            .env("OIDC_REDIRECT_URIS", setup.redirect_uris.join(","))
            .env("OIDC_GROUPS", setup.groups.to_string())
            .env(
                "OIDC_CLAIMS_IN_ID_TOKEN",
                if setup.claims_in_id_token { "1" } else { "0" },
            )
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run `node` for the test OIDC provider ({e}); install Node.js 20+")
            });
        let stdout = child.stdout.take().expect("provider stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the test OIDC provider did not start within 30 s")
            .expect("read provider stdout")
            .unwrap_or_else(|| {
                panic!("the test OIDC provider exited at start (its errors are above)")
            });
        let issuer = line
            .strip_prefix("issuer ")
            .unwrap_or_else(|| panic!("unexpected first line from the provider: {line}"))
            .to_owned();
        Idp {
            issuer,
            _child: child,
            _stdout: lines,
        }
    }
}

/// A port nobody listens on right now (for a server that must know its URL before it starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// What the person does at the provider's login form.
#[derive(Clone, Copy)]
pub enum AtTheProvider<'a> {
    /// Signs in with this login name (any password).
    SignIn(&'a str),
    /// Cancels.
    Abort,
}

/// A browser: one cookie jar per `host:port`, redirects followed by the test.
pub struct Browser {
    client: reqwest::Client,
    jar: HashMap<String, HashMap<String, String>>,
}

impl Browser {
    pub fn new() -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            jar: HashMap::new(),
        }
    }

    fn authority(url: &str) -> String {
        let parsed = url::Url::parse(url).expect("absolute url");
        format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or_default()
        )
    }

    fn cookie_header(&self, url: &str) -> String {
        self.jar
            .get(&Self::authority(url))
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    fn keep_cookies(&mut self, url: &str, response: &reqwest::Response) {
        let cookies = self.jar.entry(Self::authority(url)).or_default();
        for header in response.headers().get_all("set-cookie") {
            let text = header.to_str().expect("ascii cookie");
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            let gone = attributes.to_ascii_lowercase().contains("max-age=0")
                || attributes.contains("1970");
            if gone || value.is_empty() {
                cookies.remove(name.trim());
            } else {
                cookies.insert(name.trim().to_owned(), value.to_owned());
            }
        }
    }

    /// A cookie this browser holds for a site.
    pub fn cookie(&self, url: &str, name: &str) -> Option<String> {
        self.jar.get(&Self::authority(url))?.get(name).cloned()
    }

    /// Puts a cookie back (to replay what an attacker could).
    pub fn set_cookie(&mut self, url: &str, name: &str, value: &str) {
        self.jar
            .entry(Self::authority(url))
            .or_default()
            .insert(name.to_owned(), value.to_owned());
    }

    pub async fn get(&mut self, url: &str) -> reqwest::Response {
        let response = self
            .client
            .get(url)
            .header("cookie", self.cookie_header(url))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        self.keep_cookies(url, &response);
        response
    }

    pub async fn post_form(&mut self, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let response = self
            .client
            .post(url)
            .header("cookie", self.cookie_header(url))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        self.keep_cookies(url, &response);
        response
    }

    /// Goes from Usher's `/auth/oidc/login?next=…` through the provider and returns the
    /// callback URL the provider sends the browser back to (not yet opened).
    pub async fn through_provider(
        &mut self,
        usher: &str,
        next: &str,
        act: AtTheProvider<'_>,
    ) -> String {
        let start = format!("{usher}/auth/oidc/login?next={}", urlencode(next));
        let response = self.get(&start).await;
        assert_eq!(response.status(), 303, "login: {}", body_of(response).await);
        let mut url = location(&start, &response);
        let mut acted = false;
        for _ in 0..10 {
            let response = self.get(&url).await;
            assert_eq!(
                response.status(),
                303,
                "provider at {url}: {}",
                body_of(response).await
            );
            let next = location(&url, &response);
            if next.starts_with(usher) {
                return next;
            }
            url = match (next.contains("/interaction/"), act, acted) {
                (true, AtTheProvider::SignIn(login), false) => {
                    let form = [("prompt", "login"), ("login", login), ("password", "any")];
                    let response = self.post_form(&next, &form).await;
                    assert_eq!(
                        response.status(),
                        303,
                        "login form: {}",
                        body_of(response).await
                    );
                    acted = true;
                    location(&next, &response)
                }
                (true, AtTheProvider::Abort, false) => {
                    acted = true;
                    format!("{next}/abort")
                }
                (true, _, true) => panic!("the provider asked again at {next}"),
                (false, _, _) => next,
            };
        }
        panic!("the provider never sent the browser back to Usher");
    }

    /// A whole sign-in: to the provider and back; the callback's answer.
    pub async fn sign_in(&mut self, usher: &str, login: &str, next: &str) -> reqwest::Response {
        let callback = self
            .through_provider(usher, next, AtTheProvider::SignIn(login))
            .await;
        self.get(&callback).await
    }
}

/// The `Location` of a redirect, made absolute.
pub fn location(from: &str, response: &reqwest::Response) -> String {
    let to = response.headers()["location"].to_str().expect("location");
    url::Url::parse(from)
        .and_then(|base| base.join(to))
        .expect("location url")
        .to_string()
}

pub async fn body_of(response: reqwest::Response) -> String {
    response.text().await.unwrap_or_default()
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
