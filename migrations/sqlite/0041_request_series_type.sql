-- Override rules (`[[override]]` in usher.toml) may set Sonarr's series type for a request
-- (`standard`, `daily` or `anime`); the submission sends it as the series' `seriesType`.
-- NULL: the instance's usual choice (anime on the anime instance or for anime titles).
-- Keep in step with the other database's 0041_request_series_type.sql.

ALTER TABLE requests ADD COLUMN target_series_type TEXT;
