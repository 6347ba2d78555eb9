//! usher-web is Usher's HTTP surface: the operational endpoints (`/healthz`, `/readyz`,
//! `/metrics`), the
//! first-admin setup page, the inbound webhooks (`/hooks/*`), Discord's
//! signed HTTP interactions endpoint (`/discord/interactions`, handled by a function the binary
//! installs), and later the console. Handlers are thin: they
//! call [`usher_core::service::Services`] and render. The server is built by [`router`] over an
//! [`AppState`] (handed over complete as [`WebParts`]) and run by [`serve`] (or
//! [`serve_routes`], with connection limits and [`starting_router`] answering until the app is
//! built) on a listener the caller bound (port 0 in tests).

mod alerts;
pub mod api;
pub mod console;
mod discord;
mod error;
mod hooks;
pub mod metrics;
mod ops;
mod security;
mod server;
mod setup;
mod state;
mod telegram;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::watch;
use usher_core::config::HttpServerSettings;

pub use console::{Console, ConsoleOptions};
pub use discord::{DiscordEndpoint, InteractionFuture, InteractionHandler};
pub use error::WebError;
pub use state::{AppState, WebParts};
pub use telegram::{TelegramWebhook, UpdateSink};

/// Largest body a console form or sign-in call may send.
const CONSOLE_BODY_LIMIT: usize = 64 * 1024;

/// Every route, over shared state, with the security headers on every response.
pub fn router(state: AppState) -> Router {
    let console = console::routes(&state).layer(DefaultBodyLimit::max(CONSOLE_BODY_LIMIT));
    let routes = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/discord/interactions", post(discord::interactions))
        .route("/hooks/telegram", post(telegram::update))
        .merge(hooks::routes())
        .merge(api::routes(&state))
        .merge(console)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::traffic::track,
        ));
    security::with_headers(routes, state.is_https()).with_state(state)
}

/// What the server answers while the app is still being built: `/healthz` says it is alive,
/// `/readyz` and every other path answer 503 "starting" (with the security headers), so a load
/// balancer or Kubernetes sees the process at once and waits for it.
pub fn starting_router(public_url: &str) -> Router {
    security::with_headers(ops::starting(), state::is_https(public_url))
}

/// Serves one app's router with the default connection limits until `shutdown` completes,
/// then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (_fixed, routes) = watch::channel(router(state));
    serve_routes(listener, routes, HttpServerSettings::default(), shutdown).await
}

/// Serves whichever router `routes` holds when each request arrives, with these connection
/// limits (`USHER_HTTP_*`: header and idle timeouts, most open connections), until `shutdown`
/// completes, then finishes in-flight requests. The app root starts it with
/// [`starting_router`] and sends the full [`router`] once the app is built, so even a
/// keep-alive connection opened during the start gets the full app afterwards.
pub async fn serve_routes(
    listener: TcpListener,
    routes: watch::Receiver<Router>,
    limits: HttpServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve(listener, routes, limits, shutdown).await
}
