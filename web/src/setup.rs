//! The page behind the one-time setup link printed by `usher serve` and `usher admin setup-link`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::WebError;
use crate::state::AppState;

/// Tells the operator whether their setup link is still good.
#[derive(Template)]
#[template(path = "setup/setup.html")]
pub struct SetupPage {
    /// The token is unused and unexpired.
    pub valid: bool,
}

/// GET /setup/{token}: checks the token without using it up (the passkey registration that
/// consumes it is part of the console).
pub async fn setup_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let services = state.services().ok_or(WebError::NotReady)?;
    let valid = token.len() <= 128 && services.setup.is_valid(&token).await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, Html(SetupPage { valid }.render()?)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_says_whether_the_link_works() {
        let ok = SetupPage { valid: true }.render().expect("render");
        assert!(ok.contains("This setup link is valid"));
        let gone = SetupPage { valid: false }.render().expect("render");
        assert!(gone.contains("expired or was already used"));
        assert!(gone.contains("usher admin setup-link"));
    }
}
