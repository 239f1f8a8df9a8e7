use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::mail::{Kind, MailCtx, MailRecord};
use crate::records::dmarc::looks_like_dmarc;
use crate::zone::check::record_deletion_range;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `_dmarc` name with more than one DMARC record.
    ///
    /// ## Why it matters
    /// When the policy lookup returns several DMARC records, receivers apply none of
    /// them (RFC 9989 §4.10, RFC 7489 §6.6.3): the domain has no policy at all.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
    /// _dmarc IN TXT "v=DMARC1; p=reject"
    /// ```
    /// Use instead: one record.
    ///
    /// ## Fix
    /// Keeps the first record, adds the tags only the others have, and deletes the
    /// others. Which policy survives is a decision, so the fix is editor-only.
    ///
    /// ## Reference
    /// RFC 9989 §4.10; RFC 7489 §6.6.3.
    pub static RULE = {
        code: "dmarc/multiple-records",
        severity: Error,
        fix: Unsafe,
        summary: "more than one DMARC record",
    }
}

pub fn check(cx: &MailCtx<'_>, out: &mut Vec<Diagnostic>) {
    // Names with more than one record, in a stable order.
    for (zi, name) in cx.shared_names() {
        let recs: Vec<&MailRecord> =
            cx.at_text(zi, name).filter(|m| matches!(m.kind, Kind::Dmarc(_)) && looks_like_dmarc(m.value.bytes())).collect();
        if recs.len() < 2 {
            continue;
        }
        let first = recs[0];
        let Kind::Dmarc(fd) = &first.kind else { continue };
        // Merge: the first record, plus tags that only later records carry.
        let mut merged = crate::util::lossy(first.value.bytes()).trim().trim_end_matches(';').to_string();
        for m in &recs[1..] {
            if let Kind::Dmarc(d) = &m.kind {
                for t in d.tags.iter() {
                    if fd.tag(t.name).is_none() && !merged.contains(&format!("; {}=", t.name)) {
                        let text = crate::util::lossy(&m.value.bytes()[t.range.start as usize..t.range.end as usize]).into_owned();
                        merged.push_str("; ");
                        merged.push_str(&text);
                    }
                }
            }
        }
        let mut edits = first.rewrite(cx, merged.as_bytes());
        let mut ok = true;
        for m in &recs[1..] {
            match record_deletion_range(&cx.ws.zones[m.zone], m.rec, cx.ws.sources) {
                Some(r) => edits.push(Edit::delete(m.value.file, r)),
                None => ok = false,
            }
        }
        for m in &recs[1..] {
            let mut d = m
                .diag_whole(
                    &RULE,
                    format!(
                        "`{}` has {} DMARC records; receivers then apply none of them (RFC 9989 §4.10)",
                        m.owner.display_short(),
                        recs.len()
                    ),
                )
                .with_related(first.value.file, first.value.whole(), "the first DMARC record");
            if ok {
                d = d.with_fix(Fix::unsafe_("Merge into the first record (its values win where they differ)", edits.clone()));
            }
            out.push(d);
        }
    }
}
