//! Records of a zone grouped by owner name, and typed access to record data.

use std::net::{IpAddr, Ipv6Addr};

use rustc_hash::{FxHashMap, FxHashSet};

use super::lexer::{Lexer, Token, TokenKind};
use super::rdata::{parse_decimal, parse_ipv4_strict};
use super::strings;
use crate::mapped::MappedText;
use crate::model::{Rdata, Record};
use crate::name::{Name, NameRef};
use crate::rrtype::RrType;
use crate::text::TextRange;

/// Records grouped by owner name and by type. The records of a name are one slice of
/// `members`, with their types beside them, so questions about a name's types (and
/// passes over every name) touch no record; the records of a type are one slice of
/// `by_type`, so a rule about MX records does not read the whole zone.
pub struct ZoneIndex<'z> {
    pub records: &'z [Record],
    /// Owner name → its group: `members[starts[g]..starts[g + 1]]`.
    groups: FxHashMap<&'z str, u32>,
    starts: Vec<u32>,
    /// Record indices grouped by owner (groups in the order their names first appear,
    /// records in file order), and each one's type.
    members: Vec<u32>,
    types: Vec<RrType>,
    /// Record indices in order of type, then file order; `type_ranges` says where each
    /// type's run is.
    by_type: Vec<u32>,
    type_ranges: FxHashMap<RrType, (u32, u32)>,
    /// Names with NS records (the apex and delegation points): asked of every name
    /// the mail checks look up, so kept apart from the other types.
    ns_owners: FxHashSet<&'z str>,
    /// Every proper ancestor of an owner name (empty non-terminals among them): a
    /// name with no records of its own still exists when something lies below it.
    ancestors: FxHashSet<&'z str>,
}

/// The records of one owner name: indices into the zone's records and their types, in
/// file order.
#[derive(Clone, Copy)]
pub struct Group<'i> {
    pub records: &'i [u32],
    pub types: &'i [RrType],
}

