//! What UserService learns from the chat platforms on each contact: the language a platform
//! reports for an account (so direct messages and approver cards are written in it), and roles
//! that follow a platform role (Discord roles listed in `USHER_DISCORD_ADMIN_ROLE_IDS`).

use serde_json::json;

use super::UserService;
use crate::domain::{Actor, AuditAction, Platform, Source, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::chat::{self, Holding};
use crate::store::{audit, in_tx, sessions, users};

/// Longest language tag kept (BCP 47 tags in practice stay far below).
const MAX_LOCALE: usize = 35;

/// Platform roles that carry an Usher role, e.g. the Discord roles whose members are admins.
/// Core decides with it, in [`UserService::apply_role_map`]: the front end only reports which
/// platform roles a member holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMap {
    /// Stored as `user_roles.granted_via`, so only grants made by this map are taken back.
    via: &'static str,
    /// (platform role id, Usher role name).
    rules: Vec<(String, &'static str)>,
}

impl RoleMap {
    /// Members holding any of these Discord roles are admins (`USHER_DISCORD_ADMIN_ROLE_IDS`).
    pub fn discord_admins(role_ids: &[u64]) -> Self {
        Self {
            via: "discord_role",
            rules: role_ids
                .iter()
                .map(|id| (id.to_string(), crate::domain::role::builtin::ADMIN))
                .collect(),
        }
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
        in_tx!(self.db, tx => {
            if chat::identity_locale(tx, platform, external_id).await?.as_deref() != Some(locale) {
                chat::set_identity_locale(tx, platform, external_id, locale).await?;
            }
            Ok(())
        })
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

    /// The caller chooses the language Usher writes to them in, on every platform and in every
    /// message (`/language`), over what any platform reports; `None` goes back to the
    /// platform's. The front end offers only the languages it ships; core checks the form.
    pub async fn choose_language(&self, actor: &Actor, language: Option<&str>) -> CoreResult<()> {
        let language = language.map(str::trim);
        if let Some(tag) = language {
            let well_formed = !tag.is_empty()
                && tag.len() <= MAX_LOCALE
                && tag
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(CoreError::Validation(format!(
                    "{tag:?} is not a language tag"
                )));
            }
        }
        let now = Timestamp::now();
        in_tx!(self.db, tx => {
            let caller = authz::caller(tx, actor).await?;
            let user = caller.user.ok_or_else(|| CoreError::Validation("only users choose a language".into()))?;
            chat::set_chosen_language(tx, user.id, language, now).await
        })
    }

    /// The language to write to a user on a platform: their choice, else what that platform
    /// reports for them; `None` when neither is known (the caller falls back).
    pub async fn language_on(
        &self,
        user: UserId,
        platform: Platform,
    ) -> CoreResult<Option<String>> {
        in_tx!(self.db, tx => chat::language_on(tx, user, platform).await)
    }

    /// The language of a platform's approvers: the most common among users who may approve and
    /// have an account there. Approver cards in the admin chat are written in it; `None` when
    /// no approver's language is known yet (the caller then uses the fallback, en-US).
    pub async fn approvers_language(&self, platform: Platform) -> CoreResult<Option<String>> {
        in_tx!(self.db, tx => chat::approvers_language(tx, platform).await)
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
        in_tx!(self.db, tx => {
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
        })
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
    }
}
