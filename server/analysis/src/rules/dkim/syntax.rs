use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports tag-list syntax errors in a DKIM key record: a tag without `=`, a bad tag
    /// name, an empty tag between two `;`, characters a tag value cannot hold.
    ///
    /// ## Why it matters
    /// A verifier that cannot parse the key record treats the key as unavailable
    /// (PERMFAIL, RFC 6376 §6.1.2): every message signed with this selector fails DKIM,
    /// and under a DMARC policy that enforces, is quarantined or rejected.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k rsa; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Reference
    /// RFC 6376 §3.2 (tag=value lists), §3.6.1 (key records).
    pub static RULE = {
        code: "dkim/syntax",
        severity: Error,
        fix: None,
        summary: "DKIM key record tag-list syntax",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    for e in &d.tags.errors {
        let text = crate::util::lossy(&m.value.bytes()[e.range.start as usize..e.range.end as usize]).into_owned();
        if text.chars().next().is_some_and(|c| crate::rules::txt::lookalike_character::ascii_for(c).is_some()) {
            continue; // reported, with a fix, by txt/lookalike-character
        }
        out.push(m.diag(
            &RULE,
            e.range.clone(),
            format!("{}; verifiers cannot use this key, so mail signed with it fails DKIM", e.message),
        ));
    }
}
