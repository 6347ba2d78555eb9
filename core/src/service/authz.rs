//! The one place that decides whether an actor may do something.

use crate::domain::{Actor, Permission, Permissions, User};
use crate::error::{CoreError, CoreResult};
use crate::store::{Tx, users};

/// Who is acting, resolved inside the transaction so a role change or a disabled account takes
/// effect on the very next action.
pub struct Caller {
    /// The acting user; `None` for the system.
    pub user: Option<User>,
    /// What they may do (everything for the system).
    pub permissions: Permissions,
}

impl Caller {
    /// Whether the caller holds a permission.
    pub fn may(&self, perm: Permission) -> bool {
        self.permissions.allows(perm)
    }

    /// Refuses unless the caller holds the permission.
    pub fn require(&self, perm: Permission) -> CoreResult<()> {
        if self.may(perm) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(format!(
                "{perm:?} permission is required"
            )))
        }
    }

    /// Refuses unless the caller may ask for movies or TV: what asking in general (following,
    /// searching to ask, reporting an issue) needs.
    pub fn require_any_request(&self) -> CoreResult<()> {
        self.require(Permission::RequestMovie)
            .or_else(|_| self.require(Permission::RequestTv))
    }

    /// Refuses unless the caller manages reported issues: `manage_issues`, or `approve` as
    /// before that permission existed.
    pub fn require_issue_manager(&self) -> CoreResult<()> {
        self.require(Permission::ManageIssues)
            .or_else(|_| self.require(Permission::Approve))
    }
}

/// Loads the actor's user and permissions; an unknown or disabled user may do nothing.
pub async fn caller(tx: &mut Tx, actor: &Actor) -> CoreResult<Caller> {
    let Some(user_id) = actor.user else {
        return Ok(Caller {
            user: None,
            permissions: Permissions::of(&[Permission::Admin]),
        });
    };
    let (user, permissions) = users::get_with_permissions(tx, user_id)
        .await?
        .ok_or_else(|| CoreError::Forbidden("unknown user".into()))?;
    if user.disabled {
        return Err(CoreError::Forbidden("this account is disabled".into()));
    }
    Ok(Caller {
        user: Some(user),
        permissions,
    })
}
