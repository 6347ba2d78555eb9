//! A fake SMTP server on loopback: it speaks just enough SMTP (EHLO/HELO, AUTH PLAIN/LOGIN,
//! MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) for `lettre` to deliver to it over plain TCP,
//! and records every accepted mail so a test can read its envelope, headers and body.
//!
//! It can refuse recipients (a permanent `550`, as a server without that mailbox answers) and
//! require a login, so tests see the e-mail agent's failures as well as its deliveries.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One mail the fake accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`).
    pub from: String,
    /// The envelope recipients (`RCPT TO`), in order.
    pub to: Vec<String>,
    /// Who logged in for this mail, when someone did.
    pub login: Option<String>,
    /// The message as sent after `DATA`, dot-stuffing undone, lines joined by `\r\n`.
    pub data: String,
}

impl ReceivedMail {
    /// A header's (unfolded) value, its name matched without regard to case.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut found: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(value) = found.as_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if found.is_some() {
                break;
            }
            if let Some((key, value)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                found = Some(value.trim().to_owned());
            }
        }
        found
    }

    /// The body: everything after the blank line that ends the headers.
    pub fn body(&self) -> &str {
        self.data
            .split_once("\r\n\r\n")
            .map_or("", |(_, body)| body)
    }
}

/// What the fake should do beyond accepting mail.
#[derive(Debug, Clone, Default)]
struct Rules {
    /// Recipients answered with `550` (compared without regard to case).
    refused: Vec<String>,
    /// The only login accepted, when one is required.
    login: Option<(String, String)>,
}

/// A running fake SMTP server.
pub struct FakeSmtp {
    /// The host it listens on (`127.0.0.1`).
    pub host: String,
    /// Its port.
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    rules: Arc<Mutex<Rules>>,
    task: JoinHandle<()>,
}

impl FakeSmtp {
    /// Listens on 127.0.0.1:0 and serves each connection on its own task.
    pub async fn start() -> FakeSmtp {
        Self::start_on(0).await
    }

    /// Listens on 127.0.0.1:`port` (a server coming back where a dead one was).
    pub async fn start_on(port: u16) -> FakeSmtp {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the fake SMTP server");
        let port = listener.local_addr().expect("local addr").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let rules = Arc::new(Mutex::new(Rules::default()));
        let (m, r) = (mails.clone(), rules.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let session = Session::new(m.clone(), r.clone());
                tokio::spawn(session.serve(stream));
            }
        });
        FakeSmtp {
            host: "127.0.0.1".into(),
            port,
            mails,
            rules,
            task,
        }
    }

    /// Every mail accepted so far, in order.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.mails.lock().expect("mails").clone()
    }

    /// From now on, `RCPT TO` this address is answered `550 no such mailbox`.
    pub fn refuse_recipient(&self, address: &str) {
        self.rules
            .lock()
            .expect("rules")
            .refused
            .push(address.to_owned());
    }

    /// From now on, every recipient is taken again.
    pub fn accept_all(&self) {
        self.rules.lock().expect("rules").refused.clear();
    }

    /// From now on, mail is taken only after a login with exactly this user and password.
    pub fn require_login(&self, user: &str, password: &str) {
        self.rules.lock().expect("rules").login = Some((user.to_owned(), password.to_owned()));
    }
}

impl Drop for FakeSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection's state.
struct Session {
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    rules: Arc<Mutex<Rules>>,
    login: Option<String>,
    from: Option<String>,
    to: Vec<String>,
}

/// What one command line asks of the connection.
enum Next {
    Reply(String),
    Data,
    Login(String),
    Quit,
}

impl Session {
    fn new(mails: Arc<Mutex<Vec<ReceivedMail>>>, rules: Arc<Mutex<Rules>>) -> Self {
        Self {
            mails,
            rules,
            login: None,
            from: None,
            to: Vec::new(),
        }
    }

