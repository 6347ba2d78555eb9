//! Button presses, menu choices and modal submits, routed by their signed `custom_id`: it is
//! decoded first, so a forged or edited one changes nothing, and the action it names goes to
//! its feature — a title card's **Request**, paging, season menu and **Notify me too**
//! (`search`), its episode picker (`episodes`), **Approve**, **Retry** and **Decline** (`decide`, `decline`), an issue card's **Resolve**
//! (`issue`). Core then decides whether the caller may do what the button says.

use serenity::builder::CreateInteractionResponse;
use serenity::model::application::{ComponentInteraction, ModalInteraction};
use usher_core::CoreResult;
use usher_core::domain::{IssueId, RequestId};
use usher_core::service::Caller;

use super::context::DiscordBot;
use super::{decide, decline, discover, issue, search, votes};
use crate::callback::{Action, CallbackError};

/// Handles a component press.
pub(super) async fn press(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
) -> CreateInteractionResponse {
    let action = match bot.codec().decode(&press.data.custom_id) {
        Ok(action) => action,
        Err(error) => return forged(bot, caller, &error).await,
    };
    let or_notice = |answer: CoreResult<CreateInteractionResponse>| {
        answer.unwrap_or_else(|err| bot.error_notice(&caller.language, &err))
    };
    match action {
        Action::Request {
            media,
            tmdb_id,
            four_k,
            seasons,
        } => {
            let asked = (media.into(), tmdb_id, four_k, seasons);
            or_notice(search::ask(bot, caller, asked, votes::place_of(press.guild_id)).await)
        }
        Action::Vote { request_id } => or_notice(votes::vote(bot, caller, press, request_id).await),
        Action::Page { search_id, index } => {
            or_notice(search::page(bot, caller, search_id, index).await)
        }
        Action::SeasonMenu { tmdb_id, four_k } => {
            or_notice(search::season_menu(bot, caller, press, (tmdb_id, four_k)).await)
        }
        Action::Follow { request_id } => or_notice(search::follow(bot, caller, request_id).await),
        Action::Approve { request_id } => {
            decide::approve(bot, caller, press, RequestId(request_id)).await
        }
        Action::Decline { request_id } => decline::open(bot, caller, RequestId(request_id)).await,
        Action::Retry { request_id } => {
            decide::retry(bot, caller, press, RequestId(request_id)).await
        }
        Action::ResolveIssue { issue_id } => {
            issue::resolve(bot, caller, press, IssueId(issue_id)).await
        }
        Action::RequestEpisodes {
            tmdb_id,
            four_k,
            season,
            episodes,
        } => {
            or_notice(super::episodes::ask(bot, caller, (tmdb_id, four_k, season, episodes)).await)
        }
        Action::Discover { list, page } => {
            or_notice(discover::page(bot, caller, (list, page)).await)
        }
        Action::Genres { media } => or_notice(discover::genres(bot, caller, media.into()).await),
        Action::OpenTitle { media, tmdb_id } => {
            or_notice(discover::open(bot, caller, (media.into(), tmdb_id)).await)
        }
        Action::EpisodeSeasons { tmdb_id } => {
            or_notice(super::episodes::open_picker(bot, caller, press, tmdb_id).await)
        }
        Action::EpisodeMenu {
            tmdb_id,
            season,
            page,
        } => {
            let at = (tmdb_id, season, page);
            or_notice(super::episodes::ask_picked(bot, caller, press, at).await)
        }
        Action::EpisodePage {
            tmdb_id,
            season,
            page,
        } => or_notice(super::episodes::turn_page(bot, caller, (tmdb_id, season, page)).await),
        // The page counter and "In the library" are disabled; a press changes nothing.
        Action::Noop => CreateInteractionResponse::Acknowledge,
        _ => bot.notice(&caller.language, "discord-unsupported"),
    }
}

/// Handles a modal submit: only the Decline reason modal exists, its id the signed action.
pub(super) async fn submit(
    bot: &DiscordBot,
    caller: &Caller,
    modal: &ModalInteraction,
) -> CreateInteractionResponse {
    match bot.codec().decode(&modal.data.custom_id) {
        Ok(Action::Decline { request_id }) => {
            decline::submit(bot, caller, modal, RequestId(request_id)).await
        }
        Ok(_) => bot.notice(&caller.language, "discord-forged"),
        Err(error) => forged(bot, caller, &error).await,
    }
}

/// Refuses an id that did not decode, telling the admins when it was tampered with.
async fn forged(
    bot: &DiscordBot,
    caller: &Caller,
    error: &CallbackError,
) -> CreateInteractionResponse {
    if error.is_forgery() {
        bot.services().security.forged_button(caller).await;
    }
    bot.notice(&caller.language, "discord-forged")
}
