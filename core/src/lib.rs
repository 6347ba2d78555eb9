//! `usher-core` owns Usher's domain: requests, users, roles, quotas, storage, integrations —
//! and, in this slice, the foundation everything else stands on: [`config`], which layers
//! defaults, `usher.toml`, `USHER_*` environment, `_FILE` secrets and CLI flags into one
//! validated [`config::Settings`].

pub mod config;
