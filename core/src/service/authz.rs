//! The one place that decides whether an actor may do something.

use crate::domain::{Actor, ContentLimit, Permission, Permissions, Placement, User};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, askers, users};

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

/// Loads the actor's user and permissions in one read; an unknown or disabled user may do
/// nothing. Their content limit is not read: only an offer needs it ([`asking`]).
pub async fn caller(tx: &mut Tx, actor: &Actor) -> CoreResult<Caller> {
    match actor.user {
        Some(user) => standing(users::get_with_permissions(tx, user).await?),
        None => Ok(system()),
    }
}

/// [`caller`] read outside any transaction: for pages that only read, which must not queue
/// behind writers (SQLite) to learn who is looking.
pub async fn caller_reading(db: &Db, actor: &Actor) -> CoreResult<Caller> {
    match actor.user {
        Some(user) => standing(users::read_with_permissions(db, user).await?),
        None => Ok(system()),
    }
}

/// Who is asking for a title, with what only a new request needs of them.
pub struct Asking {
    /// Who they are and what they may do.
    pub caller: Caller,
    /// What they may be offered: the strictest limit among their roles (none for the system).
    pub content_limit: ContentLimit,
    /// Their roles' (radarr, sonarr) placements, lowest role id first.
    pub placements: Vec<(Option<Placement>, Option<Placement>)>,
    /// The names of their roles, lowest role id first (what override rules' `roles` read).
    pub roles: Vec<String>,
    /// Whether a note draft of theirs waits to be attached.
    pub has_draft: bool,
}

/// [`caller`] for a new request, in the same one read: see [`Asking`].
pub async fn asking(tx: &mut Tx, actor: &Actor) -> CoreResult<Asking> {
    let Some(user) = actor.user else {
        return Ok(Asking {
            caller: system(),
            content_limit: ContentLimit::default(),
            placements: Vec::new(),
            roles: Vec::new(),
            has_draft: false,
        });
    };
    let Some(asker) = askers::get(tx, user).await? else {
        return Err(unknown_user());
    };
    let users::Standing {
        user,
        permissions,
        content_limit,
    } = asker.standing;
    Ok(Asking {
        caller: standing(Some((user, permissions)))?,
        content_limit,
        placements: asker.placements,
        roles: asker.roles,
        has_draft: asker.has_draft,
    })
}

/// The system: bypasses user permissions and limits.
fn system() -> Caller {
    Caller {
        user: None,
        permissions: Permissions::of(&[Permission::Admin]),
    }
}

/// The caller a user and their permissions make; nobody for an unknown or disabled user.
fn standing(found: Option<(User, Permissions)>) -> CoreResult<Caller> {
    let (user, permissions) = found.ok_or_else(unknown_user)?;
    if user.disabled {
        return Err(CoreError::Forbidden("this account is disabled".into()));
    }
    Ok(Caller {
        user: Some(user),
        permissions,
    })
}

/// Who is not a user (any more): refused everything.
fn unknown_user() -> CoreError {
    CoreError::Forbidden("unknown user".into())
}
