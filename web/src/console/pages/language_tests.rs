//! The console's language over HTTP: the browser's `Accept-Language` when the user chose none,
//! their stored choice over it, the picker (footer and account page) as a plain form post, and
//! a forged language code refused without a write. Dates on a page follow the language.

use usher_core::config::LoadOptions;
use usher_core::domain::AuditEntry;
use usher_core::store::audit;

use crate::console::localized::Rules;
use crate::console::test_app::{Browser, TestApp};

/// The language choices recorded about `who`, newest first.
async fn choices(app: &TestApp, who: &Browser) -> Vec<AuditEntry> {
    let target = format!("user:{}", who.user.id);
    let trail = audit::for_target(&app.db, &target, 20)
        .await
        .expect("audit");
    trail
        .into_iter()
        .filter(|e| e.action == "language_chosen")
        .collect()
}

async fn stored(app: &TestApp, who: &Browser) -> Option<String> {
    let (user, _) = app.services.users.get(who.user.id).await.expect("user");
    user.locale
}

#[tokio::test]
async fn a_french_browser_gets_the_console_in_french() {
    let app = TestApp::start(LoadOptions::default()).await;
    let admin = app.sign_in("1", "Ada", "admin").await;
    let request = app.request_movie(&admin, 603, "The Matrix").await;

    let page = app.get_in(&admin, "/", "fr-CA,fr;q=0.9,en;q=0.5").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<html lang=\"fr\">"), "{}", page.body);
    assert!(page.body.contains("Tableau de bord"), "{}", page.body);
    assert!(page.body.contains("Bienvenue, Ada."), "{}", page.body);
    assert!(!page.body.contains("Welcome"), "no English left on it");
    // The picker in the footer offers every language by its own name, French selected.
    assert!(
        page.body
            .contains("<option value=\"fr\" lang=\"fr\" selected>Français</option>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">Português (Brasil)</option>"));

    // Dates come in French too.
    let list = app.get_in(&admin, "/requests", "fr").await;
    let when = Rules::of("fr").date_time(request.created_at);
    assert!(list.body.contains(&when), "{when} in {}", list.body);
    assert!(list.body.contains("Demandes"), "{}", list.body);

    // q-values decide, not the order; a language the console lacks falls through.
    let italian = app.get_in(&admin, "/", "ja, en;q=0.4, it;q=0.8").await;
    assert!(
        italian.body.contains("<html lang=\"it\">"),
        "{}",
        italian.body
    );
    let english = app.get_in(&admin, "/", "ja, zh;q=0.8").await;
    assert!(english.body.contains("<html lang=\"en-US\">"));
    assert_eq!(stored(&app, &admin).await, None, "reading writes nothing");
}

#[tokio::test]
async fn a_stored_choice_beats_the_browser_until_cleared() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("2", "Mo", "member").await;

    let saved = app
        .post(&member, "/account/language", &[("language", "pt-BR")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/account?done=language#language")
    );
    assert_eq!(stored(&app, &member).await.as_deref(), Some("pt-BR"));
    let account = app.get_in(&member, "/account?done=language", "fr").await;
    assert!(account.body.contains("<html lang=\"pt-BR\">"));
    assert!(account.body.contains("Idioma salvo."), "{}", account.body);

    // The French browser still gets Portuguese: the choice wins.
    let page = app.get_in(&member, "/", "fr-FR,fr;q=0.9").await;
    assert!(page.body.contains("<html lang=\"pt-BR\">"), "{}", page.body);
    assert!(page.body.contains("Boas-vindas, Mo."), "{}", page.body);

    // The footer picker comes back to the page it was used on.
    let footer = app
        .post(
            &member,
            "/account/language",
            &[("language", "de"), ("next", "/account?x=1")],
        )
        .await;
    assert_eq!(footer.status, 303);
    assert_eq!(footer.location.as_deref(), Some("/account?x=1"));
    let page = app.get_in(&member, "/", "fr").await;
    assert!(page.body.contains("Willkommen, Mo."), "{}", page.body);
    // …but never to another site.
    let away = app
        .post(
            &member,
            "/account/language",
            &[("language", "es"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(away.location.as_deref(), Some("/"));

    // "As my browser asks" clears the choice.
    let cleared = app
        .post(&member, "/account/language", &[("language", "")])
        .await;
    assert_eq!(cleared.status, 303);
    assert_eq!(stored(&app, &member).await, None);
    let page = app.get_in(&member, "/", "fr").await;
    assert!(page.body.contains("Bienvenue, Mo."), "{}", page.body);

    let trail = choices(&app, &member).await;
    assert_eq!(trail.len(), 4, "{trail:?}");
    assert_eq!(trail[0].source, "web");
    assert_eq!(
        trail[0].details,
        serde_json::json!({ "before": "es", "after": null })
    );
}

#[tokio::test]
async fn a_forged_language_code_is_refused_and_nothing_is_written() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("3", "Eve", "member").await;
    app.post(&member, "/account/language", &[("language", "it")])
        .await;
    assert_eq!(choices(&app, &member).await.len(), 1);

    for forged in ["xx", "klingon", "fr-CA", "de;DROP TABLE users", "../../etc"] {
        let refused = app
            .post(
                &member,
                "/account/language",
                &[("language", forged), ("next", "/")],
            )
            .await;
        assert_eq!(refused.status, 303, "{forged}: {}", refused.body);
        assert_eq!(
            refused.location.as_deref(),
            Some("/account?error=language#language"),
            "{forged}"
        );
    }
    // A form without the field at all is refused before core is asked.
    let bare = app.post(&member, "/account/language", &[]).await;
    assert_eq!(bare.status, 422, "{}", bare.body);

    assert_eq!(stored(&app, &member).await.as_deref(), Some("it"));
    assert_eq!(choices(&app, &member).await.len(), 1, "nothing was written");
    let page = app.get_in(&member, "/account?error=language", "en").await;
    assert!(page.body.contains("<html lang=\"it\">"));
    assert!(
        page.body
            .contains("Usher non parla questa lingua, quindi non è cambiato nulla."),
        "{}",
        page.body
    );
}
