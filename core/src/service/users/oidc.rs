//! Signing in with an OpenID Connect provider: who the provider's user is here, and which roles
//! their groups give them. The web layer verifies the provider's answer (signature, issuer,
//! audience, nonce, expiry); this module decides what that person may do, so the rules live in
//! core like every other permission.

use serde_json::json;

use super::create_with_identity;
use crate::config::OidcSettings;
use crate::domain::role::builtin;
use crate::domain::{Actor, AuditAction, Identity, Platform, Timestamp, User};
use crate::error::{CoreError, CoreResult};
use crate::service::SecurityAlerts;
use crate::store::chat::{self, Holding};
use crate::store::{Db, Tx, audit, in_tx, sessions, users};

/// How provider groups become Usher roles (from the `USHER_OIDC_*` settings). Group names match
/// exactly, case included, as the provider sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcRoleMap {
    /// Members of these groups are admins.
    pub admin_groups: Vec<String>,
    /// Members of these groups are approvers.
    pub approver_groups: Vec<String>,
    /// Only members of these groups (or of the two above) may sign in; empty: everyone the
    /// provider signs in may, as a member.
    pub member_groups: Vec<String>,
    /// Whether a first sign-in creates the account; otherwise an admin must have linked it.
    pub auto_create: bool,
}

impl Default for OidcRoleMap {
    fn default() -> Self {
        Self {
            admin_groups: Vec::new(),
            approver_groups: Vec::new(),
            member_groups: Vec::new(),
            auto_create: true,
        }
    }
}

impl OidcRoleMap {
    /// The mapping the operator configured.
    pub fn from_settings(settings: &OidcSettings) -> Self {
        Self {
            admin_groups: settings.admin_groups.clone(),
            approver_groups: settings.approver_groups.clone(),
            member_groups: settings.member_groups.clone(),
            auto_create: settings.auto_create,
        }
    }

    /// The built-in roles someone in `groups` gets, lowest first, or `None` when member groups
    /// are configured and they are in none of the mapped groups.
    pub fn roles_for(&self, groups: &[String]) -> Option<Vec<&'static str>> {
        let in_any = |names: &[String]| groups.iter().any(|g| names.contains(g));
        let admin = in_any(&self.admin_groups);
        let approver = in_any(&self.approver_groups);
        let member = self.member_groups.is_empty() || in_any(&self.member_groups);
        if !(member || approver || admin) {
            return None;
        }
        let mut roles = vec![builtin::MEMBER];
        if approver {
            roles.push(builtin::APPROVER);
        }
        if admin {
            roles.push(builtin::ADMIN);
        }
        Some(roles)
    }
}

/// Why a verified provider user may still not sign in; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidcRefusal {
    /// Member groups are configured and the user is in none of the mapped groups.
    NotInAllowedGroup,
    /// No account yet and `USHER_OIDC_AUTO_CREATE` is off.
    NotRegistered,
    /// The account is disabled.
    Disabled,
}

/// The stable identity of a provider user: issuer and subject, as the identities table keeps it.
pub fn oidc_external_id(issuer: &str, subject: &str) -> String {
    format!("{issuer}|{subject}")
}

/// Finds or creates the user behind a verified provider identity and brings their roles in line
/// with what their groups say (see [`sync_mapped`]: only roles the groups gave are taken back).
pub(super) async fn sign_in(
    db: &Db,
    alerts: &SecurityAlerts,
    external_id: &str,
    display: &str,
    groups: &[String],
    map: &OidcRoleMap,
) -> CoreResult<Result<User, OidcRefusal>> {
    Identity::validate_external_id(Platform::Oidc, external_id)?;
    let Some(roles) = map.roles_for(groups) else {
        return Ok(Err(OidcRefusal::NotInAllowedGroup));
    };
    let now = Timestamp::now();
    let mut raced = false;
    loop {
        let result = in_tx(db, |tx| {
            Box::pin(async {
                let user = match users::find_by_identity(tx, Platform::Oidc, external_id).await? {
                    Some(user) if user.disabled => return Ok(Err(OidcRefusal::Disabled)),
                    Some(user) => user,
                    None if !map.auto_create => return Ok(Err(OidcRefusal::NotRegistered)),
                    None => {
                        create_with_identity(
                            tx,
                            Platform::Oidc,
                            external_id,
                            display,
                            builtin::MEMBER,
                            now,
                        )
                        .await?
                    }
                };
                if sync_mapped(tx, &user, &roles, groups, now).await? {
                    let by = "OIDC groups".to_owned();
                    alerts.new_admin_in(tx, user.id, by, now).await?;
                }
                Ok(Ok(user))
            })
        })
        .await;
        match result {
            // Two first sign-ins at once: the other created the user; read it.
            Err(CoreError::Conflict(_)) if !raced => raced = true,
            other => return other,
        }
    }
}

