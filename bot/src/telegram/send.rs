//! The outbound send queue: every message the bot sends or edits waits its turn here, so the bot
//! stays inside Telegram's flood limits instead of running into them.
//!
//! Telegram allows about 30 messages a second overall, one a second to a chat and 20 a minute
//! to a group (Bot API FAQ); past that it answers 429 with `retry_after`. The queue keeps one
//! *lane* per chat: a task that sends that chat's messages in order, each at least the chat's
//! interval after the one before was answered (1 s for a private chat, 3 s for a group: 20 a
//! minute), and only when the bot-wide limit grants a slot. Timed from the answer rather than
//! the call, the gap Telegram sees between two arrivals is never shorter than the interval, however
//! slow a call was on its way. Lanes take the bot-wide slots in turn (a fair lock), so one busy
//! chat cannot starve the others. The bot-wide limit is a sliding window (see `window`), so 20
//! members answered at once get their 20 messages at once, and still no second ever holds more
//! than the limit. A 429 that still comes back is waited out (`retry_after`) and the same message is sent
//! again, still in its place in the lane.
//!
//! Nothing is dropped: a lane queues whatever arrives while it waits. Its memory is what is
//! queued in it, and callers wait for their message to go out (updates are handled one at a
//! time per chat; the notifier one delivery per chat at a time), so a chat's queue stays short; a
//! lane ends once it is empty and its interval has passed, so idle chats cost nothing.
//!
//! `answerCallbackQuery` does not come here: a button press must be answered at once, and
//! Telegram does not count answers as messages.

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use teloxide::payloads;
use teloxide::requests::{Output, Request};
use teloxide::types::{ChatId, Recipient};
use teloxide::{ApiError, RequestError};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// How many 429s one message may meet before its sender gets the error.
const MAX_RETRIES: u32 = 8;
/// The bot-wide window: a second, and a margin for the requests' way to Telegram.
const GLOBAL_WINDOW: Duration = Duration::from_millis(1_100);
/// Longest wait accepted from one `retry_after`, so a bogus value cannot park a lane for long.
const MAX_WAIT: Duration = Duration::from_secs(120);

/// The limits the queue keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimits {
    /// Messages a second over all chats; `None` for no bot-wide limit.
    pub per_second: Option<NonZeroU32>,
    /// Least time between two messages to one private chat.
    pub chat_interval: Duration,
    /// Least time between two messages to one group, supergroup or channel.
    pub group_interval: Duration,
}

impl SendLimits {
    /// Telegram's published limits: 30 messages a second, 1 a second per chat, 20 a minute per
    /// group.
    #[must_use]
    pub const fn telegram() -> Self {
        Self {
            per_second: NonZeroU32::new(30),
            chat_interval: Duration::from_secs(1),
            group_interval: Duration::from_secs(3),
        }
    }

    /// No limits at all: for benchmarks that measure the bot rather than Telegram's pacing.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            per_second: None,
            chat_interval: Duration::ZERO,
            group_interval: Duration::ZERO,
        }
    }

    fn interval(&self, lane: Lane) -> Duration {
        match lane {
            // Telegram's group and channel ids are negative; users' are positive.
            Lane::Chat(chat) if chat.0 < 0 => self.group_interval,
            Lane::Chat(_) => self.chat_interval,
            Lane::Unbound => Duration::ZERO,
        }
    }
}

impl Default for SendLimits {
    fn default() -> Self {
        Self::telegram()
    }
}

/// Where a message goes, which decides its lane: a chat, or nowhere in particular (an inline
/// message edited by its id, a channel named by `@username`), paced only bot-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Lane {
    Chat(ChatId),
    Unbound,
}

/// A request payload that says which chat it goes to. Implemented for the send and edit methods
/// the bot uses; a new one needs a line in the list at the end of this module.
pub trait Addressed {
    /// The chat the message is sent to or edited in, if it names one by id.
    fn chat(&self) -> Option<ChatId>;
}

/// Counts of what went through the queue, for tests and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Messages Telegram accepted (or refused for good) after their turn came.
    pub sent: u64,
    /// 429s met and waited out.
    pub retried: u64,
    /// Messages waiting right now.
    pub waiting: usize,
    /// Lanes (chats with something queued or sent within their interval) right now.
    pub lanes: usize,
}

/// The send queue; cheap to clone (all clones share the lanes and limiters).
#[derive(Clone)]
pub struct SendQueue {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SendQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendQueue")
            .field("limits", &self.inner.limits)
            .field("stats", &self.stats())
            .finish()
    }
}

