-- The library index: what every media server (Jellyfin, Emby, Plex) and every Radarr/Sonarr
-- instance holds, one row per (source, media type, TMDB id), so a restart answers at once
-- before the first pass. `seasons` is `number:present/total` joined by commas (shows only);
-- `item_id` is the server's item id, Plex rating key or the *arr's own id; `progress` is the
-- download's completion in per mille, `eta` milliseconds since the epoch. Keep in step with the
-- other database's 0024_library_index.sql.

CREATE TABLE library_index_titles (
    source TEXT NOT NULL,
    media_type TEXT NOT NULL,
    tmdb_id BIGINT NOT NULL,
    tvdb_id BIGINT,
    imdb_id TEXT,
    item_id TEXT,
    four_k BOOLEAN NOT NULL DEFAULT FALSE,
    present BOOLEAN NOT NULL DEFAULT FALSE,
    monitored BOOLEAN NOT NULL DEFAULT FALSE,
    seasons TEXT NOT NULL DEFAULT '',
    progress INTEGER,
    eta BIGINT,
    download_state TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (source, media_type, tmdb_id)
);

-- One row per source: its last passes and its health, so the console, `usher check` and the
-- metrics say why a source is stale. `server_id` is Emby's server id or Plex's machine
-- identifier (part of their item links).
CREATE TABLE library_index_sources (
    source TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    server_id TEXT,
    items BIGINT NOT NULL DEFAULT 0,
    last_full_at BIGINT,
    last_incremental_at BIGINT,
    last_success_at BIGINT,
    duration_ms BIGINT,
    error TEXT,
    stale BOOLEAN NOT NULL DEFAULT FALSE,
    errors BIGINT NOT NULL DEFAULT 0
);
