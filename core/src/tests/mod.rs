//! Service and store tests. Every test runs twice, on SQLite and on PostgreSQL
//! (`USHER_TEST_POSTGRES_URL`, a fresh schema per test), through [`both_dbs!`].

mod arr_clients;
mod arr_contract;
mod arr_instances;
mod arr_support;
mod availability;
mod console_requests;
mod console_users;
mod full_path;
mod harness;
mod link_setup;
mod listing;
mod ops_backup;
mod ops_fixture;
mod ops_import;
mod quotas;
mod reconcile;
mod request_flow;
mod sessions;
mod store_schema;
mod submission_worker;
mod upstream_health;
mod webhooks;
mod webhooks_servers;
