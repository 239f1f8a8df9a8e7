use crate::diagnostics::{Diagnostic, Fix, Severity};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::tag_list::split_value;

crate::declare_rule! {
    /// ## What it does
    /// Reports `h=` (acceptable hash algorithms) that lists `sha1`: as an error when it is
    /// the only one, as a warning when `sha256` is listed too.
    ///
    /// ## Why it matters
    /// RFC 8301 §3.1: signers MUST use sha256 and verifiers MUST NOT accept rsa-sha1
    /// signatures. With `h=sha1` only, no signature that verifiers accept can match this
    /// key: DKIM fails for every message.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; h=sha1; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; h=sha256; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Fix
    /// Sets `h=sha256`. Safe when sha256 was listed already; otherwise signers using
    /// sha1 stop verifying (as RFC 8301 requires anyway), so it is editor-only then.
    ///
    /// ## Reference
    /// RFC 8301 §3.1; RFC 6376 §3.6.1 (`h=`).
    pub static RULE = {
        code: "dkim/sha1",
        severity: Error,
        fix: Mixed,
        summary: "h= allows sha1",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(h) = d.tags.get("h") else { return };
    let algs: Vec<String> = split_value(&h, b':').into_iter().map(|(a, _)| a.to_ascii_lowercase()).collect();
    if !algs.iter().any(|a| a == "sha1") {
        return;
    }
    let has256 = algs.iter().any(|a| a == "sha256");
    let edits = m.replace(cx, h.value_range.clone(), "sha256");
    if has256 {
        out.push(
            m.diag(&RULE, h.value_range.clone(), "`h=` still allows sha1; RFC 8301 §3.1 forbids sha1 signatures, so list only sha256")
                .with_severity(Severity::Warning)
                .with_fix(Fix::safe("Allow only sha256 (`h=sha256`)", edits)),
        );
    } else {
        out.push(
            m.diag(
                &RULE,
                h.value_range.clone(),
                format!(
                    "`h={}` allows only sha1, which verifiers MUST NOT accept (RFC 8301 §3.1): no signature with this key can pass",
                    h.value
                ),
            )
            .with_fix(Fix::unsafe_("Allow only sha256 (`h=sha256`); the signer must sign with rsa-sha256", edits)),
        );
    }
}
