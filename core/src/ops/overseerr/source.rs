//! Reads users and requests out of an Overseerr, Jellyseerr or Seerr database (SQLite file or
//! PostgreSQL), opened read-only. Their TypeORM schema quotes camelCase names; the columns a
//! release may lack (quotas, Jellyfin names, 4K status) are read as NULL when absent, so old and
//! new releases import alike.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;

use sqlx::FromRow;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::sqlite::SqlitePoolOptions;

use crate::domain::Timestamp;
use crate::error::{CoreError, CoreResult};
use crate::store::{ConnectOptions, Db, SqliteDb, on_pool};

/// A user as the source holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUser {
    /// The source's user id.
    pub id: i64,
    /// Name as the source shows it (username, Plex or Jellyfin name, else email).
    pub display_name: String,
    /// The source's permission bits (ADMIN = 2).
    pub permissions: i64,
    /// Discord user id from the user's notification settings.
    pub discord_id: Option<String>,
    /// Telegram chat id from the user's notification settings.
    pub telegram_chat_id: Option<String>,
    /// Movie quota override: (limit, days).
    pub movie_quota: Option<(i64, i64)>,
    /// TV (season) quota override: (limit, days).
    pub tv_quota: Option<(i64, i64)>,
    /// When they joined.
    pub created_at: Option<Timestamp>,
}

/// A request with its media row and seasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRequest {
    /// The source's request id.
    pub id: i64,
    /// Request status (PENDING 1, APPROVED 2, DECLINED 3, FAILED 4, COMPLETED 5).
    pub status: i64,
    /// `movie` or `tv`.
    pub media_type: String,
    /// The media's TMDB id (missing when the media row is gone).
    pub tmdb_id: Option<i64>,
    /// The media's TVDB id.
    pub tvdb_id: Option<i64>,
    /// The media's status for this request's quality (`status4k` for 4K requests).
    pub media_status: Option<i64>,
    /// A 4K request.
    pub four_k: bool,
    /// Who asked.
    pub requested_by: Option<i64>,
    /// Who last changed it (the approver or decliner).
    pub modified_by: Option<i64>,
    /// Requested season numbers (TV).
    pub seasons: Vec<i64>,
    /// When it was asked.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
}

/// Everything an import needs from the source, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Which Overseerr instance this is ([`instance_of`]): what its imported rows are keyed by,
    /// so two instances import side by side and the same one twice adds nothing.
    pub instance: String,
    /// Users, by id.
    pub users: Vec<SourceUser>,
    /// Requests, by id.
    pub requests: Vec<SourceRequest>,
}

/// Opens the source read-only: a PostgreSQL URL, or the path (or `sqlite:` URL) of the SQLite
/// file (`db/db.sqlite3` in Overseerr's config folder).
pub async fn open(spec: &str) -> CoreResult<Db> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        let opts =
            PgConnectOptions::from_str(spec)?.options([("default_transaction_read_only", "on")]);
        let options = ConnectOptions {
            max_connections: 1,
            ..ConnectOptions::default()
        };
        return Db::connect_postgres(opts, &options).await;
    }
    let path = spec
        .strip_prefix("sqlite://")
        .or_else(|| spec.strip_prefix("sqlite:"))
        .unwrap_or(spec);
    if !std::path::Path::new(path).is_file() {
        return Err(CoreError::Validation(format!(
            "{path}: no such file (give Overseerr's db.sqlite3 or a postgres:// URL)"
        )));
    }
    let opts = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    Ok(Db::Sqlite(SqliteDb::new(pool)))
}

