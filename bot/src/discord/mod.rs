//! Discord front door, as plain functions over serenity's models so that both transports can
//! call them: the HTTP interactions endpoint ([`DiscordBot::handle`], fed by usher-web's
//! `POST /discord/interactions` after the signature check) and the poise gateway bot
//! ([`gateway::run`]), which both end in [`DiscordBot::answer`].
//!
//! [`DiscordBot`] owns what a handler needs: core's [`Services`], the cached [`TmdbClient`], the
//! Fluent [`Catalog`], the signed button codec and a small REST client ([`rest::Rest`]) for
//! approver cards, DMs, announcements and late answers, which keeps Discord's rate limits (the
//! `ratelimit` module). An answer ready in time is the interaction response itself (the HTTP
//! body); a slow one is deferred and follows through the webhook. Who may use the bot, and as
//! what, is the settings' [`Access`], applied by core before any handler runs.

mod announce;
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
mod ratelimit;
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
use usher_core::service::users::{
    DISCORD_ADMINISTRATOR, GuildMember, NOT_A_MEMBER, NOT_REGISTERED, RoleMap,
};
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
    access: Access,
    /// `USHER_DISCORD_GUILD_IDS`: the guilds served; empty serves every guild.
    guilds: Vec<u64>,
}

/// Who may use the bot and as what, from the settings; core applies both on each contact.
#[derive(Debug, Clone)]
pub struct Access {
    /// Which Discord roles carry Usher roles, and the member roles that gate the bot
    /// (`USHER_DISCORD_*_ROLE_IDS`, `USHER_DISCORD_ADMINISTRATORS_ARE_ADMINS`).
    pub roles: RoleMap,
    /// What happens to a Discord account Usher has never seen (`USHER_DISCORD_REGISTRATION`).
    pub registration: Registration,
}

impl Access {
    /// Whether the settings keep anyone out (member roles, or newcomers refused): then every
    /// interaction is checked before it is handled.
    fn restricts(&self) -> bool {
        self.roles.gates() || self.registration == Registration::Refuse
    }
}

impl std::fmt::Debug for DiscordBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordBot").finish_non_exhaustive()
    }
}

impl DiscordBot {
    /// Builds the bot over core's services; `tmdb` is `None` when no TMDB key is configured
    /// (search then answers with a notice instead of failing). `access` says which Discord
    /// roles carry Usher roles, who may use the bot and what happens to newcomers.
    pub fn new(
        services: Services,
        tmdb: Option<TmdbClient>,
        catalog: Arc<Catalog>,
        codec: CallbackCodec,
        rest: rest::Rest,
        access: Access,
        guilds: Vec<u64>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                services,
                tmdb,
                catalog,
                codec,
                rest,
                access,
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
        if let Some(refusal) = self.refusal(&interaction).await {
            return refusal;
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

    /// The answer for someone the settings keep out (no member role, or a newcomer while
    /// registration refuses), checked by core before any handler runs — searching included;
    /// `None` lets the interaction through. `/link` is let through: it is how a refused
    /// newcomer gets in.
    async fn refusal(&self, interaction: &Interaction) -> Option<CreateInteractionResponse> {
        if !self.inner.access.restricts() {
            return None;
        }
        let (user, member, locale) = match interaction {
            Interaction::Command(c) if link::handles(&c.data.name) => return None,
            Interaction::Command(c) | Interaction::Autocomplete(c) => {
                (&c.user, c.member.as_deref(), &c.locale)
            }
            Interaction::Component(p) => (&p.user, p.member.as_ref(), &p.locale),
            Interaction::Modal(m) => (&m.user, m.member.as_ref(), &m.locale),
            _ => return None,
        };
        let err = self.actor(user, member, locale).await.err()?;
        let kept_out = matches!(&err, CoreError::Forbidden(why) if why == NOT_A_MEMBER || why == NOT_REGISTERED);
        if !kept_out {
            // Anything else is the handler's to report, where it happens.
            return None;
        }
        Some(match interaction {
            Interaction::Autocomplete(_) => CreateInteractionResponse::Autocomplete(
                serenity::builder::CreateAutocompleteResponse::new(),
            ),
            _ => self.error_notice(&self.lang(locale), &err),
        })
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
        match err {
            CoreError::Database(_) | CoreError::Unexpected(_) => {
                tracing::error!(error = %err, "discord interaction failed");
            }
            CoreError::Forbidden(why) if why == NOT_A_MEMBER => {
                return self.notice(lang, "discord-members-only");
            }
            CoreError::Forbidden(why) if why == NOT_REGISTERED => {
                return self.notice(lang, "discord-not-registered");
            }
            _ => {}
        }
        ephemeral(self.inner.catalog.error_text(lang, err))
    }

    /// The Usher user behind a Discord account and the actor to act as. In a guild, core
    /// checks the member roles that gate the bot, registers a newcomer as the settings say
    /// and brings the Usher roles in line with the Discord roles held now (a lost role takes
    /// its Usher role back); the guild owner and ADMINISTRATOR holders are reported as
    /// [`DISCORD_ADMINISTRATOR`]. In a DM no roles can be seen: when member roles gate the
    /// bot, only accounts Usher already knows are served there. On the way, core learns the
    /// member's Discord language (for DMs and cards later).
    async fn actor(
        &self,
        user: &DiscordUser,
        member: Option<&Member>,
        locale: &str,
    ) -> Result<(User, Actor), CoreError> {
        let id = user.id.get().to_string();
        let display = display_name(user);
        let users = &self.inner.services.users;
        let access = &self.inner.access;
        let found = match member {
            Some(member) => {
                let held = held_roles(member);
                let contact = GuildMember {
                    platform: Platform::Discord,
                    external_id: &id,
                    display: &display,
                    held: &held,
                };
                users
                    .meet_in_guild(&contact, access.registration, &access.roles)
                    .await?
            }
            None => {
                let registration = if access.roles.gates() {
                    Registration::Refuse
                } else {
                    access.registration
                };
                users
                    .resolve(Platform::Discord, &id, &display, registration)
                    .await?
            }
        };
        users.note_locale(Platform::Discord, &id, locale).await?;
        let actor = Actor::user(found.id, Source::Discord { user: id });
        Ok((found, actor))
    }
}

/// The Discord roles a member holds, as core's role map reads them: their role ids, and
/// [`DISCORD_ADMINISTRATOR`] when their permissions carry ADMINISTRATOR (which Discord sets
/// for the guild owner too).
fn held_roles(member: &Member) -> Vec<String> {
    let mut held: Vec<String> = member.roles.iter().map(|r| r.get().to_string()).collect();
    if member.permissions.is_some_and(|p| p.administrator()) {
        held.push(DISCORD_ADMINISTRATOR.to_owned());
    }
    held
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
