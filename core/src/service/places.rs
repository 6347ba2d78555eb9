//! PlaceService: the places (a Telegram group chat or a Discord server with a voting threshold
//! and a shared budget) — applied from `usher.toml` at start-up, listed and edited by admins in
//! the console, each change audited — and `/mine`'s allowance: what is left of the caller's own
//! quota and of the place's budget, and when each renews.

use serde_json::json;

use super::authz;
use crate::domain::{
    Actor, AuditAction, MediaType, Permission, Place, PlaceInput, PlaceKey, PlaceProblem,
    QuotaLimit, QuotaScope, Timestamp, quota,
};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, audit, in_tx, places, requests, users};

/// How a console save ended: saved, or refused field by field (nothing written).
pub type PlaceSave = Result<Place, Vec<PlaceProblem>>;

/// Places: config, console, allowance.
#[derive(Clone, Debug)]
pub struct PlaceService {
    db: Db,
}

/// One counter of `/mine`'s allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowanceLine {
    /// Movies or seasons.
    pub media_type: MediaType,
    /// The limit in force.
    pub limit: QuotaLimit,
    /// Units used in the current window.
    pub used: u32,
    /// When the oldest counted request leaves the window (`None` when nothing is counted).
    pub renews: Option<Timestamp>,
}

impl AllowanceLine {
    /// Units still free.
    pub fn left(self) -> u32 {
        self.limit.max.saturating_sub(self.used)
    }
}

/// What `/mine` shows above the list: the caller's own quota and, asked from a place with a
/// budget, that budget; an empty list means unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowance {
    /// The caller's own quota (movies, then seasons), limited counters only.
    pub personal: Vec<AllowanceLine>,
    /// The place's shared budget, limited counters only.
    pub place: Vec<AllowanceLine>,
}

impl PlaceService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Applies the `[[place]]` tables of `usher.toml` (already validated) at start-up, in one
    /// transaction, audited as Usher's own change; a place already stored alike is left alone.
    /// Returns how many were written.
    pub async fn apply_config(&self, configured: &[Place]) -> CoreResult<u32> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async move {
                let mut written = 0;
                for place in configured {
                    if save_in(tx, &Actor::system(), place, "usher.toml", now).await? {
                        written += 1;
                    }
                }
                Ok(written)
            })
        })
        .await
    }

    /// Every place, for the console (admins only).
    pub async fn list(&self, actor: &Actor) -> CoreResult<Vec<Place>> {
        self.require_admin(actor).await?;
        places::list(&self.db).await
    }

    /// One place, for the console's edit form (admins only).
    pub async fn get(&self, actor: &Actor, key: PlaceKey) -> CoreResult<Place> {
        in_tx(&self.db, |tx| {
            Box::pin(async move {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                places::get(tx, key)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("place {}", key.stored())))
            })
        })
        .await
    }

    /// Saves a place from the console (admins only): `input` is checked field by field and
    /// nothing is written unless all is right. `replacing` is the place the form edited; when
    /// the chat id itself changed, the old row goes in the same transaction.
    pub async fn save(
        &self,
        actor: &Actor,
        input: &PlaceInput,
        replacing: Option<PlaceKey>,
    ) -> CoreResult<PlaceSave> {
        let place = match input.validate() {
            Ok(place) => place,
            Err(problems) => {
                self.require_admin(actor).await?;
                return Ok(Err(problems));
            }
        };
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            let place = place.clone();
            Box::pin(async move {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                if let Some(old) = replacing.filter(|old| *old != place.key) {
                    remove_in(tx, actor, old, now).await?;
                }
                save_in(tx, actor, &place, "console", now).await?;
                Ok(Ok(place))
            })
        })
        .await
    }

    /// Removes a place (admins only); requests already made from it keep counting nowhere.
    pub async fn delete(&self, actor: &Actor, key: PlaceKey) -> CoreResult<()> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async move {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                if remove_in(tx, actor, key, now).await? {
                    Ok(())
                } else {
                    Err(CoreError::NotFound(format!("place {}", key.stored())))
                }
            })
        })
        .await
    }

    /// `/mine`'s allowance: the caller's own quota (none for admins) and, asked from `place`,
    /// its budget — used, limit and renewal of each limited counter.
    pub async fn allowance(&self, actor: &Actor, place: Option<PlaceKey>) -> CoreResult<Allowance> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async move {
                let caller = authz::caller(tx, actor).await?;
                let mut allowance = Allowance::default();
                if let Some(user) = caller
                    .user
                    .as_ref()
                    .filter(|_| !caller.may(Permission::Admin))
                {
                    allowance.personal = personal(tx, user.id, now).await?;
                }
                if let Some(key) = place {
                    allowance.place = budget(tx, key, now).await?;
                }
                Ok(allowance)
            })
        })
        .await
    }

    async fn require_admin(&self, actor: &Actor) -> CoreResult<()> {
        in_tx(&self.db, |tx| {
            Box::pin(async move { authz::caller(tx, actor).await?.require(Permission::Admin) })
        })
        .await
    }
}

