//! The role pages through the router: an admin creates a role with the form, a bad value
//! comes back beside the typed values with nothing saved, edits and deletes it (the delete is
//! confirmed first), and adds and removes a grant.

use usher_core::config::LoadOptions;

use crate::console::test_app::TestApp;

async fn grants(app: &TestApp) -> usize {
    usher_core::store::roles::grants(&app.db)
        .await
        .expect("grants")
        .len()
}

#[tokio::test]
async fn an_admin_creates_edits_and_deletes_a_role_and_its_grants() {
    let app = TestApp::start(LoadOptions::default()).await;
    let admin = app.sign_in("1", "boss", "admin").await;
    let member = app.sign_in("2", "kid", "member").await;

    let form = app.get(&admin, "/roles/new").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("name=\"perm\" value=\"request_movie\""),
        "{}",
        form.body
    );
    assert_eq!(app.get(&member, "/roles/new").await.status, 403);

    // A bad certification: refused whole, shown with what was typed.
    let bad = app
        .post(
            &admin,
            "/roles/new",
            &[
                ("name", "kids"),
                ("perm", "request_movie"),
                ("limit_movie", "PG-99"),
                ("limit_keywords", "gore"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("PG-99"), "{}", bad.body);
    assert!(bad.body.contains("value=\"gore\""), "the typed values stay");
    assert!(
        !app.get(&admin, "/roles")
            .await
            .body
            .contains("id=\"role-kids\"")
    );

    let made = app
        .post(
            &admin,
            "/roles/new",
            &[
                ("name", "kids"),
                ("perm", "request_movie"),
                ("perm", "auto_approve_movie"),
                ("limit_movie", "PG"),
                ("quota_movies", "2"),
                ("quota_days", "7"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let roles = app.get(&admin, "/roles").await.body;
    assert!(roles.contains("id=\"role-kids\""), "{roles}");
    let edit = app.get(&admin, "/roles/kids/edit").await.body;
    assert!(
        edit.contains("value=\"auto_approve_movie\" checked"),
        "{edit}"
    );
    assert!(edit.contains("value=\"PG\""), "{edit}");

    let edited = app
        .post(&admin, "/roles/kids/edit", &[("perm", "request_tv")])
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let edit = app.get(&admin, "/roles/kids/edit").await.body;
    assert!(edit.contains("value=\"request_tv\" checked"), "{edit}");
    assert!(
        !edit.contains("value=\"auto_approve_movie\" checked"),
        "{edit}"
    );

    // A grant with a value that is not a chat id is refused beside its field.
    let refused = app
        .post(
            &admin,
            "/roles/grants",
            &[
                ("role", "kids"),
                ("kind", "telegram_chat"),
                ("value", "family"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("aria-invalid=\"true\""),
        "{}",
        refused.body
    );
    let added = app
        .post(
            &admin,
            "/roles/grants",
            &[
                ("role", "kids"),
                ("kind", "telegram_chat"),
                ("value", "-100555"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let roles = app.get(&admin, "/roles").await.body;
    assert!(roles.contains("-100555"), "{roles}");
    assert_eq!(grants(&app).await, 1);

    // Removing and deleting are confirmed first.
    let ask = app.get(&admin, "/confirm?do=/roles/delete&name=kids").await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Delete this role?"), "{}", ask.body);
    let builtin = app
        .post(&admin, "/roles/delete", &[("name", "member")])
        .await;
    assert_eq!(builtin.status, 409, "{}", builtin.body);
    let deleted = app.post(&admin, "/roles/delete", &[("name", "kids")]).await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(grants(&app).await, 0, "its grants went with it");
    let trail = usher_core::store::audit::for_target(&app.db, "role:kids", 10)
        .await
        .expect("audit");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["role_deleted", "grant_added", "role_edited", "role_created"]
    );
}
