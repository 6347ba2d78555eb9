//! Splits a JSON array arriving in chunks into its elements, so a listing of 100,000 titles
//! (Radarr's `/api/v3/movie` is hundreds of megabytes) is parsed one element at a time and
//! never held whole. Only the array's structure is tracked here (depth, strings, escapes);
//! each element's bytes are handed on to be parsed properly.

use super::UpstreamError;

/// Where the splitter stands.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Before the opening `[`.
    #[default]
    Before,
    /// Inside the array.
    Inside,
    /// After the closing `]`.
    After,
}

/// The elements of one JSON array, fed chunk by chunk.
#[derive(Debug, Default)]
pub(crate) struct Elements {
    /// Bytes of the element being read (and whatever follows it in the last chunk).
    pending: Vec<u8>,
    /// How far `pending` has been scanned.
    scanned: usize,
    stage: Stage,
    /// Nesting inside the current element.
    depth: u32,
    in_string: bool,
    escaped: bool,
}

fn malformed(why: &str) -> UpstreamError {
    UpstreamError::Malformed(why.to_owned())
}

impl Elements {
    /// Takes the next chunk; `each` gets every element completed by it.
    pub(crate) fn feed(
        &mut self,
        chunk: &[u8],
        each: &mut impl FnMut(&[u8]) -> Result<(), UpstreamError>,
    ) -> Result<(), UpstreamError> {
        self.pending.extend_from_slice(chunk);
        let mut start = 0;
        while self.scanned < self.pending.len() {
            let byte = self.pending[self.scanned];
            self.scanned += 1;
            match self.stage {
                Stage::Before if byte.is_ascii_whitespace() => start = self.scanned,
                Stage::Before if byte == b'[' => {
                    self.stage = Stage::Inside;
                    start = self.scanned;
                }
                Stage::Before => return Err(malformed("expected a JSON array")),
                Stage::After if byte.is_ascii_whitespace() => {}
                Stage::After => return Err(malformed("text after the JSON array")),
                Stage::Inside => {
                    if let Some(end) = self.step(byte) {
                        let element = self.pending[start..self.scanned - 1].trim_ascii();
                        if !element.is_empty() {
                            each(element)?;
                        } else if end == b',' {
                            return Err(malformed("an empty element in a JSON array"));
                        }
                        start = self.scanned;
                    }
                }
            }
        }
        self.pending.drain(..start);
        self.scanned -= start;
        Ok(())
    }

    /// Follows one byte inside the array; the byte when it ends an element (`,` or `]`).
    fn step(&mut self, byte: u8) -> Option<u8> {
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return None;
        }
        match byte {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => self.depth -= 1,
            b']' => {
                self.stage = Stage::After;
                return Some(byte);
            }
            b',' if self.depth == 0 => return Some(byte),
            _ => {}
        }
        None
    }

    /// The body ended: fine only after the closing `]`.
    pub(crate) fn end(&self) -> Result<(), UpstreamError> {
        match self.stage {
            Stage::After => Ok(()),
            Stage::Before if self.pending.trim_ascii().is_empty() => {
                Err(malformed("an empty answer instead of a JSON array"))
            }
            _ => Err(malformed("the JSON array was cut off")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&str]) -> Result<Vec<String>, UpstreamError> {
        let mut elements = Elements::default();
        let mut got = Vec::new();
        for chunk in chunks {
            elements.feed(chunk.as_bytes(), &mut |e: &[u8]| {
                got.push(String::from_utf8_lossy(e).into_owned());
                Ok(())
            })?;
        }
        elements.end()?;
        Ok(got)
    }

    #[test]
    fn elements_come_out_whole_however_the_chunks_fall() {
        let body = r#" [ {"a":"x,]}\"y","b":[1,{"c":2}]}, 3 ,"s\\",[] ] "#;
        let want = vec![
            r#"{"a":"x,]}\"y","b":[1,{"c":2}]}"#.to_owned(),
            "3".to_owned(),
            r#""s\\""#.to_owned(),
            "[]".to_owned(),
        ];
        assert_eq!(split(&[body]).expect("one chunk"), want);
        // Every split point, and byte by byte.
        for at in 0..body.len() {
            let (a, b) = body.split_at(at);
            assert_eq!(split(&[a, b]).expect("two chunks"), want, "split at {at}");
        }
        let bytes: Vec<String> = body.chars().map(String::from).collect();
        let refs: Vec<&str> = bytes.iter().map(String::as_str).collect();
        assert_eq!(split(&refs).expect("bytes"), want);
        assert_eq!(split(&["[]"]).expect("empty"), Vec::<String>::new());
    }

    #[test]
    fn a_body_that_is_not_one_whole_array_fails() {
        assert!(split(&[r#"{"a":1}"#]).is_err());
        assert!(split(&["[1,2"]).is_err());
        assert!(split(&[r#"[{"a":"]"#]).is_err());
        assert!(split(&["[1,,2]"]).is_err());
        assert!(split(&["[1] x"]).is_err());
        assert!(split(&[""]).is_err());
    }
}
