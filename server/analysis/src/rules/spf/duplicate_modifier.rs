use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Modifier, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `redirect=` or `exp=` modifier that appears more than once in a record.
    ///
    /// ## Why it matters
    /// Each may appear at most once; a second one makes the record PermError (§6), so
    /// the domain has no working SPF and DMARC cannot pass through SPF.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 redirect=_spf.example.com redirect=_spf.example.net"
    /// ```
    /// Use instead: one `redirect=`.
    ///
    /// ## Reference
    /// RFC 7208 §6 (modifiers), §6.1, §6.2.
    pub static RULE = {
        code: "spf/duplicate-modifier",
        severity: Error,
        fix: None,
        summary: "redirect or exp more than once",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for name in ["redirect", "exp"] {
        let found: Vec<_> = s
            .terms
            .iter()
            .filter(|t| matches!((t.modifier(), name), (Some(Modifier::Redirect(_)), "redirect") | (Some(Modifier::Exp(_)), "exp")))
            .collect();
        for t in found.iter().skip(1) {
            out.push(
                m.diag(
                    &RULE,
                    t.range.clone(),
                    format!("a second `{name}=` modifier; it may appear only once, so the record is PermError (RFC 7208 §6)"),
                )
                .with_related(m.value.file, m.value.src(found[0].range.clone()), format!("the first `{name}=`")),
            );
        }
    }
}
