//! `mediaInfo.requests` on a title's own page (`GET /movie/{id}`, `GET /tv/{id}`), as Seerr's
//! server sends it: every request for the title, each without its `media`, the bodies valid
//! against Seerr's spec; lists of titles (trending) leave `requests` out, as Seerr's do.

use axum::http::StatusCode;
use serde_json::Value;
use usher_core::domain::{Actor, MediaType, RequestId};
use usher_testkit::contract::Spec;

use super::tests::api_with;

#[tokio::test]
async fn a_titles_page_lists_its_requests_in_seerrs_shape() {
    let spec = Spec::load("overseerr-api.yml");
    let api = api_with(true).await;
    let read = api.key("dashboard", "read").await;
    let declined = api.seed(51, 438631, MediaType::Movie).await;
    api.services
        .requests
        .decline(&Actor::system(), RequestId(declined), "not now")
        .await
        .expect("decline");
    let again = api.seed(52, 438631, MediaType::Movie).await;
    let show = api.seed(53, 246, MediaType::Tv).await;

    let film = api.get("/api/v1/movie/438631", &read).await;
    assert_eq!(film.status, StatusCode::OK, "{:?}", film.body);
    let info = &film.body["mediaInfo"];
    assert_eq!(info["status"], 2, "the newest is pending");
    let requests = info["requests"].as_array().expect("requests");
    let ids: Vec<_> = requests.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, [Value::from(declined), Value::from(again)]);
    assert_eq!(requests[0]["status"], 3, "declined");
    assert_eq!(requests[1]["status"], 1, "pending");
    assert_eq!(requests[1]["requestedBy"]["displayName"], "member52");
    assert_eq!(requests[0]["type"], "movie");
    assert!(
        requests.iter().all(|r| r.get("media").is_none()),
        "no media inside its own mediaInfo"
    );

    let tv = api.get("/api/v1/tv/246", &read).await;
    assert_eq!(tv.status, StatusCode::OK, "{:?}", tv.body);
    let requests = tv.body["mediaInfo"]["requests"]
        .as_array()
        .expect("requests");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["id"], show);
    assert_eq!(requests[0]["seasonCount"], 2);

    let unknown = api.get("/api/v1/movie/27205", &read).await;
    assert_eq!(unknown.status, StatusCode::OK, "{:?}", unknown.body);
    assert!(unknown.body.get("mediaInfo").is_none(), "{}", unknown.body);

    let trending = api.get("/api/v1/discover/trending", &read).await;
    assert_eq!(trending.status, StatusCode::OK);
    let results = trending.body["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .all(|r| r["mediaInfo"].get("requests").is_none()),
        "lists leave requests out"
    );

    for (path, body) in [
        ("/movie/438631", &film.body),
        ("/movie/27205", &unknown.body),
        ("/tv/246", &tv.body),
    ] {
        if let Err(problems) = spec.check_response("GET", path, 200, body) {
            panic!("GET {path}: {problems:#?}\n{body}");
        }
    }
}
