//! Search cards and the season picker: the buttons core allows and no others, every id signed
//! and within Telegram's 64 bytes, keyboards within Telegram's size limits.

use teloxide::types::{InlineKeyboardButtonKind, InlineKeyboardMarkup};
use usher_core::domain::{Availability, RequestStatus};
use usher_core::service::TitleOffer;

use super::*;
use crate::callback::{Action, MAX_ENCODED_LEN, MediaKind, SeasonPick};
use crate::telegram::render::MAX_CAPTION;
use crate::view::card_fixtures::{catalog, codec, member, movie, show, someones_request};

const PLACE: Place = Place {
    search_id: 41,
    index: 0,
    total: 3,
};

/// Every button as (label, decoded action or the URL), row by row; checks Telegram's limits
/// on the way.
/// The search card's keyboard for `view` and `offer` at `place`, read back.
fn card_rows(lang: &str, view: &TitleView, offer: &TitleOffer, place: Place) -> Rows {
    read(&keyboard(&catalog(), lang, &codec(), view, offer, place))
}

type Rows = Vec<Vec<(String, Result<Action, String>)>>;

fn read(keyboard: &InlineKeyboardMarkup) -> Vec<Vec<(String, Result<Action, String>)>> {
    let codec = codec();
    let rows = &keyboard.inline_keyboard;
    let count: usize = rows.iter().map(Vec::len).sum();
    assert!(count <= MAX_BUTTONS, "{count} buttons");
    rows.iter()
        .map(|row| {
            assert!(
                !row.is_empty() && row.len() <= MAX_ROW,
                "a row of {}",
                row.len()
            );
            row.iter()
                .map(|button| {
                    assert!(!button.text.is_empty());
                    let action = match &button.kind {
                        InlineKeyboardButtonKind::CallbackData(data) => {
                            assert!(!data.is_empty() && data.len() <= MAX_ENCODED_LEN, "{data}");
                            Ok(codec.decode(data).expect("signed by us"))
                        }
                        InlineKeyboardButtonKind::Url(url) => Err(url.to_string()),
                        other => panic!("unexpected button {other:?}"),
                    };
                    (button.text.clone(), action)
                })
                .collect()
        })
        .collect()
}

fn labels(rows: &[Vec<(String, Result<Action, String>)>]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|row| row.iter().map(|(label, _)| label.as_str()).collect())
        .collect()
}

#[test]
fn a_movie_card_pages_and_requests() {
    let rows = card_rows("en-US", &movie(), &member(), PLACE);
    assert_eq!(labels(&rows), [vec!["◀", "1/3", "▶"], vec!["Request"]]);
    let page = |index| {
        Ok(Action::Page {
            search_id: 41,
            index,
        })
    };
    assert_eq!(
        rows[0][0].1,
        page(2),
        "◀ on the first card wraps to the last"
    );
    assert_eq!(rows[0][1].1, Ok(Action::Noop), "the counter does nothing");
    assert_eq!(rows[0][2].1, page(1));
    assert_eq!(
        rows[1][0].1,
        Ok(Action::Request {
            media: MediaKind::Movie,
            tmdb_id: 438_631,
            four_k: false,
            seasons: SeasonPick::default(),
        })
    );
    let last = Place { index: 2, ..PLACE };
    let rows = card_rows("en-US", &movie(), &member(), last);
    assert_eq!(labels(&rows)[0], ["◀", "3/3", "▶"]);
    assert_eq!(
        rows[0][2].1,
        page(0),
        "▶ on the last card wraps to the first"
    );

    let single = Place { total: 1, ..PLACE };
    let rows = card_rows("en-US", &movie(), &member(), single);
    assert_eq!(labels(&rows), [vec!["Request"]], "one result: no paging");
}

