//! Discord front door, as plain functions over serenity's models so that both transports can
//! call them: the HTTP interactions endpoint ([`DiscordBot::handle`], fed by usher-web's
//! `POST /discord/interactions` after the signature check) and the poise gateway bot
//! ([`gateway::run`]), which both end in [`DiscordBot::answer`].
//!
//! [`DiscordBot`] owns what a handler needs: core's [`Services`], the cached [`TmdbClient`], the
//! Fluent [`Catalog`], the signed button codec and a small REST client ([`rest::Rest`]) for
//! approver cards, DMs and late answers. An answer ready in time is the interaction response
//! itself (the HTTP body); a slow one is deferred and follows through the webhook.

mod cards;
mod commands;
mod components;
mod decline;
mod defer;
pub mod gateway;
mod issue;
mod link;
pub mod localize;
mod notify;
pub mod render;
pub mod rest;
mod slash;
#[cfg(test)]
mod tests;

pub use notify::Notifier;

use std::sync::Arc;

use serde_json::Value;
use serenity::builder::{CreateInteractionResponse, CreateInteractionResponseMessage};
use serenity::model::application::Interaction;
use serenity::model::guild::Member;
use serenity::model::user::User as DiscordUser;
use usher_core::CoreError;
use usher_core::domain::{Actor, Platform, Source, User};
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::users::RoleMap;
use usher_core::service::{Registration, Services};

use crate::callback::CallbackCodec;

/// What can go wrong while handling an interaction before an answer can be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// The body is not an interaction serenity understands.
    #[error("not a Discord interaction: {0}")]
    Malformed(#[from] serde_json::Error),
}

/// Everything the Discord handlers share; cheap to clone.
#[derive(Clone)]
pub struct DiscordBot {
    inner: Arc<Inner>,
}

struct Inner {
    services: Services,
    tmdb: Option<TmdbClient>,
    catalog: Arc<Catalog>,
    codec: CallbackCodec,
    rest: rest::Rest,
    roles: RoleMap,
    /// `USHER_DISCORD_GUILD_IDS`: the guilds served; empty serves every guild.
    guilds: Vec<u64>,
}

impl std::fmt::Debug for DiscordBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordBot").finish_non_exhaustive()
    }
}

