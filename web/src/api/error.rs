//! The API's one error shape: JSON as Seerr answers (`status`, `message`, and for a refusal
//! `error`), with the field named for bad input. Never echoes a key.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use usher_core::CoreError;

/// An API failure, rendered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
}

/// The body every API error has.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The HTTP status again, as Seerr sends it.
    pub status: u16,
    /// What went wrong.
    pub message: String,
    /// The same text, under the name Seerr's permission refusals use.
    pub error: String,
    /// The input field at fault, for a 400.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// Bad input in this field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: format!("{field}: {}", message.into()),
            field: Some(field.to_owned()),
        }
    }

    /// No, an unknown or a revoked key (Seerr's clients read 403 as a bad key).
    pub fn bad_key() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            message: "a valid API key is required (X-Api-Key or Authorization: Bearer)".into(),
            field: None,
        }
    }

    /// A path no route serves.
    pub fn no_route() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: "no such endpoint".into(),
            field: None,
        }
    }

    /// A test notification the receiver did not take (Seerr answers 500 with its reason).
    pub fn test_failed(message: &str) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.to_owned(),
            field: None,
        }
    }

    /// Over the key's rate limit.
    pub fn too_many() -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "rate limit reached for this API key".into(),
            field: None,
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        let status = match &err {
            CoreError::NotFound(_) => StatusCode::NOT_FOUND,
            CoreError::Forbidden(_)
            | CoreError::QuotaExceeded(_)
            | CoreError::BudgetExceeded(_)
            | CoreError::NotOffered => StatusCode::FORBIDDEN,
            CoreError::Validation(_) => StatusCode::BAD_REQUEST,
            CoreError::Conflict(_)
            | CoreError::IllegalTransition { .. }
            | CoreError::AlreadyDecided { .. }
            | CoreError::AlreadyRequested
            | CoreError::AlreadyAvailable
            | CoreError::IssueRefused(_) => StatusCode::CONFLICT,
            CoreError::Upstream { .. } => StatusCode::BAD_GATEWAY,
            CoreError::Database(_) | CoreError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            let operation = usher_core::crypto::random_token(6);
            tracing::error!(error = %err, %operation, "API request failed");
            return Self {
                status,
                message: format!("something went wrong on our side (operation {operation})"),
                field: None,
            };
        }
        let (message, field) = match err {
            // Core names the field first: "take: must be …".
            CoreError::Validation(text) => {
                let field = text
                    .split_once(':')
                    .map(|(f, _)| f)
                    .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    .map(str::to_owned);
                (text, field)
            }
            CoreError::Forbidden(text) => (text, None),
            other => (other.to_string(), None),
        };
        Self {
            status,
            message,
            field,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            status: self.status.as_u16(),
            error: self.message.clone(),
            message: self.message,
            field: self.field,
        };
        (self.status, Json(body)).into_response()
    }
}

/// What API handlers return.
pub type ApiResult<T> = Result<T, ApiError>;
