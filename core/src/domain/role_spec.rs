//! Roles an operator defines: what a `[[role]]` table of `usher.toml` or the console's role
//! form says (permissions, quotas, a content limit, where requests go), and the grants
//! (`[[role_grant]]`) that hand a role to the members of a Telegram chat, the holders of a
//! Discord role or an OIDC group.
//!
//! Both sources are read into the same [`RoleSpec`] and [`GrantSpec`] and checked by the same
//! [`RoleSpec::problems`] and [`GrantSpec::parse`], so `usher serve` and the console refuse the
//! same mistakes with the same words.

use serde::{Deserialize, Serialize};

use super::content_limit::ContentLimitSpec;
use super::media::MediaType;
use super::quota::{QuotaLimit, QuotaScope};
use super::role::{Permission, Permissions};

/// Longest role name.
pub const MAX_ROLE_NAME: usize = 40;

/// Largest quota count and window (as the console's quota form allows).
const MAX_COUNT: i64 = 100_000;
const MAX_DAYS: i64 = 3650;

/// A role as an operator defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSpec {
    /// Unique name; a built-in's name edits that built-in.
    pub name: String,
    /// What it grants.
    pub permissions: Permissions,
    /// Its quotas for movies and TV seasons, when it has any.
    pub quota: Option<RoleQuota>,
    /// What its holders may be offered; `None` limits nothing.
    pub content_limit: Option<ContentLimitSpec>,
    /// Where its holders' movie requests go; `None`: the instance's own settings.
    pub radarr: Option<Placement>,
    /// Where its holders' TV requests go.
    pub sonarr: Option<Placement>,
}

/// `quota = { movies = N, seasons = M, days = D }`: N movies and M TV seasons per D days
/// (counted like every quota: one per movie, one per season). A count left out is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleQuota {
    /// Movies per window.
    #[serde(default)]
    pub movies: Option<i64>,
    /// TV seasons per window.
    #[serde(default)]
    pub seasons: Option<i64>,
    /// The window, in days.
    pub days: i64,
}

impl RoleQuota {
    /// The role-quota rows it stands for: (movie scope, movie limit), (tv scope, tv limit);
    /// `None` clears that counter. Only valid quotas (see [`RoleSpec::problems`]) convert.
    pub fn limits(&self) -> [(QuotaScope, Option<QuotaLimit>); 2] {
        let limit = |count: Option<i64>| {
            count.map(|max| QuotaLimit {
                max: u32::try_from(max).unwrap_or(0),
                days: u32::try_from(self.days).unwrap_or(1),
            })
        };
        [
            (QuotaScope::ALL[0], limit(self.movies)),
            (QuotaScope::ALL[1], limit(self.seasons)),
        ]
    }

    fn problems(&self, out: &mut Vec<String>) {
        for (what, count) in [("movies", self.movies), ("seasons", self.seasons)] {
            if let Some(count) = count
                && !(0..=MAX_COUNT).contains(&count)
            {
                out.push(format!(
                    "quota.{what} is {count}; it must be 0 to {MAX_COUNT} (leave it out for no limit)"
                ));
            }
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            out.push(format!(
                "quota.days is {}; it must be 1 to {MAX_DAYS}",
                self.days
            ));
        }
    }
}

