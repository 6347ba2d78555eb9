//! The shared secret inbound webhooks carry: `USHER_WEBHOOK_SECRET` when set, else one generated
//! on first start and stored sealed (setting `webhook_secret`), so every replica and every
//! restart agrees on it.

use secrecy::{ExposeSecret, SecretString};

use super::HookSource;
use crate::crypto::random_token;
use crate::error::{CoreError, CoreResult};
use crate::service::secrets::SecretSettings;

/// The sealed setting that holds a generated secret.
pub const SECRET_SETTING: &str = "webhook_secret";

/// The webhook secret: the configured one, else the stored one, else a new one stored now.
/// Two replicas starting at once both end up with the first one written.
pub async fn webhook_secret(
    configured: Option<&SecretString>,
    secrets: &SecretSettings,
) -> CoreResult<SecretString> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    if let Some(stored) = secrets.get(SECRET_SETTING).await? {
        return Ok(SecretString::from(stored));
    }
    secrets
        .put_if_absent(SECRET_SETTING, &random_token(32))
        .await?;
    secrets
        .get(SECRET_SETTING)
        .await?
        .map(SecretString::from)
        .ok_or_else(|| CoreError::Unexpected(anyhow::anyhow!("the webhook secret vanished")))
}

/// The URL each sender should post to, with the secret as `?token=` (for senders that cannot
/// set an `X-Usher-Token` header). Meant for the operator's terminal, never for logs.
pub fn webhook_urls(public_url: &str, secret: &SecretString) -> Vec<(HookSource, String)> {
    let base = public_url.trim_end_matches('/');
    HookSource::ALL
        .into_iter()
        .map(|source| {
            let url = format!(
                "{base}/hooks/{}?token={}",
                source.as_str(),
                secret.expose_secret()
            );
            (source, url)
        })
        .collect()
}
