//! The places page over HTTP: admins only, bad numbers shown beside their field with nothing
//! saved, a place added, edited and removed (Post/Redirect/Get), each change audited, and the
//! removal asked for on the confirm page first.

use usher_core::config::LoadOptions;
use usher_core::domain::PlaceKey;

use crate::console::test_app::TestApp;

fn form<'a>(
    chat: &'a str,
    threshold: &'a str,
    movies: &'a str,
    days: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("platform", "telegram"),
        ("chat", chat),
        ("threshold", threshold),
        ("movies", movies),
        ("seasons", ""),
        ("days", days),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_edit_and_remove_places_with_errors_beside_their_fields() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("9400", "Mia", "member").await;
    let admin = app.sign_in("9401", "Ada", "admin").await;
    assert_eq!(app.get(&member, "/settings/places").await.status, 403);
    let refused = app
        .post(&member, "/settings/places", &form("-100", "3", "", ""))
        .await;
    assert_eq!(refused.status, 403);

    let invalid = app
        .post(&admin, "/settings/places", &form("-100", "0", "-1", "ten"))
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert!(
        invalid.body.contains("id=\"p-new-days-error\""),
        "{}",
        invalid.body
    );
    assert!(invalid.body.contains("value=\"ten\""), "the form is kept");
    let invalid = app
        .post(&admin, "/settings/places", &form("-100", "0", "-1", "30"))
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert!(
        invalid.body.contains("id=\"p-new-threshold-error\""),
        "{}",
        invalid.body
    );
    assert!(
        invalid.body.contains("id=\"p-new-movies-error\""),
        "{}",
        invalid.body
    );
    assert!(
        !invalid.body.contains("id=\"p-new-days-error\""),
        "{}",
        invalid.body
    );
    let services = &app.state.services().places;
    let system = usher_core::domain::Actor::system();
    assert!(
        services.list(&system).await.expect("list").is_empty(),
        "nothing saved"
    );

    let saved = app
        .post(&admin, "/settings/places", &form("-100", "3", "20", "30"))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/settings/places?notice=saved")
    );
    let page = app.get(&admin, "/settings/places").await.body;
    assert!(page.contains("telegram:-100"), "{page}");
    assert!(page.contains("value=\"20\""), "{page}");

    let mut edit = form("-100", "5", "20", "30");
    edit.push(("previous", "telegram:-100"));
    let edited = app.post(&admin, "/settings/places", &edit).await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let stored = services.list(&system).await.expect("list");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].key, stored[0].threshold),
        (PlaceKey::TelegramChat(-100), Some(5))
    );

    let asked = app
        .get(
            &admin,
            "/confirm?do=/settings/places/remove&place=telegram:-100",
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let removed = app
        .post(
            &admin,
            "/settings/places/remove",
            &[("place", "telegram:-100")],
        )
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert!(services.list(&system).await.expect("list").is_empty());
    let trail = usher_core::store::audit::for_target(&app.db, "place:telegram:-100", 10)
        .await
        .expect("audit");
    assert_eq!(trail.len(), 3, "saved, saved, removed: {trail:?}");
}
