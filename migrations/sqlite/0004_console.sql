-- Console sign-in: server-side sessions (the session JWT's jti), passkeys, and short-lived
-- sign-in ceremonies (WebAuthn challenges, OIDC state/nonce/PKCE) kept in the database so any
-- replica can finish what another started. Keep in step with migrations/postgres/0004_console.sql.

CREATE TABLE sessions (
    jti           TEXT   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    via           TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    ip            TEXT,
    user_agent    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One row per registered WebAuthn credential; `credential` is webauthn-rs's serialized Passkey
-- (public key and counter, nothing secret).
CREATE TABLE passkeys (
    credential_id  TEXT   PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT   NOT NULL,
    credential     TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony in flight, found by the hash of the id its browser holds; taken (deleted) once.
CREATE TABLE auth_flows (
    id_hash     TEXT   PRIMARY KEY,
    kind        TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
