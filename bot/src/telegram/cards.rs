//! Search result cards: a search posts the first result as a poster card; ◀ ▶ edit the card in
//! place to another result, and a show's card opens a season picker. Nothing is kept in memory:
//! the search is stored by core ([`usher_core::service::SearchService`]) and its results come
//! back from the TMDB client's cache, and every button carries what it needs, signed — so a
//! card pressed days later, or after a restart, still works. What each card offers is core's
//! answer ([`usher_core::service::TitleService::offer`]).

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQuery, InlineKeyboardMarkup, InputFile, InputMedia, InputMediaPhoto, ReplyMarkup,
};
use usher_core::domain::{MediaType, PlaceKey, RequestId, TmdbId};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Caller, OutcomeKind, RequestOutcome, TitleOffer};

use super::context::{Context, reply};
use super::render::card::{self, Place, TitleView};
use super::render::{MAX_CAPTION, MAX_TEXT};
use super::{Destination, HandlerError};
use crate::callback::{MediaKind, SeasonPick};
use crate::flows::search::{self as shared, TMDB, offer, tmdb_language};

/// A search from `/movie`, `/tv`, `/request` or plain text: the first result as a card, with
/// ◀ ▶ through the others.
pub(super) async fn search(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
    query: &str,
    kind: Option<MediaType>,
) -> Result<(), HandlerError> {
    let lang = caller.language.as_str();
    let query = query.trim();
    let Some(tmdb) = &ctx.tmdb else {
        let text = ctx.catalog.text(lang, "bot-search-unavailable", &[]);
        return reply(bot, ctx, to, &text).await;
    };
    if query.is_empty() {
        let text = ctx.catalog.text(lang, "bot-usage-search", &[]);
        return reply(bot, ctx, to, &text).await;
    }
    let language = tmdb_language(lang);
    let asked = (query, kind, language);
    let shown = shared::open(&ctx.services, tmdb, asked, caller).await;
    let shared::Shown { view, offer, place } = match shown {
        Ok(Some(shown)) => shown,
        Ok(None) => {
            let args = [("query", query.to_owned())];
            let none = ctx.catalog.text(lang, "bot-no-results", &args);
            return reply(bot, ctx, to, &none).await;
        }
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    let keyboard = card::keyboard(&ctx.catalog, lang, &ctx.codec, &view, &offer, place);
    post(bot, ctx, to, lang, &view, &offer, keyboard).await?;
    Ok(())
}

/// ◀ or ▶: the card becomes result `index` of the stored search (poster, caption and keyboard
/// edited in place). Returns the toast to show, if any.
pub(super) async fn page(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    search_id: u64,
    index: u16,
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let tmdb = tmdb(ctx)?;
    let recalled = shared::recall(&ctx.services, tmdb, caller, search_id, index);
    let Some(shown) = recalled.await? else {
        return Ok(Some(ctx.catalog.text(lang, "card-search-expired", &[])));
    };
    let shared::Shown { view, offer, place } = shown;
    let Some(message) = q.regular_message() else {
        return Ok(None);
    };
    let keyboard = card::keyboard(&ctx.catalog, lang, &ctx.codec, &view, &offer, place);
    replace(bot, ctx, message, lang, &view, &offer, keyboard);
    Ok(None)
}

/// Which show's picker, and the card it belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) struct PickerAt {
    /// The show.
    pub tmdb_id: u32,
    /// The card's stored search.
    pub search_id: u64,
    /// The card's place in it.
    pub index: u16,
}

/// A press in the season picker (or the button that opens it): the card's keyboard becomes the
/// picker with `pick` ticked. The caption stays: it already shows this show.
pub(super) async fn pick_seasons(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    at: PickerAt,
    pick: SeasonPick,
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let PickerAt {
        tmdb_id,
        search_id,
        index,
    } = at;
    let tmdb = tmdb(ctx)?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let show = tmdb
        .show(id, None)
        .await
        .map_err(|error| error.into_core(TMDB))?;
    let mut view = TitleView {
        media_type: MediaType::Tv,
        tmdb_id,
        title: show.title.clone(),
        year: show.year,
        rating: Some(show.vote_average),
        runtime: None,
        seasons: show.regular_seasons().map(|s| s.number).collect(),
        overview: String::new(),
        poster: None,
        held: Vec::new(),
    };
    let offer = offer(&ctx.services, caller, &view).await?;
    crate::flows::search::hold(&mut view, &offer);
    // The picker goes back to the card's place; the total only matters for paging, not shown.
    let place = Place {
        search_id,
        index,
        total: 1,
    };
    if let Some(message) = q.regular_message() {
        let keyboard =
            card::season_picker(&ctx.catalog, lang, &ctx.codec, &view, &offer, pick, place);
        let edit = bot
            .edit_message_reply_markup(message.chat.id, message.id)
            .reply_markup(keyboard);
        ctx.out.post(edit, "the season picker");
    }
    let opening = pick == SeasonPick::default();
    Ok(opening.then(|| ctx.catalog.text(lang, "card-pick-seasons", &[])))
}

