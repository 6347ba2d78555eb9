//! What was brought in from another system, so importing twice adds nothing, and the request
//! rows an import writes as they were (status, dates, deciders), not as new requests.

use super::{Tx, on_tx};
use crate::domain::{Media, Platform, RequestId, RequestStatus, Seasons, Timestamp, UserId};
use crate::error::CoreResult;

/// Which kind of row an import id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// A user (the external user id).
    User,
    /// A request (the external request id).
    Request,
}

impl ImportKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Request => "request",
        }
    }
}

/// The Usher id an external row was imported as, if it was.
pub async fn find(
    tx: &mut Tx,
    source: &str,
    kind: ImportKind,
    external_id: &str,
) -> CoreResult<Option<i64>> {
    let row: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT usher_id FROM imports WHERE source = $1 AND kind = $2 AND external_id = $3",
    )
    .bind(source)
    .bind(kind.as_str())
    .bind(external_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(id,)| id))
}

/// Remembers that an external row is now this Usher row (replacing a stale mapping).
pub async fn record(
    tx: &mut Tx,
    source: &str,
    kind: ImportKind,
    external_id: &str,
    usher_id: i64,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO imports (source, kind, external_id, usher_id, imported_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (source, kind, external_id)
         DO UPDATE SET usher_id = excluded.usher_id, imported_at = excluded.imported_at",
    )
    .bind(source)
    .bind(kind.as_str())
    .bind(external_id)
    .bind(usher_id)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many rows a source has brought, of any kind.
pub async fn count(tx: &mut Tx, source: &str) -> CoreResult<usize> {
    let (n,): (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM imports WHERE source = $1",
    )
    .bind(source)
    .fetch_one(conn)
    .await)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A source's rows of one kind: (external id, Usher id).
pub async fn list(tx: &mut Tx, source: &str, kind: ImportKind) -> CoreResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT external_id, usher_id FROM imports WHERE source = $1 AND kind = $2
         ORDER BY external_id",
    )
    .bind(source)
    .bind(kind.as_str())
    .fetch_all(conn)
    .await)?;
    Ok(rows)
}

/// A source's imported requests as they were imported: (external id, TMDB id, created at) —
/// enough to tell whether a source's request with that id is the same request.
pub async fn request_marks(tx: &mut Tx, source: &str) -> CoreResult<Vec<(String, i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT i.external_id, r.tmdb_id, r.created_at
         FROM imports i JOIN requests r ON r.id = i.usher_id
         WHERE i.source = $1 AND i.kind = 'request' ORDER BY i.external_id",
    )
    .bind(source)
    .fetch_all(conn)
    .await)?;
    Ok(rows)
}

/// Moves every row of one source to another source name (which must have none); returns how
/// many moved.
pub async fn rekey(tx: &mut Tx, from: &str, to: &str) -> CoreResult<usize> {
    let moved = on_tx!(tx, conn => sqlx::query("UPDATE imports SET source = $2 WHERE source = $1")
        .bind(from)
        .bind(to)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(usize::try_from(moved).unwrap_or(0))
}

/// A request as another system last saw it.
#[derive(Debug, Clone)]
pub struct ImportedRequest<'a> {
    /// The title.
    pub media: &'a Media,
    /// Seasons (TV).
    pub seasons: &'a Seasons,
    /// 4K flag.
    pub four_k: bool,
    /// Status mapped onto Usher's lifecycle.
    pub status: RequestStatus,
    /// Who asked.
    pub requested_by: UserId,
    /// Where they will be told about it.
    pub source: Platform,
    /// Who approved or declined, if known.
    pub decided_by: Option<UserId>,
    /// Why it is failed, for failed requests.
    pub last_error: Option<&'a str>,
    /// Seasons (or `0` for a movie) already in the library.
    pub available_seasons: &'a Seasons,
    /// When it was asked.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Inserts an imported request and its claims. A claim another active request already holds
/// is kept inactive instead of failing the import; returns how many claims that happened to.
pub async fn insert_request(
    tx: &mut Tx,
    new: &ImportedRequest<'_>,
) -> CoreResult<(RequestId, usize)> {
    let (id,): (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO requests (media_type, tmdb_id, tvdb_id, title, year, seasons, four_k, status,
         requested_by, source, decided_by, last_error, retry_count, available_seasons,
         created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15)
         RETURNING id",
    )
    .bind(new.media.media_type.as_str())
    .bind(i64::from(new.media.tmdb_id.get()))
    .bind(new.media.tvdb_id.map(|id| i64::from(id.get())))
    .bind(&new.media.title)
    .bind(new.media.year.map(i32::from))
    .bind(new.seasons.to_csv())
    .bind(new.four_k)
    .bind(new.status.as_str())
    .bind(new.requested_by.0)
    .bind(new.source.as_str())
    .bind(new.decided_by.map(|u| u.0))
    .bind(new.last_error)
    .bind(new.available_seasons.to_csv())
    .bind(new.created_at.0)
    .bind(new.updated_at.0)
    .fetch_one(conn)
    .await)?;
    let claims: Vec<u16> = match new.media.media_type {
        crate::domain::MediaType::Movie => vec![0],
        crate::domain::MediaType::Tv => new.seasons.iter().collect(),
    };
    let mut inactive = 0;
    for season in claims {
        let mut active = new.status.holds_claim();
        if active {
            let taken = on_tx!(tx, conn => sqlx::query(
                "INSERT INTO request_claims (request_id, media_type, tmdb_id, season, four_k, active)
                 VALUES ($1, $2, $3, $4, $5, TRUE) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(new.media.media_type.as_str())
            .bind(i64::from(new.media.tmdb_id.get()))
            .bind(i32::from(season))
            .bind(new.four_k)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            if taken == 1 {
                continue;
            }
            active = false;
            inactive += 1;
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO request_claims (request_id, media_type, tmdb_id, season, four_k, active)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(new.media.media_type.as_str())
        .bind(i64::from(new.media.tmdb_id.get()))
        .bind(i32::from(season))
        .bind(new.four_k)
        .bind(active)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok((RequestId(id), inactive))
}
