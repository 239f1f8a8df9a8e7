use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::records::dkim::looks_like_dkim;

crate::declare_rule! {
    /// ## What it does
    /// Reports a record that looks like a DKIM key (`v=DKIM1; …p=…`) but is not at a
    /// `<selector>._domainkey.<domain>` name.
    ///
    /// ## Why it matters
    /// Verifiers look the key up at `<selector>._domainkey.<domain>`; anywhere else it is
    /// never found and DKIM fails. A common cause: a relative owner like
    /// `s1._domainkey.example.com` without a trailing dot, or the key pasted at the apex.
    ///
    /// ## Example
    /// ```zone
    /// s1 IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Reference
    /// RFC 6376 §3.6.2.1 (the `_domainkey` namespace).
    pub static RULE = {
        code: "dkim/misplaced",
        severity: Warning,
        fix: None,
        summary: "a DKIM key not under _domainkey",
    }
}

pub fn check(m: &MailRecord, out: &mut Vec<Diagnostic>) {
    if looks_like_dkim(m.value.bytes()) {
        out.push(m.diag_whole(
            &RULE,
            format!(
                "this looks like a DKIM key, but `{}` is not a `<selector>._domainkey.<domain>` name: verifiers will never find it",
                m.owner.display_short()
            ),
        ));
    }
}