/// Where a role's requests of one media type go: a Radarr/Sonarr instance and, optionally,
/// the quality profile, root folder and tags to use there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The instance's name: `radarr`, `radarr-4k`, `sonarr`, `sonarr-4k`, `sonarr-anime`.
    pub instance: String,
    /// Quality profile name or id; `None`: the instance's configured one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_profile: Option<String>,
    /// Root folder path or id; `None`: the instance's configured one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_folder: Option<String>,
    /// Tag labels in place of the instance's configured ones; empty keeps those.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Placement {
    /// Problems with a placement for `media` given the instances configured (by name).
    pub(super) fn problems(
        &self,
        key: &str,
        media: MediaType,
        instances: &[&str],
        out: &mut Vec<String>,
    ) {
        let kind = match media {
            MediaType::Movie => "radarr",
            MediaType::Tv => "sonarr",
        };
        let name = self.instance.trim();
        if !name.starts_with(kind) || !instances.contains(&name) {
            let fitting: Vec<&str> = instances
                .iter()
                .copied()
                .filter(|i| i.starts_with(kind))
                .collect();
            let known = if fitting.is_empty() {
                format!("no {kind} instance is configured")
            } else {
                format!("configured: {}", fitting.join(", "))
            };
            out.push(format!(
                "{key}.instance `{name}` is not a configured {kind} instance ({known})"
            ));
        }
        for (what, value) in [
            ("quality_profile", &self.quality_profile),
            ("root_folder", &self.root_folder),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                out.push(format!("{key}.{what} is empty; leave it out instead"));
            }
        }
        for tag in &self.tags {
            if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                out.push(format!(
                    "{key}.tags: \"{tag}\" may only hold letters a-z, digits and -"
                ));
            }
        }
    }

    /// The placement tidied for storage: trimmed, tags lower-case.
    pub(super) fn tidy(mut self) -> Self {
        self.instance = self.instance.trim().to_owned();
        self.quality_profile = self.quality_profile.map(|v| v.trim().to_owned());
        self.root_folder = self.root_folder.map(|v| v.trim().to_owned());
        self.tags = self.tags.iter().map(|t| t.to_ascii_lowercase()).collect();
        self
    }
}

/// The placement a request of `media` (4K or not) takes from its requester's roles, given
/// as (radarr, sonarr) per role, lowest role id first: the first role with a placement for the
/// media type whose instance serves that quality (a `-4k` instance for 4K requests, another
/// for the rest). The role a person got first (lowest id) wins when several have one.
pub fn pick_placement(
    roles: &[(Option<Placement>, Option<Placement>)],
    media: MediaType,
    four_k: bool,
) -> Option<&Placement> {
    roles
        .iter()
        .filter_map(|(radarr, sonarr)| match media {
            MediaType::Movie => radarr.as_ref(),
            MediaType::Tv => sonarr.as_ref(),
        })
        .find(|p| p.instance.ends_with("-4k") == four_k)
}

impl RoleSpec {
    /// Everything wrong with the role given the instances configured; empty when it may be
    /// saved. Each message names the field at fault.
    pub fn problems(&self, instances: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(why) = check_name(&self.name) {
            out.push(why);
        }
        if let Some(quota) = &self.quota {
            quota.problems(&mut out);
        }
        if let Some(limit) = &self.content_limit
            && let Err(why) = limit.validate()
        {
            out.push(format!("content_limit: {why}"));
        }
        if let Some(p) = &self.radarr {
            p.problems("radarr", MediaType::Movie, instances, &mut out);
        }
        if let Some(p) = &self.sonarr {
            p.problems("sonarr", MediaType::Tv, instances, &mut out);
        }
        out
    }

    /// The placement for a media type, if the role has one.
    pub fn placement(&self, media: MediaType) -> Option<&Placement> {
        match media {
            MediaType::Movie => self.radarr.as_ref(),
            MediaType::Tv => self.sonarr.as_ref(),
        }
    }

    /// Reads one `[[role]]` table; `Err` lists what is wrong with it (unknown fields and
    /// permissions, bad quotas, limits and placements), each message naming the field.
    pub fn from_toml(table: &toml::Table, instances: &[&str]) -> Result<Self, Vec<String>> {
        let raw: RoleTable = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|err: toml::de::Error| vec![err.message().to_owned()])?;
        let mut problems = Vec::new();
        let mut permissions = Vec::new();
        for name in &raw.permissions {
            match Permission::parse(name) {
                Ok(p) => permissions.push(p),
                Err(why) => problems.push(format!("permissions: {why}")),
            }
        }
        let spec = Self {
            name: raw.name.trim().to_owned(),
            permissions: Permissions::of(&permissions),
            quota: raw.quota,
            content_limit: raw.content_limit,
            radarr: raw.radarr.map(Placement::tidy),
            sonarr: raw.sonarr.map(Placement::tidy),
        };
        problems.extend(spec.problems(instances));
        if problems.is_empty() {
            Ok(spec)
        } else {
            Err(problems)
        }
    }
}

