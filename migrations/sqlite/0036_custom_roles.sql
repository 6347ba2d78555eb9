-- Roles an operator defines (usher.toml `[[role]]`, the console) and the grants that hand a
-- role to a Telegram chat's members, a Discord role's holders or an OIDC group.
-- Keep in step with the other database's 0036_custom_roles.sql.

-- "request" (bit 1) now means movies; whoever could ask for anything may still ask for TV
-- (request_tv = 64). Auto-approval of 4K now needs auto_approve_4k (256): whoever had a media
-- type's auto-approval had it for 4K too.
UPDATE roles SET permissions = permissions | 64 WHERE (permissions & 1) <> 0;
UPDATE roles SET permissions = permissions | 256 WHERE (permissions & 12) <> 0;
-- An API key's machine user asked for anything through the request scope: it still does.
UPDATE api_keys SET permissions = permissions | 64 WHERE (permissions & 1) <> 0;

-- Where a role's requests go, as the JSON of `Placement`; NULL: the instance's own settings.
ALTER TABLE roles ADD COLUMN radarr_placement TEXT;
ALTER TABLE roles ADD COLUMN sonarr_placement TEXT;
-- Set by usher.toml: re-applied at every start, shown as set by the file in the console.
ALTER TABLE roles ADD COLUMN from_file BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE role_grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id     BIGINT  NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('telegram_chat', 'discord_role', 'oidc_group')),
    value       TEXT    NOT NULL,
    from_file   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT  NOT NULL,
    CONSTRAINT role_grants_unique UNIQUE (role_id, kind, value)
);
CREATE INDEX role_grants_target ON role_grants (kind, value);
