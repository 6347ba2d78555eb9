//! The episode picker of one season, opened from the season picker when one season is ticked:
//! a page of episode toggles (✅ when ticked), ◀ ▶ between pages, Request these once something
//! is ticked, and Back to the season picker. Every button carries the whole pick it leads to,
//! signed, so nothing is kept between presses.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::i18n::Catalog;

use crate::callback::{Action, CallbackCodec, EpisodePick, SeasonPick};

/// Episodes shown per page.
pub const EPISODES_PER_PAGE: usize = 20;
/// Episodes per row.
const PER_ROW: usize = 5;

/// Which season's picker, and the card it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodesAt {
    /// The show.
    pub tmdb_id: u32,
    /// The card's stored search.
    pub search_id: u64,
    /// The card's place in it.
    pub index: u16,
    /// The season.
    pub season: u8,
}

impl EpisodesAt {
    fn show(self, page: u8, episodes: EpisodePick) -> Action {
        Action::PickEpisodes {
            tmdb_id: self.tmdb_id,
            search_id: self.search_id,
            index: self.index,
            season: self.season,
            page,
            episodes,
        }
    }
}

/// The picker for `page` of the episodes TMDB lists (`numbers`, ascending; those a button
/// cannot carry, past 64, are left out) with `pick` ticked.
#[must_use]
pub fn episode_picker(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    at: EpisodesAt,
    numbers: &[u16],
    (page, pick): (u8, EpisodePick),
) -> InlineKeyboardMarkup {
    let button = |label: String, action: &Action| {
        InlineKeyboardButton::callback(label, codec.encode(action))
    };
    let pickable: Vec<u16> = numbers
        .iter()
        .copied()
        .filter(|n| EpisodePick::of([*n]).is_some())
        .collect();
    let pages = pickable.len().div_ceil(EPISODES_PER_PAGE).max(1);
    let page = usize::from(page).min(pages - 1);
    let this_page = u8::try_from(page).unwrap_or(u8::MAX);
    let toggles: Vec<InlineKeyboardButton> = pickable
        .iter()
        .skip(page * EPISODES_PER_PAGE)
        .take(EPISODES_PER_PAGE)
        .map(|&n| {
            let ticked = pick.numbers().contains(&n);
            let mut next = pick;
            next.toggle(n);
            let label = catalog.text(lang, "card-episode", &[("number", n.to_string())]);
            let label = if ticked {
                format!("✅ {label}")
            } else {
                label
            };
            button(label, &at.show(this_page, next))
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> =
        toggles.chunks(PER_ROW).map(<[_]>::to_vec).collect();
    if pages > 1 {
        let previous = u8::try_from((page + pages - 1) % pages).unwrap_or(0);
        let next = u8::try_from((page + 1) % pages).unwrap_or(0);
        let counter = format!("{}/{pages}", page + 1);
        rows.push(vec![
            button("◀".into(), &at.show(previous, pick)),
            button(counter, &Action::Noop),
            button("▶".into(), &at.show(next, pick)),
        ]);
    }
    if pick.0 != 0 {
        let request = Action::RequestEpisodes {
            tmdb_id: at.tmdb_id,
            four_k: false,
            season: at.season,
            episodes: pick,
        };
        let label = catalog.text(lang, "card-button-request-picked", &[]);
        rows.push(vec![button(label, &request)]);
    }
    let mut season = SeasonPick::default();
    season.toggle(at.season);
    let back = Action::PickSeasons {
        tmdb_id: at.tmdb_id,
        search_id: at.search_id,
        index: at.index,
        seasons: season,
    };
    rows.push(vec![button(
        catalog.text(lang, "card-button-back", &[]),
        &back,
    )]);
    InlineKeyboardMarkup::new(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(markup: &InlineKeyboardMarkup) -> Vec<Vec<String>> {
        markup
            .inline_keyboard
            .iter()
            .map(|row| row.iter().map(|b| b.text.clone()).collect())
            .collect()
    }

    fn decoded(
        codec: &CallbackCodec,
        markup: &InlineKeyboardMarkup,
        row: usize,
        col: usize,
    ) -> Action {
        let teloxide::types::InlineKeyboardButtonKind::CallbackData(data) =
            &markup.inline_keyboard[row][col].kind
        else {
            panic!("a callback button");
        };
        codec.decode(data).expect("our own id")
    }

    #[test]
    fn pages_tick_and_request_exactly_the_pick() {
        let catalog = Catalog::embedded().expect("catalogue");
        let codec = CallbackCodec::new([7; 32], None);
        let at = EpisodesAt {
            tmdb_id: 1396,
            search_id: 4,
            index: 0,
            season: 2,
        };
        let numbers: Vec<u16> = (1..=23).collect();
        let none = episode_picker(&catalog, "en-US", &codec, at, &numbers, (0, EpisodePick(0)));
        let rows = labels(&none);
        assert_eq!(rows[0], ["E1", "E2", "E3", "E4", "E5"]);
        assert_eq!(rows[4], ["◀", "1/2", "▶"]);
        assert_eq!(rows[5], ["◀ Back"], "nothing ticked: no Request");
        let Action::PickEpisodes { episodes, page, .. } = decoded(&codec, &none, 0, 4) else {
            panic!("a toggle");
        };
        assert_eq!((episodes.numbers(), page), (vec![5], 0));
        let Action::PickEpisodes { page, .. } = decoded(&codec, &none, 4, 2) else {
            panic!("next page");
        };
        let ticked = EpisodePick::of([5, 21]).expect("pick");
        let second = episode_picker(&catalog, "en-US", &codec, at, &numbers, (page, ticked));
        let rows = labels(&second);
        assert_eq!(rows[0], ["✅ E21", "E22", "E23"]);
        assert_eq!(rows[2], ["Request these"]);
        let Action::RequestEpisodes {
            season, episodes, ..
        } = decoded(&codec, &second, 2, 0)
        else {
            panic!("a request");
        };
        assert_eq!((season, episodes.numbers()), (2, vec![5, 21]));
        let Action::PickSeasons { seasons, .. } = decoded(&codec, &second, 3, 0) else {
            panic!("back to the seasons");
        };
        assert_eq!(seasons.seasons(), [2]);
    }
}
