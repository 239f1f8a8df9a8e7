//! TTL values: plain seconds or BIND's unit form (`1h30m`, `1w2d`).

/// Largest TTL RFC 2181 §8 allows; larger values are treated as 0 by resolvers.
pub const MAX_TTL: u64 = 0x7FFF_FFFF;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TtlError {
    /// Not a number and not `<n><unit>…`.
    Malformed,
    /// Parses, but exceeds 2^31 − 1.
    TooLarge(u64),
}

/// Parses a TTL as BIND does: digits alone are seconds; otherwise every number must
/// carry a unit `w d h m s` (any case), and the units add up.
pub fn parse_ttl(s: &str) -> Result<u32, TtlError> {
    let v = parse_ttl_u64(s)?;
    if v > MAX_TTL { Err(TtlError::TooLarge(v)) } else { Ok(v as u32) }
}

pub fn parse_ttl_u64(s: &str) -> Result<u64, TtlError> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return Err(TtlError::Malformed);
    }
    let mut total: u64 = 0;
    let mut i = 0;
    let mut units_seen = false;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 10 {
            return Err(TtlError::Malformed);
        }
        let n: u64 = s[start..i].parse().map_err(|_| TtlError::Malformed)?;
        if n > u32::MAX as u64 {
            return Err(TtlError::Malformed);
        }
        let mult = match b.get(i).map(|c| c.to_ascii_lowercase()) {
            None => {
                if units_seen {
                    // `1h30`: BIND rejects a bare number after units.
                    return Err(TtlError::Malformed);
                }
                1
            }
            Some(b'w') => 604_800,
            Some(b'd') => 86_400,
            Some(b'h') => 3_600,
            Some(b'm') => 60,
            Some(b's') => 1,
            Some(_) => return Err(TtlError::Malformed),
        };
        if i < b.len() {
            i += 1;
            units_seen = true;
        }
        total += n * mult;
    }
    if total > u32::MAX as u64 {
        return Err(TtlError::TooLarge(total));
    }
    Ok(total)
}

/// A TTL in words for hover and inlay hints: `1h`, `1d 12h`, `300s`.
pub fn humanize(secs: u32) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut rest = secs;
    for (unit, len) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= len {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("{}{}", rest / len, unit));
            rest %= len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_ttl("3600"), Ok(3600));
        assert_eq!(parse_ttl("1h30m"), Ok(5400));
        assert_eq!(parse_ttl("1W2d"), Ok(777_600));
        assert_eq!(parse_ttl("1h30"), Err(TtlError::Malformed));
        assert_eq!(parse_ttl("3hx"), Err(TtlError::Malformed));
        assert_eq!(parse_ttl("h"), Err(TtlError::Malformed));
        assert_eq!(parse_ttl("2147483648"), Err(TtlError::TooLarge(2_147_483_648)));
        assert_eq!(parse_ttl("99999999999"), Err(TtlError::Malformed));
        assert_eq!(humanize(5400), "1h 30m");
        assert_eq!(humanize(86400), "1d");
    }
}
