//! The content limits on a user's roles, combined into what that user may be offered.

use crate::domain::{ContentLimit, ContentLimitSpec, UserId};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, on_pool};

/// The strictest limit among the user's roles (unlimited when none of them has one), in one
/// read. A stored limit that no longer validates (a hand-edited row) is an error rather than
/// silently no limit: failing closed keeps a capped account capped.
pub async fn content_limit_of(db: &Db, user: UserId) -> CoreResult<ContentLimit> {
    let stored: Vec<(String,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT r.content_limit FROM user_roles ur JOIN roles r ON r.id = ur.role_id
         WHERE ur.user_id = $1 AND r.content_limit IS NOT NULL ORDER BY r.id",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await)?;
    stored
        .iter()
        .try_fold(ContentLimit::default(), |limit, (json,)| {
            Ok(limit.strictest(&parse(json)?))
        })
}

/// Reads one role's stored limit.
pub fn parse(json: &str) -> CoreResult<ContentLimit> {
    let spec: ContentLimitSpec = serde_json::from_str(json).map_err(|err| {
        CoreError::Unexpected(anyhow::anyhow!("a role's stored content limit: {err}"))
    })?;
    spec.validate().map_err(|err| {
        CoreError::Unexpected(anyhow::anyhow!("a role's stored content limit: {err}"))
    })
}
