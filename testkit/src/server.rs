//! Serving a fake on loopback, recording what it was sent, applying faults first.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::faults::Faults;

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string ("" when none).
    pub query: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body (JSON parsed when it is JSON, else `Null`).
    pub body: serde_json::Value,
    /// The body's bytes as sent (lossily decoded), for checks over the exact bytes such as a
    /// signature.
    pub raw: String,
}

impl Recorded {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running fake.
pub struct FakeServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Everything it received, in order.
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    /// Its fault plan.
    pub faults: Faults,
    task: JoinHandle<()>,
}

#[derive(Clone)]
struct Tap {
    requests: Arc<Mutex<Vec<Recorded>>>,
    faults: Faults,
}

impl FakeServer {
    /// Serves `router` on 127.0.0.1:0 with recording and fault injection in front.
    pub async fn start(router: Router) -> FakeServer {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let faults = Faults::default();
        let tap = Tap {
            requests: requests.clone(),
            faults: faults.clone(),
        };
        let app = router.layer(middleware::from_fn_with_state(tap, record_then_fault));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a fake on loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeServer {
            url,
            requests,
            faults,
            task,
        }
    }

    /// A copy of what was received so far.
    pub fn received(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Requests whose method and path match.
    pub fn received_at(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.received()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record_then_fault(State(tap): State<Tap>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        raw: String::from_utf8_lossy(&bytes).into_owned(),
    };
    tap.requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(recorded);
    if let Some(failure) = tap.faults.apply().await {
        return failure;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
