//! Where a new request goes when the operator's rules say so. An override rule
//! (`[[override]]`: genre, keyword, role) that matches decides first; else a role's
//! Radarr/Sonarr placement (instance, quality profile, root folder, tags). Either is written on
//! the request as it is made, so it beats the instance's own settings; an approver may still
//! change it.

use std::sync::Arc;

use super::ContentGate;
use crate::domain::override_rule::first_match;
use crate::domain::role_spec::pick_placement;
use crate::domain::{Media, OverrideRule, Placement, Request, SeriesType};
use crate::error::{CoreError, CoreResult};
use crate::integrations::tmdb::ContentFacts;
use crate::store::{Tx, roles};

/// The (radarr, sonarr) placements of a requester's roles, lowest role id first.
pub(super) type RolePlacements = [(Option<Placement>, Option<Placement>)];

/// The override rules and what they read of the requested title, fetched before the
/// transaction (no transaction waits on TMDB).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Overrides<'a> {
    /// Every rule, in file order.
    pub rules: &'a [OverrideRule],
    /// The title's genres and keywords; `None` when TMDB gave none.
    pub facts: Option<&'a ContentFacts>,
}

/// The title's genres and keywords when an override rule for its media type needs them and
/// they are not cached yet (one TMDB call), read before the transaction opens. Without them
/// such rules do not match and the request is placed as if there were none: a TMDB outage
/// does not refuse requests. `Ok(None)`: not needed, or no TMDB to ask; `Err`: TMDB was asked
/// and failed, which the caller keeps so a content limit needing the same facts is refused at
/// once instead of waiting on TMDB a second time.
pub(super) async fn facts_for(
    gate: &ContentGate,
    rules: &[OverrideRule],
    media: &Media,
) -> CoreResult<Option<Arc<ContentFacts>>> {
    let needed = rules
        .iter()
        .any(|r| r.media == media.media_type && r.needs_facts());
    if !needed {
        return Ok(None);
    }
    match gate.facts(media.media_type, media.tmdb_id).await {
        Ok(facts) => Ok(Some(facts)),
        // No TMDB configured: nothing to ask.
        Err(CoreError::NotOffered) => Ok(None),
        Err(error) => {
            let title = &media.title;
            tracing::warn!(%error, %title, "no TMDB genres for the override rules; none applies");
            Err(error)
        }
    }
}

/// Writes the placement the rules give `request` onto the row and the value: the first
/// matching override rule's, else the requester's roles' (see [`pick_placement`]: the lowest
/// role id with a fitting one wins); nothing when neither has one. `asker` is the requester's
/// roles' (radarr, sonarr) placements and role names, as read with them.
pub(super) async fn apply(
    tx: &mut Tx,
    asker: (&RolePlacements, &[String]),
    request: &mut Request,
    overrides: Overrides<'_>,
) -> CoreResult<()> {
    let (placements, role_names) = asker;
    let media = request.media.media_type;
    let facts = overrides.facts.map(ContentFacts::as_facts);
    let rule = first_match(
        overrides.rules,
        media,
        request.four_k,
        facts.as_ref(),
        role_names,
    );
    let (placement, series_type) = match rule {
        Some(rule) => (&rule.placement, rule.series_type),
        None => match pick_placement(placements, media, request.four_k) {
            Some(placement) => (placement, None),
            None => return Ok(()),
        },
    };
    write(tx, request, placement, series_type).await
}

async fn write(
    tx: &mut Tx,
    request: &mut Request,
    placement: &Placement,
    series_type: Option<SeriesType>,
) -> CoreResult<()> {
    roles::place_request(tx, request.id, placement, series_type).await?;
    request.target_instance = Some(placement.instance.clone());
    request.target_profile = placement.quality_profile.clone();
    request.target_root_folder = placement.root_folder.clone();
    request.target_tags = (!placement.tags.is_empty()).then(|| placement.tags.clone());
    request.target_series_type = series_type;
    Ok(())
}
