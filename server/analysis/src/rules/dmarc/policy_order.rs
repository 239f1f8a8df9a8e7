use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `p=` tag that is not directly after `v=DMARC1`.
    ///
    /// ## Why it matters
    /// RFC 9989 allows any order after `v`, but RFC 7489's grammar puts `p` second, and
    /// receivers that still follow it discard a record where it is not — so part of the
    /// world sees no policy.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; rua=mailto:dmarc@example.com; p=reject"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
    /// ```
    ///
    /// ## Fix
    /// Moves `p=` right after `v=DMARC1` (safe).
    ///
    /// ## Reference
    /// RFC 7489 §6.4 (`dmarc-record` grammar); RFC 9989 §4.7.
    pub static RULE = {
        code: "dmarc/policy-order",
        severity: Warning,
        fix: Safe,
        summary: "p not directly after v",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if !crate::records::dmarc::has_valid_version(&d.tags) || !d.tags.errors.is_empty() {
        return;
    }
    let Some(pi) = d.tags.position("p") else { return };
    if pi == 1 {
        return;
    }
    let p = d.tags.tag(pi);
    let p_text = crate::util::lossy(&m.value.bytes()[p.range.start as usize..p.range.end as usize]).into_owned();
    let v = d.tags.tag(0);
    let value = m.value.bytes();
    let mut rest = value[..p.spec_range.start as usize].to_vec();
    rest.extend_from_slice(&value[p.spec_range.end as usize..]);
    let rest = crate::util::lossy(&rest).into_owned();
    let v_end = (v.spec_range.end as usize).min(rest.len());
    let head = rest[..v_end].trim().trim_end_matches(';');
    let tail = rest[v_end..].trim();
    let new = if tail.is_empty() { format!("{head}; {p_text}") } else { format!("{head}; {p_text}; {tail}") };
    out.push(
        m.diag(
            &RULE,
            p.range.clone(),
            "`p=` should come directly after `v=DMARC1`: receivers following RFC 7489 discard the record otherwise",
        )
        .with_fix(Fix::safe("Move `p=` right after `v=DMARC1`", m.rewrite(cx, new.as_bytes()))),
    );
}
