//! A small fake of Discord's gateway for the bot's serenity client: a websocket on loopback
//! speaking plain text JSON (serenity asks for no compression) — HELLO on connect, READY after IDENTIFY (with
//! every field serenity needs), an ACK for each heartbeat — and a harness to push
//! `INTERACTION_CREATE` dispatches to the connected bot, as Discord does when a member types a
//! command or presses a button. Pair it with [`crate::discord::start_with_gateway`], whose
//! `GET /api/v10/gateway` hands out this fake's URL.
//!
//! Discord also drops connections and asks clients to come back; the harness can do the same
//! ([`FakeGateway::reconnect`], [`FakeGateway::invalidate_session`], [`FakeGateway::drop_connections`]),
//! and a RESUME (op 6) of the session READY named is answered with RESUMED, as Discord does,
//! READY's `resume_gateway_url` pointing back here.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::discord::{APPLICATION_ID, GUILD_ID, user};

/// The heartbeat interval HELLO announces, in milliseconds.
const HEARTBEAT_MS: u64 = 41_250;

/// A running fake gateway.
pub struct FakeGateway {
    /// `ws://127.0.0.1:PORT`, what `GET /gateway` answers.
    pub url: String,
    state: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Default)]
struct Shared {
    /// The IDENTIFY payloads received (`d`), in order.
    identified: Mutex<Vec<Value>>,
    /// Heartbeats received.
    heartbeats: Mutex<u64>,
    /// Dispatches to push to every session that is past READY.
    outbox: Mutex<Option<broadcast::Sender<Value>>>,
    /// The RESUME payloads received (`d`), in order.
    resumed: Mutex<Vec<Value>>,
    /// Orders for every open connection.
    control: Mutex<Option<broadcast::Sender<Control>>>,
    /// `ws://127.0.0.1:PORT`, sent as READY's `resume_gateway_url`.
    url: Mutex<String>,
}

/// What the harness can make every open connection do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    /// Send RECONNECT (op 7): the client should close and resume.
    Reconnect,
    /// Send INVALID_SESSION (op 9) with whether the session may be resumed.
    InvalidSession(bool),
    /// Close the connection without a word.
    Drop,
}

