use crate::diagnostics::{Diagnostic, Severity};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::dkim_key::KeyVerdict;

crate::declare_rule! {
    /// ## What it does
    /// Reports RSA keys shorter than 2048 bits: under 1024 bits as an error, 1024 to
    /// 2047 bits as a warning.
    ///
    /// ## Why it matters
    /// RFC 8301 §3.2: verifiers MUST NOT consider signatures with keys under 1024 bits
    /// valid — Gmail, Outlook and Yahoo treat such mail as unsigned, and it fails DMARC.
    /// 1024-bit keys still verify but are within reach of factoring; signers SHOULD use
    /// 2048 bits.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJB…"   ; 512 bits
    /// ```
    /// Use instead: generate a 2048-bit key (`openssl genrsa 2048`) and publish it under
    /// a new selector.
    ///
    /// ## Reference
    /// RFC 8301 §3.2 (key sizes).
    pub static RULE = {
        code: "dkim/weak-key",
        severity: Error,
        fix: None,
        summary: "RSA key under 2048 bits",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(KeyVerdict::Rsa { bits, .. }) = d.key else { return };
    let Some(p) = d.tags.get("p") else { return };
    if bits < 1024 {
        out.push(m.diag(
            &RULE,
            p.value_range.clone(),
            format!("this RSA key is {bits} bits; verifiers MUST NOT accept keys under 1024 bits (RFC 8301 §3.2), so mail signed with it counts as unsigned — use 2048 bits"),
        ));
    } else if bits < 2048 {
        out.push(
            m.diag(
                &RULE,
                p.value_range.clone(),
                format!("this RSA key is {bits} bits; RFC 8301 §3.2 recommends 2048 — rotate to a 2048-bit key under a new selector"),
            )
            .with_severity(Severity::Warning),
        );
    }
}
