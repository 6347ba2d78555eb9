-- Where a title Usher saw arrive lives in the media server, so a search card can link to it:
-- one row per (media type, TMDB id), the latest server that reported it. `server` is
-- 'jellyfin' (Emby too) or 'plex'; `item_id` is the Jellyfin item id or the Plex rating key (a
-- show's own, not an episode's); `machine_id` is Plex's server identifier when known. Keep in
-- step with the other database's 0014_library_items.sql.

CREATE TABLE library_items (
    media_type TEXT NOT NULL,
    tmdb_id BIGINT NOT NULL,
    server TEXT NOT NULL,
    item_id TEXT NOT NULL,
    machine_id TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (media_type, tmdb_id)
);
