//! The Discord notifier: drains only Discord's deliveries (`notify.discord`, written by core's
//! fan-out, see [`usher_core::notify`]), one recipient per row, over REST. An approver card is
//! posted in the admin channel in the approvers' language (whatever platform the request came
//! from), and so is the card of a request that failed, with the upstream's answer; a status change becomes a DM in the recipient's; a new request is announced in the
//! public announce channel when one is set (`USHER_DISCORD_ANNOUNCE_CHANNEL_ID`). A failed row is retried alone. A
//! member who does not accept DMs (Discord's error 50007) is mentioned with the notice in the
//! DM fallback channel when one is set (`USHER_DISCORD_DM_FALLBACK_CHANNEL_ID`), else the
//! notice is logged and dropped — retrying would not open their DMs.

use serenity::builder::{CreateAllowedMentions, CreateMessage};
use serenity::model::id::UserId as DiscordUserId;
use usher_core::CoreError;
use usher_core::domain::{
    Actor, IssueId, MediaType, Platform, Request, RequestId, RequestStatus, SecurityAlert, TmdbId,
    UserId,
};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::notify::{Delivery, DeliveryError, RetryPolicy, drain_once};

use super::context::{DiscordBot, classify};
use super::render::{self, TitleView};
use super::{announce, issue};
use crate::callback::Action;
use crate::flows::search;

/// Delivers notifications to Discord; see the module docs.
#[derive(Debug, Clone)]
pub struct Notifier {
    bot: DiscordBot,
    policy: RetryPolicy,
    dm_fallback: Option<u64>,
    announce_channel: Option<u64>,
}

impl Notifier {
    pub(super) fn new(bot: DiscordBot) -> Self {
        Self {
            bot,
            policy: RetryPolicy::default(),
            dm_fallback: None,
            announce_channel: None,
        }
    }

    /// Announces each new request publicly in `channel` (None: no announcements).
    #[must_use]
    pub fn with_announce_channel(mut self, channel: Option<u64>) -> Self {
        self.announce_channel = channel;
        self
    }

    /// Mentions members who do not accept DMs in `channel` instead (None: log and go on).
    #[must_use]
    pub fn with_dm_fallback(mut self, channel: Option<u64>) -> Self {
        self.dm_fallback = channel;
        self
    }

    /// Runs until the task is aborted: woken by each commit that queues a Discord delivery
    /// and by the due time of a retry (core's `jobs::pace`), never polling.
    pub async fn run(self) {
        let db = self.bot.services().db.clone();
        let topic = usher_core::notify::topic(Platform::Discord);
        let batch = self.policy.batch as usize;
        let forever = std::future::pending::<()>();
        usher_core::jobs::pace::drive(&db, &topic, batch, forever, || self.round()).await;
    }

    /// Delivers one batch of Discord's rows; returns how many it took.
    ///
    /// # Errors
    ///
    /// When the database cannot be reached.
    pub async fn round(&self) -> Result<usize, CoreError> {
        let db = &self.bot.services().db;
        drain_once(db, Platform::Discord, &self.policy, |d| self.deliver(d)).await
    }

    async fn deliver(&self, delivery: Delivery) -> Result<(), DeliveryError> {
        match delivery {
            Delivery::ApproverCard { request_id } => self.card(request_id).await,
            Delivery::FailedCard { request_id } => self.failed_card(request_id).await,
            Delivery::Announcement { request_id } => self.announce(request_id).await,
            Delivery::Status {
                request_id,
                status,
                user,
                chat,
            } => self.dm(request_id, status, user, &chat).await,
            Delivery::IssueCard { issue_id } => issue::post_card(&self.bot, issue_id).await,
            Delivery::IssueResolved {
                issue_id,
                user,
                chat,
            } => self.issue_resolved(issue_id, user, &chat).await,
            Delivery::SecurityAlert { alert } => self.alert(&alert).await,
        }
    }

    /// A security alert in the admin channel, in the approvers' language; names in it never
    /// ping anyone.
    async fn alert(&self, alert: &SecurityAlert) -> Result<(), DeliveryError> {
        let lang = self.approvers_language().await?;
        let text = crate::view::security_text(self.bot.catalog(), &lang, alert);
        let message = CreateMessage::new()
            .content(render::clip(&text, render::MAX_CONTENT))
            .allowed_mentions(CreateAllowedMentions::new());
        self.bot
            .rest()
            .post_to_admin_channel(&message)
            .await
            .map_err(classify)
    }

