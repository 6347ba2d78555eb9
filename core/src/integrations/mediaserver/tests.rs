//! Media-server clients against the testkit fakes: batched lookups, paging, seasons, and every
//! failure a typed error.

use std::time::Duration;

use usher_testkit::{FakeJellyfin, FakePlex, Fault, Product};

use super::*;
use crate::integrations::http::RetryPolicy;

fn fast() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(400),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    }
}

fn tmdb(id: i64) -> TmdbId {
    TmdbId::parse(id).expect("tmdb")
}

fn tvdb(id: i64) -> TvdbId {
    TvdbId::parse(id).expect("tvdb")
}

fn wanted() -> Wanted {
    let mut wanted = Wanted::default();
    wanted.add_movie(tmdb(438631));
    wanted.add_movie(tmdb(1));
    wanted.add_show(tmdb(1396), Some(tvdb(81189)));
    wanted.add_show(tmdb(2000), None);
    wanted
}

#[tokio::test]
async fn jellyfin_lists_in_pages_and_matches_in_memory() {
    let fake = FakeJellyfin::start("jf-key").await;
    fake.add_movie(438631, "Dune");
    fake.add_movie(999, "Not requested");
    fake.add_movie(998, "Also not requested");
    let show = fake.add_series(Some(81189), None, "Breaking Bad");
    fake.add_episodes(&show, 1, 3);
    fake.add_episodes(&show, 2, 1);
    fake.add_missing_episodes(&show, 3, 5);
    let other = fake.add_series(None, Some(2000), "Only TMDB");
    fake.add_missing_episodes(&other, 1, 2);
    let client = JellyfinClient::new(fake.url(), "jf-key", &fast())
        .expect("client")
        .with_page_size(2);

    let found = client.find_wanted(&wanted()).await.expect("find");

    assert_eq!(found.movies, HashSet::from([tmdb(438631)]));
    assert_eq!(found.shows.get(&tmdb(1396)), Some(&Seasons::new([1, 2])));
    assert_eq!(
        found.shows.get(&tmdb(2000)),
        None,
        "virtual episodes are not present"
    );
    let items = fake.server.received_at("GET", "/Items");
    assert_eq!(items.len(), 3, "two movie pages and one series page");
    let first = &items[0];
    assert_eq!(
        first.header("authorization"),
        Some("MediaBrowser Token=\"jf-key\"")
    );
    for part in [
        "recursive=true",
        "includeItemTypes=Movie",
        "fields=ProviderIds",
        "hasTmdbId=true",
    ] {
        assert!(first.query.contains(part), "{} lacks {part}", first.query);
    }
    assert_eq!(
        fake.server.received_at("GET", "/System/Info/Public").len(),
        1
    );
    let episodes: Vec<_> = fake
        .server
        .received()
        .into_iter()
        .filter(|r| r.path.starts_with("/Shows/"))
        .collect();
    assert_eq!(
        episodes.len(),
        2,
        "one season lookup per wanted series found"
    );
    assert!(episodes[0].query.contains("isMissing=false"));
}

#[tokio::test]
async fn emby_asks_by_provider_ids_in_batches() {
    let fake = FakeJellyfin::start_as("emby-key", Product::Emby).await;
    fake.add_movie(1, "Alien");
    fake.add_movie(5, "Other");
    let show = fake.add_series(Some(81189), Some(1396), "Breaking Bad");
    fake.add_episodes(&show, 4, 2);
    let client = JellyfinClient::new(fake.url(), "emby-key", &fast()).expect("client");
    assert_eq!(client.flavor().await, Ok(Flavor::Emby));

    let found = client.find_wanted(&wanted()).await.expect("find");

    assert_eq!(found.movies, HashSet::from([tmdb(1)]));
    assert_eq!(found.shows.get(&tmdb(1396)), Some(&Seasons::new([4])));
    assert!(
        found.items.is_empty(),
        "Emby opens items elsewhere: no library links"
    );
    let items = fake.server.received_at("GET", "/Items");
    assert_eq!(items.len(), 2, "one batch of movies, one of shows");
    assert!(
        items
            .iter()
            .all(|r| r.query.contains("AnyProviderIdEquals="))
    );
    assert_eq!(client.name(), "Emby");
}

#[tokio::test]
async fn jellyfin_resolves_a_series_by_item_id() {
    let fake = FakeJellyfin::start("k").await;
    let show = fake.add_series(Some(81189), Some(1396), "Breaking Bad");
    fake.add_episodes(&show, 2, 1);
    let client = JellyfinClient::new(fake.url(), "k", &fast())
        .expect("client")
        .with_flavor(Flavor::Jellyfin);
    let found = client.series_by_item_id(&show).await.expect("lookup");
    assert_eq!(
        found,
        Some(ShowPresence {
            tmdb: Some(tmdb(1396)),
            tvdb: Some(tvdb(81189)),
            seasons: Seasons::new([2]),
        })
    );
    let unknown = client
        .series_by_item_id("ffffffffffffffffffffffffffffffff")
        .await;
    assert_eq!(unknown, Ok(None));
    assert_eq!(client.series_by_item_id("../System/Info").await, Ok(None));
    assert!(fake.server.received_at("GET", "/System/Info").is_empty());
}

