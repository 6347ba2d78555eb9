//! The session cookie: a short HS256 JWT (jsonwebtoken) that names a server-side session by its
//! `jti`. The JWT proves the cookie came from us; the session row decides whether it still
//! counts, so revocation is immediate.

use axum_extra::extract::cookie::{Cookie, SameSite};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use usher_core::service::sessions::NewSession;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "usher_session";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    jti: String,
    iat: i64,
    exp: i64,
}

/// Signs and checks session JWTs with a key derived from the master key.
pub struct SessionCodec {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    secure: bool,
}

impl SessionCodec {
    /// A codec over a 32-byte key; `secure` marks cookies `Secure` (public URL is https).
    pub fn new(key: &[u8; 32], secure: bool) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub", "jti"]);
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            secure,
        }
    }

    /// The cookie carrying a new session.
    pub fn cookie(&self, session: &NewSession) -> Cookie<'static> {
        let now = usher_core::domain::Timestamp::now().millis() / 1000;
        let exp = session.expires_at.millis() / 1000;
        let claims = Claims {
            sub: session.user.to_string(),
            jti: session.jti.clone(),
            iat: now,
            exp,
        };
        // HS256 over our own claims cannot fail to encode.
        let token =
            encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default();
        Cookie::build((SESSION_COOKIE, token))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .path("/")
            .max_age(time::Duration::seconds((exp - now).max(0)))
            .build()
    }

    /// A cookie that removes the session cookie.
    pub fn removal(&self) -> Cookie<'static> {
        Cookie::build((SESSION_COOKIE, ""))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .path("/")
            .max_age(time::Duration::ZERO)
            .build()
    }

    /// The session id in a cookie value, if its signature and expiry hold.
    pub fn jti(&self, token: &str) -> Option<String> {
        if token.is_empty() || token.len() > 1024 {
            return None;
        }
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims.jti)
    }

    /// Whether cookies are marked `Secure`.
    pub fn secure(&self) -> bool {
        self.secure
    }
}

/// A cookie binding a sign-in ceremony (OIDC round trip, Plex PIN) to the browser that started
/// it: HttpOnly, scoped to the ceremony's `path`, short-lived; an empty value with `max_age` 0
/// removes it. `SameSite=Lax`, because the provider sends the browser back with a top-level
/// navigation from another site.
pub fn ceremony_cookie(
    name: &'static str,
    path: &'static str,
    value: String,
    max_age: u64,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path(path)
        .max_age(time::Duration::seconds(
            i64::try_from(max_age).unwrap_or(i64::MAX),
        ))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::domain::{Timestamp, UserId};

    fn session(expires_in_secs: i64) -> NewSession {
        NewSession {
            jti: "abc".into(),
            user: UserId(7),
            expires_at: Timestamp(Timestamp::now().millis() + expires_in_secs * 1000),
        }
    }

    #[test]
    fn a_cookie_round_trips_and_is_locked_down() {
        let codec = SessionCodec::new(&[1; 32], true);
        let cookie = codec.cookie(&session(3600));
        assert_eq!(codec.jti(cookie.value()).as_deref(), Some("abc"));
        let text = cookie.to_string();
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(text.contains(part), "{text}");
        }
        assert!(
            !SessionCodec::new(&[1; 32], false)
                .cookie(&session(60))
                .to_string()
                .contains("Secure")
        );
    }

    #[test]
    fn forged_expired_and_garbage_tokens_are_refused() {
        let codec = SessionCodec::new(&[1; 32], false);
        let other = SessionCodec::new(&[2; 32], false);
        assert_eq!(codec.jti(other.cookie(&session(3600)).value()), None);
        assert_eq!(codec.jti(codec.cookie(&session(-10)).value()), None);
        assert_eq!(codec.jti("not.a.jwt"), None);
        assert_eq!(codec.jti(""), None);
        let unsigned =
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiI3IiwianRpIjoiYWJjIiwiaWF0IjowLCJleHAiOjk5OTk5OTk5OTl9.";
        assert_eq!(codec.jti(unsigned), None);
    }
}
