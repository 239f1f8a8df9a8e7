use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::{DmarcRecord, report_uris};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `rua` or `ruf` entry that is not a valid `mailto:` URI: a bare address
    /// without `mailto:`, an `https:` URL, a malformed address, a bad `!size` suffix, an
    /// empty entry.
    ///
    /// ## Why it matters
    /// Receivers skip entries they cannot use; with none left, you get no reports, and
    /// you cannot see who sends as your domain or whether your own mail passes before
    /// you turn enforcement on.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=dmarc@example.com"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Fix
    /// Adds the missing `mailto:` to a bare address (safe).
    ///
    /// ## Reference
    /// RFC 9989 §4.7 (`rua`, `ruf`); RFC 7489 §6.2 (URIs, size limits); RFC 6068.
    pub static RULE = {
        code: "dmarc/bad-uri",
        severity: Error,
        fix: Safe,
        summary: "rua/ruf entry not a valid mailto: URI",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    for name in ["rua", "ruf"] {
        let Some(t) = d.tag(name) else { continue };
        for u in report_uris(&t) {
            let Some(problem) = u.problem else { continue };
            let mut diag = m.diag(&RULE, u.range.clone(), format!("`{name}`: {problem}; receivers skip this entry"));
            if problem.contains("missing its scheme") {
                diag =
                    diag.with_fix(Fix::safe(format!("Write `mailto:{}`", u.text), m.replace(cx, u.range.start..u.range.start, "mailto:")));
            }
            out.push(diag);
        }
    }
}
