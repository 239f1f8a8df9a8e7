//! Small helpers shared across rules.

/// Levenshtein distance over bytes, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(&cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word` within `max` edits, if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(word, c), c)).filter(|&(d, _)| d <= max).min_by_key(|&(d, _)| d).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        assert_eq!(super::edit_distance("redirect", "redirct"), 1);
        assert_eq!(super::edit_distance("rua", "rau"), 2);
        assert_eq!(super::closest("rejected", ["none", "quarantine", "reject"], 3), Some("reject"));
    }
}
