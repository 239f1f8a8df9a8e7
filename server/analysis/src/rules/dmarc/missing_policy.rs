use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a DMARC record without a `p=` tag.
    ///
    /// ## Why it matters
    /// `p=` is the policy. RFC 7489 receivers discard a record without it; RFC 9989
    /// receivers apply `p=none` only if the record has a valid `rua`, and otherwise
    /// discard it too. Either way nothing is enforced, and some receivers send no reports.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; rua=mailto:dmarc@example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Fix
    /// Inserts `p=none` after `v=DMARC1` (safe: monitoring only, which is what RFC 9989
    /// receivers already assume).
    ///
    /// ## Reference
    /// RFC 9989 §4.7, §4.8 (policy discovery); RFC 7489 §6.3, §6.6.3.
    pub static RULE = {
        code: "dmarc/missing-policy",
        severity: Error,
        fix: Safe,
        summary: "no p= tag",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if d.tag("p").is_some() || !d.tags.errors.is_empty() || !crate::records::dmarc::has_valid_version(&d.tags) {
        return;
    }
    let v = d.tags.tag(0);
    let v_end = v.spec_range.end;
    let has_sep = m.value.bytes().get(v_end as usize - 1) == Some(&b';');
    let edits = if has_sep { m.replace(cx, v_end..v_end, " p=none;") } else { m.replace(cx, v.range.end..v.range.end, "; p=none") };
    out.push(
        m.diag(
            &RULE,
            v.range.clone(),
            "the record has no `p=` policy: RFC 7489 receivers discard it, RFC 9989 receivers apply `p=none` only with a valid `rua`",
        )
        .with_fix(Fix::safe("Insert `p=none` after `v=DMARC1`", edits)),
    );
}
