use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::mail::{Kind, MailCtx, MailRecord};
use crate::records::spf::SpfRecord;
use crate::rrtype::RrType;
use crate::zone::check::record_deletion_range;

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF policy published as a record of type SPF (type 99) instead of TXT.
    ///
    /// ## Why it matters
    /// RFC 7208 removed the SPF record type: receivers only query TXT. A policy published
    /// only as type SPF is invisible, so the domain has no SPF at all; next to an
    /// identical TXT record it is dead weight that drifts out of date.
    ///
    /// ## Example
    /// ```zone
    /// @ IN SPF "v=spf1 mx -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 mx -all"
    /// ```
    ///
    /// ## Fix
    /// Changes the type to TXT, or deletes the SPF-type record when the same policy is
    /// already published as TXT (safe: receivers only ever read the TXT).
    ///
    /// ## Reference
    /// RFC 7208 §3.1 (TXT only), §14.1 (the SPF RR type is deprecated).
    pub static RULE = {
        code: "spf/deprecated-rrtype",
        severity: Warning,
        fix: Safe,
        summary: "SPF published as RR type SPF(99)",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, _s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    if m.rtype != RrType::SPF {
        return;
    }
    let rec = cx.record(m);
    let twin =
        cx.at_in(m.zone, &m.owner).find(|o| o.rtype == RrType::TXT && matches!(o.kind, Kind::Spf(_)) && o.value.bytes() == m.value.bytes());
    let mut d = crate::diagnostics::Diagnostic::new(
        &RULE,
        m.value.file,
        rec.type_span,
        "SPF policies are published as TXT records; receivers never query type SPF (RFC 7208 §3.1, §14.1)",
    )
    .for_record(m.value.record_span.start);
    if twin.is_some() {
        if let Some(range) = record_deletion_range(&cx.ws.zones[m.zone], m.rec, cx.ws.sources) {
            d = d.with_fix(Fix::safe(
                "Delete the SPF-type record (the same policy is published as TXT)",
                vec![Edit::delete(m.value.file, range)],
            ));
        }
    } else if !rec.is_generated() {
        d = d.with_fix(Fix::safe("Publish it as TXT", vec![Edit::replace(m.value.file, rec.type_span, "TXT")]));
    }
    out.push(d);
}
