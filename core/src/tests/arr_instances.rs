//! Choosing an instance per request (default, 4K, anime), building instances from settings, and
//! connection tests.

use usher_testkit::{FakeRadarr, FakeSonarr};

use super::arr_support::{Fakes, KEY, fast_http, radarr_with, settings};
use crate::config::{ArrOptions, LoadOptions, load};
use crate::domain::{Media, MediaType, Seasons, TmdbId, TvdbId};
use crate::integrations::arr::{
    ArrClient, ArrInstance, ArrInstances, Flavor, Placement, Submission,
};

fn movie(tmdb: i64, title: &str) -> Media {
    Media {
        media_type: MediaType::Movie,
        tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
        tvdb_id: None,
        title: title.into(),
        year: None,
    }
}

fn show(tmdb: i64, tvdb: i64, title: &str) -> Media {
    Media {
        media_type: MediaType::Tv,
        tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
        tvdb_id: Some(TvdbId::parse(tvdb).expect("tvdb")),
        title: title.into(),
        year: None,
    }
}

fn radarr_at(url: &str, key: &str, profile: Option<&str>, folder: Option<&str>) -> ArrInstance {
    let arr = settings(url, key, profile, folder);
    ArrInstance {
        flavor: Flavor::Default,
        client: ArrClient::Radarr(radarr_with("radarr", &arr, &ArrOptions::default())),
    }
}

fn submission<'a>(media: &'a Media, seasons: &'a Seasons, four_k: bool) -> Submission<'a> {
    Submission {
        media,
        seasons,
        future_seasons: false,
        four_k,
        anime: None,
        extra_tags: &[],
        instance: None,
        placement: Default::default(),
        shape: Default::default(),
    }
}

#[tokio::test]
async fn each_request_goes_to_the_instance_kept_for_it() {
    let (radarr, radarr_4k) = (FakeRadarr::start(KEY).await, FakeRadarr::start(KEY).await);
    let (sonarr, sonarr_4k) = (FakeSonarr::start(KEY).await, FakeSonarr::start(KEY).await);
    let anime = FakeSonarr::start(KEY).await;
    let all = Fakes {
        radarr: Some(&radarr),
        radarr_4k: Some(&radarr_4k),
        sonarr: Some(&sonarr),
        sonarr_4k: Some(&sonarr_4k),
        sonarr_anime: Some(&anime),
    }
    .instances();
    let name = |media_type, four_k, is_anime| {
        all.choose(media_type, four_k, is_anime)
            .map(|i| i.name())
            .expect("an instance")
    };
    assert_eq!(name(MediaType::Movie, false, false), "radarr");
    assert_eq!(name(MediaType::Movie, true, false), "radarr-4k");
    assert_eq!(name(MediaType::Tv, false, false), "sonarr");
    assert_eq!(name(MediaType::Tv, true, false), "sonarr-4k");
    assert_eq!(name(MediaType::Tv, false, true), "sonarr-anime");
    assert_eq!(name(MediaType::Tv, true, true), "sonarr-4k");

    let none = Seasons::default();
    let dune = movie(438631, "Dune");
    let (placed, how) = all
        .submit(&submission(&dune, &none, true))
        .await
        .expect("4K");
    assert_eq!(
        (placed.instance.as_str(), how.placement),
        ("radarr-4k", Placement::Added)
    );
    assert_eq!((radarr.adds(), radarr_4k.adds()), (0, 1));

    // No anime answer from TMDB: Sonarr's genres send Attack on Titan to the anime instance.
    let first = Seasons::new([1]);
    let titan = show(1429, 267440, "Attack on Titan");
    let (placed, _) = all
        .submit(&submission(&titan, &first, false))
        .await
        .expect("anime");
    assert_eq!(placed.instance, "sonarr-anime");
    assert_eq!(anime.series(267440).expect("added")["seriesType"], "anime");
    let bad = show(1396, 81189, "Breaking Bad");
    let told = Submission {
        anime: Some(false),
        ..submission(&bad, &first, false)
    };
    let (placed, _) = all.submit(&told).await.expect("standard");
    assert_eq!(placed.instance, "sonarr");
    assert_eq!((sonarr.adds(), sonarr_4k.adds(), anime.adds()), (1, 0, 1));
}

