//! The deterministic fuzz loop standing in for a `cargo fuzz` target: random strings, mutations
//! of valid ids and validly signed random bodies through `decode`, which must never panic and
//! must only accept canonical encodings.

use super::*;

/// Checks one fuzz input: no panic (the test fails if there is one), and anything accepted is
/// the canonical encoding of what it decoded to.
fn check(codec: &CallbackCodec, input: &str) {
    if let Ok(action) = codec.decode(input) {
        assert_eq!(codec.encode(&action), input, "accepted non-canonical id");
    }
}

#[test]
fn fuzz_random_strings_never_panic() {
    const ALPHABET: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \0\xff";
    let codec = CallbackCodec::new(KEY_A, Some(KEY_B));
    let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
    for round in 0..200_000 {
        let len = rng.below(MAX_ENCODED_LEN + 12);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if round % 2 == 0 {
                    ALPHABET[rng.below(ALPHABET.len())]
                } else {
                    rng.byte()
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            codec.decode(&text).is_err(),
            "random input accepted: {text:?}"
        );
    }
}

#[test]
fn fuzz_mutations_of_valid_ids_never_panic() {
    let codec = CallbackCodec::new(KEY_A, Some(KEY_B));
    let mut rng = XorShift(0x0BAD_C0DE_1234_5678);
    for _ in 0..100_000 {
        let action = random_action(&mut rng);
        let mut raw = URL_SAFE_NO_PAD
            .decode(codec.encode(&action))
            .expect("base64");
        for _ in 0..=rng.below(3) {
            match rng.below(5) {
                0 if !raw.is_empty() => {
                    let at = rng.below(raw.len());
                    raw[at] ^= 1 << rng.below(8);
                }
                1 if !raw.is_empty() => {
                    let at = rng.below(raw.len());
                    raw[at] = rng.byte();
                }
                2 => raw.truncate(rng.below(raw.len() + 1)),
                3 => {
                    let at = rng.below(raw.len() + 1);
                    raw.insert(at, rng.byte());
                }
                _ => {
                    if !raw.is_empty() {
                        raw.remove(rng.below(raw.len()));
                    }
                }
            }
        }
        check(&codec, &URL_SAFE_NO_PAD.encode(&raw));
    }
}

#[test]
fn fuzz_signed_random_bodies_never_panic() {
    // Behind a valid signature the field parser sees arbitrary bytes: only canonical ones pass.
    let codec = codec();
    let mut rng = XorShift(0x5EED_0FF0_0DBA_BE00);
    let mut accepted = 0;
    for _ in 0..100_000 {
        let mut raw = vec![VERSION];
        // Mostly known action tags, so the parser goes deep.
        raw.push(if rng.below(8) == 0 {
            rng.byte()
        } else {
            rng.below(10) as u8
        });
        let body_len = rng.below(MAX_RAW_LEN - TAG_LEN - HEADER_LEN + 1);
        raw.extend((0..body_len).map(|_| match rng.below(4) {
            0 => 0x80 | rng.byte(),
            1 => rng.byte() & 0x07,
            _ => rng.byte(),
        }));
        let text = sign(&codec, &raw);
        if codec.decode(&text).is_ok() {
            accepted += 1;
        }
        check(&codec, &text);
    }
    // The loop must actually reach the successful paths, or it tests nothing deep.
    assert!(accepted > 100, "only {accepted} random bodies parsed");
}
