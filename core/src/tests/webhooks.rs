//! Webhooks end to end in core, fed the payload samples from `specs/webhooks/`: secret, parsing,
//! replay guard, availability changes, deletions, and episodes resolved through the fakes.

use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use usher_testkit::{FakeJellyfin, FakePlex};

use super::availability::{notifications, show_with_tvdb, submitted};
use super::harness::{both_dbs, count, movie, show};
use crate::crypto::MasterKeys;
use crate::domain::RequestStatus;
use crate::integrations::http::{HttpSettings, RetryPolicy};
use crate::integrations::mediaserver::{JellyfinClient, MediaServers, PlexClient};
use crate::service::Services;
use crate::service::secrets::SecretSettings;
use crate::store::{Db, audit, requests};
use crate::webhooks::{HookError, HookOutcome, HookSource, Webhooks, webhook_secret};

const TOKEN: &str = "a-webhook-secret-for-tests";

fn fixture(name: &str) -> Vec<u8> {
    let path = usher_testkit::specs_dir().join("webhooks").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&fixture(name)).expect("fixture json");
    edit(&mut value);
    serde_json::to_vec(&value).expect("json")
}

fn hooks(db: &Db, servers: MediaServers) -> Webhooks {
    Webhooks::new(db.clone(), SecretString::from(TOKEN), servers)
}

fn http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(2),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    }
}

async fn status(db: &Db, id: crate::domain::RequestId) -> RequestStatus {
    requests::find(db, id)
        .await
        .expect("find")
        .expect("row")
        .status
}

both_dbs!(radarr_download_makes_a_movie_available_once, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 400, movie(438631, "Dune")).await;
    let hooks = hooks(&db, MediaServers::default());
    let before = notifications(&db).await;
    let body = fixture("radarr-download.json");

    let first = hooks
        .receive(HookSource::Radarr, Some(TOKEN), &body)
        .await
        .expect("first");
    assert_eq!(
        first,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
    assert_eq!(notifications(&db).await, before + 1);

    let replay = hooks
        .receive(HookSource::Radarr, Some(TOKEN), &body)
        .await
        .expect("replay");
    assert_eq!(replay, HookOutcome::Replayed);
    assert_eq!(
        notifications(&db).await,
        before + 1,
        "a replay notifies no one"
    );
    assert_eq!(count(&db, "webhook_events").await, 1);
});

both_dbs!(a_wrong_token_changes_nothing, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 401, movie(438631, "Dune")).await;
    let hooks = hooks(&db, MediaServers::default());
    let (outbox, audit_rows) = (count(&db, "outbox").await, count(&db, "audit_log").await);
    let body = fixture("radarr-download.json");
    for token in [
        None,
        Some("wrong"),
        Some(""),
        Some(&TOKEN[..TOKEN.len() - 1]),
    ] {
        let refused = hooks.receive(HookSource::Radarr, token, &body).await;
        assert!(
            matches!(refused, Err(HookError::Unauthorized)),
            "{token:?}: {refused:?}"
        );
    }
    assert!(matches!(
        hooks
            .receive(HookSource::Plex, Some("wrong"), b"garbage")
            .await,
        Err(HookError::Unauthorized)
    ));
    assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);
    assert_eq!(count(&db, "outbox").await, outbox);
    assert_eq!(count(&db, "audit_log").await, audit_rows);
    assert_eq!(count(&db, "webhook_events").await, 0);
});

