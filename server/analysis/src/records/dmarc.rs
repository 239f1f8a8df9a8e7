//! DMARC policy records at `_dmarc.<domain>` (RFC 9989 "DMARCbis", with the
//! RFC 7489 tags its receivers still read).

use super::tag_list::{self, Tag, TagList};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DmarcRecord {
    pub tags: TagList,
}

/// What a tag may hold.
pub struct TagSpec {
    pub name: &'static str,
    pub meaning: &'static str,
    /// Allowed values (case-insensitive), or empty for free-form values checked elsewhere.
    pub values: &'static [&'static str],
    /// Several values separated by `:` (fo, rf).
    pub colon_list: bool,
    pub default: &'static str,
    /// Removed by RFC 9989 (still read by RFC 7489 receivers).
    pub removed_in_9989: bool,
    /// New in RFC 9989 (unknown to RFC 7489 receivers, which ignore it).
    pub new_in_9989: bool,
}

pub static TAGS: &[TagSpec] = &[
    TagSpec {
        name: "v",
        meaning: "version; must be `DMARC1` and come first",
        values: &[],
        colon_list: false,
        default: "",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "p",
        meaning: "policy for the domain: what receivers do with mail that fails DMARC",
        values: &["none", "quarantine", "reject"],
        colon_list: false,
        default: "none (if rua is valid)",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "sp",
        meaning: "policy for subdomains",
        values: &["none", "quarantine", "reject"],
        colon_list: false,
        default: "the value of p",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "np",
        meaning: "policy for non-existent subdomains",
        values: &["none", "quarantine", "reject"],
        colon_list: false,
        default: "the value of sp",
        removed_in_9989: false,
        new_in_9989: true,
    },
    TagSpec {
        name: "adkim",
        meaning: "DKIM alignment: r (relaxed, organizational domain) or s (strict, exact domain)",
        values: &["r", "s"],
        colon_list: false,
        default: "r",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "aspf",
        meaning: "SPF alignment: r (relaxed) or s (strict)",
        values: &["r", "s"],
        colon_list: false,
        default: "r",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "fo",
        meaning: "failure reporting options: 0, 1, d, s separated by `:`",
        values: &["0", "1", "d", "s"],
        colon_list: true,
        default: "0",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "pct",
        meaning: "percentage of failing mail the policy applies to (removed by RFC 9989; use t=y)",
        values: &[],
        colon_list: false,
        default: "100",
        removed_in_9989: true,
        new_in_9989: false,
    },
    TagSpec {
        name: "rf",
        meaning: "failure report format (removed by RFC 9989)",
        values: &["afrf"],
        colon_list: true,
        default: "afrf",
        removed_in_9989: true,
        new_in_9989: false,
    },
    TagSpec {
        name: "ri",
        meaning: "aggregate report interval in seconds (removed by RFC 9989)",
        values: &[],
        colon_list: false,
        default: "86400",
        removed_in_9989: true,
        new_in_9989: false,
    },
    TagSpec {
        name: "rua",
        meaning: "where to send aggregate reports: mailto: URIs, comma-separated",
        values: &[],
        colon_list: false,
        default: "none",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "ruf",
        meaning: "where to send failure reports: mailto: URIs, comma-separated",
        values: &[],
        colon_list: false,
        default: "none",
        removed_in_9989: false,
        new_in_9989: false,
    },
    TagSpec {
        name: "psd",
        meaning: "public suffix domain flag: y, n or u",
        values: &["y", "n", "u"],
        colon_list: false,
        default: "u",
        removed_in_9989: false,
        new_in_9989: true,
    },
    TagSpec {
        name: "t",
        meaning: "testing mode: y applies the policy one step softer",
        values: &["y", "n"],
        colon_list: false,
        default: "n",
        removed_in_9989: false,
        new_in_9989: true,
    },
];

pub fn tag_spec(name: &str) -> Option<&'static TagSpec> {
    TAGS.iter().find(|t| t.name == name)
}

/// `v=DMARC1` exactly as RFC 7489 §6.4 writes it (`"v" *WSP "=" *WSP "DMARC1"`).
pub fn has_valid_version(tags: &TagList) -> bool {
    tags.first().is_some_and(|t| t.name == "v" && t.value == "DMARC1")
}

