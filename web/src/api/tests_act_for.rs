//! Seerr's `X-API-User`: an `admin` key acting for another user. What it does is that user's
//! (their request, their `/auth/me`), audited as the key acting for them; any other key, an
//! unknown user or a header that is no user id is refused as JSON with nothing written.

use axum::http::{Method, StatusCode};
use usher_core::domain::{MediaType, UserId};
use usher_core::store::audit;

use super::tests::{Api, api_with};

/// Dune, as the fake TMDB knows it.
const DUNE: &str = r#"{"mediaType":"movie","mediaId":438631}"#;

/// The member behind an earlier seeded request, and the API over a fake TMDB.
async fn with_member() -> (Api, i64) {
    let api = api_with(true).await;
    let seeded = api.seed(21, 604, MediaType::Movie).await;
    let admin = api.key("root", "admin").await;
    let first = api.get(&format!("/api/v1/request/{seeded}"), &admin).await;
    let member = first.body["requestedBy"]["id"]
        .as_i64()
        .expect("requester id");
    (api, member)
}

#[tokio::test]
async fn an_admin_key_acts_for_the_user_named() {
    let (api, member) = with_member().await;
    let admin = api.key("doplarr", "admin").await;
    let as_member = member.to_string();
    let headers = [
        ("x-api-key", admin.as_str()),
        ("x-api-user", as_member.as_str()),
    ];

    let me = api
        .call(Method::GET, "/api/v1/auth/me", &headers, None)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["id"], member, "/auth/me is the user acted for");

    let made = api
        .call(Method::POST, "/api/v1/request", &headers, Some(DUNE))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["requestedBy"]["id"], member, "owned by the user");
    let id = made.body["id"].as_i64().expect("id");
    let trail = audit::for_target(&api.db, &format!("request:{id}"), 10)
        .await
        .expect("audit");
    let created = trail.last().expect("an audit row for the new request");
    assert_eq!(created.actor, Some(UserId(member)), "{created:?}");
    assert_eq!(created.source, "api");
    assert_eq!(
        created.source_detail.as_deref(),
        Some("doplarr"),
        "through the key"
    );

    // Without the header the same key is its own machine user.
    let own = api.get("/api/v1/auth/me", &admin).await;
    assert_ne!(own.body["id"], member);
}

#[tokio::test]
async fn only_an_admin_key_may_act_for_someone() {
    let (api, member) = with_member().await;
    let as_member = member.to_string();
    let mut keys = Vec::new();
    for scope in ["read", "request", "approve"] {
        keys.push((scope, api.key(&format!("k-{scope}"), scope).await));
    }
    let requests = api.rows("requests").await;
    let audit_rows = api.rows("audit_log").await;
    for (scope, key) in &keys {
        let headers = [
            ("x-api-key", key.as_str()),
            ("x-api-user", as_member.as_str()),
        ];
        for (method, body) in [(Method::GET, None), (Method::POST, Some(DUNE))] {
            let answer = api
                .call(method.clone(), "/api/v1/request", &headers, body)
                .await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{scope} {method}: {:?}",
                answer.body
            );
            assert_eq!(answer.body["status"], 403);
            let message = answer.body["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("X-API-User") && message.contains("`admin`"),
                "{message}"
            );
        }
    }
    assert_eq!(api.rows("requests").await, requests, "nothing written");
    assert_eq!(api.rows("audit_log").await, audit_rows, "nothing audited");
}

#[tokio::test]
async fn an_unknown_user_or_a_bad_header_is_refused_with_nothing_written() {
    let (api, _) = with_member().await;
    let admin = api.key("doplarr", "admin").await;
    let requests = api.rows("requests").await;
    let audit_rows = api.rows("audit_log").await;
    // No such user: 403, as Seerr answers (it finds no user, so nobody is authenticated).
    for unknown in ["999999", "9223372036854775807"] {
        let headers = [("x-api-key", admin.as_str()), ("x-api-user", unknown)];
        let answer = api
            .call(Method::POST, "/api/v1/request", &headers, Some(DUNE))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{unknown}: {:?}",
            answer.body
        );
        let message = answer.body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("X-API-User") && message.contains(unknown),
            "{message}"
        );
    }
    // Not a user id at all: a 400 naming the header.
    for bad in ["abc", "0", "-4", "1.5", "", "99999999999999999999999"] {
        let headers = [("x-api-key", admin.as_str()), ("x-api-user", bad)];
        let answer = api
            .call(Method::POST, "/api/v1/request", &headers, Some(DUNE))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{bad:?}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["field"], "X-API-User", "{bad:?}");
        assert_eq!(answer.body["status"], 400);
    }
    assert_eq!(api.rows("requests").await, requests, "nothing written");
    assert_eq!(api.rows("audit_log").await, audit_rows, "nothing audited");
}
