//! [`MasterKeys`]: sealing and opening secrets at rest, and deriving purpose-bound keys.

use std::fmt;

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead as _, KeyInit as _, Nonce, Payload};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use secrecy::{ExposeSecret as _, SecretString};
use sha2::Sha256;

use super::CryptoError;
use super::tokens::fill_random;

/// Shortest accepted master key, in characters.
pub(crate) const MIN_KEY_CHARS: usize = 32;

/// Format version of sealed values.
const VERSION: &str = "v1";
/// HKDF label of the AES-256-GCM key that seals secrets at rest.
const SEAL_INFO: &[u8] = b"usher/secrets-at-rest/v1";
/// HKDF label of the public key id.
const KID_INFO: &[u8] = b"usher/key-id/v1";
/// HKDF label prefix of [`MasterKeys::derive`]; keeps purposes apart from the labels above.
const DERIVE_INFO_PREFIX: &str = "usher/derive/v1/";
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// One master key, held only in derived form.
#[derive(Clone)]
struct Key {
    /// 8 hex chars naming the key in sealed values; derived, so it reveals nothing.
    kid: String,
    cipher: Aes256Gcm,
    hkdf: Hkdf<Sha256>,
}

impl Key {
    fn new(secret: &SecretString, which: &str) -> Result<Self, CryptoError> {
        let secret = secret.expose_secret();
        if secret.chars().count() < MIN_KEY_CHARS {
            return Err(CryptoError::KeyTooShort {
                which: which.to_owned(),
            });
        }
        let hkdf = Hkdf::<Sha256>::new(None, secret.as_bytes());
        let cipher = Aes256Gcm::new(&expand::<32>(&hkdf, SEAL_INFO).into());
        let kid = expand::<4>(&hkdf, KID_INFO)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self { kid, cipher, hkdf })
    }

    fn derive(&self, purpose: &str) -> [u8; 32] {
        expand(
            &self.hkdf,
            format!("{DERIVE_INFO_PREFIX}{purpose}").as_bytes(),
        )
    }
}

/// HKDF-expand to `N` bytes.
fn expand<const N: usize>(hkdf: &Hkdf<Sha256>, info: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    // Only lengths above 255 × 32 bytes fail; every caller asks for at most 32.
    hkdf.expand(info, &mut out)
        .expect("HKDF output length is at most 32 bytes");
    out
}

/// The instance master key and, during a rotation, the previous one. Seals secrets stored in
/// the database and derives the keys for signed buttons and sessions; `Debug` shows key ids
/// only.
#[derive(Clone)]
pub struct MasterKeys {
    current: Key,
    previous: Option<Key>,
}

impl MasterKeys {
    /// Builds the keys from their secret strings (`USHER_SECRET_KEY`,
    /// `USHER_SECRET_KEY_PREVIOUS`); each must be at least 32 characters.
    pub fn from_secrets(
        current: &SecretString,
        previous: Option<&SecretString>,
    ) -> Result<Self, CryptoError> {
        Ok(Self {
            current: Key::new(current, "USHER_SECRET_KEY")?,
            previous: previous
                .map(|p| Key::new(p, "USHER_SECRET_KEY_PREVIOUS"))
                .transpose()?,
        })
    }

    /// The current key's id, as written into sealed values; safe to log.
    pub fn kid(&self) -> &str {
        &self.current.kid
    }

    /// Encrypts a secret for storage: AES-256-GCM with a random 96-bit nonce, returned as
    /// `v1.<kid>.<base64url(nonce ‖ ciphertext ‖ tag)>`. The version and key id are
    /// authenticated too.
    ///
    /// # Panics
    /// Only if the OS random generator fails or `plaintext` exceeds AES-GCM's 64 GiB limit.
    pub fn seal(&self, plaintext: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let aad = header(&self.current.kid);
        let payload = Payload {
            msg: plaintext,
            aad: aad.as_bytes(),
        };
        let ciphertext = self
            .current
            .cipher
            .encrypt(&Nonce::<Aes256Gcm>::from(nonce), payload)
            .expect("AES-GCM encrypts any value below 64 GiB");
        let mut body = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        body.extend_from_slice(&nonce);
        body.extend_from_slice(&ciphertext);
        format!("{aad}.{}", URL_SAFE_NO_PAD.encode(body))
    }

    /// Decrypts a value made by [`MasterKeys::seal`] with the current or the previous key.
    /// Malformed, altered or foreign values are errors; this never panics.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, CryptoError> {
        let (kid, body) = parse(sealed)?;
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|key| key.kid == kid)
            .ok_or_else(|| CryptoError::UnknownKey {
                kid: kid.to_owned(),
            })?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CryptoError::Malformed)?;
        if body.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
        let aad = header(kid);
        let payload = Payload {
            msg: ciphertext,
            aad: aad.as_bytes(),
        };
        key.cipher
            .decrypt(&Nonce::<Aes256Gcm>::from(nonce), payload)
            .map_err(|_| CryptoError::Tampered)
    }

    /// Whether a sealed value already uses the current key, so a rotation job re-seals only
    /// the others (open, then seal). Does not verify the value.
    pub fn is_sealed_with_current(&self, sealed: &str) -> bool {
        parse(sealed).is_ok_and(|(kid, _)| kid == self.current.kid)
    }

    /// A 32-byte key for one purpose (e.g. `"callback-signing"`, `"session-jwt"`), derived
    /// from the current master key with HKDF-SHA256; different purposes get unrelated keys.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        self.current.derive(purpose)
    }

    /// The same derivation from the previous key, so signatures made before a rotation can
    /// still be checked; `None` when no previous key is set.
    pub fn derive_previous(&self, purpose: &str) -> Option<[u8; 32]> {
        self.previous.as_ref().map(|key| key.derive(purpose))
    }
}