impl DiscordBot {
    /// Builds the bot over core's services; `tmdb` is `None` when no TMDB key is configured
    /// (search then answers with a notice instead of failing). `roles` says which Discord roles
    /// carry Usher roles (`USHER_DISCORD_ADMIN_ROLE_IDS`); core applies it on each contact.
    pub fn new(
        services: Services,
        tmdb: Option<TmdbClient>,
        catalog: Arc<Catalog>,
        codec: CallbackCodec,
        rest: rest::Rest,
        roles: RoleMap,
        guilds: Vec<u64>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                services,
                tmdb,
                catalog,
                codec,
                rest,
                roles,
                guilds,
            }),
        }
    }

    /// The notifier that posts approver cards and DMs from core's Discord deliveries, sharing
    /// this bot's REST client and catalogue.
    #[must_use]
    pub fn notifier(&self) -> Notifier {
        Notifier::new(self.clone())
    }

    /// Registers the slash commands ([`definitions`]) with Discord (in `guild_ids`, or globally
    /// when empty), so members see them; run at startup by either transport, and harmless to
    /// repeat (Discord replaces the set).
    ///
    /// # Errors
    ///
    /// [`rest::RestError`] when Discord refuses or cannot be reached.
    pub async fn register_commands(
        &self,
        application_id: u64,
        guild_ids: &[u64],
    ) -> Result<(), rest::RestError> {
        self.inner
            .rest
            .register_commands(application_id, guild_ids, &definitions(&self.inner.catalog))
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
        defer::answer(self, interaction).await
    }

    /// Routes an interaction to its handler and returns the answer, however long it takes
    /// ([`Self::answer`] keeps the deadline). Failures are rendered as ephemeral notices,
    /// never dropped.
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
                Interaction::Autocomplete(_) => CreateInteractionResponse::Autocomplete(
                    serenity::builder::CreateAutocompleteResponse::new(),
                ),
                _ => self.notice(&self.lang(&locale), "discord-guild-not-served"),
            };
        }
        match interaction {
            Interaction::Ping(_) => CreateInteractionResponse::Pong,
            Interaction::Autocomplete(cmd) if issue::handles(&cmd.data.name) => {
                issue::autocomplete(self, &cmd).await
            }
            Interaction::Autocomplete(cmd) => commands::autocomplete(self, &cmd).await,
            Interaction::Command(cmd) if slash::handles(&cmd.data.name) => {
                slash::run(self, &cmd).await
            }
            Interaction::Command(cmd) if link::handles(&cmd.data.name) => {
                link::run(self, &cmd).await
            }
            Interaction::Command(cmd) if issue::handles(&cmd.data.name) => {
                issue::run(self, &cmd).await
            }
            Interaction::Command(cmd) => commands::request(self, &cmd).await,
            Interaction::Component(press) => components::press(self, &press).await,
            Interaction::Modal(modal) => decline::submit(self, &modal).await,
            _ => self.notice(usher_core::i18n::FALLBACK, "discord-unsupported"),
        }
    }

    /// Whether interactions from `guild` are answered (`USHER_DISCORD_GUILD_IDS`, when set, is
    /// an allow-list: a bot invited elsewhere does nothing there).
    fn serves(&self, guild: u64) -> bool {
        self.inner.guilds.is_empty() || self.inner.guilds.contains(&guild)
    }

    /// The language for a Discord locale such as `de` or `en-GB`.
    fn lang(&self, locale: &str) -> String {
        self.inner.catalog.negotiate(Some(locale)).to_owned()
    }

    /// A localized message.
    fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        self.inner.catalog.text(lang, key, args)
    }

    /// An ephemeral text answer from a catalogue key.
    fn notice(&self, lang: &str, key: &str) -> CreateInteractionResponse {
        ephemeral(self.text(lang, key, &[]))
    }

    /// An ephemeral answer telling what a core error means for the person.
    fn error_notice(&self, lang: &str, err: &CoreError) -> CreateInteractionResponse {
        if matches!(err, CoreError::Database(_) | CoreError::Unexpected(_)) {
            tracing::error!(error = %err, "discord interaction failed");
        }
        ephemeral(self.inner.catalog.error_text(lang, err))
    }

    /// The Usher user behind a Discord account (registered as a member on first contact) and
    /// the actor to act as. On the way, core learns the member's Discord language (for DMs and
    /// cards later) and, in a guild, their roles: holding a role of
    /// `USHER_DISCORD_ADMIN_ROLE_IDS` makes them an admin, losing it takes that back.
    async fn actor(
        &self,
        user: &DiscordUser,
        member: Option<&Member>,
        locale: &str,
    ) -> Result<(User, Actor), CoreError> {
        let id = user.id.get().to_string();
        let display = display_name(user);
        let users = &self.inner.services.users;
        let found = users
            .resolve(
                Platform::Discord,
                &id,
                &display,
                Registration::AutoRegister("member"),
            )
            .await?;
        users.note_locale(Platform::Discord, &id, locale).await?;
        let source = Source::Discord { user: id };
        if let Some(member) = member {
            let held: Vec<String> = member.roles.iter().map(|r| r.get().to_string()).collect();
            users
                .apply_role_map(found.id, &self.inner.roles, &held, source.clone())
                .await?;
        }
        let actor = Actor::user(found.id, source);
        Ok((found, actor))
    }
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

/// Every slash command the bot answers: `/request movie|tv`, `/mine`, `/cancel`, `/pending`,
/// `/help`, `/link`, `/issue`, as registered with Discord by both transports, with their names and descriptions
/// in every shipped language from `catalog`.
#[must_use]
pub fn definitions(catalog: &Catalog) -> Vec<serenity::builder::CreateCommand> {
    let mut all = commands::definitions(catalog);
    all.extend(slash::definitions(catalog));
    all.extend(link::definitions(catalog));
    all.extend(issue::definitions(catalog));
    all
}

/// A Discord user's name as Discord shows it.
fn display_name(user: &DiscordUser) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// An ephemeral message answer (type 4, flag 64): only the presser sees it.
fn ephemeral(content: String) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(render::clip(&content, render::MAX_CONTENT))
            .ephemeral(true),
    )
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
