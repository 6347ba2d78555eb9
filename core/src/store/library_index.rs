//! The library index's rows (`library_index_titles`, `library_index_sources`): written by the
//! passes as differences (only titles that changed or left), read once at start so a restart
//! answers at once, before the first pass.

use futures_util::TryStreamExt;
use sqlx::QueryBuilder;

use super::{Db, in_tx, on_pool, on_tx};
use crate::domain::{
    Download, DownloadState, IndexedTitle, MediaType, SeasonCount, SourceHealth, SourceKind,
    Timestamp, TmdbId, TvdbId,
};
use crate::error::CoreResult;

/// Rows written per statement (14 bound values each, well under SQLite's limit).
const CHUNK: usize = 500;
/// Statements per transaction: a full first pass of 100,000 titles is 20 commits, each short
/// enough not to hold SQLite's writer for long.
const CHUNKS_PER_TX: usize = 10;

/// A source's stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSource {
    /// Its unique name.
    pub name: String,
    /// Its kind, as last stored.
    pub kind: SourceKind,
    /// Emby's server id or Plex's machine identifier, once a pass learnt it.
    pub server_id: Option<String>,
    /// How its passes went.
    pub health: SourceHealth,
}

type SourceRow = (
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    bool,
    i64,
);

/// Every stored source.
pub async fn sources(db: &Db) -> CoreResult<Vec<StoredSource>> {
    let rows: Vec<SourceRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT source, kind, server_id, items, last_full_at, last_incremental_at, last_success_at,
                duration_ms, error, stale, errors
         FROM library_index_sources ORDER BY source",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let kind = SourceKind::parse(&row.1)?;
            Some(StoredSource {
                name: row.0,
                kind,
                server_id: row.2,
                health: SourceHealth {
                    items: u64::try_from(row.3).unwrap_or_default(),
                    last_full: row.4.map(Timestamp),
                    last_incremental: row.5.map(Timestamp),
                    last_success: row.6.map(Timestamp),
                    duration_ms: row.7.and_then(|d| u64::try_from(d).ok()),
                    error: row.8,
                    stale: row.9,
                    errors: u64::try_from(row.10).unwrap_or_default(),
                },
            })
        })
        .collect())
}

/// Stores (or replaces) a source's row.
pub async fn put_source(db: &Db, source: &StoredSource) -> CoreResult<()> {
    let h = &source.health;
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    in_tx(db, |tx| {
        Box::pin(async move {
            on_tx!(tx, conn => sqlx::query(
            "INSERT INTO library_index_sources (source, kind, server_id, items, last_full_at,
                 last_incremental_at, last_success_at, duration_ms, error, stale, errors)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (source) DO UPDATE SET kind = excluded.kind,
               server_id = excluded.server_id, items = excluded.items,
               last_full_at = excluded.last_full_at,
               last_incremental_at = excluded.last_incremental_at,
               last_success_at = excluded.last_success_at, duration_ms = excluded.duration_ms,
               error = excluded.error, stale = excluded.stale, errors = excluded.errors",
        )
        .bind(&source.name)
        .bind(source.kind.as_str())
        .bind(source.server_id.as_deref())
        .bind(clamp(h.items))
        .bind(h.last_full.map(|t| t.0))
        .bind(h.last_incremental.map(|t| t.0))
        .bind(h.last_success.map(|t| t.0))
        .bind(h.duration_ms.map(clamp))
        .bind(h.error.as_deref())
        .bind(h.stale)
        .bind(clamp(h.errors))
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
            Ok(())
        })
    })
    .await
}

type TitleRow = (
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    bool,
    bool,
    bool,
    String,
    Option<i32>,
    Option<i64>,
    Option<String>,
);

