use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::dmarc::DmarcRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports `pct` below 100.
    ///
    /// ## Why it matters
    /// RFC 7489 receivers apply the policy to that share of failing mail only: with
    /// `pct=25`, three in four spoofed messages are delivered. RFC 9989 receivers ignore
    /// `pct` and apply the policy to all mail — the same record means different things
    /// at different receivers.
    ///
    /// ## Example
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=quarantine; pct=25"
    /// ```
    /// Use instead:
    /// ```zone
    /// _dmarc IN TXT "v=DMARC1; p=quarantine"
    /// ```
    ///
    /// ## Reference
    /// RFC 7489 §6.3 (`pct`); RFC 9989 Appendix A.6 (its removal).
    pub static RULE = {
        code: "dmarc/partial-pct",
        severity: Warning,
        fix: None,
        summary: "pct < 100",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, d: &DmarcRecord, out: &mut Vec<Diagnostic>) {
    if let (Some(t), Some(pct)) = (d.tag("pct"), d.pct())
        && pct < 100
    {
        out.push(m.diag(
                &RULE,
                t.range.clone(),
                format!("`pct={pct}`: RFC 7489 receivers apply the policy to {pct}% of failing mail and deliver the rest; RFC 9989 receivers ignore `pct`"),
            ));
    }
}