/// Column names of a source table (empty when the table does not exist).
async fn columns(db: &Db, table: &str) -> CoreResult<BTreeSet<String>> {
    let rows: Vec<(String,)> = match db {
        Db::Sqlite(SqliteDb { pool, .. }) => {
            sqlx::query_as("SELECT name FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(pool)
                .await?
        }
        Db::Postgres(crate::store::PgDb { pool, .. }) => {
            sqlx::query_as(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(table)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// `CAST(alias."column" AS type)`, or a typed NULL when this release has no such column.
fn col(present: &BTreeSet<String>, alias: &str, column: &str, ty: &str) -> String {
    if present.contains(column) {
        format!("CAST({alias}.\"{column}\" AS {ty})")
    } else {
        format!("CAST(NULL AS {ty})")
    }
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: Option<String>,
    username: Option<String>,
    plex_username: Option<String>,
    jellyfin_username: Option<String>,
    permissions: Option<i64>,
    movie_limit: Option<i64>,
    movie_days: Option<i64>,
    tv_limit: Option<i64>,
    tv_days: Option<i64>,
    created_at: Option<String>,
    discord_id: Option<String>,
    telegram_chat_id: Option<String>,
}

#[derive(FromRow)]
struct RequestRow {
    id: i64,
    status: i64,
    media_type: String,
    four_k: i64,
    requested_by: Option<i64>,
    modified_by: Option<i64>,
    created_at: Option<String>,
    updated_at: Option<String>,
    tmdb_id: Option<i64>,
    tvdb_id: Option<i64>,
    media_status: Option<i64>,
    media_status_4k: Option<i64>,
}

/// Reads every user and request.
pub async fn read(db: &Db) -> CoreResult<Snapshot> {
    let user_cols = columns(db, "user").await?;
    let request_cols = columns(db, "media_request").await?;
    let media_cols = columns(db, "media").await?;
    if user_cols.is_empty() || request_cols.is_empty() || media_cols.is_empty() {
        return Err(CoreError::Validation(
            "not an Overseerr or Jellyseerr database (no user, media and media_request tables)"
                .into(),
        ));
    }
    let settings_cols = columns(db, "user_settings").await?;
    let (settings_join, s) = if settings_cols.contains("userId") {
        (
            "LEFT JOIN user_settings s ON s.\"userId\" = u.\"id\"",
            &settings_cols,
        )
    } else {
        ("", &BTreeSet::new())
    };
    let users_sql = format!(
        "SELECT CAST(u.\"id\" AS BIGINT) AS id, {email} AS email, {username} AS username,
                {plex} AS plex_username, {jellyfin} AS jellyfin_username,
                {permissions} AS permissions, {ml} AS movie_limit, {md} AS movie_days,
                {tl} AS tv_limit, {td} AS tv_days, {created} AS created_at,
                {discord} AS discord_id, {telegram} AS telegram_chat_id
         FROM \"user\" u {settings_join} ORDER BY u.\"id\"",
        email = col(&user_cols, "u", "email", "TEXT"),
        username = col(&user_cols, "u", "username", "TEXT"),
        plex = col(&user_cols, "u", "plexUsername", "TEXT"),
        jellyfin = col(&user_cols, "u", "jellyfinUsername", "TEXT"),
        permissions = col(&user_cols, "u", "permissions", "BIGINT"),
        ml = col(&user_cols, "u", "movieQuotaLimit", "BIGINT"),
        md = col(&user_cols, "u", "movieQuotaDays", "BIGINT"),
        tl = col(&user_cols, "u", "tvQuotaLimit", "BIGINT"),
        td = col(&user_cols, "u", "tvQuotaDays", "BIGINT"),
        created = col(&user_cols, "u", "createdAt", "TEXT"),
        discord = col(s, "s", "discordId", "TEXT"),
        telegram = col(s, "s", "telegramChatId", "TEXT"),
    );
    let requests_sql = format!(
        "SELECT CAST(r.\"id\" AS BIGINT) AS id, CAST(r.\"status\" AS BIGINT) AS status,
                CAST(r.\"type\" AS TEXT) AS media_type,
                CAST(CASE WHEN r.\"is4k\" THEN 1 ELSE 0 END AS BIGINT) AS four_k,
                {requested_by} AS requested_by, {modified_by} AS modified_by,
                {created} AS created_at, {updated} AS updated_at,
                {tmdb} AS tmdb_id, {tvdb} AS tvdb_id, {status} AS media_status,
                {status4k} AS media_status_4k
         FROM media_request r LEFT JOIN media m ON m.\"id\" = r.\"mediaId\" ORDER BY r.\"id\"",
        requested_by = col(&request_cols, "r", "requestedById", "BIGINT"),
        modified_by = col(&request_cols, "r", "modifiedById", "BIGINT"),
        created = col(&request_cols, "r", "createdAt", "TEXT"),
        updated = col(&request_cols, "r", "updatedAt", "TEXT"),
        tmdb = col(&media_cols, "m", "tmdbId", "BIGINT"),
        tvdb = col(&media_cols, "m", "tvdbId", "BIGINT"),
        status = col(&media_cols, "m", "status", "BIGINT"),
        status4k = col(&media_cols, "m", "status4k", "BIGINT"),
    );
    let users: Vec<UserRow> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(users_sql))
        .fetch_all(pool)
        .await)?;
    let requests: Vec<RequestRow> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(requests_sql))
        .fetch_all(pool)
        .await)?;
    let mut seasons = read_seasons(db).await?;
    let instance = instance_of(users.first());
    Ok(Snapshot {
        instance,
        users: users.into_iter().map(user_from_row).collect(),
        requests: requests
            .into_iter()
            .map(|r| request_from_row(r, &mut seasons))
            .collect(),
    })
}

/// The instance's identity: a digest of its owner (the first user, whom Overseerr never lets
/// anyone delete) — id, email and when they joined. It is the same wherever the database is
/// (moved, copied, or carried from SQLite to PostgreSQL, as Jellyseerr allows) and differs
/// between instances, where a file path or URL would do neither.
fn instance_of(owner: Option<&UserRow>) -> String {
    use sha2::{Digest as _, Sha256};
    let Some(owner) = owner else {
        return "empty".to_owned();
    };
    let email = owner.email.as_deref().unwrap_or("").trim().to_lowercase();
    let joined = owner
        .created_at
        .as_deref()
        .and_then(parse_time)
        .map_or(0, |t| t.0);
    let digest = Sha256::digest(format!("{}\n{email}\n{joined}", owner.id).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

async fn read_seasons(db: &Db) -> CoreResult<HashMap<i64, Vec<i64>>> {
    if columns(db, "season_request").await?.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<i64>, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(\"requestId\" AS BIGINT), CAST(\"seasonNumber\" AS BIGINT)
         FROM season_request ORDER BY \"requestId\", \"seasonNumber\"",
    )
    .fetch_all(pool)
    .await)?;
    let mut by_request: HashMap<i64, Vec<i64>> = HashMap::new();
    for (request, season) in rows {
        if let Some(request) = request {
            by_request.entry(request).or_default().push(season);
        }
    }
    Ok(by_request)
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn user_from_row(row: UserRow) -> SourceUser {
    let display_name = non_empty(row.username)
        .or_else(|| non_empty(row.plex_username))
        .or_else(|| non_empty(row.jellyfin_username))
        .or_else(|| non_empty(row.email))
        .unwrap_or_else(|| format!("overseerr user {}", row.id));
    let quota = |limit: Option<i64>, days: Option<i64>| match (limit, days) {
        (Some(l), Some(d)) if l > 0 && d > 0 => Some((l, d)),
        _ => None,
    };
    SourceUser {
        id: row.id,
        display_name,
        permissions: row.permissions.unwrap_or(0),
        discord_id: non_empty(row.discord_id),
        telegram_chat_id: non_empty(row.telegram_chat_id),
        movie_quota: quota(row.movie_limit, row.movie_days),
        tv_quota: quota(row.tv_limit, row.tv_days),
        created_at: row.created_at.as_deref().and_then(parse_time),
    }
}

fn request_from_row(row: RequestRow, seasons: &mut HashMap<i64, Vec<i64>>) -> SourceRequest {
    let four_k = row.four_k != 0;
    SourceRequest {
        id: row.id,
        status: row.status,
        media_type: row.media_type,
        tmdb_id: row.tmdb_id,
        tvdb_id: row.tvdb_id,
        media_status: if four_k {
            row.media_status_4k
        } else {
            row.media_status
        },
        four_k,
        requested_by: row.requested_by,
        modified_by: row.modified_by,
        seasons: seasons.remove(&row.id).unwrap_or_default(),
        created_at: row.created_at.as_deref().and_then(parse_time),
        updated_at: row.updated_at.as_deref().and_then(parse_time),
    }
}

/// Reads TypeORM's datetimes: `2023-01-05 10:00:00`, with optional fraction, `T` separator and
/// UTC offset (`Z`, `+00`, `+02:00`). Without an offset the time is UTC, as TypeORM writes it.
pub(crate) fn parse_time(text: &str) -> Option<Timestamp> {
    use time::macros::format_description;
    let text = text.trim();
    let (stamp, rest) = (text.get(..19)?, text.get(19..)?);
    let stamp = stamp.replacen('T', " ", 1);
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let base = time::PrimitiveDateTime::parse(&stamp, format).ok()?;
    let (fraction, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let mut millis: i64 = 0;
    if let Some(digits) = fraction.strip_prefix('.') {
        let padded = format!("{:0<3}", digits.get(..digits.len().min(3))?);
        millis = padded.parse().ok()?;
    } else if !fraction.is_empty() {
        return None;
    }
    let offset_secs = match offset {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i64 = digits.get(..2)?.parse().ok()?;
            let minutes: i64 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let secs = base.assume_utc().unix_timestamp() - offset_secs;
    Some(Timestamp(secs * 1000 + millis))
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn reads_the_datetimes_typeorm_writes() {
        let base = parse_time("2023-01-05 10:00:00").expect("plain").0;
        assert_eq!(base, 1_672_912_800_000);
        assert_eq!(
            parse_time("2023-01-05T10:00:00.250Z").map(|t| t.0),
            Some(base + 250)
        );
        assert_eq!(
            parse_time("2023-01-05 12:00:00+02").map(|t| t.0),
            Some(base)
        );
        assert_eq!(
            parse_time("2023-01-05 05:30:00.1-04:30").map(|t| t.0),
            Some(base + 100)
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2023-01-05 10:00:00 junk"), None);
    }
}
