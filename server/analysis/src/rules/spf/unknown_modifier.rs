use crate::diagnostics::{Diagnostic, Severity};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Modifier, SpfRecord, TermKind};

crate::declare_rule! {
    /// ## What it does
    /// Reports a modifier other than `redirect=` and `exp=`. One that is a single edit
    /// away from them (`redirct=`, `exps=`) is a warning: almost certainly a typo. Any
    /// other is information.
    ///
    /// ## Why it matters
    /// Receivers ignore unknown modifiers (§6). A misspelt `redirect=` means the record
    /// has no working redirect: with no `all` either, the result is neutral for every
    /// sender, and the policy the domain meant to apply is never read.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 redirct=_spf.example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 redirect=_spf.example.com"
    /// ```
    ///
    /// ## Reference
    /// RFC 7208 §6 (modifiers; unknown ones are ignored), §4.6.1.
    pub static RULE = {
        code: "spf/unknown-modifier",
        severity: Warning,
        fix: None,
        summary: "an unknown modifier (likely a typo of redirect or exp)",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for t in &s.terms {
        let TermKind::Modifier { name_range, modifier: Modifier::Unknown { name, .. } } = &t.kind else { continue };
        match crate::util::closest(name, ["redirect", "exp"], 1) {
            Some(k) => out.push(m.diag(
                &RULE,
                name_range.clone(),
                format!("unknown modifier `{name}=`: did you mean `{k}=`? Receivers ignore unknown modifiers, so this one does nothing (RFC 7208 §6)"),
            )),
            None => out.push(
                m.diag(&RULE, name_range.clone(), format!("unknown modifier `{name}=`; receivers ignore it (RFC 7208 §6)")).with_severity(Severity::Info),
            ),
        }
    }
}
