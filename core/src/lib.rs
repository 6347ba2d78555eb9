//! `usher-core` owns Usher's domain: requests, users, roles, quotas, storage, integrations —
//! and, in this slice, the two foundations everything else stands on: [`config`], which layers
//! defaults, `usher.toml`, `USHER_*` environment, `_FILE` secrets and CLI flags into one
//! validated [`config::Settings`], and [`crypto`], whose [`crypto::MasterKeys`] seal secrets at
//! rest and derive the keys that sign buttons and sessions.

pub mod config;
pub mod crypto;
