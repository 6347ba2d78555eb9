//! The one HTTP layer every upstream client uses: per-service timeouts, retries with jittered
//! backoff on connect errors, 5xx and 429 (honouring `Retry-After`), a circuit breaker per
//! upstream so a dead Radarr is not hammered, a User-Agent, and cached DNS answers.
//! Credentials are attached here, in headers where the service allows it, and never logged.

mod breaker;
mod bytes;
mod dns;
mod json_array;
mod retry;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use breaker::Breaker;
pub use retry::RetryPolicy;

use crate::domain::{Circuit, UpstreamFailure};
use crate::error::CoreError;

/// How a service wants its credential.
#[derive(Clone)]
pub enum Auth {
    /// No credential.
    None,
    /// A header, e.g. `X-Api-Key` (Radarr, Sonarr) or `X-Plex-Token`.
    Header(&'static str, SecretString),
    /// `Authorization: Bearer …` (TMDB v4 read tokens).
    Bearer(SecretString),
    /// `Authorization: MediaBrowser Token="…"` (Jellyfin, Emby).
    MediaBrowser(SecretString),
    /// A query parameter, only for services that accept nothing else (TMDB v3 keys).
    Query(&'static str, SecretString),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Self::None => "none",
            Self::Header(name, _) => name,
            Self::Bearer(_) => "bearer",
            Self::MediaBrowser(_) => "mediabrowser",
            Self::Query(name, _) => name,
        };
        write!(f, "Auth({kind}, ***)")
    }
}

/// Why an upstream call failed, in terms a user-facing layer can explain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    /// Connection refused, DNS failure, reset.
    #[error("not reachable")]
    Unreachable,
    /// No answer within the timeout.
    #[error("timed out")]
    Timeout,
    /// 401/403: wrong API key.
    #[error("credentials refused (HTTP {0})")]
    Unauthorized(u16),
    /// 404.
    #[error("not found")]
    NotFound,
    /// 429 after every retry.
    #[error("rate limited")]
    RateLimited,
    /// Any other non-success status, with what the upstream said about it.
    #[error("HTTP {status}{}", said(excerpt))]
    Status {
        /// The status code.
        status: u16,
        /// The upstream's own message when its error body names one (Radarr's and Sonarr's
        /// `[{propertyName, errorMessage}]` or `{message}`, TMDB's `status_message`), else the
        /// start of the body; at most 300 characters either way.
        excerpt: String,
    },
    /// The body was not the JSON we expected (an HTML error page, a proxy login…).
    #[error("unexpected answer: {0}")]
    Malformed(String),
    /// Too many recent failures; calls are paused for a while. Carries the failure that was
    /// last seen before the pause, so whoever reads the error learns the upstream's own status
    /// and message, not only that calls are paused.
    #[error("{}paused after repeated failures", last_seen(last))]
    CircuitOpen {
        /// The last transient failure recorded before calls were paused, if any.
        last: Option<Box<UpstreamError>>,
    },
}

