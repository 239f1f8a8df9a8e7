//! Records of a zone grouped by owner name, and typed access to record data.

use std::net::{IpAddr, Ipv6Addr};

use rustc_hash::{FxHashMap, FxHashSet};

use super::lexer::{Lexer, Token, TokenKind};
use super::rdata::{parse_decimal, parse_ipv4_strict};
use super::strings;
use crate::mapped::MappedText;
use crate::model::{Rdata, Record};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::text::TextRange;

/// Records grouped by owner: a linked list per name through `next`, so grouping costs
/// one map entry per name and one `u32` per record.
pub struct ZoneIndex<'z> {
    pub records: &'z [Record],
    heads: FxHashMap<&'z str, (u32, u32)>,
    next: Vec<u32>,
    /// Names with NS records (the apex and delegation points): asked of every name
    /// the mail checks look up, so kept apart from the other types.
    ns_owners: FxHashSet<&'z str>,
    /// Every proper ancestor of an owner name (empty non-terminals among them): a
    /// name with no records of its own still exists when something lies below it.
    ancestors: FxHashSet<&'z str>,
}

const NIL: u32 = u32::MAX;

impl<'z> ZoneIndex<'z> {
    pub fn new(records: &'z [Record]) -> Self {
        let mut heads: FxHashMap<&'z str, (u32, u32)> = FxHashMap::default();
        heads.reserve(records.len() / 2);
        let mut next = vec![NIL; records.len()];
        let mut ns_owners = FxHashSet::default();
        let mut ancestors = FxHashSet::default();
        for (i, r) in records.iter().enumerate() {
            if r.rtype == RrType::NS {
                ns_owners.insert(r.owner.as_str());
            }
            let i = i as u32;
            match heads.get_mut(r.owner.as_str()) {
                Some((_, tail)) => {
                    next[*tail as usize] = i;
                    *tail = i;
                }
                None => {
                    heads.insert(r.owner.as_str(), (i, i));
                    for up in r.owner.suffixes().skip(1) {
                        if !ancestors.insert(up) {
                            break; // and so are its own ancestors
                        }
                    }
                }
            }
        }
        ZoneIndex { records, heads, next, ns_owners, ancestors }
    }

    /// Distinct owner names, each with the index of its first record.
    pub fn names(&self) -> impl Iterator<Item = (&'z str, u32)> + '_ {
        self.heads.iter().map(|(n, (h, _))| (*n, *h))
    }

    /// Indices of the records at `name`, in file order.
    pub fn at(&self, name: &str) -> RecordIter<'_> {
        RecordIter { next: &self.next, cur: self.heads.get(name).map_or(NIL, |h| h.0) }
    }

    pub fn at_head(&self, head: u32) -> RecordIter<'_> {
        RecordIter { next: &self.next, cur: head }
    }

    pub fn has_name(&self, name: &str) -> bool {
        self.heads.contains_key(name)
    }

    /// `true` when some owner name lies below `name`.
    pub fn has_descendants(&self, name: &str) -> bool {
        self.ancestors.contains(name)
    }

    pub fn has_type(&self, name: &str, t: RrType) -> bool {
        if t == RrType::NS {
            return self.ns_owners.contains(name);
        }
        self.at(name).any(|i| self.records[i as usize].rtype == t)
    }

    pub fn rrset(&self, name: &str, t: RrType) -> impl Iterator<Item = &'z Record> + '_ {
        let records = self.records;
        self.at(name).map(move |i| &records[i as usize]).filter(move |r| r.rtype == t)
    }

    /// `true` when `name` lies strictly below a delegation (an NS RRset at a name that
    /// is not the apex): data there is glue or occluded, not authoritative.
    pub fn below_delegation(&self, name: &Name, apex: &Name) -> bool {
        if !name.is_in(apex) {
            return false;
        }
        // The names strictly between `name` and the apex: suffixes longer than the apex.
        name.suffixes().skip(1).take_while(|s| s.len() > apex.as_str().len()).any(|s| self.ns_owners.contains(s))
    }

    /// `true` when `name` is itself a delegation point.
    pub fn is_delegation(&self, name: &Name, apex: &Name) -> bool {
        name != apex && self.ns_owners.contains(name.as_str())
    }
}

pub struct RecordIter<'a> {
    next: &'a [u32],
    cur: u32,
}

impl Iterator for RecordIter<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.cur == NIL {
            return None;
        }
        let c = self.cur;
        self.cur = self.next[c as usize];
        Some(c)
    }
}

/// The data tokens of a record, with the text they index into.
pub struct DataTokens<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    /// Generated data: token ranges index into generated text, not the file.
    generated: Option<TextRange>,
    /// Host-format data: the file range of each token.
    host: Option<&'a crate::model::HostRdata>,
}

