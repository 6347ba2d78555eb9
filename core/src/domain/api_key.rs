//! Scoped API keys: what a machine (a dashboard, an app, another bot) may do through `/api`.

use super::plain_name::PlainName;
use std::fmt;

use super::{Permission, Permissions, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};

/// One thing a key may be used for. Every scope reads (a dashboard sees all requests, as with
/// Seerr's key); `admin` allows everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// List and search everything.
    Read,
    /// Also create requests, as the key's machine user.
    Request,
    /// Also approve and decline.
    Approve,
    /// Everything.
    Admin,
}

impl Scope {
    /// Every scope, in the order they are printed.
    pub const ALL: [Self; 4] = [Self::Read, Self::Request, Self::Approve, Self::Admin];

    /// The name operators type and `list` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Request => "request",
            Self::Approve => "approve",
            Self::Admin => "admin",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::Read => 1,
            Self::Request => 2,
            Self::Approve => 4,
            Self::Admin => 8,
        }
    }
}

/// The scopes of one key, parsed from `read,request` (never empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u8);

impl Scopes {
    /// The set holding exactly these scopes.
    pub fn of(scopes: &[Scope]) -> Self {
        Self(scopes.iter().fold(0, |acc, s| acc | s.bit()))
    }

    /// Parses a comma-separated list; an unknown or missing scope is a validation error naming
    /// what is accepted.
    pub fn parse(text: &str) -> CoreResult<Self> {
        let mut set = 0;
        for part in text.split(',').map(str::trim) {
            let scope = Scope::ALL
                .into_iter()
                .find(|s| s.as_str() == part)
                .ok_or_else(|| {
                    CoreError::Validation(format!(
                        "scope: `{part}` is not one of read, request, approve, admin"
                    ))
                })?;
            set |= scope.bit();
        }
        Ok(Self(set))
    }

    /// Whether a key with these scopes may do what `scope` covers: `admin` covers everything,
    /// and every scope covers `read`.
    pub fn allows(self, scope: Scope) -> bool {
        self.0 & Scope::Admin.bit() != 0
            || self.0 & scope.bit() != 0
            || (scope == Scope::Read && self.0 != 0)
    }

    /// The permissions core grants the key's machine user (reading needs none: the API's read
    /// use cases check the scope).
    pub fn permissions(self) -> Permissions {
        let mut perms = Vec::new();
        if self.0 & Scope::Request.bit() != 0 {
            perms.push(Permission::RequestMovie);
            perms.push(Permission::RequestTv);
        }
        if self.0 & Scope::Approve.bit() != 0 {
            perms.push(Permission::Approve);
        }
        if self.0 & Scope::Admin.bit() != 0 {
            perms.push(Permission::Admin);
        }
        Permissions::of(&perms)
    }

    /// The scopes held, in [`Scope::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .into_iter()
            .filter(move |s| self.0 & s.bit() != 0)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// A key's name: a [`PlainName`] (it is also the machine user's display name).
pub type ApiKeyName = PlainName;

/// A key as `usher admin api-key list` shows it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeySummary {
    /// Its name.
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// Its machine user.
    pub user: UserId,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it last authenticated a call (noted at most once per cache period).
    pub last_used_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_print_and_imply_read() {
        let scopes = Scopes::parse("request, read").expect("parses");
        assert_eq!(scopes.to_string(), "read,request");
        assert!(scopes.allows(Scope::Read) && scopes.allows(Scope::Request));
        assert!(!scopes.allows(Scope::Approve));
        let request_only = Scopes::parse("request").expect("parses");
        assert!(request_only.allows(Scope::Read));
        let admin = Scopes::parse("admin").expect("parses");
        assert!(Scope::ALL.iter().all(|s| admin.allows(*s)));
        assert!(admin.permissions().allows(Permission::Admin));
        assert_eq!(
            Scopes::parse("read").expect("parses").permissions().bits(),
            0
        );
    }

    #[test]
    fn bad_scopes_and_names_are_refused() {
        for bad in ["", "write", "read,,request", "READ"] {
            let err = Scopes::parse(bad).expect_err(bad);
            assert!(err.to_string().contains("scope"), "{err}");
        }
        for bad in ["", "has space", "ünï", &"x".repeat(65)] {
            assert!(ApiKeyName::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ApiKeyName::parse(" home-page_1 ").expect("ok").as_str(),
            "home-page_1"
        );
    }
}
