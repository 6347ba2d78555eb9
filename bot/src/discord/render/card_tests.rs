//! The Discord search card: which buttons and menus for which offer, every id signed and
//! decodable, and Discord's limits kept whatever TMDB sends.

use serde_json::Value;
use usher_core::domain::{Availability, RequestStatus, Seasons};
use usher_core::service::TitleOffer;

use super::*;
use crate::callback::{Action, MediaKind, SeasonPick};
use crate::discord::render::{
    MAX_BUTTON_LABEL, MAX_CUSTOM_ID, MAX_EMBED_DESCRIPTION, MAX_EMBED_FOOTER, MAX_EMBED_TITLE,
};
use crate::view::card_fixtures::{catalog, codec, member, movie, show, someones_request};

const PLACE: Place = Place {
    search_id: 41,
    index: 0,
    total: 3,
};

/// The card as Discord receives it: `(embed, rows)`, with the limits every card must keep
/// checked on the way (rows, ids, labels, option counts, embed sizes).
fn render(view: &TitleView, offer: &TitleOffer, place: Place) -> (Value, Vec<Value>) {
    let catalog = catalog();
    let texts = Texts {
        catalog: &catalog,
        lang: "en-US",
    };
    let (embed, rows) = card(&texts, &codec(), view, offer, place);
    let embed = serde_json::to_value(&embed).expect("embed");
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| serde_json::to_value(row).expect("row"))
        .collect();
    assert!(rows.len() <= MAX_ROWS, "{} rows", rows.len());
    let count = |key: &str| embed[key].as_str().map_or(0, |t| t.chars().count());
    let footer = embed["footer"]["text"]
        .as_str()
        .map_or(0, |t| t.chars().count());
    assert!(count("title") <= MAX_EMBED_TITLE);
    assert!(count("description") <= MAX_EMBED_DESCRIPTION);
    assert!(footer <= MAX_EMBED_FOOTER);
    assert!(count("title") + count("description") + footer <= MAX_EMBEDS_TOTAL);
    for row in &rows {
        let components = row["components"].as_array().expect("components");
        assert!(!components.is_empty() && components.len() <= 5, "{row}");
        for component in components {
            if component["style"] == 5 {
                // A link button: a URL instead of an id, nothing to sign.
                assert!(
                    component["url"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("http"))
                );
                continue;
            }
            let id = component["custom_id"]
                .as_str()
                .expect("every component is signed");
            assert!(id.chars().count() <= MAX_CUSTOM_ID, "{id}");
            assert!(codec().decode(id).is_ok(), "{id}");
            if let Some(label) = component["label"].as_str() {
                assert!(!label.is_empty() && label.chars().count() <= MAX_BUTTON_LABEL);
            }
            if let Some(options) = component["options"].as_array() {
                assert!(!options.is_empty() && options.len() <= MAX_OPTIONS);
                assert_eq!(components.len(), 1, "a select fills its row");
            }
        }
    }
    (embed, rows)
}

/// The buttons of every row as (label, action, disabled).
fn buttons(rows: &[Value]) -> Vec<(String, Action, bool)> {
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2 && c["style"] != 5)
        .map(|c| {
            let action = codec()
                .decode(c["custom_id"].as_str().expect("id"))
                .expect("ours");
            let label = c["label"].as_str().unwrap_or_default().to_owned();
            (label, action, c["disabled"] == true)
        })
        .collect()
}

