//! Issue reports (see [`crate::service::issues`]) and the titles the library holds, which are
//! the only ones a report may name.

use sqlx::{FromRow, QueryBuilder};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{
    Issue, IssueId, IssueKind, IssueStatus, MediaType, Platform, RequestId, Timestamp, TmdbId,
    UserId,
};
use crate::error::{CoreError, CoreResult};

const COLUMNS: &str = "id, media_type, tmdb_id, title, year, request_id, kind, text, status,
    reported_by, source, resolved_by, resolution_note, resolved_at, created_at, updated_at";

#[derive(FromRow)]
struct IssueRow {
    id: i64,
    media_type: String,
    tmdb_id: i64,
    title: String,
    year: Option<i32>,
    request_id: Option<i64>,
    kind: String,
    text: String,
    status: String,
    reported_by: i64,
    source: String,
    resolved_by: Option<i64>,
    resolution_note: Option<String>,
    resolved_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<IssueRow> for Issue {
    type Error = CoreError;
    fn try_from(row: IssueRow) -> Result<Self, Self::Error> {
        Ok(Self {
            id: IssueId(row.id),
            media_type: row.media_type.parse()?,
            tmdb_id: TmdbId::parse(row.tmdb_id)?,
            title: row.title,
            year: row.year.and_then(|y| u16::try_from(y).ok()),
            request_id: row.request_id.map(RequestId),
            kind: row.kind.parse()?,
            text: row.text,
            status: row.status.parse()?,
            reported_by: UserId(row.reported_by),
            source: row.source.parse()?,
            resolved_by: row.resolved_by.map(UserId),
            resolution_note: row.resolution_note,
            resolved_at: row.resolved_at.map(Timestamp),
            created_at: Timestamp(row.created_at),
            updated_at: Timestamp(row.updated_at),
        })
    }
}

/// A title the library holds (as far as Usher knows: a request for it became available).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTitle {
    /// Movie or TV.
    pub media_type: MediaType,
    /// TMDB id.
    pub tmdb_id: TmdbId,
    /// Display title.
    pub title: String,
    /// Year, when known.
    pub year: Option<u16>,
    /// The newest request that brought it in; `None` for a title only the library index
    /// holds (never requested through Usher).
    pub request_id: Option<RequestId>,
}

/// What a new report stores.
#[derive(Debug, Clone)]
pub struct NewIssueRow<'a> {
    /// The title reported.
    pub title: &'a HeldTitle,
    /// Kind of problem.
    pub kind: IssueKind,
    /// Description, already validated.
    pub text: &'a str,
    /// Reporter.
    pub reported_by: UserId,
    /// Where they reported from.
    pub source: Platform,
    /// Now.
    pub now: Timestamp,
}

/// Inserts an open report. A second open report of the same person for the same title breaks
/// the `issues_one_open` index and comes back as [`CoreError::Conflict`].
pub async fn insert(tx: &mut Tx, new: &NewIssueRow<'_>) -> CoreResult<Issue> {
    let sql = format!(
        "INSERT INTO issues (media_type, tmdb_id, title, year, request_id, kind, text, status,
         reported_by, source, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $10) RETURNING {COLUMNS}"
    );
    let row: IssueRow = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(new.title.media_type.as_str())
        .bind(i64::from(new.title.tmdb_id.get()))
        .bind(&new.title.title)
        .bind(new.title.year.map(i32::from))
        .bind(new.title.request_id.map(|r| r.0))
        .bind(new.kind.as_str())
        .bind(new.text)
        .bind(new.reported_by.0)
        .bind(new.source.as_str())
        .bind(new.now.0)
        .fetch_one(conn)
        .await)?;
    row.try_into()
}

/// The person's open report for a title, if any.
pub async fn open_for(
    tx: &mut Tx,
    user: UserId,
    media_type: MediaType,
    tmdb_id: TmdbId,
) -> CoreResult<Option<IssueId>> {
    let row: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id FROM issues WHERE reported_by = $1 AND media_type = $2 AND tmdb_id = $3
         AND status = 'open'",
    )
    .bind(user.0)
    .bind(media_type.as_str())
    .bind(i64::from(tmdb_id.get()))
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(id,)| IssueId(id)))
}

/// One report, inside a transaction.
pub async fn get(tx: &mut Tx, id: IssueId) -> CoreResult<Option<Issue>> {
    let sql = format!("SELECT {COLUMNS} FROM issues WHERE id = $1");
    let row: Option<IssueRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await)?;
    row.map(Issue::try_from).transpose()
}

/// One report, from the pool (notifiers, pages).
pub async fn read(db: &Db, id: IssueId) -> CoreResult<Option<Issue>> {
    let sql = format!("SELECT {COLUMNS} FROM issues WHERE id = $1");
    let row: Option<IssueRow> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(pool)
        .await)?;
    row.map(Issue::try_from).transpose()
}

/// Resolves an open report; `None` when it was not open (someone resolved it first).
pub async fn resolve(
    tx: &mut Tx,
    id: IssueId,
    by: Option<UserId>,
    note: Option<&str>,
    now: Timestamp,
) -> CoreResult<Option<Issue>> {
    let sql = format!(
        "UPDATE issues SET status = 'resolved', resolved_by = $1, resolution_note = $2,
         resolved_at = $3, updated_at = $3 WHERE id = $4 AND status = 'open' RETURNING {COLUMNS}"
    );
    let row: Option<IssueRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(by.map(|u| u.0))
        .bind(note)
        .bind(now.0)
        .bind(id.0)
        .fetch_optional(conn)
        .await)?;
    row.map(Issue::try_from).transpose()
}

