-- What a role's holders may be offered: a content limit (certification caps per country and
-- blocklists of titles, keywords and genres), stored as the JSON of `ContentLimitSpec`; NULL
-- limits nothing. A person's effective limit is the strictest among their roles' limits.
-- Keep in step with the other database's 0035_role_content_limit.sql.

ALTER TABLE roles ADD COLUMN content_limit TEXT;
