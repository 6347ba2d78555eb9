//! Why a Radarr/Sonarr call failed, always naming the instance, so an admin reading a Failed
//! request knows which server to look at.

use crate::error::CoreError;
use crate::integrations::http::UpstreamError;

/// A failure talking to one Radarr/Sonarr instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{instance}: {kind}")]
pub struct ArrError {
    /// Instance name (`radarr`, `radarr-4k`, `sonarr`, `sonarr-4k`, `sonarr-anime`).
    pub instance: &'static str,
    /// What went wrong.
    pub kind: ArrErrorKind,
}

/// The ways a Radarr/Sonarr submission can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArrErrorKind {
    /// The HTTP call failed (down, slow, wrong key, bad answer…).
    #[error(transparent)]
    Upstream(UpstreamError),
    /// The instance is not set up the way Usher was configured to use it (no such quality
    /// profile or root folder, no language profile, no instance for 4K…). Needs an operator.
    #[error("{0}")]
    Setup(String),
    /// The instance's metadata source does not know the title.
    #[error("{0} is not known to it")]
    UnknownTitle(String),
    /// The instance has the title but not yet what the request needs of it (a series just
    /// added whose episodes it is still fetching). Trying again shortly helps.
    #[error("{0}")]
    NotReady(String),
}

impl ArrError {
    /// An error of `instance`.
    pub fn new(instance: &'static str, kind: ArrErrorKind) -> Self {
        Self { instance, kind }
    }

    /// A setup problem of `instance`.
    pub fn setup(instance: &'static str, message: impl Into<String>) -> Self {
        Self::new(instance, ArrErrorKind::Setup(message.into()))
    }

    /// Whether trying again later could help; everything else needs a person.
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ArrErrorKind::Upstream(e) => e.is_transient(),
            ArrErrorKind::NotReady(_) => true,
            ArrErrorKind::Setup(_) | ArrErrorKind::UnknownTitle(_) => false,
        }
    }

    /// The HTTP failure, if this was one.
    pub fn upstream(&self) -> Option<&UpstreamError> {
        match &self.kind {
            ArrErrorKind::Upstream(e) => Some(e),
            _ => None,
        }
    }

    /// As a core error naming the instance.
    pub fn into_core(self) -> CoreError {
        CoreError::Upstream {
            service: self.instance,
            message: self.kind.to_string(),
        }
    }
}
