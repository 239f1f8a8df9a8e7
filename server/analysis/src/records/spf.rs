//! SPF records (RFC 7208): the complete §12 ABNF, with the range of every term.
//!
//! Offsets are into the decoded record value (all character-strings joined, §3.3).
//! One syntax error anywhere makes the record PermError at receivers (§4.6), so the
//! parser keeps going after an error to report them all.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// `true` when a TXT value is an SPF record: `v=spf1` followed by a space or the end
/// (§4.5; the version is compared case-insensitively, `v=spf10` is not SPF).
pub fn is_spf(value: &[u8]) -> bool {
    value.len() >= 6 && value[..6].eq_ignore_ascii_case(b"v=spf1") && (value.len() == 6 || value[6] == b' ')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    pub fn from_byte(b: u8) -> Option<Qualifier> {
        match b {
            b'+' => Some(Qualifier::Pass),
            b'-' => Some(Qualifier::Fail),
            b'~' => Some(Qualifier::SoftFail),
            b'?' => Some(Qualifier::Neutral),
            _ => None,
        }
    }

    pub fn symbol(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }

    pub fn result_name(self) -> &'static str {
        match self {
            Qualifier::Pass => "pass",
            Qualifier::Fail => "fail",
            Qualifier::SoftFail => "softfail",
            Qualifier::Neutral => "neutral",
        }
    }

    /// How strict a result is, for merging records (`-all` is the strictest).
    pub fn strictness(self) -> u8 {
        match self {
            Qualifier::Pass => 0,
            Qualifier::Neutral => 1,
            Qualifier::SoftFail => 2,
            Qualifier::Fail => 3,
        }
    }
}

/// One part of a macro-string (§7.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacroPart {
    Literal(String),
    Expand {
        /// Lower-case macro letter: s l o d i p h c r t v.
        letter: u8,
        /// Upper-case letter: URL-escape the result (§7.3).
        url_escape: bool,
        /// Keep this many right-hand parts.
        digits: Option<u32>,
        reverse: bool,
        /// Delimiters to split on (default `.`).
        delimiters: String,
    },
    /// `%%`
    Percent,
    /// `%_`
    Space,
    /// `%-`
    UrlSpace,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacroString {
    pub parts: Vec<MacroPart>,
}

impl MacroString {
    pub fn has_macros(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, MacroPart::Literal(_)))
    }

    /// The literal text when there are no macros.
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                MacroPart::Literal(l) => s.push_str(l),
                _ => return None,
            }
        }
        Some(s)
    }
}

/// A `domain-spec`: the target of `include`, `a`, `mx`, `ptr`, `exists`, `redirect`, `exp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainSpec {
    pub text: String,
    pub range: Range<u32>,
    pub macros: MacroString,
}

impl DomainSpec {
    /// The target name when it has no macros (lower-cased, without a trailing dot).
    pub fn literal_name(&self) -> Option<String> {
        self.macros.literal().map(|s| s.trim_end_matches('.').to_ascii_lowercase())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DualCidr {
    pub v4: Option<u8>,
    pub v6: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(DomainSpec),
    A { domain: Option<DomainSpec>, cidr: DualCidr },
    Mx { domain: Option<DomainSpec>, cidr: DualCidr },
    Ptr(Option<DomainSpec>),
    Ip4 { addr: Ipv4Addr, prefix: Option<u8> },
    Ip6 { addr: Ipv6Addr, prefix: Option<u8> },
    Exists(DomainSpec),
}

impl Mechanism {
    pub fn name(&self) -> &'static str {
        match self {
            Mechanism::All => "all",
            Mechanism::Include(_) => "include",
            Mechanism::A { .. } => "a",
            Mechanism::Mx { .. } => "mx",
            Mechanism::Ptr(_) => "ptr",
            Mechanism::Ip4 { .. } => "ip4",
            Mechanism::Ip6 { .. } => "ip6",
            Mechanism::Exists(_) => "exists",
        }
    }

    /// Mechanisms that cost a DNS lookup (§4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(self, Mechanism::Include(_) | Mechanism::A { .. } | Mechanism::Mx { .. } | Mechanism::Ptr(_) | Mechanism::Exists(_))
    }

