-- Places: a Telegram group chat or a Discord server with its own voting threshold and a budget
-- shared by everyone requesting from there (`[[place]]` in usher.toml, or the console's Places
-- page). `place` is `telegram:<chat id>` or `discord:<guild id>`; NULL columns mean "no rule".
-- Requests remember the place they were made from (the budget counts them), and votes
-- ("I want this too") are kept once per Usher user, whichever platform they pressed on.
-- Keep in step with the other database's 0038_places.sql.

CREATE TABLE places (
    place           TEXT    NOT NULL PRIMARY KEY,
    threshold       BIGINT,
    budget_movies   BIGINT,
    budget_seasons  BIGINT,
    budget_days     BIGINT,
    updated_at      BIGINT  NOT NULL
);

ALTER TABLE requests ADD COLUMN place TEXT;
CREATE INDEX requests_place ON requests (place, created_at) WHERE place IS NOT NULL;

CREATE TABLE request_votes (
    request_id  BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    place       TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (request_id, user_id)
);
