//! RFC 7208 `check_host()`: evaluates an SPF policy the way a receiving mail server
//! does, for one client IP, sender and HELO name, with the processing limits of §4.6.4,
//! macro expansion (§7), explanations (§6.2) and a trace of every step.
//!
//! DNS comes through [`Resolver`]: the caller decides where answers come from (the
//! workspace, the snapshot, a live server), so the evaluator itself does no IO.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::dns::{DnsResult, QType, Rdata};
use crate::records::spf::{self, DualCidr, MacroPart, MacroString, Mechanism, Modifier, Qualifier, SpfRecord, TermKind};

/// A source of definite DNS answers (an error stands for a timeout or SERVFAIL).
pub trait Resolver {
    fn query(&mut self, name: &str, t: QType) -> DnsResult;
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SpfResult {
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

impl SpfResult {
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }

    fn from_qualifier(q: Qualifier) -> SpfResult {
        match q {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

/// What the receiver knows about the SMTP session.
#[derive(Clone, Debug)]
pub struct Session {
    pub ip: IpAddr,
    /// MAIL FROM (`local@domain`); empty for bounces, which are checked by HELO.
    pub sender: String,
    pub helo: String,
    /// The receiving host's name, for `%{r}`.
    pub receiver: String,
    /// Seconds since the epoch, for `%{t}`.
    pub now: u64,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub result: SpfResult,
    /// The explanation from `exp=` (only for `fail`); `None` when there is none.
    pub explanation: Option<String>,
    pub lookups: u32,
    pub void_lookups: u32,
    pub trace: Vec<String>,
}

/// RFC 7208 §4.6.4 limits.
const MAX_LOOKUPS: u32 = 10;
const MAX_VOID: u32 = 2;
const MAX_MX_NAMES: usize = 10;
const MAX_PTR_NAMES: usize = 10;
/// Nested include/redirect depth beyond which a loop is certain (the 10-lookup limit
/// stops a chain long before; this guards against bugs, not input).
const MAX_DEPTH: usize = 20;

/// Evaluates SPF for `session` the way a receiver does.
pub fn check(session: &Session, resolver: &mut dyn Resolver) -> Outcome {
    let (local, domain) = sender_parts(session);
    let mut ev =
        Evaluator { session, resolver, lookups: 0, void: 0, trace: Vec::new(), local, sender_domain: domain.clone(), validated_ptr: None };
    let (result, explanation) = ev.check_host(&domain, 0, true);
    Outcome { result, explanation, lookups: ev.lookups, void_lookups: ev.void, trace: ev.trace }
}

/// The local part and domain that `%{l}`, `%{o}` and the first `check_host()` use:
/// MAIL FROM, or `postmaster@HELO` when MAIL FROM is empty (§2.4, §4.3).
fn sender_parts(s: &Session) -> (String, String) {
    match s.sender.rsplit_once('@') {
        Some((l, d)) => (if l.is_empty() { "postmaster".into() } else { l.to_string() }, d.to_string()),
        None if !s.sender.is_empty() => ("postmaster".into(), s.sender.clone()),
        None => ("postmaster".into(), s.helo.clone()),
    }
}

struct Evaluator<'a> {
    session: &'a Session,
    resolver: &'a mut dyn Resolver,
    lookups: u32,
    void: u32,
    trace: Vec<String>,
    local: String,
    sender_domain: String,
    validated_ptr: Option<String>,
}

enum Stop {
    Temp(String),
    Perm(String),
}

/// `true` when `d` can be a domain for check_host (§4.3): non-empty labels of at most
/// 63 octets, at least two of them, no IP literal.
fn valid_domain(d: &str) -> bool {
    let d = d.strip_suffix('.').unwrap_or(d);
    if d.is_empty() || d.starts_with('[') || d.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2 && labels.iter().all(|l| !l.is_empty() && l.len() <= 63)
}

/// A name a DNS query can be made for (§4.8: otherwise the mechanism does not match).
fn queryable(d: &str) -> bool {
    let d = d.strip_suffix('.').unwrap_or(d);
    !d.is_empty() && d.len() <= 253 && d.split('.').all(|l| !l.is_empty() && l.len() <= 63)
}

fn ip_in(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix.min(32)) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix.min(128)) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// An IPv4-mapped IPv6 client is an IPv4 client (RFC 7208 §5: "ip4-mapped").
fn effective_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn reverse_name(ip: IpAddr) -> String {
    let zone = if ip.is_ipv4() { "in-addr.arpa" } else { "ip6.arpa" };
    format!("{}{zone}", crate::util::reversed_labels(ip))
}

impl Evaluator<'_> {
    fn ip(&self) -> IpAddr {
        effective_ip(self.session.ip)
    }

    fn count_lookup(&mut self, what: &str) -> Result<(), Stop> {
        self.lookups += 1;
        if self.lookups > MAX_LOOKUPS {
            return Err(Stop::Perm(format!("{what} is DNS lookup {}; the limit is {MAX_LOOKUPS} (RFC 7208 §4.6.4)", self.lookups)));
        }
        Ok(())
    }

    fn count_void(&mut self, what: &str) -> Result<(), Stop> {
        self.void += 1;
        if self.void > MAX_VOID {
            return Err(Stop::Perm(format!("{what} is void lookup {}; the limit is {MAX_VOID} (RFC 7208 §4.6.4)", self.void)));
        }
        Ok(())
    }

    fn query(&mut self, name: &str, t: QType) -> DnsResult {
        let r = self.resolver.query(name, t);
        self.trace.push(format!("  query {t} {name} → {}", describe(&r)));
        r
    }

    /// The SPF record at `domain`, or the result that ends evaluation there.
    fn fetch_record(&mut self, domain: &str) -> Result<Result<SpfRecord, SpfResult>, Stop> {
        let r = self.query(domain, QType::Txt);
        let records = match r {
            DnsResult::Error(e) => return Err(Stop::Temp(format!("the TXT lookup for {domain} failed: {e}"))),
            DnsResult::NxDomain | DnsResult::NoData => return Ok(Err(SpfResult::None)),
            DnsResult::Records(r) => r,
        };
        let spfs: Vec<Vec<u8>> = records
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(strings) => Some(strings.concat()),
                _ => None,
            })
            .filter(|v| spf::is_spf(v))
            .collect();
        match spfs.len() {
            0 => Ok(Err(SpfResult::None)),
            1 => Ok(Ok(spf::parse(&spfs[0]))),
            n => Err(Stop::Perm(format!("{domain} publishes {n} SPF records (RFC 7208 §4.5)"))),
        }
    }

    /// `check_host()` for `domain`: the result and, for `fail`, the explanation.
    fn check_host(&mut self, domain: &str, depth: usize, top: bool) -> (SpfResult, Option<String>) {
        if depth > MAX_DEPTH {
            self.trace.push(format!("{domain}: nested too deeply"));
            return (SpfResult::PermError, None);
        }
        if !valid_domain(domain) {
            self.trace.push(format!("{domain}: not a valid domain → none (RFC 7208 §4.3)"));
            return (SpfResult::None, None);
        }
        match self.evaluate(domain, depth, top) {
            Ok(r) => r,
            Err(Stop::Temp(m)) => {
                self.trace.push(format!("{domain}: temperror: {m}"));
                (SpfResult::TempError, None)
            }
            Err(Stop::Perm(m)) => {
                self.trace.push(format!("{domain}: permerror: {m}"));
                (SpfResult::PermError, None)
            }
        }
    }

    fn evaluate(&mut self, domain: &str, depth: usize, top: bool) -> Result<(SpfResult, Option<String>), Stop> {
        let rec = match self.fetch_record(domain)? {
            Ok(r) => r,
            Err(none) => {
                self.trace.push(format!("{domain}: no SPF record → none"));
                return Ok((none, None));
            }
        };
        let count = |f: fn(&Modifier) -> bool| rec.terms.iter().filter(|t| t.modifier().is_some_and(f)).count();
        if let Some(e) = rec.errors.first() {
            return Err(Stop::Perm(format!("syntax error: {}", e.message)));
        }
        if count(|m| matches!(m, Modifier::Redirect(_))) > 1 || count(|m| matches!(m, Modifier::Exp(_))) > 1 {
            return Err(Stop::Perm("redirect= or exp= appears twice (RFC 7208 §6)".into()));
        }
        // Every macro in the record must expand, before any term is evaluated (§4.6).
        for t in &rec.terms {
            if let Some(d) = term_domain(t)
                && self.expand(&d.macros, domain, false).is_none()
            {
                return Err(Stop::Perm(format!("the macro in `{}` cannot be expanded", d.text)));
            }
        }
        self.trace.push(format!("{domain}: evaluating `{}`", describe_record(&rec)));
        for t in &rec.terms {
            let TermKind::Directive { qualifier, mechanism, .. } = &t.kind else { continue };
            if self.matches(mechanism, domain, depth)? {
                let result = SpfResult::from_qualifier(*qualifier);
                self.trace.push(format!("{domain}: `{}{}` matches → {}", qualifier.symbol(), mechanism_text(mechanism), result.as_str()));
                let explanation = if result == SpfResult::Fail && top { self.explain(&rec, domain) } else { None };
                return Ok((result, explanation));
            }
        }
        if let Some((_, target)) = rec.redirect() {
            self.count_lookup("redirect=")?;
            let t = self.expand(&target.macros, domain, false).ok_or_else(|| Stop::Perm("redirect macro".into()))?;
            self.trace.push(format!("{domain}: no mechanism matched; redirect={t}"));
            let (r, exp) = self.check_host_redirect(&t, depth)?;
            if r == SpfResult::None {
                return Err(Stop::Perm(format!("the redirect target {t} has no SPF record (RFC 7208 §6.1)")));
            }
            return Ok((r, exp));
        }
        self.trace.push(format!("{domain}: no mechanism matched → neutral"));
        Ok((SpfResult::Neutral, None))
    }

    fn check_host_redirect(&mut self, target: &str, depth: usize) -> Result<(SpfResult, Option<String>), Stop> {
        if !queryable(target) || !valid_domain(target) {
            return Ok((SpfResult::None, None));
        }
        let (r, exp) = self.check_host(target, depth + 1, true);
        Ok((r, exp))
    }

    /// §6.2: the explanation for a `fail`, from `exp=`.
    fn explain(&mut self, rec: &SpfRecord, domain: &str) -> Option<String> {
        let spec = rec.terms.iter().find_map(|t| match t.modifier() {
            Some(Modifier::Exp(d)) => Some(d),
            _ => None,
        })?;
        let target = self.expand(&spec.macros, domain, false)?;
        if !queryable(&target) {
            return None;
        }
        let r = self.query(&target, QType::Txt);
        let texts: Vec<Vec<u8>> = r
            .records()
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(s) => Some(s.concat()),
                _ => None,
            })
            .collect();
        if texts.len() != 1 {
            return None;
        }
        let text = &texts[0];
        let m = spf::parse_macro_string(text, 0, text.len(), true).ok()?;
        let out = self.expand(&m, domain, true)?;
        out.is_ascii().then_some(out)
    }

    fn matches(&mut self, m: &Mechanism, domain: &str, depth: usize) -> Result<bool, Stop> {
        let ip = self.ip();
        match m {
            Mechanism::All => Ok(true),
            Mechanism::Ip4 { addr, prefix } => Ok(ip_in(ip, IpAddr::V4(*addr), prefix.unwrap_or(32))),
            Mechanism::Ip6 { addr, prefix } => Ok(
                matches!(self.session.ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() && ip_in(IpAddr::V6(v6), IpAddr::V6(*addr), prefix.unwrap_or(128))),
            ),
            Mechanism::Include(spec) => {
                self.count_lookup("include:")?;
                let target = self.expand(&spec.macros, domain, false).unwrap_or_default();
                if !queryable(&target) {
                    return Ok(false);
                }
                self.trace.push(format!("{domain}: include:{target}"));
                let (r, _) = self.check_host(&target, depth + 1, false);
                match r {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Ok(false),
                    SpfResult::TempError => Err(Stop::Temp(format!("include:{target} returned temperror"))),
                    SpfResult::PermError => Err(Stop::Perm(format!("include:{target} returned permerror"))),
                    SpfResult::None => Err(Stop::Perm(format!("include:{target} has no SPF record (RFC 7208 §5.2)"))),
                }
            }
            Mechanism::A { domain: spec, cidr } => {
                self.count_lookup("a")?;
                let target = self.target(spec.as_ref(), domain);
                if !queryable(&target) {
                    return Ok(false);
                }
                let addrs = self.addresses(&target, ip, true)?;
                Ok(addrs.iter().any(|a| cidr_match(ip, *a, cidr)))
            }
            Mechanism::Mx { domain: spec, cidr } => {
                self.count_lookup("mx")?;
                let target = self.target(spec.as_ref(), domain);
                if !queryable(&target) {
                    return Ok(false);
                }
                let r = self.query(&target, QType::Mx);
                let names: Vec<String> = match &r {
                    DnsResult::Error(e) => return Err(Stop::Temp(format!("MX lookup for {target} failed: {e}"))),
                    _ if r.is_void() => {
                        self.count_void(&format!("mx:{target}"))?;
                        return Ok(false);
                    }
                    DnsResult::Records(rs) => rs
                        .iter()
                        .filter_map(|x| match x {
                            Rdata::Mx(_, n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                if names.len() > MAX_MX_NAMES {
                    return Err(Stop::Perm(format!(
                        "mx:{target} has {} MX names; the limit is {MAX_MX_NAMES} (RFC 7208 §4.6.4)",
                        names.len()
                    )));
                }
                for n in names {
                    if n == "." || n.is_empty() {
                        continue;
                    }
                    let addrs = self.addresses(&n, ip, false)?;
                    if addrs.iter().any(|a| cidr_match(ip, *a, cidr)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(spec) => {
                self.count_lookup("ptr")?;
                let target = self.target(spec.as_ref(), domain);
                let names = self.validated_names(ip)?;
                let t = target.trim_end_matches('.').to_ascii_lowercase();
                Ok(names.iter().any(|n| {
                    let n = n.trim_end_matches('.').to_ascii_lowercase();
                    n == t || n.ends_with(&format!(".{t}"))
                }))
            }
            Mechanism::Exists(spec) => {
                self.count_lookup("exists:")?;
                let target = self.expand(&spec.macros, domain, false).unwrap_or_default();
                if !queryable(&target) {
                    return Ok(false);
                }
                let r = self.query(&target, QType::A);
                match r {
                    DnsResult::Error(e) => Err(Stop::Temp(format!("A lookup for {target} failed: {e}"))),
                    ref v if v.is_void() => {
                        self.count_void(&format!("exists:{target}"))?;
                        Ok(false)
                    }
                    _ => Ok(true),
                }
            }
        }
    }

    fn target(&mut self, spec: Option<&spf::DomainSpec>, domain: &str) -> String {
        match spec {
            Some(s) => self.expand(&s.macros, domain, false).unwrap_or_default(),
            None => domain.to_string(),
        }
    }

    /// A/AAAA records of `name` (the type matching the client). `counted`: a void
    /// answer counts toward the void limit (the `a` mechanism's own query, not the
    /// per-MX-name address lookups).
    fn addresses(&mut self, name: &str, ip: IpAddr, counted: bool) -> Result<Vec<IpAddr>, Stop> {
        let t = if ip.is_ipv4() { QType::A } else { QType::Aaaa };
        let r = self.query(name, t);
        match r {
            DnsResult::Error(e) => {
                if counted {
                    Err(Stop::Temp(format!("{t} lookup for {name} failed: {e}")))
                } else {
                    // An MX host that cannot be resolved is skipped (§5.4, as for ptr §5.5).
                    Err(Stop::Temp(format!("{t} lookup for {name} failed: {e}")))
                }
            }
            ref v if v.is_void() => {
                if counted {
                    self.count_void(&format!("a:{name}"))?;
                }
                Ok(Vec::new())
            }
            DnsResult::Records(rs) => Ok(rs
                .iter()
                .filter_map(|x| match x {
                    Rdata::A(a) => Some(IpAddr::V4(*a)),
                    Rdata::Aaaa(a) => Some(IpAddr::V6(*a)),
                    _ => None,
                })
                .collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// §5.5: names from the client's PTR records whose A/AAAA records include it.
    fn validated_names(&mut self, ip: IpAddr) -> Result<Vec<String>, Stop> {
        let r = self.query(&reverse_name(ip), QType::Ptr);
        let names: Vec<String> = match r {
            DnsResult::Records(rs) => rs
                .iter()
                .filter_map(|x| match x {
                    Rdata::Ptr(n) => Some(n.clone()),
                    _ => None,
                })
                .take(MAX_PTR_NAMES)
                .collect(),
            // A DNS error in the PTR lookup makes the mechanism fail to match.
            _ => return Ok(Vec::new()),
        };
        let mut out = Vec::new();
        for n in names {
            let t = if ip.is_ipv4() { QType::A } else { QType::Aaaa };
            let r = self.query(&n, t);
            let ok = r.records().iter().any(|x| match (x, ip) {
                (Rdata::A(a), IpAddr::V4(c)) => a == &c,
                (Rdata::Aaaa(a), IpAddr::V6(c)) => a == &c,
                _ => false,
            });
            if ok {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// `%{p}`: a validated domain name for the client, preferring one under the current
    /// domain, else "unknown" (§7.3).
    fn p_macro(&mut self, domain: &str) -> String {
        if let Some(p) = &self.validated_ptr {
            return p.clone();
        }
        let ip = self.ip();
        let names = self.validated_names(ip).unwrap_or_default();
        let d = domain.trim_end_matches('.').to_ascii_lowercase();
        let pick = names
            .iter()
            .find(|n| {
                let n = n.trim_end_matches('.').to_ascii_lowercase();
                n == d
            })
            .or_else(|| names.iter().find(|n| n.trim_end_matches('.').to_ascii_lowercase().ends_with(&format!(".{d}"))))
            .or_else(|| names.first())
            .map(|n| n.trim_end_matches('.').to_string())
            .unwrap_or_else(|| "unknown".to_string());
        self.validated_ptr = Some(pick.clone());
        pick
    }

    /// Expands a macro-string (§7.3). `None` when it cannot be expanded.
    fn expand(&mut self, m: &MacroString, domain: &str, exp: bool) -> Option<String> {
        let mut out = String::new();
        for part in &m.parts {
            match part {
                MacroPart::Literal(l) => out.push_str(l),
                MacroPart::Percent => out.push('%'),
                MacroPart::Space => out.push(' '),
                MacroPart::UrlSpace => out.push_str("%20"),
                MacroPart::Expand { letter, url_escape, digits, reverse, delimiters } => {
                    let ip = self.ip();
                    let value = match letter {
                        b's' => format!("{}@{}", self.local, self.sender_domain),
                        b'l' => self.local.clone(),
                        b'o' => self.sender_domain.clone(),
                        b'd' => domain.to_string(),
                        b'i' => match ip {
                            IpAddr::V4(a) => a.to_string(),
                            IpAddr::V6(a) => nibbles(a),
                        },
                        b'p' => self.p_macro(domain),
                        b'v' => {
                            if ip.is_ipv4() {
                                "in-addr".into()
                            } else {
                                "ip6".into()
                            }
                        }
                        b'h' => self.session.helo.clone(),
                        b'c' if exp => ip.to_string(),
                        b'r' if exp => {
                            if self.session.receiver.is_empty() {
                                "unknown".into()
                            } else {
                                self.session.receiver.clone()
                            }
                        }
                        b't' if exp => self.session.now.to_string(),
                        _ => return None,
                    };
                    let value = transform(&value, *digits, *reverse, delimiters);
                    if *url_escape {
                        out.push_str(&url_escape_str(&value));
                    } else {
                        out.push_str(&value);
                    }
                }
            }
        }
        if !exp && out.len() > 253 {
            // §7.3: drop labels from the left until the name fits.
            while out.len() > 253 {
                match out.find('.') {
                    Some(i) => out = out[i + 1..].to_string(),
                    None => break,
                }
            }
        }
        Some(out)
    }
}

fn cidr_match(ip: IpAddr, addr: IpAddr, cidr: &DualCidr) -> bool {
    match ip {
        IpAddr::V4(_) => ip_in(ip, addr, cidr.v4.unwrap_or(32)),
        IpAddr::V6(_) => ip_in(ip, addr, cidr.v6.unwrap_or(128)),
    }
}

fn nibbles(a: Ipv6Addr) -> String {
    let mut parts = Vec::with_capacity(32);
    for b in a.octets() {
        // Upper-case hex, as pyspf and the RFC 7208 test suite write it (DNS does not
        // care; explanations show it).
        parts.push(format!("{:X}", b >> 4));
        parts.push(format!("{:X}", b & 0xf));
    }
    parts.join(".")
}

/// Splits on the delimiters, reverses if asked, keeps the rightmost `digits` parts,
/// joins with dots (§7.3).
fn transform(value: &str, digits: Option<u32>, reverse: bool, delimiters: &str) -> String {
    let delims: Vec<char> = if delimiters.is_empty() { vec!['.'] } else { delimiters.chars().collect() };
    let mut parts: Vec<&str> = value.split(|c| delims.contains(&c)).collect();
    if reverse {
        parts.reverse();
    }
    if let Some(n) = digits {
        let n = n as usize;
        if n < parts.len() {
            parts = parts[parts.len() - n..].to_vec();
        }
    }
    parts.join(".")
}

/// URL-escapes everything outside RFC 3986 "unreserved" (§7.3, uppercase macros).
fn url_escape_str(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn term_domain(t: &spf::Term) -> Option<&spf::DomainSpec> {
    match &t.kind {
        TermKind::Directive { mechanism, .. } => mechanism.domain(),
        TermKind::Modifier { modifier: Modifier::Redirect(d), .. } => Some(d),
        _ => None,
    }
}

fn mechanism_text(m: &Mechanism) -> String {
    match m {
        Mechanism::All => "all".into(),
        Mechanism::Ip4 { addr, prefix } => format!("ip4:{addr}{}", prefix.map(|p| format!("/{p}")).unwrap_or_default()),
        Mechanism::Ip6 { addr, prefix } => format!("ip6:{addr}{}", prefix.map(|p| format!("/{p}")).unwrap_or_default()),
        other => match other.domain() {
            Some(d) => format!("{}:{}", other.name(), d.text),
            None => other.name().to_string(),
        },
    }
}

fn describe_record(r: &SpfRecord) -> String {
    let mut s = String::from("v=spf1");
    for t in &r.terms {
        match &t.kind {
            TermKind::Directive { qualifier, explicit_qualifier, mechanism } => {
                s.push(' ');
                if *explicit_qualifier {
                    s.push(qualifier.symbol());
                }
                s.push_str(&mechanism_text(mechanism));
            }
            TermKind::Modifier { modifier, .. } => {
                s.push(' ');
                match modifier {
                    Modifier::Redirect(d) => s.push_str(&format!("redirect={}", d.text)),
                    Modifier::Exp(d) => s.push_str(&format!("exp={}", d.text)),
                    Modifier::Unknown { name, value } => s.push_str(&format!("{name}={value}")),
                }
            }
            TermKind::Invalid => {}
        }
    }
    s
}

fn describe(r: &DnsResult) -> String {
    match r {
        DnsResult::Records(rs) => rs.iter().map(|x| x.to_text()).collect::<Vec<_>>().join(", "),
        DnsResult::NoData => "no records".into(),
        DnsResult::NxDomain => "NXDOMAIN".into(),
        DnsResult::Error(e) => format!("error: {e}"),
    }
}

/// A client address as given on the command line (`192.0.2.1`, `2001:db8::1`).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<Ipv4Addr>().ok().map(IpAddr::V4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<(String, QType), DnsResult>);

    impl Resolver for Map {
        fn query(&mut self, name: &str, t: QType) -> DnsResult {
            self.0.get(&(name.trim_end_matches('.').to_ascii_lowercase(), t)).cloned().unwrap_or(DnsResult::NxDomain)
        }
    }

    fn txt(s: &str) -> DnsResult {
        DnsResult::Records(vec![Rdata::Txt(vec![s.as_bytes().to_vec()])])
    }

    fn session(ip: &str, sender: &str) -> Session {
        Session {
            ip: ip.parse().unwrap(),
            sender: sender.into(),
            helo: "mail.example.com".into(),
            receiver: "mx.example.org".into(),
            now: 0,
        }
    }

    #[test]
    fn evaluates_includes_and_limits() {
        let mut m = HashMap::new();
        m.insert(("example.com".into(), QType::Txt), txt("v=spf1 include:_spf.example.com -all"));
        m.insert(("_spf.example.com".into(), QType::Txt), txt("v=spf1 ip4:192.0.2.0/24 ~all"));
        let mut r = Map(m);
        let o = check(&session("192.0.2.7", "a@example.com"), &mut r);
        assert_eq!(o.result, SpfResult::Pass);
        assert_eq!(o.lookups, 1);
        let o = check(&session("198.51.100.1", "a@example.com"), &mut r);
        assert_eq!(o.result, SpfResult::Fail);
    }

    #[test]
    fn macros() {
        assert_eq!(transform("a.b.c.d", Some(2), false, ""), "c.d");
        assert_eq!(transform("a.b.c.d", None, true, ""), "d.c.b.a");
        assert_eq!(transform("a-b.c", None, false, "-."), "a.b.c");
        assert_eq!(url_escape_str("a b@c"), "a%20b%40c");
        assert_eq!(nibbles("2001:db8::cb01".parse().unwrap()).len(), 63);
    }
}
