//! Update handlers: commands, plain-text search, and button presses. Each one turns the update
//! into a core call and renders the result; every callback query is answered exactly once.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{InputFile, ReplyMarkup};
use usher_core::domain::{Actor, MediaType, Source};
use usher_core::integrations::tmdb::SearchQuery;

use super::render::{self, MAX_CAPTION, MAX_TEXT};
use super::{Command, Context, HandlerError, account};
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
    let chat = msg.chat.id;
    let text = match cmd {
        Command::Start(payload) => account::start(&ctx, from, &lang, &payload).await,
        Command::Help => ctx.catalog.text(&lang, "bot-help", &[]),
        Command::Link(arg) => account::link(&ctx, &msg.chat, from, &lang, &arg).await,
        Command::Language => return account::send_picker(&bot, &ctx, chat, from, &lang).await,
        Command::Movie(query) => {
            return search(&bot, &ctx, chat, &lang, &query, Some(MediaType::Movie)).await;
        }
        Command::Tv(query) => {
            return search(&bot, &ctx, chat, &lang, &query, Some(MediaType::Tv)).await;
        }
        Command::Request(query) => return search(&bot, &ctx, chat, &lang, &query, None).await,
        Command::Mine => mine(&ctx, from, &lang).await,
        Command::Cancel(arg) => cancel(&ctx, from, &lang, &arg).await,
        Command::Pending => return pending(&bot, &ctx, chat, from, &lang).await,
    };
    reply(&bot, &ctx, chat, &text).await
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
    search(&bot, &ctx, msg.chat.id, &lang, text, None).await
}

async fn reply(bot: &Bot, ctx: &Context, chat: ChatId, text: &str) -> Result<(), HandlerError> {
    ctx.out
        .send(bot.send_message(chat, render::trim_chars(text, MAX_TEXT)))
        .await?;
    Ok(())
}

/// Searches TMDB and posts the best hit as a card with a signed Request button.
async fn search(
    bot: &Bot,
    ctx: &Context,
    chat: ChatId,
    lang: &str,
    query: &str,
    kind: Option<MediaType>,
) -> Result<(), HandlerError> {
    let query = query.trim();
    let Some(tmdb) = &ctx.tmdb else {
        return reply(
            bot,
            ctx,
            chat,
            &ctx.catalog.text(lang, "bot-search-unavailable", &[]),
        )
        .await;
    };
    if query.is_empty() {
        return reply(
            bot,
            ctx,
            chat,
            &ctx.catalog.text(lang, "bot-usage-search", &[]),
        )
        .await;
    }
    let search = SearchQuery::new(query);
    let page = match kind {
        Some(MediaType::Movie) => tmdb.search_movies(&search).await,
        Some(MediaType::Tv) => tmdb.search_tv(&search).await,
        None => tmdb.search_multi(&search).await,
    };
    let page = match page {
        Ok(page) => page,
        Err(error) => {
            let text = ctx.catalog.error_text(lang, &error.into_core(TMDB));
            return reply(bot, ctx, chat, &text).await;
        }
    };
    let Some(hit) = page.hits.first() else {
        let args = [("query", query.to_owned())];
        return reply(
            bot,
            ctx,
            chat,
            &ctx.catalog.text(lang, "bot-no-results", &args),
        )
        .await;
    };
    let keyboard = render::result_keyboard(
        &ctx.catalog,
        lang,
        &ctx.codec,
        hit.media_type,
        hit.tmdb_id.get(),
    );
    let poster = hit
        .poster_path
        .as_deref()
        .and_then(|path| url::Url::parse(&tmdb.poster_url(path)).ok());
    if let Some(poster) = poster {
        let caption = render::card_caption(&hit.title, hit.year, &hit.overview, MAX_CAPTION);
        let photo = bot
            .send_photo(chat, InputFile::url(poster))
            .caption(caption)
            .reply_markup(ReplyMarkup::InlineKeyboard(keyboard));
        ctx.out.send(photo).await?;
    } else {
        let text = render::card_caption(&hit.title, hit.year, &hit.overview, MAX_TEXT);
        ctx.out
            .send(bot.send_message(chat, text).reply_markup(keyboard))
            .await?;
    }
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
    chat: ChatId,
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
            return reply(
                bot,
                ctx,
                chat,
                &ctx.catalog.text(lang, "bot-pending-empty", &[]),
            )
            .await;
        }
        Ok(items) => items,
        Err(error) => return reply(bot, ctx, chat, &ctx.catalog.error_text(lang, &error)).await,
    };
    for request in &items {
        let who = requester_name(ctx, request.requested_by).await;
        let text = render::approver_card(&ctx.catalog, lang, request, &who);
        let keyboard = render::approver_keyboard(&ctx.catalog, lang, &ctx.codec, request.id.0);
        ctx.out
            .send(bot.send_message(chat, text).reply_markup(keyboard))
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
