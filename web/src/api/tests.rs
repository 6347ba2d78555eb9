//! The API over HTTP: keys and scopes at the edge, cookies ignored, bad input as JSON 400s that
//! write nothing, Seerr-shaped bodies checked against Seerr's spec, and the OpenAPI document in
//! step with the router.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;
use usher_core::domain::{Actor, Media, MediaType, Platform, Seasons, Source, TmdbId};
use usher_core::service::{NewRequest, Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::contract::Spec;

use crate::{AppState, WebParts};

pub(super) struct Api {
    router: axum::Router,
    pub(super) services: Services,
    pub(super) db: Db,
    _dir: tempfile::TempDir,
    _tmdb: Option<usher_testkit::FakeServer>,
}

pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: axum::http::HeaderMap,
    pub(super) body: Value,
}

pub(super) async fn api() -> Api {
    api_with(false).await
}

/// The API over a fresh SQLite database; with `tmdb`, its TMDB calls go to the testkit fake.
pub(super) async fn api_with(tmdb: bool) -> Api {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    let mut parts = WebParts::for_tests(&db, "http://localhost");
    let fake = if tmdb {
        use usher_core::integrations::http::HttpSettings;
        use usher_core::integrations::tmdb::{TmdbClient, TmdbConfig};
        let fake = usher_testkit::tmdb::start().await;
        let key = secrecy::SecretString::from(usher_testkit::tmdb::API_KEY.to_owned());
        let http = HttpSettings::with_timeout(std::time::Duration::from_secs(5));
        let client = TmdbClient::new(TmdbConfig::new(&fake.url, key), &http).expect("tmdb");
        parts.services = parts.services.with_tmdb(client);
        Some(fake)
    } else {
        None
    };
    let services = parts.services.clone();
    Api {
        router: crate::router(AppState::new(parts)),
        services,
        db,
        _dir: dir,
        _tmdb: fake,
    }
}

pub(super) fn operator() -> Actor {
    Actor {
        user: None,
        source: Source::Cli,
    }
}

impl Api {
    pub(super) async fn key(&self, name: &str, scopes: &str) -> String {
        let made = self
            .services
            .api_keys
            .create(&operator(), name, scopes)
            .await
            .expect("key");
        made.secret.expose_secret().to_owned()
    }

    /// A member's pending movie request; returns its id.
    pub(super) async fn seed(&self, who: u64, tmdb: i64, media_type: MediaType) -> i64 {
        let external = who.to_string();
        let user = self
            .services
            .users
            .resolve(
                Platform::Telegram,
                &external,
                &format!("member{who}"),
                Registration::AutoRegister("member"),
            )
            .await
            .expect("member");
        let actor = Actor::user(user.id, Source::Telegram { user: external });
        let new = NewRequest {
            media: Media {
                media_type,
                tmdb_id: TmdbId::parse(tmdb).expect("id"),
                tvdb_id: None,
                title: format!("Title {tmdb}"),
                year: Some(1999),
            },
            seasons: match media_type {
                MediaType::Movie => Seasons::default(),
                MediaType::Tv => Seasons::new([1, 2]),
            },
            future_seasons: false,
            four_k: false,
        };
        self.services
            .requests
            .create(&actor, new)
            .await
            .expect("request")
            .request
            .id
            .0
    }

    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .expect("request");
        let response = self.router.clone().oneshot(req).await.expect("answer");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub(super) async fn get(&self, path: &str, key: &str) -> Answer {
        self.call(Method::GET, path, &[("x-api-key", key)], None)
            .await
    }

    pub(super) async fn rows(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let Db::Sqlite(s) = &self.db else {
            panic!("sqlite only")
        };
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(&s.pool)
            .await
            .expect("count");
        n
    }
}

fn refused_as_bad_key(answer: &Answer, what: &str) {
    assert_eq!(
        answer.status,
        StatusCode::FORBIDDEN,
        "{what}: {:?}",
        answer.body
    );
    assert_eq!(answer.body["status"], 403, "{what}");
    assert!(
        answer.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("API key")),
        "{what}"
    );
}

