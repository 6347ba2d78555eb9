//! Radarr and Sonarr clients against the stateful fakes: what they read, idempotent adds and
//! updates, and typed errors naming the instance for every way an upstream can misbehave.

use std::time::Duration;

use serde_json::Value;
use usher_testkit::{FakeRadarr, FakeSonarr, Fault};

use super::arr_support::{KEY, answering, radarr, radarr_with, settings, sonarr};
use crate::config::ArrOptions;
use crate::domain::{Seasons, TmdbId, TvdbId};
use crate::integrations::arr::{ArrErrorKind, Placement, SeriesRequest};
use crate::integrations::http::UpstreamError;

fn tmdb(id: i64) -> TmdbId {
    TmdbId::parse(id).expect("tmdb id")
}

fn tvdb(id: i64) -> TvdbId {
    TvdbId::parse(id).expect("tvdb id")
}

fn series<'a>(id: i64, seasons: &'a Seasons, anime: Option<bool>) -> SeriesRequest<'a> {
    SeriesRequest {
        tvdb_id: tvdb(id),
        seasons,
        future_seasons: false,
        anime,
        extra_tags: &[],
        placement: Default::default(),
        shape: Default::default(),
    }
}

#[tokio::test]
async fn radarr_reports_status_profiles_folders_and_creates_clean_tags() {
    let fake = FakeRadarr::start(KEY).await;
    let client = radarr("radarr", &fake);
    let api = client.api();
    let status = api.status().await.expect("status");
    assert_eq!(status.app_name.as_deref(), Some("Radarr"));
    assert_eq!(status.major_version(), Some(5));
    let profiles = api.quality_profiles().await.expect("profiles");
    assert_eq!(profiles.len(), 3);
    assert_eq!(
        api.root_folders().await.expect("folders")[0]
            .path
            .as_deref(),
        Some("/movies")
    );
    assert!(api.tags().await.expect("tags").is_empty());
    let tag = api.create_tag("Alice Smith!").await.expect("tag");
    assert_eq!(tag.label.as_deref(), Some("alice-smith"));
    let again = api
        .ensure_tags(&["alice smith".into(), "usher".into(), "ALICE-SMITH".into()])
        .await
        .expect("ensure");
    assert_eq!(again.len(), 2);
    assert_eq!(again[0], tag.id);
    assert_eq!(fake.tag_labels(), ["alice-smith", "usher"]);
    assert_eq!(fake.server.received_at("POST", "/api/v3/tag").len(), 2);
}

#[tokio::test]
async fn radarr_adds_once_and_then_leaves_the_movie_alone() {
    let fake = FakeRadarr::start(KEY).await;
    let client = radarr("radarr", &fake);
    let tags = ["usher-alice".to_owned()];
    let first = client.submit(tmdb(438631), &tags).await.expect("add");
    assert_eq!(first.placement, Placement::Added);
    let second = client.submit(tmdb(438631), &tags).await.expect("again");
    assert_eq!(second.placement, Placement::Unchanged);
    assert_eq!(second.id, first.id);
    assert_eq!(fake.adds(), 1);
    let movie = fake.movie(438631).expect("in library");
    assert_eq!(movie["monitored"], true);
    assert_eq!(movie["minimumAvailability"], "released");
    assert_eq!(movie["qualityProfileId"], 1);
    assert_eq!(movie["rootFolderPath"], "/movies");
    assert_eq!(fake.tag_labels(), ["usher-alice"]);
    assert_eq!(movie["tags"], serde_json::json!([1]));
    let add = &fake.server.received_at("POST", "/api/v3/movie")[0];
    assert_eq!(add.body["addOptions"]["searchForMovie"], true);
    assert_eq!(add.body["title"], "Dune");
    assert_eq!(add.header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn radarr_monitors_and_searches_an_unmonitored_movie_instead_of_adding() {
    let fake = FakeRadarr::start(KEY).await;
    let id = fake.insert_movie(27205, false).expect("seeded");
    let placed = radarr("radarr", &fake)
        .submit(tmdb(27205), &[])
        .await
        .expect("submit");
    assert_eq!((placed.id, placed.placement), (id, Placement::Updated));
    assert_eq!((fake.adds(), fake.updates()), (0, 1));
    assert_eq!(fake.movie(27205).expect("movie")["monitored"], true);
    let commands = fake.commands();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0]["name"], "MoviesSearch");
    assert_eq!(commands[0]["movieIds"], serde_json::json!([id]));
}

