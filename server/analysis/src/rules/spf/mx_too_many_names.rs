use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::Tree;

crate::declare_rule! {
    /// ## What it does
    /// Reports an `mx` term whose target has more than 10 MX records.
    ///
    /// ## Why it matters
    /// Evaluating `mx` may not look up more than 10 exchange names; with more, receivers
    /// return PermError (§4.6.4) and the record fails for everyone.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 mx -all"   ; and 12 MX records at @
    /// ```
    /// Use instead: list the sending hosts with `ip4:`/`ip6:`.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4, §5.4.
    pub static RULE = {
        code: "spf/mx-too-many-names",
        severity: Error,
        fix: None,
        summary: "an mx term whose MX set has more than 10 names",
    }
}

pub fn check(m: &MailRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    for n in &tree.nodes {
        if let Some(k) = n.mx_names.filter(|&k| k > 10) {
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!("`{}` finds {k} MX names; receivers evaluate at most 10 and return PermError (RFC 7208 §4.6.4)", n.text),
            ));
        }
    }
}
