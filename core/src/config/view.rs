//! What the console shows of the configuration: every key with where its effective value came
//! from, whether the console may change it, and its value — never a secret's. The console's
//! groups (TMDB, each Radarr/Sonarr instance, the bots, …) are listed here too, so the key
//! table stays the one place a key is added and a key not grouped yet still shows.

use super::LoadOptions;
use super::database_url::mask_url_password;
use super::keys::{self, KEYS, Kind};
use super::sources::{self, Origin};
use super::validate;

/// Where the effective value of a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// No layer set it.
    Unset,
    /// The built-in default.
    Default,
    /// The TOML file.
    File,
    /// Saved in the console.
    Console,
    /// A `USHER_*` environment variable.
    Environment,
    /// A `USHER_*_FILE` secret file.
    EnvironmentFile,
    /// A command-line flag.
    Flag,
}

impl ValueSource {
    /// Short stable name, for templates and message keys (`env`, `console`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unset => "unset",
            Self::Default => "default",
            Self::File => "file",
            Self::Console => "console",
            Self::Environment => "env",
            Self::EnvironmentFile => "env-file",
            Self::Flag => "flag",
        }
    }
}

impl From<Origin> for ValueSource {
    fn from(origin: Origin) -> Self {
        match origin {
            Origin::Default => Self::Default,
            Origin::Toml => Self::File,
            Origin::Database => Self::Console,
            Origin::Env => Self::Environment,
            Origin::EnvFile => Self::EnvironmentFile,
            Origin::Override => Self::Flag,
        }
    }
}

/// One key as the console shows it. Holds no secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyState {
    /// Lower-case key (`radarr_url`), also the form field name.
    pub name: &'static str,
    /// Environment name (`USHER_RADARR_URL`), the label operators know from the docs.
    pub env_name: String,
    /// A secret: write-only in the console.
    pub secret: bool,
    /// A comma-separated list.
    pub list: bool,
    /// The built-in default, if any.
    pub default: Option<&'static str>,
    /// Where the effective value came from.
    pub source: ValueSource,
    /// The effective value, with any URL password masked; `None` for secrets and unset keys.
    pub value: Option<String>,
    /// Whether any layer set it (for secrets, the only thing shown).
    pub is_set: bool,
    /// Set by the environment, a `_FILE` or a flag: the console cannot override it.
    pub locked: bool,
    /// Needed before the database opens; only the file, environment or flags may set it.
    pub startup: bool,
}

impl KeyState {
    /// Whether the console may write this key.
    pub fn editable(&self) -> bool {
        !self.locked && !self.startup
    }
}

/// Every key's state plus what validating the whole configuration found.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Every known key, in the key table's order.
    pub keys: Vec<KeyState>,
    /// Every problem the validator reports (empty: valid). Never holds secret values.
    pub problems: Vec<String>,
    /// Non-fatal remarks.
    pub warnings: Vec<String>,
}

