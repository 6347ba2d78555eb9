//! What the library holds of each request, the open requests the availability sync looks at,
//! and the replay guard of inbound webhooks.

use sqlx::QueryBuilder;

use super::requests::{COLUMNS, RequestRow};
use super::{Db, Tx, in_tx, on_pool, on_tx};
use crate::domain::RequestStatus;
use crate::domain::availability::OPEN_STATUSES;
use crate::domain::{MediaType, Request, RequestId, Seasons, Timestamp, TmdbId, TvdbId};
use crate::error::CoreResult;

/// Stores the seasons the library holds (`[0]` for a present movie) and when that was checked.
pub async fn set_available(
    tx: &mut Tx,
    id: RequestId,
    seasons: &Seasons,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE requests SET available_seasons = $1, availability_checked_at = $2 WHERE id = $3",
    )
    .bind(seasons.to_csv())
    .bind(now.0)
    .bind(id.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets what the library held (the title was deleted upstream), seasons and single
/// episodes alike, so the next check starts from nothing.
pub async fn forget_available(tx: &mut Tx, id: RequestId) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE requests SET available_seasons = '', availability_checked_at = NULL WHERE id = $1",
    )
    .bind(id.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    super::episode_claims::forget_present(tx, id).await
}

/// One page of open requests (Approved, Submitted, PartiallyAvailable) in id order, after `after`.
pub async fn open_page(db: &Db, after: RequestId, limit: u32) -> CoreResult<Vec<Request>> {
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE status IN ("));
        let mut list = query.separated(", ");
        for status in OPEN_STATUSES {
            list.push_bind(status.as_str());
        }
        query.push(") AND id > ").push_bind(after.0);
        query.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}

/// Open requests for one title: a movie by TMDB id, a show by TMDB or TVDB id (Sonarr and the
/// media servers may know only one of them).
pub async fn open_for_title(
    db: &Db,
    media_type: MediaType,
    tmdb: Option<TmdbId>,
    tvdb: Option<TvdbId>,
) -> CoreResult<Vec<Request>> {
    for_title(db, media_type, tmdb, tvdb, &OPEN_STATUSES).await
}

/// Every request for one title whatever its status (deletions concern Available ones too).
pub async fn any_for_title(
    db: &Db,
    media_type: MediaType,
    tmdb: Option<TmdbId>,
    tvdb: Option<TvdbId>,
) -> CoreResult<Vec<Request>> {
    for_title(db, media_type, tmdb, tvdb, &[]).await
}

/// Requests for one title in any of `statuses` (all statuses when empty), oldest first.
async fn for_title(
    db: &Db,
    media_type: MediaType,
    tmdb: Option<TmdbId>,
    tvdb: Option<TvdbId>,
    statuses: &[RequestStatus],
) -> CoreResult<Vec<Request>> {
    if tmdb.is_none() && tvdb.is_none() {
        return Ok(Vec::new());
    }
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE media_type = "));
        query.push_bind(media_type.as_str());
        if !statuses.is_empty() {
            query.push(" AND status IN (");
            let mut list = query.separated(", ");
            for status in statuses {
                list.push_bind(status.as_str());
            }
            query.push(")");
        }
        query.push(" AND (1 = 0");
        if let Some(tmdb) = tmdb {
            query.push(" OR tmdb_id = ").push_bind(i64::from(tmdb.get()));
        }
        if let Some(tvdb) = tvdb {
            query.push(" OR tvdb_id = ").push_bind(i64::from(tvdb.get()));
        }
        query.push(") ORDER BY id");
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}

/// Records that these requests were checked now (in chunks, so 10,000 ids are a few statements).
pub async fn mark_checked(db: &Db, ids: &[RequestId], now: Timestamp) -> CoreResult<()> {
    for chunk in ids.chunks(500) {
        in_tx(db, |tx| Box::pin(async {
            on_tx!(tx, conn => {
                let mut query = QueryBuilder::new("UPDATE requests SET availability_checked_at = ");
                query.push_bind(now.0).push(" WHERE id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.0);
                }
                query.push(")");
                query.build().execute(conn).await.map(|r| r.rows_affected())
            })?;
            Ok(())
        })).await?;
    }
    Ok(())
}

/// Claims a webhook delivery; `false` means it was handled before (a replay).
pub async fn claim_event(db: &Db, source: &str, key: &str, now: Timestamp) -> CoreResult<bool> {
    in_tx(db, |tx| {
        Box::pin(async {
            let inserted = on_tx!(tx, conn => sqlx::query(
            "INSERT INTO webhook_events (source, event_key, received_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(source)
        .bind(key)
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
            Ok(inserted == 1)
        })
    })
    .await
}

/// Gives a claim back when handling failed, so the sender's retry is processed.
pub async fn release_event(db: &Db, source: &str, key: &str) -> CoreResult<()> {
    in_tx(db, |tx| Box::pin(async {
        on_tx!(tx, conn => sqlx::query("DELETE FROM webhook_events WHERE source = $1 AND event_key = $2")
            .bind(source)
            .bind(key)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    })).await
}

/// One page of available requests that still hold a claim on their title, in id order after
/// `after` (the library index checks whether their titles are still there).
pub async fn claiming_available_page(
    db: &Db,
    after: RequestId,
    limit: u32,
) -> CoreResult<Vec<Request>> {
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE status = "));
        query.push_bind(RequestStatus::Available.as_str());
        query.push(" AND (EXISTS (SELECT 1 FROM request_claims c WHERE c.request_id = requests.id AND c.active = TRUE)");
        query.push(" OR EXISTS (SELECT 1 FROM request_episode_claims e WHERE e.request_id = requests.id AND e.active = TRUE))");
        query.push(" AND id > ").push_bind(after.0);
        query.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}

/// Gives up a request's claims (its title left the library), so the title can be requested
/// again; returns how many claims were active.
pub async fn release_claims(tx: &mut Tx, id: RequestId) -> CoreResult<u64> {
    let seasons = on_tx!(tx, conn => sqlx::query("UPDATE request_claims SET active = FALSE WHERE request_id = $1 AND active = TRUE")
        .bind(id.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(seasons + super::episode_claims::release(tx, id).await?)
}
