//! `/tv Show S02E05`: the show's card with one button per season of the episodes asked for
//! (signed like every button), and the press that asks core for them. Without an episode in
//! the query, `/tv` is the ordinary search ([`super::cards::search`]). Also the episode picker
//! a season picker opens for its one ticked season.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::{Episodes, MediaType, TmdbId};
use usher_core::service::{Caller, OutcomeKind};

use super::context::{Context, reply};
use super::render::episode_picker::{EpisodesAt, episode_picker};
use super::{Destination, HandlerError, cards};
use crate::callback::EpisodePick;
use crate::flows::episodes::{self as shared, by_season};
use crate::flows::search::{self as search, tmdb_language};

/// `/tv <query>`: a search, or, when the query ends with episodes, the card for asking them.
pub(super) async fn search(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
    query: &str,
) -> Result<(), HandlerError> {
    let lang = caller.language.as_str();
    let (title, episodes) = match Episodes::split_query(query) {
        Ok((_, None)) => {
            return cards::search(bot, ctx, to, caller, query, Some(MediaType::Tv)).await;
        }
        Ok((title, Some(episodes))) => (title, episodes),
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    let Some(tmdb) = &ctx.tmdb else {
        let text = ctx.catalog.text(lang, "bot-search-unavailable", &[]);
        return reply(bot, ctx, to, &text).await;
    };
    let buttons = match by_season(&episodes) {
        Ok(buttons) => buttons,
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    let asked = (title, Some(MediaType::Tv), tmdb_language(lang));
    let shown = match search::open(&ctx.services, tmdb, asked, caller).await {
        Ok(Some(shown)) => shown,
        Ok(None) => {
            let none = ctx
                .catalog
                .text(lang, "bot-no-results", &[("query", title.to_owned())]);
            return reply(bot, ctx, to, &none).await;
        }
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    let rows = buttons.iter().map(|b| {
        let label = ctx.catalog.text(
            lang,
            "card-request-episodes",
            &[("episodes", b.label.clone())],
        );
        let action = b.action(shown.view.tmdb_id, false);
        vec![InlineKeyboardButton::callback(
            label,
            ctx.codec.encode(&action),
        )]
    });
    let keyboard = InlineKeyboardMarkup::new(rows);
    cards::post(bot, ctx, to, lang, &shown.view, &shown.offer, keyboard).await?;
    Ok(())
}

/// A press of an episode button: core asks, auto-approves or follows; returns the answer.
pub(super) async fn request(
    ctx: &Context,
    caller: &Caller,
    (tmdb_id, four_k, season): (u32, bool, u8),
    pick: EpisodePick,
) -> usher_core::CoreResult<String> {
    let tmdb = search::configured(ctx.tmdb.as_ref())?;
    let outcome = shared::ask(&ctx.services, tmdb, caller, (tmdb_id, four_k, season, pick)).await?;
    let key = match outcome.kind {
        OutcomeKind::Created => "bot-requested",
        OutcomeKind::AutoApproved => "bot-auto-approved",
        OutcomeKind::Followed => "bot-followed",
    };
    Ok(ctx.catalog.text(&caller.language, key, &[]))
}

/// A press in the episode picker (or the button that opens it): the card's keyboard becomes
/// the picker of that season, from TMDB's episode list, with `pick` ticked on `page`.
pub(super) async fn pick(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    at: EpisodesAt,
    (page, pick): (u8, EpisodePick),
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let tmdb = search::configured(ctx.tmdb.as_ref())?;
    let id = TmdbId::parse(i64::from(at.tmdb_id))?;
    let season = tmdb
        .season(id, u16::from(at.season), tmdb_language(lang))
        .await
        .map_err(|error| error.into_core(search::TMDB))?;
    let numbers: Vec<u16> = season
        .episodes
        .iter()
        .filter_map(|e| u16::try_from(e.number).ok())
        .collect();
    if let Some(message) = q.regular_message() {
        let keyboard = episode_picker(&ctx.catalog, lang, &ctx.codec, at, &numbers, (page, pick));
        let edit = bot
            .edit_message_reply_markup(message.chat.id, message.id)
            .reply_markup(keyboard);
        ctx.out.post(edit, "the episode picker");
    }
    let opening = page == 0 && pick == EpisodePick::default();
    Ok(opening.then(|| ctx.catalog.text(lang, "card-pick-episodes", &[])))
}
