//! PasskeyService: the WebAuthn credentials people sign in to the console with. The web layer
//! runs the ceremonies and hands over the serialized credential; this service decides who may
//! add, rename or remove one, keeps a user from locking themselves out, and creates the first
//! admin from the one-time setup link together with their first passkey.

use serde_json::json;

use super::authz;
use super::security_alerts::SecurityAlerts;
use crate::crypto::hash_token;
use crate::domain::{
    Actor, AuditAction, Identity, Permission, Platform, Source, Timestamp, User, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::passkeys::{self, PasskeyRow};
use crate::store::{Db, Tx, audit, in_tx, links, sessions, users};

/// Longest passkey or display name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest serialized credential accepted (a public key and a few flags fit easily).
const MAX_CREDENTIAL_BYTES: usize = 16 * 1024;
/// Longest credential id accepted (WebAuthn allows 1023 bytes; base64url grows it by a third).
const MAX_CREDENTIAL_ID_CHARS: usize = 1400;

/// A credential the web layer just verified, ready to store.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    /// The user handle the authenticator stores with it (see [`RegistrationInfo::handle`]).
    pub handle: String,
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// What its owner calls it.
    pub name: String,
    /// The serialized credential (opaque here).
    pub credential: String,
}

/// A stored credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// Its owner.
    pub user: UserId,
    /// What its owner calls it.
    pub name: String,
    /// The serialized credential (opaque here).
    pub credential: String,
    /// When it was registered.
    pub created_at: Timestamp,
    /// When it last signed its owner in.
    pub last_used_at: Option<Timestamp>,
}

impl From<PasskeyRow> for StoredPasskey {
    fn from(row: PasskeyRow) -> Self {
        Self {
            credential_id: row.credential_id,
            user: UserId(row.user_id),
            name: row.name,
            credential: row.credential,
            created_at: Timestamp(row.created_at),
            last_used_at: row.last_used_at.map(Timestamp),
        }
    }
}

/// What a registration ceremony for an existing user needs to start.
#[derive(Debug, Clone)]
pub struct RegistrationInfo {
    /// The user.
    pub user: User,
    /// The user handle their authenticators already hold, if they registered one before; a new
    /// ceremony reuses it so one user is one account on the authenticator.
    pub handle: Option<String>,
    /// Credentials already registered, so the authenticator does not register one twice.
    pub credential_ids: Vec<String>,
}

/// The first admin's account, made from the one-time setup link.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    /// The token from `/setup/{token}`.
    pub setup_token: String,
    /// The name the admin typed.
    pub display_name: String,
    /// Their first passkey.
    pub passkey: NewPasskey,
    /// Where the setup came from (the client address).
    pub source: Source,
}

/// Passkeys of console users.
#[derive(Clone, Debug)]
pub struct PasskeyService {
    db: Db,
    alerts: SecurityAlerts,
}