#[tokio::test]
async fn missing_instances_are_setup_errors_and_anime_falls_back_to_the_default() {
    let (radarr, sonarr) = (FakeRadarr::start(KEY).await, FakeSonarr::start(KEY).await);
    let some = Fakes {
        radarr: Some(&radarr),
        sonarr: Some(&sonarr),
        ..Fakes::default()
    }
    .instances();
    let err = some
        .choose(MediaType::Movie, true, false)
        .expect_err("no 4K");
    assert_eq!(err.to_string(), "radarr-4k: is not configured");
    assert!(!err.is_transient());
    assert!(some.choose(MediaType::Tv, true, true).is_err());
    let anime = some.choose(MediaType::Tv, false, true).expect("default");
    assert_eq!((anime.name(), anime.flavor), ("sonarr", Flavor::Default));
    let titan = show(1429, 267440, "Attack on Titan");
    let seasons = Seasons::new([1, 2]);
    let (placed, _) = some
        .submit(&submission(&titan, &seasons, false))
        .await
        .expect("add");
    assert_eq!(placed.instance, "sonarr");
    assert_eq!(sonarr.series(267440).expect("added")["seriesType"], "anime");
    assert!(
        sonarr
            .server
            .received_at("GET", "/api/v3/series/lookup")
            .len()
            == 1
    );

    let empty = ArrInstances::default();
    assert!(empty.is_empty());
    let err = empty.choose(MediaType::Tv, false, false).expect_err("none");
    assert_eq!(err.to_string(), "sonarr: is not configured");
    let no_tvdb = Media {
        tvdb_id: None,
        ..titan.clone()
    };
    let err = some
        .submit(&submission(&no_tvdb, &seasons, false))
        .await
        .expect_err("no tvdb");
    assert!(err.to_string().contains("needs a TVDB id"), "{err}");
}

#[tokio::test]
async fn an_approvers_pick_beats_the_rule_and_must_fit() {
    let (radarr, radarr_4k) = (FakeRadarr::start(KEY).await, FakeRadarr::start(KEY).await);
    let two = Fakes {
        radarr: Some(&radarr),
        radarr_4k: Some(&radarr_4k),
        ..Fakes::default()
    }
    .instances();
    let none = Seasons::default();
    let dune = movie(438631, "Dune");
    let picked = Submission {
        instance: Some("radarr-4k"),
        placement: Default::default(),
        ..submission(&dune, &none, false)
    };
    let (placed, _) = two.submit(&picked).await.expect("picked");
    assert_eq!(placed.instance, "radarr-4k");
    assert_eq!((radarr.adds(), radarr_4k.adds()), (0, 1));

    for (name, refusal) in [
        ("sonarr", "sonarr: does not take movie requests"),
        ("sonarr-anime", "sonarr-anime: does not take movie requests"),
        ("radarr-8k", "arr: no instance is named \"radarr-8k\""),
    ] {
        let wrong = Submission {
            instance: Some(name),
            placement: Default::default(),
            ..submission(&dune, &none, false)
        };
        let err = two.submit(&wrong).await.expect_err(name);
        assert_eq!(err.to_string(), refusal);
        assert!(!err.is_transient());
    }
    let only_default = Fakes {
        radarr: Some(&radarr),
        ..Fakes::default()
    }
    .instances();
    let gone = Submission {
        instance: Some("radarr-4k"),
        placement: Default::default(),
        ..submission(&dune, &none, false)
    };
    let err = only_default
        .submit(&gone)
        .await
        .expect_err("not configured");
    assert_eq!(err.to_string(), "radarr-4k: is not configured");
}

