//! Where a person is told: the one rule both the fan-out and its tests use.

use crate::domain::{Identity, Platform};

/// The account to reach someone on: their account on `preferred` (where they asked or
/// followed from) when that platform runs, else their first account on a running chat platform,
/// in the order of `running`. `None` for people with no chat account on a running platform
/// (console-only users): there is nowhere to write to them.
pub fn reach<'a>(
    identities: &'a [Identity],
    preferred: Option<Platform>,
    running: &[Platform],
) -> Option<&'a Identity> {
    let on = |platform: Platform| identities.iter().find(|i| i.platform == platform);
    preferred
        .filter(|p| running.contains(p))
        .and_then(on)
        .or_else(|| running.iter().find_map(|p| on(*p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UserId;

    fn id(platform: Platform, external: &str) -> Identity {
        Identity {
            user_id: UserId(1),
            platform,
            external_id: external.into(),
            display: "x".into(),
        }
    }

    #[test]
    fn the_preferred_platform_wins_when_it_runs() {
        let both = [id(Platform::Telegram, "7"), id(Platform::Discord, "99")];
        let running = [Platform::Telegram, Platform::Discord];
        let got = reach(&both, Some(Platform::Discord), &running);
        assert_eq!(got.map(|i| i.external_id.as_str()), Some("99"));
        let got = reach(&both, Some(Platform::Telegram), &running);
        assert_eq!(got.map(|i| i.external_id.as_str()), Some("7"));
    }

    #[test]
    fn otherwise_the_first_running_platform_they_are_on() {
        let discord_only = [id(Platform::Oidc, "iss|sub"), id(Platform::Discord, "99")];
        let running = [Platform::Telegram, Platform::Discord];
        let got = reach(&discord_only, Some(Platform::Telegram), &running);
        assert_eq!(got.map(|i| i.platform), Some(Platform::Discord));
        let got = reach(&discord_only, Some(Platform::Web), &running);
        assert_eq!(got.map(|i| i.platform), Some(Platform::Discord));
        let both = [id(Platform::Telegram, "7"), id(Platform::Discord, "99")];
        let got = reach(&both, Some(Platform::Discord), &[Platform::Telegram]);
        assert_eq!(got.map(|i| i.platform), Some(Platform::Telegram));
    }

    #[test]
    fn nobody_without_a_chat_account_on_a_running_platform() {
        let web = [id(Platform::Oidc, "iss|sub")];
        assert!(reach(&web, None, &[Platform::Telegram, Platform::Discord]).is_none());
        let discord = [id(Platform::Discord, "99")];
        assert!(reach(&discord, Some(Platform::Discord), &[Platform::Telegram]).is_none());
    }
}
