//! [`DatabaseUrl`]: the one place that knows which databases Usher speaks and how to print a
//! connection string without its password.

use std::fmt;
use std::path::PathBuf;

/// The backend a [`DatabaseUrl`] selects; the store picks its dialect from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// An SQLite file (the default, one machine).
    Sqlite,
    /// A PostgreSQL server (several replicas).
    Postgres,
}

/// Why a string is not a usable database URL; never quotes the URL itself (it may hold a
/// password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseUrlError {
    /// Nothing that looks like `scheme:` at the start.
    #[error("is not a URL (expected sqlite://… or postgres://…)")]
    NoScheme,
    /// A scheme Usher has no store for.
    #[error("unsupported scheme \"{0}\" (expected sqlite: or postgres:)")]
    UnsupportedScheme(String),
    /// The scheme is right but nothing follows it.
    #[error("names no database after the scheme")]
    Empty,
}

/// A validated database connection URL. `Debug` and `Display` mask the password, so it is
/// safe in logs; [`DatabaseUrl::as_str`] gives the real URL for connecting.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    kind: DatabaseKind,
}

impl DatabaseUrl {
    /// Accepts `sqlite:` and `postgres:`/`postgresql:` URLs only.
    pub fn parse(url: &str) -> Result<Self, DatabaseUrlError> {
        let url = url.trim();
        let (scheme, rest) = url.split_once(':').ok_or(DatabaseUrlError::NoScheme)?;
        let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme {
            return Err(DatabaseUrlError::NoScheme);
        }
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => DatabaseKind::Sqlite,
            "postgres" | "postgresql" => DatabaseKind::Postgres,
            other => return Err(DatabaseUrlError::UnsupportedScheme(other.to_owned())),
        };
        let body = rest.trim_start_matches('/');
        if body.is_empty() || (kind == DatabaseKind::Postgres && !rest.starts_with("//")) {
            return Err(DatabaseUrlError::Empty);
        }
        Ok(Self {
            url: url.to_owned(),
            kind,
        })
    }

    /// The real URL, password included; only for handing to the database driver.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Which backend this URL selects.
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// The SQLite file path (e.g. `data/usher.db`), so its folder can be created before
    /// connecting; `None` for PostgreSQL and in-memory databases.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.kind != DatabaseKind::Sqlite {
            return None;
        }
        let rest = self.url.split_once(':').map_or("", |(_, rest)| rest);
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let in_memory = path.is_empty()
            || path == ":memory:"
            || query.split('&').any(|pair| pair == "mode=memory");
        (!in_memory).then(|| PathBuf::from(path))
    }

    /// The URL with its password masked.
    fn masked(&self) -> String {
        mask_url_password(&self.url)
    }
}

/// `url` with any password (user-info or a credential query parameter) replaced by `***`;
/// used for every URL shown in `Debug` output, since service URLs may carry basic-auth too.
pub(crate) fn mask_url_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let (head, rest) = url.split_at(scheme_end);
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let mut out = head.to_owned();
    // Over-masking a stray ':' before an '@' in the path is harmless; leaking is not.
    match before_query.rfind('@') {
        Some(at) => match before_query[..at].split_once(':') {
            Some((user, _)) => {
                out.push_str(user);
                out.push_str(":***");
                out.push_str(&before_query[at..]);
            }
            None => out.push_str(before_query),
        },
        None => out.push_str(before_query),
    }
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if is_secret_param(k) => format!("{k}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// Query parameters that carry credentials (`password`, `sslpassword`, `X-Plex-Token`,
/// `apikey`, `client_secret`…).
fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "token", "key", "secret"]
        .iter()
        .any(|word| name.contains(word))
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DatabaseUrl {
        DatabaseUrl::parse(s).expect("valid url")
    }

    #[test]
    fn accepts_sqlite_and_postgres_only() {
        assert_eq!(parse("sqlite://data/usher.db").kind(), DatabaseKind::Sqlite);
        assert_eq!(parse("sqlite::memory:").kind(), DatabaseKind::Sqlite);
        assert_eq!(parse("postgres://u@h/db").kind(), DatabaseKind::Postgres);
        assert_eq!(parse("postgresql://h/db").kind(), DatabaseKind::Postgres);
        assert_eq!(
            DatabaseUrl::parse("mysql://u:p@h/db"),
            Err(DatabaseUrlError::UnsupportedScheme("mysql".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("data/usher.db"),
            Err(DatabaseUrlError::NoScheme)
        );
        assert_eq!(DatabaseUrl::parse("sqlite:"), Err(DatabaseUrlError::Empty));
        assert_eq!(
            DatabaseUrl::parse("postgres:db"),
            Err(DatabaseUrlError::Empty)
        );
    }

    #[test]
    fn masks_passwords_but_connects_with_them() {
        let url = parse("postgres://usher:hunter2@db:5432/usher?sslmode=require");
        assert_eq!(
            url.to_string(),
            "postgres://usher:***@db:5432/usher?sslmode=require"
        );
        assert_eq!(
            format!("{url:?}"),
            "DatabaseUrl(\"postgres://usher:***@db:5432/usher?sslmode=require\")"
        );
        assert!(url.as_str().contains("hunter2"));

        let odd = parse("postgres://u:p@ss/w@rd@h/db?password=topsecret&application_name=x");
        let shown = format!("{odd} {odd:?}");
        for secret in ["p@ss", "w@rd", "topsecret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(parse("postgres://u@h/db").to_string(), "postgres://u@h/db");
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            parse("sqlite://data/usher.db").sqlite_path(),
            Some("data/usher.db".into())
        );
        assert_eq!(
            parse("sqlite:///var/lib/usher.db?mode=rwc").sqlite_path(),
            Some("/var/lib/usher.db".into())
        );
        assert_eq!(
            parse("sqlite:usher.db").sqlite_path(),
            Some("usher.db".into())
        );
        assert_eq!(parse("sqlite::memory:").sqlite_path(), None);
        assert_eq!(parse("sqlite://x.db?mode=memory").sqlite_path(), None);
        assert_eq!(parse("postgres://h/db").sqlite_path(), None);
    }
}
