//! `/trending` and `/discover`: a page of titles as one text message with numbered buttons
//! (each opens the title's card, Request button included) and ◀ n/N ▶, edited in place when
//! pressed; `/discover` first asks which list (popular, upcoming, a genre). Everything rides in
//! the signed buttons and comes back from core ([`usher_core::service::DiscoverService`]), so a
//! page pressed days later still works.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::{MediaType, TmdbId};
use usher_core::integrations::tmdb::{TimeWindow, Trending};
use usher_core::service::{Caller, DiscoverList, DiscoverPage};

use super::cards;
use super::context::{Context, reply};
use super::render::{MAX_TEXT, card::Place, trim_chars};
use super::{Destination, HandlerError};
use crate::flows::search::{self as shared, tmdb_language};
use crate::view::discover::{self as view, Button};

/// Longest title on a list line: ten of them stay far below Telegram's 4,096 characters.
const MAX_TITLE: usize = 80;
/// Numbered buttons a row.
const PER_ROW: usize = 5;
/// Genre buttons a row.
const GENRES_PER_ROW: usize = 3;

/// `/trending [movie|tv] [day|week]`: the first page of what is trending.
pub(super) async fn trending(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
    arg: &str,
) -> Result<(), HandlerError> {
    let (kind, window) = trending_of(arg);
    let list = DiscoverList::Trending(kind, window);
    let lang = caller.language.as_str();
    let found = ctx
        .services
        .discover
        .page(caller, list, 1, tmdb_language(lang))
        .await;
    match found {
        Ok(page) => {
            let (text, keyboard) = page_message(ctx, lang, &page);
            let message = to.message(bot, text).reply_markup(keyboard);
            ctx.out.send(message).await?;
            Ok(())
        }
        Err(error) => reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    }
}

/// What `/trending`'s words ask for: `movie`/`tv` (else both), `day` (else the week).
fn trending_of(arg: &str) -> (Trending, TimeWindow) {
    let mut kind = Trending::All;
    let mut window = TimeWindow::Week;
    for word in arg.split_whitespace().map(str::to_lowercase) {
        match word.as_str() {
            "movie" | "movies" | "film" | "films" => kind = Trending::Movie,
            "tv" | "show" | "shows" | "series" => kind = Trending::Tv,
            "day" | "today" => window = TimeWindow::Day,
            "week" => window = TimeWindow::Week,
            _ => {}
        }
    }
    (kind, window)
}

/// `/discover`: which list to browse.
pub(super) async fn menu(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
) -> Result<(), HandlerError> {
    let lang = caller.language.as_str();
    let text = ctx.catalog.text(lang, "discover-menu", &[]);
    let keyboard = keyboard(view::menu(&ctx.catalog, lang, &ctx.codec));
    ctx.out
        .send(to.message(bot, text).reply_markup(keyboard))
        .await?;
    Ok(())
}

/// A list's page (a menu choice, a genre, ◀ or ▶): the message becomes that page.
pub(super) async fn page(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    (list, page): (DiscoverList, u16),
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let page = ctx
        .services
        .discover
        .page(caller, list, page, tmdb_language(lang))
        .await?;
    let (text, keyboard) = page_message(ctx, lang, &page);
    edit(bot, ctx, q, text, keyboard);
    Ok(None)
}

/// The genre picker for movies or shows, in place of the menu.
pub(super) async fn genres(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    media: MediaType,
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let genres = ctx
        .services
        .discover
        .genres(media, tmdb_language(lang))
        .await?;
    let rows = view::genre_buttons(&ctx.codec, media, &genres, GENRES_PER_ROW, usize::MAX);
    let text = view::genre_prompt(&ctx.catalog, lang, media);
    edit(bot, ctx, q, text, keyboard(rows));
    Ok(None)
}

/// A title's number: its card, as a new message under the list (which stays to pick another).
pub(super) async fn open(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    (media, tmdb_id): (MediaType, u32),
) -> usher_core::CoreResult<Option<String>> {
    let lang = caller.language.as_str();
    let tmdb = shared::configured(ctx.tmdb.as_ref())?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let mut view = shared::view_of_title(tmdb, media, id, tmdb_language(lang)).await?;
    let offer = shared::offer(&ctx.services, caller, &view).await?;
    shared::hold(&mut view, &offer);
    let Some(message) = q.regular_message() else {
        return Ok(None);
    };
    let to = Destination::of(message);
    let keyboard =
        super::render::card::keyboard(&ctx.catalog, lang, &ctx.codec, &view, &offer, Place::ALONE);
    cards::post_card(bot, ctx, to, lang, (&view, &offer), keyboard);
    Ok(None)
}

/// A page's text and keyboard: numbered buttons, five a row, then ◀ n/N ▶.
fn page_message(ctx: &Context, lang: &str, page: &DiscoverPage) -> (String, InlineKeyboardMarkup) {
    let text = view::text(&ctx.catalog, lang, page, |title| {
        trim_chars(title, MAX_TITLE)
    });
    let mut rows: Vec<Vec<Button>> = view::entry_buttons(&ctx.codec, page)
        .chunks(PER_ROW)
        .map(<[Button]>::to_vec)
        .collect();
    let nav = view::nav_buttons(&ctx.codec, page);
    if !nav.is_empty() {
        rows.push(nav);
    }
    (trim_chars(&text, MAX_TEXT), keyboard(rows))
}

fn keyboard(rows: Vec<Vec<Button>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter()
            .map(|(label, id)| InlineKeyboardButton::callback(label, id))
            .collect::<Vec<_>>()
    }))
}

/// Edits the pressed message into `text` with `keyboard`, queued behind the press's answer.
fn edit(bot: &Bot, ctx: &Context, q: &CallbackQuery, text: String, keyboard: InlineKeyboardMarkup) {
    let Some(message) = q.regular_message() else {
        return;
    };
    let edit = bot
        .edit_message_text(message.chat.id, message.id, text)
        .reply_markup(keyboard);
    ctx.out.post(edit, "a list to browse");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trending_words_pick_the_list() {
        assert_eq!(trending_of(""), (Trending::All, TimeWindow::Week));
        assert_eq!(
            trending_of("Movies today"),
            (Trending::Movie, TimeWindow::Day)
        );
        assert_eq!(trending_of("tv week"), (Trending::Tv, TimeWindow::Week));
        assert_eq!(trending_of("whatever"), (Trending::All, TimeWindow::Week));
    }
}
