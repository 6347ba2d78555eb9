//! The few Discord REST calls the HTTP transport makes itself: registering the slash commands
//! and posting approver cards to the admin channel. Plain reqwest against `USHER_DISCORD_API_URL` (a local fake in tests) with
//! `Authorization: Bot <token>`; interaction answers need no REST call, they are HTTP bodies.

use std::time::Duration;

use serenity::builder::{CreateCommand, CreateMessage};

/// Discord REST API version used in paths.
const API: &str = "api/v10";

/// A minimal Discord REST client; cheap to clone.
#[derive(Clone)]
pub struct Rest {
    http: reqwest::Client,
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
    /// Discord answered with an error status.
    #[error("discord REST answered {0}")]
    Status(u16),
}

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
        let base = format!("{}/{API}/applications/{application_id}", self.api_url);
        let urls: Vec<String> = if guild_ids.is_empty() {
            vec![format!("{base}/commands")]
        } else {
            guild_ids
                .iter()
                .map(|guild| format!("{base}/guilds/{guild}/commands"))
                .collect()
        };
        for url in urls {
            self.send(self.http.put(url).json(commands)).await?;
        }
        Ok(())
    }

    /// Sends with the bot token and turns an error status into [`RestError::Status`].
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<(), RestError> {
        let response = request
            .header("Authorization", format!("Bot {}", self.token))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(RestError::Status(response.status().as_u16()));
        }
        Ok(())
    }

    /// Posts `message` to the admin channel; does nothing when none is configured.
    ///
    /// # Errors
    ///
    /// [`RestError`] when Discord cannot be reached or refuses.
    pub async fn post_to_admin_channel(&self, message: &CreateMessage) -> Result<(), RestError> {
        let Some(channel) = self.admin_channel_id else {
            return Ok(());
        };
        let url = format!("{}/{API}/channels/{channel}/messages", self.api_url);
        self.send(self.http.post(url).json(message)).await
    }
}
