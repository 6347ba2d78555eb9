//! The whole path in core: approve → the submission worker adds to the fake Radarr/Sonarr →
//! their "Download" webhooks → PartiallyAvailable / Available, with a notification each time.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};
use usher_testkit::{FakeRadarr, FakeSonarr};

use super::arr_support::{Fakes, KEY};
use super::availability::notifications;
use super::harness::{both_dbs, movie, show, user_with_role};
use crate::domain::{Request, RequestStatus, TmdbId, TvdbId};
use crate::integrations::http::UpstreamError;
use crate::integrations::mediaserver::MediaServers;
use crate::integrations::{BoxFuture, TvdbIds};
use crate::jobs::{SubmissionWorker, WorkerOptions};
use crate::service::{NewRequest, Services};
use crate::store::{Db, requests};
use crate::webhooks::{HookOutcome, HookSource, Webhooks};

const TOKEN: &str = "full-path-webhook-secret";

struct KnownTvdb;

impl TvdbIds for KnownTvdb {
    fn tvdb_id(&self, _show: TmdbId) -> BoxFuture<'_, Result<Option<TvdbId>, UpstreamError>> {
        Box::pin(async { Ok(TvdbId::parse(81189).ok()) })
    }
}

fn worker(db: &Db, fakes: Fakes<'_>) -> SubmissionWorker {
    let options = WorkerOptions {
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        ..WorkerOptions::default()
    };
    let tvdb: Arc<dyn TvdbIds> = Arc::new(KnownTvdb);
    SubmissionWorker::new(db.clone(), Arc::new(fakes.instances()), Some(tvdb), options)
}

async fn approved(services: &Services, member: u64, new: NewRequest) -> Request {
    let (_, requester) = user_with_role(services, member, "member").await;
    let (_, approver) = user_with_role(services, 7000 + member, "approver").await;
    let created = services
        .requests
        .create(&requester, new)
        .await
        .expect("create");
    services
        .requests
        .approve(&approver, created.request.id)
        .await
        .expect("approve")
}

async fn reload(db: &Db, id: crate::domain::RequestId) -> Request {
    requests::find(db, id).await.expect("find").expect("row")
}

fn sample(name: &str, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let path = usher_testkit::specs_dir().join("webhooks").join(name);
    let mut value: Value =
        serde_json::from_slice(&std::fs::read(path).expect("sample")).expect("json");
    edit(&mut value);
    serde_json::to_vec(&value).expect("json")
}

both_dbs!(movie_approved_submitted_downloaded_available, |db| {
    let services = Services::new(db.clone());
    let radarr = FakeRadarr::start(KEY).await;
    let request = approved(&services, 1, movie(438631, "Dune")).await;
    let fakes = Fakes {
        radarr: Some(&radarr),
        ..Fakes::default()
    };
    assert_eq!(worker(&db, fakes).try_run_once().await.expect("submit"), 1);
    let submitted = reload(&db, request.id).await;
    assert_eq!(submitted.status, RequestStatus::Submitted);
    assert_eq!(radarr.adds(), 1);
    let upstream_id = submitted.upstream.expect("upstream").id;

    let hooks = Webhooks::new(
        db.clone(),
        SecretString::from(TOKEN),
        MediaServers::default(),
    );
    let before = notifications(&db).await;
    let download = sample("radarr-download.json", |v| {
        v["movie"]["id"] = json!(upstream_id)
    });
    let outcome = hooks
        .receive(HookSource::Radarr, Some(TOKEN), &download)
        .await
        .expect("hook");
    assert_eq!(
        outcome,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(
        reload(&db, request.id).await.status,
        RequestStatus::Available
    );
    assert_eq!(notifications(&db).await, before + 1);
});

both_dbs!(tv_two_of_four_seasons_then_all, |db| {
    let services = Services::new(db.clone());
    let sonarr = FakeSonarr::start(KEY).await;
    let request = approved(&services, 2, show(1396, "Breaking Bad", &[1, 2, 3, 4])).await;
    let fakes = Fakes {
        sonarr: Some(&sonarr),
        ..Fakes::default()
    };
    assert_eq!(worker(&db, fakes).try_run_once().await.expect("submit"), 1);
    assert_eq!(
        reload(&db, request.id).await.status,
        RequestStatus::Submitted
    );

    let hooks = Webhooks::new(
        db.clone(),
        SecretString::from(TOKEN),
        MediaServers::default(),
    );
    let import = |file_ids: [i64; 2], seasons: [i64; 2]| {
        sample("sonarr-download-importcomplete.json", |v| {
            v["series"]["tmdbId"] = json!(0); // matched by the TVDB id the worker stored
            v["episodes"] = json!([
                { "id": 1, "episodeNumber": 1, "seasonNumber": seasons[0], "title": "a", "seriesId": 7 },
                { "id": 2, "episodeNumber": 1, "seasonNumber": seasons[1], "title": "b", "seriesId": 7 },
            ]);
            v["episodeFiles"] = json!([{ "id": file_ids[0] }, { "id": file_ids[1] }]);
        })
    };
    let before = notifications(&db).await;
    let first = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &import([1, 2], [1, 2]))
        .await;
    assert_eq!(
        first.expect("first"),
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    let partial = reload(&db, request.id).await;
    assert_eq!(partial.status, RequestStatus::PartiallyAvailable);
    let second = hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &import([3, 4], [3, 4]))
        .await;
    assert_eq!(
        second.expect("second"),
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(
        reload(&db, request.id).await.status,
        RequestStatus::Available
    );
    assert_eq!(notifications(&db).await, before + 2);
});
