//! `usher check`'s report: for every configured upstream, whether it works as configured and
//! what an operator needs to see to fix it — each Radarr/Sonarr instance's quality profiles,
//! root folders (with free space) and tags, and whether the configured ones exist; each media
//! server's libraries; and for a refused key, which setting holds it and where to get a good one.
//! The binary only prints it; the exit code follows [`ServiceCheck::service`] (see
//! [`super::probe::SERVICES`]). The console runs the same checks, so what passes there passes
//! here: its health list ([`super::health`], from [`check_configured`]) and each settings
//! group's Test button ([`check_group`]).

mod arr;
mod servers;

use secrecy::ExposeSecret;

use self::arr::{ARR, ArrJob};
use self::servers::{check_jellyfin, check_plex, check_server};
use super::arr::{ArrInstances, ConnectionReport};
use super::http::{HttpSettings, RetryPolicy, UpstreamError};
use super::probe::{self, ProbeFailure};
use crate::config::{MediaServerSettings, Settings};

/// What the check found about one configured upstream (one line, plus indented details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCheck {
    /// The service as operators know it, one of [`probe::SERVICES`] (it decides the exit code).
    pub service: &'static str,
    /// What works, e.g. `ok (5.26.2.10099)`; shown when there are no problems.
    pub summary: String,
    /// What is wrong, each a sentence naming the setting and the fix.
    pub problems: Vec<String>,
    /// What the operator should see either way: profiles, folders, tags, libraries.
    pub details: Vec<String>,
}

impl ServiceCheck {
    fn new(service: &'static str) -> Self {
        Self {
            service,
            summary: "ok".to_owned(),
            problems: Vec::new(),
            details: Vec::new(),
        }
    }

    /// A check that could not start (a client that cannot be built from the settings).
    fn failed(service: &'static str, problem: String) -> Self {
        let mut check = Self::new(service);
        check.problems.push(problem);
        check
    }

    /// Usable as configured.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Services probed with one GET, their key's setting and where a good key comes from.
const SIMPLE: [(&str, &str, &str); 4] = [
    (
        "TMDB",
        "USHER_TMDB_API_KEY",
        "copy the API key (or the API Read Access Token) from themoviedb.org → Settings → API",
    ),
    (
        "Telegram",
        "USHER_TELEGRAM_TOKEN",
        "copy the bot's token from @BotFather (/token shows it again)",
    ),
    (
        "Discord",
        "USHER_DISCORD_TOKEN",
        "copy the bot token from the Discord Developer Portal → your application → Bot",
    ),
    ("OIDC", "", ""),
];

/// Checks every configured upstream at once (no retries); the result is in
/// [`probe::SERVICES`] order, the Radarr and Sonarr instances each in theirs.
pub async fn check_configured(settings: &Settings) -> Vec<ServiceCheck> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let simple_names: Vec<&str> = SIMPLE.iter().map(|(s, _, _)| *s).collect();
    let simple = {
        let settings = settings.clone();
        tokio::spawn(async move { probe::probe_raw(&settings, &simple_names).await })
    };
    let mut arr = Vec::new();
    match ArrInstances::from_settings(settings, &http) {
        Ok(instances) => {
            for (name, _, _) in ARR {
                if let Some(job) = ArrJob::new(settings, &instances, name) {
                    arr.push(tokio::spawn(async move { job.run().await.0 }));
                }
            }
        }
        Err(err) => {
            let mut check = ServiceCheck::new("Radarr");
            check
                .problems
                .push(format!("cannot build the Radarr/Sonarr clients: {err}"));
            arr.push(tokio::spawn(async move { check }));
        }
    }
    let jellyfin = settings.jellyfin.clone().map(|jf| {
        let http = http.clone();
        tokio::spawn(
            async move { check_jellyfin(&jf.url, jf.api_key.expose_secret(), &http).await },
        )
    });
    let plex = settings.plex.clone().map(|plex| {
        let http = http.clone();
        tokio::spawn(async move { check_plex(&plex.url, plex.token.expose_secret(), &http).await })
    });