/// Up to `limit` reports, newest first, with `status` if given, older than `before` if given.
pub async fn list(
    db: &Db,
    status: Option<IssueStatus>,
    before: Option<IssueId>,
    limit: u32,
) -> CoreResult<Vec<Issue>> {
    let rows: Vec<IssueRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM issues WHERE 1 = 1"));
        if let Some(status) = status {
            query.push(" AND status = ").push_bind(status.as_str());
        }
        if let Some(before) = before {
            query.push(" AND id < ").push_bind(before.0);
        }
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Issue::try_from).collect()
}

/// One page by offset, as Seerr's API pages issues (`skip`, `take`), newest first by creation
/// or by last change, with `status` and `reporter` if given; and how many match in all.
pub async fn page_at(
    db: &Db,
    status: Option<IssueStatus>,
    reporter: Option<UserId>,
    by_change: bool,
    (skip, take): (u64, u32),
) -> CoreResult<(Vec<Issue>, u64)> {
    let skip = i64::try_from(skip).unwrap_or(i64::MAX);
    let (rows, total): (Vec<IssueRow>, i64) = on_pool!(db, pool => {
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM issues WHERE 1 = 1");
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM issues WHERE 1 = 1"));
        for q in [&mut count, &mut query] {
            if let Some(status) = status {
                q.push(" AND status = ").push_bind(status.as_str());
            }
            if let Some(user) = reporter {
                q.push(" AND reported_by = ").push_bind(user.0);
            }
        }
        let (total,): (i64,) = count.build_query_as().fetch_one(&mut *pool).await?;
        query.push(if by_change {
            " ORDER BY updated_at DESC, id DESC"
        } else {
            " ORDER BY id DESC"
        });
        query.push(" LIMIT ").push_bind(i64::from(take));
        query.push(" OFFSET ").push_bind(skip);
        let rows = query.build_query_as().fetch_all(&mut *pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let items = rows
        .into_iter()
        .map(Issue::try_from)
        .collect::<CoreResult<_>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// How many reports there are per kind and status, in one grouped read.
pub async fn counts(db: &Db) -> CoreResult<Vec<(IssueKind, IssueStatus, u64)>> {
    let rows: Vec<(String, String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT kind, status, COUNT(*) FROM issues GROUP BY kind, status",
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(kind, status, n)| {
            Ok((
                kind.parse()?,
                status.parse()?,
                u64::try_from(n).unwrap_or(0),
            ))
        })
        .collect()
}

/// How many reports are open (the console dashboard).
pub async fn count_open(db: &Db) -> CoreResult<i64> {
    let row: (i64,) = on_pool!(db, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM issues WHERE status = 'open'",
    )
    .fetch_one(pool)
    .await)?;
    Ok(row.0)
}

/// Titles the library holds whose name contains `query` (any case for ASCII letters), by
/// name, at most `limit`: what a member may report a problem with. One per title, named by its
/// newest request that became (partly) available.
pub async fn held_titles(db: &Db, query: &str, limit: u32) -> CoreResult<Vec<HeldTitle>> {
    let pattern = format!("%{}%", like_escaped(&query.trim().to_lowercase()));
    let rows: Vec<(i64, String, i64, String, Option<i32>)> = on_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "SELECT r.id, r.media_type, r.tmdb_id, r.title, r.year FROM requests r
             WHERE r.status IN ('available', 'partially_available') AND LOWER(r.title) LIKE ",
        );
        q.push_bind(pattern.clone()).push(" ESCAPE '\\'");
        q.push(
            " AND r.id = (SELECT MAX(o.id) FROM requests o WHERE o.media_type = r.media_type
              AND o.tmdb_id = r.tmdb_id AND o.status IN ('available', 'partially_available'))
              ORDER BY LOWER(r.title), r.id LIMIT ",
        );
        q.push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(held).collect()
}

/// The title a report names, when the library holds it: its newest (partly) available request.
pub async fn held_title(
    tx: &mut Tx,
    media_type: MediaType,
    tmdb_id: TmdbId,
) -> CoreResult<Option<HeldTitle>> {
    let row: Option<(i64, String, i64, String, Option<i32>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, media_type, tmdb_id, title, year FROM requests WHERE media_type = $1
         AND tmdb_id = $2 AND status IN ('available', 'partially_available')
         ORDER BY id DESC LIMIT 1",
    )
    .bind(media_type.as_str())
    .bind(i64::from(tmdb_id.get()))
    .fetch_optional(conn)
    .await)?;
    row.map(held).transpose()
}

fn held(
    (id, media_type, tmdb_id, title, year): (i64, String, i64, String, Option<i32>),
) -> CoreResult<HeldTitle> {
    Ok(HeldTitle {
        media_type: media_type.parse()?,
        tmdb_id: TmdbId::parse(tmdb_id)?,
        title,
        year: year.and_then(|y| u16::try_from(y).ok()),
        request_id: Some(RequestId(id)),
    })
}

/// `raw` with LIKE's wildcards and the escape character taken literally.
pub(crate) fn like_escaped(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
