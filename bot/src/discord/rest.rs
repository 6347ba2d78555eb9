//! The few Discord REST calls both transports make the same way: registering the slash
//! commands, posting approver cards and DMs (with the fallback mention when DMs are closed), and
//! finishing deferred interaction answers, and in gateway mode the interaction callback itself.
//! Plain reqwest against `USHER_DISCORD_API_URL` (a local fake in tests) with
//! `Authorization: Bot <token>`; every call keeps Discord's rate limits (the `ratelimit`
//! module): it waits its turn, and a 429 is waited out and the same call sent again, up to
//! [`MAX_ATTEMPTS`] times, so a burst delays messages but drops none. In HTTP mode the first
//! answer to an interaction is not sent here: it is the HTTP body.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serenity::builder::{CreateCommand, CreateInteractionResponse, CreateMessage};

use super::ratelimit::{Limiter, Route};

/// Discord REST API version used in paths.
const API: &str = "api/v10";

/// How many times one call is sent when Discord keeps answering 429.
pub const MAX_ATTEMPTS: u32 = 10;

/// A minimal Discord REST client; cheap to clone (clones share the rate-limit state).
#[derive(Clone)]
pub struct Rest {
    http: reqwest::Client,
    limits: Arc<Limiter>,
    api_url: String,
    token: String,
    admin_channel_id: Option<u64>,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("api_url", &self.api_url)
            .field("admin_channel_id", &self.admin_channel_id)
            .finish_non_exhaustive()
    }
}

/// Why a REST call failed (logged; the member's answer does not depend on it).
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// Transport failure or timeout.
    #[error("discord REST: {0}")]
    Http(#[from] reqwest::Error),
    /// Discord answered with an error status (and its JSON error, for the log).
    #[error("discord REST answered {0}: {1}")]
    Status(u16, String),
    /// Discord answered 2xx with something we cannot use.
    #[error("discord REST answered oddly: {0}")]
    Malformed(String),
}

impl RestError {
    /// Whether trying again later can help: network trouble, rate limits and Discord's own
    /// errors can pass; any other refusal (403 "Cannot send messages to this user", 404, 400)
    /// is about this message or recipient.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Http(_) => true,
            Self::Status(code, _) => *code == 429 || *code >= 500,
            Self::Malformed(_) => false,
        }
    }

    /// Whether Discord refused a DM because the user does not accept DMs from this server
    /// (403 with JSON error code 50007, "Cannot send messages to this user").
    pub fn is_dm_closed(&self) -> bool {
        let Self::Status(403, body) = self else {
            return false;
        };
        serde_json::from_str::<serde_json::Value>(body)
            .is_ok_and(|error| error["code"].as_u64() == Some(DM_CLOSED))
    }
}

/// Discord's JSON error code for "Cannot send messages to this user".
const DM_CLOSED: u64 = 50007;

impl Rest {
    /// A client for `api_url` (no trailing slash needed) posting cards to `admin_channel_id`.
    ///
    /// # Errors
    ///
    /// When the HTTP client cannot be built (TLS setup).
    pub fn new(
        api_url: &str,
        token: String,
        admin_channel_id: Option<u64>,
        timeout: Duration,
    ) -> Result<Self, RestError> {
        Ok(Self {
            http: reqwest::Client::builder().timeout(timeout).build()?,
            limits: Arc::default(),
            api_url: api_url.trim_end_matches('/').to_owned(),
            token,
            admin_channel_id,
        })
    }

    /// Replaces the application's slash commands with `commands`: in each of `guild_ids`
    /// (they appear at once there), or globally when no guild is configured.
    ///
    /// # Errors
    ///
    /// [`RestError`] for the first registration Discord refuses or that cannot be sent.
    pub async fn register_commands(
        &self,
        application_id: u64,
        guild_ids: &[u64],
        commands: &[CreateCommand],
    ) -> Result<(), RestError> {
        let base = format!("applications/{application_id}");
        let paths: Vec<String> = if guild_ids.is_empty() {
            vec![format!("{base}/commands")]
        } else {
            guild_ids
                .iter()
                .map(|guild| format!("{base}/guilds/{guild}/commands"))
                .collect()
        };
        for path in paths {
            let route = Route::new(format!("PUT {path}"));
            self.call(Method::PUT, &path, route, commands).await?;
        }
        Ok(())
    }

