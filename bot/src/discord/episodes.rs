//! `/request tv title:Show S02E05` on Discord: the show's card with one Request button per
//! season of the episodes asked for (signed ids), and the press that asks core for them —
//! the same flow as Telegram's (`crate::flows::episodes`).

use serenity::builder::{
    CreateActionRow, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::ButtonStyle;
use usher_core::CoreError;
use usher_core::domain::{Episodes, MediaType};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Caller, OutcomeKind};

use super::context::{DiscordBot, ephemeral};
use super::render::button;
use super::render::card::{self, Texts};
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
    let key = match outcome.kind {
        OutcomeKind::Created => "discord-requested",
        OutcomeKind::AutoApproved => "discord-auto-approved",
        OutcomeKind::Followed => "discord-following",
    };
    let title = format!(
        "{} · {}",
        outcome.request.media.title, outcome.request.episodes
    );
    Ok(ephemeral(bot.text(lang, key, &[("title", title)])))
}
