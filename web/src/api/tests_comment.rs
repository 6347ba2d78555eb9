//! `POST /request`'s `comment`: a note for the approvers, stored sanitized with the request
//! (its creation's audit row says it); one over 200 characters is a 400 naming the field, and
//! nothing is written.

use axum::http::{Method, StatusCode};
use usher_core::store::audit;

use super::tests::api_with;

#[tokio::test]
async fn a_comment_rides_with_the_request_and_a_long_one_is_refused() {
    let api = api_with(true).await;
    let key = api.key("doplarr", "request").await;
    let headers = [("x-api-key", key.as_str())];
    let body = r#"{"mediaType":"movie","mediaId":438631,"comment":"for the kids'\n weekend"}"#;
    let made = api
        .call(Method::POST, "/api/v1/request", &headers, Some(body))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    let trail = audit::for_target(&api.db, &format!("request:{id}"), 10)
        .await
        .expect("audit");
    let created = trail.last().expect("the creation");
    assert_eq!(
        created.details["comment"], "for the kids' weekend",
        "{created:?}"
    );

    let requests = api.rows("requests").await;
    let long = format!(
        r#"{{"mediaType":"movie","mediaId":27205,"comment":"{}"}}"#,
        "x".repeat(201)
    );
    let refused = api
        .call(Method::POST, "/api/v1/request", &headers, Some(&long))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        refused.body
    );
    assert!(
        refused.body.to_string().contains("comment"),
        "{:?}",
        refused.body
    );
    assert_eq!(api.rows("requests").await, requests, "nothing written");
}
