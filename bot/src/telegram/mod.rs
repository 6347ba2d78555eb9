//! The Telegram front door on teloxide 0.17: commands, search cards with signed buttons (paging,
//! season picker, 4K, "Notify me too"), inline mode, the approver cards in the admin chat, the
//! member's account commands ([`account`]), and the notifier that DMs requesters. Every message
//! goes out through the [`send`] queue, which keeps Telegram's flood limits.
//!
//! Shaped like teloxide's own examples: a [`Command`] enum, a [`schema`] function building the
//! dispatcher tree, long polling. Nothing is kept in memory between updates: every button carries
//! its signed action ([`crate::callback`]), a conversation waiting for a typed answer lives in
//! core's database ([`dialogue`]), and core decides every permission.

pub mod account;
mod callbacks;
mod cards;
mod decline;
mod destination;
pub mod dialogue;
mod handlers;
mod inline;
mod issue;
mod notify;
pub mod render;
pub mod send;
mod webhook;

use std::sync::Arc;

use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;
use usher_core::domain::Platform;
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Registration, Services};

use crate::callback::CallbackCodec;
pub use webhook::WebhookFeed;

pub use destination::Destination;
pub use notify::Notifier;
pub use send::{SendLimits, SendQueue};
/// Telegram chat ids and forum topic (thread) ids, re-exported so callers need not depend on
/// teloxide.
pub use teloxide::types::{ChatId, MessageId, ThreadId};

/// The error type of every handler: logged by the dispatcher, never shown raw to users.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The bot's commands, registered with `setMyCommands` so clients offer them.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// Welcome and what the bot can do; `link-<code>` (a deep link) redeems a link code.
    Start(String),
    /// What the bot can do.
    Help,
    /// Find a movie to request.
    Movie(String),
    /// Find a TV show to request.
    Tv(String),
    /// Find a movie or show to request.
    Request(String),
    /// Your requests and their status.
    Mine,
    /// Withdraw one of your pending requests.
    Cancel(String),
    /// Requests waiting for approval (approvers).
    Pending,
    /// A one-time code to join this account with Discord or the console; given a code,
    /// redeems it.
    Link(String),
    /// Choose the language the bot writes in.
    Language,
    /// Report a problem with a title in the library: `/issue <title> — <what is wrong>`.
    Issue(String),
}

/// Everything the handlers need, shared by all updates; built once by [`TelegramBot::new`].
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
    /// flood limits ([`SendLimits::telegram`] outside benchmarks).
    pub out: SendQueue,
}

impl Context {
    /// Resolves a Telegram user to an Usher user, as core requires before any call, and notes
    /// their client's language so later DMs and approver cards can be written in it.
    pub(crate) async fn user(
        &self,
        user: &teloxide::types::User,
    ) -> usher_core::CoreResult<usher_core::domain::User> {
        let display = user.username.clone().unwrap_or_else(|| user.full_name());
        let id = user.id.0.to_string();
        let found = self
            .services
            .users
            .resolve(Platform::Telegram, &id, &display, self.registration)
            .await?;
        self.seen(user).await;
        Ok(found)
    }

    /// Whether `user` is someone this bot refuses: registration is `refuse` and they never
    /// joined with a link code. A database failure is not a refusal (the update then fails as
    /// any other would).
    pub(crate) async fn refuses(&self, user: &teloxide::types::User) -> bool {
        if self.registration != Registration::Refuse {
            return false;
        }
        matches!(
            self.user(user).await,
            Err(usher_core::CoreError::Forbidden(_))
        )
    }

    /// Notes the client language of a Telegram user Usher already knows (nothing for others),
    /// e.g. an admin who only ever presses buttons in the admin chat. Best effort: a failure is
    /// logged, the update is still served.
    pub(crate) async fn seen(&self, user: &teloxide::types::User) {
        let Some(lang) = &user.language_code else {
            return;
        };
        let id = user.id.0.to_string();
        let noted = self
            .services
            .users
            .note_locale(Platform::Telegram, &id, lang);
        if let Err(error) = noted.await {
            tracing::warn!(%error, "could not note a Telegram user's language");
        }
    }

    /// The language to answer a Telegram user in: the one they chose with `/language`, else
    /// their client's (`language_code`). On the way it notes the client's language for later
    /// DMs when it changed ([`Context::seen`]); the usual update costs one read.
    pub(crate) async fn lang(&self, user: &teloxide::types::User) -> String {
        let id = user.id.0.to_string();
        let known = self.services.users.languages(Platform::Telegram, &id);
        let (chosen, reported) = known.await.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read a Telegram user's language");
            (None, None)
        });
        if user.language_code.is_some() && reported != user.language_code {
            self.seen(user).await;
        }
        let wanted = chosen.as_deref().or(user.language_code.as_deref());
        self.catalog.negotiate(wanted).to_owned()
    }

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
}

