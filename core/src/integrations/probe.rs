//! "Can we reach it, and does it accept our credentials?" for every configured upstream,
//! used by `usher check` (and later the console's Test buttons). Each probe is one GET through
//! the shared HTTP layer ([`Upstream`], without retries), so credentials travel exactly as the
//! real clients send them and failures read the same ([`UpstreamError`]).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::http::{Auth, HttpSettings, RetryPolicy, Upstream, UpstreamError};
use crate::config::Settings;

/// One upstream's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Service name, as operators know it.
    pub service: &'static str,
    /// Reachable and authorized.
    pub ok: bool,
    /// Version or the reason it failed.
    pub detail: String,
}

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

/// Probes every configured upstream concurrently.
pub async fn probe_configured(settings: &Settings) -> Vec<Probe> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let handles: Vec<_> = checks(settings)
        .into_iter()
        .map(|check| tokio::spawn(run(check, http.clone())))
        .collect();
    // The spawned probes run meanwhile; the 4K and anime instances are listed after them.
    let extra_arr = super::arr::probe_extra_instances(settings).await;
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.unwrap_or_else(|err| Probe {
            service: "probe",
            ok: false,
            detail: err.to_string(),
        }));
    }
    results.extend(extra_arr);
    results
}

/// Probes one service (`TMDB`, `Jellyfin`, `Plex`, `Telegram`, `Discord`, `OIDC`, or the default
/// `Radarr`/`Sonarr`) with these settings — the console's Test button passes the settings the
/// form would give. `None` when the settings do not configure it.
pub async fn probe_service(settings: &Settings, service: &str) -> Option<Probe> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let check = checks(settings)
        .into_iter()
        .find(|c| c.service == service)?;
    Some(run(check, http).await)
}

async fn run(check: Check, http: HttpSettings) -> Probe {
    let (ok, detail) = match ask(&check, &http).await {
        Ok(version) => (
            true,
            version.map_or_else(|| "ok".to_owned(), |v| format!("ok ({v})")),
        ),
        Err(failure) => (false, failure.to_string()),
    };
    Probe {
        service: check.service,
        ok,
        detail,
    }
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
