//! [`MasterKeys::load_or_generate`]: the master key from `USHER_SECRET_KEY`, or from
//! `<data_dir>/secret.key`, generated on first start so `usher serve` works with nothing set.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore as _;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret as _, SecretString};

use super::CryptoError;
use super::master::{MIN_KEY_CHARS, MasterKeys};
use crate::config::{DatabaseKind, Settings};

/// Name of the generated key file inside the data folder.
pub(crate) const KEY_FILE: &str = "secret.key";

impl MasterKeys {
    /// The configured keys if there are any yet (`USHER_SECRET_KEY`, or an existing key file),
    /// without generating one: for commands like `usher check` that should not create state.
    pub fn load_existing(settings: &Settings) -> Result<Option<Self>, CryptoError> {
        if settings.secret_key.is_none() && !settings.data_dir.join(KEY_FILE).is_file() {
            return Ok(None);
        }
        Self::load_or_generate(settings).map(Some)
    }

    /// The configured keys: `USHER_SECRET_KEY` when set, else `<data_dir>/secret.key`,
    /// created on first start (32 random bytes, base64url, mode 0600, data folder created if
    /// missing). `USHER_SECRET_KEY_PREVIOUS` is added either way. The key is never logged.
    pub fn load_or_generate(settings: &Settings) -> Result<Self, CryptoError> {
        let previous = settings.secret_key_previous.as_ref();
        if let Some(current) = &settings.secret_key {
            return Self::from_secrets(current, previous);
        }
        let path = settings.data_dir.join(KEY_FILE);
        let current = match read_key_file(&path)? {
            Some(key) => key,
            None => {
                let key = generate_key_file(&path)?;
                tracing::info!(path = %path.display(), "generated a new secret key");
                if settings.database_url.kind() == DatabaseKind::Postgres {
                    tracing::warn!(
                        "secret key generated locally; with several replicas set USHER_SECRET_KEY \
                         to one value on all of them"
                    );
                }
                key
            }
        };
        if current.expose_secret().chars().count() < MIN_KEY_CHARS {
            return Err(CryptoError::KeyTooShort {
                which: path.display().to_string(),
            });
        }
        Self::from_secrets(&current, previous)
    }
}

fn key_file_error(path: &Path) -> impl FnOnce(io::Error) -> CryptoError + '_ {
    move |source| CryptoError::KeyFile {
        path: path.to_path_buf(),
        source,
    }
}

/// The key in `path`, trimmed of trailing newlines; `None` when the file does not exist.
fn read_key_file(path: &Path) -> Result<Option<SecretString>, CryptoError> {
    match fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            Ok(Some(SecretString::from(
                text.trim_end_matches(['\n', '\r']),
            )))
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(key_file_error(path)(err)),
    }
}

/// Writes a fresh key to `path`, which must not exist yet. If another process wins the race
/// to create it, its key is used instead.
fn generate_key_file(path: &Path) -> Result<SecretString, CryptoError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(key_file_error(dir))?;
    }
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|err| CryptoError::Rng(err.to_string()))?;
    let key = SecretString::from(URL_SAFE_NO_PAD.encode(bytes));
    secrecy::zeroize::Zeroize::zeroize(&mut bytes);

    let file = match create_private_file(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            return read_key_file(path)?.ok_or_else(|| key_file_error(path)(err));
        }
        Err(err) => return Err(key_file_error(path)(err)),
    };
    if let Err(err) = write_key(file, &key) {
        // An empty key file would fail every later start; leave nothing behind.
        let _ = fs::remove_file(path);
        return Err(key_file_error(path)(err));
    }
    Ok(key)
}

fn write_key(mut file: File, key: &SecretString) -> io::Result<()> {
    file.write_all(key.expose_secret().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// Creates `path` exclusively, owner-only before anything is written.
fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let file = options.open(path)?;
        // The mode above is filtered by the umask; make it exact either way.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Creates the data folder (and parents) owner-only when missing.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A key file others can read is still used, but the operator is told.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                path = %path.display(),
                "secret key file is accessible to other users; run chmod 600 on it"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{LoadOptions, load};

    fn settings(data_dir: &Path, env: &[(&str, &str)]) -> Settings {
        let mut vars = vec![("USHER_DATA_DIR".to_owned(), data_dir.display().to_string())];
        vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let opts = LoadOptions {
            env: vars,
            ..LoadOptions::default()
        };
        load(opts).expect("valid settings").settings
    }

    #[test]
    fn generates_owner_only_file_once_and_reuses_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("nested/data");
        let s = settings(&data, &[]);
        let first = MasterKeys::load_or_generate(&s).expect("generated");
        let path = data.join(KEY_FILE);
        let content = fs::read_to_string(&path).expect("key file");
        assert_eq!(content.trim_end().len(), 43, "32 bytes base64url");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = fs::metadata(&data).expect("meta").permissions().mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        let second = MasterKeys::load_or_generate(&s).expect("reused");
        assert_eq!(first.kid(), second.kid());
        assert_eq!(second.open(&first.seal(b"x")).expect("opens"), b"x");
        assert_eq!(fs::read_to_string(&path).expect("key file"), content);
    }

    #[test]
    fn configured_key_wins_and_no_file_is_written() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let key = "k".repeat(40);
        let prev = "p".repeat(40);
        let s = settings(
            tmp.path(),
            &[
                ("USHER_SECRET_KEY", &key),
                ("USHER_SECRET_KEY_PREVIOUS", &prev),
            ],
        );
        let keys = MasterKeys::load_or_generate(&s).expect("from env");
        let expected = MasterKeys::from_secrets(&key.as_str().into(), None).expect("keys");
        assert_eq!(keys.kid(), expected.kid());
        assert!(keys.derive_previous("x").is_some());
        assert!(!tmp.path().join(KEY_FILE).exists());
    }

    #[test]
    fn short_key_file_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::write(tmp.path().join(KEY_FILE), "short\n").expect("write");
        let err = MasterKeys::load_or_generate(&settings(tmp.path(), &[])).expect_err("short");
        assert!(err.to_string().contains(KEY_FILE), "{err}");
    }
}
