//! Webhooks that name a media-server item (Jellyfin episodes, Plex `library.new`), resolved
//! through the fakes, and the webhook secret.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use usher_testkit::{FakeJellyfin, FakePlex};

use super::availability::submitted;
use super::harness::{both_dbs, count, movie, show};
use super::webhooks::{TOKEN, edited, hooks, http, status};
use crate::crypto::MasterKeys;
use crate::domain::RequestStatus;
use crate::integrations::mediaserver::{JellyfinClient, MediaServers, PlexClient};
use crate::service::Services;
use crate::service::secrets::SecretSettings;
use crate::webhooks::{HookError, HookOutcome, HookSource, webhook_secret};

both_dbs!(jellyfin_episode_is_resolved_through_its_series, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 406, show(1396, "Breaking Bad", &[1, 2])).await;
    let episode = |series_id: &str| {
        edited("jellyfin-itemadded-episode.sendallproperties.json", |v| {
            v["SeriesId"] = json!(series_id);
        })
    };
    let unconfigured = hooks(&db, MediaServers::default());
    let outcome = unconfigured
        .receive(
            HookSource::Jellyfin,
            Some(TOKEN),
            &episode("0c8a4b9f3e2d41f6a7b8c9d0e1f2a3b4"),
        )
        .await
        .expect("unconfigured");
    assert!(matches!(outcome, HookOutcome::Ignored(_)), "{outcome:?}");

    let fake = FakeJellyfin::start("jf").await;
    let series = fake.add_series(Some(81189), Some(1396), "Breaking Bad");
    fake.add_episodes(&series, 2, 1);
    let client = JellyfinClient::new(fake.url(), "jf", &http()).expect("client");
    let servers = MediaServers {
        jellyfin: Some(Arc::new(client)),
        plex: None,
    };
    let hooks = hooks(&db, servers);
    let outcome = hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &episode(&series))
        .await
        .expect("episode");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(
        status(&db, request.id).await,
        RequestStatus::PartiallyAvailable
    );
    assert_eq!(
        fake.server.received_at("GET", "/Items").len(),
        1,
        "one targeted lookup, no scan"
    );

    fake.server.faults.go_down();
    let mut next = serde_json::from_slice::<Value>(&episode(&series)).expect("json");
    next["ItemId"] = json!("e9b2dcaa529c426e94335e9981f27f2f");
    let body = serde_json::to_vec(&next).expect("json");
    let failed = hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &body)
        .await;
    assert!(
        matches!(
            failed,
            Err(HookError::Core(crate::CoreError::Upstream { .. }))
        ),
        "{failed:?}"
    );
    fake.server.faults.recover();
    fake.add_episodes(&series, 1, 1);
    let retried = hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &body)
        .await
        .expect("retry");
    assert_eq!(
        retried,
        HookOutcome::Applied {
            changed: vec![request.id]
        },
        "a failed delivery can be retried"
    );
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
});

both_dbs!(plex_library_new_for_movies_and_episodes, |db| {
    let services = Services::new(db.clone());
    let film = submitted(&services, 407, movie(438631, "Dune")).await;
    let series = submitted(&services, 408, show(1396, "Breaking Bad", &[1])).await;
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

    let movie_payload = json!({
        "event": "library.new", "user": true, "owner": true,
        "Server": { "title": "plex", "uuid": "server-1" },
        "Metadata": { "librarySectionType": "movie", "ratingKey": "5000", "type": "movie",
            "title": "Dune", "Guid": [{ "id": "imdb://tt1160419" }, { "id": "tmdb://438631" }] }
    });
    let body = serde_json::to_vec(&movie_payload).expect("json");
    let outcome = hooks
        .receive(HookSource::Plex, Some(TOKEN), &body)
        .await
        .expect("movie");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![film.id]
        }
    );

    let episode_payload = json!({
        "event": "library.new", "Server": { "uuid": "server-1" },
        "Metadata": { "librarySectionType": "show", "ratingKey": "7001", "type": "episode",
            "grandparentRatingKey": show_key, "parentIndex": 1, "index": 1,
            "Guid": [{ "id": "tvdb://438906" }] }
    });
    let body = serde_json::to_vec(&episode_payload).expect("json");
    let outcome = hooks
        .receive(HookSource::Plex, Some(TOKEN), &body)
        .await
        .expect("episode");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![series.id]
        }
    );
    assert_eq!(status(&db, series.id).await, RequestStatus::Available);
    assert_eq!(
        hooks
            .receive(HookSource::Plex, Some(TOKEN), &body)
            .await
            .expect("replay"),
        HookOutcome::Replayed
    );
});

both_dbs!(the_webhook_secret_is_generated_once_and_sealed, |db| {
    let key = SecretString::from("k".repeat(40));
    let keys = Arc::new(MasterKeys::from_secrets(&key, None).expect("keys"));
    let secrets = SecretSettings::new(db.clone(), keys);
    let configured = SecretString::from("from-the-environment");
    let chosen = webhook_secret(Some(&configured), &secrets)
        .await
        .expect("configured");
    assert_eq!(chosen.expose_secret(), "from-the-environment");
    assert_eq!(count(&db, "settings").await, 0);

    let first = webhook_secret(None, &secrets).await.expect("generated");
    let second = webhook_secret(None, &secrets).await.expect("again");
    assert_eq!(first.expose_secret(), second.expose_secret());
    assert!(first.expose_secret().len() >= 32);
    let stored = crate::store::settings::get(&db, crate::webhooks::SECRET_SETTING)
        .await
        .expect("get")
        .expect("stored");
    assert!(stored.secret);
    assert!(
        !stored.value.contains(first.expose_secret()),
        "stored sealed, not in clear"
    );
    let urls = crate::webhooks::webhook_urls("https://usher.example/", &first);
    assert_eq!(urls.len(), 4);
    assert!(
        urls[0]
            .1
            .starts_with("https://usher.example/hooks/radarr?token=")
    );
});
