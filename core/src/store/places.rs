//! Places (a group chat's or server's voting threshold and budget), what their budgets have
//! counted, and the votes members cast on pending requests.

use std::collections::HashMap;

use crate::domain::{Budget, MediaType, Place, PlaceKey, RequestId, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, on_pool, on_tx};

/// A stored row: place, threshold, movies, seasons, days.
type PlaceRow = (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

const COLUMNS: &str = "place, threshold, budget_movies, budget_seasons, budget_days";

/// Reads a row back; a hand-edited row that no longer makes sense is an error, not "no rule".
fn place_of(row: PlaceRow) -> CoreResult<Place> {
    let (key, threshold, movies, seasons, days) = row;
    let bad = |what: &str| CoreError::Unexpected(anyhow::anyhow!("stored place {key:?}: {what}"));
    let key_parsed = PlaceKey::parse(&key).ok_or_else(|| bad("unknown key"))?;
    let number = |n: Option<i64>| n.map(u32::try_from).transpose();
    let threshold = number(threshold).map_err(|_| bad("threshold"))?;
    let movies = number(movies).map_err(|_| bad("movies"))?;
    let seasons = number(seasons).map_err(|_| bad("seasons"))?;
    let days = number(days).map_err(|_| bad("days"))?;
    Ok(Place {
        key: key_parsed,
        threshold,
        budget: days.map(|days| Budget {
            movies,
            seasons,
            days,
        }),
    })
}

/// Every place, ordered by key.
pub async fn list(db: &Db) -> CoreResult<Vec<Place>> {
    let sql = format!("SELECT {COLUMNS} FROM places ORDER BY place");
    let rows: Vec<PlaceRow> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(place_of).collect()
}

/// One place, inside a transaction.
pub async fn get(tx: &mut Tx, key: PlaceKey) -> CoreResult<Option<Place>> {
    let sql = format!("SELECT {COLUMNS} FROM places WHERE place = $1");
    let row: Option<PlaceRow> = on_tx!(tx, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(key.stored())
        .fetch_optional(conn)
        .await)?;
    row.map(place_of).transpose()
}

/// Writes a place; returns whether anything changed (an equal row is left alone, so applying
/// the same `usher.toml` at every start writes nothing).
pub async fn save(tx: &mut Tx, place: &Place, now: Timestamp) -> CoreResult<bool> {
    if get(tx, place.key).await?.as_ref() == Some(place) {
        return Ok(false);
    }
    let budget = place.budget;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO places (place, threshold, budget_movies, budget_seasons, budget_days, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (place) DO UPDATE SET threshold = excluded.threshold,
           budget_movies = excluded.budget_movies, budget_seasons = excluded.budget_seasons,
           budget_days = excluded.budget_days, updated_at = excluded.updated_at",
    )
    .bind(place.key.stored())
    .bind(place.threshold.map(i64::from))
    .bind(budget.and_then(|b| b.movies).map(i64::from))
    .bind(budget.and_then(|b| b.seasons).map(i64::from))
    .bind(budget.map(|b| i64::from(b.days)))
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(true)
}

/// Removes a place; returns whether it existed.
pub async fn delete(tx: &mut Tx, key: PlaceKey) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query("DELETE FROM places WHERE place = $1")
        .bind(key.stored())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// When each unit the place's budget counts was asked for since `since`: one per active movie
/// claim, one per active season claim, 4K or not, of requests made from the place.
pub async fn budget_units(
    tx: &mut Tx,
    key: PlaceKey,
    media_type: MediaType,
    since: Timestamp,
) -> CoreResult<Vec<Timestamp>> {
    let rows: Vec<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT r.created_at FROM request_claims c JOIN requests r ON r.id = c.request_id
         WHERE r.place = $1 AND c.media_type = $2 AND c.active = TRUE AND r.created_at > $3",
    )
    .bind(key.stored())
    .bind(media_type.as_str())
    .bind(since.0)
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().map(|(at,)| Timestamp(at)).collect())
}

/// Records one person's vote; returns whether it is new (a second press changes nothing).
pub async fn add_vote(
    tx: &mut Tx,
    request: RequestId,
    user: UserId,
    place: Option<PlaceKey>,
    now: Timestamp,
) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO request_votes (request_id, user_id, place, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(request.0)
    .bind(user.0)
    .bind(place.map(PlaceKey::stored))
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// How many people voted for a request.
pub async fn votes(tx: &mut Tx, request: RequestId) -> CoreResult<u32> {
    let (n,): (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM request_votes WHERE request_id = $1",
    )
    .bind(request.0)
    .fetch_one(conn)
    .await)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Votes of several requests at once (the approvers' queue), absent ones meaning none.
pub async fn votes_of(db: &Db, requests: &[RequestId]) -> CoreResult<HashMap<RequestId, u32>> {
    if requests.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = on_pool!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT request_id, COUNT(*) FROM request_votes WHERE request_id IN (",
        );
        let mut ids = query.separated(", ");
        for id in requests {
            ids.push_bind(id.0);
        }
        query.push(") GROUP BY request_id");
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (RequestId(id), u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// The place a request was made from, if it was made from one with rules.
pub async fn place_of_request(tx: &mut Tx, request: RequestId) -> CoreResult<Option<PlaceKey>> {
    let row: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT place FROM requests WHERE id = $1",
    )
    .bind(request.0)
    .fetch_optional(conn)
    .await)?;
    Ok(row
        .and_then(|(place,)| place)
        .and_then(|p| PlaceKey::parse(&p)))
}
