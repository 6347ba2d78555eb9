//! Override rules (`[[override]]`) at request creation: a rule matching the title's TMDB genres
//! sends a show to the anime Sonarr with the anime series type and its own folder; a rule
//! conditioned on a role beats that role's own placement; with no rule matching, the role's
//! placement stands; and the submission sends the rule's series type and folder to Sonarr.

use std::sync::Arc;

use super::arr_support::{Fakes, KEY};
use super::console_titles::{dead_tmdb, tmdb_at};
use super::harness::{both_dbs, movie, show, user_with_role};
use super::submission_worker::approved;
use crate::domain::{
    Actor, OverrideRule, Permission, Permissions, Placement, RoleSpec, SeriesType,
};
use crate::jobs::{SubmissionWorker, WorkerOptions};
use crate::service::Services;

const INSTANCES: &[&str] = &["radarr", "sonarr", "sonarr-anime"];

fn rule(text: &str) -> OverrideRule {
    let table: toml::Table = text.parse().expect("toml");
    OverrideRule::from_toml(&table, INSTANCES, |_| true).expect("valid rule")
}

fn anime_rule() -> OverrideRule {
    rule(
        r#"
        media = "tv"
        genres = ["Animation"]
        sonarr = { instance = "sonarr-anime", quality_profile = "Anime-1080p", root_folder = "/anime", tags = ["anime"], series_type = "anime" }
        "#,
    )
}

/// A `family` role sending its members' requests to its own folders.
fn family() -> RoleSpec {
    let at = |instance: &str, folder: &str| {
        Some(Placement {
            instance: instance.into(),
            root_folder: Some(folder.into()),
            ..Placement::default()
        })
    };
    RoleSpec {
        name: "family".into(),
        permissions: Permissions::of(&[Permission::RequestMovie, Permission::RequestTv]),
        radarr: at("radarr", "/movies/family"),
        sonarr: at("sonarr", "/tv/family"),
        ..RoleSpec::default()
    }
}

/// Services with these rules, TMDB's fake for genres, and the `family` role applied.
async fn services(
    db: &crate::store::Db,
    rules: Vec<OverrideRule>,
) -> (Services, usher_testkit::FakeServer) {
    let fake = usher_testkit::tmdb::start().await;
    let services = services_with(db, rules, tmdb_at(&fake, 1024 * 1024)).await;
    (services, fake)
}

/// [`services`] over `tmdb`.
async fn services_with(
    db: &crate::store::Db,
    rules: Vec<OverrideRule>,
    tmdb: crate::integrations::tmdb::TmdbClient,
) -> Services {
    let services = Services::new(db.clone())
        .with_overrides(rules)
        .with_tmdb(tmdb);
    services
        .users
        .clone()
        .with_instances(INSTANCES.to_vec())
        .apply_file_roles(&[family()], &[])
        .await
        .expect("roles applied");
    // Someone else is the administrator, so members' roles may change.
    user_with_role(&services, 599, "admin").await;
    services
}

/// A member who holds `family` alone (or stays a plain member).
async fn member(services: &Services, telegram: u64, family: bool) -> Actor {
    let (user, actor) = user_with_role(services, telegram, "member").await;
    if family {
        let system = Actor::system();
        let users = &services.users;
        users
            .revoke_role(&system, user.id, "member")
            .await
            .expect("revoked");
        users
            .grant_role(&system, user.id, "family")
            .await
            .expect("granted");
    }
    actor
}

both_dbs!(an_animation_show_goes_to_the_anime_sonarr_as_anime, |db| {
    let (services, _fake) = services(&db, vec![anime_rule()]).await;
    let actor = member(&services, 501, false).await;
    let made = services
        .requests
        .create(&actor, show(1429, "Attack on Titan", &[1]))
        .await
        .expect("request");
    let stored = services
        .requests
        .get(&Actor::system(), made.request.id)
        .await
        .expect("stored");
    for request in [&made.request, &stored] {
        assert_eq!(request.target_instance.as_deref(), Some("sonarr-anime"));
        assert_eq!(request.target_profile.as_deref(), Some("Anime-1080p"));
        assert_eq!(request.target_root_folder.as_deref(), Some("/anime"));
        assert_eq!(request.target_tags, Some(vec!["anime".to_owned()]));
        assert_eq!(request.target_series_type, Some(SeriesType::Anime));
    }
    // Breaking Bad is no animation: placed as if there were no rule.
    let drama = services
        .requests
        .create(&actor, show(1396, "Breaking Bad", &[1]))
        .await
        .expect("request");
    assert_eq!(drama.request.target_instance, None);
    assert_eq!(drama.request.target_series_type, None);
});

