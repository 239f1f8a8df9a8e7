//! Records of a zone grouped by owner name, and typed access to record data.

use std::net::IpAddr;

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
    /// Owner name → its group (`members[starts[g]..starts[g + 1]]`).
    names: NameTable,
    /// The first record of each group (whose owner is the group's name).
    first: Vec<u32>,
    starts: Vec<u32>,
    /// Record indices grouped by owner (records in file order), and each one's type.
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

/// Consecutive records with the same owner, as one `u64`: the top 32 bits of the
/// owner's hash above the run's place in file order (the run's records start at
/// `bounds[order]`). Eight bytes, not sixteen: a million runs and their sort buffer
/// are fresh memory every check touches.
fn run_key(hash: u64, order: usize) -> u64 {
    (hash >> 32) << 32 | order as u64
}

fn run_order(key: u64) -> usize {
    key as u32 as usize
}

/// Sorts runs by their hash bits, keeping equal ones in file order: a stable radix sort
/// on the top 32 bits, a byte at a time.
fn sort_by_hash(runs: &mut Vec<u64>) {
    let mut other = vec![0u64; runs.len()];
    for shift in [32, 40, 48, 56] {
        let mut counts = [0usize; 256];
        for r in runs.iter() {
            counts[((r >> shift) & 0xff) as usize] += 1;
        }
        let mut at = 0;
        for c in counts.iter_mut() {
            (*c, at) = (at, at + *c);
        }
        for &r in runs.iter() {
            let d = ((r >> shift) & 0xff) as usize;
            other[counts[d]] = r;
            counts[d] += 1;
        }
        std::mem::swap(runs, &mut other);
    }
}

/// Names → groups: open addressing with linear probing, each name at or after the slot
/// its hash's top bits give. Built from hashes in ascending order, so the slots are
/// written from front to back and stay in hash order: a lookup stops at the first
/// larger hash, so asking for a name that is not there costs no more than finding one,
/// and the table can be four fifths full. (Slots past the end are added rather than
/// wrapping to the front, which would break the order.)
struct NameTable {
    /// The hash's top 32 bits above the group, or `EMPTY`; the last slot is `EMPTY`.
    slots: Vec<u64>,
    bits: u32,
}

impl NameTable {
    const EMPTY: u64 = u64::MAX;

    /// A table of the groups' hashes, given as `(hash, group)` with the hashes ascending.
    fn new(hashes: impl ExactSizeIterator<Item = (u64, u32)>) -> Self {
        let n = hashes.len();
        let bits = (n + n / 4).max(1).next_power_of_two().trailing_zeros().max(4);
        let mut slots = vec![Self::EMPTY; (1 << bits) + 1];
        let mut next = 0;
        for (h, g) in hashes {
            let at = ((h >> (64 - bits)) as usize).max(next);
            if at + 1 >= slots.len() {
                slots.resize(at + 2, Self::EMPTY);
            }
            slots[at] = (h >> 32) << 32 | g as u64;
            next = at + 1;
        }
        NameTable { slots, bits }
    }

    /// The groups whose hash has the same top 32 bits as `h`, for the caller to compare.
    fn candidates(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        let top = h >> 32;
        let mut at = (h >> (64 - self.bits)) as usize;
        std::iter::from_fn(move || {
            loop {
                // In hash order: past a larger hash (or the empty slot at the end of a
                // run), the name is not there.
                let slot = self.slots[at];
                if slot == Self::EMPTY || slot >> 32 > top {
                    return None;
                }
                at += 1;
                if slot >> 32 == top {
                    return Some(slot as u32);
                }
            }
        })
    }
}

fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// The records of one owner name: indices into the zone's records and their types, in
/// file order.
#[derive(Clone, Copy)]
pub struct Group<'i> {
    pub records: &'i [u32],
    pub types: &'i [RrType],
}

/// A group of an index (see [`ZoneIndex::group_id`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupId(std::num::NonZeroU32);

impl GroupId {
    /// The group's number (ids count from 1).
    fn group(self) -> u32 {
        self.0.get() - 1
    }
}

impl Group<'_> {
    /// The group of a name with no records.
    pub const NONE: Group<'static> = Group { records: &[], types: &[] };
}

