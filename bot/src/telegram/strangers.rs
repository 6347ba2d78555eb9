//! Who the bot does not serve, and what they hear. Bots are not people: a message from a bot
//! (or sent on behalf of a channel) is ignored and never makes a user. An anonymous group admin
//! (Telegram shows them as `GroupAnonymousBot`, with the group as `sender_chat`) is asked to post
//! as themselves, since no one can tell who they are. Someone core refuses hears how to get in
//! (and may still redeem a link code with `/link CODE` or `/start link-CODE`), or what went
//! wrong: their button presses get an alert, their inline queries no results.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineQuery, UpdateKind};

use super::context::{Context, TurnedAway, reply};
use super::render::{self, MAX_ANSWER};
use super::{Command, Destination, HandlerError, account};

/// A sender that is not a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NotAPerson {
    /// A bot, or a message on behalf of a channel: ignored.
    Bot,
    /// An admin posting anonymously as the group: asked to post as themselves.
    AnonymousAdmin,
}

impl NotAPerson {
    /// Whether the update's sender is not a person, and which kind.
    pub(super) fn of(update: &Update) -> Option<Self> {
        if let UpdateKind::Message(msg) = &update.kind {
            let from_bot = msg.from.as_ref().is_some_and(|from| from.is_bot);
            let anonymous = msg.from.as_ref().is_some_and(|from| from.id.is_anonymous())
                || msg
                    .sender_chat
                    .as_ref()
                    .is_some_and(|s| s.id == msg.chat.id);
            return match (anonymous, from_bot || msg.sender_chat.is_some()) {
                (true, _) => Some(Self::AnonymousAdmin),
                (false, true) => Some(Self::Bot),
                (false, false) => None,
            };
        }
        update
            .from()
            .is_some_and(|from| from.is_bot)
            .then_some(Self::Bot)
    }
}

/// A message from someone who is not a person: an anonymous admin is told to post as
/// themselves (in the approvers' language: they are admins of the group), bots hear nothing.
pub(super) async fn not_a_person(
    bot: Bot,
    update: Update,
    who: NotAPerson,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    let UpdateKind::Message(msg) = &update.kind else {
        return Ok(());
    };
    if who == NotAPerson::Bot {
        tracing::debug!(chat = msg.chat.id.0, "ignored a message from a bot");
        return Ok(());
    }
    usher_core::metrics::global().bot_interaction("telegram", "anonymous");
    let lang = ctx.approvers_language().await.unwrap_or_else(|error| {
        tracing::warn!(%error, "could not read the approvers' language");
        ctx.catalog.negotiate(None).to_owned()
    });
    let text = ctx.catalog.text(&lang, "bot-post-as-yourself", &[]);
    reply(&bot, &ctx, Destination::of(msg), &text).await
}

/// A command from someone the bot does not serve: a link code is redeemed when it may let them
/// in; anything else gets the refusal.
pub(super) async fn command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    ctx: Arc<Context>,
    away: TurnedAway,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "command");
    let to = Destination::of(&msg);
    let code = account::code_in(&cmd);
    let (Some(code), true, Some(from)) = (code, away.may_join, msg.from.as_ref()) else {
        return reply(&bot, &ctx, to, &away.message).await;
    };
    let text = account::join(&ctx, from, &away.language, code).await;
    reply(&bot, &ctx, to, &text).await
}

/// Plain text from someone the bot does not serve (in a private chat): the refusal.
pub(super) async fn message(
    bot: Bot,
    msg: Message,
    ctx: Arc<Context>,
    away: TurnedAway,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "message");
    reply(&bot, &ctx, Destination::of(&msg), &away.message).await
}

/// A button press from someone the bot does not serve: an alert, and nothing changes. A forged
/// button is still called invalid, as for anyone.
pub(super) async fn press(
    bot: Bot,
    q: CallbackQuery,
    ctx: Arc<Context>,
    away: TurnedAway,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "button");
    let valid = q
        .data
        .as_deref()
        .is_some_and(|d| ctx.codec.decode(d).is_ok());
    let text = if valid {
        away.alert
    } else {
        ctx.catalog.text(&away.language, "bot-invalid-button", &[])
    };
    let answer = bot
        .answer_callback_query(q.id.clone())
        .show_alert(true)
        .text(render::trim_chars(&text, MAX_ANSWER));
    answer.await?;
    Ok(())
}

/// An inline query from someone the bot does not serve: no results.
pub(super) async fn inline_query(
    bot: Bot,
    q: InlineQuery,
    _away: TurnedAway,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "inline");
    bot.answer_inline_query(q.id.clone(), Vec::new())
        .is_personal(true)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(json: serde_json::Value) -> Update {
        // teloxide reads updates from text (the Bot API's), not from a parsed value.
        let update: Update = serde_json::from_str(&json.to_string()).expect("an update");
        assert!(matches!(update.kind, UpdateKind::Message(_)), "{update:?}");
        update
    }

    #[test]
    fn bots_and_anonymous_admins_are_not_people() {
        let group = serde_json::json!({"id": -1_001_555, "type": "supergroup", "title": "g"});
        let person = serde_json::json!({"id": 7, "is_bot": false, "first_name": "Ann"});
        let said = |from: serde_json::Value, extra: serde_json::Value| {
            let mut message = serde_json::json!({"message_id": 1, "date": 0, "chat": group,
                "from": from, "text": "/pending"});
            if let (Some(m), Some(e)) = (message.as_object_mut(), extra.as_object()) {
                m.extend(e.clone());
            }
            update(serde_json::json!({"update_id": 1, "message": message}))
        };
        let none = serde_json::json!({});
        assert_eq!(NotAPerson::of(&said(person.clone(), none.clone())), None);
        let anonymous = serde_json::json!({"id": 1_087_968_824, "is_bot": true,
            "first_name": "Group", "username": "GroupAnonymousBot"});
        let as_group = serde_json::json!({"sender_chat": group});
        assert_eq!(
            NotAPerson::of(&said(anonymous, as_group)),
            Some(NotAPerson::AnonymousAdmin)
        );
        let robot = serde_json::json!({"id": 55, "is_bot": true, "first_name": "Robo"});
        assert_eq!(NotAPerson::of(&said(robot, none)), Some(NotAPerson::Bot));
        let channel = serde_json::json!({"sender_chat":
            {"id": -1_009_999, "type": "channel", "title": "news"}});
        assert_eq!(
            NotAPerson::of(&said(person, channel)),
            Some(NotAPerson::Bot)
        );
    }
}
