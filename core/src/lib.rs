//! usher-core owns every rule of Usher: the domain ([`domain`]: requests and their lifecycle,
//! users, roles, quotas), the services front ends call ([`service::Services`]), storage on SQLite
//! or PostgreSQL ([`store::Db`]), layered and validated configuration ([`config::Settings`]),
//! the master keys that seal secrets at rest and sign buttons ([`crypto::MasterKeys`]), and
//! operator tasks: backup, restore and import from Overseerr ([`ops`]), and the delivery of
//! notifications to each chat platform ([`notify`]).
//! It knows nothing of Discord, Telegram or HTTP servers.

pub mod config;
pub mod crypto;
pub mod domain;
pub mod error;
pub mod health;
pub mod i18n;
pub mod index;
pub mod integrations;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod ops;
pub mod service;
pub mod store;
pub mod webhooks;

pub use error::{CoreError, CoreResult};

#[cfg(test)]
mod tests;
