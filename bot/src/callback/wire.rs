//! The byte layout of version 1: action tags, flags, LEB128 varints, and the strict parser.
//!
//! Kept apart from the codec so the framing (version, signature, base64) and the field layout
//! can be read and changed separately; see the parent module for the format as a whole.

use usher_core::domain::MediaType;
use usher_core::integrations::tmdb::{TimeWindow, Trending};

use super::{Action, CallbackError, DiscoverList, EpisodePick, LangTag, MediaKind, SeasonPick};

/// Action tag bytes. Never renumber: buttons already posted carry these.
pub(super) mod tag {
    pub(in crate::callback) const NOOP: u8 = 0;
    pub(in crate::callback) const APPROVE: u8 = 1;
    pub(in crate::callback) const DECLINE: u8 = 2;
    pub(in crate::callback) const DECLINE_WITH_REASON: u8 = 3;
    pub(in crate::callback) const CANCEL: u8 = 4;
    pub(in crate::callback) const RETRY: u8 = 5;
    pub(in crate::callback) const FOLLOW: u8 = 6;
    pub(in crate::callback) const REQUEST: u8 = 7;
    pub(in crate::callback) const TOGGLE_SEASON: u8 = 8;
    pub(in crate::callback) const PAGE: u8 = 9;
    pub(in crate::callback) const PICK_SEASONS: u8 = 10;
    pub(in crate::callback) const REQUEST_EPISODES: u8 = 11;
    pub(in crate::callback) const PICK_EPISODES: u8 = 12;
    pub(in crate::callback) const EPISODE_SEASONS: u8 = 13;
    pub(in crate::callback) const EPISODE_MENU: u8 = 14;
    pub(in crate::callback) const EPISODE_PAGE: u8 = 15;
    // 10 to 19 are left to the search card's actions; the chat front doors' own start at 20.
    pub(in crate::callback) const DECLINE_OTHER: u8 = 20;
    pub(in crate::callback) const SET_LANGUAGE: u8 = 21;
    // 30 to 39: Discord's search card.
    pub(in crate::callback) const SEASON_MENU: u8 = 30;
    pub(in crate::callback) const RESOLVE_ISSUE: u8 = 40;
    // 50 to 59: lists to browse (`/trending`, `/discover`).
    pub(in crate::callback) const DISCOVER: u8 = 50;
    pub(in crate::callback) const OPEN_TITLE: u8 = 51;
    pub(in crate::callback) const GENRES: u8 = 52;
    // 60 to 69: places (group voting).
    pub(in crate::callback) const VOTE: u8 = 60;
}

/// The first byte of a [`DiscoverList`]: which kind of list.
mod list {
    pub(super) const TRENDING: u8 = 0;
    pub(super) const POPULAR: u8 = 1;
    pub(super) const UPCOMING: u8 = 2;
    pub(super) const GENRE: u8 = 3;
}

/// Bits of the flags byte shared by `Request`, `ToggleSeason` and `PickSeasons` (which never
/// sets the 4K bit: the picker offers both kinds of request).
const FLAG_FOUR_K: u8 = 1;
const FLAG_ALL: u8 = 1 << 1;
const FLAG_FUTURE: u8 = 1 << 2;
const FLAGS_KNOWN: u8 = FLAG_FOUR_K | FLAG_ALL | FLAG_FUTURE;

