//! Per-type validation of record data in presentation format.
//!
//! The common types are checked here, token by token, so a problem points at the field
//! that is wrong. Rarer types with an intricate syntax (SVCB/HTTPS, CERT, CSYNC) go
//! through hickory-proto's parser; types neither knows are accepted as written.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::lexer::{Token, TokenKind};
use super::strings;
use crate::name::{Name, NameError};
use crate::rrtype::RrType;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RdataProblem {
    Bad {
        range: TextRange,
        message: String,
    },
    /// A malformed escape inside a string: a syntax error rather than bad data.
    Syntax {
        range: TextRange,
        message: String,
    },
    NameTooLong {
        range: TextRange,
        message: String,
    },
    /// A character-string over 255 octets (the token, its decoded length).
    StringTooLong {
        token: Token,
        len: usize,
    },
    /// A relative name that ends in the origin (`mail.example.com` in `example.com`).
    MissingTrailingDot {
        range: TextRange,
        name: String,
        becomes: String,
    },
}

pub struct RdataCheck<'a> {
    pub src: &'a str,
    pub toks: &'a [Token],
    pub origin: Option<&'a Name>,
    /// Range to blame when the data is missing altogether.
    pub record_range: TextRange,
    pub problems: Vec<RdataProblem>,
}

/// The problem is already recorded in `problems`; validation of the record stops.
#[derive(Debug)]
pub struct Reported;

type Res = Result<(), Reported>;

impl<'a> RdataCheck<'a> {
    pub fn new(src: &'a str, toks: &'a [Token], origin: Option<&'a Name>, record_range: TextRange) -> Self {
        Self { src, toks, origin, record_range, problems: Vec::new() }
    }

    fn bad(&mut self, range: TextRange, message: impl Into<String>) -> Res {
        self.problems.push(RdataProblem::Bad { range, message: message.into() });
        Err(Reported)
    }