impl<'z> ZoneIndex<'z> {
    pub fn new(records: &'z [Record]) -> Self {
        let mut groups: FxHashMap<&'z str, u32> = FxHashMap::default();
        groups.reserve(records.len() / 2);
        let mut group_of = Vec::with_capacity(records.len());
        let mut counts: Vec<u32> = Vec::new();
        let mut ns_owners = FxHashSet::default();
        let mut ancestors = FxHashSet::default();
        // Counted in an array for the common types (below 256), in a map for the rest.
        let mut low_counts = [0u32; 256];
        let mut type_counts: FxHashMap<RrType, u32> = FxHashMap::default();
        // A record that inherits its owner shares the previous record's name: same group.
        let mut prev: Option<(*const u8, u32)> = None;
        for r in records {
            let owner = r.owner.as_str();
            let g = match prev {
                Some((p, g)) if p == owner.as_ptr() => g,
                _ => match groups.get(owner) {
                    Some(&g) => g,
                    None => {
                        let g = counts.len() as u32;
                        counts.push(0);
                        groups.insert(owner, g);
                        for up in r.owner.suffixes().skip(1) {
                            if !ancestors.insert(up) {
                                break; // and so are its own ancestors
                            }
                        }
                        g
                    }
                },
            };
            prev = Some((owner.as_ptr(), g));
            counts[g as usize] += 1;
            group_of.push(g);
            match low_counts.get_mut(r.rtype.0 as usize) {
                Some(c) => *c += 1,
                None => *type_counts.entry(r.rtype).or_default() += 1,
            }
            if r.rtype == RrType::NS {
                ns_owners.insert(owner);
            }
        }
        // Counting sort of the record indices by group, then by type (both stable).
        let mut starts = Vec::with_capacity(counts.len() + 1);
        let mut at = 0u32;
        for c in &counts {
            starts.push(at);
            at += c;
        }
        starts.push(at);
        let mut next = starts.clone();
        let mut members = vec![0u32; records.len()];
        let mut types = vec![RrType(0); records.len()];
        for (i, &g) in group_of.iter().enumerate() {
            let slot = &mut next[g as usize];
            members[*slot as usize] = i as u32;
            types[*slot as usize] = records[i].rtype;
            *slot += 1;
        }
        let mut kinds: Vec<(RrType, u32)> = type_counts.into_iter().collect();
        kinds.extend(low_counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(t, c)| (RrType(t as u16), *c)));
        kinds.sort_unstable();
        let mut type_ranges = FxHashMap::default();
        let mut low_next = [0u32; 256];
        let mut at = 0u32;
        for (t, c) in kinds {
            type_ranges.insert(t, (at, at + c));
            if let Some(n) = low_next.get_mut(t.0 as usize) {
                *n = at;
            }
            at += c;
        }
        let mut high_next: FxHashMap<RrType, u32> = type_ranges.iter().filter(|(t, _)| t.0 > 255).map(|(t, r)| (*t, r.0)).collect();
        let mut by_type = vec![0u32; records.len()];
        for (i, r) in records.iter().enumerate() {
            let slot = match low_next.get_mut(r.rtype.0 as usize) {
                Some(n) => n,
                None => high_next.entry(r.rtype).or_default(),
            };
            by_type[*slot as usize] = i as u32;
            *slot += 1;
        }
        ZoneIndex { records, groups, starts, members, types, by_type, type_ranges, ns_owners, ancestors }
    }

    fn group(&self, g: u32) -> Group<'_> {
        let range = self.starts[g as usize] as usize..self.starts[g as usize + 1] as usize;
        Group { records: &self.members[range.clone()], types: &self.types[range] }
    }

    /// Every distinct owner name with its records, in the order the names first appear.
    pub fn names(&self) -> impl Iterator<Item = (&'z str, Group<'_>)> + '_ {
        let records = self.records;
        (0..self.starts.len().saturating_sub(1) as u32).map(move |g| {
            let group = self.group(g);
            (records[group.records[0] as usize].owner.as_str(), group)
        })
    }

    /// The records at `name` (empty when it has none).
    pub fn at(&self, name: &str) -> Group<'_> {
        match self.groups.get(name) {
            Some(&g) => self.group(g),
            None => Group { records: &[], types: &[] },
        }
    }

    /// The records of type `t`, in file order.
    pub fn of_type(&self, t: RrType) -> impl Iterator<Item = &'z Record> + '_ {
        let (start, end) = self.type_ranges.get(&t).copied().unwrap_or((0, 0));
        let records = self.records;
        self.by_type[start as usize..end as usize].iter().map(move |&i| &records[i as usize])
    }

    /// How many records of type `t` the zone has.
    pub fn count_of_type(&self, t: RrType) -> usize {
        self.type_ranges.get(&t).map_or(0, |(s, e)| (e - s) as usize)
    }

    pub fn has_name(&self, name: &str) -> bool {
        self.groups.contains_key(name)
    }

    /// `true` when some owner name lies below `name`.
    pub fn has_descendants(&self, name: &str) -> bool {
        self.ancestors.contains(name)
    }

    pub fn has_type(&self, name: &str, t: RrType) -> bool {
        if t == RrType::NS {
            return self.ns_owners.contains(name);
        }
        self.at(name).types.contains(&t)
    }

    pub fn rrset(&self, name: &str, t: RrType) -> impl Iterator<Item = &'z Record> + '_ {
        let records = self.records;
        let group = self.at(name);
        group.records.iter().zip(group.types).filter(move |(_, ty)| **ty == t).map(move |(&i, _)| &records[i as usize])
    }

    /// `true` when `name` lies strictly below a delegation (an NS RRset at a name that
    /// is not the apex): data there is glue or occluded, not authoritative.
    pub fn below_delegation<'n>(&self, name: impl Into<NameRef<'n>>, apex: &Name) -> bool {
        let name = name.into();
        if !name.is_in(apex.name_ref()) {
            return false;
        }
        // The names strictly between `name` and the apex: suffixes longer than the apex.
        name.suffixes().skip(1).take_while(|s| s.len() > apex.as_str().len()).any(|s| self.ns_owners.contains(s))
    }

    /// `true` when `name` is itself a delegation point.
    pub fn is_delegation<'n>(&self, name: impl Into<NameRef<'n>>, apex: &Name) -> bool {
        let name = name.into();
        name.as_str() != apex.as_str() && self.ns_owners.contains(name.as_str())
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

    #[test]
    fn groups_by_name_and_by_type() {
        // `www` comes back after other names; `b` inherits its owner; TYPE300 is a type
        // beyond the common ones.
        let text = "$ORIGIN example.com.\n$TTL 1h\nwww A 192.0.2.1\nb MX 10 www\n TXT \"x\"\n TYPE300 \\# 0\nwww AAAA ::1\nb MX 20 www\nwww A 192.0.2.2\n";
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
        assert_eq!(zone.records.len(), 7);
        let index = ZoneIndex::new(&zone.records);
        let names: Vec<(&str, Vec<u32>)> = index.names().map(|(n, g)| (n, g.records.to_vec())).collect();
        assert_eq!(names, vec![("www.example.com.", vec![0, 4, 6]), ("b.example.com.", vec![1, 2, 3, 5])]);
        assert_eq!(index.at("b.example.com.").types, &[RrType::MX, RrType::TXT, RrType(300), RrType::MX]);
        assert!(index.at("nope.example.com.").records.is_empty());
        let a: Vec<u32> = index.of_type(RrType::A).map(|r| r.span.start).collect();
        assert_eq!(a.len(), 2);
        assert!(a[0] < a[1]);
        assert_eq!(index.of_type(RrType(300)).count(), 1);
        assert_eq!(index.count_of_type(RrType::MX), 2);
        assert_eq!(index.of_type(RrType::NS).count(), 0);
        assert_eq!(index.rrset("www.example.com.", RrType::A).count(), 2);
        assert!(index.has_type("b.example.com.", RrType::TXT) && !index.has_type("b.example.com.", RrType::A));
    }
}