/// Writes the action tag byte and the fields of `action`.
pub(super) fn write_action(out: &mut Vec<u8>, action: &Action) {
    match *action {
        Action::Noop => out.push(tag::NOOP),
        Action::Approve { request_id } => write_id(out, tag::APPROVE, request_id),
        Action::Decline { request_id } => write_id(out, tag::DECLINE, request_id),
        Action::DeclineWithReason { request_id, reason } => {
            write_id(out, tag::DECLINE_WITH_REASON, request_id);
            out.push(reason);
        }
        Action::Cancel { request_id } => write_id(out, tag::CANCEL, request_id),
        Action::Retry { request_id } => write_id(out, tag::RETRY, request_id),
        Action::Follow { request_id } => write_id(out, tag::FOLLOW, request_id),
        Action::Request {
            media,
            tmdb_id,
            four_k,
            seasons,
        } => {
            out.push(tag::REQUEST);
            out.push(match media {
                MediaKind::Movie => 0,
                MediaKind::Tv => 1,
            });
            write_varint(out, u64::from(tmdb_id));
            write_pick(out, four_k, seasons);
        }
        Action::ToggleSeason {
            tmdb_id,
            four_k,
            seasons,
            season,
        } => {
            out.push(tag::TOGGLE_SEASON);
            write_varint(out, u64::from(tmdb_id));
            write_pick(out, four_k, seasons);
            out.push(season);
        }
        Action::Page { search_id, index } => {
            out.push(tag::PAGE);
            write_varint(out, search_id);
            write_varint(out, u64::from(index));
        }
        Action::PickSeasons {
            tmdb_id,
            search_id,
            index,
            seasons,
        } => {
            out.push(tag::PICK_SEASONS);
            write_varint(out, u64::from(tmdb_id));
            write_varint(out, search_id);
            write_varint(out, u64::from(index));
            write_pick(out, false, seasons);
        }
        Action::DeclineOther { request_id } => write_id(out, tag::DECLINE_OTHER, request_id),
        Action::ResolveIssue { issue_id } => write_id(out, tag::RESOLVE_ISSUE, issue_id),
        Action::Vote { request_id } => write_id(out, tag::VOTE, request_id),
        Action::SetLanguage { language } => {
            out.push(tag::SET_LANGUAGE);
            // Length byte, then the tag's bytes (none for automatic).
            let tag = language.language().unwrap_or_default();
            out.push(u8::try_from(tag.len()).unwrap_or(0));
            out.extend_from_slice(tag.as_bytes());
        }
        Action::SeasonMenu { tmdb_id, four_k } => {
            out.push(tag::SEASON_MENU);
            write_varint(out, u64::from(tmdb_id));
            out.push(u8::from(four_k));
        }
        Action::RequestEpisodes {
            tmdb_id,
            four_k,
            season,
            episodes,
        } => {
            out.push(tag::REQUEST_EPISODES);
            write_varint(out, u64::from(tmdb_id));
            out.push(u8::from(four_k));
            out.push(season);
            write_varint(out, episodes.0);
        }
        Action::PickEpisodes {
            tmdb_id,
            search_id,
            index,
            season,
            page,
            episodes,
        } => {
            out.push(tag::PICK_EPISODES);
            write_varint(out, u64::from(tmdb_id));
            write_varint(out, search_id);
            write_varint(out, u64::from(index));
            out.push(season);
            out.push(page);
            write_varint(out, episodes.0);
        }
        Action::Discover { list, page } => {
            out.push(tag::DISCOVER);
            write_list(out, list);
            write_varint(out, u64::from(page));
        }
        Action::OpenTitle { media, tmdb_id } => {
            out.push(tag::OPEN_TITLE);
            out.push(media_byte(media.into()));
            write_varint(out, u64::from(tmdb_id));
        }
        Action::Genres { media } => {
            out.push(tag::GENRES);
            out.push(media_byte(media.into()));
        }
        Action::EpisodeSeasons { tmdb_id } => {
            out.push(tag::EPISODE_SEASONS);
            write_varint(out, u64::from(tmdb_id));
        }
        Action::EpisodeMenu {
            tmdb_id,
            season,
            page,
        } => write_episode_page(out, tag::EPISODE_MENU, (tmdb_id, season, page)),
        Action::EpisodePage {
            tmdb_id,
            season,
            page,
        } => write_episode_page(out, tag::EPISODE_PAGE, (tmdb_id, season, page)),
    }
}

/// A show, one of its seasons and a page of its episodes (Discord's episode picker).
fn write_episode_page(out: &mut Vec<u8>, tag: u8, (tmdb_id, season, page): (u32, u8, u8)) {
    out.push(tag);
    write_varint(out, u64::from(tmdb_id));
    out.push(season);
    out.push(page);
}

/// Movie 0, TV 1.
fn media_byte(media: MediaType) -> u8 {
    match media {
        MediaType::Movie => 0,
        MediaType::Tv => 1,
    }
}

/// A list's kind byte, then its fields: trending's kind (all 0, movie 1, TV 2) and window (day
/// 0, week 1); popular's media; a genre's media and id.
fn write_list(out: &mut Vec<u8>, list: DiscoverList) {
    match list {
        DiscoverList::Trending(kind, window) => {
            out.push(list::TRENDING);
            out.push(match kind {
                Trending::All => 0,
                Trending::Movie => 1,
                Trending::Tv => 2,
            });
            out.push(match window {
                TimeWindow::Day => 0,
                TimeWindow::Week => 1,
            });
        }
        DiscoverList::Popular(media) => {
            out.push(list::POPULAR);
            out.push(media_byte(media));
        }
        DiscoverList::Upcoming => out.push(list::UPCOMING),
        DiscoverList::Genre(media, genre) => {
            out.push(list::GENRE);
            out.push(media_byte(media));
            write_varint(out, u64::from(genre));
        }
    }
}