/// The `[[role]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleTable {
    name: String,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    quota: Option<RoleQuota>,
    #[serde(default)]
    content_limit: Option<ContentLimitSpec>,
    #[serde(default)]
    radarr: Option<Placement>,
    #[serde(default)]
    sonarr: Option<Placement>,
}

/// A role name: 1 to 40 lower-case letters, digits, `-` or `_` (it appears in URLs and in
/// audit targets).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= MAX_ROLE_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "name `{name}` must be 1 to {MAX_ROLE_NAME} lower-case letters, digits, - or _"
        ))
    }
}

/// Who a grant hands its role to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantTarget {
    /// Whoever writes or presses in this Telegram group chat.
    TelegramChat(i64),
    /// Whoever holds this Discord role in the guild they press in.
    DiscordRole(u64),
    /// Whoever signs in with this OIDC group.
    OidcGroup(String),
}

impl GrantTarget {
    /// The stored kind: `telegram_chat`, `discord_role` or `oidc_group`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TelegramChat(_) => "telegram_chat",
            Self::DiscordRole(_) => "discord_role",
            Self::OidcGroup(_) => "oidc_group",
        }
    }

    /// The stored value: the chat id, role id or group name as text.
    pub fn value(&self) -> String {
        match self {
            Self::TelegramChat(id) => id.to_string(),
            Self::DiscordRole(id) => id.to_string(),
            Self::OidcGroup(group) => group.clone(),
        }
    }

    /// Reads a kind and value (stored, or typed in the console) back; `Err` says what is
    /// wrong in words for the operator.
    pub fn parse(kind: &str, value: &str) -> Result<Self, String> {
        let value = value.trim();
        match kind {
            "telegram_chat" => value
                .parse()
                .map(Self::TelegramChat)
                .map_err(|_| format!("telegram_chat `{value}` is not a chat id (a number)")),
            "discord_role" => value
                .parse()
                .map(Self::DiscordRole)
                .map_err(|_| format!("discord_role `{value}` is not a Discord role id")),
            "oidc_group" if !value.is_empty() && value.len() <= 200 => {
                Ok(Self::OidcGroup(value.to_owned()))
            }
            "oidc_group" => Err("oidc_group must be 1 to 200 characters".into()),
            other => Err(format!(
                "unknown grant kind `{other}`; use telegram_chat, discord_role or oidc_group"
            )),
        }
    }
}

/// A grant as an operator writes it: a role, and whom it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantSpec {
    /// The role's name.
    pub role: String,
    /// Who holds it through this grant.
    pub target: GrantTarget,
}

impl GrantSpec {
    /// Reads one `[[role_grant]]` table: `role` and exactly one of `telegram_chat`,
    /// `discord_role`, `oidc_group`. Whether the role exists is checked by the caller, who
    /// knows the roles.
    pub fn from_toml(table: &toml::Table) -> Result<Self, String> {
        let raw: GrantTable = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|err: toml::de::Error| err.message().to_owned())?;
        let mut targets = Vec::new();
        if let Some(chat) = raw.telegram_chat {
            targets.push(GrantTarget::TelegramChat(chat));
        }
        if let Some(role) = raw.discord_role {
            targets.push(GrantTarget::DiscordRole(role));
        }
        if let Some(group) = raw.oidc_group {
            targets.push(GrantTarget::parse("oidc_group", &group)?);
        }
        if targets.len() != 1 {
            return Err(format!(
                "names {} targets; give exactly one of telegram_chat, discord_role, oidc_group",
                targets.len()
            ));
        }
        Ok(Self {
            role: raw.role.trim().to_owned(),
            target: targets.remove(0),
        })
    }
}

