//! What makes the console safe to expose: response headers (a strict CSP without
//! `unsafe-inline`, no framing, no sniffing, HSTS over https), the client address behind
//! trusted proxies, and a rate limit on sign-in routes.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::console::page::{problem_page, request_language};
use crate::state::AppState;

/// The Content-Security-Policy of every response: our own scripts and styles only, images only
/// from us (posters come through the console's image proxy), no framing, forms post only to us.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every response (a handler may set its own first).
pub fn with_headers<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let fixed: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = router;
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if https {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
}

/// Finds the client address: the peer, or — when the peer is a trusted proxy — the nearest
/// untrusted address the proxy reports (`X-Forwarded-For`, else `Forwarded: for=`, else
/// `X-Real-IP`). Every reader of a client address (sign-in rate limits, audit and session
/// addresses, `/metrics` access) goes through here, so one rule decides whom to believe.
#[derive(Debug, Clone, Default)]
pub struct ClientIpPolicy {
    trusted: Vec<IpNet>,
}

/// The headers a proxy uses to name the client it forwards for.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

impl ClientIpPolicy {
    /// A policy trusting these proxy networks.
    pub fn new(trusted: Vec<IpNet>) -> Self {
        Self { trusted }
    }

    /// Whether an address is one of the trusted proxies.
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// Whether the request says it was forwarded for someone (trusted or not).
    pub fn is_forwarded(parts: &Parts) -> bool {
        FORWARDING_HEADERS
            .iter()
            .any(|name| parts.headers.contains_key(*name))
    }

    /// The client address of a request, if the server knows its peer.
    pub fn of(&self, parts: &Parts) -> Option<IpAddr> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())?;
        if !self.is_trusted(peer) {
            return Some(peer);
        }
        Some(self.resolve(peer, &forwarded_hops(&parts.headers)))
    }

    /// The nearest untrusted hop, walking from the trusted `peer` back along `hops` (client
    /// first, as proxies append).
    fn resolve(&self, peer: IpAddr, hops: &[IpAddr]) -> IpAddr {
        if !self.is_trusted(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in hops.iter().rev() {
            client = *hop;
            if !self.is_trusted(*hop) {
                break;
            }
        }
        client
    }
}

/// The addresses a proxy reports, client first: `X-Forwarded-For`, else RFC 7239 `Forwarded`,
/// else `X-Real-IP`. Entries that are not addresses (`unknown`, obfuscated ids) are skipped.
fn forwarded_hops(headers: &HeaderMap) -> Vec<IpAddr> {
    let all = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|hop| hop.trim().to_owned())
            .collect()
    };
    let plain: Vec<IpAddr> = all("x-forwarded-for")
        .iter()
        .filter_map(|hop| hop.parse().ok())
        .collect();
    if !plain.is_empty() {
        return plain;
    }
    let rfc: Vec<IpAddr> = all("forwarded")
        .iter()
        .filter_map(|element| forwarded_for(element))
        .collect();
    if !rfc.is_empty() {
        return rfc;
    }
    all("x-real-ip")
        .iter()
        .filter_map(|hop| hop.parse().ok())
        .collect()
}

/// The address in one `Forwarded` element's `for=` (`for=192.0.2.1`, `for="[2001:db8::1]:80"`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    let value = element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then_some(value.trim())
    })?;
    let value = value.trim_matches('"');
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    value
        .parse()
        .ok()
        .or_else(|| value.rsplit_once(':')?.0.parse().ok())
}

/// Per-address limit on sign-in attempts (passkey, OIDC, setup).
pub struct SignInLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl std::fmt::Debug for SignInLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInLimiter").finish_non_exhaustive()
    }
}

