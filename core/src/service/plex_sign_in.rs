//! "Sign in with Plex" for the console: plex.tv's PIN flow, decided here so the web layer only
//! carries cookies and renders pages.
//!
//! Safe to expose: a Plex account opens the console only for the Usher user who linked it
//! (from their account page, with the same PIN flow while signed in). Nobody is created by a
//! Plex sign-in, and an unknown account is refused and audited. The PIN is kept server-side in
//! the sign-in ceremony store under an id only the starting browser holds, and is asked about
//! once per visit of the callback (no polling loop). The Plex token never leaves
//! [`PlexTvClient::account`]: only the plex.tv user id and name are kept.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::sessions::{ClientInfo, NewSession, SessionService, web_source};
use super::users::UserService;
use crate::domain::{Actor, AuditAction, Identity, Platform, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};
use crate::integrations::http::UpstreamError;
use crate::integrations::plex_tv::{PlexAccount, PlexPin, PlexTvClient};
use crate::store::{Db, audit, in_tx, users};

/// Ceremony kind of a sign-in.
const SIGN_IN: &str = "plex_login";
/// Ceremony kind of linking a Plex account to the signed-in user.
const LINK: &str = "plex_link";

/// A PIN kept until the browser comes back: where to send it to approve, and the id of the
/// kept ceremony (the browser's cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexStarted {
    /// Id of the kept ceremony; only the browser that started it holds it.
    pub flow: String,
    /// The Plex app's page that asks the person to allow Usher.
    pub url: String,
}

/// Why a Plex sign-in or link did not happen although plex.tv answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlexRefusal {
    /// No ceremony under this id for this browser (missing, forged, used, expired), or plex.tv
    /// no longer knows the PIN.
    Expired,
    /// No Usher user linked this Plex account.
    NotLinked,
    /// The user who linked it is disabled.
    Disabled,
    /// Another Usher user linked this Plex account already.
    LinkedElsewhere,
}

/// plex.tv did not do its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlexTrouble {
    /// plex.tv could not be reached, timed out or failed (5xx): try again later.
    Unavailable,
    /// plex.tv refused its own token or answered something that is not its API.
    NotConfirmed,
}

/// What a visit of the callback came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlexOutcome<T> {
    /// Done: a session ([`PlexSignIn::finish_sign_in`]) or a linked account
    /// ([`PlexSignIn::finish_link`]).
    Done(T),
    /// The person has not approved the PIN yet; the ceremony is kept under a new id.
    Waiting(PlexStarted),
    /// plex.tv answered, and the answer is no.
    Refused(PlexRefusal),
    /// plex.tv failed.
    Trouble(PlexTrouble),
}

/// A Plex sign-in that opened a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexSession {
    /// The session to put in the cookie.
    pub session: NewSession,
    /// The local path to go to now.
    pub next: String,
}

/// What is kept between the start and the callback.
#[derive(Debug, Serialize, Deserialize)]
struct Kept {
    pin_id: u64,
    code: String,
    /// Our callback, given to plex.tv again when the person has to approve again.
    forward: String,
    /// Sign-in: where to go afterwards.
    #[serde(default)]
    next: String,
    /// Link: the user who started it.
    #[serde(default)]
    user: Option<i64>,
}

impl Kept {
    fn pin(&self) -> PlexPin {
        PlexPin {
            id: self.pin_id,
            code: self.code.clone(),
        }
    }
}

/// Sign in with Plex and link a Plex account; built when the operator turned it on.
#[derive(Debug, Clone)]
pub struct PlexSignIn {
    db: Db,
    plex: PlexTvClient,
    sessions: SessionService,
    users: UserService,
}

impl PlexSignIn {
    /// The use cases over plex.tv (`plex`) and the same sessions and users as the console.
    pub fn new(db: Db, plex: PlexTvClient, sessions: SessionService, users: UserService) -> Self {
        Self {
            db,
            plex,
            sessions,
            users,
        }
    }

