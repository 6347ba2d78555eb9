//! The Library page over HTTP with real sessions: counts per source, a stale source's reason,
//! the source filter and the search, names from requests, links, members refused, and the
//! admins' "Run full pass now".

use std::sync::Arc;

use usher_core::config::LoadOptions;
use usher_core::domain::{
    IndexedTitle, MediaType, SourceHealth, SourceInfo, SourceKind, Timestamp, TmdbId,
};
use usher_core::index::LibraryIndex;
use usher_core::store::library_index::{StoredSource, apply, put_source};

use crate::console::test_app::TestApp;

const AT: Timestamp = Timestamp(1_760_000_000_000);

fn source(name: &str, kind: SourceKind, public_url: Option<&str>) -> SourceInfo {
    SourceInfo {
        name: name.to_owned(),
        kind,
        label: kind.product().to_owned(),
        public_url: public_url.map(str::to_owned),
        server_id: None,
    }
}

fn title(media_type: MediaType, id: i64, seasons: &[(u16, u16, u16)]) -> IndexedTitle {
    let mut title = IndexedTitle::new(media_type, TmdbId::parse(id).expect("tmdb"));
    title.item = Some(format!("item-{id}").into());
    title.present = true;
    if !seasons.is_empty() {
        title.set_seasons(seasons.iter().copied());
    }
    title
}

/// Stores what a pass of `name` would have left, stale with `error` if given.
async fn store(
    app: &TestApp,
    name: &str,
    kind: SourceKind,
    error: Option<&str>,
    titles: &[IndexedTitle],
) {
    let refs: Vec<&IndexedTitle> = titles.iter().collect();
    apply(&app.db, name, &refs, &[], AT).await.expect("titles");
    let health = SourceHealth {
        last_full: Some(AT),
        last_success: Some(AT),
        duration_ms: Some(2_500),
        stale: error.is_some(),
        error: error.map(str::to_owned),
        ..SourceHealth::default()
    };
    let row = StoredSource {
        name: name.to_owned(),
        kind,
        server_id: None,
        health,
    };
    put_source(&app.db, &row).await.expect("source");
}

/// Jellyfin holds The Matrix (requested) and a show; Plex, stale after a 401, holds the show.
async fn app() -> TestApp {
    let index = Arc::new(LibraryIndex::new(vec![
        source("jellyfin", SourceKind::Jellyfin, Some("http://jf.local")),
        source("plex", SourceKind::Plex, None),
    ]));
    let app = TestApp::start_with_library(LoadOptions::default(), index.clone()).await;
    let show = title(MediaType::Tv, 1399, &[(1, 10, 10), (2, 3, 10)]);
    let jellyfin = [title(MediaType::Movie, 603, &[]), show.clone()];
    store(&app, "jellyfin", SourceKind::Jellyfin, None, &jellyfin).await;
    let why = Some("401 Unauthorized: the token was refused");
    store(&app, "plex", SourceKind::Plex, why, &[show]).await;
    index.reload(&app.db).await.expect("reload");
    app
}

#[tokio::test]
async fn approvers_see_counts_health_and_titles_members_are_refused() {
    let app = app().await;
    let member = app.sign_in("1", "Mo", "member").await;
    let approver = app.sign_in("2", "Ada", "approver").await;
    app.request_movie(&member, 603, "The Matrix").await;

    let refused = app.get(&member, "/library").await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("The Matrix"));

    let page = app.get(&approver, "/library").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("href=\"/library\""), "the nav links the page");
    assert!(body.contains("Titles in the library: 2"), "{body}");
    // Jellyfin: 1 movie, 1 show, 13 episodes; Plex: 0, 1, 10.
    let row = |name: &str| {
        let start = body
            .find(&format!("id=\"source-{name}\""))
            .expect("source row");
        body[start..start + body[start..].find("</tr>").expect("row end")].to_owned()
    };
    let jellyfin = row("jellyfin");
    assert!(
        jellyfin.contains("<td>1</td>\n    <td>1</td>\n    <td>13</td>"),
        "{jellyfin}"
    );
    assert!(jellyfin.contains(">OK<"), "{jellyfin}");
    assert!(jellyfin.contains("2.5 s"), "{jellyfin}");
    let plex = row("plex");
    assert!(
        plex.contains("Stale since Oct 9, 2025, 8:53 AM: 401 Unauthorized: the token was refused"),
        "{plex}"
    );
    // The same page for a German browser: German dates and decimals.
    let german = app.get_in(&approver, "/library", "de-DE,de;q=0.9").await;
    assert!(german.body.contains("<html lang=\"de\">"));
    assert!(german.body.contains("2,5 s"), "{}", german.body);
    assert!(
        german
            .body
            .contains("Veraltet seit 09.10.2025, 08:53: 401 Unauthorized"),
        "{}",
        german.body
    );
    assert!(
        body.contains("<a href=\"/requests/1\">The Matrix (1999)</a>"),
        "{body}"
    );
    assert!(body.contains("https://www.themoviedb.org/movie/603"));
    assert!(body.contains("https://www.themoviedb.org/tv/1399"));
    assert!(
        body.contains("TMDB 1399"),
        "an unrequested title goes by its id"
    );
    assert!(
        body.contains("http://jf.local/web/#/details?id=item-603"),
        "watch link"
    );
    assert!(body.contains("S1 10/10 · S2 3/10"));
    assert!(
        !body.contains("/library/full-pass"),
        "approvers may not ask for a pass"
    );

    let plex_only = app.get(&approver, "/library?source=plex").await.body;
    assert!(plex_only.contains("id=\"title-1399\""));
    assert!(!plex_only.contains("id=\"title-603\""));
    assert!(plex_only.contains("Page 1 of 1 · 1 titles"), "{plex_only}");

    let by_name = app.get(&approver, "/library?q=matrix").await.body;
    assert!(by_name.contains("id=\"title-603\""));
    assert!(!by_name.contains("id=\"title-1399\""));
    let by_id = app.get(&approver, "/library?q=1399&type=tv").await.body;
    assert!(by_id.contains("id=\"title-1399\""));
    assert!(!by_id.contains("id=\"title-603\""));
    let none = app.get(&approver, "/library?q=Dune").await.body;
    assert!(none.contains("No title here."));
}

#[tokio::test]
async fn admins_ask_for_a_full_pass_with_the_form_token() {
    let app = app().await;
    let approver = app.sign_in("2", "Ada", "approver").await;
    let admin = app.sign_in("3", "Root", "admin").await;

    let page = app.get(&admin, "/library").await;
    assert!(page.body.contains("action=\"/library/full-pass\""));
    assert!(page.body.contains("Run full pass now"));

    let refused = app.post(&approver, "/library/full-pass", &[]).await;
    assert_eq!(refused.status, 403);

    let asked = app.post(&admin, "/library/full-pass", &[]).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(asked.location.as_deref(), Some("/library?notice=full-pass"));
    let back = app.get(&admin, "/library?notice=full-pass").await.body;
    assert!(back.contains("A full pass was asked for"));
}
