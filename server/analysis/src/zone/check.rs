//! Zone-level checks: run every `zone/` rule that looks at more than one record.

use super::index::{DataTokens, ZoneIndex};
use crate::diagnostics::Diagnostic;
use crate::model::{Record, Zone};
use crate::name::Name;
use crate::rrtype::RrType;
use crate::rules::zone as rules;
use crate::source::SourceDb;
use crate::text::TextRange;

pub struct ZoneCtx<'a> {
    pub zone: &'a Zone,
    pub index: &'a ZoneIndex<'a>,
    pub sources: &'a SourceDb,
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

/// Runs the zone-level rules. `is_zone_root` is false for a file that is only ever
/// `$INCLUDE`d (a fragment has no SOA of its own).
pub fn check_zone(zone: &Zone, index: &ZoneIndex<'_>, sources: &SourceDb, is_zone_root: bool, out: &mut Vec<Diagnostic>) {
    let cx = ZoneCtx { zone, index, sources };
    if is_zone_root {
        rules::missing_soa::check(&cx, out);
        rules::missing_ns::check(&cx, out);
    }
    rules::multiple_soa::check(&cx, out);
    rules::out_of_zone::check(&cx, out);
    rules::cname_and_other_data::check(&cx, out);
    rules::cname_at_apex::check(&cx, out);
    rules::multiple_cname::check(&cx, out);
    rules::mx_target_is_cname::check(&cx, out);
    rules::mx_target_is_address::check(&cx, out);
    rules::mx_target_no_address::check(&cx, out);
    rules::ns_target_is_cname::check(&cx, out);
    rules::null_mx_mixed::check(&cx, out);
    rules::ttl_mismatch::check(&cx, out);
    rules::duplicate_record::check(&cx, out);
}

/// The target of an MX or NS record.
pub struct Target<'a> {
    pub record: &'a Record,
    /// MX preference (0 for NS).
    pub preference: u64,
    /// The target as written.
    pub text: &'a str,
    pub range: TextRange,
    /// The target as an absolute name (`None` if it does not parse).
    pub target: Option<Name>,
}

impl Target<'_> {
    pub fn is_null_mx(&self) -> bool {
        self.preference == 0 && self.target.as_ref().is_some_and(Name::is_root)
    }
}

/// The exchange of every valid MX record (`t == MX`) or target of every NS record.
pub fn mail_targets<'a>(cx: &'a ZoneCtx<'a>, t: RrType) -> impl Iterator<Item = Target<'a>> + 'a {
    cx.zone.records.iter().filter(move |r| r.rtype == t && !r.bad_rdata).filter_map(move |r| {
        let data = DataTokens::of(r, cx.text(r));
        let idx = usize::from(t == RrType::MX);
        let preference = if t == RrType::MX { data.get(0).and_then(super::rdata::parse_decimal).unwrap_or(0) } else { 0 };
        let text: &'a str = match &r.rdata {
            crate::model::Rdata::Span(_) => data.get(idx)?,
            // Generated and host text is owned by the record; its tokens borrow from it.
            crate::model::Rdata::Generated(_) | crate::model::Rdata::Host(_) => {
                let tok = data.toks.get(idx)?;
                &r.rdata_text("")[tok.range]
            }
        };
        Some(Target { record: r, preference, text, range: data.range(idx), target: data.name(idx, r.origin.as_ref()) })
    })
}

/// Calls `f` with each RRset (records of one owner and type, in file order) that has
/// more than one record.
pub fn rrsets<'a>(cx: &ZoneCtx<'a>, mut f: impl FnMut(&[&'a Record])) {
    let mut group: Vec<&'a Record> = Vec::new();
    let mut types: Vec<RrType> = Vec::new();
    for (_, head) in cx.index.names() {
        let mut iter = cx.index.at_head(head);
        let Some(first) = iter.next() else { continue };
        let Some(second) = iter.next() else { continue };
        types.clear();
        for i in [first, second].into_iter().chain(cx.index.at_head(second).skip(1)) {
            let t = cx.zone.records[i as usize].rtype;
            if !types.contains(&t) {
                types.push(t);
            }
        }
        for &t in &types {
            group.clear();
            group.extend(cx.index.at_head(head).map(|i| &cx.zone.records[i as usize]).filter(|r| r.rtype == t));
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