#[tokio::test]
async fn only_a_live_key_opens_the_api_and_cookies_never_do() {
    let api = api().await;
    let key = api.key("homepage", "read").await;
    refused_as_bad_key(
        &api.call(Method::GET, "/api/v1/request", &[], None).await,
        "no key",
    );
    refused_as_bad_key(
        &api.get("/api/v1/request", "usher_not-a-key").await,
        "unknown key",
    );
    let cookie = api
        .call(
            Method::GET,
            "/api/v1/request",
            &[("cookie", "usher_session=whatever")],
            None,
        )
        .await;
    refused_as_bad_key(&cookie, "cookie only");
    let by_header = api.get("/api/v1/request/count", &key).await;
    assert_eq!(by_header.status, StatusCode::OK);
    assert_eq!(by_header.headers["ratelimit-limit"], "300");
    assert_eq!(by_header.headers["ratelimit-remaining"], "299");
    assert!(by_header.headers.contains_key("ratelimit-reset"));
    let bearer = format!("Bearer {key}");
    let by_bearer = api
        .call(
            Method::GET,
            "/api/v1/auth/me",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    assert_eq!(by_bearer.status, StatusCode::OK);
    assert_eq!(by_bearer.body["displayName"], "homepage");
    assert_eq!(by_bearer.headers["ratelimit-remaining"], "298");
    // /status is public, as Seerr's.
    assert_eq!(
        api.call(Method::GET, "/api/v1/status", &[], None)
            .await
            .status,
        StatusCode::OK
    );
    // A POST with no CSRF token is fine: the console's guard does not apply to keys.
    let id = api.seed(1, 603, MediaType::Movie).await;
    let approver = api.key("bot", "approve").await;
    let approved = api
        .call(
            Method::POST,
            &format!("/api/v1/request/{id}/approve"),
            &[("x-api-key", &approver)],
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], 2);
    // Revoked: refused at once, and the key is never echoed.
    api.services
        .api_keys
        .revoke(&operator(), "homepage")
        .await
        .expect("revoke");
    let revoked = api.get("/api/v1/request", &key).await;
    refused_as_bad_key(&revoked, "revoked key");
    assert!(!revoked.body.to_string().contains(&key));
}