#[tokio::test]
async fn radarr_treats_already_added_as_done() {
    let fake = FakeRadarr::start(KEY).await;
    let id = fake.insert_movie(438631, true).expect("seeded");
    fake.hide_library_once();
    let placed = radarr("radarr", &fake)
        .submit(tmdb(438631), &[])
        .await
        .expect("submit");
    assert_eq!((placed.id, placed.placement), (id, Placement::Unchanged));
    assert_eq!(fake.adds(), 0);
    assert_eq!(fake.server.received_at("POST", "/api/v3/movie").len(), 1);
}

#[tokio::test]
async fn radarr_uses_the_configured_profile_and_folder_or_says_what_is_missing() {
    let fake = FakeRadarr::start(KEY).await;
    let options = ArrOptions {
        search_on_add: false,
        radarr_tags: vec!["usher".into()],
        ..ArrOptions::default()
    };
    let named = settings(fake.url(), KEY, Some("hd-1080p"), Some("/movies/"));
    radarr_with("radarr", &named, &options)
        .submit(tmdb(603), &[])
        .await
        .expect("add");
    let movie = fake.movie(603).expect("added");
    assert_eq!(movie["qualityProfileId"], 4);
    let add = &fake.server.received_at("POST", "/api/v3/movie")[0];
    assert_eq!(add.body["addOptions"]["searchForMovie"], false);
    assert_eq!(fake.tag_labels(), ["usher"]);

    let wrong = settings(fake.url(), KEY, Some("Ultra HD 8K"), None);
    let err = radarr_with("radarr-4k", &wrong, &options)
        .submit(tmdb(27205), &[])
        .await
        .expect_err("no such profile");
    assert!(!err.is_transient());
    let shown = err.to_string();
    assert!(
        shown.starts_with("radarr-4k: no quality profile \"Ultra HD 8K\""),
        "{shown}"
    );
    assert!(shown.contains("HD-1080p"), "{shown}");
    assert_eq!(fake.adds(), 1);
}

#[tokio::test]
async fn unknown_titles_and_seasons_are_permanent_errors() {
    let (radarr_fake, sonarr_fake) = (FakeRadarr::start(KEY).await, FakeSonarr::start(KEY).await);
    let err = radarr("radarr", &radarr_fake)
        .submit(tmdb(999_999), &[])
        .await
        .expect_err("unknown");
    assert!(matches!(err.kind, ArrErrorKind::UnknownTitle(_)), "{err}");
    assert!(!err.is_transient());
    let client = sonarr("sonarr", &sonarr_fake, false);
    let seasons = Seasons::new([1]);
    let err = client
        .submit(&series(1, &seasons, None))
        .await
        .expect_err("unknown");
    assert_eq!(err.to_string(), "sonarr: TVDB series 1 is not known to it");
    let ninth = Seasons::new([9]);
    let err = client
        .submit(&series(81189, &ninth, None))
        .await
        .expect_err("no season 9");
    assert!(
        err.to_string().contains("season 9 of Breaking Bad"),
        "{err}"
    );
    assert_eq!(sonarr_fake.adds() + radarr_fake.adds(), 0);
}

