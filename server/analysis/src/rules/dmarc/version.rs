use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a record at a `_dmarc` name that does not start with exactly `v=DMARC1`:
    /// the tag is missing, misspelt (`v=DMARC`, `v=dmarc1`, `v=DMARC1.0`) or not first.
    ///
    /// ## Why it matters
    /// Receivers discard any record that does not begin with `v=DMARC1` (RFC 9989 §4.7,
    /// RFC 7489 §6.3). The domain then has no DMARC policy at all: no enforcement, no
    /// reports — and the big mailbox providers' sender requirements are not met.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "p=reject; v=DMARC1"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject"
    /// ```
    ///
    /// ## Fix
    /// Writes `v=DMARC1` as the first tag (safe: the record becomes what it meant).
    ///
    /// ## Reference
    /// RFC 9989 §4.7; RFC 7489 §6.3.
    pub static RULE = {
        code: "dmarc/version",
        severity: Error,
        fix: Safe,
        summary: "v=DMARC1 missing, misspelled or not first",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if crate::records::dmarc::has_valid_version(&d.tags) {
        return;
    }
    let first = d.tags.first();
    let (range, msg, edits) = match first {
        Some(v) if v.name == "v" => (
            v.value_range.clone(),
            format!("`v={}` is not `v=DMARC1` (exactly, in capitals): receivers discard this record", v.value),
            m.replace(cx, v.value_range.clone(), "DMARC1"),
        ),
        _ => match d.tags.get("v") {
            Some(v) => {
                let rest = super::without(m.value.bytes(), v.spec_range.clone());
                (
                    v.range.clone(),
                    "`v=DMARC1` must be the first tag: receivers discard a record that does not start with it".to_string(),
                    m.rewrite(cx, format!("v=DMARC1; {rest}").trim_end().as_bytes()),
                )
            }
            None => (
                0..m.value.len(),
                "the record does not start with `v=DMARC1`: receivers discard it, so the domain has no DMARC policy".to_string(),
                m.replace(cx, 0..0, "v=DMARC1; "),
            ),
        },
    };
    out.push(m.diag(&RULE, range, msg).with_fix(Fix::safe("Start the record with `v=DMARC1`", edits)));
}
