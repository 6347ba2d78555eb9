//! How many calls an add costs: with the instance's profiles, folders and tags cached, adding a
//! title is two requests (look it up, add it), a title already there is adopted without an add,
//! and a cached id that went stale costs one refresh, not a failure.

use usher_testkit::{FakeRadarr, FakeServer, FakeSonarr, Spec};

use super::arr_support::{Fakes, KEY, fast_http, settings};
use crate::config::ArrOptions;
use crate::domain::{Media, MediaType, Seasons, TmdbId, TvdbId};
use crate::integrations::arr::{
    ArrClient, ArrInstance, ArrInstances, Destination, Flavor, Placement, RadarrClient,
    SeriesRequest, SonarrClient, Submission,
};

fn movie(tmdb: i64, title: &str) -> Media {
    Media {
        media_type: MediaType::Movie,
        tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
        tvdb_id: None,
        title: title.into(),
        year: Some(2020),
    }
}

fn show(tmdb: i64, tvdb: i64, title: &str) -> Media {
    Media {
        media_type: MediaType::Tv,
        tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
        tvdb_id: Some(TvdbId::parse(tvdb).expect("tvdb")),
        title: title.into(),
        year: Some(2008),
    }
}

fn submission<'a>(media: &'a Media, seasons: &'a Seasons, tags: &'a [String]) -> Submission<'a> {
    Submission {
        media,
        seasons,
        future_seasons: false,
        four_k: false,
        anime: Some(false),
        extra_tags: tags,
        instance: None,
        placement: Default::default(),
        shape: Default::default(),
    }
}

/// Records which calls a fake gets from now on.
struct Calls<'a> {
    server: &'a FakeServer,
    seen: usize,
}

impl<'a> Calls<'a> {
    fn on(server: &'a FakeServer) -> Self {
        Self {
            seen: server.received().len(),
            server,
        }
    }

    /// `METHOD /path` of each call since the last look.
    fn since(&mut self) -> Vec<String> {
        let all = self.server.received();
        let new = all[self.seen..]
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        self.seen = all.len();
        new
    }
}

#[tokio::test]
async fn a_radarr_add_with_a_warm_cache_is_two_calls() {
    let (fake, fake_4k) = (FakeRadarr::start(KEY).await, FakeRadarr::start(KEY).await);
    let instances = Fakes {
        radarr: Some(&fake),
        radarr_4k: Some(&fake_4k),
        ..Fakes::default()
    }
    .instances();
    let alice = ["usher-alice".to_owned()];
    let none = Seasons::default();
    let mut calls = Calls::on(&fake.server);

    let dune = movie(438631, "Dune");
    instances
        .submit(&submission(&dune, &none, &alice))
        .await
        .expect("cold add");
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/movie",
            "GET /api/v3/qualityprofile",
            "GET /api/v3/rootfolder",
            "GET /api/v3/tag",
            "POST /api/v3/tag",
            "POST /api/v3/movie",
        ]
    );

    let inception = movie(27205, "Inception");
    let (_, placed) = instances
        .submit(&submission(&inception, &none, &alice))
        .await
        .expect("warm add");
    assert_eq!(placed.placement, Placement::Added);
    assert_eq!(calls.since(), ["GET /api/v3/movie", "POST /api/v3/movie"]);
    let posts = fake.server.received_at("POST", "/api/v3/movie");
    let add = &posts[1];
    assert_eq!(add.body["tmdbId"], 27205);
    assert_eq!(add.body["title"], "Inception");
    assert_eq!(add.body["tags"], serde_json::json!([1]));
    let spec = Spec::load("radarr-v3-openapi.json");
    assert_eq!(
        spec.check_request("POST", "/api/v3/movie", "", Some(&add.body)),
        Ok(())
    );
    assert_eq!(
        fake.movie(27205).expect("added")["title"],
        "Inception",
        "Radarr filled in the rest"
    );

    // Already there: adopted, not added twice.
    let (_, again) = instances
        .submit(&submission(&dune, &none, &alice))
        .await
        .expect("adopt");
    assert_eq!(again.placement, Placement::Unchanged);
    assert_eq!(calls.since(), ["GET /api/v3/movie"]);
    assert_eq!(fake.adds(), 2);

    // A new requester's tag is created once; the next add by them reuses it.
    let bob = ["usher-bob".to_owned()];
    let matrix = movie(603, "The Matrix");
    instances
        .submit(&submission(&matrix, &none, &bob))
        .await
        .expect("bob's add");
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/movie",
            "POST /api/v3/tag",
            "POST /api/v3/movie"
        ]
    );
    let sequel = movie(693134, "Dune: Part Two");
    instances
        .submit(&submission(&sequel, &none, &bob))
        .await
        .expect("bob's second add");
    assert_eq!(calls.since(), ["GET /api/v3/movie", "POST /api/v3/movie"]);
    assert_eq!(fake.tag_labels(), ["usher-alice", "usher-bob"]);

    // Each instance has its own cache: the 4K one is asked for its own profiles.
    let four_k = Submission {
        four_k: true,
        ..submission(&dune, &none, &alice)
    };
    instances.submit(&four_k).await.expect("4K add");
    assert_eq!(
        fake_4k
            .server
            .received_at("GET", "/api/v3/qualityprofile")
            .len(),
        1
    );
    assert_eq!(calls.since(), Vec::<String>::new());
}

