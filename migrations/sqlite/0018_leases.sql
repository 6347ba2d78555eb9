-- Leader leases: what only one replica may do at a time (Telegram long polling, the Discord
-- gateway) is done by the holder of a named lease. The holder renews `expires_at` (epoch
-- milliseconds) every few seconds; when it stops (crash, kill -9), another replica takes the
-- row over once it has expired. Keep in step with the other database's 0018_leases.sql.

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
