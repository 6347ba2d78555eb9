//! Changing a request before anyone decides it (Seerr's `PUT /request/{id}`): its seasons and
//! where it will go (instance, quality profile, root folder). Approvers only, pending requests
//! only: once approved the title is on its way to Radarr/Sonarr, where a change would not follow.
//! Seasons another active request already holds are refused by number, so nothing is asked
//! twice; the claims table's unique index still decides a race.

use super::*;
use crate::store::request_edits::{self, RequestEdit};

/// What an approver changes; `None` keeps what the request has.
#[derive(Debug, Clone, Default)]
pub struct RequestChange {
    /// The seasons asked for (TV; at least one), replacing the old ones.
    pub seasons: Option<Seasons>,
    /// Where it goes: instance, quality profile, root folder.
    pub instance: Option<String>,
    /// A quality profile of that instance, by id or name.
    pub quality_profile: Option<String>,
    /// A root folder of that instance, by id or path.
    pub root_folder: Option<String>,
}

impl RequestService {
    /// Changes a pending request; see the module docs. The change is audited
    /// ([`AuditAction::RequestEdited`]) with what changed.
    pub async fn edit(
        &self,
        actor: &Actor,
        id: RequestId,
        change: &RequestChange,
    ) -> CoreResult<Request> {
        let aim = Target {
            instance: change.instance.as_deref(),
            quality_profile: change.quality_profile.as_deref(),
            root_folder: change.root_folder.as_deref(),
            // Seerr's `tags` are ids of its own; Usher keeps the tags it was given.
            tags: None,
        };
        if let Some(part) = aim.invalid_part() {
            return Err(CoreError::Validation(format!(
                "{part}: not something Radarr or Sonarr could have"
            )));
        }
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor)
                    .await?
                    .require(Permission::Approve)?;
                let request = load(tx, id).await?;
                if request.status != RequestStatus::Pending {
                    return Err(CoreError::Conflict(format!(
                        "request {id} is {}; only a pending request can be changed",
                        request.status
                    )));
                }
                check_seasons(tx, &request, change.seasons.as_ref()).await?;
                let edit = RequestEdit {
                    seasons: change.seasons.as_ref(),
                    instance: aim.instance,
                    profile: aim.quality_profile,
                    root_folder: aim.root_folder,
                };
                let edited = request_edits::edit_pending(tx, &request, &edit, now)
                    .await?
                    .ok_or_else(|| {
                        CoreError::Conflict(format!("request {id} was decided meanwhile"))
                    })?;
                let mut details = aim.audit_details();
                if let (Some(seasons), Some(map)) = (&change.seasons, details.as_object_mut()) {
                    map.insert("seasons".into(), json!(seasons.to_csv()));
                    map.insert("previous_seasons".into(), json!(request.seasons.to_csv()));
                }
                audit::record(
                    tx,
                    actor,
                    AuditAction::RequestEdited,
                    &target(id),
                    &details,
                    now,
                )
                .await?;
                Ok(edited)
            })
        })
        .await
    }
}

/// Seasons only for shows, at least one, none that another active request holds.
async fn check_seasons(
    tx: &mut Tx,
    request: &Request,
    seasons: Option<&Seasons>,
) -> CoreResult<()> {
    let Some(seasons) = seasons else {
        return Ok(());
    };
    match request.media.media_type {
        MediaType::Movie => {
            return Err(CoreError::Validation(
                "seasons: a movie has no seasons".into(),
            ));
        }
        MediaType::Tv if seasons.is_empty() => {
            return Err(CoreError::Validation(
                "seasons: pick at least one season (withdraw the request to ask for none)".into(),
            ));
        }
        MediaType::Tv if !request.episodes.is_empty() => {
            // Its seasons are those of its episodes, and it holds no season claim.
            return Err(CoreError::Validation(format!(
                "seasons: this request is for episodes {}; withdraw it to ask for whole seasons",
                request.episodes
            )));
        }
        MediaType::Tv => {}
    }
    let held: Vec<u16> = store::active_claims(tx, &request.media, seasons, request.four_k)
        .await?
        .into_iter()
        .filter(|(_, holder)| *holder != request.id)
        .map(|(season, _)| season)
        .collect();
    if held.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = held.iter().map(u16::to_string).collect();
    Err(CoreError::Validation(format!(
        "seasons: already requested: {}",
        list.join(", ")
    )))
}
