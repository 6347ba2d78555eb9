//! Button presses: decode the signed id (forged or edited ones stop here), hand the action to
//! the feature that owns it with the [`Caller`] the edge resolved, and answer the callback
//! query exactly once.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::CallbackQuery;
use usher_core::domain::IssueId;
use usher_core::service::Caller;

use super::context::{Answer, Context};
use super::render::{self, MAX_ANSWER};
use super::{
    HandlerError, account, cards, decide, decline, discover, episodes, issue, mine, votes,
};
use crate::callback::Action;

/// A button press: decode (forged or edited ids stop here), act through core, answer once.
pub(super) async fn callback(
    bot: Bot,
    q: CallbackQuery,
    ctx: Arc<Context>,
    caller: Caller,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "button");
    let lang = caller.language.as_str();
    let invalid = || ctx.catalog.text(lang, "bot-invalid-button", &[]);
    let decoded = q.data.as_deref().map(|d| ctx.codec.decode(d));
    let answer = match decoded {
        Some(Ok(action)) => match act(&bot, &ctx, &q, &caller, action).await {
            Ok(answer) => answer,
            Err(error) => Some(Answer {
                text: ctx.catalog.error_text(lang, &error),
                alert: true,
            }),
        },
        Some(Err(error)) => {
            tracing::info!(%error, "refused a button id");
            if error.is_forgery() {
                ctx.services.security.forged_button(&caller).await;
            }
            Some(Answer {
                text: invalid(),
                alert: true,
            })
        }
        None => Some(Answer {
            text: invalid(),
            alert: true,
        }),
    };
    let mut reply = bot.answer_callback_query(q.id.clone());
    if let Some(Answer { text, alert }) = answer {
        reply = reply
            .show_alert(alert)
            .text(render::trim_chars(&text, MAX_ANSWER));
    } else {
        reply = reply.show_alert(false);
    }
    // Answered directly, not through the send queue: Telegram wants the answer at once, and
    // does not count it as a message.
    reply.await?;
    Ok(())
}

/// The feature that owns `action` acts on it; returns the answer for the press, if any.
async fn act(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    action: Action,
) -> usher_core::CoreResult<Option<Answer>> {
    let toast = |text: String| Some(Answer::toast(text));
    Ok(match action {
        Action::Request {
            media,
            tmdb_id,
            four_k,
            seasons,
        } => {
            let at = q.regular_message();
            let place = at.and_then(|m| super::context::place_of(&m.chat));
            let pick = (media, tmdb_id, four_k);
            let (answer, outcome) = cards::request(ctx, caller, pick, seasons, place).await?;
            if let Some(message) = at {
                votes::announce(bot, ctx, message, caller, &outcome);
            }
            toast(answer)
        }
        Action::Vote { request_id } => Some(votes::vote(bot, ctx, q, caller, request_id).await?),
        Action::Follow { request_id } => toast(cards::follow(ctx, caller, request_id).await?),
        Action::Page { search_id, index } => cards::page(bot, ctx, q, caller, search_id, index)
            .await?
            .map(Answer::toast),
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
            cards::pick_seasons(bot, ctx, q, caller, at, seasons)
                .await?
                .map(Answer::toast)
        }
        Action::Approve { request_id } => {
            Some(decide::approve(bot, ctx, q, caller, request_id).await?)
        }
        Action::Decline { request_id } => {
            Some(decide::decline(bot, ctx, q, caller, request_id).await?)
        }
        Action::DeclineWithReason { request_id, reason } => {
            Some(decide::decline_with(bot, ctx, q, caller, (request_id, reason)).await?)
        }
        Action::Retry { request_id } => Some(decide::retry(bot, ctx, q, caller, request_id).await?),
        Action::DeclineOther { request_id } => {
            Some(decline::ask(bot, ctx, q, caller, request_id).await?)
        }
        Action::Cancel { request_id } => {
            toast(mine::cancel_pressed(ctx, caller, request_id).await?)
        }
        Action::SetLanguage { language } => {
            toast(account::choose_language(bot, ctx, q, caller, language).await?)
        }
        Action::ResolveIssue { issue_id } => {
            toast(issue::resolve(bot, ctx, q, caller, IssueId(issue_id)).await?)
        }
        Action::RequestEpisodes {
            tmdb_id,
            four_k,
            season,
            episodes: pick,
        } => toast(episodes::request(ctx, caller, (tmdb_id, four_k, season), pick).await?),
        Action::PickEpisodes {
            tmdb_id,
            search_id,
            index,
            season,
            page,
            episodes: pick,
        } => {
            let at = super::render::episode_picker::EpisodesAt {
                tmdb_id,
                search_id,
                index,
                season,
            };
            episodes::pick(bot, ctx, q, caller, at, (page, pick))
                .await?
                .map(Answer::toast)
        }
        Action::Discover { list, page } => discover::page(bot, ctx, q, caller, (list, page))
            .await?
            .map(Answer::toast),
        Action::Genres { media } => discover::genres(bot, ctx, q, caller, media.into())
            .await?
            .map(Answer::toast),
        Action::OpenTitle { media, tmdb_id } => {
            discover::open(bot, ctx, q, caller, (media.into(), tmdb_id))
                .await?
                .map(Answer::toast)
        }
        Action::Noop => None,
        // The older one-season toggle is not posted by this bot.
        _ => toast(
            ctx.catalog
                .text(&caller.language, "bot-invalid-button", &[]),
        ),
    })
}
