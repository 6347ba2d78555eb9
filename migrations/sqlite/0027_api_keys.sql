-- Scoped API keys for machines (dashboards, apps, other bots). Each key acts as its own machine
-- user (`user_id`), so the audit log names it. Only the SHA-256 of the key is stored, as
-- lower-case hex; `scopes` is the comma-joined scope names, `permissions` the mask they grant
-- (unioned with role masks when core checks the machine user). A revoked key keeps its row
-- (the audit names it) and frees its name. Keep in step with the other database's
-- 0027_api_keys.sql.

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT   NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    key_hash      TEXT   NOT NULL,
    scopes        TEXT   NOT NULL,
    permissions   BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT,
    CONSTRAINT api_keys_hash UNIQUE (key_hash)
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_user ON api_keys (user_id);
