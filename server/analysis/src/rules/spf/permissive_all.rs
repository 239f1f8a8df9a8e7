use crate::diagnostics::{Diagnostic, Fix, Severity};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Qualifier, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports `+all` (or a bare `all`), which passes mail from every host on the
    /// internet, as an error; and `?all`, which gives no verdict at all, as a warning.
    ///
    /// ## Why it matters
    /// With `+all` anyone can send mail that passes SPF — and aligns for DMARC — as your
    /// domain: spoofed mail is delivered, and your domain's reputation suffers for it.
    /// `?all` (neutral) protects nothing either.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 mx +all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 mx -all"
    /// ```
    ///
    /// ## Fix
    /// Two fixes: `~all` (unlisted senders soft-fail) or `-all` (they fail). Both change
    /// what the record authorises, so they are offered in the editor, not applied by
    /// `--fix`.
    ///
    /// ## Reference
    /// RFC 7208 §5.1 (`all`), §8 (results).
    pub static RULE = {
        code: "spf/permissive-all",
        severity: Error,
        fix: Unsafe,
        summary: "+all or ?all: the record authorises the internet or nothing",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for t in &s.terms {
        if !t.is_all() {
            continue;
        }
        let (msg, sev) = match t.qualifier() {
            Some(Qualifier::Pass) => (
                "`+all` passes mail from every host on the internet: anyone can send as this domain and pass SPF (and DMARC through it)",
                Severity::Error,
            ),
            Some(Qualifier::Neutral) => ("`?all` gives no verdict for unlisted senders: spoofed mail is not stopped", Severity::Warning),
            _ => continue,
        };
        let written = crate::util::lossy(&m.value.bytes()[t.range.start as usize..t.range.end as usize]).into_owned();
        let mut d = m.diag(&RULE, t.range.clone(), format!("{msg}; end the record with `~all` or `-all`")).with_severity(sev);
        for (q, what) in [("~all", "unlisted senders soft-fail"), ("-all", "unlisted senders fail")] {
            d = d.with_fix(Fix::unsafe_(format!("Replace `{written}` with `{q}` ({what})"), m.replace(cx, t.range.clone(), q)));
        }
        out.push(d);
    }
}
