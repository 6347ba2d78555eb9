//! The Telegram notifier: drains core's `notify` outbox topic. A new pending request becomes an
//! approver card in the admin chat; a status change becomes a DM to a requester who has a
//! Telegram identity. Rows are completed only once delivered, so a crash or a Telegram outage
//! delays messages instead of losing them; 429s are waited out in [`super::send`].

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use usher_core::domain::{Actor, Platform, Request, RequestStatus, Source, Timestamp, UserId};
use usher_core::service::events::{Notification, TOPIC_NOTIFY};
use usher_core::store::{outbox, requests};

use super::handlers::requester_name;
use super::{Context, HandlerError, render, send};

/// Rows taken per round.
const BATCH: u32 = 20;
/// How long a claimed row stays ours before another worker may take it.
const LEASE: Duration = Duration::from_secs(120);
/// Wait before retrying a row whose delivery failed.
const BACKOFF: Duration = Duration::from_secs(30);
/// Pause between rounds when the queue is empty.
const IDLE: Duration = Duration::from_millis(500);

/// Delivers notifications to Telegram; see the module docs.
#[derive(Debug, Clone)]
pub struct Notifier {
    bot: Bot,
    ctx: Arc<Context>,
}

impl Notifier {
    pub(super) fn new(bot: Bot, ctx: Arc<Context>) -> Self {
        Self { bot, ctx }
    }

    /// Runs until the task is aborted.
    pub async fn run(self) {
        loop {
            match self.round().await {
                Ok(0) => tokio::time::sleep(IDLE).await,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "telegram notifier round failed");
                    tokio::time::sleep(BACKOFF).await;
                }
            }
        }
    }

    /// Delivers one batch; returns how many rows it took.
    pub async fn round(&self) -> Result<usize, HandlerError> {
        let db = &self.ctx.services.db;
        let rows = outbox::claim(db, TOPIC_NOTIFY, BATCH, LEASE, Timestamp::now()).await?;
        for row in &rows {
            let delivered = match serde_json::from_str::<Notification>(&row.payload) {
                Ok(event) => self.deliver(&event).await,
                Err(error) => {
                    tracing::warn!(%error, id = row.id, "unreadable notification dropped");
                    Ok(())
                }
            };
            match delivered {
                Ok(()) => outbox::complete(db, row.id, Timestamp::now()).await?,
                Err(error) => {
                    tracing::warn!(%error, id = row.id, "notification not delivered; will retry");
                    let message = error.to_string();
                    outbox::retry_later(db, row.id, &message, BACKOFF, Timestamp::now()).await?;
                }
            }
        }
        Ok(rows.len())
    }

    async fn deliver(&self, event: &Notification) -> Result<(), HandlerError> {
        let system = Actor {
            user: None,
            source: Source::System,
        };
        let ctx = &self.ctx;
        let lang = ctx.catalog.negotiate(None).to_owned();
        match event {
            Notification::RequestPending { request_id } => {
                let Some(chat) = ctx.admin_chat else {
                    return Ok(());
                };
                let request = ctx.services.requests.get(&system, *request_id).await?;
                if request.status != RequestStatus::Pending {
                    return Ok(());
                }
                let who = requester_name(ctx, request.requested_by).await;
                let text = render::approver_card(&ctx.catalog, &lang, &request, &who);
                let keyboard =
                    render::approver_keyboard(&ctx.catalog, &lang, &ctx.codec, request.id.0);
                send::send(&self.bot.send_message(chat, text).reply_markup(keyboard)).await?;
            }
            Notification::RequestStatusChanged {
                request_id, status, ..
            } => {
                if *status == RequestStatus::Pending {
                    return Ok(());
                }
                let request = ctx.services.requests.get(&system, *request_id).await?;
                self.tell_requester(&request).await?;
            }
        }
        Ok(())
    }

    /// DMs the requester (and, once it is in the library, everyone following the request) who
    /// has a Telegram identity; their private chat id is their Telegram user id. Anyone else is
    /// left to the other front ends.
    async fn tell_requester(&self, request: &Request) -> Result<(), HandlerError> {
        let mut recipients = vec![request.requested_by];
        if matches!(
            request.status,
            RequestStatus::Available | RequestStatus::PartiallyAvailable
        ) {
            recipients.extend(requests::followers(&self.ctx.services.db, request.id).await?);
        }
        for user in recipients {
            self.tell(user, request).await?;
        }
        Ok(())
    }

    async fn tell(&self, user: UserId, request: &Request) -> Result<(), HandlerError> {
        let ctx = &self.ctx;
        let (user, identities) = ctx.services.users.get(user).await?;
        let Some(chat) = identities
            .iter()
            .filter(|i| i.platform == Platform::Telegram)
            .find_map(|i| i.external_id.parse::<i64>().ok())
        else {
            return Ok(());
        };
        let lang = ctx.catalog.negotiate(user.locale.as_deref()).to_owned();
        let text = render::status_dm(&ctx.catalog, &lang, request);
        send::send(&self.bot.send_message(ChatId(chat), text)).await?;
        Ok(())
    }
}
