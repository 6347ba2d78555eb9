//! Console sessions and sign-in ceremonies. The web layer carries a session as a signed JWT;
//! this service owns the server-side half (its `jti`), so sign-out, "sign out everywhere", a
//! role change or a disabled account end it on the very next request, on every replica.

use std::time::Duration;

use serde_json::json;

use crate::crypto::{hash_token, random_token};
use crate::domain::{Actor, AuditAction, Permissions, Timestamp, User, UserId};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, in_tx, sessions, users};

pub use crate::store::sessions::SessionRow;

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(2 * 60 * 60),
            absolute: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// Activity is written at most this often per session, so reading pages does not queue writes.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// How long a sign-in ceremony (WebAuthn challenge, OIDC round trip) may take.
pub const FLOW_TTL: Duration = Duration::from_secs(10 * 60);

/// Where a sign-in came from, for the session list and the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Client address (already masked if the operator asked for it).
    pub ip: Option<String>,
    /// User agent, cut to 200 characters.
    pub user_agent: Option<String>,
}

/// A session just started: what the web layer puts in the JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The JWT id.
    pub jti: String,
    /// The signed-in user.
    pub user: UserId,
    /// Absolute expiry (the JWT's `exp`).
    pub expires_at: Timestamp,
}

/// A live session's user, as every console request sees it.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    /// The user.
    pub user: User,
    /// Their permissions now (not at sign-in).
    pub permissions: Permissions,
    /// The session's JWT id.
    pub jti: String,
}

/// Sessions and ceremonies.
#[derive(Clone, Debug)]
pub struct SessionService {
    db: Db,
    policy: SessionPolicy,
}

impl SessionService {
    /// Builds the service over a database.
    pub fn new(db: Db, policy: SessionPolicy) -> Self {
        Self { db, policy }
    }

    /// The lifetimes in force.
    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// Starts a session for a user who just proved who they are (`via`: `passkey`, `oidc`).
    /// A disabled user is refused.
    pub async fn start(
        &self,
        user: UserId,
        via: &str,
        client: &ClientInfo,
    ) -> CoreResult<NewSession> {
        let now = Timestamp::now();
        let jti = random_token(24);
        let expires_at = now.plus(self.policy.absolute);
        let ua = client
            .user_agent
            .as_deref()
            .map(|s| s.chars().take(200).collect::<String>());
        let actor = Actor::user(user, web_source(client));
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let found = users::get_user(tx, user)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("user {user}")))?;
                if found.disabled {
                    return Err(CoreError::Forbidden("this account is disabled".into()));
                }
                let row = sessions::NewSession {
                    jti: &jti,
                    user,
                    via,
                    expires_at,
                    ip: client.ip.as_deref(),
                    user_agent: ua.as_deref(),
                };
                sessions::insert(tx, &row, now).await?;
                let details = json!({ "via": via });
                crate::store::audit::record(
                    tx,
                    &actor,
                    AuditAction::SignedIn,
                    &user_target(user),
                    &details,
                    now,
                )
                .await
            })
        })
        .await?;
        Ok(NewSession {
            jti,
            user,
            expires_at,
        })
    }

    /// The user behind a session id if the session is open: not revoked, not idle too long,
    /// not past its absolute expiry, its user not disabled.
    pub async fn check(&self, jti: &str) -> CoreResult<Option<SignedInUser>> {
        let now = Timestamp::now();
        let Some(row) = sessions::find(&self.db, jti).await? else {
            return Ok(None);
        };
        let idle_limit = Timestamp(row.last_seen_at).plus(self.policy.idle);
        if row.revoked_at.is_some()
            || row.user_disabled
            || row.expires_at <= now.0
            || idle_limit <= now
        {
            return Ok(None);
        }
        let user = UserId(row.user_id);
        let touch = Timestamp(row.last_seen_at).plus(TOUCH_EVERY) <= now;
        // Reads stay outside transactions; only the once-a-minute activity stamp writes.
        if touch {
            in_tx(&self.db, |tx| {
                Box::pin(async { sessions::touch(tx, jti, now).await })
            })
            .await?;
        }
        let found = users::read_with_permissions(&self.db, user).await?;
        Ok(found.map(|(user, permissions)| SignedInUser {
            user,
            permissions,
            jti: row.jti,
        }))
    }

    /// Signs one session out.
    pub async fn end(&self, actor: &Actor, jti: &str) -> CoreResult<()> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                if sessions::revoke(tx, jti, now).await? {
                    let target = actor.user.map_or_else(|| "session".to_owned(), user_target);
                    crate::store::audit::record(
                        tx,
                        actor,
                        AuditAction::SignedOut,
                        &target,
                        &json!({}),
                        now,
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Signs a user out everywhere. Only the user themselves or an admin may.
    pub async fn end_all(&self, actor: &Actor, user: UserId) -> CoreResult<u64> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                if actor.user != Some(user) {
                    super::authz::caller(tx, actor)
                        .await?
                        .require(crate::domain::Permission::Admin)?;
                }
                let ended = sessions::revoke_user(tx, user, now).await?;
                let details = json!({ "sessions": ended });
                crate::store::audit::record(
                    tx,
                    actor,
                    AuditAction::SessionsRevoked,
                    &user_target(user),
                    &details,
                    now,
                )
                .await?;
                Ok(ended)
            })
        })
        .await
    }

    /// The user's open sessions, newest first.
    pub async fn list_open(&self, user: UserId) -> CoreResult<Vec<SessionRow>> {
        sessions::open_for_user(&self.db, user, Timestamp::now()).await
    }

    /// Keeps a ceremony's state server-side and returns the id to hand the browser (in a
    /// cookie or the URL's `state`). Only its hash is stored.
    pub async fn begin_flow(&self, kind: &str, state: &str) -> CoreResult<String> {
        let id = random_token(24);
        self.put_flow(&id, kind, state).await?;
        Ok(id)
    }

    /// Keeps a ceremony's state under an id the caller chose (an OIDC `state` parameter).
    pub async fn put_flow(&self, id: &str, kind: &str, state: &str) -> CoreResult<()> {
        let now = Timestamp::now();
        let expires = now.plus(FLOW_TTL);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                sessions::put_flow(tx, &hash_token(id), kind, state, expires, now).await
            })
        })
        .await
    }

    /// Takes a ceremony's state back, once: a second call, a wrong kind or an expired one gets
    /// `None`.
    pub async fn take_flow(&self, kind: &str, id: &str) -> CoreResult<Option<String>> {
        if id.is_empty() || id.len() > 200 {
            return Ok(None);
        }
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async { sessions::take_flow(tx, &hash_token(id), kind, now).await })
        })
        .await
    }

    /// Forgets sessions that ended more than a day ago (run by the jobs).
    pub async fn prune(&self) -> CoreResult<u64> {
        let before = Timestamp::now().minus(Duration::from_secs(24 * 60 * 60));
        in_tx(&self.db, |tx| {
            Box::pin(async { sessions::prune(tx, before).await })
        })
        .await
    }
}

/// The audit source of a console request from this client.
pub(crate) fn web_source(client: &ClientInfo) -> crate::domain::Source {
    crate::domain::Source::Web {
        ip: client.ip.clone(),
    }
}

fn user_target(user: UserId) -> String {
    format!("user:{user}")
}
