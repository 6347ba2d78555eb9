//! The configuration the console edits: values saved in the `settings` table become a layer
//! between `usher.toml` and the environment, read once at start (so a change applies at the
//! next restart, on every replica alike). Admins only; a value set by the environment, a `_FILE`
//! or a flag cannot be changed here; secrets are sealed with the master key, never shown back
//! and never written to the audit log; a change is checked by the same validator as the rest
//! of the configuration before anything is stored.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::authz;
use crate::config::{self, Inspection, KeyState, LoadOptions, Settings, mask_url_password};
use crate::crypto::MasterKeys;
use crate::domain::{Actor, AuditAction, Permission, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, audit, in_tx, settings};

/// One edit from the console form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    /// Lower-case key (`radarr_url`).
    pub key: String,
    /// The new value; `None` (or blank) removes the saved value, so the lower layers apply again.
    pub value: Option<String>,
}

impl SettingChange {
    /// Sets a key.
    pub fn set(key: &str, value: &str) -> Self {
        Self {
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    /// Removes a key's saved value.
    pub fn clear(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            value: None,
        }
    }

    fn new_value(&self) -> Option<&str> {
        self.value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// What the settings page shows.
#[derive(Debug, Clone)]
pub struct SettingsView {
    /// Every key's state and the validator's verdict on the configuration the next start gets.
    pub inspection: Inspection,
    /// Saved values differ from the ones this process started with.
    pub restart_needed: bool,
}

/// The result of [`SettingsService::save`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored (keys whose saved value changed; empty when nothing did).
    Saved {
        /// Changed keys.
        changed: Vec<String>,
    },
    /// Nothing stored: the configuration would not validate.
    Invalid {
        /// Every problem, as the validator words them (no secret values).
        problems: Vec<String>,
    },
}

/// The saved layer as read at start: the values and what could not be used.
#[derive(Clone)]
pub struct StartupSettings {
    /// The settings to run with.
    pub settings: Settings,
    /// Remarks to log (ignored saved values, unusable secrets); never secret values.
    pub warnings: Vec<String>,
}

/// Console-edited configuration.
#[derive(Clone)]
pub struct SettingsService {
    pub(super) db: Db,
    pub(super) keys: Arc<MasterKeys>,
    pub(super) base: Arc<LoadOptions>,
    applied: Arc<Mutex<Option<[u8; 32]>>>,
    fell_back: Arc<AtomicBool>,
}

impl std::fmt::Debug for SettingsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsService").finish_non_exhaustive()
    }
}

impl SettingsService {
    /// Builds the service over the database, the master keys, and the layers the process was
    /// started with (TOML file, environment, flags).
    pub fn new(db: Db, keys: Arc<MasterKeys>, base: LoadOptions) -> Self {
        Self {
            db,
            keys,
            base: Arc::new(base),
            applied: Arc::default(),
            fell_back: Arc::default(),
        }
    }

    /// The saved values, secrets unsealed, plus warnings for rows that cannot be used.
    pub(super) async fn saved(&self) -> CoreResult<(Vec<(String, String)>, Vec<String>)> {
        let mut values = Vec::new();
        let mut warnings = Vec::new();
        for row in settings::all(&self.db).await? {
            if !config::is_console_key(&row.key) {
                continue;
            }
            if !row.secret {
                values.push((row.key, row.value));
                continue;
            }
            let plain = self
                .keys
                .open(&row.value)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            match plain {
                Some(plain) => values.push((row.key, plain)),
                None => warnings.push(format!(
                    "the saved console setting `{}` cannot be opened with the current secret key and is ignored",
                    row.key
                )),
            }
        }
        Ok((values, warnings))
    }