/// `true` when a value looks like a DMARC record, even a broken one.
pub fn looks_like_dmarc(value: &[u8]) -> bool {
    // ASCII byte by byte (almost every value), and from the first other byte on by
    // characters: only the start of the value is read either way.
    let mut seen = 0;
    for (i, &b) in value.iter().enumerate() {
        if !b.is_ascii() {
            return looks_like_dmarc_from(&value[i..], seen);
        }
        if (b as char).is_whitespace() {
            continue;
        }
        if b.to_ascii_lowercase() != DMARC_VERSION[seen] {
            return false;
        }
        seen += 1;
        if seen == DMARC_VERSION.len() {
            return true;
        }
    }
    false
}

const DMARC_VERSION: &[u8] = b"v=dmarc";

/// [`looks_like_dmarc`] for the rest of a value, `seen` bytes of the version matched.
fn looks_like_dmarc_from(value: &[u8], mut seen: usize) -> bool {
    const VERSION: &[u8] = DMARC_VERSION;
    for chunk in value.utf8_chunks() {
        for ch in chunk.valid().chars().filter(|c| !c.is_whitespace()) {
            if !ch.is_ascii() || (ch as u8).to_ascii_lowercase() != VERSION[seen] {
                return false;
            }
            seen += 1;
            if seen == VERSION.len() {
                return true;
            }
        }
        if !chunk.invalid().is_empty() {
            return false;
        }
    }
    false
}

pub fn parse(value: &[u8]) -> DmarcRecord {
    DmarcRecord { tags: tag_list::parse(value, true) }
}

