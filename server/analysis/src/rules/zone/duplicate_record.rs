use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::model::Record;
use crate::text::TextRange;
use crate::zone::check::{ZoneCtx, rrsets};
use crate::zone::index::DataTokens;

crate::declare_rule! {
    /// ## What it does
    /// Reports a record that repeats another one exactly: same name, class, type and data
    /// (names in the data compared without regard to case).
    ///
    /// ## Why it matters
    /// Servers keep one copy, so the duplicate does nothing — but it usually marks a
    /// merge mistake, and when someone later edits one copy the other silently stays. For
    /// TXT records at an SPF or DMARC name, "the same record twice" is often really two
    /// slightly different policies: see `spf/multiple-records`.
    ///
    /// ## Example
    /// ```zone
    /// www IN A 192.0.2.10
    /// www IN A 192.0.2.10
    /// ```
    /// Use instead:
    /// ```zone
    /// www IN A 192.0.2.10
    /// ```
    ///
    /// ## Fix
    /// Deletes the later copy (safe: the published data is unchanged). Not offered when
    /// the copy shares its line with other data, or when deleting it would change which
    /// owner name or TTL the following lines inherit.
    ///
    /// ## Reference
    /// RFC 2181 §5 (an RRset is a set: duplicates are not kept).
    pub static RULE = {
        code: "zone/duplicate-record",
        severity: Warning,
        fix: Safe,
        summary: "the same RR twice",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    rrsets(cx, |set| {
        let mut keys: Vec<(String, &Record)> = Vec::with_capacity(set.len());
        for &r in set {
            if r.bad_rdata {
                continue;
            }
            let key = DataTokens::of(r, cx.text(r)).canonical(r.rtype, r.origin.as_ref());
            if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                let mut d = Diagnostic::new(
                    &RULE,
                    r.file,
                    r.rdata_range(),
                    format!(
                        "this {} record repeats an earlier one at `{}`; servers keep one copy, so delete this one",
                        r.rtype,
                        r.owner.display_short()
                    ),
                )
                .with_related(first.file, first.rdata_range(), "the first copy")
                .for_record(r.span.start);
                if let Some(range) = deletion_range(cx, r) {
                    d = d.with_fix(Fix::safe("Delete the duplicate record", vec![Edit::delete(r.file, range)]));
                }
                out.push(d);
            } else {
                keys.push((key, r));
            }
        }
    });
}

/// The whole lines of `r`, when deleting them is safe.
fn deletion_range(cx: &ZoneCtx<'_>, r: &Record) -> Option<TextRange> {
    if r.is_generated() {
        return None;
    }
    let src = cx.sources.get(r.file);
    let idx = src.line_index();
    let first_line = idx.line_of(r.span.start);
    let last_line = idx.line_of(r.span.end);
    let start = idx.line_start(first_line);
    let end = idx.line_start(last_line + 1);
    // The lines must hold nothing but this record (and comments).
    let before = &src.text[start as usize..r.span.start as usize];
    if !before.trim().is_empty() {
        return None;
    }
    let after = src.text[r.span.end as usize..end as usize].trim_start();
    if !(after.is_empty() || after.starts_with(';')) {
        return None;
    }
    // The next record in the same file may inherit this one's owner or TTL.
    let pos = cx.zone.records.iter().position(|x| std::ptr::eq(x, r))?;
    if let Some(next) = cx.zone.records.get(pos + 1).filter(|n| n.file == r.file && !n.is_generated()) {
        let prev_owner = pos.checked_sub(1).and_then(|p| cx.zone.records.get(p)).filter(|p| p.file == r.file).map(|p| &p.owner);
        if next.owner_span.is_none() && r.owner_span.is_some() && prev_owner != Some(&r.owner) {
            return None;
        }
        if next.ttl_span.is_none() && r.ttl_span.is_some() {
            return None;
        }
    }
    Some(TextRange::new(start, end))
}
