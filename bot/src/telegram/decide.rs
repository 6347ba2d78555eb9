//! Approver cards: `/pending` lists the waiting requests as cards, and their buttons approve,
//! open the preset decline reasons, or decline with one; a failed request's card sends it
//! again (Retry). Every press goes to core, which reads
//! the request as it is now: a press on a card whose request was decided meanwhile (by another
//! approver, or on another copy of the card) is answered "already approved by X" and the card
//! is shown as decided, never opened again for a reason.

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use usher_core::domain::{Request, RequestId};
use usher_core::service::Caller;

use super::context::{Answer, Context, display_name, moved_on, name_of, reply, show_decided};
use super::render;
use super::{Destination, HandlerError};
use crate::flows;

/// `/pending`: the waiting requests as approver cards with buttons (approvers only; core
/// shows members just their own).
pub(super) async fn pending(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
) -> Result<(), HandlerError> {
    let lang = caller.language.as_str();
    let listed = flows::pending(&ctx.services, &caller.actor, flows::LIST_LIMIT).await;
    let items = match listed {
        Ok(items) if items.is_empty() => {
            let empty = ctx.catalog.text(lang, "bot-pending-empty", &[]);
            return reply(bot, ctx, to, &empty).await;
        }
        Ok(items) => items,
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    for request in &items {
        let who = name_of(ctx, request.requested_by).await;
        let text = render::approver_card(&ctx.catalog, lang, request, &who);
        let keyboard = render::approver_keyboard(&ctx.catalog, lang, &ctx.codec, request.id.0);
        ctx.out
            .send(to.message(bot, text).reply_markup(keyboard))
            .await?;
    }
    Ok(())
}

/// Approve: core approves; the card shows who did.
pub(super) async fn approve(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<Answer> {
    let id = RequestId(request_id);
    match ctx.services.requests.approve(&caller.actor, id).await {
        Ok(request) => {
            show_outcome(bot, ctx, q, caller, &request).await;
            Ok(Answer::toast(ctx.catalog.text(
                &caller.language,
                "bot-approved",
                &[],
            )))
        }
        Err(error) => moved_on(bot, ctx, q, caller, id, error).await,
    }
}

/// Retry on a failed card: core sends the request again; the card keeps the upstream's answer
/// and says who sent it again, without buttons.
pub(super) async fn retry(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<Answer> {
    let id = RequestId(request_id);
    if let Err(error) = ctx.services.requests.retry(&caller.actor, id).await {
        return moved_on(bot, ctx, q, caller, id, error).await;
    }
    let who = display_name(&q.from);
    let lang = caller.language.as_str();
    if let Some(message) = q.regular_message() {
        let card = message.text().unwrap_or_default();
        let text = render::retried_card(&ctx.catalog, lang, card, &who);
        let edit = bot.edit_message_text(message.chat.id, message.id, text);
        ctx.out.post(edit, "show the retry on the card");
    }
    Ok(Answer::toast(ctx.catalog.text(
        lang,
        "bot-retried",
        &[("who", who)],
    )))
}

/// Decline: the card's buttons become the preset reasons, once core confirms the presser may
/// decline the request now (so a decided request is not opened again).
pub(super) async fn decline(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<Answer> {
    let id = RequestId(request_id);
    let lang = caller.language.as_str();
    if let Err(error) = ctx.services.requests.check_decline(&caller.actor, id).await {
        return moved_on(bot, ctx, q, caller, id, error).await;
    }
    if let Some(message) = q.regular_message() {
        let keyboard = render::reasons_keyboard(&ctx.catalog, lang, &ctx.codec, request_id);
        let edit = bot
            .edit_message_reply_markup(message.chat.id, message.id)
            .reply_markup(keyboard);
        ctx.out.post(edit, "show the decline reasons");
    }
    Ok(Answer::toast(ctx.catalog.text(
        lang,
        "bot-pick-reason",
        &[],
    )))
}

/// A preset reason: core declines with it; the card shows who did and why.
pub(super) async fn decline_with(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    (request_id, reason): (i64, u8),
) -> usher_core::CoreResult<Answer> {
    let lang = caller.language.as_str();
    if reason >= render::DECLINE_REASONS {
        // Signed by us, but for a reason this release no longer offers.
        let text = ctx.catalog.text(lang, "bot-invalid-button", &[]);
        return Ok(Answer::toast(text));
    }
    let id = RequestId(request_id);
    let reason = render::decline_reason(&ctx.catalog, lang, reason);
    match ctx
        .services
        .requests
        .decline(&caller.actor, id, &reason)
        .await
    {
        Ok(request) => {
            show_outcome(bot, ctx, q, caller, &request).await;
            Ok(Answer::toast(ctx.catalog.text(lang, "bot-declined", &[])))
        }
        Err(error) => moved_on(bot, ctx, q, caller, id, error).await,
    }
}

/// Edits the pressed card to the decision and who made it.
async fn show_outcome(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    request: &Request,
) {
    let Some(message) = q.regular_message() else {
        return;
    };
    let decider = display_name(&q.from);
    let card = (message.chat.id, message.id);
    show_decided(bot, ctx, card, &caller.language, request, &decider).await;
}
