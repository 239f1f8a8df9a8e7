use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::dkim_key::KeyVerdict;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `p=` value that is not valid base64: a stray character (often a `"` or
    /// `\` left from a provider's quoting, a line break, an ellipsis from a truncated
    /// copy) or a wrong length.
    ///
    /// ## Why it matters
    /// The key cannot be decoded, so no signature with this selector verifies: DKIM
    /// fails for all of this sender's mail.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOC…"
    /// ```
    /// Use instead: the complete key, exactly as your provider shows it.
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`p=` is base64), RFC 4648 §4.
    pub static RULE = {
        code: "dkim/bad-key-encoding",
        severity: Error,
        fix: None,
        summary: "p= is not valid base64",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    if let Some(KeyVerdict::BadEncoding(why)) = &d.key {
        let p = d.tags.get("p").map_or(0..m.value.len(), |t| t.value_range.clone());
        out.push(m.diag(&RULE, p, format!("the public key is not valid base64: {why}; signatures with this selector cannot be verified")));
    }
}