    /// Starts a sign-in: a new PIN, kept with `next` (a local path the web layer checked);
    /// plex.tv sends the browser back to `forward`.
    pub async fn start_sign_in(
        &self,
        next: &str,
        forward: &str,
    ) -> CoreResult<Result<PlexStarted, PlexTrouble>> {
        self.start(SIGN_IN, next, None, forward).await
    }

    /// Starts linking a Plex account to the signed-in `actor`.
    pub async fn start_link(
        &self,
        actor: &Actor,
        forward: &str,
    ) -> CoreResult<Result<PlexStarted, PlexTrouble>> {
        let user = signed_in(actor)?;
        self.start(LINK, "", Some(user.0), forward).await
    }

    /// The browser came back from plex.tv: asks once whether the PIN kept under `flow` was
    /// approved, and if so opens a session for the user who linked that Plex account.
    pub async fn finish_sign_in(
        &self,
        flow: Option<&str>,
        client: &ClientInfo,
    ) -> CoreResult<PlexOutcome<PlexSession>> {
        let Some(kept) = self.take(SIGN_IN, flow).await? else {
            return Ok(PlexOutcome::Refused(PlexRefusal::Expired));
        };
        let account = match self.ask(SIGN_IN, &kept).await? {
            Ok(account) => account,
            Err(not_yet) => return Ok(not_yet),
        };
        let external_id = account.id.to_string();
        let found = users::read_by_identity(&self.db, Platform::Plex, &external_id).await?;
        let refusal = match found {
            Some(user) if !user.disabled => {
                let session = self.sessions.start(user.id, "plex", client).await?;
                let next = kept.next;
                return Ok(PlexOutcome::Done(PlexSession { session, next }));
            }
            Some(_) => PlexRefusal::Disabled,
            None => PlexRefusal::NotLinked,
        };
        self.audit_refusal(&account, refusal, client).await?;
        Ok(PlexOutcome::Refused(refusal))
    }

    /// The signed-in `actor` came back from plex.tv: links the Plex account that approved the
    /// PIN to them, once asked. Returns the Plex user name.
    pub async fn finish_link(
        &self,
        actor: &Actor,
        flow: Option<&str>,
    ) -> CoreResult<PlexOutcome<String>> {
        let me = signed_in(actor)?;
        let kept = self.take(LINK, flow).await?;
        // A ceremony another user started is as good as none (a link carried to another
        // browser must not join that browser's user).
        let Some(kept) = kept.filter(|k| k.user == Some(me.0)) else {
            return Ok(PlexOutcome::Refused(PlexRefusal::Expired));
        };
        let account = match self.ask(LINK, &kept).await? {
            Ok(account) => account,
            Err(not_yet) => return Ok(not_yet),
        };
        let linked = self.link(actor, me, &account).await;
        self.users.forget_callers();
        Ok(match linked {
            Ok(()) => PlexOutcome::Done(account.username),
            Err(CoreError::Conflict(_)) => PlexOutcome::Refused(PlexRefusal::LinkedElsewhere),
            Err(err) => return Err(err),
        })
    }

    async fn start(
        &self,
        kind: &str,
        next: &str,
        user: Option<i64>,
        forward: &str,
    ) -> CoreResult<Result<PlexStarted, PlexTrouble>> {
        let pin = match self.plex.create_pin().await {
            Ok(pin) => pin,
            Err(err) => return Ok(Err(trouble(&err))),
        };
        let kept = Kept {
            pin_id: pin.id,
            code: pin.code,
            forward: forward.to_owned(),
            next: next.to_owned(),
            user,
        };
        self.keep(kind, &kept).await.map(Ok)
    }

    /// Keeps the ceremony under a fresh id; the browser gets the id, plex.tv the code.
    async fn keep(&self, kind: &str, kept: &Kept) -> CoreResult<PlexStarted> {
        let state = serde_json::to_string(kept).map_err(|e| CoreError::Unexpected(e.into()))?;
        let flow = self.sessions.begin_flow(kind, &state).await?;
        let url = self.plex.auth_url(&kept.pin(), &kept.forward);
        Ok(PlexStarted { flow, url })
    }

