-- Availability per episode: a request for single episodes becomes available when exactly its
-- episodes are in the library, not when some other episode of their season is. `present` notes
-- each claimed episode the library was seen to hold (Sonarr's Download webhook, its episode
-- list, a Jellyfin episode), so episodes reported one at a time add up; the request turns
-- Available once every one of its episodes is present.
-- Keep in step with the other database's 0042_episode_availability.sql.

ALTER TABLE request_episode_claims ADD COLUMN present BOOLEAN NOT NULL DEFAULT FALSE;
