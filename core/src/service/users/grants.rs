//! The grant table at work: roles handed to whoever acts in a Telegram group chat, holds a
//! Discord role, or signs in with an OIDC group — beside the settings' own Discord and OIDC
//! mappings, which keep working.
//!
//! A role a grant hands out is held in `user_roles` with `granted_via = grant:<id>`, so core's
//! permission, quota and content-limit reads (inside every transaction) see it like any role.
//! The rules:
//! - **Discord role, OIDC group**: held while the person holds the platform role (checked on
//!   each uncached press in a guild) or the group (checked at each sign-in), taken back when
//!   they no longer do — only if the grant gave it.
//! - **Telegram chat**: Telegram does not list who is in a chat, only who writes there. Writing
//!   or pressing in a group chat with a grant gives its role, and it is kept (in private chats
//!   too) until the member leaves or is removed from the chat (a `chat_member` update, which
//!   Telegram sends only to a bot that is an administrator there), the grant is removed or an
//!   admin takes it away; it is handed out again on their next contact in that chat.
//!
//! Removing a grant takes back every role it handed out at once.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use serde_json::json;

use super::caller::{Admission, Caller, Contact};
use super::roles::record_grant;
use super::{UserService, keep_an_admin};
use crate::domain::{
    Actor, AuditAction, GrantTarget, Permission, Platform, Source, Timestamp, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::i18n::Catalog;
use crate::service::authz;
use crate::store::chat::{self, Holding};
use crate::store::roles::{self, GrantRow};
use crate::store::{audit, in_tx, sessions, users};

/// How long the grant table and "already given in this chat" are trusted without a read (a
/// change made by another replica shows within it; this process's own changes at once).
const TTL: Duration = Duration::from_secs(30);

/// The grant table and the Telegram contacts already given their chat's roles, shared by
/// every clone of [`UserService`].
#[derive(Clone)]
pub(super) struct GrantCache {
    table: Cache<(), Arc<Vec<GrantRow>>>,
    given: Cache<(String, i64), ()>,
}

impl std::fmt::Debug for GrantCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrantCache").finish_non_exhaustive()
    }
}

