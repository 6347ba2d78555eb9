//! Tests of the button id codec; the deterministic fuzz loop that stands in for a `cargo fuzz`
//! target lives in the `fuzz` submodule.

use super::wire::tag;
use super::*;

mod fuzz;

const KEY_A: [u8; 32] = [0xA5; 32];
const KEY_B: [u8; 32] = [0x5A; 32];
const KEY_C: [u8; 32] = [0x3C; 32];

fn codec() -> CallbackCodec {
    CallbackCodec::new(KEY_A, None)
}

/// Signs arbitrary raw bytes (version byte included) so tests can reach the field parser.
fn sign(codec: &CallbackCodec, raw: &[u8]) -> String {
    codec.seal(raw.to_vec())
}

/// Tiny xorshift64* PRNG: deterministic, so a failing fuzz case reproduces, and no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    fn flag(&mut self) -> bool {
        self.next() & 1 == 1
    }

    /// Values skewed towards the edges, where encoders break.
    fn edgy(&mut self) -> u64 {
        match self.below(4) {
            0 => self.next() >> self.below(64),
            1 => (1u64 << self.below(64)).wrapping_sub(self.below(2) as u64),
            2 => self.next() % 300,
            _ => self.next(),
        }
    }
}

fn random_pick(rng: &mut XorShift) -> SeasonPick {
    SeasonPick {
        mask: rng.edgy(),
        all: rng.flag(),
        future: rng.flag(),
    }
}

fn random_action(rng: &mut XorShift) -> Action {
    let request_id = rng.edgy().cast_signed();
    match rng.below(24) {
        0 => Action::Approve { request_id },
        1 => Action::Decline { request_id },
        2 => Action::DeclineWithReason {
            request_id,
            reason: rng.byte(),
        },
        3 => Action::Cancel { request_id },
        4 => Action::Retry { request_id },
        5 => Action::Follow { request_id },
        6 => Action::Request {
            media: if rng.flag() {
                MediaKind::Movie
            } else {
                MediaKind::Tv
            },
            tmdb_id: rng.edgy() as u32,
            four_k: rng.flag(),
            seasons: random_pick(rng),
        },
        7 => Action::ToggleSeason {
            tmdb_id: rng.edgy() as u32,
            four_k: rng.flag(),
            seasons: random_pick(rng),
            season: rng.byte(),
        },
        8 => Action::Page {
            search_id: rng.edgy(),
            index: rng.edgy() as u16,
        },
        9 => Action::PickSeasons {
            tmdb_id: rng.edgy() as u32,
            search_id: rng.edgy(),
            index: rng.edgy() as u16,
            seasons: random_pick(rng),
        },
        10 => Action::DeclineOther { request_id },
        11 => Action::SetLanguage {
            language: [LangTag::AUTOMATIC, LangTag::new("pt-BR").expect("tag")]
                [usize::from(rng.flag())],
        },
        12 => Action::SeasonMenu {
            tmdb_id: rng.edgy() as u32,
            four_k: rng.flag(),
        },
        13 => Action::ResolveIssue {
            issue_id: request_id,
        },
        14 => Action::RequestEpisodes {
            tmdb_id: rng.edgy() as u32,
            four_k: rng.flag(),
            season: rng.byte(),
            episodes: EpisodePick(rng.edgy().max(1)),
        },
        15 => Action::PickEpisodes {
            tmdb_id: rng.edgy() as u32,
            search_id: rng.edgy(),
            index: rng.edgy() as u16,
            season: rng.byte(),
            page: rng.byte(),
            episodes: EpisodePick(rng.edgy()),
        },
        16 => Action::Discover {
            list: random_list(rng),
            page: rng.edgy() as u16,
        },
        17 => Action::OpenTitle {
            media: random_media(rng),
            tmdb_id: rng.edgy() as u32,
        },
        18 => Action::Genres {
            media: random_media(rng),
        },
        19 => Action::Vote { request_id },
        21 => Action::EpisodeSeasons {
            tmdb_id: rng.edgy() as u32,
        },
        22 => Action::EpisodeMenu {
            tmdb_id: rng.edgy() as u32,
            season: rng.byte(),
            page: rng.byte(),
        },
        23 => Action::EpisodePage {
            tmdb_id: rng.edgy() as u32,
            season: rng.byte(),
            page: rng.byte(),
        },
        _ => Action::Noop,
    }
}

