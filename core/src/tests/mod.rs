//! Service and store tests. Every test runs twice, on SQLite and on PostgreSQL
//! (`USHER_TEST_POSTGRES_URL`, a fresh schema per test), through [`both_dbs!`].

mod availability;
mod harness;
mod link_setup;
mod listing;
mod quotas;
mod reconcile;
mod request_flow;
mod store_schema;
mod webhooks;
mod webhooks_servers;
