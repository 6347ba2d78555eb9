-- Sign in with Plex: a console user may link their plex.tv account, kept as an identity of
-- platform 'plex' (the plex.tv user id; never a token). Keep in step with
-- migrations/sqlite/0033_plex_identities.sql.
ALTER TABLE identities DROP CONSTRAINT identities_platform_check;
ALTER TABLE identities ADD CONSTRAINT identities_platform_check
    CHECK (platform IN ('discord', 'telegram', 'oidc', 'passkey', 'plex'));
