//! The integrations' settings: which values enable each one, which must come in pairs.

use secrecy::SecretString;

use super::{Validator, is_http_url};
use crate::config::settings::{
    ArrSettings, DiscordMode, DiscordRegistration, DiscordSettings, OidcSettings,
    TelegramRegistration, TelegramSettings,
};

impl Validator<'_> {
    /// A URL + secret pair where either alone is a problem.
    pub(super) fn url_and_secret(
        &mut self,
        url: &str,
        secret: &str,
    ) -> Option<(String, SecretString)> {
        let parsed_url = self.http_url(url);
        let both = self.require(secret, url, "is set") & self.require(url, secret, "is set");
        Some((parsed_url?, self.secret(secret)?)).filter(|_| both)
    }

    /// A Radarr or Sonarr: `[url, api_key, quality_profile, root_folder]`.
    pub(super) fn arr(&mut self, [url, api_key, quality, root]: [&str; 4]) -> Option<ArrSettings> {
        let extra = [quality, root].into_iter().find(|e| self.is_set(e));
        if let Some(extra) = extra.filter(|_| !self.is_set(url) && !self.is_set(api_key)) {
            self.require(url, extra, "is set");
            self.require(api_key, extra, "is set");
        }
        let (url, api_key) = self.url_and_secret(url, api_key)?;
        Some(ArrSettings {
            url,
            api_key,
            quality_profile: self.text(quality),
            root_folder: self.text(root),
        })
    }

    pub(super) fn telegram(&mut self) -> Option<TelegramSettings> {
        let api_url = self.http_url("telegram_api_url");
        let admin_chat_id = self.parse("telegram_admin_chat_id", "a chat id (an integer)");
        let admin_topic_id = self.topic_id("telegram_admin_topic_id", "telegram_admin_chat_id");
        let admin_ids = self.list("telegram_admin_ids", "a user id (an integer)");
        let allowed_chat_ids = self.list("telegram_allowed_chat_ids", "a chat id (an integer)");
        let webhook_url = self.http_url("telegram_webhook_url");
        let registration = self.choice(
            "telegram_registration",
            &[
                ("member", TelegramRegistration::Member),
                ("refuse", TelegramRegistration::Refuse),
            ],
        );
        self.ignored_without(
            "telegram_token",
            &[
                "telegram_api_url",
                "telegram_admin_chat_id",
                "telegram_admin_topic_id",
                "telegram_admin_ids",
                "telegram_allowed_chat_ids",
                "telegram_webhook_url",
                "telegram_registration",
            ],
        );
        Some(TelegramSettings {
            token: self.secret("telegram_token")?,
            api_url: api_url?,
            admin_chat_id,
            admin_topic_id,
            admin_ids,
            allowed_chat_ids,
            webhook_url,
            registration: registration?,
        })
    }

    /// A forum topic's thread id (a positive message id), which only means something inside
    /// the chat `chat` names: set without it is a problem, not a silent no-op.
    fn topic_id(&mut self, name: &str, chat: &str) -> Option<i32> {
        let topic = self.parse::<i32>(name, "a forum topic id (a positive integer)");
        if let Some(topic) = topic.filter(|t| *t <= 0) {
            let shown = Self::shown(name, &topic.to_string());
            self.problem(
                name,
                format!("{shown} is not a forum topic id (a positive integer)"),
            );
        }
        let paired = self.require(chat, name, "is set");
        topic.filter(|t| *t > 0 && paired)
    }

    pub(super) fn discord(&mut self) -> Option<DiscordSettings> {
        let application_id = self.parse("discord_application_id", "an application id (a number)");
        let public_key = self.text("discord_public_key");
        if public_key.as_ref().is_some_and(|key| !is_hex_key(key)) {
            self.problem(
                "discord_public_key",
                "is not a 64-character hex Ed25519 public key",
            );
        }
        let api_url = self.http_url("discord_api_url");
        let guild_ids = self.list("discord_guild_ids", "a guild id (a number)");
        let admin_channel_id = self.parse("discord_admin_channel_id", "a channel id (a number)");
        let admin_ids = self.list("discord_admin_ids", "a user id (a number)");
        let admin_role_ids = self.list("discord_admin_role_ids", "a role id (a number)");
        let approver_role_ids = self.list("discord_approver_role_ids", "a role id (a number)");
        let member_role_ids = self.list("discord_member_role_ids", "a role id (a number)");
        let administrators_are_admins = self.flag("discord_administrators_are_admins");
        let registration = self.choice(
            "discord_registration",
            &[
                ("member", DiscordRegistration::Member),
                ("refuse", DiscordRegistration::Refuse),
            ],
        );
        let announce_channel_id =
            self.parse("discord_announce_channel_id", "a channel id (a number)");
        let dm_fallback_channel_id =
            self.parse("discord_dm_fallback_channel_id", "a channel id (a number)");
        let mode = self.choice(
            "discord_mode",
            &[
                ("gateway", DiscordMode::Gateway),
                ("http", DiscordMode::Http),
            ],
        );
        if mode == Some(DiscordMode::Http) {
            for needed in [
                "discord_token",
                "discord_application_id",
                "discord_public_key",
            ] {
                if !self.is_set(needed) {
                    self.problem(needed, "required when USHER_DISCORD_MODE is http");
                }
            }
        }
        self.ignored_without(
            "discord_token",
            &[
                "discord_application_id",
                "discord_public_key",
                "discord_api_url",
                "discord_guild_ids",
                "discord_admin_channel_id",
                "discord_admin_ids",
                "discord_admin_role_ids",
                "discord_approver_role_ids",
                "discord_member_role_ids",
                "discord_announce_channel_id",
                "discord_dm_fallback_channel_id",
            ],
        );
        Some(DiscordSettings {
            token: self.secret("discord_token")?,
            application_id,
            public_key,
            api_url: api_url?,
            guild_ids,
            admin_channel_id,
            admin_ids,
            admin_role_ids,
            approver_role_ids,
            member_role_ids,
            administrators_are_admins: administrators_are_admins?,
            registration: registration?,
            announce_channel_id,
            dm_fallback_channel_id,
            mode: mode?,
        })
    }

    pub(super) fn oidc(&mut self) -> Option<OidcSettings> {
        // Kept exactly as given: the issuer must match the ID token's `iss` claim.
        let issuer = self.text("oidc_issuer");
        if issuer.as_ref().is_some_and(|i| !is_http_url(i)) {
            self.problem("oidc_issuer", "is not an http(s) URL");
        }
        let admin_groups = self.list("oidc_admin_groups", "a group name");
        let approver_groups = self.list("oidc_approver_groups", "a group name");
        let member_groups = self.list("oidc_member_groups", "a group name");
        let auto_create = self.flag("oidc_auto_create");
        let groups_claim = self.text("oidc_groups_claim");
        if groups_claim.as_ref().is_some_and(|c| !is_claim_name(c)) {
            self.problem(
                "oidc_groups_claim",
                "is not a claim name (letters, digits and . _ : / - only)",
            );
        }
        let both = self.require("oidc_client_id", "oidc_issuer", "is set")
            & self.require("oidc_issuer", "oidc_client_id", "is set");
        self.ignored_without(
            "oidc_issuer",
            &[
                "oidc_client_secret",
                "oidc_admin_groups",
                "oidc_approver_groups",
                "oidc_member_groups",
                "oidc_auto_create",
                "oidc_groups_claim",
            ],
        );
        Some(OidcSettings {
            issuer: issuer.filter(|i| both && is_http_url(i))?,
            client_id: self.text("oidc_client_id")?,
            client_secret: self.secret("oidc_client_secret"),
            admin_groups,
            approver_groups,
            member_groups,
            auto_create: auto_create?,
            groups_claim: groups_claim.filter(|c| is_claim_name(c))?,
        })
    }
}

/// A top-level claim name as providers spell them: `groups`, `roles`, or a URI such as
/// `https://example.org/groups` (Auth0-style namespaced claims).
fn is_claim_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-'))
}

/// Discord application public keys are 32 bytes in hex.
fn is_hex_key(key: &str) -> bool {
    key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit())
}