/// The dispatcher tree: commands, replies that answer an open conversation (a decline reason),
/// plain text in private chats, button presses, and inline queries (`@bot dune` in any chat).
#[must_use]
pub fn schema() -> UpdateHandler<HandlerError> {
    let commands = teloxide::filter_command::<Command, _>().endpoint(handlers::command);
    let replies = dptree::filter_map_async(decline::answering).endpoint(decline::reply);
    let plain = dptree::filter(|msg: Message| msg.chat.is_private() && msg.text().is_some())
        .endpoint(handlers::plain_text);
    dptree::entry()
        .branch(
            Update::filter_message()
                .branch(commands)
                .branch(replies)
                .branch(plain),
        )
        .branch(Update::filter_callback_query().endpoint(callbacks::callback))
        .branch(Update::filter_inline_query().endpoint(inline::inline_query))
}

/// A configured Telegram bot, ready to poll. Cloning shares the bot and its context, so a
/// supervisor can start polling again after a failure.
#[derive(Debug, Clone)]
pub struct TelegramBot {
    bot: Bot,
    context: Arc<Context>,
}

impl TelegramBot {
    /// Builds the bot against the Bot API at `api_url` (the real one or a test fake).
    ///
    /// # Errors
    /// When `api_url` is not a URL.
    pub fn new(token: &str, api_url: &str, context: Context) -> Result<Self, url::ParseError> {
        let url = url::Url::parse(api_url)?;
        let bot = Bot::new(token).set_api_url(url);
        Ok(Self {
            bot,
            context: Arc::new(context),
        })
    }

    /// The notifier that drains core's outbox into Telegram messages, sharing this bot.
    #[must_use]
    pub fn notifier(&self) -> Notifier {
        Notifier::new(self.bot.clone(), self.context.clone())
    }

    /// Asks Telegram who the bot is (`getMe`): whether the Bot API answers and takes the token.
    /// Worth asking before [`TelegramBot::run`], whose dispatcher panics when `getMe` fails.
    ///
    /// # Errors
    /// Telegram's refusal or the network failure, as teloxide reports it.
    pub async fn check(&self) -> Result<(), teloxide::RequestError> {
        self.bot.get_me().await.map(|_| ())
    }

    /// Registers the commands and long-polls until the task is dropped or aborted.
    pub async fn run(self) {
        self.register_commands().await;
        if let Err(error) = self.bot.delete_webhook().await {
            tracing::warn!(%error, "could not remove a Telegram webhook left from webhook mode");
        }
        self.dispatcher().dispatch().await;
    }

    /// Webhook mode: registers `url` with `secret` at Telegram and dispatches what the returned
    /// feed receives (the web endpoint pushes each verified update into it).
    pub fn run_webhook(
        self,
        url: url::Url,
        secret: String,
    ) -> (WebhookFeed, impl std::future::Future<Output = ()> + Send) {
        let (feed, listener) = webhook::channel();
        let run = async move {
            self.register_commands().await;
            let set = self.bot.set_webhook(url).secret_token(secret).await;
            if let Err(error) = set {
                tracing::error!(%error, "Telegram refused the webhook; updates will not arrive");
            }
            let errors = LoggingErrorHandler::with_custom_text("a Telegram update was lost");
            self.dispatcher()
                .dispatch_with_listener(listener, errors)
                .await;
        };
        (feed, run)
    }

    async fn register_commands(&self) {
        account::register_commands(&self.bot, &self.context.catalog).await;
    }

    fn dispatcher(&self) -> Dispatcher<Bot, HandlerError, teloxide::dispatching::DefaultKey> {
        Dispatcher::builder(self.bot.clone(), schema())
            .dependencies(dptree::deps![self.context.clone()])
            .default_handler(|_| async {})
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dispatcher_tree_builds_and_commands_parse() {
        let _ = schema();
        let parsed = Command::parse("/movie dune part two", "usher_bot").ok();
        assert_eq!(parsed, Some(Command::Movie("dune part two".into())));
        assert_eq!(
            Command::parse("/mine", "usher_bot").ok(),
            Some(Command::Mine)
        );
        assert_eq!(
            Command::parse("/start link-AB12CD34", "usher_bot").ok(),
            Some(Command::Start("link-AB12CD34".into()))
        );
        assert_eq!(
            Command::parse("/start", "usher_bot").ok(),
            Some(Command::Start(String::new()))
        );
        assert_eq!(
            Command::parse("/link", "usher_bot").ok(),
            Some(Command::Link(String::new()))
        );
        assert_eq!(
            Command::parse("/issue Alien — no sound\nat all", "usher_bot").ok(),
            Some(Command::Issue("Alien — no sound\nat all".into()))
        );
        assert_eq!(Command::bot_commands().len(), 11);
    }
}
