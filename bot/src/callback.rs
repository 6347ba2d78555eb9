//! Compact, versioned, signed button ids: Telegram `callback_data` and Discord `custom_id`.
//!
//! Buttons must keep working days later and across restarts, on any replica, so everything a
//! handler needs travels inside the id itself — no in-memory state. Because the id comes back
//! from the user's client, a forged, edited or truncated one must be refused before any
//! database lookup: [`CallbackCodec::decode`] checks a truncated HMAC-SHA256 tag, in constant
//! time, before it reads a single field.
//!
//! # Wire format (version 1)
//!
//! ```text
//! version: u8 | action tag: u8 | fields … | HMAC-SHA256(key, all bytes before)[..10]
//! ```
//!
//! The bytes are then written as base64url without padding. Integers are LEB128 varints
//! (`i64` ids as their two's-complement `u64`, so real, positive ids stay short); enums, flags
//! and small numbers are single bytes. The longest encoding of any action is 56 characters
//! (42 bytes, an episode picker with every field at its maximum), well within Telegram's 64 **bytes** and Discord's 100 characters; a test builds
//! the largest value of every variant and checks it against [`MAX_ENCODED_LEN`].
//!
//! The encoding is canonical: each action has exactly one encoding, and decoding refuses
//! anything else (overlong varints, unknown flag bits, out-of-range values, trailing bytes).
//!
//! # Evolving the format
//!
//! Buttons already posted in chats outlive deployments. Never change the meaning or layout of
//! an existing action tag; add a new tag instead. Bump [`VERSION`] only when the framing itself
//! changes, and keep decoding the old version for as long as its buttons may still be pressed.
//!
//! # What the signature does and does not prove
//!
//! A valid tag proves that this instance built the button and that nobody edited it. It does
//! not say who may press it: anyone who sees an "Approve" button can press it, so core checks
//! the presser's permission for every action, whatever the button says.
//!
//! Give the codec a key derived for this purpose only (e.g. HKDF-SHA256 of the instance secret
//! with its own `info` label), not the master key that also encrypts secrets at rest.
//!
//! # Fuzzing
//!
//! There is no `cargo fuzz` target (it needs a nightly toolchain). Instead a deterministic
//! fuzz loop lives in this module's unit tests (`callback/tests/fuzz.rs`), so plain
//! `cargo test` runs it: 400,000 random strings, mutations of valid ids and validly signed
//! random bodies go through [`CallbackCodec::decode`], which must never panic and must only
//! accept canonical encodings.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::digest::{Key, KeyInit};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
pub use usher_core::service::DiscoverList;

#[cfg(test)]
mod tests;
mod wire;

use wire::{read_action, write_action};

type HmacSha256 = Hmac<Sha256>;

/// Version byte written first in every id, so a future layout can be told apart from this one
/// (and refused cleanly by an older binary) instead of being misread.
pub const VERSION: u8 = 1;

/// Longest id [`CallbackCodec::decode`] will look at: Telegram's `callback_data` limit in bytes
/// (Discord allows 100 characters, so this bound fits both). Longer input is refused before
/// base64 decoding, which caps the work an attacker can cause.
pub const MAX_ENCODED_LEN: usize = 64;

/// Bytes of the HMAC-SHA256 tag kept: 80 bits, plenty against online forgery (every guess is a
/// button press) while leaving room for fields under Telegram's 64 bytes.
const TAG_LEN: usize = 10;
/// Version and action tag bytes.
const HEADER_LEN: usize = 2;
/// Largest number of bytes `MAX_ENCODED_LEN` base64 characters can carry.
const MAX_RAW_LEN: usize = MAX_ENCODED_LEN / 4 * 3;

