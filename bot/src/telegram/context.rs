//! What every Telegram feature shares: the [`Context`] the router hands to each endpoint,
//! the edge where an update's sender becomes core's [`Caller`] once ([`addressed`],
//! [`resolve`]), and the small helpers to answer, name people and edit an approver card.
//!
//! Feature files (search cards, decide, decline, issue, account, notify) import this module and
//! core, never each other, so a change to one feature cannot ripple around a circle.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use teloxide::types::{Me, MessageId, UpdateKind};
use teloxide::utils::command::BotCommands;
use teloxide::{ApiError, RequestError};
use usher_core::CoreError;
use usher_core::domain::{Platform, Request, RequestId, RequestStatus, UserId};
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::notify::DeliveryError;
use usher_core::service::users::RoleMap;
use usher_core::service::{Admission, Caller, Contact, Registration, Services};

use super::render::{self, MAX_TEXT};
use super::{Command, Destination, HandlerError, SendQueue, ThreadId};
use crate::callback::CallbackCodec;

/// Everything the handlers need, shared by all updates; built once by
/// [`super::TelegramBot::new`].
#[derive(Debug)]
pub struct Context {
    /// Core services; every decision is theirs.
    pub services: Services,
    /// TMDB for search; `None` when not configured (search then says so).
    pub tmdb: Option<TmdbClient>,
    /// The message catalogue.
    pub catalog: Arc<Catalog>,
    /// Signs and checks button ids.
    pub codec: CallbackCodec,
    /// Where approver cards go.
    pub admin_chat: Option<ChatId>,
    /// The forum topic of the admin chat the cards go to; `None` for the chat itself.
    pub admin_topic: Option<ThreadId>,
    /// Group chats that may use the bot besides private chats and the admin chat.
    pub allowed_chats: Vec<i64>,
    /// What to do with a Telegram user never seen before.
    pub registration: Registration,
    /// Every message the bot sends or edits goes out through this queue, within Telegram's
    /// flood limits ([`super::SendLimits::telegram`] outside benchmarks).
    pub out: SendQueue,
}

impl Context {
    /// Where approver and issue cards go: the admin chat, in its configured topic if any.
    pub(crate) fn admin(&self) -> Option<Destination> {
        let chat = self.admin_chat?;
        Some(Destination {
            chat,
            topic: self.admin_topic,
        })
    }

    /// Whether updates from `chat` are served: private chats, the admin chat, and the allowed
    /// group chats (none by default: `USHER_TELEGRAM_ALLOWED_CHAT_IDS` empty means private only).
    pub(crate) fn serves(&self, chat: &teloxide::types::Chat) -> bool {
        chat.is_private()
            || Some(chat.id) == self.admin_chat
            || self.allowed_chats.contains(&chat.id.0)
    }

    /// How Telegram admits people: as the registration setting says; Telegram shows no roles.
    fn admission(&self) -> Admission {
        Admission {
            registration: self.registration,
            roles: RoleMap::none(),
        }
    }

    /// The language the approvers read cards in (core derives it from what their Telegram
    /// clients report), else the fallback.
    pub(crate) async fn approvers_language(&self) -> usher_core::CoreResult<String> {
        let known = self
            .services
            .users
            .approvers_language(Platform::Telegram)
            .await?;
        Ok(self.catalog.negotiate(known.as_deref()).to_owned())
    }
}

/// Whether an update is for the bot at all, decided before anyone is resolved, so chatter in a
/// group or a chat the bot does not serve registers no one: in a served chat, text in a
/// private chat, a command for this bot, or a reply to one of its messages; every button press
/// and inline query.
pub(super) fn addressed(update: &Update, me: &Me, ctx: &Context) -> bool {
    match &update.kind {
        UpdateKind::Message(msg) => {
            let Some(text) = msg.text() else {
                return false;
            };
            let replies_to_us = msg
                .reply_to_message()
                .and_then(|replied| replied.from.as_ref())
                .is_some_and(|from| from.id == me.id);
            ctx.serves(&msg.chat)
                && (msg.chat.is_private()
                    || replies_to_us
                    || Command::parse(text, me.username()).is_ok())
        }
        UpdateKind::CallbackQuery(_) | UpdateKind::InlineQuery(_) => true,
        _ => false,
    }
}

/// The sender of an update as core sees them: someone Usher serves, or someone it turns away.
#[derive(Debug, Clone)]
pub(super) enum Resolved {
    /// Someone the bot serves.
    Caller(Box<Caller>),
    /// Someone core refuses, or who could not be read.
    TurnedAway(TurnedAway),
}

