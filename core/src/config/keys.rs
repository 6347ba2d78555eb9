//! The one table of known configuration keys.
//!
//! Everything else — TOML parsing, environment lookup, `_FILE` handling, CLI overrides, the
//! unknown-name checks and the console's "locked" markers — is driven by [`KEYS`], so a key is
//! added in exactly one place.

/// How a key's value is handled before validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A plain value; it may be quoted in problem messages.
    Plain,
    /// A secret; its value never appears in a message.
    Secret,
    /// A comma-separated list (a TOML array is accepted too).
    List,
}

/// One known key: its lower-case name (TOML key and override name), kind and default.
#[derive(Debug)]
pub(crate) struct Key {
    /// Lower-case name; the environment name is `USHER_` + this, upper-cased.
    pub name: &'static str,
    pub kind: Kind,
    pub default: Option<&'static str>,
}

const fn key(name: &'static str, kind: Kind, default: Option<&'static str>) -> Key {
    Key {
        name,
        kind,
        default,
    }
}

use Kind::{List, Plain, Secret};

/// Every key Usher reads, in the order the documentation lists them.
pub(crate) const KEYS: &[Key] = &[
    key("database_url", Secret, Some("sqlite://data/usher.db")),
    key("data_dir", Plain, Some("data")),
    key("listen", Plain, Some("127.0.0.1:8080")),
    key("public_url", Plain, Some("http://localhost:8080")),
    key("secret_key", Secret, None),
    key("secret_key_previous", Secret, None),
    key("log", Plain, Some("info")),
    key("log_format", Plain, Some("pretty")),
    key("http_timeout_secs", Plain, Some("10")),
    key("http_header_timeout_secs", Plain, Some("10")),
    key("http_idle_timeout_secs", Plain, Some("60")),
    key("http_max_connections", Plain, Some("512")),
    key("tmdb_api_key", Secret, None),
    key("tmdb_api_url", Plain, Some("https://api.themoviedb.org")),
    key("tmdb_image_url", Plain, Some("https://image.tmdb.org/t/p")),
    key("radarr_url", Plain, None),
    key("radarr_api_key", Secret, None),
    key("radarr_quality_profile", Plain, None),
    key("radarr_root_folder", Plain, None),
    key("sonarr_url", Plain, None),
    key("sonarr_api_key", Secret, None),
    key("sonarr_quality_profile", Plain, None),
    key("sonarr_root_folder", Plain, None),
    key("radarr_4k_url", Plain, None),
    key("radarr_4k_api_key", Secret, None),
    key("radarr_4k_quality_profile", Plain, None),
    key("radarr_4k_root_folder", Plain, None),
    key("sonarr_4k_url", Plain, None),
    key("sonarr_4k_api_key", Secret, None),
    key("sonarr_4k_quality_profile", Plain, None),
    key("sonarr_4k_root_folder", Plain, None),
    key("sonarr_anime_url", Plain, None),
    key("sonarr_anime_api_key", Secret, None),
    key("sonarr_anime_quality_profile", Plain, None),
    key("sonarr_anime_root_folder", Plain, None),
    key("radarr_minimum_availability", Plain, Some("released")),
    key("radarr_tags", List, None),
    key("sonarr_tags", List, None),
    key("sonarr_season_folder", Plain, Some("true")),
    key("arr_search_on_add", Plain, Some("true")),
    key("arr_submit_attempts", Plain, Some("5")),
    key("arr_submit_lease_secs", Plain, Some("120")),
    key("arr_retry_backoff_secs", Plain, Some("60")),
    key("jellyfin_url", Plain, None),
    key("jellyfin_api_key", Secret, None),
    key("jellyfin_public_url", Plain, None),
    key("plex_url", Plain, None),
    key("plex_token", Secret, None),
    key("plex_public_url", Plain, None),
    key("library_full_pass_hours", Plain, Some("6")),
    key("library_incremental_minutes", Plain, Some("5")),
    key("webhook_secret", Secret, None),
    key("telegram_token", Secret, None),
    key("telegram_api_url", Plain, Some("https://api.telegram.org")),
    key("telegram_admin_chat_id", Plain, None),
    key("telegram_admin_topic_id", Plain, None),
    key("telegram_admin_ids", List, None),
    key("telegram_allowed_chat_ids", List, None),
    key("telegram_webhook_url", Plain, None),
    key("telegram_registration", Plain, Some("member")),
    key("discord_token", Secret, None),
    key("discord_application_id", Plain, None),
    key("discord_public_key", Plain, None),
    key("discord_api_url", Plain, Some("https://discord.com")),
    key("discord_guild_ids", List, None),
    key("discord_admin_channel_id", Plain, None),
    key("discord_admin_ids", List, None),
    key("discord_admin_role_ids", List, None),
    key("discord_approver_role_ids", List, None),
    key("discord_member_role_ids", List, None),
    key("discord_administrators_are_admins", Plain, Some("false")),
    key("discord_registration", Plain, Some("member")),
    key("discord_announce_channel_id", Plain, None),
    key("discord_dm_fallback_channel_id", Plain, None),
    key("discord_mode", Plain, Some("gateway")),
    key("oidc_issuer", Plain, None),
    key("oidc_client_id", Plain, None),
    key("oidc_client_secret", Secret, None),
    key("oidc_admin_groups", List, None),
    key("oidc_approver_groups", List, None),
    key("oidc_member_groups", List, None),
    key("oidc_auto_create", Plain, Some("true")),
    key("oidc_groups_claim", Plain, Some("groups")),
    key("console_plex_login", Plain, Some("false")),
    key("plex_tv_url", Plain, Some("https://plex.tv")),
    key("plex_app_url", Plain, Some("https://app.plex.tv")),
    key("trusted_proxies", List, None),
    key("session_idle_minutes", Plain, Some("120")),
    key("session_max_days", Plain, Some("7")),
    key("sign_in_per_minute", Plain, Some("10")),
    key("security_contact", Plain, None),
    key("metrics_token", Secret, None),
    key("metrics_allow", List, Some("127.0.0.0/8,::1")),
];

