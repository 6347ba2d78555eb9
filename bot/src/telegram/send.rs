//! Sending that obeys Telegram's flood control: a 429 says how long to wait (`retry_after`), and
//! the call is made again after that instead of the message being dropped.

use std::future::IntoFuture;
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::requests::Request;

/// How many 429s one message may meet before the caller gets the error.
const MAX_RETRIES: u32 = 5;
/// Longest wait accepted from one `retry_after`, so a bogus value cannot park a worker.
const MAX_WAIT: Duration = Duration::from_secs(120);

/// Sends `request`, waiting out every `retry_after` (up to [`MAX_RETRIES`] times).
pub(crate) async fn send<R>(
    request: &R,
) -> Result<<R::Payload as teloxide::requests::Payload>::Output, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut attempt = 0;
    loop {
        match request.send_ref().into_future().await {
            Err(RequestError::RetryAfter(wait)) if attempt < MAX_RETRIES => {
                attempt += 1;
                tracing::debug!(seconds = wait.seconds(), "telegram asked us to slow down");
                tokio::time::sleep(wait.duration().min(MAX_WAIT)).await;
            }
            other => return other,
        }
    }
}

/// Like [`send`] for edits: "message is not modified" means the card already shows this, which
/// is success (two approvers pressing at once both end up editing to the same text).
pub(crate) async fn edit<R>(request: &R) -> Result<(), RequestError>
where
    R: Request<Err = RequestError>,
{
    match send(request).await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        Err(error) => Err(error),
    }
}
