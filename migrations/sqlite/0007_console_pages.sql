-- Console pages: indexes behind the /requests filters (newest first within a media type or a
-- source platform, so a filtered page reads only its own rows even among a million), the follows
-- per user the users page counts, and the Radarr/Sonarr instance an approver picked for a request
-- (NULL: the usual rule picks). Keep in step with migrations/postgres/0007_console_pages.sql.

ALTER TABLE requests ADD COLUMN target_instance TEXT;

CREATE INDEX requests_type_created ON requests (media_type, created_at DESC, id DESC);
CREATE INDEX requests_source_created ON requests (source, created_at DESC, id DESC);
CREATE INDEX request_followers_user ON request_followers (user_id);
