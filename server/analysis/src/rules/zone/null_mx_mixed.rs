use crate::diagnostics::Diagnostic;
use crate::rrtype::RrType;
use crate::zone::check::{Target, ZoneCtx, mail_targets};

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
    let targets = mail_targets(cx, RrType::MX);
    // The names with a null MX (few, if any), and another MX at each of them.
    let mut others: rustc_hash::FxHashMap<&str, Option<&Target<'_>>> =
        targets.iter().filter(|t| t.is_null_mx()).map(|t| (t.record.owner.as_str(), None)).collect();
    if others.is_empty() {
        return;
    }
    for o in targets.iter().filter(|o| !o.is_null_mx()) {
        if let Some(slot @ None) = others.get_mut(o.record.owner.as_str()) {
            *slot = Some(o);
        }
    }
    for t in targets.iter().filter(|t| t.is_null_mx()) {
        if let Some(Some(other)) = others.get(t.record.owner.as_str()) {
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