impl fmt::Debug for MasterKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKeys")
            .field("current", &self.current.kid)
            .field("previous", &self.previous.as_ref().map(|k| &k.kid))
            .finish()
    }
}

/// `v1.<kid>`, the authenticated prefix of a sealed value.
fn header(kid: &str) -> String {
    format!("{VERSION}.{kid}")
}

/// Splits `v1.<kid>.<body>`, checking the version and that the kid is 8 hex chars.
fn parse(sealed: &str) -> Result<(&str, &str), CryptoError> {
    let mut parts = sealed.splitn(3, '.');
    let (Some(VERSION), Some(kid), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CryptoError::Malformed);
    };
    if kid.len() != 8 || !kid.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(CryptoError::Malformed);
    }
    Ok((kid, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-first-key";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-second-key";

    fn keys(current: &str, previous: Option<&str>) -> MasterKeys {
        let current = SecretString::from(current);
        let previous = previous.map(SecretString::from);
        MasterKeys::from_secrets(&current, previous.as_ref()).expect("valid keys")
    }

    #[test]
    fn round_trip() {
        let k = keys(A, None);
        for plain in [&b""[..], b"radarr-api-key", &[0u8; 1000]] {
            let sealed = k.seal(plain);
            assert!(sealed.starts_with(&format!("v1.{}.", k.kid())));
            assert_eq!(k.open(&sealed).expect("opens"), plain);
        }
        assert_ne!(k.seal(b"x"), k.seal(b"x"), "nonces must differ");
    }

    #[test]
    fn rotation() {
        let old = keys(A, None);
        let sealed = old.seal(b"bot token");
        let rotated = keys(B, Some(A));
        assert_eq!(
            rotated.open(&sealed).expect("previous key opens"),
            b"bot token"
        );
        assert!(!rotated.is_sealed_with_current(&sealed));
        let resealed = rotated.seal(&rotated.open(&sealed).expect("opens"));
        assert!(rotated.is_sealed_with_current(&resealed));
        assert!(matches!(
            keys(B, None).open(&sealed),
            Err(CryptoError::UnknownKey { .. })
        ));
        assert_eq!(rotated.derive_previous("p"), Some(old.derive("p")));
        assert_eq!(old.derive_previous("p"), None);
    }

    #[test]
    fn tampering_is_detected() {
        let k = keys(A, None);
        let sealed = k.seal(b"secret value");
        let (head, body) = sealed.rsplit_once('.').expect("three parts");
        let mut bytes = URL_SAFE_NO_PAD.decode(body).expect("base64");
        for i in 0..bytes.len() {
            bytes[i] ^= 0x01;
            let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode(&bytes));
            assert!(
                matches!(k.open(&forged), Err(CryptoError::Tampered)),
                "byte {i}"
            );
            bytes[i] ^= 0x01;
        }
        // The key id is authenticated too: relabelling for the other key fails.
        let other = keys(B, Some(A));
        let relabelled = sealed.replace(k.kid(), other.kid());
        assert!(other.open(&relabelled).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let k = keys(A, None);
        let kid = k.kid().to_owned();
        for junk in [
            String::new(),
            "v1".into(),
            "v1..".into(),
            format!("v1.{kid}"),
            format!("v1.{kid}."),
            format!("v1.{kid}.!!!not base64"),
            format!("v1.{kid}.AAAA"),
            format!("v2.{kid}.{}", URL_SAFE_NO_PAD.encode([0u8; 40])),
            format!(
                "v1.{}.{}",
                kid.to_uppercase(),
                URL_SAFE_NO_PAD.encode([0u8; 40])
            ),
            format!("v1.{kid}.{}", URL_SAFE_NO_PAD.encode([0u8; 40])),
            "v1.ééééé.x".into(),
        ] {
            assert!(k.open(&junk).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn derived_keys_are_separated() {
        let a = keys(A, None);
        assert_eq!(a.derive("session-jwt"), keys(A, None).derive("session-jwt"));
        assert_ne!(a.derive("session-jwt"), a.derive("callback-signing"));
        assert_ne!(a.derive("session-jwt"), keys(B, None).derive("session-jwt"));
    }

    #[test]
    fn short_keys_are_refused() {
        let short = SecretString::from("too short");
        let long = SecretString::from(A);
        let err = MasterKeys::from_secrets(&short, None).expect_err("short");
        assert!(
            err.to_string()
                .contains("USHER_SECRET_KEY must be at least 32")
        );
        let err = MasterKeys::from_secrets(&long, Some(&short)).expect_err("short previous");
        assert!(err.to_string().contains("USHER_SECRET_KEY_PREVIOUS"));
    }

    #[test]
    fn debug_shows_only_key_ids() {
        let k = keys(A, Some(B));
        let shown = format!("{k:?}");
        assert!(shown.contains(k.kid()));
        assert!(
            !shown.contains("aaaa") && !shown.contains("bbbb"),
            "{shown}"
        );
        assert!(
            !shown.contains("cipher") && !shown.contains("hkdf"),
            "{shown}"
        );
    }
}
