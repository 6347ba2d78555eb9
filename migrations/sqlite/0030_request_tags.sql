-- The Radarr/Sonarr tags an approver picked for a request in the console, as comma-separated
-- labels (tags are ^[a-z0-9-]+$, so never hold a comma). NULL: the instance's configured tags;
-- empty: none of them. The requester's own tag is added either way. Keep in step with the
-- other database's 0030_request_tags.sql.

ALTER TABLE requests ADD COLUMN target_tags TEXT;