/// What a button does when pressed; the decoded form of a button id.
///
/// Fields are only what the handler needs to call core; everything else (titles, who asked,
/// current status) is looked up fresh, so a days-old button acts on today's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Approve a pending request (approver card).
    Approve {
        /// The request to approve.
        request_id: i64,
    },
    /// Start declining a request: opens the picker of preset reasons.
    Decline {
        /// The request to decline.
        request_id: i64,
    },
    /// Decline a request with one of the preset reasons.
    DeclineWithReason {
        /// The request to decline.
        request_id: i64,
        /// Index into the preset reason list; the handler checks the range, since the list is
        /// configuration and may have shrunk since the button was posted.
        reason: u8,
    },
    /// Cancel one's own pending request.
    Cancel {
        /// The request to cancel.
        request_id: i64,
    },
    /// Retry submitting a failed request to Radarr/Sonarr (admin card).
    Retry {
        /// The request to retry.
        request_id: i64,
    },
    /// "Notify me too": follow someone else's request for the same title.
    Follow {
        /// The request to follow.
        request_id: i64,
    },
    /// Request a title, as chosen on a search result card.
    Request {
        /// Movie (Radarr) or TV (Sonarr).
        media: MediaKind,
        /// TMDB id of the title.
        tmdb_id: u32,
        /// Whether the 4K instance is asked for.
        four_k: bool,
        /// For TV, which seasons; ignored for movies.
        seasons: SeasonPick,
    },
    /// Tick or untick one season in the season picker; the whole pick so far rides along so
    /// the picker needs no server-side state.
    ToggleSeason {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// Whether the 4K instance is asked for.
        four_k: bool,
        /// The pick before this press.
        seasons: SeasonPick,
        /// The season to flip; see [`SeasonPick::toggle`] for the range.
        season: u8,
    },
    /// Show the season picker of a show on a search card with this pick ticked. Every button
    /// of the picker carries the whole pick it leads to (a season ticked or not, "all",
    /// "future"), so the picker needs no server-side state; the search and place ride along for
    /// the way back to the card.
    PickSeasons {
        /// TMDB id of the show (the card's title, whatever the search returns today).
        tmdb_id: u32,
        /// The stored search the card belongs to.
        search_id: u64,
        /// The card's place in that search.
        index: u16,
        /// The pick to show.
        seasons: SeasonPick,
    },
    /// Show another page of a search result list.
    Page {
        /// Which stored search (its results are cached by core under this id).
        search_id: u64,
        /// Zero-based page or result index to show.
        index: u16,
    },
    /// A button that does nothing (page counter, spacer); pressing it is only acknowledged.
    Noop,
    /// Decline a request with a reason the approver types: asks for it (Telegram: a
    /// force-reply prompt) and declines once it comes.
    DeclineOther {
        /// The request to decline.
        request_id: i64,
    },
    /// Choose the language the bot speaks to the presser (`/language`).
    SetLanguage {
        /// The language chosen; [`LangTag::AUTOMATIC`] goes back to the platform's.
        language: LangTag,
    },
    /// A show's season menu (Discord's multi-select on a search card): the seasons chosen
    /// arrive as the select's values, which the handler checks against the show's real
    /// seasons, so only the show and the kind of copy ride in the id.
    SeasonMenu {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// Whether the 4K instance is asked for.
        four_k: bool,
    },
    /// Resolve an issue report (approver card of a reported problem).
    ResolveIssue {
        /// The report to resolve.
        issue_id: i64,
    },
    /// Request single episodes of one season of a show (`/tv Show S02E05`, or the episode
    /// picker): the episodes ride in the id, so the button needs no server-side state.
    RequestEpisodes {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// Whether the 4K instance is asked for.
        four_k: bool,
        /// The season, 0 to [`EpisodePick::MAX_SEASON`].
        season: u8,
        /// Which episodes of it.
        episodes: EpisodePick,
    },
    /// Show the episode picker of one season of a show on a search card (opened from the
    /// season picker): a page of episode toggles, the pick so far riding along like the season
    /// picker's, and the card's search and place for the way back.
    PickEpisodes {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// The stored search the card belongs to.
        search_id: u64,
        /// The card's place in that search.
        index: u16,
        /// The season.
        season: u8,
        /// Which page of its episodes is shown.
        page: u8,
        /// The episodes ticked so far (may be none).
        episodes: EpisodePick,
    },
    /// Show a page of a list to browse (`/trending`, `/discover`): ◀ ▶ and the menu's choices.
    Discover {
        /// Which list.
        list: DiscoverList,
        /// The page, from 1 (core clamps it).
        page: u16,
    },
    /// Open the title card of one entry of a browsed list (its Request button is the card's).
    OpenTitle {
        /// Movie or show.
        media: MediaKind,
        /// TMDB id of the title.
        tmdb_id: u32,
    },
    /// Show the genre picker of `/discover` for movies or shows.
    Genres {
        /// Movies' genres or shows'.
        media: MediaKind,
    },
    /// "I want this too" on a pending request's card in a group chat or server: a vote that
    /// makes the presser a follower and may reach the place's approval threshold.
    Vote {
        /// The request voted for.
        request_id: i64,
    },
    /// Discord's "Episodes of one season…" menu on a show's card: the season chosen arrives
    /// as the select's value (checked against the show's real seasons), and opens that
    /// season's episode picker.
    EpisodeSeasons {
        /// TMDB id of the show.
        tmdb_id: u32,
    },
    /// Discord's episode picker: a select of one page of a season's episodes (Discord lists
    /// at most 25 options); the episodes chosen arrive as its values, checked against TMDB's
    /// list of that page, and are asked for.
    EpisodeMenu {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// The season.
        season: u8,
        /// Which page of its episodes the menu lists.
        page: u8,
    },
    /// Discord's episode picker's ◀ ▶: show another page of a season's episodes.
    EpisodePage {
        /// TMDB id of the show.
        tmdb_id: u32,
        /// The season.
        season: u8,
        /// The page to show.
        page: u8,
    },
}

