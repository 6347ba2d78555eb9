//! Who leaves a group chat: Telegram reports a member leaving, or an admin removing or banning
//! them, as a `chat_member` update — sent only to a bot that is an administrator of the chat,
//! and only when it asks for them (`allowed_updates`: [`super::UPDATES`], with long polling
//! and the webhook alike). Core then takes back the roles that chat's
//! grants gave them ([`usher_core::service::UserService::left_chat`]). Joining changes
//! nothing here: a grant's role is given on the member's first contact in the chat.
//!
//! The bot's own status comes as `my_chat_member`: once it is no longer an administrator of a
//! granting chat (demoted, removed), Telegram stops reporting who leaves, so the roles given
//! there stay until an admin takes them back; the operator is warned in the log.

use std::sync::Arc;

use teloxide::types::ChatMemberUpdated;

use super::{Context, HandlerError};

/// A member's status changed: when they are no longer in the chat (left, removed, banned, or
/// restricted as a non-member), the roles its grants gave them go.
pub(super) async fn changed(
    update: ChatMemberUpdated,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    let member = &update.new_chat_member;
    if member.is_present() || member.user.is_bot {
        return Ok(());
    }
    let who = member.user.id.to_string();
    let taken = ctx.services.users.left_chat(&who, update.chat.id.0).await?;
    if taken {
        tracing::info!(
            chat = update.chat.id.0,
            "a member left a granting chat; its roles went"
        );
    }
    Ok(())
}

/// The bot's own status changed in a group chat: warns when it can no longer see who leaves a
/// chat whose grants give roles.
pub(super) async fn bot_changed(
    update: ChatMemberUpdated,
    ctx: Arc<Context>,
) -> Result<(), HandlerError> {
    if update.chat.is_private() || update.new_chat_member.is_privileged() {
        return Ok(());
    }
    let chat = update.chat.id.0;
    if ctx.services.users.chat_grants_roles(chat).await? {
        tracing::warn!(
            chat,
            "the bot is no longer an administrator of a chat whose grant gives roles: Telegram \
             no longer reports who leaves it, so the roles given there stay until an admin takes \
             them back (make the bot an administrator again)"
        );
    }
    Ok(())
}