#[tokio::test]
async fn sonarr_adds_requested_seasons_then_monitors_more_with_one_update() {
    let fake = FakeSonarr::start(KEY).await;
    let client = sonarr("sonarr", &fake, false);
    let first = Seasons::new([1, 2]);
    let added = client
        .submit(&series(81189, &first, None))
        .await
        .expect("add");
    assert_eq!(added.placement, Placement::Added);
    assert_eq!(fake.monitored_seasons(81189), [1, 2]);
    let more = Seasons::new([3]);
    let updated = client
        .submit(&series(81189, &more, None))
        .await
        .expect("update");
    assert_eq!(
        (updated.id, updated.placement),
        (added.id, Placement::Updated)
    );
    assert_eq!(fake.monitored_seasons(81189), [1, 2, 3]);
    let same = client
        .submit(&series(81189, &first, None))
        .await
        .expect("again");
    assert_eq!(same.placement, Placement::Unchanged);
    assert_eq!((fake.adds(), fake.updates()), (1, 1));
    let searches: Vec<Value> = fake.commands();
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0]["name"], "SeasonSearch");
    assert_eq!(searches[0]["seasonNumber"], 3);
    assert_eq!(searches[0]["seriesId"], added.id);
    let add = &fake.server.received_at("POST", "/api/v3/series")[0];
    assert_eq!(add.body["seriesType"], "standard");
    assert_eq!(add.body["seasonFolder"], true);
    assert_eq!(add.body["addOptions"]["searchForMissingEpisodes"], true);
    assert!(
        add.body.get("languageProfileId").is_none(),
        "v4 has no language profiles"
    );
    let lookup = &fake.server.received_at("GET", "/api/v3/series/lookup")[0];
    assert_eq!(lookup.query, "term=tvdb%3A81189");
    assert_eq!(lookup.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn sonarr_v3_gets_a_language_profile() {
    let fake = FakeSonarr::start_v3(KEY).await;
    let client = sonarr("sonarr", &fake, false);
    assert!(client.is_v3().await.expect("version"));
    let seasons = Seasons::new([1]);
    client
        .submit(&series(121361, &seasons, None))
        .await
        .expect("add");
    let add = &fake.server.received_at("POST", "/api/v3/series")[0];
    assert_eq!(add.body["languageProfileId"], 1);
    assert_eq!(fake.adds(), 1);
}

#[tokio::test]
async fn anime_is_filed_as_anime() {
    let fake = FakeSonarr::start(KEY).await;
    let seasons = Seasons::new([1]);
    let by_genre = sonarr("sonarr", &fake, false);
    by_genre
        .submit(&series(267440, &seasons, None))
        .await
        .expect("add");
    assert_eq!(fake.series(267440).expect("added")["seriesType"], "anime");
    let told_not = FakeSonarr::start(KEY).await;
    sonarr("sonarr", &told_not, false)
        .submit(&series(267440, &seasons, Some(false)))
        .await
        .expect("add");
    assert_eq!(
        told_not.series(267440).expect("added")["seriesType"],
        "standard"
    );
    let anime_instance = FakeSonarr::start(KEY).await;
    sonarr("sonarr-anime", &anime_instance, true)
        .submit(&series(81189, &seasons, None))
        .await
        .expect("add");
    assert_eq!(
        anime_instance.series(81189).expect("added")["seriesType"],
        "anime"
    );
}

#[tokio::test]
async fn faults_become_typed_errors_naming_the_instance() {
    let fake = FakeRadarr::start(KEY).await;
    let wrong_key = radarr_with(
        "radarr",
        &settings(fake.url(), "wrong", None, None),
        &ArrOptions::default(),
    );
    let err = wrong_key.api().status().await.expect_err("401");
    assert_eq!(err.upstream(), Some(&UpstreamError::Unauthorized(401)));
    assert!(!err.is_transient());
    assert_eq!(err.to_string(), "radarr: credentials refused (HTTP 401)");
    assert_eq!(
        err.clone().into_core().to_string(),
        "radarr failed: credentials refused (HTTP 401)"
    );

    let client = radarr("radarr-4k", &fake);
    fake.server.faults.fail_next(1, Fault::Html);
    let err = client.submit(tmdb(438631), &[]).await.expect_err("html");
    assert_eq!(
        err.to_string(),
        "radarr-4k: unexpected answer: an HTML page instead of JSON"
    );
    assert!(!err.is_transient());

    fake.server
        .faults
        .fail_next(1, Fault::Hang(Duration::from_secs(30)));
    let started = std::time::Instant::now();
    let err = client.api().tags().await.expect_err("hang");
    assert_eq!(err.upstream(), Some(&UpstreamError::Timeout));
    assert!(err.is_transient());
    assert!(started.elapsed() < Duration::from_secs(5));

    fake.server.faults.fail_next(1, Fault::ServerError);
    let err = client.api().tags().await.expect_err("500");
    assert!(err.is_transient(), "{err}");
    assert_eq!(fake.adds(), 0);

    let broken = answering(200, r#"[{"id": 1, "name": "Any""#).await;
    let client = radarr_with(
        "radarr",
        &settings(&broken, KEY, None, None),
        &ArrOptions::default(),
    );
    let err = client
        .api()
        .quality_profiles()
        .await
        .expect_err("broken JSON");
    assert!(
        matches!(err.upstream(), Some(UpstreamError::Malformed(_))),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("radarr: unexpected answer: "),
        "{err}"
    );

    let nobody = radarr_with(
        "radarr",
        &settings("http://127.0.0.1:9", KEY, None, None),
        &ArrOptions::default(),
    );
    let err = nobody.submit(tmdb(438631), &[]).await.expect_err("down");
    assert_eq!(err.to_string(), "radarr: not reachable");
    assert!(err.is_transient());
}

#[tokio::test]
async fn sonarr_monitors_an_unmonitored_series_and_searches_what_was_asked() {
    let fake = FakeSonarr::start(KEY).await;
    let id = fake
        .insert_series(121361, &[1])
        .expect("seeded, unmonitored");
    assert_eq!(fake.series(121361).expect("series")["monitored"], false);
    let seasons = Seasons::new([1]);
    let placed = sonarr("sonarr", &fake, false)
        .submit(&series(121361, &seasons, None))
        .await
        .expect("submit");
    assert_eq!((placed.id, placed.placement), (id, Placement::Updated));
    assert_eq!(fake.series(121361).expect("series")["monitored"], true);
    let commands = fake.commands();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0]["seasonNumber"], 1);
    assert_eq!(fake.adds(), 0);
}

