//! `GET /metrics`: the Prometheus text format (`text/plain; version=0.0.4`), or OpenMetrics
//! when the scraper asks for it (`Accept: application/openmetrics-text`), for monitoring: core's
//! counters and database figures, HTTP traffic by route ([`traffic`]) and the process's memory,
//! CPU and descriptors ([`process`]). Readable from the networks in `USHER_METRICS_ALLOW`
//! (loopback by default) or with `Authorization: Bearer <USHER_METRICS_TOKEN>`; everyone else
//! gets 403. Outside the console (no session, no CSRF: it is a read-only GET for a scraper).

pub mod process;
pub mod text_format;
pub mod traffic;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::registry::Registry;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use usher_core::crypto::constant_time_eq;
use usher_core::metrics::{self, Figures};

use self::process::ProcessFigures;
use self::traffic::HttpMetrics;
use crate::error::WebError;
use crate::security::ClientIpPolicy;
use crate::state::AppState;

/// Who may read `/metrics`, from `USHER_METRICS_ALLOW` and `USHER_METRICS_TOKEN`.
pub struct MetricsAccess {
    token: Option<SecretString>,
    allow: Vec<IpNet>,
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsAccess")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("allow", &self.allow)
            .finish()
    }
}

impl MetricsAccess {
    /// Access for these networks and, from anywhere, this bearer token.
    pub fn new(token: Option<SecretString>, allow: Vec<IpNet>) -> Self {
        Self { token, allow }
    }

    /// Whether the request carries the token (compared in constant time, over digests so the
    /// length does not leak either).
    fn has_token(&self, parts: &Parts) -> bool {
        let Some(token) = &self.token else {
            return false;
        };
        let Some(given) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        let want = Sha256::digest(token.expose_secret().as_bytes());
        let got = Sha256::digest(given.trim().as_bytes());
        constant_time_eq(&want, &got)
    }

    /// Whether the client is in an allowed network. A request forwarded by a proxy that is not
    /// trusted (`USHER_TRUSTED_PROXIES`) never counts: behind a local reverse proxy every client
    /// would otherwise look like loopback.
    fn is_from_allowed_network(&self, parts: &Parts, proxies: &ClientIpPolicy) -> bool {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return false;
        };
        let forwarded = ClientIpPolicy::is_forwarded(parts);
        let client: IpAddr = if proxies.is_trusted(peer) {
            proxies.of(parts).unwrap_or(peer)
        } else if forwarded {
            return false;
        } else {
            peer
        };
        self.allow.iter().any(|net| net.contains(&client))
    }

    /// Whether this request may read the metrics.
    pub fn allows(&self, parts: &Parts, proxies: &ClientIpPolicy) -> bool {
        self.has_token(parts) || self.is_from_allowed_network(parts, proxies)
    }
}

/// GET /metrics.
pub async fn metrics(State(state): State<AppState>, req: Request) -> Result<Response, WebError> {
    let (parts, _) = req.into_parts();
    let (access, services) = (state.metrics_access(), state.services());
    if !access.allows(&parts, &state.console().client_ip) {
        return Ok((StatusCode::FORBIDDEN, "forbidden").into_response());
    }
    let mut figures = Figures::read(&services.db).await?;
    figures.caches = services.cache_figures().await;
    let openmetrics = exposition(&figures, state.http_metrics());
    let (content_type, body) = if wants_openmetrics(&parts) {
        (metrics::CONTENT_TYPE, openmetrics)
    } else {
        (
            text_format::PROMETHEUS_CONTENT_TYPE,
            text_format::prometheus_text(&openmetrics),
        )
    };
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response())
}

/// The whole exposition as OpenMetrics text: core's, then the web server's, then the process's.
fn exposition(figures: &Figures, http: &HttpMetrics) -> String {
    let core = metrics::global().encode(figures);
    let mut text = core.strip_suffix("# EOF\n").unwrap_or(&core).to_owned();
    let mut process = Registry::default();
    ProcessFigures::read().register(&mut process);
    // Writing into a String cannot fail.
    let _ = encode_registry(&mut text, http.registry());
    let _ = encode_registry(&mut text, &process);
    let _ = encode_eof(&mut text);
    text
}