/// A Request button (on a search card, or posted through inline mode): core asks, auto-approves
/// or adds the presser as a follower — from `place` when the card is in a group chat, whose
/// budget then counts it. Returns the answer for the press and what core did.
pub(super) async fn request(
    ctx: &Context,
    caller: &Caller,
    (media, tmdb_id, four_k): (MediaKind, u32, bool),
    seasons: SeasonPick,
    place: Option<PlaceKey>,
) -> usher_core::CoreResult<(String, RequestOutcome)> {
    let tmdb = tmdb(ctx)?;
    let new = crate::flows::new_request(tmdb, media.into(), tmdb_id, four_k, seasons).await?;
    let outcome = ctx
        .services
        .requests
        .create_at(&caller.actor, new, place)
        .await?;
    let key = match outcome.kind {
        OutcomeKind::Created => "bot-requested",
        OutcomeKind::AutoApproved => "bot-auto-approved",
        OutcomeKind::Followed => "bot-followed",
    };
    Ok((ctx.catalog.text(&caller.language, key, &[]), outcome))
}

/// "Notify me too": the presser follows someone else's request for the same title.
pub(super) async fn follow(
    ctx: &Context,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<String> {
    let id = RequestId(request_id);
    ctx.services.requests.follow(&caller.actor, id).await?;
    Ok(ctx.catalog.text(&caller.language, "bot-followed", &[]))
}

fn tmdb(ctx: &Context) -> usher_core::CoreResult<&TmdbClient> {
    shared::configured(ctx.tmdb.as_ref())
}

/// Posts a card: a photo with a caption when there is a poster, a text message otherwise.
pub(super) async fn post(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    lang: &str,
    view: &TitleView,
    offer: &TitleOffer,
    keyboard: InlineKeyboardMarkup,
) -> Result<(), RequestError> {
    match NewCard::build(bot, ctx, to, lang, (view, offer), keyboard) {
        NewCard::Photo(photo) => ctx.out.send(photo).await.map(drop),
        NewCard::Text(text) => ctx.out.send(text).await.map(drop),
    }
}

/// Queues a new card at `to` (a title opened from a list to browse), without waiting for it.
pub(super) fn post_card(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    lang: &str,
    shown: (&TitleView, &TitleOffer),
    keyboard: InlineKeyboardMarkup,
) {
    NewCard::build(bot, ctx, to, lang, shown, keyboard).queue(ctx, "a title card");
}

/// A card's message before it is sent: a photo with a caption when the title has a poster, a
/// text message otherwise.
enum NewCard {
    Photo(<Bot as Requester>::SendPhoto),
    Text(<Bot as Requester>::SendMessage),
}

impl NewCard {
    fn build(
        bot: &Bot,
        ctx: &Context,
        to: Destination,
        lang: &str,
        (view, offer): (&TitleView, &TitleOffer),
        keyboard: InlineKeyboardMarkup,
    ) -> Self {
        match &view.poster {
            Some(poster) => {
                let caption = card::caption(&ctx.catalog, lang, view, offer, MAX_CAPTION);
                let photo = to
                    .photo(bot, InputFile::url(poster.clone()))
                    .caption(caption)
                    .reply_markup(ReplyMarkup::InlineKeyboard(keyboard));
                Self::Photo(photo)
            }
            None => {
                let text = card::caption(&ctx.catalog, lang, view, offer, MAX_TEXT);
                Self::Text(to.message(bot, text).reply_markup(keyboard))
            }
        }
    }

    /// Queues the card without waiting for it (see [`crate::telegram::send::SendQueue::post`]).
    fn queue(self, ctx: &Context, what: &'static str) {
        match self {
            Self::Photo(photo) => ctx.out.post(photo, what),
            Self::Text(text) => ctx.out.post(text, what),
        }
    }
}

/// Turns `message` into the card for `view`: the poster, caption and keyboard edited in place
/// (`editMessageMedia`), or the text and keyboard for a card without poster. Telegram cannot
/// turn a photo into text or back, so then the old card is deleted and a new one posted. All of
/// it is queued, not awaited: the button press that asked for it is answered first, and the
/// chat's lane keeps the new card before the deletion.
fn replace(
    bot: &Bot,
    ctx: &Context,
    message: &Message,
    lang: &str,
    view: &TitleView,
    offer: &TitleOffer,
    keyboard: InlineKeyboardMarkup,
) {
    let chat = message.chat.id;
    match (&view.poster, message.photo().is_some()) {
        (Some(poster), true) => {
            let caption = card::caption(&ctx.catalog, lang, view, offer, MAX_CAPTION);
            let photo = InputMediaPhoto::new(InputFile::url(poster.clone())).caption(caption);
            let edit = bot
                .edit_message_media(chat, message.id, InputMedia::Photo(photo))
                .reply_markup(keyboard);
            ctx.out.post(edit, "a search card's page");
        }
        (None, false) => {
            let text = card::caption(&ctx.catalog, lang, view, offer, MAX_TEXT);
            let edit = bot
                .edit_message_text(chat, message.id, text)
                .reply_markup(keyboard);
            ctx.out.post(edit, "a search card's page");
        }
        _ => {
            NewCard::build(
                bot,
                ctx,
                Destination::of(message),
                lang,
                (view, offer),
                keyboard,
            )
            .queue(ctx, "a search card's page");
            ctx.out.post(
                bot.delete_message(chat, message.id),
                "the card a new one replaced",
            );
        }
    }
}
