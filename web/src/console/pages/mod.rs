//! One module per console page (or group of pages); each renders a typed askama template over
//! what a core service returned.

pub mod dashboard;
pub mod login;
mod outcome;
pub mod requests;
pub mod users;

#[cfg(test)]
mod catalog_tests;
#[cfg(test)]
mod handler_tests;
#[cfg(test)]
mod test_support;
