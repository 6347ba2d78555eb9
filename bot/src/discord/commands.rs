//! `/request movie|tv title:<text>`: autocomplete from the TMDB cache, then the title card
//! (see [`super::cards`]).

use serenity::builder::{CreateAutocompleteResponse, CreateCommand, CreateInteractionResponse};
use serenity::model::application::{CommandInteraction, CommandOptionType, ResolvedValue};
use usher_core::CoreError;
use usher_core::domain::{Actor, MediaType, TmdbId};
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;

use super::render::{self, TitleView};
use super::{DiscordBot, localize};
use crate::flows::search::{self, Shown};
use crate::view::card::Place;

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
    let page = search::results(tmdb, text, Some(media), None).await;
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

/// A title's view for an approver card, from TMDB's (cached) details.
pub(super) async fn details(
    tmdb: &TmdbClient,
    media: MediaType,
    id: TmdbId,
) -> Result<TitleView, CoreError> {
    let view = search::view_of_title(tmdb, media, id, None).await?;
    Ok(TitleView {
        title: view.title,
        year: view.year,
        overview: view.overview,
        poster_url: view.poster.map(String::from),
    })
}

/// `/request movie|tv title:<text>`: the title card, ephemeral. Text the member typed is
/// searched and remembered (core's `SearchService`), so ◀ ▶ page through the results; a picked
/// suggestion (`tmdb:<id>`) is that one title.
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
    let who = async {
        let (_, actor) = bot
            .actor(&cmd.user, cmd.member.as_deref(), &cmd.locale)
            .await?;
        Ok(actor)
    };
    match find(bot, tmdb, who, media, &typed, &lang).await {
        Ok(Some(shown)) => {
            let message = super::cards::message(bot, &lang, &shown).ephemeral(true);
            CreateInteractionResponse::Message(message)
        }
        Ok(None) => bot.notice(&lang, "discord-no-results"),
        Err(err) => bot.error_notice(&lang, &err),
    }
}

/// The card for what the member gave: a picked suggestion is looked up by id; anything typed,
/// numbers included ("1917", "2012"), is searched as a title, remembered, and shows its first
/// hit. `None` when the search finds nothing.
async fn find(
    bot: &DiscordBot,
    tmdb: &TmdbClient,
    who: impl Future<Output = Result<Actor, CoreError>>,
    media: MediaType,
    typed: &str,
    lang: &str,
) -> Result<Option<Shown>, CoreError> {
    let services = &bot.inner.services;
    let language = search::tmdb_language(lang);
    let Some(id) = render::chosen_id(typed) else {
        let asked = (typed.trim(), Some(media), language);
        return search::open(services, tmdb, asked, who).await;
    };
    let actor = who.await?;
    let view = search::view_of_title(tmdb, media, id, language).await?;
    let offer = search::offer(services, &actor, &view).await?;
    let place = Place::ALONE;
    Ok(Some(Shown { view, offer, place }))
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
