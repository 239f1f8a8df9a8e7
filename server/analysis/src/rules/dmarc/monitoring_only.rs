use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::{DmarcRecord, Policy};

crate::declare_rule! {
    /// ## What it does
    /// Notes a DMARC record with `p=none`.
    ///
    /// ## Why it matters
    /// `p=none` only asks for reports: mail that fails DMARC — spoofed mail — is still
    /// delivered. It is the right first step; once reports show your own mail passing,
    /// move to `quarantine` and then `reject`.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
    /// ```
    /// When the reports are clean:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Reference
    /// RFC 9989 §4.7 (`p`), §7 (policy enforcement considerations).
    pub static RULE = {
        code: "dmarc/monitoring-only",
        severity: Info,
        fix: None,
        summary: "p=none: reports only",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if d.policy() == Some(Policy::None) {
        let p = d.tag("p").map_or(0..m.value.len(), |t| t.range.clone());
        out.push(m.diag(&RULE, p, "`p=none` only monitors: spoofed mail is still delivered; move to `quarantine`, then `reject`, once reports show your mail passing"));
    }
}
