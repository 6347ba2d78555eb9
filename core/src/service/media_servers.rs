//! Media servers managed in the console (issue 16: "any number of Jellyfin/Emby/Plex servers in
//! `usher.toml` and in the console's settings, each with a Test button"). Each is a sealed row
//! of the saved-settings layer ([`SavedServer`]), merged into the settings with the TOML tables
//! and checked by the same validator; like every saved setting it applies at the next start.
//! Admins only; servers from `usher.toml` are listed locked; a change is audited without its
//! key or token; the Test button runs `usher check`'s own media server check.

use serde_json::{Value, json};

use super::SettingsService;
use super::settings::SaveOutcome;
use crate::config::{self, MediaServerSettings, SavedServer, mask_url_password};
use crate::domain::{Actor, AuditAction, Permission, SourceKind, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::integrations::checkup::{self, ServiceCheck};
use crate::store::{audit, in_tx, settings};

/// A media server as the console lists it (never its key or token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaServerEntry {
    /// Jellyfin, Emby or Plex.
    pub kind: SourceKind,
    /// Its unique name.
    pub name: String,
    /// Its base URL.
    pub url: String,
    /// Where members' browsers reach it.
    pub public_url: Option<String>,
    /// From `usher.toml`: shown, not editable here.
    pub locked: bool,
}

impl MediaServerEntry {
    fn new(
        kind: SourceKind,
        name: String,
        url: String,
        public_url: Option<String>,
        locked: bool,
    ) -> Self {
        Self {
            kind,
            name,
            url,
            public_url,
            locked,
        }
    }
}

/// The console's add/edit form for one media server.
#[derive(Clone, Default)]
pub struct MediaServerForm {
    /// The name of the saved server being edited; `None` adds one.
    pub previous: Option<String>,
    /// `jellyfin`, `emby` or `plex`.
    pub kind: String,
    /// Its name (lower-case letters, digits, dashes).
    pub name: String,
    /// Its base URL.
    pub url: String,
    /// A new API key or token; blank keeps the saved one.
    pub secret: String,
    /// Where members' browsers reach it; blank for none.
    pub public_url: String,
}

