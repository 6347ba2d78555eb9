//! `usher serve`: bind first, so `/healthz` answers at once while the app is being built (and
//! `/readyz` says "starting"), then build the [`App`] and serve its router. Stops gracefully on
//! SIGINT or SIGTERM.

use std::future::Future;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;
use usher_core::config::{LoadOptions, Settings};

use crate::app::App;
use crate::telemetry;

/// Runs until a shutdown signal. `base` is the file/environment/flag configuration (its
/// startup keys — listen address, database, keys — are used before the database opens);
/// `layers` are those layers again, to add the console's saved settings on top.
pub async fn run(base: Settings, layers: LoadOptions) -> anyhow::Result<()> {
    let listener = TcpListener::bind(base.listen)
        .await
        .with_context(|| format!("cannot listen on {}", base.listen))?;
    serve(
        listener,
        base,
        layers,
        shutdown_signal(),
        telemetry::say_line,
    )
    .await
}

/// Serves Usher on `listener` until `shutdown` completes: at once the starting routes (alive,
/// not ready), then, once [`App::build`] has wired everything, the app itself. `say` gets each
/// line meant for the operator (`listening on …`, what runs, `ready …`, the setup link). When
/// `shutdown` completes the server finishes its in-flight requests and the app stops; a task
/// of the app that panics stops it too, with an error.
pub async fn serve(
    listener: TcpListener,
    base: Settings,
    layers: LoadOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
    say: impl Fn(&str),
) -> anyhow::Result<()> {
    let address = listener.local_addr()?;
    let (routes, serving) = watch::channel(usher_web::starting_router(&base.public_url));
    let mut server = tokio::spawn(usher_web::serve_routes(
        listener,
        serving,
        base.http_server,
        shutdown,
    ));
    say(&format!("listening on http://{address}"));
    let app = match App::build(base, layers).await {
        Ok(app) => app,
        Err(err) => {
            server.abort();
            return Err(err);
        }
    };
    let _starting = routes.send_replace(app.router());
    for line in app.greeting() {
        say(line);
    }
    let mut served = None;
    let stopped = app.run(async { served = Some((&mut server).await) }).await;
    match served {
        Some(result) => result.context("the web server task failed")??,
        // A task of the app panicked: the server stops with it.
        None => server.abort(),
    }
    stopped
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
