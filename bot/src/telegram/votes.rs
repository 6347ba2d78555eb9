//! Group voting: a request made from a group chat is announced there with an "I want this too"
//! button; each press is one core call ([`usher_core::service::RequestService::vote`]) that
//! counts the presser once (whichever platform they use), makes them a follower and may reach
//! the chat's threshold, which approves the request. The button shows the tally; it goes once
//! the request no longer waits.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::RequestId;
use usher_core::service::{Caller, OutcomeKind, RequestOutcome, VoteOutcome};

use super::Destination;
use super::context::{Answer, Context, place_of};
use super::render::{self, MAX_TEXT};
use crate::callback::Action;
use crate::flows::votes::{CardAfterVote, button_label};

/// After a request made from a group chat waits for approval: the card others vote on, posted
/// where the search card was (queued, not awaited: the press is answered first).
pub(super) fn announce(
    bot: &Bot,
    ctx: &Context,
    at: &Message,
    caller: &Caller,
    outcome: &RequestOutcome,
) {
    // Only where an admin set rules for the chat (`[[place]]`): other groups get no card.
    if outcome.kind != OutcomeKind::Created || outcome.place.is_none() {
        return;
    }
    let lang = caller.language.as_str();
    let args = [
        ("who", caller.user.display_name.clone()),
        ("title", outcome.request.media.title.clone()),
    ];
    let text = render::trim_chars(&ctx.catalog.text(lang, "bot-vote-card", &args), MAX_TEXT);
    let keyboard = button(ctx, lang, outcome.request.id, 1);
    let send = Destination::of(at)
        .message(bot, text)
        .reply_markup(keyboard);
    ctx.out.post(send, "a group's vote card");
}

/// "I want this too": votes through core; the card's tally follows, and the presser hears
/// what their vote did.
pub(super) async fn vote(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<Answer> {
    let at = q.regular_message();
    let place = at.and_then(|m| place_of(&m.chat));
    let id = RequestId(request_id);
    let outcome = ctx.services.requests.vote(&caller.actor, id, place).await?;
    if let Some(message) = at {
        refresh(bot, ctx, message, &caller.language, &outcome);
    }
    let text = crate::flows::votes::answer(&ctx.catalog, &caller.language, &outcome);
    Ok(Answer::toast(text))
}

/// The card after a vote: a new tally on the button, or no button once the request no longer
/// waits. Nothing is edited when nothing changed (Telegram refuses a no-op edit).
fn refresh(bot: &Bot, ctx: &Context, message: &Message, lang: &str, outcome: &VoteOutcome) {
    let edit = bot.edit_message_reply_markup(message.chat.id, message.id);
    let edit = match CardAfterVote::of(outcome) {
        CardAfterVote::Tally(votes) => {
            edit.reply_markup(button(ctx, lang, outcome.request.id, votes))
        }
        CardAfterVote::NoButton => edit,
        CardAfterVote::Unchanged => return,
    };
    ctx.out.post(edit, "a vote card's tally");
}

/// The one-button keyboard: "🙋 I want this too (n)".
fn button(ctx: &Context, lang: &str, id: RequestId, votes: u32) -> InlineKeyboardMarkup {
    let label = button_label(&ctx.catalog, lang, votes);
    let data = ctx.codec.encode(&Action::Vote { request_id: id.0 });
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(label, data)]])
}
