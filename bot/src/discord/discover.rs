//! `/trending [kind] [period]` and `/discover`: a page of titles as an ephemeral message —
//! numbered lines with their marks, a button per title opening its card (Request included) and
//! ◀ n/N ▶ updating the message in place (type 7) — and `/discover`'s menu and genre picker.
//! Every button is a signed id; every page comes from core's `DiscoverService`.

use serenity::all::ButtonStyle;
use serenity::builder::{
    CreateActionRow, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::{CommandInteraction, ResolvedValue};
use usher_core::CoreError;
use usher_core::domain::{MediaType, TmdbId};
use usher_core::integrations::tmdb::{TimeWindow, Trending};
use usher_core::service::{Caller, DiscoverList, DiscoverPage};

use super::context::DiscordBot;
use super::render::card::{self, Texts};
use super::render::{MAX_CONTENT, button, clip, escape_markdown};
use crate::flows::search::{self, tmdb_language};
use crate::view::card::Place;
use crate::view::discover::{self as view, Button};

/// Longest title on a list line.
const MAX_TITLE: usize = 80;
/// Buttons a row (Discord's limit).
const PER_ROW: usize = 5;
/// Buttons a message (five rows of five).
const MAX_BUTTONS: usize = 25;

/// The values `/trending`'s `kind` option offers.
pub(super) fn kinds() -> Vec<&'static str> {
    vec!["all", "movie", "tv"]
}

/// The values `/trending`'s `period` option offers.
pub(super) fn windows() -> Vec<&'static str> {
    vec!["week", "day"]
}

/// `/trending`: the first page of what is trending, ephemeral.
pub(super) async fn trending(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let mut kind = Trending::All;
    let mut window = TimeWindow::Week;
    for option in cmd.data.options() {
        match (option.name, option.value) {
            ("kind", ResolvedValue::String("movie")) => kind = Trending::Movie,
            ("kind", ResolvedValue::String("tv")) => kind = Trending::Tv,
            ("period", ResolvedValue::String("day")) => window = TimeWindow::Day,
            _ => {}
        }
    }
    let list = DiscoverList::Trending(kind, window);
    let lang = &caller.language;
    let found = bot
        .services()
        .discover
        .page(caller, list, 1, tmdb_language(lang))
        .await;
    match found {
        Ok(page) => {
            CreateInteractionResponse::Message(page_message(bot, lang, &page).ephemeral(true))
        }
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// `/discover`: which list to browse, ephemeral.
pub(super) async fn menu(bot: &DiscordBot, caller: &Caller) -> CreateInteractionResponse {
    let lang = &caller.language;
    let rows = view::menu(bot.catalog(), lang, bot.codec());
    let message = CreateInteractionResponseMessage::new()
        .content(bot.text(lang, "discover-menu", &[]))
        .components(action_rows(rows))
        .ephemeral(true);
    CreateInteractionResponse::Message(message)
}

/// A list's page (a menu choice, a genre, ◀ or ▶): the message becomes that page.
pub(super) async fn page(
    bot: &DiscordBot,
    caller: &Caller,
    (list, page): (DiscoverList, u16),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let page = bot
        .services()
        .discover
        .page(caller, list, page, tmdb_language(lang))
        .await?;
    Ok(CreateInteractionResponse::UpdateMessage(page_message(
        bot, lang, &page,
    )))
}

/// The genre picker for movies or shows, in place of the menu.
pub(super) async fn genres(
    bot: &DiscordBot,
    caller: &Caller,
    media: MediaType,
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let genres = bot
        .services()
        .discover
        .genres(media, tmdb_language(lang))
        .await?;
    let rows = view::genre_buttons(bot.codec(), media, &genres, PER_ROW, MAX_BUTTONS);
    let message = CreateInteractionResponseMessage::new()
        .content(view::genre_prompt(bot.catalog(), lang, media))
        .components(action_rows(rows));
    Ok(CreateInteractionResponse::UpdateMessage(message))
}

/// A title's button: its card as a new ephemeral message (the list stays to pick another).
pub(super) async fn open(
    bot: &DiscordBot,
    caller: &Caller,
    (media, tmdb_id): (MediaType, u32),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let tmdb = search::configured(bot.tmdb())?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let mut view = search::view_of_title(tmdb, media, id, tmdb_language(lang)).await?;
    let offer = search::offer(bot.services(), caller, &view).await?;
    search::hold(&mut view, &offer);
    let texts = Texts {
        catalog: bot.catalog(),
        lang,
    };
    let (embed, rows) = card::card(&texts, bot.codec(), &view, &offer, Place::ALONE);
    let message = CreateInteractionResponseMessage::new()
        .embed(embed)
        .components(rows)
        .ephemeral(true);
    Ok(CreateInteractionResponse::Message(message))
}

/// A page's content and buttons: two rows of numbered buttons, then ◀ n/N ▶.
fn page_message(
    bot: &DiscordBot,
    lang: &str,
    page: &DiscoverPage,
) -> CreateInteractionResponseMessage {
    let fit = |title: &str| escape_markdown(&clip(title, MAX_TITLE));
    let text = view::text(bot.catalog(), lang, page, fit);
    let mut rows: Vec<Vec<Button>> = view::entry_buttons(bot.codec(), page)
        .chunks(PER_ROW)
        .map(<[Button]>::to_vec)
        .collect();
    let nav = view::nav_buttons(bot.codec(), page);
    if !nav.is_empty() {
        rows.push(nav);
    }
    CreateInteractionResponseMessage::new()
        .content(clip(&text, MAX_CONTENT))
        .components(action_rows(rows))
}

/// Rows of buttons, at most five rows of five.
fn action_rows(rows: Vec<Vec<Button>>) -> Vec<CreateActionRow> {
    rows.into_iter()
        .take(MAX_BUTTONS / PER_ROW)
        .map(|row| {
            CreateActionRow::Buttons(
                row.into_iter()
                    .take(PER_ROW)
                    .map(|(label, id)| button(id, &label, ButtonStyle::Secondary))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_five_rows_of_five() {
        let row: Vec<Button> = (0..7).map(|n| (n.to_string(), format!("id{n}"))).collect();
        let rows = action_rows(vec![row; 7]);
        assert_eq!(rows.len(), 5);
        let json = serde_json::to_value(&rows).expect("json");
        assert!(
            json.as_array()
                .into_iter()
                .flatten()
                .all(|r| r["components"].as_array().is_some_and(|b| b.len() == 5))
        );
    }
}
