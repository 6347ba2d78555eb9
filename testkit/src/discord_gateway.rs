//! A small fake of Discord's gateway for the poise bot: a websocket on loopback speaking plain
//! text JSON (serenity asks for no compression) — HELLO on connect, READY after IDENTIFY (with
//! every field serenity needs), an ACK for each heartbeat — and a harness to push
//! `INTERACTION_CREATE` dispatches to the connected bot, as Discord does when a member types a
//! command or presses a button. Pair it with [`crate::discord::start_with_gateway`], whose
//! `GET /api/v10/gateway` hands out this fake's URL.

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
}

impl FakeGateway {
    /// Listens on 127.0.0.1:0.
    pub async fn start() -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake gateway on loopback");
        let url = format!("ws://{}", listener.local_addr().expect("local addr"));
        let (sender, _) = broadcast::channel(256);
        let state = Arc::new(Shared {
            outbox: Mutex::new(Some(sender)),
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
                let Some(payload) = parse(&frame) else { continue };
                match payload["op"].as_u64() {
                    Some(1) => {
                        *shared.heartbeats.lock().expect("lock") += 1;
                        if socket.send(text(&json!({ "op": 11 }))).await.is_err() { return; }
                    }
                    Some(2) => {
                        seq += 1;
                        let ready = dispatch("READY", seq, ready(&payload["d"]));
                        if socket.send(text(&ready)).await.is_err() { return; }
                        dispatches = shared.outbox.lock().expect("lock").as_ref().map(broadcast::Sender::subscribe);
                        shared.identified.lock().expect("lock").push(payload["d"].clone());
                    }
                    _ => {}
                }
            }
            Some(interaction) = injected => {
                seq += 1;
                let event = dispatch("INTERACTION_CREATE", seq, interaction);
                if socket.send(text(&event)).await.is_err() { return; }
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
fn ready(identify: &Value) -> Value {
    let mut me = user(APPLICATION_ID, "usher");
    me["bot"] = json!(true);
    me["verified"] = json!(true);
    me["mfa_enabled"] = json!(false);
    json!({
        "v": 10,
        "user": me,
        "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
        "session_id": "fake-session",
        "resume_gateway_url": "ws://127.0.0.1:9",
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
