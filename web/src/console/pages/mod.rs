//! One module per console page (or group of pages); each renders a typed askama template over
//! what a core service returned.

pub mod account;
pub mod api_keys;
pub mod ask;
pub mod ask_form;
pub mod audit;
pub mod audit_csv;
pub mod confirm;
pub mod dashboard;
pub mod images;
pub mod issues;
pub mod language;
pub mod library;
pub mod library_view;
pub mod login;
pub mod media_servers;
pub mod notifications;
pub mod oidc;
pub(crate) mod outcome;
pub mod places;
pub mod plex;
pub mod requests;
pub mod settings;
pub mod settings_test;
pub mod settings_view;
pub mod users;

#[cfg(test)]
mod api_keys_tests;
#[cfg(test)]
mod ask_tests;
#[cfg(test)]
mod catalog_tests;
#[cfg(test)]
mod cockpit_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod handler_tests;
#[cfg(test)]
mod issues_tests;
#[cfg(test)]
mod language_tests;
#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod media_servers_tests;
#[cfg(test)]
mod notifications_tests;
#[cfg(test)]
mod places_tests;
#[cfg(test)]
mod plex_tests;
#[cfg(test)]
mod test_support;
