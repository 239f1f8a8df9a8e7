//! Zone-level checks: run every `zone/` rule that looks at more than one record.

use super::index::{DataTokens, Group, GroupId, ZoneIndex};
use crate::diagnostics::Diagnostic;
use crate::model::{Record, Zone};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::rules::zone as rules;
use crate::source::SourceDb;
use crate::text::TextRange;

#[derive(Clone, Copy)]
pub struct ZoneCtx<'a> {
    pub zone: &'a Zone,
    pub index: &'a ZoneIndex<'a>,
    pub sources: &'a SourceDb,
    pub targets: &'a Targets<'a>,
}

/// The MX exchanges and NS targets of a zone, read once for all the rules about them.
#[derive(Default)]
pub struct Targets<'a> {
    mx: std::sync::OnceLock<Vec<Target<'a>>>,
    ns: std::sync::OnceLock<Vec<Target<'a>>>,
}

impl<'a> ZoneCtx<'a> {
    pub fn text(&self, r: &Record) -> &'a str {
        self.sources.text(r.file)
    }

    /// `true` when a wildcard in the zone would answer for `name` (RFC 4592: `*.x`
    /// covers names below `x` that do not exist).
    pub fn covered_by_wildcard(&self, name: &Name) -> bool {
        if self.index.has_name(name.as_str()) {
            return false;
        }
        let mut cur = name.parent();
        while let Some(p) = cur {
            if !p.is_in(&self.zone.apex) {
                return false;
            }
            if let Ok(w) = p.prepend("*")
                && self.index.has_name(w.as_str())
            {
                return true;
            }
            cur = p.parent();
        }
        false
    }
}

type ZoneRule = fn(&ZoneCtx<'_>, &mut Vec<Diagnostic>);

/// The zone-level rules, with what each took per million records of a large generated
/// zone, in microseconds; the first two only for a zone's own file (a file that is only
/// ever `$INCLUDE`d has no SOA of its own).
const RULES: [(&str, ZoneRule, u64); 14] = [
    ("zone/missing-soa", rules::missing_soa::check, 1_000),
    ("zone/missing-ns", rules::missing_ns::check, 1_000),
    ("zone/multiple-soa", rules::multiple_soa::check, 10_000),
    ("zone/out-of-zone", rules::out_of_zone::check, 20_000),
    ("zone/cname-and-other-data", rules::cname_and_other_data::check, 40_000),
    ("zone/cname-at-apex", rules::cname_at_apex::check, 1_000),
    ("zone/multiple-cname", rules::multiple_cname::check, 60_000),
    ("zone/mx-target-is-cname", rules::mx_target_is_cname::check, 100_000),
    ("zone/mx-target-is-address", rules::mx_target_is_address::check, 10_000),
    ("zone/mx-target-no-address", rules::mx_target_no_address::check, 75_000),
    ("zone/ns-target-is-cname", rules::ns_target_is_cname::check, 20_000),
    ("zone/null-mx-mixed", rules::null_mx_mixed::check, 10_000),
    ("zone/ttl-mismatch", rules::ttl_mismatch::check, 100_000),
    ("zone/duplicate-record", rules::duplicate_record::check, 100_000),
];

/// The zone-level rules as jobs for [`crate::util::run_jobs`]: a large zone's rules one
/// job each, a small zone's as one job. `is_zone_root` is false for a file that is only
/// ever `$INCLUDE`d.
pub fn jobs<'a>(
    zone: &'a Zone,
    index: &'a ZoneIndex<'a>,
    sources: &'a SourceDb,
    targets: &'a Targets<'a>,
    is_zone_root: bool,
    jobs: &mut Vec<crate::util::Job<'a>>,
) {
    use crate::util::Job;
    let rules = if is_zone_root { &RULES[..] } else { &RULES[2..] };
    let n = zone.records.len() as u64;
    let cx = ZoneCtx { zone, index, sources, targets };
    if n < 50_000 {
        let cost = rules.iter().map(|r| r.2).sum::<u64>() * n / 1_000_000;
        jobs.push(Job::new("zone rules", cost, move |out| rules.iter().for_each(|r| (r.1)(&cx, out))));
        return;
    }
    for &(name, rule, us) in rules {
        jobs.push(Job::new(name, us * n / 1_000_000, move |out| rule(&cx, out)));
    }
}

/// The target of an MX or NS record.
pub struct Target<'a> {
    pub record: &'a Record,
    /// MX preference (0 for NS; a value past `u32::MAX`, which the record's checks
    /// report, is `u32::MAX`).
    pub preference: u32,
    /// The target as written.
    pub text: &'a str,
    pub range: TextRange,
    /// The target as an absolute name (`None` if it does not parse).
    pub target: Option<Name>,
    /// The target's records in the zone (`None` when it has none or is out of zone),
    /// looked up once for the rules that all ask. (A target is 48 bytes: the 1M-record
    /// zone has 200 000 of them.)
    group: Option<GroupId>,
}

