//! Update handlers: commands, plain-text search, and button presses. Each one turns the update
//! into a core call and renders the result; every callback query is answered exactly once.

use std::sync::Arc;

use teloxide::prelude::*;
use usher_core::domain::{Actor, MediaType, Source};

use super::render::{self, MAX_TEXT};
use super::{Command, Context, Destination, HandlerError, account, cards};
use crate::flows;

/// TMDB's service name in errors shown to users.
pub(super) const TMDB: &str = "TMDB";

/// A command in any served chat.
pub(super) async fn command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "command");
    let Some(from) = msg.from.as_ref() else {
        return Ok(());
    };
    if !ctx.serves(&msg.chat) {
        return Ok(());
    }
    let lang = ctx.lang(from).await;
    let to = Destination::of(&msg);
    if !account::redeems_code(&cmd) && ctx.refuses(from).await {
        let refusal = ctx.catalog.text(&lang, "bot-not-registered", &[]);
        return reply(&bot, &ctx, to, &refusal).await;
    }
    let text = match cmd {
        Command::Start(payload) => account::start(&ctx, from, &lang, &payload).await,
        Command::Help => ctx.catalog.text(&lang, "bot-help", &[]),
        Command::Link(arg) => account::link(&ctx, &msg.chat, from, &lang, &arg).await,
        Command::Language => return account::send_picker(&bot, &ctx, to, from, &lang).await,
        Command::Movie(query) => {
            let kind = Some(MediaType::Movie);
            return cards::search(&bot, &ctx, to, from, &lang, &query, kind).await;
        }
        Command::Tv(query) => {
            let kind = Some(MediaType::Tv);
            return cards::search(&bot, &ctx, to, from, &lang, &query, kind).await;
        }
        Command::Request(query) => {
            return cards::search(&bot, &ctx, to, from, &lang, &query, None).await;
        }
        Command::Mine => mine(&ctx, from, &lang).await,
        Command::Cancel(arg) => cancel(&ctx, from, &lang, &arg).await,
        Command::Pending => return pending(&bot, &ctx, to, from, &lang).await,
        Command::Issue(arg) => super::issue::report(&ctx, &msg.chat, from, &lang, &arg).await,
    };
    reply(&bot, &ctx, to, &text).await
}

/// Plain text in a private chat is a search for movies and shows.
pub(super) async fn plain_text(
    bot: Bot,
    msg: Message,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "message");
    let (Some(from), Some(text)) = (msg.from.as_ref(), msg.text()) else {
        return Ok(());
    };
    let lang = ctx.lang(from).await;
    let to = Destination::of(&msg);
    if ctx.refuses(from).await {
        let refusal = ctx.catalog.text(&lang, "bot-not-registered", &[]);
        return reply(&bot, &ctx, to, &refusal).await;
    }
    cards::search(&bot, &ctx, to, from, &lang, text, None).await
}

/// A text answer at `to` (trimmed to Telegram's limit), through the send queue.
pub(super) async fn reply(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    text: &str,
) -> Result<(), HandlerError> {
    let text = render::trim_chars(text, MAX_TEXT);
    ctx.out.send(to.message(bot, text)).await?;
    Ok(())
}

async fn mine(ctx: &Context, from: &teloxide::types::User, lang: &str) -> String {
    match actor(ctx, from).await {
        Ok(actor) => flows::mine(&ctx.services, &ctx.catalog, lang, &actor).await,
        Err(error) => ctx.catalog.error_text(lang, &error),
    }
}

async fn cancel(ctx: &Context, from: &teloxide::types::User, lang: &str, arg: &str) -> String {
    let Some(id) = flows::request_number(arg) else {
        return ctx.catalog.text(lang, "bot-cancel-usage", &[]);
    };
    match actor(ctx, from).await {
        Ok(actor) => flows::cancel(&ctx.services, &ctx.catalog, lang, &actor, id).await,
        Err(error) => ctx.catalog.error_text(lang, &error),
    }
}

/// `/pending`: the waiting requests as approver cards with buttons (approvers only; core
/// shows members just their own).
async fn pending(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    from: &teloxide::types::User,
    lang: &str,
) -> Result<(), HandlerError> {
    let result = async {
        let actor = actor(ctx, from).await?;
        flows::pending(&ctx.services, &actor, flows::LIST_LIMIT).await
    }
    .await;
    let items = match result {
        Ok(items) if items.is_empty() => {
            let empty = ctx.catalog.text(lang, "bot-pending-empty", &[]);
            return reply(bot, ctx, to, &empty).await;
        }
        Ok(items) => items,
        Err(error) => return reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await,
    };
    for request in &items {
        let who = requester_name(ctx, request.requested_by).await;
        let text = render::approver_card(&ctx.catalog, lang, request, &who);
        let keyboard = render::approver_keyboard(&ctx.catalog, lang, &ctx.codec, request.id.0);
        ctx.out
            .send(to.message(bot, text).reply_markup(keyboard))
            .await?;
    }
    Ok(())
}

/// The requester's display name for cards; a placeholder when the lookup fails.
pub(super) async fn requester_name(ctx: &Context, user: usher_core::domain::UserId) -> String {
    match ctx.services.users.get(user).await {
        Ok((user, _)) => user.display_name,
        Err(_) => format!("#{user}"),
    }
}

pub(super) async fn actor(
    ctx: &Context,
    from: &teloxide::types::User,
) -> usher_core::CoreResult<Actor> {
    let user = ctx.user(from).await?;
    let source = Source::Telegram {
        user: from.id.0.to_string(),
    };
    Ok(Actor::user(user.id, source))
}
