//! What UserService learns from the chat platforms on each contact: the language a platform
//! reports for an account (so direct messages and approver cards are written in it), and roles
//! that follow a platform role (the Discord admin and approver roles, and the guild's
//! administrators when asked), and whether a guild member may use the bot at all (its member
//! roles).

use serde_json::json;

use super::UserService;
use crate::domain::{Actor, AuditAction, Permission, Platform, Source, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::chat::{self, Holding};
use crate::store::{audit, in_tx, sessions, users};

/// Longest language tag kept (BCP 47 tags in practice stay far below).
const MAX_LOCALE: usize = 35;

/// The [`CoreError::Forbidden`] text for someone a guild's member roles keep out
/// (`USHER_DISCORD_MEMBER_ROLE_IDS`), so front ends can say exactly that.
pub const NOT_A_MEMBER: &str = "you do not hold a role that may use the bot here";

/// The platform role a front end reports for a Discord member who owns the guild or holds the
/// ADMINISTRATOR permission (Discord's `member.permissions` carries ADMINISTRATOR for the
/// owner too). Not a number, so it can never clash with a real role id.
pub const DISCORD_ADMINISTRATOR: &str = "administrator";

/// Which Discord roles carry which Usher roles, as the settings give them.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscordRoles<'a> {
    /// `USHER_DISCORD_ADMIN_ROLE_IDS`.
    pub admin: &'a [u64],
    /// `USHER_DISCORD_APPROVER_ROLE_IDS`.
    pub approver: &'a [u64],
    /// `USHER_DISCORD_MEMBER_ROLE_IDS`: when not empty, the roles one needs to use the bot.
    pub member: &'a [u64],
    /// `USHER_DISCORD_ADMINISTRATORS_ARE_ADMINS`.
    pub administrators_are_admins: bool,
}

/// A platform account seen in a guild, with the platform roles it holds there now.
#[derive(Debug, Clone, Copy)]
pub struct GuildMember<'a> {
    /// The platform (Discord).
    pub platform: Platform,
    /// The account's id on it.
    pub external_id: &'a str,
    /// The name the platform shows, for a newcomer's record.
    pub display: &'a str,
    /// The platform role ids held.
    pub held: &'a [String],
}

impl GuildMember<'_> {
    /// Who reported the roles, for the audit trail of role changes.
    fn source(&self) -> Source {
        let user = self.external_id.to_owned();
        match self.platform {
            Platform::Telegram => Source::Telegram { user },
            _ => Source::Discord { user },
        }
    }
}

/// Platform roles that carry an Usher role, e.g. the Discord roles whose members are admins,
/// and the roles one must hold to use the bot at all. Core decides with it, in
/// [`UserService::apply_role_map`] and [`UserService::meet_in_guild`]: the front end only
/// reports which platform roles a member holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMap {
    /// Stored as `user_roles.granted_via`, so only grants made by this map are taken back.
    via: &'static str,
    /// (platform role id, Usher role name).
    rules: Vec<(String, &'static str)>,
    /// Platform roles that let one use the bot; empty lets everyone.
    members: Vec<String>,
}

