-- Searches a chat card pages through: the question only, never the answers (those come back
-- from the TMDB client's cache by asking again). A card's ◀ ▶ buttons carry the row's id, so
-- they keep working days later, on any replica. The housekeeping job forgets old rows. Keep in
-- step with migrations/postgres/0009_search_cards.sql.
CREATE TABLE searches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    query       TEXT   NOT NULL,
    media_type  TEXT   CHECK (media_type IN ('movie', 'tv')),
    language    TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX searches_created ON searches (created_at);

-- A show requested with "future seasons" ticked in the season picker: Sonarr is told to
-- monitor seasons that do not exist yet (monitorNewItems = all); otherwise it is told not to.
ALTER TABLE requests ADD COLUMN future_seasons BOOLEAN NOT NULL DEFAULT FALSE;
