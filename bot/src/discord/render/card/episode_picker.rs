//! Discord's episode picker, pure functions of what TMDB lists: on a show's card, a menu of
//! its seasons ("Episodes of one season…"); for the season chosen, a select of its episodes,
//! 25 a page (Discord's limit of options per select), any number of them chosen, with ◀ n/N ▶
//! between pages. Every id is signed and carries only the show, the season and the page: the
//! choices arrive as the select's values and are checked against TMDB's list again
//! ([`chosen_season`], [`chosen_episodes`]), so an edited value asks for nothing.

use serenity::builder::{
    CreateActionRow, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
};
use serenity::model::application::ButtonStyle;

use super::{MAX_OPTION_LABEL, MAX_OPTIONS, MAX_PLACEHOLDER, MenuError, Texts};
use crate::callback::{Action, CallbackCodec};
use crate::discord::render::{button, clip};
use crate::view::card::TitleView;

/// Episodes one page of the picker lists: as many as a select holds.
pub const EPISODES_PER_PAGE: usize = MAX_OPTIONS;

/// The show and season a picker is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickerAt {
    /// TMDB id of the show.
    pub tmdb_id: u32,
    /// The season.
    pub season: u8,
}

/// The seasons the card's menu offers: the latest 25 the member can ask for.
fn offered(view: &TitleView) -> Vec<u8> {
    let mut seasons: Vec<u8> = view.pickable().rev().take(MAX_OPTIONS).collect();
    seasons.reverse();
    seasons
}

/// The card's "Episodes of one season…" menu; `None` for a show with no season to ask for.
#[must_use]
pub fn season_menu(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    view: &TitleView,
) -> Option<CreateActionRow> {
    let seasons = offered(view);
    if seasons.is_empty() {
        return None;
    }
    let options = seasons
        .iter()
        .map(|season| {
            let label = texts.catalog.text(
                texts.lang,
                "discord-season",
                &[("number", season.to_string())],
            );
            CreateSelectMenuOption::new(clip(&label, MAX_OPTION_LABEL), season.to_string())
        })
        .collect();
    let placeholder = texts.catalog.text(texts.lang, "discord-episodes-menu", &[]);
    let id = codec.encode(&Action::EpisodeSeasons {
        tmdb_id: view.tmdb_id,
    });
    let menu = CreateSelectMenu::new(id, CreateSelectMenuKind::String { options })
        .placeholder(clip(&placeholder, MAX_PLACEHOLDER))
        .min_values(1)
        .max_values(1);
    Some(CreateActionRow::SelectMenu(menu))
}

/// How many pages `numbers` fill (at least one).
#[must_use]
pub fn pages(numbers: &[u16]) -> usize {
    numbers.len().div_ceil(EPISODES_PER_PAGE).max(1)
}

/// The episodes of `page` (the last page for a page past the end: TMDB's list may have
/// shrunk since the button was made).
#[must_use]
pub fn page_of(numbers: &[u16], page: u8) -> (u8, &[u16]) {
    let last = pages(numbers) - 1;
    let page = usize::from(page).min(last);
    let start = page * EPISODES_PER_PAGE;
    let end = (start + EPISODES_PER_PAGE).min(numbers.len());
    (u8::try_from(page).unwrap_or(u8::MAX), &numbers[start..end])
}

/// The picker for `page` of the season's episodes (`numbers`, ascending, not empty): the
/// episode select, and ◀ n/N ▶ when they fill more than one page.
#[must_use]
pub fn picker(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    at: PickerAt,
    numbers: &[u16],
    page: u8,
) -> Vec<CreateActionRow> {
    let (page, shown) = page_of(numbers, page);
    let options: Vec<CreateSelectMenuOption> = shown
        .iter()
        .map(|n| {
            let label =
                texts
                    .catalog
                    .text(texts.lang, "card-episode", &[("number", n.to_string())]);
            CreateSelectMenuOption::new(clip(&label, MAX_OPTION_LABEL), n.to_string())
        })
        .collect();
    let count = u8::try_from(options.len()).unwrap_or(u8::MAX);
    let placeholder = texts
        .catalog
        .text(texts.lang, "discord-episodes-placeholder", &[]);
    let id = codec.encode(&Action::EpisodeMenu {
        tmdb_id: at.tmdb_id,
        season: at.season,
        page,
    });
    let menu = CreateSelectMenu::new(id, CreateSelectMenuKind::String { options })
        .placeholder(clip(&placeholder, MAX_PLACEHOLDER))
        .min_values(1)
        .max_values(count.max(1));
    let mut rows = vec![CreateActionRow::SelectMenu(menu)];
    rows.extend(paging_row(codec, at, page, pages(numbers)));
    rows
}

/// ◀ n/N ▶ with no wrap-around (each id in a message must differ), or nothing for one page.
fn paging_row(
    codec: &CallbackCodec,
    at: PickerAt,
    page: u8,
    pages: usize,
) -> Option<CreateActionRow> {
    if pages <= 1 {
        return None;
    }
    let go = |page: u8| {
        codec.encode(&Action::EpisodePage {
            tmdb_id: at.tmdb_id,
            season: at.season,
            page,
        })
    };
    let mut row = Vec::new();
    if page > 0 {
        row.push(button(go(page - 1), "◀", ButtonStyle::Secondary));
    }
    let counter = format!("{}/{pages}", usize::from(page) + 1);
    row.push(
        button(
            codec.encode(&Action::Noop),
            &counter,
            ButtonStyle::Secondary,
        )
        .disabled(true),
    );
    if usize::from(page) + 1 < pages {
        row.push(button(go(page + 1), "▶", ButtonStyle::Secondary));
    }
    Some(CreateActionRow::Buttons(row))
}

/// The season the card's menu chose, checked against the show's real seasons (`view`, fresh
/// from TMDB).
///
/// # Errors
///
/// [`MenuError::Forged`] for anything but one season the menu offers.
pub fn chosen_season(values: &[String], view: &TitleView) -> Result<u8, MenuError> {
    let [value] = values else {
        return Err(MenuError::Forged);
    };
    let season: u8 = value.parse().map_err(|_| MenuError::Forged)?;
    // "07" or "+7" would name season 7 too; only the menu's own spelling counts.
    if season.to_string() != *value || !offered(view).contains(&season) {
        return Err(MenuError::Forged);
    }
    Ok(season)
}

/// The episodes a picker page chose, checked against that page of TMDB's list (`numbers`).
///
/// # Errors
///
/// [`MenuError::Forged`] for no value, or any value that page does not list.
pub fn chosen_episodes(
    values: &[String],
    numbers: &[u16],
    page: u8,
) -> Result<Vec<u16>, MenuError> {
    let (shown_page, shown) = page_of(numbers, page);
    if values.is_empty() || shown_page != page {
        return Err(MenuError::Forged);
    }
    let mut chosen = Vec::with_capacity(values.len());
    for value in values {
        let number: u16 = value.parse().map_err(|_| MenuError::Forged)?;
        if number.to_string() != *value || !shown.contains(&number) {
            return Err(MenuError::Forged);
        }
        chosen.push(number);
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

#[cfg(test)]
#[path = "episode_picker_tests.rs"]
mod tests;
