//! Names of titles the index knows only by id, taken from the requests that asked for them:
//! the Library page's search by name and the names on one page of its list (one query each,
//! never one per title).

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::issues::like_escaped;
use super::{Db, on_pool};
use crate::domain::{MediaType, RequestId, TmdbId};
use crate::error::CoreResult;

/// A title's name as its newest request recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedName {
    /// The newest request for the title.
    pub request: RequestId,
    /// The title's name.
    pub title: String,
    /// Its year, when known.
    pub year: Option<u16>,
}

/// Titles (media type, TMDB id) some request named with `query` in its title (any case for
/// ASCII letters), at most `limit` of them.
pub async fn titles_named(
    db: &Db,
    query: &str,
    limit: u32,
) -> CoreResult<Vec<(MediaType, TmdbId)>> {
    let pattern = format!("%{}%", like_escaped(&query.trim().to_lowercase()));
    let rows: Vec<(String, i64)> = on_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "SELECT DISTINCT media_type, tmdb_id FROM requests WHERE LOWER(title) LIKE ",
        );
        q.push_bind(pattern.clone()).push(" ESCAPE '\\' ORDER BY media_type, tmdb_id LIMIT ");
        q.push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|(media_type, tmdb)| Ok((media_type.parse()?, TmdbId::parse(tmdb)?)))
        .collect()
}

/// The newest request's name of each of `keys` that any request named.
pub async fn names_of(
    db: &Db,
    keys: &[(MediaType, TmdbId)],
) -> CoreResult<HashMap<(MediaType, TmdbId), RequestedName>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String, i64, String, Option<i32>)> = on_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "SELECT id, media_type, tmdb_id, title, year FROM requests WHERE tmdb_id IN (",
        );
        let mut ids = q.separated(", ");
        for (_, tmdb) in keys {
            ids.push_bind(i64::from(tmdb.get()));
        }
        q.push(") ORDER BY id");
        q.build_query_as().fetch_all(pool).await
    })?;
    let mut names = HashMap::with_capacity(keys.len());
    for (id, media_type, tmdb, title, year) in rows {
        let key = (media_type.parse()?, TmdbId::parse(tmdb)?);
        if keys.contains(&key) {
            // Rows come oldest first: the newest request's name wins.
            let year = year.and_then(|y| u16::try_from(y).ok());
            let request = RequestId(id);
            names.insert(
                key,
                RequestedName {
                    request,
                    title,
                    year,
                },
            );
        }
    }
    Ok(names)
}
