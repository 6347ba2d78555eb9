//! Who leaves a group chat: Telegram reports a member leaving, or an admin removing or banning
//! them, as a `chat_member` update — sent only to a bot that is an administrator of the chat,
//! and only when it asks for them (`allowed_updates`, which teloxide derives from the
//! [`super::schema`] branch this handler sits on). Core then takes back the roles that chat's
//! grants gave them ([`usher_core::service::UserService::left_chat`]). Joining changes
//! nothing here: a grant's role is given on the member's first contact in the chat.

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
