//! Reading API input strictly: JSON bodies with unknown fields refused, ids and page sizes
//! checked, every refusal a JSON 400 naming the field. Nothing is written on bad input because
//! no core call is made.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use usher_core::domain::{RequestId, UserId};
use usher_core::service::api::Page;

use super::error::ApiError;
use crate::state::AppState;

/// Largest JSON body the API reads.
pub const BODY_LIMIT: usize = 16 * 1024;

/// A JSON body of `T` (which denies unknown fields); errors name the field at fault.
#[derive(Debug)]
pub struct StrictJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StrictJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::field(
                "body",
                "send JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::field("body", format!("at most {BODY_LIMIT} bytes of JSON")))?;
        parse(&bytes).map(StrictJson)
    }
}

/// Parses a JSON body, naming the field of the first problem. Every body is an object: serde
/// would read a struct from an array too, positionally, which no client means.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::field("body", "must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let field = if inner.is_syntax() || inner.is_eof() {
            "body".to_owned()
        } else if path == "." || path == "?" || path.is_empty() {
            // An unknown field is reported at the level above it: name it from the message.
            inner
                .to_string()
                .split('`')
                .nth(1)
                .filter(|_| inner.to_string().starts_with("unknown field"))
                .map_or_else(|| "body".to_owned(), str::to_owned)
        } else {
            path
        };
        ApiError::field(&field, short(&inner))
    })?;
    de.end().map_err(|e| ApiError::field("body", short(&e)))?;
    Ok(value)
}

/// serde's message without its " at line 1 column 9" tail.
fn short(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// A positive id from a path or query text.
pub fn positive_id(field: &str, text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::field(field, "must be a positive whole number"))
}

/// A request id from the path.
pub fn request_id(text: &str) -> Result<RequestId, ApiError> {
    positive_id("requestId", text).map(RequestId)
}

/// A user id from the path or query.
pub fn user_id(field: &str, text: &str) -> Result<UserId, ApiError> {
    positive_id(field, text).map(UserId)
}

/// `take` (default 10, as Seerr) and `skip` (default 0) from query text.
pub fn page(take: Option<&str>, skip: Option<&str>) -> Result<Page, ApiError> {
    let whole = |field: &str, text: Option<&str>, default: u64| match text {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| ApiError::field(field, "must be a whole number, 0 or more")),
    };
    let take = whole("take", take, 10)?;
    let skip = whole("skip", skip, 0)?;
    Ok(Page::new(skip, take)?)
}