/// `": message"`, or nothing for an empty one.
fn said(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

/// `"<last failure>; calls "`, or nothing when none is known.
fn last_seen(last: &Option<Box<UpstreamError>>) -> String {
    last.as_ref()
        .map(|error| format!("{error}; calls "))
        .unwrap_or_default()
}

impl UpstreamError {
    /// Whether trying again later could help (the request is kept and retried).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Unreachable | Self::Timeout | Self::RateLimited | Self::CircuitOpen { .. }
        ) || matches!(self, Self::Status { status, .. } if *status >= 500)
    }

    /// A short stable name for metrics labels (`timeout`, `unauthorized`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unreachable => "unreachable",
            Self::Timeout => "timeout",
            Self::Unauthorized(_) => "unauthorized",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::Status { .. } => "status",
            Self::Malformed(_) => "malformed",
            Self::CircuitOpen { .. } => "circuit_open",
        }
    }

    /// The failure as a request keeps it ([`UpstreamFailure`]): the status and words of the
    /// upstream's answer, or what happened without one, and whether the breaker had paused the
    /// calls (then the answer is the last one seen before the pause, if any).
    pub fn failure(&self, service: &str, attempts: u32) -> UpstreamFailure {
        let (answer, circuit) = match self {
            Self::CircuitOpen { last: Some(last) } => (last.as_ref(), Circuit::Open),
            Self::CircuitOpen { last: None } => {
                return UpstreamFailure {
                    service: service.to_owned(),
                    status: None,
                    message: String::new(),
                    circuit: Circuit::Open,
                    attempts,
                };
            }
            other => (other, Circuit::Closed),
        };
        let (status, message) = match answer {
            Self::Status { status, excerpt } => (Some(*status), excerpt.clone()),
            Self::Unauthorized(status) => (Some(*status), "credentials refused".to_owned()),
            Self::NotFound => (Some(404), "not found".to_owned()),
            Self::RateLimited => (Some(429), "rate limited".to_owned()),
            other => (None, other.to_string()),
        };
        UpstreamFailure {
            service: service.to_owned(),
            status,
            message,
            circuit,
            attempts,
        }
    }

    /// As a core error naming the service. A 404 is the service saying the thing does not
    /// exist, not that the service is down, so it is [`CoreError::NotFound`].
    pub fn into_core(self, service: &'static str) -> CoreError {
        if self == Self::NotFound {
            return CoreError::NotFound(format!("{service} item"));
        }
        CoreError::Upstream {
            service,
            message: self.to_string(),
        }
    }
}

/// Settings shared by every client of one process (built once in `App`, not a global).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Per-call timeout.
    pub timeout: Duration,
    /// Retry schedule.
    pub retry: RetryPolicy,
    /// DNS answers shared by all clients.
    pub resolver: Arc<dns::CachingResolver>,
}

impl HttpSettings {
    /// Settings with the given per-call timeout and the default retry schedule.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            ..Self::default()
        }
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            resolver: Arc::new(dns::CachingResolver::new()),
        }
    }
}

/// A client for one upstream: base URL, credential, breaker, retry policy.
#[derive(Clone, Debug)]
pub struct Upstream {
    service: &'static str,
    base_url: String,
    auth: Auth,
    /// Fixed headers every call carries (plex.tv's `X-Plex-Product`, `X-Plex-Client-Identifier`).
    headers: Vec<(&'static str, String)>,
    client: Client,
    breaker: Arc<Breaker>,
    /// The last transient failure, told along with [`UpstreamError::CircuitOpen`].
    last_failure: Arc<std::sync::Mutex<Option<UpstreamError>>>,
    retry: RetryPolicy,
}

impl Upstream {
    /// Builds a client for `service` at `base_url` (no trailing slash needed).
    pub fn new(
        service: &'static str,
        base_url: &str,
        auth: Auth,
        settings: &HttpSettings,
    ) -> Result<Self, CoreError> {
        let client = Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!(
                "Usher/",
                env!("CARGO_PKG_VERSION"),
                " (+self-hosted media requests)"
            ))
            .dns_resolver(settings.resolver.clone())
            .build()
            .map_err(|e| CoreError::Unexpected(anyhow::anyhow!("HTTP client: {e}")))?;
        Ok(Self {
            service,
            base_url: base_url.trim_end_matches('/').to_owned(),
            auth,
            headers: Vec::new(),
            client,
            breaker: Arc::new(Breaker::default()),
            last_failure: Arc::default(),
            retry: settings.retry.clone(),
        })
    }

    /// The same client with one more fixed header on every call, for services that want to
    /// know who is calling (plex.tv asks for a product name and a per-install client id).
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The same client (connection pool, breaker) calling with another credential: plex.tv's
    /// account calls carry the signed-in person's token, which differs per call.
    #[must_use]
    pub fn with_auth(&self, auth: Auth) -> Self {
        Self {
            auth,
            ..self.clone()
        }
    }

