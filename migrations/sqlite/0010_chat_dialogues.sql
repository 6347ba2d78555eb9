-- Conversations a chat front end is in the middle of, one per person per chat: e.g. an approver
-- asked to reply with the reason for declining a request. Kept here rather than in a process's
-- memory, so the answer still works after a restart and on any replica. `state` is the front
-- end's own JSON; rows not touched for a day are stale and pruned. Keep in step with
-- migrations/postgres/0010_chat_dialogues.sql.
CREATE TABLE chat_dialogues (
    platform    TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (platform, chat_id, user_id)
);
CREATE INDEX chat_dialogues_updated ON chat_dialogues (updated_at);