#[tokio::test]
async fn each_scope_boundary_is_a_403_with_a_json_reason() {
    let api = api().await;
    let pending = api.seed(2, 604, MediaType::Movie).await;
    let read = api.key("reader", "read").await;
    let request = api.key("asker", "request").await;
    let approve = api.key("decider", "approve").await;
    let new = r#"{"mediaType":"movie","mediaId":605}"#;
    let cases = [
        (
            Method::POST,
            "/api/v1/request".to_owned(),
            read.clone(),
            Some(new),
            "request",
        ),
        (
            Method::POST,
            format!("/api/v1/request/{pending}/approve"),
            read.clone(),
            None,
            "approve",
        ),
        (
            Method::POST,
            format!("/api/v1/request/{pending}/decline"),
            request.clone(),
            None,
            "approve",
        ),
        (
            Method::DELETE,
            format!("/api/v1/request/{pending}"),
            read.clone(),
            None,
            "request",
        ),
        (
            Method::POST,
            "/api/v1/request".to_owned(),
            approve.clone(),
            Some(new),
            "request",
        ),
    ];
    for (method, path, key, body, scope) in cases {
        let answer = api
            .call(method.clone(), &path, &[("x-api-key", &key)], body)
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
    // A request key may not ask on someone else's behalf without admin.
    let behalf = api
        .call(
            Method::POST,
            "/api/v1/request",
            &[("x-api-key", &request)],
            Some(r#"{"mediaType":"movie","mediaId":606,"userId":1}"#),
        )
        .await;
    assert_eq!(behalf.status, StatusCode::FORBIDDEN, "{:?}", behalf.body);
    // Nothing changed.
    let still = api.get(&format!("/api/v1/request/{pending}"), &read).await;
    assert_eq!(still.body["status"], 1);
    assert_eq!(api.rows("requests").await, 1);
    // Within its scope, the approve key declines.
    let declined = api
        .call(
            Method::POST,
            &format!("/api/v1/request/{pending}/decline"),
            &[("x-api-key", &approve)],
            Some(r#"{"reason":"not this one"}"#),
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
    assert_eq!(declined.body["status"], 3);
}

#[tokio::test]
async fn bad_input_is_a_json_400_naming_the_field_and_writes_nothing() {
    let api = api().await;
    let admin = api.key("root", "admin").await;
    api.seed(3, 607, MediaType::Movie).await;
    let requests = api.rows("requests").await;
    let audit = api.rows("audit_log").await;
    let huge = format!(
        r#"{{"mediaType":"movie","mediaId":1,"x":"{}"}}"#,
        "a".repeat(40_000)
    );
    let cases: Vec<BadInput> = vec![
        (
            Method::GET,
            "/api/v1/request?take=1000000000".into(),
            None,
            "take",
        ),
        (Method::GET, "/api/v1/request?take=-1".into(), None, "take"),
        (Method::GET, "/api/v1/request?skip=-5".into(), None, "skip"),
        (
            Method::GET,
            "/api/v1/request?filter=everything".into(),
            None,
            "filter",
        ),
        (
            Method::GET,
            "/api/v1/request?sort=sideways".into(),
            None,
            "sort",
        ),
        (
            Method::GET,
            "/api/v1/request?requestedBy=-2".into(),
            None,
            "requestedBy",
        ),
        (Method::GET, "/api/v1/request/-1".into(), None, "requestId"),
        (Method::GET, "/api/v1/request/abc".into(), None, "requestId"),
        (
            Method::GET,
            "/api/v1/user/0/requests".into(),
            None,
            "userId",
        ),
        (Method::GET, "/api/v1/user?take=101".into(), None, "take"),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some("{not json".into()),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"movie","mediaId":"x"}"#.into()),
            "mediaId",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"movie","mediaId":-3}"#.into()),
            "mediaId",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"book","mediaId":3}"#.into()),
            "mediaType",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"movie","mediaId":3,"colour":"red"}"#.into()),
            "colour",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaId":3}"#.into()),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"movie","mediaId":3,"seasons":[1]}"#.into()),
            "seasons",
        ),
        (
            Method::POST,
            "/api/v1/request".into(),
            Some(r#"{"mediaType":"tv","mediaId":3,"seasons":"some"}"#.into()),
            "seasons",
        ),
        (Method::POST, "/api/v1/request".into(), Some(huge), "body"),
        (
            Method::POST,
            "/api/v1/request/1/decline".into(),
            Some(r#"{"reason":7}"#.into()),
            "reason",
        ),
        (
            Method::POST,
            "/api/v1/request/1/shelve".into(),
            None,
            "status",
        ),
    ];
    each_is_a_400_naming_its_field(&api, &admin, cases).await;
    assert_eq!(api.rows("requests").await, requests);
    assert_eq!(api.rows("audit_log").await, audit);
}

#[tokio::test]
async fn seerr_path_bodies_validate_against_seerrs_spec() {
    let spec = Spec::load("overseerr-api.yml");
    let api = api().await;
    let movie = api.seed(4, 608, MediaType::Movie).await;
    api.seed(5, 609, MediaType::Tv).await;
    let read = api.key("dashboard", "read").await;
    let approve = api.key("decider", "approve").await;
    api.call(
        Method::POST,
        &format!("/api/v1/request/{movie}/approve"),
        &[("x-api-key", &approve)],
        None,
    )
    .await;
    let user = api.get("/api/v1/request?take=1&skip=1", &read).await.body["results"][0]["requestedBy"]["id"]
        .as_i64()
        .expect("requester id");
    let paths = [
        "/status".to_owned(),
        "/auth/me".to_owned(),
        "/request".to_owned(),
        "/request?take=1&skip=1&filter=pending&sort=modified".to_owned(),
        "/request/count".to_owned(),
        format!("/request/{movie}"),
        "/user".to_owned(),
        format!("/user/{user}/requests"),
    ];
    for path in paths {
        let answer = api.get(&format!("/api/v1{path}"), &read).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {:?}", answer.body);
        let bare = path.split('?').next().unwrap_or(&path);
        if let Err(problems) = spec.check_response("GET", bare, 200, &answer.body) {
            panic!("{path}: {problems:#?}\n{}", answer.body);
        }
    }
    // What Seerr's server sends beyond its spec, which strict clients read.
    let page = api.get("/api/v1/request?take=1", &read).await.body;
    assert_eq!(
        page["pageInfo"],
        json!({"pages": 2, "pageSize": 1, "results": 2, "page": 1})
    );
    let approved = api
        .get(&format!("/api/v1/request/{movie}"), &read)
        .await
        .body;
    assert_eq!(approved["type"], "movie");
    assert_eq!(approved["modifiedBy"]["displayName"], "decider");
    assert_eq!(approved["media"]["status"], 3);
    for field in ["id", "email", "createdAt", "updatedAt"] {
        assert!(approved["requestedBy"].get(field).is_some(), "User.{field}");
    }
    let pending = api.get("/api/v1/request?filter=pending", &read).await.body;
    assert_eq!(pending["results"][0]["modifiedBy"], Value::Null);
    assert_eq!(
        pending["results"][0]["seasons"].as_array().map(Vec::len),
        Some(2)
    );
}

/// Fills a templated path with ids that exist.
fn concrete(template: &str, request: i64) -> String {
    template
        .replace("{requestId}", &request.to_string())
        .replace("{userId}", "1")
        .replace("{status}", "approve")
        .replace("{movieId}", "603")
        .replace("{tvId}", "246")
        .replace("{seasonId}", "1")
}

#[tokio::test]
async fn the_openapi_document_and_the_router_list_the_same_routes() {
    let api = api().await;
    let admin = api.key("root", "admin").await;
    let answer = api
        .call(Method::GET, "/api/v1/openapi.json", &[], None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let paths = answer.body["paths"].as_object().expect("paths").clone();
    let mut documented: Vec<String> = Vec::new();
    let mut seeded = 0;
    for (template, item) in &paths {
        for method in ["get", "post", "put", "delete", "patch"] {
            seeded += 1;
            let request = api
                .seed(10 + seeded, 900 + seeded as i64, MediaType::Movie)
                .await;
            let path = format!("/api/v1{}", concrete(template, request));
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let body = (verb == Method::POST && template == "/request")
                .then_some(r#"{"mediaType":"movie","mediaId":1}"#);
            let answer = api
                .call(verb.clone(), &path, &[("x-api-key", &admin)], body)
                .await;
            let routed = answer.body["message"] != "no such endpoint"
                && answer.status != StatusCode::METHOD_NOT_ALLOWED;
            if item.get(method).is_some() {
                assert!(
                    routed,
                    "documented {method} {template} has no route: {:?}",
                    answer.body
                );
                documented.push(format!("{} {template}", method.to_uppercase()));
            } else {
                assert!(!routed, "{method} {template} is routed but not documented");
            }
        }
    }
    documented.sort();
    let expected = [
        "DELETE /request/{requestId}",
        "GET /auth/me",
        "GET /discover/trending",
        "GET /issue",
        "GET /issue/count",
        "GET /movie/{movieId}",
        "GET /openapi.json",
        "GET /request",
        "GET /request/count",
        "GET /request/{requestId}",
        "GET /search",
        "GET /settings/notifications/webhook",
        "GET /status",
        "GET /tv/{tvId}",
        "GET /tv/{tvId}/season/{seasonId}",
        "GET /user",
        "GET /user/{userId}/requests",
        "GET /usher/audit",
        "GET /usher/library/sources",
        "GET /usher/roles",
        "POST /issue",
        "POST /request",
        "POST /request/{requestId}/{status}",
        "POST /settings/notifications/webhook",
        "POST /settings/notifications/webhook/test",
        "PUT /request/{requestId}",
    ];
    assert_eq!(documented, expected);
    // Paths outside the document are not routed.
    for stray in [
        "/api/v1/requests",
        "/api/v1/tv/1/similar",
        "/api/v1/discover/movies",
        "/api/v1/settings/main",
    ] {
        let answer = api.get(stray, &admin).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{stray}");
        assert_eq!(answer.body["message"], "no such endpoint");
    }
}

/// A bad-input case: method, path, body, and the field the 400 must name.
pub(super) type BadInput<'a> = (Method, String, Option<String>, &'a str);

/// Sends each case with `key` and checks it is a JSON 400 naming its field.
pub(super) async fn each_is_a_400_naming_its_field(api: &Api, key: &str, cases: Vec<BadInput<'_>>) {
    for (method, path, body, field) in cases {
        let answer = api
            .call(
                method.clone(),
                &path,
                &[("x-api-key", key)],
                body.as_deref(),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{method} {path} {body:?}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["status"], 400);
        let message = answer.body["message"].as_str().unwrap_or_default();
        assert!(
            answer.body["field"] == field || message.contains(field),
            "{method} {path} {body:?}: expected `{field}` named in {:?}",
            answer.body
        );
    }
}
