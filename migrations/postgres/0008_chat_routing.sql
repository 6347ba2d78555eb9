-- What the chat front ends need to reach people the way they reach Usher. Keep in step with
-- migrations/sqlite/0008_chat_routing.sql.

-- The language the platform last reported for this account (Telegram language_code, Discord
-- locale): direct messages and approver cards are written in it when the user chose none.
ALTER TABLE identities ADD COLUMN locale TEXT;

-- The platform someone followed a request from, so they are told there.
ALTER TABLE request_followers ADD COLUMN source TEXT;

-- Why a role is held: NULL when granted by a person or by configuration, 'discord_role' when it
-- follows a Discord role (USHER_DISCORD_ADMIN_ROLE_IDS) and is taken back when the role goes.
ALTER TABLE user_roles ADD COLUMN granted_via TEXT;
