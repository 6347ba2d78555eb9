//! Conversations the bot is in the middle of, on teloxide's dialogue [`Storage`] trait but kept
//! in core's database ([`usher_core::store::dialogues`], migration 0010) rather than in memory
//! (no `InMemStorage`, and teloxide's own SQL storages stay off): a reply finds its
//! conversation after a restart and on any replica behind a load balancer.
//!
//! teloxide keys dialogues by chat, but in a group several people can be mid-conversation at
//! once (two approvers each typing a reason), so a [`CoreStorage`] serves one person: it is
//! built per update for the sender, and rows are keyed by chat *and* person. States are stored
//! as JSON, so one table serves every state type.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::dispatching::dialogue::{Dialogue, Storage};
use teloxide::types::{ChatId, MessageId, UserId};
use usher_core::domain::{Platform, Timestamp};
use usher_core::store::Db;
use usher_core::store::dialogues::{self, DialogueKey};

/// What an open conversation waits for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "waiting_for", rename_all = "snake_case")]
pub enum Conversation {
    /// An approver pressed "Other reason…": their reply to the prompt is the reason for
    /// declining the request.
    DeclineReason {
        /// The request to decline.
        request_id: i64,
        /// The approver card the button was under, edited once declined.
        card: Option<i32>,
        /// The force-reply prompt, once sent: the reply must answer it.
        prompt: Option<i32>,
    },
}

impl Conversation {
    /// Whether a reply to `message` answers this conversation's prompt (any reply to the bot
    /// does while the prompt's id is not known yet).
    #[must_use]
    pub fn answered_by(&self, message: MessageId) -> bool {
        match self {
            Self::DeclineReason { prompt, .. } => prompt.is_none_or(|p| p == message.0),
        }
    }
}

/// A conversation with one person in one chat.
pub type PersonDialogue = Dialogue<Conversation, CoreStorage>;

/// The conversation of `user` in `chat`.
#[must_use]
pub fn with(db: &Db, chat: ChatId, user: UserId) -> PersonDialogue {
    Dialogue::new(Arc::new(CoreStorage::for_person(db.clone(), user)), chat)
}

/// teloxide's [`Storage`] over core's store, for one person's conversations (see the module
/// docs).
#[derive(Debug, Clone)]
pub struct CoreStorage {
    db: Db,
    user: String,
}

impl CoreStorage {
    /// The storage for `user`'s conversations, in whichever chat.
    #[must_use]
    pub fn for_person(db: Db, user: UserId) -> Self {
        Self {
            db,
            user: user.0.to_string(),
        }
    }
}

/// Why a conversation could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database failed.
    #[error("dialogue storage: {0}")]
    Core(#[from] usher_core::CoreError),
    /// A stored state is not one this release understands (or one could not be written).
    #[error("dialogue state: {0}")]
    Json(#[from] serde_json::Error),
    /// `remove_dialogue` found nothing to remove, as the trait asks to report.
    #[error("no such dialogue")]
    NotFound,
}

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, StorageError>> + Send>>;

impl<D> Storage<D> for CoreStorage
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = StorageError;

    fn remove_dialogue(self: Arc<Self>, chat_id: ChatId) -> Boxed<()>
    where
        D: Send + 'static,
    {
        Box::pin(async move {
            let chat = chat_id.0.to_string();
            if dialogues::remove(&self.db, self.key(&chat)).await? {
                Ok(())
            } else {
                Err(StorageError::NotFound)
            }
        })
    }

    fn update_dialogue(self: Arc<Self>, chat_id: ChatId, dialogue: D) -> Boxed<()>
    where
        D: Send + 'static,
    {
        Box::pin(async move {
            let chat = chat_id.0.to_string();
            let state = serde_json::to_string(&dialogue)?;
            dialogues::put(&self.db, self.key(&chat), &state, Timestamp::now()).await?;
            Ok(())
        })
    }

    fn get_dialogue(self: Arc<Self>, chat_id: ChatId) -> Boxed<Option<D>> {
        Box::pin(async move {
            let chat = chat_id.0.to_string();
            let state = dialogues::get(&self.db, self.key(&chat), Timestamp::now()).await?;
            match state {
                Some(state) => Ok(Some(serde_json::from_str(&state)?)),
                None => Ok(None),
            }
        })
    }
}

impl CoreStorage {
    fn key<'a>(&'a self, chat: &'a str) -> DialogueKey<'a> {
        DialogueKey {
            platform: Platform::Telegram,
            chat,
            user: &self.user,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_person_in_a_chat_has_their_own_conversation() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("usher.db").display());
        let db = Db::connect(&url, &Default::default()).await.expect("db");
        db.migrate().await.expect("migrate");
        let group = ChatId(-100);
        let (boss, other) = (UserId(1), UserId(2));
        let asked = Conversation::DeclineReason {
            request_id: 7,
            card: Some(3),
            prompt: None,
        };
        with(&db, group, boss)
            .update(asked.clone())
            .await
            .expect("update");
        assert_eq!(
            with(&db, group, boss).get().await.expect("get"),
            Some(asked)
        );
        assert_eq!(with(&db, group, other).get().await.expect("get"), None);
        assert_eq!(with(&db, ChatId(1), boss).get().await.expect("get"), None);

        // Through the erased storage too, as teloxide's own handlers would use it.
        let erased = Arc::new(CoreStorage::for_person(db.clone(), boss)).erase();
        let dialogue: Dialogue<Conversation, _> = Dialogue::new(erased, group);
        assert!(dialogue.get().await.expect("get").is_some());
        dialogue.exit().await.expect("exit");
        assert!(matches!(
            with(&db, group, boss).exit().await,
            Err(StorageError::NotFound)
        ));
        assert!(
            Conversation::DeclineReason {
                request_id: 1,
                card: None,
                prompt: Some(5)
            }
            .answered_by(MessageId(5))
        );
        assert!(
            !Conversation::DeclineReason {
                request_id: 1,
                card: None,
                prompt: Some(5)
            }
            .answered_by(MessageId(6))
        );
    }
}
