use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::{Status, Tree};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `redirect=` whose target publishes no SPF record (or does not exist).
    ///
    /// ## Why it matters
    /// With `redirect=`, the target's policy *is* the domain's policy; when there is
    /// none, the result is PermError (§6.1) for every message.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 redirect=_spf.example.com"   ; but _spf.example.com has no TXT
    /// ```
    /// Use instead: publish the target record, or point the redirect at the right name.
    ///
    /// ## Reference
    /// RFC 7208 §6.1 (`redirect`).
    pub static RULE = {
        code: "spf/redirect-no-spf",
        severity: Error,
        fix: None,
        summary: "redirect= target publishes no SPF record",
    }
}

pub fn check(m: &MailRecord, s: &SpfRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    for n in &tree.nodes {
        let Some(c) = &n.child else { continue };
        if s.terms[n.term].mechanism().is_some() {
            continue;
        }
        if let Status::NoRecord { nx } = c.status {
            let why = if nx { "does not exist" } else { "publishes no SPF record" };
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!("`{}` {why}; a redirect to it is PermError for every message (RFC 7208 §6.1)", c.domain),
            ));
        }
    }
}
