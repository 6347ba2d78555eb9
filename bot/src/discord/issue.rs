//! `/issue title:<autocomplete> text:<string>`: a member reports a problem with a title the
//! library holds. The title autocomplete lists held titles from core: those requests brought in
//! (the database) and those only the library index holds (among TMDB's cached hits). Core's outbox then puts an approver card
//! with a signed **Resolve** button in the admin channel; pressing it resolves through core
//! (which refuses members) and the reporter gets a DM.

use serenity::builder::{
    CreateActionRow, CreateAutocompleteResponse, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponse, CreateMessage,
};
use serenity::model::application::{
    ButtonStyle, CommandInteraction, ComponentInteraction, ResolvedValue,
};
use usher_core::CoreError;
use usher_core::domain::{Issue, IssueId, IssueKind, IssueStatus, Platform, UserId};
use usher_core::notify::DeliveryError;
use usher_core::service::{Caller, NewIssue};

use super::context::{self, DiscordBot, ephemeral};
use super::render;
use crate::callback::Action;
use crate::issues::{self, TitlePick};

/// Longest description core accepts; Discord enforces it in the client too.
pub(super) const MAX_TEXT: u16 = 1000;

/// The `title` autocomplete: held titles whose name contains what was typed.
pub(super) async fn complete(
    bot: &DiscordBot,
    _caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateAutocompleteResponse {
    let typed = cmd.data.autocomplete().map_or("", |a| a.value);
    let limit = u32::try_from(render::MAX_CHOICES).unwrap_or(25);
    let mut choices = CreateAutocompleteResponse::new();
    match bot.services().issues.reportable(typed, limit).await {
        Ok(titles) => {
            for title in &titles {
                let name = render::clip(&issues::label(title), render::MAX_CHOICE_NAME);
                choices = choices.add_string_choice(name, issues::choice_value(title));
            }
        }
        Err(err) => tracing::warn!(error = %err, "discord issue autocomplete failed"),
    }
    choices
}

/// `/issue`: reports through core and tells the member it is in, or why not.
pub(super) async fn report(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let (Some(typed), Some(text)) = (option(cmd, "title"), option(cmd, "text")) else {
        return bot.notice(lang, "discord-issue-usage");
    };
    let catalog = bot.catalog();
    let (media_type, tmdb_id) = match issues::pick(bot.services(), &typed).await {
        Ok(TitlePick::Found(title)) => title,
        Ok(other) => return ephemeral(issues::pick_refusal(catalog, lang, &typed, &other)),
        Err(err) => return bot.error_notice(lang, &err),
    };
    // An unknown kind can only come from a forged payload: it is simply "other".
    let kind = option(cmd, "kind")
        .and_then(|k| k.parse().ok())
        .unwrap_or(IssueKind::Other);
    let new = NewIssue {
        media_type,
        tmdb_id,
        kind,
        text,
    };
    match bot.services().issues.report(&caller.actor, new).await {
        Ok(issue) => ephemeral(issues::reported_text(catalog, lang, &issue)),
        Err(err) => bot.error_notice(lang, &err),
    }
}

/// A string option of the command, as typed or chosen.
fn option(cmd: &CommandInteraction, name: &str) -> Option<String> {
    cmd.data
        .options()
        .iter()
        .find_map(|o| match (o.name, &o.value) {
            (n, ResolvedValue::String(v)) if n == name => Some((*v).to_owned()),
            _ => None,
        })
}

/// **Resolve** pressed: core checks the presser; on success the card is updated in place
/// without its button, naming who resolved it.
pub(super) async fn resolve(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    id: IssueId,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let issues = &bot.services().issues;
    if let Err(err) = issues.resolve(&caller.actor, id, None).await {
        return bot.error_notice(lang, &err);
    }
    let who = context::display_name(&press.user);
    let outcome = bot.text(lang, "issue-card-resolved", &[("who", who)]);
    let notice = format!("#{id}: {outcome}");
    context::decided(Some(&press.message), &outcome, notice)
}

/// The report as stored, or `None` when it is gone.
async fn read(bot: &DiscordBot, id: IssueId) -> Result<Option<Issue>, DeliveryError> {
    bot.services()
        .issues
        .read(id)
        .await
        .map_err(|e| DeliveryError::Transient(e.to_string()))
}

/// Posts the approver card of an open report in the admin channel, in the approvers' language.
pub(super) async fn post_card(bot: &DiscordBot, id: IssueId) -> Result<(), DeliveryError> {
    let Some(issue) = read(bot, id).await? else {
        return Ok(());
    };
    if issue.status != IssueStatus::Open {
        return Ok(());
    }
    let services = bot.services();
    let transient = |e: CoreError| DeliveryError::Transient(e.to_string());
    let known = services
        .users
        .approvers_language(Platform::Discord)
        .await
        .map_err(transient)?;
    let lang = bot.catalog().negotiate(known.as_deref()).to_owned();
    let who = services
        .issues
        .name_of(issue.reported_by)
        .await
        .map_err(transient)?;
    let message = card_message(bot, &lang, &issue, &who);
    bot.rest()
        .post_to_admin_channel(&message)
        .await
        .map_err(context::classify)
}

/// The approver card: the title, the member's description, who reported it, and **Resolve**.
fn card_message(bot: &DiscordBot, lang: &str, issue: &Issue, who: &str) -> CreateMessage {
    let catalog = bot.catalog();
    let heading = issues::card_heading(catalog, lang, issue);
    let details = issues::card_details(catalog, lang, issue, who);
    let embed = CreateEmbed::new()
        .title(render::clip(&heading, render::MAX_EMBED_TITLE))
        .description(render::clip(&issue.text, render::MAX_EMBED_DESCRIPTION))
        .footer(CreateEmbedFooter::new(render::clip(
            &details,
            render::MAX_EMBED_FOOTER,
        )));
    let resolve = bot.codec().encode(&Action::ResolveIssue {
        issue_id: issue.id.0,
    });
    let label = bot.text(lang, "issue-button-resolve", &[]);
    let row = CreateActionRow::Buttons(vec![render::button(resolve, &label, ButtonStyle::Success)]);
    CreateMessage::new().embed(embed).components(vec![row])
}

/// The reporter's DM text once their report is resolved, in their language; `None` when the
/// report is gone.
pub(super) async fn resolved_text(
    bot: &DiscordBot,
    id: IssueId,
    user: UserId,
) -> Result<Option<String>, DeliveryError> {
    let Some(issue) = read(bot, id).await? else {
        return Ok(None);
    };
    let known = bot
        .services()
        .users
        .language_on(user, Platform::Discord)
        .await
        .map_err(|e| DeliveryError::Transient(e.to_string()))?;
    let catalog = bot.catalog();
    let lang = catalog.negotiate(known.as_deref()).to_owned();
    Ok(Some(issues::resolved_text(catalog, &lang, &issue)))
}
