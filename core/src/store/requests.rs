//! Requests, the claims that deduplicate them, and their followers.

use sqlx::{FromRow, QueryBuilder};

use super::{Db, Tx, narrow, on_pool, on_tx};
use crate::domain::{
    Episodes, Media, MediaType, Platform, Request, RequestId, RequestStatus, Seasons, SeriesType,
    Timestamp, TmdbId, TvdbId, UpstreamFailure, UpstreamRef, UserId,
};
use crate::error::CoreResult;

/// A `requests` row as stored; converted to [`Request`] with `try_into`.
#[derive(FromRow)]
pub(super) struct RequestRow {
    id: i64,
    media_type: String,
    tmdb_id: i64,
    tvdb_id: Option<i64>,
    title: String,
    year: Option<i32>,
    seasons: String,
    episodes: String,
    future_seasons: bool,
    four_k: bool,
    status: String,
    requested_by: i64,
    source: String,
    decided_by: Option<i64>,
    decline_reason: Option<String>,
    comment: Option<String>,
    last_error: Option<String>,
    last_failure: Option<String>,
    retry_count: i32,
    available_seasons: String,
    upstream_instance: Option<String>,
    upstream_id: Option<i64>,
    target_instance: Option<String>,
    target_profile: Option<String>,
    target_root_folder: Option<String>,
    target_tags: Option<String>,
    target_series_type: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<RequestRow> for Request {
    type Error = crate::error::CoreError;
    fn try_from(row: RequestRow) -> CoreResult<Self> {
        Ok(Request {
            id: RequestId(row.id),
            media: Media {
                media_type: row.media_type.parse()?,
                tmdb_id: TmdbId::parse(row.tmdb_id)?,
                tvdb_id: row.tvdb_id.map(TvdbId::parse).transpose()?,
                title: row.title,
                year: row.year.map(|y| narrow(i64::from(y), "year")).transpose()?,
            },
            seasons: Seasons::from_csv(&row.seasons)?,
            episodes: Episodes::from_stored(&row.episodes)?,
            future_seasons: row.future_seasons,
            four_k: row.four_k,
            status: row.status.parse()?,
            requested_by: UserId(row.requested_by),
            source: row.source.parse()?,
            decided_by: row.decided_by.map(UserId),
            decline_reason: row.decline_reason,
            comment: row.comment,
            last_error: row.last_error,
            failure: row
                .last_failure
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| anyhow::anyhow!("stored request failure: {e}"))?,
            retry_count: narrow(i64::from(row.retry_count), "retry count")?,
            available_seasons: Seasons::from_csv(&row.available_seasons)?,
            upstream: match (row.upstream_instance, row.upstream_id) {
                (Some(instance), Some(id)) => Some(UpstreamRef { instance, id }),
                _ => None,
            },
            target_instance: row.target_instance,
            target_profile: row.target_profile,
            target_root_folder: row.target_root_folder,
            target_tags: row.target_tags.as_deref().map(tags_from_column),
            target_series_type: row
                .target_series_type
                .as_deref()
                .map(SeriesType::parse)
                .transpose()
                .map_err(|e| anyhow::anyhow!("stored series type: {e}"))?,
            created_at: Timestamp(row.created_at),
            updated_at: Timestamp(row.updated_at),
        })
    }
}

/// The columns of [`RequestRow`], in order, for every SELECT and RETURNING.
pub(super) const COLUMNS: &str = "id, media_type, tmdb_id, tvdb_id, title, year, seasons, episodes, future_seasons, four_k, status, \
    requested_by, source, decided_by, decline_reason, comment, last_error, last_failure, retry_count, available_seasons, \
    upstream_instance, upstream_id, target_instance, target_profile, target_root_folder, target_tags, \
    target_series_type, created_at, updated_at";

