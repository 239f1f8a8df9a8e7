use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports literal quote characters or backslashes inside the value of an SPF, DKIM,
    /// DMARC, MTA-STS, TLS-RPT or BIMI record — usually a provider's own quoting pasted
    /// into the value (`"\"v=spf1 -all\""`), so the published text starts with `"`.
    ///
    /// ## Why it matters
    /// Receivers see `"v=spf1` — not `v=spf1` — and the record is not SPF at all; a DKIM
    /// key with a `"` in it does not decode. The domain looks configured and is not.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "\"v=spf1 include:_spf.example.net -all\""
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.example.net -all"
    /// ```
    ///
    /// ## Fix
    /// Removes the stray characters (safe).
    ///
    /// ## Reference
    /// RFC 1035 §5.1 (quoting in zone files); RFC 7208 §4.5 (record selection).
    pub static RULE = {
        code: "txt/stray-quotes",
        severity: Error,
        fix: Safe,
        summary: "literal quotes or backslashes inside a mail-auth record",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, out: &mut Vec<Diagnostic>) {
    if !m.kind.is_mail_auth() {
        return;
    }
    let bytes = m.value.bytes();
    // Almost no record has one: looked for a vector at a time before any are listed.
    if memchr::memchr2(b'"', b'\\', bytes).is_none() {
        return;
    }
    let stray: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'"' || **b == b'\\').map(|(i, _)| i).collect();
    let cleaned: Vec<u8> = bytes.iter().copied().filter(|b| *b != b'"' && *b != b'\\').collect();
    let first = stray[0] as u32;
    let last = stray[stray.len() - 1] as u32 + 1;
    out.push(
        m.diag(
            &RULE,
            first..last,
            format!(
                "the record's text contains {} literal quote or backslash character{}: receivers read them as part of the record, which then does not parse",
                stray.len(),
                if stray.len() == 1 { "" } else { "s" }
            ),
        )
        .with_fix(Fix::safe("Remove the stray quotes and backslashes", m.rewrite(cx, &cleaned))),
    );
}
