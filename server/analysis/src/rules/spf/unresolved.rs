use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::Tree;

crate::declare_rule! {
    /// ## What it does
    /// Notes an SPF record whose lookup count could not be completed: an `include:` or
    /// `redirect=` target is not in the workspace, not in `zonels.lock`, and live DNS is
    /// off (`--offline`) or did not answer. The message gives the lower bound counted so far.
    ///
    /// ## Why it matters
    /// The record may be over the limit of 10 without zonels being able to tell. Run
    /// `zonels lock` (online) once and commit `zonels.lock`: offline checks then count
    /// through your providers' records too.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com -all"   ; checked with --offline, no zonels.lock
    /// ```
    ///
    /// ## Reference
    /// RFC 7208 §4.6.4; zonels documentation, "zonels.lock".
    pub static RULE = {
        code: "spf/unresolved",
        severity: Info,
        fix: None,
        summary: "the lookup count could not be completed",
    }
}

pub fn check(m: &MailRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    if !tree.incomplete() {
        return;
    }
    let total = tree.total();
    let lookups = format!("{total} DNS lookup{}", if total == 1 { "" } else { "s" });
    let message = match (tree.first_unknown(), tree.first_macro()) {
        (Some(first), _) => format!(
            "counted at least {lookups}, but `{first}` is not in the workspace or zonels.lock and was not looked up; run `zonels lock` to record it"
        ),
        (None, Some(m)) => format!(
            "counted at least {lookups}; `{m}` depends on the message (an SPF macro), so what it adds is known only when a receiver evaluates it"
        ),
        (None, None) => return,
    };
    let range = tree
        .nodes
        .iter()
        .find(|n| n.unknown || n.child.as_ref().is_some_and(|c| c.incomplete()))
        .map_or(0..m.value.len(), |n| n.range.clone());
    out.push(m.diag(&RULE, range, message));
}
