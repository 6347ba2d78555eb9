//! usher-web is Usher's HTTP surface: the operational endpoints (`/healthz`, `/readyz`), the
//! first-admin setup page, the inbound webhooks (`/hooks/*`), Discord's
//! signed HTTP interactions endpoint (`/discord/interactions`, handled by a function the binary
//! installs), and later the console. Handlers are thin: they
//! call [`usher_core::service::Services`] and render. The server is built by [`router`] over an
//! [`AppState`] and run by [`serve`] on a listener the caller bound (port 0 in tests).

mod discord;
mod error;
mod hooks;
mod ops;
mod setup;
mod state;

use std::future::Future;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use discord::{DiscordEndpoint, InteractionFuture, InteractionHandler};
pub use error::WebError;
pub use state::AppState;

/// Every route, over shared state.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/setup/{token}", get(setup::setup_page))
        .route("/discord/interactions", post(discord::interactions))
        .merge(hooks::routes())
        .with_state(state)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
