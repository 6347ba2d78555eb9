//! Rotating a webhook agent's signing secret: a leaked secret lets anyone forge Usher's
//! deliveries, so an admin replaces it (console or CLI). The new secret is sealed under the
//! master key like the first one, returned this once for the receiver's configuration, and the
//! rotation is audited (never the secret). Deliveries signed from then on use the new one.

use secrecy::SecretString;
use serde_json::json;

use super::agents::{AgentService, audit_target, new_signing_secret};
use super::authz;
use crate::domain::{Actor, AgentKind, AgentName, AuditAction, Permission, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::store::{agents, audit, in_tx};

impl AgentService {
    /// Gives the webhook agent `name` a new signing secret and returns it (shown once);
    /// admins only. An unknown agent is `NotFound`; an agent of another kind (it has no
    /// signing secret) is a validation error; nothing is written then.
    pub async fn rotate_secret(&self, actor: &Actor, name: &str) -> CoreResult<SecretString> {
        let name = AgentName::parse(name)?;
        self.require_admin(actor).await?;
        let missing = || CoreError::NotFound(format!("notification agent {name}"));
        let row = agents::find(&self.db, name.as_str())
            .await?
            .ok_or_else(missing)?;
        if row.summary.kind != AgentKind::Webhook {
            return Err(CoreError::Validation(format!(
                "{name} is a {} agent: only webhooks have a signing secret",
                row.summary.kind.as_str()
            )));
        }
        let secret = new_signing_secret();
        let sealed = self.keys.seal(secret.as_bytes());
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let id = agents::replace_secret(tx, name.as_str(), &sealed, now)
                    .await?
                    .ok_or_else(missing)?;
                let action = AuditAction::AgentSecretRotated;
                let details = json!({ "id": id });
                audit::record(tx, actor, action, &audit_target(&name), &details, now).await
            })
        })
        .await?;
        Ok(SecretString::from(secret))
    }
}
