//! Everything a request needs to know of the person asking, in the one read that opens its
//! transaction: who they are, what their roles allow and cap, where their roles send requests,
//! and whether a note draft waits to be attached. Asking costs no read beyond this one for them.

use sqlx::FromRow;

use super::users::{Standing, UserRow};
use super::{Tx, on_tx, role_limits, roles};
use crate::domain::{ContentLimit, Permissions, Placement, User, UserId};
use crate::error::CoreResult;

/// A user row per role (one with no role when they hold none), plus one per live API key;
/// each with whether the user has a note draft.
const ASKER: &str = "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at,
            r.id AS role_id, r.name AS role_name, r.permissions, r.content_limit, r.radarr_placement, r.sonarr_placement,
            EXISTS (SELECT 1 FROM request_note_drafts d WHERE d.user_id = u.id) AS has_draft
     FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
     WHERE u.id = $1
     UNION ALL
     SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at,
            NULL, NULL, k.permissions, NULL, NULL, NULL, FALSE
     FROM users u JOIN api_keys k ON k.user_id = u.id AND k.revoked_at IS NULL
     WHERE u.id = $1";

/// One row of [`ASKER`].
#[derive(FromRow)]
struct AskerRow {
    #[sqlx(flatten)]
    user: UserRow,
    role_id: Option<i64>,
    role_name: Option<String>,
    permissions: Option<i64>,
    content_limit: Option<String>,
    radarr_placement: Option<String>,
    sonarr_placement: Option<String>,
    has_draft: bool,
}

/// The person asking, as a request sees them.
#[derive(Debug, Clone)]
pub struct Asker {
    /// Who they are, what they may do and be offered.
    pub standing: Standing,
    /// Their roles' (radarr, sonarr) placements, lowest role id first.
    pub placements: Vec<(Option<Placement>, Option<Placement>)>,
    /// The names of their roles, lowest role id first (for override rules naming roles).
    pub roles: Vec<String>,
    /// Whether a note draft of theirs waits (else taking it is skipped).
    pub has_draft: bool,
}

/// Reads the asker `id` in `tx`; `None` for an unknown user. A stored limit or placement that
/// no longer parses is an error (failing closed).
pub async fn get(tx: &mut Tx, id: UserId) -> CoreResult<Option<Asker>> {
    let mut rows: Vec<AskerRow> = on_tx!(tx, conn => sqlx::query_as(ASKER)
        .bind(id.0)
        .fetch_all(conn)
        .await)?;
    rows.sort_by_key(|row| row.role_id);
    let mut bits = Vec::with_capacity(rows.len());
    let mut limit = ContentLimit::default();
    let mut placements = Vec::new();
    let mut roles_held = Vec::new();
    let mut has_draft = false;
    let mut user = None;
    for row in rows {
        bits.extend(row.permissions);
        if let Some(json) = &row.content_limit {
            limit = limit.strictest(&role_limits::parse(json)?);
        }
        if row.radarr_placement.is_some() || row.sonarr_placement.is_some() {
            let radarr = roles::placement(row.radarr_placement)?;
            placements.push((radarr, roles::placement(row.sonarr_placement)?));
        }
        roles_held.extend(row.role_name);
        has_draft |= row.has_draft;
        user.get_or_insert(row.user);
    }
    Ok(user.map(|user| Asker {
        standing: Standing {
            user: User::from(user),
            permissions: bits.into_iter().fold(Permissions::default(), |all, bits| {
                all.union(Permissions::from_bits(bits))
            }),
            content_limit: limit,
        },
        placements,
        roles: roles_held,
        has_draft,
    }))
}