impl Default for GrantCache {
    fn default() -> Self {
        Self {
            table: Cache::builder().max_capacity(1).time_to_live(TTL).build(),
            given: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl GrantCache {
    /// Forgets the table and who was given what: a role or grant changed.
    pub(super) async fn forget(&self) {
        self.table.invalidate_all();
        self.given.invalidate_all();
    }
}

impl UserService {
    /// Every grant, oldest first; admins only (the console's grants section).
    pub async fn role_grants(&self, actor: &Actor) -> CoreResult<Vec<GrantRow>> {
        self.require_admin(actor).await?;
        roles::grants(&self.db).await
    }

    /// Adds a grant of `role` to `target`; admins only. An unknown role is a
    /// [`CoreError::Validation`], the same grant twice a [`CoreError::Conflict`].
    pub async fn add_grant(
        &self,
        actor: &Actor,
        role: &str,
        target: &GrantTarget,
    ) -> CoreResult<()> {
        let now = Timestamp::now();
        let added = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let record = roles::find(tx, role)
                    .await?
                    .ok_or_else(|| CoreError::Validation(format!("unknown role `{role}`")))?;
                if roles::insert_grant(tx, record.id, target, false, now)
                    .await?
                    .is_none()
                {
                    return Err(CoreError::Conflict("this grant exists".into()));
                }
                record_grant(tx, actor, AuditAction::GrantAdded, role, target, now).await
            })
        })
        .await;
        self.forget_roles().await;
        added
    }

    /// Removes grant `id` and takes back the roles it handed out (their holders' console
    /// sessions end); admins only. Grants `usher.toml` sets are refused, as is leaving no admin.
    pub async fn remove_grant(&self, actor: &Actor, id: i64) -> CoreResult<()> {
        let now = Timestamp::now();
        let removed = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                users::lock_admin_roles(tx).await?;
                let grants = roles::grants_in(tx).await?;
                let row = grants
                    .iter()
                    .find(|g| g.id == id)
                    .ok_or_else(|| CoreError::NotFound(format!("grant {id}")))?;
                if row.from_file {
                    return Err(CoreError::Conflict(super::roles::SET_BY_FILE.into()));
                }
                let holders = roles::holders_via(tx, id).await?;
                let had_admin = users::any_admin(tx).await?;
                roles::delete_grant(tx, id).await?;
                if had_admin {
                    keep_an_admin(tx).await?;
                }
                for user in holders {
                    sessions::revoke_user(tx, user, now).await?;
                }
                record_grant(
                    tx,
                    actor,
                    AuditAction::GrantRemoved,
                    &row.role,
                    &row.target,
                    now,
                )
                .await
            })
        })
        .await;
        self.forget_roles().await;
        removed
    }

    /// The grant table, from memory when read within the last [`TTL`].
    pub(super) async fn grant_table(&self) -> CoreResult<Arc<Vec<GrantRow>>> {
        // Boxed, as `TmdbClient::cached` is: moka's lookup future is several KB.
        let table = self
            .grants
            .table
            .try_get_with((), async { roles::grants(&self.db).await.map(Arc::new) });
        Box::pin(table)
            .await
            .map_err(|e: Arc<CoreError>| CoreError::Unexpected(anyhow::anyhow!("{e}")))
    }

    /// The caller behind a contact in Telegram group chat `chat`: first the roles the grant
    /// table gives that chat's people (once per [`TTL`] per person and chat; a chat without
    /// grants costs nothing), then [`UserService::caller`]. Registration rules are unchanged:
    /// a grant does not register anyone the registration setting refuses.
    pub async fn caller_in_chat(
        &self,
        contact: &Contact<'_>,
        chat: i64,
        admission: &Admission,
        catalog: &Catalog,
    ) -> CoreResult<Caller> {
        let table = self.grant_table().await?;
        let here: Vec<&GrantRow> = table
            .iter()
            .filter(|g| g.target == GrantTarget::TelegramChat(chat))
            .collect();
        let key = (contact.external_id.to_owned(), chat);
        if !here.is_empty() && !self.grants.given.contains_key(&key) {
            let user = self
                .resolve(
                    contact.platform,
                    contact.external_id,
                    contact.display,
                    admission.registration,
                )
                .await?;
            let source = Source::Telegram {
                user: contact.external_id.to_owned(),
            };
            if self
                .sync_grants(user.id, &here, |_| true, false, source)
                .await?
            {
                self.callers.forget_all();
            }
            self.grants.given.insert(key, ()).await;
        }
        self.caller(contact, admission, catalog).await
    }

    /// Whether a grant gives roles to the people of Telegram group chat `chat` (the bot must
    /// stay an administrator there to see who leaves it).
    pub async fn chat_grants_roles(&self, chat: i64) -> CoreResult<bool> {
        let table = self.grant_table().await?;
        Ok(table
            .iter()
            .any(|g| g.target == GrantTarget::TelegramChat(chat)))
    }

    /// Telegram member `external_id` left or was removed from group chat `chat` (a
    /// `chat_member` update saying they are no longer there): the roles that chat's grants gave
    /// them are taken back at once, and they get them again only on a new contact there. A
    /// chat without grants, or someone Usher never met, changes nothing. Whether a role went.
    pub async fn left_chat(&self, external_id: &str, chat: i64) -> CoreResult<bool> {
        let table = self.grant_table().await?;
        let here: Vec<&GrantRow> = table
            .iter()
            .filter(|g| g.target == GrantTarget::TelegramChat(chat))
            .collect();
        if here.is_empty() {
            return Ok(false);
        }
        // "Already given" must not skip the grant when they come back (the key
        // `caller_in_chat` keeps; everyone else's stays).
        let key = (external_id.to_owned(), chat);
        self.grants.given.invalidate(&key).await;
        let Some(user) = users::read_by_identity(&self.db, Platform::Telegram, external_id).await?
        else {
            return Ok(false);
        };
        let source = Source::Telegram {
            user: external_id.to_owned(),
        };
        let taken = self
            .sync_grants(user.id, &here, |_| false, true, source)
            .await?;
        if taken {
            self.callers.forget_all();
        }
        Ok(taken)
    }

    /// Brings the roles of the Discord-role grants in line with the roles a guild member
    /// holds (`held`): given when held, taken back when not (only what a grant gave).
    pub(super) async fn sync_discord_grants(
        &self,
        user: UserId,
        held: &[String],
        source: Source,
    ) -> CoreResult<()> {
        let table = self.grant_table().await?;
        let discord: Vec<&GrantRow> = table
            .iter()
            .filter(|g| matches!(g.target, GrantTarget::DiscordRole(_)))
            .collect();
        let holds = |target: &GrantTarget| held.iter().any(|h| *h == target.value());
        self.sync_grants(user, &discord, holds, true, source)
            .await?;
        Ok(())
    }

    /// Whether a Discord-role grant's role is among `held` (such a member may use the bot
    /// even where member roles gate it).
    pub(super) async fn discord_grant_admits(&self, held: &[String]) -> CoreResult<bool> {
        let table = self.grant_table().await?;
        Ok(table.iter().any(|g| {
            matches!(g.target, GrantTarget::DiscordRole(_))
                && held.iter().any(|h| *h == g.target.value())
        }))
    }

    /// Brings the roles of the OIDC-group grants in line with the groups a signed-in person
    /// is in.
    pub(super) async fn sync_oidc_grants(&self, user: UserId, groups: &[String]) -> CoreResult<()> {
        let table = self.grant_table().await?;
        let oidc: Vec<&GrantRow> = table
            .iter()
            .filter(|g| matches!(g.target, GrantTarget::OidcGroup(_)))
            .collect();
        let holds = |target: &GrantTarget| groups.iter().any(|g| *g == target.value());
        let source = Source::Web { ip: None };
        if self.sync_grants(user, &oidc, holds, true, source).await? {
            self.callers.forget_all();
        }
        Ok(())
    }

    /// Gives `user` the role of each grant whose target `holds` says they hold, and (when
    /// `revoke`) takes back the role of each they do not — only where that grant gave it.
    /// Audited as the system acting on what `source` reported; a change ends the user's
    /// console sessions like any role change. Whether anything changed.
    async fn sync_grants(
        &self,
        user: UserId,
        grants: &[&GrantRow],
        holds: impl Fn(&GrantTarget) -> bool,
        revoke: bool,
        source: Source,
    ) -> CoreResult<bool> {
        if grants.is_empty() {
            return Ok(false);
        }
        let actor = Actor { user: None, source };
        let now = Timestamp::now();
        let decisions: Vec<(&GrantRow, bool)> =
            grants.iter().map(|g| (*g, holds(&g.target))).collect();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let mut changed = false;
                let target = format!("user:{user}");
                for (grant, held) in &decisions {
                    let via = grant.via();
                    let holding = chat::holding(tx, user, grant.role_id).await?;
                    let details = json!({
                        "role": grant.role, "via": via, grant.target.kind(): grant.target.value(),
                    });
                    let action = match (held, &holding) {
                        (true, Holding::No) => {
                            chat::grant_via(tx, user, grant.role_id, &via).await?;
                            AuditAction::RoleGranted
                        }
                        (false, Holding::Via(by)) if revoke && *by == via => {
                            chat::revoke_via(tx, user, grant.role_id, &via).await?;
                            AuditAction::RoleRevoked
                        }
                        _ => continue,
                    };
                    audit::record(tx, &actor, action, &target, &details, now).await?;
                    sessions::revoke_user(tx, user, now).await?;
                    changed = true;
                }
                Ok(changed)
            })
        })
        .await
    }
}
