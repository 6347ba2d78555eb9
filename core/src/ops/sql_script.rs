//! The PostgreSQL backup file: a header of `--` comments naming the schema version, then one
//! transaction (`BEGIN;` … `COMMIT;`) of `INSERT` and `setval` statements, loadable by `psql`
//! as well as by `usher restore`, which reads it back one statement at a time.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::error::{CoreError, CoreResult};

/// The first line of every backup file; also how restore tells it from an SQLite file.
pub(crate) const MARK: &str = "-- Usher backup";
const VERSION_PREFIX: &str = "-- schema-version: ";

/// The header and the opening of the transaction.
pub(crate) fn header(version: i64, taken_at: &str) -> String {
    format!(
        "{MARK}: PostgreSQL data only, like `pg_dump --data-only --column-inserts`.\n\
         {VERSION_PREFIX}{version}\n\
         -- taken-at: {taken_at}\n\
         -- Restore with `usher restore <file>` into an empty, migrated database (or with psql).\n\
         BEGIN;\n\
         -- The migration seeds the built-in roles; the backup brings its own.\n\
         DELETE FROM roles;\n"
    )
}

/// The closing of the transaction; a file without it was cut short.
pub(crate) const FOOTER: &str = "COMMIT;\n";

/// Reads a backup file statement by statement, in constant memory.
pub(crate) struct ScriptReader<R> {
    reader: R,
    /// The schema version the backup was taken at.
    pub version: i64,
}

impl<R: AsyncBufRead + Unpin> ScriptReader<R> {
    /// Reads the header up to `BEGIN;`, refusing files that are not Usher backups.
    pub async fn open(mut reader: R) -> CoreResult<Self> {
        let mut version = None;
        let mut first = true;
        loop {
            let Some(line) = read_line(&mut reader).await? else {
                return Err(not_a_backup());
            };
            let line = line.trim_end();
            if first && !line.starts_with(MARK) {
                return Err(not_a_backup());
            }
            first = false;
            if let Some(v) = line.strip_prefix(VERSION_PREFIX) {
                version = v.trim().parse().ok();
            } else if line == "BEGIN;" {
                break;
            }
        }
        let version = version.ok_or_else(not_a_backup)?;
        Ok(Self { reader, version })
    }

    /// The next statement, or `None` at the closing `COMMIT;`. A file that ends before it is an
    /// error, so a truncated backup is never half restored.
    pub async fn next_statement(&mut self) -> CoreResult<Option<String>> {
        let mut statement = String::new();
        let mut in_quote = false;
        loop {
            let Some(line) = read_line(&mut self.reader).await? else {
                return Err(CoreError::Validation(
                    "the backup file ends before its COMMIT; it was cut short".into(),
                ));
            };
            if statement.is_empty() && !in_quote {
                let bare = line.trim_end();
                if bare == "COMMIT;" {
                    return Ok(None);
                }
                if bare.is_empty() || bare.starts_with("--") {
                    continue;
                }
            }
            // Quotes inside literals are doubled, so counting them tells inside from outside.
            if line.bytes().filter(|b| *b == b'\'').count() % 2 == 1 {
                in_quote = !in_quote;
            }
            statement.push_str(&line);
            if !in_quote && line.trim_end().ends_with(';') {
                return Ok(Some(statement));
            }
        }
    }
}

/// One line with its line ending kept (text values may hold `\r\n`), or `None` at the end.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> CoreResult<Option<String>> {
    let mut buf = Vec::new();
    let n = reader
        .read_until(b'\n', &mut buf)
        .await
        .map_err(|e| CoreError::Validation(format!("cannot read the backup file: {e}")))?;
    if n == 0 {
        return Ok(None);
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| CoreError::Validation("the backup file is not UTF-8 text".into()))
}

fn not_a_backup() -> CoreError {
    CoreError::Validation(
        "not an Usher backup (an SQLite file, or SQL starting with \"-- Usher backup\")".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn statements(text: &str) -> CoreResult<(i64, Vec<String>)> {
        let mut reader = ScriptReader::open(text.as_bytes()).await?;
        let mut out = Vec::new();
        while let Some(s) = reader.next_statement().await? {
            out.push(s);
        }
        Ok((reader.version, out))
    }

    #[tokio::test]
    async fn splits_statements_and_keeps_multiline_literals() {
        let body = "INSERT INTO t (a) VALUES ('x;\r\n-- not a comment\nCOMMIT;\n');\n\
                    INSERT INTO t (a) VALUES ('it''s');\n";
        let text = format!("{}{body}{FOOTER}", header(3, "now"));
        let (version, got) = statements(&text).await.expect("parse");
        assert_eq!(version, 3);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], "DELETE FROM roles;\n");
        assert!(got[1].contains("'x;\r\n-- not a comment\nCOMMIT;\n'"));
        assert_eq!(got[2], "INSERT INTO t (a) VALUES ('it''s');\n");
    }

    #[tokio::test]
    async fn refuses_other_files_and_truncated_backups() {
        assert!(statements("SELECT 1;\n").await.is_err());
        let cut = format!("{}INSERT INTO t (a) VALUES (1);\n", header(3, "now"));
        let err = statements(&cut).await.expect_err("truncated");
        assert!(err.to_string().contains("cut short"), "{err}");
    }
}
