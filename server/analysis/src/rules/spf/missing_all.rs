use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF record with neither an `all` mechanism nor a `redirect=` modifier.
    ///
    /// ## Why it matters
    /// When no mechanism matches, the result is neutral (§4.7): mail from any host that
    /// is not listed is neither passed nor failed, so the record stops no spoofing, and
    /// DMARC-enforcing receivers fall back to DKIM alone.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 mx include:_spf.example.net"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 mx include:_spf.example.net ~all"
    /// ```
    ///
    /// ## Fix
    /// Appends `~all` (unlisted senders soft-fail). That changes the result for them,
    /// so it is offered in the editor, not applied by `--fix`.
    ///
    /// ## Reference
    /// RFC 7208 §4.7 (default result), §5.1 (`all`).
    pub static RULE = {
        code: "spf/missing-all",
        severity: Warning,
        fix: Unsafe,
        summary: "no all and no redirect: the default result is neutral",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    if !s.is_valid() || s.all().is_some() || s.redirect().is_some() {
        return;
    }
    let end = s.terms.last().map_or(s.version.end, |t| t.range.end);
    out.push(
        m.diag(&RULE, 0..m.value.len(), "the record has no `all` and no `redirect=`: senders it does not list get a neutral result, which stops no spoofing (RFC 7208 §4.7)")
            .with_fix(Fix::unsafe_("Append `~all` (unlisted senders soft-fail)", m.replace(cx, end..end, " ~all"))),
    );
}