impl SignInLimiter {
    /// `per_minute` attempts a minute per address, all of them usable at once.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// `Err(wait)` when the address is over its limit.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Middleware for sign-in routes: 429 with `Retry-After` once an address is over its limit.
pub async fn limit_sign_in(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let console = state.console();
    let (parts, body) = req.into_parts();
    if let Some(ip) = console.client_ip.of(&parts)
        && let Err(wait) = console.sign_in_limiter.check(ip)
    {
        let seconds = wait.as_secs().max(1);
        let lang = request_language(&parts.headers);
        let mut response = problem_page(
            StatusCode::TOO_MANY_REQUESTS,
            &lang,
            "console-too-many",
            &[("seconds", seconds.to_string())],
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    next.run(Request::from_parts(parts, body)).await
}

/// `GET /.well-known/security.txt` (RFC 9116): where to report a vulnerability in this
/// installation — the operator's `USHER_SECURITY_CONTACT`, else this console's address.
pub async fn security_txt(State(state): State<AppState>) -> impl IntoResponse {
    let expires = usher_core::domain::Timestamp::now()
        .plus(Duration::from_secs(180 * 24 * 60 * 60))
        .to_rfc3339();
    let contact = state
        .console()
        .security_contact
        .clone()
        .unwrap_or_else(|| format!("{}/", state.public_url()));
    let body = format!(
        "Contact: {contact}\n\
         Expires: {expires}\n\
         Preferred-Languages: en, de\n\
         Canonical: {}/.well-known/security.txt\n",
        state.public_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ClientIpPolicy {
        ClientIpPolicy::new(vec![
            "10.0.0.0/8".parse().expect("literal"),
            "127.0.0.1/32".parse().expect("literal"),
        ])
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("literal")
    }

    fn from(peer: &str, headers: &[(&str, &str)]) -> Option<IpAddr> {
        let mut builder = axum::http::Request::builder();
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let (mut parts, ()) = builder.body(()).expect("request").into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::new(ip(peer), 5000)));
        policy().of(&parts)
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let chain = [("x-forwarded-for", "198.51.100.9, 10.1.1.1")];
        assert_eq!(from("127.0.0.1", &chain), Some(ip("198.51.100.9")));
        assert_eq!(from("203.0.113.5", &chain), Some(ip("203.0.113.5")));
        let spoofed = [("x-forwarded-for", "1.2.3.4, 198.51.100.9")];
        assert_eq!(from("10.0.0.1", &spoofed), Some(ip("198.51.100.9")));
        assert_eq!(from("10.0.0.1", &[]), Some(ip("10.0.0.1")));
    }

    #[test]
    fn every_forwarding_header_follows_the_same_rule() {
        let real = [("x-real-ip", "8.8.8.8")];
        assert_eq!(from("127.0.0.1", &real), Some(ip("8.8.8.8")));
        assert_eq!(from("203.0.113.5", &real), Some(ip("203.0.113.5")));
        let rfc = [(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8::7]:4711\";proto=https",
        )];
        assert_eq!(from("10.0.0.1", &rfc), Some(ip("2001:db8::7")));
        assert_eq!(from("192.0.2.1", &rfc), Some(ip("192.0.2.1")));
        let ported = [("forwarded", "for=198.51.100.3:8443")];
        assert_eq!(from("10.0.0.1", &ported), Some(ip("198.51.100.3")));
        let both = [
            ("x-forwarded-for", "198.51.100.9"),
            ("x-real-ip", "8.8.8.8"),
        ];
        assert_eq!(from("10.0.0.1", &both), Some(ip("198.51.100.9")));
        let junk = [("x-real-ip", "not-an-address")];
        assert_eq!(from("10.0.0.1", &junk), Some(ip("10.0.0.1")));
    }

    #[test]
    fn the_limiter_refuses_after_the_quota() {
        let limiter = SignInLimiter::new(2);
        let ip: IpAddr = "192.0.2.1".parse().expect("literal");
        assert!(limiter.check(ip).is_ok());
        assert!(limiter.check(ip).is_ok());
        let wait = limiter
            .check(ip)
            .expect_err("third attempt within a minute");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiter.check("192.0.2.2".parse().expect("literal")).is_ok());
    }
}
