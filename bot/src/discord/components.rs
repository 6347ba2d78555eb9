//! Button presses and menu choices: **Request** on a title card (its paging, season menu and
//! **Notify me too** in [`super::cards`]), **Approve** / **Decline** on an approver card
//! (Decline opens the reason modal, see [`super::decline`]).
//! The signed `custom_id` is decoded first, so a forged or edited one changes nothing; core
//! then decides whether the presser may do what the button says.

use serenity::builder::CreateInteractionResponse;
use serenity::model::application::ComponentInteraction;
use usher_core::CoreError;
use usher_core::domain::{Actor, IssueId, MediaType, RequestId, TmdbId};
use usher_core::service::OutcomeKind;

use super::render;
use super::{DiscordBot, cards};
use crate::callback::{Action, SeasonPick};
use crate::flows::search;

/// Handles a component press.
pub(super) async fn press(
    bot: &DiscordBot,
    press: &ComponentInteraction,
) -> CreateInteractionResponse {
    let lang = bot.lang(&press.locale);
    let Ok(action) = bot.inner.codec.decode(&press.data.custom_id) else {
        return bot.notice(&lang, "discord-forged");
    };
    let member = press.member.as_ref();
    let (_, actor) = match bot.actor(&press.user, member, &press.locale).await {
        Ok(found) => found,
        Err(err) => return bot.error_notice(&lang, &err),
    };
    match action {
        Action::Request {
            media,
            tmdb_id,
            four_k,
            seasons,
        } => match request(bot, &lang, &actor, (media.into(), tmdb_id, four_k, seasons)).await {
            Ok(answer) => answer,
            Err(err) => bot.error_notice(&lang, &err),
        },
        Action::Approve { request_id } => {
            approve(bot, &lang, press, &actor, RequestId(request_id)).await
        }
        Action::Decline { request_id } => {
            super::decline::open(bot, &lang, &actor, RequestId(request_id)).await
        }
        Action::Page { search_id, index } => {
            let page = cards::page(bot, &lang, &actor, search_id, index).await;
            page.unwrap_or_else(|err| bot.error_notice(&lang, &err))
        }
        Action::SeasonMenu { tmdb_id, four_k } => {
            let menu = cards::season_menu(bot, &lang, &actor, press, (tmdb_id, four_k)).await;
            menu.unwrap_or_else(|err| bot.error_notice(&lang, &err))
        }
        Action::Follow { request_id } => cards::follow(bot, &lang, &actor, request_id)
            .await
            .unwrap_or_else(|err| bot.error_notice(&lang, &err)),
        // The page counter and "In the library" are disabled; a press changes nothing.
        Action::Noop => CreateInteractionResponse::Acknowledge,
        Action::ResolveIssue { issue_id } => {
            super::issue::resolve(bot, &lang, press, &actor, IssueId(issue_id)).await
        }
        _ => bot.notice(&lang, "discord-unsupported"),
    }
}

/// **Request** (or a season menu's choice): create the request as the presser; a new pending
/// one gets an approver card.
pub(super) async fn request(
    bot: &DiscordBot,
    lang: &str,
    actor: &Actor,
    (media_type, tmdb_id, four_k, pick): (MediaType, u32, bool, SeasonPick),
) -> Result<CreateInteractionResponse, CoreError> {
    let Some(tmdb) = bot.inner.tmdb.as_ref() else {
        return Ok(bot.notice(lang, "discord-search-off"));
    };
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let view = search::view_of_title(tmdb, media_type, id, None).await?;
    let new = crate::flows::new_request(tmdb, media_type, tmdb_id, four_k, pick).await?;
    let outcome = bot.inner.services.requests.create(actor, new).await?;
    let key = match outcome.kind {
        // The approver cards (here and in Telegram's admin chat) come from core's outbox.
        OutcomeKind::Created => "discord-requested",
        OutcomeKind::AutoApproved => "discord-auto-approved",
        OutcomeKind::Followed => "discord-following",
    };
    Ok(super::ephemeral(bot.text(
        lang,
        key,
        &[("title", view.heading())],
    )))
}

/// **Approve**: core checks the permission; on success a card is updated in place (type 7)
/// with the outcome and the actor, an approver list (`/pending`) answers with a notice, and
/// otherwise only the presser is told why not.
async fn approve(
    bot: &DiscordBot,
    lang: &str,
    press: &ComponentInteraction,
    actor: &Actor,
    id: RequestId,
) -> CreateInteractionResponse {
    if let Err(err) = bot.inner.services.requests.approve(actor, id).await {
        return bot.error_notice(lang, &err);
    }
    // The presser as Discord shows them: admins seeded from configuration have no name yet.
    let who = super::display_name(&press.user);
    let outcome = bot.text(lang, "discord-card-approved", &[("who", who)]);
    match super::decline::card_embed(Some(&press.message)) {
        Some(base) => {
            CreateInteractionResponse::UpdateMessage(render::decided_card(base, &outcome))
        }
        None => super::ephemeral(format!("#{id}: {outcome}")),
    }
}
