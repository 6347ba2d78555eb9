//! Hand-written `Debug` for the settings types: secrets print as `[redacted]` and URLs lose
//! any embedded password, so `{:?}` of the whole configuration is safe to log.

use std::fmt::{self, Debug, Formatter};

use secrecy::SecretString;

use super::database_url::mask_url_password;
use super::settings::{
    ArrSettings, ConsoleSettings, DiscordSettings, JellyfinSettings, OidcSettings, PlexSettings,
    Settings, TelegramSettings, TmdbSettings,
};

/// Prints in place of a secret.
struct Redacted;

impl Debug for Redacted {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// An optional secret: `Some([redacted])` or `None`, so "is it set?" stays visible.
fn secret(value: &Option<SecretString>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}

/// A URL with its password masked.
struct Url<'a>(&'a str);

impl Debug for Url<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        Debug::fmt(&mask_url_password(self.0), f)
    }
}

impl Debug for Settings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &self.database_url)
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("public_url", &Url(&self.public_url))
            .field("secret_key", &secret(&self.secret_key))
            .field("secret_key_previous", &secret(&self.secret_key_previous))
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("http_timeout", &self.http_timeout)
            .field("http_server", &self.http_server)
            .field("tmdb", &self.tmdb)
            .field("tmdb_api_url", &Url(&self.tmdb_api_url))
            .field("tmdb_image_url", &Url(&self.tmdb_image_url))
            .field("radarr", &self.radarr)
            .field("sonarr", &self.sonarr)
            .field("radarr_4k", &self.radarr_4k)
            .field("sonarr_4k", &self.sonarr_4k)
            .field("sonarr_anime", &self.sonarr_anime)
            .field("arr", &self.arr)
            .field("jellyfin", &self.jellyfin)
            .field("plex", &self.plex)
            .field("media_servers", &self.media_servers)
            .field("places", &self.places)
            .field("library_index", &self.library_index)
            .field("webhook_secret", &secret(&self.webhook_secret))
            .field("telegram", &self.telegram)
            .field("discord", &self.discord)
            .field("oidc", &self.oidc)
            .field("console", &self.console)
            .field("locked_keys", &self.locked_keys)
            .finish()
    }
}

impl Debug for ConsoleSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleSettings")
            .field("trusted_proxies", &self.trusted_proxies)
            .field("session_idle", &self.session_idle)
            .field("session_max", &self.session_max)
            .field("sign_in_per_minute", &self.sign_in_per_minute)
            .field("security_contact", &self.security_contact)
            .field("metrics_token", &secret(&self.metrics_token))
            .field("metrics_allow", &self.metrics_allow)
            .field("plex_login", &self.plex_login)
            .field("plex_tv_url", &self.plex_tv_url)
            .field("plex_app_url", &self.plex_app_url)
            .finish()
    }
}

impl Debug for TmdbSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("TmdbSettings")
            .field("api_key", &Redacted)
            .finish()
    }
}

impl Debug for ArrSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArrSettings")
            .field("url", &Url(&self.url))
            .field("api_key", &Redacted)
            .field("quality_profile", &self.quality_profile)
            .field("root_folder", &self.root_folder)
            .finish()
    }
}

impl Debug for JellyfinSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("JellyfinSettings")
            .field("url", &Url(&self.url))
            .field("api_key", &Redacted)
            .finish()
    }
}

impl Debug for PlexSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlexSettings")
            .field("url", &Url(&self.url))
            .field("token", &Redacted)
            .finish()
    }
}

impl Debug for TelegramSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramSettings")
            .field("token", &Redacted)
            .field("api_url", &Url(&self.api_url))
            .field("admin_chat_id", &self.admin_chat_id)
            .field("admin_topic_id", &self.admin_topic_id)
            .field("admin_ids", &self.admin_ids)
            .field("allowed_chat_ids", &self.allowed_chat_ids)
            .field("webhook_url", &self.webhook_url.as_deref().map(Url))
            .field("registration", &self.registration)
            .finish()
    }
}

impl Debug for DiscordSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscordSettings")
            .field("token", &Redacted)
            .field("application_id", &self.application_id)
            .field("public_key", &self.public_key)
            .field("api_url", &Url(&self.api_url))
            .field("guild_ids", &self.guild_ids)
            .field("admin_channel_id", &self.admin_channel_id)
            .field("admin_ids", &self.admin_ids)
            .field("admin_role_ids", &self.admin_role_ids)
            .field("approver_role_ids", &self.approver_role_ids)
            .field("member_role_ids", &self.member_role_ids)
            .field("administrators_are_admins", &self.administrators_are_admins)
            .field("registration", &self.registration)
            .field("announce_channel_id", &self.announce_channel_id)
            .field("dm_fallback_channel_id", &self.dm_fallback_channel_id)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Debug for OidcSettings {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &Url(&self.issuer))
            .field("client_id", &self.client_id)
            .field("client_secret", &secret(&self.client_secret))
            .field("admin_groups", &self.admin_groups)
            .field("approver_groups", &self.approver_groups)
            .field("member_groups", &self.member_groups)
            .field("auto_create", &self.auto_create)
            .field("groups_claim", &self.groups_claim)
            .finish()
    }
}