impl FakeGateway {
    /// Listens on 127.0.0.1:0.
    pub async fn start() -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake gateway on loopback");
        let url = format!("ws://{}", listener.local_addr().expect("local addr"));
        let (sender, _) = broadcast::channel(256);
        let (control, _) = broadcast::channel(16);
        let state = Arc::new(Shared {
            outbox: Mutex::new(Some(sender)),
            control: Mutex::new(Some(control)),
            url: Mutex::new(url.clone()),
            ..Shared::default()
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        FakeGateway { url, state, task }
    }

    /// The IDENTIFY payloads sessions sent (token, intents, properties…).
    pub fn identified(&self) -> Vec<Value> {
        self.state.identified.lock().expect("lock").clone()
    }

    /// The RESUME payloads connections sent (token, session id, last sequence).
    pub fn resumed(&self) -> Vec<Value> {
        self.state.resumed.lock().expect("lock").clone()
    }

    /// Asks every open connection to reconnect (op 7), as Discord does before it moves a
    /// session; returns how many were asked.
    pub fn reconnect(&self) -> usize {
        self.order(Control::Reconnect)
    }

    /// Tells every open connection its session is invalid (op 9); `resumable` says whether it
    /// may resume it or must identify anew.
    pub fn invalidate_session(&self, resumable: bool) -> usize {
        self.order(Control::InvalidSession(resumable))
    }

    /// Closes every open connection abruptly, as a network failure would.
    pub fn drop_connections(&self) -> usize {
        self.order(Control::Drop)
    }

    fn order(&self, control: Control) -> usize {
        let sender = self.state.control.lock().expect("lock");
        sender.as_ref().map_or(0, |s| s.send(control).unwrap_or(0))
    }

    /// Waits until `count` RESUMEs have been answered (20 s at most).
    pub async fn wait_resumed(&self, count: usize) -> bool {
        for _ in 0..400 {
            if self.resumed().len() >= count {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Waits until `count` IDENTIFYs have been answered with READY (20 s at most).
    pub async fn wait_identified(&self, count: usize) -> bool {
        for _ in 0..400 {
            if self.identified().len() >= count {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Waits until a session has identified and been sent READY (20 s at most).
    pub async fn wait_ready(&self) -> Option<Value> {
        for _ in 0..400 {
            if let Some(first) = self.identified().into_iter().next() {
                return Some(first);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Pushes `interaction` (as built by [`crate::discord`]) to every ready session as an
    /// `INTERACTION_CREATE` dispatch; returns how many sessions got it.
    pub fn inject(&self, interaction: &Value) -> usize {
        let outbox = self.state.outbox.lock().expect("lock");
        let Some(sender) = outbox.as_ref() else {
            return 0;
        };
        sender.send(interaction.clone()).unwrap_or(0)
    }
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One bot connection: HELLO, then answers to what it sends, and injected dispatches once it
/// has identified.
async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let mut control = match shared.control.lock().expect("lock").as_ref() {
        Some(sender) => sender.subscribe(),
        None => return,
    };
    let hello =
        json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": HEARTBEAT_MS } });
    if socket.send(text(&hello)).await.is_err() {
        return;
    }
    let mut seq = 0u64;
    let mut dispatches: Option<broadcast::Receiver<Value>> = None;
    loop {
        let injected = async {
            match dispatches.as_mut() {
                Some(rx) => rx.recv().await.ok(),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            frame = socket.next() => {
                let Some(Ok(frame)) = frame else { return };
                if matches!(frame, Message::Close(_)) { return; }
                let Some(payload) = parse(&frame) else { continue };
                let answer = match payload["op"].as_u64() {
                    Some(1) => {
                        *shared.heartbeats.lock().expect("lock") += 1;
                        json!({ "op": 11 })
                    }
                    Some(2) => {
                        seq += 1;
                        let url = shared.url.lock().expect("lock").clone();
                        dispatch("READY", seq, ready(&payload["d"], &url))
                    }
                    Some(6) => {
                        // RESUME: the session goes on from the client's last sequence.
                        seq = payload["d"]["seq"].as_u64().unwrap_or(seq) + 1;
                        dispatch("RESUMED", seq, json!({}))
                    }
                    _ => continue,
                };
                if socket.send(text(&answer)).await.is_err() { return; }
                let log = match payload["op"].as_u64() {
                    Some(2) => &shared.identified,
                    Some(6) => &shared.resumed,
                    _ => continue,
                };
                // Subscribed before it is logged, so a test that saw the log can inject.
                if dispatches.is_none() {
                    dispatches = shared.outbox.lock().expect("lock").as_ref().map(broadcast::Sender::subscribe);
                }
                log.lock().expect("lock").push(payload["d"].clone());
            }
            Some(interaction) = injected => {
                seq += 1;
                let event = dispatch("INTERACTION_CREATE", seq, interaction);
                if socket.send(text(&event)).await.is_err() { return; }
            }
            Ok(order) = control.recv() => {
                let frame = match order {
                    Control::Reconnect => json!({ "op": 7, "s": null, "t": null, "d": null }),
                    Control::InvalidSession(resumable) => {
                        json!({ "op": 9, "s": null, "t": null, "d": resumable })
                    }
                    Control::Drop => return,
                };
                // Past this the client reconnects: no more dispatches on this connection.
                dispatches = None;
                if socket.send(text(&frame)).await.is_err() { return; }
            }
        }
    }
}

/// A dispatch frame (op 0).
fn dispatch(name: &str, seq: u64, data: Value) -> Value {
    json!({ "op": 0, "s": seq, "t": name, "d": data })
}

/// READY for an IDENTIFY: the bot user, one unavailable guild, a session, the shard asked
/// for, and the application — all fields serenity's `Ready` requires.
fn ready(identify: &Value, url: &str) -> Value {
    let mut me = user(APPLICATION_ID, "usher");
    me["bot"] = json!(true);
    me["verified"] = json!(true);
    me["mfa_enabled"] = json!(false);
    json!({
        "v": 10,
        "user": me,
        "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
        "session_id": "fake-session",
        "resume_gateway_url": url,
        "shard": identify.get("shard").cloned().unwrap_or(json!([0, 1])),
        "application": { "id": APPLICATION_ID.to_string(), "flags": 0 },
        "private_channels": [],
        "presences": [],
        "relationships": [],
    })
}

fn text(value: &Value) -> Message {
    Message::Text(value.to_string())
}

/// A JSON text frame's payload; anything else (pings, binary, close) is not a payload.
fn parse(frame: &Message) -> Option<Value> {
    match frame {
        Message::Text(body) => serde_json::from_str(body).ok(),
        _ => None,
    }
}
