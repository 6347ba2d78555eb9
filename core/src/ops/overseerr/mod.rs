//! `usher import overseerr`: brings users (with their Discord and Telegram accounts, roles and
//! quotas) and requests (with their statuses) from an Overseerr, Jellyseerr or Seerr database
//! into Usher, and turns its Radarr/Sonarr servers into `USHER_*` settings.
//!
//! The source is only read ([`source`]). A [`Plan`] is built from it and the target ([`plan`]);
//! a dry run stops there, a real run applies it in the same transaction ([`apply`]), so an
//! import is all or nothing. Each imported row is remembered in the `imports` table, so running
//! it again adds nothing; the rows are keyed by the instance ([`Snapshot::instance`]), so a
//! second instance imports beside the first. Overseerr keeps no titles: requests are named
//! `tmdb:<id>` until Usher next looks the title up.

pub mod apply;
pub mod arr;
pub mod plan;
pub mod source;

pub use apply::Applied;
pub use arr::{ArrServer, pick_default, read_settings};
pub use plan::{Plan, RequestStep, Skip, SkipKind, SkipReason, UserStep, Who};
pub use source::{Snapshot, SourceRequest, SourceUser};

use crate::domain::Timestamp;
use crate::error::CoreResult;
use crate::store::{Db, in_tx};

/// The `imports.source` value of rows imported from Overseerr and its forks (they share a
/// schema) before imports were keyed by instance; [`source_key`] extends it.
pub const SOURCE: &str = "overseerr";

/// The `imports.source` value for one instance's rows (`overseerr:<instance>`): each instance
/// has its own, so its user and request ids never collide with another instance's.
pub fn source_key(instance: &str) -> String {
    format!("{SOURCE}:{instance}")
}

/// What the import would do, computed against the target and rolled back: nothing is written.
pub async fn dry_run(target: &Db, snapshot: &Snapshot) -> CoreResult<Plan> {
    let mut tx = target.begin().await?;
    let planned = plan::build(&mut tx, snapshot, Timestamp::now()).await;
    drop(tx); // rolls back; the plan only read
    planned
}

/// Imports everything not imported yet, in one transaction.
pub async fn import(target: &Db, snapshot: &Snapshot) -> CoreResult<(Plan, Applied)> {
    let now = Timestamp::now();
    in_tx(target, |tx| {
        Box::pin(async {
            let planned = plan::build(tx, snapshot, now).await?;
            let applied = apply::apply(tx, &planned, now).await?;
            Ok((planned, applied))
        })
    })
    .await
}
