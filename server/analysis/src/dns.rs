//! DNS answers as the analysis consults them, in layers: the workspace's own zones
//! (authoritative for their names, unsaved editor text included), then the snapshot
//! (`zonels.lock`), then answers fetched live by the IO layer. The analysis never does
//! IO: a lookup none of the layers can answer is recorded as *missing*, the IO layer
//! fetches the missing names, and the analysis runs again.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;

use crate::mail::workspace::{Presence, WorkspaceZones};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::zone::index::{DataTokens, parse_ip};

/// The query types SPF and DMARC checks need.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum QType {
    A,
    Aaaa,
    Mx,
    Txt,
    Ptr,
}

impl QType {
    pub fn rr_type(self) -> RrType {
        match self {
            QType::A => RrType::A,
            QType::Aaaa => RrType::AAAA,
            QType::Mx => RrType::MX,
            QType::Txt => RrType::TXT,
            QType::Ptr => RrType::PTR,
        }
    }

    pub fn parse(s: &str) -> Option<QType> {
        match s.to_ascii_uppercase().as_str() {
            "A" => Some(QType::A),
            "AAAA" => Some(QType::Aaaa),
            "MX" => Some(QType::Mx),
            "TXT" => Some(QType::Txt),
            "PTR" => Some(QType::Ptr),
            _ => None,
        }
    }
}

impl fmt::Display for QType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Mx => "MX",
            QType::Txt => "TXT",
            QType::Ptr => "PTR",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rdata {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Mx(u16, String),
    /// The character-strings of one TXT record.
    Txt(Vec<Vec<u8>>),
    Ptr(String),
}

impl Rdata {
    /// Presentation format, as written in `zonels.lock`.
    pub fn to_text(&self) -> String {
        match self {
            Rdata::A(a) => a.to_string(),
            Rdata::Aaaa(a) => a.to_string(),
            Rdata::Mx(p, n) => format!("{p} {n}"),
            Rdata::Txt(strings) => strings.iter().map(|s| crate::mail::value::render_strings(s)).collect::<Vec<_>>().join(" "),
            Rdata::Ptr(n) => n.clone(),
        }
    }

    /// Parses presentation format for `t`.
    pub fn parse(t: QType, text: &str) -> Option<Rdata> {
        use crate::zone::lexer::{Lexer, TokenKind};
        let toks: Vec<_> = Lexer::new(text).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect();
        match t {
            QType::A => text.trim().parse().ok().map(Rdata::A),
            QType::Aaaa => text.trim().parse().ok().map(Rdata::Aaaa),
            QType::Mx => {
                let (p, n) = text.trim().split_once(char::is_whitespace)?;
                Some(Rdata::Mx(p.parse().ok()?, n.trim().to_string()))
            }
            QType::Ptr => Some(Rdata::Ptr(text.trim().to_string())),
            QType::Txt => {
                let mut strings = Vec::new();
                for tok in &toks {
                    let mut v = Vec::new();
                    crate::zone::strings::decode(text, tok, &mut v).ok()?;
                    strings.push(v);
                }
                Some(Rdata::Txt(strings))
            }
        }
    }
}

/// The outcome of one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsResult {
    Records(Vec<Rdata>),
    /// The name exists but has no records of the type.
    NoData,
    NxDomain,
    /// SERVFAIL, a timeout, a malformed answer: receivers return TempError.
    Error(String),
}

impl DnsResult {
    /// A lookup that returned nothing (RFC 7208 §4.6.4 "void lookup").
    pub fn is_void(&self) -> bool {
        matches!(self, DnsResult::NoData | DnsResult::NxDomain) || matches!(self, DnsResult::Records(r) if r.is_empty())
    }

    pub fn records(&self) -> &[Rdata] {
        match self {
            DnsResult::Records(r) => r,
            _ => &[],
        }
    }

    pub fn rcode(&self) -> &'static str {
        match self {
            DnsResult::Records(_) | DnsResult::NoData => "NOERROR",
            DnsResult::NxDomain => "NXDOMAIN",
            DnsResult::Error(_) => "SERVFAIL",
        }
    }
}

/// Where an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Workspace,
    Snapshot,
    Live,
}

/// A DNS view for the evaluator and the lookup counter. `None`: nobody knows yet.
pub trait Dns {
    fn lookup(&self, name: &str, t: QType) -> Option<(DnsResult, Source)>;
}

/// A snapshot entry (`zonels.lock`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotEntry {
    pub result: DnsResult,
    /// Unix seconds when it was fetched.
    pub fetched: u64,
}

/// Answers keyed by (lower-cased absolute name, type).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    pub entries: BTreeMap<(String, QType), SnapshotEntry>,
}

impl Answers {
    pub fn get(&self, name: &str, t: QType) -> Option<&SnapshotEntry> {
        self.entries.get(&(key(name), t))
    }

    pub fn insert(&mut self, name: &str, t: QType, result: DnsResult, fetched: u64) {
        self.entries.insert((key(name), t), SnapshotEntry { result, fetched });
    }
}

/// The canonical key for a name: lower case, with a trailing dot.
pub fn key(name: &str) -> String {
    let mut k = name.to_ascii_lowercase();
    if !k.ends_with('.') {
        k.push('.');
    }
    k
}

