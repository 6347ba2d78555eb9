//! `/request movie|tv title:<text>`: autocomplete from the TMDB cache, then the title card with
//! a signed **Request** button.

use serenity::builder::{CreateAutocompleteResponse, CreateCommand, CreateInteractionResponse};
use serenity::model::application::{CommandInteraction, CommandOptionType, ResolvedValue};
use usher_core::CoreError;
use usher_core::domain::{MediaType, TmdbId};
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::{SearchQuery, TmdbClient};

use super::render::{self, TitleView};
use super::{DiscordBot, localize};
use crate::callback::{Action, SeasonPick};

/// The subcommand (`movie` or `tv`) of a `/request` interaction.
fn media_of(cmd: &CommandInteraction) -> Option<MediaType> {
    match cmd.data.options.first().map(|o| o.name.as_str()) {
        Some("movie") => Some(MediaType::Movie),
        Some("tv") => Some(MediaType::Tv),
        _ => None,
    }
}

/// Answers the `title` autocomplete with up to 25 TMDB hits; failures give no choices (an
/// autocomplete answer cannot carry a message).
pub(super) async fn autocomplete(
    bot: &DiscordBot,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let empty = CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new());
    let (Some(media), Some(tmdb), Some(typed)) = (
        media_of(cmd),
        bot.inner.tmdb.as_ref(),
        cmd.data.autocomplete(),
    ) else {
        return empty;
    };
    let text = typed.value.trim();
    if text.is_empty() {
        return empty;
    }
    let query = SearchQuery::new(text);
    let page = match media {
        MediaType::Movie => tmdb.search_movies(&query).await,
        MediaType::Tv => tmdb.search_tv(&query).await,
    };
    match page {
        Ok(page) => CreateInteractionResponse::Autocomplete(render::choices(&page.hits)),
        Err(err) => {
            tracing::warn!(error = %err, "discord autocomplete: TMDB search failed");
            empty
        }
    }
}

/// The `title` option as typed or chosen.
fn title_option(cmd: &CommandInteraction) -> Option<String> {
    let options = cmd.data.options();
    let sub = options.first()?;
    let ResolvedValue::SubCommand(inner) = &sub.value else {
        return None;
    };
    inner.iter().find_map(|o| match (o.name, &o.value) {
        ("title", ResolvedValue::String(v)) => Some((*v).to_owned()),
        _ => None,
    })
}

/// Finds the title: a chosen autocomplete value (`tmdb:<id>`) is looked up by id; anything
/// typed, numbers included ("1917", "2012"), is searched as a title and takes the best hit.
async fn find(
    tmdb: &TmdbClient,
    media: MediaType,
    typed: &str,
) -> Result<Option<(TitleView, TmdbId)>, CoreError> {
    let id = match render::chosen_id(typed) {
        Some(id) => id,
        None => {
            let query = SearchQuery::new(typed.trim());
            let page = match media {
                MediaType::Movie => tmdb.search_movies(&query).await,
                MediaType::Tv => tmdb.search_tv(&query).await,
            }
            .map_err(|e| e.into_core("TMDB"))?;
            let Some(hit) = page.hits.first() else {
                return Ok(None);
            };
            hit.tmdb_id
        }
    };
    details(tmdb, media, id).await.map(|view| Some((view, id)))
}

/// A title's card view from TMDB's (cached) details.
pub(super) async fn details(
    tmdb: &TmdbClient,
    media: MediaType,
    id: TmdbId,
) -> Result<TitleView, CoreError> {
    let poster = |path: &Option<String>| path.as_deref().map(|p| tmdb.poster_url(p));
    match media {
        MediaType::Movie => {
            let m = tmdb
                .movie(id, None)
                .await
                .map_err(|e| e.into_core("TMDB"))?;
            Ok(TitleView {
                title: m.title.clone(),
                year: m.year,
                overview: m.overview.clone(),
                poster_url: poster(&m.poster_path),
            })
        }
        MediaType::Tv => {
            let s = tmdb.show(id, None).await.map_err(|e| e.into_core("TMDB"))?;
            Ok(TitleView {
                title: s.title.clone(),
                year: s.year,
                overview: s.overview.clone(),
                poster_url: poster(&s.poster_path),
            })
        }
    }
}

/// `/request movie|tv title:<text>`: the title card with a **Request** button, ephemeral.
pub(super) async fn request(
    bot: &DiscordBot,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let lang = bot.lang(&cmd.locale);
    let (Some(media), Some(typed)) = (media_of(cmd), title_option(cmd)) else {
        return bot.notice(&lang, "discord-unsupported");
    };
    let Some(tmdb) = bot.inner.tmdb.as_ref() else {
        return bot.notice(&lang, "discord-search-off");
    };
    let (view, id) = match find(tmdb, media, &typed).await {
        Ok(Some(found)) => found,
        Ok(None) => return bot.notice(&lang, "discord-no-results"),
        Err(err) => return bot.error_notice(&lang, &err),
    };
    let action = Action::Request {
        media: media.into(),
        tmdb_id: id.get(),
        four_k: false,
        // A whole show, as on Telegram's quick request: the seasons to come too.
        seasons: SeasonPick {
            mask: 0,
            all: media == MediaType::Tv,
            future: media == MediaType::Tv,
        },
    };
    let label = bot.text(&lang, "discord-button-request", &[]);
    CreateInteractionResponse::Message(render::search_result(
        &view,
        bot.inner.codec.encode(&action),
        &label,
    ))
}

/// The slash commands this module answers, as registered with Discord: `/request movie|tv`
/// with an autocompleted `title`, named and described in every shipped language.
pub fn definitions(catalog: &Catalog) -> Vec<CreateCommand> {
    let title = |media: &str| {
        localize::option(
            catalog,
            CommandOptionType::String,
            "title",
            &format!("title-{media}"),
        )
        .required(true)
        .set_autocomplete(true)
        .max_length(100)
    };
    let sub = |media: &str| {
        localize::option(
            catalog,
            CommandOptionType::SubCommand,
            media,
            &format!("request-{media}"),
        )
        .add_sub_option(title(media))
    };
    let request = localize::command(catalog, "request", "request")
        .add_option(sub("movie"))
        .add_option(sub("tv"));
    vec![request]
}
