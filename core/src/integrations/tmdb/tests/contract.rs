//! Contract: every request the client sends (path, query parameters) and every body the fake
//! returns for it validate against TMDB's official OpenAPI spec (`tmdb-v3-openapi.json`),
//! through usher-testkit's [`Spec`].

use serde_json::Value;
use usher_testkit::{Spec, tmdb};

use super::super::{Browse, SearchQuery, TimeWindow, Trending};
use super::{client_with, fake, id, query_pairs};
use crate::domain::MediaType;

#[tokio::test]
async fn requests_and_fake_responses_follow_the_tmdb_spec() {
    let spec = Spec::load("tmdb-v3-openapi.json");
    let fake = fake().await;
    // The spec's declared credential is the bearer token; `api_key` is checked apart below.
    let tmdb = client_with(&fake, tmdb::READ_TOKEN, |_| {});
    let q = SearchQuery::new("dune").language("fr-FR");
    tmdb.search_movies(&q.clone().year(2021).page(1))
        .await
        .expect("movie");
    tmdb.search_tv(&SearchQuery::new("harbor").year(2021))
        .await
        .expect("tv");
    tmdb.search_multi(&q.clone().year(1984))
        .await
        .expect("multi");
    tmdb.search_multi(&SearchQuery::new("denis"))
        .await
        .expect("people");
    for kind in [Trending::All, Trending::Movie, Trending::Tv] {
        for window in [TimeWindow::Day, TimeWindow::Week] {
            tmdb.trending(kind, window, Some("de-DE"))
                .await
                .expect("trending");
        }
    }
    for list in [
        Browse::Popular(MediaType::Movie),
        Browse::Popular(MediaType::Tv),
        Browse::Upcoming,
        Browse::Genre(MediaType::Movie, 878),
        Browse::Genre(MediaType::Tv, 16),
    ] {
        tmdb.browse(list, Some("de-DE"), 1).await.expect("browse");
        tmdb.browse(list, None, 2).await.expect("browse, page 2");
    }
    for media in [MediaType::Movie, MediaType::Tv] {
        tmdb.genres(media, Some("fr-FR")).await.expect("genres");
    }
    for (media, raw) in [
        (MediaType::Movie, 438631),
        (MediaType::Movie, 129),
        (MediaType::Tv, 990001),
        (MediaType::Tv, 246),
    ] {
        match media {
            MediaType::Movie => drop(tmdb.movie(id(raw), Some("fr-FR")).await.expect("movie")),
            MediaType::Tv => drop(tmdb.show(id(raw), None).await.expect("show")),
        }
        tmdb.external_ids(media, id(raw)).await.expect("ids");
        tmdb.certification(media, id(raw), "US")
            .await
            .expect("cert");
        tmdb.keywords(media, id(raw)).await.expect("keywords");
    }
    tmdb.is_anime(MediaType::Tv, id(1429)).await.expect("anime");
    let season = tmdb
        .season(id(246), 1, Some("fr-FR"))
        .await
        .expect("season");
    assert_eq!(season.number, 1);
    assert!(!season.episodes.is_empty(), "{season:?}");

    let sent = fake.received();
    assert!(sent.len() >= 25, "{} requests", sent.len());
    let http = reqwest::Client::new();
    let mut problems = Vec::new();
    for request in &sent {
        if let Err(errors) =
            spec.check_request(&request.method, &request.path, &request.query, None)
        {
            problems.extend(errors);
        }
        // The fake's answer to exactly this request, fetched again, against the spec.
        let url = format!("{}{}?{}", fake.url, request.path, request.query);
        let response = http
            .get(url)
            .bearer_auth(tmdb::READ_TOKEN)
            .send()
            .await
            .expect("refetch");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        if let Err(errors) = spec.check_response(&request.method, &request.path, status, &body) {
            problems.extend(errors.into_iter().map(|e| format!("{}: {e}", request.path)));
        }
    }
    assert!(
        problems.is_empty(),
        "contract problems:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_v3_key_parameter_is_the_only_addition_to_the_spec() {
    let spec = Spec::load("tmdb-v3-openapi.json");
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |_| {});
    tmdb.search_multi(&SearchQuery::new("dune").year(2021))
        .await
        .expect("v3");
    let sent = &fake.received()[0];
    // TMDB accepts v3 keys only as `api_key`, which its spec leaves out (it declares the
    // bearer header); everything else we send is declared.
    let errors = spec
        .check_request("GET", &sent.path, &sent.query, None)
        .expect_err("api_key is undeclared");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("api_key"), "{errors:?}");
    let others: Vec<String> = query_pairs(&sent.query)
        .into_iter()
        .filter(|(k, _)| k != "api_key")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert!(
        spec.check_request("GET", &sent.path, &others.join("&"), None)
            .is_ok()
    );
    // And the check has teeth: multi search takes no year.
    assert!(
        spec.check_request("GET", "/3/search/multi", "query=x&year=1", None)
            .is_err()
    );
}