impl DmarcRecord {
    pub fn tag(&self, name: &str) -> Option<Tag<'_>> {
        self.tags.get(name)
    }

    /// The value of a policy tag if it is valid (`none`, `quarantine`, `reject`).
    pub fn policy_value(&self, name: &str) -> Option<Policy> {
        self.tag(name).and_then(|t| Policy::parse(t.value))
    }

    /// Effective policy for the domain itself.
    pub fn policy(&self) -> Option<Policy> {
        self.policy_value("p")
    }

    /// Effective policy for subdomains: `sp`, else `p`.
    pub fn subdomain_policy(&self) -> Option<Policy> {
        self.policy_value("sp").or_else(|| self.policy())
    }

    pub fn pct(&self) -> Option<u32> {
        self.tag("pct").and_then(|t| t.value.trim().parse().ok())
    }

    pub fn testing(&self) -> bool {
        self.tag("t").is_some_and(|t| t.value.eq_ignore_ascii_case("y"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn parse(s: &str) -> Option<Policy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    pub fn enforces(self) -> bool {
        self != Policy::None
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

/// One entry of `rua`/`ruf`: `mailto:addr[!size]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportUri {
    pub text: String,
    pub range: std::ops::Range<u32>,
    /// The address of a `mailto:` URI.
    pub address: Option<String>,
    pub problem: Option<String>,
}

/// Splits and checks a `rua`/`ruf` value (RFC 7489 §6.2, RFC 9989 §4.7).
pub fn report_uris(tag: &Tag<'_>) -> Vec<ReportUri> {
    tag_list::split_value(tag, b',')
        .into_iter()
        .map(|(text, range)| {
            let (uri, size) = match text.rsplit_once('!') {
                Some((u, s)) => (u.to_string(), Some(s.to_string())),
                None => (text.clone(), None),
            };
            let mut problem = None;
            let mut address = None;
            if text.is_empty() {
                problem = Some("an empty entry in the list (two commas, or a trailing comma)".to_string());
            } else if let Some(rest) = strip_prefix_ci(&uri, "mailto:") {
                let addr = percent_decode(rest);
                if valid_address(&addr) {
                    address = Some(addr);
                } else {
                    problem = Some(format!("`{rest}` is not an email address"));
                }
            } else if uri.contains('@') && !uri.contains(':') {
                problem = Some(format!("`{uri}` is missing its scheme: write `mailto:{uri}`"));
            } else if uri.contains(':') {
                problem = Some(format!("`{uri}` is not a mailto: URI; receivers send DMARC reports only by email"));
            } else {
                problem = Some(format!("`{uri}` is not a URI"));
            }
            if let (None, Some(s)) = (&problem, &size) {
                let digits = s.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || s.len() - digits.len() > 1 {
                    problem = Some(format!("`!{s}` is not a size limit (digits with an optional unit k, m, g or t, as `!10m`)"));
                }
            }
            ReportUri { text, range, address, problem }
        })
        .collect()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // Compared as bytes: `s` may have a multi-byte character where the prefix ends.
    (s.as_bytes().get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))).then(|| &s[prefix.len()..])
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // Hex digits as bytes: what follows `%` may be any character.
        if b[i] == b'%'
            && let (Some(hi), Some(lo)) =
                (b.get(i + 1).and_then(|c| (*c as char).to_digit(16)), b.get(i + 2).and_then(|c| (*c as char).to_digit(16)))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    crate::util::lossy(&out).into_owned()
}

/// A plausible `local@domain` address: one `@`, a non-empty local part, a domain with
/// a dot and no spaces.
pub fn valid_address(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else { return false };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_like_dmarc_skips_white_space_only() {
        assert!(looks_like_dmarc(b"v=DMARC1; p=none"));
        assert!(looks_like_dmarc(b"  v = dmarc1"));
        assert!(looks_like_dmarc("v=\u{a0}DMARC1".as_bytes()));
        assert!(!looks_like_dmarc(b"v=DMAR"));
        assert!(!looks_like_dmarc(b"v=spf1 -all"));
        assert!(!looks_like_dmarc(b"v=\xffDMARC1"));
        assert!(!looks_like_dmarc("v=DМARC1".as_bytes()), "a Cyrillic М is not an M");
        assert!(!looks_like_dmarc(b""));
        assert!(looks_like_dmarc(b"\x0bv=DMARC1"), "a vertical tab is white space");
        assert!(looks_like_dmarc(b"v=DMARC1\xff"), "only the start is read");
        assert!(looks_like_dmarc("\u{2003}v=DMARC1".as_bytes()), "an em space is white space");
    }

    #[test]
    fn invalid_utf8_in_a_report_uri_is_not_a_panic() {
        // Found by the zone_file fuzz target: U+FFFD (3 bytes) across the end of `mailto:`.
        let r = parse(b"v=DMARC1; p=none; rua=mailt\xff\xff\xff");
        assert_eq!(r.tags.get("rua").map(|t| t.value), Some("mailt\u{fffd}\u{fffd}\u{fffd}"));
    }

    #[test]
    fn a_character_after_a_percent_sign_is_not_a_panic() {
        // Found by the zone_file fuzz target: `%` followed by a multi-byte character.
        assert_eq!(percent_decode("a%\u{fffd}b%41%4"), "a%\u{fffd}bA%4");
        assert_eq!(percent_decode("%2C%2c"), ",,");
    }

    #[test]
    fn parses_policies() {
        let r = parse(b"v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com!10m, mailto:x@example.net");
        assert!(has_valid_version(&r.tags));
        assert_eq!(r.policy(), Some(Policy::Reject));
        assert_eq!(r.subdomain_policy(), Some(Policy::None));
        let uris = report_uris(&r.tag("rua").unwrap());
        assert_eq!(uris.len(), 2);
        assert_eq!(uris[0].address.as_deref(), Some("d@example.com"));
        assert!(uris.iter().all(|u| u.problem.is_none()));
        assert!(!has_valid_version(&parse(b"v=dmarc1; p=none").tags));
        assert!(looks_like_dmarc(b" v = DMARC1 ;p=none"));
    }

    #[test]
    fn report_uri_problems() {
        let r = parse(b"v=DMARC1; p=none; rua=dmarc@example.com, https://x.example/r, mailto:bad, mailto:a@b.example!10q");
        let uris = report_uris(&r.tag("rua").unwrap());
        assert!(uris[0].problem.as_ref().unwrap().contains("missing its scheme"));
        assert!(uris[1].problem.as_ref().unwrap().contains("not a mailto"));
        assert!(uris[2].problem.as_ref().unwrap().contains("not an email address"));
        assert!(uris[3].problem.as_ref().unwrap().contains("size limit"));
    }
}