impl<'a> DataTokens<'a> {
    pub fn of(rec: &'a Record, file_text: &'a str) -> Self {
        match &rec.rdata {
            Rdata::Span(r) => DataTokens {
                text: file_text,
                toks: Lexer::with_range(file_text, *r).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect(),
                generated: None,
                host: None,
            },
            Rdata::Generated(s) => DataTokens {
                text: s,
                toks: Lexer::new(s).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect(),
                generated: Some(rec.span),
                host: None,
            },
            Rdata::Host(h) => DataTokens {
                text: &h.text,
                toks: Lexer::new(&h.text).filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted)).collect(),
                generated: None,
                host: Some(h),
            },
        }
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).map(|t| &self.text[t.range])
    }

    /// File range of token `i` (the directive for generated records).
    pub fn range(&self, i: usize) -> TextRange {
        if let Some(h) = self.host {
            return h.tokens.get(i).or(h.tokens.last()).copied().unwrap_or_default();
        }
        match self.generated {
            Some(r) => r,
            None => self.toks.get(i).map_or(TextRange::default(), |t| t.range),
        }
    }

    /// The text is not the file's: the host format's, or generated.
    pub fn is_rewritten(&self) -> bool {
        self.host.is_some() || self.generated.is_some()
    }

    pub fn is_generated(&self) -> bool {
        self.generated.is_some()
    }

    /// Token `i` as a domain name under `origin`.
    pub fn name(&self, i: usize, origin: Option<&Name>) -> Option<Name> {
        Name::parse_in(self.get(i)?, origin.or(Some(&Name::root()))).ok()
    }

    /// All character-strings decoded and joined, with the map back to the file.
    pub fn joined_strings(&self) -> MappedText {
        if let Some(h) = self.host {
            return h.strings.clone();
        }
        let mut m = MappedText::new();
        for t in &self.toks {
            if strings::decode_into(self.text, t, &mut m).is_err() {
                break;
            }
        }
        m
    }

    /// A canonical form of the data for duplicate detection (RFC 4034 §6.2: names in
    /// the data of the classic types compare case-insensitively; strings exactly).
    pub fn canonical(&self, rtype: RrType, origin: Option<&Name>) -> String {
        let name_at = |i: usize| self.name(i, origin).map_or_else(|| self.get(i).unwrap_or("").to_string(), |n| n.to_string());
        match rtype {
            RrType::A | RrType::AAAA => match self.get(0).and_then(parse_ip) {
                Some(ip) => ip.to_string(),
                None => self.get(0).unwrap_or("").to_string(),
            },
            RrType::NS | RrType::CNAME | RrType::DNAME | RrType::PTR => name_at(0),
            RrType::MX | RrType::KX | RrType::RT | RrType::AFSDB => {
                format!("{} {}", parse_decimal(self.get(0).unwrap_or("")).unwrap_or(0), name_at(1))
            }
            RrType::SRV => format!(
                "{} {} {} {}",
                parse_decimal(self.get(0).unwrap_or("")).unwrap_or(0),
                parse_decimal(self.get(1).unwrap_or("")).unwrap_or(0),
                parse_decimal(self.get(2).unwrap_or("")).unwrap_or(0),
                name_at(3)
            ),
            RrType::TXT | RrType::SPF => {
                let mut out = String::new();
                for t in &self.toks {
                    let mut v = Vec::new();
                    let _ = strings::decode(self.text, t, &mut v);
                    out.push_str(&format!("{:?} ", crate::util::lossy(&v)));
                }
                out
            }
            _ => self.toks.iter().map(|t| &self.text[t.range]).collect::<Vec<_>>().join(" "),
        }
    }
}

pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Some(v4) = parse_ipv4_strict(s) {
        return Some(IpAddr::V4(v4));
    }
    s.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::{ParseInput, parse_zone};

    #[test]
    fn delegations_and_what_lies_below_them() {
        let text = "$ORIGIN example.com.\n$TTL 1h\n@ SOA ns1 host 1 2 3 4 5\n NS ns1\nsub NS ns.sub\nns.sub A 192.0.2.1\nwww A 192.0.2.2\n";
        let limits = crate::config::Limits::default();
        let zone = parse_zone(ParseInput {
            file: crate::diagnostics::FileId(0),
            path: std::path::Path::new("example.com.zone"),
            text,
            origin: None,
            origin_source: crate::model::OriginSource::Unknown,
            root: std::path::Path::new("."),
            loader: &crate::source::NoIncludes,
            limits: &limits,
        })
        .zone;
        let index = ZoneIndex::new(&zone.records);
        let n = |s: &str| Name::parse_absolute(s).unwrap();
        let apex = n("example.com");
        assert!(index.is_delegation(&n("sub.example.com"), &apex));
        assert!(!index.is_delegation(&apex, &apex), "the apex's NS records delegate nothing");
        assert!(index.below_delegation(&n("ns.sub.example.com"), &apex));
        assert!(index.below_delegation(&n("a.b.sub.example.com"), &apex));
        assert!(!index.below_delegation(&n("sub.example.com"), &apex));
        assert!(!index.below_delegation(&n("www.example.com"), &apex));
        assert!(!index.below_delegation(&apex, &apex));
        assert!(!index.below_delegation(&n("sub.example.org"), &apex));
        assert!(index.has_type("sub.example.com.", RrType::NS) && !index.has_type("www.example.com.", RrType::NS));
        assert!(index.has_type("www.example.com.", RrType::A));
        assert!(index.has_descendants("sub.example.com.") && index.has_descendants("example.com.") && index.has_descendants("com."));
        assert!(!index.has_descendants("www.example.com.") && !index.has_descendants("ns.sub.example.com."));
        assert!(!index.has_descendants("example.org."));
    }
}
