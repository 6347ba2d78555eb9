//! Where an update goes, in plain matching on what Telegram sent. This was a dptree tree of
//! filters; each filter cloned the whole update into the next, and the tree's own bookkeeping
//! was a tenth of a chat flow's CPU. The order is the tree's:
//!
//! 1. a member leaving a group chat, or the bot's own status changing in one, goes to
//!    [`members`] (neither names a sender to serve);
//! 2. what is not for the bot at all is dropped (chats it does not serve, group chatter:
//!    [`context::addressed`]), and bots and anonymous admins are answered as such
//!    ([`strangers::NotAPerson`]);
//! 3. the sender becomes core's [`Caller`] in one step ([`context::resolve`]), which every
//!    endpoint takes: commands, replies that answer an open conversation (a decline reason),
//!    plain text in private chats, button presses, and inline queries. Someone core refuses goes
//!    down the same paths to the answers for strangers instead.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{Me, UpdateKind};
use teloxide::utils::command::BotCommands;
use usher_core::service::Caller;

use super::context::{self, Context, Resolved, TurnedAway};
use super::strangers::{self, NotAPerson};
use super::{Command, HandlerError, callbacks, decline, handlers, inline, members};

/// Routes one update and logs what went wrong: a handler's error is never shown raw to the
/// user, and an update teloxide could not read is skipped. Kinds the bot never asks for (an
/// edit, say) reach no feature: the router answers only messages, presses, inline queries and
/// membership changes.
///
/// Each update in flight is one task, and a task holds its future's largest state for its whole
/// life. So the update is boxed at once and every feature is boxed where the route picks it:
/// an update holds the one feature it reached, not room for the largest of them all, and the
/// layers above it hold a pointer each instead of a copy of the update (see the README's
/// memory figures).
pub(super) fn handle(
    bot: Bot,
    update: Update,
    me: Me,
    ctx: Arc<Context>,
) -> impl Future<Output = ()> + Send {
    let update = Box::new(update);
    async move {
        if let UpdateKind::Error(raw) = &update.kind {
            tracing::error!(update = %raw, "a Telegram update could not be read; skipped");
            return;
        }
        if let Err(error) = route(bot, update, me, ctx).await {
            tracing::error!(%error, "handling a Telegram update failed");
        }
    }
}

/// Sends `update` to the feature that answers it.
async fn route(
    bot: Bot,
    update: Box<Update>,
    me: Me,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    match update.kind {
        UpdateKind::ChatMember(change) => Box::pin(members::changed(change, ctx)).await,
        UpdateKind::MyChatMember(change) => Box::pin(members::bot_changed(change, ctx)).await,
        _ => from_someone(bot, update, me, ctx).await,
    }
}

/// An update a person (or a bot posing as one) sent.
async fn from_someone(
    bot: Bot,
    update: Box<Update>,
    me: Me,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    if !context::addressed(&update, &me, &ctx) {
        return Ok(());
    }
    if let Some(who) = NotAPerson::of(&update) {
        return Box::pin(strangers::not_a_person(bot, *update, who, ctx)).await;
    }
    match Box::pin(context::resolve(&update, &ctx)).await {
        Some(Resolved::Caller(caller)) => served(bot, update, &me, ctx, *caller).await,
        Some(Resolved::TurnedAway(away)) => turned_away(bot, update, &me, ctx, away).await,
        None => Ok(()),
    }
}

/// Someone the bot serves.
async fn served(
    bot: Bot,
    update: Box<Update>,
    me: &Me,
    ctx: Arc<Context>,
    caller: Caller,
) -> Result<(), HandlerError> {
    match update.kind {
        UpdateKind::Message(msg) => {
            if let Some(cmd) = command_in(&msg, me) {
                return Box::pin(handlers::command(bot, msg, cmd, ctx, caller)).await;
            }
            if let Some(answering) = Box::pin(decline::answering(&msg, me, &ctx)).await {
                return Box::pin(decline::reply(bot, msg, ctx, caller, answering)).await;
            }
            if msg.chat.is_private() {
                return Box::pin(handlers::plain_text(bot, msg, ctx, caller)).await;
            }
            Ok(())
        }
        UpdateKind::CallbackQuery(q) => Box::pin(callbacks::callback(bot, q, ctx, caller)).await,
        UpdateKind::InlineQuery(q) => Box::pin(inline::inline_query(bot, q, ctx, caller)).await,
        _ => Ok(()),
    }
}

/// Someone core refuses: answered, never served.
async fn turned_away(
    bot: Bot,
    update: Box<Update>,
    me: &Me,
    ctx: Arc<Context>,
    away: TurnedAway,
) -> Result<(), HandlerError> {
    match update.kind {
        UpdateKind::Message(msg) => match command_in(&msg, me) {
            Some(cmd) => Box::pin(strangers::command(bot, msg, cmd, ctx, away)).await,
            None if msg.chat.is_private() => {
                Box::pin(strangers::message(bot, msg, ctx, away)).await
            }
            None => Ok(()),
        },
        UpdateKind::CallbackQuery(q) => Box::pin(strangers::press(bot, q, ctx, away)).await,
        UpdateKind::InlineQuery(q) => Box::pin(strangers::inline_query(bot, q, away)).await,
        _ => Ok(()),
    }
}

/// The bot's command in a message's text or caption, as teloxide's `filter_command` reads it.
fn command_in(msg: &Message, me: &Me) -> Option<Command> {
    let text = msg.text().or_else(|| msg.caption())?;
    Command::parse(text, me.username()).ok()
}
