//! A deterministic fuzz loop over every webhook parser: mutated real payloads and random bytes
//! must give a parse result or a `Malformed` error, never a panic.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{arr, jellyfin, plex};

fn samples() -> Vec<Vec<u8>> {
    let dir = usher_testkit::specs_dir().join("webhooks");
    let mut samples: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("webhook samples")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .collect();
    samples.push(
        br#"{"event":"library.new","Server":{"uuid":"s"},"Metadata":{"ratingKey":"1","type":"episode","grandparentRatingKey":"2","Guid":[{"id":"tmdb://3"}]}}"#.to_vec(),
    );
    samples
}

fn mutate(rng: &mut StdRng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..8) {
        let at = if out.is_empty() {
            0
        } else {
            rng.random_range(0..out.len())
        };
        match rng.random_range(0..4) {
            0 if !out.is_empty() => {
                out.remove(at);
            }
            1 => out.insert(at, b"{}[]\":,0-9aZ\\\x00\xff"[rng.random_range(0..15)]),
            2 if !out.is_empty() => out[at] = rng.random(),
            _ => out.truncate(at),
        }
    }
    out
}

#[test]
fn parsers_never_panic() {
    let mut rng = StdRng::seed_from_u64(0x05_4e_52);
    let samples = samples();
    assert!(samples.len() > 10);
    for round in 0..8_000 {
        let input = if round % 10 == 0 {
            (0..rng.random_range(0..64)).map(|_| rng.random()).collect()
        } else {
            mutate(&mut rng, &samples[round % samples.len()])
        };
        let _ = arr::parse_radarr(&input);
        let _ = arr::parse_sonarr(&input);
        let _ = jellyfin::parse(&input);
        let _ = plex::parse(&input);
    }
}
