//! "Can we reach it, and does it accept our credentials?" for every configured upstream,
//! used by `usher check` (and later the console's Test buttons). Credentials travel in headers,
//! except where the service only accepts them elsewhere (TMDB v3 keys, the Telegram Bot API
//! path), and never appear in results or logs.

use std::time::Duration;

use reqwest::{Client, RequestBuilder, StatusCode};
use secrecy::ExposeSecret;
use serde_json::Value;

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

/// Probes every configured upstream concurrently.
pub async fn probe_configured(settings: &Settings) -> Vec<Probe> {
    let client = match http_client(settings.http_timeout) {
        Ok(client) => client,
        Err(err) => {
            return vec![Probe {
                service: "HTTP",
                ok: false,
                detail: err.to_string(),
            }];
        }
    };
    let mut checks = Vec::new();
    if let Some(tmdb) = &settings.tmdb {
        let url = format!("{}/3/configuration", settings.tmdb_api_url);
        let key = tmdb.api_key.expose_secret();
        let req = if key.contains('.') {
            client.get(url).bearer_auth(key)
        } else {
            client.get(url).query(&[("api_key", key)])
        };
        checks.push(("TMDB", req, None));
    }
    for (name, arr) in [("Radarr", &settings.radarr), ("Sonarr", &settings.sonarr)] {
        if let Some(arr) = arr {
            let req = client
                .get(format!("{}/api/v3/system/status", arr.url))
                .header("X-Api-Key", arr.api_key.expose_secret())
                .header("Accept", "application/json");
            checks.push((name, req, Some("version")));
        }
    }
    if let Some(jf) = &settings.jellyfin {
        let auth = format!("MediaBrowser Token=\"{}\"", jf.api_key.expose_secret());
        let req = client
            .get(format!("{}/System/Info", jf.url))
            .header("Authorization", auth);
        checks.push(("Jellyfin", req, Some("Version")));
    }
    if let Some(plex) = &settings.plex {
        let req = client
            .get(format!("{}/identity", plex.url))
            .header("X-Plex-Token", plex.token.expose_secret())
            .header("Accept", "application/json");
        checks.push(("Plex", req, None));
    }
    if let Some(tg) = &settings.telegram {
        let req = client.get(format!(
            "{}/bot{}/getMe",
            tg.api_url,
            tg.token.expose_secret()
        ));
        checks.push(("Telegram", req, None));
    }
    if let Some(dc) = &settings.discord {
        let req = client
            .get(format!("{}/api/v10/users/@me", dc.api_url))
            .header("Authorization", format!("Bot {}", dc.token.expose_secret()));
        checks.push(("Discord", req, None));
    }
    if let Some(oidc) = &settings.oidc {
        let issuer = oidc.issuer.trim_end_matches('/');
        let req = client.get(format!("{issuer}/.well-known/openid-configuration"));
        checks.push(("OIDC", req, Some("issuer")));
    }
    let runs = checks
        .into_iter()
        .map(|(service, req, field)| run(service, req, field));
    let mut handles = Vec::new();
    for fut in runs {
        handles.push(tokio::spawn(fut));
    }
    let mut results = Vec::new();
    // The spawned probes run meanwhile; the 4K and anime instances are listed after them.
    let extra_arr = super::arr::probe_extra_instances(settings).await;
    for handle in handles {
        match handle.await {
            Ok(probe) => results.push(probe),
            Err(err) => results.push(Probe {
                service: "probe",
                ok: false,
                detail: err.to_string(),
            }),
        }
    }
    results.extend(extra_arr);
    results
}

fn http_client(timeout: Duration) -> reqwest::Result<Client> {
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .user_agent(concat!("Usher/", env!("CARGO_PKG_VERSION")))
        .build()
}

async fn run(
    service: &'static str,
    req: RequestBuilder,
    version_field: Option<&'static str>,
) -> Probe {
    let (ok, detail) = match req.send().await {
        Err(err) if err.is_timeout() => (false, "timed out".to_owned()),
        Err(err) if err.is_connect() => (false, "not reachable (connection failed)".to_owned()),
        Err(err) => (false, format!("request failed: {}", err.without_url())),
        Ok(resp) => describe(resp, version_field).await,
    };
    Probe {
        service,
        ok,
        detail,
    }
}

async fn describe(resp: reqwest::Response, version_field: Option<&str>) -> (bool, String) {
    let status = resp.status();
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => (
            false,
            format!("credentials refused (HTTP {})", status.as_u16()),
        ),
        s if !s.is_success() => (false, format!("unexpected HTTP {}", s.as_u16())),
        _ => match resp.json::<Value>().await {
            Err(_) => (false, "answered, but not with JSON (wrong URL?)".to_owned()),
            Ok(body) => {
                let version = version_field
                    .and_then(|field| body.get(field))
                    .and_then(Value::as_str)
                    .map(|v| format!("ok ({v})"));
                (true, version.unwrap_or_else(|| "ok".to_owned()))
            }
        },
    }
}