    fn text(&self, i: usize) -> &'a str {
        self.toks[i].text(self.src)
    }

    fn need(&mut self, i: usize, what: &str, rtype: RrType) -> Res {
        if i < self.toks.len() {
            return Ok(());
        }
        let at = self.toks.last().map_or(self.record_range, |t| TextRange::at(t.range.end));
        self.bad(at, format!("{rtype} record is missing its {what}"))
    }

    fn word(&mut self, i: usize, what: &str) -> Res {
        if self.toks[i].kind == TokenKind::Quoted {
            return self.bad(self.toks[i].range, format!("expected {what}, found a quoted string"));
        }
        Ok(())
    }

    fn int(&mut self, i: usize, what: &str, max: u64, rtype: RrType) -> Result<u64, Reported> {
        self.need(i, what, rtype)?;
        self.word(i, what)?;
        let t = self.text(i);
        match parse_decimal(t) {
            Some(v) if v <= max => Ok(v),
            Some(_) => {
                self.bad(self.toks[i].range, format!("{what} `{t}` is out of range (at most {max})"))?;
                Err(Reported)
            }
            None => {
                self.bad(self.toks[i].range, format!("expected {what} (a number), found `{t}`"))?;
                Err(Reported)
            }
        }
    }

    /// A TTL-like duration (SOA timers accept units, as BIND does).
    fn duration(&mut self, i: usize, what: &str, rtype: RrType) -> Res {
        self.need(i, what, rtype)?;
        self.word(i, what)?;
        let t = self.text(i);
        if super::ttl::parse_ttl(t).is_err() {
            return self.bad(self.toks[i].range, format!("expected the {what} (a number of seconds or a duration like `1h`), found `{t}`"));
        }
        Ok(())
    }

    fn name(&mut self, i: usize, what: &str, rtype: RrType) -> Res {
        self.need(i, what, rtype)?;
        self.word(i, what)?;
        let tok = self.toks[i];
        let t = self.text(i);
        match Name::check_in(t, self.origin) {
            Ok(()) => {
                if let Some(origin) = self.origin
                    && let Some(becomes) = missing_trailing_dot(t, origin)
                {
                    self.problems.push(RdataProblem::MissingTrailingDot { range: tok.range, name: t.to_string(), becomes });
                }
                Ok(())
            }
            Err(NameError::NoOrigin) => Ok(()), // reported once per file as zone/unknown-origin
            Err(e @ (NameError::TooLong { .. } | NameError::LabelTooLong { .. })) => {
                self.problems.push(RdataProblem::NameTooLong { range: tok.range, message: format!("{what} `{t}`: {e}") });
                Err(Reported)
            }
            Err(e) => self.bad(tok.range, format!("{what} `{t}` is not a valid domain name: {e}")),
        }
    }

    fn char_string(&mut self, i: usize, what: &str, rtype: RrType) -> Res {
        self.need(i, what, rtype)?;
        let tok = self.toks[i];
        match strings::decoded_len(self.src, &tok) {
            Ok(len) if len > 255 => {
                self.problems.push(RdataProblem::StringTooLong { token: tok, len });
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(e) => {
                self.problems.push(RdataProblem::Syntax { range: e.range, message: e.message });
                Err(Reported)
            }
        }
    }

    fn end(&mut self, i: usize, rtype: RrType) -> Res {
        if i < self.toks.len() {
            let extra = self.toks[i].range.cover(self.toks[self.toks.len() - 1].range);
            return self.bad(extra, format!("unexpected data after the end of the {rtype} record"));
        }
        Ok(())
    }

    fn hex_rest(&mut self, i: usize, what: &str, rtype: RrType, allow_empty: bool) -> Res {
        if i >= self.toks.len() {
            if allow_empty {
                return Ok(());
            }
            return self.need(i, what, rtype);
        }
        let mut n = 0;
        for j in i..self.toks.len() {
            self.word(j, what)?;
            let t = self.text(j);
            if allow_empty && t == "-" && self.toks.len() == i + 1 {
                return Ok(());
            }
            if let Some(p) = t.bytes().position(|b| !b.is_ascii_hexdigit()) {
                let at = self.toks[j].range.start + p as u32;
                return self.bad(TextRange::new(at, at + 1), format!("{what} must be hexadecimal; found `{}`", &t[p..p + 1]));
            }
            n += t.len();
        }
        if n % 2 == 1 {
            let r = self.toks[i].range.cover(self.toks[self.toks.len() - 1].range);
            return self.bad(r, format!("{what} has an odd number of hex digits"));
        }
        Ok(())
    }

    fn base64_rest(&mut self, i: usize, what: &str, rtype: RrType) -> Res {
        self.need(i, what, rtype)?;
        let mut n = 0;
        for j in i..self.toks.len() {
            self.word(j, what)?;
            let t = self.text(j);
            if let Some(p) = t.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')) {
                let at = self.toks[j].range.start + p as u32;
                return self.bad(TextRange::new(at, at + 1), format!("{what} must be base64"));
            }
            n += t.len();
        }
        if n % 4 != 0 {
            let r = self.toks[i].range.cover(self.toks[self.toks.len() - 1].range);
            return self.bad(r, format!("{what} is not valid base64 (its length is not a multiple of 4)"));
        }
        Ok(())
    }

    /// Validates the data of a record of type `rtype`.
    pub fn check(&mut self, rtype: RrType) -> Res {
        let toks = self.toks;
        if toks.is_empty() {
            let r = self.record_range;
            return self.bad(r, format!("{rtype} record has no data"));
        }
        if toks[0].kind == TokenKind::Word && self.text(0) == "\\#" {
            return self.generic();
        }
        match rtype {
            RrType::A => {
                self.word(0, "an IPv4 address")?;
                let t = self.text(0);
                if parse_ipv4_strict(t).is_none() {
                    return self.bad(toks[0].range, format!("`{t}` is not an IPv4 address (four decimal octets, each 0–255)"));
                }
                self.end(1, rtype)
            }
            RrType::AAAA => {
                self.word(0, "an IPv6 address")?;
                let t = self.text(0);
                if parse_ipv6(t).is_none() {
                    return self.bad(toks[0].range, format!("`{t}` is not an IPv6 address"));
                }
                self.end(1, rtype)
            }
            RrType::NS | RrType::CNAME | RrType::DNAME | RrType::PTR | RrType::MB | RrType::MG | RrType::MR | RrType::MD | RrType::MF => {
                self.name(0, "target name", rtype)?;
                self.end(1, rtype)
            }
            RrType::MX | RrType::KX | RrType::RT | RrType::AFSDB => {
                let what = if rtype == RrType::AFSDB { "subtype" } else { "preference" };
                self.int(0, what, u16::MAX as u64, rtype)?;
                self.name(1, if rtype == RrType::MX { "mail exchange host" } else { "host name" }, rtype)?;
                self.end(2, rtype)
            }
            RrType::SOA => {
                self.name(0, "primary name server (MNAME)", rtype)?;
                self.name(1, "responsible mailbox (RNAME)", rtype)?;
                self.int(2, "serial", u32::MAX as u64, rtype)?;
                self.duration(3, "refresh", rtype)?;
                self.duration(4, "retry", rtype)?;
                self.duration(5, "expire", rtype)?;
                self.duration(6, "minimum TTL", rtype)?;
                self.end(7, rtype)
            }
            RrType::TXT | RrType::SPF => {
                let mut ok = true;
                for i in 0..toks.len() {
                    ok &= self.char_string(i, "text", rtype).is_ok();
                }
                if ok { Ok(()) } else { Err(Reported) }
            }
            RrType::HINFO => {
                self.char_string(0, "CPU", rtype)?;
                self.char_string(1, "OS", rtype)?;
                self.end(2, rtype)
            }
            RrType::SRV => {
                self.int(0, "priority", u16::MAX as u64, rtype)?;
                self.int(1, "weight", u16::MAX as u64, rtype)?;
                self.int(2, "port", u16::MAX as u64, rtype)?;
                self.name(3, "target host", rtype)?;
                self.end(4, rtype)
            }
            RrType::CAA => {
                self.int(0, "flags", u8::MAX as u64, rtype)?;
                self.need(1, "property tag", rtype)?;
                self.word(1, "property tag")?;
                let tag = self.text(1);
                if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return self.bad(toks[1].range, format!("CAA tag `{tag}` must be letters and digits (RFC 8659 §4.1)"));
                }
                self.char_string(2, "value", rtype)?;
                self.end(3, rtype)
            }
            RrType::NAPTR => {
                self.int(0, "order", u16::MAX as u64, rtype)?;
                self.int(1, "preference", u16::MAX as u64, rtype)?;
                self.char_string(2, "flags", rtype)?;
                self.char_string(3, "services", rtype)?;
                self.char_string(4, "regexp", rtype)?;
                self.name(5, "replacement", rtype)?;
                self.end(6, rtype)
            }
            RrType::URI => {
                self.int(0, "priority", u16::MAX as u64, rtype)?;
                self.int(1, "weight", u16::MAX as u64, rtype)?;
                self.need(2, "target URI", rtype)?;
                if toks[2].kind != TokenKind::Quoted {
                    return self.bad(toks[2].range, "the URI target must be a quoted string (RFC 7553 §4.5)");
                }
                self.end(3, rtype)
            }
            RrType::RP | RrType::MINFO => {
                self.name(0, "mailbox", rtype)?;
                self.name(1, "text or error mailbox name", rtype)?;
                self.end(2, rtype)
            }
            RrType::SSHFP => {
                self.int(0, "algorithm", u8::MAX as u64, rtype)?;
                self.int(1, "fingerprint type", u8::MAX as u64, rtype)?;
                self.hex_rest(2, "fingerprint", rtype, false)
            }
            RrType::TLSA | RrType::SMIMEA => {
                self.int(0, "certificate usage", u8::MAX as u64, rtype)?;
                self.int(1, "selector", u8::MAX as u64, rtype)?;
                self.int(2, "matching type", u8::MAX as u64, rtype)?;
                self.hex_rest(3, "certificate association data", rtype, false)
            }
            RrType::DS | RrType::CDS | RrType::DLV | RrType::TA => {
                self.int(0, "key tag", u16::MAX as u64, rtype)?;
                self.int(1, "algorithm", u8::MAX as u64, rtype)?;
                self.int(2, "digest type", u8::MAX as u64, rtype)?;
                self.hex_rest(3, "digest", rtype, false)
            }
            RrType::DNSKEY | RrType::CDNSKEY | RrType::KEY => {
                self.int(0, "flags", u16::MAX as u64, rtype)?;
                self.int(1, "protocol", u8::MAX as u64, rtype)?;
                self.int(2, "algorithm", u8::MAX as u64, rtype)?;
                self.base64_rest(3, "public key", rtype)
            }
            RrType::OPENPGPKEY => self.base64_rest(0, "key", rtype),
            RrType::NSEC3PARAM => {
                self.int(0, "hash algorithm", u8::MAX as u64, rtype)?;
                self.int(1, "flags", u8::MAX as u64, rtype)?;
                self.int(2, "iterations", u16::MAX as u64, rtype)?;
                self.hex_rest(3, "salt", rtype, true)?;
                self.end(4, rtype)
            }
            RrType::SVCB | RrType::HTTPS | RrType::CERT | RrType::CSYNC => self.via_hickory(rtype),
            _ => Ok(()),
        }
    }

    fn via_hickory(&mut self, rtype: RrType) -> Res {
        let Some(hickory_type) = rtype.mnemonic().and_then(|m| m.parse::<hickory_proto::rr::RecordType>().ok()) else {
            return Ok(());
        };
        let first = self.toks[0].range.start as usize;
        let last = self.toks[self.toks.len() - 1].range.end as usize;
        // Rebuild the data text from tokens so comments and parentheses drop out.
        let mut text = String::with_capacity(last - first);
        for t in self.toks {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t.text(self.src));
        }
        match hickory_proto::rr::RData::try_from_str(hickory_type, &text) {
            Ok(_) => Ok(()),
            Err(e) => {
                let r = TextRange::from_usize(first, last);
                self.bad(r, format!("{rtype} data does not parse: {e}"))
            }
        }
    }

    /// RFC 3597 §5: `\# <length> <hex data>`.
    fn generic(&mut self) -> Res {
        let toks = self.toks;
        if toks.len() < 2 {
            return self.bad(toks[0].range, "`\\#` must be followed by the data length (RFC 3597 §5)");
        }
        let lt = self.text(1);
        let Some(len) = parse_decimal(lt).filter(|&v| v <= 65535) else {
            return self.bad(toks[1].range, format!("`{lt}` is not a data length (0–65535) for `\\#` (RFC 3597 §5)"));
        };
        let mut digits = 0usize;
        for (j, tok) in toks.iter().enumerate().skip(2) {
            self.word(j, "hex data")?;
            let t = self.text(j);
            if let Some(p) = t.bytes().position(|b| !b.is_ascii_hexdigit()) {
                let at = tok.range.start + p as u32;
                return self.bad(TextRange::new(at, at + 1), "RFC 3597 data must be hexadecimal");
            }
            digits += t.len();
        }
        if digits != 2 * len as usize {
            let r = toks[1].range.cover(toks[toks.len() - 1].range);
            return self.bad(r, format!("`\\# {len}` announces {len} octets but {} hex digits follow ({} octets)", digits, digits / 2));
        }
        Ok(())
    }
}

