use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports a TXT record at `_smtp._tls.<domain>` that is not `v=TLSRPTv1;` followed
    /// by `rua=` with `mailto:` or `https:` URIs.
    ///
    /// ## Why it matters
    /// Senders use it to report TLS failures delivering to you — the first sign that
    /// MTA-STS or DANE is blocking mail. An invalid record means no reports.
    ///
    /// ## Example
    /// ```zone
    /// _smtp._tls IN TXT "v=TLSRPTv1; rua=tls-reports@example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// _smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls-reports@example.com"
    /// ```
    ///
    /// ## Reference
    /// RFC 8460 §3 (reporting policy).
    pub static RULE = {
        code: "mail/tls-rpt",
        severity: Error,
        fix: None,
        summary: "_smtp._tls TXT is not v=TLSRPTv1; rua=…",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, out: &mut Vec<Diagnostic>) {
    for (range, msg) in crate::records::tls_rpt::check(m.value.bytes()) {
        out.push(m.diag(&RULE, range, format!("{msg}; senders send no TLS reports")));
    }
}