fn random_media(rng: &mut XorShift) -> MediaKind {
    if rng.flag() {
        MediaKind::Movie
    } else {
        MediaKind::Tv
    }
}

fn random_list(rng: &mut XorShift) -> DiscoverList {
    use usher_core::integrations::tmdb::{TimeWindow, Trending};
    let media = random_media(rng).into();
    match rng.below(4) {
        0 => DiscoverList::Trending(
            [Trending::All, Trending::Movie, Trending::Tv][rng.below(3)],
            [TimeWindow::Day, TimeWindow::Week][rng.below(2)],
        ),
        1 => DiscoverList::Popular(media),
        2 => DiscoverList::Upcoming,
        _ => DiscoverList::Genre(media, rng.edgy() as u32),
    }
}

const FULL_PICK: SeasonPick = SeasonPick {
    mask: u64::MAX,
    all: true,
    future: true,
};

/// The largest value of every variant: longest varints, every flag set.
fn maximal_actions() -> Vec<Action> {
    let mut actions = Vec::new();
    // A negative id takes the most bytes (its two's-complement has bit 63 set).
    for request_id in [i64::MIN, -1, i64::MAX] {
        actions.extend([
            Action::Approve { request_id },
            Action::Decline { request_id },
            Action::DeclineWithReason {
                request_id,
                reason: u8::MAX,
            },
            Action::Cancel { request_id },
            Action::Retry { request_id },
            Action::Follow { request_id },
            Action::DeclineOther { request_id },
            Action::ResolveIssue {
                issue_id: request_id,
            },
            Action::Vote { request_id },
        ]);
    }
    for media in [MediaKind::Movie, MediaKind::Tv] {
        actions.push(Action::Request {
            media,
            tmdb_id: u32::MAX,
            four_k: true,
            seasons: FULL_PICK,
        });
    }
    actions.extend([
        Action::ToggleSeason {
            tmdb_id: u32::MAX,
            four_k: true,
            seasons: FULL_PICK,
            season: u8::MAX,
        },
        Action::Page {
            search_id: u64::MAX,
            index: u16::MAX,
        },
        Action::PickSeasons {
            tmdb_id: u32::MAX,
            search_id: u64::MAX,
            index: u16::MAX,
            seasons: FULL_PICK,
        },
        Action::SetLanguage {
            language: LangTag::new("zh-Hant1").expect("eight characters"),
        },
        Action::SeasonMenu {
            tmdb_id: u32::MAX,
            four_k: true,
        },
        Action::RequestEpisodes {
            tmdb_id: u32::MAX,
            four_k: true,
            season: u8::MAX,
            episodes: EpisodePick(u64::MAX),
        },
        Action::PickEpisodes {
            tmdb_id: u32::MAX,
            search_id: u64::MAX,
            index: u16::MAX,
            season: u8::MAX,
            page: u8::MAX,
            episodes: EpisodePick(u64::MAX),
        },
        Action::EpisodeSeasons { tmdb_id: u32::MAX },
        Action::EpisodeMenu {
            tmdb_id: u32::MAX,
            season: u8::MAX,
            page: u8::MAX,
        },
        Action::EpisodePage {
            tmdb_id: u32::MAX,
            season: u8::MAX,
            page: u8::MAX,
        },
        Action::Noop,
    ]);
    for media in [MediaKind::Movie, MediaKind::Tv] {
        actions.extend([
            Action::Discover {
                list: DiscoverList::Genre(media.into(), u32::MAX),
                page: u16::MAX,
            },
            Action::OpenTitle {
                media,
                tmdb_id: u32::MAX,
            },
            Action::Genres { media },
        ]);
    }
    actions.push(Action::Discover {
        list: DiscoverList::Trending(
            usher_core::integrations::tmdb::Trending::Tv,
            usher_core::integrations::tmdb::TimeWindow::Week,
        ),
        page: u16::MAX,
    });
    actions
}

