//! Linking accounts across platforms with a short one-time code: `/link` on one platform gives
//! a code; entering it on another joins that account to the first user.

use crate::store::in_tx;
use std::time::Duration;

use rand::Rng;
use serde_json::json;

use super::authz;
use crate::crypto::hash_token;
use crate::domain::{Actor, AuditAction, Identity, Platform, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, audit, links, users};

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
}

impl LinkService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Issues a code for the calling user, replacing any earlier one.
    pub async fn create_code(&self, actor: &Actor) -> CoreResult<LinkCode> {
        let now = Timestamp::now();
        let code = random_code();
        let expires_at = now.plus(LINK_CODE_TTL);
        in_tx!(self.db, tx => {
            let caller = authz::caller(tx, actor).await?;
            let user = caller.user.ok_or_else(|| CoreError::Validation("only users link".into()))?;
            links::put_link_code(tx, user.id, &hash_token(&normalize(&code)), expires_at, now).await
        })?;
        Ok(LinkCode { code, expires_at })
    }

    /// Joins the caller's account into the code owner's: identities, requests, follows and roles
    /// move; the caller's old user record is removed. Returns the surviving user.
    pub async fn redeem(&self, actor: &Actor, code: &str) -> CoreResult<UserId> {
        let now = Timestamp::now();
        let hash = hash_token(&normalize(code));
        in_tx!(self.db, tx => {
            let caller = authz::caller(tx, actor).await?;
            let me = caller.user.ok_or_else(|| CoreError::Validation("only users link".into()))?;
            let owner = links::take_link_code(tx, &hash, now)
                .await?
                .ok_or_else(|| CoreError::NotFound("link code (wrong or expired)".into()))?;
            if owner == me.id {
                return Err(CoreError::Conflict("these accounts are already linked".into()));
            }
            users::merge_users(tx, me.id, owner).await?;
            let details = json!({ "merged_user": me.id });
            audit::record(tx, actor, AuditAction::IdentityLinked, &format!("user:{owner}"), &details, now)
                .await?;
            Ok(owner)
        })
    }
}

impl LinkService {
    /// Joins a platform account Usher has never seen to the code's owner, for someone whom
    /// registration refuses (`USHER_DISCORD_REGISTRATION=refuse`): the account becomes one of
    /// the owner's identities and no user of its own is ever created. The account acts as
    /// `actor` in the audit row. A known account is a [`CoreError::Conflict`]: it links with
    /// [`Self::redeem`].
    pub async fn redeem_as_newcomer(
        &self,
        actor: &Actor,
        platform: Platform,
        external_id: &str,
        display: &str,
        code: &str,
    ) -> CoreResult<UserId> {
        Identity::validate_external_id(platform, external_id)?;
        let now = Timestamp::now();
        let hash = hash_token(&normalize(code));
        let display = match display.trim() {
            "" => external_id,
            name => name,
        };
        in_tx!(self.db, tx => {
            if users::find_by_identity(tx, platform, external_id).await?.is_some() {
                return Err(CoreError::Conflict("this account is already known".into()));
            }
            let owner = links::take_link_code(tx, &hash, now)
                .await?
                .ok_or_else(|| CoreError::NotFound("link code (wrong or expired)".into()))?;
            let identity = Identity {
                user_id: owner,
                platform,
                external_id: external_id.to_owned(),
                display: display.to_owned(),
            };
            users::insert_identity(tx, &identity, now).await?;
            let details = json!({ "platform": platform, "external_id": external_id });
            audit::record(tx, actor, AuditAction::IdentityLinked, &format!("user:{owner}"), &details, now)
                .await?;
            Ok(owner)
        })
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
