//! Where titles live in the media servers (`library_items`): one row per title, the latest
//! item a webhook or the reconcile job reported for it.

use super::{Db, in_tx, on_pool, on_tx};
use crate::domain::{LibraryItem, LibraryServer, MediaType, Timestamp, TmdbId};
use crate::error::CoreResult;

/// Remembers (or replaces) the item holding a title.
pub async fn put_item(
    db: &Db,
    media_type: MediaType,
    tmdb: TmdbId,
    item: &LibraryItem,
    now: Timestamp,
) -> CoreResult<()> {
    in_tx(db, |tx| Box::pin(async {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO library_items (media_type, tmdb_id, server, item_id, machine_id, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (media_type, tmdb_id) DO UPDATE SET server = excluded.server,
               item_id = excluded.item_id, machine_id = excluded.machine_id,
               updated_at = excluded.updated_at",
        )
        .bind(media_type.as_str())
        .bind(i64::from(tmdb.get()))
        .bind(item.server.as_str())
        .bind(&item.item_id)
        .bind(item.machine_id.as_deref())
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    })).await
}

/// The item holding a title, if Usher saw one.
pub async fn item(db: &Db, media_type: MediaType, tmdb: TmdbId) -> CoreResult<Option<LibraryItem>> {
    let row: Option<(String, String, Option<String>)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT server, item_id, machine_id FROM library_items WHERE media_type = $1 AND tmdb_id = $2",
    )
    .bind(media_type.as_str())
    .bind(i64::from(tmdb.get()))
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|(server, item_id, machine_id)| {
        Some(LibraryItem {
            server: LibraryServer::parse(&server)?,
            item_id,
            machine_id,
        })
    }))
}
