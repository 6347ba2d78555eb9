//! What every console module reads about the request it serves: the message catalogue, the
//! request's language, and the CSRF token the guard put in its extensions. Kept apart from the
//! page frame and the guards, so those can use it without importing each other in a circle.

use std::sync::OnceLock;

use axum::http::{HeaderMap, header};
use usher_core::i18n::Catalog;

/// The Fluent catalogue, parsed once per process.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().expect("embedded locales parse (tested)"))
}

/// The best language for a request from its `Accept-Language` header.
pub fn request_language(headers: &HeaderMap) -> String {
    let wanted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|tag| tag.split(';').next().unwrap_or_default().trim().to_owned())
        .filter(|tag| !tag.is_empty() && tag != "*");
    catalog().negotiate(wanted.as_deref()).to_owned()
}

/// The token for this request, put in the request's extensions for templates to embed.
#[derive(Debug, Clone, Default)]
pub struct CsrfToken(pub String);
