//! What each chat front door of this process is doing right now — connected, still trying to
//! reach its platform, or standing by while another replica leads — so an operator sees a bot
//! that cannot reach Telegram or Discord in `/readyz` and `/metrics` instead of in silence.
//!
//! One process-wide table ([`global`]), like [`crate::metrics::global`]: the bots' supervisors
//! write it and the web crate reads it, and the two meet nowhere else.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

/// The state of one front door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorState {
    /// Starting, or waiting for the platform to answer (with the last reason in the detail).
    Connecting,
    /// Receiving updates from the platform.
    Up,
    /// Another replica holds the platform's connection; this one takes over if it dies.
    Standby,
}

impl DoorState {
    /// The word shown in `/readyz`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Up => "up",
            Self::Standby => "standby",
        }
    }
}

/// The front doors' states by platform (`telegram`, `discord`), each with a detail.
#[derive(Debug, Default)]
pub struct FrontDoors {
    doors: Mutex<BTreeMap<&'static str, (DoorState, String)>>,
}

impl FrontDoors {
    /// Records `platform`'s state and why, and mirrors it in `usher_chat_bot_up`.
    pub fn set(&self, platform: &'static str, state: DoorState, detail: impl Into<String>) {
        crate::metrics::global().chat_bot_state(platform, state);
        let mut doors = self.doors.lock().unwrap_or_else(|p| p.into_inner());
        doors.insert(platform, (state, detail.into()));
    }

    /// Every front door this process runs, by platform name.
    pub fn report(&self) -> Vec<(&'static str, DoorState, String)> {
        let doors = self.doors.lock().unwrap_or_else(|p| p.into_inner());
        doors
            .iter()
            .map(|(platform, (state, detail))| (*platform, *state, detail.clone()))
            .collect()
    }
}

/// The process-wide table the bot supervisors write and `/readyz` reads.
pub fn global() -> &'static FrontDoors {
    static GLOBAL: OnceLock<FrontDoors> = OnceLock::new();
    GLOBAL.get_or_init(FrontDoors::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_state_of_each_door_is_reported() {
        let doors = FrontDoors::default();
        doors.set("telegram", DoorState::Connecting, "getMe failed: timed out");
        doors.set("discord", DoorState::Standby, "");
        doors.set("telegram", DoorState::Up, "");
        assert_eq!(
            doors.report(),
            vec![
                ("discord", DoorState::Standby, String::new()),
                ("telegram", DoorState::Up, String::new()),
            ]
        );
    }
}