impl<'z> ZoneIndex<'z> {
    pub fn new(records: &'z [Record]) -> Self {
        // Runs of records with the same owner object (a record that inherits its owner
        // shares the previous record's name), each with its name's hash; the types
        // beside, so nothing below reads a record out of order. Sized for a run per
        // record: memory not written to is not taken.
        let mut runs: Vec<u64> = Vec::with_capacity(records.len());
        // Where each run starts, in file order, and where the last one ends.
        let mut bounds: Vec<u32> = Vec::with_capacity(records.len() + 1);
        let mut rtypes = Vec::with_capacity(records.len());
        let mut ns_owners = FxHashSet::default();
        // A name with records has a parent; most share it. Sized for a zone of leaf names
        // under a few levels (a set grown step by step would rehash a dozen times).
        let mut ancestors = FxHashSet::default();
        ancestors.reserve(records.len() / 4);
        let mut last_parent = "";
        let mut last_owner = None;
        for (i, r) in records.iter().enumerate() {
            let owner = r.owner.as_str();
            rtypes.push(r.rtype);
            if r.rtype == RrType::NS {
                ns_owners.insert(owner);
            }
            if last_owner == Some(owner.as_ptr()) {
                continue;
            }
            last_owner = Some(owner.as_ptr());
            runs.push(run_key(name_hash(owner), bounds.len()));
            bounds.push(i as u32);
            // Most names share their parent with the name before: skip it then.
            let mut up = r.owner.suffixes().skip(1);
            if let Some(parent) = up.next()
                && parent != last_parent
            {
                last_parent = parent;
                if ancestors.insert(parent) {
                    for a in up {
                        if !ancestors.insert(a) {
                            break; // and so are its own ancestors
                        }
                    }
                }
            }
        }
        bounds.push(records.len() as u32);
        // The runs sorted by hash: equal names side by side, and the name table written
        // from front to back (inserting a million names one by one into a hash table
        // would make each insert a cache miss). Each run's group is numbered here in
        // hash order and kept by the run's place in file order.
        sort_by_hash(&mut runs);
        let owner_at = |order: usize| records[bounds[order] as usize].owner.as_str();
        let mut group_in_order = vec![0u32; runs.len()];
        // Per group: its first run and its hash bits.
        let mut first_run: Vec<u32> = Vec::with_capacity(runs.len());
        let mut hashes: Vec<u32> = Vec::with_capacity(runs.len());
        let mut same_hash: Vec<u32> = Vec::new(); // the groups of the current hash bits
        for (k, &run) in runs.iter().enumerate() {
            if k == 0 || runs[k - 1] >> 32 != run >> 32 {
                same_hash.clear();
            }
            let order = run_order(run);
            let owner = owner_at(order);
            let g = match same_hash.iter().find(|&&g| owner_at(first_run[g as usize] as usize) == owner) {
                Some(&g) => g,
                None => {
                    let g = first_run.len() as u32;
                    first_run.push(order as u32);
                    hashes.push((run >> 32) as u32);
                    same_hash.push(g);
                    g
                }
            };
            group_in_order[order] = g;
        }
        drop((runs, first_run));
        // Renumbered in the order the names first appear, so that going through the
        // groups goes through the records from front to back.
        let mut renumber = vec![u32::MAX; hashes.len()];
        let mut first: Vec<u32> = Vec::with_capacity(hashes.len());
        for (order, g) in group_in_order.iter_mut().enumerate() {
            let to = &mut renumber[*g as usize];
            if *to == u32::MAX {
                *to = first.len() as u32;
                first.push(bounds[order]);
            }
            *g = *to;
        }
        let names = NameTable::new(hashes.iter().zip(&renumber).map(|(&h, &g)| (u64::from(h) << 32, g)));
        drop((hashes, renumber));
        // Each group's records, by a counting sort of the runs: `starts[g + 1]` counts
        // group `g`'s records, then after the prefix sum `starts[g]` is where they go
        // (and, moved on as they are placed, where the next group's go).
        let mut starts = vec![0u32; first.len() + 1];
        for (w, &g) in bounds.windows(2).zip(&group_in_order) {
            starts[g as usize + 1] += w[1] - w[0];
        }
        let mut sum = 0;
        for s in starts.iter_mut() {
            sum += *s;
            *s = sum;
        }
        let mut members = vec![0u32; records.len()];
        let mut types = vec![RrType(0); records.len()];
        for (w, &g) in bounds.windows(2).zip(&group_in_order) {
            let at = starts[g as usize] as usize;
            let n = (w[1] - w[0]) as usize;
            members[at..at + n].iter_mut().zip(w[0]..w[1]).for_each(|(m, i)| *m = i);
            types[at..at + n].copy_from_slice(&rtypes[w[0] as usize..w[1] as usize]);
            starts[g as usize] += n as u32;
        }
        // Each `starts[g]` is now where group `g + 1` starts: back one place.
        starts.copy_within(..first.len(), 1);
        starts[0] = 0;
        drop((bounds, group_in_order));
        // Record indices by type: a counting sort, in an array for the common types
        // (below 256) and a map for the rest.
        let mut low_counts = [0u32; 256];
        let mut type_counts: FxHashMap<RrType, u32> = FxHashMap::default();
        for t in &rtypes {
            match low_counts.get_mut(t.0 as usize) {
                Some(c) => *c += 1,
                None => *type_counts.entry(*t).or_default() += 1,
            }
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
        for (i, t) in rtypes.iter().enumerate() {
            let slot = match low_next.get_mut(t.0 as usize) {
                Some(n) => n,
                None => high_next.entry(*t).or_default(),
            };
            by_type[*slot as usize] = i as u32;
            *slot += 1;
        }
        ZoneIndex { records, names, first, starts, members, types, by_type, type_ranges, ns_owners, ancestors }
    }

    /// The records of the name `id` was looked up for.
    pub fn group_by_id(&self, id: GroupId) -> Group<'_> {
        self.group(id.group())
    }

