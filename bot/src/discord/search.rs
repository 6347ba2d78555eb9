//! Search and request: `/request movie|tv title:<text>` (its `title` autocompleted from the
//! TMDB cache) answers with the title card; the card's own presses turn it to another result
//! of its stored search (◀ ▶, the message updated in place, type 7), request the title
//! (**Request**, or the seasons chosen in the season menu) and make the presser a follower of
//! someone else's request (**Notify me too**). Everything comes from the signed id and the
//! database, so a card keeps working after a restart.

use serenity::builder::{
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::{
    CommandInteraction, ComponentInteraction, ComponentInteractionDataKind, ResolvedValue,
};
use usher_core::CoreError;
use usher_core::domain::{Episodes, MediaType, PlaceKey, RequestId, TmdbId};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Caller, OutcomeKind};

use super::context::{DiscordBot, ephemeral};
use super::render;
use super::render::card::{self, MenuError, Texts};
use crate::callback::SeasonPick;
use crate::flows::search::{self, Shown};
use crate::view::card::{Place, list_mark};

/// The subcommand (`movie` or `tv`) of a `/request` interaction.
fn media_of(cmd: &CommandInteraction) -> Option<MediaType> {
    match cmd.data.options.first().map(|o| o.name.as_str()) {
        Some("movie") => Some(MediaType::Movie),
        Some("tv") => Some(MediaType::Tv),
        _ => None,
    }
}

