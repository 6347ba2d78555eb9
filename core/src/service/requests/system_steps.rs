//! The steps Usher takes on a request itself (admin rights, no person behind them): placed
//! upstream, failed upstream, available in the library. Each is one transaction that loads the
//! request, moves it and writes its audit and outbox rows, optionally closing the outbox row
//! that asked for it.

use serde_json::json;

use super::{RequestService, Step, load, transition};
use crate::domain::{
    Actor, AuditAction, Permission, Request, RequestId, RequestStatus, Timestamp, UpstreamFailure,
    UpstreamRef,
};
use crate::error::CoreResult;
use crate::service::authz;
use crate::store::requests::StatusChange;
use crate::store::{in_tx, outbox};

impl RequestService {
    /// Radarr/Sonarr accepted the request (called by the submission worker).
    pub async fn mark_submitted(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        self.system_step(actor, Known::Id(id), submitted(None), None)
            .await
    }

    /// [`RequestService::mark_submitted`], recording where Radarr/Sonarr keeps the title and
    /// closing the outbox row that asked for the
    /// submission in the same transaction: the worker's whole write for a placed request.
    /// `read` is the request as the worker read it before placing it: its status guards the
    /// update, so the transaction reads nothing again. Nothing is closed when the request moved
    /// meanwhile (the error says so).
    pub async fn mark_submitted_closing(
        &self,
        actor: &Actor,
        read: Request,
        upstream: &UpstreamRef,
        outbox_row: i64,
    ) -> CoreResult<Request> {
        let step = submitted(Some(upstream));
        let known = Known::Read(Box::new(read));
        self.system_step(actor, known, step, Some(outbox_row)).await
    }

    /// The upstream kept failing: the request becomes Failed, kept and visible to admins, with
    /// the upstream's own answer to the last attempt when there was one.
    pub async fn mark_failed(
        &self,
        actor: &Actor,
        id: RequestId,
        error: &str,
        failure: Option<&UpstreamFailure>,
    ) -> CoreResult<Request> {
        let step = || Step {
            to: RequestStatus::Failed,
            action: AuditAction::RequestFailed,
            change: StatusChange {
                last_error: Some(error),
                failure,
                bump_retry: true,
                ..StatusChange::default()
            },
            details: json!({ "error": error }),
        };
        self.system_step(actor, Known::Id(id), step, None).await
    }

    /// The library now holds part (`full == false`) or all of the request.
    pub async fn mark_available(
        &self,
        actor: &Actor,
        id: RequestId,
        full: bool,
    ) -> CoreResult<Request> {
        let to = if full {
            RequestStatus::Available
        } else {
            RequestStatus::PartiallyAvailable
        };
        let step = || Step {
            to,
            action: AuditAction::RequestAvailability,
            change: StatusChange::default(),
            details: json!({ "full": full }),
        };
        self.system_step(actor, Known::Id(id), step, None).await
    }

    /// A step Usher takes itself (admin rights), closing `closes` (an outbox row) with it.
    async fn system_step<'a>(
        &self,
        actor: &Actor,
        known: Known,
        step: impl Fn() -> Step<'a> + Sync,
        closes: Option<i64>,
    ) -> CoreResult<Request> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let request = match &known {
                    Known::Id(id) => load(tx, *id).await?,
                    Known::Read(read) => (**read).clone(),
                };
                let moved = transition(tx, actor, request, step()).await?;
                if let Some(row) = closes {
                    outbox::close_in(tx, row, Timestamp::now()).await?;
                }
                Ok(moved)
            })
        })
        .await
    }
}

/// The request a system step moves: by id (read in its transaction), or as its caller already
/// read it (the status update is guarded by the status read, so a request that moved meanwhile
/// is refused all the same, and one statement fewer runs).
enum Known {
    Id(RequestId),
    Read(Box<Request>),
}

/// The step to Submitted, with where Radarr/Sonarr keeps the title when known.
fn submitted<'a>(upstream: Option<&'a UpstreamRef>) -> impl Fn() -> Step<'a> + Sync + 'a {
    move || Step {
        to: RequestStatus::Submitted,
        action: AuditAction::RequestSubmitted,
        change: StatusChange {
            last_error: Some(""),
            upstream,
            ..StatusChange::default()
        },
        details: json!({}),
    }
}
