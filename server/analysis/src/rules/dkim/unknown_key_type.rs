use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `k=` key type other than `rsa` and `ed25519`.
    ///
    /// ## Why it matters
    /// Verifiers only know these two (RFC 6376 §3.6.1, RFC 8463). A key of any other type
    /// is unusable: signatures fail. It is often a typo (`k=rsa2048`, `k=RSA-SHA256`).
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa-sha256; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`k=`), RFC 8463 §4.2 (`ed25519`).
    pub static RULE = {
        code: "dkim/unknown-key-type",
        severity: Error,
        fix: None,
        summary: "k= not rsa or ed25519",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(k) = d.tags.get("k") else { return };
    let v = k.value.trim().to_ascii_lowercase();
    if v != "rsa" && v != "ed25519" {
        let hint = crate::util::closest(&v, ["rsa", "ed25519"], 3).map(|c| format!("; did you mean `k={c}`?")).unwrap_or_default();
        out.push(m.diag(
            &RULE,
            k.value_range.clone(),
            format!("`k={}` is not a key type verifiers know (`rsa` or `ed25519`){hint}", k.value),
        ));
    }
}
