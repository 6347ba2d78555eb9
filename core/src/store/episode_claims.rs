//! The duplicate rule for single episodes: one active request per title, 4K flag, season and
//! episode (`request_episode_claims`, migration 0040). A request for whole seasons holds
//! season claims instead ([`super::requests`]); core reads both to tell what is still free.

use sqlx::QueryBuilder;

use super::{Tx, narrow, on_tx};
use crate::domain::{EpisodeNumber, Episodes, Request, RequestId, TmdbId};
use crate::error::CoreResult;

/// Claims the request's episodes; an episode another active request holds is a `Conflict`
/// (the unique index decides, so concurrent requests cannot both win).
pub async fn insert(tx: &mut Tx, request: &Request) -> CoreResult<()> {
    for episode in request.episodes.iter() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO request_episode_claims (request_id, tmdb_id, four_k, season, episode, active)
             VALUES ($1, $2, $3, $4, $5, TRUE)",
        )
        .bind(request.id.0)
        .bind(i64::from(request.media.tmdb_id.get()))
        .bind(request.four_k)
        .bind(i32::from(episode.season))
        .bind(i32::from(episode.episode))
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Active requests holding any of these episodes of the show, with the episode each holds.
pub async fn active(
    tx: &mut Tx,
    tmdb_id: TmdbId,
    four_k: bool,
    episodes: &Episodes,
) -> CoreResult<Vec<(EpisodeNumber, RequestId)>> {
    if episodes.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i32, i32, i64)> = on_tx!(tx, conn => {
        let mut query = QueryBuilder::new(
            "SELECT season, episode, request_id FROM request_episode_claims WHERE active = TRUE AND tmdb_id = ",
        );
        query.push_bind(i64::from(tmdb_id.get()));
        query.push(" AND four_k = ").push_bind(four_k);
        query.push(" AND (");
        let mut first = true;
        for episode in episodes.iter() {
            if !first {
                query.push(" OR ");
            }
            first = false;
            query.push("(season = ").push_bind(i32::from(episode.season));
            query.push(" AND episode = ").push_bind(i32::from(episode.episode));
            query.push(")");
        }
        query.push(") ORDER BY season, episode");
        query.build_query_as().fetch_all(conn).await
    })?;
    rows.into_iter()
        .map(|(season, episode, id)| {
            let season = narrow(i64::from(season), "season")?;
            let episode = narrow(i64::from(episode), "episode")?;
            Ok((EpisodeNumber::new(season, episode)?, RequestId(id)))
        })
        .collect()
}

/// Gives up a request's episode claims (declined, cancelled, or gone from the library).
pub async fn release(tx: &mut Tx, id: RequestId) -> CoreResult<u64> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE request_episode_claims SET active = FALSE WHERE request_id = $1 AND active = TRUE",
    )
    .bind(id.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Notes that the library holds these episodes of the request (the ones it claims; others are
/// ignored); returns how many were not noted before, so a replayed report writes nothing.
pub async fn mark_present(tx: &mut Tx, id: RequestId, episodes: &Episodes) -> CoreResult<u64> {
    let mut noted = 0;
    for episode in episodes.iter() {
        noted += on_tx!(tx, conn => sqlx::query(
            "UPDATE request_episode_claims SET present = TRUE
             WHERE request_id = $1 AND season = $2 AND episode = $3 AND present = FALSE",
        )
        .bind(id.0)
        .bind(i32::from(episode.season))
        .bind(i32::from(episode.episode))
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(noted)
}

/// The request's episodes the library was seen to hold.
pub async fn present(tx: &mut Tx, id: RequestId) -> CoreResult<Episodes> {
    let rows: Vec<(i32, i32)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT season, episode FROM request_episode_claims WHERE request_id = $1 AND present = TRUE",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await)?;
    rows.into_iter()
        .map(|(season, episode)| {
            let season = narrow(i64::from(season), "season")?;
            let episode = narrow(i64::from(episode), "episode")?;
            EpisodeNumber::new(season, episode)
        })
        .collect::<CoreResult<Vec<_>>>()
        .map(Episodes::new)
}

/// Forgets which episodes the library held (the show was deleted upstream).
pub async fn forget_present(tx: &mut Tx, id: RequestId) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE request_episode_claims SET present = FALSE WHERE request_id = $1 AND present = TRUE",
    )
    .bind(id.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