/// Tag byte plus a request id as the varint of its two's-complement bits.
fn write_id(out: &mut Vec<u8>, tag: u8, request_id: i64) {
    out.push(tag);
    write_varint(out, request_id.cast_unsigned());
}

/// Flags byte (4K, all, future) then the season mask.
fn write_pick(out: &mut Vec<u8>, four_k: bool, seasons: SeasonPick) {
    let mut flags = 0;
    if four_k {
        flags |= FLAG_FOUR_K;
    }
    if seasons.all {
        flags |= FLAG_ALL;
    }
    if seasons.future {
        flags |= FLAG_FUTURE;
    }
    out.push(flags);
    write_varint(out, seasons.mask);
}

/// Unsigned LEB128: seven bits a byte, low bits first, high bit set on all but the last.
fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Parses the action tag and fields of an already verified body; the whole body must be used.
pub(super) fn read_action(body: &[u8]) -> Result<Action, CallbackError> {
    let mut r = Reader(body);
    let action = match r.byte()? {
        tag::NOOP => Action::Noop,
        tag::APPROVE => Action::Approve {
            request_id: r.request_id()?,
        },
        tag::DECLINE => Action::Decline {
            request_id: r.request_id()?,
        },
        tag::DECLINE_WITH_REASON => Action::DeclineWithReason {
            request_id: r.request_id()?,
            reason: r.byte()?,
        },
        tag::CANCEL => Action::Cancel {
            request_id: r.request_id()?,
        },
        tag::RETRY => Action::Retry {
            request_id: r.request_id()?,
        },
        tag::FOLLOW => Action::Follow {
            request_id: r.request_id()?,
        },
        tag::REQUEST => {
            let media = match r.byte()? {
                0 => MediaKind::Movie,
                1 => MediaKind::Tv,
                _ => return Err(CallbackError::Malformed),
            };
            let tmdb_id = r.u32()?;
            let (four_k, seasons) = r.pick()?;
            Action::Request {
                media,
                tmdb_id,
                four_k,
                seasons,
            }
        }
        tag::TOGGLE_SEASON => {
            let tmdb_id = r.u32()?;
            let (four_k, seasons) = r.pick()?;
            Action::ToggleSeason {
                tmdb_id,
                four_k,
                seasons,
                season: r.byte()?,
            }
        }
        tag::PAGE => Action::Page {
            search_id: r.varint()?,
            index: r.u16()?,
        },
        tag::PICK_SEASONS => {
            let tmdb_id = r.u32()?;
            let search_id = r.varint()?;
            let index = r.u16()?;
            let (four_k, seasons) = r.pick()?;
            if four_k {
                return Err(CallbackError::Malformed);
            }
            Action::PickSeasons {
                tmdb_id,
                search_id,
                index,
                seasons,
            }
        }
        tag::DECLINE_OTHER => Action::DeclineOther {
            request_id: r.request_id()?,
        },
        tag::SET_LANGUAGE => Action::SetLanguage {
            language: r.language()?,
        },
        tag::SEASON_MENU => Action::SeasonMenu {
            tmdb_id: r.u32()?,
            four_k: match r.byte()? {
                0 => false,
                1 => true,
                _ => return Err(CallbackError::Malformed),
            },
        },
        tag::RESOLVE_ISSUE => Action::ResolveIssue {
            issue_id: r.request_id()?,
        },
        tag::REQUEST_EPISODES => Action::RequestEpisodes {
            tmdb_id: r.u32()?,
            four_k: r.flag()?,
            season: r.byte()?,
            // No episode is no request: an empty mask is not a button we make.
            episodes: match r.varint()? {
                0 => return Err(CallbackError::Malformed),
                mask => EpisodePick(mask),
            },
        },
        tag::PICK_EPISODES => Action::PickEpisodes {
            tmdb_id: r.u32()?,
            search_id: r.varint()?,
            index: r.u16()?,
            season: r.byte()?,
            page: r.byte()?,
            episodes: EpisodePick(r.varint()?),
        },
        tag::DISCOVER => Action::Discover {
            list: r.list()?,
            page: r.u16()?,
        },
        tag::OPEN_TITLE => Action::OpenTitle {
            media: r.media()?.into(),
            tmdb_id: r.u32()?,
        },
        tag::GENRES => Action::Genres {
            media: r.media()?.into(),
        },
        tag::VOTE => Action::Vote {
            request_id: r.request_id()?,
        },
        tag::EPISODE_SEASONS => Action::EpisodeSeasons { tmdb_id: r.u32()? },
        tag::EPISODE_MENU => Action::EpisodeMenu {
            tmdb_id: r.u32()?,
            season: r.byte()?,
            page: r.byte()?,
        },
        tag::EPISODE_PAGE => Action::EpisodePage {
            tmdb_id: r.u32()?,
            season: r.byte()?,
            page: r.byte()?,
        },
        _ => return Err(CallbackError::Malformed),
    };
    if !r.0.is_empty() {
        return Err(CallbackError::Malformed);
    }
    Ok(action)
}