both_dbs!(
    malformed_bodies_are_refused_and_other_events_ignored,
    |db| {
        let hooks = hooks(&db, MediaServers::default());
        let receive = |source, body: Vec<u8>| {
            let hooks = hooks.clone();
            async move { hooks.receive(source, Some(TOKEN), &body).await }
        };
        for (source, body) in [
            (HookSource::Radarr, b"not json".to_vec()),
            (HookSource::Radarr, br#"{"eventType":"Download"}"#.to_vec()),
            (HookSource::Radarr, br#"[1,2]"#.to_vec()),
            (
                HookSource::Sonarr,
                br#"{"eventType":"Download","series":{"id":1,"tvdbId":5}}"#.to_vec(),
            ),
            (HookSource::Jellyfin, br#""ItemAdded""#.to_vec()),
            (
                HookSource::Jellyfin,
                br#"{"ItemId":"a852a27afe324084ae66db579ee3ee18"}"#.to_vec(),
            ),
            (HookSource::Plex, br#"{"event":"library.new"}"#.to_vec()),
        ] {
            let result = receive(source, body.clone()).await;
            assert!(
                matches!(result, Err(HookError::Malformed(_))),
                "{source:?} {}: {result:?}",
                String::from_utf8_lossy(&body)
            );
        }
        for (source, name) in [
            (HookSource::Radarr, "radarr-test.json"),
            (HookSource::Radarr, "radarr-grab.json"),
            (HookSource::Radarr, "radarr-health.json"),
            (HookSource::Radarr, "radarr-movieadded.json"),
            (HookSource::Radarr, "radarr-moviefiledelete.json"),
            (HookSource::Sonarr, "sonarr-test.json"),
            (HookSource::Sonarr, "sonarr-grab.json"),
            (HookSource::Sonarr, "sonarr-seriesadd.json"),
            (HookSource::Sonarr, "sonarr-episodefiledelete.json"),
        ] {
            let result = receive(source, fixture(name)).await;
            assert!(
                matches!(result, Ok(HookOutcome::Ignored(_))),
                "{name}: {result:?}"
            );
        }
        let playback = br#"{"NotificationType":"PlaybackStart","ItemId":"x"}"#.to_vec();
        assert!(matches!(
            receive(HookSource::Jellyfin, playback).await,
            Ok(HookOutcome::Ignored(_))
        ));
        let plex_play = br#"{"event":"media.play","Metadata":{"ratingKey":"1"}}"#.to_vec();
        assert!(matches!(
            receive(HookSource::Plex, plex_play).await,
            Ok(HookOutcome::Ignored(_))
        ));
        assert_eq!(
            count(&db, "webhook_events").await,
            0,
            "ignored events are not recorded"
        );
    }
);

both_dbs!(sonarr_downloads_in_both_shapes_add_up_seasons, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 402, show_with_tvdb(1396, 81189, &[1, 2])).await;
    let hooks = hooks(&db, MediaServers::default());

    let one_file = fixture("sonarr-download.json"); // S02E01
    let outcome = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &one_file)
        .await
        .expect("one");
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

    let upgrade = edited("sonarr-download.json", |v| {
        v["isUpgrade"] = json!(true);
        v["episodeFile"]["id"] = json!(881);
    });
    let outcome = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &upgrade)
        .await
        .expect("upgrade");
    assert_eq!(
        outcome,
        HookOutcome::Applied { changed: vec![] },
        "an upgrade changes nothing"
    );

    let complete = edited("sonarr-download-importcomplete.json", |v| {
        v["episodes"][0]["seasonNumber"] = json!(1);
        v["series"]["tmdbId"] = json!(0); // old Sonarr entries: matched by TVDB id alone
    });
    let outcome = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &complete)
        .await
        .expect("complete");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
    let replay = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &complete)
        .await
        .expect("replay");
    assert_eq!(replay, HookOutcome::Replayed);
});

both_dbs!(deletions_are_noted_in_the_audit, |db| {
    let services = Services::new(db.clone());
    let film = submitted(&services, 403, movie(438631, "Dune")).await;
    let series = submitted(&services, 404, show_with_tvdb(1396, 81189, &[1])).await;
    let hooks = hooks(&db, MediaServers::default());
    let notified = notifications(&db).await;
    for (source, name, id) in [
        (HookSource::Radarr, "radarr-moviedelete.json", film.id),
        (HookSource::Sonarr, "sonarr-seriesdelete.json", series.id),
    ] {
        let outcome = hooks
            .receive(source, Some(TOKEN), &fixture(name))
            .await
            .expect(name);
        assert_eq!(outcome, HookOutcome::Applied { changed: vec![id] });
        let trail = audit::for_target(&db, &format!("request:{id}"), 1)
            .await
            .expect("audit");
        assert_eq!(trail[0].action, "request_upstream_deleted");
        assert!(
            trail[0].details["event"]
                .as_str()
                .is_some_and(|e| e.ends_with("Delete"))
        );
    }
    assert_eq!(
        notifications(&db).await,
        notified,
        "a deletion is noted, not announced"
    );
});

both_dbs!(jellyfin_movie_in_either_shape_is_one_delivery, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 405, movie(438631, "Dune")).await;
    let hooks = hooks(&db, MediaServers::default());
    let all = fixture("jellyfin-itemadded-movie.sendallproperties.json");
    let outcome = hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &all)
        .await
        .expect("movie");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    // The template form of the same item has a dashed GUID: the same delivery.
    let templated = fixture("jellyfin-itemadded-movie.template-rendered.json");
    let outcome = hooks
        .receive(HookSource::Jellyfin, Some(TOKEN), &templated)
        .await
        .expect("template");
    assert_eq!(outcome, HookOutcome::Replayed);
});

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
