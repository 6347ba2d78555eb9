//! Roles and the permissions they grant.

use serde::{Deserialize, Serialize};

use super::ids::RoleId;
use super::media::MediaType;

/// One thing a user may do. Checked in core for every action, whatever the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Ask for movies. Stored in the bit that once meant "ask for anything" (migration 0036
    /// gave every holder of it [`Permission::RequestTv`] too).
    RequestMovie,
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
    /// Ask for TV seasons.
    RequestTv,
    /// Resolve, reopen and comment on reported issues as staff.
    ManageIssues,
    /// 4K requests skip the approval queue (with the media type's own auto-approve).
    AutoApprove4k,
}

impl Permission {
    /// Every permission, for the console and tests.
    pub const ALL: [Self; 9] = [
        Self::RequestMovie,
        Self::RequestTv,
        Self::Request4k,
        Self::AutoApproveMovie,
        Self::AutoApproveTv,
        Self::AutoApprove4k,
        Self::Approve,
        Self::ManageIssues,
        Self::Admin,
    ];

    /// The stored bit; existing values never change (masks in the database rely on them).
    fn bit(self) -> i64 {
        match self {
            Self::RequestMovie => 1,
            Self::Request4k => 1 << 1,
            Self::AutoApproveMovie => 1 << 2,
            Self::AutoApproveTv => 1 << 3,
            Self::Approve => 1 << 4,
            Self::Admin => 1 << 5,
            Self::RequestTv => 1 << 6,
            Self::ManageIssues => 1 << 7,
            Self::AutoApprove4k => 1 << 8,
        }
    }

    /// The name `usher.toml`, the console and the API use, e.g. `request_movie`.
    pub fn name(self) -> &'static str {
        match self {
            Self::RequestMovie => "request_movie",
            Self::RequestTv => "request_tv",
            Self::Request4k => "request_4k",
            Self::AutoApproveMovie => "auto_approve_movie",
            Self::AutoApproveTv => "auto_approve_tv",
            Self::AutoApprove4k => "auto_approve_4k",
            Self::Approve => "approve",
            Self::ManageIssues => "manage_issues",
            Self::Admin => "admin",
        }
    }

    /// Reads [`Permission::name`] back; an unknown name says which names exist.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|p| p.name()).collect();
                format!("unknown permission `{name}`; known: {}", known.join(", "))
            })
    }

    /// The permission to ask for a media type.
    pub fn request(media_type: MediaType) -> Self {
        match media_type {
            MediaType::Movie => Self::RequestMovie,
            MediaType::Tv => Self::RequestTv,
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

    /// Whether the set lets one ask for anything at all (movies or TV): what asking in
    /// general (a request to the admins, an issue report) needs.
    pub fn may_request(self) -> bool {
        self.allows(Permission::RequestMovie) || self.allows(Permission::RequestTv)
    }

    /// The permissions in the set, in [`Permission::ALL`] order (admin listed alone).
    pub fn list(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.0 & p.bit() != 0)
            .collect()
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
    /// Every built-in name, in id order.
    pub const ALL: [&str; 4] = [MEMBER, TRUSTED, APPROVER, ADMIN];
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
        let member = Permissions::of(&[Permission::RequestMovie]);
        assert!(member.allows(Permission::RequestMovie));
        assert!(!member.allows(Permission::RequestTv));
        assert!(!member.allows(Permission::Approve));
        assert!(!member.allows(Permission::Request4k));
        let both = member.union(Permissions::of(&[Permission::Approve]));
        assert!(both.allows(Permission::Approve));
        assert_eq!(
            Permissions::from_bits(-1),
            Permissions::of(&Permission::ALL)
        );
    }

    #[test]
    fn names_read_back_and_unknown_names_are_refused() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.name()), Ok(p));
        }
        let err = Permission::parse("request").expect_err("unknown");
        assert!(err.contains("unknown permission `request`"), "{err}");
        assert!(err.contains("request_movie"), "{err}");
        assert_eq!(Permission::request(MediaType::Tv), Permission::RequestTv);
        assert!(Permissions::of(&[Permission::RequestTv]).may_request());
        assert!(!Permissions::of(&[Permission::Approve]).may_request());
    }
}
