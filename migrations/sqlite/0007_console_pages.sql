-- Console pages: the Radarr/Sonarr instance an approver picked for a request (NULL: the usual
-- rule picks), indexes for the /requests filters, and the follows per user the users page counts.
-- Keep in step with migrations/postgres/0007_console_pages.sql.

ALTER TABLE requests ADD COLUMN target_instance TEXT;

-- One index per filter of the request list: the filter, then newest first (so a page is one
-- index range, however deep), then the other filter columns, so a page with several filters is
-- narrowed inside the index without reading rows it will not show. The status and requester
-- indexes of 0001 are replaced by wider ones with the same leading columns.
DROP INDEX requests_status_created;
DROP INDEX requests_requester_created;
CREATE INDEX requests_status_filter
    ON requests (status, created_at DESC, id DESC, media_type, source, requested_by);
CREATE INDEX requests_requester_filter
    ON requests (requested_by, created_at DESC, id DESC, status, media_type, source);
CREATE INDEX requests_type_filter
    ON requests (media_type, created_at DESC, id DESC, status, source, requested_by);
CREATE INDEX requests_source_filter
    ON requests (source, created_at DESC, id DESC, status, media_type, requested_by);

CREATE INDEX request_followers_user ON request_followers (user_id);
