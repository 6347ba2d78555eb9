//! IssueService: members report a problem with a title the library holds (wrong audio, missing
//! subtitles, bad video…); approvers resolve it. Each change checks the caller, writes the
//! report, an audit row and a `notify` event in one transaction: a report puts a card in the
//! admin chats, a resolution tells the reporter where they reported from.
//!
//! Rules, whatever the front end:
//! - only a title the library holds may be reported: one of Usher's requests for it (4K copies
//!   included) became available or partly available, or the library index says a media server
//!   or a Radarr/Sonarr holds it (never requested through Usher; its name then comes from
//!   TMDB). Anything else is [`IssueRefusal::NotInLibrary`] (request it instead). The request
//!   is looked for inside the report's transaction, where the report takes its title from it;
//! - the text has 1 to [`MAX_TEXT`] characters after trimming;
//! - one open report per person and title: a second one is refused with
//!   [`IssueRefusal::AlreadyOpen`] naming the first, rather than merged into it, so approvers
//!   see one card per person and title and the reporter knows theirs is still being looked at;
//! - approvers and admins resolve (with an optional note for the reporter); a resolved report
//!   stays resolved.
//!
//! [`MAX_TEXT`]: crate::domain::issue::MAX_TEXT

use std::collections::HashMap;

use serde_json::json;

