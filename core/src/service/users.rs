//! UserService: who someone is (from any platform), what roles and quotas they hold.

mod caller;
mod chat;
mod grants;
pub mod oidc;
mod roles;

pub use caller::{Admission, Caller, Contact};
pub use chat::{DISCORD_ADMINISTRATOR, DiscordRoles, GuildMember, NOT_A_MEMBER, RoleMap};

use crate::store::in_tx;
use serde_json::json;

use super::authz;
use super::security_alerts::{self, SecurityAlerts};
use crate::domain::{
    Actor, AuditAction, Identity, Permission, Platform, QuotaLimit, QuotaScope, Timestamp, User,
    UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, audit, sessions, users};
use oidc::{OidcRefusal, OidcRoleMap, oidc_external_id};

mod directory;

pub use directory::{RoleSummary, UserPage, UserSummary};
pub use roles::{BUILTIN_KEPT, RoleDetail, SET_BY_FILE};

/// The [`CoreError::Conflict`] text of a change refused because it would leave no enabled
/// admin, so front ends can say exactly that.
pub const LAST_ADMIN: &str = "this would leave no administrator";

/// The [`CoreError::Forbidden`] text for someone unknown whom registration refuses, so front
/// ends can tell them how to get in (link an account with a code).
pub const NOT_REGISTERED: &str = "you are not registered here";

/// What to do with someone the bot has never seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Create them with the given built-in role.
    AutoRegister(&'static str),
    /// Refuse them until an admin adds them.
    Refuse,
}