    /// The service name used in errors.
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// Whether the circuit breaker pauses calls to it right now (after repeated failures).
    pub fn calls_paused(&self) -> bool {
        !self.breaker.allow()
    }

    /// GET a JSON document; retried on transient failures.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, UpstreamError> {
        let body = self
            .call_with(Method::GET, path, query, None::<&()>, true, text)
            .await?;
        parse(&body)
    }

    /// GET a JSON array, handing each element to `each` as it arrives: the body is never held
    /// whole, so a listing of 100,000 titles costs one element's memory at a time. Retried like
    /// [`Self::get_json`] until the answer starts; a body cut off midway fails the call.
    pub async fn get_json_each<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        mut each: impl FnMut(T),
    ) -> Result<(), UpstreamError> {
        let mut response = self
            .call_with(Method::GET, path, query, None::<&()>, true, |r| async {
                Ok(r)
            })
            .await?;
        let mut array = json_array::Elements::default();
        let mut parse = |element: &[u8]| {
            serde_json::from_slice(element)
                .map(&mut each)
                .map_err(|e| UpstreamError::Malformed(e.to_string()))
        };
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| UpstreamError::Unreachable)?
        {
            array.feed(&chunk, &mut parse)?;
        }
        array.end()
    }

    /// Sends a JSON body. `idempotent` calls (PUT, or a POST the caller made safe to repeat) are
    /// retried on 5xx and timeouts too; others only when the connection was never made.
    pub async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotent: bool,
    ) -> Result<T, UpstreamError> {
        let text = self
            .call_with(method, path, &[], Some(body), idempotent, text)
            .await?;
        parse(&text)
    }

    /// Sends a JSON body whose answer is not needed: any body, or none, is accepted (Sonarr's
    /// `PUT /api/v3/episode/monitor` is documented with no body).
    pub async fn send_discarding<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotent: bool,
    ) -> Result<(), UpstreamError> {
        self.call_with(method, path, &[], Some(body), idempotent, text)
            .await
            .map(drop)
    }

    /// Calls until an attempt succeeds or may not be retried; `read` takes a successful
    /// answer's body (its text, or the answer itself to stream it).
    async fn call_with<B: Serialize, T, F: Future<Output = Result<T, Failure>>>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&B>,
        idempotent: bool,
        read: impl Fn(Response) -> F,
    ) -> Result<T, UpstreamError> {
        let mut attempt = 0;
        loop {
            if !self.breaker.allow() {
                let paused = UpstreamError::CircuitOpen {
                    last: self.last_failure().map(Box::new),
                };
                crate::metrics::global().upstream_error(self.service, paused.kind());
                return Err(paused);
            }
            let request = self.request(method.clone(), path, query, body);
            let started = std::time::Instant::now();
            let outcome = send(request, &read).await;
            crate::metrics::global().upstream_call(
                self.service,
                started.elapsed(),
                outcome.as_ref().err().map(|f| f.error.kind()),
            );
            self.breaker.record(
                outcome
                    .as_ref()
                    .map(|_| ())
                    .map_err(|f| f.error.is_transient()),
            );
            if let Err(failure) = &outcome
                && failure.error.is_transient()
            {
                *self.lock_last_failure() = Some(failure.error.clone());
            }
            match outcome {
                Ok(text) => return Ok(text),
                Err(failure) => {
                    attempt += 1;
                    let retryable =
                        failure.error.is_transient() && (idempotent || failure.before_sending);
                    let Some(wait) = self
                        .retry
                        .delay(attempt, failure.retry_after)
                        .filter(|_| retryable)
                    else {
                        tracing::debug!(service = self.service, error = %failure.error, attempt, "upstream call failed");
                        return Err(failure.error);
                    };
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// The last transient failure of this upstream, if any was seen.
    fn last_failure(&self) -> Option<UpstreamError> {
        self.lock_last_failure().clone()
    }

    fn lock_last_failure(&self) -> std::sync::MutexGuard<'_, Option<UpstreamError>> {
        self.last_failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn request<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&B>,
    ) -> RequestBuilder {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base_url))
            .header("Accept", "application/json")
            .query(query);
        for (name, value) in &self.headers {
            req = req.header(*name, value);
        }
        req = match &self.auth {
            Auth::None => req,
            Auth::Header(name, value) => req.header(*name, value.expose_secret()),
            Auth::Bearer(token) => req.bearer_auth(token.expose_secret()),
            Auth::MediaBrowser(token) => req.header(
                "Authorization",
                format!("MediaBrowser Token=\"{}\"", token.expose_secret()),
            ),
            Auth::Query(name, value) => req.query(&[(*name, value.expose_secret())]),
        };
        match body {
            Some(body) => req.json(body),
            None => req,
        }
    }
}

