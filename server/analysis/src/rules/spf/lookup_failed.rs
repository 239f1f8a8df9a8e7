use crate::diagnostics::Diagnostic;
use crate::mail::MailRecord;
use crate::mail::spf_tree::{Status, Tree};

crate::declare_rule! {
    /// ## What it does
    /// Reports a lookup in the SPF tree that timed out or returned SERVFAIL when zonels
    /// queried it live (or as recorded in `zonels.lock`).
    ///
    /// ## Why it matters
    /// Receivers get the same failure and return TempError: mail is deferred (`451
    /// 4.4.3`) and retried, and bounces when the failure lasts. It usually means a
    /// broken delegation or a provider's name server outage.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.broken-provider.example -all"
    /// ```
    ///
    /// ## Reference
    /// RFC 7208 §2.6.6 (temperror), §4.4, §5.
    pub static RULE = {
        code: "spf/lookup-failed",
        severity: Warning,
        fix: None,
        summary: "a live lookup timed out or SERVFAILed",
    }
}

fn first_failure(t: &Tree) -> Option<(String, String)> {
    if let Status::Failed(e) = &t.status {
        return Some((t.domain.clone(), e.clone()));
    }
    for n in &t.nodes {
        if let Some(e) = &n.failed {
            return Some((n.text.clone(), e.clone()));
        }
        if let Some(f) = n.child.as_ref().and_then(|c| first_failure(c)) {
            return Some(f);
        }
    }
    None
}

pub fn check(m: &MailRecord, tree: &Tree, out: &mut Vec<Diagnostic>) {
    for n in &tree.nodes {
        let failure = n.failed.clone().map(|e| (n.text.clone(), e)).or_else(|| n.child.as_ref().and_then(|c| first_failure(c)));
        if let Some((what, err)) = failure {
            out.push(m.diag(
                &RULE,
                n.range.clone(),
                format!("looking up `{what}` failed ({err}); receivers get TempError and defer the mail"),
            ));
        }
    }
}