/// Writes and audits one place; returns whether anything changed.
async fn save_in(
    tx: &mut Tx,
    actor: &Actor,
    place: &Place,
    from: &str,
    now: Timestamp,
) -> CoreResult<bool> {
    if !places::save(tx, place, now).await? {
        return Ok(false);
    }
    let details = json!({
        "from": from,
        "threshold": place.threshold,
        "budget": place.budget,
    });
    let target = format!("place:{}", place.key.stored());
    audit::record(tx, actor, AuditAction::PlaceSaved, &target, &details, now).await?;
    Ok(true)
}

/// Deletes and audits one place; returns whether it existed.
async fn remove_in(tx: &mut Tx, actor: &Actor, key: PlaceKey, now: Timestamp) -> CoreResult<bool> {
    if !places::delete(tx, key).await? {
        return Ok(false);
    }
    let target = format!("place:{}", key.stored());
    audit::record(
        tx,
        actor,
        AuditAction::PlaceRemoved,
        &target,
        &json!({}),
        now,
    )
    .await?;
    Ok(true)
}

/// The caller's own limited counters (movies, seasons; 4K left out of `/mine`).
async fn personal(
    tx: &mut Tx,
    user: crate::domain::UserId,
    now: Timestamp,
) -> CoreResult<Vec<AllowanceLine>> {
    let mut lines = Vec::new();
    for media_type in [MediaType::Movie, MediaType::Tv] {
        let scope = QuotaScope {
            media_type,
            four_k: false,
        };
        let own = users::user_limit(tx, user, scope).await?;
        let roles = users::role_limits(tx, user, scope).await?;
        let Some(limit) = quota::effective_limit(own, &roles) else {
            continue;
        };
        let since = now.minus(limit.window());
        let used = requests::quota_units(tx, user, media_type, false, since).await?;
        lines.push(line(media_type, limit, &used));
    }
    Ok(lines)
}

/// The place's limited counters.
async fn budget(tx: &mut Tx, key: PlaceKey, now: Timestamp) -> CoreResult<Vec<AllowanceLine>> {
    let Some(budget) = places::get(tx, key).await?.and_then(|p| p.budget) else {
        return Ok(Vec::new());
    };
    let mut lines = Vec::new();
    for media_type in [MediaType::Movie, MediaType::Tv] {
        let Some(limit) = budget.limit(media_type == MediaType::Tv) else {
            continue;
        };
        let since = now.minus(limit.window());
        let used = places::budget_units(tx, key, media_type, since).await?;
        lines.push(line(media_type, limit, &used));
    }
    Ok(lines)
}

fn line(media_type: MediaType, limit: QuotaLimit, used_at: &[Timestamp]) -> AllowanceLine {
    AllowanceLine {
        media_type,
        limit,
        used: u32::try_from(used_at.len()).unwrap_or(u32::MAX),
        renews: used_at.iter().min().map(|t| t.plus(limit.window())),
    }
}
