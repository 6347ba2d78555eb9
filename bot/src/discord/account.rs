//! The member's own business: `/mine` lists their requests, `/cancel` withdraws one (the same
//! flows as Telegram's commands, [`crate::flows`]), and `/link` joins accounts across
//! platforms with core's one-time codes. Without a code `/link` issues one for the member
//! (shown only to them); with `code:` it redeems a code issued elsewhere (the web console's
//! account page, or another account's `/link`), joining this Discord account to that user —
//! also for a newcomer that registration refuses, which is how they get in. Core checks and
//! records everything.

use serenity::builder::CreateInteractionResponse;
use serenity::model::application::{CommandInteraction, ResolvedValue};
use usher_core::CoreError;
use usher_core::domain::Platform;
use usher_core::service::Caller;
use usher_core::service::link::LINK_CODE_TTL;
use usher_core::service::users::NOT_REGISTERED;

use super::context::{self, DiscordBot, Refused, ephemeral};
use crate::flows;

/// Longest code accepted as typed (codes are 8 characters; people add spaces and dashes).
pub(super) const MAX_CODE: u16 = 20;

/// `/mine`: the member's latest requests with their status.
/// In a server, what is left of its shared budget shows too.
pub(super) async fn mine(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let (services, catalog) = (bot.services(), bot.catalog());
    let place = super::votes::place_of(cmd.guild_id);
    ephemeral(flows::mine(services, catalog, &caller.language, &caller.actor, place).await)
}

/// `/cancel request:<number>`: withdraws one of the member's pending requests.
pub(super) async fn cancel(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let Some(id) = number(cmd) else {
        return bot.notice(lang, "discord-cancel-usage");
    };
    let (services, catalog) = (bot.services(), bot.catalog());
    ephemeral(flows::cancel(services, catalog, lang, &caller.actor, id).await)
}

/// The `request` option of `/cancel`.
fn number(cmd: &CommandInteraction) -> Option<i64> {
    cmd.data
        .options()
        .iter()
        .find_map(|o| match (o.name, &o.value) {
            ("request", ResolvedValue::Integer(n)) if *n > 0 => Some(*n),
            _ => None,
        })
}

/// Answers `/link` (a fresh code) or `/link code:<code>` (redeems it), ephemerally.
pub(super) async fn link(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let links = &bot.services().links;
    let Some(code) = code_option(cmd) else {
        return match links.create_code(&caller.actor).await {
            Ok(issued) => {
                let minutes = (LINK_CODE_TTL.as_secs() / 60).to_string();
                let args = [("code", issued.code), ("minutes", minutes)];
                ephemeral(bot.text(lang, "discord-link-code", &args))
            }
            Err(err) => bot.error_notice(lang, &err),
        };
    };
    match links.redeem(&caller.actor, &code).await {
        Ok(_) => bot.notice(lang, "discord-link-done"),
        Err(CoreError::NotFound(_)) => bot.notice(lang, "discord-link-bad-code"),
        Err(CoreError::Conflict(_)) => bot.notice(lang, "discord-link-already"),
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// `/link code:<code>` from an account Usher has never seen while registration refuses
/// newcomers: a code from an admin is their way in, joining the account to the code's owner
/// without a user of its own. `None` (the usual refusal) for any other refusal.
pub(super) async fn join(
    bot: &DiscordBot,
    refused: &Refused,
    cmd: &CommandInteraction,
) -> Option<CreateInteractionResponse> {
    let newcomer = matches!(&refused.error, CoreError::Forbidden(why) if why == NOT_REGISTERED);
    let code = code_option(cmd).filter(|_| newcomer)?;
    let lang = &refused.lang;
    let id = cmd.user.id.get().to_string();
    let display = context::display_name(&cmd.user);
    let links = &bot.services().links;
    Some(
        match links
            .redeem_as_newcomer(Platform::Discord, &id, &display, &code)
            .await
        {
            Ok(_) => bot.notice(lang, "discord-link-done"),
            Err(CoreError::NotFound(_)) => bot.notice(lang, "discord-link-bad-code"),
            Err(err) => bot.error_notice(lang, &err),
        },
    )
}

/// The `code` option, when given and not blank.
fn code_option(cmd: &CommandInteraction) -> Option<String> {
    cmd.data
        .options()
        .iter()
        .find_map(|o| match (o.name, &o.value) {
            ("code", ResolvedValue::String(v)) if !v.trim().is_empty() => Some((*v).to_owned()),
            _ => None,
        })
}
