//! Turns the collected raw strings into [`Settings`], recording every problem instead of
//! stopping at the first, so one run shows the operator everything to fix.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::DatabaseUrl;
use super::database_url::mask_url_password;
use super::keys::{self, KEYS, Kind};
use super::settings::{
    HttpServerSettings, JellyfinSettings, LibraryLinks, LogFormat, PlexSettings, Settings,
    TmdbSettings,
};
use super::sources::{Layers, Origin};

mod arr;
mod console;
mod integrations;
mod overrides;
mod places;
mod roles;
mod servers;

/// Shortest accepted master key, in characters.
pub(crate) const MIN_SECRET_KEY_CHARS: usize = 32;

/// Validates every key; `Err` holds all problems found.
pub(crate) fn validate(
    layers: &Layers,
    warnings: &mut Vec<String>,
) -> Result<Settings, Vec<String>> {
    let mut v = Validator {
        layers,
        problems: Vec::new(),
        warnings,
    };
    let database_url = v.text("database_url").and_then(|raw| {
        DatabaseUrl::parse(&raw)
            .map_err(|err| v.problem("database_url", err))
            .ok()
    });
    let data_dir = v.text("data_dir").map(PathBuf::from);
    let listen = v.parse("listen", "a socket address (IP:port, e.g. 0.0.0.0:8080)");
    let public_url = v.http_url("public_url");
    let secret_key = v.master_key("secret_key");
    let secret_key_previous = v.master_key("secret_key_previous");
    let log = v.text("log");
    let log_format = v.choice(
        "log_format",
        &[("pretty", LogFormat::Pretty), ("json", LogFormat::Json)],
    );
    let http_timeout = v.timeout("http_timeout_secs");
    let http_server = v.http_server();
    let tmdb = v
        .secret("tmdb_api_key")
        .map(|api_key| TmdbSettings { api_key });
    let tmdb_api_url = v.http_url("tmdb_api_url");
    let tmdb_image_url = v.http_url("tmdb_image_url");
    let radarr = v.arr([
        "radarr_url",
        "radarr_api_key",
        "radarr_quality_profile",
        "radarr_root_folder",
    ]);
    let sonarr = v.arr([
        "sonarr_url",
        "sonarr_api_key",
        "sonarr_quality_profile",
        "sonarr_root_folder",
    ]);
    let extra = v.extra_arr_instances();
    let arr = v.arr_options();
    let jellyfin = v
        .url_and_secret("jellyfin_url", "jellyfin_api_key")
        .map(|(url, api_key)| JellyfinSettings { url, api_key });
    let plex = v
        .url_and_secret("plex_url", "plex_token")
        .map(|(url, token)| PlexSettings { url, token });
    let library_links = LibraryLinks {
        jellyfin: v
            .http_url("jellyfin_public_url")
            .or_else(|| jellyfin.as_ref().map(|j| j.url.clone())),
        plex: v.http_url("plex_public_url"),
    };
    let media_servers = v.media_servers();
    let library_index = v.library_index();
    let webhook_secret = v.secret("webhook_secret");
    let telegram = v.telegram();
    let discord = v.discord();
    let oidc = v.oidc();
    let console = v.console();
    let instances = configured_instances([
        ("radarr", radarr.is_some()),
        ("radarr-4k", extra.radarr_4k.is_some()),
        ("sonarr", sonarr.is_some()),
        ("sonarr-4k", extra.sonarr_4k.is_some()),
        ("sonarr-anime", extra.sonarr_anime.is_some()),
    ]);
    let roles = v.roles(&instances);
    let role_grants = v.role_grants(&roles);
    let places = v.places();
    let overrides = v.overrides(&instances, &roles);

    if !v.problems.is_empty() {
        return Err(v.problems);
    }
    let (
        Some(database_url),
        Some(data_dir),
        Some(listen),
        Some(public_url),
        Some(log),
        Some(log_format),
        Some(http_timeout),
        Some(tmdb_api_url),
        Some(tmdb_image_url),
    ) = (
        database_url,
        data_dir,
        listen,
        public_url,
        log,
        log_format,
        http_timeout,
        tmdb_api_url,
        tmdb_image_url,
    )
    else {
        // Every one of these has a default, so only a bug gets here.
        return Err(vec![
            "internal error: a defaulted setting has no value".to_owned(),
        ]);
    };
    let locked_keys = KEYS
        .iter()
        .filter(|k| layers.get(k.name).is_some_and(|raw| raw.origin.is_locked()))
        .map(|k| k.name)
        .collect();
    Ok(Settings {
        database_url,
        data_dir,
        listen,
        public_url,
        secret_key,
        secret_key_previous,
        log,
        log_format,
        http_timeout,
        http_server,
        tmdb,
        tmdb_api_url,
        tmdb_image_url,
        radarr,
        sonarr,
        radarr_4k: extra.radarr_4k,
        sonarr_4k: extra.sonarr_4k,
        sonarr_anime: extra.sonarr_anime,
        arr,
        jellyfin,
        plex,
        library_links,
        media_servers,
        library_index,
        webhook_secret,
        telegram,
        discord,
        oidc,
        console,
        roles,
        role_grants,
        places,
        overrides,
        locked_keys,
    })
}

