//! Webhooks end to end in core, fed the payload samples from `specs/webhooks/`: secret, parsing,
//! replay guard, availability changes and deletions (media-server lookups: `webhooks_servers`).

use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};

use super::availability::{notifications, show_with_tvdb, submitted};
use super::harness::{both_dbs, count, movie};
use crate::domain::RequestStatus;
use crate::integrations::http::{HttpSettings, RetryPolicy};
use crate::integrations::mediaserver::MediaServers;
use crate::service::Services;
use crate::store::{Db, audit, requests};
use crate::webhooks::{HookError, HookOutcome, HookSource, Webhooks};

pub(super) const TOKEN: &str = "a-webhook-secret-for-tests";

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = usher_testkit::specs_dir().join("webhooks").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(super) fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&fixture(name)).expect("fixture json");
    edit(&mut value);
    serde_json::to_vec(&value).expect("json")
}

pub(super) fn hooks(db: &Db, servers: MediaServers) -> Webhooks {
    Webhooks::new(db.clone(), SecretString::from(TOKEN), servers)
}

pub(super) fn http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(2),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    }
}

pub(super) async fn status(db: &Db, id: crate::domain::RequestId) -> RequestStatus {
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
