//! Who is behind an update, resolved once at a platform's edge.
//!
//! Every chat update and console request starts by turning a platform identity into a
//! [`Caller`]: the Usher user, the actor for the audit trail, the language to answer in and
//! what they may do. Doing that per handler cost several reads per press (the person was
//! resolved two or three times); here it is done once, and a short-lived cache answers the
//! next press of the same person without touching the database. Authorization does not rely on
//! the cache: core re-reads permissions inside each state-changing transaction, so a stale entry
//! can at worst show a button that core then refuses. This service drops entries whenever it
//! changes a user, a role or a language, so the person's next press sees the change.

use std::time::Duration;

use moka::future::Cache;

use super::{Registration, RoleMap, UserService};
use crate::domain::{Actor, ContentLimit, Permission, Permissions, Platform, Source, User};
use crate::error::{CoreError, CoreResult};
use crate::i18n::Catalog;
use crate::store::users::{self, Standing};

/// How long a resolved person is trusted before their next press reads them again. Short, so
/// a change made by another replica shows within it.
const TTL: Duration = Duration::from_secs(30);

/// People remembered at once; a community's active members fit many times over.
const CAPACITY: u64 = 10_000;

/// The person behind one update, as every handler receives it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Their Usher user.
    pub user: User,
    /// Who to act as: the user, from where they pressed.
    pub actor: Actor,
    /// The language to answer in, one the catalogue ships: their choice, else their client's.
    pub language: String,
    /// What they may do, for what a card offers (core re-checks every action).
    pub permissions: Permissions,
    /// What they may be offered: the strictest content limit among their roles.
    pub content_limit: ContentLimit,
}

impl Caller {
    /// Whether they hold a permission (to decide which buttons to show).
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.allows(permission)
    }
}

/// What a platform knows of the person behind an update.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// Where they are.
    pub platform: Platform,
    /// Their account id there.
    pub external_id: &'a str,
    /// The name the platform shows, for a newcomer's record.
    pub display: &'a str,
    /// The language their client reports, if any.
    pub client_language: Option<&'a str>,
    /// The platform roles they hold where they pressed (a Discord guild); `None` where no
    /// roles can be seen (a DM, Telegram).
    pub held: Option<&'a [String]>,
}

/// How a platform admits people: who may register, and which platform roles carry Usher
/// roles (empty for Telegram).
#[derive(Debug, Clone)]
pub struct Admission {
    /// What to do with someone never seen before.
    pub registration: Registration,
    /// Platform roles that carry Usher roles and gate the bot.
    pub roles: RoleMap,
}

/// The cache key: the same person pressing with other roles or another client language is
/// read again, so role changes and language changes are applied on the next press.
type Key = (Platform, String, Option<String>, Option<Vec<String>>);

/// The remembered callers, shared by every clone of [`UserService`].
#[derive(Clone)]
pub(super) struct CallerCache(Cache<Key, Caller>);

impl std::fmt::Debug for CallerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallerCache")
            .field("entries", &self.0.entry_count())
            .finish()
    }
}

impl Default for CallerCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TTL)
                .build(),
        )
    }
}

impl CallerCache {
    /// Forgets everyone: a role, permission, quota or language changed somewhere.
    pub(super) fn forget_all(&self) {
        self.0.invalidate_all();
    }
}

impl UserService {
    /// The caller behind a platform contact, from the cache when they pressed recently. A
    /// newcomer is registered as `admission` says; a Discord member's roles are brought in
    /// line with the roles they hold; the client language is noted for later DMs. Refusals are
    /// [`CoreError::Forbidden`] (not registered, not a member, disabled) and are not cached.
    pub async fn caller(
        &self,
        contact: &Contact<'_>,
        admission: &Admission,
        catalog: &Catalog,
    ) -> CoreResult<Caller> {
        let key: Key = (
            contact.platform,
            contact.external_id.to_owned(),
            contact.client_language.map(str::to_owned),
            contact.held.map(<[String]>::to_vec),
        );
        if let Some(known) = self.callers.0.get(&key).await {
            return Ok(known);
        }
        let caller = self.read_caller(contact, admission, catalog).await?;
        self.callers.0.insert(key, caller.clone()).await;
        Ok(caller)
    }

    /// Forgets every remembered caller, so the next press of each reads them again. Core's
    /// own changes do this; it is public for changes made outside this process's services
    /// (a notification from another replica).
    pub fn forget_callers(&self) {
        self.callers.forget_all();
    }

    /// Reads the caller from the database, registering and noting what the contact says.
    async fn read_caller(
        &self,
        contact: &Contact<'_>,
        admission: &Admission,
        catalog: &Catalog,
    ) -> CoreResult<Caller> {
        if contact.held.is_none()
            && let Some(known) = self.known_caller(contact, catalog).await?
        {
            return Ok(known);
        }
        let Contact {
            platform,
            external_id,
            display,
            client_language,
            held,
        } = *contact;
        let user = match held {
            Some(held) => {
                let member = super::GuildMember {
                    platform,
                    external_id,
                    display,
                    held,
                };
                self.meet_in_guild(&member, admission.registration, &admission.roles)
                    .await?
            }
            None => {
                let registration = if admission.roles.gates() {
                    Registration::Refuse
                } else {
                    admission.registration
                };
                self.resolve(platform, external_id, display, registration)
                    .await?
            }
        };
        if let Some(locale) = client_language {
            self.note_locale(platform, external_id, locale).await?;
        }
        let found = users::read_standing(&self.db, user.id)
            .await?
            .ok_or_else(|| CoreError::Forbidden("unknown user".into()))?;
        if found.user.disabled {
            return Err(CoreError::Forbidden("this account is disabled".into()));
        }
        Ok(made(contact, catalog, found))
    }

    /// A sender Usher knows, where no platform roles are in play (Telegram, a DM), in one
    /// read; the language the client reports is stored only when it changed. `None` for
    /// someone new, who takes the registering path.
    async fn known_caller(
        &self,
        contact: &Contact<'_>,
        catalog: &Catalog,
    ) -> CoreResult<Option<Caller>> {
        let found = users::read_caller(&self.db, contact.platform, contact.external_id).await?;
        let Some((found, reported)) = found else {
            return Ok(None);
        };
        if found.user.disabled {
            return Err(CoreError::Forbidden("this account is disabled".into()));
        }
        if let Some(locale) = contact.client_language
            && reported.as_deref() != Some(locale.trim())
        {
            self.note_locale(contact.platform, contact.external_id, locale)
                .await?;
        }
        Ok(Some(made(contact, catalog, found)))
    }
}

/// The caller for a contact's user: the language their choice or client asks for (one the
/// catalogue ships), acting from the platform they pressed on, with what their roles allow
/// and the strictest content limit among them.
fn made(
    contact: &Contact<'_>,
    catalog: &Catalog,
    Standing {
        user,
        permissions,
        content_limit,
    }: Standing,
) -> Caller {
    let language = catalog
        .negotiate(user.locale.as_deref().or(contact.client_language))
        .to_owned();
    let external_id = contact.external_id.to_owned();
    let source = match contact.platform {
        Platform::Telegram => Source::Telegram { user: external_id },
        Platform::Discord => Source::Discord { user: external_id },
        _ => Source::Web { ip: None },
    };
    Caller {
        actor: Actor::user(user.id, source),
        user,
        language,
        permissions,
        content_limit,
    }
}
