-- A requester's short note for the approvers ("for the kids' weekend"), sanitized and at most
-- 200 characters (core checks both); NULL when none was given. A note typed with a chat search
-- waits in request_note_drafts until that person's next request takes it (one per person,
-- replaced by a newer one, ignored once stale).
-- Keep in step with the other database's 0039_request_comments.sql.

ALTER TABLE requests ADD COLUMN comment TEXT;

CREATE TABLE request_note_drafts (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    note       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
