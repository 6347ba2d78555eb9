//! Button presses: decode the signed id (forged or edited ones stop here), act through core,
//! show the outcome, and answer the callback query exactly once.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use usher_core::CoreError;
use usher_core::domain::{IssueId, RequestId};
use usher_core::service::{NewRequest, OutcomeKind};

use super::handlers::{TMDB, actor, requester_name};
use super::render::{self, MAX_ANSWER};
use super::{Context, HandlerError, account, cards, decline};
use crate::callback::{Action, MediaKind, SeasonPick};

/// A button press: decode (forged or edited ids stop here), act through core, answer once.
pub(super) async fn callback(
    bot: Bot,
    q: CallbackQuery,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "button");
    let lang = ctx.lang(&q.from).await;
    let invalid = || ctx.catalog.text(&lang, "bot-invalid-button", &[]);
    let decoded = q.data.as_deref().map(|d| ctx.codec.decode(d));
    let refused = matches!(decoded, Some(Ok(_))) && ctx.refuses(&q.from).await;
    let (text, alert) = match decoded {
        Some(Ok(_)) if refused => {
            let text = ctx.catalog.text(&lang, "bot-not-registered-short", &[]);
            (Some(text), true)
        }
        Some(Ok(action)) => match act(&bot, &ctx, &q, &lang, action).await {
            Ok(Some(text)) => (Some(text), false),
            Ok(None) => (None, false),
            Err(error) => (Some(ctx.catalog.error_text(&lang, &error)), true),
        },
        Some(Err(error)) => {
            tracing::info!(%error, "refused a button id");
            (Some(invalid()), true)
        }
        None => (Some(invalid()), true),
    };
    let mut answer = bot.answer_callback_query(q.id.clone()).show_alert(alert);
    if let Some(text) = text {
        answer = answer.text(render::trim_chars(&text, MAX_ANSWER));
    }
    // Answered directly, not through the send queue: Telegram wants the answer at once, and
    // does not count it as a message.
    answer.await?;
    Ok(())
}

async fn act(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    lang: &str,
    action: Action,
) -> usher_core::CoreResult<Option<String>> {
    let actor = actor(ctx, &q.from).await?;
    let text = |key: &str| Some(ctx.catalog.text(lang, key, &[]));
    match action {
        Action::Request {
            media,
            tmdb_id,
            four_k,
            seasons,
        } => {
            let new = new_request(ctx, media, tmdb_id, four_k, seasons).await?;
            let outcome = ctx.services.requests.create(&actor, new).await?;
            Ok(match outcome.kind {
                OutcomeKind::Created => text("bot-requested"),
                OutcomeKind::AutoApproved => text("bot-auto-approved"),
                OutcomeKind::Followed => text("bot-followed"),
            })
        }
        Action::Approve { request_id } => {
            let request = ctx
                .services
                .requests
                .approve(&actor, RequestId(request_id))
                .await?;
            show_decision(bot, ctx, q, lang, &request).await;
            Ok(text("bot-approved"))
        }
        Action::DeclineWithReason { request_id, reason } if reason < render::DECLINE_REASONS => {
            let reason = render::decline_reason(&ctx.catalog, lang, reason);
            let request = ctx
                .services
                .requests
                .decline(&actor, RequestId(request_id), &reason)
                .await?;
            show_decision(bot, ctx, q, lang, &request).await;
            Ok(text("bot-declined"))
        }
        Action::Decline { request_id } => {
            if let Some(message) = q.regular_message() {
                let keyboard = render::reasons_keyboard(&ctx.catalog, lang, &ctx.codec, request_id);
                let edit = bot
                    .edit_message_reply_markup(message.chat.id, message.id)
                    .reply_markup(keyboard);
                ctx.out.post(edit, "show the decline reasons");
            }
            Ok(text("bot-pick-reason"))
        }
        Action::Follow { request_id } => {
            ctx.services
                .requests
                .follow(&actor, RequestId(request_id))
                .await?;
            Ok(text("bot-followed"))
        }
        Action::Cancel { request_id } => {
            ctx.services
                .requests
                .cancel(&actor, RequestId(request_id))
                .await?;
            Ok(Some(ctx.catalog.text(
                lang,
                "bot-cancelled",
                &[("id", request_id.to_string())],
            )))
        }
        Action::Page { search_id, index } => {
            cards::page(bot, ctx, q, lang, &actor, search_id, index).await
        }
        Action::PickSeasons {
            tmdb_id,
            search_id,
            index,
            seasons,
        } => {
            let at = cards::PickerAt {
                tmdb_id,
                search_id,
                index,
            };
            cards::pick_seasons(bot, ctx, q, lang, &actor, at, seasons).await
        }
        Action::DeclineOther { request_id } => decline::ask(bot, ctx, q, &actor, lang, request_id)
            .await
            .map(Some),
        Action::SetLanguage { language } => account::choose_language(bot, ctx, q, &actor, language)
            .await
            .map(Some),
        Action::ResolveIssue { issue_id } => {
            super::issue::resolve(bot, ctx, q, &actor, lang, IssueId(issue_id))
                .await
                .map(Some)
        }
        Action::Noop => Ok(None),
        // Retry buttons and the older one-season toggle are not posted by this bot.
        _ => Ok(text("bot-invalid-button")),
    }
}

/// Edits the approver card to show the outcome and who decided, without buttons. The edit
/// waits its turn in the send queue while the press is answered; the decision already stands,
/// so a failed edit is only logged.
async fn show_decision(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    lang: &str,
    request: &usher_core::domain::Request,
) {
    let Some(message) = q.regular_message() else {
        return;
    };
    let requester = requester_name(ctx, request.requested_by).await;
    let decider = q
        .from
        .username
        .clone()
        .unwrap_or_else(|| q.from.full_name());
    let text = render::decided_card(&ctx.catalog, lang, request, &requester, &decider);
    let edit = bot.edit_message_text(message.chat.id, message.id, text);
    ctx.out.post(edit, "update the approver card");
}

/// What to ask core for, looked up fresh on TMDB (the button carries only the id).
async fn new_request(
    ctx: &Context,
    media: MediaKind,
    tmdb_id: u32,
    four_k: bool,
    pick: SeasonPick,
) -> usher_core::CoreResult<NewRequest> {
    let tmdb = ctx.tmdb.as_ref().ok_or_else(|| CoreError::Upstream {
        service: TMDB,
        message: "not configured".into(),
    })?;
    crate::flows::new_request(tmdb, media.into(), tmdb_id, four_k, pick).await
}
