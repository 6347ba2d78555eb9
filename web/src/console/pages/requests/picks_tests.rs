//! The pick lists through the real router against the fake Radarr: the approve form's
//! `<select>`s, a pick reaching core, a value Radarr does not offer refused beside its field
//! with nothing written, and a retry with another profile.

use std::sync::Arc;

use secrecy::SecretString;
use usher_core::config::{ArrOptions, ArrSettings, LoadOptions};
use usher_core::domain::{Actor, RequestId, RequestStatus};
use usher_core::integrations::arr::{ArrClient, ArrInstance, ArrInstances, Flavor, RadarrClient};
use usher_core::integrations::http::HttpSettings;
use usher_testkit::FakeRadarr;

use crate::console::test_app::TestApp;

const KEY: &str = "picks-key";

async fn radarr_app() -> (TestApp, FakeRadarr) {
    let fake = FakeRadarr::start(KEY).await;
    fake.set_root_folders(&[(1, "/movies"), (2, "/archive")]);
    fake.set_tags(&[(1, "kids"), (2, "hdr")]);
    let settings = ArrSettings {
        url: fake.url().to_owned(),
        api_key: SecretString::from(KEY),
        quality_profile: Some("HD-1080p".into()),
        root_folder: None,
    };
    let client = RadarrClient::new(
        "radarr",
        &settings,
        &ArrOptions::default(),
        &HttpSettings::default(),
    )
    .expect("client");
    let arr = ArrInstances::new(vec![ArrInstance {
        flavor: Flavor::Default,
        client: ArrClient::Radarr(client),
    }]);
    let app = TestApp::start_with_arr(LoadOptions::default(), Arc::new(arr)).await;
    (app, fake)
}

async fn request(app: &TestApp, id: RequestId) -> usher_core::domain::Request {
    app.services
        .requests
        .get(&Actor::system(), id)
        .await
        .expect("request")
}

#[tokio::test]
async fn the_approve_form_offers_the_instances_lists_and_a_pick_reaches_core() {
    let (app, _fake) = radarr_app().await;
    let member = app.sign_in("300", "Mia", "member").await;
    let approver = app.sign_in("301", "Abe", "approver").await;
    let id = app.request_movie(&member, 603, "The Matrix").await.id;

    let page = app.get(&approver, &format!("/requests/{id}")).await;
    assert_eq!(page.status, 200);
    let body = page.body;
    assert!(body.contains("<select id=\"profile-"), "{body}");
    assert!(
        body.contains("<option value=\"5\">Ultra-HD</option>"),
        "{body}"
    );
    // The instance's own choice first, named.
    assert!(
        body.contains("<option value=\"\" selected>As the instance is set up (HD-1080p)"),
        "{body}"
    );
    assert!(body.contains("/archive · 4,000 GB free"), "{body}");
    assert!(body.contains("name=\"tags\" multiple"), "{body}");

    let answer = app
        .post(
            &approver,
            &format!("/requests/{id}/approve"),
            &[
                ("quality_profile", "5"),
                ("root_folder", "2"),
                ("tags_shown", "1"),
                ("tags", "hdr"),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let approved = request(&app, id).await;
    assert_eq!(approved.status, RequestStatus::Approved);
    assert_eq!(approved.target_profile.as_deref(), Some("5"));
    assert_eq!(approved.target_root_folder.as_deref(), Some("2"));
    assert_eq!(approved.target_tags, Some(vec!["hdr".to_owned()]));
}

#[tokio::test]
async fn a_value_radarr_does_not_offer_is_refused_beside_its_field() {
    let (app, _fake) = radarr_app().await;
    let member = app.sign_in("310", "Mia", "member").await;
    let approver = app.sign_in("311", "Abe", "approver").await;
    let id = app.request_movie(&member, 603, "The Matrix").await.id;
    let path = format!("/requests/{id}/approve");

    let answer = app
        .post(&approver, &path, &[("quality_profile", "99")])
        .await;
    assert_eq!(answer.status, 422);
    assert!(
        answer.body.contains(&format!(
            "id=\"profile-{id}-error\">The instance does not offer this"
        )),
        "{}",
        answer.body
    );
    let answer = app
        .post(
            &approver,
            &path,
            &[
                ("quality_profile", "4"),
                ("tags_shown", "1"),
                ("tags", "nope"),
            ],
        )
        .await;
    assert_eq!(answer.status, 422);
    assert!(
        answer.body.contains(&format!("id=\"tags-{id}-error\"")),
        "{}",
        answer.body
    );
    // The profile picked stays selected for the next try.
    assert!(
        answer
            .body
            .contains("<option value=\"4\" selected>HD-1080p</option>"),
        "{}",
        answer.body
    );
    assert_eq!(request(&app, id).await.status, RequestStatus::Pending);
}

#[tokio::test]
async fn a_failed_request_is_retried_with_another_profile() {
    let (app, _fake) = radarr_app().await;
    let member = app.sign_in("320", "Mia", "member").await;
    let approver = app.sign_in("321", "Abe", "approver").await;
    let id = app.request_movie(&member, 27205, "Inception").await.id;
    let system = Actor::system();
    app.services
        .requests
        .approve(&system, id)
        .await
        .expect("approve");
    app.services
        .requests
        .mark_failed(&system, id, "no quality profile \"Remux\"", None)
        .await
        .expect("failed");

    let page = app.get(&approver, &format!("/requests/{id}")).await;
    let retry_form = page
        .body
        .split("action=\"/requests/")
        .find(|form| form.starts_with(&format!("{id}/retry")))
        .expect("a retry form");
    assert!(
        retry_form.contains("name=\"quality_profile\""),
        "{retry_form}"
    );

    let answer = app
        .post(
            &approver,
            &format!("/requests/{id}/retry"),
            &[("quality_profile", "4"), ("root_folder", "")],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let retried = request(&app, id).await;
    assert_eq!(retried.status, RequestStatus::Approved);
    assert_eq!(retried.target_profile.as_deref(), Some("4"));
    assert_eq!(retried.target_root_folder, None);
}
