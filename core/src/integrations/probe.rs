//! "Can we reach it, and does it accept our credentials?" with one GET, for the upstreams one
//! call proves (TMDB, Telegram, Discord, OIDC): the first step of `usher check`
//! ([`super::checkup`]), which the console's health list and Test buttons run too. Each probe
//! goes through the shared HTTP layer ([`Upstream`], without retries), so credentials travel
//! exactly as the real clients send them and failures read the same ([`UpstreamError`]).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::http::{Auth, HttpSettings, RetryPolicy, Upstream, UpstreamError};
use crate::config::Settings;

/// The order services are probed in; `usher check` derives its exit codes from it.
pub const SERVICES: [&str; 8] = [
    "TMDB", "Radarr", "Sonarr", "Jellyfin", "Plex", "Telegram", "Discord", "OIDC",
];

/// One GET to make: which service, where, with what credential, and which field of the answer
/// holds a version worth showing.
struct Check {
    service: &'static str,
    base_url: String,
    auth: Auth,
    path: String,
    version_field: Option<&'static str>,
}

impl Check {
    fn new(service: &'static str, base_url: &str, auth: Auth, path: &str) -> Self {
        Self {
            service,
            base_url: base_url.to_owned(),
            auth,
            path: path.to_owned(),
            version_field: None,
        }
    }

    fn version(mut self, field: &'static str) -> Self {
        self.version_field = Some(field);
        self
    }
}

/// What to probe, from the configuration.
fn checks(settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(tmdb) = &settings.tmdb {
        let auth = super::tmdb::auth_for(&tmdb.api_key);
        checks.push(Check::new(
            "TMDB",
            &settings.tmdb_api_url,
            auth,
            "/3/configuration",
        ));
    }
    for (name, arr) in [("Radarr", &settings.radarr), ("Sonarr", &settings.sonarr)] {
        if let Some(arr) = arr {
            let auth = Auth::Header("X-Api-Key", arr.api_key.clone());
            checks
                .push(Check::new(name, &arr.url, auth, "/api/v3/system/status").version("version"));
        }
    }
    if let Some(jf) = &settings.jellyfin {
        let auth = Auth::MediaBrowser(jf.api_key.clone());
        checks.push(Check::new("Jellyfin", &jf.url, auth, "/System/Info").version("Version"));
    }
    if let Some(plex) = &settings.plex {
        let auth = Auth::Header("X-Plex-Token", plex.token.clone());
        checks.push(Check::new("Plex", &plex.url, auth, "/identity"));
    }
    if let Some(tg) = &settings.telegram {
        // The Bot API takes the token in the path; UpstreamError never carries URLs.
        let path = format!("/bot{}/getMe", tg.token.expose_secret());
        checks.push(Check::new("Telegram", &tg.api_url, Auth::None, &path));
    }
    if let Some(dc) = &settings.discord {
        let auth = Auth::Header(
            "Authorization",
            SecretString::from(format!("Bot {}", dc.token.expose_secret())),
        );
        checks.push(Check::new(
            "Discord",
            &dc.api_url,
            auth,
            "/api/v10/users/@me",
        ));
    }
    if let Some(oidc) = &settings.oidc {
        let issuer = oidc.issuer.trim_end_matches('/');
        checks.push(
            Check::new(
                "OIDC",
                issuer,
                Auth::None,
                "/.well-known/openid-configuration",
            )
            .version("issuer"),
        );
    }
    checks
}

/// Why a probe failed: the upstream's answer, or a client that could not be built.
#[derive(Debug)]
pub(crate) enum ProbeFailure {
    /// The call failed.
    Upstream(UpstreamError),
    /// The client could not be built (a bad URL).
    Client(String),
}

impl std::fmt::Display for ProbeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Upstream(UpstreamError::Malformed(_)) => {
                f.write_str("answered, but not with JSON (wrong URL?)")
            }
            Self::Upstream(err) => err.fmt(f),
            Self::Client(why) => f.write_str(why),
        }
    }
}

/// Makes one probe's call: the version worth showing (if the answer has one), or the failure.
async fn ask(check: &Check, http: &HttpSettings) -> Result<Option<String>, ProbeFailure> {
    let upstream = Upstream::new(check.service, &check.base_url, check.auth.clone(), http)
        .map_err(|err| ProbeFailure::Client(err.to_string()))?;
    let body = upstream
        .get_json::<Value>(&check.path, &[])
        .await
        .map_err(ProbeFailure::Upstream)?;
    Ok(check
        .version_field
        .and_then(|field| body.get(field))
        .and_then(Value::as_str)
        .map(str::to_owned))
}

/// Probes the named services among the configured ones (without retries), in the order given:
/// each with the URL it was asked at and its version or failure — for `usher check`'s report.
pub(crate) async fn probe_raw(
    settings: &Settings,
    services: &[&str],
) -> Vec<(&'static str, String, Result<Option<String>, ProbeFailure>)> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let handles: Vec<_> = checks(settings)
        .into_iter()
        .filter(|c| services.contains(&c.service))
        .map(|check| {
            let http = http.clone();
            let (service, url) = (check.service, check.base_url.clone());
            (
                service,
                url,
                tokio::spawn(async move { ask(&check, &http).await }),
            )
        })
        .collect();
    let mut results = Vec::new();
    for (service, url, handle) in handles {
        let answer = handle
            .await
            .unwrap_or_else(|err| Err(ProbeFailure::Client(format!("the check stopped: {err}"))));
        results.push((service, url, answer));
    }
    results
}
