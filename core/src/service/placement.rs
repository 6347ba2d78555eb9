//! Pick lists for an approval: which quality profiles, root folders (with free space) and tags
//! the request's Radarr/Sonarr instance offers, so an approver chooses from what exists instead
//! of typing a name that fails the request later; and approve/retry calls that refuse a value
//! the instance does not offer before anything is written.
//!
//! The lists are remembered per instance for [`LISTS_TTL`] (a page view and the press that
//! follows it make one set of upstream calls). An instance that cannot be reached does not stop
//! an approval: the lists say why they are missing, and the instance's own choices apply.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use super::authz;
use super::requests::{RequestService, Target, load};
use crate::domain::{Actor, Permission, Request, RequestId};
use crate::error::CoreResult;
use crate::integrations::arr::{
    ArrError, ArrInstance, ArrInstances, QualityProfile, RootFolder, Tag, known_instance,
    pick_profile, pick_root_folder,
};
use crate::integrations::http::UpstreamError;
use crate::store::{Db, in_tx};

/// How long an instance's lists are trusted: long enough for a page and its form post, short
/// enough that a profile created upstream shows up at the next look.
pub const LISTS_TTL: Duration = Duration::from_secs(60);

/// How long a page waits for the lists: an instance that hangs costs the approver this much
/// once, and the form then offers the defaults (a refused connection answers at once).
pub const LISTS_WAIT: Duration = Duration::from_secs(3);

/// What one instance offers, and what it would use when the approver picks nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickLists {
    /// Instance name (`radarr`, `sonarr-anime`, …).
    pub instance: &'static str,
    /// Quality profiles, in the instance's order.
    pub profiles: Vec<QualityProfile>,
    /// Root folders, with their free space.
    pub folders: Vec<RootFolder>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// The configured profile (name or id), if any; else the instance's first is used.
    pub configured_profile: Option<String>,
    /// The configured root folder (path or id), if any; else the first.
    pub configured_folder: Option<String>,
    /// The configured tag labels.
    pub configured_tags: Vec<String>,
}

impl PickLists {
    /// The profile an approval without a pick gets.
    pub fn default_profile(&self) -> Option<&QualityProfile> {
        pick_profile(&self.profiles, self.configured_profile.as_deref())
    }

    /// The root folder an approval without a pick gets.
    pub fn default_folder(&self) -> Option<&RootFolder> {
        pick_root_folder(&self.folders, self.configured_folder.as_deref())
    }

    /// Whether the instance has a tag with this label (the apps compare case-insensitively).
    pub fn has_tag(&self, label: &str) -> bool {
        self.tags.iter().any(|t| {
            t.label
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(label))
        })
    }

    /// Whether `tags` are the configured tags (order and case aside).
    fn are_configured(&self, tags: &[String]) -> bool {
        let set = |list: &[String]| {
            let mut lower: Vec<String> = list.iter().map(|t| t.to_ascii_lowercase()).collect();
            lower.sort();
            lower.dedup();
            lower
        };
        set(tags) == set(&self.configured_tags)
    }

    /// The first part of `target` this instance does not offer: the form field and why.
    fn refuse(&self, target: &Target<'_>) -> Option<NotOffered> {
        let instance = self.instance;
        if let Some(profile) = target.quality_profile
            && pick_profile(&self.profiles, Some(profile)).is_none()
        {
            return Some(NotOffered {
                field: "quality_profile",
                message: format!("{instance} has no quality profile {profile:?}"),
            });
        }
        if let Some(folder) = target.root_folder
            && pick_root_folder(&self.folders, Some(folder)).is_none()
        {
            return Some(NotOffered {
                field: "root_folder",
                message: format!("{instance} has no root folder {folder:?}"),
            });
        }
        let missing = target
            .tags
            .unwrap_or_default()
            .iter()
            .find(|t| !self.has_tag(t));
        missing.map(|tag| NotOffered {
            field: "tags",
            message: format!("{instance} has no tag {tag:?}"),
        })
    }
}

/// The pick lists of a request's instance, or why there are none.
#[derive(Debug, Clone)]
pub struct PlacementChoices {
    /// The instance the lists are for; `None` when none is configured for the request.
    pub instance: Option<&'static str>,
    /// The lists, or the instance's answer when they could not be loaded.
    pub lists: Result<Arc<PickLists>, String>,
}

/// A value the instance does not offer, refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotOffered {
    /// The form field at fault: `quality_profile`, `root_folder` or `tags`.
    pub field: &'static str,
    /// Why, in words for the approver.
    pub message: String,
}

/// Approvals and retries with a placement checked against the instance.
#[derive(Clone, Debug)]
pub struct PlacementService {
    db: Db,
    requests: RequestService,
    arr: Arc<ArrInstances>,
    lists: Cache<&'static str, Arc<PickLists>>,
}

impl PlacementService {
    /// Over the database and the configured instances (none: every list says so).
    pub fn new(db: Db, requests: RequestService, arr: Arc<ArrInstances>) -> Self {
        Self {
            db,
            requests,
            arr,
            lists: Cache::builder()
                .max_capacity(8)
                .time_to_live(LISTS_TTL)
                .build(),
        }
    }

