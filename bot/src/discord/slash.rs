//! `/mine`, `/cancel`, `/pending` and `/help`: the same flows as Telegram's commands
//! ([`crate::flows`]), answered ephemerally in the member's Discord language.

use serenity::builder::{
    CreateActionRow, CreateCommand, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};
use serenity::model::application::{
    ButtonStyle, CommandInteraction, CommandOptionType, ResolvedValue,
};
use usher_core::domain::{Actor, Request};
use usher_core::i18n::Catalog;

use super::{DiscordBot, ephemeral, localize, render};
use crate::callback::Action;
use crate::flows;

/// Cards one `/pending` answer shows: one action row of buttons each, and Discord allows five.
const PENDING_CARDS: u32 = 5;

/// Whether this module answers the command `name`.
pub(super) fn handles(name: &str) -> bool {
    matches!(name, "mine" | "cancel" | "pending" | "help")
}

/// Answers one of [`handles`]' commands.
pub(super) async fn run(bot: &DiscordBot, cmd: &CommandInteraction) -> CreateInteractionResponse {
    let lang = bot.lang(&cmd.locale);
    if cmd.data.name == "help" {
        return bot.notice(&lang, "discord-help");
    }
    let (_, actor) = match bot
        .actor(&cmd.user, cmd.member.as_deref(), &cmd.locale)
        .await
    {
        Ok(found) => found,
        Err(err) => return bot.error_notice(&lang, &err),
    };
    let inner = &bot.inner;
    match cmd.data.name.as_str() {
        "mine" => ephemeral(flows::mine(&inner.services, &inner.catalog, &lang, &actor).await),
        "cancel" => match number(cmd) {
            Some(id) => {
                ephemeral(flows::cancel(&inner.services, &inner.catalog, &lang, &actor, id).await)
            }
            None => bot.notice(&lang, "discord-cancel-usage"),
        },
        "pending" => pending(bot, &lang, &actor).await,
        _ => bot.notice(&lang, "discord-unsupported"),
    }
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

/// `/pending`: up to five waiting requests as cards, each with its own Approve / Decline.
async fn pending(bot: &DiscordBot, lang: &str, actor: &Actor) -> CreateInteractionResponse {
    let items = match flows::pending(&bot.inner.services, actor, PENDING_CARDS + 1).await {
        Ok(items) => items,
        Err(err) => return bot.error_notice(lang, &err),
    };
    if items.is_empty() {
        return bot.notice(lang, "bot-pending-empty");
    }
    let more = items.len() > PENDING_CARDS as usize;
    let mut message = CreateInteractionResponseMessage::new().ephemeral(true);
    if more {
        message = message.content(bot.text(lang, "discord-pending-more", &[]));
    }
    let mut embeds = Vec::new();
    let mut rows = Vec::new();
    for request in items.iter().take(PENDING_CARDS as usize) {
        let (embed, row) = pending_card(bot, lang, request).await;
        embeds.push(embed);
        rows.push(row);
    }
    CreateInteractionResponse::Message(message.embeds(embeds).components(rows))
}

/// One waiting request: its title, number and requester, and buttons naming its number.
async fn pending_card(
    bot: &DiscordBot,
    lang: &str,
    request: &Request,
) -> (CreateEmbed, CreateActionRow) {
    let who = match bot.inner.services.users.get(request.requested_by).await {
        Ok((user, _)) => user.display_name,
        Err(_) => format!("#{}", request.requested_by),
    };
    let id = request.id.0;
    let title = render::title_with_year(&request.media.title, request.media.year);
    let args = [("id", id.to_string()), ("who", who)];
    let footer = bot.text(lang, "discord-pending-footer", &args);
    let embed = CreateEmbed::new()
        .title(render::clip(&title, render::MAX_EMBED_TITLE))
        .footer(CreateEmbedFooter::new(render::clip(
            &footer,
            render::MAX_EMBED_FOOTER,
        )));
    let codec = &bot.inner.codec;
    let label = |key: &str| format!("{} #{id}", bot.text(lang, key, &[]));
    let row = CreateActionRow::Buttons(vec![
        render::button(
            codec.encode(&Action::Approve { request_id: id }),
            &label("discord-button-approve"),
            ButtonStyle::Success,
        ),
        render::button(
            codec.encode(&Action::Decline { request_id: id }),
            &label("discord-button-decline"),
            ButtonStyle::Danger,
        ),
    ]);
    (embed, row)
}

/// The commands this module answers, as registered with Discord, named and described in every
/// shipped language.
pub fn definitions(catalog: &Catalog) -> Vec<CreateCommand> {
    let number = localize::option(
        catalog,
        CommandOptionType::Integer,
        "request",
        "cancel-request",
    )
    .required(true)
    .min_int_value(1);
    let command = |name: &str| localize::command(catalog, name, name);
    vec![
        command("mine"),
        command("cancel").add_option(number),
        command("pending"),
        command("help"),
    ]
}
