//! The ask form over HTTP: an admin's member picker searched and paged by a plain GET form
//! that keeps the seasons and 4K as they were, and 4K offered only with a 4K instance and the
//! permission — a forged 4K ask is refused beside the 4K box and writes nothing.

use usher_core::config::LoadOptions;
use usher_core::domain::{Actor, Platform, Source};
use usher_core::service::asks::MEMBERS_SHOWN;
use usher_core::service::{FourK, Registration};

use super::cockpit_tests::tmdb;
use crate::console::test_app::{Browser, TestApp};

fn actor(who: &Browser) -> Actor {
    Actor::user(who.user.id, Source::Web { ip: None })
}

async fn requests_of(app: &TestApp, who: &Browser) -> Vec<usher_core::domain::Request> {
    let mine = app.services.mine(&actor(who), 100).await.expect("mine");
    mine.into_iter().map(|row| row.request).collect()
}

#[tokio::test]
async fn the_member_picker_searches_and_pages_and_keeps_the_form() {
    let fake = usher_testkit::tmdb::start().await;
    let app = TestApp::start_with_tmdb(LoadOptions::default(), tmdb(&fake)).await;
    let admin = app.sign_in("170", "Ada", "admin").await;
    let zoe = app.sign_in("171", "Zoe Quill", "member").await;
    for n in 0..MEMBERS_SHOWN {
        let external = format!("9{n:03}");
        let name = format!("Filler {n}");
        let register = Registration::AutoRegister("member");
        let made = app
            .services
            .users
            .resolve(Platform::Telegram, &external, &name, register);
        made.await.expect("member");
    }
    let zoe_option = format!(
        "<option value=\"{0}\">Zoe Quill (#{0})</option>",
        zoe.user.id
    );

    // Everyone, newest first: Zoe is past the first page, which says to refine or go on.
    let first = app.get(&admin, "/requests/new/tv/1396").await;
    assert_eq!(first.status, 200);
    assert!(
        first.body.contains("name=\"who\""),
        "a search for the member"
    );
    assert!(!first.body.contains(&zoe_option));
    assert!(
        first
            .body
            .contains("More members match: refine your search")
    );
    let next = first
        .body
        .split("href=\"")
        .find(|part| part.contains("after="))
        .and_then(|part| part.split('"').next())
        .expect("a next page link")
        .replace("&#38;", "&");
    let second = app.get(&admin, &next).await;
    assert!(second.body.contains(&zoe_option), "{}", second.body);
    assert!(!second.body.contains("More members match"));

    // A search narrows the select and keeps the seasons ticked and the search in the ask.
    let search = "/requests/new/tv/1396?kept=1&season=2&season=4&who=quill";
    let found = app.get(&admin, search).await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains(&zoe_option));
    assert!(!found.body.contains("Filler"), "only the match");
    assert!(found.body.contains("name=\"season\" value=\"2\" checked"));
    assert!(
        found.body.contains("name=\"season\" value=\"1\">"),
        "not ticked"
    );
    assert!(
        found
            .body
            .contains("<input type=\"hidden\" name=\"who\" value=\"quill\">")
    );
    let nobody = app
        .get(&admin, "/requests/new/tv/1396?who=nobody-at-all")
        .await;
    assert!(nobody.body.contains("No member matches that search."));
    let long = format!("/requests/new/tv/1396?who={}", "x".repeat(101));
    let refused = app.get(&admin, &long).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"ask-who-error\""));
    assert!(
        refused.body.contains("name=\"season\""),
        "the form is still there"
    );

    // A refused ask comes back with the search still applied; a good one is Zoe's.
    let zoe_id = zoe.user.id.to_string();
    let bad = [("who", "quill"), ("member", &zoe_id)];
    let none = app.post(&admin, "/requests/new/tv/1396", &bad).await;
    assert_eq!(none.status, 422, "no season ticked");
    assert!(
        none.body
            .contains(&zoe_option.replace("\">", "\" selected>"))
    );
    let good = [("who", "quill"), ("member", &zoe_id), ("season", "2")];
    let asked = app.post(&admin, "/requests/new/tv/1396", &good).await;
    assert_eq!(asked.status, 303);
    let made = requests_of(&app, &zoe).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].seasons.to_csv(), "2");
}

