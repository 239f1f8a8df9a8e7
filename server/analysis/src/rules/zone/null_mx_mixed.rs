use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{ZoneCtx, mail_targets};

crate::declare_rule! {
    /// ## What it does
    /// Reports a null MX (`MX 0 .`, "this domain accepts no mail") published together
    /// with other MX records at the same name.
    ///
    /// ## Why it matters
    /// A null MX must be the only MX record. Mixed with real exchanges, senders disagree:
    /// some bounce immediately (`556 5.1.10`), others try the real hosts. Decide whether
    /// the domain receives mail and publish one or the other.
    ///
    /// ## Example
    /// ```zone
    /// @ IN MX 0  .
    /// @ IN MX 10 mail
    /// ```
    /// Use instead (no mail):
    /// ```zone
    /// @ IN MX  0 .
    /// @ IN TXT "v=spf1 -all"
    /// ```
    ///
    /// ## Reference
    /// RFC 7505 §3 (null MX), §4.
    pub static RULE = {
        code: "zone/null-mx-mixed",
        severity: Error,
        fix: None,
        summary: "null MX together with other MX records",
    }
}

pub fn check(cx: &ZoneCtx<'_>, out: &mut Vec<Diagnostic>) {
    let targets: Vec<_> = mail_targets(cx, RrType::MX).collect();
    for t in targets.iter().filter(|t| t.is_null_mx()) {
        if let Some(other) = targets.iter().find(|o| o.record.owner == t.record.owner && !o.is_null_mx()) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    t.record.file,
                    t.record.rdata_range(),
                    format!(
                        "null MX (`0 .`, \"no mail\") at `{}` together with other MX records; a null MX must be the only one (RFC 7505 §3)",
                        t.record.owner.display_short()
                    ),
                )
                .with_related(other.record.file, other.record.rdata_range(), "another MX at the same name")
                .for_record(t.record.span.start),
            );
        }
    }
}
