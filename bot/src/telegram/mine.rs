//! A member's own requests: `/mine` lists them with their status, `/cancel <number>` (or a
//! Cancel button) withdraws a pending one. Core refuses anyone else's.

use usher_core::service::Caller;

use super::context::Context;
use crate::flows;

/// `/mine`: what is left of the caller's quota and, in a group chat, of its budget; then their
/// latest requests.
pub(super) async fn mine(ctx: &Context, caller: &Caller, chat: &teloxide::types::Chat) -> String {
    let place = super::context::place_of(chat);
    let (services, catalog) = (&ctx.services, &ctx.catalog);
    flows::mine(services, catalog, &caller.language, &caller.actor, place).await
}

/// `/cancel <number>`: withdraws one of the caller's pending requests.
pub(super) async fn cancel(ctx: &Context, caller: &Caller, arg: &str) -> String {
    let Some(id) = flows::request_number(arg) else {
        return ctx.catalog.text(&caller.language, "bot-cancel-usage", &[]);
    };
    flows::cancel(
        &ctx.services,
        &ctx.catalog,
        &caller.language,
        &caller.actor,
        id,
    )
    .await
}

/// A Cancel button: withdraws the request; the answer for the press says so.
pub(super) async fn cancel_pressed(
    ctx: &Context,
    caller: &Caller,
    request_id: i64,
) -> usher_core::CoreResult<String> {
    let id = usher_core::domain::RequestId(request_id);
    ctx.services.requests.cancel(&caller.actor, id).await?;
    let args = [("id", request_id.to_string())];
    Ok(ctx.catalog.text(&caller.language, "bot-cancelled", &args))
}
