//! usher-core owns every rule of Usher: the domain ([`domain`]: requests and their lifecycle,
//! users, roles, quotas), the services front ends call ([`service::Services`]), storage on SQLite
//! or PostgreSQL ([`store::Db`]), layered and validated configuration ([`config::Settings`]),
//! and the master keys that seal secrets at rest and sign buttons ([`crypto::MasterKeys`]).
//! It knows nothing of Discord, Telegram or HTTP servers.

pub mod config;
pub mod crypto;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod integrations;
pub mod service;
pub mod store;

pub use error::{CoreError, CoreResult};

#[cfg(test)]
mod tests;