/// Users, identities, roles and quotas.
#[derive(Clone, Debug)]
pub struct UserService {
    db: Db,
    callers: caller::CallerCache,
    alerts: SecurityAlerts,
    /// The grant table and who was given their chat's roles (see `grants`).
    grants: grants::GrantCache,
    /// The Radarr/Sonarr instances role placements may name.
    instances: std::sync::Arc<[&'static str]>,
}

impl UserService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self {
            alerts: SecurityAlerts::new(db.clone()),
            db,
            callers: caller::CallerCache::default(),
            grants: grants::GrantCache::default(),
            instances: std::sync::Arc::new([]),
        }
    }

    /// Tells admins of new admins through `alerts` (the app's one, shared with the edges).
    #[must_use]
    pub fn with_alerts(mut self, alerts: SecurityAlerts) -> Self {
        self.alerts = alerts;
        self
    }

    /// Finds the user behind a platform account, creating them when registration allows.
    /// Called by every front end before any other service, so the actor is always a real user.
    pub async fn resolve(
        &self,
        platform: Platform,
        external_id: &str,
        display: &str,
        registration: Registration,
    ) -> CoreResult<User> {
        Identity::validate_external_id(platform, external_id)?;
        // Someone Usher knows (nearly every call) is a read; only a newcomer takes a write.
        if let Some(user) = users::read_by_identity(&self.db, platform, external_id).await? {
            return Ok(user);
        }
        let now = Timestamp::now();
        let mut raced = false;
        loop {
            let result = in_tx(&self.db, |tx| {
                Box::pin(async {
                    if let Some(user) = users::find_by_identity(tx, platform, external_id).await? {
                        return Ok(user);
                    }
                    let Registration::AutoRegister(role) = registration else {
                        return Err(CoreError::Forbidden(NOT_REGISTERED.into()));
                    };
                    create_with_identity(tx, platform, external_id, display, role, now).await
                })
            })
            .await;
            match result {
                // Two first messages at once: the other created the user, read it.
                Err(CoreError::Conflict(_)) if !raced => raced = true,
                other => return other,
            }
        }
    }

    /// Signs in someone an OpenID Connect provider vouched for (the web layer has verified the
    /// ID token): finds them by `issuer|subject`, creates them if `map` allows, and grants the
    /// roles their groups map to, with audit rows. `Ok(Err(_))` says why they may not sign in.
    pub async fn sign_in_oidc(
        &self,
        issuer: &str,
        subject: &str,
        display: &str,
        groups: &[String],
        map: &OidcRoleMap,
    ) -> CoreResult<Result<User, OidcRefusal>> {
        let external_id = oidc_external_id(issuer, subject);
        let signed =
            oidc::sign_in(&self.db, &self.alerts, &external_id, display, groups, map).await?;
        if let Ok(user) = &signed {
            self.sync_oidc_grants(user.id, groups).await?;
        }
        Ok(signed)
    }

    /// Makes the configured platform admins (`USHER_*_ADMIN_IDS`) exist with the admin role.
    pub async fn ensure_admins(
        &self,
        platform: Platform,
        external_ids: &[String],
    ) -> CoreResult<()> {
        for id in external_ids {
            let user = self
                .resolve(platform, id, id, Registration::AutoRegister("admin"))
                .await?;
            // The operator's own configuration names them: no alert to the admins.
            self.grant(&Actor::system(), user.id, "admin", Alert::Quiet)
                .await?;
        }
        Ok(())
    }

    /// A user and their identities.
    pub async fn get(&self, id: UserId) -> CoreResult<(User, Vec<Identity>)> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let user = users::get_user(tx, id)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("user {id}")))?;
                let identities = users::identities_of(tx, id).await?;
                Ok((user, identities))
            })
        })
        .await
    }

    /// Grants a built-in or custom role; admins only. A grant that makes someone an admin
    /// raises a `new_admin` security alert.
    pub async fn grant_role(&self, actor: &Actor, user: UserId, role: &str) -> CoreResult<()> {
        self.grant(actor, user, role, Alert::NewAdmin).await
    }

    async fn grant(&self, actor: &Actor, user: UserId, role: &str, alert: Alert) -> CoreResult<()> {
        let now = Timestamp::now();
        let changed = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                users::get_user(tx, user)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("user {user}")))?;
                let role_id = users::role_id(tx, role).await?;
                let was_admin = is_admin(tx, user).await?;
                if users::grant_role(tx, user, role_id).await? {
                    if alert == Alert::NewAdmin && !was_admin && is_admin(tx, user).await? {
                        self.new_admin(tx, actor, user, now).await?;
                    }
                    let target = format!("user:{user}");
                    audit::record(
                        tx,
                        actor,
                        AuditAction::RoleGranted,
                        &target,
                        &json!({ "role": role }),
                        now,
                    )
                    .await?;
                    // A role change ends the user's console sessions at once.
                    sessions::revoke_user(tx, user, now).await?;
                }
                Ok(())
            })
        })
        .await;
        self.callers.forget_all();
        changed
    }

    /// Tells admins that `user` just became one, naming who made them one.
    async fn new_admin(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        user: UserId,
        now: Timestamp,
    ) -> CoreResult<()> {
        let by = security_alerts::actor_name(tx, actor).await?;
        self.alerts.new_admin_in(tx, user, by, now).await?;
        Ok(())
    }

    /// Takes a role away; admins only. Ends the user's console sessions like a grant does, and
    /// refuses to leave the installation without an enabled admin.
    pub async fn revoke_role(&self, actor: &Actor, user: UserId, role: &str) -> CoreResult<()> {
        let now = Timestamp::now();
        let changed = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                existing(tx, user).await?;
                let role_id = users::role_id(tx, role).await?;
                users::lock_admin_roles(tx).await?;
                if users::revoke_role(tx, user, role_id).await? {
                    keep_an_admin(tx).await?;
                    let target = format!("user:{user}");
                    audit::record(
                        tx,
                        actor,
                        AuditAction::RoleRevoked,
                        &target,
                        &json!({ "role": role }),
                        now,
                    )
                    .await?;
                    sessions::revoke_user(tx, user, now).await?;
                }
                Ok(())
            })
        })
        .await;
        self.callers.forget_all();
        changed
    }

    /// Disables (`true`) or enables a user; admins only. A disabled user can do nothing on any
    /// platform and their console sessions end at once. The last enabled admin cannot be
    /// disabled.
    pub async fn set_disabled(
        &self,
        actor: &Actor,
        user: UserId,
        disabled: bool,
    ) -> CoreResult<()> {
        let now = Timestamp::now();
        let changed = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                existing(tx, user).await?;
                users::lock_admin_roles(tx).await?;
                if users::set_disabled(tx, user, disabled, now).await? {
                    let target = format!("user:{user}");
                    let action = if disabled {
                        keep_an_admin(tx).await?;
                        sessions::revoke_user(tx, user, now).await?;
                        AuditAction::UserDisabled
                    } else {
                        AuditAction::UserEnabled
                    };
                    audit::record(tx, actor, action, &target, &json!({}), now).await?;
                }
                Ok(())
            })
        })
        .await;
        self.callers.forget_all();
        changed
    }

    /// Sets (or clears, with `None`) a user's own quota for one counter; admins only.
    pub async fn set_user_quota(
        &self,
        actor: &Actor,
        user: UserId,
        scope: QuotaScope,
        limit: Option<QuotaLimit>,
    ) -> CoreResult<()> {
        validate_limit(limit)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                existing(tx, user).await?;
                users::set_user_limit(tx, user, scope, limit).await?;
                let details = json!({ "scope": scope.key(), "limit": limit });
                audit::record(
                    tx,
                    actor,
                    AuditAction::QuotaChanged,
                    &format!("user:{user}"),
                    &details,
                    now,
                )
                .await
            })
        })
        .await
    }

    /// Sets (or clears) a role's quota for one counter; admins only.
    pub async fn set_role_quota(
        &self,
        actor: &Actor,
        role: &str,
        scope: QuotaScope,
        limit: Option<QuotaLimit>,
    ) -> CoreResult<()> {
        validate_limit(limit)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let role_id = users::role_id(tx, role).await?;
                users::set_role_limit(tx, role_id, scope, limit).await?;
                let details = json!({ "scope": scope.key(), "limit": limit });
                audit::record(
                    tx,
                    actor,
                    AuditAction::QuotaChanged,
                    &format!("role:{role}"),
                    &details,
                    now,
                )
                .await
            })
        })
        .await
    }
}

