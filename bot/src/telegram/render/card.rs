//! Search result cards: the caption (title, year, rating, runtime or seasons, overview, what the
//! library and other people's requests say), the card's keyboard (◀ n/N ▶, Request, Request 4K,
//! the way into the season picker, Notify me too) and the season picker. Pure functions of a [`TitleView`] and core's [`TitleOffer`]: the buttons shown are
//! the ones core allows, and every press is checked by core again.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::MediaType;
use usher_core::i18n::Catalog;
use usher_core::service::TitleOffer;

use super::trim_chars;
use crate::callback::{Action, CallbackCodec, SeasonPick};
pub use crate::view::card::{Place, TitleView};
use crate::view::card::{facts, status_lines};

/// Telegram shows at most this many buttons in one row.
pub const MAX_ROW: usize = 8;
/// Telegram accepts at most this many buttons in one inline keyboard.
pub const MAX_BUTTONS: usize = 100;
/// Season toggles per row of the picker: narrow enough for a phone.
const SEASONS_PER_ROW: usize = 5;

/// The card's caption: head, facts, overview, then what core says about the title, within
/// `max` characters (the head and the status line are kept whole; the overview gives way).
#[must_use]
pub fn caption(
    catalog: &Catalog,
    lang: &str,
    view: &TitleView,
    offer: &TitleOffer,
    max: usize,
) -> String {
    let mut head = view.heading();
    let facts = facts(catalog, lang, view);
    if !facts.is_empty() {
        head.push('\n');
        head.push_str(&facts);
    }
    let status = status_lines(catalog, lang, offer);
    let overview = view.overview.trim();
    let tail = if status.is_empty() {
        String::new()
    } else {
        format!("\n\n{status}")
    };
    let fixed = head.chars().count() + tail.chars().count();
    if overview.is_empty() || fixed + 4 > max {
        return trim_chars(&format!("{head}{tail}"), max);
    }
    let room = max - fixed - 2;
    format!("{head}\n\n{}{tail}", trim_chars(overview, room))
}

fn button(
    label: impl Into<String>,
    codec: &CallbackCodec,
    action: &Action,
) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, codec.encode(action))
}

/// ◀ n/N ▶ (wrapping around), or nothing for a single result.
fn paging_row(codec: &CallbackCodec, place: Place) -> Option<Vec<InlineKeyboardButton>> {
    let (previous, next) = place.neighbours()?;
    let page = |index| Action::Page {
        search_id: place.search_id,
        index,
    };
    Some(vec![
        button("◀", codec, &page(previous)),
        button(place.counter(), codec, &Action::Noop),
        button("▶", codec, &page(next)),
    ])
}

/// The Request (and Request 4K) buttons for a pick; TV labels say how many seasons.
fn request_row(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    seasons: SeasonPick,
    label: &str,
) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    let request = |four_k| Action::Request {
        media: view.kind(),
        tmdb_id: view.tmdb_id,
        four_k,
        seasons,
    };
    if offer.request {
        row.push(button(
            catalog.text(lang, label, &[]),
            codec,
            &request(false),
        ));
    }
    if offer.request_4k {
        let text = catalog.text(lang, "card-button-request-4k", &[]);
        row.push(button(text, codec, &request(true)));
    }
    row
}

/// The keyboard under a result card: paging, Request / Request 4K (for a show: every season,
/// and the way into the season picker), Notify me too, and "Open in library" (a URL button)
/// when core knows where the media server keeps the title; otherwise the caption alone says
/// it is in the library.
#[must_use]
pub fn keyboard(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    place: Place,
) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    rows.extend(paging_row(codec, place));
    let (seasons, label) = match view.media_type {
        MediaType::Movie => (SeasonPick::default(), "bot-button-request"),
        // The quick button asks for the whole show, seasons to come included; the picker
        // is there for anything narrower.
        MediaType::Tv => (
            SeasonPick {
                all: true,
                future: true,
                ..SeasonPick::default()
            },
            "card-button-request-all",
        ),
    };
    let requests = request_row(catalog, lang, codec, view, offer, seasons, label);
    if !requests.is_empty() {
        rows.push(requests);
    }
    let may_ask = offer.request || offer.request_4k;
    if view.media_type == MediaType::Tv && may_ask && view.pickable().next().is_some() {
        let open = Action::PickSeasons {
            tmdb_id: view.tmdb_id,
            search_id: place.search_id,
            index: place.index,
            seasons: SeasonPick::default(),
        };
        let label = catalog.text(lang, "card-button-pick", &[]);
        rows.push(vec![button(label, codec, &open)]);
    }
    if let Some(request) = &offer.follow {
        let follow = Action::Follow {
            request_id: request.id.0,
        };
        let label = catalog.text(lang, "card-button-follow", &[]);
        rows.push(vec![button(label, codec, &follow)]);
    }
    rows.extend(watch_rows(catalog, lang, offer));
    InlineKeyboardMarkup::new(rows)
}