/// Someone the bot does not serve, and what to tell them, in their client's language.
#[derive(Debug, Clone)]
pub(super) struct TurnedAway {
    /// The language to answer in.
    pub language: String,
    /// The answer to a message: how to get in, or what went wrong.
    pub message: String,
    /// The alert for a button press (Telegram shows at most 200 characters).
    pub alert: String,
    /// Registration is `refuse` and core does not know them: a link code lets them in.
    pub may_join: bool,
}

impl TurnedAway {
    fn new(ctx: &Context, from: &teloxide::types::User, error: &CoreError) -> Self {
        let language = ctx
            .catalog
            .negotiate(from.language_code.as_deref())
            .to_owned();
        let may_join =
            ctx.registration == Registration::Refuse && matches!(error, CoreError::Forbidden(_));
        let (message, alert) = if may_join {
            (
                ctx.catalog.text(&language, "bot-not-registered", &[]),
                ctx.catalog.text(&language, "bot-not-registered-short", &[]),
            )
        } else {
            let text = ctx.catalog.error_text(&language, error);
            (text.clone(), text)
        };
        Self {
            language,
            message,
            alert,
            may_join,
        }
    }
}

/// The edge: the update's sender becomes core's [`Caller`], once per update and usually from
/// core's cache. A newcomer is registered as the registration setting says, and their client
/// language is noted for later DMs. Someone core refuses (or a database failure) becomes
/// [`Resolved::TurnedAway`], so they are answered rather than ignored. In a group chat, the
/// grant table's roles for that chat are given first (`UserService::caller_in_chat`). Updates without a
/// sender, or from a bot, go no further: bots never become users.
pub(super) async fn resolve(update: &Update, ctx: &Context) -> Option<Resolved> {
    let from = update.from().filter(|from| !from.is_bot)?;
    let id = from.id.0.to_string();
    let display = display_name(from);
    let contact = Contact {
        platform: Platform::Telegram,
        external_id: &id,
        display: &display,
        client_language: from.language_code.as_deref(),
        held: None,
    };
    let users = &ctx.services.users;
    // In a group chat, the roles the grant table gives that chat's people come first.
    let group = update
        .chat()
        .filter(|chat| !chat.is_private())
        .map(|chat| chat.id.0);
    let resolved = match group {
        Some(chat) => {
            users
                .caller_in_chat(&contact, chat, &ctx.admission(), &ctx.catalog)
                .await
        }
        None => users.caller(&contact, &ctx.admission(), &ctx.catalog).await,
    };
    match resolved {
        Ok(caller) => Some(Resolved::Caller(Box::new(caller))),
        Err(error) => {
            if !matches!(error, CoreError::Forbidden(_)) {
                tracing::warn!(%error, "could not resolve a Telegram user");
            }
            Some(Resolved::TurnedAway(TurnedAway::new(ctx, from, &error)))
        }
    }
}

/// The name Telegram shows for a person: their username, else their full name.
pub(super) fn display_name(user: &teloxide::types::User) -> String {
    user.username.clone().unwrap_or_else(|| user.full_name())
}

/// A text answer at `to` (trimmed to Telegram's limit), through the send queue.
pub(super) async fn reply(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    text: &str,
) -> Result<(), HandlerError> {
    let text = render::trim_chars(text, MAX_TEXT);
    ctx.out.send(to.message(bot, text)).await?;
    Ok(())
}

/// A person's display name for cards; a placeholder when the lookup fails.
pub(super) async fn name_of(ctx: &Context, user: UserId) -> String {
    match ctx.services.users.get(user).await {
        Ok((user, _)) => user.display_name,
        Err(_) => format!("#{user}"),
    }
}

/// Edits the approver card `card` in `chat` to show `request`'s outcome and who decided, without
/// buttons. The edit waits its turn in the send queue while the press is answered; the decision
/// already stands, so a failed edit is only logged.
pub(super) async fn show_decided(
    bot: &Bot,
    ctx: &Context,
    (chat, card): (ChatId, MessageId),
    lang: &str,
    request: &Request,
    decider: &str,
) {
    let requester = name_of(ctx, request.requested_by).await;
    let text = render::decided_card(&ctx.catalog, lang, request, &requester, decider);
    let edit = bot.edit_message_text(chat, card, text);
    ctx.out.post(edit, "update the approver card");
}

/// What a press on an approver card is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answer {
    /// The text Telegram shows.
    pub text: String,
    /// Shown as an alert (to dismiss) rather than a toast.
    pub alert: bool,
}

impl Answer {
    pub(super) fn toast(text: String) -> Self {
        Self { text, alert: false }
    }
}

