//! `[[place]]` tables: read into places, and every bad entry reported by number and chat.

use super::{ok, problems};
use crate::config::LoadOptions;
use crate::domain::{Budget, Place, PlaceKey};

fn with_toml(content: &str) -> (tempfile::TempDir, LoadOptions) {
    super::toml_with_env(content, &[])
}

#[test]
fn place_tables_become_places() {
    let (_tmp, opts) = with_toml(
        r#"
[[place]]
telegram_chat = -1001234567890
voting = { threshold = 3 }
budget = { movies = 20, seasons = 10, days = 30 }

[[place]]
discord_guild = 123456789012345678
budget = { seasons = 4, days = 7 }
"#,
    );
    let places = ok(opts).settings.places;
    assert_eq!(
        places,
        vec![
            Place {
                key: PlaceKey::TelegramChat(-1_001_234_567_890),
                threshold: Some(3),
                budget: Some(Budget {
                    movies: Some(20),
                    seasons: Some(10),
                    days: 30
                }),
            },
            Place {
                key: PlaceKey::DiscordGuild(123_456_789_012_345_678),
                threshold: None,
                budget: Some(Budget {
                    movies: None,
                    seasons: Some(4),
                    days: 7
                }),
            },
        ]
    );
}

#[test]
fn bad_place_tables_are_each_reported_naming_the_entry() {
    let (_tmp, opts) = with_toml(
        r#"
[[place]]
telegram_chat = -100
voting = { threshold = 0 }

[[place]]
discord_guild = 55
budget = { movies = -1, days = 0 }

[[place]]
telegram_chat = -1
discord_guild = 2

[[place]]
voting = { threshold = 2 }

[[place]]
telegram_chat = -100
budget = { movies = "ten", days = 3 }
colour = "blue"
"#,
    );
    let found = problems(opts).join("\n");
    for expected in [
        "[[place]] #1 (telegram_chat = -100): `threshold`: must be a whole number from 1",
        "[[place]] #2 (discord_guild = 55): `movies`: must be a whole number from 0",
        "[[place]] #2 (discord_guild = 55): `days`: must be a whole number from 1",
        "[[place]] #3 (telegram_chat = -1): `telegram_chat`: give either",
        "[[place]] #4: `telegram_chat`: give `telegram_chat`",
        "[[place]] #5 (telegram_chat = -100): `budget.movies` must be a whole number, found string",
        "[[place]] #5 (telegram_chat = -100): unknown field `colour`",
    ] {
        assert!(
            found.contains(expected),
            "missing {expected:?} in:\n{found}"
        );
    }
}

#[test]
fn a_chat_named_twice_is_a_problem() {
    let (_tmp, opts) = with_toml(
        "[[place]]\ntelegram_chat = -7\n\n[[place]]\ntelegram_chat = -7\nvoting = { threshold = 2 }\n",
    );
    let found = problems(opts).join("\n");
    assert!(
        found.contains("[[place]] #2 (telegram_chat = -7): this chat is already named"),
        "{found}"
    );
}
