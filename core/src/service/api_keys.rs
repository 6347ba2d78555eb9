//! Scoped API keys: made and revoked by admins (the CLI, later the console), and turned into an
//! [`ApiCaller`] at the API's edge.
//!
//! A key is 32 random bytes (base64url, after a `usher_` prefix so leaked keys are easy to
//! grep for). Only its SHA-256 is stored; a presented key is hashed, looked up by that hash and
//! the stored hash compared again in constant time. Each key has its own machine user, named
//! like the key, so the audit log says which key did what. A short-lived cache answers repeated
//! calls without a read; it holds entries for [`CACHE_TTL`], so a key revoked by another process
//! (the CLI while `usher serve` runs, another replica) is refused within that time, and at once
//! in the process that revoked it.

use std::time::Duration;

use moka::future::Cache;
use secrecy::SecretString;
use serde_json::json;

use super::authz;
use super::security_alerts::SecurityAlerts;
use crate::crypto::{constant_time_eq, hash_token, random_token};
use crate::domain::{
    Actor, ApiKeyName, ApiKeySummary, AuditAction, Permission, Scope, Scopes, SecurityEvent,
    Source, Timestamp, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, api_keys, audit, in_tx, users};

/// How long an authenticated key is trusted without reading it again. Well under the 10 s in
/// which a revocation must take effect everywhere.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// The prefix of every key.
const PREFIX: &str = "usher_";

/// Longest text worth hashing as a key; anything longer is refused at once.
const MAX_KEY_LEN: usize = 128;

/// The one refusal for a missing, unknown or revoked key: no hint which it was.
const BAD_KEY: &str = "a valid API key is required";

/// The machine behind one API call, as every API handler receives it.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    /// The key's name (never the key).
    pub key: String,
    /// The key's machine user.
    pub user: UserId,
    /// What the key may do.
    pub scopes: Scopes,
}

impl ApiCaller {
    /// The actor core records: the machine user, acting through this key.
    pub fn actor(&self) -> Actor {
        Actor::user(
            self.user,
            Source::Api {
                key: self.key.clone(),
            },
        )
    }

    /// Refuses unless the key holds the scope.
    pub fn require(&self, scope: Scope) -> CoreResult<()> {
        if self.scopes.allows(scope) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(format!(
                "this API key lacks the `{}` scope",
                scope.as_str()
            )))
        }
    }
}

/// A key just made: shown once, never again.
#[derive(Debug)]
pub struct NewApiKey {
    /// What `list` will show of it.
    pub summary: ApiKeySummary,
    /// The key itself.
    pub secret: SecretString,
}

/// API keys.
#[derive(Clone)]
pub struct ApiKeyService {
    db: Db,
    known: Cache<String, ApiCaller>,
    alerts: SecurityAlerts,
}

impl std::fmt::Debug for ApiKeyService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyService")
            .field("cached", &self.known.entry_count())
            .finish()
    }
}