#[test]
fn request_4k_only_when_core_offers_it() {
    let offer = TitleOffer {
        request_4k: true,
        ..member()
    };
    let rows = card_rows("de", &movie(), &offer, PLACE);
    assert_eq!(labels(&rows)[1], ["Anfragen", "4K anfragen"]);
    let Ok(Action::Request { four_k, .. }) = rows[1][1].1 else {
        panic!("a request button");
    };
    assert!(four_k);
    let rows = card_rows("en-US", &movie(), &member(), PLACE);
    assert!(!labels(&rows).concat().contains(&"Request 4K"));
}

#[test]
fn someone_elses_request_offers_notify_me_too() {
    let other = someones_request(5, RequestStatus::Pending);
    let offer = TitleOffer {
        request: false,
        follow: Some(other),
        ..member()
    };
    let catalog = catalog();
    let rows = card_rows("en-US", &movie(), &offer, PLACE);
    assert_eq!(labels(&rows)[1], ["🔔 Notify me too"]);
    assert_eq!(rows[1][0].1, Ok(Action::Follow { request_id: 5 }));
    let text = caption(&catalog, "en-US", &movie(), &offer, MAX_CAPTION);
    assert!(
        text.contains("Someone already asked: #5, pending"),
        "{text}"
    );
}

#[test]
fn an_available_title_says_so_and_offers_nothing_to_ask() {
    let offer = TitleOffer {
        request: false,
        library: Availability::Full,
        ..member()
    };
    let catalog = catalog();
    let text = caption(&catalog, "en-US", &movie(), &offer, MAX_CAPTION);
    assert!(
        text.starts_with("Dune (2021)\n⭐ 7.8 · 155 min\n\n"),
        "{text}"
    );
    assert!(text.ends_with("✅ Already in the library."), "{text}");
    let rows = card_rows("en-US", &movie(), &offer, PLACE);
    assert_eq!(labels(&rows), [vec!["◀", "1/3", "▶"]], "nothing to ask for");
}

#[test]
fn a_title_core_can_link_to_opens_in_the_library() {
    let link = "https://tv.example.org/web/#/details?id=a1b2c3";
    let offer = TitleOffer {
        request: false,
        library: Availability::Full,
        library_link: Some(link.into()),
        ..member()
    };
    let catalog = catalog();
    let rows = read(&keyboard(&catalog, "de", &codec(), &movie(), &offer, PLACE));
    assert_eq!(
        labels(&rows),
        [vec!["◀", "1/3", "▶"], vec!["▶️ In der Mediathek öffnen"]]
    );
    assert_eq!(
        rows[1][0].1,
        Err(link.to_owned()),
        "a URL button, not a callback"
    );
    // A link that is not a URL, or one Telegram would refuse, is left out; the caption still
    // says it is in the library.
    for unusable in ["not a url", "http://jellyfin:8096/web/#/details?id=a1"] {
        let broken = TitleOffer {
            library_link: Some(unusable.into()),
            ..offer.clone()
        };
        let rows = card_rows("en-US", &movie(), &broken, PLACE);
        assert_eq!(labels(&rows), [vec!["◀", "1/3", "▶"]], "{unusable}");
    }
}

#[test]
fn a_long_overview_gives_way_to_the_status_line() {
    let mut view = movie();
    view.overview = "word ".repeat(1000);
    let offer = TitleOffer {
        own: Some(someones_request(9, RequestStatus::Approved)),
        request: false,
        ..member()
    };
    let catalog = catalog();
    for lang in catalog.languages() {
        let text = caption(&catalog, lang, &view, &offer, MAX_CAPTION);
        assert!(
            text.chars().count() <= MAX_CAPTION,
            "{lang}: {}",
            text.len()
        );
        assert!(text.starts_with("Dune (2021)"), "{text}");
        assert!(text.contains("#9"), "{lang}: the status line is kept");
    }
}

