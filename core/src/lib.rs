//! usher-core owns every rule of Usher: the domain ([`domain`]: requests and their lifecycle,
//! users, roles, quotas), the services front ends call ([`service::Services`]), storage on SQLite
//! or PostgreSQL ([`store::Db`]), configuration ([`config::Settings`]) and the secrets kept at
//! rest ([`crypto::MasterKeys`]). It knows nothing of Discord, Telegram or HTTP servers.

pub mod crypto;
pub mod domain;
pub mod error;
pub mod service;
pub mod store;

pub use error::{CoreError, CoreResult};
#[cfg(test)]
mod tests;
