use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports a TXT record at `_mta-sts.<domain>` that is not `v=STSv1; id=<1-32 letters
    /// and digits>;`.
    ///
    /// ## Why it matters
    /// Senders fetch the MTA-STS policy only when this record is valid, and refetch it
    /// only when `id` changes. A broken record silently turns MTA-STS off: mail to the
    /// domain can be downgraded to plaintext or intercepted.
    ///
    /// ## Example
    /// ```zone
    /// _mta-sts IN TXT "v=STSv1; id=2024-06-18"
    /// ```
    /// Use instead:
    /// ```zone
    /// _mta-sts IN TXT "v=STSv1; id=20240618T000000"
    /// ```
    ///
    /// ## Reference
    /// RFC 8461 §3.1 (policy TXT record).
    pub static RULE = {
        code: "mail/mta-sts",
        severity: Error,
        fix: None,
        summary: "_mta-sts TXT is not v=STSv1; id=…",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, out: &mut Vec<Diagnostic>) {
    for (range, msg) in crate::records::mta_sts::check(m.value.bytes()) {
        out.push(m.diag(&RULE, range, format!("{msg}; senders ignore an invalid MTA-STS record")));
    }
}