both_dbs!(a_rule_for_a_role_beats_the_roles_own_placement, |db| {
    let rules = vec![
        anime_rule(),
        rule(
            r#"
            media = "movie"
            roles = ["family"]
            radarr = { instance = "radarr", quality_profile = "HD-1080p", root_folder = "/movies/override" }
            "#,
        ),
    ];
    let (services, _fake) = services(&db, rules).await;
    let kin = member(&services, 502, true).await;
    let stranger = member(&services, 503, false).await;
    let placed = services
        .requests
        .create(&kin, movie(603, "The Matrix"))
        .await
        .expect("request")
        .request;
    assert_eq!(
        placed.target_root_folder.as_deref(),
        Some("/movies/override")
    );
    assert_eq!(placed.target_profile.as_deref(), Some("HD-1080p"));
    assert_eq!(
        placed.target_series_type, None,
        "movies have no series type"
    );
    let other = services
        .requests
        .create(&stranger, movie(27205, "Inception"))
        .await
        .expect("request")
        .request;
    assert_eq!(
        other.target_instance, None,
        "not family: no rule, no role placement"
    );
});

both_dbs!(with_no_rule_matching_the_roles_placement_stands, |db| {
    let (services, _fake) = services(&db, vec![anime_rule()]).await;
    let kin = member(&services, 504, true).await;
    let drama = services
        .requests
        .create(&kin, show(1396, "Breaking Bad", &[2]))
        .await
        .expect("request")
        .request;
    assert_eq!(drama.target_instance.as_deref(), Some("sonarr"));
    assert_eq!(drama.target_root_folder.as_deref(), Some("/tv/family"));
    assert_eq!(drama.target_series_type, None);
    // The genre rule comes first for the family too.
    let anime = services
        .requests
        .create(&kin, show(1429, "Attack on Titan", &[2]))
        .await
        .expect("request")
        .request;
    assert_eq!(anime.target_root_folder.as_deref(), Some("/anime"));
});

both_dbs!(
    with_tmdb_down_genre_rules_miss_and_the_roles_placement_stands,
    |db| {
        // TMDB cannot tell the genres: the anime rule cannot match, and the request is neither
        // refused nor lost; the role's placement decides.
        let services = services_with(&db, vec![anime_rule()], dead_tmdb()).await;
        let kin = member(&services, 506, true).await;
        let placed = services
            .requests
            .create(&kin, show(1429, "Attack on Titan", &[1]))
            .await
            .expect("the request is kept")
            .request;
        assert_eq!(placed.target_instance.as_deref(), Some("sonarr"));
        assert_eq!(placed.target_root_folder.as_deref(), Some("/tv/family"));
        assert_eq!(placed.target_series_type, None);
    }
);

both_dbs!(
    a_limited_member_with_tmdb_failing_is_refused_after_one_tmdb_call,
    |db| {
        // The genre rule asks TMDB first and it fails; the member's content limit needs the
        // same facts: refused at once with TMDB's error, not after waiting on TMDB again.
        let broken = usher_testkit::FakeServer::start(usher_testkit::tmdb::router_answering(
            "{\"truncated\": ",
        ))
        .await;
        let services = services_with(&db, vec![anime_rule()], tmdb_at(&broken, 0)).await;
        crate::tests::content_limits::limit_role(&db, "family", r#"{"tv":"TV-14"}"#).await;
        let kin = member(&services, 507, true).await;
        let refused = services
            .requests
            .create(&kin, show(1429, "Attack on Titan", &[1]))
            .await;
        assert!(
            matches!(
                refused,
                Err(crate::CoreError::Upstream {
                    service: "TMDB",
                    ..
                })
            ),
            "{refused:?}"
        );
        assert_eq!(broken.received().len(), 1, "TMDB asked once");
        assert_eq!(crate::tests::harness::count(&db, "requests").await, 0);
    }
);

both_dbs!(
    the_submission_sends_the_rules_series_type_and_folder,
    |db| {
        let talk = rule(
            r#"
        media = "tv"
        genres = ["Drama"]
        sonarr = { instance = "sonarr", root_folder = "/talk", series_type = "daily" }
        "#,
        );
        let (services, fake) = services(&db, vec![talk]).await;
        let sonarr = usher_testkit::FakeSonarr::start(KEY).await;
        sonarr.set_root_folders(&[(1, "/tv"), (2, "/talk")]);
        let request = approved(&services, 505, show(1396, "Breaking Bad", &[2])).await;
        assert_eq!(request.target_series_type, Some(SeriesType::Daily));
        let tmdb = tmdb_at(&fake, 1024 * 1024);
        let instances = Fakes {
            sonarr: Some(&sonarr),
            ..Fakes::default()
        }
        .instances();
        let worker = SubmissionWorker::new(
            db.clone(),
            Arc::new(instances),
            Some(Arc::new(tmdb.clone())),
            WorkerOptions::default(),
        )
        .with_anime_check(Arc::new(tmdb));
        worker.try_run_once().await.expect("ran");
        let series = sonarr.series(81189).expect("added");
        assert_eq!(series["seriesType"], "daily");
        assert_eq!(series["rootFolderPath"], "/talk");
        assert_eq!(sonarr.monitored_seasons(81189), [2]);
    }
);