    /// The request as it is now, or `None` when it is gone (nothing to say then).
    async fn request(&self, id: RequestId) -> Result<Option<Request>, DeliveryError> {
        match self.bot.services().requests.get(&Actor::system(), id).await {
            Ok(request) => Ok(Some(request)),
            Err(CoreError::NotFound(_)) => Ok(None),
            Err(err) => Err(DeliveryError::Transient(err.to_string())),
        }
    }

    /// The approver card in the admin channel, while the request still waits.
    async fn card(&self, id: RequestId) -> Result<(), DeliveryError> {
        let Some(request) = self.request(id).await? else {
            return Ok(());
        };
        if request.status != RequestStatus::Pending {
            return Ok(());
        }
        let lang = self.approvers_language().await?;
        let who = self.requester_name(&request).await;
        let view = self.view(&request).await;
        let message = approver_message(&self.bot, &lang, &view, &request, &who);
        self.bot
            .rest()
            .post_to_admin_channel(&message)
            .await
            .map_err(classify)
    }

    /// The card of a request that failed, in the admin channel, while it is still failed:
    /// what the upstream answered to the last attempt and the circuit breaker, as core keeps
    /// them with the request, with Retry / Decline.
    async fn failed_card(&self, id: RequestId) -> Result<(), DeliveryError> {
        let Some(request) = self.request(id).await? else {
            return Ok(());
        };
        let Some(failure) = request.failure.as_ref() else {
            return Ok(());
        };
        if request.status != RequestStatus::Failed {
            return Ok(());
        }
        let lang = self.approvers_language().await?;
        let who = self.requester_name(&request).await;
        let view = self.view(&request).await;
        let catalog = self.bot.catalog();
        let said = crate::view::failure_text(
            catalog,
            &lang,
            failure,
            render::MAX_FAILURE_MESSAGE,
            render::fit_markdown,
        );
        let titles = (
            self.bot.text(&lang, "bot-failure-answer-title", &[]),
            self.bot.text(&lang, "bot-failure-breaker-title", &[]),
        );
        let args = [
            ("id", request.id.to_string()),
            // Footers show no markdown: the name goes in as it is.
            ("who", who),
            ("count", failure.attempts.to_string()),
        ];
        let footer = self.bot.text(&lang, "discord-card-failed", &args);
        let codec = self.bot.codec();
        let request_id = request.id.0;
        let (embed, rows) = render::failed_card(
            &view,
            [(&titles.0, &said.answer), (&titles.1, &said.breaker)],
            &footer,
            (
                codec.encode(&Action::Retry { request_id }),
                &self.bot.text(&lang, "discord-button-retry", &[]),
            ),
            (
                codec.encode(&Action::Decline { request_id }),
                &self.bot.text(&lang, "discord-button-decline", &[]),
            ),
        );
        let message = CreateMessage::new().embed(embed).components(rows);
        self.bot
            .rest()
            .post_to_admin_channel(&message)
            .await
            .map_err(classify)
    }

    /// The public "X requested Y" post in the announce channel, in the approvers' language
    /// (the server's, as far as Usher knows it). Mentions in a name never ping anyone.
    async fn announce(&self, id: RequestId) -> Result<(), DeliveryError> {
        let Some(channel) = self.announce_channel else {
            return Ok(());
        };
        let Some(request) = self.request(id).await? else {
            return Ok(());
        };
        let lang = self.approvers_language().await?;
        let who = self.requester_name(&request).await;
        let view = self.view(&request).await;
        let message = announce::message(&self.bot, &lang, &view, &who);
        self.bot
            .rest()
            .post_to_channel(channel, &message)
            .await
            .map_err(classify)
    }

    /// The approvers' language, as far as Usher knows it (the server's, for announcements).
    async fn approvers_language(&self) -> Result<String, DeliveryError> {
        let known = self
            .bot
            .services()
            .users
            .approvers_language(Platform::Discord)
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?;
        Ok(self.bot.catalog().negotiate(known.as_deref()).to_owned())
    }

    /// The requester's display name, or their user number when it cannot be read.
    async fn requester_name(&self, request: &Request) -> String {
        match self.bot.services().users.get(request.requested_by).await {
            Ok((user, _)) => user.display_name,
            Err(_) => format!("#{}", request.requested_by),
        }
    }

    /// The title as a card shows it: TMDB's details (cached) with poster and overview, or just
    /// what the request holds when TMDB is off or away — the card matters more than the poster.
    async fn view(&self, request: &Request) -> TitleView {
        let plain = TitleView {
            title: request.media.title.clone(),
            year: request.media.year,
            overview: String::new(),
            poster_url: None,
        };
        let Some(tmdb) = self.bot.tmdb() else {
            return plain;
        };
        let media = request.media.media_type;
        match details(tmdb, media, request.media.tmdb_id).await {
            Ok(view) => view,
            Err(err) => {
                tracing::info!(error = %err, "approver card without TMDB details");
                plain
            }
        }
    }