#[tokio::test]
async fn a_sonarr_add_with_a_warm_cache_is_two_calls() {
    let (fake, v3) = (
        FakeSonarr::start(KEY).await,
        FakeSonarr::start_v3(KEY).await,
    );
    let alice = ["usher-alice".to_owned()];
    let first = Seasons::new([1, 2]);
    for (fake, language) in [(&fake, false), (&v3, true)] {
        let instances = Fakes {
            sonarr: Some(fake),
            ..Fakes::default()
        }
        .instances();
        let mut calls = Calls::on(&fake.server);
        let breaking = show(1396, 81189, "Breaking Bad");
        instances
            .submit(&submission(&breaking, &first, &alice))
            .await
            .expect("cold add");
        let mut cold = vec![
            "GET /api/v3/series/lookup",
            "GET /api/v3/qualityprofile",
            "GET /api/v3/rootfolder",
            "GET /api/v3/system/status",
        ];
        if language {
            cold.push("GET /api/v3/languageprofile");
        }
        cold.extend(["GET /api/v3/tag", "POST /api/v3/tag", "POST /api/v3/series"]);
        assert_eq!(calls.since(), cold);

        let thrones = show(1399, 121361, "Game of Thrones");
        let (_, placed) = instances
            .submit(&submission(&thrones, &first, &alice))
            .await
            .expect("warm add");
        assert_eq!(placed.placement, Placement::Added);
        assert_eq!(
            calls.since(),
            ["GET /api/v3/series/lookup", "POST /api/v3/series"]
        );
        assert_eq!(fake.monitored_seasons(121361), [1, 2]);
        let posts = fake.server.received_at("POST", "/api/v3/series");
        let seasons = posts[1].body["seasons"].as_array().expect("seasons").len();
        assert_eq!(seasons, 9, "every season listed, 0 to 8");
        let spec = Spec::load("sonarr-v3-openapi.json");
        assert_eq!(
            spec.check_request("POST", "/api/v3/series", "", Some(&posts[1].body)),
            Ok(())
        );

        // Already there with those seasons: one look, nothing added or changed.
        let (_, again) = instances
            .submit(&submission(&breaking, &first, &alice))
            .await
            .expect("adopt");
        assert_eq!(again.placement, Placement::Unchanged);
        assert_eq!(calls.since(), ["GET /api/v3/series/lookup"]);
        // More seasons of a series there: updated and searched, still never added.
        let third = Seasons::new([3]);
        let (_, more) = instances
            .submit(&submission(&breaking, &third, &alice))
            .await
            .expect("more seasons");
        assert_eq!(more.placement, Placement::Updated);
        assert_eq!(
            calls.since(),
            [
                "GET /api/v3/series/lookup",
                "PUT /api/v3/series/1",
                "POST /api/v3/command",
            ]
        );
        assert_eq!((fake.adds(), fake.updates()), (2, 1));
        assert_eq!(fake.monitored_seasons(81189), [1, 2, 3]);
    }
}

