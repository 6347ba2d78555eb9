//! Roles admins define, in the console or in `usher.toml`: creating, editing and deleting them
//! (the four built-ins are edited, never deleted), and applying the file's `[[role]]` tables
//! at start-up. Every change is audited and drops the remembered callers, so it takes effect
//! on the next press.
//!
//! A role `usher.toml` sets is the file's: the file is re-applied at every start, so the
//! console shows it as set by the file and refuses to change it (as it does with settings the
//! environment sets). A role the file stops naming stays, and becomes the console's.

use serde_json::{Value, json};

use super::{UserService, keep_an_admin};
use crate::domain::{
    Actor, AuditAction, GrantSpec, Permission, QuotaLimit, QuotaScope, RoleId, RoleSpec, Timestamp,
};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::roles::{self, RoleRecord};
use crate::store::{Tx, audit, directory, in_tx, users};

/// The [`CoreError::Conflict`] text for a change to something `usher.toml` sets.
pub const SET_BY_FILE: &str = "this is set in usher.toml; change it there";

/// The [`CoreError::Conflict`] text for deleting a built-in role.
pub const BUILTIN_KEPT: &str = "built-in roles can be edited but not deleted";

/// A role as the console shows it and its form edits it.
#[derive(Debug, Clone)]
pub struct RoleDetail {
    /// The stored role.
    pub record: RoleRecord,
    /// How many users hold it.
    pub members: u64,
    /// Its quotas, in [`QuotaScope::ALL`] order.
    pub quotas: Vec<(QuotaScope, QuotaLimit)>,
}

impl UserService {
    /// The Radarr/Sonarr instances configured (by name), which role placements must name.
    #[must_use]
    pub fn with_instances(mut self, names: Vec<&'static str>) -> Self {
        self.instances = names.into();
        self
    }

    /// The configured instance names, for the console's placement choices.
    pub fn instances(&self) -> &[&'static str] {
        &self.instances
    }

    /// Every role with its members and quotas, in id order; admins only.
    pub async fn role_details(&self, actor: &Actor) -> CoreResult<Vec<RoleDetail>> {
        self.require_admin(actor).await?;
        let records = roles::all(&self.db).await?;
        let counts = directory::roles(&self.db).await?;
        let quotas = directory::role_quotas(&self.db).await?;
        Ok(records
            .into_iter()
            .map(|record| RoleDetail {
                members: counts
                    .iter()
                    .find(|c| c.id == record.id)
                    .map_or(0, |c| c.members),
                quotas: QuotaScope::ALL
                    .iter()
                    .filter_map(|scope| {
                        quotas
                            .iter()
                            .find(|(role, s, _)| *role == record.id && s == scope)
                            .map(|(_, s, limit)| (*s, *limit))
                    })
                    .collect(),
                record,
            })
            .collect())
    }

