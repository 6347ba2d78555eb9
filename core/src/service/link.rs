//! Linking accounts across platforms with a short one-time code: `/link` on one platform gives
//! a code; entering it on another joins that account to the first user.

use crate::store::in_tx;
use std::time::Duration;

use rand::Rng;
use serde_json::json;

use super::authz;
use crate::crypto::hash_token;
use crate::domain::role::builtin::MEMBER;
use crate::domain::{
    Actor, AuditAction, Identity, Permission, Platform, Source, Timestamp, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, audit, links, users};

/// How long a code may be used.
pub const LINK_CODE_TTL: Duration = Duration::from_secs(10 * 60);
/// Unambiguous characters (no 0/O, 1/I/L), easy to type on a phone.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 8;

/// A fresh code and when it stops working.
#[derive(Debug, Clone)]
pub struct LinkCode {
    /// The code to show the user (shown once; only its hash is stored).
    pub code: String,
    /// Expiry.
    pub expires_at: Timestamp,
}

/// Link codes.
#[derive(Clone, Debug)]
pub struct LinkService {
    db: Db,
    /// Whose remembered callers to forget when a link moves an account to another user.
    users: super::UserService,
}

impl LinkService {
    /// Builds the service over a database; `users` is the user service whose callers a link
    /// makes stale.
    pub fn new(db: Db, users: super::UserService) -> Self {
        Self { db, users }
    }

