//! The one mapping from core errors to HTTP responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use usher_core::CoreError;

/// An error a handler returns; turned into a status and a short text, never internals.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// From a core service.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The server has not finished starting.
    #[error("starting up")]
    NotReady,
    /// A template failed to render (a bug).
    #[error("render failed: {0}")]
    Render(#[from] askama::Error),
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Core(err) => match err {
                CoreError::NotFound(_) => StatusCode::NOT_FOUND,
                CoreError::Forbidden(_) => StatusCode::FORBIDDEN,
                CoreError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                CoreError::Conflict(_)
                | CoreError::IllegalTransition { .. }
                | CoreError::AlreadyDecided { .. }
                | CoreError::AlreadyRequested
                | CoreError::AlreadyAvailable => StatusCode::CONFLICT,
                CoreError::QuotaExceeded(_) => StatusCode::TOO_MANY_REQUESTS,
                CoreError::Upstream { .. } => StatusCode::BAD_GATEWAY,
                CoreError::Database(_) | CoreError::Unexpected(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
            Self::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            return (status, "Something went wrong on our side.").into_response();
        }
        (status, self.to_string()).into_response()
    }
}