impl PasskeyService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self {
            alerts: SecurityAlerts::new(db.clone()),
            db,
        }
    }

    /// Tells admins of the first admin through `alerts` (the app's one, shared with the edges).
    #[must_use]
    pub fn with_alerts(mut self, alerts: SecurityAlerts) -> Self {
        self.alerts = alerts;
        self
    }

    /// What registering another passkey for `user` needs; the owner or an admin only.
    pub async fn registration_info(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> CoreResult<RegistrationInfo> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let found = owner_or_admin(tx, actor, user).await?;
                let handle = passkeys::handles_of(tx, user).await?.into_iter().next();
                let credential_ids = passkeys::for_user(tx, user)
                    .await?
                    .into_iter()
                    .map(|row| row.credential_id)
                    .collect();
                Ok(RegistrationInfo {
                    user: found,
                    handle,
                    credential_ids,
                })
            })
        })
        .await
    }

    /// Stores a verified credential for `user`; the owner or an admin only. A credential id
    /// registered before (to anyone) is a conflict.
    pub async fn add(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewPasskey,
    ) -> CoreResult<StoredPasskey> {
        let new = validated(new)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let found = owner_or_admin(tx, actor, user).await?;
                store_passkey(tx, actor, &found, &new, now).await
            })
        })
        .await
    }

    /// A user's passkeys, oldest first; the owner or an admin only.
    pub async fn list(&self, actor: &Actor, user: UserId) -> CoreResult<Vec<StoredPasskey>> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                owner_or_admin(tx, actor, user).await?;
                Ok(passkeys::for_user(tx, user)
                    .await?
                    .into_iter()
                    .map(StoredPasskey::from)
                    .collect())
            })
        })
        .await
    }

    /// Renames a passkey; its owner or an admin only.
    pub async fn rename(&self, actor: &Actor, credential_id: &str, name: &str) -> CoreResult<()> {
        let name = passkey_name(name)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let row = owned_passkey(tx, actor, credential_id).await?;
                passkeys::rename(tx, credential_id, &name).await?;
                let details =
                    json!({ "credential": short_id(credential_id), "from": row.name, "to": name });
                audit::record(
                    tx,
                    actor,
                    AuditAction::PasskeyRenamed,
                    &user_target(UserId(row.user_id)),
                    &details,
                    now,
                )
                .await
            })
        })
        .await
    }

    /// Removes a passkey; its owner or an admin only. The last passkey of a user who has no
    /// other way to sign in to the console (OIDC) stays: removing it would lock them out.
    /// Sessions do not record which passkey opened them, and a passkey is removed mostly
    /// because its device is lost: so the owner's sessions end too, all but `keep` (the
    /// session asking, when it is the owner's).
    pub async fn remove(
        &self,
        actor: &Actor,
        credential_id: &str,
        keep: Option<&str>,
    ) -> CoreResult<()> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| Box::pin(async {
            let row = owned_passkey(tx, actor, credential_id).await?;
            let owner = UserId(row.user_id);
            // Two removals at once must not both see "one more left".
            users::lock_user(tx, owner).await?;
            let left = passkeys::for_user(tx, owner).await?.len();
            if left <= 1 && !passkeys::has_other_sign_in(tx, owner).await? {
                return Err(CoreError::Conflict(
                    "this is the last way to sign in to this account; add another passkey first".into(),
                ));
            }
            passkeys::delete(tx, credential_id).await?;
            match keep {
                Some(keep) => sessions::revoke_user_except(tx, owner, keep, now).await?,
                None => sessions::revoke_user(tx, owner, now).await?,
            };
            let details = json!({ "credential": short_id(credential_id), "name": row.name });
            audit::record(tx, actor, AuditAction::PasskeyRemoved, &user_target(owner), &details, now).await
        })).await
    }

    /// The credential a discoverable sign-in presented, if it is registered and the user handle
    /// the authenticator sent belongs to its owner. No actor: nobody is signed in yet.
    pub async fn for_sign_in(
        &self,
        handle: &str,
        credential_id: &str,
    ) -> CoreResult<Option<StoredPasskey>> {
        if credential_id.is_empty() || credential_id.len() > MAX_CREDENTIAL_ID_CHARS {
            return Ok(None);
        }
        let row = passkeys::find_for_handle(&self.db, credential_id, handle).await?;
        Ok(row.map(StoredPasskey::from))
    }

    /// Records a successful sign-in with a credential: when, and its updated form when the
    /// counter or backup flags moved.
    pub async fn record_sign_in(
        &self,
        credential_id: &str,
        updated: Option<&str>,
    ) -> CoreResult<()> {
        let now = Timestamp::now();
        let found = in_tx(&self.db, |tx| {
            Box::pin(async { passkeys::record_use(tx, credential_id, updated, now).await })
        })
        .await?;
        if found {
            Ok(())
        } else {
            Err(CoreError::NotFound("passkey".into()))
        }
    }

    /// Creates the first admin from the one-time setup link: uses the token up, creates the user
    /// with the admin role, their passkey identity and credential, and the audit rows, all in
    /// one transaction. A used or expired token refuses and writes nothing.
    pub async fn first_admin(&self, setup: FirstAdmin) -> CoreResult<User> {
        let display_name = display_name(&setup.display_name)?;
        let new = validated(setup.passkey)?;
        if setup.setup_token.is_empty() || setup.setup_token.len() > 128 {
            return Err(setup_link_gone());
        }
        let token_hash = hash_token(&setup.setup_token);
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                if !links::use_setup_token(tx, &token_hash, now).await? {
                    return Err(setup_link_gone());
                }
                let user = users::insert_user(tx, &display_name, now).await?;
                let admin = users::role_id(tx, "admin").await?;
                users::grant_role(tx, user.id, admin).await?;
                let by = "setup link".to_owned();
                self.alerts.new_admin_in(tx, user.id, by, now).await?;
                let actor = Actor::user(user.id, setup.source.clone());
                let details =
                    json!({ "platform": Platform::Passkey, "role": "admin", "via": "setup_link" });
                audit::record(
                    tx,
                    &actor,
                    AuditAction::UserCreated,
                    &user_target(user.id),
                    &details,
                    now,
                )
                .await?;
                store_passkey(tx, &actor, &user, &new, now).await?;
                Ok(user)
            })
        })
        .await
    }
}

/// The error for a setup token that cannot be used (again).
fn setup_link_gone() -> CoreError {
    CoreError::Forbidden("this setup link expired or was already used".into())
}