    /// The same service over other instances (the binary's, a test's fakes).
    #[must_use]
    pub fn with_instances(self, arr: Arc<ArrInstances>) -> Self {
        Self::new(self.db, self.requests, arr)
    }

    /// The same service deciding through `requests` (one with announcements on, say).
    #[must_use]
    pub fn with_requests(mut self, requests: RequestService) -> Self {
        self.requests = requests;
        self
    }

    /// What the instance of request `id` offers — the instance named `instance` if the
    /// approver picked one, else the one stored on the request, else the usual rule's. For
    /// approvers only; an instance that cannot be reached gives its answer instead of lists.
    pub async fn choices(
        &self,
        actor: &Actor,
        id: RequestId,
        instance: Option<&str>,
    ) -> CoreResult<PlacementChoices> {
        let request = self.approvable(actor, id).await?;
        let Some(found) = self.instance_for(&request, instance) else {
            let text = match instance.or(request.target_instance.as_deref()) {
                Some(name) => format!("{name} is not configured"),
                None => format!("no {} instance is configured", request.media.media_type),
            };
            return Ok(PlacementChoices {
                instance: None,
                lists: Err(text),
            });
        };
        Ok(PlacementChoices {
            instance: Some(found.name()),
            lists: self.lists_of(found).await.map_err(|e| e.to_string()),
        })
    }

    /// Approves a pending request to `target` ([`RequestService::approve_to`]) once its
    /// instance is found to offer the chosen profile, folder and tags; a value it does not
    /// offer is refused and nothing is written. Tags equal to the configured ones count as no
    /// pick. When the lists cannot be loaded the values are passed on unchecked (the
    /// submission then says what the instance made of them).
    pub async fn approve(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'_>,
    ) -> CoreResult<Result<Request, NotOffered>> {
        match self.settle(actor, id, target).await? {
            Ok(target) => self.requests.approve_to(actor, id, &target).await.map(Ok),
            Err(refused) => Ok(Err(refused)),
        }
    }

    /// Retries a failed request to `target` ([`RequestService::retry_to`]: the placement is
    /// restated, `None` being the instance's choice), checked like [`Self::approve`].
    pub async fn retry(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'_>,
    ) -> CoreResult<Result<Request, NotOffered>> {
        match self.settle(actor, id, target).await? {
            Ok(target) => self.requests.retry_to(actor, id, &target).await.map(Ok),
            Err(refused) => Ok(Err(refused)),
        }
    }

    /// `target` as it should be written, or the part the instance does not offer.
    async fn settle<'t>(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'t>,
    ) -> CoreResult<Result<Target<'t>, NotOffered>> {
        let request = self.approvable(actor, id).await?;
        let picked = target.quality_profile.is_some()
            || target.root_folder.is_some()
            || target.tags.is_some();
        // Implausible values are RequestService's to refuse, with its own words.
        if !picked || target.invalid_part().is_some() {
            return Ok(Ok(*target));
        }
        let Some(instance) = self.instance_for(&request, target.instance) else {
            return Ok(Ok(*target));
        };
        let lists = match self.lists_of(instance).await {
            Ok(lists) => lists,
            Err(err) => {
                tracing::info!(request = %id, error = %err, "placement not checked: lists unavailable");
                return Ok(Ok(*target));
            }
        };
        if let Some(refused) = lists.refuse(target) {
            return Ok(Err(refused));
        }
        let configured = target.tags.is_some_and(|tags| lists.are_configured(tags));
        Ok(Ok(if configured {
            Target {
                tags: None,
                ..*target
            }
        } else {
            *target
        }))
    }

    /// The request, if the caller may decide on it.
    async fn approvable(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor)
                    .await?
                    .require(Permission::Approve)?;
                load(tx, id).await
            })
        })
        .await
    }

    /// The instance a request goes to: the one asked for (if configured and serving the
    /// request's media type), the stored one, or the usual rule's (anime not yet known).
    fn instance_for(&self, request: &Request, asked: Option<&str>) -> Option<&ArrInstance> {
        let media_type = request.media.media_type;
        let named = asked
            .or(request.target_instance.as_deref())
            .filter(|name| known_instance(name).is_some_and(|(_, serves)| serves == media_type));
        match named {
            Some(name) => self.arr.get(name),
            None => self.arr.choose(media_type, request.four_k, false).ok(),
        }
    }

    /// The instance's lists, from the cache or three calls made together.
    async fn lists_of(&self, instance: &ArrInstance) -> Result<Arc<PickLists>, ArrError> {
        let name = instance.name();
        self.lists
            .try_get_with(name, async {
                let api = instance.api();
                let all = async {
                    tokio::try_join!(api.quality_profiles(), api.root_folders(), api.tags())
                };
                let (profiles, folders, tags) = tokio::time::timeout(LISTS_WAIT, all)
                    .await
                    .map_err(|_| api.fail(UpstreamError::Timeout))??;
                let (profile, folder) = api.configured();
                Ok(Arc::new(PickLists {
                    instance: name,
                    profiles,
                    folders,
                    tags,
                    configured_profile: profile.map(str::to_owned),
                    configured_folder: folder.map(str::to_owned),
                    configured_tags: instance.configured_tags().to_vec(),
                }))
            })
            .await
            .map_err(|e: Arc<ArrError>| (*e).clone())
    }
}
