use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::tag_list::split_value;

crate::declare_rule! {
    /// ## What it does
    /// Reports an `s=` (service type) that lists neither `*` nor `email`.
    ///
    /// ## Why it matters
    /// Email verifiers ignore keys whose service types do not include `email` (RFC 6376
    /// §3.6.1): the key is invisible to them and DKIM fails.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; s=mail; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead: `s=email`, or leave `s=` out (it defaults to `*`).
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`s=`).
    pub static RULE = {
        code: "dkim/bad-service-type",
        severity: Warning,
        fix: None,
        summary: "s= neither * nor email",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(s) = d.tags.get("s") else { return };
    if !split_value(&s, b':').iter().any(|(x, _)| x == "*" || x.eq_ignore_ascii_case("email")) {
        out.push(m.diag(
            &RULE,
            s.value_range.clone(),
            format!("`s={}` does not include `email` or `*`: email verifiers ignore this key (RFC 6376 §3.6.1)", s.value),
        ));
    }
}
