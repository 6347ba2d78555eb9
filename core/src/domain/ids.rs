//! Identifier newtypes, so a user id can never be passed where a request id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

row_id!(
    /// A user of Usher, whatever platforms they reach us from.
    UserId
);
row_id!(
    /// One media request; stable across its whole lifecycle.
    RequestId
);
row_id!(
    /// A named set of permissions and quotas.
    RoleId
);
row_id!(
    /// A search a chat card pages through (see `service::searches`).
    SearchId
);
row_id!(
    /// A member's report of a problem with a title the library holds (see `service::issues`).
    IssueId
);

/// A TMDB id: the one key every front end and upstream agrees on for a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TmdbId(u32);

impl TmdbId {
    /// Accepts only positive ids: TMDB never hands out 0, so 0 means a forged or broken input.
    pub fn parse(raw: i64) -> Result<Self, CoreError> {
        match u32::try_from(raw) {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(CoreError::Validation(format!("{raw} is not a TMDB id"))),
        }
    }

    /// The raw number, for storage and upstream calls.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for TmdbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A TVDB id: Sonarr adds series by it, so TV requests carry it once known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TvdbId(u32);

impl TvdbId {
    /// Accepts only positive ids, as [`TmdbId::parse`] does.
    pub fn parse(raw: i64) -> Result<Self, CoreError> {
        match u32::try_from(raw) {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(CoreError::Validation(format!("{raw} is not a TVDB id"))),
        }
    }

    /// The raw number, for storage and upstream calls.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ids_refuse_zero_negative_and_overflow() {
        assert!(TmdbId::parse(0).is_err());
        assert!(TmdbId::parse(-5).is_err());
        assert!(TmdbId::parse(i64::from(u32::MAX) + 1).is_err());
        assert_eq!(TmdbId::parse(438631).map(TmdbId::get).ok(), Some(438631));
        assert!(TvdbId::parse(0).is_err());
        assert_eq!(TvdbId::parse(81189).map(TvdbId::get).ok(), Some(81189));
    }
}
