//! Operator tasks that move data in and out of Usher as a whole, outside the request flow:
//! consistent backups ([`backup::backup`]) and their restore ([`restore::restore`]), and the
//! import of users and requests from Overseerr or Jellyseerr ([`overseerr`]).
//!
//! These work on every table at once, so unlike services they speak each database's own dialect
//! where they must (SQLite's `VACUUM INTO` and `ATTACH`, PostgreSQL's snapshot isolation and
//! sequences); the choice stays behind the [`Db`](crate::store::Db) enum they take.

pub mod backup;
pub mod overseerr;
pub mod restore;
mod sql_script;
pub mod tables;

pub use backup::{BackupFormat, BackupSummary, backup};
pub use restore::{RestoreOptions, RestoreSummary, restore};