/// Episodes 1 to 64 of one season, as a bit mask small enough for a button id (bit `n - 1` is
/// episode `n`). Never empty once decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EpisodePick(pub u64);

impl EpisodePick {
    /// Highest episode number a button can carry.
    pub const MAX_EPISODE: u16 = 64;
    /// Highest season number a button can carry.
    pub const MAX_SEASON: u16 = 255;

    /// The pick of these episode numbers; `None` when one is outside 1 to 64.
    #[must_use]
    pub fn of(numbers: impl IntoIterator<Item = u16>) -> Option<Self> {
        let mut mask = 0u64;
        for n in numbers {
            if n == 0 || n > Self::MAX_EPISODE {
                return None;
            }
            mask |= 1u64 << (n - 1);
        }
        Some(Self(mask))
    }

    /// Flips episode `n`; `false` and nothing changed when `n` is outside 1 to 64.
    pub fn toggle(&mut self, n: u16) -> bool {
        if n == 0 || n > Self::MAX_EPISODE {
            return false;
        }
        self.0 ^= 1u64 << (n - 1);
        true
    }

    /// The episode numbers, ascending.
    #[must_use]
    pub fn numbers(&self) -> Vec<u16> {
        (1..=Self::MAX_EPISODE)
            .filter(|n| self.0 & (1u64 << (n - 1)) != 0)
            .collect()
    }
}

/// A language tag short enough to ride inside a button id (`de`, `pt-BR`), or none: automatic,
/// follow what the chat platform reports.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LangTag {
    len: u8,
    bytes: [u8; LangTag::MAX_LEN],
}

impl LangTag {
    /// Longest tag a button carries.
    pub const MAX_LEN: usize = 8;
    /// No tag: the platform's language.
    pub const AUTOMATIC: Self = Self {
        len: 0,
        bytes: [0; Self::MAX_LEN],
    };

    /// The tag for `language`, when it is 1 to [`LangTag::MAX_LEN`] ASCII letters, digits and
    /// dashes.
    #[must_use]
    pub fn new(language: &str) -> Option<Self> {
        let raw = language.as_bytes();
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !raw.iter().all(|&b| Self::allowed(b)) {
            return None;
        }
        let mut bytes = [0; Self::MAX_LEN];
        bytes[..raw.len()].copy_from_slice(raw);
        Some(Self {
            len: u8::try_from(raw.len()).ok()?,
            bytes,
        })
    }

    /// The tag, or `None` for [`LangTag::AUTOMATIC`].
    #[must_use]
    pub fn language(&self) -> Option<&str> {
        let raw = self.bytes.get(..usize::from(self.len))?;
        std::str::from_utf8(raw).ok().filter(|s| !s.is_empty())
    }

    fn allowed(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || byte == b'-'
    }
}

impl std::fmt::Debug for LangTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.language() {
            Some(language) => write!(f, "LangTag({language})"),
            None => f.write_str("LangTag(automatic)"),
        }
    }
}

