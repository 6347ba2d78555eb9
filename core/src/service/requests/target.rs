//! Where an approver sends a request when not where the usual rule would ([`Target`]): the
//! instance, quality profile, root folder and tags, checked for what no *arr app could have
//! before anything is written.

use serde_json::json;

use crate::domain::Request;
use crate::error::{CoreError, CoreResult};

/// Where an approver sends a request, when not where the usual rule would: each part `None`
/// keeps the rule for that part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target<'a> {
    /// A Radarr/Sonarr instance by name (`radarr-4k`, `sonarr-anime`, …).
    pub instance: Option<&'a str>,
    /// A quality profile of that instance, by id or name.
    pub quality_profile: Option<&'a str>,
    /// A root folder of that instance, by id or path.
    pub root_folder: Option<&'a str>,
    /// Tag labels in place of the instance's configured ones (empty: none of them); the
    /// requester's tag is added either way.
    pub tags: Option<&'a [String]>,
}

/// Longest profile name or folder path accepted; the *arr apps' own are far shorter.
const MAX_TARGET_LEN: usize = 255;

impl Target<'_> {
    /// The parts an approver may choose, with their form names and words for messages.
    fn parts(&self) -> [(&'static str, &'static str, Option<&str>); 2] {
        [
            ("quality_profile", "quality profile", self.quality_profile),
            ("root_folder", "root folder", self.root_folder),
        ]
    }

    /// Refuses a profile or folder no *arr app could have (too long, or with control
    /// characters) and a tag the apps would not take as it is.
    pub(super) fn validate(&self) -> CoreResult<()> {
        for (_, what, value) in self.parts() {
            let Some(value) = value else { continue };
            if !plausible(value) {
                return Err(CoreError::Validation(format!("{value:?} is not a {what}")));
            }
        }
        if let Some(bad) = self.bad_tag() {
            return Err(CoreError::Validation(format!("{bad:?} is not a tag")));
        }
        Ok(())
    }

    /// The first tag label Radarr and Sonarr would not store as given.
    fn bad_tag(&self) -> Option<&str> {
        self.tags?
            .iter()
            .map(String::as_str)
            .find(|t| crate::integrations::arr::tag_label(t).as_deref() != Some(*t))
    }

    /// The tags as the request row keeps them (comma-separated), when chosen.
    pub(super) fn tags_column(&self) -> Option<String> {
        self.tags.map(|tags| tags.join(","))
    }

    /// Which part [`RequestService::approve_to`] refuses as impossible (`quality_profile` or
    /// `root_folder`), so a form can show the refusal beside that field; `None` when both are
    /// plausible (a refusal is then about the instance or the request).
    pub fn invalid_part(&self) -> Option<&'static str> {
        self.parts()
            .into_iter()
            .find(|(_, _, value)| value.is_some_and(|v| !plausible(v)))
            .map(|(name, _, _)| name)
            .or_else(|| self.bad_tag().map(|_| "tags"))
    }

    /// What the approval's audit row records: only the parts the approver chose.
    pub(super) fn audit_details(&self) -> serde_json::Value {
        let mut details = serde_json::Map::new();
        let parts = [
            ("instance", self.instance),
            ("quality_profile", self.quality_profile),
            ("root_folder", self.root_folder),
        ];
        for (key, value) in parts {
            if let Some(value) = value {
                details.insert(key.to_owned(), json!(value));
            }
        }
        if let Some(tags) = self.tags {
            details.insert("tags".to_owned(), json!(tags.join(", ")));
        }
        serde_json::Value::Object(details)
    }
}

/// Whether a profile or folder could exist in an *arr app.
fn plausible(value: &str) -> bool {
    !value.trim().is_empty()
        && value.len() <= MAX_TARGET_LEN
        && !value.chars().any(char::is_control)
}

/// Refuses an instance that does not exist or serves the other media type.
pub(super) fn check_instance(request: &Request, instance: Option<&str>) -> CoreResult<()> {
    let Some(name) = instance else {
        return Ok(());
    };
    match crate::integrations::arr::known_instance(name) {
        Some((_, serves)) if serves == request.media.media_type => Ok(()),
        Some(_) => Err(CoreError::Validation(format!(
            "{name} does not take {} requests",
            request.media.media_type
        ))),
        None => Err(CoreError::Validation(format!(
            "no instance is named {name:?}"
        ))),
    }
}