#[tokio::test]
async fn plex_lists_sections_once_and_reads_seasons_of_found_shows() {
    let fake = FakePlex::start("plex-token").await;
    fake.add_movie(438631, "Dune");
    fake.add_unmatched_movie("Home video");
    fake.add_movie(7, "Not requested");
    let show = fake.add_show(Some(81189), None, "Breaking Bad");
    fake.add_season(&show, 1, 7);
    fake.add_season(&show, 2, 13);
    fake.add_show(None, Some(2000), "No seasons yet");
    let client = PlexClient::new(fake.url(), "plex-token", &fast())
        .expect("client")
        .with_page_size(2);

    let found = client.find_wanted(&wanted()).await.expect("find");

    assert_eq!(found.movies, HashSet::from([tmdb(438631)]));
    assert_eq!(found.shows.get(&tmdb(1396)), Some(&Seasons::new([1, 2])));
    assert!(!found.shows.contains_key(&tmdb(2000)));
    let sections = fake.server.received_at("GET", "/library/sections");
    assert_eq!(sections[0].header("x-plex-token"), Some("plex-token"));
    assert_eq!(sections[0].header("accept"), Some("application/json"));
    assert!(
        !sections[0].query.contains("token"),
        "the token stays out of URLs"
    );
    assert_eq!(
        fake.server
            .received_at("GET", "/library/sections/1/all")
            .len(),
        2
    );
    assert_eq!(
        fake.server
            .received_at("GET", "/library/sections/2/all")
            .len(),
        1
    );
    let children = fake
        .server
        .received_at("GET", &format!("/library/metadata/{show}/children"));
    assert_eq!(children.len(), 1);
    assert_eq!(
        client
            .show_by_rating_key(&show)
            .await
            .expect("show")
            .map(|s| s.seasons),
        Some(Seasons::new([1, 2]))
    );
}

#[tokio::test]
async fn nothing_wanted_means_no_calls() {
    let fake = FakePlex::start("t").await;
    let client = PlexClient::new(fake.url(), "t", &fast()).expect("client");
    let found = client.find_wanted(&Wanted::default()).await.expect("find");
    assert_eq!(found, Presence::default());
    assert!(fake.server.received().is_empty());
}

#[tokio::test]
async fn failures_are_typed_errors() {
    let jf = FakeJellyfin::start("right").await;
    jf.add_movie(1, "Alien");
    let wrong = JellyfinClient::new(jf.url(), "wrong", &fast())
        .expect("client")
        .with_flavor(Flavor::Jellyfin);
    assert_eq!(
        wrong.find_wanted(&wanted()).await,
        Err(UpstreamError::Unauthorized(401))
    );
    let client = JellyfinClient::new(jf.url(), "right", &fast())
        .expect("client")
        .with_flavor(Flavor::Jellyfin);
    jf.server.faults.fail_next(1, Fault::Html);
    assert!(
        matches!(client.find_wanted(&wanted()).await, Err(UpstreamError::Malformed(m)) if m.contains("HTML"))
    );
    jf.server
        .faults
        .fail_next(1, Fault::Hang(Duration::from_secs(2)));
    assert_eq!(
        client.find_wanted(&wanted()).await,
        Err(UpstreamError::Timeout)
    );
    jf.server.faults.fail_next(1, Fault::ServerError);
    assert!(matches!(
        client.find_wanted(&wanted()).await,
        Err(UpstreamError::Status { status: 500, .. })
    ));

    let plex = FakePlex::start("right").await;
    let wrong = PlexClient::new(plex.url(), "wrong", &fast()).expect("client");
    assert_eq!(
        wrong.find_wanted(&wanted()).await,
        Err(UpstreamError::Unauthorized(401))
    );
    let client = PlexClient::new(plex.url(), "right", &fast()).expect("client");
    plex.server.faults.fail_next(1, Fault::Html);
    assert!(matches!(
        client.find_wanted(&wanted()).await,
        Err(UpstreamError::Malformed(_))
    ));
}

#[tokio::test]
async fn malformed_json_is_a_typed_error() {
    use axum::routing::get;
    let server = usher_testkit::FakeServer::start(
        axum::Router::new()
            .route(
                "/System/Info/Public",
                get(|| async { r#"{"ProductName":"Jellyfin Server"}"# }),
            )
            .route("/Items", get(|| async { r#"{"Items": [{"Name": 3}"# })),
    )
    .await;
    let client = JellyfinClient::new(&server.url, "k", &fast()).expect("client");
    assert!(matches!(
        client.find_wanted(&wanted()).await,
        Err(UpstreamError::Malformed(_))
    ));
}

#[test]
fn presence_merges_seasons_across_servers() {
    let mut a = Presence::default();
    a.add_show(tmdb(1), &Seasons::new([1]));
    let mut b = Presence::default();
    b.add_show(tmdb(1), &Seasons::new([2]));
    b.movies.insert(tmdb(9));
    a.merge(b);
    assert_eq!(a.shows.get(&tmdb(1)), Some(&Seasons::new([1, 2])));
    assert!(a.movies.contains(&tmdb(9)));
}
