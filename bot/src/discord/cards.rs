//! The search card's own presses: ◀ ▶ turn the card to another result of its stored search
//! (the message updated in place, type 7), the season menu requests the seasons chosen, and
//! **Notify me too** makes the presser a follower of someone else's request. Everything comes
//! from the signed id and the database, so a card keeps working after a restart; the request
//! itself goes through the same path as the **Request** button
//! ([`super::components::request`]).

use serenity::builder::{CreateInteractionResponse, CreateInteractionResponseMessage};
use serenity::model::application::{ComponentInteraction, ComponentInteractionDataKind};
use usher_core::CoreError;
use usher_core::domain::{Actor, MediaType, RequestId, TmdbId};

use super::DiscordBot;
use super::render::card::{self, MenuError, Texts};
use crate::flows::search::{self, Shown};

/// The card for `shown`, as a message (ephemeral when it is a new answer; an update keeps the
/// message's own flags).
pub(super) fn message(
    bot: &DiscordBot,
    lang: &str,
    shown: &Shown,
) -> CreateInteractionResponseMessage {
    let texts = Texts {
        catalog: &bot.inner.catalog,
        lang,
    };
    let (embed, rows) = card::card(
        &texts,
        &bot.inner.codec,
        &shown.view,
        &shown.offer,
        shown.place,
    );
    CreateInteractionResponseMessage::new()
        .embed(embed)
        .components(rows)
}

/// ◀ or ▶: the card becomes result `index` of the stored search, edited in place; a search
/// that has been forgotten only gets a notice, and the card stays as it was.
pub(super) async fn page(
    bot: &DiscordBot,
    lang: &str,
    actor: &Actor,
    search_id: u64,
    index: u16,
) -> Result<CreateInteractionResponse, CoreError> {
    let tmdb = search::configured(bot.inner.tmdb.as_ref())?;
    let services = &bot.inner.services;
    match search::recall(services, tmdb, actor, search_id, index).await? {
        Some(shown) => Ok(CreateInteractionResponse::UpdateMessage(message(
            bot, lang, &shown,
        ))),
        None => Ok(bot.notice(lang, "card-search-expired")),
    }
}

/// The season menu was submitted: the chosen values are checked against the show's seasons
/// as TMDB lists them now (a forged value requests nothing), then requested like a button.
pub(super) async fn season_menu(
    bot: &DiscordBot,
    lang: &str,
    actor: &Actor,
    press: &ComponentInteraction,
    (tmdb_id, four_k): (u32, bool),
) -> Result<CreateInteractionResponse, CoreError> {
    let ComponentInteractionDataKind::StringSelect { values } = &press.data.kind else {
        return Ok(bot.notice(lang, "discord-forged"));
    };
    let tmdb = search::configured(bot.inner.tmdb.as_ref())?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let view = search::view_of_title(tmdb, MediaType::Tv, id, None).await?;
    let pick = match card::chosen_seasons(values, &view) {
        Ok(pick) => pick,
        Err(MenuError::Forged) => {
            tracing::info!(?values, "refused a season menu value");
            return Ok(bot.notice(lang, "discord-season-invalid"));
        }
        Err(MenuError::NoSeason) => return Ok(bot.notice(lang, "discord-season-none")),
    };
    super::components::request(bot, lang, actor, (MediaType::Tv, tmdb_id, four_k, pick)).await
}

/// **Notify me too**: the presser follows someone else's request and hears when it is there.
pub(super) async fn follow(
    bot: &DiscordBot,
    lang: &str,
    actor: &Actor,
    request_id: i64,
) -> Result<CreateInteractionResponse, CoreError> {
    bot.inner
        .services
        .requests
        .follow(actor, RequestId(request_id))
        .await?;
    Ok(bot.notice(lang, "bot-followed"))
}
