use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a DKIM key record without a `p=` tag.
    ///
    /// ## Why it matters
    /// `p=` (the public key) is the only required tag. Without it there is nothing to
    /// verify signatures with: every message signed with this selector fails DKIM. (To
    /// revoke a key on purpose, publish an empty `p=`.)
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`p=` is REQUIRED).
    pub static RULE = {
        code: "dkim/missing-key",
        severity: Error,
        fix: None,
        summary: "no p= tag",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    if d.key.is_none() && d.tags.errors.is_empty() {
        out.push(m.diag_whole(
            &RULE,
            format!(
                "the key record at `{}` has no `p=` (public key): signatures with this selector cannot be verified",
                m.owner.display_short()
            ),
        ));
    }
}
