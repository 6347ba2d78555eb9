//! What the console pages know of the installation beyond the database, taken from the settings
//! once at start: the upstream health the dashboard shows, the Radarr/Sonarr instances an
//! approver may send a request to, and how platform groups map to roles (shown read-only).

use usher_core::config::Settings;
use usher_core::domain::MediaType;
use usher_core::domain::role::builtin as builtin_roles;
use usher_core::integrations::health::{HealthOptions, UpstreamHealth};

/// One rule that gives people a role because of where they are on a platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMapping {
    /// What is matched: a message key suffix (`discord-user`, `discord-role`, `telegram-user`,
    /// `telegram-chat`, `oidc-group`).
    pub kind: &'static str,
    /// The platform id or group name.
    pub value: String,
    /// The role it gives.
    pub role: &'static str,
}

/// The pages' view of the setup. `Default` is an installation with nothing configured.
#[derive(Debug, Clone, Default)]
pub struct PagesSetup {
    /// Upstream health for the dashboard; `None` hides the section.
    pub health: Option<UpstreamHealth>,
    /// Configured Radarr/Sonarr instances by name, with what they serve.
    pub instances: Vec<(&'static str, MediaType)>,
    /// Role mapping from the settings (environment or usher.toml).
    pub role_mapping: Vec<RoleMapping>,
}

impl PagesSetup {
    /// Reads the setup from validated settings.
    pub fn from_settings(settings: &Settings) -> Self {
        let instances = [
            ("radarr", MediaType::Movie, settings.radarr.is_some()),
            ("radarr-4k", MediaType::Movie, settings.radarr_4k.is_some()),
            ("sonarr", MediaType::Tv, settings.sonarr.is_some()),
            ("sonarr-4k", MediaType::Tv, settings.sonarr_4k.is_some()),
            (
                "sonarr-anime",
                MediaType::Tv,
                settings.sonarr_anime.is_some(),
            ),
        ]
        .into_iter()
        .filter_map(|(name, kind, configured)| configured.then_some((name, kind)))
        .collect();
        Self {
            health: Some(UpstreamHealth::new(
                settings.clone(),
                HealthOptions::default(),
            )),
            instances,
            role_mapping: role_mapping(settings),
        }
    }

    /// The instances that take requests of this media type.
    pub fn instances_for(&self, media_type: MediaType) -> Vec<&'static str> {
        self.instances
            .iter()
            .filter(|(_, serves)| *serves == media_type)
            .map(|(name, _)| *name)
            .collect()
    }
}

fn role_mapping(settings: &Settings) -> Vec<RoleMapping> {
    let rule = |kind, value: String, role| RoleMapping { kind, value, role };
    let mut rules = Vec::new();
    if let Some(discord) = &settings.discord {
        let admin = builtin_roles::ADMIN;
        rules.extend(
            discord
                .admin_ids
                .iter()
                .map(|id| rule("discord-user", id.to_string(), admin)),
        );
        rules.extend(
            discord
                .admin_role_ids
                .iter()
                .map(|id| rule("discord-role", id.to_string(), admin)),
        );
    }
    if let Some(telegram) = &settings.telegram {
        rules.extend(
            telegram
                .admin_ids
                .iter()
                .map(|id| rule("telegram-user", id.to_string(), builtin_roles::ADMIN)),
        );
        rules.extend(
            telegram
                .allowed_chat_ids
                .iter()
                .map(|id| rule("telegram-chat", id.to_string(), builtin_roles::MEMBER)),
        );
    }
    if let Some(oidc) = &settings.oidc {
        rules.extend(
            oidc.admin_groups
                .iter()
                .map(|group| rule("oidc-group", group.clone(), builtin_roles::ADMIN)),
        );
    }
    rules
}