impl Inspection {
    /// The state of one key.
    pub fn key(&self, name: &str) -> Option<&KeyState> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// Collects and validates the layers (with the console's saved values) and describes each key.
pub fn inspect(opts: &LoadOptions, database: &[(String, String)]) -> Inspection {
    let layers = sources::collect(opts, database);
    let mut problems = layers.problems.clone();
    let mut warnings = layers.warnings.clone();
    if let Err(mut more) = validate::validate(&layers, &mut warnings) {
        problems.append(&mut more);
    }
    let keys = KEYS
        .iter()
        .map(|key| {
            let raw = layers.get(key.name);
            let secret = key.kind == Kind::Secret;
            KeyState {
                name: key.name,
                env_name: keys::env_name(key.name),
                secret,
                list: key.kind == Kind::List,
                default: key.default,
                source: raw.map_or(ValueSource::Unset, |r| r.origin.into()),
                value: raw
                    .filter(|_| !secret)
                    .map(|r| mask_url_password(r.value.trim())),
                is_set: raw.is_some(),
                locked: raw.is_some_and(|r| r.origin.is_locked()),
                startup: keys::is_startup(key.name),
            }
        })
        .collect();
    Inspection {
        keys,
        problems,
        warnings,
    }
}

/// Whether the console may store a value for this key at all (known and not a startup key);
/// whether it is locked right now depends on the running configuration.
pub fn is_console_key(name: &str) -> bool {
    keys::find(name).is_some_and(|k| !keys::is_startup(k.name))
        || name.starts_with(super::MEDIA_SERVER_PREFIX)
}

/// The console's groups, in page order: an id (the message key suffix) and its keys. Keys in no
/// group are shown last under `other`.
pub fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    const GROUPS: &[(&str, &[&str])] = &[
        (
            "server",
            &[
                "database_url",
                "data_dir",
                "listen",
                "public_url",
                "secret_key",
                "secret_key_previous",
                "log",
                "log_format",
                "http_timeout_secs",
                "http_header_timeout_secs",
                "http_idle_timeout_secs",
                "http_max_connections",
            ],
        ),
        ("tmdb", &["tmdb_api_key", "tmdb_api_url", "tmdb_image_url"]),
        (
            "radarr",
            &[
                "radarr_url",
                "radarr_api_key",
                "radarr_quality_profile",
                "radarr_root_folder",
            ],
        ),
        (
            "radarr-4k",
            &[
                "radarr_4k_url",
                "radarr_4k_api_key",
                "radarr_4k_quality_profile",
                "radarr_4k_root_folder",
            ],
        ),
        (
            "sonarr",
            &[
                "sonarr_url",
                "sonarr_api_key",
                "sonarr_quality_profile",
                "sonarr_root_folder",
            ],
        ),
        (
            "sonarr-4k",
            &[
                "sonarr_4k_url",
                "sonarr_4k_api_key",
                "sonarr_4k_quality_profile",
                "sonarr_4k_root_folder",
            ],
        ),
        (
            "sonarr-anime",
            &[
                "sonarr_anime_url",
                "sonarr_anime_api_key",
                "sonarr_anime_quality_profile",
                "sonarr_anime_root_folder",
            ],
        ),
        (
            "arr-options",
            &[
                "radarr_minimum_availability",
                "radarr_tags",
                "sonarr_tags",
                "sonarr_season_folder",
                "arr_search_on_add",
                "arr_submit_attempts",
                "arr_submit_lease_secs",
                "arr_retry_backoff_secs",
            ],
        ),
        (
            "jellyfin",
            &["jellyfin_url", "jellyfin_api_key", "jellyfin_public_url"],
        ),
        ("plex", &["plex_url", "plex_token", "plex_public_url"]),
        ("webhooks", &["webhook_secret"]),
        (
            "telegram",
            &[
                "telegram_token",
                "telegram_api_url",
                "telegram_admin_chat_id",
                "telegram_admin_topic_id",
                "telegram_admin_ids",
                "telegram_allowed_chat_ids",
                "telegram_webhook_url",
                "telegram_registration",
            ],
        ),
        (
            "discord",
            &[
                "discord_token",
                "discord_application_id",
                "discord_public_key",
                "discord_api_url",
                "discord_guild_ids",
                "discord_admin_channel_id",
                "discord_admin_ids",
                "discord_admin_role_ids",
                "discord_approver_role_ids",
                "discord_member_role_ids",
                "discord_administrators_are_admins",
                "discord_registration",
                "discord_announce_channel_id",
                "discord_dm_fallback_channel_id",
                "discord_mode",
            ],
        ),
        (
            "oidc",
            &[
                "oidc_issuer",
                "oidc_client_id",
                "oidc_client_secret",
                "oidc_admin_groups",
            ],
        ),
        (
            "console",
            &[
                "trusted_proxies",
                "session_idle_minutes",
                "session_max_days",
                "sign_in_per_minute",
                "security_contact",
                "metrics_token",
                "metrics_allow",
                "console_plex_login",
                "plex_tv_url",
                "plex_app_url",
            ],
        ),
    ];
    let mut out: Vec<(&'static str, Vec<&'static str>)> = GROUPS
        .iter()
        .map(|(id, names)| {
            let known = names.iter().copied().filter(|n| keys::find(n).is_some());
            (*id, known.collect())
        })
        .collect();
    let other: Vec<&'static str> = KEYS
        .iter()
        .map(|k| k.name)
        .filter(|name| GROUPS.iter().all(|(_, names)| !names.contains(name)))
        .collect();
    if !other.is_empty() {
        out.push(("other", other));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::with_env;

    #[test]
    fn every_key_is_in_exactly_one_group() {
        let all: Vec<&str> = groups().into_iter().flat_map(|(_, k)| k).collect();
        for key in KEYS {
            assert_eq!(
                all.iter().filter(|n| **n == key.name).count(),
                1,
                "{}",
                key.name
            );
        }
    }

    #[test]
    fn secrets_have_no_value_and_sources_are_told() {
        let opts = with_env(&[
            ("USHER_RADARR_URL", "http://radarr:7878"),
            ("USHER_RADARR_API_KEY", "radarr-secret-key"),
        ]);
        let saved = vec![
            ("tmdb_api_key".to_owned(), "tmdb-secret-key".to_owned()),
            ("plex_url".to_owned(), "http://u:pw@plex:32400".to_owned()),
            ("listen".to_owned(), "0.0.0.0:1".to_owned()),
        ];
        let seen = inspect(&opts, &saved);
        let text = format!("{seen:?}");
        assert!(!text.contains("radarr-secret-key") && !text.contains("tmdb-secret-key"));
        let radarr = seen.key("radarr_url").expect("key");
        assert_eq!(radarr.source, ValueSource::Environment);
        assert!(radarr.locked && !radarr.editable());
        let tmdb = seen.key("tmdb_api_key").expect("key");
        assert_eq!(
            (tmdb.source, tmdb.is_set, tmdb.value.clone()),
            (ValueSource::Console, true, None)
        );
        let plex = seen.key("plex_url").expect("key");
        assert_eq!(plex.value.as_deref(), Some("http://u:***@plex:32400"));
        let listen = seen.key("listen").expect("key");
        assert_eq!(
            listen.source,
            ValueSource::Default,
            "startup keys ignore saved values"
        );
        assert!(listen.startup && !listen.editable());
        assert!(
            seen.warnings
                .iter()
                .any(|w| w.contains("`listen` is ignored"))
        );
        assert!(
            seen.problems.iter().any(|p| p.contains("USHER_PLEX_TOKEN")),
            "{:?}",
            seen.problems
        );
    }
}
