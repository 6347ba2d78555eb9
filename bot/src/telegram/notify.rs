//! The Telegram notifier: drains only Telegram's deliveries (`notify.telegram`, written by
//! core's fan-out, see [`usher_core::notify`]), one recipient per row. An approver card goes to
//! the admin chat in the approvers' language; a status change becomes a DM in the recipient's.
//! A row is completed only once delivered, so a crash or an outage delays messages instead of
//! losing them, and a failed DM is retried alone. Messages wait their turn in the send queue
//! ([`super::send`]), which also waits out 429s. Deliveries to different chats go out side by
//! side (core's [`drain_once`] runs one lane per recipient), so a DM is never held behind a
//! burst of approver cards paced at one every 3 s in the admin group.

use std::sync::Arc;

use teloxide::prelude::*;
use usher_core::CoreError;
use usher_core::domain::{Actor, Platform, RequestId, RequestStatus, SecurityAlert, UserId};
use usher_core::notify::{Delivery, DeliveryError, RetryPolicy, drain_once};

use super::context::{Context, classify, core_failure, name_of};
use super::destination::send_or_general;
use super::{Destination, HandlerError, issue, render};

/// Delivers notifications to Telegram; see the module docs.
#[derive(Debug, Clone)]
pub struct Notifier {
    bot: Bot,
    ctx: Arc<Context>,
    policy: RetryPolicy,
}

impl Notifier {
    pub(super) fn new(bot: Bot, ctx: Arc<Context>) -> Self {
        Self {
            bot,
            ctx,
            policy: RetryPolicy::default(),
        }
    }

    /// Runs until the task is aborted: woken by each commit that queues a Telegram delivery
    /// and by the due time of a retry (core's `jobs::pace`), never polling.
    pub async fn run(self) {
        let db = self.ctx.services.db.clone();
        let topic = usher_core::notify::topic(Platform::Telegram);
        let batch = self.policy.batch as usize;
        let forever = std::future::pending::<()>();
        usher_core::jobs::pace::drive(&db, &topic, batch, forever, || self.round()).await;
    }

    /// Delivers one batch of Telegram's rows; returns how many it took.
    pub async fn round(&self) -> Result<usize, HandlerError> {
        let db = &self.ctx.services.db;
        let taken = drain_once(db, Platform::Telegram, &self.policy, |d| self.deliver(d)).await?;
        Ok(taken)
    }

    async fn deliver(&self, delivery: Delivery) -> Result<(), DeliveryError> {
        match delivery {
            Delivery::ApproverCard { request_id } => {
                self.card(request_id, RequestStatus::Pending).await
            }
            Delivery::FailedCard { request_id } => {
                self.card(request_id, RequestStatus::Failed).await
            }
            // Telegram has no announce chat; the fan-out writes none for it.
            Delivery::Announcement { .. } => Ok(()),
            Delivery::Status {
                request_id,
                status,
                user,
                chat,
            } => self.dm(request_id, status, user, &chat).await,
            Delivery::IssueCard { issue_id } => {
                issue::post_card(&self.bot, &self.ctx, issue_id).await
            }
            Delivery::IssueResolved {
                issue_id,
                user,
                chat,
            } => issue::dm(&self.bot, &self.ctx, issue_id, user, &chat).await,
            Delivery::SecurityAlert { alert } => self.alert(&alert).await,
        }
    }

    /// A security alert in the admin chat (its topic, when one is set), in the approvers'
    /// language; nothing when no admin chat is configured (the agents still hear it).
    async fn alert(&self, alert: &SecurityAlert) -> Result<(), DeliveryError> {
        let ctx = &self.ctx;
        let Some(admin) = ctx.admin() else {
            return Ok(());
        };
        let lang = ctx
            .approvers_language()
            .await
            .map_err(|e| core_failure(&e))?;
        let text = crate::view::security_text(&ctx.catalog, &lang, alert);
        send_or_general(&ctx.out, admin, |to| to.message(&self.bot, text.clone()))
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// The approver card in the admin chat (in its topic, when one is set), if one is
    /// configured and the request is still `wanted`: a pending one with Approve / Decline, a
    /// failed one with the upstream's answer (core keeps it with the request) and Retry /
    /// Decline.
    async fn card(&self, id: RequestId, wanted: RequestStatus) -> Result<(), DeliveryError> {
        let ctx = &self.ctx;
        let Some(admin) = ctx.admin() else {
            return Ok(());
        };
        let request = match ctx.services.requests.get(&Actor::system(), id).await {
            Ok(request) => request,
            Err(CoreError::NotFound(_)) => return Ok(()),
            Err(err) => return Err(core_failure(&err)),
        };
        if request.status != wanted {
            return Ok(());
        }
        let lang = ctx
            .approvers_language()
            .await
            .map_err(|e| core_failure(&e))?;
        let who = name_of(ctx, request.requested_by).await;
        let text = render::approver_card(&ctx.catalog, &lang, &request, &who);
        let keyboard = match wanted {
            RequestStatus::Failed => {
                render::failed_keyboard(&ctx.catalog, &lang, &ctx.codec, request.id.0)
            }
            _ => render::approver_keyboard(&ctx.catalog, &lang, &ctx.codec, request.id.0),
        };
        let card = |to: Destination| {
            to.message(&self.bot, text.clone())
                .reply_markup(keyboard.clone())
        };
        send_or_general(&ctx.out, admin, card)
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// A DM to one person (their private chat id is their Telegram user id) saying what the
    /// request became, in their language.
    async fn dm(
        &self,
        id: RequestId,
        status: RequestStatus,
        user: UserId,
        chat: &str,
    ) -> Result<(), DeliveryError> {
        let ctx = &self.ctx;
        let Ok(chat) = chat.parse::<i64>() else {
            return Err(DeliveryError::Refused(format!("{chat:?} is not a chat id")));
        };
        let mut request = match ctx.services.requests.get(&Actor::system(), id).await {
            Ok(request) => request,
            Err(CoreError::NotFound(_)) => return Ok(()),
            Err(err) => return Err(core_failure(&err)),
        };
        // Say what happened then, even if the request has moved on since.
        request.status = status;
        let known = ctx
            .services
            .users
            .language_on(user, Platform::Telegram)
            .await
            .map_err(|e| core_failure(&e))?;
        let lang = ctx.catalog.negotiate(known.as_deref()).to_owned();
        let text = render::status_dm(&ctx.catalog, &lang, &request);
        ctx.out
            .send(self.bot.send_message(ChatId(chat), text))
            .await
            .map_err(classify)?;
        Ok(())
    }
}
