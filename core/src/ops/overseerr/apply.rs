//! Carries out a [`Plan`] in the caller's transaction: users, their accounts, roles and quotas,
//! then requests with their claims, an audit row (source `cli`) for each thing created, and the
//! `imports` rows that make the next run skip them. Nothing goes to the outbox: an import tells
//! no one, and Overseerr already sent approved requests to Radarr/Sonarr.

use serde_json::json;

use super::plan::{Plan, Who};
use crate::domain::{Actor, AuditAction, Identity, RequestStatus, Seasons, Source, Timestamp};
use crate::domain::{MediaType, UserId};
use crate::error::{CoreError, CoreResult};
use crate::store::imports::{self, ImportKind, ImportedRequest};
use crate::store::{Tx, audit, users};

/// What an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Users created.
    pub users_created: usize,
    /// Existing Usher users the source users were matched to.
    pub users_matched: usize,
    /// Discord/Telegram accounts attached.
    pub identities: usize,
    /// Requests created.
    pub requests: usize,
    /// Requests whose title another active request already holds: kept as history, without
    /// holding the title.
    pub duplicates: usize,
}

/// Writes the plan.
pub async fn apply(tx: &mut Tx, plan: &Plan, now: Timestamp) -> CoreResult<Applied> {
    let actor = Actor {
        user: None,
        source: Source::Cli,
    };
    let mut done = Applied::default();
    let mut created: Vec<UserId> = Vec::with_capacity(plan.users.len());
    for step in &plan.users {
        let user_id = match step.existing {
            Some(id) => {
                done.users_matched += 1;
                id
            }
            None => {
                let user = users::insert_user(tx, &step.display_name, step.created_at).await?;
                done.users_created += 1;
                let details = json!({
                    "imported_from": plan.source_key, "source_id": step.source_id, "role": step.role,
                    "identities": step.identities.iter().map(|(p, id)| format!("{p}:{id}")).collect::<Vec<_>>(),
                });
                let target = format!("user:{}", user.id);
                audit::record(tx, &actor, AuditAction::UserCreated, &target, &details, now).await?;
                user.id
            }
        };
        let target = format!("user:{user_id}");
        for (platform, external_id) in &step.identities {
            let identity = Identity {
                user_id,
                platform: *platform,
                external_id: external_id.clone(),
                display: step.display_name.clone(),
            };
            users::insert_identity(tx, &identity, now).await?;
            done.identities += 1;
            if step.existing.is_some() {
                let details = json!({ "imported_from": plan.source_key, "platform": platform, "external_id": external_id });
                audit::record(
                    tx,
                    &actor,
                    AuditAction::IdentityLinked,
                    &target,
                    &details,
                    now,
                )
                .await?;
            }
        }
        if let Some(role) = step.role {
            let role_id = users::role_id(tx, role).await?;
            if users::grant_role(tx, user_id, role_id).await? && step.existing.is_some() {
                let details = json!({ "imported_from": plan.source_key, "role": role });
                audit::record(tx, &actor, AuditAction::RoleGranted, &target, &details, now).await?;
            }
        }
        for (scope, limit) in &step.quotas {
            users::set_user_limit(tx, user_id, *scope, Some(*limit)).await?;
            let details =
                json!({ "imported_from": plan.source_key, "scope": scope.key(), "limit": limit });
            audit::record(
                tx,
                &actor,
                AuditAction::QuotaChanged,
                &target,
                &details,
                now,
            )
            .await?;
        }
        let key = step.source_id.to_string();
        imports::record(tx, &plan.source_key, ImportKind::User, &key, user_id.0, now).await?;
        created.push(user_id);
    }
    let resolve = |who: Who| -> CoreResult<UserId> {
        match who {
            Who::Existing(id) => Ok(id),
            Who::New(index) => created.get(index).copied().ok_or_else(|| {
                CoreError::Unexpected(anyhow::anyhow!("import plan names user {index}"))
            }),
        }
    };
    for step in &plan.requests {
        let available = match (step.status, step.media.media_type) {
            (RequestStatus::Available, MediaType::Movie) => Seasons::new([0]),
            (RequestStatus::Available, MediaType::Tv) => step.seasons.clone(),
            _ => Seasons::default(),
        };
        let row = ImportedRequest {
            media: &step.media,
            seasons: &step.seasons,
            four_k: step.four_k,
            status: step.status,
            requested_by: resolve(step.requested_by)?,
            source: step.platform,
            decided_by: step.decided_by.map(resolve).transpose()?,
            last_error: (step.status == RequestStatus::Failed)
                .then_some("failed in Overseerr before the import"),
            available_seasons: &available,
            created_at: step.created_at,
            updated_at: step.updated_at,
        };
        let (id, inactive) = imports::insert_request(tx, &row).await?;
        done.requests += 1;
        if inactive > 0 {
            done.duplicates += 1;
        }
        let details = json!({
            "imported_from": plan.source_key, "source_id": step.source_id,
            "source_status": step.source_status, "status": step.status,
            "title_placeholder": true, "duplicate_of_active_request": inactive > 0,
        });
        let target = format!("request:{id}");
        audit::record(
            tx,
            &actor,
            AuditAction::RequestCreated,
            &target,
            &details,
            now,
        )
        .await?;
        let key = step.source_id.to_string();
        imports::record(tx, &plan.source_key, ImportKind::Request, &key, id.0, now).await?;
    }
    Ok(done)
}
