//! The person behind an interaction, resolved once at the edge: the Discord user, the roles
//! they hold in the guild they pressed in (none can be seen in a DM) and their client's locale
//! become core's [`Contact`], and core's `UserService::caller` answers with the [`Caller`]
//! every handler then receives — from its cache when they pressed recently.

use serenity::model::application::Interaction;
use serenity::model::guild::Member;
use usher_core::CoreResult;
use usher_core::domain::Platform;
use usher_core::service::users::DISCORD_ADMINISTRATOR;
use usher_core::service::{Caller, Contact};

use super::{DiscordBot, display_name};

impl DiscordBot {
    /// The caller behind `interaction`; `None` for one with no person (PING). In a guild, core
    /// checks the member roles that gate the bot, registers a newcomer as the settings say and
    /// brings the Usher roles in line with the Discord roles held now (a lost role takes its
    /// Usher role back); the guild owner and ADMINISTRATOR holders are reported as
    /// [`DISCORD_ADMINISTRATOR`]. In a DM no roles can be seen: when member roles gate the
    /// bot, only accounts Usher already knows are served there. On the way, core learns the
    /// member's Discord language (for DMs and cards later).
    pub(in crate::discord) async fn caller(
        &self,
        interaction: &Interaction,
    ) -> Option<CoreResult<Caller>> {
        let (user, member, locale) = match interaction {
            Interaction::Command(c) | Interaction::Autocomplete(c) => {
                (&c.user, c.member.as_deref(), c.locale.as_str())
            }
            Interaction::Component(p) => (&p.user, p.member.as_ref(), p.locale.as_str()),
            Interaction::Modal(m) => (&m.user, m.member.as_ref(), m.locale.as_str()),
            _ => return None,
        };
        let id = user.id.get().to_string();
        let display = display_name(user);
        let held = member.map(held_roles);
        let contact = Contact {
            platform: Platform::Discord,
            external_id: &id,
            display: &display,
            client_language: Some(locale).filter(|l| !l.trim().is_empty()),
            held: held.as_deref(),
        };
        let users = &self.services().users;
        Some(
            users
                .caller(&contact, &self.inner.access, self.catalog())
                .await,
        )
    }
}

/// The Discord roles a member holds, as core's role map reads them: their role ids, and
/// [`DISCORD_ADMINISTRATOR`] when their permissions carry ADMINISTRATOR (which Discord sets
/// for the guild owner too).
fn held_roles(member: &Member) -> Vec<String> {
    let mut held: Vec<String> = member.roles.iter().map(|r| r.get().to_string()).collect();
    if member.permissions.is_some_and(|p| p.administrator()) {
        held.push(DISCORD_ADMINISTRATOR.to_owned());
    }
    held
}
