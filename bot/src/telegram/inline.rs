//! Inline mode: `@bot dune` in any chat lists TMDB's results as photos (an article when a title
//! has no poster). Choosing one posts a card with a signed Request button; pressing it later
//! comes back as a callback query with an `inline_message_id` and no message, and requests
//! like any other card's button (core decides, as always). Results are paged with Telegram's
//! `offset`: the offset is the next TMDB page. Each result's description starts with what the
//! library index says of the title ("✅ Available", "⬇️ Downloading 42 %"…).

use std::collections::HashSet;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{
    InlineQuery, InlineQueryResult, InlineQueryResultArticle, InlineQueryResultPhoto,
    InputMessageContent, InputMessageContentText,
};
use usher_core::domain::MediaType;
use usher_core::integrations::tmdb::{SearchHit, SearchQuery, TmdbClient};
use usher_core::service::Caller;

use super::HandlerError;
use super::context::Context;
use super::render::{self, MAX_CAPTION, MAX_TEXT};
use crate::flows::search::tmdb_language;
use crate::view::card::list_mark;

/// Telegram takes at most 50 results per answer.
pub const MAX_RESULTS: usize = 50;
/// How long Telegram may reuse an answer for the same query from the same person (seconds).
const CACHE_SECONDS: u32 = 300;
/// TMDB serves at most this many pages.
const LAST_PAGE: u32 = 500;
/// Longest description under a result, in characters.
const DESCRIPTION_CHARS: usize = 120;

/// An inline query: search TMDB and answer with up to one page of results.
pub(super) async fn inline_query(
    bot: Bot,
    q: InlineQuery,
    ctx: Arc<Context>,
    caller: Caller,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "inline");
    let lang = caller.language;
    let text = q.query.trim();
    let page_number = q.offset.parse::<u32>().unwrap_or(1).clamp(1, LAST_PAGE);
    let (results, next) = match &ctx.tmdb {
        Some(tmdb) if !text.is_empty() => {
            let mut query = SearchQuery::new(text).page(page_number);
            if let Some(language) = tmdb_language(&lang) {
                query = query.language(language);
            }
            match tmdb.search_multi(&query).await {
                Ok(page) => {
                    let limit = &caller.content_limit;
                    let page = ctx.services.titles.offerable_page(limit, page).await;
                    let more = page.page < page.total_pages.min(LAST_PAGE);
                    let next = if more {
                        (page_number + 1).to_string()
                    } else {
                        String::new()
                    };
                    (results(&ctx, tmdb, &lang, &page.hits), next)
                }
                Err(error) => {
                    tracing::info!(%error, "inline search failed");
                    (Vec::new(), String::new())
                }
            }
        }
        _ => (Vec::new(), String::new()),
    };
    let answer = bot
        .answer_inline_query(q.id.clone(), results)
        .cache_time(CACHE_SECONDS)
        .is_personal(true)
        .next_offset(next);
    // Answered directly, not through the send queue: not a chat message, and Telegram wants
    // the answer while the person is typing.
    answer.await?;
    Ok(())
}

/// The results for a page of hits: ids unique, at most [`MAX_RESULTS`].
pub(super) fn results(
    ctx: &Context,
    tmdb: &TmdbClient,
    lang: &str,
    hits: &[SearchHit],
) -> Vec<InlineQueryResult> {
    let mut seen = HashSet::new();
    hits.iter()
        .filter(|hit| seen.insert((hit.media_type, hit.tmdb_id)))
        .take(MAX_RESULTS)
        .map(|hit| result(ctx, tmdb, lang, hit))
        .collect()
}

/// One result: the poster as a photo (its caption and Request button become the posted card),
/// or an article for a title without a poster.
fn result(ctx: &Context, tmdb: &TmdbClient, lang: &str, hit: &SearchHit) -> InlineQueryResult {
    let id = result_id(hit.media_type, hit.tmdb_id.get());
    let keyboard = render::result_keyboard(
        &ctx.catalog,
        lang,
        &ctx.codec,
        hit.media_type,
        hit.tmdb_id.get(),
    );
    let heading = match hit.year {
        Some(year) => format!("{} ({year})", hit.title),
        None => hit.title.clone(),
    };
    let description = described(ctx, lang, hit);
    let urls = hit.poster_path.as_deref().and_then(|path| {
        let photo = url::Url::parse(&tmdb.poster_url(path)).ok()?;
        let thumbnail = url::Url::parse(&tmdb.image_url("w185", path)).ok()?;
        Some((photo, thumbnail))
    });
    if let Some((photo, thumbnail)) = urls {
        let caption = render::card_caption(&hit.title, hit.year, &hit.overview, MAX_CAPTION);
        let mut photo = InlineQueryResultPhoto::new(id, photo, thumbnail)
            .title(heading)
            .caption(caption)
            .reply_markup(keyboard);
        if !description.is_empty() {
            photo = photo.description(description);
        }
        return InlineQueryResult::Photo(photo);
    }
    let text = render::card_caption(&hit.title, hit.year, &hit.overview, MAX_TEXT);
    let content = InputMessageContent::Text(InputMessageContentText::new(text));
    let mut article = InlineQueryResultArticle::new(id, heading, content).reply_markup(keyboard);
    if !description.is_empty() {
        article = article.description(description);
    }
    InlineQueryResult::Article(article)
}

/// The line under a result: what the library index says of it (from memory: "✅ Available",
/// "⬇️ Downloading 42 %"…), then the start of the overview.
fn described(ctx: &Context, lang: &str, hit: &SearchHit) -> String {
    let overview = render::trim_chars(hit.overview.trim(), DESCRIPTION_CHARS);
    let Some(mark) = ctx.services.titles.mark(hit.media_type, hit.tmdb_id) else {
        return overview;
    };
    let mark = list_mark(&ctx.catalog, lang, &mark);
    if overview.is_empty() {
        mark
    } else {
        format!("{mark} · {overview}")
    }
}

/// `m438631` or `t1396`: unique within an answer and far below Telegram's 64 bytes.
pub(super) fn result_id(media: MediaType, tmdb_id: u32) -> String {
    let kind = match media {
        MediaType::Movie => 'm',
        MediaType::Tv => 't',
    };
    format!("{kind}{tmdb_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_ids_are_short_and_tell_kinds_apart() {
        let movie = result_id(MediaType::Movie, u32::MAX);
        assert!(movie.len() <= 64);
        assert_ne!(movie, result_id(MediaType::Tv, u32::MAX));
    }
}