    /// The configuration to start with: `base` (already validated without the saved layer) with
    /// the console's saved values on top. When the saved values make the configuration invalid
    /// (the environment changed since they were saved), they are left out with a warning, so the
    /// console stays reachable to fix them. Remembers what it applied for [`Self::view`].
    pub async fn startup(&self, base: &Settings) -> CoreResult<StartupSettings> {
        let (values, mut warnings) = self.saved().await?;
        // The base configuration's own warnings were reported when it was loaded.
        let known = config::load_layered(&self.base, &[])
            .map(|l| l.warnings)
            .unwrap_or_default();
        match config::load_layered(&self.base, &values) {
            Ok(loaded) => {
                self.set_applied(fingerprint(&values));
                warnings.extend(loaded.warnings.into_iter().filter(|w| !known.contains(w)));
                Ok(StartupSettings {
                    settings: loaded.settings,
                    warnings,
                })
            }
            Err(err) => {
                self.set_applied(fingerprint(&[]));
                self.fell_back.store(true, Ordering::Relaxed);
                warnings.push(format!(
                    "the settings saved in the console are not applied; fix them on the settings page. {err}"
                ));
                Ok(StartupSettings {
                    settings: base.clone(),
                    warnings,
                })
            }
        }
    }

    /// Takes what is saved now as applied: called once start-up is done, because start-up
    /// itself may store values (a generated webhook secret) that must not look like a change
    /// waiting for a restart. Only values that validated at start count; otherwise nothing
    /// changes.
    pub async fn mark_applied(&self) -> CoreResult<()> {
        let (values, _) = self.saved().await?;
        if self.fell_back.load(Ordering::Relaxed) {
            return Ok(());
        }
        let valid = config::load_layered(&self.base, &values).is_ok();
        let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        if applied.is_some() && valid {
            *applied = Some(fingerprint(&values));
        }
        Ok(())
    }

    fn set_applied(&self, digest: [u8; 32]) {
        *self.applied.lock().unwrap_or_else(PoisonError::into_inner) = Some(digest);
    }

    /// Every key with its effective value and origin, and whether a restart is pending; admins
    /// only.
    pub async fn view(&self, actor: &Actor) -> CoreResult<SettingsView> {
        self.require_admin(actor).await?;
        let (values, _) = self.saved().await?;
        let inspection = config::inspect(&self.base, &values);
        let applied = *self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        let restart_needed = applied.is_some_and(|applied| applied != fingerprint(&values));
        Ok(SettingsView {
            inspection,
            restart_needed,
        })
    }

    /// The settings the configuration would have with `changes` applied (blank secrets keep
    /// their value), or the validator's problems; admins only. For the console's Test buttons.
    pub async fn draft(
        &self,
        actor: &Actor,
        changes: &[SettingChange],
    ) -> CoreResult<Result<Settings, Vec<String>>> {
        self.require_admin(actor).await?;
        let (mut values, _) = self.saved().await?;
        for change in changes {
            if !config::is_console_key(&change.key) {
                continue;
            }
            match change.new_value() {
                Some(value) => upsert(&mut values, &change.key, value),
                None => values.retain(|(k, _)| *k != change.key),
            }
        }
        Ok(config::load_layered(&self.base, &values)
            .map(|loaded| loaded.settings)
            .map_err(|err| err.problems))
    }

