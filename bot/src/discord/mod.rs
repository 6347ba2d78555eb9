//! Discord front door, as plain functions over serenity's models so that both transports can
//! call them: the HTTP interactions endpoint ([`DiscordBot::handle`], fed by usher-web's
//! `POST /discord/interactions` after the signature check) and the gateway client
//! ([`gateway::run`]), which both end in [`DiscordBot::answer`] and so in one dispatcher.
//!
//! The dispatcher resolves the person once (core's cached `Caller`, from `context`;
//! who may use the bot, and as what, is the settings' [`Access`]) and hands that caller to
//! exactly one handler: a slash command or its autocomplete through the command table
//! (`commands`, the one place the command set is written), a button or modal through
//! `presses`. Feature files (`search`, `decide`, `decline`, `issue`, `account`, and the
//! notifier's `notify` and `announce`) import `context` (the bot handle, caller, notices,
//! deferral), the rendering and REST leaves, and core; never each other in a circle (only the
//! notifier uses the issue card and the announcement). An answer ready in time is
//! the interaction response itself (the HTTP body); a slow one is deferred and follows through
//! the webhook.

mod account;
mod announce;
mod commands;
mod context;
mod decide;
mod decline;
mod discover;
mod episodes;
pub mod gateway;
mod issue;
pub mod localize;
mod notify;
mod presses;
mod ratelimit;
pub mod render;
pub mod rest;
mod search;
#[cfg(test)]
mod tests;
mod votes;

pub use commands::definitions;
pub use context::{Access, DiscordBot};
pub use notify::Notifier;

use serde_json::Value;
use serenity::builder::{CreateAutocompleteResponse, CreateInteractionResponse};
use serenity::model::application::Interaction;

use context::Refused;

/// What can go wrong while handling an interaction before an answer can be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// The body is not an interaction serenity understands.
    #[error("not a Discord interaction: {0}")]
    Malformed(#[from] serde_json::Error),
}

impl DiscordBot {
    /// The notifier that posts approver cards and DMs from core's Discord deliveries, sharing
    /// this bot's REST client and catalogue.
    #[must_use]
    pub fn notifier(&self) -> Notifier {
        Notifier::new(self.clone())
    }

    /// Registers the slash commands ([`definitions`]) with Discord (in `guild_ids`, or globally
    /// when empty), so members see them; run at startup by either transport, and harmless to
    /// repeat (Discord replaces the set). The names are localized from a catalogue of their
    /// own, dropped once they are sent: the bot's catalogue parses a language only when someone
    /// speaks it, and every language parsed for the names would stay for good.
    ///
    /// # Errors
    ///
    /// [`rest::RestError`] when Discord refuses or cannot be reached.
    pub async fn register_commands(
        &self,
        application_id: u64,
        guild_ids: &[u64],
    ) -> Result<(), rest::RestError> {
        let commands = definitions(&self.catalog().unparsed());
        self.rest()
            .register_commands(application_id, guild_ids, &commands)
            .await
    }

    /// Handles one verified interaction body and returns the interaction response JSON, to be
    /// sent as the HTTP answer, always within Discord's 3 seconds: a handler that takes longer
    /// (a slow TMDB) is deferred and finishes through the interaction webhook. The
    /// signature must already have been checked by the caller.
    ///
    /// # Errors
    ///
    /// [`DiscordError::Malformed`] for a body that is not an interaction.
    pub async fn handle(&self, body: &[u8]) -> Result<Value, DiscordError> {
        let interaction: Interaction = serde_json::from_slice(body)?;
        let response = self.answer(interaction).await;
        let mut value = serde_json::to_value(response)?;
        // serenity writes `"data": null` for PONG; Discord documents a bare `{"type":1}`.
        if let Some(map) = value.as_object_mut()
            && map.get("data").is_some_and(Value::is_null)
        {
            map.remove("data");
        }
        Ok(value)
    }

    /// The answer to one interaction, from whichever transport it came, within Discord's
    /// 3 seconds: the handler's own answer when it is ready in time, else a deferral, with
    /// the handler's answer following through the interaction webhook.
    pub async fn answer(&self, interaction: Interaction) -> CreateInteractionResponse {
        let worker = self.clone();
        context::defer::answer(self, interaction, |interaction| async move {
            worker.dispatch(interaction).await
        })
        .await
    }

