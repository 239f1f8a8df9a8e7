use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::{Status, Tree};
use crate::records::spf::{Mechanism, SpfRecord};

crate::declare_rule! {
    /// ## What it does
    /// Reports an `include:` whose target publishes no SPF record (or does not exist).
    ///
    /// ## Why it matters
    /// An include of a domain without SPF is a PermError (§5.2): the whole record fails.
    /// It happens when a provider retires its SPF name, or after a typo in it.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.exmaple.net -all"
    /// ```
    /// Use instead: the provider's current include name.
    ///
    /// ## Reference
    /// RFC 7208 §5.2 (`include`: "none" from the target is PermError).
    pub static RULE = {
        code: "spf/include-no-spf",
        severity: Error,
        fix: None,
        summary: "include: target publishes no SPF record",
    }
}

pub fn check(m: &MailRecord, s: &SpfRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    for n in &tree.nodes {
        let Some(c) = &n.child else { continue };
        if !matches!(s.terms[n.term].mechanism(), Some(Mechanism::Include(_))) {
            continue;
        }
        if let Status::NoRecord { nx } = c.status {
            let why = if nx { "does not exist" } else { "publishes no SPF record" };
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!("`{}` {why}; including it makes the whole record PermError (RFC 7208 §5.2)", c.domain),
            ));
        }
    }
}