    /// Validates the configuration with `changes` applied and, if valid, stores them with one
    /// `SettingChanged` audit row per changed key, all in one transaction; admins only. Locked
    /// keys are refused (Forbidden), startup and unknown keys too (Validation). A submitted value
    /// equal to the one shown changes nothing, so echoing a form back is harmless.
    pub async fn save(&self, actor: &Actor, changes: &[SettingChange]) -> CoreResult<SaveOutcome> {
        self.require_admin(actor).await?;
        let (saved, _) = self.saved().await?;
        let before = config::inspect(&self.base, &saved);
        let mut values = saved.clone();
        let mut effective: Vec<(&KeyState, Option<String>)> = Vec::new();
        for change in changes {
            let state = before.key(&change.key).ok_or_else(|| {
                CoreError::Validation(format!("unknown setting {:?}", change.key))
            })?;
            if state.startup {
                return Err(CoreError::Validation(format!(
                    "{} can only be set in usher.toml, the environment or a flag",
                    state.env_name
                )));
            }
            if state.locked {
                return Err(CoreError::Forbidden(format!(
                    "{} is set by the environment or a flag and cannot be changed in the console",
                    state.env_name
                )));
            }
            let stored = saved.iter().find(|(k, _)| k == state.name).map(|(_, v)| v);
            let new = change.new_value().map(str::to_owned);
            let unchanged = match &new {
                None => stored.is_none(),
                Some(v) => stored == Some(v) || (!state.secret && state.value.as_ref() == Some(v)),
            };
            if unchanged {
                continue;
            }
            match &new {
                Some(v) => upsert(&mut values, state.name, v),
                None => values.retain(|(k, _)| k != state.name),
            }
            effective.retain(|(s, _)| s.name != state.name);
            effective.push((state, new));
        }
        if effective.is_empty() {
            return Ok(SaveOutcome::Saved {
                changed: Vec::new(),
            });
        }
        if let Err(err) = config::load_layered(&self.base, &values) {
            return Ok(SaveOutcome::Invalid {
                problems: err.problems,
            });
        }
        let after = config::inspect(&self.base, &values);
        let now = Timestamp::now();
        let rows: Vec<(String, Option<String>, bool, Value)> = effective
            .iter()
            .map(|(state, new)| {
                let stored = new.as_ref().map(|v| {
                    if state.secret {
                        self.keys.seal(v.as_bytes())
                    } else {
                        v.clone()
                    }
                });
                let details = change_details(state, after.key(state.name), new.is_some());
                (state.name.to_owned(), stored, state.secret, details)
            })
            .collect();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                caller.require(Permission::Admin)?;
                for (key, stored, secret, details) in &rows {
                    match stored {
                        Some(value) => settings::put(tx, key, value, *secret, now).await?,
                        None => {
                            settings::delete(tx, key).await?;
                        }
                    }
                    let target = format!("setting:{key}");
                    audit::record(
                        tx,
                        actor,
                        AuditAction::SettingChanged,
                        &target,
                        details,
                        now,
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .await?;
        Ok(SaveOutcome::Saved {
            changed: rows.into_iter().map(|(key, ..)| key).collect(),
        })
    }

    pub(super) async fn require_admin(&self, actor: &Actor) -> CoreResult<()> {
        let caller = in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await })
        })
        .await?;
        caller.require(Permission::Admin)
    }
}

/// Before → after for the audit row. Secrets say only whether they were set; plain values have
/// URL passwords masked.
fn change_details(before: &KeyState, after: Option<&KeyState>, saved: bool) -> Value {
    let action = if saved { "saved" } else { "removed" };
    if before.secret {
        let is_set = |s: &KeyState| if s.is_set { "set" } else { "not set" };
        return json!({
            "key": before.name,
            "secret": true,
            "change": action,
            "before": is_set(before),
            "after": after.map_or("not set", is_set),
        });
    }
    let shown = |s: &KeyState| s.value.as_deref().map(mask_url_password);
    json!({
        "key": before.name,
        "change": action,
        "before": shown(before),
        "after": after.and_then(shown),
    })
}

fn upsert(values: &mut Vec<(String, String)>, key: &str, value: &str) {
    match values.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value.to_owned(),
        None => values.push((key.to_owned(), value.to_owned())),
    }
}

/// A digest of a saved layer, to tell whether it changed since start without keeping secrets.
fn fingerprint(values: &[(String, String)]) -> [u8; 32] {
    let mut sorted: Vec<&(String, String)> = values.iter().collect();
    sorted.sort();
    let mut hash = Sha256::new();
    for (key, value) in sorted {
        hash.update(key.as_bytes());
        hash.update([0]);
        hash.update(value.as_bytes());
        hash.update([0]);
    }
    hash.finalize().into()
}
