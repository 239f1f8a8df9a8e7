use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports mechanisms written after `all`.
    ///
    /// ## Why it matters
    /// `all` always matches, so evaluation stops there (§5.1): the mechanisms after it
    /// are never evaluated. The senders they were meant to authorise fail SPF — usually
    /// a provider's `include:` appended to the end of an existing record.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 mx -all include:_spf.example.net"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 mx include:_spf.example.net -all"
    /// ```
    ///
    /// ## Fix
    /// Moves `all` to the end. The mechanisms after it then start to count, which
    /// authorises their senders: the fix is offered in the editor, not applied by `--fix`.
    ///
    /// ## Reference
    /// RFC 7208 §4.6.2 (mechanisms are evaluated in order), §5.1.
    pub static RULE = {
        code: "spf/all-not-last",
        severity: Warning,
        fix: Unsafe,
        summary: "terms after all are never evaluated",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    let Some(ai) = s.terms.iter().position(|t| t.is_all()) else { return };
    let dead: Vec<_> = s.terms[ai + 1..].iter().filter(|t| t.mechanism().is_some()).collect();
    if dead.is_empty() || !s.is_valid() {
        return;
    }
    let v = m.value.bytes();
    let all = &s.terms[ai];
    let all_text = crate::util::lossy(&v[all.range.start as usize..all.range.end as usize]).into_owned();
    let names: Vec<String> =
        dead.iter().map(|t| format!("`{}`", crate::util::lossy(&v[t.range.start as usize..t.range.end as usize]))).collect();
    let first = dead[0].range.start;
    let last = dead[dead.len() - 1].range.end;
    // The record with `all` moved to the end of its mechanisms.
    let mut new = v[..super::term_deletion(s, ai).start as usize].to_vec();
    new.extend_from_slice(&v[all.range.end as usize..last as usize]);
    new.push(b' ');
    new.extend_from_slice(all_text.as_bytes());
    new.extend_from_slice(&v[last as usize..]);
    out.push(
        m.diag(
            &RULE,
            first..last,
            format!("{} come after `{all_text}` and are never evaluated: `all` always matches (RFC 7208 §5.1)", names.join(", ")),
        )
        .with_fix(Fix::unsafe_(format!("Move `{all_text}` to the end (the mechanisms after it start to count)"), m.rewrite(cx, &new))),
    );
}