// Kept at 48 bytes (see `group`).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Target<'static>>() == 48);

impl<'a> Target<'a> {
    /// The target's records in the zone.
    pub fn at(&self, cx: &ZoneCtx<'a>) -> Group<'a> {
        self.group.map_or(Group::NONE, |g| cx.index.group_by_id(g))
    }

    pub fn is_null_mx(&self) -> bool {
        self.preference == 0 && self.target.as_ref().is_some_and(Name::is_root)
    }
}

/// The exchange of every valid MX record (`t == MX`) or target of every NS record, in
/// file order.
pub fn mail_targets<'a>(cx: &ZoneCtx<'a>, t: RrType) -> &'a [Target<'a>] {
    let cell = if t == RrType::MX { &cx.targets.mx } else { &cx.targets.ns };
    let (zone_cx, index) = (*cx, cx.index);
    cell.get_or_init(|| {
        // At its size: grown step by step, the list of a large zone's MX targets would
        // be copied a dozen times and end up to twice as large.
        let mut targets = Vec::with_capacity(index.count_of_type(t));
        targets.extend(index.of_type(t).filter(|r| !r.bad_rdata).filter_map(|r| target_of(&zone_cx, r, t)));
        targets.shrink_to_fit();
        targets
    })
}

fn target_of<'a>(cx: &ZoneCtx<'a>, r: &'a Record, t: RrType) -> Option<Target<'a>> {
    let data = DataTokens::of(r, cx.text(r));
    let idx = usize::from(t == RrType::MX);
    let preference = match t {
        RrType::MX => data.get(0).and_then(super::rdata::parse_decimal).map_or(0, |p| u32::try_from(p).unwrap_or(u32::MAX)),
        _ => 0,
    };
    let text: &'a str = match &r.rdata {
        crate::model::Rdata::Span(_) => data.get(idx)?,
        // Generated and host text is owned by the record; its tokens borrow from it.
        crate::model::Rdata::Generated(_) | crate::model::Rdata::Host(_) => {
            let tok = data.toks.get(idx)?;
            &r.rdata_text("")[tok.range]
        }
    };
    let mut target = data.name(idx, r.origin.as_ref());
    let group = target.as_ref().and_then(|n| cx.index.group_id(n.as_str()));
    if let Some(g) = group {
        // A target in the zone shares its owner's name instead of keeping a copy: most
        // MX and NS targets of a large zone are its own hosts.
        target = Some(cx.index.name_of(g).clone());
    }
    Some(Target { record: r, preference, text, range: data.range(idx), target, group })
}

/// Calls `f` with each RRset (records of one owner and type, in file order) that has
/// more than one record.
pub fn rrsets<'a>(cx: &ZoneCtx<'a>, mut f: impl FnMut(&[&'a Record])) {
    let mut group: Vec<&'a Record> = Vec::new();
    let mut distinct: Vec<RrType> = Vec::new();
    for (_, g) in cx.index.names() {
        if g.types.len() < 2 {
            continue;
        }
        // Most names have one record of each type: found without reading a record.
        distinct.clear();
        let mut repeated = false;
        for &t in g.types {
            if distinct.contains(&t) {
                repeated = true;
            } else {
                distinct.push(t);
            }
        }
        if !repeated {
            continue;
        }
        for &t in &distinct {
            group.clear();
            group.extend(g.records.iter().zip(g.types).filter(|(_, ty)| **ty == t).map(|(&r, _)| &cx.zone.records[r as usize]));
            if group.len() > 1 {
                f(&group);
            }
        }
    }
}

/// The whole lines of record `pos` of `zone`, when deleting them is safe: the lines hold
/// nothing else, and the next record does not inherit this one's owner or TTL.
pub fn record_deletion_range(zone: &Zone, pos: usize, sources: &SourceDb) -> Option<TextRange> {
    let r = zone.records.get(pos)?;
    if !r.is_zone_text() {
        return None;
    }
    let src = sources.get(r.file);
    let idx = src.line_index();
    let first_line = idx.line_of(r.span.start);
    let last_line = idx.line_of(r.span.end);
    let start = idx.line_start(first_line);
    let end = idx.line_start(last_line + 1);
    if !src.text[start as usize..r.span.start as usize].trim().is_empty() {
        return None;
    }
    let after = src.text[r.span.end as usize..end as usize].trim_start();
    if !(after.is_empty() || after.starts_with(';')) {
        return None;
    }
    if let Some(next) = zone.records.get(pos + 1).filter(|n| n.file == r.file && n.is_zone_text()) {
        let prev_owner = pos.checked_sub(1).and_then(|p| zone.records.get(p)).filter(|p| p.file == r.file).map(|p| &p.owner);
        if next.owner_span.is_none() && r.owner_span.is_some() && prev_owner != Some(&r.owner) {
            return None;
        }
        if next.ttl_span.is_none() && r.ttl_span.is_some() {
            return None;
        }
    }
    Some(TextRange::new(start, end))
}