#[tokio::test]
async fn sonarr_treats_already_added_as_done() {
    let fake = FakeSonarr::start(KEY).await;
    let id = fake.insert_series(81189, &[1]).expect("seeded");
    fake.hide_library_once();
    let client = SonarrClient::new(
        "sonarr",
        &settings(fake.url(), KEY, None, None),
        &ArrOptions::default(),
        false,
        &fast_http(),
    )
    .expect("client");
    let seasons = Seasons::new([1]);
    let request = SeriesRequest {
        tvdb_id: TvdbId::parse(81189).expect("tvdb"),
        seasons: &seasons,
        future_seasons: false,
        anime: None,
        extra_tags: &[],
        placement: Default::default(),
        shape: Default::default(),
    };
    let placed = client.submit(&request).await.expect("submit");
    assert_eq!(placed.id, id);
    assert_eq!(fake.adds(), 0);
    assert_eq!(fake.server.received_at("POST", "/api/v3/series").len(), 1);
    assert_eq!(fake.server.received_at("GET", "/api/v3/series").len(), 1);
}

fn named_profile(fake_url: &str, radarr: bool) -> ArrInstances {
    let arr = settings(fake_url, KEY, Some("HD-1080p"), None);
    let options = ArrOptions::default();
    let client = if radarr {
        ArrClient::Radarr(RadarrClient::new("radarr", &arr, &options, &fast_http()).expect("c"))
    } else {
        let sonarr = SonarrClient::new("sonarr", &arr, &options, false, &fast_http());
        ArrClient::Sonarr(sonarr.expect("client"))
    };
    ArrInstances::new(vec![ArrInstance {
        flavor: Flavor::Default,
        client,
    }])
}

#[tokio::test]
async fn a_stale_cached_profile_costs_one_refresh_not_a_failure() {
    let fake = FakeRadarr::start(KEY).await;
    let instances = named_profile(fake.url(), true);
    let none = Seasons::default();
    let dune = movie(438631, "Dune");
    instances
        .submit(&submission(&dune, &none, &[]))
        .await
        .expect("warms the cache");
    assert_eq!(fake.movie(438631).expect("added")["qualityProfileId"], 4);
    // The operator deletes "HD-1080p" and creates it again: it has a new id now.
    fake.set_quality_profiles(&[(1, "Any"), (7, "HD-1080p")]);
    let mut calls = Calls::on(&fake.server);
    let inception = movie(27205, "Inception");
    let (_, placed) = instances
        .submit(&submission(&inception, &none, &[]))
        .await
        .expect("refreshed and added");
    assert_eq!(placed.placement, Placement::Added);
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/movie",
            "POST /api/v3/movie",
            "GET /api/v3/qualityprofile",
            "GET /api/v3/rootfolder",
            "POST /api/v3/movie",
        ]
    );
    assert_eq!(fake.movie(27205).expect("added")["qualityProfileId"], 7);
    let matrix = movie(603, "The Matrix");
    instances
        .submit(&submission(&matrix, &none, &[]))
        .await
        .expect("warm again");
    assert_eq!(calls.since(), ["GET /api/v3/movie", "POST /api/v3/movie"]);

    // Gone for good: one refresh, then the operator is told what exists.
    fake.set_quality_profiles(&[(1, "Any")]);
    let sequel = movie(693134, "Dune: Part Two");
    let err = instances
        .submit(&submission(&sequel, &none, &[]))
        .await
        .expect_err("no such profile");
    assert!(
        err.to_string()
            .starts_with("radarr: no quality profile \"HD-1080p\" (has: Any)"),
        "{err}"
    );
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/movie",
            "POST /api/v3/movie",
            "GET /api/v3/qualityprofile",
        ]
    );
    assert_eq!(fake.adds(), 3);

    // Sonarr the same way.
    let sonarr = FakeSonarr::start(KEY).await;
    let instances = named_profile(sonarr.url(), false);
    let seasons = Seasons::new([1]);
    let breaking = show(1396, 81189, "Breaking Bad");
    instances
        .submit(&submission(&breaking, &seasons, &[]))
        .await
        .expect("warms the cache");
    sonarr.set_quality_profiles(&[(1, "Any"), (9, "HD-1080p")]);
    let thrones = show(1399, 121361, "Game of Thrones");
    instances
        .submit(&submission(&thrones, &seasons, &[]))
        .await
        .expect("refreshed and added");
    assert_eq!(sonarr.series(121361).expect("added")["qualityProfileId"], 9);
    assert_eq!(
        sonarr
            .server
            .received_at("GET", "/api/v3/qualityprofile")
            .len(),
        2
    );
}