impl std::fmt::Debug for MediaServerForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaServerForm")
            .field("previous", &self.previous)
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl SettingsService {
    /// The media servers the next start gets beside the environment's: `usher.toml`'s
    /// (locked), then the console's; admins only.
    pub async fn media_servers(&self, actor: &Actor) -> CoreResult<Vec<MediaServerEntry>> {
        self.require_admin(actor).await?;
        let toml = self.toml_servers().into_iter();
        let mut entries: Vec<MediaServerEntry> = toml
            .map(|s| MediaServerEntry::new(s.kind, s.name, s.url, s.public_url, true))
            .collect();
        let (values, _) = self.saved().await?;
        let saved = saved_servers(&values).into_iter();
        entries.extend(
            saved.map(|s| MediaServerEntry::new(s.kind, s.name, s.url, s.public_url, false)),
        );
        Ok(entries)
    }

    /// Validates the form with the rest of the configuration and, if valid, stores the server
    /// sealed (replacing the one it edits) with one audit row without its secret; admins only.
    pub async fn save_media_server(
        &self,
        actor: &Actor,
        form: &MediaServerForm,
    ) -> CoreResult<SaveOutcome> {
        self.require_admin(actor).await?;
        let (values, server) = match self.candidate(form).await? {
            Ok(found) => found,
            Err(problems) => return Ok(SaveOutcome::Invalid { problems }),
        };
        if let Err(err) = config::load_layered(&self.base, &values) {
            return Ok(SaveOutcome::Invalid {
                problems: err.problems,
            });
        }
        let sealed = self.keys.seal(server.to_value().as_bytes());
        let replaced = form.previous.as_deref().filter(|p| *p != server.name);
        let details = server_details(&server, "saved", !form.secret.trim().is_empty());
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz_admin(tx, actor).await?;
                if let Some(previous) = replaced {
                    settings::delete(tx, &saved_key(previous)).await?;
                }
                settings::put(tx, &server.key(), &sealed, true, now).await?;
                let target = server.key();
                audit::record(
                    tx,
                    actor,
                    AuditAction::SettingChanged,
                    &target,
                    &details,
                    now,
                )
                .await
            })
        })
        .await?;
        Ok(SaveOutcome::Saved {
            changed: vec![server.key()],
        })
    }

    /// Removes a server saved in the console, audited; admins only. One from `usher.toml` is
    /// refused (Forbidden), an unknown one is NotFound.
    pub async fn remove_media_server(&self, actor: &Actor, name: &str) -> CoreResult<()> {
        self.require_admin(actor).await?;
        self.refuse_toml(name)?;
        let (values, _) = self.saved().await?;
        let Some(server) = saved_servers(&values).into_iter().find(|s| s.name == name) else {
            return Err(CoreError::NotFound(format!(
                "no media server {name:?} is saved"
            )));
        };
        let details = server_details(&server, "removed", false);
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz_admin(tx, actor).await?;
                settings::delete(tx, &server.key()).await?;
                audit::record(
                    tx,
                    actor,
                    AuditAction::SettingChanged,
                    &server.key(),
                    &details,
                    now,
                )
                .await
            })
        })
        .await
    }

    /// Checks the server the form describes (its saved key or token where the field is blank)
    /// exactly as `usher check` does, or says why the form is not valid; admins only.
    pub async fn test_media_server(
        &self,
        actor: &Actor,
        form: &MediaServerForm,
    ) -> CoreResult<Result<ServiceCheck, Vec<String>>> {
        self.require_admin(actor).await?;
        let (values, server) = match self.candidate(form).await? {
            Ok(found) => found,
            Err(problems) => return Ok(Err(problems)),
        };
        let settings = match config::load_layered(&self.base, &values) {
            Ok(loaded) => loaded.settings,
            Err(err) => return Ok(Err(err.problems)),
        };
        let Some(found) = settings
            .media_servers
            .iter()
            .find(|s| s.name == server.name)
        else {
            return Ok(Err(vec![format!("no media server {:?}", server.name)]));
        };
        Ok(Ok(checkup::check_media_server(
            found,
            settings.http_timeout,
        )
        .await))
    }

    /// The saved layer with the form's server in place of the one it edits, and that server;
    /// or why the form cannot be one.
    async fn candidate(
        &self,
        form: &MediaServerForm,
    ) -> CoreResult<Result<(Vec<(String, String)>, SavedServer), Vec<String>>> {
        let Some(kind) = SourceKind::parse(form.kind.trim()).filter(|k| k.is_media_server()) else {
            return Ok(Err(vec![format!(
                "the kind of a media server is jellyfin, emby or plex, not {:?}",
                form.kind
            )]));
        };
        let name = form.name.trim().to_owned();
        self.refuse_toml(&name)?;
        if let Some(previous) = &form.previous {
            self.refuse_toml(previous)?;
        }
        let (mut values, _) = self.saved().await?;
        let kept = form
            .previous
            .as_deref()
            .and_then(|p| saved_servers(&values).into_iter().find(|s| s.name == p))
            .map(|s| s.secret);
        let secret = match form.secret.trim() {
            "" => kept.unwrap_or_default(),
            typed => typed.to_owned(),
        };
        let server = SavedServer {
            kind,
            name,
            url: form.url.trim().to_owned(),
            secret,
            public_url: Some(form.public_url.trim().to_owned()).filter(|u| !u.is_empty()),
        };
        if let Some(previous) = &form.previous {
            values.retain(|(k, _)| *k != saved_key(previous));
        }
        values.retain(|(k, _)| *k != server.key());
        values.push((server.key(), server.to_value()));
        Ok(Ok((values, server)))
    }

    /// Servers from `usher.toml` (and the environment) as the process was started with them.
    fn toml_servers(&self) -> Vec<MediaServerSettings> {
        config::load_layered(&self.base, &[])
            .map(|loaded| loaded.settings.media_servers)
            .unwrap_or_default()
    }

    fn refuse_toml(&self, name: &str) -> CoreResult<()> {
        if self.toml_servers().iter().any(|s| s.name == name) {
            return Err(CoreError::Forbidden(format!(
                "the media server {name:?} is set in usher.toml and cannot be changed in the console"
            )));
        }
        Ok(())
    }
}

async fn authz_admin(tx: &mut crate::store::Tx, actor: &Actor) -> CoreResult<()> {
    super::authz::caller(tx, actor)
        .await?
        .require(Permission::Admin)
}

fn saved_key(name: &str) -> String {
    format!("{}{name}", config::MEDIA_SERVER_PREFIX)
}

/// The console's servers among the saved values, in key order.
fn saved_servers(values: &[(String, String)]) -> Vec<SavedServer> {
    values
        .iter()
        .filter(|(k, _)| k.starts_with(config::MEDIA_SERVER_PREFIX))
        .filter_map(|(_, v)| SavedServer::from_value(v))
        .collect()
}

/// The audit row's details: what changed, never the key or token (only whether a new one was
/// given), URL passwords masked.
fn server_details(server: &SavedServer, change: &str, new_secret: bool) -> Value {
    json!({
        "media_server": server.name,
        "kind": server.kind.as_str(),
        "change": change,
        "url": mask_url_password(&server.url),
        "public_url": server.public_url.as_deref().map(mask_url_password),
        "secret": if new_secret { "new" } else { "unchanged" },
    })
}