/// Every stored title, handed to `each` one by one, source after source in key order
/// (streamed, so a large index is never held twice in memory). Rows that no longer parse (an
/// unknown media type) are skipped.
pub async fn each_title(db: &Db, mut each: impl FnMut(&str, IndexedTitle)) -> CoreResult<u64> {
    let mut count = 0;
    on_pool!(db, pool => {
        let mut rows = sqlx::query_as::<_, TitleRow>(
            "SELECT source, media_type, tmdb_id, tvdb_id, imdb_id, item_id, four_k, present,
                    monitored, seasons, progress, eta, download_state
             FROM library_index_titles ORDER BY source, media_type, tmdb_id",
        )
        .fetch(pool);
        while let Some(row) = rows.try_next().await? {
            if let Some(title) = title_of(&row) {
                each(&row.0, title);
                count += 1;
            }
        }
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(count)
}

fn title_of(row: &TitleRow) -> Option<IndexedTitle> {
    let media_type: MediaType = row.1.parse().ok()?;
    let mut title = IndexedTitle::new(media_type, TmdbId::parse(row.2).ok()?);
    title.tvdb = row.3.and_then(|id| TvdbId::parse(id).ok());
    title.imdb = row.4.as_deref().map(Into::into);
    title.item = row.5.as_deref().map(Into::into);
    title.four_k = row.6;
    title.monitored = row.8;
    title.seasons = decode_seasons(&row.9);
    title.present = row.7;
    title.download = match (row.10, row.12.as_deref().and_then(DownloadState::parse)) {
        (Some(permille), Some(state)) => Some(Download {
            permille: u16::try_from(permille.clamp(0, 1000)).unwrap_or_default(),
            eta: row.11.map(Timestamp),
            state,
        }),
        _ => None,
    };
    Some(title)
}

/// `1:7/7,2:3/13`.
pub fn encode_seasons(seasons: &[SeasonCount]) -> String {
    seasons
        .iter()
        .map(|s| format!("{}:{}/{}", s.number, s.present, s.total))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads [`encode_seasons`]' text; malformed parts are dropped.
pub fn decode_seasons(raw: &str) -> Box<[SeasonCount]> {
    raw.split(',')
        .filter_map(|part| {
            let (number, counts) = part.split_once(':')?;
            let (present, total) = counts.split_once('/')?;
            Some(SeasonCount {
                number: number.trim().parse().ok()?,
                present: present.trim().parse().ok()?,
                total: total.trim().parse().ok()?,
            })
        })
        .collect()
}

/// Writes what changed of one source: `upserts` inserted or replaced, `removals` deleted —
/// in short transactions of a few thousand rows.
pub async fn apply(
    db: &Db,
    source: &str,
    upserts: &[&IndexedTitle],
    removals: &[(MediaType, TmdbId)],
    now: Timestamp,
) -> CoreResult<()> {
    for group in upserts.chunks(CHUNK * CHUNKS_PER_TX) {
        in_tx(db, |tx| {
            Box::pin(async move {
                for chunk in group.chunks(CHUNK) {
                    on_tx!(tx, conn => {
                        let mut query = QueryBuilder::new(
                            "INSERT INTO library_index_titles (source, media_type, tmdb_id, tvdb_id,
                           imdb_id, item_id, four_k, present, monitored, seasons, progress, eta,
                           download_state, updated_at) ",
                        );
                        query.push_values(chunk.iter(), |mut row, title| {
                            let download = title.download.as_ref();
                            row.push_bind(source)
                                .push_bind(title.media_type.as_str())
                                .push_bind(i64::from(title.tmdb.get()))
                                .push_bind(title.tvdb.map(|t| i64::from(t.get())))
                                .push_bind(title.imdb.as_deref())
                                .push_bind(title.item.as_deref())
                                .push_bind(title.four_k)
                                .push_bind(title.present)
                                .push_bind(title.monitored)
                                .push_bind(encode_seasons(&title.seasons))
                                .push_bind(download.map(|d| i32::from(d.permille)))
                                .push_bind(download.and_then(|d| d.eta).map(|t| t.0))
                                .push_bind(download.map(|d| d.state.as_str()))
                                .push_bind(now.0);
                        });
                        query.push(
                            " ON CONFLICT (source, media_type, tmdb_id) DO UPDATE SET
                           tvdb_id = excluded.tvdb_id, imdb_id = excluded.imdb_id,
                           item_id = excluded.item_id, four_k = excluded.four_k,
                           present = excluded.present, monitored = excluded.monitored,
                           seasons = excluded.seasons, progress = excluded.progress,
                           eta = excluded.eta, download_state = excluded.download_state,
                           updated_at = excluded.updated_at",
                        );
                        query.build().execute(conn).await.map(|r| r.rows_affected())
                    })?;
                }
                Ok(())
            })
        })
        .await?;
    }
    for group in removals.chunks(CHUNK * CHUNKS_PER_TX) {
        in_tx(db, |tx| Box::pin(async move {
            for chunk in group.chunks(CHUNK) {
                for media_type in [MediaType::Movie, MediaType::Tv] {
                    let ids: Vec<i64> = chunk
                        .iter()
                        .filter(|(m, _)| *m == media_type)
                        .map(|(_, id)| i64::from(id.get()))
                        .collect();
                    if ids.is_empty() {
                        continue;
                    }
                    on_tx!(tx, conn => {
                        let mut query = QueryBuilder::new("DELETE FROM library_index_titles WHERE source = ");
                        query.push_bind(source).push(" AND media_type = ").push_bind(media_type.as_str());
                        query.push(" AND tmdb_id IN (");
                        let mut list = query.separated(", ");
                        for id in &ids {
                            list.push_bind(*id);
                        }
                        query.push(")");
                        query.build().execute(conn).await.map(|r| r.rows_affected())
                    })?;
                }
            }
            Ok(())
        })).await?;
    }
    Ok(())
}

/// Forgets a source's titles and row (a source no longer configured).
pub async fn forget_source(db: &Db, source: &str) -> CoreResult<()> {
    in_tx(db, |tx| Box::pin(async move {
        for sql in [
            "DELETE FROM library_index_titles WHERE source = $1",
            "DELETE FROM library_index_sources WHERE source = $1",
        ] {
            on_tx!(tx, conn => sqlx::query(sql).bind(source).execute(conn).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    })).await
}
