//! The API's newer paths over HTTP: TV, seasons and trending (TMDB's fake), `PUT /request`,
//! issues and Usher's own paths, each Seerr body checked against Seerr's spec, each scope
//! boundary a 403 naming the scope, and bad input a JSON 400 naming the field that writes
//! nothing.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use usher_core::domain::{Actor, MediaType, RequestId};
use usher_testkit::contract::Spec;

use super::tests::{Answer, BadInput, api, api_with, each_is_a_400_naming_its_field};

fn ok(answer: &Answer, what: &str) {
    assert_eq!(answer.status, StatusCode::OK, "{what}: {:?}", answer.body);
}

/// Makes the request available, so its title may be reported.
async fn make_available(api: &super::tests::Api, id: i64) {
    let system = Actor::system();
    api.services
        .requests
        .approve(&system, RequestId(id))
        .await
        .expect("approve");
    api.services
        .requests
        .mark_available(&system, RequestId(id), true)
        .await
        .expect("available");
}

#[tokio::test]
async fn tv_seasons_trending_issues_and_edits_validate_against_seerrs_spec() {
    let spec = Spec::load("overseerr-api.yml");
    let api = api_with(true).await;
    let read = api.key("dashboard", "read").await;
    let approve = api.key("decider", "approve").await;
    let reporter = api.key("reporter", "request").await;
    let show = api.seed(1, 246, MediaType::Tv).await;
    let film = api.seed(2, 603, MediaType::Movie).await;
    make_available(&api, film).await;

    let tv = api.get("/api/v1/tv/246", &read).await;
    ok(&tv, "tv");
    assert_eq!(tv.body["name"], "Avatar: The Last Airbender");
    assert_eq!(tv.body["numberOfSeasons"], 3);
    assert_eq!(tv.body["mediaInfo"]["id"], show);
    assert_eq!(tv.body["mediaInfo"]["status"], 2, "pending");
    assert_eq!(
        tv.body["mediaInfo"]["seasons"].as_array().map(Vec::len),
        Some(2)
    );
    let unknown = api.get("/api/v1/tv/990001", &read).await;
    ok(&unknown, "tv without a request");
    assert!(unknown.body.get("mediaInfo").is_none(), "{}", unknown.body);

    let season = api
        .get("/api/v1/tv/246/season/1?language=fr-FR", &read)
        .await;
    ok(&season, "season");
    assert_eq!(season.body["seasonNumber"], 1);
    assert_eq!(season.body["episodes"].as_array().map(Vec::len), Some(20));
    assert_eq!(season.body["episodes"][0]["episodeNumber"], 1);
    let missing = api.get("/api/v1/tv/246/season/9", &read).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{:?}", missing.body);

    let trending = api.get("/api/v1/discover/trending", &read).await;
    ok(&trending, "trending");
    assert_eq!(trending.body["page"], 1);
    assert!(
        trending.body["results"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );

    let edited = api
        .call(
            Method::PUT,
            &format!("/api/v1/request/{show}"),
            &[("x-api-key", &approve)],
            Some(r#"{"mediaType":"tv","seasons":[1,3],"rootFolder":"/tv","profileId":4,"serverId":0}"#),
        )
        .await;
    ok(&edited, "edit");
    let numbers: Vec<i64> = edited.body["seasons"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|x| x["seasonNumber"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(numbers, [1, 3]);

    let reported = api
        .call(
            Method::POST,
            "/api/v1/issue",
            &[("x-api-key", &reporter)],
            Some(&format!(
                r#"{{"issueType":2,"message":"out of sync","mediaId":{film},"problemSeason":0}}"#
            )),
        )
        .await;
    ok(&reported, "report");
    assert_eq!(reported.body["issueType"], 2);
    assert_eq!(reported.body["status"], 1);
    assert_eq!(reported.body["media"]["tmdbId"], 603);
    assert_eq!(reported.body["comments"][0]["message"], "out of sync");
    assert_eq!(reported.body["createdBy"]["displayName"], "reporter");

    let issues = api
        .get("/api/v1/issue?take=5&filter=open&sort=modified", &read)
        .await;
    ok(&issues, "issues");
    assert_eq!(issues.body["pageInfo"]["results"], 1);
    let counts = api.get("/api/v1/issue/count", &read).await;
    ok(&counts, "count");
    assert_eq!(counts.body["audio"], 1);
    assert_eq!(counts.body["open"], 1);
    assert_eq!(counts.body["closed"], 0);

    let checks: [(&str, &str, &Value); 7] = [
        ("GET", "/tv/246", &tv.body),
        ("GET", "/tv/990001", &unknown.body),
        ("GET", "/tv/246/season/1", &season.body),
        ("GET", "/discover/trending", &trending.body),
        ("GET", "/issue", &issues.body),
        ("GET", "/issue/count", &counts.body),
        ("PUT", "/request/1", &edited.body),
    ];
    for (method, path, body) in checks {
        if let Err(problems) = spec.check_response(method, path, 200, body) {
            panic!("{method} {path}: {problems:#?}\n{body}");
        }
    }
    // Seerr's server answers a new issue with 200 and the `Issue`; its spec says 201.
    if let Err(problems) = spec.check_response("POST", "/issue", 201, &reported.body) {
        panic!("POST /issue: {problems:#?}\n{}", reported.body);
    }
}

#[tokio::test]
async fn usher_paths_list_audit_roles_and_sources_in_the_same_style() {
    let api = api().await;
    let admin = api.key("root", "admin").await;
    let read = api.key("reader", "read").await;
    let first = api.get("/api/v1/usher/audit?take=1", &admin).await;
    ok(&first, "audit");
    assert_eq!(first.body["results"][0]["action"], "api_key_created");
    assert_eq!(first.body["results"][0]["target"], "api_key:reader");
    let next = first.body["next"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let older = api
        .get(&format!("/api/v1/usher/audit?take=5&before={next}"), &admin)
        .await;
    ok(&older, "older");
    assert_eq!(older.body["results"][0]["target"], "api_key:root");
    assert!(older.body.get("next").is_none(), "{}", older.body);
    let roles = api.get("/api/v1/usher/roles", &admin).await;
    ok(&roles, "roles");
    let admin_role = roles
        .body
        .as_array()
        .and_then(|r| r.iter().find(|x| x["name"] == "admin"))
        .expect("admin role");
    assert!(
        admin_role["permissions"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == "admin"))
    );
    let sources = api.get("/api/v1/usher/library/sources", &read).await;
    ok(&sources, "sources");
    assert_eq!(sources.body, Value::Array(Vec::new()));
}

#[tokio::test]
async fn each_new_scope_boundary_is_a_403_naming_the_scope() {
    let api = api().await;
    let id = api.seed(3, 1399, MediaType::Tv).await;
    let read = api.key("reader", "read").await;
    let request = api.key("asker", "request").await;
    let approve = api.key("decider", "approve").await;
    let edit = r#"{"mediaType":"tv","seasons":[3]}"#;
    let issue = r#"{"issueType":1,"message":"bad","mediaId":1}"#;
    let put = format!("/api/v1/request/{id}");
    let cases = [
        (Method::PUT, put.as_str(), &read, Some(edit), "approve"),
        (Method::PUT, put.as_str(), &request, Some(edit), "approve"),
        (Method::POST, "/api/v1/issue", &read, Some(issue), "request"),
        (
            Method::POST,
            "/api/v1/issue",
            &approve,
            Some(issue),
            "request",
        ),
        (Method::GET, "/api/v1/usher/audit", &read, None, "admin"),
        (Method::GET, "/api/v1/usher/audit", &approve, None, "admin"),
        (Method::GET, "/api/v1/usher/roles", &request, None, "admin"),
    ];
    for (method, path, key, body, scope) in cases {
        let answer = api
            .call(method.clone(), path, &[("x-api-key", key)], body)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {:?}",
            answer.body
        );
        let message = answer.body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("`{scope}`")),
            "{method} {path}: {message}"
        );
    }
    let still = api.get(&format!("/api/v1/request/{id}"), &read).await;
    assert_eq!(still.body["seasonCount"], 2, "nothing changed");
    assert_eq!(api.rows("issues").await, 0);
    // No key at all is refused on the new paths too.
    for path in [
        "/api/v1/tv/246",
        "/api/v1/issue/count",
        "/api/v1/usher/library/sources",
    ] {
        let answer = api.call(Method::GET, path, &[], None).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn bad_input_on_the_new_paths_is_a_json_400_naming_the_field_and_writes_nothing() {
    let api = api().await;
    let admin = api.key("root", "admin").await;
    let id = api.seed(4, 1399, MediaType::Tv).await;
    let requests = api.rows("requests").await;
    let audit = api.rows("audit_log").await;
    let put = format!("/api/v1/request/{id}");
    let huge = format!(
        r#"{{"issueType":1,"mediaId":1,"message":"{}"}}"#,
        "a".repeat(40_000)
    );
    let cases: Vec<BadInput> = vec![
        (Method::GET, "/api/v1/tv/-1".into(), None, "tvId"),
        (Method::GET, "/api/v1/tv/abc".into(), None, "tvId"),
        (
            Method::GET,
            "/api/v1/tv/246/season/-1".into(),
            None,
            "seasonId",
        ),
        (Method::GET, "/api/v1/tv/0/season/1".into(), None, "tvId"),
        (
            Method::GET,
            "/api/v1/discover/trending?page=0".into(),
            None,
            "page",
        ),
        (
            Method::GET,
            "/api/v1/discover/trending?page=1000000000".into(),
            None,
            "page",
        ),
        (
            Method::GET,
            "/api/v1/issue?take=1000000000".into(),
            None,
            "take",
        ),
        (Method::GET, "/api/v1/issue?skip=-1".into(), None, "skip"),
        (
            Method::GET,
            "/api/v1/issue?filter=closed".into(),
            None,
            "filter",
        ),
        (
            Method::GET,
            "/api/v1/issue?createdBy=-4".into(),
            None,
            "createdBy",
        ),
        (
            Method::GET,
            "/api/v1/usher/audit?take=1000000000".into(),
            None,
            "take",
        ),
        (
            Method::GET,
            "/api/v1/usher/audit?before=-3".into(),
            None,
            "before",
        ),
        (Method::PUT, put.clone(), Some("{not json".into()), "body"),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","seasons":"2"}"#.into()),
            "seasons",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","seasons":[-1]}"#.into()),
            "seasons",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","colour":1}"#.into()),
            "colour",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"movie"}"#.into()),
            "mediaType",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","is4k":true}"#.into()),
            "is4k",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","profileId":-2}"#.into()),
            "profileId",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","seasons":[]}"#.into()),
            "seasons",
        ),
        (
            Method::PUT,
            put.clone(),
            Some(r#"{"mediaType":"tv","userId":9}"#.into()),
            "userId",
        ),
        (
            Method::PUT,
            "/api/v1/request/-7".into(),
            Some(r#"{"mediaType":"tv"}"#.into()),
            "requestId",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some("[1,2".into()),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"["movie",603]"#.into()),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":9,"message":"x","mediaId":1}"#.into()),
            "issueType",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":"video","message":"x","mediaId":1}"#.into()),
            "issueType",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":1,"message":"x","mediaId":-1}"#.into()),
            "mediaId",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":1,"message":"x"}"#.into()),
            "mediaId",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":1,"message":" ","mediaId":1}"#.into()),
            "message",
        ),
        (
            Method::POST,
            "/api/v1/issue".into(),
            Some(r#"{"issueType":1,"message":"x","mediaId":1,"urgent":true}"#.into()),
            "urgent",
        ),
        (Method::POST, "/api/v1/issue".into(), Some(huge), "body"),
    ];
    each_is_a_400_naming_its_field(&api, &admin, cases).await;
    assert_eq!(api.rows("requests").await, requests);
    assert_eq!(api.rows("audit_log").await, audit);
    assert_eq!(api.rows("issues").await, 0);
}
