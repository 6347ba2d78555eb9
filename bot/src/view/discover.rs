//! Lists to browse (`/trending`, `/discover`), platform-neutral: a page's text (heading, one
//! numbered line per title with its mark) and its buttons as (label, signed action) pairs —
//! a number per title that opens its card, ◀ n/N ▶ — plus the `/discover` menu and genre
//! picker. Telegram lays the buttons out as an inline keyboard, Discord as action rows.

use usher_core::domain::MediaType;
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::{Genre, TimeWindow, Trending};
use usher_core::service::{DiscoverList, DiscoverPage};

use super::card::list_mark;
use crate::callback::{Action, CallbackCodec};

/// A button before a platform draws it: its label and its signed id.
pub type Button = (String, String);

/// `movie` or `tv`, as the catalogue's selectors name media types.
fn media_word(media: MediaType) -> &'static str {
    match media {
        MediaType::Movie => "movie",
        MediaType::Tv => "tv",
    }
}

/// The page's heading: "🔥 Trending this week", "🎭 Animation — shows"…
#[must_use]
pub fn heading(catalog: &Catalog, lang: &str, page: &DiscoverPage) -> String {
    match page.list {
        DiscoverList::Trending(kind, window) => {
            let kind = match kind {
                Trending::All => "all",
                Trending::Movie => "movie",
                Trending::Tv => "tv",
            };
            let window = match window {
                TimeWindow::Day => "day",
                TimeWindow::Week => "week",
            };
            let args = [("kind", kind.to_owned()), ("window", window.to_owned())];
            catalog.text(lang, "discover-title-trending", &args)
        }
        DiscoverList::Popular(media) => {
            let args = [("media", media_word(media).to_owned())];
            catalog.text(lang, "discover-title-popular", &args)
        }
        DiscoverList::Upcoming => catalog.text(lang, "discover-title-upcoming", &[]),
        DiscoverList::Genre(media, id) => {
            let args = [
                ("media", media_word(media).to_owned()),
                (
                    "genre",
                    page.genre.clone().unwrap_or_else(|| id.to_string()),
                ),
            ];
            catalog.text(lang, "discover-title-genre", &args)
        }
    }
}

/// One line per title: "3. Dune: Part Two (2024) · ✅ Available". `fit` shortens (and, where
/// the platform has markup, escapes) a title TMDB chose before it goes into our words.
#[must_use]
pub fn lines(
    catalog: &Catalog,
    lang: &str,
    page: &DiscoverPage,
    fit: impl Fn(&str) -> String,
) -> Vec<String> {
    page.entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            let title = fit(&entry.title);
            let mut line = match entry.year {
                Some(year) => format!("{}. {title} ({year})", n + 1),
                None => format!("{}. {title}", n + 1),
            };
            if entry.media_type == MediaType::Tv
                && matches!(page.list, DiscoverList::Trending(Trending::All, _))
            {
                line.push_str(" 📺");
            }
            if let Some(mark) = &entry.mark {
                line.push_str(" · ");
                line.push_str(&list_mark(catalog, lang, mark));
            }
            line
        })
        .collect()
}

/// The whole text of a page: heading, lines, and how to go on (or that the list is empty).
#[must_use]
pub fn text(
    catalog: &Catalog,
    lang: &str,
    page: &DiscoverPage,
    fit: impl Fn(&str) -> String,
) -> String {
    let mut text = heading(catalog, lang, page);
    text.push_str("\n\n");
    if page.entries.is_empty() {
        text.push_str(&catalog.text(lang, "discover-empty", &[]));
        return text;
    }
    text.push_str(&lines(catalog, lang, page, fit).join("\n"));
    text.push_str("\n\n");
    text.push_str(&catalog.text(lang, "discover-tap", &[]));
    text
}

/// A button per title, numbered as its line, opening its card; a ➕ says the card offers a
/// Request.
#[must_use]
pub fn entry_buttons(codec: &CallbackCodec, page: &DiscoverPage) -> Vec<Button> {
    page.entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            let open = Action::OpenTitle {
                media: entry.media_type.into(),
                tmdb_id: entry.tmdb_id.get(),
            };
            let label = if entry.requestable {
                format!("{} ➕", n + 1)
            } else {
                (n + 1).to_string()
            };
            (label, codec.encode(&open))
        })
        .collect()
}

/// ◀ n/N ▶: the arrows only where there is a page to go to; nothing for a single page.
#[must_use]
pub fn nav_buttons(codec: &CallbackCodec, page: &DiscoverPage) -> Vec<Button> {
    if page.total_pages <= 1 {
        return Vec::new();
    }
    let go = |to: u16| {
        codec.encode(&Action::Discover {
            list: page.list,
            page: to,
        })
    };
    let mut row = Vec::new();
    if let Some(previous) = page.previous() {
        row.push(("◀".to_owned(), go(previous)));
    }
    let counter = format!("{}/{}", page.page, page.total_pages);
    row.push((counter, codec.encode(&Action::Noop)));
    if let Some(next) = page.next() {
        row.push(("▶".to_owned(), go(next)));
    }
    row
}

