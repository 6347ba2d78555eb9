//! Roles and the permissions they grant.

use serde::{Deserialize, Serialize};

use super::ids::RoleId;
use super::media::MediaType;

/// One thing a user may do. Checked in core for every action, whatever the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Ask for titles.
    Request,
    /// Ask for 4K copies.
    Request4k,
    /// Movie requests skip the approval queue.
    AutoApproveMovie,
    /// TV requests skip the approval queue.
    AutoApproveTv,
    /// Approve and decline other people's requests.
    Approve,
    /// Everything, including users, roles and settings.
    Admin,
}

impl Permission {
    /// Every permission, for the console and tests.
    pub const ALL: [Self; 6] = [
        Self::Request,
        Self::Request4k,
        Self::AutoApproveMovie,
        Self::AutoApproveTv,
        Self::Approve,
        Self::Admin,
    ];

    fn bit(self) -> i64 {
        match self {
            Self::Request => 1,
            Self::Request4k => 1 << 1,
            Self::AutoApproveMovie => 1 << 2,
            Self::AutoApproveTv => 1 << 3,
            Self::Approve => 1 << 4,
            Self::Admin => 1 << 5,
        }
    }

    /// The auto-approve permission for a media type.
    pub fn auto_approve(media_type: MediaType) -> Self {
        match media_type {
            MediaType::Movie => Self::AutoApproveMovie,
            MediaType::Tv => Self::AutoApproveTv,
        }
    }
}

/// A set of permissions, stored as a bit mask so a user's effective set is one OR over roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Permissions(i64);

impl Permissions {
    /// The set holding exactly these permissions.
    pub fn of(perms: &[Permission]) -> Self {
        Self(perms.iter().fold(0, |acc, p| acc | p.bit()))
    }

    /// Reads a stored mask, dropping bits no permission uses.
    pub fn from_bits(bits: i64) -> Self {
        let known = Self::of(&Permission::ALL).0;
        Self(bits & known)
    }

    /// The stored mask.
    pub fn bits(self) -> i64 {
        self.0
    }

    /// Whether the set allows it; admin allows everything.
    pub fn allows(self, perm: Permission) -> bool {
        self.0 & Permission::Admin.bit() != 0 || self.0 & perm.bit() != 0
    }

    /// Union with another set (a user's roles combine this way).
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A named set of permissions, e.g. the built-in `member`, `trusted`, `approver`, `admin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Stable id.
    pub id: RoleId,
    /// Unique name.
    pub name: String,
    /// What it grants.
    pub permissions: Permissions,
}

/// Names of the roles every installation starts with (seeded by the first migration).
pub mod builtin {
    /// May request; new chat users get it when auto-registration is on.
    pub const MEMBER: &str = "member";
    /// Requests (incl. 4K) are approved automatically.
    pub const TRUSTED: &str = "trusted";
    /// Approves and declines.
    pub const APPROVER: &str = "approver";
    /// Everything.
    pub const ADMIN: &str = "admin";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_allows_everything_others_only_their_bits() {
        let admin = Permissions::of(&[Permission::Admin]);
        assert!(Permission::ALL.iter().all(|p| admin.allows(*p)));
        let member = Permissions::of(&[Permission::Request]);
        assert!(member.allows(Permission::Request));
        assert!(!member.allows(Permission::Approve));
        assert!(!member.allows(Permission::Request4k));
        let both = member.union(Permissions::of(&[Permission::Approve]));
        assert!(both.allows(Permission::Approve));
        assert_eq!(
            Permissions::from_bits(-1),
            Permissions::of(&Permission::ALL)
        );
    }
}