/// Stores the credential (and the user handle identity, the first time) with its audit row.
async fn store_passkey(
    tx: &mut Tx,
    actor: &Actor,
    user: &User,
    new: &NewPasskey,
    now: Timestamp,
) -> CoreResult<StoredPasskey> {
    let handles = passkeys::handles_of(tx, user.id).await?;
    if !handles.contains(&new.handle) {
        let identity = Identity {
            user_id: user.id,
            platform: Platform::Passkey,
            external_id: new.handle.clone(),
            display: user.display_name.clone(),
        };
        users::insert_identity(tx, &identity, now).await?;
    }
    let row = PasskeyRow {
        credential_id: new.credential_id.clone(),
        user_id: user.id.0,
        name: new.name.clone(),
        credential: new.credential.clone(),
        created_at: now.0,
        last_used_at: None,
    };
    passkeys::insert(tx, &row).await?;
    let details = json!({ "credential": short_id(&new.credential_id), "name": new.name });
    audit::record(
        tx,
        actor,
        AuditAction::PasskeyAdded,
        &user_target(user.id),
        &details,
        now,
    )
    .await?;
    Ok(row.into())
}

/// The user, if the actor is that user or an admin.
async fn owner_or_admin(tx: &mut Tx, actor: &Actor, user: UserId) -> CoreResult<User> {
    let caller = authz::caller(tx, actor).await?;
    if caller.user.as_ref().map(|u| u.id) != Some(user) {
        caller.require(Permission::Admin)?;
    }
    users::get_user(tx, user)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("user {user}")))
}

/// A passkey the actor may manage. Someone else's passkey is "not found" to a non-admin, so
/// ids cannot be probed.
async fn owned_passkey(tx: &mut Tx, actor: &Actor, credential_id: &str) -> CoreResult<PasskeyRow> {
    let not_found = || CoreError::NotFound("passkey".into());
    if credential_id.is_empty() || credential_id.len() > MAX_CREDENTIAL_ID_CHARS {
        return Err(not_found());
    }
    let caller = authz::caller(tx, actor).await?;
    let row = passkeys::find(tx, credential_id)
        .await?
        .ok_or_else(not_found)?;
    let mine = caller.user.as_ref().map(|u| u.id.0) == Some(row.user_id);
    if !mine && !caller.may(Permission::Admin) {
        return Err(not_found());
    }
    Ok(row)
}

fn validated(new: NewPasskey) -> CoreResult<NewPasskey> {
    Identity::validate_external_id(Platform::Passkey, &new.handle)?;
    let id_ok = !new.credential_id.is_empty()
        && new.credential_id.len() <= MAX_CREDENTIAL_ID_CHARS
        && new
            .credential_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !id_ok {
        return Err(CoreError::Validation(
            "a credential id is base64url text".into(),
        ));
    }
    if new.credential.is_empty() || new.credential.len() > MAX_CREDENTIAL_BYTES {
        return Err(CoreError::Validation(
            "the credential is empty or too large".into(),
        ));
    }
    Ok(NewPasskey {
        name: passkey_name(&new.name)?,
        ..new
    })
}

/// A trimmed name of 1 to [`MAX_NAME_CHARS`] characters without control characters.
fn clean_name(name: &str, what: &str) -> CoreResult<String> {
    let name = name.trim();
    let count = name.chars().count();
    if count == 0 || count > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(CoreError::Validation(format!(
            "a {what} has 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_owned())
}

/// A passkey name as it will be stored, or why not; front ends check before a ceremony so
/// nobody makes a credential that is then refused.
pub fn passkey_name(name: &str) -> CoreResult<String> {
    clean_name(name, "passkey name")
}

/// A display name as it will be stored (the first admin's), or why not.
pub fn display_name(name: &str) -> CoreResult<String> {
    clean_name(name, "display name")
}

/// The start of a credential id, enough to tell passkeys apart in the audit log.
fn short_id(credential_id: &str) -> String {
    credential_id.chars().take(12).collect()
}

fn user_target(user: UserId) -> String {
    format!("user:{user}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(passkey_name("  Phone ").expect("ok"), "Phone");
        assert!(passkey_name("   ").is_err());
        assert!(passkey_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(passkey_name("a\nb").is_err());
        assert_eq!(
            passkey_name(&"ü".repeat(MAX_NAME_CHARS))
                .expect("chars, not bytes")
                .chars()
                .count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn credential_ids_must_be_base64url() {
        let ok = NewPasskey {
            handle: "0b2c".into(),
            credential_id: "AbC-_09".into(),
            name: "Key".into(),
            credential: "{}".into(),
        };
        assert!(validated(ok.clone()).is_ok());
        for bad in ["", "a b", "a/b", "a=b"] {
            let new = NewPasskey {
                credential_id: bad.into(),
                ..ok.clone()
            };
            assert!(validated(new).is_err(), "{bad:?}");
        }
        let empty = NewPasskey {
            credential: String::new(),
            ..ok
        };
        assert!(validated(empty).is_err());
    }
}
