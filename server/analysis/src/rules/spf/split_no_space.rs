use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF record split into several strings where a term runs across the
    /// join without a space: receivers concatenate the strings with nothing in between,
    /// so `"… include:a.example" "include:b.example"` becomes
    /// `include:a.exampleinclude:b.example`.
    ///
    /// ## Why it matters
    /// The glued term is a syntax error or a lookup of a name that does not exist: the
    /// record is PermError or authorises the wrong senders. It looks right in the zone
    /// file, which is why it survives review.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com" "include:mailgun.org -all"
    /// ```
    /// Use instead:
    /// ```zone
    /// @ IN TXT "v=spf1 include:_spf.google.com " "include:mailgun.org -all"
    /// ```
    ///
    /// ## Fix
    /// Inserts the missing space at the join (safe: it is what the record meant).
    ///
    /// ## Reference
    /// RFC 7208 §3.3 (multiple strings are concatenated without separators).
    pub static RULE = {
        code: "spf/split-no-space",
        severity: Error,
        fix: Safe,
        summary: "a term runs across a string join without a space",
    }
}

const TERM_STARTS: &[&str] =
    &["include:", "a:", "a/", "mx:", "mx/", "ptr:", "ip4:", "ip6:", "exists:", "redirect=", "exp=", "all", "a", "mx", "ptr"];

/// `true` when `rest` begins with a complete SPF term name.
fn starts_term(rest: &[u8]) -> bool {
    let rest = match rest.first() {
        Some(b'+' | b'-' | b'~' | b'?') => &rest[1..],
        _ => rest,
    };
    TERM_STARTS.iter().any(|t| {
        let t = t.as_bytes();
        rest.len() >= t.len()
            && rest[..t.len()].eq_ignore_ascii_case(t)
            && (t.ends_with(b":") || t.ends_with(b"/") || t.ends_with(b"=") || rest.len() == t.len() || rest[t.len()] == b' ')
    })
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, _s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    let v = m.value.bytes();
    for join in m.value.mapped.joins() {
        let j = join as usize;
        if j == 0 || j >= v.len() || v[j - 1] == b' ' || v[j] == b' ' {
            continue;
        }
        if !starts_term(&v[j..]) {
            continue;
        }
        let term_start = v[..j].iter().rposition(|&b| b == b' ').map_or(0, |p| p + 1);
        let term_end = v[j..].iter().position(|&b| b == b' ').map_or(v.len(), |p| j + p);
        let glued = crate::util::lossy(&v[term_start..term_end]).into_owned();
        out.push(
            m.diag(
                &RULE,
                term_start as u32..term_end as u32,
                format!(
                    "the strings join without a space, so receivers read `{glued}`; add a space at the end of the first string or the start of the next (RFC 7208 §3.3)"
                ),
            )
            .with_fix(Fix::safe("Insert the missing space at the string join", m.replace(cx, join..join, " "))),
        );
    }
}
