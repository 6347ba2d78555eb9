//! What a receiver answered, or why nothing was: shared by the HTTP senders and e-mail, read by
//! the notifier (retry or not) and the Test button (shown as is).

/// The most bytes of a receiver's body kept in an [`Answer`].
pub const BODY_HEAD: usize = 200;

/// What the receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status (or the SMTP reply code for e-mail).
    pub status: u16,
    /// The first [`BODY_HEAD`] bytes of its body (or the SMTP reply text), lossily decoded.
    pub body: String,
    /// Whether `status` is an SMTP reply code rather than an HTTP status.
    pub smtp: bool,
}

impl Answer {
    /// Whether the receiver took it (2xx; SMTP 2xx).
    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether asking again later may succeed: HTTP rate limits, timeouts and server trouble
    /// (408, 429, 5xx); SMTP's transient replies (4xx).
    pub fn transient(&self) -> bool {
        if self.smtp {
            (400..500).contains(&self.status)
        } else {
            self.status == 408 || self.status == 429 || self.status >= 500
        }
    }
}

/// Why nothing was answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The receiver could not be reached (connection refused, timeout, DNS): worth retrying.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The agent's settings cannot make a message (a bad address, a missing secret): retrying
    /// will not help until an admin fixes it.
    #[error("cannot send: {0}")]
    Invalid(String),
}
