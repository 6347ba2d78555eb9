//! TMDB's images for the console's image proxy: a poster fetched once from TMDB's image base
//! and kept in a cache bounded by bytes, so browsers never call TMDB (the console's CSP stays
//! `img-src 'self'`) and a page of fifty posters costs TMDB nothing the second time. Only the
//! sizes TMDB offers and plain file names are asked for: nothing a visitor types reaches
//! TMDB's path unchecked.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use crate::error::{CoreError, CoreResult};
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};

/// The service name of the image host in errors and metrics.
pub const IMAGE_SERVICE: &str = "TMDB images";

/// The poster sizes TMDB's configuration lists (`poster_sizes`), smallest first.
pub const IMAGE_SIZES: [&str; 7] = ["w92", "w154", "w185", "w342", "w500", "w780", "original"];

/// The largest image taken from TMDB (an `original` poster is a few megabytes at most).
pub const IMAGE_LIMIT: usize = 8 * 1024 * 1024;

/// How long a fetched image is kept: posters of a title almost never change.
const IMAGE_TTL: Duration = Duration::from_secs(24 * 3600);

/// The content types passed on; anything else (an HTML error page, an SVG with script in it)
/// is refused.
const IMAGE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// One image as the proxy answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The bytes, shared between the cache and every answer.
    pub bytes: Arc<[u8]>,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: &'static str,
}

/// The image host's client and its cache. Cheap to clone; clones share both.
#[derive(Clone)]
pub struct TmdbImages {
    upstream: Upstream,
    cache: Cache<(&'static str, String), Image>,
}

impl std::fmt::Debug for TmdbImages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TmdbImages")
            .field("cached_bytes", &self.cache.weighted_size())
            .finish_non_exhaustive()
    }
}

/// `size` when it is one of TMDB's poster sizes.
pub fn image_size(size: &str) -> Option<&'static str> {
    IMAGE_SIZES.iter().copied().find(|s| *s == size)
}

/// Whether `file` is a name TMDB gives images: letters, digits, `-` and `_`, then `.jpg`,
/// `.png` or `.webp` — no slash, no dot-dot, nothing to escape.
pub fn valid_file(file: &str) -> bool {
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && stem.len() <= 100
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && ["jpg", "jpeg", "png", "webp"].contains(&extension)
}

impl TmdbImages {
    /// A client for the image host at `base_url` (`https://image.tmdb.org/t/p`), keeping at
    /// most `cache_bytes` of images.
    pub fn new(base_url: &str, cache_bytes: u64, http: &HttpSettings) -> Result<Self, CoreError> {
        let upstream = Upstream::new(IMAGE_SERVICE, base_url, Auth::None, http)?;
        let cache = Cache::builder()
            .max_capacity(cache_bytes)
            .weigher(|key: &(&'static str, String), image: &Image| {
                let weight = image.bytes.len() + key.1.len() + 64;
                u32::try_from(weight).unwrap_or(u32::MAX)
            })
            .time_to_live(IMAGE_TTL)
            .build();
        Ok(Self { upstream, cache })
    }

    /// The image `file` at `size`: from the cache, or fetched once however many ask at once.
    /// A size TMDB does not offer or a file name that is not one is refused before any call;
    /// an image TMDB does not have is `NotFound`.
    pub async fn image(&self, size: &str, file: &str) -> CoreResult<Image> {
        let size = image_size(size)
            .ok_or_else(|| CoreError::Validation(format!("TMDB has no image size {size:?}")))?;
        if !valid_file(file) {
            return Err(CoreError::Validation(format!(
                "{file:?} is not an image file name"
            )));
        }
        let key = (size, file.to_owned());
        self.cache
            .try_get_with(key, self.fetch(size, file))
            .await
            .map_err(|shared| match &*shared {
                UpstreamError::NotFound => CoreError::NotFound(format!("image {file}")),
                other => other.clone().into_core(IMAGE_SERVICE),
            })
    }

    /// Bytes the cache holds now (after pending work settles; for tests and metrics).
    pub async fn cached_bytes(&self) -> u64 {
        self.cache.run_pending_tasks().await;
        self.cache.weighted_size()
    }

    /// What the cache holds now, for `/metrics`.
    pub async fn cache_figure(&self) -> crate::metrics::CacheFigure {
        let bytes = self.cached_bytes().await;
        crate::metrics::CacheFigure {
            cache: "tmdb_images",
            entries: self.cache.entry_count(),
            bytes,
        }
    }

    async fn fetch(&self, size: &str, file: &str) -> Result<Image, UpstreamError> {
        let (bytes, kind) = self
            .upstream
            .get_bytes(&format!("/{size}/{file}"), IMAGE_LIMIT)
            .await?;
        let kind = kind.unwrap_or_default();
        let essence = kind.split(';').next().unwrap_or_default().trim();
        let content_type = IMAGE_TYPES
            .iter()
            .copied()
            .find(|t| t.eq_ignore_ascii_case(essence))
            .ok_or_else(|| UpstreamError::Malformed(format!("not an image: {kind:?}")))?;
        Ok(Image {
            bytes: bytes.into(),
            content_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_pass() {
        for good in [
            "abc.jpg",
            "vZIJxGnjcswPCAa52jhbl01FQkV.jpg",
            "a-b_c.png",
            "x.webp",
        ] {
            assert!(valid_file(good), "{good}");
        }
        for bad in [
            "",
            ".jpg",
            "abc",
            "../etc/passwd",
            "a/b.jpg",
            "..%2F.jpg",
            "a.svg",
            "a.jpg?x=1",
            "a b.jpg",
            "a.JPG.exe",
            &format!("{}.jpg", "a".repeat(101)),
        ] {
            assert!(!valid_file(bad), "{bad}");
        }
        assert_eq!(image_size("w92"), Some("w92"));
        assert_eq!(image_size("original"), Some("original"));
        assert_eq!(image_size("w100"), None);
        assert_eq!(image_size("../w92"), None);
    }
}
