//! "Test connection" for one instance: reachable, key accepted, version, and what it offers
//! (quality profiles, root folders, tags, language profiles on Sonarr v3) — for `usher check`
//! and the console's Test button. It also says whether the configured profile and folder exist.

use serde::Serialize;

use super::api::{pick_profile, pick_root_folder};
use super::error::ArrError;
use super::instances::{ArrClient, ArrInstance, ArrInstances};
use super::resources::{LanguageProfile, QualityProfile, RootFolder, Tag};
use crate::integrations::http::UpstreamError;

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionReport {
    /// Instance name.
    pub instance: &'static str,
    /// The server answered at all.
    pub reachable: bool,
    /// It accepted the API key.
    pub authorized: bool,
    /// It answered 401/403: the API key is wrong (as opposed to any other failure).
    pub key_refused: bool,
    /// Its version, e.g. `5.26.2.10099`.
    pub version: Option<String>,
    /// Quality profiles it offers.
    pub quality_profiles: Vec<QualityProfile>,
    /// Root folders it offers.
    pub root_folders: Vec<RootFolder>,
    /// Tags it has.
    pub tags: Vec<Tag>,
    /// Language profiles (Sonarr v3 only).
    pub language_profiles: Vec<LanguageProfile>,
    /// What is wrong, if anything: the failure, or a configured profile or folder it lacks.
    pub problems: Vec<String>,
}

impl ConnectionReport {
    fn empty(instance: &'static str) -> Self {
        Self {
            instance,
            reachable: false,
            authorized: false,
            key_refused: false,
            version: None,
            quality_profiles: Vec::new(),
            root_folders: Vec::new(),
            tags: Vec::new(),
            language_profiles: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Usable as configured.
    pub fn ok(&self) -> bool {
        self.reachable && self.authorized && self.problems.is_empty()
    }

    /// One line for `usher check`: `ok (5.26.2; 3 quality profiles, 1 root folder)`, or what
    /// is wrong.
    pub fn summary(&self) -> String {
        if !self.ok() {
            return self.problems.join("; ");
        }
        let version = self.version.as_deref().unwrap_or("unknown version");
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        format!(
            "ok ({version}; {}, {})",
            plural(self.quality_profiles.len(), "quality profile"),
            plural(self.root_folders.len(), "root folder")
        )
    }
}

impl ArrInstance {
    /// Tests the connection and loads what the instance offers. Never fails: a failure is
    /// described in the report.
    pub async fn test_connection(&self) -> ConnectionReport {
        let mut report = ConnectionReport::empty(self.name());
        if let Err(err) = self.load(&mut report).await {
            let upstream = err.upstream();
            if !report.reachable {
                report.reachable = !matches!(
                    upstream,
                    Some(
                        UpstreamError::Unreachable
                            | UpstreamError::Timeout
                            | UpstreamError::CircuitOpen { .. }
                    )
                );
            }
            report.key_refused = matches!(upstream, Some(UpstreamError::Unauthorized(_)));
            report.problems.push(err.kind.to_string());
        }
        report
    }

    async fn load(&self, report: &mut ConnectionReport) -> Result<(), ArrError> {
        let api = match &self.client {
            ArrClient::Radarr(c) => c.api(),
            ArrClient::Sonarr(c) => c.api(),
        };
        let status = api.status().await?;
        report.reachable = true;
        report.authorized = true;
        report.version = status.version.clone();
        report.quality_profiles = api.quality_profiles().await?;
        report.root_folders = api.root_folders().await?;
        report.tags = api.tags().await?;
        if let ArrClient::Sonarr(sonarr) = &self.client
            && status.major_version() == Some(3)
        {
            report.language_profiles = sonarr.language_profiles().await?;
        }
        let (profile, folder) = api.configured();
        if pick_profile(&report.quality_profiles, profile).is_none() {
            report.problems.push(match profile {
                Some(p) => format!("no quality profile {p:?}"),
                None => "no quality profile".to_owned(),
            });
        }
        if pick_root_folder(&report.root_folders, folder).is_none() {
            report.problems.push(match folder {
                Some(f) => format!("no root folder {f:?}"),
                None => "no root folder".to_owned(),
            });
        }
        Ok(())
    }
}

impl ArrInstances {
    /// Tests every instance at once.
    pub async fn test_connections(&self) -> Vec<ConnectionReport> {
        let mut tasks = Vec::new();
        for instance in self.iter() {
            let instance = instance.clone();
            tasks.push(tokio::spawn(
                async move { instance.test_connection().await },
            ));
        }
        let mut reports = Vec::with_capacity(tasks.len());
        for (task, instance) in tasks.into_iter().zip(self.iter()) {
            reports.push(task.await.unwrap_or_else(|e| {
                let mut report = ConnectionReport::empty(instance.name());
                report.problems.push(format!("the test stopped: {e}"));
                report
            }));
        }
        reports
    }
}