/// Everyday values next to the maximal ones.
fn sample_actions() -> Vec<Action> {
    let mut actions = maximal_actions();
    actions.extend([
        Action::Approve { request_id: 0 },
        Action::Decline { request_id: 1 },
        Action::DeclineWithReason {
            request_id: 42,
            reason: 0,
        },
        Action::Cancel { request_id: 127 },
        Action::Retry { request_id: 128 },
        Action::Follow {
            request_id: 1_000_000,
        },
        Action::Request {
            media: MediaKind::Movie,
            tmdb_id: 603,
            four_k: false,
            seasons: SeasonPick::default(),
        },
        Action::Request {
            media: MediaKind::Tv,
            tmdb_id: 1399,
            four_k: false,
            seasons: SeasonPick {
                mask: 0b1110,
                all: false,
                future: true,
            },
        },
        Action::ToggleSeason {
            tmdb_id: 0,
            four_k: false,
            seasons: SeasonPick::default(),
            season: 0,
        },
        Action::Page {
            search_id: 0,
            index: 0,
        },
        Action::PickSeasons {
            tmdb_id: 1429,
            search_id: 12,
            index: 3,
            seasons: SeasonPick {
                mask: 0b1010,
                all: false,
                future: true,
            },
        },
        Action::DeclineOther { request_id: 3 },
        Action::SetLanguage {
            language: LangTag::AUTOMATIC,
        },
        Action::SetLanguage {
            language: LangTag::new("de").expect("tag"),
        },
        Action::SeasonMenu {
            tmdb_id: 1429,
            four_k: false,
        },
    ]);
    actions
}

#[test]
fn every_variant_round_trips() {
    let codec = codec();
    for action in sample_actions() {
        let id = codec.encode(&action);
        assert_eq!(codec.decode(&id), Ok(action), "{action:?} as {id}");
    }
}

#[test]
fn random_actions_round_trip() {
    let codec = codec();
    let mut rng = XorShift(0x1234_5678_9ABC_DEF0);
    for _ in 0..20_000 {
        let action = random_action(&mut rng);
        let id = codec.encode(&action);
        assert!(id.len() <= MAX_ENCODED_LEN, "{action:?} as {id}");
        assert_eq!(codec.decode(&id), Ok(action), "{action:?} as {id}");
    }
}

#[test]
fn varint_boundaries_round_trip() {
    let codec = codec();
    for shift in 0..64 {
        for search_id in [(1u64 << shift) - 1, 1u64 << shift, (1u64 << shift) + 1] {
            let action = Action::Page {
                search_id,
                index: 7,
            };
            assert_eq!(codec.decode(&codec.encode(&action)), Ok(action));
        }
    }
}

#[test]
fn every_maximal_encoding_fits_telegram_and_discord() {
    let codec = codec();
    let mut longest = 0;
    for action in maximal_actions() {
        let id = codec.encode(&action);
        assert!(
            id.len() <= MAX_ENCODED_LEN,
            "{action:?} is {} bytes",
            id.len()
        );
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{id} is not plain base64url"
        );
        longest = longest.max(id.len());
    }
    // The module doc promises this figure; update it with the layout.
    assert_eq!(longest, 56);
}

#[test]
fn encoding_is_deterministic_and_depends_on_the_key() {
    let action = Action::Approve { request_id: 7 };
    assert_eq!(codec().encode(&action), codec().encode(&action));
    assert_ne!(
        codec().encode(&action),
        CallbackCodec::new(KEY_B, None).encode(&action)
    );
}

#[test]
fn wire_format_is_stable() {
    // Buttons already posted must keep decoding after an upgrade: pin the exact bytes
    // (checked independently with Python's hmac module).
    let codec = codec();
    let action = Action::Approve { request_id: 300 };
    let id = codec.encode(&action);
    let raw = URL_SAFE_NO_PAD.decode(&id).expect("base64");
    assert_eq!(&raw[..4], &[VERSION, tag::APPROVE, 0xAC, 0x02]);
    assert_eq!(raw.len(), 4 + TAG_LEN);
    assert_eq!(id, "AQGsAkhgcXa3SGCOqCo");
    assert_eq!(codec.decode("AQGsAkhgcXa3SGCOqCo"), Ok(action));
}

#[test]
fn a_flipped_bit_in_the_bytes_is_rejected() {
    let codec = codec();
    for action in sample_actions() {
        let raw = URL_SAFE_NO_PAD
            .decode(codec.encode(&action))
            .expect("base64");
        for bit in 0..raw.len() * 8 {
            let mut edited = raw.clone();
            edited[bit / 8] ^= 1 << (bit % 8);
            let result = codec.decode(&URL_SAFE_NO_PAD.encode(&edited));
            assert!(
                result.is_err(),
                "{action:?} with bit {bit} flipped: {result:?}"
            );
        }
    }
}