    /// A name's group, to be read later with [`ZoneIndex::group_by_id`]: four bytes
    /// to keep where a [`Group`] would be thirty-two.
    pub fn group_id(&self, name: &str) -> Option<GroupId> {
        // Numbered from 1 (there are fewer groups than records, which are counted in
        // `u32`): an `Option<GroupId>` is then four bytes too.
        self.group_of(name).map(|g| GroupId(std::num::NonZeroU32::MIN.saturating_add(g)))
    }

    /// The owner name of a group.
    pub fn name_of(&self, id: GroupId) -> &'z Name {
        &self.records[self.first[id.group() as usize] as usize].owner
    }

    fn group(&self, g: u32) -> Group<'_> {
        let range = self.starts[g as usize] as usize..self.starts[g as usize + 1] as usize;
        Group { records: &self.members[range.clone()], types: &self.types[range] }
    }

    /// Every distinct owner name with its records, in the order the names first appear.
    pub fn names(&self) -> impl Iterator<Item = (&'z str, Group<'_>)> + '_ {
        let records = self.records;
        (0..self.first.len() as u32).map(move |g| (records[self.first[g as usize] as usize].owner.as_str(), self.group(g)))
    }

    fn group_of(&self, name: &str) -> Option<u32> {
        let records = self.records;
        self.names.candidates(name_hash(name)).find(|&g| records[self.first[g as usize] as usize].owner.as_str() == name)
    }

    /// The records at `name` (empty when it has none).
    pub fn at(&self, name: &str) -> Group<'_> {
        match self.group_of(name) {
            Some(g) => self.group(g),
            None => Group::NONE,
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
        self.group_of(name).is_some()
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
        self.rrset_of(self.at(name), t)
    }

    /// The records of type `t` in `group` (one of this index's), in file order.
    pub fn rrset_of<'g>(&self, group: Group<'g>, t: RrType) -> impl Iterator<Item = &'z Record> + 'g
    where
        'z: 'g,
    {
        let records = self.records;
        group.records.iter().zip(group.types).filter(move |(_, ty)| **ty == t).map(move |(&i, _)| &records[i as usize])
    }

    /// `true` when `name` lies strictly below a delegation (an NS RRset at a name that
    /// is not the apex): data there is glue or occluded, not authoritative.
    pub fn below_delegation<'n>(&self, name: impl Into<NameRef<'n>>, apex: &Name) -> bool {
        let name = name.into();
        if !name.is_in(apex.name_ref()) || !self.delegates_below(apex) {
            return false;
        }
        // The names strictly between `name` and the apex: suffixes longer than the apex.
        name.suffixes().skip(1).take_while(|s| s.len() > apex.as_str().len()).any(|s| self.ns_owners.contains(s))
    }

    /// `false` when no name below `apex` has NS records (most zones): then no name lies
    /// below a delegation, and none is one.
    fn delegates_below(&self, apex: &Name) -> bool {
        match self.ns_owners.len() {
            0 => false,
            1 => !self.ns_owners.contains(apex.as_str()),
            _ => true,
        }
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
        // Sized for the usual value: strings without escapes, each its own piece.
        let len = self.toks.iter().map(|t| t.range.len() as usize).sum();
        let mut m = MappedText::with_capacity(len, self.toks.len());
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
    super::rdata::parse_ipv6(s).map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::{ParseInput, parse_zone};

    #[test]
    fn delegations_and_what_lies_below_them() {
        let text = "$ORIGIN example.com.\n$TTL 1h\n@ SOA ns1 host 1 2 3 4 5\n NS ns1\nsub NS ns.sub\nns.sub A 192.0.2.1\nwww A 192.0.2.2\n";
        let zone = zone_of(text);
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
        // NS records at the apex only, at a delegation only, and none at all.
        for (text, delegated) in [
            ("$ORIGIN example.com.\n@ 1h SOA ns1 host 1 2 3 4 5\n@ 1h NS ns1\nns.sub 1h A 192.0.2.1\n", false),
            ("$ORIGIN example.com.\n@ 1h SOA ns1 host 1 2 3 4 5\nsub 1h NS ns.sub\nns.sub 1h A 192.0.2.1\n", true),
            ("$ORIGIN example.com.\n@ 1h SOA ns1 host 1 2 3 4 5\nns.sub 1h A 192.0.2.1\n", false),
        ] {
            let zone = zone_of(text);
            let index = ZoneIndex::new(&zone.records);
            assert_eq!(index.below_delegation(&n("ns.sub.example.com"), &apex), delegated, "{text}");
            assert_eq!(index.is_delegation(&n("sub.example.com"), &apex), delegated, "{text}");
        }
    }

    /// Parses `text` as the zone `example.com`.
    fn zone_of(text: &str) -> crate::model::Zone {
        let limits = crate::config::Limits::default();
        parse_zone(ParseInput {
            file: crate::diagnostics::FileId(0),
            path: std::path::Path::new("example.com.zone"),
            text,
            origin: None,
            origin_source: crate::model::OriginSource::Unknown,
            root: std::path::Path::new("."),
            loader: &crate::source::NoIncludes,
            limits: &limits,
        })
        .zone
    }

    #[test]
    fn the_name_table_finds_what_it_holds_and_nothing_else() {
        // Crowded homes, equal top bits, and a run past the last slot.
        let mut seed = 99u64;
        let mut hashes: Vec<u64> = (0..5000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                seed
            })
            .collect();
        hashes.extend((0..40).map(|i| u64::MAX - 3 - i));
        hashes.extend((0..40).map(|i| (7u64 << 40) | i));
        hashes.sort_unstable();
        hashes.dedup();
        let table = NameTable::new(hashes.iter().enumerate().map(|(g, &h)| (h, g as u32)));
        assert_eq!(*table.slots.last().unwrap(), NameTable::EMPTY);
        for (g, &h) in hashes.iter().enumerate() {
            let found: Vec<u32> = table.candidates(h).collect();
            assert!(found.contains(&(g as u32)), "hash {h:#x}");
            assert!(found.iter().all(|&o| hashes[o as usize] >> 32 == h >> 32));
        }
        for &h in &[0u64, 1 << 63, (7u64 << 40) | 1000, u64::MAX - 100, u64::MAX - 1] {
            assert!(table.candidates(h).all(|o| hashes[o as usize] >> 32 == h >> 32));
            assert_eq!(table.candidates(h).count(), hashes.iter().filter(|&&x| x >> 32 == h >> 32).count());
        }
    }

    #[test]
    fn finds_every_name_of_a_large_zone() {
        // Enough names to fill many table slots and radix buckets; each name's records
        // are split in two runs far apart.
        let mut text = String::from("$ORIGIN example.com.\n$TTL 1h\n");
        for round in 0..2 {
            for i in 0..3000 {
                text.push_str(&format!("h{i} A 192.0.2.{}\n TXT \"{round}\"\n", i % 250));
            }
        }
        let zone = zone_of(&text);
        let index = ZoneIndex::new(&zone.records);
        let firsts: Vec<u32> = index.names().map(|(_, g)| g.records[0]).collect();
        assert_eq!(firsts, (0..3000).map(|i| 2 * i).collect::<Vec<u32>>(), "in the order the names first appear");
        for i in 0..3000 {
            let name = format!("h{i}.example.com.");
            let group = index.at(&name);
            assert_eq!(group.types, &[RrType::A, RrType::TXT, RrType::A, RrType::TXT], "{name}");
            let first = group.records[0] as usize;
            assert_eq!(group.records, &[first as u32, first as u32 + 1, first as u32 + 6000, first as u32 + 6001], "{name}");
            assert_eq!(zone.records[first].owner.as_str(), name);
            assert!(!index.has_name(&format!("x{i}.example.com.")));
        }
    }

    #[test]
    fn groups_by_name_and_by_type() {
        // `www` comes back after other names; `b` inherits its owner; TYPE300 is a type
        // beyond the common ones.
        let text = "$ORIGIN example.com.\n$TTL 1h\nwww A 192.0.2.1\nb MX 10 www\n TXT \"x\"\n TYPE300 \\# 0\nwww AAAA ::1\nb MX 20 www\nwww A 192.0.2.2\n";
        let zone = zone_of(text);
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