/// Core refused a decision. When it is because the request moved on (someone decided first,
/// the requester cancelled), the presser hears who did what and the card shows that decision;
/// any other refusal (not an approver, the database) is answered as it is.
pub(super) async fn moved_on(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    id: RequestId,
    error: CoreError,
) -> usher_core::CoreResult<Answer> {
    if !matches!(
        error,
        CoreError::AlreadyDecided { .. } | CoreError::IllegalTransition { .. }
    ) {
        return Err(error);
    }
    let mut request = ctx.services.requests.get(&caller.actor, id).await?;
    let Some((status, by)) = decision(&request) else {
        return Err(error);
    };
    let lang = caller.language.as_str();
    let who = match by {
        Some(user) => name_of(ctx, user).await,
        None => ctx.catalog.text(lang, "someone", &[]),
    };
    request.status = status;
    if let Some(message) = q.regular_message() {
        let card = (message.chat.id, message.id);
        show_decided(bot, ctx, card, lang, &request, &who).await;
    }
    let status = ctx
        .catalog
        .text(lang, &format!("status-{}", status.as_str()), &[]);
    let args = [("status", status), ("who", who)];
    Ok(Answer {
        text: ctx.catalog.text(lang, "error-already-decided", &args),
        alert: true,
    })
}

/// What was decided about a request that is no longer pending, and by whom: approved (whatever
/// happened after), declined, or cancelled by its requester. `None` while it waits.
fn decision(request: &Request) -> Option<(RequestStatus, Option<UserId>)> {
    match request.status {
        RequestStatus::Pending => None,
        RequestStatus::Declined => Some((RequestStatus::Declined, request.decided_by)),
        RequestStatus::Cancelled => Some((RequestStatus::Cancelled, Some(request.requested_by))),
        RequestStatus::Approved
        | RequestStatus::Submitted
        | RequestStatus::PartiallyAvailable
        | RequestStatus::Available
        | RequestStatus::Failed => Some((RequestStatus::Approved, request.decided_by)),
    }
}

/// A core failure while preparing a message: the database is away, try again later.
pub(super) fn core_failure(err: &CoreError) -> DeliveryError {
    DeliveryError::Transient(err.to_string())
}

/// Telegram refused this message (blocked, chat gone, bad request) or could not be reached.
/// Errors teloxide does not recognise are taken as Telegram's own trouble (5xx), not ours.
pub(super) fn classify(err: RequestError) -> DeliveryError {
    match err {
        RequestError::Api(ApiError::Unknown(text)) => DeliveryError::Transient(text),
        RequestError::Api(api) => DeliveryError::Refused(api.to_string()),
        RequestError::MigrateToChatId(_) => DeliveryError::Refused(err.to_string()),
        RequestError::RetryAfter(_)
        | RequestError::Network(_)
        | RequestError::InvalidJson { .. }
        | RequestError::Io(_) => DeliveryError::Transient(err.to_string()),
    }
}

/// The place a chat is (its voting threshold and shared budget, if it has any): group chats and
/// supergroups are places, private chats are not.
pub(super) fn place_of(chat: &teloxide::types::Chat) -> Option<usher_core::domain::PlaceKey> {
    let group = chat.is_group() || chat.is_supergroup();
    group.then_some(usher_core::domain::PlaceKey::TelegramChat(chat.id.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::card_fixtures::someones_request;

    #[test]
    fn blocked_bots_are_refusals_and_server_trouble_is_transient() {
        assert!(matches!(
            classify(RequestError::Api(ApiError::BotBlocked)),
            DeliveryError::Refused(_)
        ));
        assert!(matches!(
            classify(RequestError::Api(ApiError::Unknown(
                "Internal Server Error".into()
            ))),
            DeliveryError::Transient(_)
        ));
    }

    #[test]
    fn a_request_that_moved_on_keeps_its_decision() {
        let mut request = someones_request(1, RequestStatus::Pending);
        assert_eq!(decision(&request), None);
        request.decided_by = Some(UserId(3));
        for status in [RequestStatus::Submitted, RequestStatus::Available] {
            request.status = status;
            assert_eq!(
                decision(&request),
                Some((RequestStatus::Approved, Some(UserId(3))))
            );
        }
        request.status = RequestStatus::Declined;
        assert_eq!(
            decision(&request),
            Some((RequestStatus::Declined, Some(UserId(3))))
        );
        request.status = RequestStatus::Cancelled;
        assert_eq!(
            decision(&request),
            Some((RequestStatus::Cancelled, Some(request.requested_by)))
        );
    }
}
