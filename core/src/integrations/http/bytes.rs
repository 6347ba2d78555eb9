//! Binary answers (images for the console's image proxy), read with a size bound and retried
//! like every other call of the layer.

use reqwest::Method;

use super::{Failure, Upstream, UpstreamError};

impl Upstream {
    /// GET a binary body (an image) with its `Content-Type`, refusing one over `limit` bytes
    /// (read as it arrives, so an endless answer costs at most `limit`); retried like
    /// [`Self::get_json`].
    pub async fn get_bytes(
        &self,
        path: &str,
        limit: usize,
    ) -> Result<(Vec<u8>, Option<String>), UpstreamError> {
        self.call_with(
            Method::GET,
            path,
            &[],
            None::<&()>,
            true,
            |mut r| async move {
                let kind = r
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let failed = |error| Failure {
                    error,
                    retry_after: None,
                    before_sending: false,
                };
                let mut body = Vec::new();
                while let Some(chunk) = r
                    .chunk()
                    .await
                    .map_err(|_| failed(UpstreamError::Unreachable))?
                {
                    if body.len() + chunk.len() > limit {
                        return Err(failed(UpstreamError::Malformed(format!(
                            "a body over {limit} bytes"
                        ))));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok((body, kind))
            },
        )
        .await
    }
}
