//! DKIM key records at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.1, RFC 8301,
//! RFC 8463).

use super::dkim_key::{self, KeyVerdict};
use super::tag_list::{self, TagList};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkimRecord {
    pub tags: TagList,
    /// `k=`, lower-cased (`rsa` when absent).
    pub key_type: String,
    /// `None` when there is no `p=`.
    pub key: Option<KeyVerdict>,
}

pub fn parse(value: &[u8]) -> DkimRecord {
    let tags = tag_list::parse(value, false);
    let key_type = tags.get("k").map_or_else(|| "rsa".to_string(), |t| t.value.trim().to_ascii_lowercase());
    let key = tags.get("p").map(|p| dkim_key::analyze(&key_type, p.value));
    DkimRecord { tags, key_type, key }
}

/// `true` when a TXT value looks like a DKIM key record (for spotting misplaced ones).
pub fn looks_like_dkim(value: &[u8]) -> bool {
    let s = crate::util::lossy(value);
    let t = s.trim_start();
    if t.as_bytes().get(..7).is_some_and(|p| p.eq_ignore_ascii_case(b"v=DKIM1")) {
        return true;
    }
    let tags = tag_list::parse(value, false);
    tags.errors.is_empty() && tags.get("p").is_some_and(|p| p.value.len() > 100) && (tags.get("k").is_some() || tags.get("h").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_near_the_version_is_not_a_panic() {
        // Found by the zone_file fuzz target: U+FFFD (3 bytes) across byte 7.
        assert!(!looks_like_dkim(b"v=spf\xff\xff\xff1 redirect=_spf.example.com"));
        assert!(looks_like_dkim(b"  v=DKIM1; p="));
    }

    #[test]
    fn parses_the_rfc_example() {
        // RFC 6376 Appendix C.
        let r = parse(b"v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB");
        assert!(r.tags.errors.is_empty());
        assert_eq!(r.key_type, "rsa");
        assert_eq!(r.key, Some(KeyVerdict::Rsa { bits: 1024, pkcs1: false }));
        assert!(looks_like_dkim(b"v=DKIM1; p="));
        assert!(!looks_like_dkim(b"v=spf1 -all"));
    }
}
