//! What the submission worker records besides status changes: where a request went upstream,
//! the TVDB id found for it, and the last error while it is still being retried.

use super::{Db, on_pool};
use crate::domain::{RequestId, TvdbId, UpstreamFailure, UpstreamRef, UserId};
use crate::error::CoreResult;

/// Remembers the instance and movie/series id a request was placed at, so syncs and deletions
/// find it without a search.
pub async fn set_upstream(db: &Db, id: RequestId, upstream: &UpstreamRef) -> CoreResult<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE requests SET upstream_instance = $1, upstream_id = $2 WHERE id = $3",
    )
    .bind(&upstream.instance)
    .bind(upstream.id)
    .bind(id.0)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Stores the TVDB id looked up for a TV request that had none.
pub async fn set_tvdb_id(db: &Db, id: RequestId, tvdb_id: TvdbId) -> CoreResult<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE requests SET tvdb_id = $1 WHERE id = $2 AND tvdb_id IS NULL",
    )
    .bind(i64::from(tvdb_id.get()))
    .bind(id.0)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Shows why an approved request is still waiting ("radarr: not reachable"), with the
/// upstream's answer, while it is retried.
pub async fn note_error(
    db: &Db,
    id: RequestId,
    error: &str,
    failure: &UpstreamFailure,
) -> CoreResult<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE requests SET last_error = $1, last_failure = $2 WHERE id = $3 AND status = 'approved'",
    )
    .bind(error)
    .bind(failure.to_json())
    .bind(id.0)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The requester's display name, for the `usher-<name>` tag.
pub async fn requester_name(db: &Db, user: UserId) -> CoreResult<Option<String>> {
    let row: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT display_name FROM users WHERE id = $1",
    )
    .bind(user.0)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(name,)| name))
}
