-- Integrations: where a request went upstream, what the library holds, and webhook replay guard.
-- Keep in step with migrations/sqlite/0002_integrations.sql.

ALTER TABLE requests ADD COLUMN available_seasons TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN upstream_instance TEXT;
ALTER TABLE requests ADD COLUMN upstream_id BIGINT;
ALTER TABLE requests ADD COLUMN availability_checked_at BIGINT;

-- Inbound webhook deliveries already handled, so a replay changes nothing and notifies no one.
CREATE TABLE webhook_events (
    source       TEXT   NOT NULL,
    event_key    TEXT   NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (source, event_key)
);

CREATE INDEX requests_open_tvdb ON requests (tvdb_id) WHERE tvdb_id IS NOT NULL;
