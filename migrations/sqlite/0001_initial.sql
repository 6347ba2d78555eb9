-- Usher schema v1 (SQLite). Keep in step with migrations/postgres/0001_initial.sql.
-- Times are milliseconds since the Unix epoch; booleans are 0/1.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name  TEXT    NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    locale        TEXT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE identities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    platform     TEXT    NOT NULL CHECK (platform IN ('discord', 'telegram', 'oidc', 'passkey')),
    external_id  TEXT    NOT NULL,
    display      TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    CONSTRAINT identities_platform_external UNIQUE (platform, external_id)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE roles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    permissions  BIGINT  NOT NULL,
    builtin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT  NOT NULL,
    CONSTRAINT roles_name UNIQUE (name)
);

CREATE TABLE user_roles (
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id  BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE user_quotas (
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope      TEXT    NOT NULL CHECK (scope IN ('movie', 'tv', 'movie_4k', 'tv_4k')),
    max_count  INTEGER NOT NULL CHECK (max_count >= 0),
    days       INTEGER NOT NULL CHECK (days >= 1),
    PRIMARY KEY (user_id, scope)
);

CREATE TABLE role_quotas (
    role_id    BIGINT  NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    scope      TEXT    NOT NULL CHECK (scope IN ('movie', 'tv', 'movie_4k', 'tv_4k')),
    max_count  INTEGER NOT NULL CHECK (max_count >= 0),
    days       INTEGER NOT NULL CHECK (days >= 1),
    PRIMARY KEY (role_id, scope)
);

CREATE TABLE requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    media_type      TEXT    NOT NULL CHECK (media_type IN ('movie', 'tv')),
    tmdb_id         BIGINT  NOT NULL,
    tvdb_id         BIGINT,
    title           TEXT    NOT NULL,
    year            INTEGER,
    seasons         TEXT    NOT NULL DEFAULT '',
    four_k          BOOLEAN NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'submitted',
                        'partially_available', 'available', 'declined', 'failed', 'cancelled')),
    requested_by    BIGINT  NOT NULL REFERENCES users(id),
    source          TEXT    NOT NULL,
    decided_by      BIGINT  REFERENCES users(id),
    decline_reason  TEXT,
    last_error      TEXT,
    retry_count     INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX requests_created ON requests (created_at DESC, id DESC);
CREATE INDEX requests_status_created ON requests (status, created_at DESC, id DESC);
CREATE INDEX requests_requester_created ON requests (requested_by, created_at DESC, id DESC);
CREATE INDEX requests_media ON requests (media_type, tmdb_id);

-- One row per (title, season, 4K) a request holds. The partial unique index is the dedup rule:
-- one active request per media type, TMDB id, 4K flag and (for TV) season. Movies use season 0.
CREATE TABLE request_claims (
    request_id  BIGINT  NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    media_type  TEXT    NOT NULL,
    tmdb_id     BIGINT  NOT NULL,
    season      INTEGER NOT NULL,
    four_k      BOOLEAN NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (request_id, season)
);
CREATE UNIQUE INDEX request_claims_active ON request_claims (media_type, tmdb_id, four_k, season)
    WHERE active;

CREATE TABLE request_followers (
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (request_id, user_id)
);

-- Append-only: the triggers below refuse updates and deletes.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             BIGINT NOT NULL,
    actor_user_id  BIGINT,
    source         TEXT   NOT NULL,
    source_detail  TEXT,
    action         TEXT   NOT NULL,
    target         TEXT   NOT NULL,
    details        TEXT   NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Events written in the same transaction as the state change, delivered by workers.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    topic         TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    available_at  BIGINT  NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    locked_until  BIGINT,
    done_at       BIGINT
);
CREATE INDEX outbox_ready ON outbox (topic, available_at) WHERE done_at IS NULL;

CREATE TABLE link_codes (
    code_hash   TEXT   PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash  TEXT   PRIMARY KEY,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT
);

-- Console-edited settings; secret values are sealed with the master key (never plain text).
CREATE TABLE settings (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    secret      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  BIGINT  NOT NULL
);

-- Built-in roles: request=1, request_4k=2, auto_approve_movie=4, auto_approve_tv=8, approve=16, admin=32.
INSERT INTO roles (name, permissions, builtin, created_at) VALUES
    ('member', 1, TRUE, 0),
    ('trusted', 15, TRUE, 0),
    ('approver', 17, TRUE, 0),
    ('admin', 63, TRUE, 0);