    let mut checks = Vec::new();
    let mut simple = simple.await.unwrap_or_default();
    let take = |simple: &mut Vec<_>, service: &str| {
        simple
            .iter()
            .position(|(s, _, _)| *s == service)
            .map(|i| simple.remove(i))
    };
    if let Some(tmdb) = take(&mut simple, "TMDB") {
        checks.push(simple_check(tmdb));
    }
    for handle in arr {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Radarr", &err)));
    }
    if let Some(handle) = jellyfin {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Jellyfin", &err)));
    }
    if let Some(handle) = plex {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Plex", &err)));
    }
    checks.extend(simple.into_iter().map(simple_check));
    checks
}

fn stopped(service: &'static str, err: &tokio::task::JoinError) -> ServiceCheck {
    let mut check = ServiceCheck::new(service);
    check.problems.push(format!("the check stopped: {err}"));
    check
}

/// `X is not accepted by <where> (HTTP 401): <fix>`.
pub(super) fn refused(setting: &str, at: &str, err: &UpstreamError, fix: &str) -> String {
    let status = match err {
        UpstreamError::Unauthorized(status) => format!(" (HTTP {status})"),
        _ => String::new(),
    };
    format!("{setting} is not accepted by {at}{status}: {fix}")
}

fn simple_check(
    (service, url, answer): (&'static str, String, Result<Option<String>, ProbeFailure>),
) -> ServiceCheck {
    let mut check = ServiceCheck::new(service);
    match answer {
        Ok(version) => {
            if let Some(version) = version {
                check.summary = format!("ok ({version})");
            }
        }
        Err(ProbeFailure::Upstream(err @ UpstreamError::Unauthorized(_))) => {
            let (_, setting, fix) = SIMPLE
                .iter()
                .find(|(s, _, _)| *s == service)
                .copied()
                .unwrap_or_default();
            let at = if service == "Telegram" {
                // The Bot API URL would carry the token; name the service only.
                service.to_owned()
            } else {
                format!("{service} at {url}")
            };
            check.problems.push(if setting.is_empty() {
                format!("{at}: {err}")
            } else {
                refused(setting, &at, &err, fix)
            });
        }
        Err(failure) => check.problems.push(failure.to_string()),
    }
    check
}

/// One service checked the way `usher check` checks it, found by the console's name for its
/// settings group: what the settings page's Test button shows.
#[derive(Debug, Clone)]
pub struct GroupCheck {
    /// What works or what is wrong, each problem naming the setting and the fix.
    pub check: ServiceCheck,
    /// For a Radarr/Sonarr instance that answered: what it offers (profiles, folders, tags).
    pub offer: Option<ConnectionReport>,
}

/// Checks the service of one settings group (`tmdb`, `radarr-4k`, `jellyfin`, `plex`,
/// `telegram`, `discord`, `oidc`, …) with these settings — the ones the console's form would
/// give — exactly as `usher check` does, without retries. `None` when they do not configure it.
pub async fn check_group(settings: &Settings, group: &str) -> Option<GroupCheck> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let plain = |check| GroupCheck { check, offer: None };
    if ARR.iter().any(|(name, _, _)| *name == group) {
        let instances = match ArrInstances::from_settings(settings, &http) {
            Ok(instances) => instances,
            Err(err) => {
                let problem = format!("cannot build the Radarr/Sonarr clients: {err}");
                return Some(plain(ServiceCheck::failed("Radarr", problem)));
            }
        };
        let (check, report) = ArrJob::new(settings, &instances, group)?.run().await;
        let offer = (report.reachable && report.authorized).then_some(report);
        return Some(GroupCheck { check, offer });
    }
    match group {
        "jellyfin" => {
            let jf = settings.jellyfin.as_ref()?;
            let key = jf.api_key.expose_secret();
            Some(plain(check_jellyfin(&jf.url, key, &http).await))
        }
        "plex" => {
            let plex = settings.plex.as_ref()?;
            let token = plex.token.expose_secret();
            Some(plain(check_plex(&plex.url, token, &http).await))
        }
        _ => {
            let (service, _, _) = SIMPLE
                .iter()
                .find(|(service, _, _)| service.eq_ignore_ascii_case(group))?;
            let answer = probe::probe_raw(settings, &[service]).await.pop()?;
            Some(plain(simple_check(answer)))
        }
    }
}

/// Checks one of the library index's extra media servers exactly as `usher check` checks the
/// environment's (version, then libraries with the server's key), without retries: the console's
/// Test button for a media server added there.
pub async fn check_media_server(
    server: &MediaServerSettings,
    timeout: std::time::Duration,
) -> ServiceCheck {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(timeout)
    };
    check_server(server, &http).await
}