/// Answers the `title` autocomplete with up to 25 TMDB hits, each marked with what the library
/// index says of it (from memory); failures give no choices (an autocomplete answer cannot
/// carry a message).
pub(super) async fn complete(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateAutocompleteResponse {
    let (Some(media), Some(tmdb), Some(typed)) =
        (media_of(cmd), bot.tmdb(), cmd.data.autocomplete())
    else {
        return CreateAutocompleteResponse::new();
    };
    let text = typed.value.trim();
    if text.is_empty() {
        return CreateAutocompleteResponse::new();
    }
    let services = bot.services();
    match search::results((services, caller), tmdb, text, Some(media), None).await {
        Ok(page) => {
            let titles = &bot.services().titles;
            render::choices(&page.hits, |hit| {
                let mark = titles.mark(hit.media_type, hit.tmdb_id)?;
                Some(list_mark(bot.catalog(), &caller.language, &mark))
            })
        }
        Err(err) => {
            tracing::warn!(error = %err, "discord autocomplete: TMDB search failed");
            CreateAutocompleteResponse::new()
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

/// The `note` option as typed, if any.
fn note_option(cmd: &CommandInteraction) -> Option<String> {
    let options = cmd.data.options();
    let sub = options.first()?;
    let ResolvedValue::SubCommand(inner) = &sub.value else {
        return None;
    };
    inner.iter().find_map(|o| match (o.name, &o.value) {
        ("note", ResolvedValue::String(v)) => Some((*v).to_owned()),
        _ => None,
    })
}

/// `/request movie|tv title:<text>`: the title card, ephemeral. A `note` is kept by core for
/// the request the member then makes from the card (a button cannot carry it); a note core
/// refuses is answered instead of the card. Text the member typed is
/// searched and remembered (core's `SearchService`), so ◀ ▶ page through the results; a picked
/// suggestion (`tmdb:<id>`) is that one title.
pub(super) async fn request(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let (Some(media), Some(typed)) = (media_of(cmd), title_option(cmd)) else {
        return bot.notice(lang, "discord-unsupported");
    };
    let Some(tmdb) = bot.tmdb() else {
        return bot.notice(lang, "discord-search-off");
    };
    if let Some(note) = note_option(cmd) {
        let requests = &bot.services().requests;
        if let Err(err) = requests.draft_note(&caller.actor, &note).await {
            return bot.error_notice(lang, &err);
        }
    }
    if media == MediaType::Tv {
        // `Show S02E05`: the card for asking those episodes.
        match Episodes::split_query(&typed) {
            Ok((title, Some(episodes))) => {
                return super::episodes::card(bot, caller, tmdb, (title, &episodes))
                    .await
                    .unwrap_or_else(|err| bot.error_notice(lang, &err));
            }
            Ok((_, None)) => {}
            Err(err) => return bot.error_notice(lang, &err),
        }
    }
    match find(bot, tmdb, caller, media, &typed).await {
        Ok(Some(shown)) => {
            CreateInteractionResponse::Message(message(bot, lang, &shown).ephemeral(true))
        }
        Ok(None) => bot.notice(lang, "discord-no-results"),
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// The card for what the member gave: a picked suggestion is looked up by id; anything typed,
/// numbers included ("1917", "2012"), is searched as a title, remembered, and shows its first
/// hit. `None` when the search finds nothing.
async fn find(
    bot: &DiscordBot,
    tmdb: &TmdbClient,
    caller: &Caller,
    media: MediaType,
    typed: &str,
) -> Result<Option<Shown>, CoreError> {
    let services = bot.services();
    let language = search::tmdb_language(&caller.language);
    let Some(id) = render::chosen_id(typed) else {
        let asked = (typed.trim(), Some(media), language);
        return search::open(services, tmdb, asked, caller).await;
    };
    let mut view = search::view_of_title(tmdb, media, id, language).await?;
    let offer = search::offer(services, caller, &view).await?;
    search::hold(&mut view, &offer);
    let place = Place::ALONE;
    Ok(Some(Shown { view, offer, place }))
}

/// The card for `shown`, as a message (ephemeral when it is a new answer; an update keeps the
/// message's own flags).
fn message(bot: &DiscordBot, lang: &str, shown: &Shown) -> CreateInteractionResponseMessage {
    let texts = Texts {
        catalog: bot.catalog(),
        lang,
    };
    let (embed, rows) = card::card(&texts, bot.codec(), &shown.view, &shown.offer, shown.place);
    CreateInteractionResponseMessage::new()
        .embed(embed)
        .components(rows)
}

/// ◀ or ▶: the card becomes result `index` of the stored search, edited in place; a search
/// that has been forgotten only gets a notice, and the card stays as it was.
pub(super) async fn page(
    bot: &DiscordBot,
    caller: &Caller,
    search_id: u64,
    index: u16,
) -> Result<CreateInteractionResponse, CoreError> {
    let tmdb = search::configured(bot.tmdb())?;
    let lang = &caller.language;
    match search::recall(bot.services(), tmdb, caller, search_id, index).await? {
        Some(shown) => Ok(CreateInteractionResponse::UpdateMessage(message(
            bot, lang, &shown,
        ))),
        None => Ok(bot.notice(lang, "card-search-expired")),
    }
}

/// The season menu was submitted: the chosen values are checked against the show's seasons
/// as TMDB lists them now (a forged value requests nothing), then requested like a button.
pub(super) async fn season_menu(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    (tmdb_id, four_k): (u32, bool),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let ComponentInteractionDataKind::StringSelect { values } = &press.data.kind else {
        return Ok(bot.notice(lang, "discord-forged"));
    };
    let tmdb = search::configured(bot.tmdb())?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let view = search::view_of_title(tmdb, MediaType::Tv, id, None).await?;
    let pick = match card::chosen_seasons(values, &view) {
        Ok(pick) => pick,
        Err(MenuError::Forged) => {
            tracing::info!(?values, "refused a season menu value");
            return Ok(bot.notice(lang, "discord-season-invalid"));
        }
        Err(MenuError::NoSeason) => return Ok(bot.notice(lang, "discord-season-none")),
    };
    let place = super::votes::place_of(press.guild_id);
    ask(bot, caller, (MediaType::Tv, tmdb_id, four_k, pick), place).await
}

/// **Notify me too**: the presser follows someone else's request and hears when it is there.
pub(super) async fn follow(
    bot: &DiscordBot,
    caller: &Caller,
    request_id: i64,
) -> Result<CreateInteractionResponse, CoreError> {
    let requests = &bot.services().requests;
    requests
        .follow(&caller.actor, RequestId(request_id))
        .await?;
    Ok(bot.notice(&caller.language, "bot-followed"))
}

/// **Request** (or a season menu's choice): create the request as the presser, from `place`
/// (the server, whose budget then counts it); a new pending one gets an approver card (from
/// core's outbox, here and in Telegram's admin chat) and, in a server, a public card others
/// vote on.
pub(super) async fn ask(
    bot: &DiscordBot,
    caller: &Caller,
    (media_type, tmdb_id, four_k, pick): (MediaType, u32, bool, SeasonPick),
    place: Option<PlaceKey>,
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let Some(tmdb) = bot.tmdb() else {
        return Ok(bot.notice(lang, "discord-search-off"));
    };
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let view = search::view_of_title(tmdb, media_type, id, None).await?;
    let new = crate::flows::new_request(tmdb, media_type, tmdb_id, four_k, pick).await?;
    let requests = &bot.services().requests;
    let outcome = requests.create_at(&caller.actor, new, place).await?;
    if outcome.place.is_some() && outcome.kind == OutcomeKind::Created {
        return Ok(super::votes::card(bot, caller, &outcome));
    }
    let key = match outcome.kind {
        OutcomeKind::Created => "discord-requested",
        OutcomeKind::AutoApproved => "discord-auto-approved",
        OutcomeKind::Followed => "discord-following",
    };
    Ok(ephemeral(bot.text(lang, key, &[("title", view.heading())])))
}
