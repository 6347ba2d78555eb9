//! The parts of Radarr's and Sonarr's resources Usher reads. Titles themselves stay
//! `serde_json::Value`s, so an update sends back every field the app gave us, even ones this
//! version of Usher does not know.

use serde::{Deserialize, Serialize};

/// `GET /api/v3/system/status`: who answered, and which version (Sonarr v3 and v4 differ).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemStatus {
    /// `Radarr` or `Sonarr`.
    pub app_name: Option<String>,
    /// The instance name set in the app's settings.
    pub instance_name: Option<String>,
    /// e.g. `5.26.2.10099`.
    pub version: Option<String>,
}

impl SystemStatus {
    /// The major version, when the app reported one.
    pub fn major_version(&self) -> Option<u32> {
        self.version
            .as_deref()?
            .split('.')
            .next()?
            .trim()
            .parse()
            .ok()
    }
}

/// A quality profile, chosen by name or id in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityProfile {
    /// Id used when adding.
    pub id: i64,
    /// Name shown in the app.
    pub name: Option<String>,
}

/// A root folder, chosen by path or id in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootFolder {
    /// Id, which the configuration may name instead of the path.
    pub id: i64,
    /// Path on the app's host, sent as `rootFolderPath`.
    pub path: Option<String>,
    /// Whether the app can write there.
    #[serde(default)]
    pub accessible: Option<bool>,
    /// Free bytes, for the console.
    #[serde(default)]
    pub free_space: Option<i64>,
}

/// A tag (Usher tags each title with its requester).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Id used in a title's `tags`.
    pub id: i64,
    /// Label, lower-case.
    pub label: Option<String>,
}

/// A Sonarr v3 language profile (v4 dropped them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageProfile {
    /// Id sent as `languageProfileId`.
    pub id: i64,
    /// Name shown in the app.
    pub name: Option<String>,
}

/// What a submission did upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// The title was not there and was added.
    Added,
    /// The title was there and now monitors more (seasons, or the movie itself).
    Updated,
    /// The title was there already with everything asked for.
    Unchanged,
}

/// Where a title now lives in an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    /// Movie or series id in the instance.
    pub id: i64,
    /// Added, updated or left alone.
    pub placement: Placement,
}

/// The id of a movie or series resource (0 or missing means "not in the library").
pub(crate) fn resource_id(resource: &serde_json::Value) -> Option<i64> {
    resource
        .get("id")
        .and_then(serde_json::Value::as_i64)
        .filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_version_reads_the_first_component() {
        let status = |v: &str| SystemStatus {
            version: Some(v.into()),
            ..SystemStatus::default()
        };
        assert_eq!(status("3.0.10.1567").major_version(), Some(3));
        assert_eq!(status("4.0.14.2939").major_version(), Some(4));
        assert_eq!(status("garbage").major_version(), None);
        assert_eq!(SystemStatus::default().major_version(), None);
    }
}