/// Movie or TV, which decides Radarr or Sonarr downstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A movie, sent to Radarr.
    Movie,
    /// A TV show, sent to Sonarr.
    Tv,
}

impl From<MediaKind> for usher_core::domain::MediaType {
    fn from(kind: MediaKind) -> Self {
        match kind {
            MediaKind::Movie => Self::Movie,
            MediaKind::Tv => Self::Tv,
        }
    }
}

impl From<usher_core::domain::MediaType> for MediaKind {
    fn from(media: usher_core::domain::MediaType) -> Self {
        match media {
            usher_core::domain::MediaType::Movie => Self::Movie,
            usher_core::domain::MediaType::Tv => Self::Tv,
        }
    }
}

/// What a button's season pick asks core for: "all" means every regular season of the show.
pub fn season_choice(pick: SeasonPick) -> usher_core::integrations::tmdb::SeasonChoice {
    use usher_core::integrations::tmdb::SeasonChoice;
    if pick.all {
        SeasonChoice::All
    } else {
        SeasonChoice::These(usher_core::domain::Seasons::new(
            pick.seasons().into_iter().map(u16::from),
        ))
    }
}

/// Which seasons of a show are asked for, small enough to ride inside a button id.
///
/// Season 0 is "Specials", as in TMDB and Sonarr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeasonPick {
    /// Explicitly picked seasons: bit `n` is season `n`, for seasons 0 to
    /// [`SeasonPick::MAX_SEASON`].
    pub mask: u64,
    /// Every season that exists now, whatever `mask` says.
    pub all: bool,
    /// Also seasons that do not exist yet (Sonarr monitors future seasons).
    pub future: bool,
}

impl SeasonPick {
    /// Highest season number the mask can hold; higher ones cannot be picked one by one.
    pub const MAX_SEASON: u8 = 63;

    /// Whether `season` is explicitly picked in `mask` (`all` and `future` are not consulted,
    /// so the picker can show ticks independently of the "all" switch).
    #[must_use]
    pub fn contains(&self, season: u8) -> bool {
        season <= Self::MAX_SEASON && self.mask & (1u64 << season) != 0
    }

    /// Flips `season` in `mask`, as a press in the season picker does. Returns `false` and
    /// changes nothing when `season` is above [`SeasonPick::MAX_SEASON`], so a handler can
    /// ignore a meaningless press instead of failing.
    pub fn toggle(&mut self, season: u8) -> bool {
        if season > Self::MAX_SEASON {
            return false;
        }
        self.mask ^= 1u64 << season;
        true
    }

    /// The explicitly picked seasons in ascending order, as core takes them.
    #[must_use]
    pub fn seasons(&self) -> Vec<u8> {
        (0..=Self::MAX_SEASON)
            .filter(|&season| self.contains(season))
            .collect()
    }
}

/// Why a button id was refused. The bots show one message for all of them ("this button is no
/// longer valid"); the variants exist for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Not an id we could have made: empty, too long, bad base64, too short, unknown action,
    /// bad or out-of-range field, trailing bytes.
    #[error("malformed button id")]
    Malformed,
    /// The tag does not match under the current or the previous key: forged, edited,
    /// truncated, or made with a key that has since been rotated out.
    #[error("button id signature does not verify")]
    BadSignature,
    /// Made by a newer (or far older) release with a layout this one cannot read.
    #[error("unsupported button id version {0}")]
    UnsupportedVersion(u8),
}

impl CallbackError {
    /// Whether the id was tampered with (a bad tag, or bytes no release of Usher writes) rather
    /// than made by another release: the former is worth a security alert, the latter is not.
    pub fn is_forgery(&self) -> bool {
        matches!(self, Self::Malformed | Self::BadSignature)
    }
}

/// Encodes [`Action`]s into signed button ids and decodes them back, rejecting anything not
/// signed by this instance.
///
/// Stateless, cheap to clone and safe to share: every replica built from the same keys accepts
/// every other replica's buttons. Its `Debug` output never shows key material.
#[derive(Clone)]
pub struct CallbackCodec {
    /// HMAC keyed with the current key: signs every new id and verifies.
    current: HmacSha256,
    /// HMAC keyed with the key being rotated out: only verifies, so buttons posted before a
    /// rotation keep working until the previous key is dropped.
    previous: Option<HmacSha256>,
}