    /// Creates a role (`create`) or edits one; admins only. Anything wrong with it is one
    /// [`CoreError::Validation`] naming every problem, and nothing is written. A quota given
    /// replaces the movie and TV quotas; `None` leaves the quotas as they are.
    pub async fn save_role(&self, actor: &Actor, spec: &RoleSpec, create: bool) -> CoreResult<()> {
        let problems = spec.problems(&self.instances);
        if !problems.is_empty() {
            return Err(CoreError::Validation(problems.join("; ")));
        }
        let now = Timestamp::now();
        let saved = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                users::lock_admin_roles(tx).await?;
                let had_admin = users::any_admin(tx).await?;
                let found = roles::find(tx, &spec.name).await?;
                let action = match (&found, create) {
                    (Some(_), true) => {
                        let why = format!("a role named {} exists", spec.name);
                        return Err(CoreError::Conflict(why));
                    }
                    (None, false) => {
                        return Err(CoreError::NotFound(format!("role {}", spec.name)));
                    }
                    (Some(record), false) if record.from_file => {
                        return Err(CoreError::Conflict(SET_BY_FILE.into()));
                    }
                    _ => write_role(tx, found.as_ref(), spec, false, now).await?,
                };
                if had_admin {
                    keep_an_admin(tx).await?;
                }
                record_role(tx, actor, action, spec, now).await
            })
        })
        .await;
        self.forget_roles().await;
        saved
    }

    /// Deletes a role: everyone holding it loses it, with its quotas and grants; admins only.
    /// Built-ins and roles `usher.toml` sets are refused, as is leaving no admin.
    pub async fn delete_role(&self, actor: &Actor, name: &str) -> CoreResult<()> {
        let now = Timestamp::now();
        let deleted = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                users::lock_admin_roles(tx).await?;
                let record = roles::find(tx, name)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("role {name}")))?;
                if record.builtin {
                    return Err(CoreError::Conflict(BUILTIN_KEPT.into()));
                }
                if record.from_file {
                    return Err(CoreError::Conflict(SET_BY_FILE.into()));
                }
                let had_admin = users::any_admin(tx).await?;
                roles::delete(tx, record.id).await?;
                if had_admin {
                    keep_an_admin(tx).await?;
                }
                let target = format!("role:{name}");
                let details = json!({ "name": name });
                audit::record(tx, actor, AuditAction::RoleDeleted, &target, &details, now).await
            })
        })
        .await;
        self.forget_roles().await;
        deleted
    }

    /// Applies `usher.toml`'s `[[role]]` and `[[role_grant]]` tables at start-up, as the
    /// system: each role is created or brought in line (written only when it differs), its
    /// movie and TV quotas set; each grant added. Roles the file no longer names become the
    /// console's; grants it no longer names are removed (taking back the roles they gave).
    /// Config validation has checked every table already; a grant naming a role that does
    /// not exist here is still refused, and then nothing is applied.
    pub async fn apply_file_roles(
        &self,
        specs: &[RoleSpec],
        grants: &[GrantSpec],
    ) -> CoreResult<()> {
        let actor = Actor::system();
        let now = Timestamp::now();
        let applied = in_tx(&self.db, |tx| {
            Box::pin(async {
                let mut kept = Vec::new();
                for spec in specs {
                    let found = roles::find(tx, &spec.name).await?;
                    let id = match found {
                        Some(record) if unchanged(tx, &record, spec).await? => record.id,
                        found => {
                            let action = write_role(tx, found.as_ref(), spec, true, now).await?;
                            record_role(tx, &actor, action, spec, now).await?;
                            roles::find(tx, &spec.name)
                                .await?
                                .map_or(RoleId(0), |r| r.id)
                        }
                    };
                    kept.push(id);
                }
                roles::release_from_file(tx, &kept).await?;
                self.apply_file_grants(tx, &actor, grants, now).await
            })
        })
        .await;
        self.forget_roles().await;
        applied
    }

    /// Adds the file's grants and removes the ones it set before but names no more.
    async fn apply_file_grants(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        grants: &[GrantSpec],
        now: Timestamp,
    ) -> CoreResult<()> {
        let existing = roles::grants_in(tx).await?;
        for grant in grants {
            let role = roles::find(tx, &grant.role).await?.ok_or_else(|| {
                CoreError::Validation(format!("[[role_grant]]: unknown role `{}`", grant.role))
            })?;
            let same = existing
                .iter()
                .find(|g| g.role_id == role.id && g.target == grant.target);
            match same {
                Some(row) if row.from_file => {}
                Some(row) => roles::mark_grant_from_file(tx, row.id).await?,
                None => {
                    roles::insert_grant(tx, role.id, &grant.target, true, now).await?;
                    record_grant(
                        tx,
                        actor,
                        AuditAction::GrantAdded,
                        &grant.role,
                        &grant.target,
                        now,
                    )
                    .await?;
                }
            }
        }
        for row in existing.iter().filter(|row| row.from_file) {
            let named = grants
                .iter()
                .any(|g| g.role == row.role && g.target == row.target);
            if !named {
                roles::delete_grant(tx, row.id).await?;
                record_grant(
                    tx,
                    actor,
                    AuditAction::GrantRemoved,
                    &row.role,
                    &row.target,
                    now,
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Drops what was remembered about roles: callers and the grant table.
    pub(super) async fn forget_roles(&self) {
        self.callers.forget_all();
        self.grants.forget().await;
    }
}

/// Whether a stored role already is what the file says (and is marked as the file's).
async fn unchanged(tx: &mut Tx, record: &RoleRecord, spec: &RoleSpec) -> CoreResult<bool> {
    let same = record.from_file
        && record.spec.permissions == spec.permissions
        && record.spec.content_limit == spec.content_limit
        && record.spec.radarr == spec.radarr
        && record.spec.sonarr == spec.sonarr;
    if !same {
        return Ok(false);
    }
    let Some(quota) = &spec.quota else {
        return Ok(true);
    };
    for (scope, limit) in quota.limits() {
        if roles::quota_of(tx, record.id, scope).await? != limit {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates or updates the role and its movie/TV quotas; which of the two it did.
async fn write_role(
    tx: &mut Tx,
    found: Option<&RoleRecord>,
    spec: &RoleSpec,
    from_file: bool,
    now: Timestamp,
) -> CoreResult<AuditAction> {
    let (id, action) = match found {
        Some(record) => {
            roles::update(tx, record.id, spec, from_file).await?;
            (record.id, AuditAction::RoleEdited)
        }
        None => (
            roles::insert(tx, spec, from_file, now).await?,
            AuditAction::RoleCreated,
        ),
    };
    if let Some(quota) = &spec.quota {
        for (scope, limit) in quota.limits() {
            users::set_role_limit(tx, id, scope, limit).await?;
        }
    }
    Ok(action)
}

/// The audit row of a role created or edited: everything it now says.
async fn record_role(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    spec: &RoleSpec,
    now: Timestamp,
) -> CoreResult<()> {
    let permissions: Vec<&str> = spec.permissions.list().iter().map(|p| p.name()).collect();
    let details = json!({
        "name": spec.name,
        "permissions": permissions,
        "quota": spec.quota,
        "content_limit": spec.content_limit,
        "radarr": spec.radarr,
        "sonarr": spec.sonarr,
    });
    let target = format!("role:{}", spec.name);
    audit::record(tx, actor, action, &target, &details, now).await
}

/// The audit row of a grant added or removed.
pub(super) async fn record_grant(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    role: &str,
    target: &crate::domain::GrantTarget,
    now: Timestamp,
) -> CoreResult<()> {
    let details: Value = json!({ "role": role, target.kind(): target.value() });
    audit::record(tx, actor, action, &format!("role:{role}"), &details, now).await
}