/// Whether the scraper prefers OpenMetrics (Prometheus sends it first in `Accept` when it can
/// read it); without it, the plain Prometheus text format every scraper reads.
fn wants_openmetrics(parts: &Parts) -> bool {
    parts
        .headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            let (kind, params) = media.split_once(';').unwrap_or((media, ""));
            kind.trim()
                .eq_ignore_ascii_case("application/openmetrics-text")
                && !params
                    .split(';')
                    .any(|p| p.trim().replace(' ', "") == "q=0")
        })
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    fn parts(peer: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = Request::builder().uri("/metrics");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let (mut parts, ()) = builder.body(()).expect("request").into_parts();
        let addr: SocketAddr = format!("{peer}:5000").parse().expect("addr");
        parts.extensions.insert(ConnectInfo(addr));
        parts
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("net")).collect()
    }

    fn trusted_local() -> ClientIpPolicy {
        ClientIpPolicy::new(nets(&["127.0.0.1/32"]))
    }

    #[test]
    fn networks_and_token_open_it_nothing_else_does() {
        let none = ClientIpPolicy::default();
        let access = MetricsAccess::new(
            Some(SecretString::from("s3cret-token")),
            nets(&["127.0.0.0/8"]),
        );
        assert!(access.allows(&parts("127.0.0.1", &[]), &none));
        assert!(!access.allows(&parts("192.0.2.7", &[]), &none));
        let bearer = [("authorization", "Bearer s3cret-token")];
        assert!(access.allows(&parts("192.0.2.7", &bearer), &none));
        let wrong = [("authorization", "Bearer s3cret-tokeN")];
        assert!(!access.allows(&parts("192.0.2.7", &wrong), &none));
        let basic = [("authorization", "Basic s3cret-token")];
        assert!(!access.allows(&parts("192.0.2.7", &basic), &none));

        // Through an untrusted local proxy, loopback does not count.
        let via_proxy = [("x-forwarded-for", "198.51.100.4")];
        assert!(!access.allows(&parts("127.0.0.1", &via_proxy), &none));
        for header in ["x-real-ip", "forwarded"] {
            let value = if header == "forwarded" {
                "for=8.8.8.8"
            } else {
                "8.8.8.8"
            };
            let named = [(header, value)];
            assert!(
                !access.allows(&parts("127.0.0.1", &named), &none),
                "{header}"
            );
            assert!(
                !access.allows(&parts("127.0.0.1", &named), &trusted_local()),
                "{header}"
            );
        }
        // Through a trusted one, the real client decides.
        let trusted = ClientIpPolicy::new(nets(&["127.0.0.1/32"]));
        assert!(!access.allows(&parts("127.0.0.1", &via_proxy), &trusted));
        let local_client = [("x-forwarded-for", "127.0.0.5")];
        assert!(access.allows(&parts("127.0.0.1", &local_client), &trusted));

        let no_token = MetricsAccess::new(None, Vec::new());
        assert!(!no_token.allows(&parts("127.0.0.1", &[]), &none));
        assert!(!no_token.allows(&parts("127.0.0.1", &[("authorization", "Bearer ")]), &none));
        assert!(!format!("{access:?}").contains("s3cret"));
    }

    #[test]
    fn openmetrics_only_when_asked_for() {
        let ask = |accept: &str| wants_openmetrics(&parts("127.0.0.1", &[("accept", accept)]));
        assert!(!wants_openmetrics(&parts("127.0.0.1", &[])));
        assert!(ask(
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        ));
        assert!(!ask("text/plain;version=0.0.4"));
        assert!(!ask("application/openmetrics-text; q=0, text/plain"));
    }
}
