use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::dkim_key::KeyVerdict;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `p=` that decodes but is not a key of the declared type: for RSA, not a
    /// DER SubjectPublicKeyInfo or RSAPublicKey (usually a key cut short when pasted
    /// across several strings); for ed25519, not 32 octets — including an ed25519 key
    /// pasted in its SubjectPublicKeyInfo wrapper, which RFC 8463 does not allow.
    ///
    /// ## Why it matters
    /// Verifiers cannot load the key, so every signature with this selector fails DKIM.
    ///
    /// ## Example
    /// ```zone
    /// ed._domainkey IN TXT "v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA…"
    /// ```
    /// Use instead: the raw 32-octet key (44 base64 characters):
    /// ```zone
    /// ed._domainkey IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    /// ```
    ///
    /// ## Fix
    /// For an ed25519 key in an SPKI wrapper: replaces it with the raw key it holds
    /// (safe: the same key).
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`p=`), RFC 8463 §4.2 (ed25519 keys are raw), RFC 5280 §4.1.2.7.
    pub static RULE = {
        code: "dkim/bad-key",
        severity: Error,
        fix: Safe,
        summary: "p= is not a key of the declared type",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(p) = d.tags.get("p") else { return };
    match &d.key {
        Some(KeyVerdict::Bad(why)) => out.push(m.diag(&RULE, p.value_range.clone(), format!("{why}; signatures with this selector cannot be verified"))),
        Some(KeyVerdict::Ed25519Spki { raw_base64 }) => out.push(
            m.diag(
                &RULE,
                p.value_range.clone(),
                "this ed25519 key is wrapped in a SubjectPublicKeyInfo; RFC 8463 §4.2 wants the raw 32-octet key, and verifiers reject the wrapped form",
            )
            .with_fix(Fix::safe("Publish the raw 32-octet key from the wrapper", m.replace(cx, p.value_range.clone(), raw_base64))),
        ),
        _ => {}
    }
}
