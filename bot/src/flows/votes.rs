//! What a vote's presser is told, the same on both platforms: counted (and how many more the
//! place needs), approved, already counted, the requester's own, or no longer waiting.

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
