-- The open API's request list over a million requests (issue 20). Seerr pages it by offset and
-- tells the total of each filter on every page: the totals come from a counter per media type
-- and status that statement triggers keep in step (one grouped upsert per statement, from its
-- transition tables), and the pages walk indexes that hold the status; `sort=modified` gets the
-- same indexes on `updated_at`. `request_counts` is derived: backups leave it out and a restore
-- rebuilds it. Keep in step with the other database's 0029_request_counts.sql.

CREATE TABLE request_counts (
    media_type  TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (media_type, status)
);
INSERT INTO request_counts (media_type, status, n)
    SELECT media_type, status, COUNT(*) FROM requests GROUP BY media_type, status;

CREATE FUNCTION request_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_counts (media_type, status, n)
        SELECT media_type, status, COUNT(*) FROM new_rows GROUP BY media_type, status
        ORDER BY media_type, status
        ON CONFLICT (media_type, status) DO UPDATE SET n = request_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION request_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_counts (media_type, status, n)
        SELECT media_type, status, SUM(d) FROM (
            SELECT media_type, status, 1 AS d FROM new_rows
            UNION ALL
            SELECT media_type, status, -1 AS d FROM old_rows
        ) moved
        GROUP BY media_type, status HAVING SUM(d) <> 0
        ORDER BY media_type, status
        ON CONFLICT (media_type, status) DO UPDATE SET n = request_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION request_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_counts c SET n = c.n - gone.k
        FROM (SELECT media_type, status, COUNT(*) AS k FROM old_rows
              GROUP BY media_type, status) gone
        WHERE c.media_type = gone.media_type AND c.status = gone.status;
    RETURN NULL;
END $$;

CREATE TRIGGER request_counts_insert AFTER INSERT ON requests
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION request_counts_added();
CREATE TRIGGER request_counts_update AFTER UPDATE ON requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION request_counts_changed();
CREATE TRIGGER request_counts_delete AFTER DELETE ON requests
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION request_counts_removed();

DROP INDEX requests_created;
CREATE INDEX requests_created ON requests (created_at DESC, id DESC, status);
CREATE INDEX requests_updated ON requests (updated_at DESC, id DESC, status);
CREATE INDEX requests_status_updated ON requests (status, updated_at DESC, id DESC);
