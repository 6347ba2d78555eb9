//! The extra Radarr/Sonarr instances and the options every instance shares.

use super::{ok, problems, with_env};
use crate::config::MinimumAvailability;

#[test]
fn extra_instances_and_shared_options_are_read() {
    let loaded = ok(with_env(&[
        ("USHER_RADARR_4K_URL", "http://radarr4k:7878/"),
        ("USHER_RADARR_4K_API_KEY", "k4"),
        ("USHER_RADARR_4K_QUALITY_PROFILE", "Ultra-HD"),
        ("USHER_SONARR_ANIME_URL", "http://anime:8989"),
        ("USHER_SONARR_ANIME_API_KEY", "ka"),
        ("USHER_SONARR_ANIME_ROOT_FOLDER", "/anime"),
        ("USHER_RADARR_MINIMUM_AVAILABILITY", "InCinemas"),
        ("USHER_RADARR_TAGS", "Usher, requests"),
        ("USHER_SONARR_SEASON_FOLDER", "no"),
        ("USHER_ARR_SEARCH_ON_ADD", "false"),
        ("USHER_ARR_SUBMIT_ATTEMPTS", "3"),
    ]));
    let s = loaded.settings;
    let radarr_4k = s.radarr_4k.expect("4K Radarr");
    assert_eq!(radarr_4k.url, "http://radarr4k:7878");
    assert_eq!(radarr_4k.quality_profile.as_deref(), Some("Ultra-HD"));
    let anime = s.sonarr_anime.expect("anime Sonarr");
    assert_eq!(anime.root_folder.as_deref(), Some("/anime"));
    assert!(s.sonarr_4k.is_none() && s.radarr.is_none());
    assert_eq!(
        s.arr.radarr_minimum_availability,
        MinimumAvailability::InCinemas
    );
    assert_eq!(s.arr.radarr_minimum_availability.as_str(), "inCinemas");
    assert_eq!(s.arr.radarr_tags, ["usher", "requests"]);
    assert!(s.arr.sonarr_tags.is_empty());
    assert!(!s.arr.sonarr_season_folder && !s.arr.search_on_add);
    assert_eq!(s.arr.submit_attempts, 3);
    let shown = format!("{:?}", s.arr);
    assert!(shown.contains("InCinemas"), "{shown}");
}

#[test]
fn defaults_follow_radarr_and_sonarr() {
    let s = ok(with_env(&[])).settings;
    assert_eq!(
        s.arr.radarr_minimum_availability,
        MinimumAvailability::Released
    );
    assert!(s.arr.sonarr_season_folder && s.arr.search_on_add);
    assert_eq!(s.arr.submit_attempts, 5);
    assert!(s.radarr_4k.is_none() && s.sonarr_4k.is_none() && s.sonarr_anime.is_none());
}

#[test]
fn half_configured_instances_and_bad_options_are_all_reported() {
    let found = problems(with_env(&[
        ("USHER_RADARR_4K_URL", "http://radarr4k:7878"),
        ("USHER_SONARR_4K_API_KEY", "secret-4k-key"),
        ("USHER_SONARR_ANIME_QUALITY_PROFILE", "Anime"),
        ("USHER_RADARR_MINIMUM_AVAILABILITY", "tomorrow"),
        ("USHER_SONARR_TAGS", "ok,not ok"),
        ("USHER_ARR_SEARCH_ON_ADD", "maybe"),
        ("USHER_ARR_SUBMIT_ATTEMPTS", "0"),
    ]));
    let expected = [
        "USHER_RADARR_4K_API_KEY: required when USHER_RADARR_4K_URL is set",
        "USHER_SONARR_4K_URL: required when USHER_SONARR_4K_API_KEY is set",
        "USHER_SONARR_ANIME_URL: required when USHER_SONARR_ANIME_QUALITY_PROFILE is set",
        "USHER_SONARR_ANIME_API_KEY: required when USHER_SONARR_ANIME_QUALITY_PROFILE is set",
        "USHER_RADARR_MINIMUM_AVAILABILITY: \"tomorrow\" is not one of announced, inCinemas, released",
        "USHER_SONARR_TAGS: tag \"not ok\" may only hold",
        "USHER_ARR_SEARCH_ON_ADD: \"maybe\" is not one of",
        "USHER_ARR_SUBMIT_ATTEMPTS: must be between 1 and 100",
    ];
    for want in expected {
        assert!(
            found.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    assert!(found.iter().all(|p| !p.contains("secret-4k-key")));
}

#[test]
fn submission_lease_and_backoff_are_bounded_seconds() {
    let loaded = super::ok(super::with_env(&[
        ("USHER_ARR_SUBMIT_LEASE_SECS", "30"),
        ("USHER_ARR_RETRY_BACKOFF_SECS", "2"),
    ]));
    assert_eq!(loaded.settings.arr.submit_lease_secs, 30);
    assert_eq!(loaded.settings.arr.retry_backoff_secs, 2);
    let defaults = super::ok(super::with_env(&[]));
    assert_eq!(
        (
            defaults.settings.arr.submit_lease_secs,
            defaults.settings.arr.retry_backoff_secs
        ),
        (120, 60)
    );
    let bad = crate::config::load(super::with_env(&[
        ("USHER_ARR_SUBMIT_LEASE_SECS", "1"),
        ("USHER_ARR_RETRY_BACKOFF_SECS", "soon"),
    ]))
    .expect_err("both refused");
    assert_eq!(bad.problems.len(), 2, "{bad}");
}
