-- Single episodes: a TV request may name episodes instead of whole seasons. `requests.episodes`
-- keeps them as `season:episode` pairs (`2:5,2:7`; empty: whole seasons, as before), and
-- `request_episode_claims` is the duplicate rule for them, beside `request_claims` for
-- seasons: one active request per title, 4K flag, season and episode. An episode request holds
-- no season claim, so the whole season can still be asked for; a season request covers its
-- episodes (core checks that before inserting).
-- Keep in step with the other database's 0040_request_episodes.sql.

ALTER TABLE requests ADD COLUMN episodes TEXT NOT NULL DEFAULT '';

CREATE TABLE request_episode_claims (
    request_id  BIGINT  NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    tmdb_id     BIGINT  NOT NULL,
    four_k      BOOLEAN NOT NULL,
    season      INTEGER NOT NULL,
    episode     INTEGER NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (request_id, season, episode)
);
CREATE UNIQUE INDEX request_episode_claims_active
    ON request_episode_claims (tmdb_id, four_k, season, episode) WHERE active;