#[tokio::test]
async fn instances_come_from_settings() {
    let env: Vec<(String, String)> = [
        ("USHER_RADARR_URL", "http://radarr:7878"),
        ("USHER_RADARR_API_KEY", "k1"),
        ("USHER_RADARR_4K_URL", "http://radarr4k:7878"),
        ("USHER_RADARR_4K_API_KEY", "k2"),
        ("USHER_SONARR_ANIME_URL", "http://anime:8989"),
        ("USHER_SONARR_ANIME_API_KEY", "k3"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let loaded = load(LoadOptions {
        env,
        ..LoadOptions::default()
    })
    .expect("config");
    let instances = ArrInstances::from_settings(&loaded.settings, &fast_http()).expect("build");
    let names: Vec<(&str, Flavor, MediaType)> = instances
        .iter()
        .map(|i| (i.name(), i.flavor, i.media_type()))
        .collect();
    assert_eq!(
        names,
        [
            ("radarr", Flavor::Default, MediaType::Movie),
            ("radarr-4k", Flavor::FourK, MediaType::Movie),
            ("sonarr-anime", Flavor::Anime, MediaType::Tv),
        ]
    );
    assert!(instances.get("sonarr-anime").is_some() && instances.get("sonarr").is_none());
    // Anime with only an anime Sonarr goes there; everyday TV has nowhere to go.
    assert_eq!(
        instances
            .choose(MediaType::Tv, false, true)
            .map(|i| i.name())
            .ok(),
        Some("sonarr-anime")
    );
    assert!(instances.choose(MediaType::Tv, false, false).is_err());
}

#[tokio::test]
async fn connection_tests_report_version_offers_and_problems() {
    let radarr = FakeRadarr::start(KEY).await;
    let sonarr = FakeSonarr::start_v3(KEY).await;
    let good = Fakes {
        radarr: Some(&radarr),
        sonarr: Some(&sonarr),
        ..Fakes::default()
    }
    .instances();
    let reports = good.test_connections().await;
    assert_eq!(reports.len(), 2);
    let r = &reports[0];
    assert!(r.ok(), "{r:?}");
    assert_eq!(
        (r.instance, r.version.as_deref()),
        ("radarr", Some("5.26.2.10099"))
    );
    assert_eq!((r.quality_profiles.len(), r.root_folders.len()), (3, 1));
    assert_eq!(
        r.summary(),
        "ok (5.26.2.10099; 3 quality profiles, 1 root folder)"
    );
    assert!(r.language_profiles.is_empty());
    let s = &reports[1];
    assert!(s.ok() && s.language_profiles.len() == 1, "{s:?}");

    let report = radarr_at(radarr.url(), "nope", None, None)
        .test_connection()
        .await;
    assert!(report.reachable && !report.authorized && !report.ok());
    assert!(
        report.key_refused,
        "a 401 is told apart from other failures"
    );
    assert_eq!(report.summary(), "credentials refused (HTTP 401)");

    let missing = radarr_at(radarr.url(), KEY, Some("8K"), Some("/films"));
    let report = missing.test_connection().await;
    assert!(report.authorized && !report.ok());
    assert_eq!(
        report.problems,
        ["no quality profile \"8K\"", "no root folder \"/films\""]
    );

    let report = radarr_at("http://127.0.0.1:9", KEY, None, None)
        .test_connection()
        .await;
    assert!(!report.reachable && !report.authorized && !report.key_refused);
    assert_eq!(report.summary(), "not reachable");
}

#[tokio::test]
async fn usher_check_probes_the_4k_and_anime_instances_under_their_service() {
    let radarr_4k = FakeRadarr::start(KEY).await;
    let env: Vec<(String, String)> = [
        ("USHER_RADARR_4K_URL", radarr_4k.url()),
        ("USHER_RADARR_4K_API_KEY", KEY),
        ("USHER_SONARR_ANIME_URL", "http://127.0.0.1:9"),
        ("USHER_SONARR_ANIME_API_KEY", KEY),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let settings = load(LoadOptions {
        env,
        ..LoadOptions::default()
    })
    .expect("config")
    .settings;
    let checks = crate::integrations::checkup::check_configured(&settings).await;
    let lines: Vec<(&str, bool, String)> = checks
        .iter()
        .map(|c| {
            let said = if c.ok() {
                c.summary.clone()
            } else {
                c.problems.join("; ")
            };
            (c.service, c.ok(), said)
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Radarr", true, "ok (radarr-4k, 5.26.2.10099)".to_owned()),
            (
                "Sonarr",
                false,
                "Sonarr (sonarr-anime) at http://127.0.0.1:9: not reachable".to_owned()
            ),
        ]
    );
}