impl std::fmt::Debug for CallbackCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackCodec")
            .field("rotating", &self.previous.is_some())
            .finish_non_exhaustive()
    }
}

impl CallbackCodec {
    /// Builds a codec that signs with `current` and accepts ids signed with `current` or, while
    /// a key rotation is in progress, `previous`.
    #[must_use]
    pub fn new(current: [u8; 32], previous: Option<[u8; 32]>) -> Self {
        Self {
            current: keyed_mac(&current),
            previous: previous.as_ref().map(keyed_mac),
        }
    }

    /// Encodes `action` as a signed id of at most [`MAX_ENCODED_LEN`] ASCII characters, usable
    /// both as Telegram `callback_data` and as Discord `custom_id`. Always signs with the
    /// current key. The same action always gives the same id.
    #[must_use]
    pub fn encode(&self, action: &Action) -> String {
        let mut raw = Vec::with_capacity(MAX_RAW_LEN);
        raw.push(VERSION);
        write_action(&mut raw, action);
        self.seal(raw)
    }

    /// Decodes an id made by [`CallbackCodec::encode`]. The signature is checked, in constant
    /// time, before any field is parsed, so nothing forged reaches a lookup.
    ///
    /// # Errors
    ///
    /// [`CallbackError::Malformed`] for anything that is not well-formed,
    /// [`CallbackError::UnsupportedVersion`] for another layout version, and
    /// [`CallbackError::BadSignature`] when the tag matches neither key.
    pub fn decode(&self, data: &str) -> Result<Action, CallbackError> {
        if data.is_empty() || data.len() > MAX_ENCODED_LEN {
            return Err(CallbackError::Malformed);
        }
        let mut buf = [0u8; MAX_RAW_LEN];
        let len = URL_SAFE_NO_PAD
            .decode_slice(data, &mut buf)
            .map_err(|_| CallbackError::Malformed)?;
        let raw = buf.get(..len).ok_or(CallbackError::Malformed)?;
        if raw.len() < HEADER_LEN + TAG_LEN {
            return Err(CallbackError::Malformed);
        }
        // The version decides the framing (including the tag), so it is read first; it is
        // not secret and refusing it early causes no lookup.
        if raw[0] != VERSION {
            return Err(CallbackError::UnsupportedVersion(raw[0]));
        }
        let (signed, tag) = raw.split_at(raw.len() - TAG_LEN);
        if !self.verify(signed, tag) {
            return Err(CallbackError::BadSignature);
        }
        read_action(&signed[1..])
    }

    /// Appends the tag under the current key and base64url-encodes. Split out so tests can
    /// sign arbitrary bodies and fuzz the field parser behind the signature.
    fn seal(&self, mut raw: Vec<u8>) -> String {
        let tag = compute_tag(&self.current, &raw);
        raw.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Whether `tag` is the tag of `signed` under either key, compared in constant time (and
    /// always against both keys, so timing does not tell which one matched).
    fn verify(&self, signed: &[u8], tag: &[u8]) -> bool {
        let mut ok = compute_tag(&self.current, signed).ct_eq(tag);
        if let Some(previous) = &self.previous {
            ok |= compute_tag(previous, signed).ct_eq(tag);
        }
        ok.into()
    }
}

/// HMAC-SHA256 keyed with `key`, computed once so each id costs two compression calls, not
/// four. HMAC zero-pads keys shorter than a block, so this equals `new_from_slice(key)`
/// without its (never taken) error path.
fn keyed_mac(key: &[u8; 32]) -> HmacSha256 {
    let mut block = Key::<HmacSha256>::default();
    block[..key.len()].copy_from_slice(key);
    <HmacSha256 as KeyInit>::new(&block)
}

/// The truncated tag of `bytes` under the keyed `mac`.
fn compute_tag(mac: &HmacSha256, bytes: &[u8]) -> [u8; TAG_LEN] {
    let mut mac = mac.clone();
    mac.update(bytes);
    let full = mac.finalize().into_bytes();
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&full[..TAG_LEN]);
    tag
}
