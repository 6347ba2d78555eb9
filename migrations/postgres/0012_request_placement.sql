-- The quality profile and root folder an approver picked for a request in the console (NULL:
-- the instance's configured ones). Same forms as the settings: a profile by id or name, a root
-- folder by id or path. Keep in step with the other database's 0012_request_placement.sql.

ALTER TABLE requests ADD COLUMN target_profile TEXT;
ALTER TABLE requests ADD COLUMN target_root_folder TEXT;