/// The link buttons (style 5): (label, URL).
fn links(rows: &[Value]) -> Vec<(String, String)> {
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2 && c["style"] == 5)
        .map(|c| {
            assert!(
                c.get("custom_id").is_none(),
                "a link button carries no id: {c}"
            );
            let label = c["label"].as_str().unwrap_or_default().to_owned();
            (label, c["url"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// The select menus: (decoded id, option values, min, max, placeholder).
fn menus(rows: &[Value]) -> Vec<(Action, Vec<String>, u64, u64, String)> {
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 3)
        .map(|c| {
            let action = codec()
                .decode(c["custom_id"].as_str().expect("id"))
                .expect("ours");
            let values = c["options"]
                .as_array()
                .expect("options")
                .iter()
                .map(|o| o["value"].as_str().expect("value").to_owned())
                .collect();
            let min = c["min_values"].as_u64().expect("min_values");
            let max = c["max_values"].as_u64().expect("max_values");
            let placeholder = c["placeholder"].as_str().unwrap_or_default().to_owned();
            (action, values, min, max, placeholder)
        })
        .collect()
}

fn labels(rows: &[Value]) -> Vec<String> {
    buttons(rows).into_iter().map(|(label, ..)| label).collect()
}

#[test]
fn a_movie_card_shows_its_facts_and_pages_through_the_search() {
    let (embed, rows) = render(&movie(), &member(), PLACE);
    assert_eq!(embed["title"], "Dune (2021)");
    let description = embed["description"].as_str().expect("description");
    assert!(
        description.starts_with("⭐ 7.8 · 155 min\n\nPaul Atreides"),
        "{description}"
    );
    assert!(
        embed["thumbnail"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with(".jpg"))
    );
    let shown = buttons(&rows);
    assert_eq!(labels(&rows), ["◀", "1/3", "▶", "Request"]);
    let page = |index| Action::Page {
        search_id: 41,
        index,
    };
    assert_eq!(shown[0].1, page(2), "◀ wraps around to the last result");
    assert_eq!(
        (shown[1].1, shown[1].2),
        (Action::Noop, true),
        "the counter is disabled"
    );
    assert_eq!(shown[2].1, page(1));
    assert_eq!(
        shown[3].1,
        Action::Request {
            media: MediaKind::Movie,
            tmdb_id: 438_631,
            four_k: false,
            seasons: SeasonPick::default(),
        }
    );
    assert!(menus(&rows).is_empty(), "a movie has no season menu");
}

#[test]
fn a_picked_title_has_no_paging() {
    let (_, rows) = render(&movie(), &member(), Place::ALONE);
    assert_eq!(labels(&rows), ["Request"]);
    assert_eq!(rows.len(), 1);
}

#[test]
fn request_4k_only_when_the_offer_allows_it() {
    let offer = TitleOffer {
        request_4k: true,
        ..member()
    };
    let (_, rows) = render(&movie(), &offer, Place::ALONE);
    let shown = buttons(&rows);
    assert_eq!(labels(&rows), ["Request", "Request 4K"]);
    assert!(matches!(shown[1].1, Action::Request { four_k: true, .. }));
}

#[test]
fn someone_elses_request_offers_notify_me_too_and_says_so() {
    let offer = TitleOffer {
        request: false,
        follow: Some(someones_request(12, RequestStatus::Pending)),
        ..member()
    };
    let (embed, rows) = render(&movie(), &offer, Place::ALONE);
    let shown = buttons(&rows);
    assert_eq!(labels(&rows), ["🔔 Notify me too"]);
    assert_eq!(shown[0].1, Action::Follow { request_id: 12 });
    let description = embed["description"].as_str().expect("description");
    assert!(
        description.ends_with("Someone already asked: #12, pending."),
        "{description}"
    );
}

#[test]
fn a_title_in_the_library_shows_a_disabled_button_and_no_request() {
    let offer = TitleOffer {
        request: false,
        library: Availability::Full,
        ..member()
    };
    let (embed, rows) = render(&movie(), &offer, Place::ALONE);
    let shown = buttons(&rows);
    assert_eq!(labels(&rows), ["In the library"]);
    assert!(shown[0].2, "disabled");
    let description = embed["description"].as_str().expect("description");
    assert!(
        description.ends_with("✅ Already in the library."),
        "{description}"
    );
}

#[test]
fn a_title_core_can_link_to_opens_in_the_library_instead() {
    let link = "https://media.example.org/web/#/details?id=4f1c";
    let offer = TitleOffer {
        request: false,
        library: Availability::Full,
        library_link: Some(link.into()),
        ..member()
    };
    let (_, rows) = render(&movie(), &offer, Place::ALONE);
    assert_eq!(
        links(&rows),
        [("▶️ Open in library".to_owned(), link.to_owned())]
    );
    assert!(
        buttons(&rows).is_empty(),
        "no disabled button beside the link"
    );

    // A link no member's browser could open (a compose service name) is left out.
    let internal = TitleOffer {
        library_link: Some("http://jellyfin:8096/web/#/details?id=4f1c".into()),
        ..offer
    };
    let (_, rows) = render(&movie(), &internal, Place::ALONE);
    assert!(links(&rows).is_empty());
    assert_eq!(labels(&rows), ["In the library"]);
}

#[test]
fn nothing_to_press_leaves_no_empty_row() {
    let offer = TitleOffer {
        request: false,
        own: Some(someones_request(3, RequestStatus::Pending)),
        ..member()
    };
    let (embed, rows) = render(&movie(), &offer, Place::ALONE);
    assert!(rows.is_empty(), "{rows:?}");
    let description = embed["description"].as_str().expect("description");
    assert!(
        description.contains("You asked for this: #3"),
        "{description}"
    );
}

#[test]
fn a_show_gets_a_season_menu_and_a_4k_one_when_allowed() {
    let (embed, rows) = render(&show(4), &member(), PLACE);
    assert!(
        embed["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("⭐ 8.7 · Seasons: 4")),
        "{embed}"
    );
    assert_eq!(labels(&rows), ["◀", "1/3", "▶", "Request all seasons"]);
    let request = buttons(&rows)[3].1;
    assert_eq!(
        request,
        Action::Request {
            media: MediaKind::Tv,
            tmdb_id: 1429,
            four_k: false,
            seasons: SeasonPick {
                mask: 0,
                all: true,
                future: true,
            },
        }
    );
    let shown = menus(&rows);
    assert_eq!(shown.len(), 2);
    let (episodes, seasons, min, max, _) = &shown[1];
    assert_eq!(*episodes, Action::EpisodeSeasons { tmdb_id: 1429 });
    assert_eq!(seasons, &["1", "2", "3", "4"]);
    assert_eq!((*min, *max), (1, 1), "one season's episodes at a time");
    let (action, values, min, max, placeholder) = &shown[0];
    assert_eq!(
        *action,
        Action::SeasonMenu {
            tmdb_id: 1429,
            four_k: false,
        }
    );
    assert_eq!(values, &["all", "future", "1", "2", "3", "4"]);
    assert_eq!((*min, *max), (1, 6));
    assert_eq!(placeholder, "Pick seasons…");
    assert!(embed.get("footer").is_none(), "every season fits");

    let offer = TitleOffer {
        request_4k: true,
        ..member()
    };
    let (_, rows) = render(&show(4), &offer, PLACE);
    let four_k: Vec<Action> = menus(&rows).into_iter().map(|m| m.0).collect();
    assert_eq!(
        four_k,
        [
            Action::SeasonMenu {
                tmdb_id: 1429,
                four_k: false
            },
            Action::EpisodeSeasons { tmdb_id: 1429 },
            Action::SeasonMenu {
                tmdb_id: 1429,
                four_k: true
            },
        ]
    );
    assert_eq!(rows.len(), 5);
}

#[test]
fn a_long_show_lists_its_latest_seasons_and_says_so() {
    let (embed, rows) = render(&show(40), &member(), Place::ALONE);
    let (_, values, _, max, _) = menus(&rows).remove(0);
    assert_eq!(values.len(), MAX_OPTIONS);
    assert_eq!(max, 25);
    assert_eq!(&values[..3], ["all", "future", "18"]);
    assert_eq!(values.last().map(String::as_str), Some("40"));
    assert_eq!(
        embed["footer"]["text"],
        "40 seasons: the menu lists the latest 23; “All seasons” asks for every one."
    );
}

#[test]
fn no_menu_for_a_show_without_known_seasons_or_without_the_right_to_ask() {
    let (_, rows) = render(&show(0), &member(), Place::ALONE);
    assert!(menus(&rows).is_empty());
    let offer = TitleOffer {
        request: false,
        ..member()
    };
    let (_, rows) = render(&show(3), &offer, Place::ALONE);
    assert!(menus(&rows).is_empty() && buttons(&rows).is_empty());
}

#[test]
fn whatever_tmdb_sends_the_card_keeps_discords_limits() {
    let view = TitleView {
        title: "T".repeat(1000),
        overview: "O".repeat(10_000),
        ..show(63)
    };
    let offer = TitleOffer {
        request_4k: true,
        follow: Some(someones_request(i64::MAX, RequestStatus::Pending)),
        library: Availability::Partial(Seasons::new(1..=63)),
        ..member()
    };
    let place = Place {
        search_id: u64::MAX,
        index: u16::MAX - 1,
        total: u16::MAX,
    };
    // `render` checks every limit.
    let (embed, rows) = render(&view, &offer, place);
    let description = embed["description"].as_str().expect("description");
    assert!(
        description.contains("In the library: season(s) 1, 2"),
        "status kept whole"
    );
    assert_eq!(rows.len(), 5);
}

fn values(list: &[&str]) -> Vec<String> {
    list.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn menu_values_become_a_pick_of_real_seasons_only() {
    let view = show(4);
    let chosen = |list: &[&str]| chosen_seasons(&values(list), &view);
    assert_eq!(
        chosen(&["2", "4"]),
        Ok(SeasonPick {
            mask: 0b10100,
            all: false,
            future: false,
        })
    );
    assert_eq!(
        chosen(&["future", "1"]),
        Ok(SeasonPick {
            mask: 0b10,
            all: false,
            future: true,
        })
    );
    assert_eq!(
        chosen(&["all", "3", "future"]),
        Ok(SeasonPick {
            mask: 0,
            all: true,
            future: true,
        })
    );
    assert_eq!(chosen(&["future"]), Err(MenuError::NoSeason));
    for forged in [
        &["5"][..],
        &["0"],
        &["07"],
        &["+2"],
        &["two"],
        &[""],
        &["2", "99"],
        &["300"],
        &[],
    ] {
        assert_eq!(chosen(forged), Err(MenuError::Forged), "{forged:?}");
    }
}