#[tokio::test]
async fn sonarr_monitors_new_seasons_only_when_asked() {
    let fake = FakeSonarr::start(KEY).await;
    let client = sonarr("sonarr", &fake, false);
    let first = Seasons::new([1]);
    client
        .submit(&series(81189, &first, None))
        .await
        .expect("add");
    let add = &fake.server.received_at("POST", "/api/v3/series")[0];
    assert_eq!(
        add.body["monitorNewItems"], "none",
        "Sonarr's default is all"
    );
    assert_eq!(
        fake.series(81189).expect("added")["monitorNewItems"],
        "none"
    );

    // The same seasons with future seasons: one update switches it, searching nothing new.
    let future = SeriesRequest {
        future_seasons: true,
        ..series(81189, &first, None)
    };
    let placed = client.submit(&future).await.expect("update");
    assert_eq!(placed.placement, Placement::Updated);
    assert_eq!(
        fake.series(81189).expect("series")["monitorNewItems"],
        "all"
    );
    assert!(fake.commands().is_empty(), "{:?}", fake.commands());
    let again = client.submit(&future).await.expect("again");
    assert_eq!(again.placement, Placement::Unchanged);
    // A later request without future seasons never switches it back.
    let plain = client
        .submit(&series(81189, &first, None))
        .await
        .expect("plain");
    assert_eq!(plain.placement, Placement::Unchanged);
    assert_eq!(
        fake.series(81189).expect("series")["monitorNewItems"],
        "all"
    );
    assert_eq!((fake.adds(), fake.updates()), (1, 1));

    let other = Seasons::new([2]);
    let whole = SeriesRequest {
        future_seasons: true,
        ..series(121361, &other, None)
    };
    client.submit(&whole).await.expect("add with future");
    assert_eq!(
        fake.series(121361).expect("added")["monitorNewItems"],
        "all"
    );
}