use super::authz;
use super::events::{self, Notification};
use super::issue_titles::IndexedTitles;
use crate::domain::issue::{report_text, resolution_note};
use crate::domain::{
    Actor, AuditAction, Issue, IssueId, IssueKind, IssueRefusal, IssueStatus, MediaType, Timestamp,
    TmdbId, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::issues::{self as store, HeldTitle, NewIssueRow};
use crate::store::{Db, audit, in_tx, users};

/// What a member reports.
#[derive(Debug, Clone)]
pub struct NewIssue {
    /// Movie or TV.
    pub media_type: MediaType,
    /// The title's TMDB id.
    pub tmdb_id: TmdbId,
    /// What kind of problem.
    pub kind: IssueKind,
    /// Their description.
    pub text: String,
}

/// A page of reports, newest first, for the console.
#[derive(Debug, Clone)]
pub struct IssuePage {
    /// The reports.
    pub items: Vec<Issue>,
    /// Pass back as `before` for the next page; `None` on the last one.
    pub next: Option<IssueId>,
    /// Display names of the reporters and resolvers on this page.
    pub names: HashMap<UserId, String>,
}

/// Issue reports: report, resolve, list; see the module docs.
#[derive(Clone, Debug)]
pub struct IssueService {
    db: Db,
    indexed: IndexedTitles,
}

impl IssueService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            indexed: IndexedTitles::default(),
        }
    }

    /// The same service, letting members report any title the library index holds.
    #[must_use]
    pub fn with_index(mut self, index: std::sync::Arc<crate::index::LibraryIndex>) -> Self {
        self.indexed = self.indexed.with_index(index);
        self
    }

    /// The same service, naming titles only the library index holds through TMDB.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: crate::integrations::tmdb::TmdbClient) -> Self {
        self.indexed = self.indexed.with_tmdb(tmdb);
        self
    }

    /// Reports a problem with a title the library holds; see the module docs for the rules.
    pub async fn report(&self, actor: &Actor, new: NewIssue) -> CoreResult<Issue> {
        let text = report_text(&new.text)?;
        let now = Timestamp::now();
        // Named before the transaction (TMDB is slow next to a row lock); used only when no
        // request of Usher's brought the title in.
        let indexed = self.indexed.named(new.media_type, new.tmdb_id).await;
        let result = in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                caller.require_any_request()?;
                let reporter =
                    caller.user.as_ref().map(|u| u.id).ok_or_else(|| {
                        CoreError::Validation("a report is made by a user".into())
                    })?;
                let title = match store::held_title(tx, new.media_type, new.tmdb_id).await? {
                    Some(title) => title,
                    None => match &indexed {
                        Ok(Some(title)) => title.clone(),
                        Ok(None) => {
                            return Err(CoreError::IssueRefused(IssueRefusal::NotInLibrary));
                        }
                        Err(err) => return Err(upstream_again(err)),
                    },
                };
                if let Some(open) =
                    store::open_for(tx, reporter, new.media_type, new.tmdb_id).await?
                {
                    return Err(CoreError::IssueRefused(IssueRefusal::AlreadyOpen(open)));
                }
                let row = NewIssueRow {
                    title: &title,
                    kind: new.kind,
                    text: &text,
                    reported_by: reporter,
                    source: actor.source.platform(),
                    now,
                };
                let issue = store::insert(tx, &row).await?;
                let details = json!({
                    "media_type": issue.media_type,
                    "tmdb_id": issue.tmdb_id,
                    "title": issue.title,
                    "kind": issue.kind,
                });
                audit::record(
                    tx,
                    actor,
                    AuditAction::IssueReported,
                    &target(issue.id),
                    &details,
                    now,
                )
                .await?;
                events::notify(tx, &Notification::IssueReported { issue_id: issue.id }, now)
                    .await?;
                Ok(issue)
            })
        })
        .await;
        match result {
            // Two reports raced past the check: the index kept one, this one is the second.
            Err(CoreError::Conflict(_)) => Err(self.already_open(actor, &new).await),
            other => other,
        }
    }

    /// Resolves an open report, with an optional note for the reporter; approvers only. When
    /// two approvers press at once, exactly one wins and the other hears
    /// [`IssueRefusal::AlreadyResolved`].
    pub async fn resolve(
        &self,
        actor: &Actor,
        id: IssueId,
        note: Option<&str>,
    ) -> CoreResult<Issue> {
        let note = resolution_note(note)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require_issue_manager()?;
                let Some(current) = store::get(tx, id).await? else {
                    return Err(not_found(id));
                };
                if current.status == IssueStatus::Resolved {
                    return Err(CoreError::IssueRefused(IssueRefusal::AlreadyResolved(id)));
                }
                let Some(issue) = store::resolve(tx, id, actor.user, note.as_deref(), now).await?
                else {
                    return Err(CoreError::IssueRefused(IssueRefusal::AlreadyResolved(id)));
                };
                let details = json!({ "note": note });
                audit::record(
                    tx,
                    actor,
                    AuditAction::IssueResolved,
                    &target(id),
                    &details,
                    now,
                )
                .await?;
                let event = Notification::IssueResolved {
                    issue_id: id,
                    actor: actor.user,
                };
                events::notify(tx, &event, now).await?;
                Ok(issue)
            })
        })
        .await
    }

    /// One report, for its reporter or an approver.
    pub async fn get(&self, actor: &Actor, id: IssueId) -> CoreResult<Issue> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let issue = store::get(tx, id).await?.ok_or_else(|| not_found(id))?;
                let own = caller.user.as_ref().map(|u| u.id) == Some(issue.reported_by);
                if !own {
                    caller.require_issue_manager()?;
                }
                Ok(issue)
            })
        })
        .await
    }

    /// A page of reports, newest first, optionally only open or resolved ones; approvers only.
    pub async fn list(
        &self,
        actor: &Actor,
        status: Option<IssueStatus>,
        before: Option<IssueId>,
        limit: u32,
    ) -> CoreResult<IssuePage> {
        in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await?.require_issue_manager() })
        })
        .await?;
        let limit = limit.clamp(1, 200);
        let mut items = store::list(&self.db, status, before, limit + 1).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|i| i.id)
        } else {
            None
        };
        let mut names = HashMap::new();
        for user in items
            .iter()
            .flat_map(|i| std::iter::once(i.reported_by).chain(i.resolved_by))
        {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(user) {
                slot.insert(self.name_of(user).await?);
            }
        }
        Ok(IssuePage { items, next, names })
    }

    /// How many reports wait for an approver (the console dashboard).
    pub async fn count_open(&self) -> CoreResult<i64> {
        store::count_open(&self.db).await
    }

    /// Titles the library holds matching `query`, for the title pickers of the report
    /// commands (Discord autocomplete, Telegram's `/issue`): those Usher's requests brought in
    /// whose name contains it, then those the library index holds among TMDB's hits for it
    /// (the cached client; a TMDB failure leaves only the first kind).
    pub async fn reportable(&self, query: &str, limit: u32) -> CoreResult<Vec<HeldTitle>> {
        let limit = limit.clamp(1, 25) as usize;
        let mut titles = store::held_titles(&self.db, query, limit as u32).await?;
        let room = limit.saturating_sub(titles.len());
        let more = self.indexed.search(query, room, &titles).await;
        titles.extend(more);
        Ok(titles)
    }

    /// A report as stored, for notifiers (no permission check: they act for the system and
    /// only show it where approvers or the reporter read).
    pub async fn read(&self, id: IssueId) -> CoreResult<Option<Issue>> {
        store::read(&self.db, id).await
    }

    /// A user's display name, or `#id` for one that is gone.
    pub async fn name_of(&self, user: UserId) -> CoreResult<String> {
        let found = in_tx(&self.db, |tx| {
            Box::pin(async { users::get_user(tx, user).await })
        })
        .await?;
        Ok(found.map_or_else(|| format!("#{user}"), |u| u.display_name))
    }

    /// The refusal for a report that lost a race to the caller's other report of the title.
    async fn already_open(&self, actor: &Actor, new: &NewIssue) -> CoreError {
        let Some(user) = actor.user else {
            return CoreError::Conflict("issues_one_open".into());
        };
        match self.open_for(user, new).await {
            Ok(Some(id)) => CoreError::IssueRefused(IssueRefusal::AlreadyOpen(id)),
            Ok(None) => CoreError::Conflict("issues_one_open".into()),
            Err(err) => err,
        }
    }

    async fn open_for(&self, user: UserId, new: &NewIssue) -> CoreResult<Option<IssueId>> {
        in_tx(&self.db, |tx| {
            Box::pin(async { store::open_for(tx, user, new.media_type, new.tmdb_id).await })
        })
        .await
    }
}

/// The TMDB failure that kept a title from being named, again (errors are not `Clone`).
fn upstream_again(err: &CoreError) -> CoreError {
    match err {
        CoreError::Upstream { service, message } => CoreError::Upstream {
            service,
            message: message.clone(),
        },
        other => CoreError::Upstream {
            service: "tmdb",
            message: other.to_string(),
        },
    }
}

fn target(id: IssueId) -> String {
    format!("issue:{id}")
}

fn not_found(id: IssueId) -> CoreError {
    CoreError::NotFound(format!("issue {id}"))
}
