//! The admin's view of people and roles: a searchable user list with what each user has, one
//! user's full record, and the roles with their members and quotas. Admins only.

use std::collections::HashMap;

use super::UserService;
use crate::domain::{
    Actor, Identity, Permission, Permissions, QuotaLimit, QuotaScope, User, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::{directory, in_tx};

/// A user with everything the users page shows about them.
#[derive(Debug, Clone)]
pub struct UserSummary {
    /// The user.
    pub user: User,
    /// Their accounts (Discord, Telegram, OIDC, passkeys).
    pub identities: Vec<Identity>,
    /// Names of the roles they hold, in role order.
    pub roles: Vec<String>,
    /// Their own quota overrides, in [`QuotaScope::ALL`] order.
    pub quotas: Vec<(QuotaScope, QuotaLimit)>,
    /// Requests they made.
    pub requests: u64,
    /// Other people's requests they follow.
    pub following: u64,
}

/// A page of users, newest first.
#[derive(Debug, Clone)]
pub struct UserPage {
    /// The rows.
    pub items: Vec<UserSummary>,
    /// Pass back as `after` for the next page; `None` on the last one.
    pub next: Option<UserId>,
}

/// A role with its members and quotas.
#[derive(Debug, Clone)]
pub struct RoleSummary {
    /// Unique name.
    pub name: String,
    /// What it grants.
    pub permissions: Permissions,
    /// One of the roles every installation starts with.
    pub builtin: bool,
    /// How many users hold it.
    pub members: u64,
    /// Its quotas, in [`QuotaScope::ALL`] order; a counter without one is unlimited.
    pub quotas: Vec<(QuotaScope, QuotaLimit)>,
}

impl UserService {
    /// Users whose name, account or id matches `search`, newest first, `limit` (1–100) at a time.
    pub async fn directory(
        &self,
        actor: &Actor,
        search: Option<&str>,
        after: Option<UserId>,
        limit: u32,
    ) -> CoreResult<UserPage> {
        self.directory_in_role(actor, search, None, after, limit)
            .await
    }

    /// [`UserService::directory`] narrowed to the members of one role (the console's role
    /// filter); an unknown role name is a validation error, not an empty list.
    pub async fn directory_in_role(
        &self,
        actor: &Actor,
        search: Option<&str>,
        role: Option<&str>,
        after: Option<UserId>,
        limit: u32,
    ) -> CoreResult<UserPage> {
        self.require_admin(actor).await?;
        let role = role.map(str::trim).filter(|r| !r.is_empty());
        if let Some(role) = role
            && !directory::roles(&self.db)
                .await?
                .iter()
                .any(|r| r.name == role)
        {
            return Err(CoreError::Validation(format!("no role is named {role:?}")));
        }
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > 100) {
            return Err(CoreError::Validation(
                "a search has at most 100 characters".into(),
            ));
        }
        let limit = limit.clamp(1, 100);
        let mut users = directory::search_users(&self.db, search, role, after, limit + 1).await?;
        let next = if users.len() > limit as usize {
            users.truncate(limit as usize);
            users.last().map(|u| u.id)
        } else {
            None
        };
        let items = self.summaries(users).await?;
        Ok(UserPage { items, next })
    }

    /// One user's full record.
    pub async fn profile(&self, actor: &Actor, id: UserId) -> CoreResult<UserSummary> {
        self.require_admin(actor).await?;
        let (user, _) = self.get(id).await?;
        self.summaries(vec![user])
            .await?
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("user {id}")))
    }

    /// Every role with its members and quotas.
    pub async fn roles(&self, actor: &Actor) -> CoreResult<Vec<RoleSummary>> {
        self.require_admin(actor).await?;
        let mut quotas: HashMap<_, Vec<(QuotaScope, QuotaLimit)>> = HashMap::new();
        for (role, scope, limit) in directory::role_quotas(&self.db).await? {
            quotas.entry(role).or_default().push((scope, limit));
        }
        Ok(directory::roles(&self.db)
            .await?
            .into_iter()
            .map(|row| RoleSummary {
                quotas: in_scope_order(quotas.remove(&row.id).unwrap_or_default()),
                name: row.name,
                permissions: row.permissions,
                builtin: row.builtin,
                members: row.members,
            })
            .collect())
    }

    pub(super) async fn require_admin(&self, actor: &Actor) -> CoreResult<()> {
        in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await?.require(Permission::Admin) })
        })
        .await
    }

    /// Adds accounts, roles, quotas and counts to a page of users, with one query for each.
    async fn summaries(&self, users: Vec<User>) -> CoreResult<Vec<UserSummary>> {
        let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
        let mut identities: HashMap<UserId, Vec<Identity>> = HashMap::new();
        for identity in directory::identities_of(&self.db, &ids).await? {
            identities
                .entry(identity.user_id)
                .or_default()
                .push(identity);
        }
        let mut roles: HashMap<UserId, Vec<String>> = HashMap::new();
        for (user, role) in directory::roles_of(&self.db, &ids).await? {
            roles.entry(user).or_default().push(role);
        }
        let mut quotas: HashMap<UserId, Vec<(QuotaScope, QuotaLimit)>> = HashMap::new();
        for (user, scope, limit) in directory::user_quotas(&self.db, &ids).await? {
            quotas.entry(user).or_default().push((scope, limit));
        }
        let counts = directory::request_counts(&self.db, &ids).await?;
        Ok(users
            .into_iter()
            .map(|user| {
                let (requests, following) = counts.get(&user.id).copied().unwrap_or_default();
                UserSummary {
                    identities: identities.remove(&user.id).unwrap_or_default(),
                    roles: roles.remove(&user.id).unwrap_or_default(),
                    quotas: in_scope_order(quotas.remove(&user.id).unwrap_or_default()),
                    requests,
                    following,
                    user,
                }
            })
            .collect())
    }
}

fn in_scope_order(mut quotas: Vec<(QuotaScope, QuotaLimit)>) -> Vec<(QuotaScope, QuotaLimit)> {
    quotas.sort_by_key(|(scope, _)| QuotaScope::ALL.iter().position(|s| s == scope));
    quotas
}