/// The names of the instances that are configured.
fn configured_instances(all: [(&'static str, bool); 5]) -> Vec<&'static str> {
    all.into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name)
        .collect()
}

/// Reads typed values out of the layers, collecting problems and warnings.
struct Validator<'a> {
    layers: &'a Layers,
    problems: Vec<String>,
    warnings: &'a mut Vec<String>,
}

impl Validator<'_> {
    /// Records a problem, naming the environment variable and, if not the environment, the
    /// layer the bad value came from.
    fn problem(&mut self, name: &str, msg: impl Display) {
        let origin = self.layers.get(name).map_or(Origin::Env, |raw| raw.origin);
        let from = self.layers.describe(origin, name);
        self.problems
            .push(format!("{}: {msg}{from}", keys::env_name(name)));
    }

    /// Whether a key was set, whether or not its value is valid.
    fn is_set(&self, name: &str) -> bool {
        self.layers.get(name).is_some()
    }

    /// Whether a key was set by the operator rather than by a default.
    fn is_set_by_operator(&self, name: &str) -> bool {
        self.layers
            .get(name)
            .is_some_and(|raw| raw.origin != Origin::Default)
    }

    /// The value as it should appear in a message: quoted, or hidden for secrets.
    fn shown(name: &str, value: &str) -> String {
        match keys::find(name).map(|k| k.kind) {
            Some(Kind::Secret) => "the value".to_owned(),
            _ => format!("\"{}\"", mask_url_password(value)),
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        self.layers.get(name).map(|raw| raw.value.trim().to_owned())
    }

    fn secret(&self, name: &str) -> Option<SecretString> {
        self.layers
            .get(name)
            .map(|raw| SecretString::from(raw.value.clone()))
    }

    fn parse<T: FromStr>(&mut self, name: &str, what: &str) -> Option<T> {
        let value = self.text(name)?;
        value
            .parse()
            .map_err(|_| self.problem(name, format!("{} is not {what}", Self::shown(name, &value))))
            .ok()
    }

    fn choice<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Option<T> {
        let value = self.text(name)?;
        let found = options
            .iter()
            .find(|(label, _)| label.eq_ignore_ascii_case(&value));
        if found.is_none() {
            let labels: Vec<&str> = options.iter().map(|(label, _)| *label).collect();
            let msg = format!("\"{value}\" is not one of {}", labels.join(", "));
            self.problem(name, msg);
        }
        found.map(|(_, choice)| *choice)
    }

    /// A whole number of `unit`s within `range`; outside it is a problem.
    fn bounded(&mut self, name: &str, range: RangeInclusive<u32>, unit: &str) -> Option<u32> {
        let value = self.parse::<u32>(name, &format!("a whole number of {unit}"))?;
        if range.contains(&value) {
            Some(value)
        } else {
            let (low, high) = (range.start(), range.end());
            self.problem(name, format!("must be between {low} and {high} {unit}"));
            None
        }
    }

    /// A comma-separated list; blank items are skipped, each bad item is a problem.
    fn list<T: FromStr>(&mut self, name: &str, what: &str) -> Vec<T> {
        let Some(value) = self.text(name) else {
            return Vec::new();
        };
        let mut items = Vec::new();
        for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match item.parse() {
                Ok(parsed) => items.push(parsed),
                Err(_) => self.problem(name, format!("list item \"{item}\" is not {what}")),
            }
        }
        items
    }

    /// An `http://` or `https://` URL with a host, without its trailing slash.
    fn http_url(&mut self, name: &str) -> Option<String> {
        let value = self.text(name)?;
        if is_http_url(&value) {
            Some(value.trim_end_matches('/').to_owned())
        } else {
            let msg = format!("{} is not an http(s) URL", Self::shown(name, &value));
            self.problem(name, msg);
            None
        }
    }

    fn master_key(&mut self, name: &str) -> Option<SecretString> {
        let key = self.secret(name)?;
        let chars = key.expose_secret().chars().count();
        if chars < MIN_SECRET_KEY_CHARS {
            let msg = format!("must be at least {MIN_SECRET_KEY_CHARS} characters (has {chars})");
            self.problem(name, msg);
            return None;
        }
        Some(key)
    }

    fn timeout(&mut self, name: &str) -> Option<Duration> {
        let secs: u64 = self.parse(name, "a whole number of seconds")?;
        if secs == 0 {
            self.problem(name, "must be at least 1 second");
            return None;
        }
        Some(Duration::from_secs(secs))
    }

    /// The web server's connection limits.
    fn http_server(&mut self) -> HttpServerSettings {
        let defaults = HttpServerSettings::default();
        let secs = |v: &mut Self, name: &str, default: Duration| {
            v.bounded(name, 1..=86_400, "seconds")
                .map_or(default, |s| Duration::from_secs(u64::from(s)))
        };
        let header_timeout = secs(self, "http_header_timeout_secs", defaults.header_timeout);
        let idle_timeout = secs(self, "http_idle_timeout_secs", defaults.idle_timeout);
        let max_connections = self
            .bounded("http_max_connections", 1..=1_000_000, "connections")
            .map_or(defaults.max_connections, |n| n as usize);
        HttpServerSettings {
            header_timeout,
            idle_timeout,
            max_connections,
        }
    }

    /// Requires `needed` whenever `given` is set; returns whether both are set.
    fn require(&mut self, needed: &str, given: &str, why: &str) -> bool {
        if self.is_set(given) && !self.is_set(needed) {
            let msg = format!("required when {} {why}", keys::env_name(given));
            self.problem(needed, msg);
        }
        self.is_set(given) && self.is_set(needed)
    }

    /// Warns about options of a feature that is off because `enabler` is not set.
    fn ignored_without(&mut self, enabler: &str, extras: &[&str]) {
        if self.is_set(enabler) {
            return;
        }
        let set: Vec<&str> = extras
            .iter()
            .copied()
            .filter(|e| self.is_set_by_operator(e))
            .collect();
        for extra in set {
            self.warnings.push(format!(
                "{} is ignored because {} is not set",
                keys::env_name(extra),
                keys::env_name(enabler)
            ));
        }
    }
}

/// `http://` or `https://`, then a non-empty host without spaces, and a numeric port if any.
fn is_http_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host_port.ends_with(']') => (host, Some(port)),
        _ => (host_port, None),
    };
    !host.is_empty()
        && !value.contains(char::is_whitespace)
        && port.is_none_or(|p| !p.is_empty() && p.parse::<u16>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_url_check() {
        for ok in [
            "http://localhost:8080",
            "https://example.com/",
            "HTTPS://a.b/c?d",
            "http://user:pw@host:1/x",
            "http://[::1]:8080",
            "http://[::1]",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "ftp://x",
            "http://",
            "https:///path",
            "localhost:8080",
            "http://h:port",
            "http://a b",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
