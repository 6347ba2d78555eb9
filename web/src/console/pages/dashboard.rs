//! `GET /`: the dashboard.

use askama::Template;
use axum::response::{IntoResponse, Response};

use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::error::WebError;

/// The dashboard.
#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct DashboardPage {
    /// Frame.
    pub chrome: Chrome,
}

/// GET /.
pub async fn dashboard(who: SignedIn) -> Result<Response, WebError> {
    let page = DashboardPage {
        chrome: Chrome::for_user(&who),
    };
    Ok(render(&page)?.into_response())
}
