//! What every Discord feature shares, so that feature files import this and core, never each
//! other: the bot handle ([`DiscordBot`]) with core's services, the TMDB client, the catalogue,
//! the signed button codec and the REST client; the person behind an interaction, resolved
//! once at the edge ([`DiscordBot::caller`], in `caller`); answers kept within Discord's limits
//! (notices, decided cards); and Discord's 3-second rule for late answers (`defer`).

mod caller;
pub(super) mod defer;

use std::sync::Arc;

use serenity::builder::{CreateEmbed, CreateInteractionResponse, CreateInteractionResponseMessage};
use serenity::model::channel::Message;
use serenity::model::user::User as DiscordUser;
use usher_core::CoreError;
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::notify::DeliveryError;
use usher_core::service::users::{NOT_A_MEMBER, NOT_REGISTERED};
use usher_core::service::{Admission, Services};

use super::render;
use super::rest::{Rest, RestError};
use crate::callback::CallbackCodec;

/// Who may use the bot and as what, from the settings: which Discord roles carry Usher roles
/// and gate the bot (`USHER_DISCORD_*_ROLE_IDS`, `USHER_DISCORD_ADMINISTRATORS_ARE_ADMINS`),
/// and what happens to a Discord account Usher has never seen
/// (`USHER_DISCORD_REGISTRATION`). Core applies both when it resolves a caller.
pub type Access = Admission;

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
    rest: Rest,
    access: Access,
    /// `USHER_DISCORD_GUILD_IDS`: the guilds served; empty serves every guild.
    guilds: Vec<u64>,
}

impl std::fmt::Debug for DiscordBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordBot").finish_non_exhaustive()
    }
}

/// Someone core would not let in, as a command that admits strangers (`/link`) sees them:
/// why, and the language of their client to say so in.
#[derive(Debug)]
pub(super) struct Refused {
    /// The language their Discord client reports, negotiated with the catalogue.
    pub lang: String,
    /// What core said.
    pub error: CoreError,
}

impl DiscordBot {
    /// Builds the bot over core's services; `tmdb` is `None` when no TMDB key is configured
    /// (search then answers with a notice instead of failing). `access` says which Discord
    /// roles carry Usher roles, who may use the bot and what happens to newcomers; `guilds`
    /// are the guilds served (every guild when empty).
    pub fn new(
        services: Services,
        tmdb: Option<TmdbClient>,
        catalog: Arc<Catalog>,
        codec: CallbackCodec,
        rest: Rest,
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

    /// Core's services.
    pub(super) fn services(&self) -> &Services {
        &self.inner.services
    }

    /// The TMDB client, `None` when no key is configured.
    pub(super) fn tmdb(&self) -> Option<&TmdbClient> {
        self.inner.tmdb.as_ref()
    }

    /// The Fluent catalogue every text comes from.
    pub(super) fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The codec that signs and checks button ids.
    pub(super) fn codec(&self) -> &CallbackCodec {
        &self.inner.codec
    }

    /// The REST client, which keeps Discord's rate limits.
    pub(super) fn rest(&self) -> &Rest {
        &self.inner.rest
    }

    /// Whether interactions from `guild` are answered (`USHER_DISCORD_GUILD_IDS`, when set, is
    /// an allow-list: a bot invited elsewhere does nothing there).
    pub(super) fn serves(&self, guild: u64) -> bool {
        self.inner.guilds.is_empty() || self.inner.guilds.contains(&guild)
    }

    /// The language for a Discord client locale such as `de` or `en-GB`: only for answers
    /// given before or without a caller (a guild not served, a refusal, a deferral's notice);
    /// handlers answer in their [`Caller`](usher_core::service::Caller)'s language.
    pub(super) fn lang(&self, locale: &str) -> String {
        self.inner.catalog.negotiate(Some(locale)).to_owned()
    }

    /// A localized message.
    pub(super) fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        self.inner.catalog.text(lang, key, args)
    }

    /// An ephemeral text answer from a catalogue key.
    pub(super) fn notice(&self, lang: &str, key: &str) -> CreateInteractionResponse {
        ephemeral(self.text(lang, key, &[]))
    }

    /// An ephemeral answer telling what a core error means for the person.
    pub(super) fn error_notice(&self, lang: &str, err: &CoreError) -> CreateInteractionResponse {
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
}

/// An ephemeral message answer (type 4, flag 64): only the presser sees it.
pub(super) fn ephemeral(content: String) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(render::clip(&content, render::MAX_CONTENT))
            .ephemeral(true),
    )
}

/// A Discord user's name as Discord shows it.
pub(super) fn display_name(user: &DiscordUser) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// The answer once a card was decided (approved, declined, resolved): a message that is one
/// card is edited in place (type 7) with `outcome` as its footer and no buttons left; from a
/// list (`/pending`) or no message at all, the presser gets `otherwise` as a notice.
pub(super) fn decided(
    message: Option<&Message>,
    outcome: &str,
    otherwise: String,
) -> CreateInteractionResponse {
    match card_embed(message) {
        Some(base) => CreateInteractionResponse::UpdateMessage(render::decided_card(base, outcome)),
        None => ephemeral(otherwise),
    }
}

/// The title embed of a single card, to keep when it is edited; `None` for a message that is
/// not one card (a `/pending` list, or none at all).
fn card_embed(message: Option<&Message>) -> Option<CreateEmbed> {
    match message.map(|m| m.embeds.as_slice()) {
        Some([embed]) => Some(CreateEmbed::from(embed.clone())),
        _ => None,
    }
}

/// Whether a REST failure is worth retrying (the notifier's and the issue cards' rule).
pub(super) fn classify(err: RestError) -> DeliveryError {
    if err.is_transient() {
        DeliveryError::Transient(err.to_string())
    } else {
        DeliveryError::Refused(err.to_string())
    }
}
