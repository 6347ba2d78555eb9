-- The last failed submission attempt of a request as the upstream answered it: JSON with the
-- service, HTTP status, message, circuit breaker state and attempts (core's UpstreamFailure),
-- so admins read Radarr's or Sonarr's own answer on the approver card and in the console.
-- NULL when nothing failed, or once the request is sent again. Keep in step with the other
-- database's 0019_request_failure.sql.

ALTER TABLE requests ADD COLUMN last_failure TEXT;
