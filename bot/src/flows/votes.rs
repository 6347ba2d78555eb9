//! What a vote's presser is told and what its card becomes, the same on both platforms:
//! counted (and how many more the place needs), approved, already counted, the requester's own,
//! or no longer waiting.

use usher_core::i18n::Catalog;
use usher_core::service::{VoteKind, VoteOutcome};

/// The answer to an "I want this too" press.
pub fn answer(catalog: &Catalog, lang: &str, outcome: &VoteOutcome) -> String {
    let votes = ("votes", outcome.votes.to_string());
    match (outcome.kind, outcome.threshold) {
        (VoteKind::Counted, Some(needed)) => catalog.text(
            lang,
            "bot-vote-counted-of",
            &[votes, ("threshold", needed.to_string())],
        ),
        (VoteKind::Counted, None) => catalog.text(lang, "bot-vote-counted", &[votes]),
        (VoteKind::Approved, _) => catalog.text(lang, "bot-vote-approved", &[votes]),
        (VoteKind::AlreadyVoted, _) => catalog.text(lang, "bot-vote-already", &[votes]),
        (VoteKind::Requester, _) => catalog.text(lang, "bot-vote-requester", &[]),
        (VoteKind::Closed, _) => {
            let key = format!("status-{}", outcome.request.status.as_str());
            let status = catalog.text(lang, &key, &[]);
            catalog.text(lang, "bot-vote-closed", &[("status", status)])
        }
    }
}

/// What a vote card becomes after a press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAfterVote {
    /// The button stays, with this tally.
    Tally(u32),
    /// The button goes: the request no longer waits for votes.
    NoButton,
    /// Nothing changed (a second vote, the requester's own press): the card is left as it is.
    Unchanged,
}

impl CardAfterVote {
    /// The card after `outcome`.
    pub fn of(outcome: &VoteOutcome) -> Self {
        match outcome.kind {
            VoteKind::Counted => Self::Tally(outcome.votes),
            VoteKind::Approved | VoteKind::Closed => Self::NoButton,
            VoteKind::AlreadyVoted | VoteKind::Requester => Self::Unchanged,
        }
    }
}

/// The vote button's label: "🙋 I want this too (n)".
pub fn button_label(catalog: &Catalog, lang: &str, votes: u32) -> String {
    catalog.text(lang, "bot-vote-button", &[("votes", votes.to_string())])
}