struct Failure {
    error: UpstreamError,
    retry_after: Option<Duration>,
    before_sending: bool,
}

async fn text(response: Response) -> Result<String, Failure> {
    response.text().await.map_err(|_| Failure {
        error: UpstreamError::Unreachable,
        retry_after: None,
        before_sending: false,
    })
}

async fn send<T, F: Future<Output = Result<T, Failure>>>(
    request: RequestBuilder,
    read: impl Fn(Response) -> F,
) -> Result<T, Failure> {
    let response = match request.send().await {
        Ok(response) => response,
        Err(err) => {
            let error = if err.is_timeout() {
                UpstreamError::Timeout
            } else {
                UpstreamError::Unreachable
            };
            return Err(Failure {
                error,
                retry_after: None,
                before_sending: err.is_connect(),
            });
        }
    };
    let status = response.status();
    if status.is_success() {
        return read(response).await;
    }
    let retry_after = retry::retry_after(response.headers());
    let text = text(response).await?;
    let error = match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            UpstreamError::Unauthorized(status.as_u16())
        }
        StatusCode::NOT_FOUND => UpstreamError::NotFound,
        StatusCode::TOO_MANY_REQUESTS => UpstreamError::RateLimited,
        _ => UpstreamError::Status {
            status: status.as_u16(),
            excerpt: upstream_message(&text),
        },
    };
    Err(Failure {
        error,
        retry_after,
        before_sending: status == StatusCode::TOO_MANY_REQUESTS,
    })
}

/// What an upstream said in an error body, in its own words: Radarr's and Sonarr's
/// validation failures are a JSON array of `{propertyName, errorMessage}`, their other errors
/// `{message}` (with a stack trace in `description`, left out), TMDB's `{status_message}`.
/// Any other body is kept as it starts. At most 300 characters.
pub(crate) fn upstream_message(body: &str) -> String {
    use serde_json::Value;
    let said = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => {
            let messages: Vec<String> = items
                .iter()
                .filter_map(|item| {
                    let message = words(item.get("errorMessage")?)?;
                    Some(match item.get("propertyName").and_then(words) {
                        Some(property) => format!("{property}: {message}"),
                        None => message.to_owned(),
                    })
                })
                .collect();
            (!messages.is_empty()).then(|| messages.join("; "))
        }
        Ok(Value::Object(fields)) => ["message", "errorMessage", "status_message", "error"]
            .iter()
            .find_map(|key| fields.get(*key).and_then(words))
            .map(str::to_owned),
        _ => None,
    };
    let said = said.unwrap_or_else(|| body.trim().to_owned());
    said.chars().take(300).collect()
}

/// A JSON string with something in it, trimmed.
fn words(value: &serde_json::Value) -> Option<&str> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty())
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, UpstreamError> {
    serde_json::from_str(text).map_err(|e| {
        let looks_html = text.trim_start().starts_with('<');
        UpstreamError::Malformed(if looks_html {
            "an HTML page instead of JSON".into()
        } else {
            e.to_string()
        })
    })
}

#[cfg(test)]
mod tests;
