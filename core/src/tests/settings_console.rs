//! Settings saved in the console: admins only, locked and startup keys refused, the validator
//! decides, secrets sealed and never in the audit log, and the saved layer applied at start.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::harness::{both_dbs, count, user_with_role};
use crate::CoreError;
use crate::config::{LoadOptions, ValueSource, load};
use crate::crypto::MasterKeys;
use crate::service::{SaveOutcome, Services, SettingChange, SettingsService};
use crate::store::audit::AuditFilter;

const TMDB_SECRET: &str = "tmdb-secret-never-shown-0123456789";
const PLEX_SECRET: &str = "plex-token-never-shown-abcdef";

fn base() -> LoadOptions {
    LoadOptions {
        env: vec![
            ("USHER_RADARR_URL".into(), "http://radarr.lan:7878".into()),
            ("USHER_RADARR_API_KEY".into(), "env-radarr-key".into()),
        ],
        ..LoadOptions::default()
    }
}

fn keys() -> Arc<MasterKeys> {
    let secret = SecretString::from("a-master-key-for-settings-tests-0123456789");
    Arc::new(MasterKeys::from_secrets(&secret, None).expect("keys"))
}

both_dbs!(
    console_settings_are_validated_sealed_audited_and_applied,
    |db| {
        let services = Services::new(db.clone());
        let (_, admin) = user_with_role(&services, 800, "admin").await;
        let (_, member) = user_with_role(&services, 801, "member").await;
        let settings = SettingsService::new(db.clone(), keys(), base());
        let started = settings
            .startup(&load(base()).expect("base").settings)
            .await
            .expect("startup");
        assert!(started.settings.tmdb.is_none());
        // Start-up stores a generated webhook secret; once marked applied it is not "pending".
        crate::service::secrets::SecretSettings::new(db.clone(), keys())
            .put("webhook_secret", "generated-at-start-0123456789")
            .await
            .expect("put");
        settings.mark_applied().await.expect("mark");
        assert!(!settings.view(&admin).await.expect("view").restart_needed);

        assert!(matches!(
            settings.view(&member).await,
            Err(CoreError::Forbidden(_))
        ));
        let by_member = settings
            .save(&member, &[SettingChange::set("plex_url", "http://plex:1")])
            .await;
        assert!(
            matches!(by_member, Err(CoreError::Forbidden(_))),
            "{by_member:?}"
        );

        // Set by the environment: locked. A startup key: never from the console.
        let locked = settings
            .save(
                &admin,
                &[SettingChange::set("radarr_url", "http://other:1")],
            )
            .await;
        assert!(matches!(locked, Err(CoreError::Forbidden(_))), "{locked:?}");
        let startup = settings
            .save(&admin, &[SettingChange::set("listen", "0.0.0.0:1")])
            .await;
        assert!(
            matches!(startup, Err(CoreError::Validation(_))),
            "{startup:?}"
        );
        let unknown = settings
            .save(&admin, &[SettingChange::set("nope", "1")])
            .await;
        assert!(
            matches!(unknown, Err(CoreError::Validation(_))),
            "{unknown:?}"
        );

        // The same validator as at start: a Plex URL without its token is refused, nothing stored.
        let half = settings
            .save(
                &admin,
                &[SettingChange::set("plex_url", "http://plex:32400")],
            )
            .await;
        match half.expect("answered") {
            SaveOutcome::Invalid { problems } => {
                assert!(
                    problems.iter().any(|p| p.contains("USHER_PLEX_TOKEN")),
                    "{problems:?}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(count(&db, "settings").await, 1, "only the webhook secret");

        let audit_before = count(&db, "audit_log").await;
        let saved = settings
            .save(
                &admin,
                &[
                    SettingChange::set("tmdb_api_key", TMDB_SECRET),
                    SettingChange::set("plex_url", "http://plex:32400"),
                    SettingChange::set("plex_token", PLEX_SECRET),
                    SettingChange::set("session_idle_minutes", "120"), // the default: unchanged
                ],
            )
            .await
            .expect("save");
        assert_eq!(
            saved,
            SaveOutcome::Saved {
                changed: vec![
                    "tmdb_api_key".into(),
                    "plex_url".into(),
                    "plex_token".into()
                ]
            }
        );
        assert_eq!(count(&db, "audit_log").await, audit_before + 3);
        let stored = crate::store::settings::get(&db, "tmdb_api_key")
            .await
            .expect("get")
            .expect("row");
        assert!(
            stored.secret && !stored.value.contains(TMDB_SECRET),
            "sealed at rest"
        );

        let rows = services
            .audit
            .list(
                &admin,
                &AuditFilter {
                    action: Some("setting_changed".into()),
                    ..AuditFilter::default()
                },
                None,
                10,
            )
            .await
            .expect("audit")
            .items;
        assert_eq!(rows.len(), 3);
        let text = format!("{rows:?}");
        assert!(
            !text.contains(TMDB_SECRET) && !text.contains(PLEX_SECRET),
            "{text}"
        );
        let tmdb_row = rows
            .iter()
            .find(|r| r.entry.target == "setting:tmdb_api_key")
            .expect("row");
        assert_eq!(tmdb_row.entry.details["before"], "not set");
        assert_eq!(tmdb_row.entry.details["after"], "set");
        let plex_row = rows
            .iter()
            .find(|r| r.entry.target == "setting:plex_url")
            .expect("row");
        assert_eq!(plex_row.entry.details["after"], "http://plex:32400");

        let view = settings.view(&admin).await.expect("view");
        assert!(view.restart_needed, "saved after start");
        assert!(
            view.inspection.problems.is_empty(),
            "{:?}",
            view.inspection.problems
        );
        let tmdb = view.inspection.key("tmdb_api_key").expect("key");
        assert_eq!(
            (tmdb.source, tmdb.is_set, tmdb.value.clone()),
            (ValueSource::Console, true, None)
        );
        assert!(!format!("{view:?}").contains(TMDB_SECRET));
        let radarr = view.inspection.key("radarr_url").expect("key");
        assert!(radarr.locked && radarr.source == ValueSource::Environment);

        // Echoing the form back changes nothing and writes no audit row.
        let audit_now = count(&db, "audit_log").await;
        let echo = settings
            .save(
                &admin,
                &[
                    SettingChange::set("plex_url", "http://plex:32400"),
                    SettingChange::set("tmdb_api_key", TMDB_SECRET),
                ],
            )
            .await
            .expect("echo");
        assert_eq!(echo, SaveOutcome::Saved { changed: vec![] });
        assert_eq!(count(&db, "audit_log").await, audit_now);

        // Test buttons see the form's values, and the stored secret when the field is left blank.
        let draft = settings
            .draft(
                &admin,
                &[
                    SettingChange::set("plex_url", "http://plex2:32400"),
                    SettingChange::clear("tmdb_api_key"),
                ],
            )
            .await
            .expect("draft")
            .expect("valid");
        assert_eq!(
            draft.plex.as_ref().map(|p| p.url.as_str()),
            Some("http://plex2:32400")
        );
        assert_eq!(
            draft
                .plex
                .as_ref()
                .map(|p| p.token.expose_secret().to_owned())
                .as_deref(),
            Some(PLEX_SECRET)
        );
        assert!(draft.tmdb.is_none());
        assert!(matches!(
            settings.draft(&member, &[]).await,
            Err(CoreError::Forbidden(_))
        ));

        // The next start applies the saved layer; env still beats it.
        let next = SettingsService::new(db.clone(), keys(), base());
        let restarted = next
            .startup(&load(base()).expect("base").settings)
            .await
            .expect("startup");
        let applied = restarted.settings;
        assert_eq!(
            applied
                .tmdb
                .as_ref()
                .map(|t| t.api_key.expose_secret().to_owned())
                .as_deref(),
            Some(TMDB_SECRET)
        );
        assert_eq!(
            applied.plex.as_ref().map(|p| p.url.as_str()),
            Some("http://plex:32400")
        );
        assert_eq!(
            applied.radarr.as_ref().map(|r| r.url.as_str()),
            Some("http://radarr.lan:7878")
        );
        assert!(!next.view(&admin).await.expect("view").restart_needed);

        // Removing a saved value lets the lower layers apply again.
        let cleared = settings
            .save(
                &admin,
                &[
                    SettingChange::clear("plex_url"),
                    SettingChange::clear("plex_token"),
                ],
            )
            .await
            .expect("clear");
        assert_eq!(
            cleared,
            SaveOutcome::Saved {
                changed: vec!["plex_url".into(), "plex_token".into()]
            }
        );
        assert_eq!(
            count(&db, "settings").await,
            2,
            "the TMDB key and the webhook secret"
        );

        // A saved value that no longer validates (written by another version, or the environment
        // changed) is left out at start with a warning, so the console stays up to fix it.
        let mut tx = db.begin().await.expect("tx");
        crate::store::settings::put(
            &mut tx,
            "session_idle_minutes",
            "soon",
            false,
            crate::domain::Timestamp::now(),
        )
        .await
        .expect("put");
        tx.commit().await.expect("commit");
        let third = SettingsService::new(db.clone(), keys(), base());
        let fallback = third
            .startup(&load(base()).expect("base").settings)
            .await
            .expect("startup");
        assert!(
            fallback.settings.tmdb.is_none(),
            "the saved layer is not applied"
        );
        assert!(
            fallback
                .warnings
                .iter()
                .any(|w| w.contains("USHER_SESSION_IDLE_MINUTES")),
            "{:?}",
            fallback.warnings
        );
        let view = third.view(&admin).await.expect("view");
        assert!(!view.inspection.problems.is_empty());
    }
);
