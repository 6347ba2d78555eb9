//! One source's titles in their resident form: compact, lossless records sorted by key.
//!
//! The index holds every title of every source (half a million at the scale issue 16 asks
//! for), so a title's resident form is what decides the process's memory. A [`Titles`] keeps
//! each title as a 13-byte record (TMDB id, flags, the IMDb id packed in a `u32`, a numeric
//! item id) in one vector sorted by key, so a lookup is a binary search and there is no hash
//! table slack. Jellyfin's item ids (32 hex digits) sit in a parallel column of 16-byte
//! values, present only for a source that has them. What only few titles carry — a show's
//! TVDB id and seasons, a download, an id in an unusual shape — lives in a side map. Every
//! encoding is canonical, so two titles are equal exactly when their records are, and
//! [`TitleView::to_title`] gives back the [`IndexedTitle`] that went in.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use crate::domain::{Download, IndexedTitle, MediaType, SeasonCount, TmdbId, TvdbId};

use super::TitleKey;

const TV: u8 = 1;
const FOUR_K: u8 = 1 << 1;
const PRESENT: u8 = 1 << 2;
const MONITORED: u8 = 1 << 3;
/// The item id is the record's number.
const ITEM_NUMBER: u8 = 1 << 4;
/// The item id is the record's GUID.
const ITEM_GUID: u8 = 1 << 5;
/// The title has an entry in the side map.
const EXTRA: u8 = 1 << 6;

/// An IMDb id's digits sit in the low 27 bits, their count above them; 0 is no id.
const IMDB_DIGITS_SHIFT: u32 = 27;

/// 13 bytes, unaligned: half a million of them are the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed)]
struct Rec {
    tmdb: TmdbId,
    imdb: u32,
    item: u32,
    flags: u8,
}

impl Rec {
    fn key(&self) -> TitleKey {
        let media_type = if self.flags & TV != 0 {
            MediaType::Tv
        } else {
            MediaType::Movie
        };
        (media_type, self.tmdb)
    }

    fn order(&self) -> (bool, u32) {
        (self.flags & TV != 0, { self.tmdb }.get())
    }
}

fn order_of(key: &TitleKey) -> (bool, u32) {
    (key.0 == MediaType::Tv, key.1.get())
}

/// What few titles carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extra {
    tvdb: Option<TvdbId>,
    seasons: Box<[SeasonCount]>,
    rare: Option<Box<Rare>>,
}

/// What fewer still carry: a download, ids that do not pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Rare {
    download: Option<Download>,
    imdb: Option<Box<str>>,
    item: Option<Box<str>>,
}

/// A title packed: its record, its GUID when it has one, its extra when it has one.
type Packed = (Rec, Option<[u8; 16]>, Option<Extra>);

fn pack(title: IndexedTitle) -> Packed {
    let mut flags = 0;
    for (on, bit) in [
        (title.media_type == MediaType::Tv, TV),
        (title.four_k, FOUR_K),
        (title.present, PRESENT),
        (title.monitored, MONITORED),
    ] {
        if on {
            flags |= bit;
        }
    }
    let mut rare = Rare {
        download: title.download,
        ..Rare::default()
    };
    let imdb = match title.imdb {
        Some(raw) => pack_imdb(&raw).unwrap_or_else(|| {
            rare.imdb = Some(raw);
            0
        }),
        None => 0,
    };
    let (mut item, mut guid) = (0, None);
    if let Some(raw) = title.item {
        if let Some(number) = pack_number(&raw) {
            item = number;
            flags |= ITEM_NUMBER;
        } else if let Some(packed) = pack_guid(&raw) {
            guid = Some(packed);
            flags |= ITEM_GUID;
        } else {
            rare.item = Some(raw);
        }
    }
    let extra = Extra {
        tvdb: title.tvdb,
        seasons: title.seasons,
        rare: (rare != Rare::default()).then(|| Box::new(rare)),
    };
    let extra = (extra != Extra::default()).then_some(extra);
    if extra.is_some() {
        flags |= EXTRA;
    }
    let rec = Rec {
        tmdb: title.tmdb,
        imdb,
        item,
        flags,
    };
    (rec, guid, extra)
}

