//! A place's shared budget, checked in the transaction that makes the request, right after the
//! personal quota: everyone asking from the same group chat or server draws from it.

use crate::domain::{MediaType, PlaceKey, Timestamp, quota};
use crate::error::{CoreError, CoreResult};
use crate::store::{Tx, places};

/// Refuses when `asking` more units do not fit the place's budget, saying when the oldest
/// counted request leaves the window. Returns the place to record on the request: only a place
/// that has rules is remembered (a chat without any is like a private one).
pub(super) async fn check(
    tx: &mut Tx,
    place: Option<PlaceKey>,
    media_type: MediaType,
    asking: u32,
    now: Timestamp,
) -> CoreResult<Option<PlaceKey>> {
    let Some(key) = place else {
        return Ok(None);
    };
    let Some(found) = places::get(tx, key).await? else {
        return Ok(None);
    };
    let limit = found
        .budget
        .and_then(|b| b.limit(media_type == MediaType::Tv));
    if let Some(limit) = limit {
        let since = now.minus(limit.window());
        let used = places::budget_units(tx, key, media_type, since).await?;
        quota::check(limit, now, &used, asking).map_err(CoreError::BudgetExceeded)?;
    }
    Ok(Some(key))
}
