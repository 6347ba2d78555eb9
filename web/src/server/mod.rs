//! Serving the router over TCP with limits, so idle or slow clients cannot lock out
//! `/healthz` and the console: a request's headers must arrive within the header timeout once
//! its first byte came, a connection with nothing in flight is closed after the idle timeout,
//! and at most `max_connections` are open — a newcomer beyond that takes the place of the
//! connection idle the longest, or is closed at once when every one is busy.
//!
//! axum's own `serve` has no timeouts, so this runs hyper's HTTP/1 connection directly
//! (`hyper::server::conn::http1`), one task per connection, each watched by [`slots`].

mod slots;
mod watched;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;
use usher_core::config::HttpServerSettings;

use slots::{Slot, Slots};
use watched::Watched;

/// Serves on `listener` until `shutdown` completes, then lets in-flight requests finish and
/// closes idle connections at once. Each request goes to the router `routes` holds when it
/// arrives (the app root replaces the starting one once the app is built).
pub async fn serve(
    listener: TcpListener,
    routes: watch::Receiver<Router>,
    limits: HttpServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Slots::new(limits.max_connections));
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(err) => {
                        // Out of descriptors or a connection reset before accept: wait a
                        // moment rather than spin, as hyper's and axum's servers do.
                        tracing::warn!(error = %err, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let Some(slot) = slots.admit() else {
                    tracing::debug!("connection refused: every connection is busy");
                    drop(stream);
                    continue;
                };
                connections.spawn(connection(stream, peer, routes.clone(), slot, limits));
            }
        }
    }
    slots.close_all();
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// One connection: HTTP/1 with keep-alive. Closed when it times out or makes room for a
/// newcomer (nothing is in flight then), and when the server stops (after the response in
/// flight, if any).
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    routes: watch::Receiver<Router>,
    slot: Arc<Slot>,
    limits: HttpServerSettings,
) {
    let _ = stream.set_nodelay(true);
    let in_service = Arc::clone(&slot);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let busy = in_service.request_started();
        let app = routes.borrow().clone();
        async move {
            let response = app.oneshot(request.map(Body::new)).await;
            drop(busy);
            response
        }
    });
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&slot)));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        // The watcher times headers from their first byte; hyper's own timer would start when
        // it waits for a request, which is the idle timeout's job.
        .header_read_timeout(None)
        .keep_alive(true)
        .serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                break;
            }
            () = slot.until_closed(limits), if !closing => {
                if !slot.is_busy() {
                    // Idle, or headers stuck half-way: hyper's graceful shutdown would wait
                    // for that request to complete, so the connection is just dropped.
                    break;
                }
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
    slot.release();
}