/// The stored tag labels (comma-separated; empty: none).
fn tags_from_column(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a new request row holds before it has an id.
pub struct NewRequestRow<'a> {
    /// The title.
    pub media: &'a Media,
    /// Seasons (TV).
    pub seasons: &'a Seasons,
    /// Single episodes (TV; empty: whole seasons).
    pub episodes: &'a Episodes,
    /// Also seasons that do not exist yet (TV).
    pub future_seasons: bool,
    /// 4K flag.
    pub four_k: bool,
    /// Pending, or Approved by an auto-approve rule.
    pub status: RequestStatus,
    /// Who asked.
    pub requested_by: UserId,
    /// Where they asked.
    pub source: Platform,
    /// Creation time.
    pub now: Timestamp,
    /// The requester's note, already sanitized.
    pub comment: Option<&'a str>,
    /// The place (group chat or server) it was asked from, stored as
    /// [`crate::domain::PlaceKey::stored`]; its budget counts it.
    pub place: Option<String>,
}

/// Inserts the request and its claims. A claim already held by another active request is a
/// `Conflict` (the unique index decides, so concurrent requests cannot both win).
pub async fn insert(tx: &mut Tx, new: &NewRequestRow<'_>) -> CoreResult<Request> {
    let sql = format!(
        "INSERT INTO requests (media_type, tmdb_id, tvdb_id, title, year, seasons, four_k, status,
         requested_by, source, retry_count, created_at, updated_at, future_seasons, episodes, comment, place)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11, $12, $13, $14, $15)
         RETURNING {COLUMNS}"
    );
    let row: RequestRow = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
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
        .bind(new.now.0)
        .bind(new.future_seasons)
        .bind(new.episodes.to_stored())
        .bind(new.comment)
        .bind(new.place.as_deref())
        .fetch_one(conn)
        .await)?;
    let request = Request::try_from(row)?;
    super::episode_claims::insert(tx, &request).await?;
    for season in claim_seasons(&request) {
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
    }
    Ok(request)
}

/// The claim keys of a request: season 0 for a movie, each season for TV — none for a request
/// of single episodes, which holds episode claims instead ([`super::episode_claims`]).
fn claim_seasons(request: &Request) -> Vec<u16> {
    if !request.episodes.is_empty() {
        return Vec::new();
    }
    wanted_claims(&request.media, &request.seasons)
}

/// The season claim keys a request for `seasons` of `media` would hold.
fn wanted_claims(media: &Media, seasons: &Seasons) -> Vec<u16> {
    match media.media_type {
        MediaType::Movie => vec![0],
        MediaType::Tv => seasons.iter().collect(),
    }
}

/// Active requests holding any of the given claims, with the seasons each holds.
pub async fn active_claims(
    tx: &mut Tx,
    media: &Media,
    seasons: &Seasons,
    four_k: bool,
) -> CoreResult<Vec<(u16, RequestId)>> {
    let wanted = wanted_claims(media, seasons);
    let rows: Vec<(i32, i64)> = on_tx!(tx, conn => {
        let mut query = QueryBuilder::new(
            "SELECT season, request_id FROM request_claims WHERE active = TRUE AND media_type = ",
        );
        query.push_bind(media.media_type.as_str());
        query.push(" AND tmdb_id = ").push_bind(i64::from(media.tmdb_id.get()));
        query.push(" AND four_k = ").push_bind(four_k);
        query.push(" AND season IN (");
        let mut list = query.separated(", ");
        for season in &wanted {
            list.push_bind(i32::from(*season));
        }
        query.push(") ORDER BY season");
        query.build_query_as().fetch_all(conn).await
    })?;
    rows.into_iter()
        .map(|(season, id)| Ok((narrow(i64::from(season), "season")?, RequestId(id))))
        .collect()
}

/// Reads one request inside a transaction.
pub async fn get(tx: &mut Tx, id: RequestId) -> CoreResult<Option<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = $1");
    let row: Option<RequestRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await)?;
    row.map(Request::try_from).transpose()
}

/// Reads one request without a transaction.
pub async fn find(db: &Db, id: RequestId) -> CoreResult<Option<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = $1");
    let row: Option<RequestRow> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(pool)
        .await)?;
    row.map(Request::try_from).transpose()
}

