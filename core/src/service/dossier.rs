//! The console's request page as one use case: the request with its followers and trail, the
//! pick lists of its Radarr/Sonarr instance while it may still be approved or retried, and
//! what TMDB and the library say of its title — one call, a value the page renders without
//! asking core again.

use super::Services;
use super::artwork::TitleFacts;
use super::placement::PlacementChoices;
use super::requests::RequestDetail;
use crate::domain::{Actor, RequestId, RequestStatus};
use crate::error::CoreResult;

/// Everything the request page shows; see the module docs.
#[derive(Debug, Clone)]
pub struct RequestDossier {
    /// The request, its followers and audit trail, and the names they mention.
    pub detail: RequestDetail,
    /// The instance's pick lists, while the request is pending or failed.
    pub choices: Option<PlacementChoices>,
    /// Poster, year, overview and links of its title (TMDB failing only leaves them out).
    pub title: TitleFacts,
}

impl Services {
    /// Request `id` as its page shows it, for approvers (anyone else is told it does not
    /// exist): pick lists from `instance` if the approver chose one, else the request's own;
    /// title facts in `language`.
    pub async fn request_dossier(
        &self,
        actor: &Actor,
        id: RequestId,
        instance: Option<&str>,
        language: Option<&str>,
    ) -> CoreResult<RequestDossier> {
        let detail = self.requests.detail(actor, id).await?;
        let decidable = matches!(
            detail.request.status,
            RequestStatus::Pending | RequestStatus::Failed
        );
        let choices = if decidable {
            Some(self.placement.choices(actor, id, instance).await?)
        } else {
            None
        };
        let media = &detail.request.media;
        let title = self
            .artwork
            .facts(media.media_type, media.tmdb_id, language)
            .await;
        Ok(RequestDossier {
            detail,
            choices,
            title,
        })
    }
}
