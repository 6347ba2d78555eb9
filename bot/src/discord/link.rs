//! `/link`: joins accounts across platforms with core's one-time codes. Without a code it
//! issues one for the member (shown only to them); with `code:` it redeems a code issued
//! elsewhere (the web console's account page, or another account's `/link`), joining this
//! Discord account to that user. Core checks and records everything.

use serenity::builder::{CreateCommand, CreateInteractionResponse};
use serenity::model::application::{CommandInteraction, CommandOptionType, ResolvedValue};
use usher_core::CoreError;
use usher_core::domain::{Actor, Platform};
use usher_core::i18n::Catalog;
use usher_core::service::link::LINK_CODE_TTL;
use usher_core::service::users::NOT_REGISTERED;

use super::{DiscordBot, ephemeral, localize};

/// Longest code accepted as typed (codes are 8 characters; people add spaces and dashes).
const MAX_CODE: u16 = 20;

/// Whether this module answers the command `name`.
pub(super) fn handles(name: &str) -> bool {
    name == "link"
}

/// Answers `/link` or `/link code:<code>`, ephemerally.
pub(super) async fn run(bot: &DiscordBot, cmd: &CommandInteraction) -> CreateInteractionResponse {
    let lang = bot.lang(&cmd.locale);
    let found = bot
        .actor(&cmd.user, cmd.member.as_deref(), &cmd.locale)
        .await;
    match (found, code_option(cmd)) {
        (Ok((_, actor)), None) => issue(bot, &lang, &actor).await,
        (Ok((_, actor)), Some(code)) => redeem(bot, &lang, &actor, &code).await,
        // Registration refuses newcomers: a code from an admin is their way in.
        (Err(CoreError::Forbidden(why)), Some(code)) if why == NOT_REGISTERED => {
            join(bot, &lang, cmd, &code).await
        }
        (Err(err), _) => bot.error_notice(&lang, &err),
    }
}

/// Joins an account Usher has never seen to the code's owner, without a user of its own.
async fn join(
    bot: &DiscordBot,
    lang: &str,
    cmd: &CommandInteraction,
    code: &str,
) -> CreateInteractionResponse {
    let id = cmd.user.id.get().to_string();
    let display = super::display_name(&cmd.user);
    let links = &bot.inner.services.links;
    match links
        .redeem_as_newcomer(Platform::Discord, &id, &display, code)
        .await
    {
        Ok(_) => bot.notice(lang, "discord-link-done"),
        Err(CoreError::NotFound(_)) => bot.notice(lang, "discord-link-bad-code"),
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// A fresh code for the member, with how long it works.
async fn issue(bot: &DiscordBot, lang: &str, actor: &Actor) -> CreateInteractionResponse {
    match bot.inner.services.links.create_code(actor).await {
        Ok(issued) => {
            let minutes = (LINK_CODE_TTL.as_secs() / 60).to_string();
            let args = [("code", issued.code), ("minutes", minutes)];
            ephemeral(bot.text(lang, "discord-link-code", &args))
        }
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// Joins this account to the code's owner.
async fn redeem(
    bot: &DiscordBot,
    lang: &str,
    actor: &Actor,
    code: &str,
) -> CreateInteractionResponse {
    match bot.inner.services.links.redeem(actor, code).await {
        Ok(_) => bot.notice(lang, "discord-link-done"),
        Err(CoreError::NotFound(_)) => bot.notice(lang, "discord-link-bad-code"),
        Err(CoreError::Conflict(_)) => bot.notice(lang, "discord-link-already"),
        Err(err) => bot.error_notice(lang, &err),
    }
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

/// `/link [code]`, as registered with Discord.
pub fn definitions(catalog: &Catalog) -> Vec<CreateCommand> {
    let code = localize::option(catalog, CommandOptionType::String, "code", "link-code")
        .required(false)
        .max_length(MAX_CODE);
    vec![localize::command(catalog, "link", "link").add_option(code)]
}
