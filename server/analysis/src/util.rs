//! Small helpers shared across rules.

/// Edit distance counting an insertion, deletion, substitution or swap of two
/// neighbouring characters as one edit (optimal string alignment), case-insensitive:
/// `rau` is one edit from `rua`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// The candidate closest to `word` within `max` edits, if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(word, c), c)).filter(|&(d, _)| d <= max).min_by_key(|&(d, _)| d).map(|(_, c)| c)
}

/// The labels an address is looked up under, most specific first, each followed by a
/// dot: IPv4 octets reversed (`10.2.0.192.`), IPv6 nibbles reversed (`1.0.0.0.….2.`),
/// for `in-addr.arpa`/`ip6.arpa` (RFC 1035 §3.5, RFC 3596 §2.5) and DNS blocklists
/// (RFC 5782 §2.1, §2.4).
pub fn reversed_labels(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.", o[3], o[2], o[1], o[0])
        }
        std::net::IpAddr::V6(a) => {
            let mut s = String::with_capacity(64);
            for b in a.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", b & 0xf, b >> 4));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        assert_eq!(super::edit_distance("redirect", "redirct"), 1);
        assert_eq!(super::edit_distance("rua", "rau"), 1);
        assert_eq!(super::closest("rejected", ["none", "quarantine", "reject"], 3), Some("reject"));
    }
}
