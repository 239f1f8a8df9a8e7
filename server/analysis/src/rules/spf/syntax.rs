use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{SpfErrorKind, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports every term of an SPF record that violates the RFC 7208 §12 grammar: an
    /// unknown mechanism, a bad qualifier, a bad CIDR length, a domain-spec that does not
    /// end in a valid top label (`a:foo-bar`, `include:example.123`), a malformed macro
    /// (`%{x}`, a lone `%`), a control or non-ASCII character. The message names the term.
    ///
    /// ## Why it matters
    /// One syntax error anywhere makes the whole record a PermError (§4.6). Receivers
    /// that enforce DMARC then treat your mail as having no SPF, and without an aligned
    /// DKIM signature it is rejected with `550 5.7.1`.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.0/24 inlcude:_spf.example.net -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"
    /// ```
    ///
    /// ## Reference
    /// RFC 7208 §4.6 (syntax errors are PermError), §5 (mechanisms), §7.1 (macros), §12 (ABNF).
    pub static RULE = {
        code: "spf/syntax",
        severity: Error,
        fix: None,
        summary: "an SPF term violates the RFC 7208 grammar",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for e in &s.errors {
        if e.kind == SpfErrorKind::NonAscii {
            // A lookalike character (an en dash for `-`) is reported, with its fix, by
            // txt/lookalike-character.
            let text = crate::util::lossy(&m.value.bytes()[e.range.start as usize..e.range.end as usize]).into_owned();
            if text.chars().next().is_some_and(|c| crate::rules::txt::lookalike_character::ascii_for(c).is_some()) {
                continue;
            }
        }
        out.push(m.diag(&RULE, e.range.clone(), format!("{}; the whole SPF record is PermError at receivers (RFC 7208 §4.6)", e.message)));
    }
}
