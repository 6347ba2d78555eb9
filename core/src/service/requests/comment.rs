//! Requests with a note for the approvers: given with the request (the console's form, the
//! API's `comment`), or typed with a chat search and kept as a draft until that person's next
//! request takes it (a chat's Request button cannot carry 200 characters). Either way the note
//! is sanitized and length-checked before anything is written ([`RequestComment::parse`]), and
//! stored with the request in the transaction that creates it, so the approver card shows it.

use std::time::Duration;

use super::{NewRequest, RequestOutcome, RequestService};
use crate::domain::{Actor, Episodes, RequestComment, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::store::note_drafts;

/// How long a note typed with a search waits for the request it was meant for.
pub const DRAFT_KEPT: Duration = Duration::from_secs(30 * 60);

impl RequestService {
    /// Asks for a title with `note` for the approvers (sanitized; over 200 characters is a
    /// [`CoreError::Validation`] and nothing is written). Without a note, a fresh draft of the
    /// caller's is used. Otherwise as [`RequestService::create`]; a request that only makes the
    /// caller a follower keeps no note.
    pub async fn create_noted(
        &self,
        actor: &Actor,
        new: NewRequest,
        note: Option<&str>,
    ) -> CoreResult<RequestOutcome> {
        let comment = match note {
            Some(raw) => RequestComment::parse(raw)?,
            None => None,
        };
        self.create_full(actor, new, &Episodes::default(), comment.as_ref(), None)
            .await
    }

    /// Keeps `note` (typed with a chat search) for the caller's next request within
    /// [`DRAFT_KEPT`], replacing an older one. Returns the note as it will be stored, or `None`
    /// when nothing was left after sanitizing (then nothing is kept).
    ///
    /// # Errors
    ///
    /// [`CoreError::Validation`] for a note over 200 characters or an actor without a user;
    /// the database's errors.
    pub async fn draft_note(&self, actor: &Actor, note: &str) -> CoreResult<Option<String>> {
        let user = actor
            .user
            .ok_or_else(|| CoreError::Validation("a note is kept for a person".into()))?;
        let Some(comment) = RequestComment::parse(note)? else {
            return Ok(None);
        };
        note_drafts::put(&self.db, user, comment.as_str(), Timestamp::now()).await?;
        Ok(Some(comment.as_str().to_owned()))
    }
}