    /// Takes the ceremony back, once; an unreadable one counts as none.
    async fn take(&self, kind: &str, flow: Option<&str>) -> CoreResult<Option<Kept>> {
        let Some(flow) = flow else {
            return Ok(None);
        };
        let state = self.sessions.take_flow(kind, flow).await?;
        Ok(state.and_then(|s| serde_json::from_str(&s).ok()))
    }

    /// Asks plex.tv once about the kept PIN: the account that approved it, or the outcome to
    /// show instead (waiting, kept again under a new id; expired; plex.tv failing).
    async fn ask<T>(
        &self,
        kind: &str,
        kept: &Kept,
    ) -> CoreResult<Result<PlexAccount, PlexOutcome<T>>> {
        match self.plex.account(&kept.pin()).await {
            Ok(Some(account)) => Ok(Ok(account)),
            Ok(None) => Ok(Err(PlexOutcome::Waiting(self.keep(kind, kept).await?))),
            Err(UpstreamError::NotFound) => Ok(Err(PlexOutcome::Refused(PlexRefusal::Expired))),
            Err(err) => Ok(Err(PlexOutcome::Trouble(trouble(&err)))),
        }
    }

    /// Joins the Plex account to `me` (again is fine); another user's is a conflict.
    async fn link(&self, actor: &Actor, me: UserId, account: &PlexAccount) -> CoreResult<()> {
        let now = Timestamp::now();
        let external_id = account.id.to_string();
        Identity::validate_external_id(Platform::Plex, &external_id)?;
        in_tx(&self.db, |tx| {
            Box::pin(async {
                match users::find_by_identity(tx, Platform::Plex, &external_id).await? {
                    Some(owner) if owner.id == me => return Ok(()),
                    Some(_) => return Err(CoreError::Conflict("plex account taken".into())),
                    None => {}
                }
                let identity = Identity {
                    user_id: me,
                    platform: Platform::Plex,
                    external_id: external_id.clone(),
                    display: display_of(account),
                };
                users::insert_identity(tx, &identity, now).await?;
                let details = json!({
                    "platform": Platform::Plex,
                    "external_id": external_id,
                    "display": identity.display,
                });
                let target = format!("user:{me}");
                let action = AuditAction::IdentityLinked;
                audit::record(tx, actor, action, &target, &details, now).await
            })
        })
        .await
    }

    /// One audit row for a refused sign-in: which Plex account, and why.
    async fn audit_refusal(
        &self,
        account: &PlexAccount,
        refusal: PlexRefusal,
        client: &ClientInfo,
    ) -> CoreResult<()> {
        tracing::info!(plex_user = account.id, ?refusal, "Plex sign-in refused");
        let now = Timestamp::now();
        let actor = Actor {
            user: None,
            source: web_source(client),
        };
        let reason = match refusal {
            PlexRefusal::Disabled => "disabled",
            _ => "not_linked",
        };
        let details = json!({ "via": "plex", "reason": reason, "display": display_of(account) });
        let target = format!("plex:{}", account.id);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let action = AuditAction::SignInRefused;
                audit::record(tx, &actor, action, &target, &details, now).await
            })
        })
        .await
    }
}

/// The user behind a console actor.
fn signed_in(actor: &Actor) -> CoreResult<UserId> {
    actor
        .user
        .ok_or_else(|| CoreError::Forbidden("only a signed-in user links a Plex account".into()))
}

/// The name to show for a Plex account: its user name, else its id.
fn display_of(account: &PlexAccount) -> String {
    let name: String = account.username.trim().chars().take(100).collect();
    if name.is_empty() {
        account.id.to_string()
    } else {
        name
    }
}

/// What a failed plex.tv call means for the person.
fn trouble(err: &UpstreamError) -> PlexTrouble {
    tracing::warn!(error = %err, "plex.tv call failed");
    if err.is_transient() {
        PlexTrouble::Unavailable
    } else {
        PlexTrouble::NotConfirmed
    }
}