/// The `[[role_grant]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantTable {
    role: String,
    #[serde(default)]
    telegram_chat: Option<i64>,
    #[serde(default)]
    discord_role: Option<u64>,
    #[serde(default)]
    oidc_group: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTANCES: &[&str] = &["radarr", "sonarr"];

    fn table(text: &str) -> toml::Table {
        text.parse().expect("toml")
    }

    #[test]
    fn a_full_role_table_reads() {
        let spec = RoleSpec::from_toml(
            &table(
                r#"
                name = "family"
                permissions = ["request_movie", "auto_approve_movie"]
                quota = { movies = 3, seasons = 5, days = 7 }
                content_limit = { movie = "PG-13", blocked_titles = ["movie/550"] }
                radarr = { instance = "radarr", quality_profile = "HD-1080p", root_folder = "/movies/family", tags = ["Kids"] }
                "#,
            ),
            INSTANCES,
        )
        .expect("valid");
        assert_eq!(spec.name, "family");
        assert!(spec.permissions.allows(Permission::AutoApproveMovie));
        assert!(!spec.permissions.allows(Permission::RequestTv));
        let [(movie, m), (tv, t)] = spec.quota.expect("quota").limits();
        assert_eq!(
            (movie.key(), m),
            ("movie", Some(QuotaLimit { max: 3, days: 7 }))
        );
        assert_eq!((tv.key(), t), ("tv", Some(QuotaLimit { max: 5, days: 7 })));
        assert_eq!(spec.radarr.expect("radarr").tags, vec!["kids".to_owned()]);
    }

    #[test]
    fn every_mistake_is_named() {
        let problems = RoleSpec::from_toml(
            &table(
                r#"
                name = "Family Room"
                permissions = ["request", "approve"]
                quota = { movies = -1, days = 0 }
                content_limit = { movie = "XYZ" }
                radarr = { instance = "radarr-4k" }
                sonarr = { instance = "radarr" }
                "#,
            ),
            INSTANCES,
        )
        .expect_err("invalid");
        let all = problems.join("\n");
        for wanted in [
            "unknown permission `request`",
            "name `Family Room`",
            "quota.movies is -1",
            "quota.days is 0",
            "content_limit: `XYZ` is not a movie certification",
            "radarr.instance `radarr-4k` is not a configured radarr instance",
            "sonarr.instance `radarr` is not a configured sonarr instance",
        ] {
            assert!(all.contains(wanted), "{wanted} missing from:\n{all}");
        }
        let unknown = RoleSpec::from_toml(&table("name = \"x\"\ncolour = 1"), INSTANCES)
            .expect_err("unknown field");
        assert!(unknown[0].contains("colour"), "{unknown:?}");
    }

    #[test]
    fn the_lowest_role_with_a_fitting_placement_wins() {
        let at = |instance: &str, folder: &str| {
            Some(Placement {
                instance: instance.into(),
                root_folder: Some(folder.into()),
                ..Placement::default()
            })
        };
        let roles = vec![
            (None, at("sonarr", "/tv/kids")),
            (at("radarr-4k", "/uhd"), None),
            (at("radarr", "/movies/family"), None),
            (at("radarr", "/movies/other"), None),
        ];
        let folder = |p: Option<&Placement>| p.and_then(|p| p.root_folder.clone());
        let movie = pick_placement(&roles, MediaType::Movie, false);
        assert_eq!(folder(movie).as_deref(), Some("/movies/family"));
        let uhd = pick_placement(&roles, MediaType::Movie, true);
        assert_eq!(folder(uhd).as_deref(), Some("/uhd"));
        assert!(pick_placement(&roles, MediaType::Tv, true).is_none());
    }

    #[test]
    fn a_grant_names_exactly_one_target() {
        let chat = GrantSpec::from_toml(&table("role = \"family\"\ntelegram_chat = -100123"));
        assert_eq!(
            chat,
            Ok(GrantSpec {
                role: "family".into(),
                target: GrantTarget::TelegramChat(-100_123),
            })
        );
        let none = GrantSpec::from_toml(&table("role = \"family\"")).expect_err("no target");
        assert!(none.contains("names 0 targets"), "{none}");
        let two = GrantSpec::from_toml(&table(
            "role = \"f\"\ndiscord_role = 5\noidc_group = \"kids\"",
        ))
        .expect_err("two targets");
        assert!(two.contains("names 2 targets"), "{two}");
        let target = GrantTarget::OidcGroup("kids".into());
        assert_eq!(
            GrantTarget::parse(target.kind(), &target.value()),
            Ok(target)
        );
        assert!(GrantTarget::parse("discord_role", "abc").is_err());
    }
}
