-- Notification agents (issue 20, point 4): a signed webhook, ntfy, Gotify, e-mail or a Discord
-- webhook that admins point Usher at. `kind` is the stored kind name, `target` the URL (or the
-- recipient address for e-mail), `secret` the signing secret, token or SMTP password sealed
-- with the master key (never in clear), `events` the comma-joined event names it hears ('' =
-- every event), `options` kind-specific JSON without secrets. Delivery rows in the outbox name
-- an agent by id, so a removed agent's pending rows find nothing and are dropped. Keep in step
-- with the other database's 0028_notification_agents.sql.

CREATE TABLE notification_agents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    target      TEXT   NOT NULL,
    secret      TEXT,
    events      TEXT   NOT NULL,
    options     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT notification_agents_name UNIQUE (name)
);
