//! Discord's 3-second rule: every interaction is acknowledged in time even when an upstream
//! (TMDB) is slow. The handler runs in its own task; if it has not answered within
//! [`ACK_WITHIN`], Discord gets a deferral instead — type 5 (ephemeral "thinking…") for a
//! command, type 6 for a button press or a modal submit — and the handler's answer follows
//! through the interaction webhook once it is ready: an edit of `@original`, or an ephemeral
//! follow-up for a notice after a press. Autocomplete cannot be deferred: a slow one answers
//! with no choices (the search goes on and warms the cache for the next keystroke). The work
//! itself is whatever the caller hands over (the dispatcher), so this module knows no feature.

use std::time::Duration;

use serde_json::Value;
use serenity::builder::{
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::Interaction;

use super::DiscordBot;

/// How long a handler may take before the interaction is deferred: Discord allows 3 s from its
/// side, and the answer still has to travel back.
const ACK_WITHIN: Duration = Duration::from_millis(2000);

/// What a late handler's answer becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A command, deferred with type 5: the answer replaces the "thinking…" message.
    Command,
    /// A press or modal submit, deferred with type 6: an update edits the pressed message, a
    /// notice becomes an ephemeral follow-up.
    Press,
}

/// How to acknowledge an interaction that is not answered in time.
enum Plan {
    /// Nothing to defer (PING): wait for the answer.
    Wait,
    /// Autocomplete: answer with no choices.
    NoChoices,
    /// Defer, then finish through the webhook of this application and token.
    Defer {
        kind: Kind,
        application_id: u64,
        token: String,
        locale: String,
    },
}

fn plan(interaction: &Interaction) -> Plan {
    let defer = |kind, application_id: u64, token: &str, locale: &str| Plan::Defer {
        kind,
        application_id,
        token: token.to_owned(),
        locale: locale.to_owned(),
    };
    match interaction {
        Interaction::Command(c) => {
            defer(Kind::Command, c.application_id.get(), &c.token, &c.locale)
        }
        Interaction::Component(p) => {
            defer(Kind::Press, p.application_id.get(), &p.token, &p.locale)
        }
        Interaction::Modal(m) => defer(Kind::Press, m.application_id.get(), &m.token, &m.locale),
        Interaction::Autocomplete(_) => Plan::NoChoices,
        _ => Plan::Wait,
    }
}

/// Answers `interaction` within [`ACK_WITHIN`]: the answer `work` makes of it when that is
/// ready, else the deferral, with the answer following later through the interaction webhook.
pub(in crate::discord) async fn answer<W, F>(
    bot: &DiscordBot,
    interaction: Interaction,
    work: W,
) -> CreateInteractionResponse
where
    W: FnOnce(Interaction) -> F,
    F: Future<Output = CreateInteractionResponse> + Send + 'static,
{
    let plan = plan(&interaction);
    let mut work = tokio::spawn(work(interaction));
    let late = match tokio::time::timeout(ACK_WITHIN, &mut work).await {
        Ok(done) => return finished(bot, done),
        Err(_) => plan,
    };
    match late {
        Plan::Wait => finished(bot, work.await),
        Plan::NoChoices => {
            CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new())
        }
        Plan::Defer {
            kind,
            application_id,
            token,
            locale,
        } => {
            let bot = bot.clone();
            tokio::spawn(async move {
                let answer = finished(&bot, work.await);
                let to = Webhook {
                    application_id,
                    token: &token,
                    lang: bot.lang(&locale),
                };
                follow_up(&bot, kind, &to, answer).await;
            });
            match kind {
                Kind::Command => CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                ),
                Kind::Press => CreateInteractionResponse::Acknowledge,
            }
        }
    }
}

/// The handler's answer, or a notice when its task panicked (never an unanswered interaction).
fn finished(
    bot: &DiscordBot,
    done: Result<CreateInteractionResponse, tokio::task::JoinError>,
) -> CreateInteractionResponse {
    done.unwrap_or_else(|err| {
        tracing::error!(error = %err, "discord interaction handler failed");
        bot.notice(usher_core::i18n::FALLBACK, "error-internal")
    })
}

/// Where a late answer goes, and the language of a notice about it.
struct Webhook<'a> {
    application_id: u64,
    token: &'a str,
    lang: String,
}

/// Attempts at a late answer that meets network trouble or Discord's own errors (rate limits
/// are waited out inside each attempt); with the backoff below they span about a minute,
/// well inside the interaction token's 15 minutes.
const FOLLOW_UP_ATTEMPTS: u32 = 6;
/// Wait before the second attempt, doubled for each further one.
const FOLLOW_UP_BACKOFF: Duration = Duration::from_secs(1);

/// Delivers a late answer through the interaction's webhook, trying again while the failure
/// is transient; one that still fails is logged as an error, never dropped silently.
async fn follow_up(
    bot: &DiscordBot,
    kind: Kind,
    to: &Webhook<'_>,
    answer: CreateInteractionResponse,
) {
    let (application_id, token) = (to.application_id, to.token);
    let value = match serde_json::to_value(&answer) {
        Ok(value) => value,
        Err(err) => {
            tracing::error!(error = %err, "could not serialize a late Discord answer");
            return;
        }
    };
    let data = value.get("data").cloned().unwrap_or(Value::Null);
    let rest = bot.rest();
    let (edit, data) = match (kind, value["type"].as_u64()) {
        // The command's own answer, or the pressed message's new state.
        (Kind::Command, Some(4)) | (Kind::Press, Some(7)) => (true, data),
        // A notice after a press: only the presser sees it, below the message.
        (Kind::Press, Some(4)) => (false, data),
        // A modal can only be the first answer: ask to press again (it is quick the next time).
        _ => {
            let text = bot.text(&to.lang, "discord-too-slow", &[]);
            (false, serde_json::json!({ "content": text, "flags": 64 }))
        }
    };
    let mut wait = FOLLOW_UP_BACKOFF;
    for attempt in 1..=FOLLOW_UP_ATTEMPTS {
        let sent = if edit {
            rest.edit_original(application_id, token, &data).await
        } else {
            rest.follow_up(application_id, token, &data).await
        };
        match sent {
            Ok(()) => return,
            Err(err) if err.is_transient() && attempt < FOLLOW_UP_ATTEMPTS => {
                tracing::info!(error = %err, attempt, "a deferred Discord answer will be retried");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(err) => {
                tracing::error!(error = %err, attempt, "could not deliver a deferred Discord answer");
                return;
            }
        }
    }
}
