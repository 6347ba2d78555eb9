//! Media servers saved in the console, on both databases: validated with the rest of the
//! configuration (the same words as `usher.toml`'s tables), sealed, audited without their key,
//! merged into the settings at start beside the TOML ones, a restart asked for, and
//! `usher.toml`'s names locked.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::harness::{both_dbs, user_with_role};
use crate::CoreError;
use crate::config::{LoadOptions, load};
use crate::crypto::MasterKeys;
use crate::domain::SourceKind;
use crate::service::{MediaServerForm, SaveOutcome, Services, SettingsService};
use crate::store::{audit, settings};

const TOKEN: &str = "plex-token-saved-in-the-console-42";

fn keys() -> Arc<MasterKeys> {
    let secret = SecretString::from("a-master-key-for-media-server-tests-0123");
    Arc::new(MasterKeys::from_secrets(&secret, None).expect("keys"))
}

fn form(name: &str, url: &str, secret: &str) -> MediaServerForm {
    MediaServerForm {
        previous: None,
        kind: "plex".into(),
        name: name.into(),
        url: url.into(),
        secret: secret.into(),
        public_url: String::new(),
    }
}

both_dbs!(saved_servers_join_the_toml_ones_at_start, |db| {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("usher.toml");
    let toml = "[[jellyfin]]\nname = \"attic\"\nurl = \"http://jf.lan\"\napi_key = \"k\"\n";
    std::fs::write(&path, toml).expect("toml");
    let base = LoadOptions {
        config_file: Some(path),
        ..LoadOptions::default()
    };
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 900, "admin").await;
    let (_, member) = user_with_role(&services, 901, "member").await;
    let service = SettingsService::new(db.clone(), keys(), base.clone());
    let start = load(base.clone()).expect("base").settings;
    service.startup(&start).await.expect("startup");

    let refused = service
        .save_media_server(&member, &form("den", "http://plex.lan", TOKEN))
        .await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );
    let locked = service
        .save_media_server(&admin, &form("attic", "http://plex.lan", TOKEN))
        .await;
    assert!(matches!(locked, Err(CoreError::Forbidden(_))), "{locked:?}");

    let invalid = service
        .save_media_server(&admin, &form("den", "ftp://plex.lan", TOKEN))
        .await
        .expect("validated");
    let SaveOutcome::Invalid { problems } = invalid else {
        panic!("an ftp URL is refused: {invalid:?}");
    };
    assert_eq!(
        problems,
        ["the console's media server (plex) `den`: `url` must be an http(s) URL"]
    );
    let no_token = service
        .save_media_server(&admin, &form("den", "http://plex.lan", ""))
        .await;
    assert!(
        matches!(&no_token, Ok(SaveOutcome::Invalid { problems }) if problems[0].contains("`token` is required")),
        "{no_token:?}"
    );

    let saved = service
        .save_media_server(&admin, &form("den", "http://plex.lan:32400/", TOKEN))
        .await
        .expect("saved");
    assert_eq!(
        saved,
        SaveOutcome::Saved {
            changed: vec!["media_server:den".into()]
        }
    );
    assert!(service.view(&admin).await.expect("view").restart_needed);
    let rows = settings::all(&db).await.expect("rows");
    assert!(rows.iter().all(|r| !r.value.contains(TOKEN)), "sealed");
    let trail = audit::for_target(&db, "media_server:den", 5)
        .await
        .expect("audit");
    assert_eq!(trail.len(), 1);
    assert!(!trail[0].details.to_string().contains(TOKEN));

    let listed = service.media_servers(&admin).await.expect("list");
    let names: Vec<(&str, bool)> = listed.iter().map(|s| (s.name.as_str(), s.locked)).collect();
    assert_eq!(names, [("attic", true), ("den", false)]);

    let next = SettingsService::new(db.clone(), keys(), base)
        .startup(&start)
        .await
        .expect("next start");
    let servers = &next.settings.media_servers;
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[1].name, "den");
    assert_eq!(servers[1].kind, SourceKind::Plex);
    assert_eq!(
        servers[1].url, "http://plex.lan:32400",
        "trimmed like a TOML table's"
    );
    assert_eq!(servers[1].secret.expose_secret(), TOKEN);

    service
        .remove_media_server(&admin, "den")
        .await
        .expect("removed");
    let unknown = service.remove_media_server(&admin, "den").await;
    assert!(
        matches!(unknown, Err(CoreError::NotFound(_))),
        "{unknown:?}"
    );
    assert!(
        settings::all(&db)
            .await
            .expect("rows")
            .iter()
            .all(|r| !r.key.starts_with("media_server:"))
    );
});
