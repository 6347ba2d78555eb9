//! Step 2 of [`crate::notify`]: `notify` events become per-recipient, per-platform deliveries.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use super::agents::{AgentDelivery, TOPIC_AGENT, for_event};
use super::{Delivery, route, topic};
use crate::domain::{IssueStatus, Platform, Request, RequestStatus, Timestamp, UserId};
use crate::error::CoreResult;
use crate::service::events::{Notification, TOPIC_NOTIFY};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{Db, Tx, agents, chat, in_tx, issues, requests, users};

/// How the fan-out paces itself.
#[derive(Debug, Clone)]
pub struct FanoutOptions {
    /// How long a claimed event is ours before another replica may take it.
    pub lease: Duration,
    /// Events claimed at once.
    pub batch: u32,
}

impl Default for FanoutOptions {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(60),
            batch: 50,
        }
    }
}

/// Expands `notify` events into deliveries for the chat platforms this process runs, and for
/// every notification agent subscribed to them.
#[derive(Debug, Clone)]
pub struct Fanout {
    db: Db,
    platforms: Vec<Platform>,
    /// The platforms (of `platforms`) that announce new requests publicly.
    announcing: Vec<Platform>,
    options: FanoutOptions,
}

impl Fanout {
    /// A fan-out to `platforms` (the chat front ends that run; the others get nothing, so no
    /// delivery waits forever for a notifier that does not exist).
    pub fn new(db: Db, platforms: Vec<Platform>, options: FanoutOptions) -> Self {
        Self {
            db,
            platforms,
            announcing: Vec::new(),
            options,
        }
    }

    /// Also announces each new request on `platforms` (those that have an announce channel
    /// set); only the ones that run here count.
    #[must_use]
    pub fn with_announcements(mut self, platforms: Vec<Platform>) -> Self {
        self.announcing = platforms
            .into_iter()
            .filter(|p| self.platforms.contains(p))
            .collect();
        self
    }

    /// Expands the due events once; returns how many were claimed. An event whose expansion
    /// hit a database error stays claimed and comes back when its lease ends.
    pub async fn try_run_once(&self) -> CoreResult<usize> {
        let now = Timestamp::now();
        let rows = outbox::claim(
            &self.db,
            TOPIC_NOTIFY,
            self.options.batch,
            self.options.lease,
            now,
        )
        .await?;
        for row in &rows {
            if let Err(err) = self.expand(row).await {
                tracing::warn!(outbox_id = row.id, error = %err, "notification left for a later fan-out");
            }
        }
        Ok(rows.len())
    }

    /// Expands until `shutdown` completes, woken by each commit that writes an event
    /// ([`crate::jobs::pace`]).
    ///
    /// A process that runs no chat platform leaves events in the outbox for one that does,
    /// until a notification agent exists: from then on it expands them too (the agents hear
    /// them; the chats of a process that runs none get nothing). It waits for the first agent
    /// without polling: an agent added here wakes it, one added by another process is seen
    /// within the backstop.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        if self.platforms.is_empty() && !self.an_agent_exists(&mut shutdown).await {
            return;
        }
        let batch = self.options.batch as usize;
        crate::jobs::pace::drive(&self.db, TOPIC_NOTIFY, batch, shutdown, || {
            self.try_run_once()
        })
        .await;
    }

    /// Waits until an agent exists (`true`) or `shutdown` completes (`false`).
    async fn an_agent_exists(
        &self,
        shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>,
    ) -> bool {
        let mut wake = self.db.subscribe(TOPIC_AGENT);
        loop {
            wake.borrow_and_update();
            match agents::any(&self.db).await {
                Ok(true) => return true,
                Ok(false) => {}
                Err(err) => tracing::warn!(error = %err, "could not read the notification agents"),
            }
            tokio::select! {
                biased;
                () = shutdown.as_mut() => return false,
                _ = wake.changed() => {}
                () = tokio::time::sleep(crate::jobs::pace::BACKSTOP) => {}
            }
        }
    }

    /// Closes the event and writes its deliveries in one transaction.
    async fn expand(&self, row: &OutboxRow) -> CoreResult<()> {
        let event = match serde_json::from_str::<Notification>(&row.payload) {
            Ok(event) => Some(event),
            Err(err) => {
                tracing::warn!(outbox_id = row.id, error = %err, "unreadable notification dropped");
                None
            }
        };
        let now = Timestamp::now();
        let (platforms, announcing) = (&self.platforms, &self.announcing);
        in_tx(&self.db, |tx| {
            Box::pin(async {
                if !outbox::close_in(tx, row.id, now).await? {
                    return Ok(());
                }
                let Some(event) = &event else { return Ok(()) };
                let deliveries = match event {
                    Notification::RequestCreated { request_id } => announcing
                        .iter()
                        .map(|p| {
                            (
                                *p,
                                Delivery::Announcement {
                                    request_id: *request_id,
                                },
                            )
                        })
                        .collect(),
                    _ => deliveries(tx, event, platforms).await?,
                };
                tracing::debug!(
                    outbox_id = row.id,
                    count = deliveries.len(),
                    "notification fanned out"
                );
                // Every delivery, the chats' and the agents', in one insert.
                let mut queued = Vec::with_capacity(deliveries.len());
                for (platform, delivery) in deliveries {
                    let payload = serde_json::to_value(&delivery).map_err(anyhow::Error::from)?;
                    queued.push((topic(platform), payload));
                }
                for payload in agent_deliveries(tx, event, now).await? {
                    queued.push((TOPIC_AGENT.to_owned(), payload));
                }
                let rows: Vec<(&str, &serde_json::Value)> =
                    queued.iter().map(|(t, p)| (t.as_str(), p)).collect();
                outbox::enqueue_all(tx, &rows, now).await
            })
        })
        .await
    }
}