/// "Watch on <server>": a URL button per media server holding the title (or "Open in
/// library" for a link Usher saw before the index), when core built links a chat client takes
/// ([`crate::view::card::watch_links`]).
fn watch_rows(catalog: &Catalog, lang: &str, offer: &TitleOffer) -> Vec<Vec<InlineKeyboardButton>> {
    crate::view::card::watch_links(offer)
        .into_iter()
        .map(|(server, url)| {
            let label = if server.is_empty() {
                catalog.text(lang, "card-button-open-library", &[])
            } else {
                catalog.text(lang, "card-button-watch", &[("server", server)])
            };
            vec![InlineKeyboardButton::url(label, url)]
        })
        .collect()
}

/// The season picker: one toggle per season (✅ when ticked), "All" and "Future seasons"
/// switches, Request / Request 4K with the pick (once something is picked), and Back to the
/// card. Every button carries the pick it leads to.
#[must_use]
pub fn season_picker(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    pick: SeasonPick,
    place: Place,
) -> InlineKeyboardMarkup {
    let all_mask = view.all_mask();
    let show = |seasons: SeasonPick| Action::PickSeasons {
        tmdb_id: view.tmdb_id,
        search_id: place.search_id,
        index: place.index,
        seasons,
    };
    let tick = |on: bool, label: String| if on { format!("✅ {label}") } else { label };
    let toggles: Vec<InlineKeyboardButton> = view
        .pickable()
        .map(|season| {
            let ticked = pick.all || pick.contains(season);
            let mut next = pick;
            if pick.all {
                // Unticking one season of "all" leaves the others ticked, one by one.
                next.all = false;
                next.mask = all_mask & !(1u64 << season);
            } else {
                next.toggle(season);
            }
            let label = catalog.text(lang, "card-season", &[("number", season.to_string())]);
            button(tick(ticked, label), codec, &show(next))
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = toggles
        .chunks(SEASONS_PER_ROW)
        .map(<[InlineKeyboardButton]>::to_vec)
        .collect();
    let everything = SeasonPick {
        mask: if pick.all { 0 } else { all_mask },
        all: !pick.all,
        future: pick.future,
    };
    let future = SeasonPick {
        future: !pick.future,
        ..pick
    };
    rows.push(vec![
        button(
            tick(pick.all, catalog.text(lang, "card-button-all", &[])),
            codec,
            &show(everything),
        ),
        button(
            tick(pick.future, catalog.text(lang, "card-button-future", &[])),
            codec,
            &show(future),
        ),
    ]);
    let picked = if pick.all {
        all_mask
    } else {
        pick.mask & all_mask
    };
    if picked != 0 {
        let requests = request_row(
            catalog,
            lang,
            codec,
            view,
            offer,
            pick,
            "card-button-request-picked",
        );
        if !requests.is_empty() {
            rows.push(requests);
        }
    }
    if let Some(row) = episodes_row(catalog, lang, codec, view, offer, (pick, place)) {
        rows.push(row);
    }
    let back = Action::Page {
        search_id: place.search_id,
        index: place.index,
    };
    rows.push(vec![button(
        catalog.text(lang, "card-button-back", &[]),
        codec,
        &back,
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// "Episodes of S2…" when exactly one season is ticked and the person may ask: opens that
/// season's episode picker ([`super::episode_picker`]).
fn episodes_row(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    view: &TitleView,
    offer: &TitleOffer,
    (pick, place): (SeasonPick, Place),
) -> Option<Vec<InlineKeyboardButton>> {
    let [season] = pick.seasons()[..] else {
        return None;
    };
    if pick.all || !offer.request {
        return None;
    }
    let open = Action::PickEpisodes {
        tmdb_id: view.tmdb_id,
        search_id: place.search_id,
        index: place.index,
        season,
        page: 0,
        episodes: crate::callback::EpisodePick::default(),
    };
    let label = catalog.text(
        lang,
        "card-button-pick-episodes",
        &[("season", season.to_string())],
    );
    Some(vec![button(label, codec, &open)])
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
