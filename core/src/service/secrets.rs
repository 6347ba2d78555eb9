//! Secrets edited in the console (API keys, tokens), sealed with the master key before they
//! reach the database, and re-sealed under the current key after a rotation, together with
//! the notification agents' secrets (signing secrets, tokens, SMTP passwords, `Authorization`
//! headers), so the previous key can be dropped once the server has started with the new one.

use std::sync::Arc;

use serde_json::Value;

use super::SecurityAlerts;
use crate::crypto::MasterKeys;
use crate::domain::{SecurityEvent, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::store::agents::{self, Resealed};
use crate::store::{Db, in_tx, settings};

/// Sealed settings storage.
#[derive(Clone, Debug)]
pub struct SecretSettings {
    db: Db,
    keys: Arc<MasterKeys>,
}

impl SecretSettings {
    /// Builds the store over a database and the instance keys.
    pub fn new(db: Db, keys: Arc<MasterKeys>) -> Self {
        Self { db, keys }
    }

    /// Stores a secret; only its sealed form is written.
    pub async fn put(&self, key: &str, secret: &str) -> CoreResult<()> {
        let sealed = self.keys.seal(secret.as_bytes());
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async { settings::put(tx, key, &sealed, true, now).await })
        })
        .await
    }

    /// Stores a secret only if none is stored under `key` yet; returns whether it was written.
    pub async fn put_if_absent(&self, key: &str, secret: &str) -> CoreResult<bool> {
        let sealed = self.keys.seal(secret.as_bytes());
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async { settings::insert_new(tx, key, &sealed, true, now).await })
        })
        .await
    }

    /// Reads a secret back; a value sealed with an unknown key is an error, not "unset".
    pub async fn get(&self, key: &str) -> CoreResult<Option<String>> {
        let Some(stored) = settings::get(&self.db, key).await? else {
            return Ok(None);
        };
        if !stored.secret {
            return Err(CoreError::Validation(format!(
                "setting {key} is not a secret"
            )));
        }
        let plain = self.keys.open(&stored.value).map_err(|e| {
            CoreError::Unexpected(anyhow::anyhow!("cannot open secret setting {key}: {e}"))
        })?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| CoreError::Unexpected(anyhow::anyhow!("secret setting {key} is not text")))
    }

    /// [`Self::reseal_all`], then, when a rotation re-sealed anything, a `secret_rotated`
    /// security alert (the count only) to the admins: a key rotation nobody planned is a sign
    /// of trouble. The alert is logged rather than failing the start when it cannot be queued.
    pub async fn reseal_all_and_alert(&self, alerts: &SecurityAlerts) -> CoreResult<usize> {
        let changed = self.reseal_all().await?;
        if changed > 0 {
            let resealed = u32::try_from(changed).unwrap_or(u32::MAX);
            alerts
                .report(SecurityEvent::SecretRotated { resealed })
                .await;
        }
        Ok(changed)
    }

    /// Re-seals every secret still sealed with the previous key (secret settings and
    /// notification agents' secrets); returns how many changed.
    pub async fn reseal_all(&self) -> CoreResult<usize> {
        Ok(self.reseal_settings().await? + self.reseal_agents().await?)
    }

    /// Re-seals the secret settings still sealed with the previous key.
    async fn reseal_settings(&self) -> CoreResult<usize> {
        let mut changed = 0;
        for stored in settings::all_secret(&self.db).await? {
            if self.keys.is_sealed_with_current(&stored.value) {
                continue;
            }
            if let Some(plain) = self.get(&stored.key).await? {
                self.put(&stored.key, &plain).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Re-seals agents' secrets and `Authorization` headers still sealed with the previous
    /// key, and seals the headers rows saved before they were sealed kept in clear in their
    /// options; returns how many values changed.
    async fn reseal_agents(&self) -> CoreResult<usize> {
        let mut changed = 0;
        for row in agents::list(&self.db).await? {
            let secret = self.fresh(row.sealed_secret.as_deref())?;
            let mut auth = self.fresh(row.sealed_auth.as_deref())?;
            let mut options = row.summary.options.clone();
            let legacy = options
                .as_object_mut()
                .and_then(|map| map.remove("auth_header"));
            if let Some(Value::String(plain)) = &legacy
                && row.sealed_auth.is_none()
                && !plain.is_empty()
            {
                auth = Some(self.keys.seal(plain.as_bytes()));
            }
            let values = usize::from(secret.is_some()) + usize::from(auth.is_some());
            if values == 0 && legacy.is_none() {
                continue;
            }
            let write = Resealed {
                id: row.summary.id,
                sealed_secret: secret.as_deref().or(row.sealed_secret.as_deref()),
                sealed_auth: auth.as_deref().or(row.sealed_auth.as_deref()),
                options: &options,
            };
            in_tx(&self.db, |tx| {
                Box::pin(async { agents::reseal(tx, &write).await })
            })
            .await?;
            changed += values.max(1);
        }
        Ok(changed)
    }

    /// `sealed` sealed again with the current key, or `None` when it already is (or is absent).
    fn fresh(&self, sealed: Option<&str>) -> CoreResult<Option<String>> {
        match sealed {
            Some(sealed) if !self.keys.is_sealed_with_current(sealed) => {
                let plain = self.keys.open(sealed).map_err(|e| {
                    CoreError::Unexpected(anyhow::anyhow!("cannot open an agent's secret: {e}"))
                })?;
                Ok(Some(self.keys.seal(&plain)))
            }
            _ => Ok(None),
        }
    }
}