#[test]
fn a_flipped_bit_in_the_text_is_rejected() {
    let codec = codec();
    for action in sample_actions() {
        let id = codec.encode(&action);
        for bit in 0..id.len() * 8 {
            let mut edited = id.clone().into_bytes();
            edited[bit / 8] ^= 1 << (bit % 8);
            // A flip into a non-ASCII byte cannot even reach `decode(&str)`.
            if let Ok(edited) = String::from_utf8(edited) {
                assert!(codec.decode(&edited).is_err(), "{id} edited to {edited}");
            }
        }
    }
}

#[test]
fn truncation_is_rejected() {
    let codec = codec();
    for action in sample_actions() {
        let id = codec.encode(&action);
        for cut in 0..id.len() {
            assert!(codec.decode(&id[..cut]).is_err(), "{id} cut to {cut}");
            assert!(codec.decode(&id[cut + 1..]).is_err(), "{id} from {cut}");
        }
    }
}

#[test]
fn a_tag_from_another_key_is_a_bad_signature() {
    let other = CallbackCodec::new(KEY_B, None);
    for action in sample_actions() {
        assert_eq!(
            codec().decode(&other.encode(&action)),
            Err(CallbackError::BadSignature)
        );
    }
}

#[test]
fn rotation_accepts_the_previous_key_and_signs_with_the_current_one() {
    let before = codec();
    let during = CallbackCodec::new(KEY_B, Some(KEY_A));
    let after = CallbackCodec::new(KEY_C, Some(KEY_B));
    let action = Action::Follow { request_id: 99 };

    let old_button = before.encode(&action);
    assert_eq!(during.decode(&old_button), Ok(action));

    let new_button = during.encode(&action);
    assert_ne!(new_button, old_button);
    assert_eq!(
        new_button,
        CallbackCodec::new(KEY_B, None).encode(&action),
        "encode must use the current key only"
    );
    assert_eq!(during.decode(&new_button), Ok(action));
    assert_eq!(before.decode(&new_button), Err(CallbackError::BadSignature));

    // Once the old key is dropped, its buttons stop working.
    assert_eq!(after.decode(&new_button), Ok(action));
    assert_eq!(after.decode(&old_button), Err(CallbackError::BadSignature));
}

#[test]
fn empty_and_over_long_ids_are_malformed() {
    let codec = codec();
    assert_eq!(codec.decode(""), Err(CallbackError::Malformed));
    let valid = codec.encode(&Action::Noop);
    for len in [MAX_ENCODED_LEN + 1, 100, 101, 10_000] {
        let long: String = valid.chars().cycle().take(len).collect();
        assert_eq!(codec.decode(&long), Err(CallbackError::Malformed), "{len}");
    }
    // A valid id with padding appended to exceed the limit is refused too.
    let padded = format!("{valid}{}", "A".repeat(MAX_ENCODED_LEN));
    assert_eq!(codec.decode(&padded), Err(CallbackError::Malformed));
}

#[test]
fn bad_base64_is_malformed() {
    let codec = codec();
    let id = codec.encode(&Action::Approve { request_id: 5 });
    for bad in [
        id.replacen(&id[3..4], "+", 1),
        format!("{id}="),
        format!("{id} "),
        format!(" {id}"),
        id.replacen(&id[0..1], "é", 1),
        "!!!!".to_owned(),
        "A".to_owned(),
    ] {
        assert_eq!(codec.decode(&bad), Err(CallbackError::Malformed), "{bad}");
    }
    // Extra characters that still decode shift the tag: refused, whatever the reason given.
    assert!(codec.decode(&format!("{id}A")).is_err());
    // Non-zero unused bits in the last character are not canonical.
    let raw = [VERSION, tag::NOOP];
    let mut sealed = URL_SAFE_NO_PAD.decode(sign(&codec, &raw)).expect("base64");
    sealed.push(0); // 13 bytes: the last character carries 4 unused bits
    let mut text = URL_SAFE_NO_PAD.encode(&sealed).into_bytes();
    let last = text.len() - 1;
    text[last] = b'B';
    let text = String::from_utf8(text).expect("ascii");
    assert_eq!(codec.decode(&text), Err(CallbackError::Malformed));
}

#[test]
fn too_short_ids_are_malformed() {
    let codec = codec();
    for len in 0..HEADER_LEN + TAG_LEN {
        let raw = vec![VERSION; len];
        let text = URL_SAFE_NO_PAD.encode(&raw);
        if !text.is_empty() {
            assert_eq!(codec.decode(&text), Err(CallbackError::Malformed), "{len}");
        }
    }
}