/// What a status change writes besides the status.
#[derive(Debug, Default)]
pub struct StatusChange<'a> {
    /// Who decided (approve/decline).
    pub decided_by: Option<UserId>,
    /// Decline reason.
    pub decline_reason: Option<&'a str>,
    /// Upstream error (Failed) — `Some("")` clears it.
    pub last_error: Option<&'a str>,
    /// The failed attempt as the upstream answered it, written whenever `last_error` is
    /// (so clearing the error clears it too).
    pub failure: Option<&'a UpstreamFailure>,
    /// Count one more failed attempt.
    pub bump_retry: bool,
    /// The Radarr/Sonarr instance an approver picked (`None` keeps what is stored).
    pub target_instance: Option<&'a str>,
    /// The quality profile an approver picked (`None` keeps what is stored).
    pub target_profile: Option<&'a str>,
    /// The root folder an approver picked (`None` keeps what is stored).
    pub target_root_folder: Option<&'a str>,
    /// The tag labels an approver picked, comma-separated (`None` keeps what is stored; empty
    /// means none of the configured tags).
    pub target_tags: Option<&'a str>,
    /// The profile, folder and tags above replace the stored ones even when `None` (a retry
    /// restating the placement: `None` is then the instance's own choice again).
    pub replace_placement: bool,
    /// Where Radarr/Sonarr keeps the title now (`None` keeps what is stored).
    pub upstream: Option<&'a crate::domain::UpstreamRef>,
}

/// Moves a request from `from` to `to` only if it is still in `from`. Returns the updated
/// request, or `None` when someone else changed it first (the caller then reads who won).
pub async fn change_status(
    tx: &mut Tx,
    id: RequestId,
    from: RequestStatus,
    to: RequestStatus,
    change: &StatusChange<'_>,
    now: Timestamp,
) -> CoreResult<Option<Request>> {
    let sql = format!(
        "UPDATE requests SET status = $1, updated_at = $2,
            decided_by = COALESCE($3, decided_by),
            decline_reason = COALESCE($4, decline_reason),
            last_error = CASE WHEN $5 IS NULL THEN last_error WHEN $5 = '' THEN NULL ELSE $5 END,
            last_failure = CASE WHEN $5 IS NULL THEN last_failure ELSE $14 END,
            retry_count = retry_count + $6,
            target_instance = COALESCE($9, target_instance),
            target_profile = CASE WHEN $16 THEN $10 ELSE COALESCE($10, target_profile) END,
            target_root_folder = CASE WHEN $16 THEN $11 ELSE COALESCE($11, target_root_folder) END,
            target_tags = CASE WHEN $16 THEN $15 ELSE COALESCE($15, target_tags) END,
            upstream_instance = COALESCE($12, upstream_instance),
            upstream_id = COALESCE($13, upstream_id)
         WHERE id = $7 AND status = $8 RETURNING {COLUMNS}"
    );
    let row: Option<RequestRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(to.as_str())
        .bind(now.0)
        .bind(change.decided_by.map(|u| u.0))
        .bind(change.decline_reason)
        .bind(change.last_error)
        .bind(i32::from(change.bump_retry))
        .bind(id.0)
        .bind(from.as_str())
        .bind(change.target_instance)
        .bind(change.target_profile)
        .bind(change.target_root_folder)
        .bind(change.upstream.map(|u| u.instance.as_str()))
        .bind(change.upstream.map(|u| u.id))
        .bind(change.failure.map(UpstreamFailure::to_json))
        .bind(change.target_tags)
        .bind(change.replace_placement)
        .fetch_optional(conn)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    if !to.holds_claim() {
        on_tx!(tx, conn => sqlx::query("UPDATE request_claims SET active = FALSE WHERE request_id = $1")
            .bind(id.0)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        super::episode_claims::release(tx, id).await?;
    }
    row.try_into().map(Some)
}

/// Adds a follower, with the platform they followed from (they are told there); following
/// twice is harmless. Returns whether it was new.
pub async fn add_follower(
    tx: &mut Tx,
    id: RequestId,
    user: UserId,
    source: Platform,
    now: Timestamp,
) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO request_followers (request_id, user_id, created_at, source)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id.0)
    .bind(user.0)
    .bind(now.0)
    .bind(source.as_str())
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Everyone to notify besides the requester.
pub async fn followers(db: &Db, id: RequestId) -> CoreResult<Vec<UserId>> {
    let rows: Vec<(i64,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT user_id FROM request_followers WHERE request_id = $1 ORDER BY created_at, user_id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| UserId(id)).collect())
}

