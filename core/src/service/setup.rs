//! The one-time setup link that lets the first admin in.

use crate::store::in_tx;
use std::time::Duration;

use serde_json::json;

use crate::crypto::{hash_token, random_token};
use crate::domain::{Actor, AuditAction, Timestamp};
use crate::error::CoreResult;
use crate::store::{Db, audit, links, users};

/// How long a setup link works.
pub const SETUP_TOKEN_TTL: Duration = Duration::from_secs(60 * 60);

/// Setup links.
#[derive(Clone, Debug)]
pub struct SetupService {
    db: Db,
}

impl SetupService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// True while no enabled admin can sign in to the console (a passkey or an OIDC identity):
    /// admins named for a chat platform alone still need the setup link to reach the console.
    pub async fn needs_setup(&self) -> CoreResult<bool> {
        in_tx(&self.db, |tx| {
            Box::pin(async { Ok(!users::any_console_admin(tx).await?) })
        })
        .await
    }

    /// Issues a fresh one-time token (only its hash is stored) and returns the link to print.
    pub async fn issue_link(&self, actor: &Actor, public_url: &str) -> CoreResult<String> {
        let token = random_token(32);
        let now = Timestamp::now();
        let expires = now.plus(SETUP_TOKEN_TTL);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                links::put_setup_token(tx, &hash_token(&token), expires, now).await?;
                let details = json!({ "expires_at": expires.to_rfc3339() });
                audit::record(
                    tx,
                    actor,
                    AuditAction::SetupLinkIssued,
                    "setup",
                    &details,
                    now,
                )
                .await
            })
        })
        .await?;
        Ok(format!(
            "{}/setup/{token}",
            public_url.trim_end_matches('/')
        ))
    }

    /// Whether a token from a link is still usable.
    pub async fn is_valid(&self, token: &str) -> CoreResult<bool> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async { links::setup_token_valid(tx, &hash_token(token), now).await })
        })
        .await
    }

    /// Uses a token up; true only for the first caller.
    pub async fn consume(&self, token: &str) -> CoreResult<bool> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async { links::use_setup_token(tx, &hash_token(token), now).await })
        })
        .await
    }
}