    /// Routes an interaction to its handler and returns the answer, however long it takes
    /// ([`Self::answer`] keeps the deadline): the person is resolved once here and handed to
    /// the handler. Failures are rendered as ephemeral notices, never dropped.
    pub async fn dispatch(&self, interaction: Interaction) -> CreateInteractionResponse {
        usher_core::metrics::global().bot_interaction("discord", interaction_kind(&interaction));
        if let Some((guild, locale)) = guild_of(&interaction)
            && !self.serves(guild)
        {
            tracing::info!(
                guild,
                "interaction from a guild not in USHER_DISCORD_GUILD_IDS"
            );
            return match interaction {
                Interaction::Autocomplete(_) => no_choices(),
                _ => self.notice(&self.lang(&locale), "discord-guild-not-served"),
            };
        }
        if let Interaction::Ping(_) = interaction {
            return CreateInteractionResponse::Pong;
        }
        // Each step is boxed where it is picked, as the Telegram route's are: an interaction in
        // flight holds the one feature it reached, not room for the largest of them all.
        let caller = match Box::pin(self.caller(&interaction)).await {
            Some(Ok(caller)) => caller,
            Some(Err(error)) => return Box::pin(self.refused(interaction, error)).await,
            None => return self.notice(usher_core::i18n::FALLBACK, "discord-unsupported"),
        };
        match interaction {
            Interaction::Autocomplete(cmd) => {
                Box::pin(commands::complete(self, &caller, &cmd)).await
            }
            Interaction::Command(cmd) => Box::pin(commands::run(self, &caller, &cmd)).await,
            Interaction::Component(press) => Box::pin(presses::press(self, &caller, &press)).await,
            Interaction::Modal(modal) => Box::pin(presses::submit(self, &caller, &modal)).await,
            _ => self.notice(&caller.language, "discord-unsupported"),
        }
    }

    /// The answer for someone core did not resolve: kept out by the settings (no member role,
    /// a newcomer while registration refuses), disabled, or a failure. Autocomplete gets no
    /// choices; a command that admits strangers (`/link`, a refused newcomer's way in) gets to
    /// answer; anything else is told why, in their client's language.
    async fn refused(
        &self,
        interaction: Interaction,
        error: usher_core::CoreError,
    ) -> CreateInteractionResponse {
        let locale = match &interaction {
            Interaction::Command(c) | Interaction::Autocomplete(c) => c.locale.as_str(),
            Interaction::Component(p) => p.locale.as_str(),
            Interaction::Modal(m) => m.locale.as_str(),
            _ => "",
        };
        let refused = Refused {
            lang: self.lang(locale),
            error,
        };
        match interaction {
            Interaction::Autocomplete(_) => no_choices(),
            Interaction::Command(cmd) => commands::refused(self, &refused, &cmd).await,
            _ => self.error_notice(&refused.lang, &refused.error),
        }
    }
}

/// An autocomplete answer with no choices (one cannot carry a message).
fn no_choices() -> CreateInteractionResponse {
    CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new())
}

/// The guild an interaction came from, with the presser's locale; `None` in DMs and for PING.
fn guild_of(interaction: &Interaction) -> Option<(u64, String)> {
    let (guild, locale) = match interaction {
        Interaction::Command(cmd) | Interaction::Autocomplete(cmd) => (cmd.guild_id, &cmd.locale),
        Interaction::Component(press) => (press.guild_id, &press.locale),
        Interaction::Modal(modal) => (modal.guild_id, &modal.locale),
        _ => return None,
    };
    Some((guild?.get(), locale.clone()))
}

/// The `kind` label of the interactions metric.
fn interaction_kind(interaction: &Interaction) -> &'static str {
    match interaction {
        Interaction::Ping(_) => "ping",
        Interaction::Autocomplete(_) => "autocomplete",
        Interaction::Command(_) => "command",
        Interaction::Component(_) => "button",
        _ => "other",
    }
}