/// `tt` and one to nine digits, as Rust prints them back (`tt0133093` keeps its zeros).
fn pack_imdb(raw: &str) -> Option<u32> {
    let digits = raw.strip_prefix("tt")?;
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = digits.parse().ok()?;
    let count = u32::try_from(digits.len()).ok()?;
    Some(number | (count << IMDB_DIGITS_SHIFT))
}

fn unpack_imdb(packed: u32) -> Option<String> {
    if packed == 0 {
        return None;
    }
    let width = (packed >> IMDB_DIGITS_SHIFT) as usize;
    let number = packed & ((1 << IMDB_DIGITS_SHIFT) - 1);
    Some(format!("tt{number:0width$}"))
}

/// A decimal number as it prints back (Plex rating keys, *arr ids, Emby ids).
fn pack_number(raw: &str) -> Option<u32> {
    let number: u32 = raw.parse().ok()?;
    (number.to_string() == raw).then_some(number)
}

/// 32 lowercase hex digits (Jellyfin's ids).
fn pack_guid(raw: &str) -> Option<[u8; 16]> {
    if raw.len() != 32
        || !raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let number = u128::from_str_radix(raw, 16).ok()?;
    Some(number.to_be_bytes())
}

fn unpack_guid(guid: &[u8; 16]) -> String {
    format!("{:032x}", u128::from_be_bytes(*guid))
}

/// One source's titles; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Titles {
    recs: Vec<Rec>,
    /// Parallel to `recs` when any title has a GUID item id; empty otherwise.
    guids: Vec<[u8; 16]>,
    extras: HashMap<TitleKey, Extra>,
}

/// One title of a [`Titles`], read in place.
#[derive(Debug, Clone, Copy)]
pub struct TitleView<'a> {
    rec: &'a Rec,
    guid: Option<&'a [u8; 16]>,
    extra: Option<&'a Extra>,
}

impl TitleView<'_> {
    /// The title's key.
    pub fn key(&self) -> TitleKey {
        self.rec.key()
    }

    /// A movie's file is there, or a show has an episode.
    pub fn present(&self) -> bool {
        self.rec.flags & PRESENT != 0
    }

    /// A 4K copy.
    pub fn four_k(&self) -> bool {
        self.rec.flags & FOUR_K != 0
    }

    /// An *arr monitors it.
    pub fn monitored(&self) -> bool {
        self.rec.flags & MONITORED != 0
    }

    /// A show's TVDB id.
    pub fn tvdb(&self) -> Option<TvdbId> {
        self.extra.and_then(|e| e.tvdb)
    }

    /// A show's seasons.
    pub fn seasons(&self) -> &[SeasonCount] {
        self.extra.map_or(&[], |e| &e.seasons)
    }

    /// The *arr's download of it.
    pub fn download(&self) -> Option<Download> {
        self.rare().and_then(|r| r.download)
    }

    /// The source's own id of the item.
    pub fn item(&self) -> Option<Cow<'_, str>> {
        if self.rec.flags & ITEM_NUMBER != 0 {
            return Some(Cow::Owned({ self.rec.item }.to_string()));
        }
        if let Some(guid) = self.guid.filter(|_| self.rec.flags & ITEM_GUID != 0) {
            return Some(Cow::Owned(unpack_guid(guid)));
        }
        self.rare()?.item.as_deref().map(Cow::Borrowed)
    }

    /// The item id as a number, when it is one (an *arr's id), without building a string.
    pub fn item_number(&self) -> Option<i64> {
        if self.rec.flags & ITEM_NUMBER != 0 {
            return Some(i64::from(self.rec.item));
        }
        self.rare()?.item.as_deref()?.parse().ok()
    }

    fn rare(&self) -> Option<&Rare> {
        self.extra?.rare.as_deref()
    }

    /// The title whole.
    pub fn to_title(&self) -> IndexedTitle {
        let (media_type, tmdb) = self.key();
        let mut title = IndexedTitle::new(media_type, tmdb);
        title.tvdb = self.tvdb();
        title.imdb = unpack_imdb(self.rec.imdb)
            .map(Into::into)
            .or_else(|| self.rare().and_then(|r| r.imdb.clone()));
        title.item = self.item().map(|i| i.into_owned().into());
        title.four_k = self.four_k();
        title.present = self.present();
        title.monitored = self.monitored();
        title.seasons = self.seasons().into();
        title.download = self.download();
        title
    }

    fn same(&self, other: &TitleView<'_>) -> bool {
        self.rec == other.rec
            && self.guid.filter(|_| self.rec.flags & ITEM_GUID != 0)
                == other.guid.filter(|_| other.rec.flags & ITEM_GUID != 0)
            && self.extra == other.extra
    }
}