struct Inner {
    limits: SendLimits,
    /// The bot-wide limiter, when there is one.
    global: Option<Mutex<SlidingWindow>>,
    /// Lanes wait here, in order, for a bot-wide slot.
    turn: tokio::sync::Mutex<()>,
    lanes: Mutex<HashMap<Lane, mpsc::UnboundedSender<Job>>>,
    sent: AtomicU64,
    retried: AtomicU64,
    waiting: AtomicUsize,
}

impl SendQueue {
    /// A queue keeping `limits`.
    #[must_use]
    pub fn new(limits: SendLimits) -> Self {
        let global = limits
            .per_second
            .map(|rate| Mutex::new(SlidingWindow::new(rate.get() as usize, GLOBAL_WINDOW)));
        Self {
            inner: Arc::new(Inner {
                limits,
                global,
                turn: tokio::sync::Mutex::new(()),
                lanes: Mutex::new(HashMap::new()),
                sent: AtomicU64::new(0),
                retried: AtomicU64::new(0),
                waiting: AtomicUsize::new(0),
            }),
        }
    }

    /// Queues `request` in its chat's lane and waits until Telegram answered it.
    ///
    /// # Errors
    /// Telegram's answer when it refused the message, or when it kept answering 429.
    pub async fn send<R>(&self, request: R) -> Result<Output<R>, RequestError>
    where
        R: Request<Err = RequestError> + Send + 'static,
        R::Payload: Addressed,
        Output<R>: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.enqueue(request, Reply::Wait(reply));
        answer.await.unwrap_or_else(|_| {
            let stopped = std::io::Error::other("the Telegram send queue stopped");
            Err(RequestError::Io(Arc::new(stopped)))
        })
    }

    /// Like [`SendQueue::send`] for edits: "message is not modified" means the message already
    /// shows this, which is success (two approvers pressing at once both edit to the same text).
    ///
    /// # Errors
    /// As [`SendQueue::send`].
    pub async fn edit<R>(&self, request: R) -> Result<(), RequestError>
    where
        R: Request<Err = RequestError> + Send + 'static,
        R::Payload: Addressed,
        Output<R>: Send + 'static,
    {
        match self.send(request).await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Queues `request` without waiting for it: for edits that follow a button press, which is
    /// answered at once while the edit waits its turn. A failure is logged (`what` says what
    /// it was); "not modified" counts as done.
    pub fn post<R>(&self, request: R, what: &'static str)
    where
        R: Request<Err = RequestError> + Send + 'static,
        R::Payload: Addressed,
        Output<R>: Send + 'static,
    {
        self.enqueue(request, Reply::Detached(what));
    }

    /// What went through so far and what waits now.
    #[must_use]
    pub fn stats(&self) -> QueueStats {
        let inner = &self.inner;
        QueueStats {
            sent: inner.sent.load(Ordering::Relaxed),
            retried: inner.retried.load(Ordering::Relaxed),
            waiting: inner.waiting.load(Ordering::Relaxed),
            lanes: inner.lanes().len(),
        }
    }

    fn enqueue<R>(&self, request: R, reply: Reply<Output<R>>)
    where
        R: Request<Err = RequestError> + Send + 'static,
        R::Payload: Addressed,
        Output<R>: Send + 'static,
    {
        let lane = request
            .payload_ref()
            .chat()
            .map_or(Lane::Unbound, Lane::Chat);
        let job: Job = Box::new(Pending {
            request,
            reply,
            retries: 0,
        });
        self.inner.waiting.fetch_add(1, Ordering::Relaxed);
        let mut lanes = self.inner.lanes();
        let job = match lanes.get(&lane) {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                // The lane's task is gone (it panicked): start a new one with the job.
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(job);
        lanes.insert(lane, tx);
        drop(lanes);
        tokio::spawn(run_lane(self.inner.clone(), lane, rx));
    }
}

impl Inner {
    fn lanes(&self) -> MutexGuard<'_, HashMap<Lane, mpsc::UnboundedSender<Job>>> {
        self.lanes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a bot-wide slot, in turn with the other lanes.
    async fn global_slot(&self) {
        let Some(global) = &self.global else {
            return;
        };
        let _turn = self.turn.lock().await;
        loop {
            let taken = global
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(Instant::now());
            match taken {
                Ok(()) => return,
                Err(free_at) => tokio::time::sleep_until(free_at).await,
            }
        }
    }

    /// Sends one job once its turn comes, waiting out 429s.
    async fn run(&self, pace: &mut Pace, mut job: Job) {
        loop {
            tokio::time::sleep_until(pace.ready_at).await;
            self.global_slot().await;
            let answer = job.attempt().await;
            pace.answered(answer.unwrap_or_default());
            match answer {
                None => {
                    self.sent.fetch_add(1, Ordering::Relaxed);
                    self.waiting.fetch_sub(1, Ordering::Relaxed);
                    return;
                }
                Some(wait) => {
                    self.retried.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(seconds = wait.as_secs(), "telegram asked us to slow down");
                }
            }
        }
    }
}

/// A lane: sends its chat's jobs in order, then lingers until its interval has passed since
/// the last message (so a new lane for the chat cannot send too soon) and ends.
async fn run_lane(inner: Arc<Inner>, lane: Lane, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut pace = Pace::new(inner.limits.interval(lane));
    loop {
        let linger = pace.ready_at.saturating_duration_since(Instant::now());
        let job = match tokio::time::timeout(linger, jobs.recv()).await {
            Ok(Some(job)) => job,
            Ok(None) => return,
            Err(_) => {
                // Checked again under the map's lock, so a job queued meanwhile is not lost.
                let mut lanes = inner.lanes();
                match jobs.try_recv() {
                    Ok(job) => job,
                    Err(_) => {
                        lanes.remove(&lane);
                        return;
                    }
                }
            }
        };
        inner.run(&mut pace, job).await;
    }
}

/// One lane's pacing: when its next message may go.
struct Pace {
    interval: Duration,
    ready_at: Instant,
}

impl Pace {
    fn new(interval: Duration) -> Self {
        Self {
            interval,
            ready_at: Instant::now(),
        }
    }

    /// Telegram answered the lane's last call just now, asking for `wait` (a 429's
    /// `retry_after`; zero otherwise): the next call goes after both that and the interval.
    fn answered(&mut self, wait: Duration) {
        self.ready_at = Instant::now() + self.interval.max(wait);
    }
}

type Job = Box<dyn Attempt>;

/// One queued request, type-erased so one lane carries any method.
trait Attempt: Send {
    /// Makes the call once: `None` when done (answered or failed for good), `Some(wait)` for a
    /// 429 to wait out before trying again.
    fn attempt(&mut self) -> Pin<Box<dyn Future<Output = Option<Duration>> + Send + '_>>;
}

enum Reply<T> {
    /// Someone waits for the answer.
    Wait(oneshot::Sender<Result<T, RequestError>>),
    /// Nobody waits: log a failure, saying what it was.
    Detached(&'static str),
}

struct Pending<R: Request> {
    request: R,
    reply: Reply<Output<R>>,
    retries: u32,
}

impl<R> Attempt for Pending<R>
where
    R: Request<Err = RequestError> + Send + 'static,
    Output<R>: Send + 'static,
{
    fn attempt(&mut self) -> Pin<Box<dyn Future<Output = Option<Duration>> + Send + '_>> {
        let call = self.request.send_ref();
        Box::pin(async move {
            match call.await {
                Err(RequestError::RetryAfter(wait)) if self.retries < MAX_RETRIES => {
                    self.retries += 1;
                    Some(wait.duration().min(MAX_WAIT))
                }
                outcome => {
                    match std::mem::replace(&mut self.reply, Reply::Detached("")) {
                        Reply::Wait(reply) => {
                            let _ = reply.send(outcome);
                        }
                        Reply::Detached(what) => match outcome {
                            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
                            Err(error) => tracing::warn!(%error, "could not {what}"),
                        },
                    }
                    None
                }
            }
        })
    }
}

fn recipient(to: &Recipient) -> Option<ChatId> {
    match to {
        Recipient::Id(chat) => Some(*chat),
        Recipient::ChannelUsername(_) => None,
    }
}

macro_rules! to_chat {
    ($($payload:ident),* $(,)?) => {$(
        impl Addressed for payloads::$payload {
            fn chat(&self) -> Option<ChatId> {
                recipient(&self.chat_id)
            }
        }
    )*};
}

macro_rules! to_inline_message {
    ($($payload:ident),* $(,)?) => {$(
        impl Addressed for payloads::$payload {
            fn chat(&self) -> Option<ChatId> {
                None
            }
        }
    )*};
}

to_chat!(
    SendMessage,
    SendPhoto,
    SendMediaGroup,
    SendDocument,
    CopyMessage,
    ForwardMessage,
    EditMessageText,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    DeleteMessage,
);

to_inline_message!(
    EditMessageTextInline,
    EditMessageCaptionInline,
    EditMessageMediaInline,
    EditMessageReplyMarkupInline,
);

#[cfg(test)]
mod tests;
mod window;

use window::SlidingWindow;
