//! One module per console page (or group of pages); each renders a typed askama template over
//! what a core service returned.

pub mod account;
pub mod dashboard;
pub mod login;
pub mod oidc;