impl Titles {
    /// How many titles.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    fn position(&self, key: &TitleKey) -> Result<usize, usize> {
        let wanted = order_of(key);
        self.recs.binary_search_by(|r| r.order().cmp(&wanted))
    }

    fn view(&self, at: usize) -> TitleView<'_> {
        let rec = &self.recs[at];
        TitleView {
            rec,
            guid: self.guids.get(at),
            extra: (rec.flags & EXTRA != 0)
                .then(|| self.extras.get(&rec.key()))
                .flatten(),
        }
    }

    /// One title, read in place.
    pub fn get(&self, key: &TitleKey) -> Option<TitleView<'_>> {
        self.position(key).ok().map(|at| self.view(at))
    }

    /// Every title, in key order.
    pub fn iter(&self) -> impl Iterator<Item = TitleView<'_>> + '_ {
        (0..self.recs.len()).map(|at| self.view(at))
    }

    /// Whether `title` is held exactly so.
    pub fn holds(&self, title: &IndexedTitle) -> bool {
        let Some(held) = self.get(&(title.media_type, title.tmdb)) else {
            return false;
        };
        let (rec, guid, extra) = pack(title.clone());
        held.same(&TitleView {
            rec: &rec,
            guid: guid.as_ref(),
            extra: extra.as_ref(),
        })
    }

    /// Keys new or changed in `new`, and keys of `self` gone from it (both walk in key order,
    /// so this is one merge).
    pub fn diff(&self, new: &Titles) -> (Vec<TitleKey>, Vec<TitleKey>) {
        let (mut changed, mut removed) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        while i < self.recs.len() || j < new.recs.len() {
            let order = match (self.recs.get(i), new.recs.get(j)) {
                (Some(a), Some(b)) => a.order().cmp(&b.order()),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    removed.push(self.recs[i].key());
                    i += 1;
                }
                Ordering::Greater => {
                    changed.push(new.recs[j].key());
                    j += 1;
                }
                Ordering::Equal => {
                    if !self.view(i).same(&new.view(j)) {
                        changed.push(new.recs[j].key());
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        (changed, removed)
    }

    /// Adds or replaces `upserts` and removes `removals` (one merge into a new vector when a
    /// key is new, in place otherwise).
    pub fn patch(&mut self, upserts: Vec<IndexedTitle>, removals: &[TitleKey]) {
        let mut builder = Builder::default();
        for title in upserts {
            builder.push(title);
        }
        let (patch, _) = builder.finish();
        let mut merged = Builder::default();
        let mut old = self.iter().peekable();
        let mut new = patch.iter().peekable();
        let gone = |key: &TitleKey| removals.contains(key);
        loop {
            let order = match (old.peek(), new.peek()) {
                (Some(a), Some(b)) => a.rec.order().cmp(&b.rec.order()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            let next = match order {
                Ordering::Less => old.next(),
                Ordering::Greater => new.next(),
                Ordering::Equal => {
                    old.next();
                    new.next()
                }
            };
            if let Some(view) = next.filter(|v| !gone(&v.key())) {
                merged.push_view(&view);
            }
        }
        drop((old, new));
        *self = merged.finish_sorted();
    }

    /// TVDB → TMDB ids of the shows held.
    pub fn tvdb_pairs(&self) -> impl Iterator<Item = (TvdbId, TmdbId)> + '_ {
        self.extras
            .iter()
            .filter(|((media_type, _), _)| *media_type == MediaType::Tv)
            .filter_map(|((_, tmdb), extra)| Some((extra.tvdb?, *tmdb)))
    }
}

/// Gathers a listing's titles into a [`Titles`], folding duplicates (the richer copy wins).
#[derive(Debug, Default)]
pub struct Builder {
    recs: Vec<Rec>,
    guids: Vec<[u8; 16]>,
    /// By position in `recs`.
    extras: HashMap<usize, Extra>,
}

impl Builder {
    /// Adds a title.
    pub fn push(&mut self, title: IndexedTitle) {
        let (rec, guid, extra) = pack(title);
        self.push_packed(rec, guid.as_ref(), extra);
    }

    fn push_view(&mut self, view: &TitleView<'_>) {
        let guid = view.guid.filter(|_| view.rec.flags & ITEM_GUID != 0);
        self.push_packed(*view.rec, guid, view.extra.cloned());
    }

    fn push_packed(&mut self, rec: Rec, guid: Option<&[u8; 16]>, extra: Option<Extra>) {
        let at = self.recs.len();
        if let Some(guid) = guid {
            if self.guids.is_empty() {
                self.guids.resize(at, [0; 16]);
            }
            self.guids.push(*guid);
        } else if !self.guids.is_empty() {
            self.guids.push([0; 16]);
        }
        if let Some(extra) = extra {
            self.extras.insert(at, extra);
        }
        self.recs.push(rec);
    }

    fn view(&self, at: usize) -> TitleView<'_> {
        TitleView {
            rec: &self.recs[at],
            guid: self.guids.get(at),
            extra: self.extras.get(&at),
        }
    }

    fn pop(&mut self) {
        let at = self.recs.len() - 1;
        self.recs.pop();
        self.guids.truncate(at);
        self.extras.remove(&at);
    }

    /// How many titles were pushed (duplicates included).
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether none was pushed.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// The titles, sorted and folded; and how many duplicates were folded.
    pub fn finish(self) -> (Titles, usize) {
        if self.recs.windows(2).all(|w| w[0].order() < w[1].order()) {
            return (self.finish_sorted(), 0);
        }
        let mut order: Vec<usize> = (0..self.recs.len()).collect();
        // Stable: duplicates stay in listing order, as the fold expects.
        order.sort_by_key(|&i| self.recs[i].order());
        let mut folded = Builder::default();
        folded.recs.reserve_exact(self.recs.len());
        let mut duplicates = 0;
        for i in order {
            let view = self.view(i);
            let last = folded.recs.len().checked_sub(1);
            match last.filter(|&l| folded.recs[l].order() == view.rec.order()) {
                Some(l) => {
                    duplicates += 1;
                    let richer = folded.view(l).to_title().richer(view.to_title());
                    folded.pop();
                    folded.push(richer);
                }
                None => folded.push_view(&view),
            }
        }
        (folded.finish_sorted(), duplicates)
    }

    /// For pushes in strictly ascending key order.
    fn finish_sorted(mut self) -> Titles {
        let extras = self
            .extras
            .drain()
            .map(|(at, extra)| (self.recs[at].key(), extra))
            .collect();
        self.recs.shrink_to_fit();
        self.guids.shrink_to_fit();
        Titles {
            recs: self.recs,
            guids: self.guids,
            extras,
        }
    }
}

#[cfg(test)]
mod tests;