impl ApiKeyService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self {
            alerts: SecurityAlerts::new(db.clone()),
            db,
            known: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(CACHE_TTL)
                .build(),
        }
    }

    /// Tells admins of keys created and revoked through `alerts` (the app's one).
    #[must_use]
    pub fn with_alerts(mut self, alerts: SecurityAlerts) -> Self {
        self.alerts = alerts;
        self
    }

    /// Makes a key with these scopes and its machine user; admins only. A live key of the same
    /// name is a [`CoreError::Conflict`].
    pub async fn create(&self, actor: &Actor, name: &str, scopes: &str) -> CoreResult<NewApiKey> {
        let name = ApiKeyName::parse(name)?;
        let scopes = Scopes::parse(scopes)?;
        let secret = format!("{PREFIX}{}", random_token(32));
        let key_hash = hash_token(&secret);
        let now = Timestamp::now();
        let user = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let user = users::insert_user(tx, name.as_str(), now).await?;
                let row = api_keys::NewKeyRow {
                    name: name.as_str(),
                    user: user.id,
                    key_hash: &key_hash,
                    scopes,
                    now,
                };
                api_keys::insert(tx, &row).await?;
                let details = json!({ "scopes": scopes.to_string(), "user": user.id.0 });
                audit::record(
                    tx,
                    actor,
                    AuditAction::ApiKeyCreated,
                    &target(&name),
                    &details,
                    now,
                )
                .await?;
                let event = SecurityEvent::ApiKeyCreated {
                    name: name.to_string(),
                };
                self.alerts.raise_in(tx, event, now).await?;
                Ok(user.id)
            })
        })
        .await?;
        Ok(NewApiKey {
            summary: ApiKeySummary {
                name: name.to_string(),
                scopes,
                user,
                created_at: now,
                last_used_at: None,
            },
            secret: SecretString::from(secret),
        })
    }

    /// Every live key (names, scopes, dates; never a key); admins only.
    pub async fn list(&self, actor: &Actor) -> CoreResult<Vec<ApiKeySummary>> {
        in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await?.require(Permission::Admin) })
        })
        .await?;
        api_keys::list_live(&self.db).await
    }

    /// Revokes the live key of this name and disables its machine user; admins only. This
    /// process refuses the key at once, others within [`CACHE_TTL`].
    pub async fn revoke(&self, actor: &Actor, name: &str) -> CoreResult<()> {
        let name = ApiKeyName::parse(name)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let user = api_keys::revoke(tx, name.as_str(), now)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("API key {name}")))?;
                let details = json!({ "user": user.0 });
                audit::record(
                    tx,
                    actor,
                    AuditAction::ApiKeyRevoked,
                    &target(&name),
                    &details,
                    now,
                )
                .await?;
                let event = SecurityEvent::ApiKeyRevoked {
                    name: name.to_string(),
                };
                self.alerts.raise_in(tx, event, now).await.map(drop)
            })
        })
        .await?;
        self.known.invalidate_all();
        Ok(())
    }

    /// The caller a presented key stands for. A missing, malformed, unknown or revoked key is
    /// one and the same [`CoreError::Forbidden`], which never repeats the key.
    pub async fn authenticate(&self, presented: &str) -> CoreResult<ApiCaller> {
        let presented = presented.trim();
        if !presented.starts_with(PREFIX) || presented.len() > MAX_KEY_LEN {
            return Err(CoreError::Forbidden(BAD_KEY.into()));
        }
        let key_hash = hash_token(presented);
        if let Some(known) = self.known.get(&key_hash).await {
            return Ok(known);
        }
        let row = api_keys::find_live(&self.db, &key_hash)
            .await?
            .filter(|row| constant_time_eq(row.key_hash.as_bytes(), key_hash.as_bytes()))
            .ok_or_else(|| CoreError::Forbidden(BAD_KEY.into()))?;
        let caller = ApiCaller {
            scopes: Scopes::parse(&row.scopes)?,
            key: row.name,
            user: UserId(row.user_id),
        };
        api_keys::touch(&self.db, &key_hash, Timestamp::now()).await?;
        self.known.insert(key_hash, caller.clone()).await;
        Ok(caller)
    }

    /// The same call made for another user (Seerr's `X-API-User`): only an `admin` key may, and
    /// the user must exist and not be disabled. What follows is that user's doing (their
    /// requests, their permissions), audited as this key acting for them (`source` `api`, the
    /// key's name beside it). An unknown user is refused with 403, as Seerr refuses it.
    pub async fn act_for(&self, caller: ApiCaller, user: UserId) -> CoreResult<ApiCaller> {
        if !caller.scopes.allows(Scope::Admin) {
            return Err(CoreError::Forbidden(
                "X-API-User: only an API key with the `admin` scope may act for another user"
                    .into(),
            ));
        }
        match users::read_with_permissions(&self.db, user).await? {
            Some((found, _)) if !found.disabled => Ok(ApiCaller { user, ..caller }),
            Some(_) => Err(CoreError::Forbidden(format!(
                "X-API-User: user {} is disabled",
                user.0
            ))),
            None => Err(CoreError::Forbidden(format!(
                "X-API-User: there is no user {}",
                user.0
            ))),
        }
    }
}

/// The audit target of a key.
fn target(name: &ApiKeyName) -> String {
    format!("api_key:{name}")
}