/// One delivery per agent subscribed to what `event` stands for (none when no agent is
/// configured: one read, no snapshot).
async fn agent_deliveries(
    tx: &mut Tx,
    event: &Notification,
    now: Timestamp,
) -> CoreResult<Vec<serde_json::Value>> {
    let all = agents::list_in(tx).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let Some(message) = for_event(tx, event, now).await? else {
        return Ok(Vec::new());
    };
    all.iter()
        .filter(|a| a.summary.hears(message.event))
        .map(|a| {
            let delivery = AgentDelivery {
                agent: a.summary.id,
                message: message.clone(),
            };
            serde_json::to_value(&delivery).map_err(|e| anyhow::Error::from(e).into())
        })
        .collect()
}

/// What one event means for each running platform.
async fn deliveries(
    tx: &mut Tx,
    event: &Notification,
    platforms: &[Platform],
) -> CoreResult<Vec<(Platform, Delivery)>> {
    match event {
        Notification::RequestPending { request_id } => {
            let pending = requests::get(tx, *request_id)
                .await?
                .is_some_and(|r| r.status == RequestStatus::Pending);
            Ok(if pending {
                platforms
                    .iter()
                    .map(|p| {
                        let card = Delivery::ApproverCard {
                            request_id: *request_id,
                        };
                        (*p, card)
                    })
                    .collect()
            } else {
                Vec::new()
            })
        }
        Notification::RequestCreated { .. } => Ok(Vec::new()),
        Notification::SecurityAlert { alert } => Ok(platforms
            .iter()
            .map(|p| {
                let delivery = Delivery::SecurityAlert {
                    alert: alert.clone(),
                };
                (*p, delivery)
            })
            .collect()),
        Notification::RequestStatusChanged {
            request_id,
            status,
            actor,
        } => {
            // Pending has its approver card; Submitted is Usher's own step after an approval
            // that already told the requester the title is on its way: one notice per event.
            if matches!(status, RequestStatus::Pending | RequestStatus::Submitted) {
                return Ok(Vec::new());
            }
            let Some(request) = requests::get(tx, *request_id).await? else {
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            if *status == RequestStatus::Failed {
                // The people who can fix it read what the upstream answered, in their chats.
                let card = Delivery::FailedCard {
                    request_id: request.id,
                };
                out.extend(platforms.iter().map(|p| (*p, card.clone())));
            }
            for (user, preferred) in recipients(tx, &request, *status, *actor).await? {
                let identities = users::identities_of(tx, user).await?;
                if let Some(account) = route::reach(&identities, preferred, platforms) {
                    let delivery = Delivery::Status {
                        request_id: request.id,
                        status: *status,
                        user,
                        chat: account.external_id.clone(),
                    };
                    out.push((account.platform, delivery));
                }
            }
            Ok(out)
        }
        Notification::IssueReported { issue_id } => {
            let open = issues::get(tx, *issue_id)
                .await?
                .is_some_and(|i| i.status == IssueStatus::Open);
            let card = Delivery::IssueCard {
                issue_id: *issue_id,
            };
            Ok(if open {
                platforms.iter().map(|p| (*p, card.clone())).collect()
            } else {
                Vec::new()
            })
        }
        Notification::IssueResolved { issue_id, actor } => {
            let Some(issue) = issues::get(tx, *issue_id).await? else {
                return Ok(Vec::new());
            };
            if Some(issue.reported_by) == *actor {
                return Ok(Vec::new());
            }
            let identities = users::identities_of(tx, issue.reported_by).await?;
            Ok(route::reach(&identities, Some(issue.source), platforms)
                .map(|account| {
                    let delivery = Delivery::IssueResolved {
                        issue_id: issue.id,
                        user: issue.reported_by,
                        chat: account.external_id.clone(),
                    };
                    (account.platform, delivery)
                })
                .into_iter()
                .collect())
        }
    }
}

/// Who hears of a status change, each once, with the platform they would rather hear it on:
/// the requester (where they asked), and the followers (where they followed) once the title is
/// there or will not come. Nobody is told of their own action.
async fn recipients(
    tx: &mut Tx,
    request: &Request,
    status: RequestStatus,
    actor: Option<UserId>,
) -> CoreResult<Vec<(UserId, Option<Platform>)>> {
    let mut all = vec![(request.requested_by, Some(request.source))];
    let followers_care = matches!(
        status,
        RequestStatus::Available | RequestStatus::PartiallyAvailable | RequestStatus::Declined
    );
    if followers_care {
        all.extend(chat::followers_with_source(tx, request.id).await?);
    }
    let mut seen = BTreeSet::new();
    all.retain(|(user, _)| Some(*user) != actor && seen.insert(*user));
    Ok(all)
}
