//! "Open in library": a webhook naming the media server's item is remembered per title, and a
//! later title offer links to it with the servers' public addresses (Jellyfin by item id, Plex
//! by rating key on its server; an episode names its show).

use std::sync::Arc;

use serde_json::json;
use usher_testkit::FakePlex;

use super::harness::{both_dbs, user_with_role};
use super::webhooks::{TOKEN, edited, fixture, hooks, http};
use crate::config::LibraryLinks;
use crate::domain::{LibraryServer, MediaType, Seasons, TmdbId};
use crate::integrations::mediaserver::{MediaServers, PlexClient};
use crate::service::Services;
use crate::store::library;
use crate::webhooks::HookSource;

fn id(raw: i64) -> TmdbId {
    TmdbId::parse(raw).expect("id")
}

fn links() -> LibraryLinks {
    LibraryLinks {
        jellyfin: Some("https://tv.example.org".into()),
        plex: None,
    }
}

both_dbs!(a_jellyfin_webhook_gives_later_offers_a_library_link, |db| {
    let services = Services::new(db.clone()).with_library_links(links());
    let (_, ann) = user_with_role(&services, 600, "member").await;
    let none = Seasons::default();
    let before = services
        .titles
        .offer(&ann, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert_eq!(before.library_link, None, "nothing seen yet");

    // Nobody asked for Dune; Jellyfin says it arrived all the same.
    let hooks = hooks(&db, MediaServers::default());
    let body = fixture("jellyfin-itemadded-movie.sendallproperties.json");
    hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &body)
        .await
        .expect("movie");
    let after = services
        .titles
        .offer(&ann, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert_eq!(
        after.library_link.as_deref(),
        Some("https://tv.example.org/web/#/details?id=a852a27afe324084ae66db579ee3ee18")
    );
    // The same item seen later with another id replaces the first.
    let moved = edited("jellyfin-itemadded-movie.sendallproperties.json", |v| {
        v["ItemId"] = json!("ffff0000ffff0000ffff0000ffff0000");
    });
    hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &moved)
        .await
        .expect("again");
    let item = library::item(&db, MediaType::Movie, id(438_631))
        .await
        .expect("read")
        .expect("remembered");
    assert_eq!(item.server, LibraryServer::Jellyfin);
    assert_eq!(item.item_id, "ffff0000ffff0000ffff0000ffff0000");
    // Without any Jellyfin address there is no link to offer.
    let plain = Services::new(db.clone());
    let offer = plain
        .titles
        .offer(&ann, MediaType::Movie, id(438_631), &none)
        .await
        .expect("offer");
    assert_eq!(offer.library_link, None);
});

both_dbs!(a_plex_episode_links_its_show_on_its_server, |db| {
    let services = Services::new(db.clone()).with_library_links(links());
    let (_, ann) = user_with_role(&services, 601, "member").await;
    let fake = FakePlex::start("plex").await;
    let show_key = fake.add_show(Some(81189), Some(1396), "Breaking Bad");
    fake.add_season(&show_key, 1, 3);
    let client = PlexClient::new(fake.url(), "plex", &http()).expect("client");
    let hooks = hooks(
        &db,
        MediaServers {
            jellyfin: None,
            plex: Some(Arc::new(client)),
        },
    );
    let episode = json!({
        "event": "library.new", "Server": { "uuid": "machine-1" },
        "Metadata": { "librarySectionType": "show", "ratingKey": "7001", "type": "episode",
            "grandparentRatingKey": show_key, "parentIndex": 1, "index": 1 }
    });
    let body = serde_json::to_vec(&episode).expect("json");
    hooks
        .receive(HookSource::Plex, Some(TOKEN), &body)
        .await
        .expect("episode");
    let offer = services
        .titles
        .offer(&ann, MediaType::Tv, id(1396), &Seasons::new([1]))
        .await
        .expect("offer");
    let expected = format!(
        "https://app.plex.tv/desktop/#!/server/machine-1/details?key=%2Flibrary%2Fmetadata%2F{show_key}"
    );
    assert_eq!(offer.library_link, Some(expected));
});
