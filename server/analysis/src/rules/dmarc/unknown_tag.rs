use crate::diagnostics::{Diagnostic, Severity};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::{DmarcRecord, TAGS, tag_spec};

crate::declare_rule! {
    /// ## What it does
    /// Reports a tag DMARC does not define. One a single edit from a known tag (`rau=`,
    /// `pc=`, `asfp=`) is a warning — a typo that silently drops the setting; any other
    /// is information.
    ///
    /// ## Why it matters
    /// Receivers ignore unknown tags. A misspelt `rua` means no aggregate reports; a
    /// misspelt `sp` means subdomains get the default policy.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rau=mailto:dmarc@example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Reference
    /// RFC 9989 §4.7 (unknown tags are ignored); RFC 7489 §6.3.
    pub static RULE = {
        code: "dmarc/unknown-tag",
        severity: Warning,
        fix: None,
        summary: "an unknown DMARC tag (likely a typo)",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    for t in d.tags.iter() {
        if tag_spec(t.name).is_some() {
            continue;
        }
        let near =
            if t.name.len() > 1 { crate::util::closest(t.name, TAGS.iter().map(|s| s.name).filter(|n| n.len() > 1), 2) } else { None };
        match near {
            Some(k) if crate::util::edit_distance(t.name, k) <= 1 => out.push(m.diag(
                &RULE,
                t.name_range.clone(),
                format!("unknown tag `{}=`: did you mean `{k}=`? Receivers ignore unknown tags, so this setting does nothing", t.name),
            )),
            _ => out.push(
                m.diag(&RULE, t.name_range.clone(), format!("unknown tag `{}=`; receivers ignore it", t.name))
                    .with_severity(Severity::Info),
            ),
        }
    }
}