/// When each quota unit (a movie, or a season) the user holds in this counter was requested,
/// for requests made after `since` that still hold their claim.
pub async fn quota_units(
    tx: &mut Tx,
    user: UserId,
    media_type: MediaType,
    four_k: bool,
    since: Timestamp,
) -> CoreResult<Vec<Timestamp>> {
    let rows: Vec<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT r.created_at FROM request_claims c JOIN requests r ON r.id = c.request_id
         WHERE r.requested_by = $1 AND c.media_type = $2 AND c.four_k = $3
           AND c.active = TRUE AND r.created_at > $4",
    )
    .bind(user.0)
    .bind(media_type.as_str())
    .bind(four_k)
    .bind(since.0)
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().map(|(at,)| Timestamp(at)).collect())
}

/// A position in the newest-first request list: the last row of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// `created_at` of the last row seen.
    pub created_at: Timestamp,
    /// `id` of the last row seen (breaks ties).
    pub id: RequestId,
}

impl Cursor {
    /// Opaque text for URLs and buttons.
    pub fn encode(self) -> String {
        format!("{}.{}", self.created_at.0, self.id.0)
    }

    /// Reads [`Cursor::encode`]'s text; anything else is refused.
    pub fn parse(raw: &str) -> CoreResult<Self> {
        let bad = || crate::error::CoreError::Validation(format!("bad page cursor {raw:?}"));
        let (at, id) = raw.split_once('.').ok_or_else(bad)?;
        Ok(Self {
            created_at: Timestamp(at.parse().map_err(|_| bad())?),
            id: RequestId(id.parse().map_err(|_| bad())?),
        })
    }
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Any of these statuses (empty: all).
    pub statuses: Vec<RequestStatus>,
    /// Only this media type.
    pub media_type: Option<MediaType>,
    /// Only this requester.
    pub requested_by: Option<UserId>,
    /// Only requests made from this platform.
    pub source: Option<Platform>,
    /// Made at or after.
    pub created_from: Option<Timestamp>,
    /// Made before.
    pub created_before: Option<Timestamp>,
    /// Only titles containing this text (case-insensitive; `LIKE` wildcards match themselves).
    pub title: Option<String>,
}

/// Appends `filter`'s conditions (after a `WHERE 1 = 1`) to a query of either database.
macro_rules! push_filter {
    ($query:expr, $filter:expr) => {{
        let query = &mut $query;
        let filter: &RequestFilter = $filter;
        if !filter.statuses.is_empty() {
            query.push(" AND status IN (");
            let mut list = query.separated(", ");
            for status in &filter.statuses {
                list.push_bind(status.as_str());
            }
            query.push(")");
        }
        if let Some(media_type) = filter.media_type {
            query
                .push(" AND media_type = ")
                .push_bind(media_type.as_str());
        }
        if let Some(user) = filter.requested_by {
            query.push(" AND requested_by = ").push_bind(user.0);
        }
        if let Some(source) = filter.source {
            query.push(" AND source = ").push_bind(source.as_str());
        }
        if let Some(from) = filter.created_from {
            query.push(" AND created_at >= ").push_bind(from.0);
        }
        if let Some(before) = filter.created_before {
            query.push(" AND created_at < ").push_bind(before.0);
        }
        if let Some(title) = filter.title.as_deref().filter(|t| !t.is_empty()) {
            let pattern = format!(
                "%{}%",
                $crate::store::directory::escape_like(&title.to_lowercase())
            );
            query.push(" AND LOWER(title) LIKE ").push_bind(pattern);
            query.push(" ESCAPE '\\'");
        }
    }};
}
pub(super) use push_filter;

