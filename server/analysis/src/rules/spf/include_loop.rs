use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::{Status, Tree};

crate::declare_rule! {
    /// ## What it does
    /// Reports an include/redirect chain that comes back to a domain already being
    /// evaluated (`a` includes `b`, `b` includes `a`).
    ///
    /// ## Why it matters
    /// Receivers follow the loop until the 10-lookup limit and return PermError: the
    /// record fails for every message.
    ///
    /// ## Example
    /// ```zone
    /// @    IN TXT "v=spf1 include:_spf.example.com -all"
    /// _spf IN TXT "v=spf1 include:example.com -all"
    /// ```
    /// Use instead: let the included record list its own senders.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4, §5.2.
    pub static RULE = {
        code: "spf/include-loop",
        severity: Error,
        fix: None,
        summary: "include/redirect chain returns to a domain being evaluated",
    }
}

/// The chain of domains to the first loop, if any.
fn find_loop(t: &Tree, path: &mut Vec<String>) -> Option<Vec<String>> {
    path.push(t.domain.clone());
    if t.status == Status::Loop {
        return Some(path.clone());
    }
    for n in &t.nodes {
        if let Some(c) = &n.child
            && let Some(p) = find_loop(c, path)
        {
            return Some(p);
        }
    }
    path.pop();
    None
}

pub fn check(m: &MailRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    for n in &tree.nodes {
        let Some(c) = &n.child else { continue };
        let mut path = vec![tree.domain.clone()];
        if let Some(chain) = find_loop(c, &mut path) {
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!("include/redirect loop: {}; receivers run into the lookup limit and return PermError", chain.join(" → ")),
            ));
            return;
        }
    }
}