/// A cursor over the body; every read fails with `Malformed` rather than panicking.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    /// A length byte and that many tag bytes; zero is automatic, anything else must be a
    /// valid [`LangTag`].
    fn language(&mut self) -> Result<LangTag, CallbackError> {
        let len = usize::from(self.byte()?);
        if len == 0 {
            return Ok(LangTag::AUTOMATIC);
        }
        if len > LangTag::MAX_LEN || len > self.0.len() {
            return Err(CallbackError::Malformed);
        }
        let (raw, rest) = self.0.split_at(len);
        self.0 = rest;
        let text = std::str::from_utf8(raw).map_err(|_| CallbackError::Malformed)?;
        LangTag::new(text).ok_or(CallbackError::Malformed)
    }

    /// A byte that must be 0 or 1.
    fn flag(&mut self) -> Result<bool, CallbackError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(CallbackError::Malformed),
        }
    }

    /// A media byte: 0 movie, 1 TV.
    fn media(&mut self) -> Result<MediaType, CallbackError> {
        match self.byte()? {
            0 => Ok(MediaType::Movie),
            1 => Ok(MediaType::Tv),
            _ => Err(CallbackError::Malformed),
        }
    }

    /// A list as [`write_list`] lays it out.
    fn list(&mut self) -> Result<DiscoverList, CallbackError> {
        Ok(match self.byte()? {
            list::TRENDING => {
                let kind = match self.byte()? {
                    0 => Trending::All,
                    1 => Trending::Movie,
                    2 => Trending::Tv,
                    _ => return Err(CallbackError::Malformed),
                };
                let window = match self.byte()? {
                    0 => TimeWindow::Day,
                    1 => TimeWindow::Week,
                    _ => return Err(CallbackError::Malformed),
                };
                DiscoverList::Trending(kind, window)
            }
            list::POPULAR => DiscoverList::Popular(self.media()?),
            list::UPCOMING => DiscoverList::Upcoming,
            list::GENRE => DiscoverList::Genre(self.media()?, self.u32()?),
            _ => return Err(CallbackError::Malformed),
        })
    }

    fn byte(&mut self) -> Result<u8, CallbackError> {
        let (&first, rest) = self.0.split_first().ok_or(CallbackError::Malformed)?;
        self.0 = rest;
        Ok(first)
    }

    /// Unsigned LEB128, refusing overlong forms (a final zero byte after the first) and
    /// values past 64 bits, so every value has one encoding.
    fn varint(&mut self) -> Result<u64, CallbackError> {
        let mut value = 0u64;
        for index in 0..10 {
            let byte = self.byte()?;
            // The tenth byte holds bit 63 only, and must end the number.
            if index == 9 && byte > 1 {
                return Err(CallbackError::Malformed);
            }
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                if index > 0 && byte == 0 {
                    return Err(CallbackError::Malformed);
                }
                return Ok(value);
            }
        }
        Err(CallbackError::Malformed)
    }

    fn u32(&mut self) -> Result<u32, CallbackError> {
        u32::try_from(self.varint()?).map_err(|_| CallbackError::Malformed)
    }

    fn u16(&mut self) -> Result<u16, CallbackError> {
        u16::try_from(self.varint()?).map_err(|_| CallbackError::Malformed)
    }

    fn request_id(&mut self) -> Result<i64, CallbackError> {
        Ok(self.varint()?.cast_signed())
    }

    /// Flags byte (refusing unknown bits) and season mask.
    fn pick(&mut self) -> Result<(bool, SeasonPick), CallbackError> {
        let flags = self.byte()?;
        if flags & !FLAGS_KNOWN != 0 {
            return Err(CallbackError::Malformed);
        }
        let mask = self.varint()?;
        Ok((
            flags & FLAG_FOUR_K != 0,
            SeasonPick {
                mask,
                all: flags & FLAG_ALL != 0,
                future: flags & FLAG_FUTURE != 0,
            },
        ))
    }
}
