//! `/request tv title:Show S02E05` on Discord: the show's card with one Request button per
//! season of the episodes asked for (signed ids), and the press that asks core for them —
//! the same flow as Telegram's (`crate::flows::episodes`). Also the episode picker a show's
//! card opens ("Episodes of one season…"): a private message listing that season's episodes
//! from TMDB, 25 a page, whose choice is asked for through the same flow.

use serenity::builder::{
    CreateActionRow, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::{
    ButtonStyle, ComponentInteraction, ComponentInteractionDataKind,
};
use usher_core::CoreError;
use usher_core::domain::{Episodes, MediaType, TmdbId};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Caller, OutcomeKind, RequestOutcome};

use super::context::{DiscordBot, ephemeral};
use super::render::card::episode_picker::{self, PickerAt};
use super::render::card::{self, Texts};
use super::render::{self, button};
use crate::callback::EpisodePick;
use crate::flows::episodes::{self as shared, by_season};
use crate::flows::search;

/// The card of the show `title` names, with a button per season of `episodes`; ephemeral.
pub(super) async fn card(
    bot: &DiscordBot,
    caller: &Caller,
    tmdb: &TmdbClient,
    (title, episodes): (&str, &Episodes),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let buttons = by_season(episodes)?;
    let language = search::tmdb_language(lang);
    let asked = (title, Some(MediaType::Tv), language);
    let Some(shown) = search::open(bot.services(), tmdb, asked, caller).await? else {
        return Ok(bot.notice(lang, "discord-no-results"));
    };
    let texts = Texts {
        catalog: bot.catalog(),
        lang,
    };
    let (embed, _) = card::card(&texts, bot.codec(), &shown.view, &shown.offer, shown.place);
    // Discord allows five rows of five buttons.
    let row: Vec<_> = buttons
        .iter()
        .take(5)
        .map(|b| {
            let label = bot.text(
                lang,
                "card-request-episodes",
                &[("episodes", b.label.clone())],
            );
            let id = bot.codec().encode(&b.action(shown.view.tmdb_id, false));
            button(id, &label, ButtonStyle::Primary)
        })
        .collect();
    let message = CreateInteractionResponseMessage::new()
        .embed(embed)
        .components(vec![CreateActionRow::Buttons(row)])
        .ephemeral(true);
    Ok(CreateInteractionResponse::Message(message))
}

/// A press of an episode button: core's request, said to the presser.
pub(super) async fn ask(
    bot: &DiscordBot,
    caller: &Caller,
    (tmdb_id, four_k, season, pick): (u32, bool, u8, EpisodePick),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let tmdb = search::configured(bot.tmdb())?;
    let outcome = shared::ask(
        bot.services(),
        tmdb,
        caller,
        (tmdb_id, four_k, season, pick),
    )
    .await?;
    Ok(said(bot, lang, &outcome))
}

/// What became of an episode request, told privately: asked, auto-approved or followed.
fn said(bot: &DiscordBot, lang: &str, outcome: &RequestOutcome) -> CreateInteractionResponse {
    let key = match outcome.kind {
        OutcomeKind::Created => "discord-requested",
        OutcomeKind::AutoApproved => "discord-auto-approved",
        OutcomeKind::Followed => "discord-following",
    };
    let title = format!(
        "{} · {}",
        outcome.request.media.title, outcome.request.episodes
    );
    ephemeral(bot.text(lang, key, &[("title", title)]))
}

/// The values a select sent; `None` for a button (which no menu id of ours is).
fn values(press: &ComponentInteraction) -> Option<&[String]> {
    match &press.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => Some(values),
        _ => None,
    }
}

/// "Episodes of one season…" on a show's card: the season chosen (checked against the show's
/// seasons, fresh from TMDB) opens its episode picker, privately.
pub(super) async fn open_picker(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    tmdb_id: u32,
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let Some(values) = values(press) else {
        return Ok(bot.notice(lang, "discord-forged"));
    };
    let tmdb = search::configured(bot.tmdb())?;
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let language = search::tmdb_language(lang);
    let view = search::view_of_title(tmdb, MediaType::Tv, id, language).await?;
    let Ok(season) = episode_picker::chosen_season(values, &view) else {
        tracing::info!(?values, "refused an episode season menu value");
        return Ok(bot.notice(lang, "discord-season-invalid"));
    };
    let numbers = shared::season_episodes(tmdb, (tmdb_id, season), language).await?;
    if numbers.is_empty() {
        return Ok(bot.notice(lang, "discord-episodes-none"));
    }
    let texts = Texts {
        catalog: bot.catalog(),
        lang,
    };
    let at = PickerAt { tmdb_id, season };
    let rows = episode_picker::picker(&texts, bot.codec(), at, &numbers, 0);
    let heading = bot.text(
        lang,
        "discord-episodes-pick",
        &[
            ("title", view.title.clone()),
            ("season", season.to_string()),
        ],
    );
    let message = CreateInteractionResponseMessage::new()
        .content(render::clip(&heading, render::MAX_CONTENT))
        .components(rows)
        .ephemeral(true);
    Ok(CreateInteractionResponse::Message(message))
}

/// ◀ ▶ in the episode picker: the same message, another page of the season's episodes.
pub(super) async fn turn_page(
    bot: &DiscordBot,
    caller: &Caller,
    (tmdb_id, season, page): (u32, u8, u8),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let tmdb = search::configured(bot.tmdb())?;
    let language = search::tmdb_language(lang);
    let numbers = shared::season_episodes(tmdb, (tmdb_id, season), language).await?;
    if numbers.is_empty() {
        return Ok(bot.notice(lang, "discord-episodes-none"));
    }
    let texts = Texts {
        catalog: bot.catalog(),
        lang,
    };
    let at = PickerAt { tmdb_id, season };
    let rows = episode_picker::picker(&texts, bot.codec(), at, &numbers, page);
    let message = CreateInteractionResponseMessage::new().components(rows);
    Ok(CreateInteractionResponse::UpdateMessage(message))
}

/// The episode picker's choice: checked against that page of TMDB's list, then asked for
/// through the flow Telegram's buttons use; said to the presser.
pub(super) async fn ask_picked(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    (tmdb_id, season, page): (u32, u8, u8),
) -> Result<CreateInteractionResponse, CoreError> {
    let lang = &caller.language;
    let Some(values) = values(press) else {
        return Ok(bot.notice(lang, "discord-forged"));
    };
    let tmdb = search::configured(bot.tmdb())?;
    let language = search::tmdb_language(lang);
    let numbers = shared::season_episodes(tmdb, (tmdb_id, season), language).await?;
    let Ok(chosen) = episode_picker::chosen_episodes(values, &numbers, page) else {
        tracing::info!(?values, "refused an episode menu value");
        return Ok(bot.notice(lang, "discord-episodes-invalid"));
    };
    let asked = (tmdb_id, false, season);
    let outcome = shared::ask_numbers(bot.services(), tmdb, caller, asked, &chosen).await?;
    Ok(said(bot, lang, &outcome))
}
