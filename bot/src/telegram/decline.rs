//! Declining with a reason of the approver's own. "Other reason…" in the decline picker opens a
//! conversation (this approver, in this chat, is typing the reason for request N; stored by
//! [`super::dialogue`], so it survives a restart and works on any replica) and posts a
//! force-reply prompt naming the approver, in the card's forum topic when it has one. Their
//! reply to it becomes the reason: core declines the request, the approver card shows the
//! outcome, the approver hears back in the reply's topic, and the requester's DM carries the
//! reason.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, ForceReply, Me, MessageId};
use usher_core::CoreError;
use usher_core::domain::RequestId;
use usher_core::service::Caller;

use super::context::{Answer, Context, display_name, moved_on, show_decided};
use super::dialogue::{self, Conversation, PersonDialogue};
use super::render::{self, MAX_TEXT};
use super::{Destination, HandlerError};

/// The placeholder in the approver's input field while the prompt waits (1–64 characters).
const PLACEHOLDER_MAX: usize = 64;

/// "Other reason…" pressed: checks with core that the presser may decline this request now
/// (so a member hears at once, not after typing, and a request decided meanwhile is shown as
/// decided, see [`moved_on`]), opens the conversation and posts the prompt. Returns the answer
/// for the press.
pub(super) async fn ask(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<Answer> {
    let lang = caller.language.as_str();
    let Some(message) = q.regular_message() else {
        return Ok(Answer::toast(ctx.catalog.text(
            lang,
            "bot-invalid-button",
            &[],
        )));
    };
    let id = RequestId(request_id);
    let request = match ctx.services.requests.check_decline(&caller.actor, id).await {
        Ok(request) => request,
        Err(error) => return moved_on(bot, ctx, q, caller, id, error).await,
    };
    let (to, card) = (Destination::of(message), Some(message.id.0));
    let conversation = dialogue::with(&ctx.services.db, to.chat, q.from.id);
    let waiting = Conversation::DeclineReason {
        request_id,
        card,
        prompt: None,
    };
    conversation
        .update(waiting.clone())
        .await
        .map_err(|e| CoreError::Unexpected(e.into()))?;

    let who = q
        .from
        .mention()
        .unwrap_or_else(|| q.from.first_name.clone());
    let args = [
        ("who", who),
        ("id", request_id.to_string()),
        ("title", request.media.title.clone()),
    ];
    let text = render::trim_chars(&ctx.catalog.text(lang, "bot-decline-ask", &args), MAX_TEXT);
    let placeholder = render::trim_chars(
        &ctx.catalog.text(lang, "bot-decline-reply", &[]),
        PLACEHOLDER_MAX,
    );
    let markup = ForceReply::new()
        .selective()
        .input_field_placeholder(Some(placeholder));
    let prompt = to.message(bot, text).reply_markup(markup);
    // The prompt waits its turn in the queue; the press is answered now. Once the prompt is
    // out, the conversation learns its id (unless the reply already came and ended it).
    let out = ctx.out.clone();
    tokio::spawn(async move {
        let sent = match out.send(prompt).await {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(%error, "could not ask for a decline reason");
                return;
            }
        };
        if let Ok(Some(current)) = conversation.get().await
            && current == waiting
        {
            let asked = Conversation::DeclineReason {
                request_id,
                card,
                prompt: Some(sent.id.0),
            };
            if let Err(error) = conversation.update(asked).await {
                tracing::warn!(%error, "could not note the decline prompt");
            }
        }
    });
    Ok(Answer::toast(ctx.catalog.text(
        lang,
        "bot-decline-reply",
        &[],
    )))
}

/// A reply that answers an open conversation, with the conversation.
#[derive(Clone)]
pub(super) struct Answering {
    dialogue: PersonDialogue,
    conversation: Conversation,
}

/// Whether `msg` answers a conversation: a text reply to one of the bot's messages, from
/// someone with an open conversation in this chat whose prompt it answers. Only such replies
/// cost a database read; everything else goes on to the other handlers.
pub(super) async fn answering(msg: &Message, me: &Me, ctx: &Context) -> Option<Answering> {
    let replied = msg.reply_to_message()?;
    if replied.from.as_ref()?.id != me.id || msg.text().is_none() {
        return None;
    }
    let from = msg.from.as_ref()?;
    let dialogue = dialogue::with(&ctx.services.db, msg.chat.id, from.id);
    let conversation = match dialogue.get().await {
        Ok(found) => found?,
        Err(error) => {
            tracing::warn!(%error, "could not read a conversation");
            return None;
        }
    };
    conversation.answered_by(replied.id).then_some(Answering {
        dialogue,
        conversation,
    })
}

/// The reply is the reason: core declines; the card shows it and the approver hears back. A
/// reason core refuses (empty, too long) keeps the conversation open for another try.
pub(super) async fn reply(
    bot: Bot,
    msg: Message,
    ctx: Arc<Context>,
    caller: Caller,
    answering: Answering,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "reply");
    let (Some(from), Some(reason)) = (msg.from.as_ref(), msg.text()) else {
        return Ok(());
    };
    let lang = caller.language.as_str();
    let Conversation::DeclineReason {
        request_id, card, ..
    } = answering.conversation;
    let id = RequestId(request_id);
    let declined = ctx.services.requests.decline(&caller.actor, id, reason);
    let text = match declined.await {
        Ok(request) => {
            end(&answering.dialogue).await;
            if let Some(card) = card {
                let card = (msg.chat.id, MessageId(card));
                show_decided(&bot, &ctx, card, lang, &request, &display_name(from)).await;
            }
            ctx.catalog.text(lang, "bot-declined", &[])
        }
        Err(error @ CoreError::Validation(_)) => ctx.catalog.error_text(lang, &error),
        Err(error) => {
            end(&answering.dialogue).await;
            ctx.catalog.error_text(lang, &error)
        }
    };
    let answer = render::trim_chars(&text, MAX_TEXT);
    ctx.out
        .send(Destination::of(&msg).message(&bot, answer))
        .await?;
    Ok(())
}

async fn end(dialogue: &PersonDialogue) {
    if let Err(error) = dialogue.exit().await {
        tracing::warn!(%error, "could not end a conversation");
    }
}