#[test]
fn another_version_is_unsupported() {
    let codec = codec();
    for version in [0, 2, 0xFF] {
        let id = sign(&codec, &[version, tag::APPROVE, 1]);
        assert_eq!(
            codec.decode(&id),
            Err(CallbackError::UnsupportedVersion(version))
        );
    }
}

#[test]
fn validly_signed_garbage_is_malformed() {
    let codec = codec();
    let nine_ff = [0xFF; 9];
    let past_64_bits = [
        [&[VERSION, tag::APPROVE][..], &nine_ff, &[0x02]].concat(),
        [&[VERSION, tag::APPROVE][..], &nine_ff, &[0x81, 0x00]].concat(),
    ];
    let cases: &[&[u8]] = &[
        &past_64_bits[0],
        &past_64_bits[1],
        // Unknown action tags.
        &[VERSION, 13],
        // Episodes: none picked, a 4K flag that is not 0 or 1, cut short.
        &[VERSION, tag::REQUEST_EPISODES, 1, 0, 2, 0],
        &[VERSION, tag::REQUEST_EPISODES, 1, 2, 2, 1],
        &[VERSION, tag::REQUEST_EPISODES, 1, 0, 2],
        &[VERSION, 0xFF, 1],
        // No action tag at all.
        &[VERSION],
        // Trailing bytes.
        &[VERSION, tag::NOOP, 0],
        &[VERSION, tag::APPROVE, 1, 0],
        &[VERSION, tag::PAGE, 1, 1, 1],
        // Missing fields.
        &[VERSION, tag::APPROVE],
        &[VERSION, tag::DECLINE_WITH_REASON, 1],
        &[VERSION, tag::REQUEST, 0, 1, 0],
        &[VERSION, tag::TOGGLE_SEASON, 1, 0, 0],
        &[VERSION, tag::PAGE, 1],
        &[VERSION, tag::DECLINE_OTHER],
        // Language tags: none at all, too long, cut short, a byte no tag holds.
        &[VERSION, tag::SET_LANGUAGE],
        &[
            VERSION,
            tag::SET_LANGUAGE,
            9,
            b'a',
            b'a',
            b'a',
            b'a',
            b'a',
            b'a',
            b'a',
            b'a',
            b'a',
        ],
        &[VERSION, tag::SET_LANGUAGE, 2, b'd'],
        &[VERSION, tag::SET_LANGUAGE, 2, b'd', b'_'],
        &[VERSION, tag::SET_LANGUAGE, 0, b'd'],
        // Unterminated varint.
        &[VERSION, tag::APPROVE, 0x80],
        // Overlong varints (a final zero byte).
        &[VERSION, tag::APPROVE, 0x80, 0x00],
        &[VERSION, tag::APPROVE, 0x81, 0x80, 0x00],
        // tmdb id past u32.
        &[VERSION, tag::REQUEST, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0],
        // Page index past u16.
        &[VERSION, tag::PAGE, 0, 0x80, 0x80, 0x04],
        // Unknown media kind.
        &[VERSION, tag::REQUEST, 2, 1, 0, 0],
        // Unknown flag bits.
        &[VERSION, tag::REQUEST, 1, 1, 0x08, 0],
        &[VERSION, tag::TOGGLE_SEASON, 1, 0x80, 0, 3],
        // The picker never carries the 4K bit (both requests are offered from it).
        &[VERSION, tag::PICK_SEASONS, 1, 1, 1, 0x01, 0],
        &[VERSION, tag::PICK_SEASONS, 1, 1, 1, 0x08, 0],
        // Picker: missing pick, index past u16, trailing byte.
        &[VERSION, tag::PICK_SEASONS, 1, 1, 1],
        &[VERSION, tag::PICK_SEASONS, 1, 1, 0x80, 0x80, 0x04, 0, 0],
        &[VERSION, tag::PICK_SEASONS, 1, 1, 1, 0, 0, 0],
        // Lists to browse: unknown list kinds, trending kinds, windows and media; missing
        // page; trailing byte; an opened title's media byte.
        &[VERSION, tag::DISCOVER, 4, 1],
        &[VERSION, tag::DISCOVER, 0, 3, 1, 1],
        &[VERSION, tag::DISCOVER, 0, 0, 2, 1],
        &[VERSION, tag::DISCOVER, 1, 2, 1],
        &[VERSION, tag::DISCOVER, 3, 0, 16],
        &[VERSION, tag::DISCOVER, 2, 1, 0],
        &[VERSION, tag::OPEN_TITLE, 2, 1],
        &[VERSION, tag::GENRES, 1, 0],
        // Season menu: the 4K byte is 0 or 1, nothing missing, nothing after.
        &[VERSION, tag::SEASON_MENU, 1, 2],
        &[VERSION, tag::SEASON_MENU, 1],
        &[VERSION, tag::SEASON_MENU, 1, 0, 0],
    ];
    for raw in cases {
        assert_eq!(
            codec.decode(&sign(&codec, raw)),
            Err(CallbackError::Malformed),
            "{raw:02x?}"
        );
    }
    // The largest legal values next to the refused ones decode.
    let edge: &[(&[u8], Action)] = &[
        (
            &[VERSION, tag::REQUEST, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 7, 0],
            Action::Request {
                media: MediaKind::Movie,
                tmdb_id: u32::MAX,
                four_k: true,
                seasons: SeasonPick {
                    mask: 0,
                    all: true,
                    future: true,
                },
            },
        ),
        (
            &[VERSION, tag::PAGE, 0, 0xFF, 0xFF, 0x03],
            Action::Page {
                search_id: 0,
                index: u16::MAX,
            },
        ),
        (
            &[
                VERSION,
                tag::PICK_SEASONS,
                5,
                2,
                0xFF,
                0xFF,
                0x03,
                0x06,
                0x0A,
            ],
            Action::PickSeasons {
                tmdb_id: 5,
                search_id: 2,
                index: u16::MAX,
                seasons: SeasonPick {
                    mask: 0b1010,
                    all: true,
                    future: true,
                },
            },
        ),
    ];
    for (raw, action) in edge {
        assert_eq!(codec.decode(&sign(&codec, raw)), Ok(*action), "{raw:02x?}");
    }
}

