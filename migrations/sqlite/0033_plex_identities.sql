-- Sign in with Plex: a console user may link their plex.tv account, kept as an identity of
-- platform 'plex' (the plex.tv user id; never a token). Keep in step with
-- migrations/postgres/0033_plex_identities.sql.
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the same
-- columns, rows, constraint names and index. Nothing references identities, so dropping the
-- old table cascades nowhere.
CREATE TABLE identities_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    platform     TEXT    NOT NULL CHECK (platform IN ('discord', 'telegram', 'oidc', 'passkey', 'plex')),
    external_id  TEXT    NOT NULL,
    display      TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    locale       TEXT,
    CONSTRAINT identities_platform_external UNIQUE (platform, external_id)
);
INSERT INTO identities_new (id, user_id, platform, external_id, display, created_at, locale)
    SELECT id, user_id, platform, external_id, display, created_at, locale FROM identities;
DROP TABLE identities;
ALTER TABLE identities_new RENAME TO identities;
CREATE INDEX identities_user ON identities (user_id);
