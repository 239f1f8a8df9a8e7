use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `redirect=` modifier in a record that also has an `all` mechanism.
    ///
    /// ## Why it matters
    /// `redirect` only applies when no mechanism matched; `all` always matches, so the
    /// redirect is never followed (§6.1). Whoever added it expected the target's policy
    /// to apply — it does not.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 mx redirect=_spf.example.com ~all"
    /// ```
    /// Use instead, to keep today's behaviour:
    /// ```zone
    /// @ IN TXT "v=spf1 mx ~all"
    /// ```
    /// or, to use the target's policy: `"v=spf1 mx redirect=_spf.example.com"`.
    ///
    /// ## Fix
    /// Removes the ignored `redirect=` (safe: nothing changes), or removes `all` so the
    /// redirect applies (changes the result; editor only).
    ///
    /// ## Reference
    /// RFC 7208 §6.1 (`redirect`).
    pub static RULE = {
        code: "spf/redirect-ignored",
        severity: Warning,
        fix: Mixed,
        summary: "redirect together with all: the redirect is ignored",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    let (Some(ri), Some(ai)) = (
        s.terms.iter().position(|t| t.modifier().is_some_and(|x| matches!(x, crate::records::spf::Modifier::Redirect(_)))),
        s.terms.iter().position(|t| t.is_all()),
    ) else {
        return;
    };
    let red = &s.terms[ri];
    let all = &s.terms[ai];
    let v = m.value.bytes();
    let all_text = crate::util::lossy(&v[all.range.start as usize..all.range.end as usize]).into_owned();
    out.push(
        m.diag(&RULE, red.range.clone(), format!("this `redirect=` is never followed: `{all_text}` always matches first (RFC 7208 §6.1)"))
            .with_related(m.value.file, m.value.src(all.range.clone()), format!("`{all_text}`"))
            .with_fix(Fix::safe("Remove the ignored `redirect=`", m.replace(cx, super::term_deletion(s, ri), "")))
            .with_fix(Fix::unsafe_(
                format!("Remove `{all_text}` so the redirect applies (changes the result)"),
                m.replace(cx, super::term_deletion(s, ai), ""),
            )),
    );
}
