//! Stored searches: the question a chat card pages through (words, media kind, language).

use super::{Db, Tx, on_pool, on_tx, on_writer};
use crate::domain::{MediaType, SearchId, Timestamp};
use crate::error::{CoreError, CoreResult};

/// A search as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRow {
    /// Its id, carried by the card's buttons.
    pub id: SearchId,
    /// The words searched for.
    pub query: String,
    /// Movies, shows, or both (`None`).
    pub media_type: Option<MediaType>,
    /// The language the results were asked in; TMDB's default when `None`.
    pub language: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
}

/// Stores a search and returns its id: one statement in autocommit mode (a lone insert needs
/// no `BEGIN` and `COMMIT` around it; on SQLite it still waits its turn in the writer queue).
pub async fn insert(
    db: &Db,
    query: &str,
    media_type: Option<MediaType>,
    language: Option<&str>,
    now: Timestamp,
) -> CoreResult<SearchId> {
    let (id,): (i64,) = on_writer!(db, pool => sqlx::query_as(
        "INSERT INTO searches (query, media_type, language, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(query)
    .bind(media_type.map(MediaType::as_str))
    .bind(language)
    .bind(now.0)
    .fetch_one(pool)
    .await)?;
    Ok(SearchId(id))
}

/// id, query, media type, language, created at.
type Row = (i64, String, Option<String>, Option<String>, i64);

/// A stored search, if it is still kept.
pub async fn get(db: &Db, id: SearchId) -> CoreResult<Option<SearchRow>> {
    let row: Option<Row> = on_pool!(db, pool =>
        sqlx::query_as(
            "SELECT id, query, media_type, language, created_at FROM searches WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(pool)
        .await)?;
    let Some((id, query, media_type, language, created_at)) = row else {
        return Ok(None);
    };
    let media_type = media_type
        .map(|m| m.parse::<MediaType>())
        .transpose()
        .map_err(|_| CoreError::Unexpected(anyhow::anyhow!("search {id} has a bad media type")))?;
    Ok(Some(SearchRow {
        id: SearchId(id),
        query,
        media_type,
        language,
        created_at: Timestamp(created_at),
    }))
}

/// Forgets searches made before `before`; returns how many.
pub async fn prune(tx: &mut Tx, before: Timestamp) -> CoreResult<u64> {
    Ok(
        on_tx!(tx, conn => sqlx::query("DELETE FROM searches WHERE created_at < $1")
        .bind(before.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?,
    )
}
