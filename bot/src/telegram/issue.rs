//! `/issue <title> — <what is wrong>` in a private chat: a member reports a problem with a title
//! the library holds. The title and the description are split at the first separator — a new
//! line, a dash with spaces around it (` — `, ` – `, ` - `) or `|` — so `Spider-Man` stays one
//! title. Core's outbox then puts a card with a signed **Resolve** button in the admin chat;
//! pressing it resolves through core (which refuses members), and the reporter gets a DM.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::{Issue, IssueId, IssueKind, IssueStatus, Platform, UserId};
use usher_core::notify::DeliveryError;
use usher_core::service::{Caller, NewIssue};

use super::Destination;
use super::context::{Context, classify, core_failure, display_name};
use super::destination::send_or_general;
use super::render::{self, MAX_TEXT};
use crate::callback::Action;
use crate::issues::{self, TitlePick};

/// Where the title ends and the description begins, in the order they are looked for.
const SEPARATORS: [&str; 6] = ["\n", " — ", " – ", " - ", "|", "—"];

/// Splits `/issue`'s argument into the title and the description; `None` without both.
#[must_use]
pub fn split(arg: &str) -> Option<(&str, &str)> {
    let (at, sep) = SEPARATORS
        .iter()
        .filter_map(|sep| arg.find(sep).map(|at| (at, *sep)))
        .min_by_key(|(at, _)| *at)?;
    let title = arg[..at].trim();
    let text = arg[at + sep.len()..].trim();
    (!title.is_empty() && !text.is_empty()).then_some((title, text))
}

/// `/issue`: reports through core; the answer says it is in, or why not.
pub(super) async fn report(
    ctx: &Context,
    chat: &teloxide::types::Chat,
    caller: &Caller,
    arg: &str,
) -> String {
    let lang = caller.language.as_str();
    let catalog = &ctx.catalog;
    if !chat.is_private() {
        return catalog.text(lang, "telegram-issue-private", &[]);
    }
    let Some((typed, text)) = split(arg) else {
        return catalog.text(lang, "telegram-issue-usage", &[]);
    };
    let result = async {
        let (media_type, tmdb_id) = match issues::pick(&ctx.services, typed).await? {
            TitlePick::Found(title) => title,
            other => return Ok(issues::pick_refusal(catalog, lang, typed, &other)),
        };
        let new = NewIssue {
            media_type,
            tmdb_id,
            kind: IssueKind::Other,
            text: text.to_owned(),
        };
        let issue = ctx.services.issues.report(&caller.actor, new).await?;
        Ok(issues::reported_text(catalog, lang, &issue))
    }
    .await;
    result.unwrap_or_else(|error| catalog.error_text(lang, &error))
}

/// **Resolve** pressed: core checks the presser; on success the card loses its button and
/// says who resolved it.
pub(super) async fn resolve(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    id: IssueId,
) -> usher_core::CoreResult<String> {
    let lang = caller.language.as_str();
    let issue = ctx.services.issues.resolve(&caller.actor, id, None).await?;
    if let Some(message) = q.regular_message() {
        let reporter = ctx.services.issues.name_of(issue.reported_by).await?;
        let resolver = display_name(&q.from);
        let mut text = card(ctx, lang, &issue, &reporter);
        text.push_str("\n\n");
        text.push_str(
            &ctx.catalog
                .text(lang, "issue-card-resolved", &[("who", resolver)]),
        );
        let edit = bot.edit_message_text(
            message.chat.id,
            message.id,
            render::trim_chars(&text, MAX_TEXT),
        );
        ctx.out.post(edit, "update the issue card");
    }
    Ok(ctx.catalog.text(lang, "issue-card-resolved-short", &[]))
}

/// The card text: heading, the member's description, and its number, kind and reporter.
fn card(ctx: &Context, lang: &str, issue: &Issue, reporter: &str) -> String {
    let catalog = &ctx.catalog;
    format!(
        "{}\n\n{}\n\n{}",
        issues::card_heading(catalog, lang, issue),
        issue.text,
        issues::card_details(catalog, lang, issue, reporter)
    )
}

/// Posts the card of an open report in the admin chat (when one is set; in its topic, when
/// that is set), in the approvers' language.
pub(super) async fn post_card(bot: &Bot, ctx: &Context, id: IssueId) -> Result<(), DeliveryError> {
    let Some(admin) = ctx.admin() else {
        return Ok(());
    };
    let issue = ctx
        .services
        .issues
        .read(id)
        .await
        .map_err(|e| core_failure(&e))?;
    let Some(issue) = issue.filter(|i| i.status == IssueStatus::Open) else {
        return Ok(());
    };
    let lang = ctx
        .approvers_language()
        .await
        .map_err(|e| core_failure(&e))?;
    let reporter = ctx
        .services
        .issues
        .name_of(issue.reported_by)
        .await
        .map_err(|e| core_failure(&e))?;
    let text = render::trim_chars(&card(ctx, &lang, &issue, &reporter), MAX_TEXT);
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        ctx.catalog.text(&lang, "issue-button-resolve", &[]),
        ctx.codec.encode(&Action::ResolveIssue { issue_id: id.0 }),
    )]]);
    let send = |to: Destination| to.message(bot, text.clone()).reply_markup(keyboard.clone());
    send_or_general(&ctx.out, admin, send)
        .await
        .map_err(classify)?;
    Ok(())
}

/// The reporter's DM once their report is resolved (their private chat id is their user id).
pub(super) async fn dm(
    bot: &Bot,
    ctx: &Context,
    id: IssueId,
    user: UserId,
    chat: &str,
) -> Result<(), DeliveryError> {
    let Ok(chat) = chat.parse::<i64>() else {
        return Err(DeliveryError::Refused(format!("{chat:?} is not a chat id")));
    };
    let issue = ctx
        .services
        .issues
        .read(id)
        .await
        .map_err(|e| core_failure(&e))?;
    let Some(issue) = issue else {
        return Ok(());
    };
    let known = ctx
        .services
        .users
        .language_on(user, Platform::Telegram)
        .await
        .map_err(|e| core_failure(&e))?;
    let lang = ctx.catalog.negotiate(known.as_deref()).to_owned();
    let text = issues::resolved_text(&ctx.catalog, &lang, &issue);
    ctx.out
        .send(bot.send_message(ChatId(chat), render::trim_chars(&text, MAX_TEXT)))
        .await
        .map_err(classify)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn the_title_ends_at_the_first_separator() {
        assert_eq!(
            split("Spider-Man — no sound in chapter 3"),
            Some(("Spider-Man", "no sound in chapter 3"))
        );
        assert_eq!(
            split("Dune: Part Two\nsubtitles are off - by 2 s"),
            Some(("Dune: Part Two", "subtitles are off - by 2 s"))
        );
        assert_eq!(
            split("Alien | wrong language"),
            Some(("Alien", "wrong language"))
        );
        assert_eq!(split("Alien—bad video"), Some(("Alien", "bad video")));
        for bad in ["", "Alien", "Alien — ", " — no sound", "Spider-Man"] {
            assert_eq!(split(bad), None, "{bad:?}");
        }
    }
}