    /// Issues a code for the calling user, replacing any earlier one.
    pub async fn create_code(&self, actor: &Actor) -> CoreResult<LinkCode> {
        let now = Timestamp::now();
        let code = random_code();
        let expires_at = now.plus(LINK_CODE_TTL);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let user = caller
                    .user
                    .ok_or_else(|| CoreError::Validation("only users link".into()))?;
                links::put_link_code(tx, user.id, &hash_token(&normalize(&code)), expires_at, now)
                    .await
            })
        })
        .await?;
        Ok(LinkCode { code, expires_at })
    }

    /// Issues a code for someone else's account (admins only, audited): how a person the bots
    /// refuse (`USHER_TELEGRAM_REGISTRATION=refuse`) gets in, by redeeming it as a newcomer.
    pub async fn issue_for(&self, actor: &Actor, user: UserId) -> CoreResult<LinkCode> {
        let now = Timestamp::now();
        let code = random_code();
        let expires_at = now.plus(LINK_CODE_TTL);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                put_code_for(tx, actor, user, &code, expires_at, now).await
            })
        })
        .await?;
        Ok(LinkCode { code, expires_at })
    }

    /// Adds a person who has no account yet (admins only, audited): a member with no chat
    /// account, and a code they redeem from Telegram or Discord to become that member.
    pub async fn invite(&self, actor: &Actor, name: &str) -> CoreResult<(UserId, LinkCode)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(CoreError::Validation(
                "a name of 1 to 100 characters is needed".into(),
            ));
        }
        let now = Timestamp::now();
        let code = random_code();
        let expires_at = now.plus(LINK_CODE_TTL);
        let user = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let user = users::insert_user(tx, name, now).await?;
                let role = users::role_id(tx, MEMBER).await?;
                users::grant_role(tx, user.id, role).await?;
                let details = json!({ "role": MEMBER, "invited": true });
                audit::record(
                    tx,
                    actor,
                    AuditAction::UserCreated,
                    &format!("user:{}", user.id),
                    &details,
                    now,
                )
                .await?;
                put_code_for(tx, actor, user.id, &code, expires_at, now).await?;
                Ok(user.id)
            })
        })
        .await?;
        Ok((user, LinkCode { code, expires_at }))
    }

    /// Redeems a code for a chat account Usher does not know yet: the account joins the code's
    /// owner without ever being registered on its own, so it works when registration is refused.
    /// An account Usher knows must use [`LinkService::redeem`] (a `Conflict` here).
    pub async fn redeem_as_newcomer(
        &self,
        platform: Platform,
        external_id: &str,
        display: &str,
        code: &str,
    ) -> CoreResult<UserId> {
        Identity::validate_external_id(platform, external_id)?;
        let source = chat_source(platform, external_id)?;
        let now = Timestamp::now();
        let hash = hash_token(&normalize(code));
        let linked = in_tx(&self.db, |tx| {
            Box::pin(async {
                if users::find_by_identity(tx, platform, external_id)
                    .await?
                    .is_some()
                {
                    return Err(CoreError::Conflict(
                        "this account is registered already".into(),
                    ));
                }
                let owner = links::take_link_code(tx, &hash, now)
                    .await?
                    .ok_or_else(|| CoreError::NotFound("link code (wrong or expired)".into()))?;
                let actor = Actor::user(owner, source.clone());
                authz::caller(tx, &actor).await?;
                let display = display.trim();
                let identity = Identity {
                    user_id: owner,
                    platform,
                    external_id: external_id.to_owned(),
                    display: if display.is_empty() {
                        external_id
                    } else {
                        display
                    }
                    .to_owned(),
                };
                users::insert_identity(tx, &identity, now).await?;
                let details = json!({ "platform": platform, "external_id": external_id });
                audit::record(
                    tx,
                    &actor,
                    AuditAction::IdentityLinked,
                    &format!("user:{owner}"),
                    &details,
                    now,
                )
                .await?;
                Ok(owner)
            })
        })
        .await;
        self.users.forget_callers();
        linked
    }

    /// Joins the caller's account into the code owner's: identities, requests, follows and roles
    /// move; the caller's old user record is removed. Returns the surviving user.
    pub async fn redeem(&self, actor: &Actor, code: &str) -> CoreResult<UserId> {
        let now = Timestamp::now();
        let hash = hash_token(&normalize(code));
        let merged = in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let me = caller
                    .user
                    .ok_or_else(|| CoreError::Validation("only users link".into()))?;
                let owner = links::take_link_code(tx, &hash, now)
                    .await?
                    .ok_or_else(|| CoreError::NotFound("link code (wrong or expired)".into()))?;
                if owner == me.id {
                    return Err(CoreError::Conflict(
                        "these accounts are already linked".into(),
                    ));
                }
                users::merge_users(tx, me.id, owner).await?;
                let details = json!({ "merged_user": me.id });
                audit::record(
                    tx,
                    actor,
                    AuditAction::IdentityLinked,
                    &format!("user:{owner}"),
                    &details,
                    now,
                )
                .await?;
                Ok(owner)
            })
        })
        .await;
        self.users.forget_callers();
        merged
    }
}

/// Stores `code` for another user's account and audits it (never the code itself).
async fn put_code_for(
    tx: &mut Tx,
    actor: &Actor,
    user: UserId,
    code: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> CoreResult<()> {
    let target = users::get_user(tx, user)
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("user {user}")))?;
    if target.disabled {
        return Err(CoreError::Validation("this account is disabled".into()));
    }
    links::put_link_code(tx, user, &hash_token(&normalize(code)), expires_at, now).await?;
    let details = json!({ "expires_at": expires_at.0 });
    let target = format!("user:{user}");
    audit::record(
        tx,
        actor,
        AuditAction::LinkCodeIssued,
        &target,
        &details,
        now,
    )
    .await
}

/// The audit source of a chat account acting for itself.
fn chat_source(platform: Platform, external_id: &str) -> CoreResult<Source> {
    let user = external_id.to_owned();
    match platform {
        Platform::Telegram => Ok(Source::Telegram { user }),
        Platform::Discord => Ok(Source::Discord { user }),
        other => Err(CoreError::Validation(format!(
            "{} accounts are not linked with codes",
            other.as_str()
        ))),
    }
}

fn random_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// People type codes in lower case and with spaces or dashes; accept that.
fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet_and_normalize() {
        let code = random_code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(normalize(" ab-cd 23 "), "ABCD23");
    }
}
