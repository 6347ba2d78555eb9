//! Update handlers: commands, plain-text search, and button presses. Each one turns the update
//! into a core call and renders the result; every callback query is answered exactly once.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InputFile, ReplyMarkup};
use usher_core::CoreError;
use usher_core::domain::{
    Actor, Media, MediaType, RequestId, RequestStatus, Seasons, Source, TmdbId,
};
use usher_core::integrations::tmdb::SearchQuery;
use usher_core::service::{NewRequest, OutcomeKind};
use usher_core::store::requests::RequestFilter;

use super::render::{self, MAX_ANSWER, MAX_CAPTION, MAX_TEXT};
use super::{Command, Context, HandlerError, send};
use crate::callback::{Action, MediaKind, SeasonPick};

/// TMDB's service name in errors shown to users.
const TMDB: &str = "TMDB";
/// How many rows `/mine` and `/pending` show.
const LIST_LIMIT: u32 = 10;

/// A command in any served chat.
pub(super) async fn command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    let Some(from) = msg.from.as_ref() else {
        return Ok(());
    };
    if !ctx.serves(&msg.chat) {
        return Ok(());
    }
    let lang = ctx.lang(from);
    let chat = msg.chat.id;
    let text = match cmd {
        Command::Start | Command::Help => ctx.catalog.text(&lang, "bot-help", &[]),
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
    reply(&bot, chat, &text).await
}

/// Plain text in a private chat is a search for movies and shows.
pub(super) async fn plain_text(
    bot: Bot,
    msg: Message,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    let (Some(from), Some(text)) = (msg.from.as_ref(), msg.text()) else {
        return Ok(());
    };
    let lang = ctx.lang(from);
    search(&bot, &ctx, msg.chat.id, &lang, text, None).await
}

async fn reply(bot: &Bot, chat: ChatId, text: &str) -> Result<(), HandlerError> {
    send::send(&bot.send_message(chat, render::trim_chars(text, MAX_TEXT))).await?;
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
            chat,
            &ctx.catalog.text(lang, "bot-search-unavailable", &[]),
        )
        .await;
    };
    if query.is_empty() {
        return reply(bot, chat, &ctx.catalog.text(lang, "bot-usage-search", &[])).await;
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
            return reply(bot, chat, &text).await;
        }
    };
    let Some(hit) = page.hits.first() else {
        let args = [("query", query.to_owned())];
        return reply(bot, chat, &ctx.catalog.text(lang, "bot-no-results", &args)).await;
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
        send::send(&photo).await?;
    } else {
        let text = render::card_caption(&hit.title, hit.year, &hit.overview, MAX_TEXT);
        send::send(&bot.send_message(chat, text).reply_markup(keyboard)).await?;
    }
    Ok(())
}

