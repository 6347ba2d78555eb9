//! End-to-end tests of the `usher` binary. Every such test is a module of this one integration
//! test binary (linking dominates build time on two cores): add new files here, not in tests/.

mod support;

mod api_keys;
mod chat_notify;
mod chat_startup;
mod cli;
mod connections;
mod console;
mod console_a11y;
mod console_admin;
mod console_language;
mod console_pages;
mod discord;
mod discord_announce;
mod discord_burst;
mod discord_cards;
mod discord_commands;
mod discord_defer;
mod discord_dm_fallback;
mod discord_gateway;
mod discord_roles;
mod failed_cards;
mod faults;
mod full_path;
mod hooks;
mod issues;
mod leader;
mod library_index;
mod observability;
mod oidc;
mod ops;
mod passkeys;
mod replicas;
mod serve;
mod telegram;
mod telegram_access;
mod telegram_account;
mod telegram_burst;
mod telegram_cards;
mod telegram_decline;
mod telegram_groups;
mod telegram_library;
mod telegram_notify_lanes;
mod telegram_topics;
mod web_guards;