#[tokio::test]
async fn four_k_is_offered_with_an_instance_and_the_permission_only() {
    let fake = usher_testkit::tmdb::start().await;
    let plain = TestApp::start_with_tmdb(LoadOptions::default(), tmdb(&fake)).await;
    let trusted = plain.sign_in("180", "Tess", "trusted").await;
    let form = plain.get(&trusted, "/requests/new/movie/19").await;
    assert!(!form.body.contains("name=\"four_k\""), "no 4K instance");

    let four_k = FourK {
        movie: true,
        tv: false,
    };
    let client = tmdb(&fake);
    let app = TestApp::start_wired(LoadOptions::default(), |s| {
        s.with_tmdb(client).with_four_k(four_k)
    })
    .await;
    let trusted = app.sign_in("181", "Tess", "trusted").await;
    let member = app.sign_in("182", "Mo", "member").await;
    let admin = app.sign_in("183", "Ada", "admin").await;
    let form = app.get(&trusted, "/requests/new/movie/19").await;
    assert!(form.body.contains("name=\"four_k\""), "{}", form.body);
    let show = app.get(&trusted, "/requests/new/tv/1396").await;
    assert!(!show.body.contains("name=\"four_k\""), "no 4K Sonarr");
    let own = app.get(&member, "/requests/new/movie/19").await;
    assert!(!own.body.contains("name=\"four_k\""), "no 4K permission");

    // Forged: a member without the permission, and an admin for that member.
    let forged = app
        .post(&member, "/requests/new/movie/19", &[("four_k", "1")])
        .await;
    assert_eq!(forged.status, 403);
    assert!(
        forged.body.contains("id=\"ask-4k-error\""),
        "{}",
        forged.body
    );
    let member_id = member.user.id.to_string();
    let for_member = [("four_k", "1"), ("member", member_id.as_str())];
    let behalf = app
        .post(&admin, "/requests/new/movie/19", &for_member)
        .await;
    assert_eq!(behalf.status, 403);
    assert!(behalf.body.contains("may not ask for 4K copies"));
    let show_4k = [("four_k", "1"), ("season", "1")];
    let no_sonarr = app.post(&trusted, "/requests/new/tv/1396", &show_4k).await;
    assert_eq!(no_sonarr.status, 422);
    assert!(no_sonarr.body.contains("id=\"ask-4k-error\""));
    assert!(
        requests_of(&app, &member).await.is_empty(),
        "nothing written"
    );
    assert!(requests_of(&app, &trusted).await.is_empty());

    let asked = app
        .post(&trusted, "/requests/new/movie/19", &[("four_k", "1")])
        .await;
    assert_eq!(asked.status, 303);
    let made = requests_of(&app, &trusted).await;
    assert!(made.len() == 1 && made[0].four_k, "a 4K request");
}

/// An admin asking on a member's behalf adds a note: a too-long one comes back beside the note
/// field with nothing written; a good one is stored with the request, escaped on its page and
/// in the list.
#[tokio::test]
async fn a_note_on_an_ask_reaches_the_request_page_escaped() {
    let fake = usher_testkit::tmdb::start().await;
    let app = TestApp::start_with_tmdb(LoadOptions::default(), tmdb(&fake)).await;
    let admin = app.sign_in("190", "Ada", "admin").await;
    let zoe = app.sign_in("191", "Zoe", "member").await;
    let zoe_id = zoe.user.id.to_string();
    let form = app.get(&admin, "/requests/new/movie/19").await;
    assert!(form.body.contains("name=\"note\""), "a note field");

    let long = "x".repeat(201);
    let refused = app
        .post(
            &admin,
            "/requests/new/movie/19",
            &[("member", &zoe_id), ("note", &long)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("ask-note-error"), "{}", refused.body);
    assert!(requests_of(&app, &zoe).await.is_empty(), "nothing written");

    let note = "for <b>the kids'</b>\n weekend";
    let asked = app
        .post(
            &admin,
            "/requests/new/movie/19",
            &[("member", &zoe_id), ("note", note)],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let made = requests_of(&app, &zoe).await;
    assert_eq!(
        made[0].comment.as_deref(),
        Some("for <b>the kids'</b> weekend")
    );
    let page = app.get(&admin, &format!("/requests/{}", made[0].id)).await;
    assert!(
        page.body.contains("📝 Note: for &#60;b&#62;the kids"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<b>the kids"), "escaped");
    let list = app.get(&admin, "/requests").await;
    assert!(
        list.body.contains("📝 Note: for &#60;b&#62;"),
        "{}",
        list.body
    );
}
