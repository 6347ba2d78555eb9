//! The search result card on Discord: an embed (poster, title with year, rating and runtime or
//! seasons, overview, what the library and other people's requests say) and its components —
//! ◀ n/N ▶ through the stored search, the buttons core's [`TitleOffer`] allows, and for a show
//! a multi-select menu of seasons and one opening the episode picker of a season. Pure functions of the shared [`TitleView`] and offer, kept
//! within Discord's limits (≤ 5 action rows, ≤ 25 options, clipped texts).

use serenity::builder::{
    CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};
use serenity::model::application::ButtonStyle;
use usher_core::domain::{Availability, MediaType};
use usher_core::i18n::Catalog;
use usher_core::service::TitleOffer;

use super::{
    MAX_BUTTON_LABEL, MAX_EMBED_DESCRIPTION, MAX_EMBED_FOOTER, MAX_EMBED_TITLE, OVERVIEW_CHARS,
    button, clip,
};
use crate::callback::{Action, CallbackCodec, SeasonPick};
use crate::view::card::{Place, TitleView, facts, status_lines};

pub mod episode_picker;

/// Options in one select menu.
pub const MAX_OPTIONS: usize = 25;
/// Characters in a select option's label (and value).
pub const MAX_OPTION_LABEL: usize = 100;
/// Characters in a select menu's placeholder.
pub const MAX_PLACEHOLDER: usize = 150;
/// Action rows in one message.
pub const MAX_ROWS: usize = 5;
/// Characters across every embed of a message.
pub const MAX_EMBEDS_TOTAL: usize = 6000;
/// The season menu's value for every season there is now.
pub const ALL_SEASONS: &str = "all";
/// The season menu's value for the seasons still to come (Sonarr monitors new seasons).
pub const FUTURE_SEASONS: &str = "future";
/// Season options that fit beside "All seasons" and "Future seasons".
const SEASON_OPTIONS: usize = MAX_OPTIONS - 2;
/// Characters of the footer that says not every season fits the menu.
const MAX_NOTE: usize = 300;

/// What the card says in the person's language.
pub struct Texts<'a> {
    /// The one Fluent catalogue.
    pub catalog: &'a Catalog,
    /// The person's language.
    pub lang: &'a str,
}

impl Texts<'_> {
    fn get(&self, key: &str, args: &[(&str, String)]) -> String {
        self.catalog.text(self.lang, key, args)
    }
}

/// The card's embed and components for `view` at `place`, as core's `offer` allows.
pub fn card(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    place: Place,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    (
        embed(texts, view, offer),
        components(texts, codec, view, offer, place),
    )
}

/// Title with year; facts, overview and status as the description (the overview gives way
/// so the facts and status always show); the poster; and, when a show has more seasons than
/// its menu can list, a footer saying so.
pub fn embed(texts: &Texts<'_>, view: &TitleView, offer: &TitleOffer) -> CreateEmbed {
    let mut embed = CreateEmbed::new().title(clip(&view.heading(), MAX_EMBED_TITLE));
    let description = description(texts, view, offer);
    // Discord refuses an empty description.
    if !description.is_empty() {
        embed = embed.description(description);
    }
    if let Some(poster) = &view.poster {
        embed = embed.thumbnail(poster.as_str());
    }
    let pickable = view.pickable().count();
    if view.media_type == MediaType::Tv && pickable > SEASON_OPTIONS {
        let args = [
            ("count", pickable.to_string()),
            ("shown", SEASON_OPTIONS.to_string()),
        ];
        let note = texts.get("discord-seasons-recent", &args);
        embed = embed.footer(CreateEmbedFooter::new(clip(
            &note,
            MAX_NOTE.min(MAX_EMBED_FOOTER),
        )));
    }
    embed
}

/// "⭐ 7.8 · 155 min", the overview, and what core says, separated by blank lines.
fn description(texts: &Texts<'_>, view: &TitleView, offer: &TitleOffer) -> String {
    let facts = facts(texts.catalog, texts.lang, view);
    let status = status_lines(texts.catalog, texts.lang, offer);
    let fixed: usize = [&facts, &status]
        .iter()
        .map(|t| t.chars().count() + 2)
        .sum();
    let room = MAX_EMBED_DESCRIPTION
        .saturating_sub(fixed)
        .min(OVERVIEW_CHARS);
    let overview = view.overview.trim();
    let overview = if room > 1 {
        clip(overview, room)
    } else {
        String::new()
    };
    let parts: Vec<String> = [facts, overview, status]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    clip(&parts.join("\n\n"), MAX_EMBED_DESCRIPTION)
}

/// Every component row of the card: paging, the buttons, and for a show its season menus and
/// the menu that opens the episode picker of one season (five rows at most, Discord's limit).
#[must_use]
pub fn components(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    place: Place,
) -> Vec<CreateActionRow> {
    let mut rows = Vec::new();
    rows.extend(paging_row(codec, place));
    let buttons = buttons(texts, codec, view, offer);
    if !buttons.is_empty() {
        rows.push(CreateActionRow::Buttons(buttons));
    }
    if view.media_type == MediaType::Tv && view.pickable().next().is_some() {
        let kinds = [(false, offer.request), (true, offer.request_4k)];
        for (four_k, allowed) in kinds {
            if allowed {
                rows.push(season_menu(texts, codec, view, four_k));
            }
            if allowed && !four_k {
                rows.extend(episode_picker::season_menu(texts, codec, view));
            }
        }
    }
    rows.truncate(MAX_ROWS);
    rows
}

