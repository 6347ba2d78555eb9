//! `[[override]]` tables: read in file order, and every mistake reported at start-up naming
//! the entry.

use super::{ok, problems};
use crate::config::LoadOptions;
use crate::domain::{MediaType, SeriesType};

fn with_toml(content: &str) -> (tempfile::TempDir, LoadOptions) {
    super::toml_with_env(
        content,
        &[
            ("USHER_RADARR_URL", "http://radarr:7878"),
            ("USHER_RADARR_API_KEY", "k"),
            ("USHER_SONARR_URL", "http://sonarr:8989"),
            ("USHER_SONARR_API_KEY", "k"),
            ("USHER_SONARR_ANIME_URL", "http://anime:8989"),
            ("USHER_SONARR_ANIME_API_KEY", "k"),
        ],
    )
}

#[test]
fn override_tables_are_read_in_file_order() {
    let (_tmp, opts) = with_toml(
        r#"
[[role]]
name = "family"
permissions = ["request_movie"]

[[override]]
media = "tv"
genres = ["Animation"]
keywords = ["anime"]
sonarr = { instance = "sonarr-anime", quality_profile = "Anime-1080p", root_folder = "/anime", tags = ["anime"], series_type = "anime" }

[[override]]
media = "movie"
roles = ["family"]
radarr = { instance = "radarr", root_folder = "/movies/family" }
"#,
    );
    let settings = ok(opts).settings;
    let [anime, family] = settings.overrides.as_slice() else {
        panic!("two rules: {:?}", settings.overrides);
    };
    assert_eq!(anime.media, MediaType::Tv);
    assert_eq!(anime.series_type, Some(SeriesType::Anime));
    assert_eq!(anime.placement.instance, "sonarr-anime");
    assert_eq!(family.roles, ["family"]);
    assert_eq!(
        family.placement.root_folder.as_deref(),
        Some("/movies/family")
    );
}

#[test]
fn every_bad_override_is_named() {
    let (_tmp, opts) = with_toml(
        r#"
[[override]]
media = "tv"
genres = ["Animation"]
sonarr = { instance = "sonarr-4k", series_type = "cartoon" }

[[override]]
media = "movie"
radarr = { instance = "radarr" }

[[override]]
media = "film"
roles = ["kids"]
radarr = { instance = "radarr" }

[[override]]
media = "tv"
keywords = ["anime"]
radarr = { instance = "radarr" }
"#,
    );
    let all = problems(opts).join("\n");
    for wanted in [
        "usher.toml [[override]] #1: sonarr.series_type `cartoon` must be standard, daily or anime",
        "usher.toml [[override]] #1: sonarr.instance `sonarr-4k` is not a configured sonarr instance (configured: sonarr, sonarr-anime)",
        "usher.toml [[override]] #2: give at least one condition",
        "usher.toml [[override]] #3: media `film` must be movie or tv",
        "usher.toml [[override]] #3: roles: unknown role `kids`",
        "usher.toml [[override]] #4: media = \"tv\" takes a `sonarr` placement, not `radarr`",
    ] {
        assert!(all.contains(wanted), "{wanted}\nnot in:\n{all}");
    }
    let (_tmp, opts) = with_toml("override = 3\n");
    let all = problems(opts).join("\n");
    assert!(
        all.contains("`override` must be an array of tables"),
        "{all}"
    );
}
