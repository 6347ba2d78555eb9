//! The Telegram front door on teloxide 0.17: commands, search cards with signed buttons (paging,
//! season picker, 4K, "Notify me too"), inline mode, the approver cards in the admin chat, the
//! member's account commands ([`account`]), and the notifier that DMs requesters. Every message
//! goes out through the [`send`] queue, which keeps Telegram's flood limits.
//!
//! Shaped like teloxide's own examples: a [`Command`] enum and long polling, with every update
//! handed to one plain router ([`route`]) in its chat's lane ([`lanes`]: in order per chat,
//! nothing kept for a quiet chat). Nothing is kept in memory between updates: every button carries
//! its signed action ([`crate::callback`]), a conversation waiting for a typed answer lives in
//! core's database ([`dialogue`]), and core decides every permission.
//!
//! The person behind an update is resolved once, at the edge of [`route`], into core's
//! `Caller`, which every endpoint takes. What the feature files share (that edge, the
//! [`Context`], answering and card helpers) lives in `context`; the feature files (`cards`,
//! `decide`, `decline`, `issue`, `account`, `mine`, `notify`, `strangers` for those the bot does
//! not serve) import it and core, not each other in circles.

pub mod account;
mod callbacks;
mod cards;
mod context;
mod decide;
mod decline;
mod destination;
pub mod dialogue;
mod discover;
mod episodes;
mod handlers;
mod inline;
mod issue;
mod lanes;
mod members;
mod mine;
mod note;
mod notify;
pub mod render;
mod route;
pub mod send;
mod strangers;
mod votes;
mod webhook;

use std::sync::Arc;

use futures_util::StreamExt;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{Polling, UpdateListener};
use teloxide::utils::command::BotCommands;

pub use context::Context;
pub use webhook::WebhookFeed;

pub use destination::Destination;
pub use notify::Notifier;
pub use send::{SendLimits, SendQueue};
/// Telegram chat ids and forum topic (thread) ids, re-exported so callers need not depend on
/// teloxide.
pub use teloxide::types::{ChatId, MessageId, ThreadId};

/// The error type of every handler: logged where the update is routed, never shown raw to
/// users.
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
    /// What is trending: `/trending [movie|tv] [day|week]`.
    Trending(String),
    /// Browse popular and upcoming titles, or a genre's.
    Discover(String),
}

/// The update kinds the bot asks Telegram for: without `chat_member` Telegram never says who
/// leaves a granting chat. Long polling asks with it, webhook mode sends it with `setWebhook`.
pub const UPDATES: [AllowedUpdate; 5] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::InlineQuery,
    AllowedUpdate::ChatMember,
    AllowedUpdate::MyChatMember,
];

/// How long one long poll waits for updates (teloxide's default).
const POLL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

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
    /// Worth asking before [`TelegramBot::run`], which ends at once when `getMe` fails.
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
        let polling = Polling::builder(self.bot.clone())
            .timeout(POLL_TIMEOUT)
            .allowed_updates(UPDATES.to_vec())
            .build();
        self.serve(polling).await;
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
            let set = self
                .bot
                .set_webhook(url)
                .secret_token(secret)
                .allowed_updates(UPDATES)
                .await;
            if let Err(error) = set {
                tracing::error!(%error, "Telegram refused the webhook; updates will not arrive");
            }
            self.serve(listener).await;
        };
        (feed, run)
    }

    async fn register_commands(&self) {
        account::register_commands(&self.bot, &self.context.catalog).await;
    }

    /// Hands every update `listener` yields to the router, in its chat's lane, until the
    /// listener ends; ends at once when `getMe` fails (the supervisor starts it again).
    async fn serve<L>(&self, mut listener: L)
    where
        L: UpdateListener,
        L::Err: std::fmt::Debug,
    {
        let me = match self.bot.get_me().await {
            Ok(me) => me,
            Err(error) => {
                tracing::warn!(%error, "getMe failed; Telegram updates are not read yet");
                return;
            }
        };
        let (bot, context) = (self.bot.clone(), self.context.clone());
        let lanes = lanes::Lanes::new(move |update| {
            route::handle(bot.clone(), update, me.clone(), context.clone())
        });
        let updates = listener.as_stream();
        tokio::pin!(updates);
        while let Some(next) = updates.next().await {
            match next {
                Ok(update) => lanes.push(update),
                Err(error) => tracing::warn!(?error, "could not read Telegram updates"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
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
        assert_eq!(
            Command::parse("/trending movie day", "usher_bot").ok(),
            Some(Command::Trending("movie day".into()))
        );
        assert_eq!(
            Command::parse("/discover", "usher_bot").ok(),
            Some(Command::Discover(String::new()))
        );
        assert_eq!(Command::bot_commands().len(), 13);
    }
}
