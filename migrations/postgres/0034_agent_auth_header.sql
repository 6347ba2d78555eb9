-- A webhook agent's `Authorization` header (the `authHeader` a Seerr client saves through
-- `/api/v1/settings/notifications/webhook`, Home Assistant's bearer token) is a secret: it is
-- kept here sealed with the master key, like `secret`, and re-sealed with it after a key
-- rotation, instead of in clear in `options`. Rows saved before this migration still carry it
-- in `options.auth_header`; start-up moves it here, sealed, and drops it from `options`.
-- Keep in step with the other database's 0034_agent_auth_header.sql.

ALTER TABLE notification_agents ADD COLUMN auth_header TEXT;
