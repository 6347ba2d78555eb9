//! Seerr's webhook settings over HTTP, as Home Assistant's Overseerr integration uses them:
//! admin keys only, bodies valid against Seerr's spec and shaped as Seerr's server answers, the
//! settings landing on Usher's webhook agent, Test reaching the receiver, bad input a JSON 400
//! that writes nothing.

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use usher_testkit::FakeServer;
use usher_testkit::contract::Spec;

use super::tests::api;

const PATH: &str = "/api/v1/settings/notifications/webhook";

/// The template Home Assistant posts: the JSON text of a JSON *string* holding the template.
fn ha_payload() -> String {
    let template = r#"{"notification_type":"{{notification_type}}","subject":"{{subject}}","{{media}}":{"tmdb_id":"{{media_tmdbid}}"},"{{request}}":{"request_id":"{{request_id}}"}}"#;
    Value::String(template.to_owned()).to_string()
}

#[tokio::test]
async fn home_assistant_registers_its_webhook_the_seerr_way() {
    let spec = Spec::load("overseerr-api.yml");
    let api = api().await;
    let admin = api.key("hass", "admin").await;
    let read = api.key("dash", "read").await;
    let receiver = FakeServer::start(Router::new().route("/hook", post(|| async { "" }))).await;
    let url = format!("{}/hook", receiver.url);

    let before = api.get(PATH, &admin).await;
    assert_eq!(before.status, StatusCode::OK, "{:?}", before.body);
    assert_eq!(before.body["enabled"], false);
    assert_eq!(
        spec.check_response("GET", "/settings/notifications/webhook", 200, &before.body),
        Ok(())
    );

    let body = json!({
        "enabled": true,
        "types": 4062,
        "options": {"webhookUrl": url, "jsonPayload": ha_payload()},
    })
    .to_string();
    let posted: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        spec.check_request("POST", "/settings/notifications/webhook", "", Some(&posted)),
        Ok(())
    );
    let refused = api
        .call(Method::POST, PATH, &[("x-api-key", &read)], Some(&body))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a read key cannot");
    assert_eq!(api.rows("notification_agents").await, 0);

    let tested = api
        .call(
            Method::POST,
            &format!("{PATH}/test"),
            &[("x-api-key", &admin)],
            Some(&body),
        )
        .await;
    assert_eq!(tested.status, StatusCode::NO_CONTENT, "{:?}", tested.body);
    let got = receiver.received_at("POST", "/hook");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body["notification_type"], "TEST_NOTIFICATION");
    assert!(got[0].header("x-usher-signature").is_some());
    assert_eq!(
        api.rows("notification_agents").await,
        0,
        "Test saves nothing"
    );

    let saved = api
        .call(Method::POST, PATH, &[("x-api-key", &admin)], Some(&body))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(
        spec.check_response("POST", "/settings/notifications/webhook", 200, &saved.body),
        Ok(())
    );
    assert_eq!(saved.body["types"], 4062);
    assert!(
        saved.body["options"]["jsonPayload"]
            .as_str()
            .is_some_and(|p| !p.contains('{')),
        "base64, as Seerr answers a POST"
    );
    let after = api.get(PATH, &admin).await;
    assert_eq!(
        spec.check_response("GET", "/settings/notifications/webhook", 200, &after.body),
        Ok(())
    );
    assert_eq!(after.body["enabled"], true);
    assert_eq!(after.body["types"], 4062);
    assert_eq!(after.body["options"]["webhookUrl"], url);
    // Seerr's GET parses the stored text: Home Assistant's string comes back as that string.
    assert_eq!(
        Value::String(
            after.body["options"]["jsonPayload"]
                .as_str()
                .expect("string")
                .to_owned()
        )
        .to_string(),
        ha_payload()
    );
    for field in ["customHeaders", "supportVariables"] {
        assert!(
            after.body["options"].get(field).is_some(),
            "Seerr sends {field}"
        );
    }
    assert_eq!(api.rows("notification_agents").await, 1);

    // Saving again changes the same agent.
    let off = json!({"enabled": false, "types": 2, "options": {"webhookUrl": url, "jsonPayload": ha_payload()}}).to_string();
    let saved = api
        .call(Method::POST, PATH, &[("x-api-key", &admin)], Some(&off))
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(api.get(PATH, &admin).await.body["enabled"], false);
    assert_eq!(api.rows("notification_agents").await, 1);
}

#[tokio::test]
async fn bad_webhook_settings_are_a_json_400_naming_the_field() {
    let api = api().await;
    let admin = api.key("root", "admin").await;
    let audit = api.rows("audit_log").await;
    let cases = [
        (
            json!({"enabled": true, "types": 2, "options": {"webhookUrl": "not a url"}}),
            "options.webhookUrl",
        ),
        (
            json!({"enabled": true, "types": 2, "options": {"webhookUrl": "http://127.0.0.1:9/h", "jsonPayload": "{nope"}}),
            "options.jsonPayload",
        ),
        (
            json!({"enabled": true, "types": "two", "options": {"webhookUrl": "http://127.0.0.1:9/h"}}),
            "types",
        ),
        (
            json!({"enabled": true, "types": 2, "surprise": 1, "options": {"webhookUrl": "http://127.0.0.1:9/h"}}),
            "surprise",
        ),
    ];
    for (body, field) in cases {
        let answer = api
            .call(
                Method::POST,
                PATH,
                &[("x-api-key", &admin)],
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {:?}",
            answer.body
        );
        assert!(
            answer.body["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{field}: {:?}",
            answer.body
        );
    }
    assert_eq!(api.rows("notification_agents").await, 0);
    assert_eq!(api.rows("audit_log").await, audit);
}