    async fn serve(mut self, stream: TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        if write
            .write_all(b"220 fake-smtp ESMTP ready\r\n")
            .await
            .is_err()
        {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let reply = match self.command(&line) {
                Next::Reply(reply) => reply,
                Next::Quit => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                Next::Data => {
                    if write.write_all(b"354 end with .\r\n").await.is_err() {
                        return;
                    }
                    let mut data = Vec::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        data.push(line.strip_prefix('.').unwrap_or(&line).to_owned());
                    }
                    self.take(data.join("\r\n"))
                }
                Next::Login(user_prompt) => {
                    let user = if user_prompt.is_empty() {
                        let _ = write.write_all(b"334 VXNlcm5hbWU6\r\n").await;
                        lines.next_line().await.ok().flatten().unwrap_or_default()
                    } else {
                        user_prompt
                    };
                    let _ = write.write_all(b"334 UGFzc3dvcmQ6\r\n").await;
                    let pass = lines.next_line().await.ok().flatten().unwrap_or_default();
                    self.check_login(&decode(&user), &decode(&pass))
                }
            };
            if write.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    fn command(&mut self, line: &str) -> Next {
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let reply = |text: &str| Next::Reply(format!("{text}\r\n"));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => reply("250-fake-smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME"),
            "HELO" => reply("250 fake-smtp"),
            "AUTH" => self.auth(rest),
            "MAIL" => self.mail_from(rest),
            "RCPT" => self.rcpt_to(rest),
            "DATA" if self.from.is_none() || self.to.is_empty() => {
                reply("503 need MAIL and RCPT first")
            }
            "DATA" => Next::Data,
            "RSET" => {
                self.from = None;
                self.to.clear();
                reply("250 reset")
            }
            "NOOP" => reply("250 ok"),
            "QUIT" => Next::Quit,
            _ => reply("502 command not implemented"),
        }
    }

    fn auth(&mut self, rest: &str) -> Next {
        let (mechanism, initial) = rest.split_once(' ').unwrap_or((rest, ""));
        match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let decoded = decode(initial);
                let mut parts = decoded.split('\0').skip(1);
                let user = parts.next().unwrap_or_default().to_owned();
                let pass = parts.next().unwrap_or_default().to_owned();
                Next::Reply(self.check_login(&user, &pass))
            }
            "LOGIN" => Next::Login(initial.to_owned()),
            _ => Next::Reply("504 unknown mechanism\r\n".into()),
        }
    }

    fn check_login(&mut self, user: &str, pass: &str) -> String {
        let wanted = self.rules.lock().expect("rules").login.clone();
        match wanted {
            Some((u, p)) if u != user || p != pass => "535 bad credentials\r\n".into(),
            _ => {
                self.login = Some(user.to_owned());
                "235 authenticated\r\n".into()
            }
        }
    }

    fn mail_from(&mut self, rest: &str) -> Next {
        let wants_login = self.rules.lock().expect("rules").login.is_some();
        if wants_login && self.login.is_none() {
            return Next::Reply("530 authentication required\r\n".into());
        }
        self.from = Some(address(rest));
        self.to.clear();
        Next::Reply("250 sender ok\r\n".into())
    }

    fn rcpt_to(&mut self, rest: &str) -> Next {
        if self.from.is_none() {
            return Next::Reply("503 need MAIL first\r\n".into());
        }
        let to = address(rest);
        let refused = self.rules.lock().expect("rules").refused.clone();
        if refused.iter().any(|r| r.eq_ignore_ascii_case(&to)) {
            return Next::Reply("550 no such mailbox\r\n".into());
        }
        self.to.push(to);
        Next::Reply("250 recipient ok\r\n".into())
    }

    fn take(&mut self, data: String) -> String {
        let mail = ReceivedMail {
            from: self.from.take().unwrap_or_default(),
            to: std::mem::take(&mut self.to),
            login: self.login.clone(),
            data,
        };
        self.mails.lock().expect("mails").push(mail);
        "250 queued as fake\r\n".into()
    }
}

/// The address inside `FROM:<a@b> SIZE=…` or `TO:<a@b>`.
fn address(rest: &str) -> String {
    let start = rest.find('<').map_or(0, |i| i + 1);
    let end = rest.find('>').unwrap_or(rest.len());
    rest.get(start..end).unwrap_or_default().to_owned()
}

fn decode(text: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
