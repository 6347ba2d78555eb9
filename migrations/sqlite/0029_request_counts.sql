-- The open API's request list over a million requests (issue 20). Seerr pages it by offset and
-- tells the total of each filter on every page: the totals come from a counter per media type
-- and status that triggers keep in step (counting index entries took tens of milliseconds per
-- page), and the pages walk indexes that hold the status, so a filter of several statuses scans
-- one index in order instead of sorting every match; `sort=modified` gets the same indexes on
-- `updated_at`. `request_counts` is derived: backups leave it out and a restore rebuilds it.
-- Keep in step with the other database's 0029_request_counts.sql.

CREATE TABLE request_counts (
    media_type  TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (media_type, status)
);
INSERT INTO request_counts (media_type, status, n)
    SELECT media_type, status, COUNT(*) FROM requests GROUP BY media_type, status;

CREATE TRIGGER request_counts_insert AFTER INSERT ON requests BEGIN
    INSERT OR IGNORE INTO request_counts (media_type, status, n)
        VALUES (NEW.media_type, NEW.status, 0);
    UPDATE request_counts SET n = n + 1
        WHERE media_type = NEW.media_type AND status = NEW.status;
END;

CREATE TRIGGER request_counts_update AFTER UPDATE OF media_type, status ON requests
    WHEN OLD.media_type <> NEW.media_type OR OLD.status <> NEW.status
BEGIN
    UPDATE request_counts SET n = n - 1
        WHERE media_type = OLD.media_type AND status = OLD.status;
    INSERT OR IGNORE INTO request_counts (media_type, status, n)
        VALUES (NEW.media_type, NEW.status, 0);
    UPDATE request_counts SET n = n + 1
        WHERE media_type = NEW.media_type AND status = NEW.status;
END;

CREATE TRIGGER request_counts_delete AFTER DELETE ON requests BEGIN
    UPDATE request_counts SET n = n - 1
        WHERE media_type = OLD.media_type AND status = OLD.status;
END;

DROP INDEX requests_created;
CREATE INDEX requests_created ON requests (created_at DESC, id DESC, status);
CREATE INDEX requests_updated ON requests (updated_at DESC, id DESC, status);
CREATE INDEX requests_status_updated ON requests (status, updated_at DESC, id DESC);
