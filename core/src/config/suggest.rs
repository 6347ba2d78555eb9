//! "Did you mean …?" hints for misspelt keys, so a typo is found from the first message.

/// A hint naming the closest candidate within two edits, or an empty string.
pub(crate) fn did_you_mean<S: AsRef<str>>(
    name: &str,
    candidates: impl IntoIterator<Item = S>,
) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (distance(name, c.as_ref()), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!(" (did you mean {}?)", c.as_ref()),
        None => String::new(),
    }
}

/// Levenshtein distance over bytes; names are ASCII.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let known = ["radarr_url", "sonarr_url"];
        assert_eq!(
            did_you_mean("radar_url", known),
            " (did you mean radarr_url?)"
        );
        assert_eq!(did_you_mean("plex", known), "");
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}
