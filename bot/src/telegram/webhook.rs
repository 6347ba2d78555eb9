//! Webhook mode: Telegram POSTs updates to `/hooks/telegram` (served by usher-web, which checks
//! the secret header) and they reach the same per-chat lanes long polling feeds, through a channel.
//! Any replica behind the load balancer can take any update: nothing is kept between updates.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_util::Stream;
use teloxide::types::Update;
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::mpsc;

/// The sending half: what the web endpoint calls with each verified body.
#[derive(Debug, Clone)]
pub struct WebhookFeed {
    tx: mpsc::UnboundedSender<Update>,
}

impl WebhookFeed {
    /// Parses one update and queues it for the lanes.
    ///
    /// # Errors
    /// When the body is not a Telegram update, or the bot has stopped.
    pub fn push(&self, raw: &[u8]) -> Result<(), String> {
        let update: Update =
            serde_json::from_slice(raw).map_err(|e| format!("not a Telegram update: {e}"))?;
        self.tx
            .send(update)
            .map_err(|_| "the Telegram bot has stopped".to_owned())
    }
}

/// The receiving half as a stream of updates.
struct Updates(mpsc::UnboundedReceiver<Update>);

impl Stream for Updates {
    type Item = Result<Update, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|next| next.map(Ok))
    }
}

fn updates(state: &mut (Updates, teloxide::stop::StopToken)) -> &mut Updates {
    &mut state.0
}

/// A feed for the web endpoint and the listener the bot reads from.
pub fn channel() -> (WebhookFeed, impl UpdateListener<Err = Infallible>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (stop_token, _stop_flag) = teloxide::stop::mk_stop_token();
    let listener = StatefulListener::new(
        (Updates(rx), stop_token),
        updates,
        |state: &mut (Updates, teloxide::stop::StopToken)| state.1.clone(),
    );
    (WebhookFeed { tx }, listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_updates_are_queued() {
        let (feed, _listener) = channel();
        assert!(feed.push(b"{}").is_err());
        assert!(feed.push(b"not json").is_err());
        let update = br#"{"update_id":7,"message":{"message_id":1,"date":0,
            "chat":{"id":5,"type":"private","first_name":"A"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"hi"}}"#;
        assert_eq!(feed.push(update), Ok(()));
    }
}
