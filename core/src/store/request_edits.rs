//! Requests as the open API reads and changes them beyond the chat flows: the newest request of
//! each title on a page (Seerr's `mediaInfo`), every request of one title (its
//! `mediaInfo.requests`), and a pending request's seasons and target
//! changed in place (Seerr's `PUT /request/{id}`), with its claims kept in step.

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::requests::{COLUMNS, RequestRow};
use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{MediaType, Request, RequestId, Seasons, Timestamp, TmdbId};
use crate::error::CoreResult;

/// The newest request of each of `keys` that any request asked for, one query for the page.
/// An everyday request wins over a 4K one (Seerr's `mediaInfo.status` is the everyday copy's).
pub async fn newest_of(
    db: &Db,
    keys: &[(MediaType, TmdbId)],
) -> CoreResult<HashMap<(MediaType, TmdbId), Request>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE tmdb_id IN ("));
        let mut ids = q.separated(", ");
        for (_, tmdb) in keys {
            ids.push_bind(i64::from(tmdb.get()));
        }
        q.push(") ORDER BY four_k DESC, id");
        q.build_query_as().fetch_all(pool).await
    })?;
    let mut newest = HashMap::with_capacity(keys.len());
    for row in rows {
        let request = Request::try_from(row)?;
        let key = (request.media.media_type, request.media.tmdb_id);
        if keys.contains(&key) {
            // 4K rows first, then everyday ones, each oldest first: the last written wins.
            newest.insert(key, request);
        }
    }
    Ok(newest)
}

/// Every request for one title (its everyday and 4K copies), oldest first, at most `limit`:
/// Seerr's `mediaInfo.requests` on the title's page.
pub async fn of_title(
    db: &Db,
    media_type: MediaType,
    tmdb: TmdbId,
    limit: u32,
) -> CoreResult<Vec<Request>> {
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE media_type = "));
        q.push_bind(media_type.as_str());
        q.push(" AND tmdb_id = ");
        q.push_bind(i64::from(tmdb.get()));
        q.push(" ORDER BY id LIMIT ");
        q.push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}

/// What an edit writes; `None` keeps what is stored.
#[derive(Debug, Clone, Default)]
pub struct RequestEdit<'a> {
    /// The seasons asked for (TV), replacing the old ones.
    pub seasons: Option<&'a Seasons>,
    /// The Radarr/Sonarr instance by name.
    pub instance: Option<&'a str>,
    /// The quality profile.
    pub profile: Option<&'a str>,
    /// The root folder.
    pub root_folder: Option<&'a str>,
}

/// Changes a request that is still `pending`: its target, and its seasons with their claims
/// (seasons dropped give their claim up, seasons added claim theirs; one another active request
/// holds is a `Conflict` from the unique index). `None` when the request is no longer pending.
pub async fn edit_pending(
    tx: &mut Tx,
    request: &Request,
    edit: &RequestEdit<'_>,
    now: Timestamp,
) -> CoreResult<Option<Request>> {
    let seasons = edit.seasons.map(Seasons::to_csv);
    let sql = format!(
        "UPDATE requests SET updated_at = $1,
            seasons = COALESCE($2, seasons),
            target_instance = COALESCE($3, target_instance),
            target_profile = COALESCE($4, target_profile),
            target_root_folder = COALESCE($5, target_root_folder)
         WHERE id = $6 AND status = 'pending' RETURNING {COLUMNS}"
    );
    let row: Option<RequestRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now.0)
        .bind(seasons)
        .bind(edit.instance)
        .bind(edit.profile)
        .bind(edit.root_folder)
        .bind(request.id.0)
        .fetch_optional(conn)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let edited = Request::try_from(row)?;
    if request.media.media_type == MediaType::Tv && edit.seasons.is_some() {
        for season in request.seasons.iter() {
            if !edited.seasons.contains(season) {
                release_claim(tx, request.id, season).await?;
            }
        }
        for season in edited.seasons.iter() {
            if !request.seasons.contains(season) {
                claim(tx, &edited, season).await?;
            }
        }
    }
    Ok(Some(edited))
}

async fn release_claim(tx: &mut Tx, id: RequestId, season: u16) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM request_claims WHERE request_id = $1 AND season = $2")
        .bind(id.0)
        .bind(i32::from(season))
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

async fn claim(tx: &mut Tx, request: &Request, season: u16) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO request_claims (request_id, media_type, tmdb_id, season, four_k, active)
         VALUES ($1, $2, $3, $4, $5, TRUE)",
    )
    .bind(request.id.0)
    .bind(request.media.media_type.as_str())
    .bind(i64::from(request.media.tmdb_id.get()))
    .bind(i32::from(season))
    .bind(request.four_k)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
