//! The Jellyfin client's requests and the fake's answers, checked against the official
//! Jellyfin 10.11 OpenAPI spec: every path, query parameter and response body.

use std::time::Duration;

use usher_testkit::{FakeJellyfin, Spec};

use super::*;
use crate::integrations::http::RetryPolicy;

#[tokio::test]
async fn jellyfin_requests_and_responses_follow_the_10_11_spec() {
    let fake = FakeJellyfin::start("jf-key").await;
    fake.add_movie(438631, "Dune");
    let show = fake.add_series(Some(81189), Some(1396), "Breaking Bad");
    fake.add_episodes(&show, 1, 2);
    fake.add_missing_episodes(&show, 2, 1);
    let http = HttpSettings {
        timeout: Duration::from_secs(2),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    };
    let client = JellyfinClient::new(fake.url(), "jf-key", &http)
        .expect("client")
        .with_page_size(1);
    let mut wanted = Wanted::default();
    wanted.add_movie(TmdbId::parse(438631).expect("id"));
    wanted.add_show(TmdbId::parse(1396).expect("id"), TvdbId::parse(81189).ok());
    let found = client.find_wanted(&wanted).await.expect("find");
    let libraries = client.libraries().await.expect("libraries");
    let names: Vec<(&str, &str)> = libraries
        .iter()
        .map(|l| (l.name.as_str(), l.kind.as_str()))
        .collect();
    assert_eq!(names, [("Movies", "movies"), ("Shows", "tvshows")]);
    assert_eq!(found.movies.len(), 1);
    assert!(
        client
            .series_by_item_id(&show)
            .await
            .expect("series")
            .is_some()
    );

    let spec = Spec::load("jellyfin-openapi-10.11.11.json");
    assert!(
        spec.check_request("GET", "/Items", "AnyProviderIdEquals=tmdb.1", None)
            .is_err(),
        "Emby's filter is not Jellyfin 10.11 API, so the Jellyfin flavor never sends it"
    );
    let sent = fake.server.received();
    assert!(sent.len() >= 6, "{sent:?}");
    let replay = reqwest::Client::new();
    let mut problems = Vec::new();
    for request in &sent {
        if let Err(found) = spec.check_request(&request.method, &request.path, &request.query, None)
        {
            problems.extend(found);
        }
        let url = format!("{}{}?{}", fake.url(), request.path, request.query);
        let answer = replay
            .get(url)
            .header("Authorization", "MediaBrowser Token=\"jf-key\"")
            .send()
            .await
            .expect("replay");
        let status = answer.status().as_u16();
        let body: serde_json::Value = answer.json().await.expect("json answer");
        if let Err(found) = spec.check_response("GET", &request.path, status, &body) {
            problems.extend(found);
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