#[test]
fn debug_never_shows_keys() {
    let rendered = format!("{:?}", CallbackCodec::new(KEY_A, Some(KEY_B)));
    assert_eq!(rendered, "CallbackCodec { rotating: true, .. }");
    let rendered = format!("{:?}", CallbackCodec::new(KEY_A, None));
    assert_eq!(rendered, "CallbackCodec { rotating: false, .. }");
}

#[test]
fn keyed_mac_matches_the_standard_hmac_construction() {
    let reference =
        <HmacSha256 as KeyInit>::new_from_slice(&KEY_A).expect("any key length is fine");
    let ours = keyed_mac(&KEY_A);
    assert_eq!(
        compute_tag(&ours, b"usher"),
        compute_tag(&reference, b"usher")
    );
}

#[test]
fn season_pick_helpers() {
    let mut pick = SeasonPick::default();
    assert!(pick.seasons().is_empty());
    assert!(pick.toggle(0));
    assert!(pick.toggle(3));
    assert!(pick.toggle(SeasonPick::MAX_SEASON));
    assert!(pick.contains(0) && pick.contains(3) && pick.contains(63));
    assert!(!pick.contains(1));
    assert_eq!(pick.seasons(), vec![0, 3, 63]);
    assert!(pick.toggle(3));
    assert!(!pick.contains(3));
    assert_eq!(pick.seasons(), vec![0, 63]);
    // Out of range: a no-op, never a panic.
    assert!(!pick.toggle(64));
    assert!(!pick.toggle(u8::MAX));
    assert!(!pick.contains(64));
    assert_eq!(pick.mask, 1 | 1 << 63);
    // `all` and `future` do not change what `contains` reports.
    let everything = SeasonPick {
        mask: 0,
        all: true,
        future: true,
    };
    assert!(!everything.contains(1));
    assert_eq!(FULL_PICK.seasons(), (0..=63).collect::<Vec<u8>>());
}

#[test]
fn errors_read_as_plain_sentences() {
    assert_eq!(
        CallbackError::UnsupportedVersion(3).to_string(),
        "unsupported button id version 3"
    );
    assert_eq!(CallbackError::Malformed.to_string(), "malformed button id");
}

#[test]
fn language_tags_hold_what_a_button_can_carry() {
    assert_eq!(
        LangTag::new("pt-BR")
            .and_then(|t| t.language().map(str::to_owned))
            .as_deref(),
        Some("pt-BR")
    );
    assert_eq!(LangTag::AUTOMATIC.language(), None);
    assert_eq!(LangTag::default(), LangTag::AUTOMATIC);
    for bad in ["", "de_DE", "zh-Hant-TW", "fr\n", "ü"] {
        assert_eq!(LangTag::new(bad), None, "{bad:?}");
    }
}