    /// A DM saying what the request became, in the recipient's language.
    async fn dm(
        &self,
        id: RequestId,
        status: RequestStatus,
        user: UserId,
        chat: &str,
    ) -> Result<(), DeliveryError> {
        let recipient = recipient(chat)?;
        let Some(mut request) = self.request(id).await? else {
            return Ok(());
        };
        // Say what happened then, even if the request has moved on since.
        request.status = status;
        let known = self
            .bot
            .services()
            .users
            .language_on(user, Platform::Discord)
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?;
        let catalog = self.bot.catalog();
        let lang = catalog.negotiate(known.as_deref()).to_owned();
        let text = crate::view::status_text(catalog, &lang, &request);
        self.send_dm(recipient, &text).await
    }

    /// A DM telling a reporter their issue report was resolved, in their language.
    async fn issue_resolved(
        &self,
        id: IssueId,
        user: UserId,
        chat: &str,
    ) -> Result<(), DeliveryError> {
        let recipient = recipient(chat)?;
        match issue::resolved_text(&self.bot, id, user).await? {
            Some(text) => self.send_dm(recipient, &text).await,
            None => Ok(()),
        }
    }

    /// Sends `text` as a DM, or to the fallback channel when the member does not accept DMs.
    async fn send_dm(&self, recipient: DiscordUserId, text: &str) -> Result<(), DeliveryError> {
        let message = CreateMessage::new().content(render::clip(text, render::MAX_CONTENT));
        match self
            .bot
            .rest()
            .direct_message(recipient.get(), &message)
            .await
        {
            Err(err) if err.is_dm_closed() => self.dm_closed(recipient, text).await,
            sent => sent.map_err(classify),
        }
    }

    /// The member does not accept DMs: mention them with the notice in the fallback channel,
    /// pinging only them, or log it when no channel is set.
    async fn dm_closed(&self, recipient: DiscordUserId, text: &str) -> Result<(), DeliveryError> {
        let Some(channel) = self.dm_fallback else {
            tracing::info!(
                user = recipient.get(),
                "discord member does not accept DMs; no fallback channel set, notice dropped"
            );
            return Ok(());
        };
        let content = format!("<@{recipient}> {text}");
        let message = CreateMessage::new()
            .content(render::clip(&content, render::MAX_CONTENT))
            .allowed_mentions(CreateAllowedMentions::new().users([recipient]));
        self.bot
            .rest()
            .post_to_channel(channel, &message)
            .await
            .map_err(classify)
    }
}

/// The approver card message: the title embed, who asked, and signed Approve / Decline.
fn approver_message(
    bot: &DiscordBot,
    lang: &str,
    view: &TitleView,
    request: &Request,
    who: &str,
) -> CreateMessage {
    let codec = bot.codec();
    let note = request
        .comment
        .as_deref()
        .map(crate::view::note::discord_safe);
    let note = crate::view::note::line(bot.catalog(), lang, note.as_deref());
    let request = request.id;
    let approve = codec.encode(&Action::Approve {
        request_id: request.0,
    });
    let decline = codec.encode(&Action::Decline {
        request_id: request.0,
    });
    let footer = bot.text(
        lang,
        "discord-card-requested-by",
        &[("who", who.to_owned())],
    );
    let (embed, rows) = render::approver_card(
        view,
        &footer,
        (approve, &bot.text(lang, "discord-button-approve", &[])),
        (decline, &bot.text(lang, "discord-button-decline", &[])),
    );
    let embed = match note {
        Some(note) => embed.field(
            "\u{200B}",
            render::clip(&note, render::MAX_FIELD_VALUE),
            false,
        ),
        None => embed,
    };
    CreateMessage::new().embed(embed).components(rows)
}

/// The Discord user a delivery names.
fn recipient(chat: &str) -> Result<DiscordUserId, DeliveryError> {
    chat.parse::<DiscordUserId>()
        .map_err(|_| DeliveryError::Refused(format!("{chat:?} is not a user id")))
}

/// A title's view for an approver card, from TMDB's (cached) details.
async fn details(tmdb: &TmdbClient, media: MediaType, id: TmdbId) -> Result<TitleView, CoreError> {
    let view = search::view_of_title(tmdb, media, id, None).await?;
    Ok(TitleView {
        title: view.title,
        year: view.year,
        overview: view.overview,
        poster_url: view.poster.map(String::from),
    })
}