#[tokio::test]
async fn unknown_ids_are_told_by_the_add_itself() {
    let fake = FakeRadarr::start(KEY).await;
    let instances = Fakes {
        radarr: Some(&fake),
        ..Fakes::default()
    }
    .instances();
    let none = Seasons::default();
    let nothing = movie(999_999, "Nothing");
    let err = instances
        .submit(&submission(&nothing, &none, &[]))
        .await
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "radarr: TMDB movie 999999 is not known to it"
    );
    assert!(!err.is_transient());
    assert_eq!(
        fake.server.received_at("POST", "/api/v3/movie").len(),
        1,
        "not retried as if stale"
    );
}

#[tokio::test]
async fn the_lookup_that_tells_anime_serves_the_anime_add() {
    let (sonarr, anime) = (FakeSonarr::start(KEY).await, FakeSonarr::start(KEY).await);
    let instances = Fakes {
        sonarr: Some(&sonarr),
        sonarr_anime: Some(&anime),
        ..Fakes::default()
    }
    .instances();
    let seasons = Seasons::new([1]);
    let titan = show(1429, 267440, "Attack on Titan");
    // No answer from TMDB: the anime instance's lookup decides, and is not asked again.
    let undecided = Submission {
        anime: None,
        ..submission(&titan, &seasons, &[])
    };
    let (placed, _) = instances.submit(&undecided).await.expect("anime add");
    assert_eq!(placed.instance, "sonarr-anime");
    let mut calls = Calls {
        server: &anime.server,
        seen: 0,
    };
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/series/lookup",
            "GET /api/v3/qualityprofile",
            "GET /api/v3/rootfolder",
            "GET /api/v3/system/status",
            "POST /api/v3/series",
        ]
    );
    assert!(sonarr.server.received().is_empty());
}

#[tokio::test]
async fn a_destination_the_cache_does_not_know_yet_is_asked_for_once() {
    let fake = FakeRadarr::start(KEY).await;
    let instances = Fakes {
        radarr: Some(&fake),
        ..Fakes::default()
    }
    .instances();
    let none = Seasons::default();
    let dune = movie(438631, "Dune");
    instances
        .submit(&submission(&dune, &none, &[]))
        .await
        .expect("warms the cache");
    // A profile created after the cache was filled, picked by an approver by name.
    fake.set_quality_profiles(&[(1, "Any"), (4, "HD-1080p"), (8, "Remux")]);
    let mut calls = Calls::on(&fake.server);
    let inception = movie(27205, "Inception");
    let picked = Submission {
        placement: Destination {
            quality_profile: Some("remux"),
            root_folder: Some("/movies/"),
            tags: None,
        },
        ..submission(&inception, &none, &[])
    };
    instances.submit(&picked).await.expect("added");
    assert_eq!(
        calls.since(),
        [
            "GET /api/v3/movie",
            "GET /api/v3/qualityprofile",
            "POST /api/v3/movie",
        ]
    );
    assert_eq!(fake.movie(27205).expect("added")["qualityProfileId"], 8);
    // By id, from the refreshed cache.
    let matrix = movie(603, "The Matrix");
    let by_id = Submission {
        placement: Destination {
            quality_profile: Some("8"),
            root_folder: None,
            tags: None,
        },
        ..submission(&matrix, &none, &[])
    };
    instances.submit(&by_id).await.expect("added");
    assert_eq!(calls.since(), ["GET /api/v3/movie", "POST /api/v3/movie"]);
    assert_eq!(fake.movie(603).expect("added")["qualityProfileId"], 8);
}