/// ◀ n/N ▶ (wrapping around; the counter cannot be pressed), or nothing for one result.
fn paging_row(codec: &CallbackCodec, place: Place) -> Option<CreateActionRow> {
    let (previous, next) = place.neighbours()?;
    let page = |index| {
        codec.encode(&Action::Page {
            search_id: place.search_id,
            index,
        })
    };
    let counter = button(
        codec.encode(&Action::Noop),
        &place.counter(),
        ButtonStyle::Secondary,
    )
    .disabled(true);
    Some(CreateActionRow::Buttons(vec![
        button(page(previous), "◀", ButtonStyle::Secondary),
        counter,
        button(page(next), "▶", ButtonStyle::Secondary),
    ]))
}

/// The card's buttons, the one place they are decided: Request and Request 4K when core
/// allows them (a show's quick Request asks for every season, the ones to come included),
/// Notify me too when someone else already asked, and a disabled "In the library" when the
/// library holds all of it — or, when core knows where the title sits in the media server, a
/// link button that opens it there instead.
fn buttons(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
) -> Vec<CreateButton> {
    let mut row = Vec::new();
    let (seasons, label) = match view.media_type {
        MediaType::Movie => (SeasonPick::default(), "discord-button-request"),
        MediaType::Tv => (
            SeasonPick {
                all: true,
                future: true,
                ..SeasonPick::default()
            },
            "card-button-request-all",
        ),
    };
    let request = |four_k| {
        codec.encode(&Action::Request {
            media: view.kind(),
            tmdb_id: view.tmdb_id,
            four_k,
            seasons,
        })
    };
    if offer.request {
        row.push(button(
            request(false),
            &texts.get(label, &[]),
            ButtonStyle::Primary,
        ));
    }
    if offer.request_4k {
        let label = texts.get("card-button-request-4k", &[]);
        row.push(button(request(true), &label, ButtonStyle::Primary));
    }
    if let Some(other) = &offer.follow {
        let follow = codec.encode(&Action::Follow {
            request_id: other.id.0,
        });
        let label = texts.get("card-button-follow", &[]);
        row.push(button(follow, &label, ButtonStyle::Secondary));
    }
    let links = crate::view::card::watch_links(offer);
    for (server, url) in links.iter().take(5usize.saturating_sub(row.len())) {
        let label = if server.is_empty() {
            texts.get("card-button-open-library", &[])
        } else {
            texts.get("card-button-watch", &[("server", server.clone())])
        };
        row.push(CreateButton::new_link(url.clone()).label(clip(&label, MAX_BUTTON_LABEL)));
    }
    if links.is_empty() && offer.library == Availability::Full {
        let label = texts.get("discord-button-in-library", &[]);
        let held = button(codec.encode(&Action::Noop), &label, ButtonStyle::Success);
        row.push(held.disabled(true));
    }
    row
}

/// A show's season menu: "All seasons", "Future seasons" and one option per season (the
/// most recent ones when they do not all fit), any number of them chosen.
fn season_menu(
    texts: &Texts<'_>,
    codec: &CallbackCodec,
    view: &TitleView,
    four_k: bool,
) -> CreateActionRow {
    let option = |label: String, value: String| {
        CreateSelectMenuOption::new(clip(&label, MAX_OPTION_LABEL), value)
    };
    let mut options = vec![
        option(texts.get("discord-season-all", &[]), ALL_SEASONS.into()),
        option(texts.get("card-button-future", &[]), FUTURE_SEASONS.into()),
    ];
    let seasons: Vec<u8> = view.pickable().rev().take(SEASON_OPTIONS).collect();
    options.extend(seasons.into_iter().rev().map(|season| {
        let label = texts.get("discord-season", &[("number", season.to_string())]);
        option(label, season.to_string())
    }));
    let count = u8::try_from(options.len()).unwrap_or(u8::MAX);
    let placeholder = match four_k {
        false => texts.get("card-button-pick", &[]),
        true => texts.get("discord-pick-seasons-4k", &[]),
    };
    let id = codec.encode(&Action::SeasonMenu {
        tmdb_id: view.tmdb_id,
        four_k,
    });
    let menu = CreateSelectMenu::new(id, CreateSelectMenuKind::String { options })
        .placeholder(clip(&placeholder, MAX_PLACEHOLDER))
        .min_values(1)
        .max_values(count);
    CreateActionRow::SelectMenu(menu)
}

/// Why a season menu's values were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuError {
    /// A value the menu never offers for this show: forged or edited.
    Forged,
    /// Only "Future seasons": no season that exists was chosen.
    NoSeason,
}

/// The seasons a submitted menu asks for, checked against the show's real seasons (`view`,
/// fresh from TMDB): every value must be "all", "future" or one of its regular seasons.
///
/// # Errors
///
/// [`MenuError::Forged`] for any other value, [`MenuError::NoSeason`] when nothing but
/// future seasons was chosen.
pub fn chosen_seasons(values: &[String], view: &TitleView) -> Result<SeasonPick, MenuError> {
    let mut pick = SeasonPick::default();
    for value in values {
        match value.as_str() {
            ALL_SEASONS => pick.all = true,
            FUTURE_SEASONS => pick.future = true,
            number => {
                let season: u8 = number.parse().map_err(|_| MenuError::Forged)?;
                // "07" or "+7" would name season 7 too; only the menu's own spelling counts.
                if season.to_string() != number || !view.pickable().any(|s| s == season) {
                    return Err(MenuError::Forged);
                }
                pick.mask |= 1u64 << season;
            }
        }
    }
    if values.is_empty() {
        return Err(MenuError::Forged);
    }
    if pick.all {
        pick.mask = 0;
    }
    if !pick.all && pick.mask == 0 {
        return Err(MenuError::NoSeason);
    }
    Ok(pick)
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
