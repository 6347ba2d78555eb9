//! The console's language through the binary: an admin signs in to an English console, uses
//! the language picker in the page footer (a plain form with the page's CSRF token, no script)
//! and gets the dashboard in French, on this browser and on any other one they sign in from;
//! the choice is one audited write in the server's database.

use std::path::Path;

use usher_core::domain::{Platform, User};
use usher_core::service::{Registration, Services};
use usher_core::store::{ConnectOptions, Db, audit};

use crate::support::console_browser::{Browser, SECRET_KEY, form_token};
use crate::support::{Server, temp_dir};

async fn database(dir: &Path) -> Services {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("open the server's database");
    Services::new(db)
}

async fn admin(services: &Services) -> User {
    services
        .users
        .resolve(
            Platform::Telegram,
            "1",
            "Ada",
            Registration::AutoRegister("admin"),
        )
        .await
        .expect("user")
}

#[tokio::test]
async fn the_footer_picker_switches_the_dashboard_to_french() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[("USHER_SECRET_KEY", SECRET_KEY)]).await;
    let services = database(&dir).await;
    let ada = admin(&services).await;
    let mut browser = Browser::sign_in(&server.base_url, &services, &ada).await;

    let english = browser.get("/").await;
    assert_eq!(english.status, 200, "{}", english.body);
    assert!(english.body.contains("<html lang=\"en-US\">"));
    assert!(english.body.contains("Welcome, Ada."), "{}", english.body);
    assert!(
        english.body.contains("action=\"/account/language\""),
        "the footer carries the picker"
    );

    let token = form_token(&english.body);
    let switched = browser
        .post(
            "/account/language",
            &token,
            &[("language", "fr"), ("next", "/")],
        )
        .await;
    assert_eq!(switched.status, 303, "{}", switched.body);
    assert_eq!(switched.location.as_deref(), Some("/"));

    let french = browser.get("/").await;
    assert_eq!(french.status, 200);
    assert!(
        french.body.contains("<html lang=\"fr\">"),
        "{}",
        french.body
    );
    assert!(french.body.contains("Tableau de bord"), "{}", french.body);
    assert!(french.body.contains("Bienvenue, Ada."), "{}", french.body);
    assert!(!french.body.contains("Welcome"), "{}", french.body);

    // Stored for the user, not the browser: another device opens in French too.
    let mut phone = Browser::sign_in(&server.base_url, &services, &ada).await;
    assert!(phone.get("/").await.body.contains("<html lang=\"fr\">"));

    let trail = audit::for_target(&services.db, &format!("user:{}", ada.id), 10)
        .await
        .expect("audit");
    let chosen: Vec<_> = trail
        .iter()
        .filter(|e| e.action == "language_chosen")
        .collect();
    assert_eq!(chosen.len(), 1, "{trail:?}");
    assert_eq!(
        (chosen[0].actor, chosen[0].source.as_str()),
        (Some(ada.id), "web")
    );
}
