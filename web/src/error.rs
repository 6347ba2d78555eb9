//! The one mapping from core errors to HTTP responses.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use usher_core::CoreError;
use usher_core::webhooks::HookError;

/// An error a handler returns; turned into a status and a short text, never internals.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// From a core service.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A refused webhook delivery (wrong token, malformed body) or its failure.
    #[error(transparent)]
    Hook(#[from] HookError),
    /// A body the handler cannot use.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A body (or part) over its limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// A multipart body that could not be read (its own status: 400, or 413 over the limit).
    #[error(transparent)]
    Multipart(#[from] MultipartError),
    /// A request that is not multipart where multipart is expected.
    #[error(transparent)]
    NotMultipart(#[from] MultipartRejection),
    /// A request without valid credentials (an unsigned Discord interaction).
    #[error("unauthorized")]
    Unauthorized,
    /// A template failed to render (a bug).
    #[error("render failed: {0}")]
    Render(#[from] askama::Error),
}

/// The HTTP status of a core error (also the status of a console form shown again refused).
pub(crate) fn core_status(err: &CoreError) -> StatusCode {
    match err {
        CoreError::NotFound(_) => StatusCode::NOT_FOUND,
        CoreError::Forbidden(_) | CoreError::NotOffered => StatusCode::FORBIDDEN,
        CoreError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        CoreError::Conflict(_)
        | CoreError::IllegalTransition { .. }
        | CoreError::AlreadyDecided { .. }
        | CoreError::AlreadyRequested
        | CoreError::AlreadyAvailable
        | CoreError::IssueRefused(_) => StatusCode::CONFLICT,
        CoreError::QuotaExceeded(_) | CoreError::BudgetExceeded(_) => StatusCode::TOO_MANY_REQUESTS,
        CoreError::Upstream { .. } => StatusCode::BAD_GATEWAY,
        CoreError::Database(_) | CoreError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl WebError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::Core(err) => core_status(err),
            Self::Hook(HookError::Unauthorized) => StatusCode::UNAUTHORIZED,
            Self::Hook(HookError::Malformed(_)) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Hook(HookError::Core(err)) => core_status(err),
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Multipart(err) => err.status(),
            Self::NotMultipart(err) => err.status(),
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The id logged with a server error and shown to the user, so a report can be matched to the
/// log line without showing internals.
#[derive(Debug, Clone)]
pub struct OperationId(pub String);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            let operation = usher_core::crypto::random_token(6);
            tracing::error!(error = %self, %operation, "request failed");
            let body = format!("Something went wrong on our side (operation {operation}).");
            let mut response = (status, body).into_response();
            response.extensions_mut().insert(OperationId(operation));
            return response;
        }
        (status, self.to_string()).into_response()
    }
}
