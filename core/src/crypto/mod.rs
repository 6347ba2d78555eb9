//! Keys and secrets: the instance master key, secrets sealed at rest, derived keys and
//! one-time tokens.
//!
//! [`MasterKeys`] holds the current master key and, during a rotation, the previous one. Raw key
//! strings are never used directly: every working key (the AES-256-GCM key that seals API keys
//! and bot tokens, the key ids, the keys returned by [`MasterKeys::derive`] for signed buttons
//! and sessions) is derived from them with HKDF-SHA256 under its own label.

mod keyfile;
mod master;
mod tokens;

use std::path::PathBuf;

pub use master::MasterKeys;
pub use tokens::{constant_time_eq, hash_token, random_token};

/// Why a key could not be loaded or a sealed value could not be opened. Never contains key
/// material or plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// A master key is too short to be a real secret.
    #[error("{which} must be at least {min} characters", min = master::MIN_KEY_CHARS)]
    KeyTooShort {
        /// Where the key came from (`USHER_SECRET_KEY`, a file path…).
        which: String,
    },
    /// Not of the form `v1.<kid>.<base64url>`, or too short to hold a nonce and tag.
    #[error("sealed value is malformed")]
    Malformed,
    /// Sealed with a key that is neither the current nor the previous one.
    #[error(
        "sealed value uses key {kid}, which is not loaded (was USHER_SECRET_KEY changed without setting USHER_SECRET_KEY_PREVIOUS?)"
    )]
    UnknownKey {
        /// The key id found in the sealed value.
        kid: String,
    },
    /// The authentication tag did not match: the value was altered or corrupted.
    #[error("sealed value failed authentication (altered or corrupted)")]
    Tampered,
    /// The generated key file could not be read or written.
    #[error("secret key file {}: {source}", path.display())]
    KeyFile {
        /// The file (`<data_dir>/secret.key`).
        path: PathBuf,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// The operating system's random generator failed.
    #[error("the operating system's random generator failed: {0}")]
    Rng(String),
}
