//! Discord's episode picker: 25 episodes a page with ◀ n/N ▶, every id signed, and only the
//! values a page lists (in the menu's own spelling) accepted back.

use serde_json::Value;

use super::*;
use crate::discord::render::MAX_CUSTOM_ID;
use crate::view::card_fixtures::{catalog, codec, show};

const AT: PickerAt = PickerAt {
    tmdb_id: 1396,
    season: 2,
};

/// `(kind, decoded action, option values, max_values, label)` per component of the picker.
fn render(numbers: &[u16], page: u8) -> Vec<(u64, Action, Vec<String>, u64, String)> {
    let catalog = catalog();
    let texts = Texts {
        catalog: &catalog,
        lang: "en-US",
    };
    let rows = picker(&texts, &codec(), AT, numbers, page);
    assert!(rows.len() <= 2, "a menu row and a paging row at most");
    rows.iter()
        .map(|row| serde_json::to_value(row).expect("row"))
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|c: Value| {
            let id = c["custom_id"].as_str().expect("signed id");
            assert!(id.chars().count() <= MAX_CUSTOM_ID, "{id}");
            let action = codec().decode(id).expect("ours");
            let values: Vec<String> = c["options"]
                .as_array()
                .map(|o| {
                    o.iter()
                        .map(|o| o["value"].as_str().expect("value").to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert!(values.len() <= MAX_OPTIONS);
            let max = c["max_values"].as_u64().unwrap_or_default();
            let label = c["label"].as_str().unwrap_or_default().to_owned();
            (
                c["type"].as_u64().expect("type"),
                action,
                values,
                max,
                label,
            )
        })
        .collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn a_short_season_is_one_menu_of_its_episodes() {
    let numbers: Vec<u16> = (1..=7).collect();
    let shown = render(&numbers, 0);
    assert_eq!(shown.len(), 1, "no paging for one page");
    let (kind, action, values, max, _) = &shown[0];
    assert_eq!(*kind, 3, "a string select");
    assert_eq!(
        *action,
        Action::EpisodeMenu {
            tmdb_id: 1396,
            season: 2,
            page: 0
        }
    );
    assert_eq!(values, &strings(&["1", "2", "3", "4", "5", "6", "7"]));
    assert_eq!(*max, 7);
}

#[test]
fn a_long_season_pages_by_25_without_wrapping() {
    let numbers: Vec<u16> = (1..=60).collect();
    let first = render(&numbers, 0);
    assert_eq!(first[0].2.len(), 25);
    assert_eq!(first[0].2.last().map(String::as_str), Some("25"));
    let paging: Vec<(String, Action)> = first[1..]
        .iter()
        .map(|(_, action, _, _, label)| (label.clone(), *action))
        .collect();
    assert_eq!(
        paging,
        [
            ("1/3".to_owned(), Action::Noop),
            (
                "▶".to_owned(),
                Action::EpisodePage {
                    tmdb_id: 1396,
                    season: 2,
                    page: 1
                }
            ),
        ]
    );
    let last = render(&numbers, 2);
    assert_eq!(
        last[0].2,
        strings(&["51", "52", "53", "54", "55", "56", "57", "58", "59", "60"])
    );
    let labels: Vec<&str> = last[1..].iter().map(|c| c.4.as_str()).collect();
    assert_eq!(labels, ["◀", "3/3"]);
    // A page past the end (TMDB's list shrank) shows the last one.
    assert_eq!(render(&numbers, 9)[0].1, last[0].1);
}

#[test]
fn only_a_pages_own_episodes_come_back() {
    let numbers: Vec<u16> = (1..=30).collect();
    let chosen = |values: &[&str], page| chosen_episodes(&strings(values), &numbers, page);
    assert_eq!(chosen(&["5", "2", "5"], 0), Ok(vec![2, 5]));
    assert_eq!(chosen(&["27"], 1), Ok(vec![27]));
    for (forged, page) in [
        (&["27"][..], 0),
        (&["2"][..], 1),
        (&["05"][..], 0),
        (&["+5"][..], 0),
        (&["0"][..], 0),
        (&["x"][..], 0),
        (&[][..], 0),
        (&["1"][..], 7),
    ] {
        assert_eq!(
            chosen(forged, page),
            Err(MenuError::Forged),
            "{forged:?} {page}"
        );
    }
}

#[test]
fn the_cards_menu_offers_real_seasons_and_takes_back_one() {
    let view = show(4);
    let catalog = catalog();
    let texts = Texts {
        catalog: &catalog,
        lang: "en-US",
    };
    assert!(season_menu(&texts, &codec(), &view).is_some());
    assert!(season_menu(&texts, &codec(), &show(0)).is_none());
    assert_eq!(chosen_season(&strings(&["3"]), &view), Ok(3));
    for forged in [
        &["9"][..],
        &["03"][..],
        &["1", "2"][..],
        &[][..],
        &["all"][..],
    ] {
        assert_eq!(
            chosen_season(&strings(forged), &view),
            Err(MenuError::Forged),
            "{forged:?}"
        );
    }
}