/// `/discover`'s menu: the lists, one row each pair.
#[must_use]
pub fn menu(catalog: &Catalog, lang: &str, codec: &CallbackCodec) -> Vec<Vec<Button>> {
    let list = |key: &str, list: DiscoverList| {
        let action = Action::Discover { list, page: 1 };
        (catalog.text(lang, key, &[]), codec.encode(&action))
    };
    let genres = |key: &str, media: MediaType| {
        let action = Action::Genres {
            media: media.into(),
        };
        (catalog.text(lang, key, &[]), codec.encode(&action))
    };
    vec![
        vec![
            list(
                "discover-menu-trending",
                DiscoverList::Trending(Trending::All, TimeWindow::Week),
            ),
            list("discover-menu-upcoming", DiscoverList::Upcoming),
        ],
        vec![
            list(
                "discover-menu-popular-movie",
                DiscoverList::Popular(MediaType::Movie),
            ),
            list(
                "discover-menu-popular-tv",
                DiscoverList::Popular(MediaType::Tv),
            ),
        ],
        vec![
            genres("discover-menu-genres-movie", MediaType::Movie),
            genres("discover-menu-genres-tv", MediaType::Tv),
        ],
    ]
}

/// The genre picker's question.
#[must_use]
pub fn genre_prompt(catalog: &Catalog, lang: &str, media: MediaType) -> String {
    let args = [("media", media_word(media).to_owned())];
    catalog.text(lang, "discover-genres", &args)
}

/// The genre picker: a button per genre, at most `per_row` a row and `max` in all (Discord
/// holds 25 buttons a message).
#[must_use]
pub fn genre_buttons(
    codec: &CallbackCodec,
    media: MediaType,
    genres: &[Genre],
    per_row: usize,
    max: usize,
) -> Vec<Vec<Button>> {
    let buttons: Vec<Button> = genres
        .iter()
        .take(max)
        .map(|genre| {
            let action = Action::Discover {
                list: DiscoverList::Genre(media, genre.id),
                page: 1,
            };
            (genre.name.clone(), codec.encode(&action))
        })
        .collect();
    buttons
        .chunks(per_row.max(1))
        .map(<[Button]>::to_vec)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::domain::{ListMark, TmdbId};
    use usher_core::service::DiscoverEntry;

    fn codec() -> CallbackCodec {
        CallbackCodec::new([7; 32], None)
    }

    fn entry(title: &str, media_type: MediaType, mark: Option<ListMark>) -> DiscoverEntry {
        DiscoverEntry {
            media_type,
            tmdb_id: TmdbId::parse(42).expect("id"),
            title: title.into(),
            year: Some(2024),
            requestable: mark.is_none(),
            mark,
        }
    }

    fn page(number: u16, total: u16) -> DiscoverPage {
        DiscoverPage {
            list: DiscoverList::Trending(Trending::All, TimeWindow::Week),
            page: number,
            total_pages: total,
            genre: None,
            entries: vec![
                entry(
                    "Dune: Part Two",
                    MediaType::Movie,
                    Some(ListMark::Available),
                ),
                entry("Arcane", MediaType::Tv, None),
            ],
        }
    }

    #[test]
    fn a_page_lists_titles_with_marks_and_numbers_to_open_them() {
        let catalog = Catalog::embedded().expect("catalogue");
        let shown = page(2, 3);
        let text = text(&catalog, "en-US", &shown, str::to_owned);
        assert!(text.starts_with("🔥 Trending this week"), "{text}");
        assert!(
            text.contains("1. Dune: Part Two (2024) · ✅ Available\n2. Arcane (2024) 📺"),
            "{text}"
        );
        let codec = codec();
        let entries = entry_buttons(&codec, &shown);
        assert_eq!(entries[0].0, "1");
        assert_eq!(entries[1].0, "2 ➕");
        assert_eq!(
            codec.decode(&entries[1].1),
            Ok(Action::OpenTitle {
                media: MediaType::Tv.into(),
                tmdb_id: 42
            })
        );
        let nav: Vec<String> = nav_buttons(&codec, &shown)
            .into_iter()
            .map(|(label, _)| label)
            .collect();
        assert_eq!(nav, ["◀", "2/3", "▶"]);
        assert_eq!(
            nav_buttons(&codec, &page(1, 3)).len(),
            2,
            "no ◀ on the first"
        );
        assert!(nav_buttons(&codec, &page(1, 1)).is_empty());
    }

    #[test]
    fn every_language_names_every_list() {
        let catalog = Catalog::embedded().expect("catalogue");
        for lang in catalog.languages() {
            for list in [
                DiscoverList::Trending(Trending::Movie, TimeWindow::Day),
                DiscoverList::Popular(MediaType::Tv),
                DiscoverList::Upcoming,
                DiscoverList::Genre(MediaType::Movie, 878),
            ] {
                let shown = DiscoverPage {
                    list,
                    genre: Some("Science Fiction".into()),
                    ..page(1, 1)
                };
                let heading = heading(&catalog, lang, &shown);
                assert!(!heading.contains("discover-"), "{lang}: {heading}");
            }
            for row in menu(&catalog, lang, &codec()) {
                assert!(row.iter().all(|(label, _)| !label.contains("discover-")));
            }
        }
    }
}
