use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::records::dmarc::looks_like_dmarc;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `v=DMARC1` record that is not at a `_dmarc.<domain>` name.
    ///
    /// ## Why it matters
    /// Receivers only look for DMARC at `_dmarc.<domain>`. Published at the apex (a
    /// common paste mistake) or at `dmarc.example.com`, the policy is never found: the
    /// domain has no DMARC.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=DMARC1; p=reject"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject"
    /// ```
    ///
    /// ## Reference
    /// RFC 9989 §4.10 (policy discovery); RFC 7489 §6.1.
    pub static RULE = {
        code: "dmarc/misplaced",
        severity: Warning,
        fix: None,
        summary: "a v=DMARC1 record not at a _dmarc name",
    }
}

pub fn check(m: &MailRecord, out: &mut Vec<Diagnostic>) {
    if looks_like_dmarc(m.value.bytes()) && !m.owner.labels().any(|l| l == "_report") {
        out.push(m.diag_whole(
            &RULE,
            format!(
                "a DMARC record at `{}`: receivers only look at `_dmarc.<domain>`, so this policy is never found",
                m.owner.display_short()
            ),
        ));
    }
}