#[test]
fn a_show_card_requests_every_season_or_opens_the_picker() {
    let catalog = catalog();
    let rows = card_rows("en-US", &show(4), &member(), PLACE);
    assert_eq!(
        labels(&rows)[1..],
        [vec!["Request all seasons"], vec!["Pick seasons…"]]
    );
    let Ok(Action::Request { seasons, .. }) = rows[1][0].1 else {
        panic!("a request");
    };
    assert!(seasons.all && seasons.future, "the whole show");
    assert_eq!(
        rows[2][0].1,
        Ok(Action::PickSeasons {
            tmdb_id: 1429,
            search_id: 41,
            index: 0,
            seasons: SeasonPick::default(),
        })
    );
    let text = caption(&catalog, "en-US", &show(4), &member(), MAX_CAPTION);
    assert!(
        text.starts_with("Attack on Titan (2013)\n⭐ 8.7 · Seasons: 4"),
        "{text}"
    );
}

#[test]
fn the_picker_ticks_seasons_and_requests_exactly_the_pick() {
    let catalog = catalog();
    let pick = SeasonPick {
        mask: 0b1010,
        all: false,
        future: false,
    };
    let offer = TitleOffer {
        request_4k: true,
        ..member()
    };
    let rows = read(&season_picker(
        &catalog,
        "en-US",
        &codec(),
        &show(4),
        &offer,
        pick,
        PLACE,
    ));
    assert_eq!(
        labels(&rows),
        [
            vec!["✅ S1", "S2", "✅ S3", "S4"],
            vec!["All", "Future seasons"],
            vec!["Request these", "Request 4K"],
            vec!["◀ Back"],
        ]
    );
    let picked = |action: &Result<Action, String>| match action {
        Ok(Action::PickSeasons { seasons, .. }) => *seasons,
        other => panic!("not a picker button: {other:?}"),
    };
    assert_eq!(
        picked(&rows[0][1].1).seasons(),
        [1, 2, 3],
        "S2 ticks season 2"
    );
    assert_eq!(picked(&rows[0][0].1).seasons(), [3], "S1 unticks season 1");
    assert!(picked(&rows[1][0].1).all);
    assert!(picked(&rows[1][1].1).future);
    let Ok(Action::Request {
        media,
        seasons,
        four_k,
        ..
    }) = rows[2][0].1
    else {
        panic!("a request");
    };
    assert_eq!((media, seasons, four_k), (MediaKind::Tv, pick, false));
    assert_eq!(
        rows[3][0].1,
        Ok(Action::Page {
            search_id: 41,
            index: 0
        })
    );

    // "All" ticks everything; unticking one season leaves the others ticked.
    let all = picked(&rows[1][0].1);
    let rows = read(&season_picker(
        &catalog,
        "en-US",
        &codec(),
        &show(4),
        &offer,
        all,
        PLACE,
    ));
    assert_eq!(labels(&rows)[0], ["✅ S1", "✅ S2", "✅ S3", "✅ S4"]);
    assert_eq!(labels(&rows)[1], ["✅ All", "Future seasons"]);
    assert_eq!(picked(&rows[0][1].1).seasons(), [1, 3, 4]);
    assert!(!picked(&rows[0][1].1).all);

    // Nothing picked yet: no Request button.
    let rows = read(&season_picker(
        &catalog,
        "en-US",
        &codec(),
        &show(4),
        &offer,
        SeasonPick::default(),
        PLACE,
    ));
    assert_eq!(labels(&rows).len(), 3, "{:?}", labels(&rows));
}

#[test]
fn the_largest_picker_stays_within_telegram_limits() {
    let catalog = catalog();
    let offer = TitleOffer {
        request_4k: true,
        ..member()
    };
    let huge = Place {
        search_id: u64::MAX,
        index: u16::MAX,
        total: u16::MAX,
    };
    let mut view = show(90);
    view.tmdb_id = u32::MAX;
    for lang in catalog.languages() {
        let full = SeasonPick {
            mask: u64::MAX,
            all: true,
            future: true,
        };
        let rows = read(&season_picker(
            &catalog,
            lang,
            &codec(),
            &view,
            &offer,
            full,
            huge,
        ));
        let toggles: usize = rows[..rows.len() - 3].iter().map(Vec::len).sum();
        assert_eq!(toggles, 63, "seasons past 63 cannot be picked one by one");
        read(&keyboard(&catalog, lang, &codec(), &view, &offer, huge));
    }
}