/// Workspace zones, then the snapshot, then live answers. Lookups nobody can answer
/// are remembered as missing.
pub struct LayeredDns<'a> {
    pub workspace: Option<&'a WorkspaceZones<'a>>,
    pub snapshot: &'a Answers,
    pub live: &'a Answers,
    pub log: &'a LookupLog,
}

/// Lookups by (name, type).
pub type Lookups = BTreeSet<(String, QType)>;

/// What a [`LayeredDns`] was asked: the lookups no layer could answer, and the
/// external answers (snapshot or live) that were used.
#[derive(Default, Debug)]
pub struct LookupLog {
    pub missing: Mutex<Lookups>,
    pub used: Mutex<Lookups>,
}

impl LookupLog {
    /// What was missing and what was used, leaving the log empty.
    pub fn take(&self) -> (Lookups, Lookups) {
        let take = |m: &Mutex<Lookups>| std::mem::take(&mut *m.lock().unwrap_or_else(|e| e.into_inner()));
        (take(&self.missing), take(&self.used))
    }
}

impl<'a> LayeredDns<'a> {
    pub fn new(workspace: Option<&'a WorkspaceZones<'a>>, snapshot: &'a Answers, live: &'a Answers, log: &'a LookupLog) -> Self {
        LayeredDns { workspace, snapshot, live, log }
    }

    fn workspace_answer(&self, name: &str, t: QType, depth: u32) -> Option<DnsResult> {
        let ws = self.workspace?;
        let n = Name::parse_absolute(name).ok()?;
        match ws.presence(&n) {
            Presence::Outside => None,
            Presence::NxDomain => Some(DnsResult::NxDomain),
            Presence::Exists => {
                // A CNAME at the name answers for every type: follow it once, within the
                // workspace or out to the other layers.
                if let Some(c) = ws.rrset(&n, RrType::CNAME).first() {
                    let data = DataTokens::of(c, ws.sources.text(c.file));
                    let target = data.name(0, c.origin.as_ref())?;
                    if target != n && depth < 8 {
                        if let Some(r) = self.workspace_answer(target.as_str(), t, depth + 1) {
                            return Some(r);
                        }
                        return self.external(target.as_str(), t).map(|(r, _)| r);
                    }
                }
                let records: Vec<Rdata> = ws.rrset(&n, t.rr_type()).iter().filter_map(|r| workspace_rdata(ws, r, t)).collect();
                Some(if records.is_empty() { DnsResult::NoData } else { DnsResult::Records(records) })
            }
        }
    }
}

fn workspace_rdata(ws: &WorkspaceZones<'_>, r: &crate::model::Record, t: QType) -> Option<Rdata> {
    record_rdata(r, ws.sources.text(r.file), t)
}

/// A workspace record's data as an answer of type `t` would carry it (`None` when it
/// does not parse as that type).
pub fn record_rdata(r: &crate::model::Record, file_text: &str, t: QType) -> Option<Rdata> {
    let data = DataTokens::of(r, file_text);
    match t {
        QType::A | QType::Aaaa => match parse_ip(data.get(0)?)? {
            std::net::IpAddr::V4(a) => Some(Rdata::A(a)),
            std::net::IpAddr::V6(a) => Some(Rdata::Aaaa(a)),
        },
        QType::Mx => Some(Rdata::Mx(data.get(0)?.parse().ok()?, data.name(1, r.origin.as_ref())?.to_string())),
        QType::Ptr => Some(Rdata::Ptr(data.name(0, r.origin.as_ref())?.to_string())),
        QType::Txt => {
            let mut strings = Vec::new();
            for tok in &data.toks {
                let mut v = Vec::new();
                crate::zone::strings::decode(data.text, tok, &mut v).ok()?;
                strings.push(v);
            }
            Some(Rdata::Txt(strings))
        }
    }
}

impl LayeredDns<'_> {
    fn external(&self, name: &str, t: QType) -> Option<(DnsResult, Source)> {
        let k = (key(name), t);
        if let Some(e) = self.live.entries.get(&k) {
            self.log.used.lock().unwrap_or_else(|e| e.into_inner()).insert(k);
            return Some((e.result.clone(), Source::Live));
        }
        if let Some(e) = self.snapshot.entries.get(&k) {
            self.log.used.lock().unwrap_or_else(|e| e.into_inner()).insert(k);
            return Some((e.result.clone(), Source::Snapshot));
        }
        self.log.missing.lock().unwrap_or_else(|e| e.into_inner()).insert(k);
        None
    }
}

impl Dns for LayeredDns<'_> {
    fn lookup(&self, name: &str, t: QType) -> Option<(DnsResult, Source)> {
        if let Some(r) = self.workspace_answer(name, t, 0) {
            return Some((r, Source::Workspace));
        }
        self.external(name, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presentation_round_trip() {
        for (t, s) in [(QType::A, "192.0.2.1"), (QType::Mx, "10 mx.example.com."), (QType::Txt, "\"v=spf1 -all\" \"x\\\"y\"")] {
            let r = Rdata::parse(t, s).unwrap();
            assert_eq!(r.to_text(), s);
        }
    }
}