/// When a relative name's text ends with the origin (without the trailing dot), the
/// writer almost certainly meant an absolute name: returns what it becomes instead.
pub fn missing_trailing_dot(text: &str, origin: &Name) -> Option<String> {
    if text == "@" || text.ends_with('.') || origin.is_root() {
        return None;
    }
    // The origin is canonical (lower case): compare the end of `text` without case.
    let zone = origin.display_short().as_bytes();
    let t = text.as_bytes();
    let suffix_ok = t.len() >= zone.len()
        && t[t.len() - zone.len()..].eq_ignore_ascii_case(zone)
        && (t.len() == zone.len() || t[t.len() - zone.len() - 1] == b'.');
    if !suffix_ok || origin.label_count() < 2 {
        return None;
    }
    Some(format!("{}.{}", text, origin.as_str()))
}

pub fn parse_decimal(t: &str) -> Option<u64> {
    if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// An IPv6 address in exactly the text forms `Ipv6Addr::from_str` accepts (eight groups
/// of one to four hex digits; `::` once, for one or more zero groups; a dotted IPv4
/// address, without leading zeros, as the last two groups, not before a `::`), read in
/// one pass over the bytes. The standard parser, written for every address form at
/// once, takes ~800 instructions an address: a large zone has a hundred thousand AAAA
/// records, each read by several checks. A test holds the two to the same answers.
pub fn parse_ipv6(t: &str) -> Option<Ipv6Addr> {
    let b = t.as_bytes();
    let mut pos = 0;
    let mut head = [0u16; 8];
    let (head_len, head_v4) = ipv6_groups(b, &mut pos, &mut head);
    if head_len == 8 {
        return (pos == b.len()).then(|| Ipv6Addr::from(head));
    }
    if head_v4 || b.get(pos..pos + 2) != Some(b"::") {
        return None;
    }
    pos += 2;
    // The `::` stands for at least one group.
    let mut tail = [0u16; 7];
    let (tail_len, _) = ipv6_groups(b, &mut pos, &mut tail[..7 - head_len]);
    if pos != b.len() {
        return None;
    }
    head[8 - tail_len..].copy_from_slice(&tail[..tail_len]);
    Some(Ipv6Addr::from(head))
}

/// Reads `:`-separated groups from `pos` into `groups`, the last two of which may be a
/// dotted IPv4 address: how many were read, and whether an IPv4 address ended them.
/// `pos` is left after the last group read.
fn ipv6_groups(b: &[u8], pos: &mut usize, groups: &mut [u16]) -> (usize, bool) {
    let limit = groups.len();
    for i in 0..limit {
        let mut at = *pos;
        if i > 0 {
            if b.get(at) != Some(&b':') {
                return (i, false);
            }
            at += 1;
        }
        // The hex digits, read as they are counted (five means too many).
        let mut value = 0u16;
        let mut digits = 0;
        while let Some(&c) = b.get(at + digits) {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            digits += 1;
            if digits > 4 {
                break;
            }
            value = value << 4 | u16::from(d);
        }
        // A dotted IPv4 address in place of the last two groups starts with one to
        // three decimal digits (which read as hex too) and a dot.
        if i + 1 < limit
            && digits <= 3
            && b.get(at + digits) == Some(&b'.')
            && let Some((v4, end)) = ipv4_at(b, at)
        {
            let [o1, o2, o3, o4] = v4.octets();
            groups[i] = u16::from_be_bytes([o1, o2]);
            groups[i + 1] = u16::from_be_bytes([o3, o4]);
            *pos = end;
            return (i + 2, true);
        }
        if !(1..=4).contains(&digits) {
            return (i, false);
        }
        groups[i] = value;
        *pos = at + digits;
    }
    (limit, false)
}

/// A dotted IPv4 address at `at` as `Ipv4Addr::from_str` reads one (octets of one to
/// three digits, no leading zero, at most 255), and where it ends.
fn ipv4_at(b: &[u8], mut at: usize) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    for (i, o) in octets.iter_mut().enumerate() {
        if i > 0 {
            if b.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let digits = b[at.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=3).contains(&digits) || (digits > 1 && b[at] == b'0') {
            return None;
        }
        *o = u8::try_from(b[at..at + digits].iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'))).ok()?;
        at += digits;
    }
    Some((Ipv4Addr::from(octets), at))
}

/// Four dotted decimal octets, as `inet_pton` accepts them (no shorthand forms).
pub fn parse_ipv4_strict(t: &str) -> Option<Ipv4Addr> {
    let mut parts = [0u8; 4];
    let mut n = 0;
    let mut value = 0u16;
    let mut digits = 0;
    for &b in t.as_bytes() {
        match b {
            b'0'..=b'9' if digits < 3 => {
                value = value * 10 + u16::from(b - b'0');
                digits += 1;
            }
            b'.' if digits > 0 && n < 3 && value <= 255 => {
                parts[n] = value as u8;
                n += 1;
                (value, digits) = (0, 0);
            }
            _ => return None,
        }
    }
    if n != 3 || digits == 0 || value > 255 {
        return None;
    }
    parts[3] = value as u8;
    Some(Ipv4Addr::from(parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::lexer::Lexer;

    #[test]
    fn ipv6_addresses_read_as_the_standard_parser_reads_them() {
        let same = |t: &str| assert_eq!(parse_ipv6(t), t.parse::<Ipv6Addr>().ok(), "{t:?}");
        for t in [
            "",
            ":",
            "::",
            ":::",
            "::1",
            "1::",
            "1::1",
            "::ffff:192.0.2.1",
            "::192.0.2.1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:192.0.2.1",
            "1:2:3:4:5:6:7:192.0.2.1",
            "192.0.2.1::",
            "1::2::3",
            "12345::",
            "fFfF::",
            "g::",
            "1:2:3:4:5::192.0.2.1",
            "::01.2.3.4",
            "::0.0.0.0",
            "::1.2.3",
            "::1.2.3.4.5",
            "::256.1.1.1",
            "::1.2.3.4:5",
            "2001:db8::",
            "2001:DB8:0:0:8:800:200C:417A",
            "::ffff:1.2.3.04",
            "1:2:3:4:5:6:7:8 ",
            " ::1",
            "::é",
            "1:2:3:4:5:6::7",
        ] {
            same(t);
        }
        // Random strings over the characters that matter, and mutated real addresses.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"0129afAF:.:::..g";
        for _ in 0..300_000 {
            let len = (next() % 24) as usize;
            let t: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char).collect();
            same(&t);
        }
        for _ in 0..100_000 {
            let addr = Ipv6Addr::from(next() as u128 * if next() % 2 == 0 { 1 } else { next() as u128 });
            let mut t = if next() % 4 == 0 { format!("::ffff:{}", Ipv4Addr::from(next() as u32)) } else { addr.to_string() };
            if next() % 2 == 0 && !t.is_empty() {
                let at = (next() % t.len() as u64) as usize;
                let c = alphabet[(next() % alphabet.len() as u64) as usize] as char;
                match next() % 3 {
                    0 => t.insert(at, c),
                    1 => drop(t.remove(at)),
                    _ => t.replace_range(at..at + 1, &c.to_string()),
                }
            }
            same(&t);
        }
    }

    fn check(rtype: &str, data: &str) -> Vec<RdataProblem> {
        let toks: Vec<Token> = Lexer::new(data).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect();
        let origin = Name::parse_absolute("example.com.").unwrap();
        let mut c = RdataCheck::new(data, &toks, Some(&origin), TextRange::new(0, data.len() as u32));
        let _ = c.check(RrType::from_mnemonic(rtype).unwrap());
        c.problems
    }

    fn bad_at(rtype: &str, data: &str) -> Option<(String, String)> {
        check(rtype, data).into_iter().find_map(|p| match p {
            RdataProblem::Bad { range, message } => Some((data[range.as_usize()].to_string(), message)),
            _ => None,
        })
    }

    #[test]
    fn ipv4_as_inet_pton_reads_it() {
        for ok in ["192.0.2.1", "0.0.0.0", "255.255.255.255", "01.002.3.4"] {
            assert_eq!(
                parse_ipv4_strict(ok),
                ok.split('.').map(|p| p.parse::<u8>().ok()).collect::<Option<Vec<u8>>>().map(|v| Ipv4Addr::new(v[0], v[1], v[2], v[3])),
                "{ok}"
            );
        }
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.256",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "1.2.3.0004",
            "1.2.3.a",
            "1.2.3.4 ",
            "+1.2.3.4",
            "1.2.3.999",
        ] {
            assert_eq!(parse_ipv4_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn valid_data() {
        for (t, d) in [
            ("A", "192.0.2.1"),
            ("AAAA", "2001:db8::1"),
            ("AAAA", "::ffff:192.0.2.1"),
            ("MX", "10 mail"),
            ("MX", "0 ."),
            ("SOA", "ns1 hostmaster ( 1 2h 1h 2w 300 )"),
            ("TXT", "\"a\" b \"c\\\"\""),
            ("SRV", "0 5 443 host.example.net."),
            ("CAA", "0 issue \"letsencrypt.org\""),
            ("SSHFP", "1 1 123456789abcdef67890123456789abcdef67890"),
            ("TLSA", "3 1 1 ab cd"),
            ("DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
            ("TYPE65280", "\\# 4 0a000001"),
            ("A", "\\# 4 c0000201"),
            ("HTTPS", "1 . alpn=h2,h3"),
            ("NAPTR", "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ."),
        ] {
            assert_eq!(check(t, d), vec![], "{t} {d}");
        }
    }

    #[test]
    fn invalid_data_points_at_the_field() {
        assert_eq!(bad_at("A", "1.2.3").unwrap().0, "1.2.3");
        assert_eq!(bad_at("A", "192.0.2.256").unwrap().0, "192.0.2.256");
        assert_eq!(bad_at("A", "1.2.3.4 5").unwrap().0, "5");
        assert_eq!(bad_at("AAAA", "2001:db8::zz").unwrap().0, "2001:db8::zz");
        assert!(bad_at("MX", "mail").unwrap().1.contains("preference"));
        assert!(bad_at("MX", "10").unwrap().1.contains("missing its mail exchange host"));
        assert_eq!(bad_at("SRV", "10 5 http host").unwrap().0, "http");
        assert!(bad_at("SOA", "ns1 hostmaster 1 2 3 4").unwrap().1.contains("minimum"));
        assert!(bad_at("TYPE65280", "\\# 3 0a00").unwrap().1.contains("announces 3 octets"));
        assert!(matches!(&check("TXT", "\"\\999\"")[..], [RdataProblem::Syntax { .. }]));
        assert!(bad_at("HTTPS", "1 . alpn").is_some() || bad_at("HTTPS", "x").is_some());
    }

    #[test]
    fn long_strings_and_trailing_dots() {
        let long = format!("\"{}\"", "a".repeat(256));
        assert!(matches!(check("TXT", &long)[..], [RdataProblem::StringTooLong { len: 256, .. }]));
        assert!(
            matches!(&check("MX", "10 mail.example.com")[..], [RdataProblem::MissingTrailingDot { becomes, .. }] if becomes == "mail.example.com.example.com.")
        );
        assert_eq!(check("CNAME", "www.example.net"), vec![]);
    }
}