/// Stored as `user_roles.granted_via` for roles the provider's groups gave, so that only those
/// are taken back when the groups change.
pub const OIDC_GRANT: &str = "oidc_group";

/// Roles the groups can give and take back; member is everyone's floor and never taken back.
const MAPPED_ROLES: [&str; 2] = [builtin::APPROVER, builtin::ADMIN];

/// Brings the user's mapped roles in line with their groups at this sign-in: a role the groups
/// give is granted (marked as the provider's grant), and a provider-granted role the groups no
/// longer give is taken back. Roles a person or other settings granted are never touched. Each
/// change is audited with the groups behind it and ends the user's other sessions. Returns
/// whether the groups made them an admin just now.
async fn sync_mapped(
    tx: &mut Tx,
    user: &User,
    roles: &[&'static str],
    groups: &[String],
    now: Timestamp,
) -> CoreResult<bool> {
    let mut changed = false;
    let mut made_admin = false;
    if roles.contains(&builtin::MEMBER) {
        let member = users::role_id(tx, builtin::MEMBER).await?;
        if users::grant_role(tx, user.id, member).await? {
            changed = true;
            audit_change(
                tx,
                user,
                AuditAction::RoleGranted,
                builtin::MEMBER,
                groups,
                now,
            )
            .await?;
        }
    }
    for role in MAPPED_ROLES {
        let role_id = users::role_id(tx, role).await?;
        let action = match (
            roles.contains(&role),
            chat::holding(tx, user.id, role_id).await?,
        ) {
            (true, Holding::No) => {
                chat::grant_via(tx, user.id, role_id, OIDC_GRANT).await?;
                made_admin |= role == builtin::ADMIN;
                AuditAction::RoleGranted
            }
            (false, Holding::Via(via)) if via == OIDC_GRANT => {
                chat::revoke_via(tx, user.id, role_id, OIDC_GRANT).await?;
                AuditAction::RoleRevoked
            }
            _ => continue,
        };
        changed = true;
        audit_change(tx, user, action, role, groups, now).await?;
    }
    if changed {
        // As with every role change: sessions opened under the old roles end.
        sessions::revoke_user(tx, user.id, now).await?;
    }
    Ok(made_admin)
}

/// One audit row for a role the provider's groups granted or took back.
async fn audit_change(
    tx: &mut Tx,
    user: &User,
    action: AuditAction,
    role: &str,
    groups: &[String],
    now: Timestamp,
) -> CoreResult<()> {
    let details = json!({ "role": role, "via": "oidc", "groups": groups });
    let target = format!("user:{}", user.id);
    audit::record(tx, &Actor::system(), action, &target, &details, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn map(member: &[&str]) -> OidcRoleMap {
        OidcRoleMap {
            admin_groups: groups(&["usher-admins"]),
            approver_groups: groups(&["mods"]),
            member_groups: groups(member),
            auto_create: true,
        }
    }

    #[test]
    fn groups_map_to_roles_lowest_first() {
        let open = map(&[]);
        assert_eq!(open.roles_for(&[]), Some(vec!["member"]));
        assert_eq!(
            open.roles_for(&groups(&["usher-admins", "mods"])),
            Some(vec!["member", "approver", "admin"])
        );
        assert_eq!(
            open.roles_for(&groups(&["Usher-Admins"])),
            Some(vec!["member"])
        );
    }

    #[test]
    fn member_groups_keep_outsiders_out_but_not_admins_or_approvers() {
        let closed = map(&["family"]);
        assert_eq!(closed.roles_for(&groups(&["neighbours"])), None);
        assert_eq!(closed.roles_for(&[]), None);
        assert_eq!(closed.roles_for(&groups(&["family"])), Some(vec!["member"]));
        assert_eq!(
            closed.roles_for(&groups(&["mods"])),
            Some(vec!["member", "approver"])
        );
        assert_eq!(
            closed.roles_for(&groups(&["usher-admins"])),
            Some(vec!["member", "admin"])
        );
    }

    #[test]
    fn the_identity_is_issuer_and_subject() {
        let id = oidc_external_id("https://auth.example.org", "alice");
        assert_eq!(id, "https://auth.example.org|alice");
        assert!(Identity::validate_external_id(Platform::Oidc, &id).is_ok());
    }
}
