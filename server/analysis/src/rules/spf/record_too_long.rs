use crate::diagnostics::Diagnostic;
use crate::mail::{MailCtx, MailRecord};
use crate::records::spf::SpfRecord;

crate::declare_rule! {
    /// ## What it does
    /// Reports an SPF record longer than 450 octets.
    ///
    /// ## Why it matters
    /// RFC 7208 §3.4 asks records to stay small enough that the whole DNS answer fits in
    /// 512 octets of UDP. Larger answers are truncated and must be retried over TCP;
    /// some resolvers and middleboxes fail at that, turning into TempError and deferred
    /// mail. Long records are usually the result of flattening: prefer `include:`.
    ///
    /// ## Example
    /// ```zone
    /// @ IN TXT "v=spf1 ip4:… (40 more ip4 terms) … -all"
    /// ```
    /// Use instead: group the addresses into wider networks, or move them into an
    /// `include:`d record such as `_spf.example.com`.
    ///
    /// ## Reference
    /// RFC 7208 §3.4 (record size).
    pub static RULE = {
        code: "spf/record-too-long",
        severity: Warning,
        fix: None,
        summary: "the record is over 450 octets",
    }
}

pub fn check(_cx: &MailCtx<'_>, m: &MailRecord, _s: &SpfRecord, out: &mut Vec<Diagnostic>) {
    let len = m.value.len();
    if len > 450 {
        out.push(m.diag_whole(
            &RULE,
            format!("the SPF record is {len} octets; over 450 the DNS answer may not fit a UDP packet and some receivers fail the TCP retry (RFC 7208 §3.4)"),
        ));
    }
}
