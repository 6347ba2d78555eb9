//! Where a new request goes when its requester's roles say so: a role's Radarr/Sonarr
//! placement (instance, quality profile, root folder, tags) is written on the request as it
//! is made, so it beats the instance's own settings; an approver may still change it.

use crate::domain::role_spec::pick_placement;
use crate::domain::{Placement, Request};
use crate::error::CoreResult;
use crate::store::{Tx, roles};

/// Writes the placement the requester's roles give `request` (see [`pick_placement`]: the
/// lowest role id with a fitting one wins; `placements` as read with the requester) onto the
/// row and the value; nothing when none does.
pub(super) async fn apply(
    tx: &mut Tx,
    placements: &[(Option<Placement>, Option<Placement>)],
    request: &mut Request,
) -> CoreResult<()> {
    let Some(placement) = pick_placement(placements, request.media.media_type, request.four_k)
    else {
        return Ok(());
    };
    roles::place_request(tx, request.id, placement).await?;
    request.target_instance = Some(placement.instance.clone());
    request.target_profile = placement.quality_profile.clone();
    request.target_root_folder = placement.root_folder.clone();
    request.target_tags = (!placement.tags.is_empty()).then(|| placement.tags.clone());
    Ok(())
}