async fn mine(ctx: &Context, from: &teloxide::types::User, lang: &str) -> String {
    let result = async {
        let actor = actor(ctx, from).await?;
        let filter = RequestFilter {
            requested_by: actor.user,
            ..RequestFilter::default()
        };
        ctx.services
            .requests
            .list(&actor, filter, None, LIST_LIMIT)
            .await
    }
    .await;
    match result {
        Ok(page) if page.items.is_empty() => ctx.catalog.text(lang, "bot-mine-empty", &[]),
        Ok(page) => page
            .items
            .iter()
            .map(|r| {
                let status = ctx
                    .catalog
                    .text(lang, &format!("status-{}", r.status.as_str()), &[]);
                let args = [
                    ("id", r.id.0.to_string()),
                    ("title", r.media.title.clone()),
                    ("status", status),
                ];
                ctx.catalog.text(lang, "bot-mine-line", &args)
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(error) => ctx.catalog.error_text(lang, &error),
    }
}

async fn cancel(ctx: &Context, from: &teloxide::types::User, lang: &str, arg: &str) -> String {
    let Ok(id) = arg.trim().trim_start_matches('#').parse::<i64>() else {
        return ctx.catalog.text(lang, "bot-cancel-usage", &[]);
    };
    let result = async {
        let actor = actor(ctx, from).await?;
        ctx.services.requests.cancel(&actor, RequestId(id)).await
    }
    .await;
    match result {
        Ok(_) => ctx
            .catalog
            .text(lang, "bot-cancelled", &[("id", id.to_string())]),
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
        let filter = RequestFilter {
            statuses: vec![RequestStatus::Pending],
            ..RequestFilter::default()
        };
        ctx.services
            .requests
            .list(&actor, filter, None, LIST_LIMIT)
            .await
    }
    .await;
    let page = match result {
        Ok(page) if page.items.is_empty() => {
            return reply(bot, chat, &ctx.catalog.text(lang, "bot-pending-empty", &[])).await;
        }
        Ok(page) => page,
        Err(error) => return reply(bot, chat, &ctx.catalog.error_text(lang, &error)).await,
    };
    for request in &page.items {
        let who = requester_name(ctx, request.requested_by).await;
        let text = render::approver_card(&ctx.catalog, lang, request, &who);
        let keyboard = render::approver_keyboard(&ctx.catalog, lang, &ctx.codec, request.id.0);
        send::send(&bot.send_message(chat, text).reply_markup(keyboard)).await?;
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

async fn actor(ctx: &Context, from: &teloxide::types::User) -> usher_core::CoreResult<Actor> {
    let user = ctx.user(from).await?;
    let source = Source::Telegram {
        user: from.id.0.to_string(),
    };
    Ok(Actor::user(user.id, source))
}

/// A button press: decode (forged or edited ids stop here), act through core, answer once.
pub(super) async fn callback(
    bot: Bot,
    q: CallbackQuery,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    let lang = ctx.lang(&q.from);
    let invalid = || ctx.catalog.text(&lang, "bot-invalid-button", &[]);
    let (text, alert) = match q.data.as_deref().map(|d| ctx.codec.decode(d)) {
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
    send::send(&answer).await?;
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
                if let Err(error) = send::edit(&edit).await {
                    tracing::warn!(%error, "could not show the decline reasons");
                }
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
        Action::Noop => Ok(None),
        // Paging, season picking and retry buttons are not posted by this bot yet.
        _ => Ok(text("bot-invalid-button")),
    }
}

/// Edits the approver card to show the outcome and who decided, without buttons. The decision
/// already stands, so a failed edit is only logged.
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
    if let Err(error) = send::edit(&bot.edit_message_text(message.chat.id, message.id, text)).await
    {
        tracing::warn!(%error, request = request.id.0, "could not update the approver card");
    }
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
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let upstream = |e: usher_core::integrations::http::UpstreamError| e.into_core(TMDB);
    let (media, seasons) = match media {
        MediaKind::Movie => {
            let movie = tmdb.movie(id, None).await.map_err(upstream)?;
            let media = Media {
                media_type: MediaType::Movie,
                tmdb_id: id,
                tvdb_id: None,
                title: movie.title.clone(),
                year: movie.year,
            };
            (media, Seasons::new([]))
        }
        MediaKind::Tv => {
            let show = tmdb.show(id, None).await.map_err(upstream)?;
            let ids = tmdb
                .external_ids(MediaType::Tv, id)
                .await
                .map_err(upstream)?;
            let seasons = if pick.all {
                Seasons::new(show.seasons.iter().map(|s| s.number).filter(|n| *n > 0))
            } else {
                Seasons::new(pick.seasons().into_iter().map(u16::from))
            };
            let media = Media {
                media_type: MediaType::Tv,
                tmdb_id: id,
                tvdb_id: ids.tvdb_id,
                title: show.title.clone(),
                year: show.year,
            };
            (media, seasons)
        }
    };
    Ok(NewRequest {
        media,
        seasons,
        four_k,
    })
}