/// One newest-first page, using keyset pagination so deep pages cost what the first does.
pub async fn list(
    db: &Db,
    filter: &RequestFilter,
    after: Option<Cursor>,
    limit: u32,
) -> CoreResult<Vec<Request>> {
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE 1 = 1"));
        push_filter!(query, filter);
        if let Some(cursor) = after {
            // A row-value comparison both databases turn into one index range, where the
            // equivalent `a < x OR (a = x AND id < y)` makes SQLite filter row by row.
            query.push(" AND (created_at, id) < (").push_bind(cursor.created_at.0);
            query.push(", ").push_bind(cursor.id.0);
            query.push(")");
        }
        query.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}

/// Which time an offset page sorts by, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageOrder {
    /// When each was asked.
    #[default]
    Added,
    /// When each last changed.
    Modified,
}

/// One page by offset, as Seerr's API pages (`skip`, `take`), and how many match in all. A
/// filter of statuses and media type alone is totalled from `request_counts` (migration 0029),
/// anything narrower by counting its rows (a requester's are few). On SQLite a filter of
/// several statuses walks the order's index and tests the status it holds (`+status` keeps the
/// planner off the status index, whose ranges it would have to sort).
pub async fn page_at(
    db: &Db,
    filter: &RequestFilter,
    order: PageOrder,
    skip: u64,
    take: u32,
) -> CoreResult<(Vec<Request>, u64)> {
    let skip = i64::try_from(skip).unwrap_or(i64::MAX);
    let counted = filter.requested_by.is_none()
        && filter.source.is_none()
        && filter.created_from.is_none()
        && filter.created_before.is_none();
    let scan_in_order = matches!(db, Db::Sqlite(_)) && filter.statuses.len() > 1;
    let (rows, total): (Vec<RequestRow>, i64) = on_pool!(db, pool => {
        let total = if counted {
            let mut count = QueryBuilder::new(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM request_counts WHERE 1 = 1",
            );
            push_filter!(count, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(&mut *pool).await?;
            total
        } else {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM requests WHERE 1 = 1");
            push_filter!(count, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(&mut *pool).await?;
            total
        };
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE 1 = 1"));
        if scan_in_order {
            let narrower = RequestFilter {
                statuses: Vec::new(),
                ..filter.clone()
            };
            query.push(" AND +status IN (");
            let mut list = query.separated(", ");
            for status in &filter.statuses {
                list.push_bind(status.as_str());
            }
            query.push(")");
            push_filter!(query, &narrower);
        } else {
            push_filter!(query, filter);
        }
        query.push(match order {
            PageOrder::Added => " ORDER BY created_at DESC, id DESC",
            PageOrder::Modified => " ORDER BY updated_at DESC, id DESC",
        });
        query.push(" LIMIT ").push_bind(i64::from(take));
        query.push(" OFFSET ").push_bind(skip);
        let rows = query.build_query_as().fetch_all(&mut *pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let items = rows
        .into_iter()
        .map(Request::try_from)
        .collect::<CoreResult<_>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// How many requests there are per media type and status: the counters triggers keep
/// (migration 0029), a handful of rows.
pub async fn counts_by_kind(db: &Db) -> CoreResult<Vec<(MediaType, RequestStatus, u64)>> {
    let rows: Vec<(String, String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT media_type, status, n FROM request_counts WHERE n > 0",
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(media_type, status, n)| {
            Ok((
                media_type.parse::<MediaType>()?,
                status.parse::<RequestStatus>()?,
                u64::try_from(n).unwrap_or(0),
            ))
        })
        .collect()
}
