//! The webhook agent's signature, so a receiver can tell Usher's bodies from anyone else's and
//! refuse replays: `X-Usher-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
//! keyed by the secret's text exactly as `usher admin agent add webhook` printed it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::crypto::constant_time_eq;

/// The header name.
pub const SIGNATURE_HEADER: &str = "X-Usher-Signature";

/// How old a `t` a receiver should still accept (the README tells receivers the same).
pub const TOLERANCE_SECS: i64 = 300;

/// The signature header's value for `body` sent at `t` (unix seconds).
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex(&mac(secret, t, body)))
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Why a received signature is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `t=…,v1=…`.
    #[error("malformed signature header")]
    Malformed,
    /// `t` is further than [`TOLERANCE_SECS`] from now (a replay, or a skewed clock).
    #[error("signature timestamp outside the tolerance")]
    Stale,
    /// The HMAC does not match.
    #[error("signature mismatch")]
    Mismatch,
}

/// Checks a header value the way a receiver should (Usher's own tests, and the reference for
/// the README's example): parses `t` and `v1`, refuses a `t` more than [`TOLERANCE_SECS`] away
/// from `now`, and compares the HMAC in constant time.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = Some(value),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(SignatureError::Malformed);
    };
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let expected = hex(&mac(secret, t, body));
    if constant_time_eq(expected.as_bytes(), v1.as_bytes()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector computed independently (`printf '1700000000.{"a":1}' | openssl dgst -sha256
    /// -hmac whsec_test`), so the format cannot drift without this failing.
    #[test]
    fn matches_an_independent_hmac() {
        let header = signature("whsec_test", 1_700_000_000, br#"{"a":1}"#);
        assert_eq!(
            header,
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn verify_refuses_tampering_replays_and_junk() {
        let body = br#"{"event":"requested"}"#;
        let header = signature("s3cret", 1_000, body);
        assert_eq!(verify("s3cret", &header, body, 1_100), Ok(()));
        assert_eq!(
            verify("s3cret", &header, br#"{"event":"approved"}"#, 1_100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("other", &header, body, 1_100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &header, body, 1_000 + TOLERANCE_SECS + 1),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("s3cret", "v1=abc", body, 1_000),
            Err(SignatureError::Malformed)
        );
    }
}
