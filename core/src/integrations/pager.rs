//! The paging guard every paged upstream listing goes through (Jellyfin's and Emby's
//! `StartIndex`/`Limit`, Plex's `X-Plex-Container-Start/Size`, the *arr queues' `page`), so a
//! server that never stops paging, or ignores the offset, fails its listing instead of running
//! forever.

use super::http::UpstreamError;

/// Pages any one listing may take at most, whatever the server says: a server that never
/// stops paging fails its pass instead of running forever.
pub const MAX_PAGES: u32 = 2_000;

/// Keeps a paged listing honest: stops on a short or empty page or once the announced total is
/// reached, and fails after [`MAX_PAGES`] or well past the announced total.
#[derive(Debug)]
pub struct Pager {
    size: u32,
    start: u64,
    pages: u32,
    cap: u32,
    last_first: Option<String>,
}

impl Pager {
    /// A listing with pages of `size` items.
    pub fn new(size: u32) -> Self {
        Self {
            size: size.max(1),
            start: 0,
            pages: 0,
            cap: MAX_PAGES,
            last_first: None,
        }
    }

    /// The index of the next page's first item.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// The page size.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Takes a page of `got` items with the total the server announced and the id of its first
    /// item; `Ok(true)` when another page should be asked for. A page starting with the same
    /// item as the one before means the server ignores the offset: the listing fails.
    pub fn advance(
        &mut self,
        got: usize,
        total: Option<u64>,
        first: Option<&str>,
    ) -> Result<bool, UpstreamError> {
        self.pages += 1;
        if let Some(first) = first {
            if self.last_first.as_deref() == Some(first) {
                return Err(UpstreamError::Malformed(format!(
                    "the server sent the same page again (page {})",
                    self.pages
                )));
            }
            self.last_first = Some(first.to_owned());
        }
        self.start = self.start.saturating_add(got as u64);
        if let Some(total) = total
            && self.pages == 1
        {
            let needed = total.div_ceil(u64::from(self.size));
            self.cap = u32::try_from(needed.saturating_add(2))
                .unwrap_or(MAX_PAGES)
                .min(MAX_PAGES);
        }
        if got == 0 || got < self.size as usize || total.is_some_and(|t| self.start >= t) {
            return Ok(false);
        }
        if self.pages >= self.cap {
            return Err(UpstreamError::Malformed(format!(
                "the listing did not end after {} pages",
                self.pages
            )));
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_stops_on_short_pages_totals_and_runaway_servers() {
        let mut pager = Pager::new(10);
        assert!(pager.advance(10, Some(25), None).expect("page"));
        assert!(pager.advance(10, Some(25), None).expect("page"));
        assert!(!pager.advance(5, Some(25), None).expect("page"));

        let mut exact = Pager::new(10);
        assert!(!exact.advance(10, Some(10), None).expect("page"));

        let mut empty = Pager::new(10);
        assert!(!empty.advance(0, None, None).expect("page"));

        // Full pages forever although the server said 20 items: stopped after 20/10 + 2 pages.
        let mut runaway = Pager::new(10);
        let mut asked = 0;
        let end = loop {
            asked += 1;
            match runaway.advance(10, Some(20), None) {
                Ok(true) => {}
                other => break other,
            }
            if asked > 100 {
                panic!("never stopped");
            }
        };
        assert!(!end.expect("total reached"), "20 items are 2 pages");

        // Without a total, a server that keeps sending full pages is cut off at MAX_PAGES.
        let mut endless = Pager::new(1);
        let mut pages = 0;
        let end = loop {
            pages += 1;
            match endless.advance(1, None, Some(&pages.to_string())) {
                Ok(true) => {}
                other => break other,
            }
        };
        assert!(end.is_err());
        assert_eq!(pages, MAX_PAGES);

        // A server that ignores the offset repeats its first page: caught on the second.
        let mut stuck = Pager::new(10);
        assert!(stuck.advance(10, Some(1_000_000), Some("a")).expect("page"));
        assert!(stuck.advance(10, Some(1_000_000), Some("a")).is_err());
    }
}
