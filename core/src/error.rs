//! The one error type of usher-core. Front ends map each variant once: the web crate to an HTTP
//! status, the bots to a localized message.

use crate::domain::{IssueRefusal, QuotaExceeded, RequestStatus, UserId};

/// Why a core operation did not happen. Nothing was written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The thing does not exist (or the caller may not know it exists).
    #[error("{0} not found")]
    NotFound(String),
    /// The caller lacks a permission.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// Bad input from a front end or an operator.
    #[error("invalid input: {0}")]
    Validation(String),
    /// A uniqueness or state conflict that is not one of the specific cases below.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request is not in a state that allows this move.
    #[error("a {from} request cannot become {to}")]
    IllegalTransition {
        /// Current status.
        from: RequestStatus,
        /// Attempted status.
        to: RequestStatus,
    },
    /// Another approver decided first; says who, so the loser can be told.
    #[error("already {status} by user {by:?}")]
    AlreadyDecided {
        /// The status the winner set.
        status: RequestStatus,
        /// Who decided.
        by: Option<UserId>,
    },
    /// The same user asked for the same thing again.
    #[error("you already requested this")]
    AlreadyRequested,
    /// The title is already in the library.
    #[error("already available")]
    AlreadyAvailable,
    /// Over quota; carries when the next slot frees.
    #[error("quota reached ({} per {} days)", .0.limit.max, .0.limit.days)]
    QuotaExceeded(QuotaExceeded),
    /// Over the shared budget of the place (group chat or server) the request was made from;
    /// carries when the oldest counted request leaves the window.
    #[error("this place's budget is reached ({} per {} days)", .0.limit.max, .0.limit.days)]
    BudgetExceeded(QuotaExceeded),
    /// An issue report or resolution the issue rules refuse (see [`IssueRefusal`]).
    #[error("{0}")]
    IssueRefused(IssueRefusal),
    /// The title is outside the person's content limit: it is not offered to them, and a card
    /// or request for it by id answers "not available to you".
    #[error("not available to you")]
    NotOffered,
    /// An upstream (Radarr, TMDB, …) failed; nothing was done, and the person may try again.
    #[error("{service} failed: {message}")]
    Upstream {
        /// Which upstream.
        service: &'static str,
        /// What went wrong, without secrets.
        message: String,
    },
    /// The database could not be reached or answered unexpectedly.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Anything else; a bug or an environment problem.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl CoreError {
    /// True for errors worth retrying as a whole transaction (lock timeouts, serialization
    /// failures, SQLite busy), so services can retry them instead of failing a user action.
    pub fn is_transient(&self) -> bool {
        let CoreError::Database(err) = self else {
            return false;
        };
        let Some(db) = err.as_database_error() else {
            return matches!(err, sqlx::Error::PoolTimedOut);
        };
        matches!(
            db.code().as_deref(),
            Some("40001" | "40P01" | "5" | "6" | "517" | "261" | "262")
        )
    }
}

impl CoreError {
    /// True when the database's storage itself failed (a full disk, an I/O error, a read-only
    /// or corrupt file), so no write can succeed until an operator acts; `/readyz` reports it.
    pub fn is_storage_failure(&self) -> bool {
        match self {
            CoreError::Database(err) => storage_failed(err),
            _ => false,
        }
    }
}

/// [`CoreError::is_storage_failure`] on the driver's error, for the store's single statements
/// that see it before it becomes a [`CoreError`].
pub(crate) fn storage_failed(err: &sqlx::Error) -> bool {
    if matches!(err, sqlx::Error::Io(_)) {
        return true;
    }
    let Some(code) = err.as_database_error().and_then(|db| db.code()) else {
        return false;
    };
    // PostgreSQL's SQLSTATEs have five characters: classes 53 (insufficient resources:
    // disk full, out of memory) and 58 (I/O error). SQLite reports extended result codes
    // (below 10 000) whose low byte is the primary one: READONLY (8), IOERR (10), CORRUPT
    // (11), FULL (13), CANTOPEN (14), NOTADB (26).
    if code.len() == 5 {
        return code.starts_with("53") || code.starts_with("58");
    }
    code.parse::<u32>()
        .is_ok_and(|sqlite| matches!(sqlite & 0xff, 8 | 10 | 11 | 13 | 14 | 26))
}

impl From<sqlx::Error> for CoreError {
    fn from(err: sqlx::Error) -> Self {
        if let Some(db) = err.as_database_error()
            && db.is_unique_violation()
        {
            return CoreError::Conflict(db.constraint().unwrap_or("unique constraint").to_owned());
        }
        CoreError::Database(err)
    }
}

/// Result alias for core operations.
pub type CoreResult<T> = Result<T, CoreError>;
