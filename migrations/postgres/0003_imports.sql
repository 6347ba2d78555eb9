-- Rows brought in from another system (`usher import overseerr`), keyed by where they came from,
-- so a second import adds nothing. Keep in step with migrations/sqlite/0003_imports.sql.

CREATE TABLE imports (
    source       TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('user', 'request')),
    external_id  TEXT   NOT NULL,
    usher_id     BIGINT NOT NULL,
    imported_at  BIGINT NOT NULL,
    PRIMARY KEY (source, kind, external_id)
);
