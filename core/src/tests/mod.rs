//! Service and store tests. Every test runs twice, on SQLite and on PostgreSQL
//! (`USHER_TEST_POSTGRES_URL`, a fresh schema per test), through [`both_dbs!`].

mod arr_clients;
mod arr_contract;
mod arr_instances;
mod arr_support;
mod audit_log;
mod availability;
mod chat_users;
mod console_requests;
mod console_users;
mod dialogues;
mod full_path;
mod future_seasons;
mod harness;
mod library_links;
mod link_setup;
mod listing;
mod notify;
mod notify_lanes;
mod oidc_sign_in;
mod ops_backup;
mod ops_fixture;
mod ops_import;
mod passkeys;
mod quotas;
mod reconcile;
mod request_flow;
mod searches;
mod sessions;
mod settings_console;
mod store_schema;
mod submission_worker;
mod titles;
mod upstream_health;
mod webhooks;
mod webhooks_servers;
