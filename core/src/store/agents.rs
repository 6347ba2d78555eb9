//! Notification agents: one row each, the secret and a webhook's `Authorization` header sealed
//! by the caller before they get here.

use sqlx::FromRow;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{AgentEvents, AgentKind, AgentSummary, Timestamp};
use crate::error::{CoreError, CoreResult};

/// An agent as stored, with its sealed secret (for the notifier, which opens it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    /// What lists show.
    pub summary: AgentSummary,
    /// The secret sealed with the master key, when one is stored.
    pub sealed_secret: Option<String>,
    /// A webhook's `Authorization` header sealed with the master key, when one is stored.
    pub sealed_auth: Option<String>,
}

/// A new or changed agent, its secret already sealed.
#[derive(Debug, Clone)]
pub struct AgentWrite<'a> {
    /// Its name.
    pub name: &'a str,
    /// How it is reached.
    pub kind: AgentKind,
    /// URL or address.
    pub target: &'a str,
    /// Sealed secret, if any.
    pub sealed_secret: Option<&'a str>,
    /// Sealed `Authorization` header, if any.
    pub sealed_auth: Option<&'a str>,
    /// What it hears.
    pub events: AgentEvents,
    /// Kind-specific settings (no secrets).
    pub options: &'a serde_json::Value,
    /// When.
    pub now: Timestamp,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    target: String,
    secret: Option<String>,
    auth_header: Option<String>,
    events: String,
    options: String,
    created_at: i64,
}

impl Row {
    fn into_agent(self) -> CoreResult<AgentRow> {
        let options = serde_json::from_str(&self.options).map_err(anyhow::Error::from)?;
        Ok(AgentRow {
            summary: AgentSummary {
                id: self.id,
                kind: AgentKind::parse(&self.kind)?,
                events: AgentEvents::parse(&self.events)?,
                has_secret: self.secret.is_some(),
                name: self.name,
                target: self.target,
                options,
                created_at: Timestamp(self.created_at),
            },
            sealed_secret: self.secret,
            sealed_auth: self.auth_header,
        })
    }
}

/// The columns every read takes, in [`Row`]'s order (a macro so each query stays one literal).
macro_rules! select_agents {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, kind, target, secret, auth_header, events, options, created_at ",
            "FROM notification_agents ",
            $rest
        )
    };
}

/// Stores a new agent and returns its id; an agent of that name already is a
/// [`CoreError::Conflict`].
pub async fn insert(tx: &mut Tx, new: &AgentWrite<'_>) -> CoreResult<i64> {
    let done: Result<(i64,), sqlx::Error> = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO notification_agents
           (name, kind, target, secret, events, options, created_at, updated_at, auth_header)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
    )
    .bind(new.name)
    .bind(new.kind.as_str())
    .bind(new.target)
    .bind(new.sealed_secret)
    .bind(new.events.to_string())
    .bind(new.options.to_string())
    .bind(new.now.0)
    .bind(new.sealed_auth)
    .fetch_one(conn)
    .await);
    match done {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CoreError::Conflict(
            format!("a notification agent named {} already exists", new.name),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Changes the agent of this name (kind, target, events, options and `Authorization` header;
/// the secret only when `sealed_secret` is given). Returns whether it existed.
pub async fn update(tx: &mut Tx, change: &AgentWrite<'_>) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE notification_agents
         SET kind = $2, target = $3, secret = COALESCE($4, secret), events = $5, options = $6,
             updated_at = $7, auth_header = $8
         WHERE name = $1",
    )
    .bind(change.name)
    .bind(change.kind.as_str())
    .bind(change.target)
    .bind(change.sealed_secret)
    .bind(change.events.to_string())
    .bind(change.options.to_string())
    .bind(change.now.0)
    .bind(change.sealed_auth)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// Replaces the sealed signing secret of the webhook agent of this name. Returns its id, or
/// `None` when there is no webhook agent so named.
pub async fn replace_secret(
    tx: &mut Tx,
    name: &str,
    sealed_secret: &str,
    now: Timestamp,
) -> CoreResult<Option<i64>> {
    let done: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "UPDATE notification_agents SET secret = $2, updated_at = $3
         WHERE name = $1 AND kind = 'webhook' RETURNING id",
    )
    .bind(name)
    .bind(sealed_secret)
    .bind(now.0)
    .fetch_optional(conn)
    .await)?;
    Ok(done.map(|(id,)| id))
}

/// Every agent, by name.
pub async fn list(db: &Db) -> CoreResult<Vec<AgentRow>> {
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(select_agents!("ORDER BY name")).fetch_all(pool).await)?;
    rows.into_iter().map(Row::into_agent).collect()
}

/// Every agent, read in the caller's transaction (the fan-out's view at that event).
pub async fn list_in(tx: &mut Tx) -> CoreResult<Vec<AgentRow>> {
    let rows: Vec<Row> =
        on_tx!(tx, conn => sqlx::query_as(select_agents!("ORDER BY id")).fetch_all(conn).await)?;
    rows.into_iter().map(Row::into_agent).collect()
}

/// The agent with this id (`None` once removed).
pub async fn get(db: &Db, id: i64) -> CoreResult<Option<AgentRow>> {
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(select_agents!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    row.map(Row::into_agent).transpose()
}

/// The agent with this name.
pub async fn find(db: &Db, name: &str) -> CoreResult<Option<AgentRow>> {
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(select_agents!("WHERE name = $1"))
        .bind(name)
        .fetch_optional(pool)
        .await)?;
    row.map(Row::into_agent).transpose()
}

/// Removes the agent of this name; returns its id, or `None` when there was none.
pub async fn delete(tx: &mut Tx, name: &str) -> CoreResult<Option<i64>> {
    let gone: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "DELETE FROM notification_agents WHERE name = $1 RETURNING id",
    )
    .bind(name)
    .fetch_optional(conn)
    .await)?;
    Ok(gone.map(|(id,)| id))
}

/// Whether any agent is configured (the fan-out of a process without chat bots waits for one).
pub async fn any(db: &Db) -> CoreResult<bool> {
    let row: Option<(i64,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id FROM notification_agents LIMIT 1",
    )
    .fetch_optional(pool)
    .await)?;
    Ok(row.is_some())
}

/// An agent's secrets sealed again (after a master-key rotation), and its options without the
/// `Authorization` header that rows saved before it was sealed kept there in clear.
#[derive(Debug, Clone)]
pub struct Resealed<'a> {
    /// The agent's row id.
    pub id: i64,
    /// Its secret, sealed with the current key.
    pub sealed_secret: Option<&'a str>,
    /// Its `Authorization` header, sealed with the current key.
    pub sealed_auth: Option<&'a str>,
    /// Its options, with no secret left in them.
    pub options: &'a serde_json::Value,
}

/// Writes an agent's re-sealed secrets; returns whether the agent still exists.
pub async fn reseal(tx: &mut Tx, change: &Resealed<'_>) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE notification_agents SET secret = $2, auth_header = $3, options = $4 WHERE id = $1",
    )
    .bind(change.id)
    .bind(change.sealed_secret)
    .bind(change.sealed_auth)
    .bind(change.options.to_string())
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
