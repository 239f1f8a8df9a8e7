use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::dkim_key::KeyVerdict;

crate::declare_rule! {
    /// ## What it does
    /// Reports a DKIM key record whose `p=` is empty: the key is revoked.
    ///
    /// ## Why it matters
    /// Revoking is deliberate (a retired selector), but anything still signing with this
    /// selector now fails DKIM. Worth knowing when you rotate keys.
    ///
    /// ## Example
    /// ```zone
    /// old._domainkey IN TXT "v=DKIM1; p="
    /// ```
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 ("An empty value means that this public key has been revoked").
    pub static RULE = {
        code: "dkim/revoked-key",
        severity: Info,
        fix: None,
        summary: "p= empty: the key is revoked",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    if d.key == Some(KeyVerdict::Revoked) {
        let p = d.tags.get("p").map_or(0..m.value.len(), |t| t.range.clone());
        out.push(m.diag(
            &RULE,
            p,
            format!("selector `{}` is revoked (empty `p=`); mail still signed with it fails DKIM", m.owner.display_short()),
        ));
    }
}
