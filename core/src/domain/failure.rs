//! What an upstream did on a request's last submission attempt, kept with the request so the
//! people who fix it read Radarr's or Sonarr's own answer — its HTTP status and message — and,
//! apart from it, whether Usher had paused its calls (the circuit breaker), instead of only
//! "failed". Every front end renders it as it is; none asks again.

use serde::{Deserialize, Serialize};

/// The circuit breaker of the upstream, as the last attempt found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Circuit {
    /// Calls went out; the upstream answered (or not) as [`UpstreamFailure`] says.
    Closed,
    /// Too many failures in a row: Usher pauses its calls for a while — the last attempt's
    /// failure paused them, or found them paused and made no call (then the answer shown is
    /// the last one the upstream gave before the pause).
    Open,
}

/// The last failed submission attempt of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamFailure {
    /// The upstream as operators name it: the instance (`radarr`, `sonarr-4k`) or `TMDB`.
    pub service: String,
    /// The HTTP status of its last answer; `None` when it gave none (not reachable, timed
    /// out) or the failure was Usher's own (no TVDB id, a profile it lacks).
    pub status: Option<u16>,
    /// What it said, in its own words (at most 300 characters from an HTTP answer), or what
    /// went wrong without an answer; may be empty when it sent a bare status.
    pub message: String,
    /// The circuit breaker as the last attempt left it.
    pub circuit: Circuit,
    /// Attempts made so far, the last one included.
    pub attempts: u32,
}

impl UpstreamFailure {
    /// Serialized for the `requests.last_failure` column.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The last attempt found the breaker open and no answer of its own: the answer shown is
    /// the one `previous` recorded (the status and words the upstream last gave), with this
    /// attempt's breaker state and count.
    #[must_use]
    pub fn or_previous(self, previous: Option<&UpstreamFailure>) -> Self {
        match previous {
            Some(previous)
                if self.circuit == Circuit::Open
                    && self.status.is_none()
                    && previous.service == self.service =>
            {
                Self {
                    status: previous.status,
                    message: previous.message.clone(),
                    ..self
                }
            }
            _ => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: Option<u16>, message: &str, circuit: Circuit) -> UpstreamFailure {
        UpstreamFailure {
            service: "radarr".into(),
            status,
            message: message.into(),
            circuit,
            attempts: 3,
        }
    }

    #[test]
    fn a_pause_without_an_answer_keeps_the_last_answer_seen() {
        let before = failure(Some(500), "disk is read-only", Circuit::Closed);
        let paused = failure(None, "", Circuit::Open).or_previous(Some(&before));
        assert_eq!(paused.status, Some(500));
        assert_eq!(paused.message, "disk is read-only");
        assert_eq!(paused.circuit, Circuit::Open);
        assert_eq!(paused.attempts, 3);
        let answered = failure(Some(400), "bad", Circuit::Closed).or_previous(Some(&before));
        assert_eq!(answered.status, Some(400), "a new answer wins");
        let round_trip: UpstreamFailure =
            serde_json::from_str(&paused.to_json()).expect("round trip");
        assert_eq!(round_trip, paused);
    }
}
