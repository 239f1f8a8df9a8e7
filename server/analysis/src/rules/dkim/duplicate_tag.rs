use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a tag that occurs twice in a DKIM key record (two `p=`, two `k=` …).
    ///
    /// ## Why it matters
    /// RFC 6376 §3.2: "Tags with duplicate names MUST NOT occur within a single tag-list;
    /// if a tag name does occur more than once, the entire tag-list is invalid." The key
    /// cannot be used and every signature with this selector fails.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; p=MIIBIjANBgkq…old…; p=MIIBIjANBgkq…new…"
    /// ```
    /// Use instead: one `p=` with the current key.
    ///
    /// ## Reference
    /// RFC 6376 §3.2.
    pub static RULE = {
        code: "dkim/duplicate-tag",
        severity: Error,
        fix: None,
        summary: "a tag occurs twice: the whole record is invalid",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    for &(first, dup) in &d.tags.duplicates {
        let t = d.tags.tag(dup);
        out.push(
            m.diag(
                &RULE,
                t.range.clone(),
                format!("`{}=` appears twice; a DKIM record with a repeated tag is invalid as a whole (RFC 6376 §3.2)", t.name),
            )
            .with_related(m.value.file, m.value.src(d.tags.tag(first).range), "the first occurrence"),
        );
    }
}
