use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::{Mechanism, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports the `ptr` mechanism.
    ///
    /// ## Why it matters
    /// `ptr` SHOULD NOT be published (§5.5): it is slow, costs a lookup per check plus
    /// one per PTR name, depends on reverse DNS the domain owner rarely controls, and
    /// large receivers skip or distrust it — so the senders it should match often fail.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ptr -all"
    /// ```
    /// Use instead: list the senders with `ip4:`/`ip6:`, `a` or `mx`:
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
    /// ```
    ///
    /// ## Fix
    /// Removes the `ptr` term. Senders it matched must then be listed another way, so
    /// the fix is offered in the editor, not applied by `--fix`.
    ///
    /// ## Reference
    /// RFC 7208 §5.5 ("This mechanism SHOULD NOT be published").
    pub static RULE = {
        code: "spf/ptr-mechanism",
        severity: Warning,
        fix: Unsafe,
        summary: "ptr SHOULD NOT be published",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    for (i, t) in s.terms.iter().enumerate() {
        if matches!(t.mechanism(), Some(Mechanism::Ptr(_))) {
            out.push(
                m.diag(&RULE, t.range.clone(), "`ptr` SHOULD NOT be published: it is slow, unreliable and ignored by many receivers; list the senders' addresses instead (RFC 7208 §5.5)")
                    .with_fix(Fix::unsafe_("Remove `ptr` (list the senders it matched with ip4:/ip6:)", m.replace(cx, super::term_deletion(s, i), ""))),
            );
        }
    }
}