/// Keys needed before the database is open (where it is, the master key that unseals stored
/// secrets, the listen address bound first and how its server treats connections, logging): they come from the TOML file, the
/// environment or flags only, never from the console's saved settings.
pub(crate) const STARTUP_KEYS: &[&str] = &[
    "database_url",
    "data_dir",
    "listen",
    "public_url",
    "secret_key",
    "secret_key_previous",
    "log",
    "log_format",
    "http_header_timeout_secs",
    "http_idle_timeout_secs",
    "http_max_connections",
];

/// Whether a key is one of [`STARTUP_KEYS`].
pub(crate) fn is_startup(name: &str) -> bool {
    STARTUP_KEYS.contains(&name)
}

/// Prefix of every environment variable Usher reads.
pub(crate) const ENV_PREFIX: &str = "USHER_";

/// Names the TOML file; not a setting itself.
pub(crate) const CONFIG_ENV: &str = "USHER_CONFIG";

/// Environment names the test suites use; never warned about.
pub(crate) const TEST_ENV_PREFIX: &str = "USHER_TEST_";

/// Looks a key up by its lower-case name.
pub(crate) fn find(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Looks a key up by its environment name (`USHER_LISTEN` → `listen`).
pub(crate) fn find_env(env_name: &str) -> Option<&'static Key> {
    let rest = env_name.strip_prefix(ENV_PREFIX)?;
    KEYS.iter().find(|k| rest == k.name.to_ascii_uppercase())
}

/// The environment name of a key, used in every problem message.
pub(crate) fn env_name(name: &str) -> String {
    format!("{ENV_PREFIX}{}", name.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_case_unique_and_round_trip() {
        for (i, k) in KEYS.iter().enumerate() {
            assert_eq!(k.name, k.name.to_ascii_lowercase(), "{}", k.name);
            assert!(
                !k.name.ends_with("_file"),
                "{} would clash with _FILE",
                k.name
            );
            assert!(
                KEYS[i + 1..].iter().all(|o| o.name != k.name),
                "duplicate {}",
                k.name
            );
            let env = env_name(k.name);
            assert_eq!(find_env(&env).map(|f| f.name), Some(k.name));
        }
        assert_eq!(KEYS.len(), 93);
    }

    #[test]
    fn startup_keys_are_known() {
        for name in STARTUP_KEYS {
            assert!(find(name).is_some(), "{name}");
        }
    }

    #[test]
    fn env_lookup_is_exact() {
        assert!(find_env("USHER_listen").is_none());
        assert!(find_env("LISTEN").is_none());
        assert!(find_env("USHER_LISTEN").is_some());
        assert!(find("listen").is_some());
        assert!(find("LISTEN").is_none());
    }
}