    /// Sends `body` as JSON to `path` (under `/api/v10/`) with the bot token, within the rate
    /// limits of `route`, and returns the JSON answer (`Null` when there is none). A 429 is
    /// waited out and the call sent again, up to [`MAX_ATTEMPTS`] times; any other error status
    /// becomes [`RestError::Status`] at once.
    async fn call(
        &self,
        method: Method,
        path: &str,
        route: Route,
        body: &(impl serde::Serialize + ?Sized),
    ) -> Result<serde_json::Value, RestError> {
        let url = format!("{}/{API}/{path}", self.api_url);
        let body = serde_json::to_vec(body).map_err(|e| RestError::Malformed(e.to_string()))?;
        let mut attempt = 1;
        loop {
            self.limits.acquire(&route).await;
            let response = self
                .http
                .request(method.clone(), &url)
                .header("Authorization", format!("Bot {}", self.token))
                .header("Content-Type", "application/json")
                .body(body.clone())
                .send()
                .await?;
            let status = response.status();
            let headers = response.headers().clone();
            self.limits.observe(&route, &headers);
            let text = response.text().await?;
            if status.as_u16() == 429 && attempt < MAX_ATTEMPTS {
                let wait = self.limits.hold(&route, &headers, &text);
                tracing::debug!(route = %route.key, ?wait, attempt, "discord rate limit; waiting");
                attempt += 1;
                continue;
            }
            if !status.is_success() {
                let text: String = text.chars().take(300).collect();
                return Err(RestError::Status(status.as_u16(), text));
            }
            return Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null));
        }
    }

    /// Sends the first answer to an interaction (`POST /interactions/{id}/{token}/callback`),
    /// as the gateway transport must (in HTTP mode the answer is the HTTP body instead).
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses (an answer after 3 s).
    pub async fn interaction_callback(
        &self,
        interaction_id: u64,
        token: &str,
        response: &CreateInteractionResponse,
    ) -> Result<(), RestError> {
        let path = format!("interactions/{interaction_id}/{token}/callback");
        let route = Route::callback(format!("POST {path}"));
        self.call(Method::POST, &path, route, response)
            .await
            .map(drop)
    }

    /// Replaces the answer of a deferred interaction (`PATCH /webhooks/{app}/{token}/messages/
    /// @original`): the "thinking…" message of a command, or the message a pressed component is
    /// on. `data` is an interaction answer's message data; the flags (set when deferring) are
    /// left out, since an edit may not change them.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses (the token lives 15 minutes).
    pub async fn edit_original(
        &self,
        application_id: u64,
        token: &str,
        data: &serde_json::Value,
    ) -> Result<(), RestError> {
        let mut data = data.clone();
        if let Some(map) = data.as_object_mut() {
            map.remove("flags");
            map.remove("tts");
        }
        let path = format!("webhooks/{application_id}/{token}/messages/@original");
        let route = Route::new(format!("PATCH {path}"));
        self.call(Method::PATCH, &path, route, &data)
            .await
            .map(drop)
    }

    /// Sends a follow-up message to a deferred interaction (`POST /webhooks/{app}/{token}`);
    /// `data` may carry the ephemeral flag.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses.
    pub async fn follow_up(
        &self,
        application_id: u64,
        token: &str,
        data: &serde_json::Value,
    ) -> Result<(), RestError> {
        let path = format!("webhooks/{application_id}/{token}");
        let route = Route::new(format!("POST {path}"));
        self.call(Method::POST, &path, route, data).await.map(drop)
    }

    /// Sends `message` to a user as a direct message: opens (or finds) the DM channel, then
    /// posts in it. Discord refuses with 403 when the user does not accept DMs from the server.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses.
    pub async fn direct_message(
        &self,
        user_id: u64,
        message: &CreateMessage,
    ) -> Result<(), RestError> {
        let path = "users/@me/channels";
        let body = serde_json::json!({ "recipient_id": user_id.to_string() });
        let route = Route::new(format!("POST {path}"));
        let channel = self.call(Method::POST, path, route, &body).await?;
        let Some(channel) = channel.get("id").and_then(serde_json::Value::as_str) else {
            return Err(RestError::Malformed("no channel id in the answer".into()));
        };
        let channel = channel
            .parse()
            .map_err(|_| RestError::Malformed(format!("channel id {channel:?}")))?;
        self.post_to_channel(channel, message).await
    }

    /// Posts `message` to `channel`.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses.
    pub async fn post_to_channel(
        &self,
        channel: u64,
        message: &CreateMessage,
    ) -> Result<(), RestError> {
        let path = format!("channels/{channel}/messages");
        let route = Route::new(format!("POST {path}"));
        self.call(Method::POST, &path, route, message)
            .await
            .map(drop)
    }

    /// Posts `message` to the admin channel; does nothing when none is configured.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses.
    pub async fn post_to_admin_channel(&self, message: &CreateMessage) -> Result<(), RestError> {
        match self.admin_channel_id {
            Some(channel) => self.post_to_channel(channel, message).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Rest, RestError};
    use serenity::builder::CreateMessage;
    use std::time::Duration;
    use usher_testkit::discord::{DiscordLimits, Flood, start_with_flood};

    #[tokio::test]
    async fn a_burst_on_one_bucket_is_waited_out_and_each_message_lands_once() {
        let flood = Flood::default();
        flood.limit(DiscordLimits {
            per_route: 2,
            route_window: Duration::from_millis(400),
            global_per_second: 50,
        });
        let fake = start_with_flood(&flood).await;
        let rest = Rest::new(&fake.url, "t".into(), None, Duration::from_secs(5)).expect("client");
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..8 {
            let rest = rest.clone();
            let message = CreateMessage::new().content(format!("m{n}"));
            tasks.spawn(async move { rest.post_to_channel(42, &message).await });
        }
        while let Some(sent) = tasks.join_next().await {
            sent.expect("task").expect("delivered in the end");
        }
        let mut posted: Vec<String> = flood
            .admitted()
            .iter()
            .filter(|a| a.path == "/api/v10/channels/42/messages")
            .filter_map(|a| a.body["content"].as_str().map(str::to_owned))
            .collect();
        posted.sort();
        let expected: Vec<String> = (0..8).map(|n| format!("m{n}")).collect();
        assert_eq!(posted, expected, "each once");
        assert!(flood.refusals() > 0, "the burst met the limit");
    }

    #[tokio::test]
    async fn a_429_that_does_not_end_is_given_up_after_the_bounded_attempts() {
        let flood = Flood::default();
        flood.limit(DiscordLimits {
            per_route: 0,
            route_window: Duration::from_millis(10),
            global_per_second: 50,
        });
        let fake = start_with_flood(&flood).await;
        let rest = Rest::new(&fake.url, "t".into(), None, Duration::from_secs(5)).expect("client");
        let sent = rest
            .post_to_channel(42, &CreateMessage::new().content("x"))
            .await;
        let err = sent.expect_err("never admitted");
        assert!(matches!(err, RestError::Status(429, _)), "{err}");
        assert!(err.is_transient(), "the outbox tries again later");
        assert_eq!(flood.refusals(), super::MAX_ATTEMPTS as usize);
    }

    #[test]
    fn only_a_403_with_code_50007_means_closed_dms() {
        let closed = r#"{"message": "Cannot send messages to this user", "code": 50007}"#;
        assert!(RestError::Status(403, closed.into()).is_dm_closed());
        let missing_access = r#"{"message": "Missing Access", "code": 50001}"#;
        assert!(!RestError::Status(403, missing_access.into()).is_dm_closed());
        assert!(!RestError::Status(400, closed.into()).is_dm_closed());
        assert!(!RestError::Status(403, "<html>forbidden</html>".into()).is_dm_closed());
        assert!(!RestError::Malformed(closed.into()).is_dm_closed());
    }
}