impl RoleMap {
    /// No platform roles at all: a platform where roles cannot be seen (Telegram), so no one
    /// is gated and nothing is granted or taken back.
    pub fn none() -> Self {
        Self {
            via: "none",
            rules: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Members holding any of these Discord roles are admins (`USHER_DISCORD_ADMIN_ROLE_IDS`).
    pub fn discord_admins(role_ids: &[u64]) -> Self {
        Self::discord(&DiscordRoles {
            admin: role_ids,
            ..DiscordRoles::default()
        })
    }

    /// The Discord role settings: admin and approver roles, the guild's administrators when
    /// `administrators_are_admins`, and the member roles that gate the bot.
    pub fn discord(roles: &DiscordRoles<'_>) -> Self {
        use crate::domain::role::builtin::{ADMIN, APPROVER};
        let ids = |ids: &[u64], role| {
            ids.iter()
                .map(move |id| (id.to_string(), role))
                .collect::<Vec<_>>()
        };
        let mut rules = ids(roles.admin, ADMIN);
        if roles.administrators_are_admins {
            rules.push((DISCORD_ADMINISTRATOR.to_owned(), ADMIN));
        }
        rules.extend(ids(roles.approver, APPROVER));
        Self {
            via: "discord_role",
            rules,
            members: roles.member.iter().map(u64::to_string).collect(),
        }
    }

    /// Whether member roles gate the bot (then only their holders, approvers and admins use
    /// it).
    pub fn gates(&self) -> bool {
        !self.members.is_empty()
    }

    /// Whether holding `held` lets one use the bot: no member roles are set, or one holds a
    /// member role or any role the map grants something for.
    pub fn admits(&self, held: &[String]) -> bool {
        self.members.is_empty()
            || held
                .iter()
                .any(|h| self.members.contains(h) || self.rules.iter().any(|(role, _)| role == h))
    }

    /// Whether the map grants nothing (then applying it is skipped).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Each Usher role of the map once, with the first platform role in `held` that carries it.
    fn decide<'a>(&'a self, held: &'a [String]) -> Vec<(&'static str, Option<&'a str>)> {
        let mut out: Vec<(&'static str, Option<&str>)> = Vec::new();
        for (platform_role, role) in &self.rules {
            let holds = held.iter().any(|h| h == platform_role);
            match out.iter_mut().find(|(r, _)| r == role) {
                Some(entry) if entry.1.is_none() && holds => entry.1 = Some(platform_role),
                Some(_) => {}
                None => out.push((role, holds.then_some(platform_role.as_str()))),
            }
        }
        out
    }
}

impl UserService {
    /// Remembers the language a platform reports for an account (Telegram's `language_code`,
    /// Discord's `locale`); written only when it changed, so the usual contact is a read.
    pub async fn note_locale(
        &self,
        platform: Platform,
        external_id: &str,
        locale: &str,
    ) -> CoreResult<()> {
        let locale = locale.trim();
        if locale.is_empty() || locale.len() > MAX_LOCALE {
            return Ok(());
        }
        // The usual contact changes nothing: find that out without queueing for a write.
        let known = chat::languages(&self.db, platform, external_id).await?;
        if known.is_none_or(|(_, reported)| reported.as_deref() == Some(locale)) {
            return Ok(());
        }
        in_tx(&self.db, |tx| {
            Box::pin(async {
                if chat::identity_locale(tx, platform, external_id)
                    .await?
                    .as_deref()
                    != Some(locale)
                {
                    chat::set_identity_locale(tx, platform, external_id, locale).await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// What is known of a platform account's language, read without a transaction: the
    /// language its user chose ([`UserService::choose_language`]) and the one the platform last
    /// reported ([`UserService::note_locale`]). Both `None` for an account Usher does not know.
    pub async fn languages(
        &self,
        platform: Platform,
        external_id: &str,
    ) -> CoreResult<(Option<String>, Option<String>)> {
        let known = chat::languages(&self.db, platform, external_id).await?;
        Ok(known.unwrap_or_default())
    }

    /// The caller chooses the language Usher speaks to them in — the console, and every message
    /// on every platform (`/language`) — over what any browser or platform reports; `None` goes
    /// back to those. Only a language Usher ships is taken ([`crate::i18n::shipped_language`]):
    /// anything else is [`CoreError::Validation`] and nothing is written. A change is audited
    /// (before → after); choosing the language already chosen writes nothing.
    pub async fn choose_language(&self, actor: &Actor, language: Option<&str>) -> CoreResult<()> {
        let language = match language {
            Some(tag) => Some(crate::i18n::shipped_language(tag).ok_or_else(|| {
                let shown: String = tag.chars().take(MAX_LOCALE).collect();
                CoreError::Validation(format!("{shown:?} is not a language Usher speaks"))
            })?),
            None => None,
        };
        let now = Timestamp::now();
        let chosen = in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let user = caller
                    .user
                    .ok_or_else(|| CoreError::Validation("only users choose a language".into()))?;
                let before = user.locale.clone();
                if before.as_deref() == language {
                    return Ok(());
                }
                chat::set_chosen_language(tx, user.id, language, now).await?;
                let details = json!({ "before": before, "after": language });
                audit::record(
                    tx,
                    actor,
                    AuditAction::LanguageChosen,
                    &format!("user:{}", user.id),
                    &details,
                    now,
                )
                .await
            })
        })
        .await;
        self.callers.forget_all();
        chosen
    }

    /// The language to write to a user on a platform: their choice, else what that platform
    /// reports for them; `None` when neither is known (the caller falls back).
    pub async fn language_on(
        &self,
        user: UserId,
        platform: Platform,
    ) -> CoreResult<Option<String>> {
        in_tx(&self.db, |tx| {
            Box::pin(async { chat::language_on(tx, user, platform).await })
        })
        .await
    }

    /// The language of a platform's approvers: the most common among users who may approve and
    /// have an account there. Approver cards in the admin chat are written in it; `None` when
    /// no approver's language is known yet (the caller then uses the fallback, en-US).
    pub async fn approvers_language(&self, platform: Platform) -> CoreResult<Option<String>> {
        in_tx(&self.db, |tx| {
            Box::pin(async { chat::approvers_language(tx, platform).await })
        })
        .await
    }

    /// A member's contact in a guild, where `held` are the platform roles they hold now: the
    /// user behind the account (created under `registration` when new), with the roles `map`
    /// grants brought in line. When the guild's member roles keep them out, it is
    /// [`CoreError::Forbidden`] with [`NOT_A_MEMBER`] — unless Usher already lets them approve
    /// (an admin from `USHER_*_ADMIN_IDS`, a role given in the console), and a newcomer is
    /// then not created at all.
    pub async fn meet_in_guild(
        &self,
        member: &GuildMember<'_>,
        registration: super::Registration,
        map: &RoleMap,
    ) -> CoreResult<crate::domain::User> {
        let GuildMember {
            platform,
            external_id,
            display,
            held,
        } = *member;
        let source = member.source();
        if map.admits(held) || self.discord_grant_admits(held).await? {
            let user = self
                .resolve(platform, external_id, display, registration)
                .await?;
            self.apply_role_map(user.id, map, held, source.clone())
                .await?;
            self.sync_discord_grants(user.id, held, source).await?;
            return Ok(user);
        }
        let Some(user) = users::read_by_identity(&self.db, platform, external_id).await? else {
            return Err(CoreError::Forbidden(NOT_A_MEMBER.into()));
        };
        // Roles the map gave are taken back first: a lost approver role lets nobody in.
        self.apply_role_map(user.id, map, held, source.clone())
            .await?;
        self.sync_discord_grants(user.id, held, source).await?;
        let trusted = users::read_with_permissions(&self.db, user.id)
            .await?
            .is_some_and(|(_, perms)| perms.allows(Permission::Approve));
        if trusted {
            Ok(user)
        } else {
            Err(CoreError::Forbidden(NOT_A_MEMBER.into()))
        }
    }

    /// Brings the roles `map` grants in line with the platform roles a member holds now
    /// (`held`): a mapped role is granted when they hold a matching platform role, and taken
    /// back when they no longer do — but only if it was this map that granted it, never a role
    /// a person or the configuration gave. Each change is audited as the system acting on what
    /// `source` reported, and ends the user's console sessions like any role change.
    pub async fn apply_role_map(
        &self,
        user: UserId,
        map: &RoleMap,
        held: &[String],
        source: Source,
    ) -> CoreResult<()> {
        if map.is_empty() {
            return Ok(());
        }
        let actor = Actor { user: None, source };
        let now = Timestamp::now();
        let decisions = map.decide(held);
        in_tx(&self.db, |tx| Box::pin(async {
            for (role, because) in &decisions {
                let role_id = users::role_id(tx, role).await?;
                let holding = chat::holding(tx, user, role_id).await?;
                let target = format!("user:{user}");
                let changed = match (because, &holding) {
                    (Some(platform_role), Holding::No) => {
                        chat::grant_via(tx, user, role_id, map.via).await?;
                        let details = json!({ "role": role, "via": map.via, "platform_role": platform_role });
                        audit::record(tx, &actor, AuditAction::RoleGranted, &target, &details, now).await?;
                        true
                    }
                    (None, Holding::Via(via)) if via == map.via => {
                        chat::revoke_via(tx, user, role_id, map.via).await?;
                        let details = json!({ "role": role, "via": map.via });
                        audit::record(tx, &actor, AuditAction::RoleRevoked, &target, &details, now).await?;
                        true
                    }
                    _ => false,
                };
                if changed {
                    sessions::revoke_user(tx, user, now).await?;
                }
            }
            Ok(())
        })).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_decided_once_from_any_matching_platform_role() {
        let map = RoleMap::discord_admins(&[11, 22]);
        assert_eq!(map.decide(&[]), vec![("admin", None)]);
        assert_eq!(
            map.decide(&["5".into(), "22".into()]),
            vec![("admin", Some("22"))]
        );
        assert!(RoleMap::discord_admins(&[]).is_empty());
        assert!(RoleMap::none().is_empty() && !RoleMap::none().gates());
    }

    #[test]
    fn administrators_and_approver_roles_map_and_member_roles_gate() {
        let map = RoleMap::discord(&DiscordRoles {
            admin: &[11],
            approver: &[33],
            member: &[44],
            administrators_are_admins: true,
        });
        let held = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            map.decide(&held(&[DISCORD_ADMINISTRATOR, "33"])),
            vec![
                ("admin", Some(DISCORD_ADMINISTRATOR)),
                ("approver", Some("33"))
            ]
        );
        assert!(!map.admits(&held(&["5"])));
        for door in ["44", "33", "11", DISCORD_ADMINISTRATOR] {
            assert!(map.admits(&held(&["5", door])), "{door}");
        }
        let off = RoleMap::discord(&DiscordRoles {
            admin: &[11],
            ..DiscordRoles::default()
        });
        assert_eq!(
            off.decide(&held(&[DISCORD_ADMINISTRATOR])),
            vec![("admin", None)]
        );
        assert!(off.admits(&[]), "no member roles: everyone may use the bot");
    }
}
