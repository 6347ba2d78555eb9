//! Masks what must not reach log files: secret-bearing query parameters (`token=`, `api_key=`,
//! `apikey=`, `password=`, `secret=`) and client addresses (the last IPv4 octet, all but the
//! first three IPv6 groups). Applied to each formatted line, so no log call can forget it.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

/// Query parameters whose value is replaced with `***`.
const SECRET_PARAMS: &[&str] = &["token=", "api_key=", "apikey=", "password=", "secret="];

/// Returns the line with secrets and addresses masked.
pub fn mask_line(line: &str) -> String {
    mask_addresses(&mask_params(line))
}

fn mask_params(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    'scan: while !rest.is_empty() {
        for param in SECRET_PARAMS {
            let starts_word = out
                .chars()
                .last()
                .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
            // `get` rather than slicing: the byte after a parameter name's length may fall
            // inside a multi-byte character, where a slice would panic (and a panic inside the
            // log writer wedges every later log call).
            if starts_word
                && rest
                    .get(..param.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(param))
            {
                out.push_str(&rest[..param.len()]);
                rest = &rest[param.len()..];
                let end = rest
                    .find(|c: char| {
                        matches!(c, '&' | ' ' | '"' | '\'' | ',' | ')' | '\\') || c.is_whitespace()
                    })
                    .unwrap_or(rest.len());
                if end > 0 {
                    out.push_str("***");
                }
                rest = &rest[end..];
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// Replaces every IPv4 or IPv6 address-looking token that stands alone: one glued to a word
/// (`usher_web::error` holds `eb::e`, a valid IPv6 address) is part of a name, not an address.
fn mask_addresses(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut token = String::new();
    let mut glued = false;
    let mut previous = None;
    for c in line.chars() {
        if c.is_ascii_hexdigit() || c == '.' || c == ':' {
            if token.is_empty() {
                glued = previous.is_some_and(is_word);
            }
            token.push(c);
        } else {
            out.push_str(&standalone(&token, glued || is_word(c)));
            token.clear();
            out.push(c);
        }
        previous = Some(c);
    }
    out.push_str(&standalone(&token, glued));
    out
}

/// A letter, digit or underscore: what names are made of.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The token masked, unless it is glued to a word.
fn standalone(token: &str, glued: bool) -> String {
    if glued {
        token.to_owned()
    } else {
        mask_token(token)
    }
}

fn mask_token(token: &str) -> String {
    // An address may be followed by `:port`; keep the port.
    if let Some((host, port)) = token.rsplit_once(':')
        && host.parse::<std::net::Ipv4Addr>().is_ok()
        && port.chars().all(|c| c.is_ascii_digit())
    {
        return format!("{}:{port}", mask_token(host));
    }
    if let Ok(v4) = token.parse::<std::net::Ipv4Addr>() {
        let [a, b, c, _] = v4.octets();
        return format!("{a}.{b}.{c}.x");
    }
    if token.contains(':')
        && let Ok(v6) = token.parse::<std::net::Ipv6Addr>()
    {
        if v6.is_loopback() || v6.is_unspecified() {
            return token.to_owned();
        }
        let s = v6.segments();
        return format!("{:x}:{:x}:{:x}::x", s[0], s[1], s[2]);
    }
    token.to_owned()
}

/// A writer maker whose writers mask each line before passing it on.
pub struct Masking<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Masking<M> {
    type Writer = MaskingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        MaskingWriter(self.0.make_writer())
    }
}

/// Masks what it is given (the formatter writes one event per call) and writes it on.
pub struct MaskingWriter<W>(W);

impl<W: Write> Write for MaskingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(mask_line(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::mask_line;

    #[test]
    fn secrets_in_urls_are_masked() {
        let line =
            r#"GET https://api.themoviedb.org/3/search/movie?api_key=abc123&query=dune failed"#;
        assert_eq!(
            mask_line(line),
            "GET https://api.themoviedb.org/3/search/movie?api_key=***&query=dune failed"
        );
        let json = r#"{"url":"http://h/hooks/radarr?token=s3cr3t","x":1}"#;
        assert_eq!(
            mask_line(json),
            r#"{"url":"http://h/hooks/radarr?token=***","x":1}"#
        );
        assert_eq!(
            mask_line("mytoken=abc"),
            "mytoken=abc",
            "only whole parameter names"
        );
    }

    #[test]
    fn addresses_are_masked_keeping_ports_and_loopback() {
        assert_eq!(
            mask_line("client 203.0.113.77 said"),
            "client 203.0.113.x said"
        );
        assert_eq!(
            mask_line("peer=198.51.100.4:5123"),
            "peer=198.51.100.x:5123"
        );
        assert_eq!(
            mask_line("ip 2001:db8:85a3:8d3:1319:8a2e:370:7348 end"),
            "ip 2001:db8:85a3::x end"
        );
        assert_eq!(mask_line("on ::1 and 10:30:00"), "on ::1 and 10:30:00");
        assert_eq!(mask_line("version 1.2.3"), "version 1.2.3");
        assert_eq!(mask_line("request 42 took 3.5ms"), "request 42 took 3.5ms");
        assert_eq!(
            mask_line("[2001:db8::7]:443 and (203.0.113.9)"),
            "[2001:db8:0::x]:443 and (203.0.113.x)"
        );
    }

    #[test]
    fn non_ascii_lines_pass_through() {
        // "é" is two bytes: slicing "é=x" at the length of "token=" used to panic.
        assert_eq!(mask_line("é=x"), "é=x");
        assert_eq!(mask_line("Amélie token=ß€cr€t fin"), "Amélie token=*** fin");
        assert_eq!(
            mask_line("チケット password=秘密 and 203.0.113.5 ✓"),
            "チケット password=*** and 203.0.113.x ✓"
        );
    }

    /// Random lines mixing ASCII, the masked shapes and multi-byte characters (2, 3 and 4
    /// bytes): the masker never panics, keeps what is not secret, and masks a secret planted
    /// anywhere in such a line. Seeded, so a failure is repeatable.
    #[test]
    fn arbitrary_utf8_never_panics_and_secrets_stay_masked() {
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "_",
            "0",
            "7",
            " ",
            "=",
            "&",
            "?",
            ":",
            ".",
            "\"",
            "é",
            "ß",
            "€",
            "日本",
            "😀",
            "\u{301}",
            "token=",
            "API_KEY=",
            "secret=",
            "password",
            "tok",
            "1.2.3.4",
            "::",
            "fe80::1",
            "\n",
            "\t",
            "\u{0}",
            "\u{10FFFF}",
        ];
        let mut rng = StdRng::seed_from_u64(0x5EED_F00D);
        let random_text = |rng: &mut StdRng, max: usize| -> String {
            let len = rng.random_range(0..=max);
            (0..len)
                .map(|_| {
                    if rng.random_bool(0.3) {
                        // any scalar value, not just the listed ones
                        char::from_u32(rng.random_range(0..=0x10_FFFF))
                            .unwrap_or('\u{FFFD}')
                            .to_string()
                    } else {
                        PIECES[rng.random_range(0..PIECES.len())].to_owned()
                    }
                })
                .collect()
        };
        for _ in 0..5_000 {
            let line = random_text(&mut rng, 40);
            let masked = mask_line(&line);
            if !line.contains('=') && !line.chars().any(|c| c == '.' || c == ':') {
                assert_eq!(masked, line, "nothing to mask in {line:?}");
            }
            // a secret with multi-byte characters, planted between random text
            let secret = format!("Ω{}ß", rng.random::<u32>());
            let name =
                ["token=", "api_key=", "Secret=", "APIKEY=", "password="][rng.random_range(0..5)];
            let (before, after) = (random_text(&mut rng, 20), random_text(&mut rng, 20));
            let planted = format!("{before} {name}{secret} {after}");
            let masked = mask_line(&planted);
            assert!(!masked.contains(&secret), "{planted:?} became {masked:?}");
            assert!(masked.contains(&format!("{name}***")), "{masked:?}");
        }
    }

    #[test]
    fn names_that_hold_an_address_shape_stay_whole() {
        // `eb::e` and `ad:be::ef` parse as IPv6, but here they are parts of names.
        let line = "ERROR usher_web::error: request failed; see fead:be::ef_x now";
        assert_eq!(mask_line(line), line);
    }
}