    pub fn domain(&self) -> Option<&DomainSpec> {
        match self {
            Mechanism::Include(d) | Mechanism::Exists(d) => Some(d),
            Mechanism::A { domain, .. } | Mechanism::Mx { domain, .. } | Mechanism::Ptr(domain) => domain.as_ref(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modifier {
    Redirect(DomainSpec),
    Exp(DomainSpec),
    Unknown { name: String, value: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermKind {
    Directive {
        qualifier: Qualifier,
        explicit_qualifier: bool,
        mechanism: Mechanism,
    },
    Modifier {
        name_range: Range<u32>,
        modifier: Modifier,
    },
    /// A term with a syntax error (reported in `errors`).
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub range: Range<u32>,
    pub kind: TermKind,
}

impl Term {
    pub fn mechanism(&self) -> Option<&Mechanism> {
        match &self.kind {
            TermKind::Directive { mechanism, .. } => Some(mechanism),
            _ => None,
        }
    }

    pub fn qualifier(&self) -> Option<Qualifier> {
        match &self.kind {
            TermKind::Directive { qualifier, .. } => Some(*qualifier),
            _ => None,
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self.mechanism(), Some(Mechanism::All))
    }

    pub fn modifier(&self) -> Option<&Modifier> {
        match &self.kind {
            TermKind::Modifier { modifier, .. } => Some(modifier),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpfErrorKind {
    Syntax,
    /// A byte outside 7-bit ASCII (§3.1); may be a lookalike character.
    NonAscii,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpfError {
    pub range: Range<u32>,
    pub message: String,
    pub kind: SpfErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpfRecord {
    pub version: Range<u32>,
    pub terms: Vec<Term>,
    pub errors: Vec<SpfError>,
    /// Length of the value parsed.
    pub len: u32,
}

impl SpfRecord {
    pub fn redirect(&self) -> Option<(&Term, &DomainSpec)> {
        self.terms.iter().find_map(|t| match t.modifier() {
            Some(Modifier::Redirect(d)) => Some((t, d)),
            _ => None,
        })
    }

    pub fn all(&self) -> Option<&Term> {
        self.terms.iter().find(|t| t.is_all())
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parses an SPF record (the caller checked [`is_spf`]).
pub fn parse(value: &[u8]) -> SpfRecord {
    // Terms are separated by spaces: room for one per space (a few more than needed
    // when spaces repeat, none of the doubling slack).
    let spaces = memchr::memchr_iter(b' ', value).count();
    let mut rec =
        SpfRecord { version: 0..6.min(value.len() as u32), terms: Vec::with_capacity(spaces), errors: Vec::new(), len: value.len() as u32 };
    let mut i = 6.min(value.len());
    while i < value.len() {
        if value[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < value.len() && value[i] != b' ' {
            i += 1;
        }
        let term = parse_term(value, start, i, &mut rec.errors);
        rec.terms.push(term);
    }
    rec
}

fn err(errors: &mut Vec<SpfError>, range: Range<usize>, message: impl Into<String>) -> TermKind {
    errors.push(SpfError { range: range.start as u32..range.end as u32, message: message.into(), kind: SpfErrorKind::Syntax });
    TermKind::Invalid
}

fn is_name(b: &[u8]) -> bool {
    !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn parse_term(v: &[u8], start: usize, end: usize, errors: &mut Vec<SpfError>) -> Term {
    let t = &v[start..end];
    let range = start as u32..end as u32;
    let text = crate::util::lossy(t).into_owned();
    if let Some(p) = t.iter().position(|&b| !b.is_ascii()) {
        let at = start + p;
        let width = match v[at] {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        errors.push(SpfError {
            range: at as u32..(at + width).min(end) as u32,
            message: format!("`{text}` contains a non-ASCII character; SPF records are 7-bit ASCII (RFC 7208 §3.1)"),
            kind: SpfErrorKind::NonAscii,
        });
        return Term { range, kind: TermKind::Invalid };
    }
    if let Some(p) = t.iter().position(|&b| b < 0x21 || b == 0x7f) {
        let kind = err(
            errors,
            start..end,
            format!(
                "`{}` contains a control character (0x{:02x}); terms are separated by spaces only (RFC 7208 §4.6.1)",
                text.escape_debug(),
                t[p]
            ),
        );
        return Term { range, kind };
    }
    // A modifier: `name=` before any `:` or `/` (§4.6.1).
    if let Some(eq) = t.iter().position(|&b| b == b'=') {
        let name = &t[..eq];
        if is_name(name) {
            let lname = crate::util::lossy(name).to_ascii_lowercase();
            let vstart = start + eq + 1;
            let kind = match lname.as_str() {
                "redirect" | "exp" => match parse_domain_spec(v, vstart, end, errors, &lname) {
                    Some(d) => TermKind::Modifier {
                        name_range: start as u32..(start + eq) as u32,
                        modifier: if lname == "redirect" { Modifier::Redirect(d) } else { Modifier::Exp(d) },
                    },
                    None => TermKind::Invalid,
                },
                _ => match parse_macro_string(v, vstart, end, false) {
                    Ok(_) => TermKind::Modifier {
                        name_range: start as u32..(start + eq) as u32,
                        modifier: Modifier::Unknown { name: lname, value: crate::util::lossy(&v[vstart..end]).into_owned() },
                    },
                    Err((r, m)) => err(errors, r, format!("modifier `{text}`: {m}")),
                },
            };
            return Term { range, kind };
        }
    }
    // A directive.
    let (qualifier, explicit, mstart) = match Qualifier::from_byte(t[0]) {
        Some(q) => (q, true, start + 1),
        None => (Qualifier::Pass, false, start),
    };
    let rest = &v[mstart..end];
    let name_len = rest.iter().position(|&b| b == b':' || b == b'/').unwrap_or(rest.len());
    let name = crate::util::lossy(&rest[..name_len]).to_ascii_lowercase();
    let after = mstart + name_len; // at `:`, `/` or the end
    let has_colon = after < end && v[after] == b':';
    let mechanism = match name.as_str() {
        "all" => {
            if after != end {
                return Term { range, kind: err(errors, start..end, format!("`{text}`: `all` takes no argument (RFC 7208 §5.1)")) };
            }
            Mechanism::All
        }
        "include" | "exists" => {
            if !has_colon {
                return Term {
                    range,
                    kind: err(
                        errors,
                        start..end,
                        format!("`{text}`: `{name}` needs a domain, as `{name}:example.com` (RFC 7208 §5.2, §5.7)"),
                    ),
                };
            }
            match parse_domain_spec(v, after + 1, end, errors, &name) {
                Some(d) => {
                    if name == "include" {
                        Mechanism::Include(d)
                    } else {
                        Mechanism::Exists(d)
                    }
                }
                None => return Term { range, kind: TermKind::Invalid },
            }
        }
        "a" | "mx" => {
            let cidr_at = if has_colon { find_cidr_start(v, after + 1, end) } else { after };
            let domain = if has_colon {
                match parse_domain_spec(v, after + 1, cidr_at, errors, &name) {
                    Some(d) => Some(d),
                    None => return Term { range, kind: TermKind::Invalid },
                }
            } else {
                None
            };
            let cidr = match parse_dual_cidr(&v[cidr_at..end]) {
                Ok(c) => c,
                Err(m) => return Term { range, kind: err(errors, cidr_at..end, format!("`{text}`: {m}")) },
            };
            if name == "a" { Mechanism::A { domain, cidr } } else { Mechanism::Mx { domain, cidr } }
        }
        "ptr" => {
            let domain = if has_colon {
                if v[after + 1..end].contains(&b'/') && find_cidr_start(v, after + 1, end) < end {
                    return Term { range, kind: err(errors, start..end, format!("`{text}`: `ptr` takes no CIDR length (RFC 7208 §5.5)")) };
                }
                match parse_domain_spec(v, after + 1, end, errors, "ptr") {
                    Some(d) => Some(d),
                    None => return Term { range, kind: TermKind::Invalid },
                }
            } else if after != end {
                return Term { range, kind: err(errors, start..end, format!("`{text}`: `ptr` takes no CIDR length (RFC 7208 §5.5)")) };
            } else {
                None
            };
            Mechanism::Ptr(domain)
        }
        "ip4" => {
            if !has_colon {
                return Term {
                    range,
                    kind: err(errors, start..end, format!("`{text}`: `ip4` needs an address, as `ip4:192.0.2.0/24` (RFC 7208 §5.6)")),
                };
            }
            let body = &v[after + 1..end];
            let slash = body.iter().position(|&b| b == b'/').unwrap_or(body.len());
            let addr_txt = crate::util::lossy(&body[..slash]);
            let Some(addr) = parse_qnum_ipv4(&addr_txt) else {
                return Term {
                    range,
                    kind: err(
                        errors,
                        after + 1..after + 1 + slash,
                        format!("`{addr_txt}` is not an IPv4 network (four decimal octets without leading zeros)"),
                    ),
                };
            };
            let prefix = match parse_cidr(&body[slash..], 32) {
                Ok(p) => p,
                Err(m) => return Term { range, kind: err(errors, after + 1 + slash..end, format!("`{text}`: {m}")) },
            };
            Mechanism::Ip4 { addr, prefix }
        }
        "ip6" => {
            if !has_colon {
                return Term {
                    range,
                    kind: err(errors, start..end, format!("`{text}`: `ip6` needs an address, as `ip6:2001:db8::/32` (RFC 7208 §5.6)")),
                };
            }
            let body = &v[after + 1..end];
            let slash = body.iter().position(|&b| b == b'/').unwrap_or(body.len());
            let addr_txt = crate::util::lossy(&body[..slash]);
            let Some(addr) = crate::zone::rdata::parse_ipv6(&addr_txt) else {
                return Term { range, kind: err(errors, after + 1..after + 1 + slash, format!("`{addr_txt}` is not an IPv6 network")) };
            };
            let prefix = match parse_cidr(&body[slash..], 128) {
                Ok(p) => p,
                Err(m) => return Term { range, kind: err(errors, after + 1 + slash..end, format!("`{text}`: {m}")) },
            };
            Mechanism::Ip6 { addr, prefix }
        }
        "redirect" | "exp" => {
            return Term {
                range,
                kind: err(errors, start..end, format!("`{text}`: `{name}` is a modifier, written `{name}=example.com` (RFC 7208 §6)")),
            };
        }
        _ => {
            let known = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists", "redirect", "exp"];
            let max = if name.len() <= 3 { 1 } else { 2 };
            let hint = crate::util::closest(&name, known, max).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
            return Term {
                range,
                kind: err(errors, start..end, format!("`{text}` is not an SPF mechanism or modifier{hint} (RFC 7208 §5)")),
            };
        }
    };
    Term { range, kind: TermKind::Directive { qualifier, explicit_qualifier: explicit, mechanism } }
}

/// Where a dual CIDR suffix (`/24`, `//64`, `/24//64`) starts at the end of
/// `v[start..end]`. A domain-spec may itself contain `/` (`a:foo:bar/baz.example.com`),
/// so only a trailing run of `/digits` counts.
fn find_cidr_start(v: &[u8], start: usize, end: usize) -> usize {
    // Trailing `/digits`, if any: returns where the `/` is.
    let slash_digits = |to: usize| -> Option<usize> {
        let digits = v[start..to].iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let at = to - digits;
        (digits > 0 && at > start && v[at - 1] == b'/').then_some(at - 1)
    };
    let Some(last) = slash_digits(end) else { return end };
    if last > start && v[last - 1] == b'/' {
        // `//64`, possibly after `/24`.
        let v6 = last - 1;
        return slash_digits(v6).unwrap_or(v6);
    }
    last
}

/// `ip4-cidr-length` / `ip6-cidr-length`: `/` then a number without leading zero.
fn parse_cidr(s: &[u8], max: u8) -> Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let digits = &s[1..];
    let txt = crate::util::lossy(s);
    let ok = s[0] == b'/'
        && !digits.is_empty()
        && digits.len() <= 3
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0');
    if !ok {
        return Err(format!("`{txt}` is not a CIDR prefix length (`/0` to `/{max}`, no leading zero)"));
    }
    let n: u32 = crate::util::lossy(digits).parse().unwrap_or(999);
    if n > max as u32 {
        return Err(format!("prefix length `{txt}` is larger than /{max}"));
    }
    Ok(Some(n as u8))
}

/// `dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]`.
fn parse_dual_cidr(s: &[u8]) -> Result<DualCidr, String> {
    let mut c = DualCidr::default();
    if s.is_empty() {
        return Ok(c);
    }
    let (v4, v6) = match s.windows(2).position(|w| w == b"//") {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    if !v4.is_empty() {
        c.v4 = parse_cidr(v4, 32)?;
    }
    if let Some(v6) = v6 {
        c.v6 = parse_cidr(v6, 128)?;
    }
    Ok(c)
}

/// Dotted quad with `qnum` octets: 0–255, no leading zeros (§12).
pub fn parse_qnum_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut parts = [0u8; 4];
    let mut n = 0;
    for p in s.split('.') {
        if n == 4 || p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        parts[n] = p.parse::<u16>().ok().filter(|&x| x <= 255)? as u8;
        n += 1;
    }
    (n == 4).then(|| Ipv4Addr::from(parts))
}

/// Parses a macro-string in `v[start..end]` (§7.1). `exp_text` allows the letters
/// `c`, `r`, `t`, which are only valid in explanation text (§7.2).
pub fn parse_macro_string(v: &[u8], start: usize, end: usize, exp_text: bool) -> Result<MacroString, (Range<usize>, String)> {
    let text = &v[start..end.max(start)];
    // Most are plain names: one literal, checked and copied at once.
    if !text.is_empty() && text.iter().all(|&b| b != b'%' && ((0x21..=0x7e).contains(&b) || (exp_text && b == b' '))) {
        let lit = String::from_utf8_lossy(text).into_owned();
        return Ok(MacroString { parts: vec![MacroPart::Literal(lit)] });
    }
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = start;
    while i < end {
        let b = v[i];
        if b != b'%' {
            if !((0x21..=0x7e).contains(&b) || (exp_text && b == b' ')) {
                return Err((i..i + 1, format!("character 0x{b:02x} is not allowed here")));
            }
            lit.push(b as char);
            i += 1;
            continue;
        }
        if !lit.is_empty() {
            parts.push(MacroPart::Literal(std::mem::take(&mut lit)));
        }
        match v.get(i + 1).filter(|_| i + 1 < end) {
            Some(b'%') => {
                parts.push(MacroPart::Percent);
                i += 2;
            }
            Some(b'_') => {
                parts.push(MacroPart::Space);
                i += 2;
            }
            Some(b'-') => {
                parts.push(MacroPart::UrlSpace);
                i += 2;
            }
            Some(b'{') => {
                let close =
                    v[i..end].iter().position(|&c| c == b'}').map(|p| i + p).ok_or((i..end, "`%{` without a closing `}`".to_string()))?;
                let body = &v[i + 2..close];
                let letter = *body.first().ok_or((i..close + 1, "`%{}` has no macro letter".to_string()))?;
                let lower = letter.to_ascii_lowercase();
                if !b"slodiphcrtv".contains(&lower) {
                    return Err((i..close + 1, format!("`{}` is not a macro letter (s l o d i p h c r t v)", letter as char)));
                }
                if !exp_text && b"crt".contains(&lower) {
                    return Err((
                        i..close + 1,
                        format!("macro `%{{{}}}` is only allowed in explanation text, not in a domain (RFC 7208 §7.2)", letter as char),
                    ));
                }
                let mut j = 1;
                let dstart = j;
                while j < body.len() && body[j].is_ascii_digit() {
                    j += 1;
                }
                let digits = if j > dstart {
                    let n: u32 = crate::util::lossy(&body[dstart..j]).parse().unwrap_or(u32::MAX);
                    if n == 0 {
                        return Err((
                            i..close + 1,
                            "a macro transformer keeps at least one part: `0` is not allowed (RFC 7208 §7.3)".into(),
                        ));
                    }
                    Some(n)
                } else {
                    None
                };
                let reverse = body.get(j).is_some_and(|&c| c == b'r' || c == b'R');
                if reverse {
                    j += 1;
                }
                let delims = &body[j..];
                if let Some(&bad) = delims.iter().find(|&&c| !b".-+,/_=".contains(&c)) {
                    return Err((i..close + 1, format!("`{}` is not a macro delimiter (. - + , / _ =)", bad as char)));
                }
                parts.push(MacroPart::Expand {
                    letter: lower,
                    url_escape: letter.is_ascii_uppercase(),
                    digits,
                    reverse,
                    delimiters: crate::util::lossy(delims).into_owned(),
                });
                i = close + 1;
            }
            _ => return Err((i..(i + 2).min(end), "`%` must start a macro: `%{x}`, `%%`, `%_` or `%-` (RFC 7208 §7.1)".into())),
        }
    }
    if !lit.is_empty() {
        parts.push(MacroPart::Literal(lit));
    }
    Ok(MacroString { parts })
}

fn is_toplabel(l: &[u8]) -> bool {
    if l.is_empty() || !l.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    if l.contains(&b'-') {
        // 1*alphanum "-" *( alphanum / "-" ) alphanum
        l[0].is_ascii_alphanumeric() && l[l.len() - 1].is_ascii_alphanumeric()
    } else {
        l.iter().any(u8::is_ascii_alphabetic)
    }
}

/// `domain-spec = macro-string domain-end`, `domain-end = ( "." toplabel [ "." ] ) / macro-expand`.
fn parse_domain_spec(v: &[u8], start: usize, end: usize, errors: &mut Vec<SpfError>, what: &str) -> Option<DomainSpec> {
    let text = crate::util::lossy(&v[start..end]).into_owned();
    if start >= end {
        errors.push(SpfError {
            range: start as u32..end as u32,
            message: format!("`{what}` has an empty domain"),
            kind: SpfErrorKind::Syntax,
        });
        return None;
    }
    let macros = match parse_macro_string(v, start, end, false) {
        Ok(m) => m,
        Err((r, m)) => {
            errors.push(SpfError { range: r.start as u32..r.end as u32, message: format!("`{text}`: {m}"), kind: SpfErrorKind::Syntax });
            return None;
        }
    };
    let ends_with_macro = matches!(macros.parts.last(), Some(MacroPart::Expand { .. }))
        || (text.ends_with('.') && matches!(macros.parts.iter().rev().nth(1), Some(MacroPart::Expand { .. })) && text.ends_with("}."));
    if !ends_with_macro {
        let body = text.strip_suffix('.').unwrap_or(&text);
        let ok = match body.rfind('.') {
            Some(dot) => {
                let top = &body.as_bytes()[dot + 1..];
                is_toplabel(top) && !body[dot + 1..].contains('%')
            }
            None => false,
        };
        if !ok {
            let last = body.rsplit('.').next().unwrap_or(body);
            let why = if !body.contains('.') {
                format!("`{text}` is not a fully qualified domain (it needs a dot, as `{text}.com`)")
            } else if last.bytes().all(|b| b.is_ascii_digit()) {
                format!("`{text}` ends in the all-numeric label `{last}`; the top label of a domain must contain a letter (RFC 7208 §7.1)")
            } else {
                format!("`{text}` does not end in a valid top label (RFC 7208 §7.1)")
            };
            errors.push(SpfError { range: start as u32..end as u32, message: why, kind: SpfErrorKind::Syntax });
            return None;
        }
    }
    Some(DomainSpec { text, range: start as u32..end as u32, macros })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(s: &str) -> Vec<String> {
        parse(s.as_bytes())
            .errors
            .into_iter()
            .map(|e| format!("{}: {}", &s[e.range.start as usize..e.range.end as usize], e.message))
            .collect()
    }

    #[test]
    fn version_selection() {
        assert!(is_spf(b"v=spf1"));
        assert!(is_spf(b"V=SPF1 -all"));
        assert!(!is_spf(b"v=spf10 -all"));
        assert!(!is_spf(b"v=spf1-all"));
        assert!(!is_spf(b" v=spf1 -all"));
    }

    #[test]
    fn valid_records() {
        for r in [
            "v=spf1 -all",
            "v=spf1 a mx -all",
            "v=spf1 a/24 mx:mail.example.com/28//64 ?all",
            "v=spf1 a//64 -all",
            "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::1 ~all",
            "v=spf1 include:_spf.google.com include:spf.protection.outlook.com -all",
            "v=spf1 exists:%{i}._spf.%{d} -all",
            "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
            "v=spf1 redirect=_spf.example.com",
            "v=spf1 -all exp=explain._spf.%{d}",
            "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
            "v=spf1 a  -all ",
            "v=spf1 ptr ptr:example.com -all",
            "v=spf1 a:mail.example...com -all",
            "v=spf1 a:%{H}.bar -all",
            "v=spf1 include:example.com. -all",
            "v=spf1 mx:foo-bar.com -all",
        ] {
            assert_eq!(errs(r), Vec::<String>::new(), "{r}");
        }
        for r in ["v=spf1 a:foo:bar/baz.example.com -all", "v=spf1 mx:foo.example.com/24//64 -all"] {
            assert_eq!(errs(r), Vec::<String>::new(), "{r}");
        }
    }

    #[test]
    fn syntax_errors_name_the_term() {
        assert_eq!(errs("v=spf1 ip4:1.2.3.4 -all moo"), ["moo: `moo` is not an SPF mechanism or modifier (RFC 7208 §5)"]);
        assert_eq!(errs("v=spf1 -all.").len(), 1);
        assert_eq!(errs("v=spf1 -all:foobar").len(), 1);
        assert_eq!(errs("v=spf1 -all/8").len(), 1);
        assert_eq!(errs("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all").len(), 1);
        assert!(errs("v=spf1 ip4:1.2.3.4 redirect:t2.example.com")[0].contains("is a modifier"));
        assert!(errs("v=spf1 a:foo-bar -all")[0].contains("not a fully qualified"));
        assert!(errs("v=spf1 a:foo.example.123 -all")[0].contains("all-numeric"));
        assert!(errs("v=spf1 ip4:192.0.2.01 -all")[0].contains("not an IPv4 network"));
        assert!(errs("v=spf1 ip4:192.0.2.0/33 -all")[0].contains("larger than /32"));
        assert!(errs("v=spf1 ip4:192.0.2.0/01 -all")[0].contains("not a CIDR"));
        assert!(errs("v=spf1 exists:%{c}.example.com -all")[0].contains("only allowed in explanation"));
        assert!(errs("v=spf1 exists:%{x}.example.com -all")[0].contains("not a macro letter"));
        assert!(errs("v=spf1 exists:%(d).example.com -all")[0].contains("must start a macro"));
        assert!(errs("v=spf1 ptr/24 -all")[0].contains("no CIDR"));
        assert!(errs("v=spf1 include -all")[0].contains("needs a domain"));
        assert!(errs("v=spf1 incude:example.com -all")[0].contains("did you mean `include`"));
        assert_eq!(parse("v=spf1 –all".as_bytes()).errors[0].kind, SpfErrorKind::NonAscii);
        assert!(errs("v=spf1 a:ctrl.example.com\rptr -all")[0].contains("control character"));
    }

    #[test]
    fn model() {
        let r = parse(b"v=spf1 ~mx:mail.example.com/24 ip4:192.0.2.1 redirect=_spf.example.net");
        assert_eq!(r.terms.len(), 3);
        assert_eq!(r.terms[0].qualifier(), Some(Qualifier::SoftFail));
        assert_eq!(r.terms[0].range, 7..30);
        match r.terms[0].mechanism() {
            Some(Mechanism::Mx { domain: Some(d), cidr }) => {
                assert_eq!(d.literal_name().as_deref(), Some("mail.example.com"));
                assert_eq!(cidr.v4, Some(24));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.redirect().unwrap().1.text, "_spf.example.net");
        let m = parse_macro_string(b"%{ir}.%{l1r+-}._spf.%{D}", 0, 24, false).unwrap();
        assert_eq!(m.parts.len(), 5);
        assert!(matches!(m.parts[2], MacroPart::Expand { letter: b'l', digits: Some(1), reverse: true, .. }));
    }
}
