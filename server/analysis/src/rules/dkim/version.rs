use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `v=` tag that is not the first tag of a DKIM key record, or whose value
    /// is not exactly `DKIM1`.
    ///
    /// ## Why it matters
    /// `v=` is optional, but when present it MUST be first and MUST be `DKIM1`; a record
    /// that breaks this is discarded by verifiers (RFC 6376 §3.6.1), so the key is
    /// missing and signatures fail.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "k=rsa; v=DKIM1; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Fix
    /// Moves `v=DKIM1` to the front, or corrects its value (safe).
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`v=`).
    pub static RULE = {
        code: "dkim/version",
        severity: Error,
        fix: Safe,
        summary: "v= not first or not DKIM1",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(pos) = d.tags.position("v") else { return };
    let v = d.tags.tag(pos);
    if v.value != "DKIM1" {
        out.push(
            m.diag(
                &RULE,
                v.value_range.clone(),
                format!("`v={}` must be exactly `v=DKIM1`; verifiers discard this key record (RFC 6376 §3.6.1)", v.value),
            )
            .with_fix(Fix::safe("Write `v=DKIM1`", m.replace(cx, v.value_range.clone(), "DKIM1"))),
        );
    } else if pos != 0 {
        let rest = super::without(m.value.bytes(), v.spec_range.clone());
        let rest = crate::util::lossy(&rest);
        let new = format!("v=DKIM1; {}", rest.trim_start());
        out.push(
            m.diag(
                &RULE,
                v.range.clone(),
                "`v=DKIM1` must be the first tag; verifiers discard a key record where it is not (RFC 6376 §3.6.1)",
            )
            .with_fix(Fix::safe("Move `v=DKIM1` to the front", m.rewrite(cx, new.trim_end().as_bytes()))),
        );
    }
}
