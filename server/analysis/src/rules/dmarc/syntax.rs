use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports tag-list syntax errors in a DMARC record: a tag without `=`, a bad tag
    /// name, an empty tag between two `;`, characters a tag value cannot hold.
    ///
    /// ## Why it matters
    /// A DMARC record that does not parse is discarded (RFC 9989 §4.7): the domain has
    /// no policy, spoofed mail is delivered, and no reports arrive.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p reject; rua=mailto:dmarc@example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Reference
    /// RFC 9989 §4.7 (record format); RFC 7489 §6.4 (formal definition).
    pub static RULE = {
        code: "dmarc/syntax",
        severity: Error,
        fix: None,
        summary: "DMARC record tag-list syntax",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    for e in &d.tags.errors {
        let text = crate::util::lossy(&m.value.bytes()[e.range.start as usize..e.range.end as usize]).into_owned();
        if text.chars().next().is_some_and(|c| crate::rules::txt::lookalike_character::ascii_for(c).is_some()) {
            continue; // txt/lookalike-character reports it with a fix
        }
        out.push(m.diag(&RULE, e.range.clone(), format!("{}; receivers discard a DMARC record that does not parse", e.message)));
    }
}