/// Whether the user holds the admin permission now (through any role).
async fn is_admin(tx: &mut Tx, user: UserId) -> CoreResult<bool> {
    Ok(users::permissions_of(tx, user)
        .await?
        .allows(Permission::Admin))
}

async fn existing(tx: &mut Tx, user: UserId) -> CoreResult<User> {
    users::get_user(tx, user)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("user {user}")))
}

/// Refuses (rolling the change back) when no enabled user would hold admin any more: nobody
/// could then manage the installation without a new setup link.
async fn keep_an_admin(tx: &mut Tx) -> CoreResult<()> {
    if users::any_admin(tx).await? {
        Ok(())
    } else {
        Err(CoreError::Conflict(LAST_ADMIN.into()))
    }
}

fn validate_limit(limit: Option<QuotaLimit>) -> CoreResult<()> {
    match limit {
        Some(l) if l.days == 0 || l.days > 3650 || l.max > 100_000 => Err(CoreError::Validation(
            "a quota needs 1 to 3650 days and at most 100000 requests".into(),
        )),
        _ => Ok(()),
    }
}

/// Creates a user with one identity and one role, recording who was created.
pub(super) async fn create_with_identity(
    tx: &mut Tx,
    platform: Platform,
    external_id: &str,
    display: &str,
    role: &str,
    now: Timestamp,
) -> CoreResult<User> {
    let display = display.trim();
    let name = if display.is_empty() {
        external_id
    } else {
        display
    };
    let user = users::insert_user(tx, name, now).await?;
    let identity = Identity {
        user_id: user.id,
        platform,
        external_id: external_id.to_owned(),
        display: name.to_owned(),
    };
    users::insert_identity(tx, &identity, now).await?;
    let role_id = users::role_id(tx, role).await?;
    users::grant_role(tx, user.id, role_id).await?;
    let actor = Actor::system();
    let details = json!({ "platform": platform, "external_id": external_id, "role": role });
    audit::record(
        tx,
        &actor,
        AuditAction::UserCreated,
        &format!("user:{}", user.id),
        &details,
        now,
    )
    .await?;
    Ok(user)
}

/// Whether a grant that makes someone an admin tells the admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alert {
    /// Raise a `new_admin` security alert.
    NewAdmin,
    /// Say nothing: the operator's configuration named them.
    Quiet,
}
