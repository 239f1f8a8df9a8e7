use crate::diagnostics::{Diagnostic, Fix};
use crate::mail::{MailCtx, MailRecord};
use crate::records::dkim::DkimRecord;
use crate::records::tag_list::split_value;

crate::declare_rule! {
    /// ## What it does
    /// Reports `t=y` (testing mode) in a DKIM key record.
    ///
    /// ## Why it matters
    /// With `t=y`, verifiers "MUST NOT treat messages from signers in testing mode
    /// differently from unsigned email" (RFC 6376 §3.6.1): a good signature earns nothing,
    /// and DMARC cannot pass through DKIM. It is usually left over from a rollout.
    ///
    /// ## Example
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; t=y; p=MIIBIjANBgkq…"
    /// ```
    /// Use instead:
    /// ```zone
    /// s1._domainkey IN TXT "v=DKIM1; p=MIIBIjANBgkq…"
    /// ```
    ///
    /// ## Fix
    /// Removes the `y` flag (and `t=` if nothing is left). Signatures then count: the
    /// fix is offered in the editor, not applied by `--fix`.
    ///
    /// ## Reference
    /// RFC 6376 §3.6.1 (`t=` flags).
    pub static RULE = {
        code: "dkim/testing-mode",
        severity: Warning,
        fix: Unsafe,
        summary: "t=y: signed mail is treated as unsigned",
    }
}

pub fn check(cx: &MailCtx<'_>, m: &MailRecord, d: &DkimRecord, out: &mut Vec<Diagnostic>) {
    let Some(t) = d.tags.get("t") else { return };
    let flags = split_value(&t, b':');
    if !flags.iter().any(|(f, _)| f.eq_ignore_ascii_case("y")) {
        return;
    }
    let rest: Vec<&str> = flags.iter().filter(|(f, _)| !f.eq_ignore_ascii_case("y")).map(|(f, _)| f.as_str()).collect();
    let edits = if rest.is_empty() {
        let v = super::without(m.value.bytes(), t.spec_range.clone());
        m.rewrite(cx, crate::util::lossy(&v).trim_end().trim_start().as_bytes())
    } else {
        m.replace(cx, t.value_range.clone(), &rest.join(":"))
    };
    out.push(
        m.diag(
            &RULE,
            t.range.clone(),
            "`t=y` is testing mode: verifiers treat mail signed with this key as unsigned, so DKIM cannot satisfy DMARC (RFC 6376 §3.6.1)",
        )
        .with_fix(Fix::unsafe_("Remove testing mode (`t=y`)", edits)),
    );
}
