-- Issue reports: a member says something is wrong with a title the library holds, an approver
-- resolves it. The partial unique index is the rule "one open report per person and title".
-- Keep in step with the other database's 0013_issues.sql.

CREATE TABLE issues (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    media_type       TEXT    NOT NULL CHECK (media_type IN ('movie', 'tv')),
    tmdb_id          BIGINT  NOT NULL,
    title            TEXT    NOT NULL,
    year             INTEGER,
    request_id       BIGINT  REFERENCES requests(id) ON DELETE SET NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('video', 'audio', 'subtitles', 'other')),
    text             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    reported_by      BIGINT  NOT NULL REFERENCES users(id),
    source           TEXT    NOT NULL,
    resolved_by      BIGINT  REFERENCES users(id),
    resolution_note  TEXT,
    resolved_at      BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE UNIQUE INDEX issues_one_open ON issues (reported_by, media_type, tmdb_id) WHERE status = 'open';
CREATE INDEX issues_status_id ON issues (status, id DESC);
